"""Fetching pages over HTTP: a local server on 127.0.0.1, started by the tests."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from pages import NEWS_PAGE, PARAS, latin1_page

from storymap import pipeline
from storymap.cli import main
from storymap.errors import InputError
from storymap.fetch import fetch, is_url

BIG = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        routes = {
            "/news/valencia-floods.html": (200, "text/html; charset=utf-8", NEWS_PAGE.encode("utf-8")),
            "/latin1.html": (200, "text/html", latin1_page('<meta charset="iso-8859-1">')),
            "/big.html": (200, "text/html", b"<p>" + b"x" * (BIG + 10) + b"</p>"),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
        }
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/valencia-floods.html")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/html", b"<h1>Not Found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if self.path != "/big.html":  # no length: the cap must hold while reading
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_port():
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_page_is_fetched_with_its_charset_and_final_url(server):
    page = fetch(f"{server}/moved")
    assert page.url == f"{server}/news/valencia-floods.html"
    assert page.charset == "utf-8" and page.fmt == "html"
    assert page.data == NEWS_PAGE.encode("utf-8")


def test_an_http_error_is_one_clear_line(server):
    with pytest.raises(InputError, match=r"/missing\.html: the server answered HTTP 404 Not Found$"):
        fetch(f"{server}/missing.html")


def test_a_page_over_the_size_cap_is_refused(server):
    with pytest.raises(InputError, match=rf"/big\.html: page is too large: more than {BIG} bytes"):
        fetch(f"{server}/big.html", max_bytes=BIG)


def test_what_is_not_a_web_page_is_refused(server):
    with pytest.raises(InputError, match=r"not a web page: the server sent image/png, expected text/html"):
        fetch(f"{server}/image.png")


def test_a_refused_port_is_one_clear_line(refused_port):
    url = f"http://127.0.0.1:{refused_port}/page.html"
    with pytest.raises(
        InputError, match=r"cannot fetch: connection refused \(nothing answers at that address\)"
    ):
        fetch(url, timeout=5)


def test_only_http_and_https_are_fetched():
    assert is_url("https://example.org/a") and is_url("http://x") and is_url("ftp://x")
    assert not is_url("article.html") and not is_url("C:\\news\\a.html") and not is_url("-")
    with pytest.raises(InputError, match=r"file:///etc/passwd: unsupported URL scheme 'file'"):
        fetch("file:///etc/passwd")


def test_build_a_url_credits_the_page(server, tmp_path):
    result = pipeline.build(f"{server}/news/valencia-floods.html", tmp_path / "map.html")
    story = result.story
    assert {"Valencia", "Madrid"} <= {p.name for p in story.places}
    assert story.url == "https://news.example.org/2024/10/30/valencia-floods"  # canonical beats fetched
    assert story.source == f"{server}/news/valencia-floods.html"
    assert story.chapters[0].text[0] == PARAS[0]
    html = result.text
    assert '<p class="sm-credit">Source: <span class="sm-credit-site">The Coastal Herald</span>' in html
    assert 'href="https://news.example.org/2024/10/30/valencia-floods"' in html


def test_build_a_url_by_its_charset_header_or_declaration(server):
    story = pipeline.build(f"{server}/latin1.html", write=False).story
    assert story.title == "Protestas en Bogotá"
    assert story.url == f"{server}/latin1.html"  # no canonical URL: the address it was fetched from


def test_cli_build_extract_and_places_take_a_url(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"{server}/news/valencia-floods.html"
    runner = CliRunner()
    result = runner.invoke(main, ["build", url, "--title", "Valencia under water"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "output" / "valencia-floods.html"
    assert "Valencia under water" in out.read_text(encoding="utf-8")
    result = runner.invoke(main, ["extract", url, "-o", "story.yaml"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "story.yaml").read_text(encoding="utf-8")
    assert "site: The Coastal Herald\nbyline: Marta Ruiz\ndate: '2024-10-30'\n" in text
    result = runner.invoke(main, ["places", url])
    assert result.exit_code == 0 and "Valencia" in result.output and "Gaza" not in result.output


def test_cli_with_nothing_answering_fails_in_one_line_with_exit_2(refused_port, tmp_path):
    url = f"http://127.0.0.1:{refused_port}/page.html"
    for command in (["build", url, "-o", str(tmp_path / "m.html")], ["extract", url], ["places", url]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        lines = result.output.strip().splitlines()
        assert lines == [
            f"storymap: error: {url}: cannot fetch: connection refused (nothing answers at that address)"
        ]
        assert "Traceback" not in result.output
    assert not (tmp_path / "m.html").exists()
