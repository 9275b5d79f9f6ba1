from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules.workdays import Calendar, configured_holidays


class CalendarExceptionManager(models.Manager):
    def calendar(self) -> Calendar:
        """The site's working-day calendar: the configured holidays with every exception as an override.

        The one place the calendar is read from the database (one query; the table holds a handful of rows). Pages
        use it for their own dates (a page's preview runs the page alone); everything else asks
        :mod:`wagtail_awards.services.calendar`.
        """
        return Calendar(holidays=configured_holidays(), exceptions=dict(self.values_list("day", "is_working_day")))


class CalendarException(models.Model):
    """A date that is, or is not, a working day whatever the holiday library says.

    Covers a year whose holiday schedule the ``holidays`` package does not know yet, or a local decision.
    """

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("is a working day"),
        help_text=_("Ticked: a working day (e.g. a weekend make-up day). Unticked: a day off."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CalendarExceptionManager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.day:%Y-%m-%d} ({kind})"
