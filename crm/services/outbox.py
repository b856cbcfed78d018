"""The local outbox: staff put a simulated answer to a sent message in the brand's inbox."""

from __future__ import annotations

from crm.mail.outbox import new_message_id
from crm.models import OutboxFolder, OutboxMessage

KINDS = ("reply", "out_of_office", "bounce")


def outbox_simulate_inbound(*, message: OutboxMessage, kind: str, text: str = "") -> OutboxMessage:
    """A reply, out-of-office answer or bounce to `message`, as check_email_replies will find it."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    brand = message.brand
    quoted = f"\n\nOn an earlier day, {brand.from_email} wrote:\n> {message.subject}"
    values = {
        "reply": {
            "from_address": message.to_address,
            "subject": f"Re: {message.subject}",
            "text": (text or "Sounds good, I am interested. Can we book a call this week?") + quoted,
            "headers": {},
        },
        "out_of_office": {
            "from_address": message.to_address,
            "subject": f"Automatic reply: {message.subject}",
            "text": text or "I am out of the office until next Monday with limited access to email.",
            "headers": {"Auto-Submitted": "auto-replied"},
        },
        "bounce": {
            "from_address": f"mailer-daemon@{message.to_address.split('@')[-1]}",
            "subject": "Undelivered Mail Returned to Sender",
            "text": (
                "This is the mail system: your message could not be delivered.\n\n"
                f"Final-Recipient: rfc822; {message.to_address}\nAction: failed\nStatus: 5.1.1\n"
                "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n"
            ),
            "headers": {"Content-Type": "multipart/report; report-type=delivery-status"},
        },
    }[kind]
    return OutboxMessage.objects.create(
        brand=brand,
        folder=OutboxFolder.INBOX,
        to_address=brand.from_email,
        rfc_message_id=new_message_id(brand),
        in_reply_to=message.rfc_message_id,
        **values,
    )
