from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    name = "recruiting"
    verbose_name = "Recruiting"
    default_auto_field = "django.db.models.BigAutoField"
