"""Admin of the CRM (django-unfold), one module per concept.

Every ModelAdmin limits what staff see and pick to the brands they are
members of (superusers: all) and sends writes through crm.services.
"""

from crm.admin import ai, backlinks, brands, contacts, deals, emails, imports, mailbox, pipelines, sequences, tasks

__all__ = [
    "ai", "backlinks", "brands", "contacts", "deals", "emails", "imports", "mailbox", "pipelines", "sequences", "tasks",
]  # fmt: skip
