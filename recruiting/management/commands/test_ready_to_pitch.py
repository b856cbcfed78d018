from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.zoho.errors import ZohoError
from recruiting.errors import CandidateNotFound
from recruiting.models import Candidate
from recruiting.selectors import candidate_matches, candidate_skills
from recruiting.services.pitch import candidate_ready_to_pitch_run


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
        existed = Candidate.objects.filter(zoho_contact_id=contact_id).exists()
        say = self.stdout.write if verbose else None
        try:
            report = candidate_ready_to_pitch_run(contact_id=contact_id, say=say)
        except (CandidateNotFound, ZohoError) as exc:
            raise CommandError(str(exc)) from exc
        candidate = Candidate.objects.get(zoho_contact_id=contact_id)
        if verbose:
            self._details(candidate)
        outcome = "done" if not report.problems else f"done with {len(report.problems)} problem(s)"
        self.stdout.write(self.style.SUCCESS(f"{candidate}: {outcome}"))
        if options["cleanup"]:
            self._cleanup(candidate, existed)

    def _details(self, candidate: Candidate) -> None:
        skills = candidate_skills(candidate)
        self.stdout.write(f"skills ({len(skills)}): " + ", ".join(s["name"] for s in skills))
        for match in candidate_matches(candidate, 5):
            self.stdout.write(f"  {match['score']:5.1f}  {match['title']} at {match['company']}")
            self.stdout.write(f"         {match['explanation'].get('summary', '')}")

    def _cleanup(self, candidate: Candidate, existed: bool) -> None:
        for document in candidate.documents.all():
            if document.path:
                (Path(settings.CV_DOWNLOAD_DIR) / document.path).unlink(missing_ok=True)
        if existed:
            candidate.documents.all().delete()
            candidate.skills.all().delete()
            candidate.matches.all().delete()
            self.stdout.write("cleanup: removed the CV files, documents, skills and matches of this run")
        else:
            candidate.delete()
            self.stdout.write("cleanup: removed the candidate this run created, with its CV files")
