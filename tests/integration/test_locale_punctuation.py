"""Punctuation and dates follow the page's language: a site with English content shows English punctuation and
English dates on every public page in English, and Chinese punctuation around the same content in Chinese."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, Site

from tests.builders import make_org, make_user, verify_voter
from tests.package_site.english_call import english_call, publish
from wagtail_awards.enums import ApplicationStatus, AwardStatus, OrganizationKind, Role
from wagtail_awards.models import (
    Application,
    ApplicationFormPage,
    Award,
    CallIndexPage,
    CallPage,
)
from wagtail_awards.rules.publicity import period_label
from wagtail_awards.services.applications import send_receipt

pytestmark = pytest.mark.django_db

# Chinese characters and full-width punctuation: none may come from the app on an English page of English content.
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def english_site():
    # Made in English, as an English site's editors would: translated field defaults are stored in English.
    with translation.override("en"):
        return build_english_site()


def build_english_site():
    now = timezone.now()
    index = publish(Page.get_first_root_node(), CallIndexPage(title="Awards", slug="awards-index"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": index, "site_name": "Union awards"}
    )
    call, form_page, _, publicity_page = english_call(index, slug="call", addressees="All member unions")

    province = make_org("Province union", OrganizationKind.PROVINCE)
    city = make_org("City union", OrganizationKind.CITY, province, "Nanjing")
    unit = make_org("School union", parent=city, city="Nanjing")
    applicant = make_user("applicant", org=unit, role=Role.APPLICANT, email="a@example.com", first_name="Ann")
    verify_voter(applicant)  # staff of the unit, who also votes
    applications = [
        Application.objects.create(
            call=call,
            organization=unit,
            applicant=applicant,
            unit_name="School union",
            project_name=f"Project {n}",
            summary="A project.",
            theme="Service",
            status=ApplicationStatus.PROPOSED,
            reference=f"{now.year}-000{n}",
            submitted_at=now - dt.timedelta(days=3),
        )
        for n in (1, 2)
    ]
    Award.objects.create(application=applications[0], prize_rank=1)
    Award.objects.create(
        application=applications[1],
        prize_rank=1,
        status=AwardStatus.CANCELLED,
        cancel_category="false",
        cancel_reason="Copied",
    )
    return {
        "index": index,
        "call": call,
        "form_page": form_page,
        "publicity": publicity_page,
        "applicant": applicant,
        "application": applications[0],
    }


def public_pages(client, world):
    call = world["call"]
    pages = world["index"].get_descendants(inclusive=True).live().not_type(ApplicationFormPage)  # needs a login
    urls = [page.url for page in pages]
    urls += [reverse("wagtail_awards:login"), reverse("wagtail_awards:register")]
    pages = {url: client.get(url) for url in urls}
    client.force_login(world["applicant"])
    for url in [
        world["form_page"].url,
        reverse("wagtail_awards:my_applications"),
        reverse("wagtail_awards:application_detail", args=[world["application"].pk]),
        reverse("wagtail_awards:vote", args=[call.pk, world["application"].pk]),
    ]:
        pages[f"{url} (applicant)"] = client.get(url)
    return pages


def text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_english_pages_of_english_content_have_no_chinese_punctuation_or_dates(client, english_site, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies["django_language"] = "en"
    pages = public_pages(client, english_site)
    assert len(pages) >= 10
    for url, response in pages.items():
        assert response.status_code == 200, url
        assert CHINESE.findall(text(response)) == [], url
    notice = text(pages[english_site["call"].url])
    assert "All member unions:" in notice
    form = text(pages[f"{english_site['form_page'].url} (applicant)"])
    assert re.search(r"Application deadline: \w{3,5}\.? \d{1,2}, \d{4} \d\d:\d\d:\d\d \((Open|Closing soon)\)", form)
    publicity_page = text(pages[english_site["publicity"].url])
    assert "Cancelled in publicity: False information (Copied)" in publicity_page
    assert "Project 1 (School union)" in pages[english_site["publicity"].url].content.decode()


def test_chinese_pages_put_chinese_punctuation_around_the_same_content(client, english_site):
    client.cookies["django_language"] = "zh-hans"
    notice = text(client.get(english_site["call"].url))
    assert "All member unions：" in notice
    client.force_login(english_site["applicant"])
    form = text(client.get(english_site["form_page"].url))
    assert re.search(r"申报截止时间： ?\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d ?（[^）]+）", form)
    publicity_html = client.get(english_site["publicity"].url).content.decode()
    assert "Project 1（School union）" in publicity_html
    assert "公示期间撤销：虚假（Copied）" in text(client.get(english_site["publicity"].url))


@pytest.mark.parametrize(
    ("language", "starts", "expected"),
    [
        ("en", dt.date(2026, 11, 27), "Publicity period: Nov. 27, 2026 to Dec. 3, 2026 (5 working days)"),
        ("zh-hans", dt.date(2026, 11, 27), "公示期：2026年11月27日至12月3日（5个工作日）"),
        ("zh-hans", dt.date(2021, 9, 29), "公示期：2021年9月29日至10月11日（5个工作日）"),
        ("en", dt.date(2026, 12, 28), "Publicity period: Dec. 28, 2026 to Jan. 4, 2027 (5 working days)"),
        ("zh-hans", dt.date(2026, 12, 28), "公示期：2026年12月28日至2027年1月4日（5个工作日）"),
    ],
)
def test_the_publicity_period_in_each_language(language, starts, expected):
    start = dt.datetime.combine(starts, dt.time(9), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    period = CallPage(publicity_starts=start, publicity_working_days=5).publicity_countdown(now=start)
    with translation.override(language):
        assert period_label(period) == expected


def test_one_working_day_is_singular_in_english():
    start = dt.datetime(2026, 11, 27, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    period = CallPage(publicity_starts=start, publicity_working_days=1).publicity_countdown(now=start)
    with translation.override("en"):
        assert period_label(period) == "Publicity period: Nov. 27, 2026 to Nov. 27, 2026 (1 working day)"


def test_the_receipt_in_english(client, english_site):
    with translation.override("en"):
        send_receipt(application=english_site["application"], request=None)
    body = mail.outbox[-1].body
    assert re.search(r"Submitted: \w{3,5}\.? \d{1,2}, \d{4}", body)
    assert CHINESE.findall(body) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_text_put_into_translated_sentences_stays_escaped(client, english_site, language):
    call = english_site["call"]
    call.addressees = "<script>alert(1)</script>"
    call.save_revision().publish()
    Application.objects.filter(pk=english_site["application"].pk).update(project_name="<b>bold</b>")
    client.cookies["django_language"] = language
    notice = client.get(call.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in notice and "<script>alert(1)" not in notice
    publicity_html = client.get(english_site["publicity"].url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in publicity_html and "<b>bold</b>" not in publicity_html
