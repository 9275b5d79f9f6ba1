"""The client's address behind trusted proxies, and nothing a client writes into a header when there are none."""

import pytest
from django.test import RequestFactory, override_settings

from wagtail_awards.addresses import client_address

CLIENT, PROXY, INNER, SPOOF = "203.0.113.7", "198.51.100.2", "10.0.0.5", "192.0.2.66"


def request(peer, forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=peer, **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request(CLIENT, SPOOF)) == CLIENT
    assert client_address(request(CLIENT, f"{SPOOF}, 8.8.8.8", HTTP_X_REAL_IP=SPOOF)) == CLIENT


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT=1)
def test_one_proxy_the_address_it_appended_wins_over_what_the_client_wrote():
    assert client_address(request(PROXY, CLIENT)) == CLIENT
    assert client_address(request(PROXY, f"{SPOOF}, {CLIENT}")) == CLIENT
    assert client_address(request(PROXY, f"not-an-address, {SPOOF}, {CLIENT}")) == CLIENT


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT=2)
def test_two_proxies():
    assert client_address(request(INNER, f"{SPOOF}, {CLIENT}, {PROXY}")) == CLIENT


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT=1)
def test_a_request_that_did_not_come_through_the_proxy_keeps_its_peer_address():
    assert client_address(request(CLIENT)) == CLIENT
    assert client_address(request(CLIENT, "")) == CLIENT


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXIES=["198.51.100.0/24"])
def test_a_list_of_proxies_trusts_the_header_only_from_them():
    assert client_address(request(PROXY, f"{SPOOF}, {CLIENT}")) == CLIENT
    # A client connecting directly (not from the proxy's network) cannot choose its address.
    assert client_address(request(SPOOF, CLIENT)) == SPOOF


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXIES=["198.51.100.2", "10.0.0.0/8"])
def test_a_list_names_every_hop_outermost_first():
    assert client_address(request(INNER, f"{SPOOF}, {CLIENT}, {PROXY}")) == CLIENT
    assert client_address(request(INNER, f"{CLIENT}, {SPOOF}")) == INNER


@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT=1, WAGTAIL_AWARDS_FORWARDED_FOR_HEADER="HTTP_X_REAL_CLIENT")
def test_the_header_is_a_setting():
    assert client_address(request(PROXY, SPOOF, HTTP_X_REAL_CLIENT=CLIENT)) == CLIENT


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT=1, WAGTAIL_AWARDS_VOTE_IP_LIMIT=1)
def test_rate_limits_and_vote_hashes_see_the_client_not_the_proxy(client, site_root):
    """Behind the documented proxy every vote used to come from the proxy's address."""
    from django.core.cache import cache
    from django.urls import reverse

    from tests.builders import bound_challenge, build_world
    from wagtail_awards.addresses import client_hash
    from wagtail_awards.models import Vote

    cache.clear()
    world = build_world(site_root, stage="voting", projects=2)
    call, candidates = world.call, list(world.apps.values())
    url = reverse("wagtail_awards:vote_challenge")
    client.force_login(world.users["voter"])
    for address in ("203.0.113.1", "203.0.113.2"):
        # Two questions per address and window (the limit is 1 vote): a third from one address is refused.
        assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code == 200
        assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code == 200
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    key, _answer = bound_challenge(client, "vote")
    vote = reverse("wagtail_awards:vote", args=[call.pk, candidates[0].pk])
    data = {"captcha_0": key, "captcha_1": "passed", "next": "/"}
    assert client.post(vote, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 303
    assert Vote.objects.get().ip_hash == client_hash(CLIENT)
    cache.clear()
