"""The public pages and the admin screens run the same number of queries for 10 and for 500 projects.

(The review screens are measured the same way in ``test_review_queries.py``.)
"""

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.builders import build_world, local, make_org, make_user, verify_voter
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import (
    Application,
    Award,
    EligibleVoter,
    Objection,
    PastAward,
    Vote,
    VotingCode,
    normalise_name,
)
from wagtail_awards.services import voting

pytestmark = pytest.mark.django_db

IN_PUBLICITY = local(2021, 9, 30, 10)
AFTER_PUBLICITY = local(2021, 10, 20, 10)


@pytest.fixture
def world(site_root):
    """Three calls of one world: a vote open now (2030), a publicity from 29 September 2021 without projects yet,
    and the 2020 round's results (its publicity also from 29 September 2021, three proposed awards)."""
    starts = local(2021, 9, 29, 9)
    vote = build_world(site_root, stage="voting", year=2030, projects=0, tallies="during")
    publicity = build_world(
        site_root, stage="publicity", year=2021, now=starts, projects=0, publicity_starts=starts, beside=vote
    )
    results = build_world(
        site_root, stage="publicity", year=2020, now=starts, projects=3, publicity_starts=starts, beside=vote
    )
    return {
        "vote_call": vote.call,
        "voting_page": vote.voting_page,
        "publicity_call": publicity.call,
        "publicity_page": publicity.publicity_page,
        "results_call": results.call,
        "results_page": results.publicity_page,
        "admin": vote.users["province"],
        "org": make_org("计数单位", city="南京"),
    }


def grow(world, total):
    """Bring every call to ``total`` projects: candidates with votes, proposed awards with objections."""
    org, applicant = world["org"], world["admin"]
    now = timezone.now()
    # The proposed awards last: the newest rows, on the first page of the award list in both measurements.
    for key in ("vote_call", "results_call", "publicity_call"):
        call = world[key]
        existing = Application.objects.filter(call=call).count()
        made = Application.objects.bulk_create(
            Application(
                call=call,
                applicant=applicant,
                organization=org,
                unit_name=org.name,
                project_name=f"项目{key}{n}",
                reference=f"{call.year}-{n:04d}",
                status=ApplicationStatus.PROPOSED,
                submitted_at=now,
            )
            for n in range(existing, total)
        )
        if key == "vote_call":
            Vote.objects.bulk_create(
                Vote(call=call, application=a, voter_key=f"u:{a.pk}:{v}", day=now.date(), ip_hash=f"ip{v}")
                for a in made
                for v in range(2)
            )
            voting.recount_tallies(call=call)
        else:
            Award.objects.bulk_create(Award(application=a, prize_rank=1 + n % 3) for n, a in enumerate(made))
            Objection.objects.bulk_create(
                Objection(application=a, name="甲", contact="1", content="内容") for a in made
            )
    VotingCode.objects.bulk_create(
        VotingCode(call=world["vote_call"], organization=org, number=n, code_hash=f"{n:064d}")
        for n in range(VotingCode.objects.count(), total)
    )
    EligibleVoter.objects.bulk_create(
        EligibleVoter(email=f"voter{n}@example.org", organization=org)
        for n in range(EligibleVoter.objects.count(), total)
    )
    PastAward.objects.bulk_create(
        PastAward(
            year=2019,
            project_name=f"往年项目{n}",
            unit_name="某单位",
            prize="一等奖",
            normalised_project=normalise_name(f"往年项目{n}"),
            normalised_unit=normalise_name("某单位"),
        )
        for n in range(PastAward.objects.count(), total)
    )


def count(client, url, moment=None):
    with time_machine.travel(moment or timezone.now(), tick=False):
        client.get(url)  # warm caches (content types, site, sessions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def finalise_results():
    """The cron job after the results call's period: its page shows the final list."""
    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        call_command("awards_finalise", stdout=open("/dev/null", "w"))


