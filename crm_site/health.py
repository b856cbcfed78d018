"""`GET /healthz`: is the database reachable, is the broker reachable.

Served by a middleware placed first so that container probes and load
balancers get an answer whatever Host header or scheme they use (host
validation and the HTTPS redirect come later in the chain). 200 when both
checks pass, 503 otherwise; the JSON says which one failed and why.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from crm_site.celery import app as celery_app

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})
BROKER_TIMEOUT_SECONDS = 2


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_broker() -> dict[str, Any]:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return {"transport": conn.transport.driver_type}


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        # The full message (hosts, ports) goes to the log only: /healthz is public.
        logger.warning("health check %s failed: %s", check.__name__, exc)
        detail = {"ok": False, "error": type(exc).__name__}
    else:
        detail = {"ok": True, **detail}
    detail["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return detail


def check_mail() -> dict[str, Any]:
    """Which active brands cannot send (no credentials, no outbox chosen): named, not failing the
    probe, since the web process itself is fine. The reasons are in the admin."""
    from crm.models import Brand
    from crm.services.email_service import brands_not_sending

    not_sending = [brand.slug for brand, _ in brands_not_sending(Brand.objects.filter(is_active=True))]
    return {"brands_not_sending": not_sending}


def health_status() -> tuple[bool, dict[str, Any]]:
    checks = {"database": _run(check_database), "broker": _run(check_broker)}
    healthy = all(check["ok"] for check in checks.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if checks["database"]["ok"]:
        mail = _run(check_mail)
        body["mail"] = mail
        if healthy and mail.get("brands_not_sending"):
            body["status"] = "degraded"
    return healthy, body


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"error": "method not allowed"}, status=405)
        healthy, body = health_status()
        response = JsonResponse(body, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response
