"""/api/tasks/: staff to-dos on contacts and deals, scoped to the user's brands; bad input is a
400 naming the field."""

import pytest
from rest_framework.test import APIClient

from crm.models import Brand, Task
from crm.tests.factories import ContactFactory, DealFactory
from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_brand(codeteki):
    return Brand.objects.exclude(pk=codeteki.pk).first()


def test_a_task_on_a_deal_takes_its_contact_and_brand_and_is_listed_until_done(codeteki, staff):
    deal = DealFactory(pipeline=codeteki.pipelines.get(slug="sales"))

    made = staff.post("/api/tasks/", {"title": "Send the quote", "deal": str(deal.pk), "assignee": staff.user.pk})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["brand"], body["contact"], body["origin"], body["is_done"]) == (
        codeteki.pk,
        str(deal.contact_id),
        "staff",
        False,
    )

    assert [t["title"] for t in staff.get("/api/tasks/?done=false").json()["results"]] == ["Send the quote"]
    staff.post(f"/api/tasks/{body['id']}/complete/")
    assert staff.get("/api/tasks/?done=false").json()["results"] == []
    assert staff.get(f"/api/tasks/?done=true&assignee={staff.user.pk}").json()["count"] == 1
    assert staff.patch(f"/api/tasks/{body['id']}/", {"title": "Quote sent"}).json()["title"] == "Quote sent"
    assert staff.delete(f"/api/tasks/{body['id']}/").status_code == 204


def test_bad_tasks_are_400s_naming_the_field(codeteki, staff, other_brand):
    contact = ContactFactory(brand=codeteki)
    other_deal = DealFactory(pipeline=codeteki.pipelines.get(slug="sales"))

    no_title = staff.post("/api/tasks/", {"contact": str(contact.pk)})
    no_link = staff.post("/api/tasks/", {"title": "Floating"})
    wrong_contact = staff.post(
        "/api/tasks/", {"title": "Mixed", "contact": str(contact.pk), "deal": str(other_deal.pk)}
    )
    bad_date = staff.post("/api/tasks/", {"title": "When", "contact": str(contact.pk), "due_at": "next Tuesday"})
    unseen_brand = staff.post("/api/tasks/", {"title": "Theirs", "brand": other_brand.pk})

    assert no_title.status_code == 400 and "title" in no_title.json()
    assert no_link.status_code == 400 and "brand" in no_link.json()
    assert wrong_contact.status_code == 400 and "deal" in wrong_contact.json()
    assert bad_date.status_code == 400 and "due_at" in bad_date.json()
    assert unseen_brand.status_code == 400 and "brand" in unseen_brand.json()
    assert not Task.objects.exists()


def test_another_brand_s_tasks_are_not_seen(codeteki, staff, other_brand):
    theirs = Task.objects.create(brand=other_brand, title="Theirs")

    assert staff.get("/api/tasks/").json()["count"] == 0
    assert staff.get(f"/api/tasks/?brand={other_brand.slug}").status_code == 400  # not an empty list
    assert staff.get(f"/api/tasks/{theirs.pk}/").status_code == 404
    assert staff.post(f"/api/tasks/{theirs.pk}/complete/").status_code == 404


def test_without_the_permission_tasks_are_forbidden(codeteki):
    user = UserFactory(username="viewer")
    codeteki.members.add(user)
    client = APIClient()
    client.force_authenticate(user)

    assert client.get("/api/tasks/").status_code == 403
