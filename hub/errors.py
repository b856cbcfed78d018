"""The hub's domain error: its message is written for the person who caused it, `field` names the
input at fault (the API answers 400 with it)."""


class HubError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
