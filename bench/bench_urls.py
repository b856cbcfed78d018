"""URLs for bench/webhook_ingest.py: the product's, plus a bare view (the ceiling) in the same server."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    request.body  # noqa: B018 - read the body as the real view does
    return HttpResponse(b'{"status": "ok"}', content_type="application/json")


urlpatterns = [path("bench/ok/", bare), path("", include("crm_site.urls"))]
