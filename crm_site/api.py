"""System endpoints of the REST API (`GET /api/`, `GET /api/me/`) and the schema's preprocessing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

API_INDEX: dict[str, Any] = {
    "me": "/api/me/",
    "crm": "/api/crm/",
    "tasks": "/api/tasks/",
    "analytics": "/api/core/",
    "campaigns": "/api/campaigns/",
    "documents": "/api/documents/",
    "integrations": "/api/integrations/",
    "public": {"chat_leads": "/api/public/chat-leads/", "inquiries": "/api/public/inquiries/"},
    "recruiting": "/webhook/",
    "schema": "/api/schema/",
    "docs": "/api/docs/",
}


class IndexView(APIView):
    """Where each part of the API is (no login needed: addresses only)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": "Agency back office API",
                "authentication": "Authorization: Token <token> (python manage.py create_api_token <username>)",
                "endpoints": {
                    name: {key: request.build_absolute_uri(url) for key, url in path.items()}
                    if isinstance(path, dict)
                    else request.build_absolute_uri(path)
                    for name, path in API_INDEX.items()
                },
            }
        )


class MeView(APIView):
    """Who the request is authenticated as: a quick way for a script to test its token."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "is_staff": serializers.BooleanField(),
                "is_superuser": serializers.BooleanField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        user = request.user
        return Response({"username": user.get_username(), "is_staff": user.is_staff, "is_superuser": user.is_superuser})


def schema_without_slashless_twins(endpoints: list[tuple[str, str, str, Any]]) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular preprocessing hook: the webhooks answer with and without the trailing slash
    (webhooks/urls.py); the schema documents each once, with it."""
    paths = {path for path, *_ in endpoints}
    return [endpoint for endpoint in endpoints if endpoint[0].endswith("/") or f"{endpoint[0]}/" not in paths]
