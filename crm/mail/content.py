"""The outgoing message: sanitised HTML with the open pixel, the unsubscribe link and the send
key (what reconciliation searches the Sent folder for), and its plain-text version."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.urls import reverse

from crm.mail.parsing import html_to_text

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "span",
    "div",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"style"}, "div": {"style"}}


@dataclass(frozen=True)
class RenderedEmail:
    html: str
    text: str
    unsubscribe_url: str


HTML_START = re.compile(r"\s*<(!doctype|html|body|div|p|table|h[1-6]|span|ul|ol|br|b|strong|em|i|a)\b", re.I)


def is_html(text: str) -> bool:
    """A body or template written as HTML starts with a tag; a "<" later in plain text (a name
    a contact typed, "<3") does not make it HTML."""
    return HTML_START.match(text) is not None


def body_html(text_or_html: str) -> str:
    """Plain text (what templates and the rules write) becomes paragraphs, every character of it
    escaped; HTML is kept (and sanitised by the caller)."""
    if is_html(text_or_html):
        return text_or_html
    paragraphs = [p.strip() for p in text_or_html.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html_lib.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def sanitise(markup: str) -> str:
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")


def unsubscribe_url(tracking_token: str) -> str:
    return settings.SITE_URL + reverse("crm-unsubscribe", args=[tracking_token])


def pixel_url(tracking_token: str) -> str:
    return settings.SITE_URL + reverse("crm-open-pixel", args=[tracking_token])


def render(*, body: str, tracking_token: str, send_key: str, sender: str) -> RenderedEmail:
    unsubscribe = unsubscribe_url(tracking_token)
    footer = (
        '<p style="color:#888;font-size:11px;margin-top:24px">'
        f"{html_lib.escape(sender)} · "
        f'<a href="{html_lib.escape(unsubscribe)}">Unsubscribe</a> · Ref {send_key}</p>'
    )
    pixel = f'<img src="{html_lib.escape(pixel_url(tracking_token))}" width="1" height="1" alt="" style="display:none">'
    clean = sanitise(body_html(body))
    html = f"<div>{clean}{footer}</div>{pixel}"
    text = f"{html_to_text(clean)}\n\n--\n{sender}\nUnsubscribe: {unsubscribe}\nRef {send_key}\n"
    return RenderedEmail(html=html, text=text, unsubscribe_url=unsubscribe)
