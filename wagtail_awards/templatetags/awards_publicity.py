from django import template

from ..models import PublicityPage

register = template.Library()


@register.simple_tag
def publicity_page_of(call):
    """The live publicity page under ``call`` as a plain ``Page``, or ``None`` (the call's live children, read once)."""
    if hasattr(call, "child_page"):
        return call.child_page(PublicityPage)
    return PublicityPage.objects.child_of(call).live().first()