def measure(world, client):
    finalise_results()
    cache.clear()
    client.logout()
    vote_call, publicity_call = world["vote_call"], world["publicity_call"]
    figures = {
        "notice": count(client, vote_call.url),
        "voting page": count(client, world["voting_page"].url),
        "publicity page": count(client, world["publicity_page"].url, IN_PUBLICITY),
        "publicity page, inline form": count(client, world["publicity_page"].url + "?objection=1", IN_PUBLICITY),
        "results page": count(client, world["results_page"].url, AFTER_PUBLICITY),
    }
    client.force_login(world["admin"])
    screens = {
        "vote audit index": reverse("wagtail_awards_admin:vote_audit_index"),
        "vote audit": reverse("wagtail_awards_admin:vote_audit", args=[vote_call.pk]),
        "objections": reverse("wagtail_awards_objection_modeladmin_index"),
        "awards": reverse("wagtail_awards_award_modeladmin_index"),
        "subsidies": reverse("wagtail_awards_admin:subsidies") + f"?call={publicity_call.pk}",
        "applications": reverse("wagtail_awards_application_modeladmin_index"),
        "past awards": reverse("wagtail_awards_pastaward_modeladmin_index"),
        "voting codes": reverse("wagtail_awards_votingcode_modeladmin_index"),
        "voter roll": reverse("wagtail_awards_eligiblevoter_modeladmin_index"),
        "vote records": reverse("wagtail_awards_vote_modeladmin_index"),
        "vote records export": reverse("wagtail_awards_vote_modeladmin_index") + "?export=csv",
        "dashboard": reverse("wagtailadmin_home"),
    }
    for name, url in screens.items():
        figures[name] = count(client, url, IN_PUBLICITY if name != "vote audit" else None)
    return figures


def test_public_pages_and_admin_screens_do_not_grow_with_the_number_of_projects(world, client):
    grow(world, 10)
    small = measure(world, client)
    grow(world, 500)
    assert Application.objects.filter(call=world["vote_call"]).count() == 500
    large = measure(world, client)
    assert large == small
    # The pages did show the projects (the counts above are of real pages).
    client.logout()
    html = client.get(world["voting_page"].url).content.decode()
    assert html.count('class="awards-candidate') >= 500


def test_a_signed_in_visitors_page_is_rendered_for_them_with_one_query_once_rows_are_warm(world, client, settings):
    """With the production caching (the page cache first, rows and fragments in the shared cache), a page for a
    signed-in voter is still built for them — their name in the header, never the anonymous copy — and its only
    query is the visitor's own user row; the site root adds the list of its calls."""
    from wagtail_awards.middleware import PublicPageCacheMiddleware

    grow(world, 10)
    middleware = f"{PublicPageCacheMiddleware.__module__}.{PublicPageCacheMiddleware.__name__}"
    settings.MIDDLEWARE = [middleware, *settings.MIDDLEWARE]
    settings.WAGTAIL_AWARDS_PAGE_CACHE_SECONDS = 30
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    cache.clear()
    voter = make_user("signed-in-reader", first_name="读者甲")
    verify_voter(voter)
    client.force_login(voter)
    pages = {
        "site root": ("/", None),
        "notice": (world["vote_call"].url, None),
        "voting page": (world["voting_page"].url, None),
        "publicity page": (world["publicity_page"].url, IN_PUBLICITY),
        "results page": (world["results_page"].url, AFTER_PUBLICITY),
    }
    finalise_results()
    for url, moment in pages.values():
        with time_machine.travel(moment or timezone.now(), tick=False):
            client.get(url)
    figures = {name: count(client, url, moment) for name, (url, moment) in pages.items()}
    assert figures == {"site root": 2, "notice": 1, "voting page": 1, "publicity page": 1, "results page": 1}
    for url, moment in pages.values():
        with time_machine.travel(moment or timezone.now(), tick=False):
            response = client.get(url)
        assert response.get("X-Awards-Cache") != "hit" and "读者甲" in response.content.decode(), url
