"""Application and upload rules without the database."""

import datetime as dt
import io
import zipfile
import zlib
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wagtail_awards.rules import applications as rules
from wagtail_awards.rules import files

SH = ZoneInfo("Asia/Shanghai")
DEADLINE = dt.datetime(2021, 10, 19, 23, 59, 59, tzinfo=SH)
OPENS = dt.datetime(2021, 9, 22, 9, tzinfo=SH)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document>项目</w:document>"})
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
MB = 1024 * 1024


class TestWindow:
    def test_last_second_is_accepted(self):
        rules.check_window(now=DEADLINE, opens=OPENS, deadline=DEADLINE)

    @pytest.mark.parametrize("late", [dt.timedelta(microseconds=1), dt.timedelta(seconds=1), dt.timedelta(days=1)])
    def test_any_instant_after_the_deadline_is_late(self, late):
        with pytest.raises(rules.ApplicationRefused) as exc:
            rules.check_window(now=DEADLINE + late, opens=OPENS, deadline=DEADLINE)
        assert exc.value.code == "closed"

    def test_deadline_is_compared_as_an_instant_whatever_the_zone(self):
        # 16:00 UTC is 00:00 the next day in Shanghai: one second after 23:59:59.
        rules.check_window(now=dt.datetime(2021, 10, 19, 15, 59, 59, tzinfo=dt.UTC), opens=OPENS, deadline=DEADLINE)
        with pytest.raises(rules.ApplicationRefused):
            rules.check_window(now=dt.datetime(2021, 10, 19, 16, 0, 0, tzinfo=dt.UTC), opens=OPENS, deadline=DEADLINE)

    def test_before_opening(self):
        with pytest.raises(rules.ApplicationRefused) as exc:
            rules.check_window(now=OPENS - dt.timedelta(seconds=1), opens=OPENS, deadline=DEADLINE)
        assert exc.value.code == "not_open"

    def test_withdraw_window(self):
        assert rules.can_withdraw(status="submitted", now=DEADLINE, deadline=DEADLINE)
        assert not rules.can_withdraw(status="submitted", now=DEADLINE + dt.timedelta(seconds=1), deadline=DEADLINE)
        assert not rules.can_withdraw(status="draft", now=OPENS, deadline=DEADLINE)


class TestCompleteness:
    REQUIRED = {"project_name": "项目名称", "materials": "申报材料", "declaration": "承诺", "summary": "简介"}

    def test_complete(self):
        values = {"project_name": "x", "declaration": True, "summary": "y"}
        assert rules.missing_items(required=self.REQUIRED, values=values, file_counts={"materials": 1}) == []

    def test_blank_text_false_checkbox_and_no_file_are_missing(self):
        values = {"project_name": "   ", "declaration": False, "summary": ""}
        missing = rules.missing_items(required=self.REQUIRED, values=values, file_counts={"materials": 0})
        assert missing == ["project_name", "materials", "declaration", "summary"]

    def test_empty_choice_list_is_missing(self):
        assert rules.missing_items(required={"tags": "t"}, values={"tags": []}, file_counts={}) == ["tags"]


class TestReference:
    def test_first(self):
        assert rules.next_reference(year=2021, existing=[]) == "2021-0001"

    def test_after_the_highest_of_the_year(self):
        existing = ["2021-0002", "2021-0010", "2020-0099", None, "junk"]
        assert rules.next_reference(year=2021, existing=existing) == "2021-0011"


