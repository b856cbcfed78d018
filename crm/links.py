"""Finding a link to one of our pages in a page's HTML: its `rel` and its anchor text.

Two addresses are the same page when they differ only in scheme, a leading "www.", a default
port, a trailing slash, the fragment, tracking parameters (utm_*, gclid, fbclid) or the order
of the other query parameters. Pure Python, no Django: the link check and its tests use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

BLOCK_TAGS = frozenset({"p", "div", "br", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"})
TRACKING_PARAMS = frozenset({"gclid", "fbclid", "mc_cid", "mc_eid", "ref"})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Link:
    href: str  # absolute
    rel: str  # space-separated, lower case ("" when absent)
    text: str  # the anchor text, whitespace collapsed (an image's alt text when it has no text)


def page_key(url: str) -> tuple[str, str, str]:
    """(host, path, query) of `url` as compared here; ("", "", "") for something that is not a URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "", "", ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMS
    )
    return host, path, urlencode(query)


def links_to(html: str, *, page_url: str, target: str) -> list[Link]:
    """The links in `html` (the page at `page_url`) that point at `target`, in page order."""
    wanted = page_key(target)
    if not wanted[0]:
        return []
    parser = _Anchors(page_url)
    parser.feed(html)
    parser.close()
    return [link for link in parser.links if page_key(link.href) == wanted]


class _Anchors(HTMLParser):
    """Every <a href> with its rel and text; text inside nested tags counts, an <img alt> too."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.links: list[Link] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []
        self._alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base_url = urljoin(self.base_url, values["href"])
        elif tag == "a":
            self._close()
            if values.get("href"):
                self._open = (
                    urljoin(self.base_url, values["href"].strip()),
                    " ".join(values.get("rel", "").lower().split()),
                )
        elif tag == "img" and self._open is not None and values.get("alt"):
            self._alt.append(values["alt"])
        elif tag in BLOCK_TAGS and self._open is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()
        elif tag in BLOCK_TAGS and self._open is not None:
            self._text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._close()

    def _close(self) -> None:
        if self._open is not None:
            text = " ".join("".join(self._text).split()) or " ".join(" ".join(self._alt).split())
            self.links.append(Link(self._open[0], self._open[1], text[:300]))
        self._open, self._text, self._alt = None, [], []
