"""/api/tasks/: the document's path for staff to-dos (crm's TaskViewSet)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from crm.api import views

router = SimpleRouter()
router.register("", views.TaskViewSet, basename="task")

app_name = "tasks-api"
urlpatterns = [path("", include(router.urls))]
