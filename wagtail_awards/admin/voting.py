"""The vote audit in the Wagtail admin: results as a bar chart, votes per hour, bursts, and invalidation; and the
votes themselves as a model screen.

Who may view, invalidate and record is the access policy's answer (``votes.audit``, ``votes.invalidate``,
``votes.record``: province administrators).
"""

import re

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import access, page_cache
from ..conf import awards_settings
from ..exports import FormulaSafeIndexView
from ..forms.voting import InvalidateVotesForm
from ..models import Application, CallPage, Vote
from ..rules.voting import MostPopularError, voting_state
from ..services import voting
from .base import ActionView, AdminView, AwardsModelAdmin, admin_url
from .display import WordsInspectView
from .filters import CallFilter
from .policy import PolicyPermissionHelper

#: Candidates in the results chart on one page; candidates named per hour (the others are summed).
RESULTS_PER_PAGE = 50
CANDIDATES_PER_HOUR = 10
#: Page numbers past this are read as the last one asked for (they would only be empty).
MAX_PAGE = 100_000


def _page_number(request, name):
    """A page number from the query string: 1 for anything that is not a positive whole number."""
    raw = request.GET.get(name, "")
    return min(int(raw), MAX_PAGE) if re.fullmatch(r"[0-9]{1,7}", raw) and int(raw) > 0 else 1


class VoteAuditIndexView(AdminView):
    """The calls with a voting window, each a link to its audit."""

    action = "votes.audit"
    page_title = _("Vote audit")
    header_icon = "tick-inverse"
    template_name = "wagtail_awards/admin/voting/index.html"

    def get_context_data(self, **kwargs):
        calls = CallPage.objects.exclude(voting_opens=None).order_by("-year")
        return super().get_context_data(calls=calls, **kwargs)


class CallVotesMixin:
    def get_object(self):
        return get_object_or_404(CallPage, pk=self.kwargs["pk"])

    def get_success_url(self):
        return admin_url("vote_audit", self.object.pk)


class VoteAuditView(CallVotesMixin, ActionView):
    """One call's audit; its form invalidates a set of votes (by IP hash or voter, optionally one hour) with a
    reason. A GET fills the form from the query string (the "select" links of the bursts)."""

    action = "votes.audit"
    page_title = _("Vote audit")
    header_icon = "tick-inverse"
    template_name = "wagtail_awards/admin/voting/audit.html"
    form_class = InvalidateVotesForm
    # The page, with the form's errors, as before.
    invalid_status = 200

    def permitted(self, user):
        action = "votes.invalidate" if self.request.method == "POST" else self.action
        return access.can(user, action)

    def get_page_subtitle(self):
        return self.object.title

    def get_form(self, data=None, files=None):
        if data is None and self.request.GET.get("reason") is None:
            return InvalidateVotesForm(initial=self.request.GET.dict())
        return InvalidateVotesForm(data)

    def perform(self, form):
        data = form.cleaned_data
        chosen = voting.select_votes(
            call=self.object, ip_hash=data["ip_hash"], voter_key=data["voter_key"], hour=data["hour"]
        )
        changed = voting.invalidate_votes(call=self.object, votes=chosen, reason=data["reason"], user=self.request.user)
        page_cache.purge()  # the public pages show the new tallies at once
        return changed

    def success_message(self, changed):
        return ngettext("%(count)d vote invalidated.", "%(count)d votes invalidated.", changed) % {"count": changed}

    def get_context_data(self, **kwargs):
        call, request = self.object, self.request
        now = timezone.now()
        voting.roll_up_votes(call_id=call.pk, now=now, threshold=awards_settings.VOTE_BURST)
        standing = voting.standing(call=call)
        results = Paginator(voting.ranked_candidates(call=call), RESULTS_PER_PAGE).get_page(request.GET.get("results"))
        rows = [
            {
                "candidate": candidate,
                "votes": candidate.vote_count,
                "percent": round(100 * candidate.vote_count / standing.top, 1) if standing.top else 0,
            }
            for candidate in results
        ]
        hours = voting.audit_hours(call=call, page=_page_number(request, "hours"))
        shown = {pk for _hour, _total, items in hours.rows for pk, _n in items[:CANDIDATES_PER_HOUR]}
        names = dict(Application.objects.filter(pk__in=shown | set(standing.leaders)).values_list("pk", "project_name"))
        return super().get_context_data(
            call=call,
            rows=rows,
            results=results,
            chart_height=28 * max(1, len(rows)),
            winners=[names[pk] for pk in standing.leaders if pk in names],
            tie=len(standing.leaders) > 1,
            total=standing.total,
            invalid=standing.invalid,
            hours=[
                {
                    "hour": hour,
                    "total": total,
                    "items": [(names.get(pk, pk), n) for pk, n in items[:CANDIDATES_PER_HOUR]],
                    "others": sum(n for _pk, n in items[CANDIDATES_PER_HOUR:]),
                }
                for hour, total, items in hours.rows
            ],
            hours_page=hours,
            bursts=voting.audit_bursts(
                call=call, threshold=awards_settings.VOTE_BURST, page=_page_number(request, "bursts")
            ),
            threshold=awards_settings.VOTE_BURST,
            can_change=access.can(request.user, "votes.invalidate"),
            can_record=access.can(request.user, "votes.record"),
            state=voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes),
            **kwargs,
        )


class RecordMostPopularView(CallVotesMixin, ActionView):
    """Record the call's most popular project on its award, once voting has closed (POST, from the audit)."""

    action = "votes.record"
    refused_by = (MostPopularError,)

    def perform(self, form):
        return voting.record_most_popular(call=self.object, user=self.request.user, now=timezone.now())

    def success_message(self, winner):
        return gettext("“%(project)s” is recorded as the most popular project.") % {"project": winner.project_name}


class VotePermissionHelper(PolicyPermissionHelper):
    """Votes are cast on the site and invalidated from the audit; here they are listed, inspected and exported."""

    list_action = inspect_action = "votes.audit"


class VoteAdmin(AwardsModelAdmin):
    """Every vote: the project, when, and whether it still counts (with the reason it was invalidated)."""

    model = Vote
    index_view_class = FormulaSafeIndexView
    menu_label = _("Vote records")
    menu_icon = "tick-inverse"
    list_display = ("application", "day", "created_at", "valid", "invalid_reason")
    list_filter = (CallFilter, "valid")
    search_fields = ("application__project_name", "application__reference", "ip_hash", "voter_key")
    list_select_related = ("application",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    # The voter and IP hashes are searched (the audit's bursts name them), not shown.
    inspect_view_fields = ("call", "application", "day", "created_at", "valid", "invalid_reason")
    permission_helper_class = VotePermissionHelper
    # Votes are written by the thousand: no reference index of them.
    index_references = False
    admin_views = (
        ("awards/votes/", VoteAuditIndexView, "vote_audit_index"),
        ("awards/votes/<awards_id:pk>/", VoteAuditView, "vote_audit"),
        ("awards/votes/<awards_id:pk>/most-popular/", RecordMostPopularView, "record_most_popular"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request) if access.can(request.user, "votes.audit") else Vote.objects.none()
