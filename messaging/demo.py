"""A few WhatsApp conversations for the embedded run, received as Meta's webhook delivers them
(whatsapp_message_receive: stored, linked to the candidate with the number, tagged), so the
Messaging screens show something before WhatsApp is connected. Run after the recruiting demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from messaging.models import WhatsAppMessage
from messaging.services.messages import whatsapp_message_receive

DEMO_PREFIX = "wamid.demo-"
CONVERSATIONS = [
    (
        "61412555101",
        "Priya Sharma",
        [
            "Hi! I saw the Senior Python Developer role at Canva. Is it still open?",
            "I can do an interview any day next week. My CV is updated with my Django work.",
        ],
    ),
    (
        "61413555102",
        "Liam O'Connor",
        ["Hello, what's the salary range for the Payroll Officer job in Melbourne?", "Also, is parking provided?"],
    ),
    (
        "61414555103",
        "Mei Chen",
        ["Hola, ¿el puesto de Frontend Engineer es 100% remoto?", "Gracias, quedo atenta."],
    ),
    ("61490555199", "Sam", ["Please stop messaging me, I found a job already."]),
]


@dataclass
class WhatsAppDemoReport:
    conversations: int = 0
    messages: int = 0
    skipped: bool = False


def seed_whatsapp_demo() -> WhatsAppDemoReport:
    """Receive the demo's messages once (they are recognised by their message ids)."""
    if WhatsAppMessage.objects.filter(wa_message_id__startswith=DEMO_PREFIX).exists():
        return WhatsAppDemoReport(skipped=True)
    report = WhatsAppDemoReport()
    start = timezone.now() - timedelta(hours=len(CONVERSATIONS) * 3)
    for number, (phone, name, texts) in enumerate(CONVERSATIONS):
        for index, text in enumerate(texts):
            when = start + timedelta(hours=number * 3, minutes=index * 7)
            message = {
                "from": phone, "id": f"{DEMO_PREFIX}{number}-{index}", "timestamp": str(int(when.timestamp())),
                "type": "text", "text": {"body": text},
            }  # fmt: skip
            if whatsapp_message_receive(message=message, profile_name=name) is not None:
                report.messages += 1
        report.conversations += 1
    return report
