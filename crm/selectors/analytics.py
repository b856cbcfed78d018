"""Pipeline analytics: the funnel per stage, win rate and email figures over a period.

Used by `GET /api/crm/stats/` and the admin dashboard. A fixed number of
queries whatever the number of pipelines or deals: one per figure, grouped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from crm.models import Deal, DealStatus, EmailLog, EmailStatus, Pipeline, PipelineStage


@dataclass
class StageFigures:
    stage_id: int
    name: str
    order: int
    is_terminal: bool
    outcome: str
    deals: int = 0
    value: Decimal = Decimal("0")


@dataclass
class EmailFigures:
    sent: int = 0
    opened: int = 0
    replied: int = 0

    @property
    def open_rate(self) -> float | None:
        return round(self.opened / self.sent, 4) if self.sent else None

    @property
    def reply_rate(self) -> float | None:
        return round(self.replied / self.sent, 4) if self.sent else None


@dataclass
class PipelineFigures:
    pipeline_id: int
    name: str
    brand: str
    pipeline_type: str
    stages: list[StageFigures] = field(default_factory=list)
    won: int = 0
    lost: int = 0
    emails: EmailFigures = field(default_factory=EmailFigures)
    currency: str = "USD"

    @property
    def win_rate(self) -> float | None:
        closed = self.won + self.lost
        return round(self.won / closed, 4) if closed else None

    @property
    def open_deals(self) -> int:
        return sum(stage.deals for stage in self.stages if not stage.is_terminal)

    @property
    def open_value(self) -> Decimal:
        return sum((stage.value for stage in self.stages if not stage.is_terminal), Decimal("0"))


def pipeline_figures(*, pipelines: QuerySet[Pipeline], since: datetime, until: datetime) -> list[PipelineFigures]:
    """Figures for each of `pipelines`: deals and value now in each stage (the funnel), deals won
    and lost in [since, until), and emails sent in that period with how many were opened and replied.
    """
    figures = {
        p.pk: PipelineFigures(p.pk, p.name, p.brand.name, p.pipeline_type, currency=p.brand.currency)
        for p in pipelines.select_related("brand").order_by("brand__name", "pk")
    }
    _add_stages(figures)
    _add_outcomes(figures, since, until)
    _add_emails(figures, since, until)
    return list(figures.values())


def _add_stages(figures: dict[int, PipelineFigures]) -> None:
    counts = (
        Deal.objects.filter(pipeline_id__in=figures)
        .values("current_stage_id")
        .annotate(deals=Count("id"), value=Coalesce(Sum("value"), Decimal("0")))
    )
    by_stage = {row["current_stage_id"]: row for row in counts}
    stages = PipelineStage.objects.filter(pipeline_id__in=figures).order_by("pipeline_id", "order", "id")
    for stage in stages:
        row = by_stage.get(stage.pk, {})
        figures[stage.pipeline_id].stages.append(
            StageFigures(
                stage_id=stage.pk,
                name=stage.name,
                order=stage.order,
                is_terminal=stage.is_terminal,
                outcome=stage.outcome,
                deals=row.get("deals", 0),
                value=row.get("value", Decimal("0")),
            )
        )


def _add_outcomes(figures: dict[int, PipelineFigures], since: datetime, until: datetime) -> None:
    closed = (
        Deal.objects.filter(pipeline_id__in=figures, stage_entered_at__gte=since, stage_entered_at__lt=until)
        .values("pipeline_id")
        .annotate(
            won=Count("id", filter=Q(status=DealStatus.WON)),
            lost=Count("id", filter=Q(status=DealStatus.LOST)),
        )
    )
    for row in closed:
        figures[row["pipeline_id"]].won = row["won"]
        figures[row["pipeline_id"]].lost = row["lost"]


def _add_emails(figures: dict[int, PipelineFigures], since: datetime, until: datetime) -> None:
    rows = (
        EmailLog.objects.filter(
            deal__pipeline_id__in=figures, status=EmailStatus.SENT, sent_at__gte=since, sent_at__lt=until
        )
        .values("deal__pipeline_id")
        .annotate(
            sent=Count("id"),
            opened=Count("id", filter=Q(opened=True)),
            replied=Count("id", filter=Q(replied=True)),
        )
    )
    for row in rows:
        figures[row["deal__pipeline_id"]].emails = EmailFigures(row["sent"], row["opened"], row["replied"])


def email_totals(*, pipelines: QuerySet[Pipeline], since: datetime, until: datetime) -> EmailFigures:
    row = EmailLog.objects.filter(
        deal__pipeline__in=pipelines, status=EmailStatus.SENT, sent_at__gte=since, sent_at__lt=until
    ).aggregate(
        sent=Count("id"),
        opened=Count("id", filter=Q(opened=True)),
        replied=Count("id", filter=Q(replied=True)),
    )
    return EmailFigures(row["sent"], row["opened"], row["replied"])
