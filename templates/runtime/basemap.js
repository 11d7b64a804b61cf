/* basemap: land, country borders and reference labels under everything, drawn on a canvas in its
   own pane once the first view is set (see start.js); the sea is the map's background colour.
   Data (sm.base, storymap/render/basemap.py): land / detail = {scale, polygons: [[ring, ...]]},
   borders / detail_borders = {scale, lines: [line]}, labels = [{text, lat, lon, kind, rank,
   minzoom}]. A ring or line is a string of integers (lon/lat * scale; the first point, then each
   step) in the encoded-polyline alphabet. Land polygons of every tier are disjoint: they are filled
   as one path, so tiers and tiles meet without seams. */
function basemap(sm) {
  var map = sm.map;
  function decode(text, scale) {
    var out = [], x = 0, y = 0, odd = false, i = 0;
    while (i < text.length) {
      var result = 0, shift = 0, b;
      do { b = text.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
      var v = (result & 1) ? ~(result >> 1) : (result >> 1);
      if (odd) { y += v; out.push([y / scale, x / scale]); } else { x += v; }
      odd = !odd;
    }
    return out;
  }
  function polygons(group, into) {
    if (!group) return into;
    group.polygons.forEach(function (rings) {
      into.push(rings.map(function (r) { return decode(r, group.scale); }));
    });
    return into;
  }
  function lines(group, into) {
    if (!group) return into;
    group.lines.forEach(function (l) { into.push(decode(l, group.scale)); });
    return into;
  }

  /* ---- reference labels: lowest priority, shown from their minzoom, never over each other or
     over the story's own labels (anything in the label, marker or tooltip panes). */
  var labelPane = null, labelEls = [];
  function placeLabels() {
    if (!labelPane) return;
    var zoom = map.getZoom(), size = map.getSize(), taken = [];
    $$(".sm-label, .leaflet-tooltip, .leaflet-marker-icon", map.getContainer()).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width) taken.push(r);
    });
    var origin = map.getContainer().getBoundingClientRect();
    labelEls.forEach(function (item) {
      var el = item.el, lab = item.label;
      var show = zoom >= lab.minzoom;
      if (show) {
        var p = map.latLngToContainerPoint([lab.lat, lab.lon]);
        if (!item.w) {
          el.style.display = "block"; item.w = el.offsetWidth; item.h = el.offsetHeight;
          /* a town's dot (::before) sits on its point, the name to its right; other names centre */
          item.ax = lab.kind === "city" || lab.kind === "capital" ? 4 : item.w / 2;
        }
        var box = {
          left: origin.left + p.x - item.ax, top: origin.top + p.y - item.h / 2,
          right: origin.left + p.x - item.ax + item.w, bottom: origin.top + p.y + item.h / 2
        };
        show = p.x > -item.w && p.y > -item.h && p.x < size.x + item.w && p.y < size.y + item.h &&
          !taken.some(function (t) {
            return box.left < t.right + 4 && box.right > t.left - 4 && box.top < t.bottom + 2 && box.bottom > t.top - 2;
          });
        if (show) {
          taken.push(box);
          var lp = map.containerPointToLayerPoint(p);
          L.DomUtil.setPosition(el, lp.subtract([item.ax, item.h / 2]));
        }
      }
      el.style.display = show ? "block" : "none";
    });
  }
  function drawLabels(labels) {
    labelPane = map.createPane("sm-baselabels");
    labelPane.style.zIndex = 350;
    labelPane.style.pointerEvents = "none";
    labelPane.setAttribute("aria-hidden", "true");
    labels.slice().sort(function (a, b) { return a.rank - b.rank || a.minzoom - b.minzoom; }).forEach(function (lab) {
      var el = L.DomUtil.create("div", "sm-baselabel sm-baselabel-" + lab.kind, labelPane);
      el.textContent = lab.text;
      el.style.display = "none";
      labelEls.push({ el: el, label: lab });
    });
    map.on("zoomend moveend", placeLabels);
    sm.on("chapter", function () { setTimeout(placeLabels, 0); });
    sm.on("layers", function () { setTimeout(placeLabels, 0); });
    placeLabels();
  }
  sm.placeBaseLabels = placeLabels;

  sm.drawBasemap = function () {
    var base = sm.base || {};
    var pane = map.createPane("sm-basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "sm-basemap", padding: 0.2 });
    var land = polygons(base.detail, polygons(base.land, []));
    if (land.length) {
      if (map.attributionControl) { map.attributionControl.addAttribution("Basemap: Natural Earth"); }
      L.polygon(land, {
        pane: "sm-basemap", interactive: false, renderer: renderer, stroke: false,
        fillColor: "#f4f1ea", fillOpacity: 1, smoothFactor: 0.5
      }).addTo(map);
    }
    var borders = lines(base.detail_borders, lines(base.borders, []));
    if (borders.length) {
      L.polyline(borders, {
        pane: "sm-basemap", interactive: false, renderer: renderer,
        color: "#a69d8c", weight: 0.9, opacity: 1, lineJoin: "round", smoothFactor: 0.5
      }).addTo(map);
    }
    if (base.labels && base.labels.length) { drawLabels(base.labels); }
  };
}
