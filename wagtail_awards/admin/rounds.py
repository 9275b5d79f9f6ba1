"""Next year's round from a call (以此为模板创建下一年度评选): a short form, then a report to check and publish.

The form copies the call and its pages as drafts (``services.round_copy.create_next_round``); the report lists every
date before and after, flags the ones to look at (weekday changed, a day off, an estimated calendar year), lists each
place whose text still names the old year with a link to edit it, and publishes the round once the editor has ticked
that they checked it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms.rounds import NextRoundForm, PublishRoundForm
from ..models import CallPage
from ..rules import rounds
from ..services import round_copy
from ..services.calendar import calendar_exceptions, estimated_years, is_working_day, local_tz
from .base import ActionView, admin_url

TEMPLATES = "wagtail_awards/admin/rounds/"


def may_start_next_round(user, call) -> bool:
    """Whether ``user`` may copy ``call`` (and the pages under it) beside it as a new round."""
    return call.permissions_for_user(user).can_copy_to(call.get_parent(), recursive=True)


def report_url(call, source):
    return admin_url("round_report", call.pk, source.pk)


class RoundAction(ActionView):
    """An action on a call page: who may is Wagtail's page permissions' answer, asked of the page itself."""

    # A form with errors shows the page again as it is (200), as Wagtail's page forms do.
    invalid_status = 200

    def permitted(self, user):
        return True  # the page's own permissions decide (get_object)


class NextRoundView(RoundAction):
    page_title = gettext_lazy("Create next year's round from this call")
    header_icon = "copy"
    template_name = TEMPLATES + "next_round.html"
    form_class = NextRoundForm

    def get_object(self):
        source = get_object_or_404(CallPage, pk=self.kwargs["pk"])
        if not may_start_next_round(self.request.user, source):
            raise PermissionDenied
        return source

    def get_page_subtitle(self):
        return self.object.title

    def get_form_kwargs(self):
        return {"source": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.object, children=self.object.get_children().specific(), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return round_copy.create_next_round(
            source=self.object,
            year=data["year"],
            title=data["title"],
            slug=data["slug"],
            same_weekday=data["same_weekday"],
            user=self.request.user,
        )

    def success_message(self, new):
        return _("The %(year)s round has been created as drafts. Check it below, then publish it.") % {
            "year": new.call.year
        }

    def done(self, form, new):
        self.new_call = new.call
        return super().done(form, new)

    def get_success_url(self):
        return report_url(self.new_call, self.object)


class DateRow:
    """One date of the new round beside the one it was moved from, with what deserves a look."""

    def __init__(self, change: rounds.DateChange, label, *, exceptions, estimated):
        self.change, self.label = change, label
        day = change.new_local.date()
        self.day_off = not is_working_day(day, exceptions=exceptions)
        self.estimated = day.year in estimated

    @property
    def flagged(self):
        return self.change.weekday_changed or self.day_off or self.estimated


class RoundReportView(RoundAction):
    page_title = gettext_lazy("Check and publish the new round")
    header_icon = "calendar-check"
    template_name = TEMPLATES + "report.html"
    form_class = PublishRoundForm

    def get_object(self):
        call = get_object_or_404(CallPage, pk=self.kwargs["pk"])
        if not call.permissions_for_user(self.request.user).can_edit():
            raise PermissionDenied
        return call

    @property
    def call(self):
        return self.object

    @cached_property
    def source(self):
        return get_object_or_404(CallPage, pk=self.kwargs["source_pk"])

    @cached_property
    def current(self):
        """The new call as the editor left it (its latest draft)."""
        return self.call.get_latest_revision_as_object() if self.call.has_unpublished_changes else self.call

    def get_page_subtitle(self):
        return self.current.title

    @cached_property
    def pages(self):
        return [self.call, *self.call.get_descendants().specific()]

    def may_publish(self):
        return all(page.permissions_for_user(self.request.user).can_publish() for page in self.pages)

    def dates(self):
        exceptions = calendar_exceptions()
        tz = local_tz()
        values = [getattr(self.current, name) for name in rounds.DATE_FIELDS]
        days = [value.astimezone(tz).date() for value in values if value]
        estimated = set(estimated_years(min(days), max(days), exceptions=exceptions)) if days else set()
        rows = []
        for name in rounds.DATE_FIELDS:
            old, new = getattr(self.source, name), getattr(self.current, name)
            if new is None:
                continue
            change = rounds.DateChange(field=name, old=old or new, new=new, tz=tz)
            label = CallPage._meta.get_field(name).verbose_name
            rows.append(DateRow(change, label, exceptions=exceptions, estimated=estimated))
        return rows

    def get_context_data(self, **kwargs):
        dates = self.dates()
        return super().get_context_data(
            call=self.call,
            current=self.current,
            source=self.source,
            pages=self.pages,
            dates=dates,
            flagged=sum(1 for row in dates if row.flagged),
            mentions=round_copy.old_year_mentions(pages=self.pages, year=self.source.year),
            old_year=self.source.year,
            estimated_years=self.current.calendar_estimated_years(),
            may_publish=self.may_publish(),
            live=all(page.live and not page.has_unpublished_changes for page in self.pages),
            **kwargs,
        )

    def perform(self, form):
        if not self.may_publish():
            raise PermissionDenied
        for page in self.pages:
            if page.live and not page.has_unpublished_changes:
                continue
            revision = page.latest_revision or page.save_revision(user=self.request.user)
            revision.publish(user=self.request.user)

    def success_message(self, result):
        return _("“%(title)s” has been published.") % {"title": self.current.title}

    def get_success_url(self):
        return report_url(self.call, self.source)


#: The views of next year's round (actions on a call page, of no model admin): ``(route, view, name)``.
ADMIN_VIEWS = (
    ("awards/rounds/<awards_id:pk>/next/", NextRoundView, "next_round"),
    ("awards/rounds/<awards_id:pk>/from/<awards_id:source_pk>/", RoundReportView, "round_report"),
)
