"""Which mailbox a brand sends through: `get_email_service(brand)`.

As in the workflow guide's troubleshooting snippets:
    service = get_email_service(brand); service.enabled; service.send(to, subject, html)
A brand with Zoho credentials (its own, else the ZOHO_* settings) uses Zoho Mail. Any other
brand uses the local outbox shown in the admin when MAIL_BACKEND=outbox (development's default
and `make run`'s choice); in production (MAIL_BACKEND=zoho) it gets a held mailbox: its emails
wait, with the reason `mail_problem` gives, until it has credentials.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from crm.mail.base import Mailbox
from crm.mail.held import HeldMailbox
from crm.mail.outbox import OutboxMailbox
from crm.mail.zoho import ZohoMailbox, zoho_account
from crm.models import Brand

ZOHO_SETTINGS = ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN", "ZOHO_ACCOUNT_ID")


def get_email_service(brand: Brand) -> Mailbox:
    account = zoho_account(brand)
    if account is not None:
        return ZohoMailbox(brand, account)
    if settings.MAIL_BACKEND == "outbox":
        return OutboxMailbox(brand)
    return HeldMailbox(brand, _missing_credentials(brand))


def mail_problem(brand: Brand) -> str:
    """Why the brand cannot send, as far as the settings tell ("" when it can). With the outbox
    chosen every brand can, and no credentials are read (/healthz asks on every probe)."""
    if settings.MAIL_BACKEND == "outbox" or zoho_account(brand) is not None:
        return ""
    return _missing_credentials(brand)


def _missing_credentials(brand: Brand) -> str:
    if brand.has_own_zoho_credentials and not brand.zoho_account_id:
        return "its Zoho credentials have no account id (Brands → Zoho credentials)"
    missing = ", ".join(name for name in ZOHO_SETTINGS if not getattr(settings, name))
    return (
        "no Zoho Mail credentials: give the brand its own (Brands → Zoho credentials) or set "
        f"{missing}; MAIL_BACKEND=outbox sends to the local outbox instead"
    )


def brands_not_sending(brands: Iterable[Brand]) -> list[tuple[Brand, str]]:
    """The active brands among `brands` that cannot send, with why."""
    problems = ((brand, mail_problem(brand)) for brand in brands if brand.is_active)
    return [(brand, problem) for brand, problem in problems if problem]
