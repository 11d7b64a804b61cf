/* highlight: the chapter's own places stand out, the rest dim; a mention hovered or focused in
   the text emphasises its feature, and a feature opened or hovered marks its mentions in the text. */
function highlight(sm) {
  var map = sm.map, refs = sm.refs, places = sm.places, cfg = sm.cfg, state = sm.state;

  function spread(id) {
    var layer = refs.features[id];
    if (!places[id].geometry || !layer.getBounds) return 0;
    var b = layer.getBounds();
    return b.isValid() ? (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest()) : 0;
  }
  /* Big areas under small ones, points on top. */
  var stacking = Object.keys(refs.features).sort(function (a, b) { return spread(b) - spread(a); });

  function styleFor(id, mode) {
    var p = places[id];
    var s = cfg.styles[id];
    var out = {};
    for (var k in s) { out[k] = s[k]; }
    if (mode === "focus") {
      out.weight = (s.weight || 1) + 3;
      out.opacity = 1;
      if (p.geometry) { out.fillOpacity = Math.min(1, (s.fillOpacity || 0.2) + 0.25); } else {
        out.radius = s.radius + 7;
        out.color = "#1d2329";
      }
    } else if (mode === "active") {
      out.weight = (s.weight || 1) + (p.geometry ? 1 : 2);
      if (!p.geometry) { out.radius = s.radius + 3; }
      out.fillOpacity = Math.min(1, (s.fillOpacity || 0.2) + (p.geometry ? 0.08 : 0.05));
    } else if (mode === "dim") {
      out.opacity = 0.35;
      out.fillOpacity = (s.fillOpacity || 0.2) * 0.35;
    }
    return out;
  }
  function modeOf(id) {
    if (id === state.emphasis) return "focus";
    if (!state.active) return "normal";
    return state.active[id] ? "active" : "dim";
  }
  sm.paint = paint;
  function paint(id) {
    var mode = modeOf(id);
    sm.eachPath(refs.features[id], function (l) {
      if (l.setStyle) { l.setStyle(styleFor(id, mode)); }
      var el = l.getElement && l.getElement();
      if (el) { el.classList.toggle("sm-emph", mode === "focus"); }
    });
  }
  /* The chapter's own features above the rest. */
  function restack(active) {
    var focused = document.activeElement;  /* re-appending an SVG path drops its focus: give it back */
    [false, true].forEach(function (activePass) {
      stacking.forEach(function (id) {
        if (active && !!active[id] !== activePass) return;
        if (!active && activePass) return;
        if (refs.features[id].bringToFront && map.hasLayer(refs.features[id])) { refs.features[id].bringToFront(); }
      });
    });
    if (focused && focused !== document.activeElement && focused.isConnected) { focused.focus({ preventScroll: true }); }
  }
  sm.restack = restack;
  /* ids: the places to highlight, or null for none (every place normal). */
  sm.highlight = function (ids) {
    var set = null;
    if (ids !== null) {
      set = {};
      ids.forEach(function (id) { set[id] = true; });
    }
    state.active = set;
    stacking.forEach(paint);
    restack(set);
  };
  /* Emphasise one feature while its mention (or places-list entry) is hovered or focused. */
  sm.emphasise = function (id) {
    if (id && !refs.features[id]) { id = null; }
    var prev = state.emphasis;
    if (prev === id) return;
    state.emphasis = id;
    if (prev) { paint(prev); }
    if (id) {
      paint(id);
      if (refs.features[id].bringToFront && map.hasLayer(refs.features[id])) { refs.features[id].bringToFront(); }
    } else {
      restack(state.active);
    }
  };
  /* And back: the mentions of the place whose popup is open, or whose marker is hovered or focused. */
  var markedMentions = [];
  sm.markMentions = function () {
    markedMentions.forEach(function (el) { el.classList.remove("sm-mention-on"); });
    markedMentions = [];
    [state.popup, state.hover].forEach(function (id) {
      if (!id) return;  /* ids are [a-z0-9_-]: safe in a selector */
      $$('.sm-mention[data-place="' + id + '"]').forEach(function (el) {
        el.classList.add("sm-mention-on");
        markedMentions.push(el);
      });
    });
  };
  sm.revealMention = function (id) {
    var body = $(".sm-panel-body");
    var panel = sm.panel;
    if (!body || !panel || panel.classList.contains("sm-collapsed")) return;
    var el = $('.sm-chapter:not([hidden]) .sm-mention[data-place="' + id + '"]');
    if (!el) return;
    var b = body.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) { body.scrollTop += r.top - b.top - b.height / 3; }
  };
}
