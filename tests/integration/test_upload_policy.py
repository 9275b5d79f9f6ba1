"""The request-size policy, measured in bytes written to temporary files: anonymous bodies, unknown file fields,
oversized objection evidence and bodies over the total cap never reach the disk."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import reverse

from tests.builders import (
    BEFORE,
    DEADLINE,
    PDF,
    bound_challenge,
    build_world,
    complete_data,
    local,
    upload,
)
from wagtail_awards.forms.publicity import MAX_EVIDENCE_SIZE
from wagtail_awards.models import Application, ApplicationFile, Objection

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class CountingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to temporary files, counting the bytes it writes."""

    written = 0

    def receive_data_chunk(self, raw_data, start):
        CountingTemporaryFileUploadHandler.written += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture(autouse=True)
def counted():
    CountingTemporaryFileUploadHandler.written = 0
    handlers = [
        "wagtail_awards.uploads.UploadPolicyHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.CountingTemporaryFileUploadHandler",
    ]
    with override_settings(FILE_UPLOAD_HANDLERS=handlers, FILE_UPLOAD_MAX_MEMORY_SIZE=64 * 1024):
        yield CountingTemporaryFileUploadHandler


def written():
    return CountingTemporaryFileUploadHandler.written


def csrf_client():
    """A client that sends a valid CSRF cookie and token, as a script that first loaded a page would."""
    client = Client(enforce_csrf_checks=True)
    from django.test import RequestFactory

    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    return client, token


def big(name, size, head=PDF):
    return SimpleUploadedFile(name, head + bytes(size - len(head)), content_type="application/pdf")


@pytest.fixture
def world(site_root):
    return build_world(site_root, deadline=DEADLINE)


def test_anonymous_upload_writes_nothing(world):
    """Anonymous, with only a CSRF cookie: 6 files of 5 MB under a field the form does not have."""
    client, token = csrf_client()
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            world.save_url,
            {"csrfmiddlewaretoken": token, "junk": [big(f"{i}.pdf", 5 * MB) for i in range(6)]},
        )
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert written() == 0
    assert not Application.objects.exists()


def test_anonymous_files_anywhere_else_are_not_written(world):
    """Any URL (here the form page itself): the CSRF middleware reads the body, and the policy drops the files."""
    client, token = csrf_client()
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(world.form_page.url, {"csrfmiddlewaretoken": token, "x": big("x.pdf", 5 * MB)})
    assert response.status_code in (302, 403, 405)
    assert written() == 0


def test_unknown_file_fields_get_no_bytes_and_known_ones_are_kept(world):
    client = Client()
    client.force_login(world.users["applicant"])
    data = complete_data(materials=[upload("申报书.pdf", PDF + bytes(100 * 1024))])
    data["not_a_field"] = [big(f"{i}.pdf", 2 * MB) for i in range(3)]
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(world.save_url, data)
    assert response.status_code == 302
    # The file of the form's field was kept whole (the dropped ones after it did not close it) …
    stored = ApplicationFile.objects.get()
    assert stored.size == len(PDF) + 100 * 1024 and stored.file.read().startswith(PDF)
    # … and of the 6 MB under an unknown name, nothing reached a temporary file.
    assert written() <= len(PDF) + 100 * 1024


