"""Helpers for the browser tests: Debian's Chromium driven by Playwright, offline.

A ``Session`` records every request and aborts anything that is not a local file, so
"no external requests" is proven, not assumed; it also records dialogs and page errors.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL = ("file:", "data:", "about:", "blob:")
#: Chromium (156, "new" headless) builds an omnibox popup for every new window, in a renderer of its
#: own: 0.7-1.0 s of CPU from each new context on, alongside the test's page.
OMNIBOX_POPUP = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


def launch(pw, args: list[str] = ARGS):
    """Chromium with ``args``, without the omnibox popup of every new window (as bench/render.py).

    Chromium obeys only the last ``--disable-features`` switch, so the popup's features join the
    list Playwright passes (read from chrome://version of a first launch) instead of replacing it.
    """
    probe = pw.chromium.launch(executable_path=CHROMIUM, args=args)
    try:
        page = probe.new_page()
        page.goto("chrome://version")
        line = page.inner_text("#command_line").split()
    finally:
        probe.close()
    off = [f for a in line if a.startswith("--disable-features=") for f in a.split("=", 1)[1].split(",")]
    off += [f for f in OMNIBOX_POPUP if f not in off]
    return pw.chromium.launch(executable_path=CHROMIUM, args=[*args, "--disable-features=" + ",".join(off)])


class Session:
    """A page plus everything it asked for and every dialog and error it raised."""

    def __init__(self, browser, width: int = 1280, height: int = 800, **options) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, **options)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def external(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL)]

    def open(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_selector("html[data-storymap-ready]")
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_timeout(50)
        self.page.wait_for_function("!document.documentElement.hasAttribute('data-storymap-moving')")

    def center(self) -> tuple[float, float]:
        c = self.page.evaluate("(() => { const c = storymap.map.getCenter(); return [c.lat, c.lng]; })()")
        return c[0], c[1]

    def hash(self) -> str:
        return self.page.evaluate("location.hash")

    def popup_title(self) -> str:
        """The name in the open popup (waits for one; a popup fading out after closing does not count)."""
        handle = self.page.wait_for_function(
            """() => {
              const open = [...document.querySelectorAll('.leaflet-popup')]
                .filter(p => p.style.opacity !== '0').map(p => p.querySelector('h3'));
              return open.length === 1 && open[0] ? open[0].textContent : null;
            }"""
        )
        return handle.json_value()

    def offset_from_focus(self, lat: float, lon: float) -> float:
        """Pixels between a point and the middle of the map area beside the story panel."""
        return self.page.evaluate(
            """([lat, lon]) => {
              const p = storymap.map.latLngToContainerPoint([lat, lon]);
              const size = storymap.map.getSize();
              const panel = document.getElementById('sm-panel').getBoundingClientRect();
              const x = (panel.right + size.x) / 2, y = size.y / 2;
              return Math.hypot(p.x - x, p.y - y);
            }""",
            [lat, lon],
        )

    def focused_place(self) -> str | None:
        """The place id of the focused element (a marker, a mention), or None."""
        return self.page.evaluate("document.activeElement.getAttribute('data-place')")
