"""Objections: limited per address (in all and per project), the same objection folded into one with a count."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.builders import bound_challenge, build_world, local
from wagtail_awards.models import Objection
from wagtail_awards.rules.publicity import normalise_objection, objection_fingerprint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

OPEN = local(2021, 10, 8, 10)


@pytest.fixture
def in_publicity(site_root):
    """The 2021 round in publicity from 29 September 2021, 09:00, with three proposed awards."""
    starts = local(2021, 9, 29, 9)
    world = build_world(site_root, stage="publicity", now=starts, year=2021, projects=3, publicity_starts=starts)
    return world.call, world.publicity_page, list(world.awards.values())


def objection(client, application, content, **extra):
    data = {
        "application": application.pk,
        "name": "张老师",
        "contact": "13800000000",
        "content": content,
        "captcha_0": bound_challenge(client, "objection")[0],
        "captcha_1": "passed",
        **extra,
    }
    return data


@override_settings(WAGTAIL_AWARDS_OBJECTION_PROJECT_LIMIT=100)
def test_forty_objections_from_one_address_are_stopped(client, in_publicity):
    """40 of 40 objections from one address went through in 28 s."""
    call, page, awards = in_publicity
    statuses = []
    with time_machine.travel(OPEN, tick=False):
        for n in range(40):
            application = awards[n % len(awards)].application
            response = client.post(page.url, objection(client, application, f"第{n}条异议：材料不实。"))
            statuses.append(response.status_code)
    assert statuses[:10] == [302] * 10
    assert set(statuses[10:]) == {429}
    assert Objection.objects.count() == 10
    with time_machine.travel(OPEN, tick=False):
        limited = client.post(page.url, objection(client, awards[0].application, "又一条"))
        assert "异议提交过于频繁" in limited.content.decode()
        # Another address is not affected.
        other = client.post(page.url, objection(client, awards[0].application, "另一网络"), REMOTE_ADDR="10.3.3.3")
    assert other.status_code == 302 and Objection.objects.count() == 11


@override_settings(WAGTAIL_AWARDS_OBJECTION_IP_LIMIT=100, WAGTAIL_AWARDS_OBJECTION_PROJECT_LIMIT=2)
def test_one_address_objects_to_one_project_a_limited_number_of_times(client, in_publicity):
    call, page, awards = in_publicity
    first, second = awards[0].application, awards[1].application
    with time_machine.travel(OPEN, tick=False):
        assert client.post(page.url, objection(client, first, "一")).status_code == 302
        assert client.post(page.url, objection(client, first, "二")).status_code == 302
        assert client.post(page.url, objection(client, first, "三")).status_code == 429
        assert client.post(page.url, objection(client, second, "三")).status_code == 302
    assert Objection.objects.filter(application=first).count() == 2


@override_settings(WAGTAIL_AWARDS_OBJECTION_PROJECT_LIMIT=5)
def test_the_same_objection_again_is_folded_into_one_with_a_count(client, in_publicity):
    call, page, awards = in_publicity
    application = awards[0].application
    with time_machine.travel(OPEN, tick=False):
        client.post(page.url, objection(client, application, "该项目 申报材料\n与实际不符。"))
        response = client.post(page.url, objection(client, application, " 该项目申报材料与实际不符。 "), follow=True)
        client.post(page.url, objection(client, application, "该项目申报材料与实际不符。"))
    stored = Objection.objects.get()
    assert stored.repeats == 3
    assert stored.content == "该项目 申报材料\n与实际不符。"
    assert "已收到过" in response.content.decode() and "2" in response.content.decode()
    # From another address it is another objection; with other evidence too.
    evidence = SimpleUploadedFile("证据.pdf", b"%PDF-1.7\nevidence", content_type="application/pdf")
    with time_machine.travel(OPEN, tick=False):
        client.post(page.url, objection(client, application, "该项目申报材料与实际不符。"), REMOTE_ADDR="10.4.4.4")
        # Evidence goes to the form's own URL, which limits it while it streams in.
        with_file = reverse("wagtail_awards:objection", args=[page.pk])
        client.post(with_file, objection(client, application, "该项目申报材料与实际不符。", file=evidence))
    assert Objection.objects.count() == 3


def test_the_count_shows_in_the_admin(client, in_publicity, django_user_model):
    call, page, awards = in_publicity
    with time_machine.travel(OPEN, tick=False):
        for _ in range(3):
            client.post(page.url, objection(client, awards[0].application, "重复的异议"))
    admin = django_user_model.objects.create_superuser("root", "r@example.com", "pw")
    client.force_login(admin)
    html = client.get(reverse("wagtail_awards_objection_modeladmin_index")).content.decode()
    assert "提交次数" in html and ">3<" in html.replace(" ", "")


def test_normalised_text_ignores_spacing_width_and_case():
    assert normalise_objection("Ａｂｃ  该项目\n不符") == normalise_objection("abc该项目不符")
    assert objection_fingerprint(text="x") != objection_fingerprint(text="x", file_digest="0" * 64)
    assert objection_fingerprint(text="该项目不符") != objection_fingerprint(text="该项目相符")
