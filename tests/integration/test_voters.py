"""Who may vote: verified accounts (one voter per address, optionally on a roll), voting codes, insecure devices."""

import io
import uuid

import pytest
from captcha.models import CaptchaStore
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import (
    bound_challenge,
    build_world,
    make_application,
    make_candidates,
    make_org,
    make_user,
    post_vote,
    verify_voter,
)
from wagtail_awards import checks
from wagtail_awards.enums import Role
from wagtail_awards.models import EligibleVoter, Membership, Vote, VotingCode
from wagtail_awards.rules.voters import show_code
from wagtail_awards.services import voters

pytestmark = pytest.mark.django_db

CODES = override_settings(WAGTAIL_AWARDS_VOTERS=["voting_code"])
DEVICES = override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"])


@pytest.fixture
def world(site_root):
    """The world with its vote open and its voting page; each test shortlists its own candidates."""
    return build_world(site_root, stage="voting", projects=0)


@pytest.fixture
def call(world):
    return world.call


@pytest.fixture
def province_admin(world):
    return world.users["province"]


# Verified accounts


def test_an_unverified_account_cannot_vote(client, call):
    (candidate,) = make_candidates(call, 1)
    client.force_login(make_user("unverified", email="teacher@example.org"))
    data = client.get(reverse("wagtail_awards:vote_challenge")).json()
    assert data["need"] == "verify" and not data["login_required"] and "key" not in data
    assert not CaptchaStore.objects.exists()  # no question for a visitor who cannot vote
    response = post_vote(client, call, candidate)
    assert response.status_code == 403 and "验证" in response.content.decode()
    confirm = client.get(reverse("wagtail_awards:vote", args=[call.pk, candidate.pk]))
    assert confirm.status_code == 403 and "captcha_1" not in confirm.content.decode()
    assert not Vote.objects.exists()


@override_settings(WAGTAIL_AWARDS_VOTES_PER_DAY=2)
def test_two_accounts_with_one_verified_address_are_one_voter(call):
    a, b, c = make_candidates(call, 3)
    first, second = Client(), Client()
    first.force_login(verify_voter(make_user("teacher-a"), "Teacher@Example.org"))
    second.force_login(verify_voter(make_user("teacher-b"), "teacher@example.org"))
    assert post_vote(first, call, a).status_code == 303
    assert post_vote(second, call, a).status_code == 409  # the same voter, the same candidate, the same day
    assert post_vote(second, call, b).status_code == 303
    refused = post_vote(first, call, c)
    assert refused.status_code == 409 and "今天的票数已用完" in refused.content.decode()
    keys = set(Vote.objects.values_list("voter_key", flat=True))
    assert keys == {voters.email_key("teacher@example.org")} and "teacher" not in next(iter(keys))


@override_settings(WAGTAIL_AWARDS_VOTER_ROLL=True)
def test_with_the_roll_only_marked_staff_vote(client, call, province_admin):
    (candidate,) = make_candidates(call, 1)
    unit = make_org("南京市琅琊路小学工会", city="南京")
    staff = verify_voter(make_user("staff-member"), "staff@example.org")
    Membership.objects.create(user=staff, organization=unit, role=Role.APPLICANT)
    Membership.objects.create(user=make_user("no-address"), organization=unit, role=Role.APPLICANT)
    client.force_login(staff)
    refused = post_vote(client, call, candidate)
    assert refused.status_code == 403 and not Vote.objects.exists()

    admin = Client()
    admin.force_login(province_admin)
    mark = reverse("wagtail_awards_admin:mark_voters")
    response = admin.post(mark, {"units": [unit.pk]}, follow=True)
    assert "1" in response.content.decode()
    assert list(EligibleVoter.objects.values_list("email", "organization")) == [("staff@example.org", unit.pk)]
    assert post_vote(client, call, candidate).status_code == 303

    other = Client()
    other.force_login(make_user("not-province"))
    assert other.post(mark, {"units": [unit.pk]}).status_code in (302, 403)


