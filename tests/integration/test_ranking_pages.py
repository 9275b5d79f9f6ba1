"""The ranking screen pages a large round: the ranks run on across pages, prizes are saved page by page."""

import re

import pytest

from tests.builders import build_world
from tests.integration.test_review_queries import grow
from wagtail_awards.models import Award
from wagtail_awards.services import review

pytestmark = pytest.mark.django_db

URL = "/admin/awards/review/ranking/"


def ranks(html):
    """The rank in the first cell of each row."""
    return [int(n) for n in re.findall(r"<tr[^>]*>\s*<td>(\d+)", html)]


def test_ranking_is_paged_and_prizes_are_saved_on_any_page(site_root, client):
    world = build_world(site_root, stage="review")
    grow(world, 120)
    client.force_login(world.users["province"])
    call = world.call
    standing = review.standings(call=call)
    assert len(standing.ranked) == 114  # the six projects of the world are not in review
    pages = [client.get(f"{URL}?call={call.pk}&page={n}").content.decode() for n in (1, 2, 3)]
    assert [html.count('name="prize_') for html in pages] == [50, 50, 14]
    shown = [rank for html in pages for rank in ranks(html)]
    assert shown == [p.rank for p in standing.ranked] == sorted(shown)

    # A prize chosen on page 2 is saved; the screen comes back to page 2.
    target = standing.ranked[60].key
    response = client.post(f"{URL}?call={call.pk}", {"call": call.pk, "page": 2, f"prize_{target}": "1"})
    assert response.status_code == 302 and "page=2" in response["Location"]
    assert Award.objects.get(application_id=target).prize_rank == 1

    # Suggestions follow the whole ranking, shown on the page that holds each project.
    suggestion = review.standings(call=call).suggestion(review.prize_levels(call))
    first = client.get(f"{URL}?call={call.pk}&page=1&suggest=1").content.decode()
    for pk, rank in suggestion.items():
        if any(p.key == pk for p in standing.ranked[:50]):
            assert re.search(rf'name="prize_{pk}"[^>]*>.*?<option value="{rank}" selected', first, re.S)


def test_a_bad_page_number_shows_a_page(site_root, client):
    world = build_world(site_root, stage="review")
    grow(world, 10)
    client.force_login(world.users["province"])
    for bad in ("abc", "-3", "0", "999999", "9" * 30):
        assert client.get(f"{URL}?call={world.call.pk}&page={bad}").status_code == 200
