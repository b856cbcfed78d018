from typing import Any

from django.core.management.base import BaseCommand, CommandError

from integrations.zoho.errors import ZohoError
from recruiting.errors import RoleImportError
from recruiting.services.matching import candidates_rematch
from recruiting.services.roles import roles_sync_from_zoho


class Command(BaseCommand):
    help = "Upsert open roles from the Zoho CRM module ZOHO_CRM_ROLES_MODULE, then rescore every candidate."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = roles_sync_from_zoho()
        except (RoleImportError, ZohoError) as exc:
            raise CommandError(str(exc)) from exc
        for number, reason in report.failed:
            self.stderr.write(f"record {number}: {reason}")
        self.stdout.write(self.style.SUCCESS(report.summary))
        if report.created or report.updated:
            self.stdout.write(f"{candidates_rematch()} matches saved")
