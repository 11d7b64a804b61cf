/* basemap: land and country borders under everything, drawn on a canvas in its own pane once the
   first view is set (see start.js); the sea is the map's background colour. Its reference labels
   (sm.base.labels) are laid out by labels.js with the story's own.
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
  };
}
