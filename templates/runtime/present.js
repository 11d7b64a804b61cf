/* present: for a room. F toggles full screen (the Fullscreen API; a no-op where a frame may not
   use it); on a big screen (1600 px and wider, such as a 1920x1080 projector) markers, their
   outlines and every type size grow by sm.scale so the back row can read them. */
function present(sm) {
  var map = sm.map;
  sm.scale = window.innerWidth >= 1600 && window.innerHeight >= 900 ? 1.5 : 1;
  if (sm.scale !== 1) {
    sm.root.classList.add("sm-projector");
    Object.keys(sm.cfg.styles).forEach(function (id) {
      var s = sm.cfg.styles[id];
      if (s.radius) { s.radius = Math.round(s.radius * sm.scale); }
      if (s.weight) { s.weight = Math.round(s.weight * sm.scale * 10) / 10; }
      var layer = sm.refs.features[id];
      if (layer && layer.setRadius && s.radius) { layer.setRadius(s.radius); layer.setStyle({ weight: s.weight }); }
    });
  }
  sm.toggleFullscreen = function () {
    var doc = document, el = doc.documentElement;
    if (doc.fullscreenElement) {
      if (doc.exitFullscreen) { doc.exitFullscreen().catch(function () { /* refused */ }); }
    } else if (el.requestFullscreen && doc.fullscreenEnabled !== false) {
      el.requestFullscreen().catch(function () { /* refused: a frame without allowfullscreen */ });
    }
  };
}
