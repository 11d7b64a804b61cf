/* layers: which layer groups are on the map. */
function layers(sm) {
  var map = sm.map, refs = sm.refs;
  sm.visibleLayers = function () {
    return sm.groupOrder.filter(function (id) { return map.hasLayer(refs.groups[id]); });
  };
  /* quiet: during set-up, before markers are decorated. */
  sm.setLayer = function (id, on, quiet) {
    var g = refs.groups[id];
    if (!g) return;
    if (on === map.hasLayer(g)) return;
    if (on) { map.addLayer(g); } else { map.removeLayer(g); }
    if (quiet) return;
    if (on) { sm.decorate(); } else { sm.rove(); }
    sm.emit("layers");
  };
  map.on("overlayadd overlayremove", function () {
    if (sm.booting) return;  /* the first view: hash.js does this once when every layer is on */
    sm.decorate(); sm.writeHash(); sm.emit("layers");
  });
}
