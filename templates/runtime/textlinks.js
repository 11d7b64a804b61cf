/* textlinks: from the text to the map. Mentions and places-list entries fly to their place and
   open it; hovering or focusing them emphasises the place. */
function textlinks(sm) {
  var map = sm.map, refs = sm.refs, panel = sm.panel;

  sm.goToPlace = function (id) {
    var layer = refs.features[id];
    if (!layer) return;
    var lid = sm.cfg.place_layer[id];
    if (refs.groups[lid] && !map.hasLayer(refs.groups[lid])) { sm.setLayer(lid, true); sm.writeHash(); }
    map.closePopup();
    var opened = false;
    function open() {
      if (opened) return;
      opened = true;
      map.off("moveend", open);
      layer.openPopup();
      if (sm.live) { sm.live.textContent = sm.places[id].name + " shown on the map."; }
    }
    map.on("moveend", open);
    sm.moveTo([id], true);
    if (!sm.root.hasAttribute("data-storymap-moving")) { open(); }  /* no animation ran */
  };

  /* Mentions are plain highlighted text without JavaScript; here they become buttons. */
  sm.later(function () {
    $$(".sm-mention").forEach(function (el) {
      el.setAttribute("role", "button");
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-describedby", "sm-mention-help");
    });
  });
  if (!panel) return;
  function placeOf(ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest(".sm-mention, .sm-place-link") : null;
    return el && panel.contains(el) ? el : null;
  }
  function focusedPlace() {
    var a = document.activeElement;
    var el = a && a.closest ? a.closest(".sm-mention, .sm-place-link") : null;
    return el && panel.contains(el) ? el.getAttribute("data-place") : null;
  }
  panel.addEventListener("click", function (ev) {
    var el = placeOf(ev);
    if (el) { sm.goToPlace(el.getAttribute("data-place")); }
  });
  panel.addEventListener("keydown", function (ev) {
    var el = placeOf(ev);
    if (!el || !el.classList.contains("sm-mention") || (ev.key !== "Enter" && ev.key !== " ")) return;
    ev.preventDefault();  /* a role=button span: Enter and Space activate it, Space does not scroll */
    sm.goToPlace(el.getAttribute("data-place"));
  });
  panel.addEventListener("mouseover", function (ev) {
    var el = placeOf(ev);
    if (el) { sm.emphasise(el.getAttribute("data-place")); }
  });
  panel.addEventListener("mouseout", function (ev) {
    var el = placeOf(ev);
    if (el && !(ev.relatedTarget && el.contains(ev.relatedTarget))) { sm.emphasise(focusedPlace()); }
  });
  panel.addEventListener("focusin", function (ev) {
    var el = placeOf(ev);
    sm.emphasise(el ? el.getAttribute("data-place") : null);
  });
  panel.addEventListener("focusout", function () { setTimeout(function () { sm.emphasise(focusedPlace()); }, 0); });
}
