"""Inbound webhooks, and the Ready-to-Pitch staff endpoints (recruiting/api/) under /webhook/ as its
document names them.

Each route answers with and without its trailing slash: Meta and Zoho do not follow a redirect
with their POST, and APPEND_SLASH cannot redirect one, so a webhook configured as
`/webhook/whatsapp` must land where `/webhook/whatsapp/` does. The slashed form is the one
named (and reversed); the other is served by the same view.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from recruiting.api import views as recruiting
from webhooks.whatsapp import views as whatsapp
from webhooks.zoho import views as zoho


def either_slash(route: str, view: Callable[..., Any], name: str) -> list[URLPattern]:
    return [path(f"{route}/", view, name=name), path(route, view)]


urlpatterns = [
    *either_slash("whatsapp", whatsapp.cloud_webhook, "webhook-whatsapp"),
    *either_slash("waha", whatsapp.waha_webhook, "webhook-waha"),
    *either_slash("zoho/contact", zoho.contact_webhook, "webhook-zoho-contact"),
    *either_slash("test-ready-to-pitch", recruiting.test_ready_to_pitch, "webhook-test-ready-to-pitch"),
    *either_slash(
        "manual-cv-extraction/<str:contact_id>", recruiting.manual_cv_extraction, "webhook-manual-cv-extraction"
    ),
    *either_slash("jobs/match/<str:contact_id>", recruiting.jobs_match, "webhook-jobs-match"),
    *either_slash("jobs/matches/<str:contact_id>", recruiting.jobs_matches, "webhook-jobs-matches"),
    *either_slash("skills/<str:contact_id>", recruiting.skills, "webhook-skills"),
]
