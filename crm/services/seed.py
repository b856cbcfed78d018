"""Create the default brands, pipelines, sequences and prompts; never overwrite what exists.

Keyed on natural keys (brand slug, pipeline slug, stage name, step order,
prompt name) with get_or_create, so a second run changes nothing and edits
made by staff in the admin survive a re-run.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from crm.models import AIPromptTemplate, Brand, EmailSequence, Pipeline, PipelineStage, SequenceStep
from crm.seed import BRANDS, PIPELINES, PROMPTS, PipelineSpec


@dataclass
class SeedReport:
    created: int = 0
    existing: int = 0

    def count(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


@transaction.atomic
def seed_crm_pipelines() -> SeedReport:
    report = SeedReport()
    for values in BRANDS:
        brand, created = Brand.objects.get_or_create(
            slug=values["slug"], defaults={**values, "send_window_start": "09:00", "send_window_end": "17:00"}
        )
        report.count(created)
        for spec in PIPELINES:
            _seed_pipeline(brand, spec, report)
    for values in PROMPTS:
        _, created = AIPromptTemplate.objects.get_or_create(name=values["name"], defaults=values)
        report.count(created)
    return report


def _seed_pipeline(brand: Brand, spec: PipelineSpec, report: SeedReport) -> None:
    pipeline, created = Pipeline.objects.get_or_create(
        brand=brand,
        slug=spec.slug,
        defaults={"name": spec.name, "pipeline_type": spec.pipeline_type, "description": spec.description},
    )
    report.count(created)
    for order, stage in enumerate(spec.stages, start=1):
        _, created = PipelineStage.objects.get_or_create(
            pipeline=pipeline,
            name=stage.name,
            defaults={
                "order": order,
                "auto_actions": list(stage.actions),
                "days_until_followup": stage.days,
                "is_terminal": bool(stage.outcome),
                "outcome": stage.outcome,
            },
        )
        report.count(created)
    sequence, created = EmailSequence.objects.get_or_create(
        pipeline=pipeline, name=spec.sequence_name, defaults={"description": f"Default steps for {spec.name}"}
    )
    report.count(created)
    for order, step in enumerate(spec.steps, start=1):
        _, created = SequenceStep.objects.get_or_create(
            sequence=sequence,
            order=order,
            defaults={
                "delay_days": step.delay_days,
                "subject_template": step.subject,
                "body_template": step.body,
            },
        )
        report.count(created)
