/* sheet: the story panel; on phones a bottom sheet that folds to its head. On phones the map
   ends where the sheet begins (the CSS reads --sm-sheet-h), so the legend, the zoom buttons and
   every popup stay above the sheet. */
function sheet(sm) {
  var panel = sm.panel, map = sm.map;
  sm.toggle = $(".sm-sheet-toggle");
  if (!panel) return;
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);
  var shown = 0;  /* the CSS reads 0px while --sm-sheet-h is unset */
  /* The map's bottom edge follows the sheet's top (camera.js refits the chapter on "sheet"). */
  function fit() {
    var h = sm.narrow() ? Math.round(panel.getBoundingClientRect().height) : 0;
    if (h === shown) return;
    shown = h;
    sm.root.style.setProperty("--sm-sheet-h", h + "px");
    map.invalidateSize({ animate: false, pan: false });
    sm.emit("mapsize");
  }
  sm.fitSheet = fit;
  sm.setCollapsed = function (collapsed) {
    panel.classList.toggle("sm-collapsed", collapsed);
    if (sm.toggle) { sm.toggle.setAttribute("aria-expanded", collapsed ? "false" : "true"); }
    fit();
    sm.emit("sheet", collapsed);
  };
  if (sm.toggle) {
    sm.toggle.addEventListener("click", function () { sm.setCollapsed(!panel.classList.contains("sm-collapsed")); });
  }
  /* A fixed height at start-up (before the first view is set), then whenever the layout changes. */
  fit();
  window.addEventListener("resize", fit);
}
