"""Inbound webhooks and the recruiting endpoints of the Ready-to-Pitch webhook system."""

from django.urls import path

from webhooks.whatsapp import views as whatsapp
from webhooks.zoho import views as zoho

urlpatterns = [
    path("whatsapp/", whatsapp.cloud_webhook, name="webhook-whatsapp"),
    path("waha/", whatsapp.waha_webhook, name="webhook-waha"),
    path("zoho/contact/", zoho.contact_webhook, name="webhook-zoho-contact"),
    path("test-ready-to-pitch/", zoho.test_ready_to_pitch, name="webhook-test-ready-to-pitch"),
    path("manual-cv-extraction/<str:contact_id>/", zoho.manual_cv_extraction, name="webhook-manual-cv-extraction"),
    path("jobs/match/<str:contact_id>/", zoho.jobs_match, name="webhook-jobs-match"),
    path("jobs/matches/<str:contact_id>/", zoho.jobs_matches, name="webhook-jobs-matches"),
    path("skills/<str:contact_id>/", zoho.skills, name="webhook-skills"),
]
