"""Whatever a client sends to the application, vote, objection and registration forms, the answer is never a 500.

Text of any kind (every Unicode plane, NUL and other control characters, very long), field names the form does not
know, files with any name and any bytes. The number of examples is bounded so the suite stays quick.
"""

import datetime as dt
import os
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.contrib.forms.utils import get_field_clean_name

from tests.builders import PDF, bound_challenge, build_world, make_application
from wagtail_awards.models import Award
from wagtail_awards.services import voters

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Any text: NUL, controls, right-to-left marks, astral planes, combining characters…
any_text = st.text(max_size=300)
#: …and now and then a very long one.
some_text = st.one_of(any_text, any_text.map(lambda s: (s or "长") * 2000))
#: Names of fields a form may or may not have.
field_names = st.one_of(
    st.sampled_from(
        [
            "token",
            "action",
            "application",
            "remove_files",
            "declaration",
            "materials",
            "theme",
            "project_name",
            "captcha_0",
            "captcha_1",
            "next",
            "csrfmiddlewaretoken",
        ]
    ),
    st.text(min_size=1, max_size=40),
)
#: Bytes that start like a real file now and then.
file_bytes = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: PDF + b),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=200).map(lambda b: b"%PDF-1.4 <script>" + b),
)
file_names = st.one_of(
    st.text(max_size=200),
    st.text(max_size=60).map(lambda s: s + ".pdf"),
    st.sampled_from(
        ["report.pdf.exe", "../../etc/passwd.pdf", "a\x00b.pdf", ".pdf", "CON.pdf", "申报书.PDF", "x" * 300 + ".pdf"]
    ),
)
uploads = st.builds(lambda name, content: (name, content), file_names, file_bytes)


def as_files(pairs):
    # A browser sends only the last part of a path; Django refuses to even build an upload named "/" or "..".
    return [
        SimpleUploadedFile(name if os.path.basename(name) not in {"", ".", ".."} else "file", content)
        for name, content in pairs
    ]


@pytest.fixture
def world(site_root):
    return build_world(site_root)


