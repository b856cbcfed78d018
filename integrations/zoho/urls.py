"""Hosts of each Zoho data centre (../shared/INTEGRATIONS.md §1.3), overridable from settings."""

from __future__ import annotations

from django.conf import settings

# The accounts host of Canada is zohocloud.ca like the domain; every other
# data centre follows accounts.<domain> and mail.<domain>.


def accounts_base_url(api_domain: str) -> str:
    return (settings.ZOHO_ACCOUNTS_BASE_URL or f"https://accounts.{api_domain}").rstrip("/")


def mail_base_url(api_domain: str) -> str:
    return (settings.ZOHO_MAIL_BASE_URL or f"https://mail.{api_domain}").rstrip("/")


def crm_base_url(api_domain: str) -> str:
    """CRM lives on zohoapis.<tld> (Canada: zohoapis.ca)."""
    if settings.ZOHO_CRM_BASE_URL:
        return settings.ZOHO_CRM_BASE_URL.rstrip("/")
    tld = "ca" if api_domain == "zohocloud.ca" else api_domain.removeprefix("zoho.")
    return f"https://www.zohoapis.{tld}"
