import re

import pytest
from django.contrib.auth.models import Permission
from knox.models import AuthToken

from crm_site.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SYSTEM_PAGES = [
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/auth/group/",
    "/admin/knox/authtoken/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/periodictask/add/",
    "/admin/django_celery_beat/crontabschedule/",
    "/admin/django_celery_beat/intervalschedule/",
    "/admin/django_celery_results/taskresult/",
]


@pytest.mark.parametrize("url", SYSTEM_PAGES)
def test_system_pages_render_in_unfold(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 200
    assert "unfold" in response.content.decode()


def test_index_shows_branding_and_the_sidebar_sections(admin_client):
    html = re.sub(r"\s+", " ", admin_client.get("/admin/").content.decode())

    assert "Agency back office" in html
    for section in ("CRM", "System"):
        assert re.search(rf"<h2[^>]*> {section} ", html), section
    for link in (
        "/admin/auth/user/",
        "/admin/django_celery_beat/periodictask/",
        "/admin/django_celery_results/taskresult/",
    ):
        assert f'href="{link}"' in html


def test_the_sidebar_leaves_out_what_a_user_may_not_view(client):
    # given a staff member who may only view periodic tasks
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_periodictask"))
    client.force_login(user)
    # when
    html = client.get("/admin/").content.decode()
    # then
    assert 'href="/admin/django_celery_beat/periodictask/"' in html
    assert 'href="/admin/auth/user/"' not in html


def test_the_create_token_action_shows_the_token_once(admin_client):
    # given
    user = UserFactory(username="reporting-script")
    # when
    response = admin_client.post(
        "/admin/auth/user/", {"action": "create_api_token", "_selected_action": [user.pk]}, follow=True
    )
    # then
    html = response.content.decode()
    raw = re.search(r"copy it now, it is not shown again\): (crm_\w+)", html).group(1)
    assert raw.startswith(AuthToken.objects.get(user=user).token_key)
    listing = admin_client.get("/admin/knox/authtoken/").content.decode()
    assert raw not in listing
