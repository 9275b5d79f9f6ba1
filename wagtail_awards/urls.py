"""Site URLs of the app, included by the site under a prefix of its choice (the example site uses ``awards/``)."""

from django.urls import path

from . import views

app_name = "wagtail_awards"

urlpatterns = [
    path("now/", views.server_time, name="server_time"),
]
