"""The outgoing message: sanitised HTML with the open pixel, the unsubscribe link, the send key
(what reconciliation searches the Sent folder for) and every web link through the click redirect,
and its plain-text version.

A link `<a href="https://x">` becomes `SITE_URL/t/c/<token>/<signature>/`, the signature an HMAC
of the email's tracking token and the link. The redirect looks the signature up among the links of
that email's own stored body (`link_for_signature`), so it leads nowhere else (docs/adr/0015).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

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


@cache
def _route(name: str, arity: int) -> str:
    """The URL pattern `name` with {0}, {1}... for its arguments: reversed once, not per email
    (a campaign renders thousands; Django's reverse costs a third of a millisecond each)."""
    marks = [f"__arg{n}__" for n in range(arity)]
    path = reverse(name, args=marks)
    for n, mark in enumerate(marks):
        path = path.replace(mark, "{%d}" % n)  # noqa: UP031 - a format template is what is made here
    return path


def _url(name: str, *args: str) -> str:
    return settings.SITE_URL + _route(name, len(args)).format(*(quote(arg, safe="") for arg in args))


def unsubscribe_url(tracking_token: str) -> str:
    return _url("crm-unsubscribe", tracking_token)


def pixel_url(tracking_token: str) -> str:
    return _url("crm-open-pixel", tracking_token)


ANCHOR_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I)
ANCHOR = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
SIGNATURE_LENGTH = 24


def click_signature(tracking_token: str, url: str) -> str:
    return salted_hmac("crm.mail.click", f"{tracking_token}\n{url}").hexdigest()[:SIGNATURE_LENGTH]


def click_url(tracking_token: str, url: str) -> str:
    return _url("crm-click", tracking_token, click_signature(tracking_token, url))


def _trackable(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def links(body: str) -> list[str]:
    """The web links of a stored body, as the recipient's copy has them (before tracking)."""
    found = (html_lib.unescape(match.group(2)) for match in ANCHOR_HREF.finditer(sanitise(body_html(body))))
    return list(dict.fromkeys(url for url in found if _trackable(url)))


def link_for_signature(body: str, tracking_token: str, signature: str) -> str | None:
    """The link of `body` that `signature` signs for this email, else None."""
    for url in links(body):
        if constant_time_compare(click_signature(tracking_token, url), signature):
            return url
    return None


def _track_links(markup: str, tracking_token: str) -> str:
    def swap(match: re.Match[str]) -> str:
        url = html_lib.unescape(match.group(2))
        if not _trackable(url):
            return match.group(0)
        return f"{match.group(1)}{html_lib.escape(click_url(tracking_token, url))}{match.group(3)}"

    return ANCHOR_HREF.sub(swap, markup)


def _text_of(markup: str) -> str:
    """Plain text of HTML, each link's address kept after its words."""

    def spell(match: re.Match[str]) -> str:
        url, words = html_lib.unescape(match.group(1)), html_to_text(match.group(2))
        return f"{words} ({html_lib.escape(url)})" if words and words != url else html_lib.escape(url)

    return html_to_text(ANCHOR.sub(spell, markup))


def render(
    *, body: str, tracking_token: str, send_key: str, sender: str, text: str = "", track_links: bool = True
) -> RenderedEmail:
    """The message as it goes out. `text`: a plain-text body written for it (campaigns), else the
    text is made from the HTML. `track_links=False` (a test to oneself) leaves the links as written."""
    unsubscribe = unsubscribe_url(tracking_token)
    footer = (
        '<p style="color:#888;font-size:11px;margin-top:24px">'
        f"{html_lib.escape(sender)} · "
        f'<a href="{html_lib.escape(unsubscribe)}">Unsubscribe</a> · Ref {send_key}</p>'
    )
    pixel = f'<img src="{html_lib.escape(pixel_url(tracking_token))}" width="1" height="1" alt="" style="display:none">'
    clean = sanitise(body_html(body))
    tracked = _track_links(clean, tracking_token) if track_links else clean
    html = f"<div>{tracked}{footer}</div>{pixel}"
    if text.strip() and track_links:
        for url in sorted(links(body), key=len, reverse=True):
            text = text.replace(url, click_url(tracking_token, url))
    plain = text.strip() or _text_of(tracked)
    text_out = f"{plain}\n\n--\n{sender}\nUnsubscribe: {unsubscribe}\nRef {send_key}\n"
    return RenderedEmail(html=html, text=text_out, unsubscribe_url=unsubscribe)
