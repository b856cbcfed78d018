"""Brands: the agency's trading names, each with its own sender, Zoho Mail account and AI context."""

from __future__ import annotations

import secrets
import zoneinfo
from datetime import datetime, time
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_site.fields import EncryptedTextField
from lib.money import currency_codes

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code such as AUD or EUR."), params={"value": value}
        )


def validate_time_zone(value: str) -> None:
    if value and value not in _time_zones():
        raise ValidationError(_("%(value)s is not a time zone name such as Australia/Sydney."), params={"value": value})


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


def publishable_key_new() -> str:
    """A key the brand's website may show: it only lets a form post leads (hub's lead capture)."""
    return "pk_" + secrets.token_urlsafe(24)


def origin_of(url: str) -> str:
    """`scheme://host[:port]`, lower-case, as a browser sends it in the Origin header."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def site_origins_problem(origins: object) -> str:
    if not isinstance(origins, list) or not all(isinstance(origin, str) for origin in origins):
        return 'A list of origins, such as ["https://www.codeteki.au"].'
    for origin in origins:
        if origin_of(origin) != origin.strip().lower().rstrip("/") or urlsplit(origin).scheme not in ("http", "https"):
            return f"{origin!r} is not an origin: scheme and host only, such as https://www.codeteki.au"
    return ""


class ZohoDataCentre(models.TextChoices):
    """Zoho's data centres; each has its own accounts, mail and CRM hosts."""

    US = "zoho.com", "zoho.com (United States)"
    EU = "zoho.eu", "zoho.eu (Europe)"
    IN = "zoho.in", "zoho.in (India)"
    AU = "zoho.com.au", "zoho.com.au (Australia)"
    JP = "zoho.jp", "zoho.jp (Japan)"
    CA = "zohocloud.ca", "zohocloud.ca (Canada)"
    SA = "zoho.sa", "zoho.sa (Saudi Arabia)"
    CN = "zoho.com.cn", "zoho.com.cn (China)"


class BrandQuerySet(models.QuerySet["Brand"]):
    def visible_to(self, user: User | AnonymousUser) -> BrandQuerySet:
        """Superusers see every brand; other staff see the brands they are members of."""
        if getattr(user, "is_superuser", False):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(members=user)


class Brand(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="brands",
        help_text=_("Staff who may see this brand's contacts and deals (superusers see all)."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_brands",
        help_text=_("Staff who manage this brand: they also see its confidential documents."),
    )

    from_email = models.EmailField(help_text=_("Address the autopilot sends from, e.g. sales@codeteki.au"))
    from_name = models.CharField(max_length=100, blank=True, help_text=_("e.g. The Codeteki Team"))
    reply_to_email = models.EmailField(blank=True)

    zoho_client_id = models.CharField(max_length=200, blank=True, verbose_name=_("Zoho client ID"))
    zoho_client_secret = EncryptedTextField(blank=True)
    zoho_refresh_token = EncryptedTextField(blank=True)
    zoho_account_id = models.CharField(max_length=50, blank=True, verbose_name=_("Zoho account ID"))
    zoho_api_domain = models.CharField(
        max_length=20,
        choices=ZohoDataCentre.choices,
        default=ZohoDataCentre.US,
        verbose_name=_("Zoho data centre"),
    )

    ai_company_description = models.TextField(
        blank=True, help_text=_("'About us' given to the AI."), verbose_name=_("About the company (for the AI)")
    )
    ai_value_proposition = models.TextField(blank=True, verbose_name=_("Value proposition (for the AI)"))

    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    currency = models.CharField(
        max_length=3, default="USD", validators=[validate_currency], help_text=_("Deal values are in it (ISO 4217)")
    )
    send_window_start = models.TimeField(null=True, blank=True, help_text=_("Local time; empty with the end: any time"))
    send_window_end = models.TimeField(null=True, blank=True)
    send_weekdays = models.JSONField(default=default_weekdays, blank=True, help_text=_("0 = Monday ... 6 = Sunday"))
    # Zoho Mail allows 50-500 external emails an hour per mailbox, depending on
    # reputation, and no bulk sending; stay well below its floor.
    hourly_send_cap = models.PositiveIntegerField(default=20)
    daily_send_cap = models.PositiveIntegerField(default=150)

    publishable_key = models.CharField(
        max_length=60, unique=True, default=publishable_key_new,
        help_text=_("The website's key for posting chat leads and contact forms (X-Publishable-Key); not a secret."),
    )  # fmt: skip
    site_origins = models.JSONField(
        default=list, blank=True,
        help_text=_("The website origins allowed to post leads, such as https://www.codeteki.au"),
    )  # fmt: skip

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(send_window_start__isnull=True, send_window_end__isnull=True)
                | Q(send_window_start__isnull=False, send_window_end__isnull=False),
                name="brand_send_window_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.send_window_start is None) != (self.send_window_end is None):
            raise ValidationError(_("Give both ends of the sending window, or neither."))
        if not isinstance(self.send_weekdays, list) or not all(
            isinstance(day, int) and 0 <= day <= 6 for day in self.send_weekdays
        ):
            raise ValidationError({"send_weekdays": _("A list of weekday numbers, 0 (Monday) to 6 (Sunday).")})
        problem = site_origins_problem(self.site_origins)
        if problem:
            raise ValidationError({"site_origins": problem})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone or "UTC")

    @property
    def has_own_zoho_credentials(self) -> bool:
        return bool(self.zoho_client_id and self.zoho_client_secret and self.zoho_refresh_token)

    def in_send_window(self, moment: datetime, zone: zoneinfo.ZoneInfo | None = None) -> bool:
        """Whether `moment` falls on a sending weekday and inside the window, in `zone` (else the brand's)."""
        local = moment.astimezone(zone or self.zone)
        if local.weekday() not in (self.send_weekdays or range(7)):
            return False
        if self.send_window_start is None or self.send_window_end is None:
            return True
        return _within(local.time(), self.send_window_start, self.send_window_end)


def _within(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # a window that spans midnight
