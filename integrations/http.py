"""The one way this project talks HTTP to the outside: `OutgoingSession`.

Every request gets a timeout (the session's unless the call passes its own),
a User-Agent naming the integration, no redirect following unless asked, and
opt-in retries that only repeat what is safe to repeat: idempotent methods on
connection errors and on 429/502/503/504, honouring Retry-After. Modelled on
zulip's zerver/lib/outgoing_http.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
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

    # requests follows redirects by default (and Session.get asks for it
    # explicitly); a caller that wants them passes allow_redirects=True.
    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.request("GET", url, **kwargs)
