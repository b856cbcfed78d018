"""The WhatsApp demo conversations `make run` loads: received once, linked to the demo candidates, tagged."""

import pytest
from django.core.management import call_command

from messaging.models import WhatsAppContact, WhatsAppMessage
from recruiting.demo import seed_recruiting_demo

pytestmark = pytest.mark.django_db


def test_the_demo_conversations_load_once_linked_to_candidates_and_tagged(capsys, cv_dir):
    # given
    seed_recruiting_demo()

    # when
    call_command("seed_whatsapp_demo")
    call_command("seed_whatsapp_demo")

    # then
    out = capsys.readouterr().out
    assert "WhatsApp demo: 4 conversations, 7 messages." in out and "already loaded" in out
    assert WhatsAppMessage.objects.count() == 7
    priya = WhatsAppContact.objects.get(phone="+61412555101")
    assert priya.candidate is not None and priya.candidate.first_name == "Priya"
    assert priya.labels
    assert WhatsAppContact.objects.get(phone="+61414555103").language == "es"
    assert WhatsAppContact.objects.get(phone="+61490555199").candidate is None
