"""Accounts on the site: registration with a question, a per-address limit and e-mail confirmation that never says
whether an address is taken; requests to join a unit, pending until approved; invitations; login throttling."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.builders import PASSWORD, approve, bound_challenge, build_world, make_user, register
from wagtail_awards import access
from wagtail_awards.enums import MembershipStatus, OrganizationKind, Role
from wagtail_awards.models import Membership, Organization, UnitInvitation
from wagtail_awards.services import accounts

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world(site_root):
    return build_world(site_root)


@pytest.fixture
def orgs(world):
    """The world's organisations: the province union, the city and university unions and their units."""
    return world.orgs


@pytest.fixture
def people(world):
    """The world's people, the province administrator and the recommenders among them."""
    return world.users


def confirmation_link():
    return re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)


def test_a_voter_registers_confirms_the_address_and_is_logged_in(client, orgs):
    response = register(client, "Zhang@Example.com", confirm=False)
    assert response.status_code == 302 and response["Location"] == reverse("wagtail_awards:register_sent")
    user = User.objects.get(username="zhang@example.com")
    assert not user.is_active and access.verified_email(user) is None
    assert "现在可以投票" not in client.get(response["Location"]).content.decode()
    # Not before the address is confirmed.
    assert not Client().login(username="zhang@example.com", password=PASSWORD)
    response = client.get(confirmation_link())
    assert response.status_code == 302 and response["Location"] == reverse("wagtail_awards:account")
    user.refresh_from_db()
    assert user.is_active and access.verified_email(user) == "zhang@example.com"
    assert "已确认" in client.get(reverse("wagtail_awards:account")).content.decode()
    assert not Membership.objects.filter(user=user).exists()
    # The link works once.
    assert Client().get(confirmation_link()).status_code == 400


def test_the_page_after_registering_says_what_happens_next(client, orgs):
    response = register(client, "li@example.com", unit=orgs["nj2"], confirm=False)
    html = client.get(response["Location"]).content.decode()
    assert "请查收邮件" in html and "南京市金陵中学工会" in html and "推荐单位" in html and "审核" in html


