/* basemap: land and country borders under everything, drawn on one canvas in its own pane once the
   first view is set (see hash.js); the sea is the map's background colour. Its reference labels
   (sm.base.labels) are laid out by labels.js with the story's own.
   Data (sm.base, storymap/render/basemap.py): land / detail = {scale, polygons: [[ring, ...]]},
   borders / detail_borders = {scale, lines: [line]}, labels = [{text, lat, lon, kind, rank,
   minzoom}]. A ring or line is a string of integers (lon/lat * scale; the first point, then each
   step) in the encoded-polyline alphabet. Land polygons of every tier are disjoint: they are filled
   as one path, so tiers and tiles meet without seams.
   Drawn by a small layer of its own (Leaflet's public Layer API) rather than L.polygon: the
   rings are decoded once into flat arrays of projected coordinates (no LatLng object per point),
   each redraw skips rings outside the view and steps shorter than half a pixel, and the land is
   drawn on every copy of the world the view shows. Between redraws (zoom animations, flights)
   the canvas is scaled and moved like Leaflet's own renderers. */
function basemap(sm) {
  var map = sm.map;
  var PAD = 0.2;  /* the canvas reaches this share of the map's size beyond each edge */
  var LAND = "#f4f1ea", BORDER = "#a69d8c";
  var crs = map.options.crs;
  var D = Math.PI / 180, MAX_LAT = 85.0511287798;
  /* One ring or line: {p: which of `pools`, o: index of x0 there, n: points, box: [minX, minY, maxX,
     maxY]}; pools[p] holds [..., x0, y0, x1, y1, ...] in the world's projected square at zoom 0 scaled
     to 0..1 (x east, y south). Runs once per ring at start-up, mostly before the JIT has warmed up: the
     projection is inlined, and the rings share a few large arrays (one typed array per ring made
     start-up slower; the rings hold an index, not the array, so they stay small objects). */
  var pools = [], used = 0;
  function decode(text, scale) {
    var len = text.length;  /* a point takes at least two characters: len + 1 numbers always fit */
    var xy = pools[pools.length - 1];
    if (!xy || used + len + 1 > xy.length) { xy = new Float64Array(Math.max(len + 1, 65536)); pools.push(xy); used = 0; }
    var start = used, n = used;
    var x = 0, y = 0, odd = false, i = 0;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    var mercator = crs === L.CRS.EPSG3857, unit = crs.scale(0);
    var sx = 1 / (360 * scale), sy = D / scale, sk = 1 / (4 * Math.PI), cap = MAX_LAT * scale;
    while (i < len) {
      var result = 0, shift = 0, b;
      do { b = text.charCodeAt(i++) - 63; result |= (b & 0x1f) << shift; shift += 5; } while (b >= 0x20);
      var v = (result & 1) ? ~(result >> 1) : (result >> 1);
      if (odd) {
        y += v;
        var px, py;
        if (mercator) {
          var s = Math.sin((y > cap ? cap : y < -cap ? -cap : y) * sy);
          px = x * sx + 0.5;
          py = 0.5 - Math.log((1 + s) / (1 - s)) * sk;
        } else {
          var p = crs.latLngToPoint(L.latLng(y / scale, x / scale), 0);
          px = p.x / unit;
          py = p.y / unit;
        }
        xy[n++] = px;
        xy[n++] = py;
        if (px < minX) minX = px;
        if (px > maxX) maxX = px;
        if (py < minY) minY = py;
        if (py > maxY) maxY = py;
      } else { x += v; }
      odd = !odd;
    }
    used = n;
    return { p: pools.length - 1, o: start, n: (n - start) >> 1, box: [minX, minY, maxX, maxY] };
  }
  function rings(group, into) {
    if (!group) return into;
    group.polygons.forEach(function (parts) {
      parts.forEach(function (r) { into.push(decode(r, group.scale)); });
    });
    return into;
  }
  function lines(group, into) {
    if (!group) return into;
    group.lines.forEach(function (l) { into.push(decode(l, group.scale)); });
    return into;
  }

  /* Add the paths of `list` to ctx for the part of the world in the canvas rectangle `box`
     ([left, top, right, bottom]): the canvas pixel of a point is x * k - ox (x in 0..1 plus the
     world copy), y * k - oy. */
  function trace(ctx, list, k, ox, oy, box, areas) {
    var x0 = (ox + box[0]) / k, x1 = (ox + box[2]) / k, y0 = (oy + box[1]) / k, y1 = (oy + box[3]) / k;
    var tiny = 0.5 / k;  /* half a pixel, in world units */
    for (var copy = Math.floor(x0); copy <= Math.floor(x1); copy++) {
      for (var r = 0; r < list.length; r++) {
        var ring = list[r], rb = ring.box;
        if (rb[2] + copy < x0 || rb[0] + copy > x1 || rb[3] < y0 || rb[1] > y1) continue;
        if (areas && rb[2] - rb[0] < tiny && rb[3] - rb[1] < tiny) continue;
        var xy = pools[ring.p], o = ring.o, dx = copy * k - ox;
        var lx = xy[o] * k + dx, ly = xy[o + 1] * k - oy;
        ctx.moveTo(lx, ly);
        for (var i = o + 2, end = o + 2 * ring.n - 2; i < end; i += 2) {
          var px = xy[i] * k + dx, py = xy[i + 1] * k - oy;
          if (Math.abs(px - lx) + Math.abs(py - ly) < 0.5) continue;
          ctx.lineTo(px, py);
          lx = px; ly = py;
        }
        ctx.lineTo(xy[end] * k + dx, xy[end + 1] * k - oy);  /* fill() closes rings: closePath() is slow */
      }
    }
  }

  var BasemapLayer = L.Layer.extend({
    initialize: function (land, borders, options) { this.smLand = land; this.smBorders = borders; L.setOptions(this, options); },
    onAdd: function () {
      var c = this.smCanvas = L.DomUtil.create("canvas", "sm-basemap-canvas leaflet-zoom-animated");
      this.getPane().appendChild(c);
      /* The first view first, the padding around it once that view is painted. */
      this.smRedraw(true);
      var layer = this;
      sm.later(function () { if (layer.smCanvas.parentNode) { layer.smRedraw(); } });
    },
    onRemove: function () { L.DomUtil.remove(this.smCanvas); },
    getEvents: function () {
      var redraw = this.smRedraw;
      return {
        viewreset: redraw, moveend: redraw,
        zoom: function () { this.smTransform(map.getCenter(), map.getZoom()); },
        zoomanim: function (e) { this.smTransform(e.center, e.zoom); }
      };
    },
    /* Draw the view and the padding around it at the map's zoom (viewOnly: a canvas of just the
       view, half the pixels to fill and hand to the compositor for the first frame). */
    smRedraw: function (viewOnly) {
      var size = map.getSize(), c = this.smCanvas, ratio = window.devicePixelRatio || 1;
      var pad = this.smPad = viewOnly === true ? 0 : PAD;
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      var w = Math.round(size.x * (1 + 2 * pad)), h = Math.round(size.y * (1 + 2 * pad));
      this.smCenter = map.getCenter();
      this.smZoom = map.getZoom();
      L.DomUtil.setPosition(c, min);
      if (c.width !== Math.round(w * ratio) || c.height !== Math.round(h * ratio)) {
        c.width = Math.round(w * ratio);
        c.height = Math.round(h * ratio);
        c.style.width = w + "px";
        c.style.height = h + "px";
      }
      var ctx = c.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, c.width, c.height);
      var origin = map.getPixelOrigin();
      var k = crs.scale(this.smZoom) * ratio;
      var ox = (origin.x + min.x) * ratio, oy = (origin.y + min.y) * ratio;
      var box = [0, 0, c.width, c.height];
      if (this.smLand.length) {
        ctx.beginPath();
        trace(ctx, this.smLand, k, ox, oy, box, true);
        ctx.fillStyle = LAND;
        ctx.fill("evenodd");
      }
      if (this.smBorders.length) {
        ctx.beginPath();
        trace(ctx, this.smBorders, k, ox, oy, box, false);
        ctx.strokeStyle = BORDER;
        ctx.lineWidth = 0.9 * ratio;
        ctx.lineJoin = "round";
        ctx.lineCap = "round";
        ctx.stroke();
      }
    },
    /* The last drawing, scaled and moved to where the view at (center, zoom) puts it. */
    smTransform: function (center, zoom) {
      if (this.smZoom === undefined) return;
      var scale = map.getZoomScale(zoom, this.smZoom);
      var size = map.getSize();
      var pane = L.DomUtil.getPosition(map.getPane("mapPane"));
      var origin = map.project(center, zoom).subtract(size.divideBy(2)).add(pane).round();
      var topLeft = size.multiplyBy(0.5 + this.smPad).multiplyBy(-scale).add(map.project(this.smCenter, zoom)).subtract(origin);
      if (L.Browser.any3d) { L.DomUtil.setTransform(this.smCanvas, topLeft, scale); } else { L.DomUtil.setPosition(this.smCanvas, topLeft); }
    }
  });

  sm.drawBasemap = function () {
    var base = sm.base || {};
    var pane = map.createPane("sm-basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var land = rings(base.detail, rings(base.land, []));
    var borders = lines(base.detail_borders, lines(base.borders, []));
    if (!land.length && !borders.length) return;
    if (land.length && map.attributionControl) { map.attributionControl.addAttribution("Basemap: Natural Earth"); }
    new BasemapLayer(land, borders, { pane: "sm-basemap" }).addTo(map);
  };
}
