"""Votes: written as stored data, or cast through the vote endpoint with a solved question."""

import datetime as dt

from django.urls import reverse

from wagtail_awards.models import Vote
from wagtail_awards.services import voting

from .client import bound_challenge


def add_vote(call, application, voter_key, *, day=None, **fields):
    """A vote written as stored data (not cast through the endpoint); the call's tallies are rebuilt, as after an
    import."""
    vote = Vote.objects.create(
        call=call, application=application, voter_key=voter_key, day=day or dt.date.today(), **fields
    )
    voting.recount_tallies(call=call)
    return vote


def vote_url(call, application):
    return reverse("wagtail_awards:vote", args=[call.pk, application.pk])


def post_vote(client, call, application, *, answer="passed", next_url="/", key=None, url=None, **extra):
    """Cast a vote for ``application`` as ``client``: a question bound to its session (or ``key``), answered
    ``answer``, posted to the vote endpoint (or ``url``); returns the response."""
    if key is None:
        key, _answer = bound_challenge(client, "vote")
    return client.post(
        url or vote_url(call, application), {"captcha_0": key, "captcha_1": answer, "next": next_url}, **extra
    )
