"""The round's panel on the admin home page, the role groups and the choice of the current call."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from tests.builders import DEADLINE, build_world
from wagtail_awards.enums import Role
from wagtail_awards.services import recommendation as rec
from wagtail_awards.services import review
from wagtail_awards.services.setup import ROLE_GROUPS

pytestmark = pytest.mark.django_db


def panel_text(client):
    html = client.get("/admin/").content.decode()
    start = html.index('id="awards-round-section"')
    return html[start : start + 6000]


def test_panel_counts_stages_cities_lists_and_reviews(site_root, client):
    world = build_world(site_root, stage="review")
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="recommend")
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj2"], decision="not_recommend")
    rec.submit(
        user=world.users["rec_nj"],
        rec_list=rec.get_list(call=world.call, organization=world.orgs["nanjing"]),
        confirm_under_minimum=True,
    )
    world.apps["nj1"].refresh_from_db()
    review.assign(user=world.users["province"], application=world.apps["nj1"], reviewer=world.users["reviewer_prov"])
    client.force_login(world.users["province"])
    text = panel_text(client)
    # Stages: 1 draft, 3 submitted, 1 recommended, 1 not recommended; cities: 南京 4 (without the draft), 苏州 1.
    for expected in ("草稿: 1", "已申报: 3", "已推荐: 1", "未推荐: 1", "南京: 4", "苏州: 1"):
        assert expected in text, (expected, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))
    assert "已提交 1 / 1 份，共推荐 1 个项目" in text
    assert "已完成评审 0 / 1 份" in text
    # The next deadline is the end of the recommendation stage, 5 days away.
    assert "初审推荐于" in text and "还剩 4 天 23 小时" in text

    # A recommender's panel counts their own organisation only.
    client.force_login(world.users["rec_sz"])
    text = panel_text(client)
    assert "苏州: 1" in text and "南京" not in text


def test_editors_without_a_round_role_get_no_panel(site_root, client):
    from tests.builders import make_user

    world = build_world(site_root, stage="review")
    editor = make_user("editor", is_superuser=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200 and 'id="awards-round-section"' not in html
    client.force_login(world.users["reviewer_prov"])
    assert 'id="awards-round-section"' in client.get("/admin/").content.decode()


def test_setup_roles_command_gives_each_group_its_permissions(db):
    call_command("awards_setup_roles", stdout=open("/dev/null", "w"))
    recommenders = Group.objects.get(name=str(ROLE_GROUPS[Role.RECOMMENDER]))
    reviewers = Group.objects.get(name=str(ROLE_GROUPS[Role.REVIEWER]))
    admins = Group.objects.get(name=str(ROLE_GROUPS[Role.PROVINCE_ADMIN]))
    codes = lambda group: set(group.permissions.values_list("codename", flat=True))  # noqa: E731
    assert {"access_admin", "change_recommendation", "view_application"} <= codes(recommenders)
    assert "change_score" not in codes(recommenders) and "change_award" not in codes(recommenders)
    assert {"access_admin", "change_score", "view_reviewassignment"} <= codes(reviewers)
    assert "change_recommendation" not in codes(reviewers)
    assert {"change_award", "add_reviewassignment", "change_recommendationlist"} <= codes(admins)
    call_command("awards_setup_roles", stdout=open("/dev/null", "w"))
    assert Group.objects.filter(name__in=[str(n) for n in ROLE_GROUPS.values()]).count() == 3


def test_current_call_is_the_one_in_review(site_root):
    now = timezone.now()
    world = build_world(site_root, deadline=DEADLINE)
    old = world.call
    in_review = build_world(
        site_root,
        stage="review",
        year=2024,
        now=now,
        deadline=now - dt.timedelta(days=20),
        recommendation_deadline=now - dt.timedelta(days=5),
        review_deadline=now + dt.timedelta(days=5),
        beside=world,
    ).call
    build_world(site_root, year=2025, now=now, deadline=now + dt.timedelta(days=30), beside=world)
    assert review.current_call(now=now).pk == in_review.pk
    # After its review, the newest call whose applications have closed.
    later = in_review.review_deadline + dt.timedelta(days=1)
    assert review.current_call(now=later).pk == in_review.pk
    assert review.current_call(now=old.application_deadline + dt.timedelta(days=1)).pk == old.pk
