"""A website on 127.0.0.1 for the backlink check: pages, redirects and errors at given paths.

Reaching it takes PUBLIC_FETCH_ALLOWED_NETWORKS=127.0.0.1/32, as a loopback address is not
public: without it the check refuses the address before connecting.
"""

from __future__ import annotations

from tests.fakes.server import FakeServer, Request, Response

LOOPBACK = "127.0.0.1/32"


class FakeSite(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, Response] = {}
        self.route("GET", r"/.*", self._serve)

    def page(self, path: str, html: str, *, status: int = 200, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve `html` at `path`; return its full URL."""
        self.pages[path] = Response(status, html.encode(), {"Content-Type": content_type})
        return self.url + path

    def redirect(self, path: str, location: str, status: int = 301) -> str:
        self.pages[path] = Response(status, b"", {"Location": location})
        return self.url + path

    def _serve(self, request: Request) -> Response:
        return self.pages.get(request.path) or Response(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})


def article(*links: str, filler: str = "") -> str:
    """An article page carrying `links` (HTML of <a> elements) among its paragraphs."""
    return (
        "<!doctype html><html><head><title>Ten tools for cafes</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        f"<article><h1>Ten tools for cafes</h1><p>Running a cafe is busy work. {filler}</p>"
        f"<p>Our favourites: {' '.join(links)}</p></article></body></html>"
    )
