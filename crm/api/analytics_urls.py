"""`/api/core/`: the analytics, at the paths the extra features document gives them."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from crm.api.analytics import AnalyticsViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("analytics", AnalyticsViewSet, basename="analytics")

app_name = "core-api"
urlpatterns = [path("", include(router.urls))]
