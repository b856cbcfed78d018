"""The Zoho accounts server's token endpoint (../shared/INTEGRATIONS.md §1), shared by the Zoho fakes.

`POST /oauth/v2/token` (params in the query or the form body) answers an access
token for the known refresh token; `{"error": "invalid_code"}` or
`{"error": "invalid_client"}` with HTTP 200 otherwise, as Zoho does. A product
fake (Mail, CRM) subclasses `FakeZohoAccounts`, adds its API routes and checks
the `Authorization: Zoho-oauthtoken <token>` header with `_authorised`.
"""

from __future__ import annotations

import threading

from tests.fakes.server import FakeServer, Request, Response


class FakeZohoAccounts(FakeServer):
    def __init__(self, *, client_id: str, client_secret: str, refresh_token: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.tokens: set[str] = set()
        self.token_grants = 0
        self._state = threading.Lock()
        self.route("POST", r"/oauth/v2/token", self._token)

    def expire_tokens(self) -> None:
        """Every access token handed out so far stops working, as after its hour."""
        with self._state:
            self.tokens.clear()

    def _token(self, request: Request) -> Response:
        params = {**{k: v[0] for k, v in request.query.items()}, **{k: v[0] for k, v in request.form().items()}}
        if params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret:
            return Response(200, {"error": "invalid_client"})
        if params.get("grant_type") != "refresh_token" or params.get("refresh_token") != self.refresh_token:
            return Response(200, {"error": "invalid_code"})
        with self._state:
            self.token_grants += 1
            token = f"1000.fake-access-{self.token_grants}"
            self.tokens.add(token)
        return Response(
            200, {"access_token": token, "api_domain": self.url, "token_type": "Bearer", "expires_in": 3600}
        )

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        with self._state:
            return header.startswith("Zoho-oauthtoken ") and header.removeprefix("Zoho-oauthtoken ") in self.tokens
