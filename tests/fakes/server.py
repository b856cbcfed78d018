"""A small HTTP server on 127.0.0.1 for faking outside services in tests.

Each fake (OpenAI, Zoho, Chatwoot, ...) registers routes that answer in the
vendor's wire format, so the real clients run unchanged with only a base URL
pointing here. Every request is recorded for assertions, and a route can be
told to fail the next N times (status, delay, or a broken body).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes/str -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, bytes):
            return self.body, headers
        if isinstance(self.body, str):
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return self.body.encode(), headers
        if self.body is None:
            return b"", headers
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(self.body).encode(), headers


Handler = Callable[[Request], Response]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected in failure tests.
        pass


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


class FakeServer:
    """Start with `with FakeServer() as server:` or `.start()` / `.stop()`."""

    def __init__(self) -> None:
        self.routes: list[_Route] = []
        self.requests: list[Request] = []
        self._failures: list[tuple[str, str, Response]] = []
        self._lock = threading.Lock()
        # Hooks for fault tests: called as a request arrives, and after its answer is written.
        self.on_request: list[Callable[[Request], None]] = []
        self.on_answered: list[Callable[[Request, Response], None]] = []
        self._httpd: ThreadingHTTPServer | None = None

    # --- set-up ------------------------------------------------------------

    def route(self, method: str, path_regex: str, handler: Handler) -> None:
        self.routes.append(_Route(method.upper(), re.compile(f"^{path_regex}$"), handler))

    def fail_next(self, method: str, path_regex: str, response: Response, times: int = 1) -> None:
        """Answer the next `times` matching requests with `response` instead of the route."""
        with self._lock:
            self._failures.extend([(method.upper(), path_regex, response)] * times)

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- assertions --------------------------------------------------------

    def received(self, method: str, path_regex: str) -> list[Request]:
        pattern = re.compile(f"^{path_regex}$")
        with self._lock:
            return [r for r in self.requests if r.method == method.upper() and pattern.match(r.path)]

    # --- dispatch ----------------------------------------------------------

    def _take_failure(self, request: Request) -> Response | None:
        with self._lock:
            for index, (method, path_regex, response) in enumerate(self._failures):
                if method == request.method and re.match(f"^{path_regex}$", request.path):
                    del self._failures[index]
                    return response
        return None

    def dispatch(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
        failure = self._take_failure(request)
        if failure is not None:
            return failure
        for route in self.routes:
            match = route.pattern.match(request.path)
            if route.method == request.method and match:
                request.match = match.groupdict()
                return route.handler(request)
        return Response(404, {"error": f"no fake route for {request.method} {request.path}"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one segment: otherwise Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every keep-alive request.
            disable_nagle_algorithm = True
            wbufsize = 1 << 16

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                for hook in list(server.on_request):
                    hook(request)
                response = server.dispatch(request)
                if response.delay:
                    time.sleep(response.delay)
                body, headers = response.encoded()
                self.send_response(response.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                for answered in list(server.on_answered):
                    answered(request, response)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return _Handler
