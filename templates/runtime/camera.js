/* camera: where the map looks. Fits a set of places, padded so the panel (desktop) or the
   bottom sheet (phone) never covers them; flights animate unless the reader prefers reduced motion. */
function camera(sm) {
  var map = sm.map, refs = sm.refs, panel = sm.panel;

  sm.padding = function () {
    if (!panel || sm.narrow()) {
      var sheet = panel && !panel.classList.contains("sm-collapsed") ? panel.offsetHeight : (panel ? 60 : 0);
      return { paddingTopLeft: [24, 24], paddingBottomRight: [24, Math.min(sheet, window.innerHeight / 2) + 24] };
    }
    return { paddingTopLeft: [panel.offsetWidth + 36, 48], paddingBottomRight: [72, 32] };
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
}
