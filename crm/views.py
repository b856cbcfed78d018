"""Public pages reached from an email: the open pixel, the click redirect and unsubscribing
(RFC 8058 one-click)."""

from __future__ import annotations

import base64

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from crm.services.tracking import contact_for_token, contact_unsubscribe, email_record_click, email_record_open

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """A 1x1 GIF, whatever the token: an unknown one learns nothing and changes nothing."""
    email_record_open(token=token, user_agent=request.headers.get("User-Agent", ""), ip=_client_ip(request))
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
    return response


@require_GET
def click(request: HttpRequest, token: str, signature: str) -> HttpResponse:
    """To the link of that email the signature signs, the click recorded; anything else is a 404,
    so this address cannot be made to lead anywhere an email of ours did not."""
    url = email_record_click(
        token=token, signature=signature, user_agent=request.headers.get("User-Agent", ""), ip=_client_ip(request)
    )
    if url is None:
        raise Http404
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _client_ip(request: HttpRequest) -> str:
    """The peer's address; behind a reverse proxy it is the proxy's, and only the agent tells."""
    return str(request.META.get("REMOTE_ADDR", ""))


@csrf_exempt  # RFC 8058: the one-click POST carries no cookies and no token but the URL's
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation (link scanners fetch GETs, so a GET never unsubscribes);
    POST unsubscribes and answers 200, never a redirect."""
    contact = contact_for_token(token)
    if contact is None:
        raise Http404
    if request.method == "POST":
        contact = contact_unsubscribe(token=token) or contact
        return render(request, "crm/unsubscribe.html", {"contact": contact, "done": True})
    return render(request, "crm/unsubscribe.html", {"contact": contact, "done": contact.unsubscribed_at is not None})
