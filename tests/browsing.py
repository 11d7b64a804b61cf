"""Helpers for the browser tests: Debian's Chromium driven by Playwright, offline.

A ``Session`` records every request and aborts anything that is not a local file, so
"no external requests" is proven, not assumed; it also records dialogs and page errors.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL = ("file:", "data:", "about:", "blob:")


class Session:
    """A page plus everything it asked for and every dialog and error it raised."""

    def __init__(self, browser, width: int = 1280, height: int = 800) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
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
