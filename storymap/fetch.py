"""The network edge of storymap: fetch one web page over HTTP(S), with a timeout and a size cap.

Every failure (nothing answers, no network, an HTTP error, a page too big, not a web page)
is an ``InputError`` naming the URL, shown as one line.  Only ``http://`` and ``https://`` URLs
are fetched; redirects are followed (urllib's limit) but never to another scheme.
"""

from __future__ import annotations

from dataclasses import dataclass

from storymap.errors import InputError

#: Seconds to wait for the server to answer (and between two reads of the body).
TIMEOUT = 20.0
#: Refuse pages bigger than this: a news page is well under it, with its inline scripts.
MAX_PAGE_BYTES = 16 * 1024 * 1024
USER_AGENT = "storymap/0.1 (+https://pypi.org/project/storymap/; reads one article to map it)"
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5"
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True)
class Fetched:
    """A fetched page: its bytes, the charset its HTTP header gives (``""`` if none), the final URL
    after redirects and the format (``"html"`` or ``"txt"``) its content type says."""

    data: bytes
    charset: str
    url: str
    fmt: str


def is_url(source: object) -> bool:
    """True for a string that starts like a URL (``scheme://``), whatever the scheme."""
    text = str(source)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.isalpha() and len(scheme) <= 10 and "\n" not in text


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
    """GET ``url`` and return the page; raises ``InputError`` naming the URL on any failure."""
    import urllib.error
    import urllib.request  # imported here: only a build from a URL pays for it (and for ssl)

    class HttpOnly(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
            if not newurl.lower().startswith(("http://", "https://")):
                raise InputError(url, f"redirected to a non-HTTP address {newurl!r}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    if not url.lower().startswith(("http://", "https://")):
        scheme = url.partition("://")[0]
        raise InputError(url, f"unsupported URL scheme {scheme!r}: expected an http:// or https:// address")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    opener = urllib.request.build_opener(HttpOnly)
    try:
        with opener.open(request, timeout=timeout) as response:
            headers = response.headers
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputError(url, f"page is too large: {int(length)} bytes, the limit is {max_bytes}")
            data = response.read(max_bytes + 1)
            final = response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as e:
        raise InputError(url, f"the server answered HTTP {e.code} {e.reason}".rstrip()) from None
    except urllib.error.URLError as e:
        raise InputError(url, f"cannot fetch: {_reason(e.reason)}") from None
    except TimeoutError:
        raise InputError(url, f"cannot fetch: no answer within {timeout:g} seconds") from None
    except (OSError, ValueError) as e:  # a reset connection, a malformed URL or header
        raise InputError(url, f"cannot fetch: {_reason(e)}") from None
    if len(data) > max_bytes:
        raise InputError(url, f"page is too large: more than {max_bytes} bytes, the limit is {max_bytes}")
    ctype = headers.get_content_type()
    if headers.get("Content-Type") and ctype not in _TEXT_TYPES:
        raise InputError(url, f"not a web page: the server sent {ctype}, expected text/html")
    fmt = "txt" if ctype == "text/plain" else "html"
    return Fetched(data=data, charset=headers.get_content_charset() or "", url=final, fmt=fmt)


def _reason(reason: object) -> str:
    import socket  # imported here, as ssl: only a failed fetch pays for them
    import ssl

    if isinstance(reason, socket.gaierror):
        return "cannot resolve the host name (offline, or no such host?)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (nothing answers at that address)"
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return " ".join(str(reason).split()) or type(reason).__name__
