from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.segments import FILTERS, FilterError, filters_check, segment_contacts
from crm.models import Contact, DealStatus, EmailLog
from crm.tests.factories import ContactFactory, DealFactory, EmailLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(codeteki):
    sales = codeteki.pipelines.get(slug="sales")
    make = lambda email, **kw: ContactFactory(brand=codeteki, email=email, **kw)  # noqa: E731
    ana = make("ana@a.example", tags=["saas", "au"], source="Website", domain_authority=60, contact_type="lead")
    ben = make("ben@b.example", tags=["saas"], source="LinkedIn", domain_authority=20, contact_type="lead")
    cy = make("cy@c.example", tags=["agency", "au"], source="website", domain_authority=45, contact_type="partner")
    dee = make("dee@d.example", tags=[], source="", domain_authority=None, contact_type="backlink_target")
    DealFactory(pipeline=sales, contact=ana, status=DealStatus.ACTIVE)
    DealFactory(pipeline=sales, contact=cy, status=DealStatus.WON)
    return {"ana": ana, "ben": ben, "cy": cy, "dee": dee}


def emails(filters, brand):
    return set(segment_contacts(filters, brand).values_list("email", flat=True))


def test_each_filter_narrows_the_brands_contacts(codeteki, people):
    assert emails({}, codeteki) == {"ana@a.example", "ben@b.example", "cy@c.example", "dee@d.example"}
    assert emails({"contact_type": "lead"}, codeteki) == {"ana@a.example", "ben@b.example"}
    assert emails({"contact_type": ["partner", "backlink_target"]}, codeteki) == {"cy@c.example", "dee@d.example"}
    assert emails({"tags_any": ["agency", "SaaS"]}, codeteki) == {"ana@a.example", "ben@b.example", "cy@c.example"}
    assert emails({"tags_all": ["saas", "au"]}, codeteki) == {"ana@a.example"}
    assert emails({"source": "WEBSITE"}, codeteki) == {"ana@a.example", "cy@c.example"}
    assert emails({"domain_authority_min": 40, "domain_authority_max": 59}, codeteki) == {"cy@c.example"}
    assert emails({"pipeline": "sales"}, codeteki) == {"ana@a.example", "cy@c.example"}
    assert emails({"pipeline": "sales", "deal_status": "won"}, codeteki) == {"cy@c.example"}
    assert emails({"pipeline": "sales", "stage": "new lead", "deal_status": ["active"]}, codeteki) == {"ana@a.example"}
    other = ContactFactory(email="ana@a.example")  # the same address at another brand is not ours
    assert other.brand != codeteki and "ana@a.example" in emails({"tags_any": ["saas"]}, codeteki)


def test_created_range_and_engagement(codeteki, people):
    Contact.objects.filter(pk=people["dee"].pk).update(created_at=timezone.now() - timedelta(days=90))
    assert emails({"created_before": (timezone.now() - timedelta(days=30)).date().isoformat()}, codeteki) == {
        "dee@d.example"
    }

    ana, ben, cy = people["ana"], people["ben"], people["cy"]
    now = timezone.now()
    opened = EmailLogFactory(deal=ana.deals.get(), sent_at=now - timedelta(days=3))
    EmailLog.objects.filter(pk=opened.pk).update(opened=True, opened_at=now - timedelta(days=2))
    proxy = EmailLogFactory(deal=DealFactory(contact=ben, pipeline=ana.deals.get().pipeline), sent_at=now)
    EmailLog.objects.filter(pk=proxy.pk).update(opened=True, opened_at=now, likely_machine_open=True)
    old = EmailLogFactory(deal=cy.deals.get(), sent_at=now - timedelta(days=40))
    EmailLog.objects.filter(pk=old.pk).update(replied=True, replied_at=now - timedelta(days=39))

    assert emails({"engaged_within_days": 7}, codeteki) == {"ana@a.example"}  # the proxy's open is not a person's
    assert emails({"engaged_within_days": 60}, codeteki) == {"ana@a.example", "cy@c.example"}
    assert emails({"not_contacted_days": 14}, codeteki) == {"cy@c.example", "dee@d.example"}


def test_dates_take_a_date_or_a_datetime(codeteki, people):
    Contact.objects.filter(pk=people["dee"].pk).update(created_at=timezone.now() - timedelta(days=90))
    cut = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert emails({"created_after": cut}, codeteki) == {"ana@a.example", "ben@b.example", "cy@c.example"}
    assert emails({"created_after": f"{cut}T00:00:00+00:00"}, codeteki) == emails({"created_after": cut}, codeteki)


@pytest.mark.parametrize(
    ("filters", "key"),
    [
        ({"colour": "red"}, "colour"),
        ({"contact_type": "customer"}, "contact_type"),
        ({"tags_any": "not-a-list-but-ok", "tags_all": 3}, "tags_all"),
        ({"domain_authority_min": 101}, "domain_authority_min"),
        ({"domain_authority_min": "40"}, "domain_authority_min"),
        ({"domain_authority_min": 60, "domain_authority_max": 40}, "domain_authority_min"),
        ({"pipeline": "nope"}, "pipeline"),
        ({"stage": "Contacted"}, "stage"),
        ({"pipeline": "sales", "stage": "Nowhere"}, "stage"),
        ({"deal_status": "open"}, "deal_status"),
        ({"engaged_within_days": 0}, "engaged_within_days"),
        ({"not_contacted_days": True}, "not_contacted_days"),
        ({"created_after": "last week"}, "created_after"),
    ],
)
def test_a_bad_filter_is_named(codeteki, filters, key):
    with pytest.raises(FilterError) as caught:
        filters_check(filters, codeteki)
    assert key in caught.value.problems
    assert set(caught.value.problems) <= set(filters) | set(FILTERS)


def test_filters_must_be_an_object(codeteki):
    with pytest.raises(FilterError) as caught:
        filters_check(["contact_type"], codeteki)
    assert "filters" in caught.value.problems
