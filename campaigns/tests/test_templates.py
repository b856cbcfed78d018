"""Campaign templates: checked on save (an unknown variable, filter or tag is named), sandboxed
rendering (plain strings only; the HTML body escaped), the API and its brand scoping."""

import pytest

from campaigns.models import EmailTemplate
from campaigns.templating import render, template_problems
from crm.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TEMPLATES = "/api/campaigns/templates/"


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{{ contact.password }}", "unknown variable 'contact.password'"),
        ("{{ brand.zoho_client_secret }}", "unknown variable 'brand.zoho_client_secret'"),
        ("{% if secret %}x{% endif %}", "unknown variable 'secret'"),
        ('{% include "admin/base.html" %}', "the tag 'include' is not allowed"),
        ("{% for x in name %}{{ x }}{% endfor %}", "the tag 'for' is not allowed"),
        ("{{ first_name|safe }}", "the filter 'safe' is not allowed"),
        ("{% load static %}", "does not parse"),
        ("{{ first_name.__class__ }}", "does not parse"),
    ],
)
def test_what_a_template_may_not_use_is_named(source, named):
    assert any(named in problem for problem in template_problems(source)), template_problems(source)


def test_the_listed_variables_filters_and_if_are_fine():
    source = '{% if company %}Hi {{ first_name|default:"there"|title }} at {{ company }}{% endif %} — {{ brand.name }}'

    assert template_problems(source) == []


def test_rendering_fills_plain_strings_and_escapes_the_html_body(codeteki):
    contact = ContactFactory(brand=codeteki, name="<b>Ann</b> Lee", company="Harbour & Co")

    out = render(
        subject="Hi {{ first_name|default:'there' }}",
        content_html="<p>Hello {{ name }} of {{ company }}</p>",
        content_text="Hello {{ name }} of {{ company }}, from {{ brand.name }}",
        contact=contact,
        brand=codeteki,
    )

    assert out.html == "<p>Hello &lt;b&gt;Ann&lt;/b&gt; Lee of Harbour &amp; Co</p>"
    assert out.text == "Hello <b>Ann</b> Lee of Harbour & Co, from Codeteki"
    assert out.subject == "Hi <b>Ann</b>"


def test_a_template_is_created_and_previewed_for_a_contact(api, codeteki):
    # when
    created = api.post(
        TEMPLATES,
        {
            "brand": codeteki.pk, "name": "Q4 launch", "subject": "News for {{ company|default:'you' }}",
            "content_html": "<p>Hi {{ first_name|default:'there' }},</p>",
        },
        format="json",
    )  # fmt: skip
    contact = ContactFactory(brand=codeteki, name="Ann Lee", company="Harbour Dental")
    preview = api.post(f"{TEMPLATES}{created.json()['id']}/preview/", {"contact": str(contact.pk)}, format="json")
    # then
    assert created.status_code == 201, created.json()
    assert preview.status_code == 200, preview.json()
    assert preview.json() == {"subject": "News for Harbour Dental", "html": "<p>Hi Ann,</p>", "text": ""}


@pytest.mark.parametrize(
    ("change", "field", "named"),
    [
        ({"subject": "Hi {{ contact.email }}"}, "subject", "contact.email"),
        ({"content_html": "{% include 'x.html' %}"}, "content_html", "include"),
        ({"content_text": "{{ first_name|safe }}"}, "content_text", "safe"),
        ({"name": "Taken"}, "name", "already has a template"),
        ({"content_html": "", "content_text": ""}, "content_html", "Give the HTML body"),
    ],
)
def test_a_bad_template_is_a_400_naming_the_field_and_the_problem(api, codeteki, change, field, named):
    EmailTemplate.objects.create(brand=codeteki, name="Taken", subject="x", content_text="x")
    payload = {"brand": codeteki.pk, "name": "New", "subject": "Hello", "content_text": "Hi", **change}

    response = api.post(TEMPLATES, payload, format="json")

    assert response.status_code == 400
    assert named in str(response.json()[field])


def test_another_brand_s_template_and_contacts_are_out_of_reach(api, codeteki, seeded):
    desi = seeded["desi-firms"]
    theirs = EmailTemplate.objects.create(brand=desi, name="Theirs", subject="x", content_text="x")
    mine = EmailTemplate.objects.create(brand=codeteki, name="Mine", subject="x", content_text="x")
    stranger = ContactFactory(brand=desi)

    listed = [t["name"] for t in api.get(TEMPLATES).json()["results"]]
    preview = api.post(f"{TEMPLATES}{mine.pk}/preview/", {"contact": str(stranger.pk)}, format="json")

    assert listed == ["Mine"]
    assert api.get(f"{TEMPLATES}{theirs.pk}/").status_code == 404
    assert preview.status_code == 400 and "contact" in preview.json()
