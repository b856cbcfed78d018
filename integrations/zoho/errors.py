from __future__ import annotations


class ZohoError(Exception):
    """A Zoho call failed.

    retryable: trying again later may succeed (429, 5xx, network trouble).
    outcome_unknown: the request may have been carried out (a timeout while
    waiting for the answer); a send must then be reconciled, not repeated.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        code: str = "",
        outcome_unknown: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.code = code
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after
