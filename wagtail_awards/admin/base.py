"""The base of the app's wagtail-modeladmin screens: what every list and every object screen needs to hold."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext
from wagtail_modeladmin.options import ModelAdmin

from ..rules.ids import parse_id


def _yes_no(field):
    def column(obj):
        return gettext("Yes") if getattr(obj, field.name) else gettext("No")

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    return column


class AwardsModelAdmin(ModelAdmin):
    """A ``ModelAdmin`` that never answers 500 to what a client types, and renders with Wagtail's own files only.

    - **Boolean columns** are a translated yes or no. wagtail-modeladmin draws them with Django admin's icons,
      ``static("admin/img/icon-yes.svg")``: static files of ``django.contrib.admin``, which a Wagtail site need not
      install; with a manifest storage (production) the missing entry made every such list answer 500. Each
      boolean column of ``list_display`` is served by a method of the same name with the suffix ``_text``.
    - **Filters and search**: only the list's own filters, search, ordering and page are read from the query
      string. wagtail-modeladmin applies any other parameter as a lookup (no ``lookup_allowed`` check as in
      Django's admin), so ``?applicant__password__startswith=…`` was an oracle on fields the list does not show,
      and an unknown name answered 500. Parameters with a NUL character (which PostgreSQL cannot compare text with)
      are dropped too; either way a message says so and a redirect shows the list without them.
    - **Object ids** in the URL that are not ids (too long, other digits) are a 404, not a failed conversion.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._boolean_columns = {}
        for name in self.list_display:
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:  # a method or attribute, left as it is
                field = None
            if isinstance(field, models.BooleanField):
                self._boolean_columns[name] = f"{name}_text"
                setattr(self, f"{name}_text", _yes_no(field))

    def get_list_display(self, request):
        return tuple(self._boolean_columns.get(name, name) for name in super().get_list_display(request))

    #: Lookups the filters of ``list_filter`` read (``city``, ``status__exact``, ``day__gte``…).
    FILTER_LOOKUPS = ("", "exact", "isnull", "id__exact", "gte", "gt", "lte", "lt")

    def _query_key_allowed(self, key, filter_names):
        if key in ("q", "o", "p", "e", "export"):
            return True
        for name in filter_names:
            if key == name or (key.startswith(name + "__") and key[len(name) + 2 :] in self.FILTER_LOOKUPS):
                return True
        return False

    def _filter_names(self):
        names = []
        for spec in self.list_filter:
            if isinstance(spec, str):
                names.append(spec)
            elif isinstance(spec, (tuple, list)):
                names.append(spec[0] if isinstance(spec[0], str) else spec[0].name)
            else:  # a SimpleListFilter
                names.append(getattr(spec, "parameter_name", ""))
        return [name for name in names if name]

    def index_view(self, request):
        names = self._filter_names()
        pairs = [(key, value) for key, values in request.GET.lists() for value in values]
        kept = [
            (key, value)
            for key, value in pairs
            if "\x00" not in key and "\x00" not in value and self._query_key_allowed(key, names)
        ]
        if len(kept) != len(pairs):
            return self._without_filters(request, kept)
        try:
            return super().index_view(request)
        except IncorrectLookupParameters:
            return self._without_filters(request, [])

    def _without_filters(self, request, kept):
        messages.error(request, gettext("A filter or search could not be used; the list is shown without it."))
        return HttpResponseRedirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)

    def _object_view(self, view, request, instance_pk):
        if parse_id(str(instance_pk)) is None:
            raise Http404
        return view(request, instance_pk)

    def inspect_view(self, request, instance_pk):
        return self._object_view(super().inspect_view, request, instance_pk)

    def edit_view(self, request, instance_pk):
        return self._object_view(super().edit_view, request, instance_pk)

    def delete_view(self, request, instance_pk):
        return self._object_view(super().delete_view, request, instance_pk)
