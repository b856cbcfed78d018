from django.urls import include, path
from rest_framework.routers import DefaultRouter

from crm.api import views

router = DefaultRouter()
router.register("pipelines", views.PipelineViewSet, basename="pipeline")
router.register("deals", views.DealViewSet, basename="deal")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("email-sequences", views.EmailSequenceViewSet, basename="email-sequence")
router.register("backlink-opportunities", views.BacklinkOpportunityViewSet, basename="backlink-opportunity")

app_name = "crm-api"
urlpatterns = [
    path("", include(router.urls)),
    path("ai-activity/", views.AIActivityView.as_view(), name="ai-activity"),
    path("ai-activity/<uuid:deal_id>/", views.DealAIActivityView.as_view(), name="ai-activity-deal"),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