def test_a_voter_account_opens_no_application(client, call):
    application = make_application(call, status="submitted")
    client.force_login(verify_voter(make_user("voter-only")))
    assert application.project_name not in client.get(reverse("wagtail_awards:my_applications")).content.decode()
    detail = reverse("wagtail_awards:application_detail", args=[application.pk])
    assert client.get(detail).status_code in (302, 403, 404)
    assert client.get("/admin/").status_code == 302


# Voting codes


def generate(client, call, unit, count, kind="sheet"):
    return client.post(
        reverse("wagtail_awards_admin:generate_voting_codes"),
        {"call": call.pk, "organization": unit.pk, "count": count, "format": kind},
    )


def codes_on(sheet):
    import re

    return re.findall(r'class="awards-code-card__code">([A-Z0-9-]+)<', sheet.content.decode())


def test_codes_are_generated_once_shown_and_stored_hashed(call, province_admin):
    unit = make_org("=南京市金陵中学工会", city="南京")  # a name that a spreadsheet would read as a formula
    admin = Client()
    admin.force_login(province_admin)
    sheet = generate(admin, call, unit, 3)
    codes = codes_on(sheet)
    assert sheet.status_code == 200 and len(codes) == 3 and sheet.content.decode().count("<svg") == 3
    stored = list(VotingCode.objects.filter(call=call, organization=unit).order_by("number"))
    assert [c.number for c in stored] == [1, 2, 3]
    for code, row in zip(codes, stored, strict=True):
        assert row.code_hash == voters.code_hash(code) and voters.normalise_code(code) not in row.code_hash
    # The sheet's codes as XLSX; a made-up code is left out.
    response = admin.post(
        reverse("wagtail_awards_admin:voting_codes_xlsx"),
        {"call": call.pk, "organization": unit.pk, "code": [*codes, "ABCD-EFGH-JKMN"]},
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)[1:]
    assert [row[2] for row in rows] == codes and all(row[0] == "'=南京市金陵中学工会" for row in rows)
    assert all(row[3].endswith(f"?c={code}") for row, code in zip(rows, codes, strict=True))
    # More codes for the unit go on numbering.
    generate(admin, call, unit, 2, kind="xlsx")
    assert VotingCode.objects.filter(call=call, organization=unit).count() == 5
    # Nobody else makes codes.
    other = Client()
    other.force_login(make_user("staff-only", is_staff=True))
    assert generate(other, call, unit, 3).status_code in (302, 403)
    assert VotingCode.objects.count() == 5


def enter_code(client, code, **extra):
    return client.post(reverse("wagtail_awards:voting_code"), {"code": code}, **extra)


@CODES
@override_settings(WAGTAIL_AWARDS_VOTES_PER_DAY=2)
def test_a_voting_code_votes_within_the_days_limit(client, world, call, province_admin):
    a, b, c = make_candidates(call, 3)
    unit = world.orgs["sz1"]
    ((_number, code),) = voters.generate_codes(call=call, organization=unit, count=1, user=province_admin)
    # Without a code the visitor is sent to enter one.
    assert client.get(reverse("wagtail_awards:vote_challenge")).json()["need"] == "code"
    sent = post_vote(client, call, a)
    assert sent.status_code == 302 and sent["Location"].startswith(reverse("wagtail_awards:voting_code"))
    # The QR code's link shows the code; it is kept only when the form is sent.
    link = client.get(reverse("wagtail_awards:voting_code"), {"c": show_code(code)})
    assert show_code(code) in link.content.decode() and voters.CODE_COOKIE not in link.cookies
    # Typed with spaces, in lower case and full-width characters, it is the same code.
    typed = " ".join(code.lower()).translate({ord(ch): ord(ch) + 0xFEE0 for ch in "0123456789"})
    entered = enter_code(client, typed)
    assert entered.status_code == 303 and entered["Location"] == call.get_children().live().first().url
    assert post_vote(client, call, a).status_code == 303
    assert post_vote(client, call, a).status_code == 409
    assert post_vote(client, call, b).status_code == 303
    assert post_vote(client, call, c).status_code == 409
    voting_code = VotingCode.objects.get()
    assert set(Vote.objects.values_list("voter_key", "voter")) == {(f"c:{voting_code.pk}", None)}