class TestNames:
    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("../../etc/passwd.pdf", "passwd.pdf"),
            ("C:\\Users\\me\\申报书.pdf", "申报书.pdf"),
            ("re\x00port.pdf", "report.pdf"),
            ("  .hidden.pdf ", "hidden.pdf"),
            ("ｒｅｐｏｒｔ．ｐｄｆ", "report.pdf"),
            ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ],
    )
    def test_clean_name(self, raw, clean):
        assert files.clean_name(raw) == clean

    def test_very_long_name_keeps_its_extension(self):
        name = files.clean_name("长" * 500 + ".pdf")
        assert len(name) == files.MAX_NAME_LENGTH and name.endswith(".pdf")

    @pytest.mark.parametrize("raw", ["", "..", "/", "\x00\x00"])
    def test_nothing_left(self, raw):
        with pytest.raises(ValidationError):
            files.clean_name(raw)

    def test_double_extension_ending_in_exe_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            files.check_name(name="申报书.pdf.exe", allowed=["pdf"])
        assert exc.value.code == "extension"

    def test_dangerous_inner_extension_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            files.check_name(name="photo.php.jpg", allowed=["jpg"])
        assert exc.value.code == "double_extension"

    def test_harmless_dots_are_fine(self):
        assert files.check_name(name="2021.10.申报书.PDF", allowed="pdf, docx") == ("2021.10.申报书.PDF", "pdf")

    def test_parse_extensions(self):
        assert files.parse_extensions("PDF, .docx；jpg pdf") == ["pdf", "docx", "jpg"]
        assert files.unknown_extensions(["pdf", "exe", "html"]) == ["exe", "html"]


def check(name, content, allowed=("pdf", "docx", "jpg", "png"), max_size=MB):
    return files.check_file(name=name, stream=io.BytesIO(content), allowed=allowed, max_size=max_size)


