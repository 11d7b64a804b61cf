/* controls: layer list, zoom buttons, legend and the "no places" note on the map. */
function controls(sm) {
  var map = sm.map;
  /* On small screens the layer list folds into a button (public API: options, then re-add). */
  var control = sm.refs.control;
  if (control && sm.narrow() && !control.options.collapsed) {
    map.removeControl(control);
    L.setOptions(control, { collapsed: true });
    control.addTo(map);
  }
  L.control.zoom({ position: "topright" }).addTo(map);
  var legend = $("#sm-legend");
  if (legend) {
    var LegendControl = L.Control.extend({ onAdd: function () { return legend; } });
    new LegendControl({ position: "bottomright" }).addTo(map);
    if (sm.narrow()) { legend.open = false; }  /* on a phone it opens on a tap instead of covering the map */
    L.DomEvent.disableClickPropagation(legend);
  }
  if (!sm.data.places.length) {
    var EmptyControl = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "sm-empty-note");
        div.setAttribute("role", "status");
        div.textContent = "No places found in this story.";
        return div;
      }
    });
    new EmptyControl({ position: "topright" }).addTo(map);
  }
}
