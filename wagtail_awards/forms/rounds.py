"""The short form of "create next year's round from this call", and the confirmation before publishing it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..rules import rounds
from ..rules.rounds import stream_strings

SAME_WEEKDAY, SAME_DATE = "weekday", "date"


class NextRoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the new round"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Empty: the title of this call with the new year."),
    )
    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=255,
        required=False,
        allow_unicode=False,
        help_text=_("Empty: the year, e.g. 2027."),
    )
    dates = forms.ChoiceField(
        label=_("Dates"),
        choices=[
            (SAME_WEEKDAY, _("Same weekday: each date on the nearest day of the weekday it had this year")),
            (SAME_DATE, _("Same date: each date on the same day of the month")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs["initial"] = {
            "year": source.year + 1,
            "dates": SAME_WEEKDAY if rounds.names_weekdays(notice_texts(source)) else SAME_DATE,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        data["title"] = data.get("title") or rounds.replace_year(self.source.title, self.source.year, year)
        data["slug"] = data.get("slug") or str(year)
        if not Page._slug_is_available(data["slug"], self.source.get_parent(), None):
            self.add_error(
                "slug",
                _("Another page already has the address “%(slug)s” here; give another one.") % {"slug": data["slug"]},
            )
        data["same_weekday"] = data.get("dates") == SAME_WEEKDAY
        return data


def notice_texts(call):
    """The texts of a call in which a date's weekday might be named: the introduction and the body."""
    yield call.intro or ""
    yield from stream_strings(call.body.raw_data)


class PublishRoundForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked the dates and the texts listed above."),
        error_messages={"required": _("Tick this once you have checked the dates and texts.")},
    )
