"""The base of the app's admin: the model admins' shared class, and the one base of every other screen of theirs.

Every model screen of the app is a wagtail-modeladmin ``ModelAdmin`` on :class:`AwardsModelAdmin`. The screens
wagtail-modeladmin does not make (the round's work lists, an action such as "cancel this award") are views *of*
those model admins: each names them in :attr:`AwardsModelAdmin.admin_views`, and they are built on two classes:

- :class:`AdminView`: a screen of the admin. It asks the access policy (:mod:`wagtail_awards.access`) for its
  action before anything else, and renders with Wagtail's admin furniture (title, breadcrumbs, icon).
- :class:`ActionView`: one action, always in the same steps: check the policy → validate a form → call the
  service → say what happened → go back.

URL names: wagtail-modeladmin's own views keep the names it makes (``wagtail_awards_award_modeladmin_index``);
every other view of the app's admin is named in one namespace, :data:`NAMESPACE`
(``reverse("wagtail_awards_admin:cancel_award", args=[award.pk])``, see :func:`admin_url`).
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views import View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail_modeladmin.options import ModelAdmin

from .. import (
    access,
    converters,  # noqa: F401 - registers <awards_id:…>
)
from ..rules.ids import parse_id
from .display import WordsInspectView

#: The URL namespace of every view of the app's admin that is not one of wagtail-modeladmin's own.
NAMESPACE = "wagtail_awards_admin"


def admin_url(name, *args, **query):
    """The URL of the view ``name`` of :data:`NAMESPACE`; keyword arguments with a value become its query string
    (``admin_url("ranking", call=call.pk)`` → ``/admin/awards/review/ranking/?call=8``)."""
    url = reverse(f"{NAMESPACE}:{name}", args=args)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _yes_no(field):
    def column(obj):
        return gettext("Yes") if getattr(obj, field.name) else gettext("No")

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    return column


def _label(field):
    def column(obj):
        return getattr(obj, f"get_{field.name}_display")()

    column.short_description = field.verbose_name
    return column


class AwardsModelAdmin(ModelAdmin):
    """A ``ModelAdmin`` that never answers 500 to what a client types, renders with Wagtail's own files only, and
    carries the app's own views of its rows.

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
    - **Exports** (``?export=csv|xlsx``, through the app's formula-safe exporter when ``index_view_class`` is
      ``exports.FormulaSafeIndexView``) have the list's columns unless ``list_export`` names others.
    - **The app's own views** of the screen (:attr:`admin_views`) are registered by the app's admin under
      :data:`NAMESPACE`, each given this model admin as ``model_admin``.
    """

    #: The app's own views of this screen: ``(route, view class, name in NAMESPACE)``; the route is the whole path
    #: under the admin (``"wagtail_awards/award/<awards_id:pk>/cancel/"``).
    admin_views = ()
    #: Whether Wagtail's reference index follows the rows of this screen (wagtail-modeladmin registers every
    #: model it lists). Off for rows written often (votes, scores, decisions): the index would add queries to each
    #: of their saves.
    index_references = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Columns served by a method: yes or no in words (lists and exports), a choice's label (exports).
        self._boolean_columns, self._export_columns = {}, {}
        for name in {*self.list_display, *self.list_export}:
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:  # a method or attribute, left as it is
                field = None
            if isinstance(field, models.BooleanField):
                self._boolean_columns[name] = self._export_columns[name] = f"{name}_text"
                setattr(self, f"{name}_text", _yes_no(field))
            elif field is not None and field.choices:
                self._export_columns[name] = f"{name}_label"
                setattr(self, f"{name}_label", _label(field))

    def get_admin_view_urls(self):
        """The URL patterns of :attr:`admin_views` (named within :data:`NAMESPACE` by the app's admin)."""
        return [path(route, view.as_view(model_admin=self), name=name) for route, view, name in self.admin_views]

    def register_indexing(self):
        if self.index_references:
            super().register_indexing()

    def get_list_display(self, request):
        return tuple(self._boolean_columns.get(name, name) for name in super().get_list_display(request))

    def get_list_export(self, request):
        """The columns of ``?export=csv|xlsx``: ``list_export``, else the list's own columns; yes or no and choices
        in words."""
        names = super().get_list_export(request) or self.list_display
        return tuple(self._export_columns.get(name, name) for name in names)

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


class ScopedInspectView(WordsInspectView):
    """The inspect view of a screen whose rows the policy scopes by query (``get_queryset``), not by an action on
    the object: a row outside the user's list is not found."""

    def check_action_permitted(self, user):
        return super().check_action_permitted(user) and (
            self.model_admin.get_queryset(self.request).filter(pk=self.instance.pk).exists()
        )


class PolicyMenuItem(MenuItem):
    """A menu item shown to whoever the policy lets do ``action``; its URL is named in :data:`NAMESPACE` and found
    when the menu is drawn."""

    def __init__(self, label, url_name, *, action, **kwargs):
        self.url_name, self.action = url_name, action
        super().__init__(label, "#", **kwargs)

    def is_shown(self, request):
        return access.can(request.user, self.action)

    def render_component(self, request):
        self.url = admin_url(self.url_name)
        return super().render_component(request)


class AdminView(WagtailAdminTemplateMixin, View):
    """A screen of the app's admin: the policy's check of its :attr:`action`, then the page.

    Views of a model admin get it as :attr:`model_admin` (see :attr:`AwardsModelAdmin.admin_views`).
    """

    #: The model admin whose view this is (``None`` for a view of a page, such as the next round's).
    model_admin = None
    #: The policy action (``access.policy``) that opens the screen.
    action = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permitted(request.user):
            raise PermissionDenied
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def permitted(self, user):
        """Whether ``user`` may open the screen (before any object is looked up)."""
        return access.can(user, self.action)

    def get_object(self):
        """The object the screen is about (``None`` for a screen of many); raise ``Http404`` when the user may not
        see it."""
        return None

    def get(self, request, *args, **kwargs):
        return self.render()

    def get_header_icon(self):
        if self.header_icon or self.model_admin is None:
            return self.header_icon
        return self.model_admin.get_menu_icon()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, model_admin=self.model_admin, **kwargs)

    def render(self, status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


class ActionView(AdminView):
    """One action: check the policy → validate a form → call the service → say what happened → go back.

    - as any :class:`AdminView`: :meth:`permitted` checks the screen's action, then :meth:`get_object` finds the
      object (404 when the user may not act on it);
    - a GET shows :attr:`template_name` with the form; an action without a page of its own (``template_name`` is
      ``None``, posted from a form on another screen) answers a GET with 405;
    - a POST validates the form; a valid one goes to :meth:`perform` (the service). A refusal by the service
      (an exception of :attr:`refused_by`) is said in a message; a success too (:meth:`success_message`); then
      :meth:`done` goes back (:meth:`get_success_url`);
    - a form that is not valid shows the page again with its errors (``invalid_status``), or, for an action
      without a page, goes back with :attr:`invalid_message`;
    - with :attr:`confirm_first`, a POST without ``confirm=1`` shows the page (what the action will do, and a
      button that sends ``confirm=1``) and changes nothing.
    """

    form_class = forms.Form
    template_name = None
    #: Exceptions by which the service refuses the action; their text is the message.
    refused_by = ()
    #: Said when the form of an action without a page of its own is not valid.
    invalid_message = ""
    #: The status of the page shown again with the form's errors.
    invalid_status = 400
    #: After a refusal: ``None`` goes back with the message; a status shows the page again with it.
    refused_status = None
    confirm_first = False

    def get_form_kwargs(self):
        return {}

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        if self.template_name is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return self.show(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES or None)
        if self.confirm_first and request.POST.get("confirm") != "1":
            return self.show(form)
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            result = self.perform(form)
        except self.refused_by as error:
            return self.refused(form, error)
        return self.done(form, result)

    def perform(self, form):
        """Call the service with the form's data; return what :meth:`success_message` and :meth:`done`
        need."""
        raise NotImplementedError

    def success_message(self, result):
        return ""

    def refusal_message(self, error):
        return str(error)

    def done(self, form, result):
        message = self.success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        if self.template_name is None:
            messages.error(self.request, self.invalid_message)
            return redirect(self.get_success_url())
        return self.show(form, status=self.invalid_status)

    def refused(self, form, error):
        messages.error(self.request, self.refusal_message(error))
        if self.refused_status is None:
            return redirect(self.get_success_url())
        return self.show(form, status=self.refused_status)

    def get_success_url(self):
        """Where the action goes back to."""
        return self.model_admin.url_helper.index_url

    def show(self, form, status=200, **context):
        """The action's page with ``form``."""
        return self.render(status=status, form=form, **context)
