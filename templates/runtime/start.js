/* start: the first view, then the public API (window.storymap) and the ready marks the tests
   and bench/render.py wait for. Runs after every other module. */
function start(sm) {
  var map = sm.map, root = sm.root;
  sm.applyHash(false, true);
  var api = {
    map: map, showChapter: sm.showChapter, goToPlace: sm.goToPlace, state: sm.state,
    groups: sm.refs.groups, features: sm.refs.features, chapterPlacesOf: sm.chapterPlaces
  };
  window.storymap = api;
  root.setAttribute("data-storymap-ready", "true");
  if (window.performance && performance.mark) {
    performance.mark("storymap-ready");
    /* The frame after set-up is the first one painted with the whole map (bench/render.py reads it). */
    requestAnimationFrame(function () { setTimeout(function () { performance.mark("storymap-painted"); }, 0); });
  }
  return api;
}
