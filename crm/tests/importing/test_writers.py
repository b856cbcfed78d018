"""Both writers keep the same merge rules; the PostgreSQL one runs where the suite is on PostgreSQL."""

import pytest
from django.db import connection

from crm.importing.reader import ContactRow
from crm.importing.writers import ImportTarget, OrmWriter, PostgresWriter
from crm.models import Contact, Deal
from crm.tests.factories import ContactFactory, DealFactory

WRITERS = [OrmWriter] + ([PostgresWriter] if connection.vendor == "postgresql" else [])


@pytest.fixture(params=WRITERS, ids=lambda w: w.__name__)
def writer_class(request):
    return request.param


def target_for(pipeline=None, brand=None, source="fair"):
    brand = brand or pipeline.brand
    return ImportTarget(
        brand_id=brand.pk,
        contact_type="lead",
        source=source,
        pipeline_id=pipeline.pk if pipeline else None,
        first_stage_id=pipeline.first_stage().pk if pipeline else None,
    )


def row(email, **fields):
    return ContactRow(line=2, email=email, **fields)


@pytest.mark.django_db
def test_new_contacts_are_created_and_known_ones_get_their_blanks_filled(writer_class):
    # given a known contact with a name but no company, DA or tags
    known = ContactFactory(
        email="known@x.example", name="Kay", company="", domain_authority=None, source="", tags=["a"]
    )
    writer = writer_class(target_for(brand=known.brand))
    # when
    outcome = writer.write(
        [
            row("new@x.example", name="Nia", first_name="Nia", company="New Co", tags=["b"]),
            row("known@x.example", name="Other Name", company="Kay Co", domain_authority=40, tags=["a", "c"]),
        ]
    )
    # then
    assert (outcome.created, outcome.updated, outcome.skipped) == (1, 1, 0)
    known.refresh_from_db()
    assert (known.name, known.company, known.domain_authority, known.source) == ("Kay", "Kay Co", 40, "fair")
    assert known.tags == ["a", "c"]
    new = Contact.objects.get(email="new@x.example")
    assert (new.company, new.contact_type, new.source, new.tags) == ("New Co", "lead", "fair", ["b"])


@pytest.mark.django_db
def test_a_row_that_adds_nothing_is_skipped(writer_class):
    known = ContactFactory(email="known@x.example", name="Kay", tags=["a"], source="fair")
    before = known.updated_at

    outcome = writer_class(target_for(brand=known.brand)).write([row("known@x.example", name="Kay", tags=["a"])])

    assert (outcome.created, outcome.updated, outcome.skipped) == (0, 0, 1)
    known.refresh_from_db()
    assert known.updated_at == before


@pytest.mark.django_db
def test_deals_go_to_reachable_contacts_without_a_deal_in_the_pipeline(writer_class):
    # given a contact with a lost deal, an unsubscribed one and a fresh one
    lost = DealFactory(status="lost")
    pipeline = lost.pipeline
    ContactFactory(brand=pipeline.brand, email="gone@x.example", unsubscribed_at="2026-01-01T00:00:00Z")
    writer = writer_class(target_for(pipeline))
    # when
    outcome = writer.write([row(lost.contact.email), row("gone@x.example"), row("fresh@x.example")])
    again = writer.write([row("fresh@x.example")])
    # then
    assert outcome.deals_created == 1
    assert again.deals_created == 0
    deal = Deal.objects.get(contact__email="fresh@x.example")
    assert deal.current_stage == pipeline.first_stage()
    assert deal.activities.get().description == "Created by contact import"
    entry = deal.stage_changes.get()
    assert (entry.from_stage, entry.to_stage, entry.source, entry.left_at) == (None, deal.current_stage, "import", None)
    assert Deal.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics: PostgreSQL only (CI runs it)")
@pytest.mark.django_db
def test_an_import_with_deals_keeps_the_planners_idea_of_the_tables_size_true(sales):
    # given tables the planner has no fresh statistics for, as on a new server before autovacuum ran
    writer = PostgresWriter(target_for(sales))
    # when four batches of new contacts come in with deals
    for batch in range(4):
        writer.write([row(f"c{batch}-{n}@x.example") for n in range(1000)])
    # then the planner's row counts follow the tables (it had taken them for near-empty ones, and
    # the deal step of each batch compared every contact with every deal)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname IN ('crm_contact', 'crm_deal')")
        estimates = dict(cursor.fetchall())
    actual = {"crm_contact": Contact.objects.count(), "crm_deal": Deal.objects.count()}
    assert actual["crm_deal"] == 4000
    for table, rows in actual.items():
        assert rows / 2 <= estimates[table] <= rows * 2, (table, estimates[table], rows)
