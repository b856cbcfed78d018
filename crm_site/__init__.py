"""Project package: settings, the Celery app, URLs, and the system-level wiring.

It is also a small Django app (see apps.py) so that what belongs to the whole
system (health check, admin site branding, user/token admin, beat schedule
sync, the bootstrap commands) has a home that is not one of the domain apps.
"""

from crm_site.celery import app as celery_app

__all__ = ("celery_app",)
