"""The demo's voting pages: a closed 2021 vote with its result and a vote open now; loading twice changes nothing."""

import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from wagtail_awards.domain import voting
from wagtail_awards.enums import DeadlineState
from wagtail_awards.models import CallPage, Vote, VotingPage

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
