"""Zoho CRM's contact webhook (token or signature, store, enqueue, 200) and the staff endpoints
of the Ready-to-Pitch system (API token or session; unknown contact -> 404 JSON)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from recruiting.errors import CandidateNotFound
from recruiting.selectors import candidate_matches, candidate_skills
from recruiting.services.matching import candidate_match
from recruiting.services.pitch import candidate_ready_to_pitch_run, candidate_require
from recruiting.zoho_fields import CONTACT_ID_HELP, contact_id_problem
from webhooks.auth import shared_secret_valid
from webhooks.dispatch import dispatcher
from webhooks.models import Provider
from webhooks.services import inbound_event_store
from webhooks.zoho.handlers import CONTACT_UPDATED
from webhooks.zoho.payloads import PayloadError, request_fields

StaffView = Callable[..., Response]


def contact_view(view: StaffView) -> StaffView:
    """The URL's contact id checked by the one rule (400 naming it), and an unknown contact a 404."""

    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        problem = contact_id_problem(kwargs.get("contact_id"))
        if problem:
            return Response({"error": "invalid", "field": "contact_id", "detail": problem}, status=400)
        try:
            return view(request, *args, **kwargs)
        except CandidateNotFound as exc:
            return Response({"error": "not_found", "detail": str(exc)}, status=404)

    return wrapper


@csrf_exempt
@require_POST
def contact_webhook(request: HttpRequest) -> JsonResponse:
    if not shared_secret_valid(request, settings.WEBHOOK_SECRET):
        return JsonResponse({"error": "unauthorized", "detail": "a valid X-Webhook-Token is required"}, status=401)
    try:
        fields = request_fields(request)
    except PayloadError as exc:
        return JsonResponse({"error": "invalid", "field": exc.field, "detail": str(exc)}, status=400)
    return JsonResponse(_accept(fields))


def _accept(fields: dict[str, Any]) -> dict[str, Any]:
    """Every delivery is an event of its own. Zoho sends no delivery id, and the same body again
    is often a new CV uploaded under the same fields; the flow is idempotent per attachment, so a
    true redelivery costs one look at the attachments and changes nothing."""
    event_id, _ = inbound_event_store(
        provider=Provider.ZOHO_CRM,
        event_type=CONTACT_UPDATED,
        external_id=f"{fields['contact_id']}:{uuid.uuid4().hex}",
        payload=fields,
        enqueue=dispatcher.submit,
    )
    return {"status": "accepted", "event_id": event_id}


class ContactIdSerializer(serializers.Serializer[dict[str, Any]]):
    contact_id = serializers.CharField(max_length=64, help_text=f"The contact: {CONTACT_ID_HELP}")

    def validate_contact_id(self, value: str) -> str:
        problem = contact_id_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value.strip()


@extend_schema(request=ContactIdSerializer, responses={200: dict}, tags=["recruiting"])
@api_view(["POST"])
@permission_classes([IsAdminUser])
def test_ready_to_pitch(request: Request) -> Response:
    """Simulate Zoho's webhook: the contact is taken through the Ready to Pitch flow by a worker."""
    serializer = ContactIdSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    fields = {"contact_id": serializer.validated_data["contact_id"], "role_success_stage": "Ready to Pitch"}
    return Response(_accept(fields))


@extend_schema(request=None, responses={200: dict, 404: dict}, tags=["recruiting"])
@api_view(["POST"])
@permission_classes([IsAdminUser])
@contact_view
def manual_cv_extraction(request: Request, contact_id: str) -> Response:
    """Run the whole CV processing now (fetch, CV, text, skills, matches) and report each step."""
    return Response(candidate_ready_to_pitch_run(contact_id=contact_id).as_dict())


@extend_schema(request=None, responses={200: dict, 404: dict}, tags=["recruiting"])
@api_view(["POST"])
@permission_classes([IsAdminUser])
@contact_view
def jobs_match(request: Request, contact_id: str) -> Response:
    """Score every open role for the candidate now and return the best matches."""
    candidate = candidate_require(contact_id=contact_id)
    saved = candidate_match(candidate=candidate)
    return Response({"contact_id": contact_id, "matches_saved": saved, "matches": candidate_matches(candidate, 10)})


@extend_schema(
    parameters=[OpenApiParameter("limit", int, description="How many, 1-50 (default 5)")],
    responses={200: dict, 404: dict},
    tags=["recruiting"],
)
@api_view(["GET"])
@permission_classes([IsAdminUser])
@contact_view
def jobs_matches(request: Request, contact_id: str) -> Response:
    limit = request.query_params.get("limit", "5")
    if not limit.isdigit() or not 1 <= int(limit) <= 50:
        return Response({"error": "invalid", "field": "limit", "detail": "limit must be 1 to 50"}, status=400)
    candidate = candidate_require(contact_id=contact_id)
    return Response({"contact_id": contact_id, "matches": candidate_matches(candidate, int(limit))})


@extend_schema(responses={200: dict, 404: dict}, tags=["recruiting"])
@api_view(["GET"])
@permission_classes([IsAdminUser])
@contact_view
def skills(request: Request, contact_id: str) -> Response:
    candidate = candidate_require(contact_id=contact_id)
    return Response({"contact_id": contact_id, "skills": candidate_skills(candidate)})
