"""The zh_Hans catalogue is complete, compiled and consistent with the sources."""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import wagtail_awards

APP_DIR = Path(wagtail_awards.__file__).resolve().parent
PO = APP_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")


def translated(entry):
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory):
    """Every msgid the sources use today, extracted afresh with makemessages from a copy of the app."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: `make test` installs it")
    work = tmp_path_factory.mktemp("messages") / "wagtail_awards"
    shutil.copytree(APP_DIR, work, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.mo", "*.po"))
    (work / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    return {(entry.msgctxt, entry.msgid) for entry in fresh if entry.msgid}


def test_every_string_of_the_app_has_a_chinese_translation(source_msgids):
    catalogue = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(msgid for key in source_msgids if (msgid := key[1]) and key not in catalogue)
    untranslated = sorted(
        key[1]
        for key in source_msgids
        if key in catalogue and (not translated(catalogue[key]) or "fuzzy" in catalogue[key].flags)
    )
    assert not missing, f"not in the catalogue (run `make messages`): {missing}"
    assert not untranslated, f"without a zh_Hans translation: {untranslated}"


def test_translations_keep_their_placeholders():
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgstr and sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append(entry.msgid)
    assert not wrong


def test_compiled_catalogue_matches_the_po_file():
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO))}
    stale = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or "fuzzy" in entry.flags or not translated(entry) or not entry.msgid:
            continue
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        got = compiled.get((entry.msgctxt, entry.msgid))
        if isinstance(got, dict):
            got = {int(k): v for k, v in got.items()}
        if got != expected:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is stale (run `make messages`): {stale[:10]}"


LIBRARY_PACKAGES = (
    "wagtail.admin",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail",
    "wagtail.documents",
    "wagtail.snippets",
    "wagtail.users",
    "wagtail.images",
)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_library_strings_missing_in_their_chinese_catalogues_are_translated_here(domain):
    """Every string Wagtail and wagtail-modeladmin leave untranslated in zh_Hans has a translation in
    ``wagtail_awards/library_locale`` (so an upgrade that adds strings is noticed), with its placeholders."""
    import importlib

    ours = polib.pofile(str(wagtail_awards.LIBRARY_LOCALE_PATH / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"))
    translated_here = {(e.msgctxt, e.msgid) for e in ours if translated(e)}
    missing = []
    for name in LIBRARY_PACKAGES:
        locale = Path(importlib.import_module(name).__file__).parent / "locale"
        source = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not source.exists():
            continue
        chinese = locale / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
        theirs = (
            {(e.msgctxt, e.msgid) for e in polib.pofile(str(chinese)) if translated(e)} if chinese.exists() else set()
        )
        missing += [e.msgid for e in polib.pofile(str(source)) if (e.msgctxt, e.msgid) not in theirs | translated_here]
    assert not missing, f"add to library_locale/zh_Hans/LC_MESSAGES/{domain}.po: {missing[:20]}"
    for entry in ours:
        text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        source = entry.msgid_plural or entry.msgid
        assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source)) | set(
            PLACEHOLDER.findall(entry.msgid)
        )
    compiled = polib.mofile(str(wagtail_awards.LIBRARY_LOCALE_PATH / "zh_Hans" / "LC_MESSAGES" / f"{domain}.mo"))
    assert len(compiled) == len([e for e in ours if translated(e)])


def test_library_translations_reach_the_admin():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("By %(filter_title)s") == "按%(filter_title)s"
        assert translation.gettext("Search all pages…") == "搜索全部页面…"
        assert translation.gettext("Inspect") == "查看"  # the glossary's word, not the library's 检查
