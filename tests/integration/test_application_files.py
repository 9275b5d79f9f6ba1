"""Uploads through the site: every bad file refused with its message and nothing stored; downloads only for
those allowed, as attachments that are never sniffed."""

import io
import os
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.builders import BEFORE, DEADLINE, PDF, PNG, build_world, complete_data, upload
from wagtail_awards.access import visible_applications
from wagtail_awards.enums import ApplicationStatus, Role
from wagtail_awards.models import Application, ApplicationFile, Membership, ReviewAssignment
from wagtail_awards.storage import private_storage

pytestmark = pytest.mark.django_db
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT_PDF = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")


def _bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", bytes(256 * 1024 * 1024))
    return buffer.getvalue()


#: About 250 KB that a reviewer's word processor would expand to 256 MB.
BOMB_DOCX = _bomb()


@pytest.fixture
def world(site_root):
    return build_world(site_root, deadline=DEADLINE)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(BEFORE, tick=False):
        yield


def stored_files():
    root = Path(private_storage().location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        ("materials", "申报书.pdf", PNG, "“申报书.pdf”的内容不是真正的PDF文件。"),
        ("materials", "photo.jpg", HTML, "“photo.jpg”含有网页代码，不予接收。"),
        ("materials", "poly.png", PNG + b"tEXt" + HTML, "“poly.png”含有网页代码，不予接收。"),
        ("materials", "申报书.pdf.exe", PDF, "“申报书.pdf.exe”：此处不接受该类型的文件。"),
        ("materials", "setup.exe", b"MZ\x90\x00", "“setup.exe”：此处不接受该类型的文件。"),
        ("materials", "shell.php.png", PNG, "“shell.php.png”：文件名中不得在扩展名前夹带其他文件类型。"),
        ("materials", "page.html", HTML, "“page.html”：此处不接受该类型的文件。"),
        ("materials", "empty.pdf", b"", "“empty.pdf”是空文件。"),
        ("plan", "plan.docx", b"PK\x03\x04" + bytes(20), "“plan.docx”：此处不接受该类型的文件。可上传：pdf。"),
        ("materials", "script.pdf", SCRIPT_PDF, "“script.pdf”含有可自动运行的内容（JS、JavaScript、OpenAction）"),
        ("materials", "bomb.docx", BOMB_DOCX, "“bomb.docx”解压后远大于文件本身（最多200 MB），属于损坏或有害文件"),
        ("materials", "u16.jpg", b"\xff\xd8\xff" + "<script>x</script>".encode("utf-16"), "“u16.jpg”含有网页代码"),
    ],
)
def test_bad_file_refused_with_its_message_and_nothing_stored(client, world, field, name, content, message):
    client.force_login(world.users["applicant"])
    before = stored_files()
    response = client.post(world.save_url, complete_data(**{field: [upload(name, content)]}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "未保存任何内容" in html
    # The text the applicant typed is still in the form.
    assert "教职工心理健康服务" in html
    assert not Application.objects.exists()
    assert not ApplicationFile.objects.exists()
    assert stored_files() == before


def test_one_bad_file_among_good_ones_stores_nothing(client, world):
    client.force_login(world.users["applicant"])
    before = stored_files()
    response = client.post(world.save_url, complete_data(materials=[upload("good.pdf", PDF), upload("bad.pdf", PNG)]))
    assert response.status_code == 400
    assert not ApplicationFile.objects.exists() and stored_files() == before


def test_oversize_file_is_dropped_while_streaming(client, world):
    """The upload handler stops at the field's limit (1 MB): the file never reaches the form or the disk."""
    client.force_login(world.users["applicant"])
    before = stored_files()
    big = PDF + bytes(1024 * 1024)
    response = client.post(world.save_url, complete_data(materials=[upload("big.pdf", big)]))
    assert response.status_code == 400
    assert "“big.pdf”过大：每个文件不得超过1 MB。" in response.content.decode()
    assert not ApplicationFile.objects.exists() and stored_files() == before


def test_odd_names_are_cleaned_and_stored_under_random_names(client, world):
    client.force_login(world.users["applicant"])
    long_name = "很长的文件名" * 40 + ".pdf"
    response = client.post(
        world.save_url, complete_data(materials=[upload("../../../etc/申报书.pdf", PDF), upload(long_name, PDF)])
    )
    assert response.status_code == 302
    names = sorted(ApplicationFile.objects.values_list("original_name", flat=True))
    assert "申报书.pdf" in names
    assert any(len(n) == 120 and n.endswith(".pdf") for n in names)
    for item in ApplicationFile.objects.all():
        path = Path(item.file.path)
        assert path.name != item.original_name and ".." not in item.file.name
        assert path.resolve().is_relative_to(Path(private_storage().location).resolve())
        assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        assert item.sha256 and item.size == len(PDF) and item.content_type == "application/pdf"


def test_editor_file_field_and_multiple_field(client, world):
    client.force_login(world.users["applicant"])
    response = client.post(
        world.save_url,
        complete_data(plan=[upload("plan.pdf", PDF)], photos=[upload("1.png", PNG), upload("2.png", PNG)]),
    )
    assert response.status_code == 302
    fields = sorted(ApplicationFile.objects.values_list("field_name", flat=True))
    assert fields == ["materials", "photos", "photos", "plan"]


def test_single_file_field_takes_one_file(client, world):
    client.force_login(world.users["applicant"])
    response = client.post(world.save_url, complete_data(plan=[upload("1.pdf", PDF), upload("2.pdf", PDF)]))
    assert response.status_code == 400
    assert "只能选择一个文件" in response.content.decode()


# Downloads


@pytest.fixture
def stored(client, world):
    client.force_login(world.users["applicant"])
    client.post(world.save_url, complete_data(action="submit"))
    client.logout()
    return ApplicationFile.objects.get()


def url(item):
    return reverse("wagtail_awards:application_file", args=[item.pk])


@pytest.mark.parametrize("who", ["applicant", "colleague", "rec_nj", "province"])
def test_download_allowed(client, world, stored, who):
    client.force_login(world.users[who])
    response = client.get(url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]


def test_download_by_superuser(client, world, stored, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert client.get(url(stored)).status_code == 200


def test_download_by_assigned_reviewer_only_while_in_review(client, world, stored):
    application = stored.application
    application.status = ApplicationStatus.RECOMMENDED
    application.save(update_fields=["status"])
    client.force_login(world.users["reviewer_sz"])
    assert client.get(url(stored)).status_code == 404
    ReviewAssignment.objects.create(application=application, reviewer=world.users["reviewer_sz"])
    assert client.get(url(stored)).status_code == 200
    # Out of the expert review (here: not recommended after all), the assignment opens nothing any more.
    application.status = ApplicationStatus.NOT_RECOMMENDED
    application.save(update_fields=["status"])
    assert client.get(url(stored)).status_code == 404


def test_download_denied_to_anonymous(client, world, stored):
    response = client.get(url(stored))
    assert response.status_code == 302 and reverse("wagtail_awards:login") in response["Location"]


@pytest.mark.parametrize(
    "who",
    [
        "applicant_nj2",  # another unit under the same city
        "applicant_sz1",  # a unit of another city
        "rec_sz",  # the recommender of another city
        "reviewer_sz",  # a reviewer not assigned to it
        "nobody",  # a user without any role
    ],
)
def test_download_denied(client, world, stored, who):
    client.force_login(world.users[who])
    response = client.get(url(stored))
    assert response.status_code == 404
    assert "X-Sendfile" not in response and PDF not in response.content


def test_download_denied_to_a_reviewer_member_of_the_city_but_not_recommender(client, world, stored):
    """A reviewer role in the recommending organisation is not the recommender role."""
    user = world.users["reviewer_sz"]
    Membership.objects.create(user=user, organization=world.orgs["nanjing"], role=Role.REVIEWER)
    client.force_login(user)
    assert client.get(url(stored)).status_code == 404


def test_recommender_sees_no_draft_files(client, world, stored):
    """A draft is the unit's own working copy: its recommending organisation sees it once submitted."""
    application = stored.application
    application.status = ApplicationStatus.DRAFT
    application.save(update_fields=["status"])
    client.force_login(world.users["rec_nj"])
    assert client.get(url(stored)).status_code == 404
    assert application not in visible_applications(world.users["rec_nj"])
    client.force_login(world.users["applicant"])
    assert client.get(url(stored)).status_code == 200


def test_download_denied_to_inactive_user(client, world, stored):
    user = world.users["applicant"]
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(url(stored)).status_code in (302, 404)


def test_download_of_unknown_or_missing_file(client, world, stored):
    client.force_login(world.users["province"])
    assert client.get(reverse("wagtail_awards:application_file", args=[stored.pk + 999])).status_code == 404
    os.remove(stored.file.path)
    assert client.get(url(stored)).status_code == 404


def test_upload_handler_stops_passing_data_on_at_the_limit(rf):
    """Past the limit, no more bytes of the file reach the handlers that would keep it (memory or temp file)."""
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    from wagtail_awards.uploads import LimitedUploadHandler, RefusedUpload

    class Counting(MemoryFileUploadHandler):
        seen = 0

        def handle_raw_input(self, *args, **kwargs):
            self.activated = True  # keep in memory whatever the size, to count what arrives

        def receive_data_chunk(self, raw_data, start):
            Counting.seen += len(raw_data)
            return super().receive_data_chunk(raw_data, start)

    limit = 1024 * 1024
    request = rf.post("/", {"materials": upload("big.pdf", PDF + bytes(8 * limit)), "other": upload("ok.pdf", PDF)})
    handler = LimitedUploadHandler(request, limits={"materials": limit, "other": 10 * limit}, allow_anonymous=True)
    request.upload_handlers = [handler, Counting(request)]
    assert "materials" not in request.FILES
    assert request.FILES["other"].read() == PDF
    assert handler.errors == [RefusedUpload("materials", "big.pdf", limit, "size")]
    assert Counting.seen <= limit + 64 * 1024 + len(PDF)


def test_private_files_have_no_public_url(world, stored):
    with pytest.raises(ValueError):
        _ = stored.file.url
    assert not str(Path(stored.file.path)).startswith(str(settings.MEDIA_ROOT))
