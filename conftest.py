"""Fixtures shared by every test folder (app tests and tests/).

pytest-django gives db, transactional_db, client, admin_client, admin_user,
live_server and settings; the plugins below add a real Celery worker and a
headless browser.
"""

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
