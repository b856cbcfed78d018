from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hub.api import views

router = DefaultRouter()
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("integrations", views.IntegrationViewSet, basename="integration")
router.register("endpoints", views.APIEndpointViewSet, basename="endpoint")
router.register("zapier/hooks", views.ZapierHookViewSet, basename="zapier-hook")

app_name = "hub-api"
urlpatterns = [
    path("", include(router.urls)),
    path("custom/<slug:slug>/", views.CustomEndpointView.as_view(), name="custom-endpoint"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
]
