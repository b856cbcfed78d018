from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recruiting.errors import RoleImportError
from recruiting.services.roles import CSV_COLUMNS, roles_import_csv


class Command(BaseCommand):
    help = (
        f"Import open roles from a CSV file with the columns {', '.join(CSV_COLUMNS)} (lists comma "
        "separated inside a cell). A role is updated by title and company; bad rows are reported "
        "with their line number while the others import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--no-rematch", action="store_true", help="do not rescore the candidates afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            report = roles_import_csv(data=path.read_bytes(), dry_run=options["dry_run"])
        except RoleImportError as exc:
            raise CommandError(str(exc)) from exc
        for line, reason in report.failed:
            self.stderr.write(f"line {line}: {reason}")
        prefix = "Dry run: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary}"))
        if not options["dry_run"] and not options["no_rematch"] and (report.created or report.updated):
            from recruiting.services.matching import candidates_rematch

            self.stdout.write(f"{candidates_rematch()} matches saved")
