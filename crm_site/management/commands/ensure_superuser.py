import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first admin user unless it exists, from DJANGO_SUPERUSER_USERNAME, "
        "DJANGO_SUPERUSER_PASSWORD and DJANGO_SUPERUSER_EMAIL (a random password when unset), "
        "and print how to log in."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL") or f"{username}@localhost"
        manager = get_user_model()._default_manager
        user = manager.filter(username=username).first()
        if user is None:
            manager.create_superuser(username=username, email=email, password=password)
            self.stdout.write(f"Created the admin user. Log in as {username} / {password}")
        elif user.check_password(password):
            self.stdout.write(f"Log in as {username} / {password}")
        else:
            self.stdout.write(f"Log in as {username} (its password was changed since it was created)")