@contextmanager
def own_example():
    """Each example starts from the fixture's data: what one saved is rolled back, so a failure replays alike."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_no_server_error(response):
    assert response.status_code < 500, response.content[:500]


@EXAMPLES
@given(
    fixed=st.fixed_dictionaries(
        {},
        optional={
            "reviewing_unit": some_text,
            "responsible_department": some_text,
            "unit_name": some_text,
            "project_name": some_text,
            "theme": st.one_of(st.sampled_from(["暖心聚力", "学悟守正"]), any_text),
            "declaration": st.one_of(st.just("on"), any_text),
            "action": st.one_of(st.sampled_from(["save", "submit"]), any_text),
            "token": st.one_of(st.uuids().map(str), any_text),
            "application": any_text,
            "remove_files": st.lists(any_text, max_size=3),
        },
    ),
    answers=st.lists(some_text, min_size=2, max_size=2),
    extra=st.dictionaries(field_names, any_text, max_size=4),
    materials=st.lists(uploads, max_size=3),
    plan=st.lists(uploads, max_size=2),
)
@example(
    fixed={"project_name": "a\x00b", "unit_name": "\x00", "action": "submit", "declaration": "on", "token": "\x00"},
    answers=["\x00\x01\x1b[31m", "长" * 100_000],
    extra={"\x00": "\x00", "remove_files": "1\x00"},
    materials=[("a\x00.pdf", PDF), ("..\\..\\x.pdf", b"\x00" * 10)],
    plan=[("\u202eexe.pdf", PDF)],
)
def test_the_application_form_never_fails(client, world, fixed, answers, extra, materials, plan):
    with own_example():
        client.force_login(world.users["applicant"])
        data = {**extra, **fixed}
        data[get_field_clean_name("项目简介")], data[get_field_clean_name("项目负责人")] = answers
        data["materials"] = as_files(materials)
        data[get_field_clean_name("实施方案")] = as_files(plan)
        response = client.post(reverse("wagtail_awards:application_save", args=[world.form_page.pk]), data)
        assert_no_server_error(response)
        # Whatever was saved can be shown again.
        for application in world.call.applications.filter(applicant=world.users["applicant"])[:3]:
            assert_no_server_error(client.get(reverse("wagtail_awards:application_detail", args=[application.pk])))
            assert_no_server_error(client.get(f"{world.form_page.url}?application={application.pk}"))


@EXAMPLES
@given(
    query=st.dictionaries(st.sampled_from(["application", "next", "x"]), any_text, max_size=2),
)
def test_the_application_page_never_fails_on_its_query(client, world, query):
    with own_example():
        client.force_login(world.users["applicant"])
        assert_no_server_error(client.get(world.form_page.url, query))
        assert_no_server_error(client.get(reverse("wagtail_awards:my_applications"), query))


@pytest.fixture
def voting(site_root, settings):
    """The world in its vote, open to any device without a limit per address."""
    settings.WAGTAIL_AWARDS_VOTERS = ["insecure_device"]
    settings.WAGTAIL_AWARDS_VOTE_IP_LIMIT = 0
    return build_world(site_root, stage="voting")


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {},
        optional={"captcha_0": st.one_of(st.just("live"), any_text), "captcha_1": any_text, "next": some_text},
    ),
    extra=st.dictionaries(field_names, any_text, max_size=3),
    # A WSGI server hands headers over as Latin-1, so a cookie holds only those characters.
    device=st.one_of(
        st.none(),
        st.uuids().map(str),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters=';,"\\'), max_size=60),
    ),
    which=st.sampled_from(["candidate", "other", "missing"]),
)
def test_the_vote_never_fails(client, voting, data, extra, device, which):
    with own_example():
        call = voting.call
        application_id = {"candidate": voting.apps["nj1"].pk, "other": voting.call.pk, "missing": 999999}[which]
        data = {**extra, **data}
        if data.get("captcha_0") == "live":
            data["captcha_0"] = bound_challenge(client, "vote")[0]
        if device is not None:
            client.cookies[voters.DEVICE_COOKIE] = device
        url = reverse("wagtail_awards:vote", args=[call.pk, application_id])
        assert_no_server_error(client.post(url, data))
        assert_no_server_error(client.get(url, {"next": data.get("next", "")}))


@pytest.fixture
def publicity(site_root):
    return build_world(site_root, stage="publicity")


@EXAMPLES
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "application": st.one_of(st.just("listed"), any_text),
            "name": some_text,
            "contact": some_text,
            "content": some_text,
            "captcha_1": st.one_of(st.just("passed"), any_text),
        },
    ),
    extra=st.dictionaries(field_names, any_text, max_size=3),
    evidence=st.lists(uploads, max_size=2),
)
def test_an_objection_never_fails(client, publicity, fields, extra, evidence):
    with own_example():
        data = {**extra, **fields, "captcha_0": bound_challenge(client, "objection")[0]}
        if data.get("application") == "listed":
            data["application"] = str(publicity.awards["nj1"].application_id)
        if evidence:
            data["file"] = as_files(evidence)
        # Both the page and the URL its form posts to (where the evidence is limited while it streams in).
        response = client.post(publicity.publicity_page.url, data)
        assert_no_server_error(response)
        data["captcha_0"] = bound_challenge(client, "objection")[0]
        response = client.post(reverse("wagtail_awards:objection", args=[publicity.publicity_page.pk]), data)
        assert_no_server_error(response)
        assert_no_server_error(client.get(publicity.publicity_page.url))


@EXAMPLES
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "account-username": some_text,
            "account-first_name": some_text,
            "account-email": any_text,
            "account-password1": any_text,
            "account-password2": any_text,
            "unit-unit": any_text,
            "unit-new_unit_name": some_text,
            "unit-parent": any_text,
            "next": any_text,
        },
    ),
    extra=st.dictionaries(field_names, any_text, max_size=3),
)
def test_registration_never_fails(client, world, fields, extra):
    with own_example():
        response = client.post(reverse("wagtail_awards:register"), {**extra, **fields})
        assert_no_server_error(response)
        client.logout()


def test_a_form_body_beyond_the_request_limit_is_refused_not_failed(client, world, settings):
    client.force_login(world.users["applicant"])
    huge = "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)
    response = client.post(
        reverse("wagtail_awards:application_save", args=[world.form_page.pk]),
        {"project_name": huge, "action": "save"},
    )
    assert response.status_code == 400
    assert not world.call.applications.exists()


# The admin: list filters, search and ordering in the query string; object ids in the path


@pytest.fixture
def admin_rows(world):
    """Rows in every list of the app's admin, so filters, columns and links all render."""
    from wagtail_awards.models import CalendarException, Objection, PastAward

    call = world.call
    award = Award.objects.create(application=make_application(call, status="proposed"), prize_rank=1, most_popular=True)
    Objection.objects.create(application=award.application, name="张", contact="1", content="异议")
    CalendarException.objects.create(day=dt.date(2026, 10, 10), is_working_day=True, note="调休")
    PastAward.objects.create(year=2020, project_name="往年项目", unit_name="某工会")
    world.awards["award"] = award
    return world


