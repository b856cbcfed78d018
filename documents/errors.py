"""The documents app's domain errors; the API turns them into 400, 403 and 404 answers."""


class DocumentError(Exception):
    """A request about a document that cannot be done; the message says why."""

    field = ""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class UploadRefused(DocumentError):
    """The file is not one we keep: wrong type, too large, a zip bomb, empty."""


class NotAllowed(DocumentError):
    """The user may see the document but not do this to it."""


class ShareNotFound(DocumentError):
    """Unknown, expired, revoked, used up or a wrong password: callers answer the same 404."""
