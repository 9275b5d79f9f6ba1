from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html

from ..models import ApplicationFormPage

register = template.Library()


@register.filter
def time_element(value, time="H:i"):
    """``<time datetime="…">`` around a date and time in the current language's date format and local time, to put
    in a translated sentence (``{% blocktranslate with when=value|time_element %}``)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{} {}</time>',
        local.isoformat(),
        date_format(local, "DATE_FORMAT"),
        time_format(local, time),
    )


@register.simple_tag
def application_page_of(call):
    """The live application form page under ``call`` as a plain ``Page``, or ``None`` (the call's live children,
    read once)."""
    if call is None or not getattr(call, "pk", None):
        return None
    if hasattr(call, "child_page"):
        return call.child_page(ApplicationFormPage)
    return ApplicationFormPage.objects.child_of(call).live().first()
