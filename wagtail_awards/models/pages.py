import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction

from .. import page_cache
from ..blocks import NoticeBodyBlock
from ..conf import awards_settings
from ..enums import RECOMMENDING_KINDS, OrganizationKind, ScoringMethod
from ..layout import LayoutPageMixin
from ..rules import rounds, schedule, workdays
from ..rules.publicity import Countdown, countdown
from .calendar import CalendarException
from .editing import AwardsPageForm, CalendarNoticePanel


class PublicPageMixin:
    """A page whose GET answer holds nothing per visitor, so the public page cache may keep it.

    ``public_until(now)`` is the next instant the page changes by itself (a stage starts or ends); it is cached no
    longer than that. A page that shows something per visitor for some requests returns ``False`` from
    ``is_public(request)`` for them.
    """

    def is_public(self, request) -> bool:
        return request.method in ("GET", "HEAD")

    def prepare_for_cache(self):
        """Read what serving the page asks besides its own row before the page object is kept in the row cache
        (routing, purged with the cached pages): whether a view restriction applies to it (Wagtail's privacy check
        takes two queries a request)."""
        self._restricted = super().get_view_restrictions().exists()

    def get_view_restrictions(self):
        # A page from the row cache that no restriction applied to when it was kept: none applies (adding one
        # purges the row cache); otherwise Wagtail's own queries.
        if getattr(self, "_restricted", True):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def public_until(self, now: dt.datetime) -> dt.datetime | None:
        return None

    def serve(self, request, *args, **kwargs):
        return self.public_response(request, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Worked out only by a template that keeps a fragment.
        context["public_fragment"] = SimpleLazyObject(lambda: self.public_fragment(request))
        return context

    def public_fragment(self, request):
        """How the page's content (its ``<article>``) may be kept as a fragment for every visitor: ``seconds`` (0: not
        at all), ``key`` and ``cache`` for Django's ``{% cache %}`` tag. Only what holds nothing per visitor belongs
        in the fragment; the key tells signed-in visitors apart from the others and carries the language."""
        now = timezone.now()
        public = self.is_public(request) and not getattr(request, "is_preview", False)
        seconds = page_cache.seconds() if public else 0
        until = self.public_until(now) if seconds else None
        if until is not None:
            seconds = max(0, min(seconds, int((until - now).total_seconds())))
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        key = f"{page_cache.generation() if seconds else 'off'}:{self.pk}:{get_language()}:{signed_in}:{public}"
        return {"seconds": seconds, "key": key, "cache": awards_settings.PAGE_CACHE}

    def public_response(self, request, response):
        """Mark ``response`` public when ``request`` gets nothing per visitor (for pages with a ``serve`` of their
        own)."""
        if self.is_public(request):
            page_cache.mark_public(response, until=self.public_until(timezone.now()))
        return response


class CallIndexPage(PublicPageMixin, LayoutPageMixin, Page):
    """Lists the calls below it, newest year first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["wagtail_awards.CallPage"]
    template = "wagtail_awards/pages/call_index_page.html"

    class Meta:
        verbose_name = _("call index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The list shows titles, years and deadlines: the notices' stream bodies stay in the database.
        calls = CallPage.objects.child_of(self).live().defer_streamfields()
        context["calls"] = calls.order_by("-year", "-first_published_at")
        return context

    def route(self, request, path_components):
        """Find a page below this one by its URL path, however deep: the page itself (its specific object, as
        published) from the page cache's row cache (purged when pages are published, unpublished, moved or deleted
        and when a page's privacy changes), or from two queries (Wagtail's own routing takes two per level).
        Anything else (an unknown path, a page routing further itself) goes the usual way."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"

            def find():
                found = (
                    Page.objects.filter(path__startswith=self.path, depth=self.depth + len(path_components))
                    .filter(url_path=url_path)
                    .values_list("pk", "content_type_id")
                    .first()
                )
                model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
                page = model.objects.filter(pk=found[0], url_path=url_path).first() if model else None
                if page is not None and hasattr(page, "prepare_for_cache"):
                    page.prepare_for_cache()
                return page

            page = page_cache.remember(f"route:{self.pk}:{url_path}", find)
            if page is not None:
                if len(path_components) == 1:
                    page._cached_parent_obj = self
                return page.route(request, [])
        return super().route(request, path_components)


