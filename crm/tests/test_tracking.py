from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from crm.models import ActivityType, DealStatus, EmailLog, EmailStatus
from crm.services.sending import email_queue
from crm.tests.factories import EmailLogFactory

pytestmark = pytest.mark.django_db


THUNDERBIRD = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0"


def test_the_pixel_records_the_first_open_and_counts_the_rest(client):
    email = EmailLogFactory(sent_at=timezone.now() - timedelta(hours=2))

    first = client.get(f"/t/o/{email.tracking_token}.gif", HTTP_USER_AGENT=THUNDERBIRD)
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


def test_apple_mail_privacy_protection_looks_automated(client):
    """Apple's proxy fetches every image with a bare "Mozilla/5.0", from Apple's 17.0.0.0/8."""
    by_agent = EmailLogFactory(sent_at=timezone.now() - timedelta(hours=2))
    by_network = EmailLogFactory(sent_at=timezone.now() - timedelta(hours=2))

    client.get(f"/t/o/{by_agent.tracking_token}.gif", HTTP_USER_AGENT="Mozilla/5.0")
    client.get(f"/t/o/{by_network.tracking_token}.gif", HTTP_USER_AGENT=THUNDERBIRD, REMOTE_ADDR="17.58.1.9")

    assert EmailLog.objects.get(pk=by_agent.pk).likely_machine_open
    assert EmailLog.objects.get(pk=by_network.pk).likely_machine_open


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


def _sent_with_links(**kwargs):
    body = '<p>See <a href="https://codeteki.au/work?a=1&amp;b=2">our work</a> or <a href="mailto:x@y.z">mail</a>.</p>'
    return EmailLogFactory(body=body, sent_at=timezone.now() - timedelta(hours=2), **kwargs)


def test_links_go_out_through_the_signed_redirect_and_lead_to_their_own_address(client):
    from crm.mail.content import render

    email = _sent_with_links()
    rendered = render(body=email.body, tracking_token=email.tracking_token, send_key=email.send_key, sender="Codeteki")
    assert "https://codeteki.au/work" not in rendered.html  # only the redirect is in the message
    assert 'href="mailto:x@y.z"' in rendered.html  # not a web link: left alone
    tracked = rendered.html.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert f"/t/c/{email.tracking_token}/" in tracked
    assert f"our work ({tracked})" in rendered.text

    response = client.get(tracked.removeprefix(settings.SITE_URL), HTTP_USER_AGENT=THUNDERBIRD)

    assert response.status_code == 302
    assert response["Location"] == "https://codeteki.au/work?a=1&b=2"
    email.refresh_from_db()
    assert email.clicked and email.clicked_at is not None
    assert email.deal.activities.filter(activity_type=ActivityType.EMAIL_CLICKED).count() == 1


@pytest.mark.parametrize("signature", ["0" * 24, "", "deadbeef"])
def test_the_redirect_leads_nowhere_but_the_emails_own_links(client, signature):
    from crm.mail.content import click_signature

    email = _sent_with_links()
    forged = click_signature(email.tracking_token, "https://evil.example/")  # signed, but not in the email

    assert client.get(f"/t/c/{email.tracking_token}/{signature or 'x'}/").status_code == 404
    assert client.get(f"/t/c/{email.tracking_token}/{forged}/").status_code == 404
    assert client.get(f"/t/c/unknown-token/{forged}/").status_code == 404
    email.refresh_from_db()
    assert not email.clicked


def test_a_scanner_click_is_told_as_machine_and_leaves_the_email_unclicked(client):
    from crm.mail.content import click_signature
    from crm.signals import email_event

    seen = []

    def listen(sender, **event):
        seen.append((event["event"], event["machine"], event["url"]))

    email = _sent_with_links()
    EmailLog.objects.filter(pk=email.pk).update(sent_at=timezone.now())  # a scanner clicks on delivery
    signature = click_signature(email.tracking_token, "https://codeteki.au/work?a=1&b=2")
    email_event.connect(listen)
    try:
        response = client.get(f"/t/c/{email.tracking_token}/{signature}/", HTTP_USER_AGENT=THUNDERBIRD)
    finally:
        email_event.disconnect(listen)

    assert response.status_code == 302  # the scanner still gets the page
    assert seen == [("clicked", True, "https://codeteki.au/work?a=1&b=2")]
    email.refresh_from_db()
    assert not email.clicked
