"""Public URLs of the CRM (no login): tracking pixel and unsubscribe."""

from django.urls import path

from crm import views

urlpatterns = [
    path("t/o/<str:token>.gif", views.open_pixel, name="crm-open-pixel"),
    path("u/<str:token>/", views.unsubscribe, name="crm-unsubscribe"),
]
