"""Domain errors of the CRM. Their messages are written for the person who caused them."""


class CRMError(Exception):
    """A CRM rule was broken."""


class DealError(CRMError):
    """A deal cannot be created, moved or changed as asked."""


class ContactError(CRMError):
    """A contact cannot be created or changed as asked."""


class ImportFileError(CRMError):
    """The import file as a whole cannot be read (encoding, no header, no email column)."""
