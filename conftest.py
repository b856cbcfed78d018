"""Fixtures shared by every test folder (app tests and tests/).

pytest-django gives db, transactional_db, client, admin_client, admin_user,
live_server and settings; the plugins below add a real Celery worker and a
headless browser.
"""

import pytest

pytest_plugins = [
    "tests.fixtures.celery",
    "tests.fixtures.browser",
    "tests.fixtures.fakes",
    "tests.fixtures.recruiting",
]


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is the slowest thing a test does, and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test database, and before it is dropped, the webhook committer's own
    connection closed (a session still open on it would stop the drop on PostgreSQL)."""
    yield
    from webhooks.group_commit import committer

    committer.close()
