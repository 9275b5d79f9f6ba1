"""Every screen the app adds to the admin, and every public page, speaks Chinese only (zh-hans).

The demo is loaded; each admin screen is opened as the person who uses it (province administrator, recommender,
reviewer, editor), each public page as a visitor and as an applicant. Every string a person sees or hears (text, and
the placeholder, title, aria-label and alt attributes) is searched for words in Latin letters; the few allowed ones
are file types, the product name in the admin's footer and the like. A failure names the page and the strings.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from tests.visible_text import english_report, visible_strings
from wagtail_awards.models import (
    Application,
    ApplicationFormPage,
    Award,
    CalendarException,
    CallPage,
    EligibleVoter,
    Membership,
    Objection,
    Organization,
    PastAward,
    PublicityPage,
    Recommendation,
    RecommendationList,
    ReviewAssignment,
    Vote,
    VotingCode,
    VotingPage,
)

pytestmark = pytest.mark.django_db

#: Latin-letter words a Chinese reader meets as they are: file types, units, the admin's own name.
ALLOWED = {
    "PDF",
    "XLSX",
    "CSV",
    "DOCX",
    "DOC",
    "JPG",
    "JPEG",
    "PNG",
    "Word",
    "MB",
    "KB",
    "UTF",
    "GB",
    "Wagtail",
    "URL",
    "IP",
    "ID",
}
#: Whole strings Wagtail 8 writes into its templates without marking them for translation (nothing to translate):
#: the header's ``<nav aria-label="Actions">`` and the hidden search button's ``value="Search"``.
LIBRARY_LITERALS = {"Actions", "Search"}


def usernames():
    """Login names are data a person typed, not words of the interface."""
    from django.contrib.auth import get_user_model

    return {part for name in get_user_model().objects.values_list("username", flat=True) for part in name.split("-")}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_awards_demo", stdout=open("/dev/null", "w"))
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def call_of(slug):
    return CallPage.objects.get(slug=slug)


def admin_urls():
    """(who, url) of every admin screen the app adds, as the person who works on it."""
    review = call_of("review-2025")
    publicity = call_of("publicity-2025")
    voting = call_of("vote-2025")
    open_call = CallPage.objects.order_by("-year").first()
    application = Application.objects.filter(call=review, status="scored").first()
    recommended = Application.objects.filter(call=review).exclude(status="draft").first()
    assignment = ReviewAssignment.objects.filter(reviewer__username="reviewer", application__call=review).first()
    award = Award.objects.filter(application__call=publicity).first()
    objection = Objection.objects.first()
    org = Organization.objects.get(name="南京市教育工会")
    form_page = ApplicationFormPage.objects.child_of(open_call).first()
    # The records each model screen inspects (a past award and a working-day exception made when the demo has none).
    records = {
        "pastaward": PastAward.objects.first()
        or PastAward.objects.create(year=2019, project_name="书香校园", unit_name="南京市第一中学工会", prize="一等奖"),
        "calendarexception": CalendarException.objects.first()
        or CalendarException.objects.create(day="2026-10-10", is_working_day=True, note="国庆调休"),
        "membership": Membership.objects.first(),
        "recommendationlist": RecommendationList.objects.first(),
        "recommendation": Recommendation.objects.first(),
        "reviewassignment": ReviewAssignment.objects.first(),
        "vote": Vote.objects.first(),
        "votingcode": VotingCode.objects.first()
        or VotingCode.objects.create(call=voting, organization=org, number=1, code_hash="0" * 64),
        "eligiblevoter": EligibleVoter.objects.first()
        or EligibleVoter.objects.create(email="teacher@example.org", organization=org),
    }
    ns = "wagtail_awards_admin:"
    urls = [
        ("province", "/admin/"),
        ("province", reverse(ns + "projects") + f"?call={review.pk}"),
        ("province", reverse(ns + "project", args=[application.pk])),
        ("province", reverse(ns + "recommend") + f"?call={review.pk}"),
        ("province", reverse(ns + "recommend") + f"?call={review.pk}&org={org.pk}"),
        ("province", reverse(ns + "assignments") + f"?call={review.pk}"),
        ("province", reverse(ns + "scores") + f"?call={review.pk}"),
        ("province", reverse(ns + "ranking") + f"?call={review.pk}"),
        ("province", reverse(ns + "ranking") + f"?call={review.pk}&suggest=1"),
        ("recommender", "/admin/"),
        ("recommender", reverse(ns + "projects")),
        ("recommender", reverse(ns + "recommend")),
        ("recommender", reverse(ns + "recommend") + f"?call={open_call.pk}"),
        ("recommender", reverse(ns + "project", args=[recommended.pk])),
        ("reviewer", "/admin/"),
        ("reviewer", reverse(ns + "projects")),
        ("reviewer", reverse(ns + "scores")),
        ("reviewer", reverse(ns + "score", args=[assignment.pk])),
        ("reviewer", reverse(ns + "project", args=[assignment.application_id])),
        ("province", "/admin/wagtail_awards/application/"),
        ("province", f"/admin/wagtail_awards/application/inspect/{application.pk}/"),
        ("province", f"/admin/wagtail_awards/application/history/{application.pk}/"),
        ("province", "/admin/wagtail_awards/pastaward/"),
        ("province", "/admin/wagtail_awards/pastaward/import/"),
        ("province", "/admin/wagtail_awards/organization/"),
        ("province", f"/admin/wagtail_awards/organization/inspect/{org.pk}/"),
        ("province", f"/admin/wagtail_awards/organization/edit/{org.pk}/"),
        ("province", "/admin/wagtail_awards/organization/create/"),
        ("province", "/admin/wagtail_awards/membership/"),
        ("province", "/admin/wagtail_awards/membership/create/"),
        ("province", "/admin/wagtail_awards/calendarexception/"),
        ("province", "/admin/wagtail_awards/calendarexception/create/"),
        ("province", "/admin/wagtail_awards/award/"),
        ("province", f"/admin/wagtail_awards/award/inspect/{award.pk}/"),
        ("province", f"/admin/wagtail_awards/award/edit/{award.pk}/"),
        ("province", reverse("wagtail_awards_admin:cancel_award", args=[award.pk])),
        ("province", "/admin/wagtail_awards/objection/"),
        ("province", f"/admin/wagtail_awards/objection/inspect/{objection.pk}/"),
        ("province", f"/admin/wagtail_awards/objection/edit/{objection.pk}/"),
        ("province", reverse("wagtail_awards_admin:subsidies") + f"?call={publicity.pk}"),
        ("province", reverse("wagtail_awards_admin:vote_audit_index")),
        ("province", reverse("wagtail_awards_admin:vote_audit", args=[voting.pk])),
        ("province", reverse("wagtail_awards_admin:vote_audit", args=[call_of("2021").pk])),
        ("recommender", "/admin/wagtail_awards/application/"),
        *[("province", f"/admin/wagtail_awards/{model}/") for model in sorted(records)],
        *[("province", f"/admin/wagtail_awards/{model}/inspect/{row.pk}/") for model, row in sorted(records.items())],
        ("recommender", "/admin/wagtail_awards/recommendationlist/"),
        ("reviewer", "/admin/wagtail_awards/reviewassignment/"),
        ("reviewer", f"/admin/wagtail_awards/reviewassignment/inspect/{assignment.pk}/"),
        ("editor", reverse("wagtail_awards_admin:next_round", args=[open_call.pk])),
        ("editor", f"/admin/pages/{open_call.pk}/edit/"),
        ("editor", f"/admin/pages/{form_page.pk}/edit/"),
        ("editor", f"/admin/pages/{VotingPage.objects.child_of(voting).first().pk}/edit/"),
        ("editor", f"/admin/pages/{PublicityPage.objects.child_of(publicity).first().pk}/edit/"),
        ("editor", f"/admin/pages/add/wagtail_awards/callpage/{open_call.get_parent().pk}/"),
        ("editor", f"/admin/pages/{open_call.get_parent().pk}/"),
    ]
    return urls


def fetch_all(client, urls):
    from django.contrib.auth import get_user_model

    users = {user.username: user for user in get_user_model().objects.all()}
    pages = {}
    current = None
    for who, url in urls:
        if who != current:
            client.logout()
            if who is not None:
                client.force_login(users[who])
            current = who
        response = client.get(url)
        assert response.status_code == 200, f"{who} {url}: {response.status_code}"
        pages[f"{who} {url}"] = response.content.decode()
    return pages


def test_every_admin_screen_of_the_app_is_free_of_english(demo, client):
    pages = fetch_all(client, admin_urls())
    report = english_report(pages, allowed=ALLOWED | usernames(), allowed_strings=LIBRARY_LITERALS)
    assert not report, "English on admin screens:\n" + "\n".join(f"{url}: {strings}" for url, strings in report.items())
    # One way of addressing the reader: 您, also in Wagtail's own strings (which say 你).
    informal = {url: [s for s in visible_strings(html) if "你" in s] for url, html in pages.items()}
    assert not any(informal.values()), {url: strings for url, strings in informal.items() if strings}


def test_the_new_round_report_is_free_of_english(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="editor"))
    call = CallPage.objects.order_by("-year").first()
    response = client.post(
        reverse("wagtail_awards_admin:next_round", args=[call.pk]), {"year": call.year + 5, "dates": "weekday"}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    report = english_report({response.url: page}, allowed=ALLOWED, allowed_strings=LIBRARY_LITERALS)
    assert not report, report


def public_urls():
    open_call = CallPage.objects.order_by("-year").first()
    mine = Application.objects.filter(applicant__username="applicant", status="submitted").first()
    voting = VotingPage.objects.child_of(call_of("vote-2025")).first()
    closed_vote = VotingPage.objects.child_of(call_of("2021")).first()
    candidate = Application.objects.filter(call=call_of("vote-2025"), status="scored").first()
    return [
        (None, "/"),
        (None, call_of("2021").url),
        (None, open_call.url),
        (None, call_of("review-2025").url),
        (None, voting.url),
        (None, closed_vote.url),
        (None, PublicityPage.objects.child_of(call_of("publicity-2025")).first().url),
        (None, PublicityPage.objects.child_of(call_of("2021")).first().url),
        (None, reverse("wagtail_awards:login")),
        (None, reverse("wagtail_awards:register")),
        (None, reverse("wagtail_awards:password_reset")),
        ("applicant", ApplicationFormPage.objects.child_of(open_call).first().url),
        ("applicant", reverse("wagtail_awards:my_applications")),
        ("applicant", reverse("wagtail_awards:application_detail", args=[mine.pk])),
        ("applicant", reverse("wagtail_awards:application_submitted", args=[mine.pk])),
        ("applicant", reverse("wagtail_awards:application_withdraw", args=[mine.pk])),
        ("voter", reverse("wagtail_awards:vote", args=[voting.get_parent().pk, candidate.pk])),
        ("voter", voting.url + f"?voted={candidate.pk}"),
    ]


def test_every_public_page_is_free_of_english(demo, client):
    pages = fetch_all(client, public_urls())
    report = english_report(pages, allowed=ALLOWED | usernames())
    assert not report, "English on public pages:\n" + "\n".join(f"{url}: {strings}" for url, strings in report.items())


def test_the_checker_finds_english_it_is_shown():
    from tests.visible_text import english_words, visible_strings

    html = (
        '<body><p>申报</p><button title="Close">×</button><script>var English = 1;</script>'
        '<input placeholder="Search all pages…"><a href="https://example.com/x.pdf">申报书.pdf</a><p>By 状态</p>'
        "<div hidden><p>Hidden</p></div><p>Shown</p></body>"
    )
    strings = visible_strings(html)
    assert english_words(strings, allowed=ALLOWED) == {"Close", "Search", "all", "pages", "By", "Shown"}
    assert not any("English" in s or "Hidden" in s for s in strings)
    assert Page.objects.count() >= 0  # the module's database marker is in force
