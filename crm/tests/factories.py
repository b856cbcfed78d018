from decimal import Decimal

import factory
from django.utils import timezone

from crm.models import (
    AIDecisionLog,
    Brand,
    Contact,
    Deal,
    DealStageChange,
    DealStatus,
    EmailLog,
    EmailStatus,
    Pipeline,
    PipelineStage,
    StageChangeSource,
)
from crm.services.stage_durations import stage_durations_rebuild


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    from_email = factory.LazyAttribute(lambda b: f"sales@{b.slug}.example")
    from_name = factory.LazyAttribute(lambda b: f"The {b.name} Team")
    timezone = "Australia/Sydney"


class PipelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pipeline
        skip_postgeneration_save = True

    brand = factory.SubFactory(BrandFactory)
    name = "Sales Pipeline"
    slug = factory.Sequence(lambda n: f"sales-{n}")
    pipeline_type = "sales"

    @factory.post_generation
    def stages(pipeline, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        names = extracted or ["New Lead", "Contacted", "Engaged", ("Won", "won"), ("Lost", "lost")]
        for order, name in enumerate(names, start=1):
            title, outcome = (name, "") if isinstance(name, str) else name
            PipelineStage.objects.create(
                pipeline=pipeline,
                name=title,
                order=order,
                is_terminal=bool(outcome),
                outcome=outcome,
                days_until_followup=None if outcome else 3,
                auto_actions=[] if outcome else ["send_initial_email" if order == 1 else "wait_for_reply"],
            )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    brand = factory.SubFactory(BrandFactory)
    email = factory.Sequence(lambda n: f"person{n}@company{n}.example")
    name = factory.Sequence(lambda n: f"Person {n}")
    company = factory.Sequence(lambda n: f"Company {n}")
    website = factory.Sequence(lambda n: f"https://company{n}.example")
    domain_authority = 30


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal
        skip_postgeneration_save = True

    pipeline = factory.SubFactory(PipelineFactory)
    contact = factory.SubFactory(ContactFactory, brand=factory.SelfAttribute("..pipeline.brand"))
    current_stage = factory.LazyAttribute(lambda deal: deal.pipeline.first_stage())
    value = Decimal("1000")
    next_action_date = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def history(deal, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        """Its entry into its stage, as deal_create records it."""
        if create:
            if deal.current_stage.outcome != "lost":
                Deal.objects.filter(pk=deal.pk).update(furthest_stage=deal.current_stage)
            DealStageChange.objects.create(
                deal=deal, pipeline=deal.pipeline, to_stage=deal.current_stage, changed_at=deal.stage_entered_at,
                source=StageChangeSource.CREATED,
            )  # fmt: skip


def deal_with_history(pipeline, steps, *, value=1000, reason="", contact=None) -> Deal:
    """A deal that went through `steps` ([(stage name, when), ...]; the first is its creation,
    the last where it is now), with the stage history the services would have written."""
    stages = {stage.name: stage for stage in pipeline.stages.all()}
    (_, created), (last, entered) = steps[0], steps[-1]
    stage = stages[last]
    deal = Deal.objects.create(
        pipeline=pipeline,
        contact=contact or ContactFactory(brand=pipeline.brand),
        current_stage=stage,
        value=Decimal(value),
        status={"won": DealStatus.WON, "lost": DealStatus.LOST}.get(stage.outcome, DealStatus.ACTIVE),
        stage_entered_at=entered,
        closed_at=entered if stage.is_terminal else None,
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=created)
    for index, (name, when) in enumerate(steps):
        DealStageChange.objects.create(
            deal=deal,
            pipeline=pipeline,
            from_stage=stages[steps[index - 1][0]] if index else None,
            to_stage=stages[name],
            changed_at=when,
            left_at=steps[index + 1][1] if index + 1 < len(steps) else None,
            reason=reason if stages[name].outcome == "lost" else "",
        )
    stage_durations_rebuild(pipeline_ids=[pipeline.pk])  # the counts deal_move_to_stage would have kept
    deal.refresh_from_db()
    return deal


class EmailLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailLog

    deal = factory.SubFactory(DealFactory)
    brand = factory.LazyAttribute(lambda e: e.deal.pipeline.brand)
    contact = factory.LazyAttribute(lambda e: e.deal.contact)
    to_email = factory.LazyAttribute(lambda e: e.contact.email)
    subject = "Hello"
    body = "<p>Hello</p>"
    status = EmailStatus.SENT
    sent_at = factory.LazyFunction(timezone.now)


class AIDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AIDecisionLog

    deal = factory.SubFactory(DealFactory)
    decision_type = "analyze_deal"
    action_taken = "wait"
    reasoning = "Waiting for a reply."
    model = "rules"
