"""Applicant accounts on the site: registration and linking a unit. Logging in and out and password resets are
Django's own views (see ``urls.py``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from ..domain.accounts import UnitRefused, link_applicant
from ..forms.accounts import RegistrationForm, UnitForm
from ..layout import layout_context


def _next_url(request, default="wagtail_awards:my_applications"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _link(request, user, unit_form):
    data = unit_form.cleaned_data
    try:
        return link_applicant(
            user=user, unit=data.get("unit"), new_unit_name=data.get("new_unit_name"), parent=data.get("parent")
        )
    except UnitRefused as exc:
        unit_form.add_error(None, str(exc))
        return None


@sensitive_post_parameters("password1", "password2")
def register(request):
    """Create an applicant account linked to its unit, then log it in."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    user_form = RegistrationForm(request.POST or None, prefix="account")
    unit_form = UnitForm(request.POST or None, prefix="unit")
    if request.method == "POST" and user_form.is_valid() and unit_form.is_valid():
        with transaction.atomic():
            user = user_form.save()
            unit = _link(request, user, unit_form)
            if unit is None:
                transaction.set_rollback(True)
        if unit is not None:
            backend = "django.contrib.auth.backends.ModelBackend"
            if backend not in settings.AUTHENTICATION_BACKENDS:
                backend = settings.AUTHENTICATION_BACKENDS[0]
            login(request, user, backend=backend)
            messages.success(request, _("Welcome! Your account is linked to %(unit)s.") % {"unit": unit.name})
            return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "wagtail_awards/accounts/register.html",
        layout_context({"user_form": user_form, "unit_form": unit_form, "next": _next_url(request, default="")}),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def choose_unit(request):
    """Link the logged-in user to a unit (e.g. after a first login through an external identity provider)."""
    unit_form = UnitForm(request.POST or None, prefix="unit")
    if request.method == "POST" and unit_form.is_valid():
        unit = _link(request, request.user, unit_form)
        if unit is not None:
            messages.success(request, _("Your account is linked to %(unit)s.") % {"unit": unit.name})
            return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "wagtail_awards/accounts/choose_unit.html",
        layout_context({"unit_form": unit_form, "next": _next_url(request, default="")}),
    )
