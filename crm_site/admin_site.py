"""The admin's sidebar and header badge, read by django-unfold (settings.UNFOLD).

SIDEBAR is the one list of sections and links. An item whose admin page does
not exist (its app has not registered the model) or that the user may not
view is left out, and unfold hides a section left empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    title: str | Promise
    icon: str  # a Material Symbols name
    url_name: str
    permission: str | None = None  # "<app_label>.view_<model>"


SIDEBAR: list[tuple[str | Promise, list[NavItem]]] = [
    (
        _("CRM"),
        [
            NavItem(_("Dashboard"), "dashboard", "admin:index"),
            NavItem(_("Brands"), "storefront", "admin:crm_brand_changelist", "crm.view_brand"),
            NavItem(_("Pipelines"), "view_kanban", "admin:crm_pipeline_changelist", "crm.view_pipeline"),
            NavItem(_("Stages"), "linear_scale", "admin:crm_pipelinestage_changelist", "crm.view_pipelinestage"),
            NavItem(_("Deal board"), "view_column", "crm_board:index", "crm.view_deal"),
            NavItem(_("Deals"), "handshake", "admin:crm_deal_changelist", "crm.view_deal"),
            NavItem(_("Analytics"), "insights", "admin:crm_deal_analytics", "crm.view_deal"),
            NavItem(_("Contacts"), "contacts", "admin:crm_contact_changelist", "crm.view_contact"),
            NavItem(
                _("Contact imports"),
                "upload_file",
                "admin:crm_contactimport_changelist",
                "crm.view_contactimport",
            ),
            NavItem(_("Tasks"), "task_alt", "admin:crm_task_changelist", "crm.view_task"),
            NavItem(_("Email sequences"), "stacks", "admin:crm_emailsequence_changelist", "crm.view_emailsequence"),
            NavItem(_("Email log"), "mail", "admin:crm_emaillog_changelist", "crm.view_emaillog"),
            NavItem(
                _("AI decisions"),
                "psychology",
                "admin:crm_aidecisionlog_changelist",
                "crm.view_aidecisionlog",
            ),
            NavItem(_("Deal activities"), "timeline", "admin:crm_dealactivity_changelist", "crm.view_dealactivity"),
            NavItem(
                _("Backlink opportunities"),
                "link",
                "admin:crm_backlinkopportunity_changelist",
                "crm.view_backlinkopportunity",
            ),
            NavItem(
                _("AI prompts"),
                "edit_note",
                "admin:crm_aiprompttemplate_changelist",
                "crm.view_aiprompttemplate",
            ),
        ],
    ),
    (
        _("Mailbox"),
        [
            NavItem(_("Outbox"), "outbox", "admin:crm_outboxmessage_changelist", "crm.view_outboxmessage"),
            NavItem(_("Emails read"), "inbox", "admin:crm_inboundemail_changelist", "crm.view_inboundemail"),
            NavItem(_("Daily summaries"), "summarize", "admin:crm_dailysummary_changelist", "crm.view_dailysummary"),
        ],
    ),
    (
        _("Campaigns"),
        [
            NavItem(_("Campaigns"), "campaign", "admin:campaigns_campaign_changelist", "campaigns.view_campaign"),
            NavItem(
                _("Segments"),
                "filter_alt",
                "admin:campaigns_campaignsegment_changelist",
                "campaigns.view_campaignsegment",
            ),
            NavItem(
                _("Email templates"),
                "article",
                "admin:campaigns_emailtemplate_changelist",
                "campaigns.view_emailtemplate",
            ),
            NavItem(
                _("Recipients"),
                "group",
                "admin:campaigns_campaignrecipient_changelist",
                "campaigns.view_campaignrecipient",
            ),
        ],
    ),
    (
        _("Documents"),
        [
            NavItem(_("Documents"), "folder", "admin:documents_document_changelist", "documents.view_document"),
            NavItem(
                _("Approvals"),
                "approval",
                "admin:documents_documentapproval_changelist",
                "documents.view_documentapproval",
            ),
            NavItem(
                _("Document templates"),
                "draft",
                "admin:documents_documenttemplate_changelist",
                "documents.view_documenttemplate",
            ),
        ],
    ),
    (
        _("Integrations"),
        [
            NavItem(_("Outgoing webhooks"), "send", "admin:hub_webhook_changelist", "hub.view_webhook"),
            NavItem(_("Webhook messages"), "outbox", "admin:hub_webhookmessage_changelist", "hub.view_webhookmessage"),
            NavItem(_("Events"), "bolt", "admin:hub_event_changelist", "hub.view_event"),
            NavItem(
                _("Slack, Teams, Zapier, calendars"),
                "hub",
                "admin:hub_thirdpartyintegration_changelist",
                "hub.view_thirdpartyintegration",
            ),
            NavItem(
                _("Integration log"), "receipt_long", "admin:hub_integrationlog_changelist", "hub.view_integrationlog"
            ),
            NavItem(_("Custom API endpoints"), "api", "admin:hub_apiendpoint_changelist", "hub.view_apiendpoint"),
            NavItem(_("Website chat leads"), "chat", "admin:hub_chatlead_changelist", "hub.view_chatlead"),
            NavItem(
                _("Website inquiries"), "contact_mail", "admin:hub_contactinquiry_changelist", "hub.view_contactinquiry"
            ),
        ],
    ),
    (
        _("Recruiting"),
        [
            NavItem(_("Candidates"), "badge", "admin:recruiting_candidate_changelist", "recruiting.view_candidate"),
            NavItem(_("Roles"), "work", "admin:recruiting_role_changelist", "recruiting.view_role"),
            NavItem(_("Job matches"), "join_inner", "admin:recruiting_jobmatch_changelist", "recruiting.view_jobmatch"),
            NavItem(
                _("CV documents"), "description", "admin:recruiting_document_changelist", "recruiting.view_document"
            ),
        ],
    ),
    (
        _("Messaging"),
        [
            NavItem(
                _("WhatsApp conversations"),
                "forum",
                "admin:messaging_whatsappcontact_changelist",
                "messaging.view_whatsappcontact",
            ),
            NavItem(
                _("WhatsApp messages"),
                "chat",
                "admin:messaging_whatsappmessage_changelist",
                "messaging.view_whatsappmessage",
            ),
            NavItem(
                _("Inbound events"), "webhook", "admin:webhooks_inboundevent_changelist", "webhooks.view_inboundevent"
            ),
        ],
    ),
    (
        _("System"),
        [
            NavItem(_("Users"), "person", "admin:auth_user_changelist", "auth.view_user"),
            NavItem(_("Groups"), "group", "admin:auth_group_changelist", "auth.view_group"),
            NavItem(_("API tokens"), "key", "admin:knox_authtoken_changelist", "knox.view_authtoken"),
            NavItem(
                _("Periodic tasks"),
                "schedule",
                "admin:django_celery_beat_periodictask_changelist",
                "django_celery_beat.view_periodictask",
            ),
            NavItem(
                _("Task results"),
                "task_alt",
                "admin:django_celery_results_taskresult_changelist",
                "django_celery_results.view_taskresult",
            ),
        ],
    ),
]


def _link(item: NavItem, request: HttpRequest) -> dict[str, Any] | None:
    if item.permission and not request.user.has_perm(item.permission):
        return None
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None
    return {"title": item.title, "icon": item.icon, "link": url}


def sidebar_navigation(request: HttpRequest) -> list[dict[str, Any]]:
    sections = []
    for title, items in SIDEBAR:
        links = [link for item in items if (link := _link(item, request))]
        sections.append({"title": title, "separator": True, "items": links})
    return sections


def environment_badge(request: HttpRequest) -> list[str] | None:
    """A header label that tells staff which kind of installation they are in."""
    if settings.DEBUG:
        return [str(_("Debug")), "danger"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [str(_("Embedded run")), "info"]
    return None
