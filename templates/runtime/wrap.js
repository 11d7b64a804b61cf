/* wrap: the antimeridian. Leaflet draws a feature at its own longitudes only, so a view across
   ±180 (cfg.views bounds may run to 190 or -190) would miss the places on the other side. Each
   place is drawn on the copy of the world nearest the middle of the view: before a flight (the
   destination's middle) and after every move (a reader may drag across). sm.lonShift[id] is the
   shift in degrees (a multiple of 360) a place is drawn with now. */
function wrap(sm) {
  var refs = sm.refs, places = sm.places;
  sm.lonShift = {};
  function shifted(geometry, d) {
    function walk(c) { return typeof c[0] === "number" ? [c[0] + d].concat(c.slice(1)) : c.map(walk); }
    return { type: geometry.type, coordinates: walk(geometry.coordinates) };
  }
  /* Redraw every place on the copy of the world nearest longitude `lon`. */
  sm.wrapAround = function (lon) {
    var redrawn = false;
    Object.keys(refs.features).forEach(function (id) {
      var p = places[id], layer = refs.features[id];
      var d = 360 * Math.round((lon - p.lon) / 360);
      if (d === (sm.lonShift[id] || 0)) return;
      sm.lonShift[id] = d;
      if (p.geometry && layer.clearLayers) {
        layer.clearLayers();
        layer.addData({ type: "Feature", properties: {}, geometry: shifted(p.geometry, d) });
        sm.clipAreas();
        sm.paint(id);
        redrawn = true;
      } else if (layer.setLatLng) {
        layer.setLatLng([p.lat, p.lon + d]);
      }
    });
    if (redrawn) { sm.decorate(); sm.restack(sm.state.active); }
  };
  sm.map.on("moveend", function () { sm.wrapAround(sm.map.getCenter().lng); });
}
