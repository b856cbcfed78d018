"""Roles from CSV (bad rows reported by line, re-import updates) and from a Zoho CRM module."""

import pytest
from django.core.management import CommandError, call_command

from recruiting.models import Role
from recruiting.services.roles import roles_import_csv, roles_sync_from_zoho

pytestmark = pytest.mark.django_db

CSV = (
    "title,company,industries,location,work_policy,required_skills,nice_to_have_skills,description,is_open\n"
    'Backend Developer,Canva,"Information Technology, Design",Sydney NSW,hybrid,"Python, JS, Postgres",Docker,'
    "Build the editor's API,yes\n"
    'Nurse Unit Manager,Alfred Health,Healthcare,"Melbourne, VIC",office,Patient Care,,,true\n'
    ",No Title Pty Ltd,IT,Perth,office,,,,yes\n"
    "QA Analyst,Xero,IT,Remote,sometimes,Testing,,,yes\n"
    "Closed Role,Xero,IT,Auckland NZ,remote,,,,no\n"
)


def test_a_csv_imports_roles_and_reports_bad_rows_by_line():
    # when
    report = roles_import_csv(data=CSV.encode())
    # then
    assert (report.created, report.updated) == (3, 0)
    assert report.failed == [
        (4, "title and company are required"),
        (5, "work_policy 'sometimes' is not remote, hybrid or office"),
    ]
    role = Role.objects.get(title="Backend Developer")
    assert role.industries == ["Information Technology", "Design"]
    assert role.required_skills == ["Python", "JavaScript", "PostgreSQL"]
    assert (role.city, role.country, role.work_policy, role.is_open) == ("Sydney", "AU", "hybrid", True)
    assert Role.objects.get(title="Closed Role").is_open is False


def test_importing_again_updates_by_title_and_company():
    # given
    roles_import_csv(data=CSV.encode())
    changed = CSV.replace("Sydney NSW,hybrid", "Brisbane QLD,remote")
    # when
    report = roles_import_csv(data=changed.encode())
    # then
    assert (report.created, report.updated) == (0, 3)
    role = Role.objects.get(title="Backend Developer")
    assert (role.city, role.work_policy) == ("Brisbane", "remote")
    assert Role.objects.count() == 3


def test_the_command_has_a_dry_run_and_a_clear_error_for_a_wrong_header(tmp_path, capsys):
    # given
    good = tmp_path / "roles.csv"
    good.write_text(CSV)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,employer\nx,y\n")
    # when
    call_command("import_roles", str(good), "--dry-run")
    out = capsys.readouterr()
    # then
    assert "Dry run: 3 created, 0 updated, 2 failed" in out.out
    assert "line 4: title and company are required" in out.err
    assert not Role.objects.exists()
    with pytest.raises(CommandError, match="the header lacks title, company"):
        call_command("import_roles", str(bad))


def test_roles_sync_from_a_zoho_crm_module(settings, fake_zoho_crm):
    # given
    settings.ZOHO_CRM_ROLES_MODULE = "Job_Openings"
    first = fake_zoho_crm.add_record(
        "Job_Openings",
        Job_Opening_Name="Payroll Officer",
        Client_Name={"name": "KPMG", "id": "1"},
        Industry="Accounting",
        City="Adelaide",
        Remote_Job=False,
        Required_Skills="Payroll, Xero",
        Job_Opening_Status="In-progress",
    )
    fake_zoho_crm.add_record(
        "Job_Openings",
        Job_Opening_Name="Site Engineer",
        Client_Name="Lendlease",
        Industry="Construction",
        City="Perth",
        Remote_Job=False,
        Job_Opening_Status="Filled",
    )
    # when
    report = roles_sync_from_zoho()
    again = roles_sync_from_zoho()
    # then
    assert (report.created, again.updated, again.created) == (2, 2, 0)
    payroll = Role.objects.get(zoho_id=first)
    assert (payroll.title, payroll.company, payroll.city, payroll.is_open) == (
        "Payroll Officer",
        "KPMG",
        "Adelaide",
        True,
    )
    assert Role.objects.get(title="Site Engineer").is_open is False


def test_sync_needs_the_module_setting(settings):
    # given
    settings.ZOHO_CRM_ROLES_MODULE = ""
    # when / then
    with pytest.raises(CommandError, match="ZOHO_CRM_ROLES_MODULE"):
        call_command("sync_roles")
