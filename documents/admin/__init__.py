"""The documents admin: documents with versions, text, share links, comments and approvals; the
approvals queue; templates; documents on contact, deal and candidate pages."""

from documents.admin import approvals, documents, related, templates

__all__ = ["approvals", "documents", "related", "templates"]
