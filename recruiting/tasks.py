"""Celery tasks of recruiting: thin, ids in, one service call each."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from recruiting.services.matching import candidates_rematch
from recruiting.services.pitch import CandidateBusy, candidate_ready_to_pitch_run
from recruiting.services.roles import roles_sync_from_zoho

logger = logging.getLogger(__name__)


@shared_task(name="recruiting.tasks.candidates_rematch_task")
def candidates_rematch_task(candidate_ids: list[int] | None = None) -> int:
    """Rescore candidates (all when none are given) against the open roles."""
    return candidates_rematch(candidate_ids=candidate_ids)


@shared_task(name="recruiting.tasks.sync_roles")
def sync_roles() -> str:
    """Hourly: open roles from ZOHO_CRM_ROLES_MODULE, when it is set; then everyone is rescored."""
    if not settings.ZOHO_CRM_ROLES_MODULE:
        return "ZOHO_CRM_ROLES_MODULE is not set"
    report = roles_sync_from_zoho()
    if report.created or report.updated:
        candidates_rematch_task.delay()
    return report.summary


@shared_task(
    name="recruiting.tasks.ready_to_pitch_run",
    soft_time_limit=240,
    time_limit=300,
    autoretry_for=(CandidateBusy,),  # another run holds the candidate: this one waits its turn
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=10,
)
def ready_to_pitch_run(contact_id: str) -> dict[str, object]:
    """The staff endpoint's manual run: the whole flow for one contact, each step reported."""
    return candidate_ready_to_pitch_run(contact_id=contact_id).as_dict()
