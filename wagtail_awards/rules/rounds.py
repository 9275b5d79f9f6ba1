"""Next year's round from this year's call (pure: no database).

A round is copied with its dates moved by a whole number of years. When the notice names weekdays (“10月19日（周二）”)
each date may be moved on to the nearest day of the same weekday, so “a Tuesday deadline” stays a Tuesday. Titles
get the new year in place of the old one; every other text that still names the old year is listed for the editor,
never changed blindly (“2021年以来” may be right next year too).
"""

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from zoneinfo import ZoneInfo

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

#: The dates of a call, in the order of its stages.
DATE_FIELDS = (
    "application_opens",
    "application_deadline",
    "recommendation_deadline",
    "review_deadline",
    "voting_opens",
    "voting_closes",
    "publicity_starts",
)

#: The dates that end something: the last minute still inside (see ``schedule.end_of_minute``).
DEADLINE_FIELDS = ("application_deadline", "recommendation_deadline", "review_deadline", "voting_closes")

WEEKDAY_IN_TEXT = re.compile(r"[（(]\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]")
EXCERPT_CHARS = 24


def same_day_in_year(day: dt.date, year: int) -> dt.date:
    """``day`` in ``year``; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def nearest_same_weekday(day: dt.date, weekday: int) -> dt.date:
    """The day of ``weekday`` (Monday 0) nearest to ``day``: at most three days before or after it."""
    delta = (weekday - day.weekday()) % 7
    if delta > 3:
        delta -= 7
    return day + dt.timedelta(days=delta)


def move_date(value: dt.datetime, *, years: int, same_weekday: bool, tz: ZoneInfo) -> dt.datetime:
    """``value`` moved by ``years`` in local time (``tz``), keeping its time of day; with ``same_weekday``, on the
    nearest day of the weekday it had."""
    local = value.astimezone(tz)
    day = same_day_in_year(local.date(), local.year + years)
    if same_weekday:
        day = nearest_same_weekday(day, local.weekday())
    return dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=tz)


def names_weekdays(texts: Iterable[str]) -> bool:
    """Whether a text of the notice names a weekday beside a date, as “截止时间是2021年10月19日（周二）” does."""
    return any(WEEKDAY_IN_TEXT.search(text or "") for text in texts)


def year_pattern(year: int) -> re.Pattern:
    """``year`` as a number on its own (not the “2021” inside “20210” or “120219”)."""
    return re.compile(rf"(?<!\d){year}(?!\d)")


def replace_year(text: str, old: int, new: int) -> str:
    """``text`` with every ``old`` year written as ``new``."""
    return year_pattern(old).sub(str(new), text or "")


def mentions(text: str, year: int) -> list[str]:
    """An excerpt around each place ``text`` (plain text) names ``year``; overlapping places give one excerpt."""
    text = re.sub(r"\s+", " ", text or "").strip()
    found = []
    last_end = -1
    for match in year_pattern(year).finditer(text):
        if match.start() < last_end:
            continue
        start, end = max(0, match.start() - EXCERPT_CHARS), min(len(text), match.end() + EXCERPT_CHARS)
        found.append(("…" if start else "") + text[start:end] + ("…" if end < len(text) else ""))
        last_end = end
    return found


@dataclass(frozen=True)
class DateChange:
    """One date of the call, before and after the move."""

    field: str
    old: dt.datetime
    new: dt.datetime
    tz: ZoneInfo

    @property
    def old_local(self) -> dt.datetime:
        return self.old.astimezone(self.tz)

    @property
    def new_local(self) -> dt.datetime:
        return self.new.astimezone(self.tz)

    @property
    def weekday_changed(self) -> bool:
        return self.old_local.weekday() != self.new_local.weekday()


def date_changes(
    old: dict[str, dt.datetime | None], *, years: int, same_weekday: bool, tz: ZoneInfo
) -> Iterator[DateChange]:
    """The moved value of every date of ``old`` (field name → value) that is set, in ``DATE_FIELDS`` order."""
    for name in DATE_FIELDS:
        value = old.get(name)
        if value is not None:
            yield DateChange(
                field=name, old=value, new=move_date(value, years=years, same_weekday=same_weekday, tz=tz), tz=tz
            )


def menu_labels(calls: Iterable[tuple[object, int, str]]) -> dict[object, str]:
    """Short, distinct names for a menu of calls, from ``(key, year, stage label)``: “2026年度评选”; calls of the
    same year add their current stage (“2025年度评选 · 专家评审”), and a number when that is the same too."""
    calls = list(calls)
    per_year = Counter(year for _key, year, _stage in calls)
    labels = {}
    for key, year, stage in calls:
        if per_year[year] == 1:
            labels[key] = _("%(year)s round") % {"year": year}
        else:
            labels[key] = _("%(year)s round · %(stage)s") % {"year": year, "stage": stage}
    seen = Counter()
    repeated = Counter(labels.values())
    for key, _year, _stage in calls:
        label = labels[key]
        if repeated[label] > 1:
            seen[label] += 1
            labels[key] = f"{label} ({seen[label]})"
    return labels


def plain_text(html: str) -> str:
    """The text of an editor's rich text, as a reader sees it (tags gone, entities read)."""
    return unescape(strip_tags(html))


def stream_strings(data):
    """Every string in a StreamField's raw data (rich text as plain text), in order."""
    if isinstance(data, str):
        yield plain_text(data)
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if key not in ("id", "type"):
                yield from stream_strings(value)
    elif isinstance(data, Sequence):
        for item in data:
            yield from stream_strings(item)
