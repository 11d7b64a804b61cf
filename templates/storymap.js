/* storymap runtime: chapters, keys, URL state, popups, accessibility, embedding.
   All story data comes from JSON blocks; nothing from the article is ever evaluated as code. */
var StorymapRuntime = (function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function init(refs) {
    var data = readJSON("storymap-data");
    var cfg = readJSON("storymap-config");
    var base = readJSON("storymap-basemap");
    var map = refs.map;
    var inFrame = window.self !== window.top;
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var places = {};
    data.places.forEach(function (p) { places[p.id] = p; });
    var groupOrder = cfg.layer_order.filter(function (id) { return refs.groups[id]; });
    var chapterCount = data.chapters.length;
    var state = { chapter: 0 };
    var panel = $("#sm-panel");
    var live = $("#sm-live");
    var root = document.documentElement;
    /* Markers are tabbed through in order of first mention, not in drawing order. */
    var mentionOrder = (cfg.mention_order || Object.keys(refs.features)).filter(function (id) { return refs.features[id]; });

    /* ---- controls: on small screens the layer list folds into a button */
    var control = refs.control;
    if (control && window.innerWidth <= 600 && !control.options.collapsed) {
      var overlays = {};
      control._layers.forEach(function (o) { overlays[o.name] = o.layer; });
      map.removeControl(control);
      control = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);
    }
    L.control.zoom({ position: "topright" }).addTo(map);

    /* ---- basemap: land, country outlines and a graticule under everything (drawn once the view is set) */
    function drawBasemap() {
      var pane = map.createPane("sm-basemap");
      pane.style.zIndex = 150;
      pane.style.pointerEvents = "none";
      var renderer = L.canvas({ pane: "sm-basemap", padding: 0.2 });
      var scale = base.land.scale;
      var land = base.land.polygons.map(function (polygon) {
        return polygon.map(function (ring) {
          var x = 0, y = 0, out = [];
          for (var i = 0; i < ring.length; i += 2) {
            x += ring[i]; y += ring[i + 1];
            out.push([y / scale, x / scale]);
          }
          return out;
        });
      });
      if (land.length) {
        if (map.attributionControl) { map.attributionControl.addAttribution("Basemap: Natural Earth"); }
        L.polygon(land, {
          pane: "sm-basemap", interactive: false, renderer: renderer,
          color: "#b9b2a3", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1
        }).addTo(map);
      }
      var graticule = [];
      for (var lon = -180; lon <= 180; lon += 15) {
        var meridian = [];
        for (var la = -85; la <= 85; la += 5) { meridian.push([la, lon]); }
        graticule.push(meridian);
      }
      for (var lat = -75; lat <= 75; lat += 15) {
        var parallel = [];
        for (var lo = -180; lo <= 180; lo += 5) { parallel.push([lat, lo]); }
        graticule.push(parallel);
      }
      L.polyline(graticule, {
        pane: "sm-basemap", interactive: false, renderer: renderer,
        color: "#a9c7da", weight: 0.6, opacity: 1, smoothFactor: 0
      }).addTo(map);
    }

    /* ---- popups, tooltips and keyboard access for every feature */
    function eachPath(layer, fn) {
      if (layer.eachLayer) { layer.eachLayer(function (l) { eachPath(l, fn); }); } else { fn(layer); }
    }
    function popupContent(id) {
      var tpl = document.getElementById("sm-popup-" + id);
      return tpl ? tpl.content.firstElementChild.cloneNode(true) : document.createTextNode(places[id].name);
    }
    function tooltipContent(id) {
      var span = document.createElement("bdi");
      span.textContent = places[id].name;
      return span;
    }
    var pad = padding();  /* read the layout once, not once per feature */
    var popupOptions = {
      maxWidth: 340, autoPanPaddingTopLeft: pad.paddingTopLeft, autoPanPaddingBottomRight: pad.paddingBottomRight
    };
    Object.keys(refs.features).forEach(function (id) {
      var layer = refs.features[id];
      if (places[id].geometry && layer.addData) {
        layer.addData({ type: "Feature", properties: {}, geometry: places[id].geometry });
        layer.setStyle(cfg.styles[id]);
      }
      layer.bindPopup(function () { return popupContent(id); }, popupOptions);
      layer.bindTooltip(tooltipContent(id), { sticky: !!places[id].geometry, direction: "top" });
      layer.on("popupopen", function () { state.popup = id; markMentions(); revealMention(id); });
      layer.on("popupclose", function () { if (state.popup === id) { state.popup = null; markMentions(); } });
      layer.on("mouseover", function () { state.hover = id; markMentions(); });
      layer.on("mouseout", function () { if (state.hover === id) { state.hover = null; markMentions(); } });
    });
    function spread(id) {
      var layer = refs.features[id];
      if (!places[id].geometry || !layer.getBounds) return 0;
      var b = layer.getBounds();
      return b.isValid() ? (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest()) : 0;
    }
    var stacking = Object.keys(refs.features).sort(function (a, b) { return spread(b) - spread(a); });
    function decorate() {
      Object.keys(refs.features).forEach(function (id) {
        eachPath(refs.features[id], function (l) {
          var el = l.getElement && l.getElement();
          if (!el || el.getAttribute("data-place")) return;
          el.setAttribute("data-place", id);
          el.setAttribute("tabindex", "-1");
          el.setAttribute("role", "button");
          el.setAttribute("aria-label", places[id].name);
          el.addEventListener("keydown", function (ev) {
            if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); refs.features[id].openPopup(); }
            else if (ev.key === "Tab" && !ev.altKey && !ev.ctrlKey && !ev.metaKey) { tabFrom(id, ev); }
          });
          el.addEventListener("focus", function (ev) {
            var from = ev.relatedTarget;
            var outside = !isMarker(from);
            var ids = tabbable();
            if (outside && state.backTab && ids.length > 1 && id === ids[0]) { firstPath(ids[ids.length - 1]).focus(); return; }
            state.hover = id; markMentions();
          });
          el.addEventListener("blur", function (ev) {
            if (state.hover === id) { state.hover = null; markMentions(); }
            if (!ev.relatedTarget) { setTimeout(rove, 0); }  /* focus left the page */
          });
        });
      });
      rove();
    }
    /* Roving tabindex: only the first marker in mention order is in the page's tab sequence;
       Tab and Shift+Tab step through the others in mention order, then leave the map. */
    function firstPath(id) {
      var found = null;
      eachPath(refs.features[id], function (l) { var el = l.getElement && l.getElement(); if (el && !found) { found = el; } });
      return found;
    }
    function tabbable() {
      return mentionOrder.filter(function (id) {
        var g = refs.groups[cfg.place_layer[id]];
        return g && map.hasLayer(g) && firstPath(id);
      });
    }
    function rove() {
      var ids = tabbable();
      $$(".leaflet-interactive[data-place]").forEach(function (el) { el.setAttribute("tabindex", "-1"); });
      if (ids.length) { firstPath(ids[0]).setAttribute("tabindex", "0"); }
    }
    function tabFrom(id, ev) {
      var ids = tabbable();
      var j = ids.indexOf(id) + (ev.shiftKey ? -1 : 1);
      if (ids.indexOf(id) >= 0 && j >= 0 && j < ids.length) {
        ev.preventDefault();
        firstPath(ids[j]).focus();
        return;
      }
      /* Leaving the map: take every marker out of the sequence until focus has moved on (focusin below). */
      if (ids.length) { firstPath(ids[0]).setAttribute("tabindex", "-1"); }
    }
    function isMarker(el) { return !!(el && el.classList && el.classList.contains("leaflet-interactive")); }
    document.addEventListener("focusin", function (ev) { if (!isMarker(ev.target)) { rove(); } });

    /* ---- highlighting */
    function styleFor(id, mode) {
      var p = places[id];
      var s = cfg.styles[id];
      var out = {};
      for (var k in s) { out[k] = s[k]; }
      if (mode === "focus") {
        out.weight = (s.weight || 1) + 3;
        out.opacity = 1;
        if (p.geometry) { out.fillOpacity = Math.min(1, (s.fillOpacity || 0.2) + 0.25); } else {
          out.radius = s.radius + 7;
          out.color = "#1d2329";
        }
      } else if (mode === "active") {
        out.weight = (s.weight || 1) + (p.geometry ? 1 : 2);
        if (!p.geometry) { out.radius = s.radius + 3; }
        out.fillOpacity = Math.min(1, (s.fillOpacity || 0.2) + (p.geometry ? 0.08 : 0.05));
      } else if (mode === "dim") {
        out.opacity = 0.35;
        out.fillOpacity = (s.fillOpacity || 0.2) * 0.35;
      }
      return out;
    }
    function modeOf(id) {
      if (id === state.emphasis) return "focus";
      if (!state.active) return "normal";
      return state.active[id] ? "active" : "dim";
    }
    function paint(id) {
      var mode = modeOf(id);
      eachPath(refs.features[id], function (l) {
        if (l.setStyle) { l.setStyle(styleFor(id, mode)); }
        var el = l.getElement && l.getElement();
        if (el) { el.classList.toggle("sm-emph", mode === "focus"); }
      });
    }
    function highlight(ids) {
      var set = null;
      if (ids !== null) {
        set = {};
        ids.forEach(function (id) { set[id] = true; });
      }
      state.active = set;
      stacking.forEach(paint);
      restack(set);
    }
    /* Emphasise one feature while its mention (or places-list entry) is hovered or focused. */
    function emphasise(id) {
      if (id && !refs.features[id]) { id = null; }
      var prev = state.emphasis;
      if (prev === id) return;
      state.emphasis = id;
      if (prev) { paint(prev); }
      if (id) {
        paint(id);
        if (refs.features[id].bringToFront && map.hasLayer(refs.features[id])) { refs.features[id].bringToFront(); }
      } else {
        restack(state.active);
      }
    }
    /* And back: the mentions of the place whose popup is open, or whose marker is hovered or focused. */
    var markedMentions = [];
    function markMentions() {
      markedMentions.forEach(function (el) { el.classList.remove("sm-mention-on"); });
      markedMentions = [];
      [state.popup, state.hover].forEach(function (id) {
        if (!id) return;  /* ids are [a-z0-9_-]: safe in a selector */
        $$('.sm-mention[data-place="' + id + '"]').forEach(function (el) {
          el.classList.add("sm-mention-on");
          markedMentions.push(el);
        });
      });
    }
    function revealMention(id) {
      var body = $(".sm-panel-body");
      if (!body || !panel || panel.classList.contains("sm-collapsed")) return;
      var el = $('.sm-chapter:not([hidden]) .sm-mention[data-place="' + id + '"]');
      if (!el) return;
      var b = body.getBoundingClientRect(), r = el.getBoundingClientRect();
      if (r.top < b.top || r.bottom > b.bottom) { body.scrollTop += r.top - b.top - b.height / 3; }
    }
    /* Big areas under small ones, points on top, the chapter's own features above the rest. */
    function restack(active) {
      var focused = document.activeElement;  /* re-appending an SVG path drops its focus: give it back */
      [false, true].forEach(function (activePass) {
        stacking.forEach(function (id) {
          if (active && !!active[id] !== activePass) return;
          if (!active && activePass) return;
          if (refs.features[id].bringToFront && map.hasLayer(refs.features[id])) { refs.features[id].bringToFront(); }
        });
      });
      if (focused && focused !== document.activeElement && focused.isConnected) { focused.focus({ preventScroll: true }); }
    }

    /* ---- bounds and camera */
    function padding() {
      var narrow = window.innerWidth <= 600;
      if (!panel || narrow) {
        var sheet = panel && !panel.classList.contains("sm-collapsed") ? panel.offsetHeight : (panel ? 60 : 0);
        return { paddingTopLeft: [24, 24], paddingBottomRight: [24, Math.min(sheet, window.innerHeight / 2) + 24] };
      }
      return { paddingTopLeft: [panel.offsetWidth + 36, 48], paddingBottomRight: [72, 32] };
    }
    function boundsOf(ids) {
      var b = L.latLngBounds([]);
      ids.forEach(function (id) {
        var layer = refs.features[id];
        if (!layer) return;
        if (layer.getBounds) { b.extend(layer.getBounds()); } else { b.extend(layer.getLatLng()); }
      });
      return b;
    }
    function moveTo(ids, animate) {
      if (!ids.length) return;
      var b = boundsOf(ids);
      if (!b.isValid()) return;
      var opts = padding();
      opts.maxZoom = cfg.max_zoom;
      if (animate && !reduceMotion) {
        opts.duration = 0.8;
        map.flyToBounds(b, opts);
      } else {
        opts.animate = false;
        map.fitBounds(b, opts);
      }
    }

    /* ---- layers */
    function visibleLayers() { return groupOrder.filter(function (id) { return map.hasLayer(refs.groups[id]); }); }
    function setLayer(id, on, quiet) {
      var g = refs.groups[id];
      if (!g) return;
      if (on && !map.hasLayer(g)) { map.addLayer(g); if (!quiet) { decorate(); } }
      if (!on && map.hasLayer(g)) { map.removeLayer(g); if (!quiet) { rove(); } }
    }

    /* ---- URL hash: #chapter=N&layers=a,b */
    function writeHash() {
      var h = "#chapter=" + state.chapter + "&layers=" + visibleLayers().join(",");
      if (location.hash !== h) {
        try { history.replaceState(null, "", h); } catch (e) { /* sandboxed frames may refuse */ }
      }
    }
    function readHash() {
      var out = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i <= 0) return;
        try { out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* bad % */ }
      });
      return out;
    }
    function applyHash(animate, initial) {
      var h = readHash();
      var want = null;
      if (typeof h.layers === "string") {
        want = {};
        h.layers.split(",").forEach(function (id) { want[id] = true; });
      }
      var n = parseInt(h.chapter, 10);
      if (initial) {
        /* Set the view before the layers join the map, so nothing is drawn twice on load. */
        showChapter(isNaN(n) ? 0 : n, { animate: false, announce: false, quiet: true });
        drawBasemap();
        groupOrder.forEach(function (id) { setLayer(id, want ? !!want[id] : true, true); });
        decorate();
        restack();
        writeHash();
        return;
      }
      if (want) { groupOrder.forEach(function (id) { setLayer(id, !!want[id]); }); }
      showChapter(isNaN(n) ? 0 : n, { animate: animate, announce: false });
    }

    /* ---- chapters */
    function clamp(n) { return Math.max(0, Math.min(chapterCount, n)); }
    function chapterPlaces(n) {
      return n === 0 ? data.places.map(function (p) { return p.id; }) : data.chapters[n - 1].places;
    }
    function showChapter(n, opts) {
      opts = opts || {};
      n = clamp(n);
      state.chapter = n;
      $$(".sm-chapter").forEach(function (sec) { sec.hidden = Number(sec.getAttribute("data-chapter")) !== n; });
      var body = $(".sm-panel-body");
      if (body) { body.scrollTop = 0; }
      var sel = $("#sm-chapter-select");
      if (sel) { sel.value = String(n); }
      var prog = $(".sm-progress");
      if (prog) { prog.textContent = n + " / " + chapterCount; }
      var prev = $(".sm-prev"), next = $(".sm-next");
      if (prev) { prev.disabled = n === 0; }
      if (next) { next.disabled = n === chapterCount; }
      var ids = chapterPlaces(n);
      if (n !== 0 || state.highlighted) { highlight(n === 0 ? null : ids); }
      state.highlighted = n !== 0;
      moveTo(ids.length ? ids : chapterPlaces(0), opts.animate !== false);
      if (opts.announce !== false && live) {
        var title = n === 0 ? "Overview" : (data.chapters[n - 1].title || (n === 1 ? "Introduction" : "Chapter " + n));
        live.textContent = (n === 0 ? "" : "Chapter " + n + " of " + chapterCount + ": ") + title +
          ". " + ids.length + (ids.length === 1 ? " place." : " places.");
      }
      if (!opts.quiet) { writeHash(); }
      postHeight();
    }

    /* ---- controls */
    if (panel) {
      var nav = $(".sm-nav");
      if (nav) { panel.appendChild(nav); }
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
    }
    var legend = $("#sm-legend");
    if (legend) {
      var LegendControl = L.Control.extend({ onAdd: function () { return legend; } });
      new LegendControl({ position: "bottomright" }).addTo(map);
      L.DomEvent.disableClickPropagation(legend);
    }
    if (!data.places.length) {
      var EmptyControl = L.Control.extend({
        onAdd: function () {
          var div = L.DomUtil.create("div", "sm-empty-note");
          div.setAttribute("role", "status");
          div.textContent = "No places found in this story.";
          return div;
        }
      });
      new EmptyControl({ position: "topright" }).addTo(map);
    }
    var prevBtn = $(".sm-prev"), nextBtn = $(".sm-next"), select = $("#sm-chapter-select");
    if (prevBtn) { prevBtn.addEventListener("click", function () { showChapter(state.chapter - 1); }); }
    if (nextBtn) { nextBtn.addEventListener("click", function () { showChapter(state.chapter + 1); }); }
    if (select) { select.addEventListener("change", function () { showChapter(parseInt(select.value, 10)); }); }
    var toggle = $(".sm-sheet-toggle");
    if (toggle && panel) {
      toggle.addEventListener("click", function () {
        var collapsed = panel.classList.toggle("sm-collapsed");
        toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
        postHeight();
      });
    }
    /* ---- from the text to the map: mentions and places-list entries fly to their place and open it */
    function goToPlace(id) {
      var layer = refs.features[id];
      if (!layer) return;
      var lid = cfg.place_layer[id];
      if (refs.groups[lid] && !map.hasLayer(refs.groups[lid])) { setLayer(lid, true); writeHash(); }
      map.closePopup();
      var opened = false;
      function open() {
        if (opened) return;
        opened = true;
        map.off("moveend", open);
        layer.openPopup();
        if (live) { live.textContent = places[id].name + " shown on the map."; }
      }
      map.on("moveend", open);
      moveTo([id], true);
      if (!root.hasAttribute("data-storymap-moving")) { open(); }  /* no animation ran */
    }
    function placeOf(ev) {
      var el = ev.target && ev.target.closest ? ev.target.closest(".sm-mention, .sm-place-link") : null;
      return el && panel.contains(el) ? el : null;
    }
    /* Mentions are plain highlighted text without JavaScript; here they become buttons. */
    $$(".sm-mention").forEach(function (el) {
      el.setAttribute("role", "button");
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-describedby", "sm-mention-help");
    });
    if (panel) {
      panel.addEventListener("click", function (ev) {
        var el = placeOf(ev);
        if (el) { goToPlace(el.getAttribute("data-place")); }
      });
      panel.addEventListener("keydown", function (ev) {
        var el = placeOf(ev);
        if (!el || !el.classList.contains("sm-mention") || (ev.key !== "Enter" && ev.key !== " ")) return;
        ev.preventDefault();  /* a role=button span: Enter and Space activate it, Space does not scroll */
        goToPlace(el.getAttribute("data-place"));
      });
      panel.addEventListener("mouseover", function (ev) {
        var el = placeOf(ev);
        if (el) { emphasise(el.getAttribute("data-place")); }
      });
      panel.addEventListener("mouseout", function (ev) {
        var el = placeOf(ev);
        if (el && !(ev.relatedTarget && el.contains(ev.relatedTarget))) { emphasise(focusedPlace()); }
      });
      panel.addEventListener("focusin", function (ev) {
        var el = placeOf(ev);
        emphasise(el ? el.getAttribute("data-place") : null);
      });
      panel.addEventListener("focusout", function () { setTimeout(function () { emphasise(focusedPlace()); }, 0); });
    }
    function focusedPlace() {
      var a = document.activeElement;
      var el = a && a.closest ? a.closest(".sm-mention, .sm-place-link") : null;
      return el && panel && panel.contains(el) ? el.getAttribute("data-place") : null;
    }
    map.on("overlayadd overlayremove", function () { decorate(); writeHash(); });

    /* Shift+Tab into the map lands on the last marker in mention order (see decorate); only while the key is down. */
    document.addEventListener("keydown", function (ev) { state.backTab = ev.key === "Tab" && ev.shiftKey; }, true);
    document.addEventListener("keyup", function () { state.backTab = false; }, true);
    document.addEventListener("pointerdown", function () { state.backTab = false; }, true);
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var t = ev.target;
      var typing = t && t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
      if (t && (t.isContentEditable || typing || /^(TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var k = ev.key, handled = true;
      if (k === "ArrowRight" || k === "PageDown") { showChapter(state.chapter + 1); }
      else if (k === "ArrowLeft" || k === "PageUp") { showChapter(state.chapter - 1); }
      else if (k === "Home") { showChapter(0); }
      else if (k === "Escape") { map.closePopup(); }
      else if (k === "End") { showChapter(chapterCount); }
      else if (/^[1-9]$/.test(k)) {
        var id = groupOrder[Number(k) - 1];
        if (id) { setLayer(id, !map.hasLayer(refs.groups[id])); writeHash(); } else { handled = false; }
      } else if (k === "0") { groupOrder.forEach(function (id) { setLayer(id, true); }); writeHash(); }
      else { handled = false; }
      if (handled) { ev.preventDefault(); }
    });
    window.addEventListener("hashchange", function () { applyHash(true); });

    /* ---- embedding: no scroll capture in frames; tell an auto-height host how tall the map wants to be:
       600 px on wide frames; on narrow ones 320 px of map plus the open bottom sheet. It only grows. */
    var wanted = 0;
    function postHeight() {
      if (!inFrame) return;
      var want = 600;
      if (window.innerWidth <= 600 && panel && !panel.classList.contains("sm-collapsed")) {
        var body = $(".sm-panel-body"), head = $(".sm-panel-head"), nav = $(".sm-nav");
        want = 320 + (head ? head.offsetHeight : 0) + (body ? body.scrollHeight : 0) + (nav ? nav.offsetHeight : 0);
      }
      want = Math.min(1200, Math.max(400, Math.round(want)));
      if (want <= wanted) return;
      wanted = want;
      try { window.parent.postMessage({ type: "storymap:height", height: want }, "*"); } catch (e) { /* refused */ }
    }
    if (inFrame) {
      document.body.classList.add("sm-framed");
      map.scrollWheelZoom.disable();
      map.once("click focus", function () { map.scrollWheelZoom.enable(); });
      window.addEventListener("resize", postHeight);
      if (panel && window.innerWidth <= 600 && window.innerHeight < 420) {
        panel.classList.add("sm-collapsed");  /* a tiny fixed frame: show the map, fold the story */
        if (toggle) { toggle.setAttribute("aria-expanded", "false"); }
      }
    }

    map.on("movestart", function () { root.setAttribute("data-storymap-moving", "true"); });
    map.on("moveend", function () { root.removeAttribute("data-storymap-moving"); });
    applyHash(false, true);
    var api = {
      map: map, showChapter: showChapter, goToPlace: goToPlace, state: state, groups: refs.groups, features: refs.features
    };
    window.storymap = api;
    root.setAttribute("data-storymap-ready", "true");
    if (window.performance && performance.mark) {
      performance.mark("storymap-ready");
      /* The frame after set-up is the first one painted with the whole map (bench/render.py reads it). */
      requestAnimationFrame(function () { setTimeout(function () { performance.mark("storymap-painted"); }, 0); });
    }
    return api;
  }

  return { init: init };
})();
