"""``<awards_id:pk>`` in the app's URLs: an id as :func:`wagtail_awards.rules.ids.parse_id` reads it.

Django's ``<int:…>`` takes any run of digits: one too large for the column is an error on SQLite, and one of
thousands of digits is refused by ``int()``. This converter makes such a URL match nothing (404).
"""

from django.urls import register_converter

from .rules.ids import parse_id


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "awards_id")
