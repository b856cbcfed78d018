"""List fields as chips: the field's parsing, and the editor in real Chromium on a role's skills."""

import pytest
from django.contrib.auth import get_user_model

from crm_site.widgets import ListField, list_items
from recruiting.models import Role
from tests.fixtures.browser import log_in, screenshot


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Python, Django ,, AWS", ["Python", "Django", "AWS"]),
        ('["SQL", "Excel"]', ["SQL", "Excel"]),
        ("Xero\nMYOB, Xero", ["Xero", "MYOB"]),
        ("", []),
        (["A", " B ", "A"], ["A", "B"]),
    ],
)
def test_a_list_field_reads_what_people_type(typed, expected):
    assert ListField(required=False).clean(typed) == expected
    assert list_items(typed) == expected


def test_tags_are_kept_lower_case_and_a_long_list_is_refused():
    assert ListField(lowercase=True).clean("Retail, retail, Tech") == ["retail", "tech"]
    with pytest.raises(Exception, match="At most 2 items"):
        ListField(max_items=2).clean("a, b, c")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_role_s_skills_are_edited_as_chips(page, live_server):
    # given
    role = Role.objects.create(
        title="Payroll Officer", company="KPMG", required_skills=["Payroll", "Excel"], industries=["Accounting"]
    )
    log_in(page, live_server, get_user_model(), "rita")
    page.goto(f"{live_server.url}/admin/recruiting/role/{role.pk}/change/")

    # when: one chip removed, one typed in
    skills = page.locator(".chips").filter(has=page.locator(".chip", has_text="Payroll"))
    assert skills.locator(".chip").count() == 2
    skills.get_by_role("button", name="Remove Excel").click()
    skills.locator(".chips-entry").fill("Xero")
    skills.locator(".chips-entry").press("Enter")
    screenshot(page, "chips-role-skills")
    page.locator("button[name=_continue]").click()
    page.wait_for_url("**/change/**")

    # then
    role.refresh_from_db()
    assert role.required_skills == ["Payroll", "Xero"]
    assert role.industries == ["Accounting"]
    assert "[&quot;" not in page.content()  # no raw JSON on the page