class TestContent:
    @pytest.mark.parametrize(
        ("name", "content", "content_type"),
        [
            ("a.pdf", PDF, "application/pdf"),
            ("a.png", PNG, "image/png"),
            ("a.JPG", JPG, "image/jpeg"),
            ("a.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ],
    )
    def test_genuine_files_pass(self, name, content, content_type):
        checked = check(name, content)
        assert checked.content_type == content_type and checked.size == len(content)
        assert len(checked.sha256) == 64

    def test_png_renamed_pdf(self):
        with pytest.raises(ValidationError) as exc:
            check("申报书.pdf", PNG)
        assert exc.value.code == "content"
        assert "申报书.pdf" in exc.value.messages[0] and "PDF" in exc.value.messages[0]

    def test_html_named_jpg(self):
        with pytest.raises(ValidationError) as exc:
            check("photo.jpg", HTML)
        assert exc.value.code == "html"

    def test_png_html_polyglot(self):
        polyglot = PNG + b"tEXtComment\x00" + HTML + bytes(100)
        with pytest.raises(ValidationError) as exc:
            check("photo.png", polyglot)
        assert exc.value.code == "html"

    def test_html_marker_split_across_chunks_is_found(self):
        content = PNG + bytes(files.CHUNK_SIZE - len(PNG) - 3) + b"<script>" + bytes(100)
        with pytest.raises(ValidationError):
            check("photo.png", content)

    def test_too_large(self):
        with pytest.raises(ValidationError) as exc:
            check("big.pdf", PDF + bytes(MB), max_size=MB)
        assert exc.value.code == "size"

    def test_empty(self):
        with pytest.raises(ValidationError) as exc:
            check("empty.pdf", b"")
        assert exc.value.code == "empty"

    def test_stops_reading_once_over_the_limit(self):
        class Endless(io.RawIOBase):
            read_bytes = 0

            def readable(self):
                return True

            def seek(self, *args):
                return 0

            def read(self, size=-1):
                self.read_bytes += size
                return b"%PDF-" + bytes(size - 5)

        stream = Endless()
        with pytest.raises(ValidationError):
            files.check_file(name="x.pdf", stream=stream, allowed=["pdf"], max_size=MB)
        assert stream.read_bytes <= MB + files.CHUNK_SIZE

    def test_format_size(self):
        assert files.format_size(20 * MB) == "20 MB"
        assert files.format_size(1536) == "1.5 KB"


class TestStorageBounds:
    def test_file_counts_are_within_each_fields_limit(self):
        rules.check_file_counts(existing={"materials": 3}, adding={"materials": 2}, limits={"materials": 5})
        with pytest.raises(rules.ApplicationRefused) as exc:
            rules.check_file_counts(existing={"materials": 4}, adding={"materials": 2}, limits={"materials": 5})
        assert exc.value.code == "too_many_files" and exc.value.fields == ["materials"]
        assert "5" in exc.value.message

    def test_a_field_without_a_limit_is_not_counted_here(self):
        rules.check_file_counts(existing={}, adding={"materials": 9}, limits={})

    def test_storage_quota_counts_what_the_unit_keeps(self):
        rules.check_storage_quota(used=9 * MB, adding=MB, quota=10 * MB)
        with pytest.raises(rules.ApplicationRefused) as exc:
            rules.check_storage_quota(used=9 * MB, adding=MB + 1, quota=10 * MB)
        assert exc.value.code == "quota" and "10 MB" in exc.value.message
        rules.check_storage_quota(used=99 * MB, adding=MB, quota=0)  # 0: no quota
        rules.check_storage_quota(used=99 * MB, adding=0, quota=10 * MB)  # removing files is always possible

    def test_open_drafts_are_capped(self):
        rules.check_open_drafts(open_drafts=4, limit=5)
        with pytest.raises(rules.ApplicationRefused) as exc:
            rules.check_open_drafts(open_drafts=5, limit=5)
        assert exc.value.code == "drafts" and "5" in exc.value.message
        rules.check_open_drafts(open_drafts=500, limit=0)


def pdf_with(*objects, trailer=b"<< /Root 1 0 R >>"):
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n" + trailer + b"\n%%EOF\n"


def stream_object(dictionary, data):
    return dictionary[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


class TestPdfActiveContent:
    @pytest.mark.parametrize(
        ("catalog", "name"),
        [
            (b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", "JavaScript"),
            (b"<< /Type /Catalog /OpenAction 5 0 R >>", "OpenAction"),
            (b"<< /Type /Catalog /Open#41ction<</S/URI/URI(http://evil.test/)>> >>", "OpenAction"),
            (b"<< /Type /Catalog /Names << /J#61v#61Script 3 0 R >> >>", "JavaScript"),
            (b"<< /Type /Annot /A << /S /Launch /F (cmd.exe) >> >>", "Launch"),
            (b"<< /Type /Catalog /Names << /EmbeddedFiles 4 0 R >> >>", "EmbeddedFile"),
            (b"<< /Type /Page /AA << /O 6 0 R >> >>", "AA"),
            (b"<< /Type /Action /S /GoTo /JS 7 0 R >>", "JS"),
            (b"<< /AcroForm << /XFA 8 0 R >> >>", "XFA"),
        ],
    )
    def test_active_names_are_found_however_written(self, catalog, name):
        assert name in files.pdf_active_content(pdf_with(catalog))

    def test_in_a_streams_dictionary(self):
        pdf = pdf_with(CATALOG, stream_object(b"<< /Type /EmbeddedFile /Subtype /text >>", b"hello"))
        assert files.pdf_active_content(pdf) == {"EmbeddedFile"}

    def test_inside_a_compressed_object_stream(self):
        packed = b"5 0 << /Type /Catalog /AA << /O << /S /URI /URI (http://evil.test) >> >> >>"
        stream = stream_object(b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>", zlib.compress(packed))
        assert files.pdf_active_content(pdf_with(CATALOG, stream)) == {"AA"}
        hex_stream = stream_object(
            b"<< /Type /ObjStm /N 1 /First 4 /Filter [/AHx /Fl] >>", zlib.compress(packed).hex().encode() + b">"
        )
        assert files.pdf_active_content(pdf_with(CATALOG, hex_stream)) == {"AA"}

    def test_an_object_stream_that_cannot_be_read_is_not_trusted(self):
        stream = stream_object(b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>", b"\x01\x02 not zlib")
        with pytest.raises(files.PdfUncheckable):
            files.pdf_active_content(pdf_with(CATALOG, stream))
        lzw = stream_object(b"<< /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode >>", b"\x80\x0b")
        with pytest.raises(files.PdfUncheckable):
            files.pdf_active_content(pdf_with(CATALOG, lzw))

    def test_ordinary_pdfs_pass(self):
        # A destination to open at, subset fonts named /AAAAAA+…, and stream data that happens to hold "/JS ".
        catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /XYZ null null 0] >>"
        font = b"<< /Type /Font /BaseFont /AAAAAA+SimSun /FontName /AAAAAB+SimHei >>"
        image = stream_object(b"<< /Type /XObject /Subtype /Image /Filter /DCTDecode >>", b"\xff\xd8/JS /AA\n/XFA]")
        assert files.pdf_active_content(pdf_with(catalog, font, image)) == set()

    def test_check_file_refuses_with_a_message(self):
        pdf = pdf_with(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")
        with pytest.raises(ValidationError) as exc:
            files.check_file(name="报告.pdf", stream=io.BytesIO(pdf), allowed=["pdf"], max_size=MB)
        assert exc.value.code == "pdf_active" and "JavaScript" in exc.value.messages[0]


class TestZipExpansion:
    def test_a_bomb_is_refused_from_its_directory(self):
        bomb = zip_bytes({"word/document.xml": b"\x00" * (64 * MB)})
        assert len(bomb) < MB
        facts = files.zip_facts(io.BytesIO(bomb))
        assert facts.expanded == 64 * MB and facts.entries == 1
        assert files.zip_too_large(facts, max_size=200 * MB, max_ratio=100)  # ratio about 1000
        with pytest.raises(ValidationError) as exc:
            files.check_file(name="申报书.docx", stream=io.BytesIO(bomb), allowed=["docx"], max_size=MB)
        assert exc.value.code == "zip_bomb"

    def test_total_size_limit(self):
        facts = files.ZipFacts(entries=3, expanded=300 * MB, size=100 * MB)
        assert files.zip_too_large(facts, max_size=200 * MB, max_ratio=100)
        assert not files.zip_too_large(files.ZipFacts(entries=3, expanded=150 * MB, size=100 * MB))

    def test_a_small_very_regular_file_passes(self):
        # A tiny sheet of repeated cells may expand 500 times; under 10 MB the ratio does not count.
        sheet = zip_bytes({"xl/worksheets/sheet1.xml": b"<c>1</c>" * 100_000})
        facts = files.zip_facts(io.BytesIO(sheet))
        assert facts.expanded / facts.size > 100 and not files.zip_too_large(facts)

    def test_too_many_members_are_refused_before_the_directory_is_read(self):
        many = zip_bytes({f"f{i}": b"" for i in range(files.ZIP_MAX_ENTRIES + 1)}, zipfile.ZIP_STORED)
        with pytest.raises(ValidationError) as exc:
            files.check_file(name="a.zip", stream=io.BytesIO(many), allowed=["zip"], max_size=10 * MB)
        assert exc.value.code == "zip_bomb"

    def test_not_a_zip_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            files.check_file(name="a.docx", stream=io.BytesIO(b"PK\x03\x04" + bytes(40)), allowed=["docx"], max_size=MB)
        assert exc.value.code == "content"


class TestHtmlEncodings:
    @pytest.mark.parametrize(
        "html",
        [
            "<script>alert(1)</script>".encode("utf-16-le"),
            "<script>alert(1)</script>".encode("utf-16-be"),
            "<script>alert(1)</script>".encode("utf-16"),  # with a byte order mark
            "<script>alert(1)</script>".encode("utf-32-le"),
            "<script>alert(1)</script>".encode("utf-32-be"),
            "<IMG SRC=x ONERROR=alert(1)>".encode("utf-16-le"),
            b'<img src="x" onerror="alert(1)">',
            b"<img src=x\nonerror=alert(1)>",
            b"<svg/onload=alert(1)>",
            b'<a href="#"onmouseover=alert(1)>x</a>',
            b"<details open ontoggle=alert(1)>",
        ],
    )
    def test_html_in_any_encoding_is_refused(self, html):
        content = PNG + b"tEXt" + html + bytes(8)
        with pytest.raises(ValidationError) as exc:
            files.check_file(name="a.png", stream=io.BytesIO(content), allowed=["png"], max_size=MB)
        assert exc.value.code == "html"

    def test_a_tag_split_between_chunks_is_seen(self):
        html = "<img src=x onerror=alert(1)>".encode("utf-16-le")
        content = PNG + bytes(files.CHUNK_SIZE - len(PNG) - 20) + html + bytes(100)
        with pytest.raises(ValidationError):
            files.check_file(name="a.png", stream=io.BytesIO(content), allowed=["png"], max_size=MB)

    def test_text_that_only_looks_alike_passes(self):
        for text in (b"<p>online=yes</p>", b"x < y and ontime = 3", "项目<简介> onsite=1".encode()):
            assert not files.html_in(text.lower())
