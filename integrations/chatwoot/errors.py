from __future__ import annotations


class ChatwootError(Exception):
    """A Chatwoot call failed.

    retryable: trying again later may succeed (429, 5xx, network trouble).
    code: "taken" (422, a uniqueness clash: search again instead of creating),
    "invalid" (another 422 or 4xx), "not_found" (404), "auth" (401/403: a wrong
    token or account), "rate_limited" (429), "server" (5xx or an answer that
    is not what the API documents), "network" (no answer at all).
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.code = code
