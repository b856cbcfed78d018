"""System endpoints of the REST API: `GET /api/me/`."""

from __future__ import annotations

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
