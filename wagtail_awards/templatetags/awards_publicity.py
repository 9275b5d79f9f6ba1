from django import template

register = template.Library()


@register.simple_tag
def publicity_page_of(call):
    """The live publicity page under ``call``, or ``None`` (one query)."""
    from ..models import PublicityPage

    return PublicityPage.objects.child_of(call).live().first()
