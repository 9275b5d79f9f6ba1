"""Recommendation quotas, locking, assignment, scoring and prizes, with the log they leave."""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.builders import build_world
from wagtail_awards.enums import ApplicationStatus, AwardStatus
from wagtail_awards.models import Award, AwardsLogEntry, CallPage, CallPrizeLevel, RecommendationList, ReviewAssignment
from wagtail_awards.services import recommendation as rec
from wagtail_awards.services import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_root):
    return build_world(site_root, stage="review")


def reload(call):
    return CallPage.objects.get(pk=call.pk)


def refresh(*objs):
    for obj in objs:
        obj.refresh_from_db()


def test_quota_refuses_over_the_maximum(world):
    for key in ("nj1", "nj2"):
        rec.decide(user=world.users["rec_nj"], application=world.apps[key], decision="recommend")
    # The university quota in the test call is 1–2; Nanjing is a city: 2–3.
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj3"], decision="recommend")
    extra = world.apps["draft"]
    extra.status = ApplicationStatus.SUBMITTED
    extra.save()
    with pytest.raises(rec.RecommendationError, match="名额已满"):
        rec.decide(user=world.users["rec_nj"], application=extra, decision="recommend")
    refresh(extra, world.apps["nj1"])
    assert extra.status == ApplicationStatus.SUBMITTED
    assert world.apps["nj1"].status == ApplicationStatus.RECOMMENDED
    # Changing one's mind frees a place; deciding again on a recommended one does not count twice.
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="not_recommend", comment="重复")
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj2"], decision="recommend", comment="优先")
    rec.decide(user=world.users["rec_nj"], application=extra, decision="recommend")
    refresh(world.apps["nj1"], extra)
    assert world.apps["nj1"].status == ApplicationStatus.NOT_RECOMMENDED
    assert extra.status == ApplicationStatus.RECOMMENDED
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.recommend").count() == 6


def test_submit_under_minimum_needs_confirmation_then_locks(world):
    user = world.users["rec_nj"]
    rec.decide(user=user, application=world.apps["nj1"], decision="recommend")
    rec_list = RecommendationList.objects.get(organization=world.orgs["nanjing"])
    with pytest.raises(rec.UnderMinimum):
        rec.submit(user=user, rec_list=rec_list)
    refresh(rec_list)
    assert not rec_list.is_locked
    rec.submit(user=user, rec_list=rec_list, confirm_under_minimum=True)
    refresh(rec_list)
    assert rec_list.is_locked and rec_list.submitted_by == user
    with pytest.raises(rec.RecommendationError, match="已提交并锁定"):
        rec.decide(user=user, application=world.apps["nj2"], decision="recommend")
    with pytest.raises(rec.RecommendationError):
        rec.submit(user=user, rec_list=rec_list, confirm_under_minimum=True)
    rec.unlock(user=world.users["province"], rec_list=rec_list, reason="补报")
    rec.decide(user=user, application=world.apps["nj2"], decision="recommend")
    entry = AwardsLogEntry.objects.get(action="wagtail_awards.unlock_recommendations")
    assert entry.user == world.users["province"] and entry.data["reason"] == "补报"


def test_recommending_waits_for_the_application_deadline_and_stops_at_its_own(world):
    call = world.call
    with pytest.raises(rec.RecommendationError):
        rec.decide(
            user=world.users["rec_nj"],
            application=world.apps["nj1"],
            decision="recommend",
            now=call.application_deadline - dt.timedelta(minutes=1),
        )
    with pytest.raises(rec.RecommendationError):
        rec.decide(
            user=world.users["rec_nj"],
            application=world.apps["nj1"],
            decision="recommend",
            now=call.recommendation_deadline + dt.timedelta(seconds=1),
        )


def test_drafts_cannot_be_decided_on(world):
    with pytest.raises(rec.RecommendationError):
        rec.decide(user=world.users["rec_nj"], application=world.apps["draft"], decision="recommend")


def recommend_all(world):
    for key, user in (("nj1", "rec_nj"), ("nj2", "rec_nj"), ("sz1", "rec_sz")):
        rec.decide(user=world.users[user], application=world.apps[key], decision="recommend")
    seu = world.apps["seu1"]
    seu.status = ApplicationStatus.RECOMMENDED
    seu.save()
    for app in world.apps.values():
        app.refresh_from_db()


