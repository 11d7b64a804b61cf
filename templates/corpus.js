/* corpus map runtime: one circle per place, its area proportional to the number of articles that
   name it among those the filters keep (date range, source, layer); popups list the articles. */
var StorymapCorpus = (function () {
  "use strict";
  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
  function el(tag, text) { var e = document.createElement(tag); if (text) { e.textContent = text; } return e; }
  function init(map) {
    var data = readJSON("storymap-corpus"), land = readJSON("storymap-basemap");
    var renderer = L.canvas({ padding: 0.3 });
    if (land.polygons && land.polygons.length) {
      var polys = land.polygons.map(function (polygon) {
        return polygon.map(function (ring) {
          var x = 0, y = 0, out = [];
          for (var i = 0; i < ring.length; i += 2) { x += ring[i]; y += ring[i + 1]; out.push([y / land.scale, x / land.scale]); }
          return out;
        });
      });
      L.polygon(polys, { interactive: false, renderer: renderer, color: "#b9b2a3", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }).addTo(map);
      map.attributionControl.addAttribution("Basemap: Natural Earth");
    }
    var palette = data.colors;
    map.zoomControl.setPosition("topright");  // the filter panel holds the top left corner
    var details = document.getElementById("sm-corpus-details");
    if (window.matchMedia("(max-width: 600px)").matches) { details.open = false; }  // a phone: the map first
    var from = document.getElementById("sm-from"), to = document.getElementById("sm-to");
    var source = document.getElementById("sm-source"), layer = document.getElementById("sm-layer");
    var count = document.getElementById("sm-corpus-count");
    var arts = data.articles;
    var circles = data.places.map(function (p) {
      var c = L.circleMarker([p.lat, p.lon], {
        renderer: renderer, color: "#ffffff", weight: 1, fillColor: palette[p.layer % palette.length], fillOpacity: 0.8
      });
      c.bindPopup(function () { return popup(p); }, { maxWidth: 340 });
      c.bindTooltip(p.name);
      return c;
    });
    function keep(i) {
      var a = arts[i];
      if (from.value && (!a[1] || a[1] < from.value)) return false;
      if (to.value && (!a[1] || a[1].slice(0, 10) > to.value)) return false;
      if (source.value && a[2] !== source.value) return false;
      return true;
    }
    function popup(p) {
      var box = el("div"), list = el("ul");
      box.appendChild(el("h3", p.name));
      var kept = p.articles.filter(keep);
      box.appendChild(el("p", kept.length + (kept.length === 1 ? " article" : " articles")));
      var quotes = {};
      p.quotes.forEach(function (q) { quotes[q[0]] = q[1]; });
      kept.slice(0, 12).forEach(function (i) {
        var li = el("li"), a = el("a", arts[i][0]);
        a.href = arts[i][3];
        li.appendChild(a);
        if (arts[i][1]) { li.appendChild(el("span", " (" + arts[i][1] + ")")); }
        if (quotes[i]) { li.appendChild(el("q", quotes[i])); }
        list.appendChild(li);
      });
      box.appendChild(list);
      if (kept.length > 12) { box.appendChild(el("p", "and " + (kept.length - 12) + " more")); }
      return box;
    }
    function apply() {
      var shown = 0, max = 1, counts = data.places.map(function (p) {
        if (layer.value !== "" && String(p.layer) !== layer.value) return 0;
        var n = 0;
        for (var i = 0; i < p.articles.length; i++) { if (keep(p.articles[i])) { n++; } }
        if (n > max) { max = n; }
        return n;
      });
      circles.forEach(function (c, i) {
        var n = counts[i];
        if (!n) { if (map.hasLayer(c)) { map.removeLayer(c); } return; }
        shown++;
        c.setRadius(3 + 17 * Math.sqrt(n / max));
        if (!map.hasLayer(c)) { c.addTo(map); }
      });
      pressLegend();
      count.textContent = shown + (shown === 1 ? " place shown." : " places shown.");
      document.documentElement.setAttribute("data-corpus-shown", String(shown));
    }
    var legend = Array.prototype.slice.call(document.querySelectorAll(".sm-corpus-legend button"));
    function pressLegend() {
      legend.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-layer") === layer.value)); });
    }
    legend.forEach(function (b) {
      b.addEventListener("click", function () {
        var v = b.getAttribute("data-layer");
        layer.value = layer.value === v ? "" : v;  // a second click shows every layer again
        apply();
      });
    });
    [from, to, source, layer].forEach(function (input) { input.addEventListener("change", apply); });
    apply();
    var pts = data.places.map(function (p) { return [p.lat, p.lon]; });
    if (pts.length) { map.fitBounds(pts, { padding: [30, 30], maxZoom: 6 }); } else { map.setView([20, 0], 2); }
    document.documentElement.setAttribute("data-storymap-ready", "true");
    window.storymapCorpus = { map: map, apply: apply };
  }
  return { init: init };
})();
