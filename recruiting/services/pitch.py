"""The Ready to Pitch flow: Zoho record -> latest CV -> text -> skills -> matches, step by step.

Each step records what it did; a failure is written on the document or the candidate with its
reason and the later steps do what they still can (no CV: the matches are still scored from
the profile). A Zoho error that retrying can fix is raised, so the inbound event is retried
with back-off; the manual endpoint and command report it instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm_site import claims
from integrations.zoho.crm import ZohoCRM, crm_credentials
from integrations.zoho.errors import ZohoError
from recruiting.errors import CandidateNotFound, RecruitingError
from recruiting.models import READY_TO_PITCH, Candidate, Document, ProcessingStatus
from recruiting.selectors import candidate_matches
from recruiting.services.candidates import candidate_upsert
from recruiting.services.cvs import candidate_cv_refresh
from recruiting.services.matching import candidate_match
from recruiting.services.skills import candidate_skills_extract
from recruiting.signals import candidate_ready_to_pitch
from recruiting.zoho_fields import CONTACTS_MODULE, fields_from_record

logger = logging.getLogger(__name__)

MATCHES_TOLD = 10  # the best job matches a candidate.ready_to_pitch event carries
PROCESSING_LEASE = timedelta(minutes=10)  # a CV download, its parse (20 s) and a model call, with margin
Say = Callable[[str], None]


class CandidateBusy(RecruitingError):
    retryable = True

    def __init__(self, contact_id: str) -> None:
        super().__init__(f"candidate {contact_id} is being processed by another worker")


@dataclass
class Step:
    name: str
    ok: bool
    detail: str
    skipped: bool = False  # could not run here (Zoho CRM not configured, no CV): not a failure


@dataclass
class PitchReport:
    contact_id: str
    candidate_id: int | None = None
    steps: list[Step] = field(default_factory=list)
    say: Say | None = None

    def add(self, name: str, ok: bool, detail: str, *, skipped: bool = False) -> None:
        self.steps.append(Step(name, ok and not skipped, detail, skipped))
        if self.say:
            self.say(f"{'skip' if skipped else 'ok  ' if ok else 'FAIL'} {name}: {detail}")

    def skip(self, name: str, detail: str) -> None:
        self.add(name, False, detail, skipped=True)

    @property
    def problems(self) -> list[str]:
        return [f"{step.name}: {step.detail}" for step in self.steps if not step.ok and not step.skipped]

    def as_dict(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "candidate_id": self.candidate_id,
            "ok": not self.problems,
            "steps": [{"step": s.name, "ok": s.ok, "skipped": s.skipped, "detail": s.detail} for s in self.steps],
        }


def candidate_require(*, contact_id: str) -> Candidate:
    candidate = Candidate.objects.filter(zoho_contact_id=contact_id).first()
    if candidate is None:
        raise CandidateNotFound(contact_id)
    return candidate


def candidate_webhook_handle(*, fields: dict[str, Any]) -> PitchReport | None:
    """A contact webhook: keep the candidate up to date; at Ready to Pitch, run the flow."""
    contact_id = str(fields["contact_id"])
    candidate = candidate_upsert(contact_id=contact_id, fields=fields)
    if "role_success_stage" not in fields:  # the body left the stage out: Zoho's record says
        candidate = _fetch(contact_id, fields, _client(), PitchReport(contact_id), raise_retryable=True)
    if candidate.role_success_stage.strip().lower() != READY_TO_PITCH.lower():
        return None
    return candidate_ready_to_pitch_run(contact_id=contact_id, fields=fields, raise_retryable=True)


def candidate_ready_to_pitch_run(
    *, contact_id: str, fields: dict[str, Any] | None = None, raise_retryable: bool = False, say: Say | None = None
) -> PitchReport:
    """Run the whole flow now; raises CandidateNotFound when neither we nor Zoho know the contact."""
    report = PitchReport(contact_id, say=say)
    client = _client()
    candidate = _fetch(contact_id, dict(fields or {}), client, report, raise_retryable)
    report.candidate_id = candidate.pk
    claim = claims.claim_row(Candidate, candidate.pk, lease=PROCESSING_LEASE)
    if claim is None:
        raise CandidateBusy(contact_id)
    Candidate.objects.filter(pk=candidate.pk).update(processing_status=ProcessingStatus.PROCESSING)
    # A failure (a Zoho error to retry, a crash) puts the candidate back as not processed, with the
    # error; it is never marked done by a run that did not finish.
    with claims.working(claim, processing_status=ProcessingStatus.IDLE):
        document = _cv(candidate, client, report, raise_retryable)
        _skills(candidate, document, report)
        _matches(candidate, report)
    _release(claim, report)
    return report


def _client() -> ZohoCRM | None:
    credentials = crm_credentials()
    return ZohoCRM(credentials) if credentials else None


def _fetch(
    contact_id: str, fields: dict[str, Any], client: ZohoCRM | None, report: PitchReport, raise_retryable: bool
) -> Candidate:
    """Step 1: the full contact from Zoho CRM; the webhook's own fields win over the record's."""
    if client is None:
        report.skip("fetch contact", "Zoho CRM is not configured (ZOHO_CRM_*): using the fields we have")
        return _local(contact_id, fields)
    try:
        record = client.get_record(CONTACTS_MODULE, contact_id)
    except ZohoError as exc:
        if exc.retryable and raise_retryable:
            raise
        report.add("fetch contact", False, f"Zoho CRM failed: {exc}")
        return _local(contact_id, fields)
    if record is None:
        if not Candidate.objects.filter(zoho_contact_id=contact_id).exists():
            raise CandidateNotFound(contact_id)
        report.add("fetch contact", False, "Zoho CRM has no such contact any more: using what we have")
        return _local(contact_id, fields)
    candidate = candidate_upsert(contact_id=contact_id, fields={**fields_from_record(record), **fields}, record=record)
    report.add("fetch contact", True, f"{candidate.name or contact_id} ({candidate.role_success_stage or 'no stage'})")
    return candidate


def _local(contact_id: str, fields: dict[str, Any]) -> Candidate:
    if fields:
        return candidate_upsert(contact_id=contact_id, fields={**fields, "contact_id": contact_id})
    return candidate_require(contact_id=contact_id)


def _cv(candidate: Candidate, client: ZohoCRM | None, report: PitchReport, raise_retryable: bool) -> Document | None:
    """Steps 2 and 3: the latest CV downloaded (old ones removed) and its text extracted."""
    current = candidate.documents.order_by("-created_at").first()
    if client is None:
        report.skip("download CV", "Zoho CRM is not configured: keeping the current CV")
        return current
    try:
        document, detail = candidate_cv_refresh(candidate=candidate, client=client)
    except ZohoError as exc:
        if exc.retryable and raise_retryable:
            raise
        report.add("download CV", False, f"Zoho CRM failed: {exc}")
        return current
    report.add("download CV", document is not None and document.path != "", detail)
    if document is not None and document.path:
        ok = document.extraction_status == "extracted"
        detail = f"{len(document.text):,} characters, {document.pages} pages" if ok else document.extraction_error
        report.add("extract text", ok, detail)
    return document


def _skills(candidate: Candidate, document: Document | None, report: PitchReport) -> None:
    """Step 4: skills from the text (the model, or the offline extractor)."""
    if document is None:
        report.skip("extract skills", f"no CV: keeping the {candidate.skills.count()} skills on file")
        return
    outcome = candidate_skills_extract(candidate=candidate, document=document)
    if outcome.source:
        report.add(
            "extract skills",
            True,
            f"{outcome.count} skills ({outcome.source}){'; ' + outcome.note if outcome.note else ''}",
        )
    else:
        report.add("extract skills", False, outcome.note)


def _matches(candidate: Candidate, report: PitchReport) -> None:
    """Step 5: every open role scored; the best kept."""
    saved = candidate_match(candidate=candidate)
    report.add("match roles", True, f"{saved} matches saved")


def _release(claim: claims.Claim, report: PitchReport) -> None:
    problems = report.problems
    steps_ok = sum(step.ok or step.skipped for step in report.steps)
    status = (
        ProcessingStatus.DONE if not problems else ProcessingStatus.PARTIAL if steps_ok else ProcessingStatus.FAILED
    )
    error = "\n".join(problems)[:5000]
    with transaction.atomic():
        released = claim.release(processing_status=status, processing_error=error, processed_at=timezone.now())
        if released and status != ProcessingStatus.FAILED:
            candidate = Candidate.objects.get(pk=claim.pk)
            matches = candidate_matches(candidate, MATCHES_TOLD)
            candidate_ready_to_pitch.send(sender=Candidate, candidate=candidate, matches=matches)
