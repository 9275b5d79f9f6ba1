"""Registration with a custom user model; run by tests/integration/test_custom_user.py under
``tests.custom_user.settings`` (a user model cannot change within one test run)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import checks, mail
from django.test import Client
from django.urls import reverse

from tests.builders import PASSWORD, bound_challenge, make_org
from wagtail_awards.captcha import TEST_MODE_ANSWER
from wagtail_awards.enums import OrganizationKind
from wagtail_awards.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(site_root):
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    return make_org("南京市第一中学工会", parent=nanjing, city="南京")


def account(client, **extra):
    data = {
        "account-email": "Zhang@Example.com",
        "account-display_name": "张老师",
        "account-staff_number": "T-1024",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "account-captcha_0": bound_challenge(client, "registration")[0],
        "account-captcha_1": TEST_MODE_ANSWER,
    }
    data.update(extra)
    return data


def confirmation_link():
    return re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)


def test_the_user_model_is_the_custom_one_and_the_checks_pass():
    assert get_user_model()._meta.label == "custom_user.Member"
    assert [m.id for m in checks.run_checks() if (m.id or "").startswith("wagtail_awards.")] == []


def test_the_form_asks_for_the_models_own_fields(client, school):
    html = client.get(reverse("wagtail_awards:register")).content.decode()
    for name in ("email", "display_name", "staff_number", "password1", "password2", "captcha_1"):
        assert f'name="account-{name}"' in html
    assert 'name="account-first_name"' not in html and 'name="account-username"' not in html


def test_register_confirm_log_in_and_reset_the_password(client, school):
    response = client.post(reverse("wagtail_awards:register"), account(client, **{"unit-unit": school.pk}))
    assert response.status_code == 302, response.content.decode()
    user = get_user_model().objects.get(email_address="zhang@example.com")
    assert (user.display_name, user.staff_number, user.is_active) == ("张老师", "T-1024", False)
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, organization=school).exists()
    assert mail.outbox[-1].to == ["zhang@example.com"]

    # The e-mailed link activates the account and logs it in; the header names it by its login name.
    assert client.get(confirmation_link()).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    page = client.get(reverse("wagtail_awards:my_applications"))
    assert page.status_code == 200 and "zhang@example.com" in page.content.decode()

    client.post(reverse("wagtail_awards:logout"))
    login = Client().post(reverse("wagtail_awards:login"), {"username": "zhang@example.com", "password": PASSWORD})
    assert login.status_code == 302
    client.post(reverse("wagtail_awards:password_reset"), {"email": "ZHANG@example.com"})
    assert mail.outbox[-1].to == ["zhang@example.com"]
    assert re.search(r"/awards/accounts/password/reset/\w+/[\w-]+/", mail.outbox[-1].body)


def test_an_address_differing_only_in_case_makes_no_second_account(client, school):
    get_user_model().objects.create_user("zhang@example.com", "x-Long-pass-1", display_name="张", staff_number="1")
    response = client.post(reverse("wagtail_awards:register"), account(client))
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1


def test_the_models_required_fields_are_required(client, school):
    response = client.post(reverse("wagtail_awards:register"), account(client, **{"account-staff_number": ""}))
    assert response.status_code == 400
    assert not get_user_model().objects.exists()


def test_the_models_own_text_fields_refuse_spreadsheet_formulas(client, school):
    response = client.post(
        reverse("wagtail_awards:register"), account(client, **{"account-display_name": "=HYPERLINK(1)"})
    )
    assert response.status_code == 400
    assert not get_user_model().objects.exists()
