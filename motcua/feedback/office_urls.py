"""Back-office follow-ups of unhappy ratings, mounted at /office/danh-gia/."""

from __future__ import annotations

from django.urls import path

from motcua.feedback import views

app_name = "feedback_office"
urlpatterns = [
    path("", views.follow_ups, name="list"),
    path("<int:pk>/dong/", views.follow_up_close, name="close"),
]
