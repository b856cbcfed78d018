"""Public URLs of the CRM (no login): tracking pixel, click redirect and unsubscribe."""

from django.urls import path

from crm import views

urlpatterns = [
    path("t/o/<str:token>.gif", views.open_pixel, name="crm-open-pixel"),
    path("t/c/<str:token>/<str:signature>/", views.click, name="crm-click"),
    path("u/<str:token>/", views.unsubscribe, name="crm-unsubscribe"),
]
