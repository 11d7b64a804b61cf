/* basemap: land, country outlines and a graticule under everything, drawn on a canvas in its own
   pane once the first view is set (see start.js). Data: sm.base.land = {scale, polygons}, each ring
   delta-encoded [x0, y0, dx1, dy1, ...] in lon/lat * scale. */
function basemap(sm) {
  var map = sm.map;
  function decode(polygons, scale) {
    return polygons.map(function (polygon) {
      return polygon.map(function (ring) {
        var x = 0, y = 0, out = [];
        for (var i = 0; i < ring.length; i += 2) {
          x += ring[i]; y += ring[i + 1];
          out.push([y / scale, x / scale]);
        }
        return out;
      });
    });
  }
  sm.drawBasemap = function () {
    var base = sm.base;
    var pane = map.createPane("sm-basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "sm-basemap", padding: 0.2 });
    var land = base && base.land ? decode(base.land.polygons, base.land.scale) : [];
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
  };
}
