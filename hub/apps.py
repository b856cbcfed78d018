from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Integration hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub import receivers  # noqa: F401 - writes outbox events from crm.signals
