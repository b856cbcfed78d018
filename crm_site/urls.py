"""Top-level URLs: the admin, the REST API under /api/, and the inbound webhooks.

`/healthz` is answered by crm_site.health.HealthCheckMiddleware before routing.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from crm.admin.board import board_urls
from crm_site.api import IndexView, MeView

admin.autodiscover()  # the apps' admin modules, imported here rather than in every process (crm_site.apps)

api_patterns: list[URLPattern | URLResolver] = [
    path("", IndexView.as_view(), name="index"),
    path("me/", MeView.as_view(), name="me"),
    path("crm/", include("crm.api.urls")),
    path("tasks/", include("crm.api.task_urls")),
    path("campaigns/", include("campaigns.api.urls")),
    path("documents/", include("documents.api.urls")),
    path("integrations/", include("hub.api.urls")),
    path("public/", include("hub.api.public_urls")),
    path("core/", include("crm.api.analytics_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/crm/board/", include((board_urls(), "crm_board"))),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
    path("webhook/", include("webhooks.urls")),
    path("", include("crm.urls")),
]