def test_assignment_refuses_conflicts_and_auto_assign_balances(world):
    recommend_all(world)
    admin = world.users["province"]
    with pytest.raises(review.ReviewError):
        review.assign(user=admin, application=world.apps["sz1"], reviewer=world.users["reviewer_sz"])
    with pytest.raises(review.ReviewError):
        review.assign(user=admin, application=world.apps["seu1"], reviewer=world.users["reviewer_seu"])
    with pytest.raises(review.ReviewError):
        review.assign(user=admin, application=world.apps["nj3"], reviewer=world.users["reviewer_prov"])
    with pytest.raises(review.ReviewError):
        review.assign(user=admin, application=world.apps["nj1"], reviewer=world.users["rec_nj"])
    result = review.auto_assign(user=admin, call=world.call, k=2)
    assert result.short == []
    pairs = set(ReviewAssignment.objects.values_list("application__project_name", "reviewer__username"))
    assert len(pairs) == 8
    assert ("苏式工会服务", "reviewer_sz") not in pairs and ("暖心驿站", "reviewer_seu") not in pairs
    loads = {}
    for _project, reviewer in pairs:
        loads[reviewer] = loads.get(reviewer, 0) + 1
    assert sorted(loads.values()) in ([2, 3, 3], [2, 2, 4]) and max(loads.values()) - min(loads.values()) <= 2
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.assign_reviewer").count() == 4


def score(world, key, username, values, comment=""):
    item = ReviewAssignment.objects.get(application=world.apps[key], reviewer=world.users[username])
    criteria = list(world.call.criteria.all())
    return review.save_scores(
        user=world.users[username], item=item, values={c.pk: D(v) for c, v in zip(criteria, values, strict=True)}
    )


def test_scoring_totals_ranking_and_prizes(world):
    recommend_all(world)
    admin = world.users["province"]
    for key in ("nj1", "nj2", "sz1"):
        review.assign(user=admin, application=world.apps[key], reviewer=world.users["reviewer_seu"])
        review.assign(user=admin, application=world.apps[key], reviewer=world.users["reviewer_prov"])
    # Equal weights of 25 out of 100: a review's total is the mean of its four scores.
    assert score(world, "nj1", "reviewer_seu", [90, 80, 70, 60]).total == D("75.000")
    score(world, "nj1", "reviewer_prov", [80, 80, 80, 81])  # 80.25
    score(world, "nj2", "reviewer_seu", [70, 80, 90, 75])  # 78.75
    score(world, "nj2", "reviewer_prov", [80, 80, 70, 80])  # 77.5
    score(world, "sz1", "reviewer_seu", [50, 60, 70, 80])  # 65
    refresh(world.apps["nj1"], world.apps["sz1"])
    assert world.apps["nj1"].status == ApplicationStatus.SCORED
    assert world.apps["sz1"].status == ApplicationStatus.RECOMMENDED  # one review still open
    rows = review.ranking(call=world.call)
    table = [(row.application.project_name, row.rank, row.total, row.ranked.tied, row.ranked.spread) for row in rows]
    # nj1: (75 + 80.25) / 2 = 77.625 → 77.63; nj2: (78.75 + 77.5) / 2 = 78.125 → 78.13
    assert table[:3] == [
        ("教工之家", 1, D("78.13"), False, D("1.25")),
        ("书香校园", 2, D("77.63"), False, D("5.25")),
        ("苏式工会服务", 3, D("65.00"), False, D("0.00")),
    ]
    first = {c.name: c for c in rows[1].criteria}
    assert first["实效性"].average == D("85.00") and first["实效性"].spread == D("10.00")

    # Prizes: one first and one second prize; sz1 waits for a review and gets no suggestion.
    CallPrizeLevel.objects.filter(page=world.call, rank=1).update(count=1)
    CallPrizeLevel.objects.create(page=world.call, rank=2, name="二等奖", count=1)
    world.call = reload(world.call)
    assert review.suggest(call=world.call) == {world.apps["nj2"].pk: 1, world.apps["nj1"].pk: 2}
    with pytest.raises(review.ReviewError):
        review.set_prizes(user=admin, call=world.call, prizes={world.apps["nj1"].pk: 1, world.apps["nj2"].pk: 1})
    with pytest.raises(review.ReviewError):  # not fully scored yet
        review.set_prizes(user=admin, call=world.call, prizes={world.apps["sz1"].pk: 2})
    assert (
        review.set_prizes(user=admin, call=world.call, prizes={world.apps["nj2"].pk: 1, world.apps["nj1"].pk: 2}) == 2
    )
    refresh(world.apps["nj1"], world.apps["nj2"])
    assert world.apps["nj2"].status == ApplicationStatus.PROPOSED
    award = Award.objects.get(application=world.apps["nj2"])
    assert award.prize_rank == 1 and award.status == AwardStatus.PROPOSED and award.decided_by == admin
    # Taking a prize away moves the project back to scored.
    review.set_prizes(user=admin, call=world.call, prizes={world.apps["nj1"].pk: None})
    refresh(world.apps["nj1"])
    assert world.apps["nj1"].status == ApplicationStatus.SCORED
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.prize").count() == 3


