"""Domain errors of recruiting (services raise these, entry points turn them into answers)."""

from __future__ import annotations


class RecruitingError(Exception):
    retryable = False


class CandidateNotFound(RecruitingError):
    def __init__(self, contact_id: str) -> None:
        super().__init__(f"No contact {contact_id!r} here or in Zoho CRM")
        self.contact_id = contact_id


class RoleImportError(RecruitingError):
    """The roles file as a whole cannot be read (a bad row is reported, not raised)."""
