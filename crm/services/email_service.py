"""Which mailbox a brand sends through: `get_email_service(brand)`.

As in the workflow guide's troubleshooting snippets:
    service = get_email_service(brand); service.enabled; service.send(to, subject, html)
A brand with Zoho credentials (its own, else the ZOHO_* settings) uses Zoho
Mail; any other brand uses the local outbox shown in the admin.
"""

from __future__ import annotations

from crm.mail.base import Mailbox
from crm.mail.outbox import OutboxMailbox
from crm.mail.zoho import ZohoMailbox, zoho_account
from crm.models import Brand


def get_email_service(brand: Brand) -> Mailbox:
    account = zoho_account(brand)
    if account is not None:
        return ZohoMailbox(brand, account)
    return OutboxMailbox(brand)
