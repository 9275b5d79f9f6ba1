from decimal import Decimal
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .. import page_cache
from ..enums import AwardStatus, CancelReason, ObjectionStatus
from ..layout import LayoutPageMixin
from ..rules.publicity import period_label
from .applications import private_storage
from .editing import AwardsPageForm
from .pages import CallPage, PublicPageMixin

#: The query parameter that asks for the objection form with its question rendered on the page (never cached).
OBJECTION_FORM_PARAM = "objection"


def objection_file_name(instance, filename):
    return f"objections/{uuid4().hex}"


def project_label(application):
    """A project as the objection form and its confirmation name it: “project (unit)”, translated."""
    unit = application.unit_name or application.organization.name
    return gettext("%(project)s (%(unit)s)") % {"project": application.project_name, "unit": unit}


class Award(models.Model):
    """A proposed or final award of one application: a prize level, the most-popular title, or both."""

    application = models.OneToOneField(
        "wagtail_awards.Application", verbose_name=_("project"), on_delete=models.CASCADE, related_name="award"
    )
    prize_rank = models.PositiveSmallIntegerField(_("prize"), null=True, blank=True, help_text=_("1, 2 or 3"))
    most_popular = models.BooleanField(_("most popular"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.PROPOSED)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    federation_subsidised = models.BooleanField(
        _("subsidised by the provincial federation"),
        default=False,
        help_text=_("Recommended to and subsidised by the provincial federation of trade unions."),
    )
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    cancel_category = models.CharField(
        _("cancellation ground"), max_length=20, choices=CancelReason.choices, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("made final"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return str(self.application)

    @property
    def is_cancelled(self) -> bool:
        return self.status == AwardStatus.CANCELLED


class Objection(models.Model):
    """An objection (异议) against a project in publicity."""

    application = models.ForeignKey(
        "wagtail_awards.Application", verbose_name=_("project"), on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(pgettext_lazy("a person's name", "name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("content"))
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=objection_file_name, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    finding = models.TextField(_("finding"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    #: The normalised text and evidence (``rules.publicity.objection_fingerprint``): duplicates fold into one row.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    repeats = models.PositiveIntegerField(
        _("times filed"),
        default=1,
        editable=False,
        help_text=_("The same objection filed again from the same network."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "ip_hash", "fingerprint"],
                condition=~models.Q(fingerprint=""),
                name="awards_objection_once_per_address",
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.created_at:%Y-%m-%d}"


class PublicityPage(PublicPageMixin, LayoutPageMixin, Page):
    """The publicity (公示) of a call's proposed winners, which becomes the published results list (发布).

    The period — its start and number of working days — belongs to the parent call (Schedule tab), which also
    shows it in its timeline; this page reads it from there, so there is one place to change it.
    """

    intro = RichTextField(_("introduction"), blank=True, help_text=_("Shown above the list during publicity."))
    objection_note = RichTextField(
        _("how to object"), blank=True, help_text=_("Shown above the objection form (e.g. what an objection needs).")
    )
    results_intro = RichTextField(
        _("results introduction"), blank=True, help_text=_("Shown above the final list once it is published.")
    )

    content_panels = Page.content_panels + [
        HelpPanel(
            content=_(
                "The publicity period starts and lasts as set on the parent call (Schedule tab: "
                "“publicity starts” and “publicity working days”)."
            )
        ),
        FieldPanel("intro"),
        FieldPanel("objection_note"),
        FieldPanel("results_intro"),
    ]

    parent_page_types = ["wagtail_awards.CallPage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "wagtail_awards/publicity/publicity_page.html"
    base_form_class = AwardsPageForm

    class Meta:
        verbose_name = _("publicity page")
        verbose_name_plural = _("publicity pages")

    def default_slug(self, data):
        return "publicity"

    def get_call(self):
        """The parent call: once per page object, from the page cache's row cache or one query."""
        if getattr(self, "_call", None) is None:
            path = self.path[: -self.steplen]
            self._call = page_cache.remember(f"call-at:{path}", lambda: CallPage.objects.get(path=path))
        return self._call

    def is_public(self, request):
        # The objection form asks its question on the page itself only when asked for (no JavaScript) or when it
        # shows errors; otherwise the question and the CSRF token come from the uncached challenge endpoint.
        return super().is_public(request) and OBJECTION_FORM_PARAM not in request.GET

    def public_until(self, now):
        return self.get_call().next_change(now)

    def listed_awards(self, call):
        """The call's awards in the order of the list: by prize, then reference (one query)."""
        return list(
            Award.objects.filter(application__call=call)
            .select_related("application", "application__organization")
            .order_by(models.F("prize_rank").asc(nulls_last=True), "application__reference", "application__pk")
        )

    def get_context(self, request, *args, now=None, **kwargs):
        """The period and the list as they stand at ``now``, in a constant number of queries whatever the number of
        projects. Reading writes nothing. ``ended`` says that the period has ended; ``awaiting_final`` that it has
        with awards not yet made final (``manage.py awards_finalise`` does that): the page then lists them with a
        notice; ``published`` that the final list is out (发布)."""
        context = super().get_context(request, *args, **kwargs)
        now = now or timezone.now()
        call = self.get_call()
        period = call.publicity_countdown(now=now)
        awards = []
        if period and not period.before_start:
            if request.method == "GET":
                # A page shown to anyone lists the awards kept with the cached pages (an award's change purges them).
                awards = page_cache.remember(f"awards:{call.pk}", lambda: self.listed_awards(call))
            else:
                awards = self.listed_awards(call)
        if request.method == "GET":
            call.load_notice_rows()  # the prize levels, with the call's other rows
        ended = bool(period and period.has_ended)
        awaiting_final = ended and any(a.status == AwardStatus.PROPOSED for a in awards)
        published = ended and not awaiting_final
        if ended:
            awards = [a for a in awards if a.status in (AwardStatus.FINAL, AwardStatus.PROPOSED)]
        levels = []
        for level in call.prize_levels.all():
            listed = [a for a in awards if a.prize_rank == level.rank]
            if listed:
                levels.append({"level": level, "awards": listed})
        context.update(
            call=call,
            now=now,
            period=period,
            period_label=period_label(period) if period else "",
            ended=ended,
            published=published,
            awaiting_final=awaiting_final,
            prize_groups=levels,
            most_popular_awards=[a for a in awards if a.most_popular],
            cancelled_awards=[a for a in awards if a.status == AwardStatus.CANCELLED],
            objection_projects=[
                (a.application_id, project_label(a.application)) for a in awards if a.status == AwardStatus.PROPOSED
            ],
            objection_form=None,
            # The objection form asks its question on the page only after a POST or when asked for (no JavaScript);
            # otherwise ``objection.js`` fetches it from the uncached challenge endpoint, and the page is public.
            objection_challenge=not self.objection_inline(request),
            objection_form_param=OBJECTION_FORM_PARAM,
        )
        return context

    def objection_inline(self, request) -> bool:
        """Whether the objection form carries its question itself (after a POST, or ``?objection``)."""
        return request.method == "POST" or OBJECTION_FORM_PARAM in request.GET
