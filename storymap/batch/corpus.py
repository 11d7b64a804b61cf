"""The corpus map: a folium map of every place in a batch, sized by how many articles name it.

One ``CorpusLayer`` element carries the aggregated data as JSON and a small runtime
(``templates/corpus.js``) that draws one circle per place on a canvas and filters them by date
range, source and layer; each circle's popup lists its articles with a quoting sentence.
It aggregates: a corpus of 10,000 articles draws one circle per place, not one per mention.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from storymap.render import assets
from storymap.render.elements import PageHead, StoryElement
from storymap.render.map import StoryFigure, StoryMap, number_ids

#: Layer colours, in the order of ``data["layers"]`` (the legend and the circles share them).
COLORS = ("#1f77b4", "#d62728", "#6a3d9a", "#2ca02c", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


class CorpusLayer(StoryElement):
    """The corpus data, the basemap, the filter panel and the corpus runtime."""

    template_name = "corpus.html.j2"
    element_name = "CorpusLayer"

    def __init__(self, data: dict[str, Any], land: dict[str, Any], runtime: str) -> None:
        super().__init__()
        self.data = {**data, "colors": list(COLORS)}
        self.land = land
        self.runtime = Markup(runtime)  # our own JS file, never article text


def corpus_page(data: dict[str, Any]) -> str:
    """The corpus map page for ``data`` (see ``site.corpus_data``) as one offline HTML string."""
    fmap = StoryMap(
        location=[20.0, 0.0],
        zoom_start=2,
        tiles=None,
        min_zoom=1,
        max_zoom=12,
        zoom_control=True,
        prefer_canvas=True,
        world_copy_jump=True,
    )
    figure = StoryFigure(body_class="sm-corpus")
    figure.add_child(fmap)
    n = len(data["articles"])
    fmap.add_child(
        PageHead(
            title=f"Places in {n} article{'s' if n != 1 else ''}",
            description="Every place the articles name, sized by the number of articles.",
            leaflet_js=assets.leaflet_js(),
            leaflet_css=assets.leaflet_css(),
            css=assets.static_text("batch.css"),
        )
    )
    fmap.add_child(CorpusLayer(data, assets.basemap(), assets.static_text("corpus.js")))
    number_ids(figure)
    return figure.render()
