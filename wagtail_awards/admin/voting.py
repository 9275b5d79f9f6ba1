"""The vote audit in the Wagtail admin: results as a bar chart, votes per hour, bursts, and invalidation.

Who may view, invalidate and record is the access policy's answer (``votes.audit``, ``votes.invalidate``,
``votes.record``: province administrators).
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .. import (
    access,
    converters,  # noqa: F401 - registers <awards_id:…>
    page_cache,
)
from ..conf import awards_settings
from ..forms.voting import InvalidateVotesForm
from ..models import Application, CallPage
from ..rules.voting import MostPopularError, voting_state
from ..services import voting

#: Candidates in the results chart on one page; candidates named per hour (the others are summed).
RESULTS_PER_PAGE = 50
CANDIDATES_PER_HOUR = 10
#: Page numbers past this are read as the last one asked for (they would only be empty).
MAX_PAGE = 100_000


def _page_number(request, name):
    """A page number from the query string: 1 for anything that is not a positive whole number."""
    raw = request.GET.get(name, "")
    return min(int(raw), MAX_PAGE) if re.fullmatch(r"[0-9]{1,7}", raw) and int(raw) > 0 else 1


def _can_view(user):
    return access.can(user, "votes.audit")


def _can_change(user):
    return access.can(user, "votes.invalidate")


def _can_record(user):
    return access.can(user, "votes.record")


def index(request):
    if not _can_view(request.user):
        raise PermissionDenied
    calls = CallPage.objects.exclude(voting_opens=None).order_by("-year")
    return render(request, "wagtail_awards/admin/voting/index.html", {"page_title": _("Vote audit"), "calls": calls})


def audit(request, call_id):
    if not _can_view(request.user):
        raise PermissionDenied
    call = get_object_or_404(CallPage, pk=call_id)
    form = InvalidateVotesForm(initial=request.GET.dict() if request.GET.get("reason") is None else None)
    if request.method == "POST" and "record_most_popular" in request.POST:
        if not _can_record(request.user):
            raise PermissionDenied
        try:
            winner = voting.record_most_popular(call=call, user=request.user, now=timezone.now())
        except MostPopularError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("“%(project)s” is recorded as the most popular project.") % {"project": winner.project_name}
            )
        return redirect(reverse("wagtail_awards_vote_audit", args=[call.pk]))
    if request.method == "POST":
        if not _can_change(request.user):
            raise PermissionDenied
        form = InvalidateVotesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            chosen = voting.select_votes(
                call=call, ip_hash=data["ip_hash"], voter_key=data["voter_key"], hour=data["hour"]
            )
            changed = voting.invalidate_votes(call=call, votes=chosen, reason=data["reason"], user=request.user)
            page_cache.purge()  # the public pages show the new tallies at once
            messages.success(
                request,
                ngettext("%(count)d vote invalidated.", "%(count)d votes invalidated.", changed) % {"count": changed},
            )
            return redirect(reverse("wagtail_awards_vote_audit", args=[call.pk]))

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
    context = {
        "page_title": _("Vote audit"),
        "page_subtitle": call.title,
        "call": call,
        "rows": rows,
        "results": results,
        "chart_height": 28 * max(1, len(rows)),
        "winners": [names[pk] for pk in standing.leaders if pk in names],
        "tie": len(standing.leaders) > 1,
        "total": standing.total,
        "invalid": standing.invalid,
        "hours": [
            {
                "hour": hour,
                "total": total,
                "items": [(names.get(pk, pk), n) for pk, n in items[:CANDIDATES_PER_HOUR]],
                "others": sum(n for _pk, n in items[CANDIDATES_PER_HOUR:]),
            }
            for hour, total, items in hours.rows
        ],
        "hours_page": hours,
        "bursts": voting.audit_bursts(
            call=call, threshold=awards_settings.VOTE_BURST, page=_page_number(request, "bursts")
        ),
        "threshold": awards_settings.VOTE_BURST,
        "form": form,
        "can_change": _can_change(request.user),
        "can_record": _can_record(request.user),
        "state": voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes),
    }
    return render(request, "wagtail_awards/admin/voting/audit.html", context)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("awards/votes/", index, name="wagtail_awards_vote_audit_index"),
        path("awards/votes/<awards_id:call_id>/", audit, name="wagtail_awards_vote_audit"),
    ]


class VoteAuditMenuItem(MenuItem):
    def is_shown(self, request):
        return _can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return VoteAuditMenuItem(
        _("Vote audit"), reverse("wagtail_awards_vote_audit_index"), icon_name="tick-inverse", order=260
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("wagtail_awards.invalidate_votes", _("Invalidate votes"), _("Votes invalidated"))
    actions.register_action(
        "wagtail_awards.most_popular", _("Record the most popular project"), _("Recorded as the most popular project")
    )
