"""The base template of the app's pages: ``WAGTAIL_AWARDS_BASE_TEMPLATE``.

Every page template of the app extends ``wagtail_awards/layout.html``, which extends the template named by the
context variable ``awards_base_template``. Each way the app renders a page puts that variable in the context, so
no context processor is needed: Wagtail pages through :class:`LayoutPageMixin`, the app's views through
:func:`layout_context`, Django's auth views through ``extra_context=layout_context()``.
"""

from .conf import awards_settings

BASE_TEMPLATE_VARIABLE = "awards_base_template"


def base_template():
    """The name of the base template (read when a page is rendered, so a changed setting applies at once)."""
    return awards_settings.BASE_TEMPLATE


def layout_context(context=None):
    """``context`` (a dict, or a new one) with the layout's variable added; returns the same dict.

    The variable holds :func:`base_template` itself: Django calls it when the template is rendered.
    """
    context = {} if context is None else context
    context[BASE_TEMPLATE_VARIABLE] = base_template
    return context


class LayoutPageMixin:
    """Put first in the bases of a page model whose template extends ``wagtail_awards/layout.html``."""

    def get_context(self, request, *args, **kwargs):
        return layout_context(super().get_context(request, *args, **kwargs))
