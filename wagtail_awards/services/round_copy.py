"""Copying a call into next year's round, and keeping any copy of a call or voting page pointed at its own call.

Reads and writes pages (the arithmetic is in :mod:`wagtail_awards.rules.rounds`). Applications, reviews, votes
and awards belong to the call they were made in and are never copied.
"""

from dataclasses import dataclass

from django.db import models, transaction
from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import Page

from ..blocks import VotingBlock
from ..models import CallPage
from ..rules import rounds
from ..rules.rounds import plain_text, stream_strings
from ..rules.workdays import local_tz

#: Page fields that are addresses or bookkeeping, not text an editor wrote.
NOT_TEXT = frozenset({"slug", "url_path", "draft_title", "path", "translation_key", "live_revision", "locked_by"})


@dataclass(frozen=True)
class Mention:
    """A place in the new round's text that still names the old year."""

    page: Page
    field: str
    excerpt: str


@dataclass
class NewRound:
    call: Page
    pages: list[Page]
    dates: list[rounds.DateChange]


def create_next_round(*, source, year: int, title: str, slug: str, same_weekday: bool, user) -> NewRound:
    """Copy ``source`` (a ``CallPage``) and its pages as the round of ``year``, as drafts.

    The copy gets ``title`` and ``slug``; every date moves by ``year - source.year`` years (with ``same_weekday``, on
    to the nearest day of the weekday it had); the titles of the pages under it name the new year; voting blocks
    count the new call's candidates. Themes, conditions, quotas, criteria, prizes, attachments and the application
    form with its fields come along. Side effects: creates the pages and a revision of each, logs
    ``wagtail_awards.next_round`` on the new call.
    """
    old_year = source.year
    dates = list(
        rounds.date_changes(
            {name: getattr(source, name) for name in rounds.DATE_FIELDS},
            years=year - old_year,
            same_weekday=same_weekday,
            tz=local_tz(),
        )
    )
    attrs = {"year": year, "title": title, "draft_title": title, "slug": slug}
    attrs.update({change.field: change.new for change in dates})
    with transaction.atomic():
        call = source.copy(
            recursive=True,
            to=source.get_parent(),
            update_attrs=attrs,
            keep_live=False,
            copy_revisions=False,
            user=user,
        ).specific
        pages = []
        for page in call.get_descendants().specific():
            page.title = rounds.replace_year(page.title, old_year, year)
            point_voting_blocks(page, old_call_id=source.pk, new_call_id=call.pk)
            page.save()
            page.save_revision(user=user, changed=False)
            pages.append(page)
        log(
            instance=call,
            action="wagtail_awards.next_round",
            user=user,
            data={"source": source.pk, "year": year, "same_weekday": same_weekday},
        )
    return NewRound(call=call, pages=pages, dates=dates)


def point_voting_blocks(page, *, old_call_id: int, new_call_id: int) -> bool:
    """Make the voting blocks of ``page`` that count ``old_call_id`` count ``new_call_id``; whether any changed.

    Only the page object changes; the caller saves it (and a revision).
    """
    changed = False
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        voting_names = {
            name for name, block in field.stream_block.child_blocks.items() if isinstance(block, VotingBlock)
        }
        if not voting_names:
            continue
        raw = [dict(item) for item in getattr(page, field.name).raw_data]
        for item in raw:
            value = item.get("value")
            if item.get("type") in voting_names and isinstance(value, dict) and value.get("call") == old_call_id:
                item["value"] = {**value, "call": new_call_id}
                changed = True
        if changed:
            setattr(page, field.name, raw)
    return changed


def point_copied_pages_at_their_call(*, original, copy, user=None) -> int:
    """After any copy of a page (Wagtail's own copy included), the voting blocks of the copy and the pages under it
    count their own call's candidates: those of the new call when a call was copied, of the new parent call when a
    voting page was copied under another call. Returns how many pages changed (each gets a revision)."""
    copy = copy.specific
    if isinstance(copy, CallPage):
        old_call_id, new_call_id, pages = original.pk, copy.pk, list(copy.get_descendants().specific())
    else:
        old_parent, new_parent = original.get_parent(), copy.get_parent()
        if old_parent is None or new_parent is None or old_parent.pk == new_parent.pk:
            return 0
        if not isinstance(new_parent.specific, CallPage):
            return 0
        old_call_id, new_call_id, pages = old_parent.pk, new_parent.pk, [copy]
    changed = 0
    for page in pages:
        if point_voting_blocks(page, old_call_id=old_call_id, new_call_id=new_call_id):
            page.save()
            page.save_revision(user=user, changed=False)
            changed += 1
    return changed


def _texts(obj):
    """(field label, plain text) of every text an editor wrote on ``obj`` (a page or an inline row)."""
    for field in obj._meta.concrete_fields:
        if field.name in NOT_TEXT or field.name == "title":
            continue
        if isinstance(field, StreamField):
            yield field.verbose_name, " ".join(stream_strings(getattr(obj, field.name).raw_data))
        elif isinstance(field, RichTextField):
            yield field.verbose_name, plain_text(getattr(obj, field.name) or "")
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            yield field.verbose_name, getattr(obj, field.name) or ""


def old_year_mentions(*, pages, year: int) -> list[Mention]:
    """Every place in the text of ``pages`` (and their inline rows: themes, conditions, form fields …) that names
    ``year``, as excerpts, in page order. Titles are left out: they were given the new year."""
    found = []
    for page in pages:
        page = page.get_latest_revision_as_object() if page.has_unpublished_changes else page.specific
        sources = [(None, page)]
        for relation in get_all_child_relations(page):
            if relation.related_model._meta.app_label == "wagtailcore":
                continue  # comments and the like are not the notice's text
            for row in getattr(page, relation.get_accessor_name()).all():
                sources.append((row._meta.verbose_name, row))
        for row_label, obj in sources:
            for label, text in _texts(obj):
                for excerpt in rounds.mentions(text, year):
                    name = f"{row_label} · {label}" if row_label else str(label)
                    found.append(Mention(page=page, field=name, excerpt=excerpt))
    return found
