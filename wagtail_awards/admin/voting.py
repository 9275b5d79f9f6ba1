"""The vote audit in the Wagtail admin: results as a bar chart, votes per hour, bursts, and invalidation.

Who may view, invalidate and record is the access policy's answer (``votes.audit``, ``votes.invalidate``,
``votes.record``: province administrators).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
)
from ..conf import awards_settings
from ..domain import voting
from ..forms.voting import InvalidateVotesForm
from ..models import CallPage

HOURS_SHOWN = 72


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
        except voting.MostPopularError as exc:
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
            messages.success(
                request,
                ngettext("%(count)d vote invalidated.", "%(count)d votes invalidated.", changed) % {"count": changed},
            )
            return redirect(reverse("wagtail_awards_vote_audit", args=[call.pk]))

    candidates = list(voting.candidates(call=call))
    counts = voting.tallies(call=call)
    names = {c.pk: c.project_name for c in candidates}
    top = max(counts.values(), default=0)
    rows = sorted(({"candidate": c, "votes": counts.get(c.pk, 0)} for c in candidates), key=lambda row: -row["votes"])
    for row in rows:
        row["percent"] = round(100 * row["votes"] / top, 1) if top else 0
    winners = voting.most_popular({c.pk: counts.get(c.pk, 0) for c in candidates})

    hours = {}
    for hour, application_id, n in voting.votes_per_hour(call=call):
        if hour not in hours:
            if len(hours) >= HOURS_SHOWN:
                break
            hours[hour] = []
        hours[hour].append((names.get(application_id, application_id), n))
    context = {
        "page_title": _("Vote audit"),
        "page_subtitle": call.title,
        "call": call,
        "rows": rows,
        "chart_height": 28 * max(1, len(rows)),
        "winners": [names[pk] for pk in winners if pk in names],
        "tie": len(winners) > 1,
        "total": sum(row["votes"] for row in rows),
        "invalid": voting.invalid_count(call=call),
        "hours": [
            {"hour": hour, "total": sum(n for _name, n in items), "items": items} for hour, items in hours.items()
        ],
        "bursts": voting.bursts(call=call, threshold=awards_settings.VOTE_BURST),
        "threshold": awards_settings.VOTE_BURST,
        "form": form,
        "can_change": _can_change(request.user),
        "can_record": _can_record(request.user),
        "state": voting.voting_state(now=timezone.now(), opens=call.voting_opens, closes=call.voting_closes),
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
