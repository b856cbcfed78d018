from datetime import timedelta

import pytest
from django.utils import timezone

from crm.models import ActivityType, DealStatus, EmailLog, EmailStatus
from crm.services.sending import email_queue
from crm.tests.factories import EmailLogFactory

pytestmark = pytest.mark.django_db


def test_the_pixel_records_the_first_open_and_counts_the_rest(client):
    email = EmailLogFactory(sent_at=timezone.now() - timedelta(hours=2))

    first = client.get(f"/t/o/{email.tracking_token}.gif", HTTP_USER_AGENT="Mozilla/5.0")
    client.get(f"/t/o/{email.tracking_token}.gif")

    email.refresh_from_db()
    assert first["Content-Type"] == "image/gif"
    assert "no-store" in first["Cache-Control"]
    assert (email.opened, email.open_count, email.likely_machine_open) == (True, 2, False)
    assert email.deal.activities.filter(activity_type=ActivityType.EMAIL_OPENED).count() == 1


def test_an_open_by_an_image_proxy_or_right_after_sending_looks_automated(client):
    proxy = EmailLogFactory(sent_at=timezone.now() - timedelta(hours=2))
    instant = EmailLogFactory(sent_at=timezone.now())

    client.get(f"/t/o/{proxy.tracking_token}.gif", HTTP_USER_AGENT="Mozilla/5.0 (via ggpht.com GoogleImageProxy)")
    client.get(f"/t/o/{instant.tracking_token}.gif")

    assert EmailLog.objects.get(pk=proxy.pk).likely_machine_open
    assert EmailLog.objects.get(pk=instant.pk).likely_machine_open


def test_an_unknown_token_gets_the_same_pixel_and_changes_nothing(client):
    response = client.get("/t/o/made-up-token.gif")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"


def test_get_shows_a_confirmation_and_never_unsubscribes(client):
    email = EmailLogFactory()

    page = client.get(f"/u/{email.tracking_token}/")

    assert page.status_code == 200
    assert b'<form method="post">' in page.content
    email.deal.contact.refresh_from_db()
    assert email.deal.contact.unsubscribed_at is None


def test_a_one_click_post_without_cookies_unsubscribes_and_stops_everything(client):
    # given a contact with an open deal and a queued email
    email = EmailLogFactory()
    pending = email_queue(deal=email.deal, subject="Next", body="x")
    # when a mail provider posts RFC 8058's one-click body, with no cookie and no CSRF token
    response = client.post(
        f"/u/{email.tracking_token}/", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    # then
    assert response.status_code == 200
    assert not response.has_header("Location")
    contact = email.deal.contact
    contact.refresh_from_db()
    assert contact.unsubscribed_at is not None
    assert EmailLog.objects.get(pk=pending.pk).status == EmailStatus.CANCELLED
    email.deal.refresh_from_db()
    assert email.deal.status == DealStatus.PAUSED
    assert client.post(f"/u/{email.tracking_token}/").status_code == 200  # twice is harmless


def test_an_unknown_unsubscribe_token_is_a_404(client):
    assert client.get("/u/nope/").status_code == 404
    assert client.post("/u/nope/").status_code == 404


def test_tracking_tokens_are_long_and_unguessable():
    tokens = {EmailLogFactory().tracking_token for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)
