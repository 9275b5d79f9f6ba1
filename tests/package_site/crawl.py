"""Run inside a new ``wagtail start`` site that has the package installed (see tests/integration/test_package.py).

Publishes a call with its application form, voting and publicity pages, adds an application with a file, then
opens every public page and every admin screen of the app, following links, as a visitor and as a superuser.
Prints one JSON object: where ``wagtail_awards`` was imported from, and what each URL answered.
"""

import json
import os
import re
import sys
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
django.setup()


from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from english_call import english_call, publish  # noqa: E402 (copied beside this script)
from wagtail.models import Page  # noqa: E402

import wagtail_awards  # noqa: E402
from wagtail_awards.models import (  # noqa: E402
    Application,
    ApplicationFile,
    ApplicationFormPage,
    CallIndexPage,
    CallPage,
    Membership,
    Organization,
    PublicityPage,
    VotingPage,
)
from wagtail_awards.services import accounts  # noqa: E402

ORGANISATIONS = """name,kind,parent,city
江苏省教育科技工会,province,,
南京市教育工会,city,江苏省教育科技工会,南京
南京市第一中学工会,grassroots,南京市教育工会,南京
"""
# Never followed: they end a session or leave the site.
SKIP = re.compile(r"/logout/|^/(static|media|documents|django-admin)/|^mailto:|^tel:|^javascript:")
# The app's own admin screens (modeladmin under /admin/wagtail_awards/, its views under /admin/awards/).
APP_ADMIN = re.compile(r"^/admin/(wagtail_awards|awards)/")
LIMIT = 400


def build():
    now = timezone.now()
    with open("organisations.csv", "w", encoding="utf-8") as handle:
        handle.write(ORGANISATIONS)
    call_command("import_organizations", "organisations.csv", stdout=open(os.devnull, "w"))
    unit = Organization.objects.get(name="南京市第一中学工会")

    User = get_user_model()
    admin = User.objects.create_superuser("admin", "admin@example.com", "admin-pass-2026")
    applicant = User.objects.create_user("applicant", "applicant@example.com", "applicant-pass-2026")
    Membership.objects.create(user=applicant, organization=unit, role="applicant")
    accounts.mark_email_verified(user=applicant)  # the confirmation link opened: a voter too

    home = Page.objects.get(depth=2)
    index = publish(home, CallIndexPage(title="Awards", slug="calls"))
    call, form_page, _, _ = english_call(index, slug=str(now.year))

    application = Application.objects.create(
        call=call,
        applicant=applicant,
        organization=unit,
        recommending_organization=unit.recommending_organization,
        unit_name=unit.name,
        project_name="Warm-hearted service",
        theme="Service",
        declaration=True,
        reference=f"{now.year}-0001",
        status="recommended",
        submitted_at=now,
    )
    file = ApplicationFile(
        application=application,
        field_name="materials",
        original_name="report.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=applicant,
    )
    file.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"admin": admin, "applicant": applicant, "pages": [index, call, form_page], "application": application}


def links(html):
    found = re.findall(r'href="([^"]+)"', html) + re.findall(r'"url":\s*"(/[^"]+)"', html)
    return [without_next(unescape(url).split("#")[0]) for url in found]


def without_next(url):
    """The URL without its ``next`` parameter (every page's log-in link carries one: a new URL per page)."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"])
    return urlunsplit(parts._replace(query=query))


def crawl(client, start, follow):
    """Open ``start`` and every same-site link for which ``follow(path)`` is true; (url, status, html) each."""
    seen, queue, answers = set(), list(start), []
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        answers.append((url, response.status_code, html))
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        for link in links(html):
            parts = urlsplit(link)
            if not parts.netloc and link.startswith("/") and follow(parts.path):
                queue.append(link)
    return answers


def summary(answers):
    return [
        {
            "url": url,
            "status": status,
            "html": bool(html),
            "site_base": "css/mysite.css" in html,
            "awards_headers": html.count('class="awards-header"'),
        }
        for url, status, html in answers
    ]


def main():
    world = build()
    index_url = world["pages"][0].url
    public_paths = (index_url, "/awards/")
    app_pages = Page.objects.type(CallIndexPage, CallPage, ApplicationFormPage, VotingPage, PublicityPage)
    page_urls = [page.url for page in app_pages.live().specific()]

    def public(path):
        return path.startswith(public_paths)

    visitor = Client(raise_request_exception=False)
    applicant = Client(raise_request_exception=False)
    applicant.force_login(world["applicant"])
    admin = Client(raise_request_exception=False)
    admin.force_login(world["admin"])

    editors = [f"/admin/pages/{page.pk}/edit/" for page in app_pages] + [f"/admin/pages/{world['pages'][1].pk}/"]
    adds = [
        f"/admin/pages/add/wagtail_awards/{model}/{parent.pk}/"
        for model, parent in (("callindexpage", Page.objects.get(depth=2)), ("callpage", world["pages"][0]))
    ]
    result = {
        "module": wagtail_awards.__file__,
        "pages": page_urls,
        "visitor": summary(crawl(visitor, page_urls, public)),
        "applicant": summary(crawl(applicant, [*page_urls, "/awards/applications/"], public)),
        "admin_home": summary(crawl(admin, ["/admin/"], lambda path: False)),
        "admin": summary(crawl(admin, ["/admin/", *editors, *adds], lambda path: bool(APP_ADMIN.match(path)))),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
