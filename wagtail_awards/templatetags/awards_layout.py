"""Template tags of the app's layout (``wagtail_awards/base.html`` and ``wagtail_awards/layout.html``)."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from .. import page_cache

register = template.Library()

_RENDERED = "wagtail_awards.rendered_once"


@register.simple_tag(takes_context=True)
def awards_include_once(context, template_name):
    """Render ``template_name`` with the current context the first time a page asks for it, and nothing after.

    The app's own base template places its header, messages and style sheet in its chrome; a site's base template
    has no place for them, so ``layout.html`` asks for them again at the top of the content. Whichever comes
    first renders them; a page never shows them twice.
    """
    # The render context is shared by a template and the templates it extends, and fresh for each page.
    rendered = context.render_context.get(_RENDERED)
    if rendered is None:
        rendered = context.render_context[_RENDERED] = set()
    if template_name in rendered:
        return ""
    rendered.add(template_name)
    return context.template.engine.get_template(template_name).render(context)


@register.simple_tag(takes_context=True)
def awards_userbar(context, position="bottom-right"):
    """Wagtail's user bar (``{% wagtailuserbar %}``) for the people who may use the admin; nothing for anybody else
    (see :func:`wagtail_awards.page_cache.may_access_admin`)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not page_cache.may_access_admin(user):
        return ""
    return wagtailuserbar(context, position)
