"""The app's admin lists in production conditions and under odd query strings."""

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.test import override_settings
from django.urls import reverse

from tests.builders import build_world, make_application
from wagtail_awards.models import Award, CalendarException
from wagtail_awards.rules.ids import MAX_ID, parse_id

pytestmark = pytest.mark.django_db


class ShippedFilesOnlyStorage(StaticFilesStorage):
    """Like a manifest storage after ``collectstatic``: a static file no installed app ships is an error."""

    def url(self, name):
        if not finders.find(name):
            raise ValueError(f"Missing staticfiles manifest entry for '{name}'")
        return super().url(name)


SHIPPED_ONLY = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tests.integration.test_admin_robustness.ShippedFilesOnlyStorage"},
}


@pytest.fixture
def world(site_root):
    world = build_world(site_root)
    award = Award.objects.create(
        application=make_application(world.call, status="proposed"), prize_rank=1, most_popular=True
    )
    CalendarException.objects.create(day="2026-10-10", is_working_day=True, note="调休")
    world.awards["award"] = award
    return world


@override_settings(STORAGES=SHIPPED_ONLY)
@pytest.mark.parametrize(
    "name", ["wagtail_awards_award_modeladmin_index", "wagtail_awards_calendarexception_modeladmin_index"]
)
def test_lists_with_a_yes_no_column_render_with_the_sites_own_static_files(client, world, name):
    """In production the award list answered 500: Django admin's icon-no.svg is not among a Wagtail site's files."""
    client.force_login(world.users["province"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "icon-no.svg" not in html and "icon-yes.svg" not in html
    assert ">是<" in html.replace(" ", "").replace("\n", "")


def test_a_yes_no_column_keeps_its_heading_and_sorts(client, world):
    other = Award.objects.create(application=make_application(world.call, status="proposed"), prize_rank=2)
    client.force_login(world.users["province"])
    index = reverse("wagtail_awards_award_modeladmin_index")
    html = client.get(index).content.decode()
    assert "最受教职工欢迎" in html and "?o=2" in html
    first = client.get(index, {"o": "2"}).content.decode()
    last = client.get(index, {"o": "-2"}).content.decode()
    edit = reverse("wagtail_awards_award_modeladmin_edit", args=[other.pk])
    popular = reverse("wagtail_awards_award_modeladmin_edit", args=[world.awards["award"].pk])
    assert first.index(edit) < first.index(popular) and last.index(popular) < last.index(edit)


def test_a_lookup_the_list_does_not_offer_is_not_applied(client, world):
    """Any lookup in the query string was applied: an oracle on fields the list does not show (password hashes)."""
    client.force_login(world.users["rec_nj"])
    index = reverse("wagtail_awards_application_modeladmin_index")
    response = client.get(index, {"applicant__password__startswith": "md5$", "status__exact": "submitted"})
    assert response.status_code == 302
    assert response["Location"] == f"{index}?status__exact=submitted"
    shown = client.get(response["Location"], follow=True)
    assert "筛选或搜索条件无法使用" in shown.content.decode()


def test_a_nul_in_a_filter_or_search_is_dropped_with_a_message(client, world):
    client.force_login(world.users["province"])
    index = reverse("wagtail_awards_award_modeladmin_index")
    response = client.get(index, {"q": "a\x00", "status__exact": "proposed"})
    assert response.status_code == 302 and response["Location"] == f"{index}?status__exact=proposed"
    response = client.get(index, {"year__exact": "x", "status__exact": "\x00"})
    assert response.status_code == 302 and response["Location"] == index


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("wagtail_awards_admin:projects", {"call": "9" * 5000}),
        ("wagtail_awards_admin:recommend", {"org": "9" * 5000}),
        ("wagtail_awards_admin:recommend", {"call": "²"}),
        ("wagtail_awards_admin:projects", {"call": str(MAX_ID + 1)}),
    ],
)
def test_ids_in_the_query_string_that_are_not_ids_are_not_found(client, world, url_name, query):
    client.force_login(world.users["province"])
    assert client.get(reverse(url_name), query).status_code == 404


def test_a_five_thousand_digit_org_on_the_submit_list_screen_is_not_found(client, world):
    client.force_login(world.users["rec_nj"])
    response = client.post(reverse("wagtail_awards_admin:submit_list"), {"org": "9" * 5000})
    assert response.status_code == 404


def test_an_object_screen_with_an_id_too_long_to_convert_is_not_found(client, world):
    client.force_login(world.users["province"])
    url = reverse("wagtail_awards_award_modeladmin_edit", args=[world.awards["award"].pk]).replace(
        f"/{world.awards['award'].pk}/", "/" + "9" * 5000 + "/"
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),
        (" 1", None),
        ("1\x00", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        (7, 7),
        (True, None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


def test_every_model_screen_of_the_app_is_built_on_the_shared_base():
    """A screen on wagtail-modeladmin's own class drew its yes/no column with Django admin's icons: 500 in
    production (the voting codes' list did)."""
    from wagtail_awards.admin.base import AwardsModelAdmin
    from wagtail_awards.admin.organizations import AwardsAdminGroup
    from wagtail_awards.admin.publicity import PublicityAdminGroup
    from wagtail_awards.admin.voters import VotersAdminGroup

    screens = [item for group in (AwardsAdminGroup, PublicityAdminGroup, VotersAdminGroup) for item in group.items]
    assert len(screens) >= 8
    assert [s.__name__ for s in screens if not issubclass(s, AwardsModelAdmin)] == []
