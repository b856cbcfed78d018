from typing import Any

from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


class CrmSiteConfig(AppConfig):
    name = "crm_site"
    verbose_name = "System"


class AdminConfig(SimpleAdminConfig):
    """django.contrib.admin, with the apps' admin modules discovered when the admin is first
    needed: by its URLs (crm_site/urls.py) or by its system checks, not by every process.
    A management command, a Celery worker and beat start half a second sooner (docs/adr/0012)."""

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_discovered_admin, checks.Tags.admin)


def check_discovered_admin(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's check of every registered ModelAdmin, after the registering modules are imported."""
    from django.contrib import admin

    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)
