/* labels: names on the map like a locator map. Every point place has its name beside its dot,
   areas have theirs inside (seas, zones and regions in italics), then the basemap's reference
   labels (countries, seas, capitals, cities) in a lighter style. Placed greedily by priority: the
   chapter's own places first, then cfg.labels order (priority, highest first), then the basemap
   by rank. A lesser label tries the other sides of its dot and hides when none is free: labels
   never overlap each other, the map controls or the panel, and avoid other places' markers. A sea,
   zone or region larger than the view goes unlabelled (see largerThanView).
   Laid out again after every zoom, move, chapter, layer change and resize; hidden while zooming.
   Labels are aria-hidden: the markers carry the names for assistive technology. */
function labels(sm) {
  var map = sm.map, refs = sm.refs, places = sm.places, cfg = sm.cfg;
  var AREA_ITALIC = { water: true, region: true };
  var GAP = 3;  /* px between a dot's edge and its label */

  var pane = map.createPane("sm-labels");
  pane.setAttribute("aria-hidden", "true");
  pane.style.zIndex = 450;  /* above features (400), below tooltips and popups */
  pane.style.pointerEvents = "none";

  function storyItems() {
    var list = cfg.labels && cfg.labels.length ? cfg.labels : fallback();
    return list.filter(function (l) { return places[l.id]; }).map(function (l, i) {
      var p = places[l.id];
      var area = !!l.area;
      var cls = "sm-label " + (area ? "sm-label-area" + (AREA_ITALIC[p.kind] ? " sm-label-italic" : "") : "sm-label-point");
      /* a sea, zone or region: its main body (cfg.place_frames) decides whether it is labelled */
      var body = area && AREA_ITALIC[p.kind] && cfg.place_frames ? cfg.place_frames[l.id] : null;
      return { id: l.id, text: l.text, lat: l.lat, lon: l.lon, area: area, order: i, cls: cls, body: body };
    });
  }
  /* Without labels from Python: every place, points beside their dot, areas at their anchor,
     ranked by mentions then first mention. */
  function fallback() {
    var first = {};
    sm.mentionOrder.forEach(function (id, i) { first[id] = i; });
    return sm.data.places.map(function (p) {
      var order = first[p.id] === undefined ? sm.data.places.length : first[p.id];
      return {
        id: p.id, text: p.name, lat: p.lat, lon: p.lon, area: !!p.geometry,
        priority: (p.mentions || []).length - order / (sm.data.places.length + 1)
      };
    }).sort(function (a, b) { return b.priority - a.priority; });
  }
  function baseItems() {
    var list = (sm.base && sm.base.labels) || [];
    var taken = {};
    items.forEach(function (it) { taken[it.text.toLowerCase()] = true; });
    return list.filter(function (l) { return !taken[String(l.text).toLowerCase()]; })
      .sort(function (a, b) { return a.rank - b.rank; })
      .map(function (l) {
        var point = l.kind === "capital" || l.kind === "city";
        return {
          id: null, text: l.text, lat: l.lat, lon: l.lon, area: !point, base: true, minzoom: l.minzoom || 0,
          cls: "sm-ref-label sm-ref-" + l.kind
        };
      });
  }

  var items = storyItems();
  items = items.concat(baseItems());
  /* A label's element is made, and measured, the first time it may be shown: most reference
     labels wait for a zoom, and the first view then lays out only the labels it can show. */
  function create(it) {
    var el = document.createElement("div");
    el.className = it.cls;
    if (it.id) { el.setAttribute("data-place", it.id); }
    if (it.base && !it.area) {
      var dot = document.createElement("span");
      dot.className = "sm-ref-dot";
      el.appendChild(dot);
    }
    var text = document.createElement("bdi");
    text.textContent = it.text;  /* article text: never markup */
    el.appendChild(text);
    el.hidden = true;
    pane.appendChild(el);
    it.el = el;
  }
  /* Sizes of `list` not measured yet, read together with the blockers (one layout for both).
     keep: leave the measured labels shown off screen (no write after the read, see below). */
  function measure(list, keep) {
    var todo = list.filter(function (it) { return it.w === undefined; });
    if (!todo.length && firstBlockers) {
      var cached = firstBlockers;
      firstBlockers = null;
      return cached;
    }
    firstBlockers = null;
    todo.forEach(function (it) {
      if (!it.el) { create(it); }
      it.el.hidden = false;
      it.el.style.transform = "translate(-9999px, 0)";
    });
    var out = blockers();
    /* whole pixels and one to spare: boxes are placed at rounded positions and never touch */
    todo.forEach(function (it) {
      var r = it.el.getBoundingClientRect();
      it.w = Math.ceil(r.width) + 1; it.h = Math.ceil(r.height) + 1;
    });
    if (!keep) { todo.forEach(function (it) { it.el.hidden = true; }); }
    return out;
  }
  /* Start-up (hash.js), before the camera reads the panel and the controls for its padding: the
     labels the first view may show (the story's, and the basemap's up to `zoom`, the most the
     first frame can zoom in) are made and measured, and left off screen, so that the camera's
     read needs no layout of its own; the first layout of the labels then places them with the
     blockers read here (nothing has moved since), without reading the page again. */
  var firstBlockers = null;
  sm.measureFirstLabels = function (zoom) {
    firstBlockers = measure(items.filter(function (it) { return !it.base || it.minzoom <= zoom; }), true);
  };
  sm.later(function () { firstBlockers = null; });  /* never past the first view */

  function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
  function free(r, list) {
    for (var i = 0; i < list.length; i++) { if (overlaps(r, list[i])) return false; }
    return true;
  }
  /* Rectangles (container pixels) no label may cover: the controls, and the panel or sheet. */
  function blockers() {
    var box = map.getContainer().getBoundingClientRect();
    var out = [];
    var els = $$(".leaflet-control", map.getContainer());
    if (sm.panel) { els.push(sm.panel); }
    els.forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.height) { out.push({ x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height }); }
    });
    return out;
  }
  function radiusOf(id) {
    var s = cfg.styles[id] || {};
    return (s.radius || 6) + (s.weight || 2) / 2;
  }
  /* The markers of the point places on the map, with their container position. */
  function markers() {
    var out = [];
    Object.keys(refs.features).forEach(function (id) {
      var f = refs.features[id];
      if (!f.getLatLng || !map.hasLayer(f)) return;
      var c = map.latLngToContainerPoint(f.getLatLng());
      var r = radiusOf(id);
      out.push({ id: id, cx: c.x, cy: c.y, r: r, x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r });
    });
    return out;
  }
  function candidates(it, c, r) {
    var w = it.w, h = it.h, x = c.x, y = c.y;
    if (it.area) {
      return [
        { x: x - w / 2, y: y - h / 2 }, { x: x - w / 2, y: y - h / 2 - h }, { x: x - w / 2, y: y + h / 2 },
        { x: x - w / 2, y: y - h / 2 - 2 * h }, { x: x - w / 2, y: y + h / 2 + h }
      ];
    }
    var d = r + GAP;
    if (it.base) {  /* a reference city: its dot is part of the label, on the side of the anchor */
      return [{ x: x + d, y: y - h / 2 }, { x: x - d - w, y: y - h / 2, left: true }];
    }
    return [
      { x: x + d, y: y - h / 2 }, { x: x - d - w, y: y - h / 2 },
      { x: x - w / 2, y: y - d - h }, { x: x - w / 2, y: y + d },
      { x: x + d * 0.7, y: y - d * 0.7 - h }, { x: x + d * 0.7, y: y + d * 0.7 },
      { x: x - d * 0.7 - w, y: y - d * 0.7 - h }, { x: x - d * 0.7 - w, y: y + d * 0.7 }
    ];
  }

  /* A sea, zone or region whose main body is wider or taller than the view (an ocean, a continent,
     "the Americas" seen from one country) has no label: at its anchor the name would read as if
     it named that spot. Its outline still shows; the label comes back once the view holds it. */
  function largerThanView(body, shift, size) {
    var sw = map.latLngToContainerPoint([body[0][0], body[0][1] + shift]);
    var ne = map.latLngToContainerPoint([body[1][0], body[1][1] + shift]);
    return Math.abs(ne.x - sw.x) > size.x || Math.abs(sw.y - ne.y) > size.y;
  }

  function layout() {
    if (sm.booting || sm.root.hasAttribute("data-storymap-moving")) return;  /* again when set up, or at moveend */
    var size = map.getSize(), zoom = map.getZoom();
    var chapter = {};
    var ids = sm.state.chapter ? sm.chapterPlaces(sm.state.chapter) : [];
    ids.forEach(function (id) { chapter[id] = true; });
    var hasChapter = ids.length > 0;
    var dots = markers();
    var dotOf = {};
    dots.forEach(function (m) { dotOf[m.id] = m; });
    var shown = 0;
    sm.labelShown = {};
    /* The chapter's own places first, then the story's other places, then the basemap. */
    var order = items.slice().sort(function (a, b) {
      var ka = a.base ? 2 : (hasChapter && !chapter[a.id] ? 1 : 0);
      var kb = b.base ? 2 : (hasChapter && !chapter[b.id] ? 1 : 0);
      return ka - kb || (a.order || 0) - (b.order || 0);
    });
    /* The labels that may show: layer on, zoom reached, anchor in view. */
    var center = map.getCenter().lng;
    var maybe = order.filter(function (it) {
      if (it.el) { it.el.hidden = true; }
      if (it.id) {
        var g = refs.groups[cfg.place_layer[it.id]];
        if (!g || !map.hasLayer(g)) return false;  /* its layer is off */
      }
      if (it.base && zoom < it.minzoom) return false;  /* a reference label waits for its zoom */
      it.dot = it.id && !it.area ? dotOf[it.id] : null;
      /* areas drawn on another copy of the world (wrap.js) carry their label there; the basemap's
         labels go to the copy nearest the middle of the view */
      var lon = it.lon + (it.id ? sm.lonShift[it.id] || 0 : 360 * Math.round((center - it.lon) / 360));
      var c = it.at = it.dot ? L.point(it.dot.cx, it.dot.cy) : map.latLngToContainerPoint([it.lat, lon]);
      if (c.x < 0 || c.y < 0 || c.x > size.x || c.y > size.y) return false;
      return !(it.body && largerThanView(it.body, lon - it.lon, size));
    });
    var placed = measure(maybe);
    maybe.forEach(function (it) {
      var dot = it.dot, c = it.at;
      var others = dots.filter(function (m) { return m !== dot; });
      var spots = candidates(it, c, dot ? dot.r : 2);
      var chosen = null;
      /* First a spot clear of every other marker; a story label may then cover a marker, never a label. */
      var passes = it.base ? 1 : 2;
      for (var pass = 0; pass < passes && !chosen; pass++) {
        for (var i = 0; i < spots.length && !chosen; i++) {
          var r = { x: spots[i].x, y: spots[i].y, w: it.w, h: it.h };
          if (r.x < 2 || r.y < 2 || r.x + r.w > size.x - 2 || r.y + r.h > size.y - 2) continue;
          if (!free(r, placed)) continue;
          if (pass === 0 && !free(r, others)) continue;
          chosen = r;
          chosen.left = !!spots[i].left;
        }
      }
      if (!chosen) return;
      placed.push(chosen);
      var p = map.containerPointToLayerPoint([chosen.x, chosen.y]);
      it.el.style.transform = "translate(" + Math.round(p.x) + "px," + Math.round(p.y) + "px)";
      it.el.classList.toggle("sm-at-left", chosen.left);
      it.el.classList.toggle("sm-label-dim", !!(it.id && hasChapter && !chapter[it.id]));
      it.el.hidden = false;
      if (it.id) { shown += 1; sm.labelShown[it.id] = true; }
    });
    sm.state.labels = shown;
    pane.style.visibility = "";
  }
  sm.layoutLabels = layout;
  map.on("zoomstart", function () { pane.style.visibility = "hidden"; });
  map.on("moveend", layout);
  sm.on("layers", layout);
  sm.on("chapter", layout);
  sm.on("sheet", layout);
  window.addEventListener("resize", function () {
    items.forEach(function (it) { it.w = undefined; });  /* type sizes may change (projector) */
    layout();
  });
}
