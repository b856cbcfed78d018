import pytest

from tests.fixtures.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_log_in_and_see_the_admin_index(page, live_server, django_user_model):
    # given
    django_user_model.objects.create_superuser("grace", "grace@example.com", "a-long-password-1")
    # when
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "grace")
    page.fill("input[name=password]", "a-long-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    # then
    sidebar = page.locator("#nav-sidebar-apps")
    assert sidebar.get_by_text("System", exact=True).is_visible()
    assert sidebar.get_by_role("link", name="Periodic tasks").is_visible()
    assert page.get_by_text("Agency back office").first.is_visible()
    path = screenshot(page, "admin-index")
    assert path.stat().st_size > 10_000


def test_a_wrong_password_keeps_staff_out(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("grace", "grace@example.com", "a-long-password-1")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "grace")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")

    assert "/admin/login/" in page.url
    assert page.get_by_text("Please enter the correct username and password").is_visible()
