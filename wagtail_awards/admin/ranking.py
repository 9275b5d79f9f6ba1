"""Ranking and prizes (排名与奖项): the call's projects ranked by their weighted totals, and the prizes given to them
(a view of the award list: prizes are awards, proposed until the publicity period ends)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..forms.review import PrizeForm
from ..services import review as rules
from .base import ActionView
from .round_screens import TEMPLATES, RoundExportMixin, RoundMixin


class RankingView(RoundMixin, RoundExportMixin, ActionView):
    """The ranking with a prize select per project (a suggestion by rank on request); saving changes the prizes
    chosen differently from before."""

    call_switcher = True
    action = "round.rank"
    page_title = _("Ranking and prizes")
    template_name = TEMPLATES + "ranking.html"
    export_filename = "ranking"
    refused_by = (rules.ReviewError,)
    refused_status = 409
    list_export = [
        "rank",
        "application.reference",
        "application.project_name",
        "application.unit_name",
        "total",
        "reviews",
        "spread",
        "tied",
        "prize",
    ]
    export_headings = {
        "rank": _("Rank"),
        "application.reference": _("reference number"),
        "application.project_name": _("project name"),
        "application.unit_name": _("applicant unit name"),
        "total": _("weighted total"),
        "reviews": _("Reviews"),
        "spread": _("Spread"),
        "tied": _("Tied"),
        "prize": _("prize"),
    }

    #: Projects on one page of the screen (the export has them all).
    per_page = 50

    def rows(self, keys=None, standing=None):
        """Rows of the ranking with their prizes' names: all of them, or the projects whose pks are in ``keys``."""
        rows = rules.ranking(call=self.call, keys=keys, standing=standing)
        names = {level.rank: level.name for level in self.call.prize_levels.all()}
        for row in rows:
            row.reviews = row.ranked.reviews
            row.spread = row.ranked.spread
            row.tied = row.ranked.tied
            row.prize = names.get(row.prize_rank, "")
        return rows

    def export_rows(self):
        return self.rows()

    def levels(self):
        return sorted(self.call.prize_levels.all(), key=lambda level: level.rank)

    @cached_property
    def standing(self):
        """The whole ranking in light rows (two narrow queries): the pages, the prizes used, the suggestion."""
        return rules.standings(call=self.call)

    @cached_property
    def page(self):
        """The page of the ranking asked for (``page`` in the query or the form)."""
        paginator = Paginator(self.standing.ranked, self.per_page)
        return paginator.get_page(self.request.POST.get("page") or self.request.GET.get("page"))

    @cached_property
    def page_rows(self):
        return self.rows(keys={project.key for project in self.page.object_list}, standing=self.standing)

    @cached_property
    def suggested(self):
        return self.request.method == "GET" and self.request.GET.get("suggest") == "1"

    def get_form(self, data=None, files=None):
        initial = None
        if self.suggested:
            suggestion = self.standing.suggestion(rules.prize_levels(self.call))
            initial = {f"prize_{row.application.pk}": suggestion.get(row.application.pk) for row in self.page_rows}
        return PrizeForm(data, rows=self.page_rows, levels=self.levels(), initial=initial)

    def perform(self, form):
        before = {row.application.pk: row.prize_rank for row in self.page_rows}
        prizes = {pk: prize for pk, prize in form.prizes().items() if prize != before[pk]}
        return rules.set_prizes(user=self.request.user, call=self.call, prizes=prizes)

    def success_message(self, changed):
        return gettext("%(n)d prizes changed.") % {"n": changed}

    def get_success_url(self):
        # Back to the page the prizes were saved on.
        return self.round_url("ranking", page=self.page.number if self.page.number > 1 else None)

    def get_context_data(self, form, **kwargs):
        for row in self.page_rows:
            row.field = form[f"prize_{row.application.pk}"]
        used = {}
        for prize in self.standing.prizes.values():
            if prize:
                used[prize] = used.get(prize, 0) + 1
        levels = [{"level": level, "used": used.get(level.rank, 0)} for level in self.levels()]
        return super().get_context_data(
            form=form, rows=self.page_rows, levels=levels, page=self.page, suggested=self.suggested, **kwargs
        )
