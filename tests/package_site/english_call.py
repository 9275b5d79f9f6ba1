"""A call in English with its application form, voting and publicity pages, every stage's dates around now.

Used by the locale tests and by crawl.py inside a new ``wagtail start`` site, so it imports nothing from tests/.
"""

import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

from wagtail_awards.models import (
    ApplicationFormPage,
    CallCriterion,
    CallPage,
    CallPrizeLevel,
    CallQuota,
    CallTheme,
    PublicityPage,
    VotingPage,
)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def english_call(index, *, slug, addressees=""):
    """(call, application form page, voting page, publicity page), published under ``index``: applications and
    the vote open now, publicity started yesterday."""
    now = timezone.now()
    call = CallPage(
        title="Quality service projects",
        slug=slug,
        issuer="The province union",
        year=now.year,
        addressees=addressees,
        application_opens=now - dt.timedelta(days=5),
        application_deadline=now + dt.timedelta(days=5),
        voting_opens=now - dt.timedelta(days=1),
        voting_closes=now + dt.timedelta(days=2),
        publicity_starts=now - dt.timedelta(days=1),
        most_popular_label="Most popular project",
        contact_name="Li",
        contact_phone="025-83536268",
    )
    call.themes = [CallTheme(name="Service")]
    call.quotas = [CallQuota(organization_kind="city", min_count=1, max_count=3)]
    call.criteria = [CallCriterion(name="Impact", weight=Decimal(100))]
    call.prize_levels = [CallPrizeLevel(rank=1, name="First prize", count=3, subsidy=Decimal(1000))]
    call = publish(index, call)
    form_page = publish(call, ApplicationFormPage(title="Apply online", slug="apply"))
    body = [{"type": "voting", "value": {"call": call.pk, "heading": "Vote", "intro": "", "show_tallies": "during"}}]
    voting_page = publish(call, VotingPage(title="Online vote", slug="vote", body=json.dumps(body)))
    publicity_page = publish(call, PublicityPage(title="Publicity", slug="publicity"))
    return call, form_page, voting_page, publicity_page
