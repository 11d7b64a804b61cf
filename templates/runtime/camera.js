/* camera: where the map looks. A chapter's frame comes from cfg.views[n] (computed in Python:
   points plus the main body of each area), a place's from cfg.place_frames[id]; without them
   the features' own bounds. Frames are padded so the panel (desktop) or the bottom sheet (phone)
   never covers them; flights animate unless the reader prefers reduced motion. */
function camera(sm) {
  var map = sm.map, refs = sm.refs, panel = sm.panel;

  /* Padding that keeps framed places clear of whatever covers the map: the panel on the left
     (desktop) or the bottom sheet (phone, where the map usually ends above it already), and the
     controls in the right-hand corners (layer list, zoom, legend). Those are dodged either by
     keeping their column free or by keeping their rows free, whichever lets bounds `b` be
     framed at the higher zoom (without `b`: the column). */
  function cornerBox(selector, m) {
    var el = map.getContainer().querySelector(selector);
    var w = 0, h = 0;
    if (el) {
      Array.prototype.forEach.call(el.children, function (c) {
        var r = c.getBoundingClientRect();
        if (!r.width || !r.height) return;
        w = Math.max(w, m.right - r.left);
        h = Math.max(h, selector.indexOf("top") >= 0 ? r.bottom - m.top : m.bottom - r.top);
      });
    }
    return { w: Math.round(w), h: Math.round(h) };
  }
  sm.padding = function (b) {
    var m = map.getContainer().getBoundingClientRect();
    var s = sm.scale || 1, edge = Math.round(24 * s);
    var left = edge, bottom = edge;
    if (panel) {
      var p = panel.getBoundingClientRect();
      if (sm.narrow()) { bottom = Math.max(edge, Math.round(m.bottom - p.top) + edge); }
      else { left = Math.max(edge, Math.round(p.right - m.left) + edge); }
    }
    bottom = Math.min(bottom, Math.round(m.height / 2));
    var tr = cornerBox(".leaflet-top.leaflet-right", m), br = cornerBox(".leaflet-bottom.leaflet-right", m);
    var options = [
      /* the column of controls stays free */
      { paddingTopLeft: [left, edge], paddingBottomRight: [Math.max(tr.w, br.w) + edge, bottom] },
      /* the rows of controls stay free */
      { paddingTopLeft: [left, tr.h + edge], paddingBottomRight: [edge, Math.max(bottom, br.h + edge)] },
      /* the top row and the bottom corner's column */
      { paddingTopLeft: [left, tr.h + edge], paddingBottomRight: [br.w + edge, bottom] },
      /* the top corner's column and the bottom row */
      { paddingTopLeft: [left, edge], paddingBottomRight: [tr.w + edge, Math.max(bottom, br.h + edge)] }
    ].filter(function (o) {  /* a usable frame is left */
      return m.width - o.paddingTopLeft[0] - o.paddingBottomRight[0] >= m.width / 4 &&
        m.height - o.paddingTopLeft[1] - o.paddingBottomRight[1] >= m.height / 4;
    });
    if (!options.length) {
      return { paddingTopLeft: [left, edge], paddingBottomRight: [edge, bottom] };
    }
    if (!b || !b.isValid()) return options[0];
    var best = options[0], bestZoom = -Infinity;
    options.forEach(function (o) {
      var pad = L.point(o.paddingTopLeft).add(L.point(o.paddingBottomRight));
      var z = map.getBoundsZoom(b, false, pad);
      if (z > bestZoom + 1e-9) { best = o; bestZoom = z; }
    });
    return best;
  };

  function boundsOf(ids) {
    var b = L.latLngBounds([]);
    ids.forEach(function (id) {
      var layer = refs.features[id];
      if (!layer) return;
      if (layer.getBounds) { b.extend(layer.getBounds()); } else { b.extend(layer.getLatLng()); }
    });
    return b;
  }

  function fly(b, animate) {
    if (!b.isValid()) return;
    if (sm.wrapAround) { sm.wrapAround(b.getCenter().lng); }  /* across ±180: draw places on that side */
    var opts = sm.padding(b);
    opts.maxZoom = sm.cfg.max_zoom;
    if (animate && !sm.reduceMotion) {
      opts.duration = 0.8;
      map.flyToBounds(b, opts);
    } else {
      opts.animate = false;
      map.fitBounds(b, opts);
    }
  }

  function frame(b) { return b && b.length === 2 ? L.latLngBounds(b) : null; }

  sm.moveTo = function (ids, animate) {
    if (!ids.length) return;
    var b = ids.length === 1 ? frame((sm.cfg.place_frames || {})[ids[0]]) : null;
    fly(b || boundsOf(ids), animate);
  };
  /* The bounds chapter n (0 = overview) frames, or null. */
  sm.chapterBounds = function (n) {
    var view = (sm.cfg.views || [])[n];
    var b = view ? frame(view.bounds) : null;
    if (b && b.isValid()) { return b; }
    var ids = sm.chapterPlaces(n);
    if (!ids.length) { ids = sm.chapterPlaces(0); }
    if (ids.length) { return boundsOf(ids); }
    return n === 0 && sm.cfg.bounds ? L.latLngBounds(sm.cfg.bounds) : null;
  };
  /* Frame chapter n. */
  sm.frameChapter = function (n, animate) {
    var b = sm.chapterBounds(n);
    if (b) { fly(b, animate); }
  };
  /* The sheet folded or unfolded, or the window changed size (full screen): frame the chapter
     again for the room there is now, unless the reader is looking at a popup. */
  function refit(animate) {
    if (!sm.state.popup) { sm.frameChapter(sm.state.chapter, animate); }
  }
  sm.on("sheet", function () { refit(true); });
  var resizing = 0, size = [window.innerWidth, window.innerHeight];
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      /* Not for a phone's address bar showing or hiding: only a real change of size. */
      var w = window.innerWidth, h = window.innerHeight;
      if (w === size[0] && Math.abs(h - size[1]) < 0.2 * size[1]) return;
      size = [w, h];
      refit(false);
    }, 150);
  });
}
