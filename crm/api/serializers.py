"""Serializers of /api/crm/. Writes go through crm.services; errors name the field that is wrong."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from rest_framework import serializers

from crm.errors import DealError, TaskError
from crm.models import (
    LINKED_STATUSES,
    AIDecisionLog,
    BacklinkOpportunity,
    Brand,
    Contact,
    Deal,
    DealStatus,
    EmailSequence,
    Pipeline,
    PipelineStage,
    SequenceStep,
    Task,
    normalize_email,
    normalize_tags,
)
from crm.services.backlinks import backlink_saved, target_domain
from crm.services.deals import deal_check_new, deal_check_owner, deal_create, deal_pause, deal_resume
from crm.services.stage_durations import closed_deal_recount
from crm.services.tasks import task_create, task_update
from lib.ids import MAX_ID


def _user(serializer: serializers.Serializer[Any]) -> Any:
    return serializer.context["request"].user


def _id_field() -> serializers.IntegerField:
    """Integer ids are bounded before they reach the database."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID)


class VisibleBrandField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=_id_field(), **kwargs)

    def get_queryset(self) -> Any:
        return Brand.objects.visible_to(self.context["request"].user)


class StageSerializer(serializers.ModelSerializer[PipelineStage]):
    class Meta:
        model = PipelineStage
        fields = ["id", "name", "order", "auto_actions", "days_until_followup", "is_terminal", "outcome"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        terminal, outcome = attrs.get("is_terminal", False), attrs.get("outcome", "")
        if terminal and outcome not in ("won", "lost"):
            raise serializers.ValidationError({"outcome": "A terminal stage is won or lost."})
        if outcome and not terminal:
            raise serializers.ValidationError({"outcome": "Only terminal stages have an outcome."})
        return attrs


class PipelineSerializer(serializers.ModelSerializer[Pipeline]):
    brand = VisibleBrandField()
    stages = StageSerializer(many=True, required=False)

    class Meta:
        model = Pipeline
        fields = [
            "id",
            "brand",
            "name",
            "slug",
            "pipeline_type",
            "description",
            "is_active",
            "created_at",
            "stages",
        ]
        validators: list[Any] = []  # the (brand, slug) check below names the field

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if Pipeline.objects.filter(brand=attrs["brand"], slug=attrs["slug"]).exists():
            raise serializers.ValidationError({"slug": "This brand already has a pipeline with this slug."})
        names = [stage["name"] for stage in attrs.get("stages", [])]
        if len(names) != len(set(names)):
            raise serializers.ValidationError({"stages": "Stage names must be unique within the pipeline."})
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Pipeline:
        stages = validated_data.pop("stages", [])
        pipeline = Pipeline.objects.create(**validated_data)
        PipelineStage.objects.bulk_create(
            [PipelineStage(pipeline=pipeline, **{"order": index, **stage}) for index, stage in enumerate(stages, 1)]
        )
        return pipeline


class ContactSerializer(serializers.ModelSerializer[Contact]):
    brand = VisibleBrandField()
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=100)

    class Meta:
        model = Contact
        fields = [
            "id", "brand", "email", "name", "first_name", "company", "website", "domain_authority",
            "contact_type", "source", "tags", "ai_score", "notes", "timezone", "unsubscribed_at",
            "bounced_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["ai_score", "unsubscribed_at", "bounced_at"]
        validators: list[Any] = []

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["brand"].read_only = True  # a contact does not move between brands
        return fields

    def validate_email(self, value: str) -> str:
        return normalize_email(value)

    def validate_tags(self, value: list[str]) -> list[str]:
        return normalize_tags(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        brand = attrs.get("brand") or getattr(self.instance, "brand", None)
        email = attrs.get("email")
        if email and brand:
            others = Contact.objects.filter(brand=brand, email=email)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError({"email": "A contact with this email already exists in this brand."})
        return attrs

    def save(self, **kwargs: Any) -> Contact:
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError:
            raise serializers.ValidationError(
                {"email": "A contact with this email already exists in this brand."}
            ) from None


class DealSerializer(serializers.ModelSerializer[Deal]):
    contact_email = serializers.EmailField(source="contact.email", read_only=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    stage_name = serializers.CharField(source="current_stage.name", read_only=True)
    brand = serializers.IntegerField(source="pipeline.brand_id", read_only=True)
    current_stage = serializers.PrimaryKeyRelatedField(
        queryset=PipelineStage.objects.all(),
        required=False,
        help_text="Defaults to the pipeline's first stage",
    )
    status = serializers.ChoiceField(
        choices=DealStatus.choices,
        required=False,
        help_text="PATCH to paused or active pauses or resumes; won and lost come from terminal stages",
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, is_staff=True), required=False, allow_null=True,
        pk_field=_id_field(), help_text="A staff member of the deal's brand",
    )  # fmt: skip

    class Meta:
        model = Deal
        fields = [
            "id", "brand", "contact", "contact_email", "contact_name", "pipeline", "current_stage", "stage_name",
            "status", "value", "owner", "expected_close_date", "ai_notes", "next_action_date", "emails_sent",
            "stage_entered_at", "closed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["emails_sent", "stage_entered_at", "closed_at"]
        validators: list[Any] = []  # one open deal per pipeline: deal_create checks it and names the field
        extra_kwargs = {"value": {"min_value": 0}, "pipeline": {"pk_field": _id_field()}}

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        user = _user(self)
        fields["contact"].queryset = Contact.objects.visible_to(user)  # type: ignore[attr-defined]
        fields["pipeline"].queryset = Pipeline.objects.visible_to(user)  # type: ignore[attr-defined]
        if self.instance is not None:
            for name in ("contact", "pipeline", "current_stage"):
                fields[name].read_only = True  # stage changes go through move-stage
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            self._validate_new(attrs)
        elif attrs.get("status") not in (None, DealStatus.ACTIVE, DealStatus.PAUSED):
            raise serializers.ValidationError(
                {"status": "Only active or paused; close a deal by moving it to a won or lost stage."}
            )
        pipeline = self.instance.pipeline if self.instance is not None else attrs["pipeline"]
        try:
            deal_check_owner(owner=attrs.get("owner"), pipeline=pipeline)
        except DealError as exc:
            raise serializers.ValidationError({"owner": str(exc)}) from exc
        return attrs

    def _validate_new(self, attrs: dict[str, Any]) -> None:
        if attrs.get("status", DealStatus.ACTIVE) != DealStatus.ACTIVE:
            raise serializers.ValidationError({"status": "New deals start active."})
        try:  # the service's rules, its message by the field it names
            deal_check_new(
                contact=attrs["contact"], pipeline=attrs["pipeline"], stage=attrs.get("current_stage"),
                value=attrs.get("value", 0),
            )  # fmt: skip
        except DealError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": str(exc)}) from exc

    def create(self, validated_data: dict[str, Any]) -> Deal:
        try:
            deal = deal_create(
                contact=validated_data["contact"],
                pipeline=validated_data["pipeline"],
                stage=validated_data.get("current_stage"),
                value=validated_data.get("value", 0),
                actor=_user(self),
            )
        except DealError as exc:
            raise serializers.ValidationError({exc.field or "contact": str(exc)}) from exc
        extra = {
            k: v
            for k, v in validated_data.items()
            if k in ("ai_notes", "next_action_date", "owner", "expected_close_date")
        }
        if extra:
            Deal.objects.filter(pk=deal.pk).update(**extra)
            deal.refresh_from_db()
        return deal

    def update(self, instance: Deal, validated_data: dict[str, Any]) -> Deal:
        status = validated_data.pop("status", None)
        actor = _user(self)
        try:
            if status == DealStatus.PAUSED and instance.status != DealStatus.PAUSED:
                instance = deal_pause(deal=instance, actor=actor)
            elif status == DealStatus.ACTIVE and instance.status != DealStatus.ACTIVE:
                instance = deal_resume(deal=instance, actor=actor)
        except DealError as exc:  # a won or lost deal is neither paused nor resumed
            raise serializers.ValidationError({"status": str(exc)}) from exc
        instance = super().update(instance, validated_data)
        if "value" in validated_data:
            closed_deal_recount(deal=instance)
        return instance


class MoveStageSerializer(serializers.Serializer[Any]):
    stage = serializers.PrimaryKeyRelatedField(queryset=PipelineStage.objects.all(), pk_field=_id_field())
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate_stage(self, stage: PipelineStage) -> PipelineStage:
        deal: Deal = self.context["deal"]
        if stage.pipeline_id != deal.pipeline_id:
            raise serializers.ValidationError(f"Stage {stage.name!r} is not in this deal's pipeline.")
        return stage


class SequenceStepSerializer(serializers.ModelSerializer[SequenceStep]):
    class Meta:
        model = SequenceStep
        fields = ["id", "order", "delay_days", "subject_template", "body_template", "ai_personalize"]


class EmailSequenceSerializer(serializers.ModelSerializer[EmailSequence]):
    steps = SequenceStepSerializer(many=True, read_only=True)

    class Meta:
        model = EmailSequence
        fields = ["id", "pipeline", "name", "description", "is_active", "steps"]


class AIDecisionSerializer(serializers.ModelSerializer[AIDecisionLog]):
    class Meta:
        model = AIDecisionLog
        fields = [
            "id", "deal", "contact", "decision_type", "reasoning", "action_taken", "metadata", "model",
            "prompt_tokens", "completion_tokens", "created_at",
        ]  # fmt: skip


class StatsQuerySerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=3660, default=30)
    brand = serializers.SlugField(required=False, help_text="Brand slug")
    pipeline = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class StageStatsSerializer(serializers.Serializer[Any]):
    stage_id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    is_terminal = serializers.BooleanField()
    outcome = serializers.CharField()
    deals = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class EmailStatsSerializer(serializers.Serializer[Any]):
    sent = serializers.IntegerField()
    opened = serializers.IntegerField()
    replied = serializers.IntegerField()
    open_rate = serializers.FloatField(allow_null=True)
    reply_rate = serializers.FloatField(allow_null=True)


class PipelineStatsSerializer(serializers.Serializer[Any]):
    pipeline_id = serializers.IntegerField()
    name = serializers.CharField()
    brand = serializers.CharField()
    pipeline_type = serializers.CharField()
    stages = StageStatsSerializer(many=True)
    open_deals = serializers.IntegerField()
    open_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    win_rate = serializers.FloatField(allow_null=True)
    emails = EmailStatsSerializer()


class StatsSerializer(serializers.Serializer[Any]):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    pipelines = PipelineStatsSerializer(many=True)


class LinkedToContactAndDeal(serializers.ModelSerializer[Any]):
    """A brand's object on a contact and / or a deal: both chosen among those the user sees; its
    brand is fixed once made."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        user = _user(self)
        fields["contact"].queryset = Contact.objects.visible_to(user)  # type: ignore[attr-defined]
        fields["deal"].queryset = Deal.objects.visible_to(user)  # type: ignore[attr-defined]
        if self.instance is not None:
            fields["brand"].read_only = True
        return fields


class BacklinkOpportunitySerializer(LinkedToContactAndDeal):
    brand = VisibleBrandField()
    contact_email = serializers.EmailField(source="contact.email", read_only=True, default="")
    deal_stage = serializers.CharField(source="deal.current_stage.name", read_only=True, default="")

    class Meta:
        model = BacklinkOpportunity
        fields = [
            "id", "brand", "target_url", "target_domain", "domain_authority", "relevance_score", "our_content_url",
            "anchor_text_suggestion", "outreach_angle", "contact", "contact_email", "deal", "deal_stage", "status",
            "link_state", "link_rel", "link_anchor_text", "link_checked_at", "link_first_seen_at",
            "link_check_error", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "target_domain", "link_state", "link_rel", "link_anchor_text", "link_checked_at", "link_first_seen_at",
            "link_check_error",
        ]  # fmt: skip
        validators: list[Any] = []  # the (brand, target_url) check below names the field
        extra_kwargs = {
            "outreach_angle": {"help_text": "The pitch angle; left blank, the AI writes one (rules offline)"},
            "status": {"help_text": "placed, verified and lost are checked: the page is fetched for our link"},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        brand = attrs["brand"] if self.instance is None else self.instance.brand
        contact, deal = attrs.get("contact"), attrs.get("deal")
        if contact is not None and contact.brand_id != brand.pk:
            raise serializers.ValidationError({"contact": "The contact belongs to another brand."})
        if deal is not None and deal.pipeline.brand_id != brand.pk:
            raise serializers.ValidationError({"deal": "The deal belongs to another brand."})
        url = attrs.get("target_url")
        if url:
            others = BacklinkOpportunity.objects.filter(brand=brand, target_url=url)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError(
                    {"target_url": "This brand already has an opportunity for this page."}
                )
            attrs["target_domain"] = target_domain(url)
        status = attrs.get("status", getattr(self.instance, "status", ""))
        our_url = attrs.get("our_content_url", getattr(self.instance, "our_content_url", ""))
        if status in LINKED_STATUSES and not our_url:
            raise serializers.ValidationError(
                {"our_content_url": "A placed link is checked against our page: give it."}
            )
        return attrs

    def save(self, **kwargs: Any) -> BacklinkOpportunity:
        created, previous = self.instance is None, getattr(self.instance, "status", "")
        try:
            with transaction.atomic():
                opportunity = super().save(**kwargs)
                backlink_saved(opportunity=opportunity, created=created, previous_status=previous)
        except IntegrityError:
            raise serializers.ValidationError(
                {"target_url": "This brand already has an opportunity for this page."}
            ) from None
        return opportunity


class TaskSerializer(LinkedToContactAndDeal):
    """A staff to-do on a contact and / or a deal; its brand is theirs (or given when neither is)."""

    brand = VisibleBrandField(required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, is_staff=True), required=False, allow_null=True,
        pk_field=_id_field(),
    )  # fmt: skip
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "brand", "title", "notes", "due_at", "assignee", "contact", "deal", "origin", "is_done",
            "done_at", "done_by", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["origin", "done_at", "done_by", "created_by"]

    def create(self, validated_data: dict[str, Any]) -> Task:
        try:
            return task_create(**validated_data, actor=_user(self))
        except TaskError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": str(exc)}) from exc

    def update(self, instance: Task, validated_data: dict[str, Any]) -> Task:
        try:
            return task_update(task=instance, **validated_data)
        except TaskError as exc:
            raise serializers.ValidationError({exc.field or "non_field_errors": str(exc)}) from exc
