"""The apps' admin modules are imported by the admin's URLs and its checks, not by every process."""

from tests.fixtures.processes import child_env, manage

REPORT = (
    "import sys; from django.contrib import admin; from django.core.checks import run_checks; "
    "print('before', 'crm.admin' in sys.modules, len(admin.site._registry)); "
    "errors = run_checks(tags=['admin']); "
    "print('after', 'crm.admin' in sys.modules, len(admin.site._registry), len(errors))"
)


def test_a_process_that_never_serves_the_admin_never_imports_it_and_the_admin_checks_still_see_it_all():
    # when a process starts (a command, a worker) and then runs the admin's system checks
    result = manage("shell", "-c", REPORT, env=child_env(DEBUG="true"))
    # then nothing of the admin was imported at start; the checks discovered every ModelAdmin
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith(("before", "after"))]
    assert lines[0] == ["before", "False", "0"], result.stderr
    after = lines[1]
    assert after[:2] == ["after", "True"]
    assert int(after[2]) > 25
    assert after[3] == "0"


def test_the_admin_urls_discover_the_admin_modules():
    result = manage(
        "shell", "-c", "from django.urls import reverse; print(reverse('admin:crm_deal_changelist'))",
        env=child_env(DEBUG="true"),
    )  # fmt: skip

    assert result.stdout.strip().splitlines()[-1] == "/admin/crm/deal/", result.stderr
