"""Accounts on the site: registration with e-mail confirmation, asking to join a unit, invitations. Logging in
and out and password resets are Django's own views (see ``account_urls.py``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import access, throttle
from ..addresses import client_address, client_hash
from ..conf import awards_settings
from ..forms.accounts import InvitationForm, RegistrationForm, UnitForm
from ..layout import layout_context
from ..models import Membership
from ..services import accounts

T = "wagtail_awards/accounts/"


def _next_url(request, default="wagtail_awards:my_applications"):
    """A safe local ``next`` URL, else the URL of ``default`` (a URL name); never an error for odd input."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default) if default else ""


def _go(url):
    # A plain redirect: ``redirect()`` would try to reverse a next URL such as "abc" as a view name.
    return HttpResponseRedirect(url)


def _login(request, user):
    backend = "django.contrib.auth.backends.ModelBackend"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    login(request, user, backend=backend)


def _request_unit(user, unit_form):
    """Ask to join the unit the form names; the :class:`accounts.UnitRequest`, or ``None`` with an error set."""
    data = unit_form.cleaned_data
    try:
        return accounts.request_membership(
            user=user,
            unit=data.get("unit"),
            new_unit_name=data.get("new_unit_name") or "",
            parent=data.get("parent"),
            note=data.get("note") or "",
        )
    except accounts.UnitRefused as exc:
        unit_form.add_error(None, str(exc))
        return None


def _address(request):
    return client_hash(client_address(request))


@never_cache
@sensitive_post_parameters("password1", "password2")
def register(request):
    """A new account (inactive until its address is confirmed), optionally asking to join a unit.

    Whatever the address, a valid form ends on the same "check your mailbox" page: an address already registered
    gets an e-mail saying so instead of a second account, so the page tells nobody which addresses exist.
    """
    if request.user.is_authenticated:
        return _go(_next_url(request))
    user_form = RegistrationForm(request.POST or None, prefix="account", request=request)
    unit_form = UnitForm(request.POST or None, prefix="unit", required=False)
    context = layout_context({"user_form": user_form, "unit_form": unit_form, "next": _next_url(request, default="")})
    if request.method != "POST":
        return TemplateResponse(request, T + "register.html", context)
    if not (user_form.is_valid() and unit_form.is_valid()):
        return TemplateResponse(request, T + "register.html", context, status=400)
    if not throttle.allow(
        "register",
        _address(request),
        limit=awards_settings.REGISTRATION_LIMIT,
        window=awards_settings.REGISTRATION_WINDOW,
    ):
        user_form.add_error(None, _("Too many accounts were registered from your network. Please try again later."))
        return TemplateResponse(request, T + "register.html", context, status=429)
    email = user_form.cleaned_data["email"]
    existing = accounts.find_account(email)
    if existing is not None:
        accounts.send_already_registered(request=request, user=existing)
        return redirect("wagtail_awards:register_sent")
    with transaction.atomic():
        user = accounts.create_account(
            email=email, password=user_form.cleaned_data["password1"], values=user_form.account_values()
        )
        unit_request = _request_unit(user, unit_form) if unit_form.wanted else None
        if unit_form.wanted and unit_request is None:
            transaction.set_rollback(True)
    if unit_form.wanted and unit_request is None:
        return TemplateResponse(request, T + "register.html", context, status=400)
    accounts.send_confirmation(request=request, user=user)
    request.session["awards_registered_unit"] = unit_request.membership.organization.name if unit_request else ""
    return redirect("wagtail_awards:register_sent")


@never_cache
def register_sent(request):
    """What happens next, after a registration: confirm the address, then (for a unit) wait for approval."""
    return TemplateResponse(
        request,
        T + "register_sent.html",
        layout_context({"unit_name": request.session.pop("awards_registered_unit", "")}),
    )


@never_cache
def verify_email(request, uidb64, token):
    """The link of the confirmation e-mail: the account becomes active, its address verified; the user is in."""
    user = accounts.confirm_email(uidb64=uidb64, token=token)
    if user is None:
        return TemplateResponse(request, T + "verify_failed.html", layout_context(), status=400)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        _login(request, user)
    messages.success(request, _("Your e-mail address is confirmed."))
    return redirect("wagtail_awards:account")


@login_required
@never_cache
def send_verification(request):
    """Send the present address of a logged-in account a confirmation link (POST)."""
    if request.method == "POST":
        if throttle.allow("verify-mail", str(request.user.pk), limit=5, window=3600):
            accounts.send_confirmation(request=request, user=request.user)
            messages.success(request, _("A confirmation link was sent to your e-mail address."))
        else:
            messages.error(request, _("Too many confirmation e-mails. Please try again later."))
    return redirect("wagtail_awards:account")


@login_required
@never_cache
def account(request):
    """The account's page: its address (confirmed or not) and its unit memberships with their status."""
    memberships = Membership.objects.filter(user=request.user).select_related("organization").order_by("-requested_at")
    return TemplateResponse(
        request,
        T + "account.html",
        layout_context(
            {
                "memberships": memberships,
                "verified_email": access.verified_email(request.user),
                "email": getattr(request.user, request.user.get_email_field_name(), ""),
            }
        ),
    )


@login_required
@never_cache
def choose_unit(request):
    """Ask to join a unit (e.g. after a first login through an external identity provider); pending approval."""
    unit_form = UnitForm(request.POST or None, prefix="unit")
    if request.method == "POST" and unit_form.is_valid():
        unit_request = _request_unit(request.user, unit_form)
        if unit_request is not None:
            if unit_request.pending:
                messages.success(
                    request,
                    _(
                        "Your request to join %(unit)s has been sent. It will be approved by its recommending "
                        "organisation; you can apply once it is."
                    )
                    % {"unit": unit_request.membership.organization.name},
                )
            return redirect("wagtail_awards:account")
    return TemplateResponse(
        request,
        T + "choose_unit.html",
        layout_context({"unit_form": unit_form, "next": _next_url(request, default="")}),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@never_cache
def join(request, code=""):
    """Redeem an invitation (from its link or typed in): the user becomes an approved applicant of its unit."""
    form = InvitationForm(request.POST or None, initial={"code": code})
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle.allow("join", str(request.user.pk), limit=20, window=3600):
            form.add_error(None, _("Too many attempts. Please try again later."))
            status = 429
        else:
            try:
                membership = accounts.redeem_invitation(user=request.user, code=form.cleaned_data["code"])
            except accounts.UnitRefused as exc:
                form.add_error("code", str(exc))
                status = 400
            else:
                messages.success(
                    request, _("You are now an applicant of %(unit)s.") % {"unit": membership.organization.name}
                )
                return redirect("wagtail_awards:my_applications")
    elif request.method == "POST":
        status = 400
    return TemplateResponse(request, T + "join.html", layout_context({"form": form}), status=status)


def locked_out(request, *args, **kwargs):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): the app's page, inside the site's base
    template like every other page of the app."""
    # Rendered here: axes hands the response on from its middleware, where nothing renders a TemplateResponse.
    return TemplateResponse(request, T + "locked_out.html", layout_context(), status=429).render()
