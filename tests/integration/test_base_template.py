"""Every page of the app extends WAGTAIL_AWARDS_BASE_TEMPLATE: the app's own layout, or the site's base.html.

On either base each page has the app's header, messages and style sheet exactly once, its own style sheet after
the base's, and the Wagtail user bar for editors.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

import wagtail_awards
from tests.builders import register
from wagtail_awards.models import Application, CallPage, PublicityPage, VotingPage
from wagtail_awards.rules.voting import CANDIDATE_STATUSES

pytestmark = pytest.mark.django_db

TEMPLATES = Path(wagtail_awards.__file__).parent / "templates" / "wagtail_awards"
SITE_BASE = "base.html"  # example_site/templates/base.html
APP_BASE = "wagtail_awards/base.html"


@pytest.fixture
def demo(db):
    call_command("load_awards_demo", stdout=open(os.devnull, "w"))


def page_urls():
    """Every live page of the demo (index, calls, application forms, voting and publicity pages)."""
    return [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]


def app_urls():
    """The app's own views and Django's auth views, as a logged-in applicant sees them."""
    application = Application.objects.filter(organization__memberships__user__username="applicant").first()
    voting_page = VotingPage.objects.live().order_by("-pk").first()
    candidate = Application.objects.filter(call=voting_page.get_parent(), status__in=CANDIDATE_STATUSES).first()
    return [
        reverse("wagtail_awards:my_applications"),
        reverse("wagtail_awards:application_detail", args=[application.pk]),
        reverse("wagtail_awards:choose_unit"),
        reverse("wagtail_awards:account"),
        reverse("wagtail_awards:join"),
        reverse("wagtail_awards:vote", args=[voting_page.get_parent().pk, candidate.pk]),
    ]


def anonymous_urls():
    return [
        reverse("wagtail_awards:login"),
        reverse("wagtail_awards:register"),
        reverse("wagtail_awards:register_sent"),
        reverse("wagtail_awards:password_reset"),
        reverse("wagtail_awards:password_reset_done"),
        reverse("wagtail_awards:password_reset_confirm", args=["MQ", "set-password"]),
        reverse("wagtail_awards:password_reset_complete"),
    ]


def assert_layout(html, url, *, site_base):
    assert html.count('class="awards-header"') == 1, url
    assert html.count("wagtail_awards/css/awards.css") == 1, url
    assert ("data-site-base" in html) is site_base, url
    assert ('class="site-header"' in html) is site_base, url
    assert ('class="awards-footer"' in html) is not site_base, url
    if site_base:
        # The site's style sheet first, then the app's: the app's rules win where both style the same element.
        assert html.index("example_site/site.css") < html.index("wagtail_awards/css/awards.css"), url


@pytest.mark.parametrize(("base", "site_base"), [(APP_BASE, False), (SITE_BASE, True)])
def test_every_page_extends_the_configured_base(demo, client, base, site_base):
    publicity = PublicityPage.objects.live().get(slug="publicity", url_path__contains="/publicity-")
    with override_settings(WAGTAIL_AWARDS_BASE_TEMPLATE=base):
        for url in anonymous_urls():
            response = client.get(url)
            assert response.status_code == 200, url
            assert_layout(response.content.decode(), url, site_base=site_base)
        # A refused objection is shown again with its errors (a view of its own, not the page's serve).
        response = client.post(publicity.url, {"content": ""})
        assert response.status_code == 200 and "awards-form__error" in response.content.decode()
        assert_layout(response.content.decode(), "objection", site_base=site_base)

        # A confirmation link that does not work (a view's own answer, status 400).
        response = client.get(reverse("wagtail_awards:verify_email", args=["MQ", "not-a-token"]))
        assert response.status_code == 400
        assert_layout(response.content.decode(), "verify failed", site_base=site_base)

        # Messages show once, whichever base shows them: registering, then the e-mailed link.
        assert register(client, "zhang@example.com", confirm=False).status_code == 302
        link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)
        response = client.get(link, follow=True)
        assert response.status_code == 200
        assert response.content.decode().count("awards-message--success") == 1
        assert_layout(response.content.decode(), "confirmed", site_base=site_base)
        client.logout()

        assert client.login(username="applicant", password="awards-demo")
        urls = page_urls() + app_urls()
        assert len(urls) >= 12
        for url in urls:
            response = client.get(url)
            # An applicant is no voter (voting needs a verified address): the vote page says so, in the layout.
            assert response.status_code == (403 if url.startswith("/awards/vote/") else 200), url
            html = response.content.decode()
            assert_layout(html, url, site_base=site_base)
            assert "wagtail-userbar" not in html, url

        # Editors get Wagtail's user bar on either base.
        client.logout()
        assert client.login(username="editor", password="awards-demo")
        html = client.get(CallPage.objects.get(year=2021).url).content.decode()
        assert "wagtail-userbar" in html
        assert_layout(html, "editor", site_base=site_base)


def test_page_style_sheets_and_scripts_add_to_the_base(demo, client):
    """Pages keep the base's extra_css/extra_js with block.super and add their own after them."""
    call = CallPage.objects.get(year=2021)
    with override_settings(WAGTAIL_AWARDS_BASE_TEMPLATE=SITE_BASE):
        login = client.get(reverse("wagtail_awards:login")).content.decode()
        publicity = client.get(call.get_children().get(slug="publicity").url).content.decode()
        notice = client.get(call.url).content.decode()
    assert login.index("awards.css") < login.index("applications.css")
    assert publicity.index("awards.css") < publicity.index("publicity.css")
    assert "countdown.js" in notice
    # The page's body class is added to the site's, not put in its place.
    assert re.search(r'<body class="site awards-publicity-page"', publicity)


