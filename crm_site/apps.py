from django.apps import AppConfig


class CrmSiteConfig(AppConfig):
    name = "crm_site"
    verbose_name = "System"
