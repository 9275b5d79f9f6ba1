"""The app's URLs (under ``awards/`` in the example site) hide no page whose URL is not exactly one of theirs:
a page at ``/awards/`` with children ``apply``, ``vote``, ``files`` and ``accounts`` is served, and so are the
app's own views beside them."""

import json

import pytest
from django.urls import reverse

from tests.builders import build_world
from wagtail_awards.models import VotingPage

pytestmark = pytest.mark.django_db


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_pages_under_the_apps_prefix_are_served(client, site_root, django_user_model):
    world = build_world(site_root, slug="awards", title="Awards of the year")  # its form page: /awards/apply/
    awards = world.call
    assert awards.url == "/awards/"
    body = json.dumps(
        [{"type": "voting", "value": {"call": awards.pk, "heading": "", "intro": "", "show_tallies": "after"}}]
    )
    for slug in ("vote", "files", "accounts"):
        publish(awards, VotingPage(title=f"Page {slug}", slug=slug, body=body))

    assert "Awards of the year" in client.get("/awards/").content.decode()
    for slug in ("vote", "files", "accounts"):
        response = client.get(f"/awards/{slug}/")
        assert response.status_code == 200, slug
        assert f"Page {slug}" in response.content.decode()
    # The form page asks for a login, through the app's own login view beside it.
    response = client.get("/awards/apply/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtail_awards:login"))
    assert client.get(response["Location"]).status_code == 200
    client.force_login(django_user_model.objects.create_user("someone", password="x"))
    assert world.form_page.title in client.get("/awards/apply/").content.decode()
    assert client.get(reverse("wagtail_awards:my_applications")).status_code == 200
