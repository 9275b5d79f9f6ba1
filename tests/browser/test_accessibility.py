"""Every public page on a 360 px phone: no horizontal scrolling and no serious or critical axe-core violation."""

from django.utils import timezone

from wagtail_awards.models import Application, ApplicationFormPage, CallPage, PublicityPage, VotingPage
from wagtail_awards.rules.voting import CANDIDATE_STATUSES

from .conftest import axe_violations, horizontal_overflow, screenshot


def public_pages():
    """(name, path) of the demo's public pages, anonymous visitor's view."""
    year = timezone.localdate().year
    open_call = CallPage.objects.get(slug=str(year))
    in_publicity = PublicityPage.objects.get(url_path__contains="/publicity-")
    results = PublicityPage.objects.get(url_path__contains="/2021/")
    voting = VotingPage.objects.get(url_path__contains="/vote-")
    closed_vote = VotingPage.objects.get(url_path__contains="/2021/")
    return [
        ("calls", "/"),
        ("notice", open_call.url),
        ("notice-2021", "/2021/"),
        ("voting", voting.url),
        ("voting-closed", closed_vote.url),
        ("voting-code", "/awards/vote/code/"),
        ("publicity", in_publicity.url),
        ("results", results.url),
        ("login", "/awards/accounts/login/"),
        ("register", "/awards/accounts/register/"),
        ("password-reset", "/awards/accounts/password/reset/"),
    ]


def applicant_pages():
    """(name, path) of the pages an applicant sees once logged in."""
    form_page = ApplicationFormPage.objects.child_of(CallPage.objects.get(slug=str(timezone.localdate().year))).get()
    submitted = Application.objects.filter(applicant__username="applicant", status="submitted").first()
    pages = [("application-form", form_page.url), ("my-applications", "/awards/applications/")]
    if submitted:
        pages.append(("application", f"/awards/applications/{submitted.pk}/"))
    voting = VotingPage.objects.get(url_path__contains="/vote-")
    candidate = Application.objects.filter(call_id=voting.get_parent().pk, status__in=CANDIDATE_STATUSES).first()
    pages.append(("vote-confirm", f"/awards/vote/{candidate.call_id}/{candidate.pk}/"))
    return pages


def check(phone, base, name, path, problems, *, submit=None):
    """Open ``path`` (and press the ``submit`` button of an empty form, to see its errors) and note what fails."""
    phone.goto(base + path)
    if submit:
        phone.locator(submit).click()
    phone.wait_for_load_state("networkidle")
    overflow = horizontal_overflow(phone)
    if overflow > 0:
        problems.append((name, path, f"{overflow}px wider than the screen"))
    for violation in axe_violations(phone):
        problems.append((name, path, violation))
    screenshot(phone, f"phone-{name}")


def test_public_pages_fit_a_phone_and_pass_axe(demo_site, phone):
    problems = []
    for name, path in public_pages():
        check(phone, demo_site.url, name, path, problems)
    # Forms showing their errors.
    in_publicity = PublicityPage.objects.get(url_path__contains="/publicity-").url
    check(
        phone, demo_site.url, "objection-errors", in_publicity, problems, submit="[data-objection-form] [type=submit]"
    )
    check(phone, demo_site.url, "register-errors", "/awards/accounts/register/", problems, submit="main [type=submit]")
    assert problems == []


def test_applicant_pages_fit_a_phone_and_pass_axe(demo_site, phone):
    phone.goto(demo_site.url + "/awards/accounts/login/")
    phone.get_by_label("用户名").fill("applicant")
    phone.get_by_label("密码").fill("awards-demo")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/awards/applications/")
    problems = []
    for name, path in applicant_pages():
        check(phone, demo_site.url, name, path, problems)
    form_page = applicant_pages()[0][1]
    check(phone, demo_site.url, "application-errors", form_page, problems, submit="button[value=submit]")
    assert phone.locator(".awards-messages").is_visible()
    assert problems == []
