"""The one way this project talks HTTP to the outside: `OutgoingSession`.

Every request gets a timeout (the session's unless the call passes its own),
a User-Agent naming the integration, no redirect following unless asked, and
opt-in retries that only repeat what is safe to repeat: idempotent methods on
connection errors and on 429/502/503/504, honouring Retry-After. Modelled on
zulip's zerver/lib/outgoing_http.py.

`page_fetch` reads a page from an address a user gave (a backlink's target page): only
public addresses are reached, each connection made to the address that was checked (no
second DNS answer can point it inward), redirects followed one checked hop at a time, the
body capped in bytes and the whole fetch in seconds (docs/adr/0013).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import ConnectionPool, HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NameResolutionError, NewConnectionError
from urllib3.response import BaseHTTPResponse
from urllib3.util import connection
from urllib3.util.retry import Retry

USER_AGENT = "agency-backoffice/1.0"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# A server asking us to wait longer than this gets its 429/503 handed back to
# the caller (whose Celery task can retry later) instead of a worker sleeping.
MAX_RETRY_AFTER_SECONDS = 10.0


class _BoundedRetry(Retry):
    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if response is not None:
            retry_after = self.get_retry_after(response)
            if retry_after is not None and retry_after > MAX_RETRY_AFTER_SECONDS:
                # With raise_on_status=False urllib3 hands the response back to the caller.
                raise MaxRetryError(_pool, url or "", reason=None)  # type: ignore[arg-type]
        return super().increment(method, url, response, error, _pool, _stacktrace)


class _TimeoutAdapter(HTTPAdapter):
    def __init__(self, *, timeout: float, **kwargs: Any) -> None:
        self.timeout = timeout
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class OutgoingSession(requests.Session):
    """A requests.Session for one integration (`role`, e.g. "zoho-mail")."""

    def __init__(
        self,
        *,
        role: str,
        timeout: float,
        max_retries: int = 0,
        retry_methods: Iterable[str] = IDEMPOTENT_METHODS,
        backoff_factor: float = 0.5,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        retry = _BoundedRetry(
            total=max_retries,
            connect=max_retries,
            # With no retries, a read timeout surfaces as requests.Timeout, not ConnectionError.
            read=max_retries or False,
            status=max_retries,
            allowed_methods=frozenset(m.upper() for m in retry_methods),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=30,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )
        adapter = _TimeoutAdapter(timeout=timeout, max_retries=retry)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self.headers["User-Agent"] = f"{USER_AGENT} ({role})"
        self.headers.update(headers or {})
        self._environment: dict[tuple[Any, ...], Any] = {}

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        """requests reads the proxy and CA-bundle variables from os.environ on every request (a
        quarter of a millisecond with a few dozen variables: a third of a fake Zoho send); they do
        not change while the process runs, so the answer is kept per scheme, host and arguments."""
        if proxies or isinstance(url, bytes) or url is None:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        key = (*urlsplit(url)[:2], stream, verify, cert if not isinstance(cert, list) else tuple(cert))
        known = self._environment.get(key)
        if known is None:
            known = self._environment[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return {**known, "proxies": dict(known["proxies"])}

    # requests follows redirects by default (and Session.get asks for it
    # explicitly); a caller that wants them passes allow_redirects=True.
    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.request("GET", url, **kwargs)


# --- public pages -------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class PageFetchError(Exception):
    """The page could not be read: `retryable` when a later try may succeed (timeouts, 5xx);
    `status` is the HTTP status when the server answered with an error."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class BlockedAddress(PageFetchError):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str
    body: bytes
    truncated: bool  # the page was longer than the cap: only its start is here


