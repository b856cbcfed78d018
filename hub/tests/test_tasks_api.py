"""/api/tasks/: staff to-dos on contacts and deals, scoped to the user's brands; bad input is a
400 naming the field."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from crm.models import Brand, Task
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(codeteki):
    user = UserFactory(username="sam")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="crm"))
    codeteki.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    client.user = user
    return client


@pytest.fixture
def other_brand(codeteki):
    return Brand.objects.exclude(pk=codeteki.pk).first()


def test_a_task_on_a_deal_takes_its_contact_and_brand_and_is_listed_until_done(codeteki, member):
    deal = DealFactory(pipeline=codeteki.pipelines.get(slug="sales"))

    made = member.post("/api/tasks/", {"title": "Send the quote", "deal": str(deal.pk), "assignee": member.user.pk})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["brand"], body["contact"], body["origin"], body["is_done"]) == (
        codeteki.pk,
        str(deal.contact_id),
        "staff",
        False,
    )

    assert [t["title"] for t in member.get("/api/tasks/?done=false").json()["results"]] == ["Send the quote"]
    member.post(f"/api/tasks/{body['id']}/complete/")
    assert member.get("/api/tasks/?done=false").json()["results"] == []
    assert member.get(f"/api/tasks/?done=true&assignee={member.user.pk}").json()["count"] == 1
    assert member.patch(f"/api/tasks/{body['id']}/", {"title": "Quote sent"}).json()["title"] == "Quote sent"
    assert member.delete(f"/api/tasks/{body['id']}/").status_code == 204


def test_bad_tasks_are_400s_naming_the_field(codeteki, member, other_brand):
    contact = ContactFactory(brand=codeteki)
    other_deal = DealFactory(pipeline=codeteki.pipelines.get(slug="sales"))

    no_title = member.post("/api/tasks/", {"contact": str(contact.pk)})
    no_link = member.post("/api/tasks/", {"title": "Floating"})
    wrong_contact = member.post(
        "/api/tasks/", {"title": "Mixed", "contact": str(contact.pk), "deal": str(other_deal.pk)}
    )
    bad_date = member.post("/api/tasks/", {"title": "When", "contact": str(contact.pk), "due_at": "next Tuesday"})
    unseen_brand = member.post("/api/tasks/", {"title": "Theirs", "brand": other_brand.pk})

    assert no_title.status_code == 400 and "title" in no_title.json()
    assert no_link.status_code == 400 and "brand" in no_link.json()
    assert wrong_contact.status_code == 400 and "deal" in wrong_contact.json()
    assert bad_date.status_code == 400 and "due_at" in bad_date.json()
    assert unseen_brand.status_code == 400 and "brand" in unseen_brand.json()
    assert not Task.objects.exists()


def test_another_brand_s_tasks_are_not_seen(codeteki, member, other_brand):
    theirs = Task.objects.create(brand=other_brand, title="Theirs")

    assert member.get("/api/tasks/").json()["count"] == 0
    assert member.get(f"/api/tasks/{theirs.pk}/").status_code == 404
    assert member.post(f"/api/tasks/{theirs.pk}/complete/").status_code == 404


def test_without_the_permission_tasks_are_forbidden(codeteki):
    user = UserFactory(username="viewer")
    codeteki.members.add(user)
    client = APIClient()
    client.force_authenticate(user)

    assert client.get("/api/tasks/").status_code == 403
