from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .. import page_cache
from ..rules.workdays import Calendar, configured_holidays

#: The exceptions are kept in the shared cache: they change rarely and are read on every public page of a call.
EXCEPTIONS_CACHE_KEY = "wagtail_awards:calendar-exceptions"
EXCEPTIONS_CACHE_SECONDS = 300


class CalendarExceptionManager(models.Manager):
    def exceptions(self) -> dict:
        """Every exception as ``{date: is_working_day}``, from the shared cache (saving or deleting one forgets it),
        read once a request."""

        def read():
            exceptions = cache.get(EXCEPTIONS_CACHE_KEY)
            if exceptions is None:
                exceptions = dict(self.values_list("day", "is_working_day"))
                cache.set(EXCEPTIONS_CACHE_KEY, exceptions, EXCEPTIONS_CACHE_SECONDS)
            return exceptions

        return page_cache.per_request(EXCEPTIONS_CACHE_KEY, read)

    def forget_cached(self, **_signal_kwargs) -> None:
        """Drop the cached exceptions now and again once the change is committed (connected to saving and deleting
        an exception), so no request caches the rows of before the commit."""
        cache.delete(EXCEPTIONS_CACHE_KEY)
        page_cache.forget_per_request(EXCEPTIONS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(EXCEPTIONS_CACHE_KEY))

    def calendar(self) -> Calendar:
        """The site's working-day calendar: the configured holidays with every exception as an override.

        The one place the calendar is read from the database (through the shared cache; the table holds a handful
        of rows). Pages use it for their own dates (a page's preview runs the page alone); everything else asks
        :mod:`wagtail_awards.services.calendar`.
        """
        return Calendar(holidays=configured_holidays(), exceptions=self.exceptions())


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
