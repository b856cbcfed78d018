import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from crm.models import Brand, Contact, Deal, DealStatus, PipelineStage
from crm.tests.factories import BrandFactory, ContactFactory, DealFactory, PipelineFactory

pytestmark = pytest.mark.django_db

NEW_KEY = "bmV3LWtleS1mb3ItZmllbGQtZW5jcnlwdGlvbi0wMDE="
OLD_KEY = "dGVzdHMtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleSE="


def raw_value(table: str, column: str, pk: object) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test constants
        return cursor.fetchone()[0]


def test_emails_are_stored_normalised_and_unique_per_brand_whatever_their_case():
    # given
    brand = BrandFactory()
    ContactFactory(brand=brand, email="  Jane.Doe@Example.COM ")
    # when / then
    assert Contact.objects.get().email == "jane.doe@example.com"
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(brand=brand, email="JANE.DOE@example.com")
    ContactFactory(brand=BrandFactory(), email="jane.doe@example.com")  # another brand may have her


def test_the_database_refuses_an_email_that_is_not_normalised():
    contact = ContactFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(email="Upper@Example.com")


def test_a_contact_has_at_most_one_open_deal_per_pipeline():
    deal = DealFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Deal.objects.create(contact=deal.contact, pipeline=deal.pipeline, current_stage=deal.current_stage)
    Deal.objects.filter(pk=deal.pk).update(status=DealStatus.LOST)
    Deal.objects.create(contact=deal.contact, pipeline=deal.pipeline, current_stage=deal.current_stage)


def test_terminal_stages_have_an_outcome_and_open_stages_none():
    pipeline = PipelineFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PipelineStage.objects.create(pipeline=pipeline, name="Done", is_terminal=True, outcome="")
    with pytest.raises(IntegrityError), transaction.atomic():
        PipelineStage.objects.create(pipeline=pipeline, name="Odd", is_terminal=False, outcome="won")


def test_tags_can_be_filtered_on_every_database():
    ContactFactory(email="a@x.example", tags=["tech", "startup"])
    ContactFactory(email="b@x.example", tags=["retail"])

    assert list(Contact.objects.filter(tags__has_tag="Tech").values_list("email", flat=True)) == ["a@x.example"]


def test_brand_secrets_are_encrypted_at_rest():
    # given
    brand = BrandFactory(zoho_client_secret="s3cr3t-client", zoho_refresh_token="1000.refresh-token")
    # when
    stored = raw_value(Brand._meta.db_table, "zoho_refresh_token", brand.pk)
    # then
    assert stored.startswith("fernet:")
    assert "refresh-token" not in stored
    assert Brand.objects.get().zoho_refresh_token == "1000.refresh-token"


def test_rotation_re_encrypts_secrets_with_the_new_key(capsys):
    # given a secret written with the old key
    brand = BrandFactory(zoho_client_secret="s3cr3t-client")
    before = raw_value(Brand._meta.db_table, "zoho_client_secret", brand.pk)
    # when the new key comes first and the rotation runs
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        from django.core.management import call_command

        call_command("rotate_field_encryption")
    # then only the new key is needed to read it
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert Brand.objects.get().zoho_client_secret == "s3cr3t-client"
    assert raw_value(Brand._meta.db_table, "zoho_client_secret", brand.pk) != before
    assert "Re-encrypted 1 value" in capsys.readouterr().out