def test_equal_totals_tie_and_suggestions_do_not_split_them(world):
    recommend_all(world)
    admin = world.users["province"]
    for key in ("nj1", "nj2", "sz1"):
        review.assign(user=admin, application=world.apps[key], reviewer=world.users["reviewer_prov"])
    score(world, "nj1", "reviewer_prov", [80, 80, 80, 80])
    score(world, "nj2", "reviewer_prov", [70, 90, 80, 80])
    score(world, "sz1", "reviewer_prov", [90, 90, 90, 90])
    rows = review.ranking(call=world.call)
    assert [(r.application.project_name, r.rank, r.ranked.tied) for r in rows][:3] == [
        ("苏式工会服务", 1, False),
        ("书香校园", 2, True),
        ("教工之家", 2, True),
    ]
    CallPrizeLevel.objects.filter(page=world.call).update(count=2)
    world.call = reload(world.call)
    # Two first prizes: the tie for second place does not fit, so only the top one is suggested.
    assert review.suggest(call=world.call) == {world.apps["sz1"].pk: 1}


def test_scores_are_refused_after_the_review_closes_and_out_of_range(world):
    recommend_all(world)
    review.assign(user=world.users["province"], application=world.apps["nj1"], reviewer=world.users["reviewer_prov"])
    item = ReviewAssignment.objects.get()
    criteria = list(world.call.criteria.all())
    values = {c.pk: D(50) for c in criteria}
    with pytest.raises(review.ReviewError):
        review.save_scores(
            user=world.users["reviewer_prov"],
            item=item,
            values=values,
            now=world.call.review_deadline + dt.timedelta(seconds=1),
        )
    with pytest.raises(review.ReviewError):
        review.save_scores(user=world.users["reviewer_seu"], item=item, values=values)
    with pytest.raises(review.ReviewError):
        review.save_scores(user=world.users["reviewer_prov"], item=item, values={**values, criteria[0].pk: D(101)})
    assert not item.scores.exists()


def test_trimmed_mean_follows_the_call(world):
    recommend_all(world)
    CallPage.objects.filter(pk=world.call.pk).update(scoring_method="trimmed_mean")
    world.call = reload(world.call)
    names = ["r1", "r2", "r3", "r4", "r5"]
    from tests.builders import make_user
    from wagtail_awards.enums import Role

    for name, value in zip(names, [50, 70, 80, 90, 100], strict=True):
        user = make_user(name, org=world.orgs["province"], role=Role.REVIEWER)
        review.assign(user=world.users["province"], application=world.apps["nj1"], reviewer=user)
        item = ReviewAssignment.objects.get(reviewer=user)
        review.save_scores(user=user, item=item, values={c.pk: D(value) for c in world.call.criteria.all()})
    row = next(r for r in review.ranking(call=world.call) if r.application.pk == world.apps["nj1"].pk)
    # Drop 50 and 100: (70 + 80 + 90) / 3 = 80
    assert row.total == D("80.00") and row.ranked.spread == D("50.00")
