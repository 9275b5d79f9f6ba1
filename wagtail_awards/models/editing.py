"""How editors edit the app's pages: their page forms and editor panels.

A new page gets a short slug of its own instead of its whole title.

Wagtail fills a new page's slug from its title, which for a Chinese title is the whole title in the address. A call
gets its year (``/2027/``), the pages under it a word for what they are (``apply``, ``vote``, ``publicity``); an
editor who types a slug of their own keeps it.
"""

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import Panel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.models import Page


def slug_follows_title(slug: str, title: str) -> bool:
    """Whether ``slug`` is empty or what Wagtail made of ``title`` (the editor did not choose it)."""
    if not slug:
        return True
    return slugify(slug, allow_unicode=True) == slugify(title or "", allow_unicode=True)


def free_slug(base: str, *, parent, page) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is free under ``parent``."""
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class DefaultSlugMixin:
    """On a new page, a slug that only repeats the title is replaced by the page model's ``default_slug``."""

    def clean(self):
        data = self.cleaned_data
        page = self.instance
        default = getattr(page, "default_slug", None)
        if page.pk is None and default is not None and getattr(self, "parent_page", None) is not None:
            base = default(data)
            if base and slug_follows_title(data.get("slug", ""), data.get("title", "")):
                data["slug"] = free_slug(base, parent=self.parent_page, page=page)
        return super().clean()


class AwardsPageForm(DefaultSlugMixin, WagtailAdminPageForm):
    pass


class AwardsFormPageForm(DefaultSlugMixin, WagtailAdminFormPageForm):
    pass


class CalendarNoticePanel(Panel):
    """The call's publicity period as the working-day calendar computes it, with a notice when the calendar only
    estimates a year of it (the official holiday schedule is not published yet), pointing to 工作日调整."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_awards/admin/panels/calendar_notice.html"

        def is_shown(self):
            return bool(getattr(self.instance, "publicity_starts", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            call = self.instance
            context.update(call=call, estimated_years=call.calendar_estimated_years())
            return context
