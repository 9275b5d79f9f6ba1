"""What the round's screens share (初审推荐 and 评审): the call being worked on, its menu, exports of the rows shown.

Every list of the round exports to XLSX and CSV (``?export=xlsx|csv``) through the app's formula-safe exporter
(``wagtail_awards.exports``, with Wagtail's export API), from the same scoped query as the screen.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .. import access
from ..exports import FormulaSafeExportMixin
from ..models import Application, CallPage
from ..rules.ids import parse_id
from ..services import recommendation as rec_rules
from ..services import review as rules
from .base import admin_url

TEMPLATES = "wagtail_awards/admin/review/"


def application_queryset():
    return Application.objects.select_related("organization", "recommending_organization", "call").order_by(
        "reference", "pk"
    )


def file_download_url(file):
    """The URL of an application file's download view (the site's, which asks the access policy)."""
    return reverse("wagtail_awards:application_file", args=[file.pk])


class RoundMixin:
    """The call a screen of the round works on: ``?call=`` (in the query or the form), else the call holding the
    user's own work, else the current call. Lists offer a menu of calls (:attr:`call_switcher`)."""

    header_icon = "order"
    #: Lists offer a choice of call; screens of one object do not.
    call_switcher = False
    #: Whose own work picks the call a screen opens on: a reviewer's assignments, a recommender's applicants.
    work_of = ("reviewer", "recommender")

    @cached_property
    def user_roles(self):
        return access.roles(self.request.user)

    @cached_property
    def call(self):
        raw = self.request.GET.get("call") or self.request.POST.get("call")
        if raw:
            call_id = parse_id(raw)
            if call_id is None:
                raise Http404
            return get_object_or_404(
                CallPage.objects.prefetch_related("quotas", "criteria", "prize_levels"), pk=call_id
            )
        call = self.call_with_my_work() or rules.current_call()
        if call is None:
            raise Http404(_("There is no call yet."))
        return CallPage.objects.prefetch_related("quotas", "criteria", "prize_levels").get(pk=call.pk)

    def call_with_my_work(self):
        """The call a reviewer or recommender opens on: of the calls holding their own work (assigned projects,
        their organisation's applicants), the one in review now, else the latest closed, else the newest."""
        if self.user_roles.province_admin:
            return None
        work = Q(pk__in=[])
        if "reviewer" in self.work_of and self.user_roles.reviewer:
            work |= Q(
                applications__review_assignments__reviewer=self.request.user,
                applications__status__in=rules.IN_REVIEW,
            )
        if "recommender" in self.work_of and self.user_roles.recommender:
            work |= Q(
                applications__recommending_organization__in=self.user_roles.recommender_orgs,
                applications__status__in=rec_rules.VISIBLE_TO_RECOMMENDERS,
            )
        calls = CallPage.objects.filter(work).distinct().order_by("-year", "-pk")
        return rules.pick_current_call(calls=calls, now=timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            call=self.call,
            calls=CallPage.menu(include=self.call) if self.call_switcher else [],
            roles=self.user_roles,
            call_switcher=self.call_switcher,
        )
        return context

    def round_url(self, name, *args, **query):
        """The URL of the round's screen ``name``, on this screen's call."""
        return admin_url(name, *args, call=self.call.pk, **query)

    def back(self, name, *args, **query):
        return redirect(self.round_url(name, *args, **query))


class RoundExportMixin(FormulaSafeExportMixin):
    """Export buttons in the header; ``?export=`` streams the scoped rows (formula-safe) instead of the page."""

    # Scores and totals stay numbers in XLSX; booleans read as a word; times are local, as on the screens.
    custom_value_preprocess = {
        **FormulaSafeExportMixin.custom_value_preprocess,
        datetime.datetime: {
            "csv": lambda v: timezone.localtime(v).strftime("%Y-%m-%d %H:%M:%S"),
            "xlsx": lambda v: timezone.localtime(v).replace(tzinfo=None),
        },
        Decimal: {"csv": str, "xlsx": float},
        bool: {"csv": lambda v: _("yes") if v else "", "xlsx": lambda v: _("yes") if v else ""},
    }

    def export_rows(self):
        raise NotImplementedError

    def get_filename(self):
        return f"{self.export_filename}-{self.call.year}"

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)
