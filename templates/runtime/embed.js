/* embed: inside a frame, no scroll-wheel capture until the reader engages, and an auto-height host
   is told how tall the map wants to be: 600 px on wide frames; on narrow ones 320 px of map plus
   the open bottom sheet. It only grows. */
function embed(sm) {
  var map = sm.map, panel = sm.panel;
  var wanted = 0;
  function postHeight() {
    if (!sm.inFrame) return;
    var want = 600;
    if (sm.narrow() && panel && !panel.classList.contains("sm-collapsed")) {
      var body = $(".sm-panel-body"), head = $(".sm-panel-head"), nav = $(".sm-nav");
      want = 320 + (head ? head.offsetHeight : 0) + (body ? body.scrollHeight : 0) + (nav ? nav.offsetHeight : 0);
    }
    want = Math.min(1200, Math.max(400, Math.round(want)));
    if (want <= wanted) return;
    wanted = want;
    try { window.parent.postMessage({ type: "storymap:height", height: want }, "*"); } catch (e) { /* refused */ }
  }
  sm.on("chapter", postHeight);
  sm.on("sheet", postHeight);
  if (!sm.inFrame) return;
  document.body.classList.add("sm-framed");
  map.scrollWheelZoom.disable();
  map.once("click focus", function () { map.scrollWheelZoom.enable(); });
  window.addEventListener("resize", postHeight);
  if (panel && sm.narrow() && window.innerHeight < 420 && sm.setCollapsed) {
    sm.setCollapsed(true);  /* a tiny fixed frame: show the map, fold the story to its navigation */
  }
}
