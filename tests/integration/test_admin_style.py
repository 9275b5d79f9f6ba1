"""The app's admin in one style: model screens on one ModelAdmin base, every other screen a view of one base."""

import pytest
from django.contrib.messages import get_messages
from django.urls import URLResolver, reverse
from django.utils import timezone

from tests.builders import build_world
from wagtail_awards import admin
from wagtail_awards.admin.base import NAMESPACE, ActionView, AdminView, AwardsModelAdmin
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.exports import FormulaSafeExportMixin
from wagtail_awards.models import (
    Application,
    CalendarException,
    PastAward,
    RecommendationList,
    ReviewAssignment,
)

pytestmark = pytest.mark.django_db


def test_every_model_screen_has_the_shared_base_filters_search_inspect_and_the_one_exporter():
    model_admins = admin.model_admins()
    assert {type(model_admin).__name__ for model_admin in model_admins} >= {
        "ApplicationAdmin",
        "PastAwardAdmin",
        "OrganizationAdmin",
        "MembershipAdmin",
        "CalendarExceptionAdmin",
        "RecommendationListAdmin",
        "RecommendationAdmin",
        "ReviewAssignmentAdmin",
        "ObjectionAdmin",
        "AwardAdmin",
        "VotingCodeAdmin",
        "EligibleVoterAdmin",
        "VoteAdmin",
    }
    lacking = [
        (type(model_admin).__name__, what)
        for model_admin in model_admins
        for what, present in (
            ("base", isinstance(model_admin, AwardsModelAdmin)),
            ("filters", bool(model_admin.list_filter)),
            ("search", bool(model_admin.search_fields)),
            ("inspect", model_admin.inspect_view_enabled),
            ("exporter", issubclass(model_admin.index_view_class, FormulaSafeExportMixin)),
        )
        if not present
    ]
    assert lacking == []


def test_every_other_admin_view_of_the_app_is_named_in_one_namespace_on_one_base():
    (resolver,) = admin.urls()
    assert isinstance(resolver, URLResolver) and resolver.namespace == NAMESPACE
    views = {pattern.name: pattern.callback.view_class for pattern in resolver.url_patterns}
    assert {
        "recommend",
        "decide",
        "submit_list",
        "assign",
        "scores",
        "ranking",
        "cancel_award",
        "invite",
        "generate_voting_codes",
        "mark_voters",
        "vote_audit",
        "record_most_popular",
    } <= set(views)
    assert [name for name, view in views.items() if not issubclass(view, AdminView)] == []


@pytest.fixture
def province(client, site_root):
    world = build_world(site_root)
    client.force_login(world.users["province"])
    return client


@pytest.mark.parametrize(
    "model, make, shown, other",
    [
        (
            "pastaward",
            lambda name: PastAward.objects.create(year=2019, project_name=name, unit_name="某单位"),
            "梅花奖项目",
            "桂花奖项目",
        ),
        (
            "calendarexception",
            lambda name: CalendarException.objects.create(
                day="2026-10-10" if name == "国庆调休" else "2026-02-15", is_working_day=True, note=name
            ),
            "国庆调休",
            "春节调休",
        ),
    ],
)
def test_the_records_screens_search_and_inspect(province, model, make, shown, other):
    row = make(shown)
    make(other)
    listed = province.get(reverse(f"wagtail_awards_{model}_modeladmin_index") + f"?q={shown}").content.decode()
    assert shown in listed and other not in listed
    inspected = province.get(reverse(f"wagtail_awards_{model}_modeladmin_inspect", args=[row.pk]))
    assert inspected.status_code == 200 and shown in inspected.content.decode()


#: The actions posted from a form on another screen (no page of their own).
ACTIONS_WITHOUT_A_PAGE = {
    "assign",
    "unassign",
    "auto_assign",
    "unlock_list",
    "decide_past_award",
    "voting_codes_xlsx",
    "record_most_popular",
}


def test_the_actions_without_a_page_are_the_known_ones():
    (resolver,) = admin.urls()
    views = {pattern.name: pattern.callback.view_class for pattern in resolver.url_patterns}
    without = {name for name, view in views.items() if issubclass(view, ActionView) and view.template_name is None}
    assert without == ACTIONS_WITHOUT_A_PAGE


def test_an_action_without_a_page_answers_a_get_with_405_and_an_invalid_post_goes_back_changing_nothing(
    client, site_root
):
    world = build_world(site_root, stage="review")
    application = world.apps["nj1"]
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.RECOMMENDED)
    item = ReviewAssignment.objects.create(application=application, reviewer=world.users["reviewer_seu"])
    rec_list = RecommendationList.objects.create(
        call=world.call, organization=world.orgs["nanjing"], submitted_at=timezone.now()
    )
    Application.objects.filter(pk=application.pk).update(past_award_matches=[{"year": 2019, "project": "书香校园"}])
    client.force_login(world.users["province"])
    urls = {
        "assign": reverse(f"{NAMESPACE}:assign", args=[application.pk]),
        "unassign": reverse(f"{NAMESPACE}:unassign", args=[item.pk]),
        "auto_assign": reverse(f"{NAMESPACE}:auto_assign") + f"?call={world.call.pk}",
        "unlock_list": reverse(f"{NAMESPACE}:unlock_list", args=[rec_list.pk]),
        "decide_past_award": reverse(f"{NAMESPACE}:decide_past_award", args=[application.pk]),
        "voting_codes_xlsx": reverse(f"{NAMESPACE}:voting_codes_xlsx"),
        "record_most_popular": reverse(f"{NAMESPACE}:record_most_popular", args=[world.call.pk]),
    }
    assert set(urls) == ACTIONS_WITHOUT_A_PAGE
    for name, url in urls.items():
        assert client.get(url).status_code == 405, name
    # Forms that are not valid: no reviewer, no number, no reason, no decision, no call and unit of the codes.
    for name in ("assign", "auto_assign", "unlock_list", "decide_past_award", "voting_codes_xlsx"):
        response = client.post(urls[name], {"reviewer": "", "k": "", "reason": "", "decision": "perhaps"})
        assert response.status_code == 302, name
        said = [str(message) for message in get_messages(response.wsgi_request)]
        assert said and said != [""], name
    assert list(ReviewAssignment.objects.values_list("pk", flat=True)) == [item.pk]
    assert RecommendationList.objects.get(pk=rec_list.pk).submitted_at is not None
    refreshed = Application.objects.get(pk=application.pk)
    assert refreshed.past_award_cleared_at is None and refreshed.status == ApplicationStatus.RECOMMENDED
