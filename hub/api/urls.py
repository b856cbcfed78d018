from django.urls import include, path
from rest_framework.routers import DefaultRouter

from hub.api import views

router = DefaultRouter()
router.register("webhooks", views.WebhookViewSet, basename="webhook")

app_name = "hub-api"
urlpatterns = [path("", include(router.urls))]
