from django import template

from ..models import PublicityPage

register = template.Library()


@register.simple_tag
def publicity_page_of(call):
    """The live publicity page under ``call``, or ``None`` (one query)."""
    return PublicityPage.objects.child_of(call).live().first()
