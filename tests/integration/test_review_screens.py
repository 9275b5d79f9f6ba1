"""The review screens over HTTP: the recommender's flow with the quota, bad input, exports and files."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import build_world
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, ApplicationFile, AwardsLogEntry, RecommendationList, ReviewAssignment
from wagtail_awards.services import recommendation as rec
from wagtail_awards.services import review

pytestmark = pytest.mark.django_db

ADMIN = "/admin/awards/review/"


@pytest.fixture
def world(site_root):
    return build_world(site_root, stage="review")


def decide(client, app, decision="recommend", **extra):
    data = {
        f"a{app.pk}-decision": decision,
        f"a{app.pk}-comment": "意见",
        **{f"a{app.pk}-{k}": v for k, v in extra.items()},
    }
    return client.post(f"{ADMIN}recommend/{app.pk}/", data)


def text(response):
    return response.content.decode()


def test_recommender_flow_quota_confirmation_and_lock(world, client):
    client.force_login(world.users["rec_nj"])
    page = text(client.get(ADMIN + "recommend/"))
    assert "南京市教育工会" in page and "书香校园" in page and "苏式工会服务" not in page
    assert "已推荐 0 个 · 至少 2 个，至多 3 个" in page
    assert "草稿项目" not in page  # drafts are not the recommender's business

    assert decide(client, world.apps["nj1"], order="1").status_code == 302
    # Submitting one of at least two asks for confirmation and changes nothing yet.
    response = client.post(ADMIN + "recommend/submit/", {"call": world.call.pk, "org": world.orgs["nanjing"].pk})
    assert response.status_code == 200 and "少于最低名额 2 个" in text(response)
    assert not RecommendationList.objects.get(organization=world.orgs["nanjing"]).is_locked
    response = client.post(
        ADMIN + "recommend/submit/", {"call": world.call.pk, "org": world.orgs["nanjing"].pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert RecommendationList.objects.get(organization=world.orgs["nanjing"]).is_locked
    # Locked: no more forms, and a decision posted anyway is refused with the reason.
    page = text(client.get(ADMIN + "recommend/"))
    assert "名单已锁定" in page and 'name="a' not in page
    response = decide(client, world.apps["nj2"])
    assert response.status_code == 302 and response.url.endswith(f"org={world.orgs['nanjing'].pk}")
    assert "已提交并锁定" in text(client.get(response.url))


def test_over_the_maximum_is_refused_with_a_message(world, client):
    client.force_login(world.users["rec_nj"])
    extra = world.apps["draft"]
    extra.status = "submitted"
    extra.save()
    for key in ("nj1", "nj2", "nj3"):
        assert decide(client, world.apps[key]).status_code == 302
    # Refused, and back on the list (quota, other decisions) with the reason, not on a page of its own.
    response = decide(client, extra)
    assert response.status_code == 302 and response.url.endswith(f"org={world.orgs['nanjing'].pk}")
    page = text(client.get(response.url))
    assert "未保存" in page and "名额已满：最多可推荐 3 个项目" in page and "已推荐 3 个" in page
    extra.refresh_from_db()
    assert extra.status == "submitted"


def test_bad_input_gets_a_clear_answer_never_a_500(world, client):
    client.force_login(world.users["rec_nj"])
    response = decide(client, world.apps["nj1"], decision="maybe")
    assert response.status_code == 400 and "选择一个有效的选项" in text(response) and "返回名单" in text(response)
    response = decide(client, world.apps["nj1"], order="-3")
    assert response.status_code == 400
    assert client.get(ADMIN + "recommend/?call=abc").status_code == 404
    assert client.get(ADMIN + "recommend/?org=abc").status_code == 404
    assert client.get(ADMIN + "recommend/?call=999999").status_code == 404
    assert client.post(ADMIN + "recommend/submit/", {"org": "x"}).status_code == 404

    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="recommend")
    world.apps["nj1"].refresh_from_db()
    item = review.assign(
        user=world.users["province"], application=world.apps["nj1"], reviewer=world.users["reviewer_prov"]
    )
    client.force_login(world.users["reviewer_prov"])
    criteria = list(world.call.criteria.all())
    data = {f"criterion_{c.pk}": "80" for c in criteria}
    response = client.post(f"{ADMIN}scores/{item.pk}/", {**data, f"criterion_{criteria[0].pk}": "八十"})
    assert response.status_code == 400 and "errorlist" in text(response)
    response = client.post(f"{ADMIN}scores/{item.pk}/", {**data, f"criterion_{criteria[1].pk}": "120"})
    assert response.status_code == 400
    assert 'value="80"' in text(response)  # what was typed is kept
    item.refresh_from_db()
    assert item.total is None

    client.force_login(world.users["province"])
    response = client.post(ADMIN + f"ranking/?call={world.call.pk}", {f"prize_{world.apps['nj1'].pk}": "7"})
    assert response.status_code == 400
    response = client.post(f"{ADMIN}assignments/{world.apps['nj1'].pk}/add/", {"reviewer": "abc"})
    assert response.status_code == 302
    response = client.post(ADMIN + "assignments/auto/", {"k": "0"})
    assert response.status_code == 302
    assert ReviewAssignment.objects.count() == 1


def test_exports_carry_the_scoped_rows_and_numbers(world, client):
    for key in ("nj1", "nj2"):
        rec.decide(user=world.users["rec_nj"], application=world.apps[key], decision="recommend")
        world.apps[key].refresh_from_db()
        review.assign(user=world.users["province"], application=world.apps[key], reviewer=world.users["reviewer_prov"])
    criteria = list(world.call.criteria.all())
    for value, item in zip((80, 90), ReviewAssignment.objects.order_by("application__reference"), strict=True):
        review.save_scores(
            user=world.users["reviewer_prov"], item=item, values={c.pk: Decimal(value) for c in criteria}
        )

    client.force_login(world.users["province"])
    response = client.get(ADMIN + f"ranking/?call={world.call.pk}&export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2025.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["名次", "申报编号", "项目名称", "申报单位名称", "加权总分"]
    assert [r[:5] for r in rows[1:3]] == [
        ["1", "R002", "教工之家", "南京市金陵中学工会", "90.00"],
        ["2", "R001", "书香校园", "南京市第一中学工会", "80.00"],
    ]

    response = client.get(ADMIN + f"scores/?call={world.call.pk}&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][4:8] == ("实效性", "创新创优性", "可持续性", "可推广性")
    assert values[1][4] == 80 and values[1][8] == 80  # numbers, not text

    client.force_login(world.users["rec_nj"])
    response = client.get(ADMIN + f"recommend/?call={world.call.pk}&export=csv")
    exported = b"".join(response.streaming_content).decode()
    assert "书香校园" in exported and "推荐" in exported and "苏式工会服务" not in exported


def test_inspect_links_the_files_and_logs_show_the_decisions(world, client):
    item = ApplicationFile(
        application=world.apps["nj1"],
        field_name="materials",
        original_name="申报材料.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
    )
    item.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    item.save()
    client.force_login(world.users["rec_nj"])
    page = text(client.get(f"{ADMIN}applications/{world.apps['nj1'].pk}/"))
    assert "申报材料.pdf" in page
    url = reverse("wagtail_awards:application_file", args=[item.pk])
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200
    decide(client, world.apps["nj1"])
    entry = AwardsLogEntry.objects.get(action="wagtail_awards.recommend")
    assert entry.user == world.users["rec_nj"] and entry.data["decision"] == "recommend"
    assert entry.label == str(world.apps["nj1"])


def test_exported_times_are_local(world, client):
    client.force_login(world.users["province"])
    response = client.get(ADMIN + f"applications/?call={world.call.pk}&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    submitted = world.apps["nj1"].submitted_at
    from django.utils import timezone

    assert timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M:%S") in rows[1]


def test_every_step_shows_in_wagtails_site_history(world, client):
    admin = world.users["province"]
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="recommend")
    rec_list = rec.submit(
        user=world.users["rec_nj"],
        rec_list=rec.get_list(call=world.call, organization=world.orgs["nanjing"]),
        confirm_under_minimum=True,
    )
    rec.unlock(user=admin, rec_list=rec_list, reason="补报材料")
    world.apps["nj1"].refresh_from_db()
    item = review.assign(user=admin, application=world.apps["nj1"], reviewer=world.users["reviewer_prov"])
    review.save_scores(
        user=world.users["reviewer_prov"], item=item, values={c.pk: Decimal(80) for c in world.call.criteria.all()}
    )
    review.set_prizes(user=admin, call=world.call, prizes={world.apps["nj1"].pk: 1})
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    page = text(response)
    for message in ("已作出推荐决定", "推荐名单已提交", "推荐名单已解锁", "已分配评审专家", "评分已保存", "奖项已调整"):
        assert message in page, message


def test_applications_list_filters_by_status(world, client):
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="recommend")
    client.force_login(world.users["province"])
    page = text(client.get(ADMIN + f"applications/?call={world.call.pk}&status=recommended"))
    assert "书香校园" in page and "教工之家" not in page
    page = text(client.get(ADMIN + f"applications/?call={world.call.pk}&status=nonsense"))
    assert "书香校园" in page and "教工之家" in page and "草稿项目" not in page
    response = client.get(ADMIN + f"applications/?call={world.call.pk}&status=recommended&export=csv")
    exported = b"".join(response.streaming_content).decode()
    assert "书香校园" in exported and "教工之家" not in exported


def test_a_project_proposed_for_an_award_gets_no_more_reviewers(world, client):
    Application.objects.filter(pk=world.apps["nj1"].pk).update(status=ApplicationStatus.RECOMMENDED)
    Application.objects.filter(pk=world.apps["nj2"].pk).update(status=ApplicationStatus.PROPOSED)
    client.force_login(world.users["province"])
    page = text(client.get(f"{ADMIN}assignments/?call={world.call.pk}"))
    assert "书香校园" in page and world.apps["nj2"].project_name in page
    assert f"{ADMIN}assignments/{world.apps['nj1'].pk}/add/" in page
    assert f"{ADMIN}assignments/{world.apps['nj2'].pk}/add/" not in page
