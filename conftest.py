"""Fixtures shared by every test folder (app tests and tests/).

pytest-django gives db, transactional_db, client, admin_client, admin_user,
live_server and settings; the plugins below add a real Celery worker and a
headless browser.
"""

pytest_plugins = ["tests.fixtures.celery", "tests.fixtures.browser"]
