/* features: popups, tooltips and keyboard access for every place on the map.
   Roving tabindex: only the first marker in mention order is in the page's tab sequence;
   Tab and Shift+Tab step through the others in mention order, then leave the map. */
function features(sm) {
  var map = sm.map, refs = sm.refs, places = sm.places, cfg = sm.cfg, state = sm.state;

  function eachPath(layer, fn) {
    if (layer.eachLayer) { layer.eachLayer(function (l) { eachPath(l, fn); }); } else { fn(layer); }
  }
  sm.eachPath = eachPath;
  function popupContent(id) {
    var tpl = document.getElementById("sm-popup-" + id);
    return tpl ? tpl.content.firstElementChild.cloneNode(true) : document.createTextNode(places[id].name);
  }
  function tooltipContent(id) {
    var span = document.createElement("bdi");
    span.textContent = places[id].name;
    return span;
  }
  /* Popups fit on screen: no wider than the map less a margin, no taller than it on a phone
     (the content scrolls), and panned clear of the panel. Sized again whenever the map's size
     changes (the sheet folds, the window turns). */
  function popupSize() {
    var pad = sm.padding(), box = map.getSize();
    var o = {
      /* content width; the popup's frame adds about 34 px */
      maxWidth: Math.max(160, Math.min(340 * (sm.scale || 1), box.x - 64)),
      minWidth: Math.min(200, box.x - 64),
      autoPanPaddingTopLeft: [Math.min(pad.paddingTopLeft[0], box.x / 2), Math.min(pad.paddingTopLeft[1], 48)],
      autoPanPaddingBottomRight: [12, 12],
      maxHeight: null
    };
    if (sm.narrow()) {  /* room for the content's margins (24 px), the tip (20 px) and the pan padding */
      o.maxHeight = Math.max(120, box.y - 90);
      o.autoPanPaddingTopLeft = [12, 12];
    }
    return o;
  }
  var popupOptions = null;  /* popups and tooltips are bound after the first paint (sm.later) */
  sm.on("mapsize", function () {
    if (!popupOptions) return;
    popupOptions = popupSize();
    Object.keys(refs.features).forEach(function (id) {
      var popup = refs.features[id].getPopup();
      if (popup) { L.setOptions(popup, popupOptions); }
    });
  });
  /* Leaflet clips every outline to the view before drawing it: four passes over its points at
     each redraw (a tenth to a quarter of adding the seed's areas to the map). While the world is at
     most a few thousand pixels wide (up to the camera's closest zoom, cfg.max_zoom) the outlines
     are drawn whole (Leaflet's noClip option); closer in they are clipped again, so that no path
     runs millions of pixels beyond the view. Set at each zoomend, before Leaflet redraws the paths
     at moveend (and by wrap.js for the paths it makes). */
  function clipAreas() {
    var whole = map.getZoom() <= cfg.max_zoom;
    Object.keys(refs.features).forEach(function (id) {
      var layer = refs.features[id];
      if (!places[id].geometry || !layer.eachLayer) return;
      layer.eachLayer(function (l) { if (l.options.noClip !== whole) { L.setOptions(l, { noClip: whole }); } });
    });
  }
  sm.clipAreas = clipAreas;
  Object.keys(refs.features).forEach(function (id) {
    var layer = refs.features[id];
    if (places[id].geometry && layer.addData) {
      /* the outline the page draws (near the story's places re-cut to the basemap's detailed
         coast in Python); wrap.js redraws the same geometry on another copy of the world */
      layer.addData({ type: "Feature", properties: {}, geometry: places[id].geometry });
      layer.setStyle(cfg.styles[id]);
    }
  });
  clipAreas();
  map.on("zoomend", clipAreas);
  sm.later(function () { popupOptions = popupSize(); Object.keys(refs.features).forEach(bind); });
  function bind(id) {
    var layer = refs.features[id];
    layer.bindPopup(function () { return popupContent(id); }, popupOptions);
    layer.bindTooltip(tooltipContent(id), { sticky: !!places[id].geometry, direction: "top" });
    /* A dot whose name is already on the map (labels.js) needs no tooltip repeating it. */
    layer.on("tooltipopen", function (e) {
      var el = e.tooltip.getElement();
      if (el) { el.style.visibility = !places[id].geometry && sm.labelShown && sm.labelShown[id] ? "hidden" : ""; }
    });
    layer.on("popupopen", function () { state.popup = id; sm.markMentions(); sm.revealMention(id); });
    layer.on("popupclose", function () { if (state.popup === id) { state.popup = null; sm.markMentions(); } });
    layer.on("mouseover", function () { state.hover = id; sm.markMentions(); });
    layer.on("mouseout", function () { if (state.hover === id) { state.hover = null; sm.markMentions(); } });
  }

  function firstPath(id) {
    var found = null;
    eachPath(refs.features[id], function (l) { var el = l.getElement && l.getElement(); if (el && !found) { found = el; } });
    return found;
  }
  function tabbable() {
    return sm.mentionOrder.filter(function (id) {
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

  /* Give every drawn path its place id, a name and keyboard handling (again after a layer joins). */
  sm.decorate = function () {
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
          var outside = !isMarker(ev.relatedTarget);
          var ids = tabbable();
          if (outside && state.backTab && ids.length > 1 && id === ids[0]) { firstPath(ids[ids.length - 1]).focus(); return; }
          state.hover = id; sm.markMentions();
        });
        el.addEventListener("blur", function (ev) {
          if (state.hover === id) { state.hover = null; sm.markMentions(); }
          if (!ev.relatedTarget) { setTimeout(rove, 0); }  /* focus left the page */
        });
      });
    });
    rove();
  };
  sm.rove = rove;
  document.addEventListener("focusin", function (ev) { if (!isMarker(ev.target)) { rove(); } });
  /* Shift+Tab into the map lands on the last marker in mention order (see decorate); only while the key is down. */
  document.addEventListener("keydown", function (ev) { state.backTab = ev.key === "Tab" && ev.shiftKey; }, true);
  document.addEventListener("keyup", function () { state.backTab = false; }, true);
  document.addEventListener("pointerdown", function () { state.backTab = false; }, true);
}
