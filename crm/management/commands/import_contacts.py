import csv
import sys
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.errors import ImportFileError
from crm.importing.reader import RowError
from crm.importing.report import safe_cell
from crm.models import Brand, ContactType, Pipeline, PipelineType
from crm.services.imports import ImportReport, contact_import_run, import_target

SHOWN_ERRORS = 20
DEFAULT_PIPELINE_TYPE = {
    ContactType.LEAD: PipelineType.SALES,
    ContactType.BACKLINK_TARGET: PipelineType.BACKLINK,
    ContactType.PARTNER: PipelineType.PARTNERSHIP,
}


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV file into a brand. Bad rows are reported with their line number "
        "while the others import; running the same file again changes nothing more."
    )
    # The model checks only: the URL checks import the URL configuration, which discovers the admin
    # (docs/adr/0012), half a second of a command scripts run often. `check`, migrate and the
    # server run them all.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--brand", help="brand slug (needed when there is more than one brand)")
        parser.add_argument("--type", dest="contact_type", default="lead", choices=ContactType.values)
        parser.add_argument("--source", default="", help='where the contacts came from, e.g. "Conference 2024"')
        parser.add_argument("--create-deals", action="store_true", help="open a deal for each contact")
        parser.add_argument("--pipeline", help="pipeline slug or type for the deals (default: by --type)")
        parser.add_argument("--preview", action="store_true", help="parse and report; write nothing")
        parser.add_argument("--errors", type=Path, help="write every bad row to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        brand = self._brand(options["brand"])
        pipeline = self._pipeline(brand, options) if options["create_deals"] else None
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            target = import_target(
                brand=brand, contact_type=options["contact_type"], source=options["source"], pipeline=pipeline
            )
            report = self._run(path, target, options)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._summarise(report, options)

    def _run(self, path: Path, target: Any, options: dict[str, Any]) -> ImportReport:
        size = max(path.stat().st_size, 1)
        errors_file = options["errors"].open("w", newline="") if options["errors"] else None
        try:
            with path.open("rb") as stream:
                on_error = self._error_writer(errors_file) if errors_file else None
                return contact_import_run(
                    stream=stream,
                    target=target,
                    dry_run=options["preview"],
                    on_progress=self._progress(stream, size),
                    on_error=on_error,
                )
        finally:
            if errors_file:
                errors_file.close()
            if sys.stderr.isatty():
                sys.stderr.write("\n")

    def _progress(self, stream: BinaryIO, size: int) -> Any:
        if not sys.stderr.isatty():
            return None

        def show(report: ImportReport) -> None:
            percent = min(100, 100 * stream.tell() // size)
            filled = percent // 4
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (25 - filled)}] {percent:3d}%  {report.rows:,} rows")
            sys.stderr.flush()

        return show

    def _error_writer(self, out: IO[str]) -> Any:
        writer = csv.writer(out)
        writer.writerow(["line", "email", "reason"])

        def write(error: RowError) -> None:
            writer.writerow([error.line, safe_cell(error.email), safe_cell(error.reason)])

        return write

    def _summarise(self, report: ImportReport, options: dict[str, Any]) -> None:
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"line {error.line}: {error.reason}" + (f" ({error.email})" if error.email else ""))
        if report.failed > SHOWN_ERRORS and not options["errors"]:
            self.stderr.write(f"... and {report.failed - SHOWN_ERRORS} more; --errors FILE writes them all.")
        prefix = "Preview (nothing written): " if options["preview"] else "Imported "
        self.stdout.write(prefix + report.summary())

    def _brand(self, slug: str | None) -> Brand:
        brands = Brand.objects.all()
        if slug:
            brand = brands.filter(slug=slug).first()
            if brand is None:
                known = ", ".join(brands.values_list("slug", flat=True)) or "none; run seed_crm_pipelines"
                raise CommandError(f"No brand {slug!r}. Brands: {known}.")
            return brand
        if brands.count() == 1:
            return brands.get()
        raise CommandError("Say which brand with --brand SLUG.")

    def _pipeline(self, brand: Brand, options: dict[str, Any]) -> Pipeline:
        wanted = options["pipeline"] or DEFAULT_PIPELINE_TYPE[options["contact_type"]]
        pipelines = Pipeline.objects.filter(brand=brand, is_active=True)
        pipeline = pipelines.filter(slug=wanted).first() or pipelines.filter(pipeline_type=wanted).first()
        if pipeline is None:
            known = ", ".join(pipelines.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No pipeline {wanted!r} in {brand.slug}. Pipelines: {known}.")
        return pipeline
