/* start: the first view, then the public API (window.storymap) and the marks the tests and
   bench/render.py wait for. Runs after every other module.
   Set-up that draws nothing in the first view (markers' keyboard access, the URL hash, the
   text's mention buttons: everything modules hand to sm.later) runs right after the first frame
   is painted; html[data-storymap-ready] (and the "storymap-ready" mark) come once it has run, so
   they still mean that everything is set up. The "storymap-painted" mark is that first frame:
   the basemap, the story's places and their labels, and the panel of the first view. */
function start(sm) {
  var map = sm.map, root = sm.root;
  sm.applyHash(false, true);
  var api = {
    map: map, showChapter: sm.showChapter, goToPlace: sm.goToPlace, state: sm.state,
    groups: sm.refs.groups, features: sm.refs.features, chapterPlacesOf: sm.chapterPlaces
  };
  window.storymap = api;
  var marks = !!(window.performance && performance.mark);
  function ready() {
    var tasks = sm.laterTasks;
    sm.laterTasks = null;  /* from now on sm.later runs its task at once */
    tasks.forEach(function (fn) { fn(); });
    root.setAttribute("data-storymap-ready", "true");
    if (marks) { performance.mark("storymap-ready"); }
  }
  if (document.visibilityState === "hidden" || !window.requestAnimationFrame) {
    ready();  /* nothing is painted in a hidden page: no reason to wait */
  } else {
    /* The task after the first frame: that frame was painted with the whole first view. */
    requestAnimationFrame(function () {
      setTimeout(function () {
        if (marks) { performance.mark("storymap-painted"); }
        ready();
      }, 0);
    });
  }
  return api;
}