def test_every_page_template_extends_the_layout():
    """A page template that extended wagtail_awards/base.html itself would ignore the setting."""
    pages = []
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        match = re.match(r"\s*\{%\s*extends\s+(\S+)", source)
        relative = path.relative_to(TEMPLATES).as_posix()
        if match is None or relative.startswith("admin/"):
            continue
        pages.append(relative)
        if relative == "layout.html":
            assert match.group(1) == 'awards_base_template|default:"wagtail_awards/base.html"'
            continue
        assert match.group(1) == '"wagtail_awards/layout.html"', relative
        for block in ("extra_css", "extra_js", "content", "body_class"):
            for body in re.findall(r"\{%\s*block " + block + r"\s*%\}(.{0,20})", source):
                assert body.startswith("{{ block.super }}"), (relative, block)
    assert len(pages) >= 17


@pytest.mark.parametrize(("base", "site_base"), [(APP_BASE, False), (SITE_BASE, True)])
def test_the_lockout_page_of_django_axes_is_inside_the_configured_base(db, base, site_base):
    from django.test import Client

    from tests.builders import make_site, make_user

    make_site()
    make_user("li", password="pw-Li-2021")
    login = reverse("wagtail_awards:login")
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2, WAGTAIL_AWARDS_BASE_TEMPLATE=base):
        for _ in range(2):
            Client().post(login, {"username": "li", "password": "wrong"})
        locked = Client().post(login, {"username": "li", "password": "pw-Li-2021"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert_layout(locked.content.decode(), "locked out", site_base=site_base)


def test_a_page_rendered_without_the_layout_variable_falls_back_to_the_apps_base(db, rf):
    """Another app's view that renders one of the app's templates by itself (no layout variable) gets a page."""
    from django.template.loader import render_to_string

    from tests.builders import make_site

    make_site()
    with override_settings(WAGTAIL_AWARDS_BASE_TEMPLATE=SITE_BASE):
        html = render_to_string("wagtail_awards/accounts/locked_out.html", {}, request=rf.get("/"))
    assert_layout(html, "no variable", site_base=False)