@override_settings(WAGTAIL_AWARDS_MAX_REQUEST_SIZE=3 * MB)
def test_body_over_the_total_cap_is_refused_before_it_is_read(world):
    client = Client()
    client.force_login(world.users["applicant"])
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(world.save_url, complete_data(materials=[big(f"{i}.pdf", MB // 2) for i in range(8)]))
    assert response.status_code == 413
    html = response.content.decode()
    assert "一次发送的内容超过 3 MB" in html and world.form_page.url in html
    assert written() == 0 and not Application.objects.exists()


@override_settings(WAGTAIL_AWARDS_MAX_REQUEST_SIZE=3 * MB)
def test_body_over_the_total_cap_on_any_other_url_is_not_read(world):
    client, token = csrf_client()
    client.force_login(world.users["applicant"])
    response = client.post(
        reverse("wagtail_awards:my_applications"), {"csrfmiddlewaretoken": token, "x": big("x.pdf", 4 * MB)}
    )
    assert response.status_code == 400
    assert written() == 0


@override_settings(WAGTAIL_AWARDS_MAX_REQUEST_SIZE=3 * MB)
def test_files_of_one_request_stop_at_the_total_cap(world):
    """A body of unknown length cannot be refused up front; the handler stops keeping files at the cap."""
    from django.test import RequestFactory

    from wagtail_awards.uploads import LimitedUploadHandler, RefusedUpload

    request = RequestFactory().post("/", {"a": big("a.pdf", 2 * MB), "b": big("b.pdf", 2 * MB)})
    request.user = world.users["applicant"]
    handler = LimitedUploadHandler(request, limits={"a": 3 * MB, "b": 3 * MB}, max_total=3 * MB)
    handler.handle_raw_input = lambda *args, **kwargs: None  # as if the length were not declared
    request.upload_handlers = [handler, *request.upload_handlers[1:]]
    assert list(request.FILES) == ["a"]
    assert handler.errors == [RefusedUpload("b", "b.pdf", 3 * MB, "total")]
    assert written() <= 3 * MB


@pytest.fixture
def in_publicity(site_root):
    starts = local(2021, 9, 29, 9)
    world = build_world(site_root, stage="publicity", now=starts, year=2021, projects=2, publicity_starts=starts)
    call, page, awards = world.call, world.publicity_page, list(world.awards.values())
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        yield call, page, awards


def objection_data(client, application, **extra):
    return {
        "application": application.pk,
        "name": "王老师",
        "contact": "13800000000",
        "content": "材料不实。",
        "captcha_0": bound_challenge(client, "objection")[0],
        "captcha_1": "passed",
        **extra,
    }


def test_oversized_objection_evidence_is_dropped_while_streaming(in_publicity):
    _call, page, awards = in_publicity
    client, token = csrf_client()
    data = objection_data(
        client, awards[0].application, csrfmiddlewaretoken=token, file=big("证据.pdf", 3 * MAX_EVIDENCE_SIZE)
    )
    response = client.post(reverse("wagtail_awards:objection", args=[page.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "“证据.pdf”过大：每个文件不得超过10 MB。" in html
    assert "材料不实。" in html  # what was typed is still in the form
    assert written() <= MAX_EVIDENCE_SIZE
    assert not Objection.objects.exists()


def test_objection_with_evidence_within_the_limit_is_filed(in_publicity):
    _call, page, awards = in_publicity
    client, token = csrf_client()
    data = objection_data(client, awards[0].application, csrfmiddlewaretoken=token, file=big("证据.pdf", 1 * MB))
    response = client.post(reverse("wagtail_awards:objection", args=[page.pk]), data)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.file_name == "证据.pdf" and objection.file.size == MB


def test_objection_needs_its_csrf_token(in_publicity):
    _call, page, awards = in_publicity
    client, _token = csrf_client()
    response = client.post(
        reverse("wagtail_awards:objection", args=[page.pk]), objection_data(client, awards[0].application)
    )
    assert response.status_code == 403 and not Objection.objects.exists()


def test_evidence_sent_to_the_page_url_is_not_written(in_publicity):
    """The page's own URL is read by the CSRF middleware first: an anonymous file there is dropped with a reason."""
    _call, page, awards = in_publicity
    client, token = csrf_client()
    data = objection_data(
        client, awards[0].application, csrfmiddlewaretoken=token, file=big("证据.pdf", 3 * MAX_EVIDENCE_SIZE)
    )
    response = client.post(page.url, data)
    assert written() == 0
    assert response.status_code == 200 and "“证据.pdf”未被接收" in response.content.decode()
    assert not Objection.objects.exists()


@override_settings(WAGTAIL_AWARDS_MAX_REQUEST_SIZE=3 * MB)
def test_objection_over_the_total_cap_is_refused_before_it_is_read(in_publicity):
    _call, page, awards = in_publicity
    client, token = csrf_client()
    data = objection_data(client, awards[0].application, csrfmiddlewaretoken=token, file=big("证据.pdf", 4 * MB))
    response = client.post(reverse("wagtail_awards:objection", args=[page.pk]), data)
    assert response.status_code == 413 and written() == 0


def test_objection_url_keeps_the_pages_privacy(in_publicity):
    from wagtail.models import PageViewRestriction

    _call, page, awards = in_publicity
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    client, token = csrf_client()
    data = objection_data(client, awards[0].application, csrfmiddlewaretoken=token, file=big("证据.pdf", MB))
    response = client.post(reverse("wagtail_awards:objection", args=[page.pk]), data)
    assert response.status_code == 302 and response["Location"] == page.url
    assert written() == 0 and not Objection.objects.exists()
