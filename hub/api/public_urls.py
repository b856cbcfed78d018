"""/api/public/: what a brand's website posts, with its publishable key and no login."""

from django.urls import path

from hub.api import views

app_name = "public-api"
urlpatterns = [
    path("chat-leads/", views.ChatLeadView.as_view(), name="chat-leads"),
    path("inquiries/", views.InquiryView.as_view(), name="inquiries"),
]