@pytest.mark.parametrize("uid", ["MQ", "!!", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", ""])
def test_a_wrong_confirmation_link_answers_400(client, orgs, uid):
    make_user("someone")
    path = reverse("wagtail_awards:verify_email", args=[uid or "x", "abc-123"])
    assert client.get(path).status_code == 400


def test_asking_to_join_an_existing_unit_waits_for_approval(client, orgs, people):
    register(client, "li@example.com", unit=orgs["nj2"], note="工会主席 13800000000")
    user = User.objects.get(username="li@example.com")
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.status) == (
        orgs["nj2"],
        Role.APPLICANT,
        MembershipStatus.PENDING,
    )
    assert not access.roles(user).applicant
    html = client.get(reverse("wagtail_awards:my_applications")).content.decode()
    assert "等待" in html and "南京市金陵中学工会" in html
    # Its recommending organisation approves it (another city's may not).
    with pytest.raises(accounts.DecisionRefused):
        accounts.decide_membership(membership=membership, approve=True, by=people["rec_sz"])
    approve(membership, by=people["rec_nj"])
    fresh = User.objects.get(pk=user.pk)
    assert access.roles(fresh).applicant_units == {orgs["nj2"].pk}


def test_a_new_unit_is_unapproved_until_its_first_member_is(client, orgs, people):
    register(client, "wang@example.com", new_unit_name="东南大学 土木学院分工会", parent=orgs["seu"])
    unit = Organization.objects.get(name="东南大学 土木学院分工会")
    assert unit.kind == OrganizationKind.GRASSROOTS and unit.parent == orgs["seu"] and not unit.approved
    assert unit.recommending_organization == orgs["seu"]
    # Nobody else can pick it while it waits.
    assert str(unit.pk) not in [str(pk) for pk, _label in _unit_choices(client)]
    membership = Membership.objects.get(organization=unit)
    with pytest.raises(accounts.DecisionRefused):
        approve(membership, by=people["rec_nj"])
    approve(membership, by=people["rec_seu"])
    unit.refresh_from_db()
    assert unit.approved


def _unit_choices(client):
    from wagtail_awards.forms.accounts import UnitForm

    return list(UnitForm().fields["unit"].choices)[1:]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_unit_name": "新单位"}, "请选择本单位所属的市教育工会、高校或科研院所。"),
        ({"new_unit_name": "南京市金陵中學工會", "parent": "nanjing"}, "已注册为“南京市金陵中学工会”"),
        ({"new_unit_name": " 南京市\u200b金陵中学（工会） ", "parent": "nanjing"}, "已注册为“南京市金陵中学工会”"),
        ({"unit": "nj2", "new_unit_name": "x", "parent": "nanjing"}, "二者只能选其一"),
        ({"unit": "nanjing"}, "选择一个有效的选项"),
        ({"captcha_1": "WRONG"}, "验证题回答错误"),
        ({"password2": "other-Pass-2021"}, "两次输入的密码不一致"),
        ({"password1": "123", "password2": "123"}, "密码"),
        ({"first_name": '=HYPERLINK("http://evil.test/")'}, "不能以 = + - 或 @ 开头"),
        ({"email": "=cmd@example.com"}, "不能以 = + - 或 @ 开头"),
    ],
)
def test_registration_refusals_create_nothing(client, orgs, data, message):
    account_keys = {"captcha_1", "password1", "password2", "first_name", "email"}
    post = {
        "account-email": "zhang@example.com",
        "account-first_name": "张老师",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "account-captcha_0": bound_challenge(client, "registration")[0],
        "account-captcha_1": "passed",
    }
    for key, value in data.items():
        value = orgs[value].pk if value in orgs else value
        post[f"account-{key}" if key in account_keys else f"unit-{key}"] = value
    response = client.post(reverse("wagtail_awards:register"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhang@example.com").exists()
    assert Organization.objects.count() == len(orgs) and not mail.outbox


def test_a_near_name_reaches_the_approver(client, orgs, people):
    register(client, "zhao@example.com", new_unit_name="南京金陵中学工会", parent=orgs["nanjing"])
    membership = Membership.objects.get(organization__name="南京金陵中学工会")
    admin = Client()
    admin.force_login(people["rec_nj"])
    html = admin.get(
        reverse("wagtail_awards_admin:decide_membership", args=[membership.pk, "approve"])
    ).content.decode()
    assert "名称相近" in html and "南京市金陵中学工会" in html


def test_an_address_already_registered_is_not_revealed(client, orgs):
    make_user("old", email="zhang@example.com")
    first = register(client, "zhang@example.com", confirm=False)
    fresh = register(Client(), "new@example.com", confirm=False)
    # The same answer either way; the owner of the taken address is told by e-mail instead.
    assert first.status_code == fresh.status_code == 302 and first["Location"] == fresh["Location"]
    assert User.objects.filter(email__iexact="zhang@example.com").count() == 1
    assert "已有账号" in mail.outbox[0].body and "/verify/" not in mail.outbox[0].body
    assert mail.outbox[0].to == ["zhang@example.com"]


def test_registering_again_before_confirming_sends_a_new_link(client, orgs):
    register(client, "zhang@example.com", confirm=False)
    register(Client(), "zhang@example.com", confirm=False, password="Another-pass-2022")
    assert User.objects.filter(username="zhang@example.com").count() == 1
    assert len(mail.outbox) == 2 and "/verify/" in mail.outbox[1].body
    # The second form's password was not applied to the waiting account.
    Client().get(confirmation_link())
    assert Client().login(username="zhang@example.com", password=PASSWORD)


def test_twenty_registrations_from_one_address_are_stopped(client, orgs, settings):
    settings.WAGTAIL_AWARDS_REGISTRATION_LIMIT = 5
    answers = [register(Client(REMOTE_ADDR="198.51.100.7"), f"bot{i}@example.com", confirm=False) for i in range(20)]
    assert [r.status_code for r in answers] == [302] * 5 + [429] * 15
    assert User.objects.filter(username__startswith="bot").count() == 5
    assert "注册过于频繁" in answers[-1].content.decode()
    # Another address is not held up.
    assert register(Client(REMOTE_ADDR="203.0.113.9"), "person@example.com", confirm=False).status_code == 302


@pytest.mark.parametrize("next_url", ["abc", "//evil.example/x", "http://evil.example/", "/awards/applications/"])
def test_a_next_that_does_not_resolve_never_fails(client, orgs, next_url):
    user = make_user("li", password="pw-Li-2021", email="li@example.com")
    for response in (
        client.get(reverse("wagtail_awards:register") + f"?next={next_url}"),
        client.post(reverse("wagtail_awards:login") + f"?next={next_url}", {"username": "li", "password": "x"}),
    ):
        assert response.status_code in (200, 400)
    response = client.post(
        reverse("wagtail_awards:login") + f"?next={next_url}",
        {"username": "li", "password": "pw-Li-2021", "next": next_url},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    response = client.get(reverse("wagtail_awards:register") + f"?next={next_url}")
    assert response.status_code == 302 and "evil" not in response["Location"]
    response = client.post(reverse("wagtail_awards:choose_unit"), {"unit-unit": orgs["nj2"].pk, "next": next_url})
    assert response.status_code == 302
    assert Membership.objects.get(user=user).status == MembershipStatus.PENDING


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_logins_are_throttled_per_account_and_per_address(orgs):
    make_user("li", password="pw-Li-2021")
    make_user("wu", password="pw-Wu-2021")
    login = reverse("wagtail_awards:login")
    for i in range(3):
        Client(REMOTE_ADDR=f"198.51.100.{i}").post(login, {"username": "li", "password": "wrong"})
    # The account is locked, from any address, even with the right password.
    locked = Client(REMOTE_ADDR="203.0.113.1").post(login, {"username": "li", "password": "pw-Li-2021"})
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    # One address guessing at several accounts is stopped too; others are not.
    for name in ("a", "b", "c"):
        Client(REMOTE_ADDR="198.51.100.200").post(login, {"username": name, "password": "wrong"})
    right = {"username": "wu", "password": "pw-Wu-2021"}
    assert Client(REMOTE_ADDR="198.51.100.200").post(login, right).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.2").post(login, right).status_code == 302


def test_login_logout(client, orgs):
    make_user("li", org=orgs["nj2"], role=Role.APPLICANT, password="pw-Li-2021")
    response = client.post(reverse("wagtail_awards:login"), {"username": "li", "password": "pw-Li-2021"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtail_awards:my_applications")
    assert "退出登录" in client.get(reverse("wagtail_awards:my_applications")).content.decode()
    client.post(reverse("wagtail_awards:logout"))
    assert client.get(reverse("wagtail_awards:my_applications")).status_code == 302


def test_password_reset(client, orgs):
    make_user("li", password="old-Pass-2021", email="li@example.com")
    response = client.post(reverse("wagtail_awards:password_reset"), {"email": "li@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "new-Pass-2022", "new_password2": "new-Pass-2022"})
    assert response.status_code == 302
    assert client.login(username="li", password="new-Pass-2022")


def test_choose_unit_after_an_external_login_is_a_request(client, orgs):
    user = make_user("gov-123")
    client.force_login(user)
    response = client.post(reverse("wagtail_awards:choose_unit"), {"unit-unit": orgs["nj2"].pk})
    assert response.status_code == 302
    assert Membership.objects.get(user=user, organization=orgs["nj2"]).status == MembershipStatus.PENDING
    assert not access.roles(User.objects.get(pk=user.pk)).applicant


def test_a_trusted_backend_links_an_approved_applicant(orgs):
    user = make_user("gov-456")
    accounts.link_applicant(user=user, unit=orgs["nj2"])
    assert access.roles(User.objects.get(pk=user.pk)).applicant_units == {orgs["nj2"].pk}


def test_an_invitation_joins_once_and_only_before_it_expires(client, orgs, people):
    with pytest.raises(accounts.DecisionRefused):
        accounts.issue_invitation(unit=orgs["sz1"], by=people["rec_nj"])
    _invitation, code = accounts.issue_invitation(unit=orgs["nj2"], by=people["rec_nj"], note="李老师")
    assert code not in str(UnitInvitation.objects.values_list("digest", flat=True)[0])
    user = make_user("li")
    client.force_login(user)
    assert client.get(reverse("wagtail_awards:join_code", args=[code])).status_code == 200
    assert not Membership.objects.filter(user=user).exists()  # a GET joins nothing
    response = client.post(reverse("wagtail_awards:join"), {"code": code})
    assert response.status_code == 302
    assert access.roles(User.objects.get(pk=user.pk)).applicant_units == {orgs["nj2"].pk}
    # Used: a second person is refused with the same words as a wrong code.
    other = Client()
    other.force_login(make_user("wu"))
    used = other.post(reverse("wagtail_awards:join"), {"code": code})
    wrong = other.post(reverse("wagtail_awards:join"), {"code": "not-a-code"})
    assert used.status_code == wrong.status_code == 400
    assert "邀请无效" in used.content.decode() and "邀请无效" in wrong.content.decode()
    _invitation, late = accounts.issue_invitation(unit=orgs["nj2"], by=people["province"], days=1)
    with pytest.raises(accounts.UnitRefused):
        accounts.redeem_invitation(user=make_user("late"), code=late, now=timezone.now() + dt.timedelta(days=2))


def test_the_admin_issues_an_invitation_shown_once(client, orgs, people):
    client.force_login(people["rec_nj"])
    url = reverse("wagtail_awards_admin:invite")
    # The Nanjing union's own units, and only those.
    assert {pk for pk, _l in _field_choices(client.get(url), "unit")} == {str(orgs["nj1"].pk), str(orgs["nj2"].pk)}
    response = client.post(url, {"unit": orgs["nj2"].pk, "note": "李老师", "days": 7})
    html = response.content.decode()
    code = re.search(r"data-invitation-code>([^<]+)<", html).group(1)
    assert reverse("wagtail_awards:join_code", args=[code]) in html
    assert client.post(url, {"unit": orgs["sz1"].pk, "note": "x", "days": 7}).status_code == 400
    assert UnitInvitation.objects.count() == 1


def _field_choices(response, name):
    form = response.context["form"]
    return [(str(value), label) for value, label in form.fields[name].choices if value != ""]
