"""Builders for the vote tests: a call whose vote is open, its candidates and a voting page."""

import datetime as dt
import json

from django.utils import timezone

from tests.factories import make_application, make_call
from wagtail_awards.models import Vote, VotingPage
from wagtail_awards.services import voting


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


def verify_voter(user, email=None):
    """Make ``user`` a voter with a verified e-mail address (as opening the confirmation link does)."""
    from wagtail_awards.services import accounts

    user.email = email or user.email or f"{user.username}@example.org"
    user.save(update_fields=["email"])
    accounts.mark_email_verified(user=user)
    return user


def make_province_admin(username="province-admin"):
    """A province administrator: a member of the province union with that role, in its admin group."""
    from tests.factories import make_org, make_user
    from wagtail_awards.enums import OrganizationKind, Role
    from wagtail_awards.models import Organization
    from wagtail_awards.services.setup import ensure_role_groups

    province = Organization.objects.filter(kind=OrganizationKind.PROVINCE).first() or make_org(
        "江苏省教育科技工会", OrganizationKind.PROVINCE
    )
    user = make_user(username, org=province, role=Role.PROVINCE_ADMIN)
    user.groups.add(ensure_role_groups()[Role.PROVINCE_ADMIN])
    return user
