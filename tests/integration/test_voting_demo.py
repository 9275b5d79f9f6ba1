"""The demo's voting pages: a closed 2021 vote with its result and a vote open now; loading twice changes nothing."""

import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.builders import bound_challenge
from wagtail_awards.enums import DeadlineState
from wagtail_awards.models import CallPage, Vote, VotingPage
from wagtail_awards.services import voting

pytestmark = pytest.mark.django_db


def load():
    call_command("load_awards_demo", stdout=open(os.devnull, "w"))


def test_demo_voting_pages_idempotent(client):
    load()
    votes = Vote.objects.count()
    load()
    assert Vote.objects.count() == votes
    pages = VotingPage.objects.live()
    assert pages.count() == 2
    states = {}
    for page in pages:
        call = page.get_parent().specific
        board = voting.board(call=call, now=timezone.now(), when=page.body[0].value["show_tallies"])
        states[board.state] = (call, board, page)
        assert client.get(page.url).status_code == 200
    call_2021, closed, page_2021 = states[DeadlineState.CLOSED]
    assert call_2021.year == 2021
    assert [c.project_name for c in closed.candidates if c.pk in closed.winners] == ["教职工心理关爱驿站"]
    assert "最受教职工欢迎项目" in client.get(page_2021.url).content.decode()
    _call, live, page = states[DeadlineState.OPEN]
    assert len(live.candidates) == 8 and live.show_tallies
    assert "投票" in client.get(page.url).content.decode()
    assert CallPage.objects.filter(slug__startswith="vote-").count() == 1


@override_settings(WAGTAIL_AWARDS_VOTERS=["verified_account", "voting_code"])
def test_demo_voters_a_code_sheet_and_a_voter_login(client, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from example_site.demo.voting_round import DEMO_CODES
    from wagtail_awards.models import VotingCode

    settings.MEDIA_ROOT = tmp_path
    load()
    load()
    assert VotingCode.objects.count() == len(DEMO_CODES)
    sheet = (tmp_path / "demo-voting-codes.html").read_text()
    assert sheet.count("<svg") == len(DEMO_CODES) and all(code in sheet for code in DEMO_CODES)
    assert get_user_model().objects.get(username="voter").check_password("awards-demo")
    # A code of the sheet votes in the open vote.
    page = VotingPage.objects.get(url_path__contains="/vote-")
    call = page.get_parent().specific
    candidate = voting.candidates(call=call).first()
    assert client.post(reverse("wagtail_awards:voting_code"), {"code": DEMO_CODES[0].lower()}).status_code == 303
    response = client.post(
        reverse("wagtail_awards:vote", args=[call.pk, candidate.pk]),
        {"captcha_0": bound_challenge(client, "vote")[0], "captcha_1": "passed"},
    )
    assert response.status_code == 303
    assert Vote.objects.filter(call=call, voter_key__startswith="c:").count() == 1