def public_address(host: str, port: int, allowed: tuple[Network, ...] = ()) -> str:
    """The first address `host` resolves to, if every one is public (or in `allowed`); else
    BlockedAddress. Loopback, private, link-local (cloud metadata), shared and reserved
    ranges are refused."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not address.is_global and not any(address in network for network in allowed):
            raise BlockedAddress(f"{host} resolves to {address}, which is not a public address")
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    return str(addresses[0])


class _PublicOnly:
    """urllib3 connection mix-in: resolve, check, then connect to the checked address. The
    connection keeps its host name for the Host header, SNI and the certificate check."""

    allowed_networks: tuple[Network, ...] = ()
    _dns_host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        try:
            address = public_address(self._dns_host, self.port, self.allowed_networks)
            return connection.create_connection(
                (address, self.port), self.timeout, source_address=self.source_address,
                socket_options=self.socket_options,
            )  # fmt: skip
        except socket.gaierror as exc:
            raise NameResolutionError(self._dns_host, self, exc) from exc  # type: ignore[arg-type]
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connecting to {self._dns_host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc  # type: ignore[arg-type]


class _PublicOnlyAdapter(HTTPAdapter):
    def __init__(self, *, allowed_networks: tuple[Network, ...], **kwargs: Any) -> None:
        self.allowed_networks = allowed_networks
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        attrs = {"allowed_networks": self.allowed_networks}
        http = type("PublicHTTPConnection", (_PublicOnly, HTTPConnection), attrs)
        https = type("PublicHTTPSConnection", (_PublicOnly, HTTPSConnection), attrs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("PublicHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("PublicHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }


def page_fetch(
    url: str,
    *,
    role: str,
    timeout: float,
    max_bytes: int,
    allowed_networks: Iterable[str] = (),
    max_redirects: int = 5,
) -> Page:
    """GET a page at a public address: at most `max_bytes` of its body, within `timeout` seconds
    in all; raises PageFetchError (BlockedAddress for an address that is not public)."""
    networks = tuple(ipaddress.ip_network(network, strict=False) for network in allowed_networks)
    deadline = time.monotonic() + timeout
    session = OutgoingSession(role=role, timeout=timeout)
    session.trust_env = False  # no proxy from the environment: the checked address is the one reached
    adapter = _PublicOnlyAdapter(allowed_networks=networks)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", "Accept-Encoding": "identity"}
    with session:
        for _ in range(max_redirects + 1):
            _check_url(url)
            response = _get(session, url, headers, deadline)
            with response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                if response.status_code >= 400:
                    status = response.status_code
                    raise PageFetchError(f"the page answered {status}", retryable=status >= 500, status=status)
                body, truncated = _read_capped(response, max_bytes, deadline)
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return Page(url, response.status_code, content_type, response.encoding or "", body, truncated)
        raise PageFetchError(f"more than {max_redirects} redirects", retryable=False)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PageFetchError(f"not an http(s) address: {url[:200]}", retryable=False)


def _get(session: requests.Session, url: str, headers: dict[str, str], deadline: float) -> requests.Response:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise PageFetchError("the page took too long", retryable=True)
    try:
        return session.get(url, headers=headers, stream=True, timeout=remaining)
    except requests.Timeout as exc:  # BlockedAddress, raised as the connection is made, passes through
        raise PageFetchError("the page did not answer in time", retryable=True) from exc
    except requests.RequestException as exc:
        raise PageFetchError(f"the page could not be reached: {type(exc).__name__}", retryable=True) from exc


def _read_capped(response: requests.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
    """At most `max_bytes` of the body; each read returns after one receive, so the deadline
    is checked however slowly the server drips."""
    chunks: list[bytes] = []
    size = 0
    while size < max_bytes:
        if time.monotonic() > deadline:
            raise PageFetchError("the page took too long to send", retryable=True)
        try:
            chunk = response.raw.read1(min(65536, max_bytes - size), decode_content=True)
        except Exception as exc:  # urllib3's read errors (timeouts, protocol errors)
            raise PageFetchError(f"the page stopped sending: {type(exc).__name__}", retryable=True) from exc
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:max_bytes], True


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # at most the cap asked for
    seconds: float


class CheckedPoster:
    """`post_checked` for many posts in a row (a dispatcher's batch): one session, so a receiver's
    connection is reused, its address checked when the connection was made."""

    def __init__(self, *, role: str, timeout: float, max_bytes: int = 2048, allow_private: bool = False) -> None:
        self.timeout, self.max_bytes = timeout, max_bytes
        self.session = OutgoingSession(role=role, timeout=timeout)
        self.session.trust_env = False
        if not allow_private:
            adapter = _PublicOnlyAdapter(allowed_networks=())
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)

    def __enter__(self) -> CheckedPoster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def post(self, url: str, *, body: bytes, headers: Mapping[str, str]) -> Answer:
        """No redirects, a timeout for the whole call, at most `max_bytes` of the answer read.
        Raises PageFetchError (BlockedAddress for a refused address)."""
        _check_url(url)
        started = time.monotonic()
        deadline = started + self.timeout
        try:
            response = self.session.post(url, data=body, headers=dict(headers), stream=True, allow_redirects=False)
        except requests.Timeout as exc:  # BlockedAddress, raised as the connection is made, passes through
            raise PageFetchError("no answer in time", retryable=True) from exc
        except requests.RequestException as exc:
            raise PageFetchError(f"could not be reached: {type(exc).__name__}", retryable=True) from exc
        with response:
            answer, _ = _read_capped(response, self.max_bytes, deadline)
            return Answer(response.status_code, answer, time.monotonic() - started)


def post_checked(
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    role: str,
    timeout: float,
    max_bytes: int = 2048,
    allow_private: bool = False,
) -> Answer:
    """POST to an address a user gave (an outgoing webhook): no redirects, a timeout for the whole
    call, at most `max_bytes` of the answer read, and only public addresses unless `allow_private`
    (a setting; tests allow loopback). Raises PageFetchError (BlockedAddress for a refused address)."""
    with CheckedPoster(role=role, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private) as poster:
        return poster.post(url, body=body, headers=headers)
