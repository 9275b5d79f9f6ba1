"""Builders for the vote tests: a call whose vote is open, its candidates and a voting page."""

import datetime as dt
import json

from django.apps import apps
from django.utils import timezone

from tests.factories import make_application, make_call
from wagtail_awards.domain import voting
from wagtail_awards.models import Vote, VotingPage


def make_voting_call(index, *, year=2030, opens=None, closes=None, **fields):
    now = timezone.now()
    return make_call(
        index,
        year=year,
        voting_opens=opens or now - dt.timedelta(days=1),
        voting_closes=closes or now + dt.timedelta(days=1),
        most_popular_label="最受教职工欢迎项目",
        **fields,
    )


def make_candidates(call, count, *, status="recommended"):
    return [make_application(call, status=status, project_name=f"候选项目{i + 1}") for i in range(count)]


def make_voting_page(call, *, when="during", slug="vote"):
    body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>请为您喜爱的项目投票。</p>"},
            {"type": "voting", "value": {"call": call.pk, "heading": "网络投票", "intro": "", "show_tallies": when}},
        ]
    )
    page = VotingPage(title="网络投票", slug=slug, body=body)
    call.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_vote(call, application, voter_key, *, day=None, **fields):
    """A vote written as stored data (not cast through the endpoint); the call's tallies are rebuilt, as after an
    import."""
    vote = Vote.objects.create(
        call=call, application=application, voter_key=voter_key, day=day or dt.date.today(), **fields
    )
    voting.recount_tallies(call=call)
    return vote


def _record_verification(user):
    """The accounts work's record of a verified address, where that model exists."""
    try:
        model = apps.get_model("wagtail_awards", "VerifiedEmail")
    except LookupError:
        return
    model.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": timezone.now(), "source": "test"}
    )


def verify_voter(user, email=None):
    """Make ``user`` a voter with a verified address: an account of an identity provider (no password of its own,
    which counts as verified), with the accounts work's verification record where that exists."""
    user.email = email or user.email or f"{user.username}@example.org"
    user.set_unusable_password()
    user.save()
    _record_verification(user)
    return user


def treat_as_verified(monkeypatch, users):
    """Accounts that keep their password (they log in through the form) with a verified address: recorded where
    the accounts work's model exists, and answered by ``voters.verified_email`` in any case."""
    from wagtail_awards import voters

    known = {}
    for user in users:
        user.email = user.email or f"{user.username}@example.org"
        user.save(update_fields=["email"])
        _record_verification(user)
        known[user.pk] = user.email.lower()
    real = voters.verified_email
    monkeypatch.setattr(voters, "verified_email", lambda user: known.get(user.pk) or real(user))
