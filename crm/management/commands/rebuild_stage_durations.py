from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from crm.models import Pipeline, StageDuration
from crm.services.stage_durations import stage_durations_rebuild


class Command(BaseCommand):
    help = (
        "Sum the stage history and the closed deals up again into the counts the analytics read (after deleting "
        "deals, or history written outside the services)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pipeline", type=int, action="append", help="Only this pipeline (id); repeatable")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["pipeline"] or list(Pipeline.objects.values_list("pk", flat=True))
        stage_durations_rebuild(pipeline_ids=ids)
        rows = StageDuration.objects.filter(stage__pipeline_id__in=ids).count()
        self.stdout.write(f"Stage durations rebuilt for {len(ids)} pipeline(s): {rows} counts.")
