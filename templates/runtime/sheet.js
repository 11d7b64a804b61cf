/* sheet: the story panel; on phones a bottom sheet that folds to its head. */
function sheet(sm) {
  var panel = sm.panel;
  sm.toggle = $(".sm-sheet-toggle");
  if (!panel) return;
  var nav = $(".sm-nav");
  if (nav) { panel.appendChild(nav); }
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);
  sm.setCollapsed = function (collapsed) {
    panel.classList.toggle("sm-collapsed", collapsed);
    if (sm.toggle) { sm.toggle.setAttribute("aria-expanded", collapsed ? "false" : "true"); }
    sm.emit("sheet", collapsed);
  };
  if (sm.toggle) {
    sm.toggle.addEventListener("click", function () { sm.setCollapsed(!panel.classList.contains("sm-collapsed")); });
  }
}
