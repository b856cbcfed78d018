"""Events as chat messages: a title and a few facts, laid out as a Slack Block Kit message or as a
Microsoft Teams Adaptive Card (as a Teams workflow's "When a Teams webhook request is received"
trigger expects: a message with one card attachment)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.models import Event

TITLES = {
    "lead.created": "New lead", "lead.updated": "Lead updated", "lead.deleted": "Lead deleted",
    "contact.created": "New contact", "contact.updated": "Contact updated",
    "opportunity.created": "New deal", "opportunity.updated": "Deal moved", "opportunity.won": "Deal won",
    "opportunity.lost": "Deal lost", "task.created": "New task", "task.completed": "Task done",
    "campaign.completed": "Campaign sent", "document.uploaded": "Document uploaded",
    "email.replied": "Email replied to", "candidate.ready_to_pitch": "Candidate ready to pitch",
    "whatsapp.message": "WhatsApp message", "ping": "Test message",
}  # fmt: skip


@dataclass(frozen=True)
class Summary:
    title: str
    facts: list[tuple[str, str]]


def _person(data: dict[str, Any]) -> str:
    name, email = data.get("name") or data.get("contact_name") or "", data.get("email") or data.get("contact_email")
    return f"{name} <{email}>" if name and email else str(name or email or "")


def summary_of(event: Event) -> Summary:
    """What a person wants to read about the event, in a line and a few facts."""
    data, kind = event.data, event.type
    title = TITLES.get(kind, kind)
    facts: list[tuple[str, str]]
    if kind.startswith("opportunity."):
        facts = [
            ("Contact", _person(data)),
            ("Stage", data.get("stage_name", "")),
            ("Value", str(data.get("value", ""))),
        ]
    elif kind.startswith(("lead.", "contact.")):
        facts = [("Contact", _person(data)), ("Company", data.get("company", "")), ("Source", data.get("source", ""))]
    elif kind.startswith("task."):
        facts = [("Task", data.get("title", "")), ("Due", data.get("due_at") or "no date")]
    elif kind == "campaign.completed":
        facts = [("Campaign", data.get("name", "")), ("Recipients", str(data.get("recipient_count", "")))]
    elif kind == "document.uploaded":
        facts = [("Document", data.get("name", "")), ("Category", data.get("category", ""))]
    elif kind == "email.replied":
        email = data.get("email", {})
        facts = [("From", _person(data.get("contact", {}))), ("Subject", email.get("subject", ""))]
    elif kind == "candidate.ready_to_pitch":
        person = data.get("candidate", {})
        best = (data.get("matches") or [{}])[0]
        name = f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
        facts = [("Candidate", name), ("Best match", f"{best.get('title', '-')} ({best.get('score', '-')})")]
    elif kind == "whatsapp.message":
        facts = [
            ("From", f"{data.get('profile_name', '')} {data.get('from', '')}".strip()),
            ("Text", data.get("text", "")),
        ]
    else:
        facts = [("Name", str(data.get("name", "")))]
    return Summary(title, [(label, value[:300]) for label, value in facts if value])


def slack_body(event: Event) -> dict[str, Any]:
    summary = summary_of(event)
    fields = [{"type": "mrkdwn", "text": f"*{label}*\n{_slack_escape(value)}"} for label, value in summary.facts]
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": summary.title}}]
    if fields:
        blocks.append({"type": "section", "fields": fields[:10]})
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"`{event.type}` · {event.occurred_at:%Y-%m-%d %H:%M} UTC"}],
        }
    )
    fallback = summary.title + ": " + ", ".join(value for _, value in summary.facts)
    return {"text": fallback, "blocks": blocks}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams_body(event: Event) -> dict[str, Any]:
    summary = summary_of(event)
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": summary.title, "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "FactSet", "facts": [{"title": label, "value": value} for label, value in summary.facts]},
            {
                "type": "TextBlock",
                "text": f"{event.type} · {event.occurred_at:%Y-%m-%d %H:%M} UTC",
                "isSubtle": True,
                "size": "Small",
            },
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }
