"""Registration with a custom user model; run by tests/integration/test_custom_user.py under
``tests.custom_user.settings`` (a user model cannot change within one test run)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import checks, mail
from django.urls import reverse

from tests.factories import make_org
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(site_root):
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    return make_org("南京市第一中学工会", parent=nanjing, city="南京")


def account(**extra):
    data = {
        "account-email_address": "Zhang@Example.com",
        "account-display_name": "张老师",
        "account-staff_number": "T-1024",
        "account-password1": "a-Long-pass-2021",
        "account-password2": "a-Long-pass-2021",
    }
    data.update(extra)
    return data


def test_the_user_model_is_the_custom_one_and_the_checks_pass():
    assert get_user_model()._meta.label == "custom_user.Member"
    assert [m.id for m in checks.run_checks() if (m.id or "").startswith("wagtail_awards.")] == []


def test_the_form_asks_for_the_models_own_fields(client, school):
    html = client.get(reverse("wagtail_awards:register")).content.decode()
    for name in ("email_address", "display_name", "staff_number", "password1", "password2"):
        assert f'name="account-{name}"' in html
    assert 'name="account-username"' not in html and 'name="account-first_name"' not in html


def test_register_log_in_and_reset_the_password(client, school):
    response = client.post(reverse("wagtail_awards:register"), account(**{"unit-unit": school.pk}))
    assert response.status_code == 302, response.content.decode()
    user = get_user_model().objects.get(email_address="Zhang@Example.com")
    assert (user.display_name, user.staff_number) == ("张老师", "T-1024")
    assert user.check_password("a-Long-pass-2021")
    assert Membership.objects.filter(user=user, organization=school, role=Role.APPLICANT).exists()
    # Logged in: the header names the user by the model's username field.
    page = client.get(reverse("wagtail_awards:my_applications"))
    assert page.status_code == 200 and "Zhang@Example.com" in page.content.decode()

    client.post(reverse("wagtail_awards:logout"))
    response = client.post(
        reverse("wagtail_awards:login"), {"username": "Zhang@Example.com", "password": "a-Long-pass-2021"}
    )
    assert response.status_code == 302
    client.post(reverse("wagtail_awards:logout"))
    client.post(reverse("wagtail_awards:password_reset"), {"email": "zhang@example.com"})
    assert [m.to for m in mail.outbox] == [["Zhang@Example.com"]]
    assert re.search(r"/awards/accounts/password/reset/\w+/[\w-]+/", mail.outbox[0].body)


def test_the_username_differing_only_in_case_is_refused(client, school):
    get_user_model().objects.create_user("zhang@example.com", "x-Long-pass-1", display_name="张", staff_number="1")
    response = client.post(reverse("wagtail_awards:register"), account(**{"unit-unit": school.pk}))
    assert response.status_code == 400
    assert get_user_model().objects.count() == 1


def test_required_fields_are_required(client, school):
    response = client.post(
        reverse("wagtail_awards:register"), account(**{"unit-unit": school.pk, "account-staff_number": ""})
    )
    assert response.status_code == 400
    assert not get_user_model().objects.exists()
