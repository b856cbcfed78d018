from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.models import Brand
from crm.services.brands import brand_email_check


class Command(BaseCommand):
    help = "Check a brand's mailbox: does the Zoho token refresh; with --send-test, does one message go out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--send-test", metavar="ADDRESS", default="", help="send one test message here")

    def handle(self, *args: Any, slug: str, send_test: str, **options: Any) -> None:
        brand = Brand.objects.filter(slug=slug).first()
        if brand is None:
            raise CommandError(f"No brand {slug!r}.")
        check = brand_email_check(brand=brand, send_to=send_test)
        line = f"{brand.name} via {check.provider}: {check.detail}"
        if not check.ok:
            raise CommandError(line)
        self.stdout.write(line)
