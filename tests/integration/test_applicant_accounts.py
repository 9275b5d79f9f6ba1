"""Applicants register, log in, log out and reset their password on the site; registration links their unit."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import make_org, make_user
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import Membership, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(site_root):
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    seu = make_org("东南大学工会", OrganizationKind.UNIVERSITY, province, "南京")
    school = make_org("南京市第一中学工会", parent=nanjing, city="南京")
    return {"nanjing": nanjing, "seu": seu, "school": school}


def account(**extra):
    data = {
        "account-username": "zhang",
        "account-first_name": "张老师",
        "account-email": "zhang@example.com",
        "account-password1": "a-Long-pass-2021",
        "account-password2": "a-Long-pass-2021",
    }
    data.update(extra)
    return data


def test_register_with_an_existing_unit(client, orgs):
    response = client.post(reverse("wagtail_awards:register"), account(**{"unit-unit": orgs["school"].pk}))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="zhang")
    assert Membership.objects.filter(user=user, organization=orgs["school"], role=Role.APPLICANT).exists()
    # Logged in straight away.
    assert client.get(reverse("wagtail_awards:my_applications")).status_code == 200


def test_register_with_a_new_unit_under_a_university(client, orgs):
    data = account(**{"unit-new_unit_name": "东南大学 土木学院分工会", "unit-parent": orgs["seu"].pk})
    response = client.post(reverse("wagtail_awards:register"), data)
    assert response.status_code == 302
    unit = Organization.objects.get(name="东南大学 土木学院分工会")
    assert unit.kind == OrganizationKind.GRASSROOTS and unit.parent == orgs["seu"]
    assert unit.recommending_organization == orgs["seu"]


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ({}, "请选择所在单位，或填写新单位名称。"),
        ({"unit-new_unit_name": "新单位"}, "请选择本单位所属的市教育工会、高校或科研院所。"),
        ({"unit-new_unit_name": "南京市第一中学工会", "unit-parent": "nanjing"}, "已有同名单位"),
        ({"unit-unit": "school", "unit-new_unit_name": "x", "unit-parent": "nanjing"}, "二者只能选其一"),
    ],
)
def test_registration_refusals_create_nothing(client, orgs, unit, message):
    unit = {k: (orgs[v].pk if v in orgs else v) for k, v in unit.items()}
    response = client.post(reverse("wagtail_awards:register"), account(**unit))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="zhang").exists()
    assert Organization.objects.count() == 4


def test_registration_cannot_link_a_city_union_as_applicant(client, orgs):
    response = client.post(reverse("wagtail_awards:register"), account(**{"unit-unit": orgs["nanjing"].pk}))
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="zhang").exists()


def test_weak_password_refused(client, orgs):
    data = account(**{"unit-unit": orgs["school"].pk, "account-password1": "123", "account-password2": "123"})
    assert client.post(reverse("wagtail_awards:register"), data).status_code == 400


def test_login_logout(client, orgs):
    make_user("li", org=orgs["school"], role=Role.APPLICANT, password="pw-Li-2021")
    response = client.post(reverse("wagtail_awards:login"), {"username": "li", "password": "pw-Li-2021"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtail_awards:my_applications")
    assert "退出登录" in client.get(reverse("wagtail_awards:my_applications")).content.decode()
    client.post(reverse("wagtail_awards:logout"))
    assert client.get(reverse("wagtail_awards:my_applications")).status_code == 302


def test_login_goes_to_next(client, orgs):
    make_user("li", password="pw-Li-2021")
    response = client.post(
        reverse("wagtail_awards:login") + "?next=/call-2021/apply/",
        {"username": "li", "password": "pw-Li-2021", "next": "/call-2021/apply/"},
    )
    assert response["Location"] == "/call-2021/apply/"


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


def test_choose_unit_after_an_external_login(client, orgs):
    user = make_user("gov-123")
    client.force_login(user)
    response = client.post(reverse("wagtail_awards:choose_unit"), {"unit-unit": orgs["school"].pk})
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organization=orgs["school"], role=Role.APPLICANT).exists()
