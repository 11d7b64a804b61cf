/* hash: the URL remembers the chapter and the visible layers (#chapter=N&layers=a,b), so a link
   or a reload opens the same view. */
function hash(sm) {
  sm.writeHash = function () {
    var h = "#chapter=" + sm.state.chapter + "&layers=" + sm.visibleLayers().join(",");
    if (location.hash !== h) {
      try { history.replaceState(null, "", h); } catch (e) { /* sandboxed frames may refuse */ }
    }
  };
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i <= 0) return;
      try { out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); } catch (e) { /* bad % */ }
    });
    return out;
  }
  /* initial: the first view. Set the view before the layers join the map, so nothing is drawn
     twice on load, and lay the labels out once at the end (sm.booting: handlers wait). The
     decoration and the hash wait for the first paint (start.js). */
  sm.applyHash = function (animate, initial) {
    var h = readHash();
    var want = null;
    if (typeof h.layers === "string") {
      want = {};
      h.layers.split(",").forEach(function (id) { want[id] = true; });
    }
    var n = parseInt(h.chapter, 10);
    if (initial) {
      sm.booting = true;
      n = isNaN(n) ? 0 : n;
      /* Labels measured in the layout the camera reads (labels.js): at most the zoom of the frame
         without padding. */
      var b = sm.chapterBounds(Math.max(0, Math.min(sm.chapterCount, n)));
      sm.measureFirstLabels(b ? Math.min(sm.cfg.max_zoom, sm.map.getBoundsZoom(b)) : sm.cfg.max_zoom);
      sm.showChapter(n, { animate: false, announce: false, quiet: true });
      sm.drawBasemap();
      sm.groupOrder.forEach(function (id) { sm.setLayer(id, want ? !!want[id] : true, true); });
      sm.restack(sm.state.active);
      sm.booting = false;
      sm.emit("layers");
      sm.later(function () { sm.decorate(); sm.writeHash(); });
      return;
    }
    if (want) { sm.groupOrder.forEach(function (id) { sm.setLayer(id, !!want[id]); }); }
    sm.showChapter(isNaN(n) ? 0 : n, { animate: animate, announce: false });
  };
  window.addEventListener("hashchange", function () { sm.applyHash(true); });
}