@CODES
def test_a_revoked_code_or_one_of_another_call_votes_no_more(client, world, call, site_root, province_admin):
    (candidate,) = make_candidates(call, 1)
    other = build_world(site_root, stage="voting", year=2031, projects=1, beside=world)
    other_call, (other_candidate,) = other.call, other.apps.values()
    unit = make_org("扬州中学工会", city="扬州")
    ((_n, code),) = voters.generate_codes(call=call, organization=unit, count=1, user=province_admin)
    assert enter_code(client, code).status_code == 303
    refused = post_vote(client, other_call, other_candidate)
    assert refused.status_code == 403 and "投票码" in refused.content.decode()
    VotingCode.objects.update(revoked=True)
    assert post_vote(client, call, candidate).status_code == 403
    assert not Vote.objects.exists()
    assert enter_code(Client(), code).status_code == 400  # a revoked code is not taken either


@CODES
@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=3)
def test_wrong_codes_are_refused_and_guessing_is_limited(client, call):
    for _ in range(3):
        wrong = enter_code(client, show_code(voters.new_code()))
        assert wrong.status_code == 400 and "投票码无效" in wrong.content.decode()
    assert enter_code(client, voters.new_code()).status_code == 429
    assert voters.CODE_COOKIE not in client.cookies
    # Not even a valid-looking cookie of one's own making is a voter.
    client.cookies[voters.CODE_COOKIE] = "1"
    request = RequestFactory().get("/")
    request.COOKIES[voters.CODE_COOKIE] = "1"
    assert voters.remembered_code(request) is None


# Insecure devices


@DEVICES
def test_a_forged_or_unsigned_device_cookie_is_not_a_voter(client, call):
    (candidate,) = make_candidates(call, 1)
    for forged in (uuid.uuid4().hex, voters.device_cookie_value(uuid.uuid4().hex)[:-3] + "abc"):
        client.cookies[voters.DEVICE_COOKIE] = forged
        key, _answer = bound_challenge(client, "vote")
        refused = client.post(
            reverse("wagtail_awards:vote", args=[call.pk, candidate.pk]), {"captcha_0": key, "captcha_1": "passed"}
        )
        assert refused.status_code == 403 and not Vote.objects.exists()
        assert not CaptchaStore.objects.filter(hashkey=key).exists()  # the question is used up
        assert refused.cookies[voters.DEVICE_COOKIE].value != forged
    # The refusal gave the browser a signed device: with it, the vote counts.
    assert post_vote(client, call, candidate).status_code == 303
    assert Vote.objects.get().voter_key.startswith("d:")


def test_unknown_voter_identities_are_a_system_check_error():
    with override_settings(WAGTAIL_AWARDS_VOTERS=["everyone"]):
        assert [error.id for error in checks.check_voters()] == ["wagtail_awards.E009"]
    assert checks.check_voters() == []


def test_a_signed_cookie_checked_once_is_still_refused_forged_or_under_another_secret():
    """Voters' signed cookies are checked once for each value and secret (a voter sends the same ones with every
    vote); a changed value, a rotated secret or a value signed with another salt is checked again and refused."""
    device = uuid.uuid4().hex
    value = voters.device_cookie_value(device)

    def device_of(raw):
        request = RequestFactory().get("/")
        request.COOKIES[voters.DEVICE_COOKIE] = raw
        return voters.device_of(request)

    assert device_of(value) == device
    assert device_of(value) == device  # the same answer a second time
    assert device_of(value[:-1] + ("A" if value[-1] != "A" else "B")) is None
    # Signed for a voting code, not a device: another salt.
    code_value = voters.code_cookie_value(type("Code", (), {"pk": 7})())
    assert device_of(code_value) is None
    with override_settings(SECRET_KEY="another secret " + "x" * 50):
        assert device_of(value) is None
    # The old secret kept as a fallback still reads it, as Django does.
    with override_settings(SECRET_KEY="another secret " + "x" * 50, SECRET_KEY_FALLBACKS=[_current_secret()]):
        assert device_of(value) == device


def _current_secret():
    from django.conf import settings

    return settings.SECRET_KEY
