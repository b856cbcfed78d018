"""A version's file as a download: what the API, the admin and share links answer (never the media
folder itself), and the address a download is logged from."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest

from documents.models import DocumentVersion


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def file_response(version: DocumentVersion) -> FileResponse:
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.file_name, content_type=version.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
