"""Site URLs of the app, included by the site under a prefix of its choice (the example site uses ``awards/``)."""

from django.urls import include, path

from . import (
    converters,  # noqa: F401 - registers <awards_id:…>
    views,
)
from .account_urls import urlpatterns as account_urls
from .views import applications as application_views
from .views import publicity as publicity_views
from .views import voting as voting_views

app_name = "wagtail_awards"

urlpatterns = [
    path("now/", views.server_time, name="server_time"),
    path("apply/<awards_id:page_id>/", application_views.save_application, name="application_save"),
    path("applications/", application_views.my_applications, name="my_applications"),
    path("applications/<awards_id:pk>/", application_views.application_detail, name="application_detail"),
    path(
        "applications/<awards_id:pk>/submitted/",
        application_views.application_submitted,
        name="application_submitted",
    ),
    path("applications/<awards_id:pk>/withdraw/", application_views.withdraw_application, name="application_withdraw"),
    path("files/<awards_id:pk>/", application_views.download_file, name="application_file"),
    path("objection/<awards_id:page_id>/", publicity_views.objection, name="objection"),
    path("accounts/", include(account_urls)),
    path("vote/challenge/", voting_views.challenge, name="vote_challenge"),
    path("vote/code/", voting_views.voting_code, name="voting_code"),
    path("vote/<awards_id:call_id>/<awards_id:application_id>/", voting_views.vote, name="vote"),
    path("objection/challenge/", publicity_views.objection_challenge, name="objection_challenge"),
]
