from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integrations.zoho.errors import ZohoError
from recruiting.errors import CandidateNotFound
from recruiting.models import Candidate
from recruiting.selectors import candidate_matches, candidate_skills
from recruiting.services.pitch import CandidateBusy, candidate_ready_to_pitch_run
from recruiting.zoho_fields import contact_id_problem


class Command(BaseCommand):
    help = (
        "Run the Ready to Pitch flow for one Zoho CRM contact now, in this process: fetch the contact, "
        "download the latest CV, extract text and skills, and score the open roles."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("contact_id", help="the Zoho CRM record id of the contact")
        parser.add_argument("--verbose", action="store_true", help="print each step, the skills and the top matches")
        parser.add_argument("--cleanup", action="store_true", help="afterwards, remove what this run created locally")

    def handle(self, *args: Any, **options: Any) -> None:
        contact_id, verbose = options["contact_id"], options["verbose"]
        problem = contact_id_problem(contact_id)
        if problem:
            raise CommandError(problem)
        existed = Candidate.objects.filter(zoho_contact_id=contact_id).exists()
        started = timezone.now()
        say = self.stdout.write if verbose else None
        try:
            report = candidate_ready_to_pitch_run(contact_id=contact_id, say=say)
        except (CandidateNotFound, ZohoError, CandidateBusy) as exc:
            raise CommandError(str(exc)) from exc
        candidate = Candidate.objects.get(zoho_contact_id=contact_id)
        if verbose:
            self._details(candidate)
        if options["cleanup"]:
            self._cleanup(candidate, existed, started)
        if report.problems:
            # A failed step is a failed run: scripts and CI see it in the exit status.
            raise CommandError(f"{candidate}: {len(report.problems)} step(s) failed: " + "; ".join(report.problems))
        self.stdout.write(self.style.SUCCESS(f"{candidate}: done"))

    def _details(self, candidate: Candidate) -> None:
        skills = candidate_skills(candidate)
        self.stdout.write(f"skills ({len(skills)}): " + ", ".join(s["name"] for s in skills))
        for match in candidate_matches(candidate, 5):
            self.stdout.write(f"  {match['score']:5.1f}  {match['title']} at {match['company']}")
            self.stdout.write(f"         {match['explanation'].get('summary', '')}")

    def _cleanup(self, candidate: Candidate, existed: bool, started: datetime) -> None:
        """Remove what this run created: a new candidate entirely; for one we already had, the CV
        documents (and files) this run downloaded. Its skills and matches are its current state,
        recomputed by the run, and stay."""
        created = candidate.documents.all() if not existed else candidate.documents.filter(created_at__gte=started)
        for document in created:
            if document.path:
                (Path(settings.CV_DOWNLOAD_DIR) / document.path).unlink(missing_ok=True)
        if existed:
            count, _ = created.delete()
            self.stdout.write(f"cleanup: removed the {count} CV document(s) this run downloaded; the candidate stays")
        else:
            candidate.delete()
            self.stdout.write("cleanup: removed the candidate this run created, with its CV files")
