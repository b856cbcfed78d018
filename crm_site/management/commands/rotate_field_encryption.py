from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from crm_site import crypto
from crm_site.fields import ENCRYPTED_PREFIX, EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first FIELD_ENCRYPTION_KEY. Put the new key first, "
        "keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, EncryptedTextField):
                    total += self._rotate(model, field.name)
        self.stdout.write(f"Re-encrypted {total} value(s).")

    def _rotate(self, model: type[models.Model], name: str) -> int:
        count = 0
        with transaction.atomic():
            rows = model._default_manager.select_for_update().annotate(raw=Cast(name, models.TextField()))
            for pk, raw in rows.values_list("pk", "raw"):
                if raw and raw.startswith(ENCRYPTED_PREFIX):
                    rotated = ENCRYPTED_PREFIX + crypto.rotate(raw.removeprefix(ENCRYPTED_PREFIX))
                    model._default_manager.filter(pk=pk).update(**{name: rotated})
                    count += 1
        return count
