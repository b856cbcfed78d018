"""Chatwoot Application API: contacts, conversations, labels and messages of one account. See README.md.

Imports nothing of the apps. `chatwoot_from_settings()` builds the client from
CHATWOOT_BASE_URL, CHATWOOT_API_TOKEN and CHATWOOT_ACCOUNT_ID (None when one is
blank); callers pass CHATWOOT_WHATSAPP_INBOX_ID themselves.
"""

from integrations.chatwoot.client import (
    Chatwoot,
    ChatwootContact,
    ChatwootConversation,
    chatwoot_configured,
    chatwoot_from_settings,
    label_title_valid,
)
from integrations.chatwoot.errors import ChatwootError

__all__ = [
    "Chatwoot",
    "ChatwootContact",
    "ChatwootConversation",
    "ChatwootError",
    "chatwoot_configured",
    "chatwoot_from_settings",
    "label_title_valid",
]
