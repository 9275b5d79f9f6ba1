from django import template

from ..models import ApplicationFormPage

register = template.Library()


@register.simple_tag
def application_page_of(call):
    """The live application form page under ``call``, or ``None``."""
    if call is None or not getattr(call, "pk", None):
        return None
    return ApplicationFormPage.objects.child_of(call).live().first()