#: The app's list screens: (URL name, query keys its filters, search, ordering and pages read).
ADMIN_LISTS = [
    (
        "wagtail_awards_application_modeladmin_index",
        ["call", "organization__city__exact", "status__exact", "theme__exact"],
    ),
    ("wagtail_awards_pastaward_modeladmin_index", ["year__exact"]),
    ("wagtail_awards_organization_modeladmin_index", ["kind__exact", "city__exact"]),
    ("wagtail_awards_membership_modeladmin_index", ["role__exact", "organization__kind__exact"]),
    ("wagtail_awards_calendarexception_modeladmin_index", ["is_working_day__exact"]),
    ("wagtail_awards_award_modeladmin_index", ["status__exact", "most_popular__exact", "application__call__title"]),
    ("wagtail_awards_objection_modeladmin_index", ["status__exact", "application__call__title"]),
    ("wagtail_awards_admin:projects", ["call", "status", "export"]),
    ("wagtail_awards_admin:recommend", ["call", "org", "export"]),
    ("wagtail_awards_admin:assignments", ["call"]),
    ("wagtail_awards_admin:scores", ["call", "export"]),
    ("wagtail_awards_admin:ranking", ["call", "suggest", "export"]),
    ("wagtail_awards_admin:subsidies", ["call", "format"]),
    ("wagtail_awards_admin:vote_audit_index", []),
]
#: What a client may put in a filter: NUL, numbers too large for any column or for int(), other scripts' digits…
hostile_values = st.one_of(
    any_text,
    st.sampled_from(["\x00", "a\x00b", "1\x00", "²", "١٢", "-1", "0", "1e5", " 1", "csv", "xlsx", "True", "proposed"]),
    st.integers(min_value=2**31, max_value=10**40).map(str),
    st.integers(min_value=19, max_value=6000).map(lambda n: "9" * n),
)


@EXAMPLES
@given(
    screen=st.sampled_from(ADMIN_LISTS),
    role=st.sampled_from(["province", "rec_nj", "reviewer_seu"]),
    data=st.data(),
)
@example(screen=ADMIN_LISTS[5], role="province", data=None)
def test_admin_lists_never_fail_on_their_query(client, admin_rows, screen, role, data):
    name, keys = screen
    if data is None:  # the examples from the report: NUL in a filter and in the search on PostgreSQL
        query = {"status__exact": "\x00", "q": "a\x00", "application__call__title": "\x00"}
    else:
        key_names = st.one_of(st.sampled_from([*keys, "q", "o", "p"]), st.text(max_size=20))
        query = data.draw(st.dictionaries(key_names, hostile_values, max_size=4), label="query")
    with own_example():
        client.force_login(admin_rows.users[role])
        response = client.get(reverse(name), query)
        assert_no_server_error(response)
        if response.status_code == 302 and "\x00" in "".join(query) + "".join(query.values()):
            assert "\x00" not in response["Location"] and "%00" not in response["Location"]


#: The app's screens of one object: (URL name, where the id goes).
ADMIN_OBJECTS = [
    "wagtail_awards_award_modeladmin_edit",
    "wagtail_awards_award_modeladmin_inspect",
    "wagtail_awards_admin:cancel_award",
    "wagtail_awards_objection_modeladmin_edit",
    "wagtail_awards_objection_modeladmin_inspect",
    "wagtail_awards_admin:objection_file",
    "wagtail_awards_application_modeladmin_inspect",
    "wagtail_awards_organization_modeladmin_edit",
    "wagtail_awards_organization_modeladmin_delete",
    "wagtail_awards_calendarexception_modeladmin_edit",
    "wagtail_awards_admin:vote_audit",
    "wagtail_awards_admin:project",
    "wagtail_awards_admin:score",
    "wagtail_awards_admin:decide",
]
hostile_ids = st.one_of(
    st.integers(min_value=1, max_value=10**30),
    st.integers(min_value=19, max_value=6000).map(lambda n: "9" * n),
    st.sampled_from(["0", "²", "١٢", "1\x00", "-1", "1.0"]),
)


@EXAMPLES
@given(name=st.sampled_from(ADMIN_OBJECTS), pk=hostile_ids, role=st.sampled_from(["province", "rec_nj"]))
@example(name="wagtail_awards_admin:vote_audit", pk="9" * 5000, role="province")
@example(name="wagtail_awards_award_modeladmin_edit", pk="9" * 5000, role="province")
def test_admin_object_screens_never_fail_on_their_id(client, admin_rows, name, pk, role):
    from urllib.parse import quote

    with own_example():
        client.force_login(admin_rows.users[role])
        url = reverse(name, args=[1]).replace("/1/", f"/{quote(str(pk), safe='')}/", 1)
        assert_no_server_error(client.get(url))
        assert_no_server_error(client.post(url, {"reason": "x"}))


@EXAMPLES
@given(org=hostile_values, call=st.one_of(st.none(), hostile_values))
@example(org="9" * 5000, call=None)
def test_submitting_a_list_never_fails_on_its_ids(client, admin_rows, org, call):
    """A 5,000-digit ``org`` on the submit-list screen answered 500."""
    with own_example():
        client.force_login(admin_rows.users["rec_nj"])
        data = {"org": org} if call is None else {"org": org, "call": call}
        assert_no_server_error(client.post(reverse("wagtail_awards_admin:submit_list"), data))
