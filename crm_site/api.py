"""System endpoints of the REST API (`GET /api/me/`) and the schema's preprocessing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


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
