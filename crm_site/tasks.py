"""System tasks: a round trip through the broker, worker and result backend."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="crm_site.tasks.ping", soft_time_limit=10, time_limit=20)
def ping(payload: str = "pong") -> str:
    """Answer with what it was given; `healthz --deep` style checks and tests use it."""
    return payload
