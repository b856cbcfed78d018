"""The staff endpoints of the Ready-to-Pitch system, under /webhook/ as the document names them
(API token or staff session): simulate Zoho's webhook, run the flow, rescore, read matches and
skills. An unknown contact is a 404 and a contact another run holds a 409, both in JSON."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.zoho.crm import crm_credentials
from recruiting.errors import CandidateNotFound
from recruiting.models import Candidate
from recruiting.selectors import candidate_matches, candidate_skills
from recruiting.services.matching import candidate_match
from recruiting.services.pitch import CandidateBusy, candidate_require
from recruiting.tasks import ready_to_pitch_run
from recruiting.zoho_fields import CONTACT_ID_HELP, contact_id_problem
from webhooks.zoho.views import accept_contact_fields

StaffView = Callable[..., Response]


def contact_view(view: StaffView) -> StaffView:
    """The URL's contact id checked by the one rule (400 naming it); an unknown contact a 404, a
    contact another run is processing a 409."""

    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        problem = contact_id_problem(kwargs.get("contact_id"))
        if problem:
            return Response({"error": "invalid", "field": "contact_id", "detail": problem}, status=400)
        try:
            return view(request, *args, **kwargs)
        except CandidateNotFound as exc:
            return Response({"error": "not_found", "detail": str(exc)}, status=404)
        except CandidateBusy as exc:
            return Response({"error": "busy", "detail": str(exc)}, status=409)

    return wrapper


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
    return Response(accept_contact_fields(fields))


@extend_schema(request=None, responses={202: dict, 404: dict}, tags=["recruiting"])
@api_view(["POST"])
@permission_classes([IsAdminUser])
@contact_view
def manual_cv_extraction(request: Request, contact_id: str) -> Response:
    """Run the whole CV processing (fetch, CV, text, skills, matches) in a worker now. Each step's
    outcome lands on the candidate (processing status and error) and in the worker's log."""
    if not Candidate.objects.filter(zoho_contact_id=contact_id).exists() and crm_credentials() is None:
        raise CandidateNotFound(contact_id)
    queued = ready_to_pitch_run.delay(contact_id)
    return Response({"contact_id": contact_id, "status": "queued", "task_id": queued.id}, status=202)


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
    if not (limit.isascii() and limit.isdecimal()) or not 1 <= int(limit) <= 50:
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
