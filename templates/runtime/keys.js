/* keys: presenter keys. Arrows/PageUp/PageDown step chapters, Home/End jump, Escape closes the
   popup, 1-9 toggle a layer, 0 shows every layer, F toggles full screen. Ignored while typing in a form field. */
function keys(sm) {
  var map = sm.map, state = sm.state;
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target;
    var typing = t && t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
    if (t && (t.isContentEditable || typing || /^(TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var k = ev.key, handled = true;
    if (k === "ArrowRight" || k === "PageDown") { sm.showChapter(state.chapter + 1); }
    else if (k === "ArrowLeft" || k === "PageUp") { sm.showChapter(state.chapter - 1); }
    else if (k === "Home") { sm.showChapter(0); }
    else if (k === "Escape") { map.closePopup(); }
    else if (k === "End") { sm.showChapter(sm.chapterCount); }
    else if (k === "f" || k === "F") { sm.toggleFullscreen(); }
    else if (/^[1-9]$/.test(k)) {
      var id = sm.groupOrder[Number(k) - 1];
      if (id) { sm.setLayer(id, !map.hasLayer(sm.refs.groups[id])); sm.writeHash(); } else { handled = false; }
    } else if (k === "0") { sm.groupOrder.forEach(function (id) { sm.setLayer(id, true); }); sm.writeHash(); }
    else { handled = false; }
    if (handled) { ev.preventDefault(); }
  });
}
