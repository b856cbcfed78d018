"""Reading inbound mail: headers, automatic replies and delivery-status notifications."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr

import nh3

from crm.mail.base import InboundMessage

# RFC 3834 and what common autoresponders send instead.
AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto:|away from|on leave|vacation)", re.I
)
BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery (status notification|failure|has failed)|returned mail|mail delivery failed|failure notice)",
    re.I,
)
FINAL_RECIPIENT = re.compile(r"^(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^\s>]+@[^\s>]+)>?", re.I | re.M)
DSN_STATUS = re.compile(r"^status:\s*([245])\.(\d{1,3})\.(\d{1,3})", re.I | re.M)
SMTP_CODE = re.compile(r"\b([45])(\d\d)[ -]([45])\.(\d{1,3})\.(\d{1,3})\b")
# Where the quoted message starts: "> ", an attribution line in the languages the brands meet
# ("On ... wrote:", "Am ... schrieb", "Le ... a écrit :", ...), a forwarded or original-message
# separator, an Outlook header block, or a mail server's "copy of the message below".
QUOTE_START = re.compile(
    r"^(>|(on|am|le|el|il|op|em|w dniu) .{0,200}(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|"
    r"napisał).{0,120}:\s*$|-{2,} ?(original|forwarded|ursprüngliche|message d'origine|mensaje original)|"
    r"begin forwarded message|from: |von: |de: |_{20,}|-{2,}.{0,40}below this line)",
    re.I | re.M,
)


def parse_headers(raw: str) -> dict[str, str]:
    """A raw header block as {lower-case name: value}, the first occurrence of each."""
    message = HeaderParser().parsestr(raw, headersonly=True)
    headers: dict[str, str] = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), str(value).strip())
    return headers


def html_to_text(markup: str) -> str:
    markup = re.sub(r"(?i)<br\s*/?>|</div>|</li>", "\n", markup)
    markup = re.sub(r"(?i)</p>", "\n\n", markup)
    text = html_lib.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def address(value: str) -> str:
    return parseaddr(html_lib.unescape(value))[1].strip().lower()


def message_ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value)


def reply_text(text: str) -> str:
    """The new part of a reply, without the quoted message underneath."""
    match = QUOTE_START.search(text)
    return (text[: match.start()] if match else text).strip() or text.strip()


def is_auto_reply(message: InboundMessage) -> bool:
    auto_submitted = message.header("auto-submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.header("x-autoreply") or message.header("x-autorespond") or message.header("x-autoreply-from"):
        return True
    if message.header("precedence").lower() in ("auto_reply", "bulk", "junk"):
        return True
    return bool(AUTO_SUBJECT.search(message.subject))


@dataclass(frozen=True)
class Bounce:
    recipients: list[str]
    permanent: bool
    status: str
    from_mail_system: bool = False  # a multipart/report, or sent by a mailer-daemon or postmaster


def parse_bounce(message: InboundMessage) -> Bounce | None:
    """A delivery-status notification (RFC 3464), or None for an ordinary message."""
    content_type = message.header("content-type").lower()
    is_report = "multipart/report" in content_type and "delivery-status" in content_type
    if not (is_report or BOUNCE_SENDER.match(message.from_address) or BOUNCE_SUBJECT.search(message.subject)):
        return None
    recipients = [addr.lower() for addr in FINAL_RECIPIENT.findall(message.text)]
    if not recipients:
        recipients = [a for _, a in getaddresses([message.header("x-failed-recipients")]) if a]
    status = DSN_STATUS.search(message.text)
    smtp = SMTP_CODE.search(message.text)
    if status:
        code = ".".join(status.groups())
    elif smtp:
        code = ".".join(smtp.groups()[2:])
    else:
        code = "5.0.0"  # a bounce that says nothing more is treated as permanent
    from_system = is_report or BOUNCE_SENDER.match(message.from_address) is not None
    return Bounce(recipients=recipients, permanent=code.startswith("5"), status=code, from_mail_system=from_system)
