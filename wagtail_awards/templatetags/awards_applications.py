from django import template

register = template.Library()


@register.simple_tag
def application_page_of(call):
    """The live application form page under ``call`` as a plain ``Page``, or ``None`` (the call's live children,
    read once)."""
    from ..models import ApplicationFormPage

    if call is None or not getattr(call, "pk", None):
        return None
    if hasattr(call, "child_page"):
        return call.child_page(ApplicationFormPage)
    return ApplicationFormPage.objects.child_of(call).live().first()
