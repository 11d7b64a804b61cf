/* core: the shared context (`sm`) every module receives, built from the JSON blocks and the
   Leaflet objects. Story data comes only from JSON; nothing from the article is evaluated as code.
   sm.refs: {map, control, groups: {layerId: FeatureGroup}, features: {placeId: Layer}}
   sm.data: the story (storymap-data); sm.cfg: the runtime config (storymap-config, see
   docs/runtime-config.md); sm.base: the basemap (storymap-basemap); sm.state: what is shown now. */
function $(sel, root) { return (root || document).querySelector(sel); }
function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

function readJSON(id) {
  var el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

function core(refs) {
  var data = readJSON("storymap-data");
  var cfg = readJSON("storymap-config");
  var sm = {
    refs: refs,
    map: refs.map,
    data: data,
    cfg: cfg,
    base: readJSON("storymap-basemap"),
    places: {},
    state: { chapter: 0 },
    panel: $("#sm-panel"),
    live: $("#sm-live"),
    root: document.documentElement,
    inFrame: window.self !== window.top,
    reduceMotion: !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches),
    chapterCount: data.chapters.length
  };
  data.places.forEach(function (p) { sm.places[p.id] = p; });
  sm.groupOrder = cfg.layer_order.filter(function (id) { return refs.groups[id]; });
  /* Markers are tabbed through in order of first mention, not in drawing order. */
  sm.mentionOrder = (cfg.mention_order || Object.keys(refs.features)).filter(function (id) { return refs.features[id]; });
  /* The phone layout (bottom sheet) below this width; must match the CSS media query. */
  sm.narrow = function () { return window.innerWidth <= 600; };
  /* A tiny event bus between modules: "chapter" (n), "layers" (), "sheet" (collapsed), "mapsize" (). */
  /* html[data-storymap-moving] while the map moves (first handlers on the map: later modules'
     moveend handlers already see it cleared). */
  refs.map.on("movestart", function () { sm.root.setAttribute("data-storymap-moving", "true"); });
  refs.map.on("moveend", function () { sm.root.removeAttribute("data-storymap-moving"); });
  var handlers = {};
  sm.on = function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); };
  sm.emit = function (name, arg) { (handlers[name] || []).forEach(function (fn) { fn(arg); }); };
  /* Set-up that draws nothing in the first view waits until that view is painted (start.js). */
  sm.laterTasks = [];
  sm.later = function (fn) { if (sm.laterTasks) { sm.laterTasks.push(fn); } else { fn(); } };
  return sm;
}
