"""Contacts: leads, backlink targets and partners of a brand, one row per (brand, email)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.models.brands import Brand, validate_time_zone
from crm.models.lookups import TagsField


def normalize_email(value: str) -> str:
    """The one form an address is stored and compared in: trimmed and lower-case."""
    return value.strip().lower()


class ContactType(models.TextChoices):
    LEAD = "lead", _("Lead")
    BACKLINK_TARGET = "backlink_target", _("Backlink target")
    PARTNER = "partner", _("Partner")


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User | AnonymousUser) -> ContactQuerySet:
        return self.filter(brand__in=Brand.objects.visible_to(user))

    def reachable(self) -> ContactQuerySet:
        """Contacts the autopilot may email: not unsubscribed, not bounced."""
        return self.filter(unsubscribed_at__isnull=True, bounced_at__isnull=True)


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (brand, email) index starts with brand.
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="contacts", db_index=False)
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    first_name = models.CharField(max_length=100, blank=True, help_text=_("Used in greetings"))
    company = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=500, blank=True)
    domain_authority = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text=_("0-100 (DA or DR)")
    )
    contact_type = models.CharField(max_length=20, choices=ContactType.choices, default=ContactType.LEAD)
    source = models.CharField(max_length=100, blank=True, help_text=_("Where the contact came from"))
    tags = TagsField(default=list, blank=True)
    ai_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], verbose_name=_("AI score")
    )
    notes = models.TextField(blank=True)
    timezone = models.CharField(max_length=64, blank=True, validators=[validate_time_zone])
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "email"], name="contact_unique_email_per_brand"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="contact_email_normalised"),
            models.CheckConstraint(condition=Q(domain_authority__lte=100), name="contact_domain_authority_0_100"),
            models.CheckConstraint(condition=Q(ai_score__lte=100), name="contact_ai_score_0_100"),
        ]
        indexes = [models.Index(fields=["brand", "-created_at"], name="contact_brand_created")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = normalize_email(self.email)
        if not self.first_name and self.name:
            self.first_name = self.name.split()[0]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def greeting_name(self) -> str:
        """The first name, else the first word of the full name (templates' `first_name`)."""
        return (self.first_name or (self.name.split()[0] if self.name.strip() else "")).strip()

    def is_suppressed(self) -> bool:
        return self.unsubscribed_at is not None or self.bounced_at is not None
