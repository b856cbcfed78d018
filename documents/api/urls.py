from django.urls import include, path
from rest_framework.routers import DefaultRouter

from documents.api import views

router = DefaultRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("templates", views.TemplateViewSet, basename="template")
router.register("shares", views.ShareViewSet, basename="share")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("approvals", views.ApprovalViewSet, basename="approval")

app_name = "documents-api"
urlpatterns = [path("", include(router.urls))]
