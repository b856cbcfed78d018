"""Domain errors of the CRM. Their messages are written for the person who caused them."""


class CRMError(Exception):
    """A CRM rule was broken."""


class DealError(CRMError):
    """A deal cannot be created, moved or changed as asked; `field` names the input at fault, so
    the API and the admin show the one message next to it."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class TaskError(DealError):
    """A task cannot be as asked (its contact, deal and brand must agree); `field` names the input."""


class EmailError(CRMError):
    """An email cannot be sent as asked (not queued any more, the contact unsubscribed, a cap)."""


class ImportFileError(CRMError):
    """The import file as a whole cannot be read (encoding, no header, no email column)."""
