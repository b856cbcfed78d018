"""Zoho OAuth (refresh-token grant) and the Zoho Mail API. See README.md.

Imports nothing of the apps; callers pass credentials in (crm builds them
from a Brand or the ZOHO_* settings).
"""

from integrations.zoho.errors import ZohoError
from integrations.zoho.mail import MailAccount, SentMail, ZohoMail
from integrations.zoho.oauth import ZohoCredentials, ZohoOAuth

__all__ = ["MailAccount", "SentMail", "ZohoCredentials", "ZohoError", "ZohoMail", "ZohoOAuth"]