#: How long the notice's own rows are kept (publishing the call purges them at once).
NOTICE_ROWS_SECONDS = 3600


def default_publicity_working_days():
    return awards_settings.PUBLICITY_WORKING_DAYS


class CallPage(PublicPageMixin, LayoutPageMixin, Page):
    """The notice of one call (one year). It owns the round: themes, quotas, criteria, prizes and dates."""

    issuer = models.CharField(_("issuer"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    addressees = models.CharField(
        _("addressees"), max_length=300, blank=True, help_text=_("Whom the notice is addressed to.")
    )
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(NoticeBodyBlock(), verbose_name=_("body"), blank=True)

    application_opens = models.DateTimeField(
        _("applications open"), null=True, blank=True, help_text=_("Empty: open from publication.")
    )
    application_deadline = models.DateTimeField(
        _("application deadline"),
        help_text=_("The last minute an application is accepted (local time); all of that minute counts."),
    )
    recommendation_deadline = models.DateTimeField(_("recommendation deadline"), null=True, blank=True)
    review_deadline = models.DateTimeField(_("expert review deadline"), null=True, blank=True)
    voting_opens = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_closes = models.DateTimeField(_("voting closes"), null=True, blank=True)
    publicity_starts = models.DateTimeField(_("publicity starts"), null=True, blank=True)
    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity working days"), default=default_publicity_working_days, validators=[MinValueValidator(1)]
    )

    most_popular_label = models.CharField(
        _("most popular prize"), max_length=100, blank=True, help_text=_("Name of the prize decided by the vote.")
    )
    most_popular_subsidy = models.DecimalField(
        _("most popular subsidy (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )

    scoring_method = models.CharField(
        _("scoring method"), max_length=20, choices=ScoringMethod.choices, default=ScoringMethod.MEAN
    )

    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("issuer"), FieldRowPanel([FieldPanel("year"), FieldPanel("addressees")])],
            heading=_("Notice"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("themes", label=_("Themes")),
        InlinePanel("conditions", label=_("Eligibility conditions")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")])], heading=_("Contact")
        ),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    round_panels = [
        InlinePanel("quotas", label=_("Recommendation quotas")),
        InlinePanel("criteria", label=_("Review criteria")),
        FieldPanel("scoring_method"),
        InlinePanel("prize_levels", label=_("Prize levels")),
        FieldRowPanel([FieldPanel("most_popular_label"), FieldPanel("most_popular_subsidy")]),
    ]
    schedule_panels = [
        FieldRowPanel([FieldPanel("application_opens"), FieldPanel("application_deadline")]),
        FieldRowPanel([FieldPanel("recommendation_deadline"), FieldPanel("review_deadline")]),
        FieldRowPanel([FieldPanel("voting_opens"), FieldPanel("voting_closes")]),
        FieldRowPanel([FieldPanel("publicity_starts"), FieldPanel("publicity_working_days")]),
        CalendarNoticePanel(),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Notice")),
            ObjectList(round_panels, heading=_("Round")),
            ObjectList(schedule_panels, heading=_("Schedule")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["wagtail_awards.CallIndexPage"]
    subpage_types = ["wagtail_awards.ApplicationFormPage", "wagtail_awards.PublicityPage", "wagtail_awards.VotingPage"]
    template = "wagtail_awards/pages/call_page.html"
    base_form_class = AwardsPageForm

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    @classmethod
    def menu(cls, *, include=None, now=None):
        """``(call, short label)`` of the published calls, newest first, for a menu of calls (drafts and copies
        in progress are left out; ``include`` is listed whatever its state, e.g. the call on screen)."""
        now = now or timezone.now()
        calls = list(cls.objects.live().order_by("-year", "-pk"))
        if include is not None and all(call.pk != include.pk for call in calls):
            calls.append(include)
        stages = {}
        for call in calls:
            current = next((span for span in call.stages(now=now) if span.current), None)
            stages[call.pk] = str(current.label) if current else ""
        labels = rounds.menu_labels((call.pk, call.year, stages[call.pk]) for call in calls)
        return [(call, labels[call.pk]) for call in calls]

    def default_slug(self, data):
        """A new call's address is its year: ``/2027/``."""
        return str(data.get("year") or "")

    def clean(self):
        # The admin's date-time widget has no seconds: a deadline entered as 23:59 means the whole of that minute.
        for name in rounds.DEADLINE_FIELDS:
            setattr(self, name, schedule.end_of_minute(getattr(self, name)))
        super().clean()
        errors = {}
        deadline = self.application_deadline
        if self.application_opens and deadline and self.application_opens >= deadline:
            errors["application_deadline"] = _("The deadline must come after applications open.")
        if self.recommendation_deadline and deadline and self.recommendation_deadline <= deadline:
            errors["recommendation_deadline"] = _("Recommendation ends after the application deadline.")
        if bool(self.voting_opens) != bool(self.voting_closes):
            errors["voting_closes"] = _("Give both ends of the voting window, or neither.")
        elif self.voting_opens and self.voting_opens >= self.voting_closes:
            errors["voting_closes"] = _("Voting must close after it opens.")
        if errors:
            raise ValidationError(errors)

    # The round as the templates and the rules need it.

    @property
    def applications_open_at(self):
        return self.application_opens or self.first_published_at

    @cached_property
    def publicity_ends(self) -> dt.datetime | None:
        """The last instant of the publicity period (end of its last working day, local time), or ``None``.

        Like ``application_deadline``, an end is the last instant still inside the period.
        """
        if not self.publicity_starts:
            return None
        end = workdays.period_end(
            self.publicity_starts,
            self.publicity_working_days,
            tz=workdays.local_tz(),
            calendar=CalendarException.objects.calendar(),
        )
        return end - dt.timedelta(microseconds=1)

    def calendar_estimated_years(self) -> list[int]:
        """The years of the publicity period whose working days the calendar only estimates (see
        ``workdays.is_estimated_year``): the period shown may move once the official schedule is known."""
        if not self.publicity_starts:
            return []
        tz = workdays.local_tz()
        return workdays.estimated_years(
            self.publicity_starts.astimezone(tz).date(),
            self.publicity_ends.astimezone(tz).date(),
            calendar=CalendarException.objects.calendar(),
        )

    def publicity_countdown(self, *, now: dt.datetime) -> Countdown | None:
        """Where the call's publicity period stands at ``now`` (``None`` while it has no start). Reads the working-day
        exceptions once."""
        if not self.publicity_starts:
            return None
        return countdown(
            now=now,
            starts=self.publicity_starts,
            working_days=self.publicity_working_days,
            tz=workdays.local_tz(),
            calendar=CalendarException.objects.calendar(),
        )

    def stages(self, *, now=None):
        return schedule.stage_spans(
            now=now or timezone.now(),
            published=self.first_published_at,
            application_opens=self.application_opens,
            application_deadline=self.application_deadline,
            recommendation_deadline=self.recommendation_deadline,
            review_deadline=self.review_deadline,
            voting_opens=self.voting_opens,
            voting_closes=self.voting_closes,
            publicity_starts=self.publicity_starts,
            publicity_ends=self.publicity_ends,
        )

    def application_state(self, *, now=None):
        return schedule.deadline_state(
            now=now or timezone.now(),
            opens=self.applications_open_at,
            deadline=self.application_deadline,
            closing_soon=dt.timedelta(days=awards_settings.CLOSING_SOON_DAYS),
        )

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        """The next instant at which what the call's pages show changes by itself: a stage starts or ends, a
        deadline becomes "closing soon", or a day passes (working days left)."""
        deadline = self.application_deadline
        moments = [
            self.applications_open_at,
            deadline,
            deadline - dt.timedelta(days=awards_settings.CLOSING_SOON_DAYS) if deadline else None,
            self.recommendation_deadline,
            self.review_deadline,
            self.voting_opens,
            self.voting_closes,
            self.publicity_starts,
            # The end needs the working-day calendar; it is the next change only once the period has started.
            self.publicity_ends if self.publicity_starts and self.publicity_starts <= now else None,
        ]
        tomorrow = timezone.localtime(now, workdays.local_tz()).date() + dt.timedelta(days=1)
        moments.append(dt.datetime.combine(tomorrow, dt.time(), tzinfo=workdays.local_tz()))
        return min((moment for moment in moments if moment is not None and moment > now), default=None)

    def public_until(self, now):
        return self.next_change(now)

    def quota_for(self, kind):
        """The ``CallQuota`` for an organisation kind, or ``None``."""
        for quota in self.quotas.all():
            if quota.organization_kind == kind:
                return quota
        return None

    def child_page(self, model):
        """The first live child page of type ``model`` as a plain ``Page`` (title and URL; ``.specific`` for the
        rest), from one query of the live children made once per call object."""
        children = getattr(self, "_live_children", None)
        if children is None:
            children = self._live_children = page_cache.remember(
                f"children:{self.pk}", lambda: list(self.get_children().live())
            )
        content_type = ContentType.objects.get_for_model(model)
        return next((child for child in children if child.content_type_id == content_type.pk), None)

    #: The call's own rows the notice shows; they change only when the call is published.
    NOTICE_RELATIONS = ("themes", "conditions", "quotas", "criteria", "prize_levels", "attachments")

    def load_notice_rows(self):
        """Read the rows the notice shows in one go (attachments with their documents), from the page cache's row
        cache while this version of the call is published, and keep them on this object (no more queries)."""

        def rows():
            found = {name: list(getattr(self, name).all()) for name in self.NOTICE_RELATIONS}
            found["attachments"] = list(self.attachments.select_related("document"))
            return found

        published = self.last_published_at.timestamp() if self.last_published_at else 0
        key = f"call:{self.pk}:{published}"
        for name, items in page_cache.remember(key, rows, timeout=NOTICE_ROWS_SECONDS).items():
            setattr(self, name, items)

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # A preview shows the draft's own rows instead.
            self.load_notice_rows()
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            now=now,
            stages=self.stages(now=now),
            application_state=self.application_state(now=now),
            time_left=schedule.time_left(now=now, deadline=self.application_deadline),
        )
        return context


# Rows added in code (demo, imports) have no sort order; the primary key keeps them in the order they were added.
ORDERABLE_ORDERING = ["sort_order", "pk"]


class CallTheme(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class CallCondition(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(_("condition"))

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("eligibility condition")
        verbose_name_plural = _("eligibility conditions")

    def __str__(self):
        return self.text[:60]


class CallQuota(Orderable):
    """How many projects an organisation of one kind recommends (e.g. a city union 2–3)."""

    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="quotas")
    organization_kind = models.CharField(
        _("organisation kind"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in RECOMMENDING_KINDS],
    )
    min_count = models.PositiveSmallIntegerField(_("at least"), default=1)
    max_count = models.PositiveSmallIntegerField(_("at most"), default=2)

    panels = [FieldRowPanel([FieldPanel("organization_kind"), FieldPanel("min_count"), FieldPanel("max_count")])]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("recommendation quota")
        verbose_name_plural = _("recommendation quotas")
        constraints = [
            models.UniqueConstraint(fields=["page", "organization_kind"], name="awards_unique_quota_kind"),
            models.CheckConstraint(
                condition=models.Q(min_count__lte=models.F("max_count")), name="awards_quota_min_le_max"
            ),
        ]

    def __str__(self):
        return f"{OrganizationKind(self.organization_kind).label}: {self.min_count}–{self.max_count}"

    def clean(self):
        if self.min_count is not None and self.max_count is not None and self.min_count > self.max_count:
            raise ValidationError({"max_count": _("The maximum cannot be below the minimum.")})


class CallCriterion(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100, validators=[MinValueValidator(1)])

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("weight"), FieldPanel("max_score")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self):
        return self.name


class CallPrizeLevel(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="prize_levels")
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 for first prize, 2 for second, …"))
    name = models.CharField(_("name"), max_length=50)
    count = models.PositiveSmallIntegerField(_("number of prizes"))
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))

    panels = [FieldRowPanel([FieldPanel("rank"), FieldPanel("name"), FieldPanel("count"), FieldPanel("subsidy")])]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("prize level")
        verbose_name_plural = _("prize levels")
        constraints = [models.UniqueConstraint(fields=["page", "rank"], name="awards_unique_prize_rank")]

    def __str__(self):
        return self.name


class CallAttachment(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Defaults to the document title."))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE_ORDERING
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title or self.document.title
