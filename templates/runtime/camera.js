/* camera: where the map looks. Fits a set of places, padded so the panel (desktop) or the
   bottom sheet (phone) never covers them; flights animate unless the reader prefers reduced motion. */
function camera(sm) {
  var map = sm.map, refs = sm.refs, panel = sm.panel;

  /* Padding that keeps framed places clear of whatever covers the map: the panel on the left
     (desktop) or the bottom sheet (phone, where the map usually ends above it already). */
  sm.padding = function () {
    var m = map.getContainer().getBoundingClientRect();
    var s = sm.scale || 1, edge = Math.round(24 * s);
    var left = edge, bottom = edge;
    if (panel) {
      var p = panel.getBoundingClientRect();
      if (sm.narrow()) { bottom = Math.max(edge, Math.round(m.bottom - p.top) + edge); }
      else { left = Math.max(edge, Math.round(p.right - m.left) + edge); }
    }
    bottom = Math.min(bottom, Math.round(m.height / 2));
    return { paddingTopLeft: [left, Math.round(48 * s)], paddingBottomRight: [Math.round(72 * s), bottom] };
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
    var opts = sm.padding();
    opts.maxZoom = sm.cfg.max_zoom;
    if (animate && !sm.reduceMotion) {
      opts.duration = 0.8;
      map.flyToBounds(b, opts);
    } else {
      opts.animate = false;
      map.fitBounds(b, opts);
    }
  }

  sm.moveTo = function (ids, animate) {
    if (!ids.length) return;
    fly(boundsOf(ids), animate);
  };

  /* Frame chapter n again (after the sheet or the window changed size). */
  sm.frameChapter = function (n, animate) {
    var ids = sm.chapterPlaces(n);
    sm.moveTo(ids.length ? ids : sm.chapterPlaces(0), animate);
  };
}
