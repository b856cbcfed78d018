"""A receiver on 127.0.0.1 that verifies every delivery with the `standardwebhooks` package, as a
customer's endpoint would, and the people and deals the events are about."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from crm.models import Brand
from crm.services.seed import seed_crm_pipelines
from crm.tests.factories import ContactFactory
from crm_site.tests.factories import UserFactory
from hub.models import WebhookMessage
from hub.services.webhooks import webhook_create
from tests.fakes.server import FakeServer, Response


class Receiver(FakeServer):
    """POST /hook: 204 when the signature verifies with `secret`, 401 otherwise; keeps what it verified."""

    def __init__(self) -> None:
        super().__init__()
        self.secret = ""
        self.verified: list[dict] = []
        self.route("POST", r"/hook", self._hook)

    def _hook(self, request) -> Response:
        try:
            payload = Verifier(self.secret).verify(request.body, request.headers)
        except WebhookVerificationError:
            return Response(401, {"error": "bad signature"})
        self.verified.append({"id": request.headers.get("webhook-id"), **payload})
        return Response(204)


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def allow_loopback(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def codeteki(db):
    seed_crm_pipelines()
    return Brand.objects.get(slug="codeteki")


@pytest.fixture
def sales(codeteki):
    return codeteki.pipelines.get(slug="sales")


@pytest.fixture
def hook(receiver, codeteki, allow_loopback):
    webhook = webhook_create(
        name="Receiver", url=f"{receiver.url}/hook", events=["opportunity.won", "opportunity.created"], brand=codeteki,
        user=None,
    )  # fmt: skip
    receiver.secret = webhook.secret
    return webhook


@pytest.fixture
def contact(codeteki):
    return ContactFactory(brand=codeteki, email="jo@acme.example", name="Jo Acme")


@pytest.fixture
def api(codeteki):
    user = UserFactory(username="integrator")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="hub"))
    codeteki.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff(codeteki):
    """A member of Codeteki with the hub's and the CRM's permissions; `staff.user` is who."""
    user = UserFactory(username="ops")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["hub", "crm"]))
    codeteki.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    client.user = user
    return client


def time_passes():
    """Every retry's time has come."""
    WebhookMessage.objects.filter(retry_at__isnull=False).update(retry_at=timezone.now() - timedelta(seconds=1))
