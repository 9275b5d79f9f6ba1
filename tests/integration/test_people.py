"""People of a round, tried from outside through the site's and the admin's URLs: a stranger who asks to join a
unit gets nothing of it until its recommending organisation approves, and loses it again when removed."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests.builders import PDF, build_world, make_application, make_org, register
from wagtail_awards.enums import ApplicationStatus, MembershipStatus, OrganizationKind
from wagtail_awards.models import ApplicationFile, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_root):
    """The applying world with a draft and a submitted application (with a file) of 南京市金陵中学工会."""
    world = build_world(site_root)
    school, member = world.orgs["nj2"], world.users["applicant_nj2"]
    world.apps["draft"] = make_application(
        world.call, org=school, applicant=member, project_name="本单位的草稿", status="draft"
    )
    world.apps["submitted"] = submitted = make_application(
        world.call,
        org=school,
        applicant=member,
        project_name="本单位已申报项目",
        status="submitted",
        reference="2026-0001",
    )
    item = ApplicationFile(
        application=submitted, field_name="materials", original_name="申报书.pdf", content_type="application/pdf"
    )
    item.size = len(PDF)
    item.file.save("x.pdf", ContentFile(PDF), save=False)
    item.sha256 = "0" * 64
    item.save()
    world.extra["file"] = item
    return world


def reach(client, world):
    """What the account can do with the unit's applications, through the site's URLs."""
    draft, submitted, stored = world.apps["draft"], world.apps["submitted"], world.extra["file"]
    listing = client.get(reverse("wagtail_awards:my_applications")).content.decode()
    seen = {
        "list": "本单位的草稿" in listing and "本单位已申报项目" in listing,
        "detail": client.get(reverse("wagtail_awards:application_detail", args=[submitted.pk])).status_code == 200,
        "draft": client.get(reverse("wagtail_awards:application_detail", args=[draft.pk])).status_code == 200,
        "form": "本单位的草稿" in client.get(f"{world.form_page.url}?application={draft.pk}").content.decode(),
        "file": client.get(reverse("wagtail_awards:application_file", args=[stored.pk])).status_code == 200,
    }
    name = draft.project_name
    save = client.post(
        reverse("wagtail_awards:application_save", args=[world.form_page.pk]),
        {"application": draft.pk, "project_name": name, "action": "save"},
    )
    changed = type(draft).objects.filter(pk=draft.pk, updated_at__gt=draft.updated_at).exists()
    draft.refresh_from_db()
    return {**seen, "save": save.status_code == 302 and changed}


def test_a_new_account_gets_nothing_of_a_unit_until_approved_and_nothing_once_removed(world):
    stranger = Client()
    assert register(stranger, "stranger@example.com", unit=world.orgs["nj2"]).status_code == 302
    membership = Membership.objects.get(user__username="stranger@example.com")
    assert membership.status == MembershipStatus.PENDING
    assert set(reach(stranger, world).values()) == {False}
    withdraw = stranger.post(reverse("wagtail_awards:application_withdraw", args=[world.apps["submitted"].pk]))
    assert withdraw.status_code == 404
    world.apps["submitted"].refresh_from_db()
    assert world.apps["submitted"].status == ApplicationStatus.SUBMITTED
    # Nor may the pending member approve themselves in the admin.
    decide = reverse("wagtail_awards_admin:decide_membership", args=[membership.pk, "approve"])
    assert stranger.post(decide).status_code in (302, 403)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING

    # The recommending organisation approves the request in the admin.
    recommender = Client()
    recommender.force_login(world.users["rec_nj"])
    assert recommender.post(decide, {"note": "核实为本单位工会干部"}).status_code == 302
    assert reach(stranger, world) == dict.fromkeys(("list", "detail", "draft", "form", "file", "save"), True)

    # … and removes the member again.
    remove = reverse("wagtail_awards_admin:decide_membership", args=[membership.pk, "remove"])
    assert recommender.post(remove, {"note": "已调离"}).status_code == 302
    assert set(reach(stranger, world).values()) == {False}


def test_the_rounds_log_labels_are_inert_in_wagtails_exports(site_root):
    """Wagtail's site history export writes labels as they are: the app's log model stores them inert."""
    from wagtail.log_actions import log

    from wagtail_awards.models import AwardsLogEntry

    unit = make_org('=HYPERLINK("http://evil.test/","x")', parent=make_org("南京市教育工会", OrganizationKind.CITY))
    log(unit, "wagtail.edit")
    assert AwardsLogEntry.objects.get().label == '\'=HYPERLINK("http://evil.test/","x")'
