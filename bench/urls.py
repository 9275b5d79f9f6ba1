"""URLs of ``bench.settings`` only: two baselines in front of the site's URLs."""

import uuid

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from example_site.urls import urlpatterns as site_urlpatterns
from wagtail_awards.models import Vote, VoterDay


@never_cache
def bare(request):
    """The cheapest Django response: what the server and framework cost without the app."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@csrf_exempt
def minimal_vote(request):
    """The floor of a durable vote: one INSERT and one counter UPDATE in one transaction, no checks."""
    with transaction.atomic():
        Vote.objects.create(
            call_id=int(request.POST["call"]),
            application_id=int(request.POST["application"]),
            voter_key=uuid.uuid4().hex,
            day=timezone.localdate(),
        )
        VoterDay.objects.filter(pk=int(request.POST["counter"])).update(votes=F("votes") + 1)
    response = HttpResponseRedirect(request.POST.get("next", "/"))
    response.status_code = 303
    return response


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/minimal-vote/", minimal_vote),
    *site_urlpatterns,
]
