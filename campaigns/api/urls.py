from django.urls import include, path
from rest_framework.routers import DefaultRouter

from campaigns.api import views

router = DefaultRouter()
router.register("templates", views.EmailTemplateViewSet, basename="template")
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

app_name = "campaigns-api"
urlpatterns = [path("", include(router.urls))]
