"""Applicants' views: the form (drafts and submission), confirmation, "my applications", withdrawal, downloads."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from .. import access
from ..enums import ApplicationStatus
from ..layout import layout_context
from ..models import Application, ApplicationFile, ApplicationFormPage
from ..rules.applications import ApplicationRefused, can_withdraw, labelled_answers
from ..rules.files import format_size
from ..rules.ids import parse_id
from ..services import applications as service
from ..services.accounts import pending_unit_names
from ..uploads import body_too_large, install_upload_limits, max_request_size


def form_page(request, page):
    """The application form page (wired in ``wagtail_hooks``): a new application, or the draft given by
    ``?application=<id>``. The form is sent to :func:`save_application`."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = None
    if "application" in request.GET:
        pk = parse_id(request.GET["application"])
        application = Application.objects.filter(pk=pk, call=page.call).first() if pk else None
        if application is None or not access.can(request.user, "application.view", application):
            raise Http404
        if not access.can(request.user, "application.edit", application):
            return redirect("wagtail_awards:application_detail", pk=application.pk)
    return render_form(request, page=page, application=application)


def render_form(request, *, page, application=None, form=None, status=200):
    """Render the application form page for a new application or a draft."""
    units = list(access.applicant_units(request.user))
    organization = application.organization if application else (units[0] if units else None)
    existing = list(application.files.all()) if application else []
    if form is None:
        if application is not None:
            initial = page.initial_for(application)
        elif organization is not None:
            # The notice: “审核单位”选择省教育科技工会委员会 — the province union reviews, not the city union.
            province = organization.province
            initial = {"unit_name": organization.name, "reviewing_unit": province.name if province else ""}
        else:
            initial = {}
        form = page.get_form(page=page, user=request.user, initial=initial)
    context = page.get_context(request)
    context.update(
        form=form,
        application=application,
        organization=organization,
        existing_files=existing,
        token=request.POST.get("token") or uuid.uuid4(),
        can_apply=organization is not None,
        pending_units=[] if organization is not None else pending_unit_names(request.user),
    )
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def save_application(request, page_id):
    """Save a draft or submit it ("在线申报"). POST only.

    Nothing of the body is read until the user is known to be an applicant and the body is within
    ``WAGTAIL_AWARDS_MAX_REQUEST_SIZE``; then the size limits of the form's upload fields are installed as an upload
    handler (other file fields get 0 bytes). So this view is exempt from the CSRF middleware, which would read the
    body first, and checks the token itself once the handler is in place.
    """
    page = get_object_or_404(ApplicationFormPage.objects.live(), pk=page_id).specific
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    units = list(access.applicant_units(request.user))
    if not units:
        raise PermissionDenied
    if body_too_large(request):
        return request_too_large(request, back_url=page.url)
    handler = install_upload_limits(request, limits=page.upload_limits())
    return _save_application(request, page=page, handler=handler, units=units)


def request_too_large(request, *, back_url):
    """The answer to a body over ``WAGTAIL_AWARDS_MAX_REQUEST_SIZE``, given before any of it is read."""
    context = {"limit": format_size(max_request_size()), "back_url": back_url}
    return TemplateResponse(request, "wagtail_awards/request_too_large.html", layout_context(context), status=413)


@csrf_protect
def _save_application(request, *, page, handler, units):
    application = None
    if request.POST.get("application"):
        try:
            application = Application.objects.get(pk=int(request.POST["application"]), call=page.call)
        except (Application.DoesNotExist, ValueError):
            raise Http404 from None
        if not access.can(request.user, "application.view", application):
            raise Http404
        if not access.can(request.user, "application.edit", application):
            if application.status == ApplicationStatus.SUBMITTED:
                # A replayed submission: the application is already in.
                return redirect("wagtail_awards:application_submitted", pk=application.pk)
            messages.error(request, _("This application has been submitted and is locked."))
            return redirect("wagtail_awards:application_detail", pk=application.pk)
    organization = application.organization if application else units[0]
    existing_counts = service.file_counts(application=application) if application else {}
    remove_ids = _ints(request.POST.getlist("remove_files"))
    if application:
        removed = application.files.filter(pk__in=remove_ids)
        for item in removed:
            existing_counts[item.field_name] = existing_counts.get(item.field_name, 1) - 1
    form = page.get_form(
        request.POST,
        request.FILES,
        page=page,
        user=request.user,
        initial={"unit_name": organization.name},
        existing_counts=existing_counts,
        upload_errors=handler.errors,
    )
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        return render_form(request, page=page, application=application, form=form, status=400)
    submitting = request.POST.get("action") == "submit"
    refused = None
    try:
        # Saving and submitting hold the application's row lock together: a second click waits for the first,
        # then finds the application submitted.
        with transaction.atomic():
            application = service.save_draft(
                call=page.call,
                user=request.user,
                organization=organization,
                data=form.draft_data(remove_file_ids=remove_ids),
                application=application,
                token=request.POST.get("token"),
            )
            if submitting:
                was_submitted = application.status == ApplicationStatus.SUBMITTED
                try:
                    application = service.submit(
                        application=application, user=request.user, required=page.required_items()
                    )
                except ApplicationRefused as exc:
                    refused = exc  # the draft stays saved
                else:
                    if not was_submitted:
                        # Sent once this transaction commits; a mail failure never undoes or hides the submission.
                        base_url = f"{request.scheme}://{request.get_host()}"
                        service.queue_receipt(application=application, base_url=base_url)
    except ApplicationRefused as exc:
        refused = exc
    if refused is None:
        if submitting:
            return redirect("wagtail_awards:application_submitted", pk=application.pk)
        messages.success(request, _("Your draft was saved. You may come back and change it until the deadline."))
        return redirect(f"{page.url}?application={application.pk}")
    if refused.application is not None and refused.application.status == ApplicationStatus.SUBMITTED:
        return redirect("wagtail_awards:application_submitted", pk=refused.application.pk)
    if refused.code == "incomplete":
        for name in refused.fields:
            if name in form.fields:
                ticked = isinstance(form.fields[name], forms.BooleanField)
                form.add_error(name, _("Tick this before submitting.") if ticked else _("Required before submitting."))
    if refused.code == "too_many_files":
        for name in refused.fields:
            if name in form.fields:
                form.add_error(name, refused.message)
    if application is not None and application.pk and refused.code in ("incomplete", "past_award"):
        messages.warning(request, _("Your draft was saved, but it cannot be submitted yet."))
    messages.error(request, refused.message)
    if application is not None and application.pk:
        application = Application.objects.filter(pk=application.pk).first()
    return render_form(request, page=page, application=application, form=form, status=400)


def _ints(values):
    result = []
    for value in values:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            continue
    return result


def _visible_or_404(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "organization", "recommending_organization"), pk=pk
    )
    # Someone not allowed learns nothing, not even that the application exists.
    if not access.can(request.user, "application.view", application):
        raise Http404
    return application


def _form_page(application):
    return ApplicationFormPage.objects.child_of(application.call).live().first()


@login_required
@never_cache
def application_detail(request, pk, *, submitted=False):
    """One application as its unit (or anyone allowed) sees it: status, reference, answers, files."""
    application = _visible_or_404(request, pk)
    form_page = _form_page(application)
    now = timezone.now()
    answers = labelled_answers(answers=application.answers, fields=form_page.answer_fields() if form_page else [])
    open_now = application.call.application_state(now=now).accepts
    context = {
        "application": application,
        "answers": answers,
        "files": application.files.all(),
        "form_page": form_page,
        "submitted": submitted,
        "can_edit": open_now and access.can(request.user, "application.edit", application),
        "can_withdraw": access.can(request.user, "application.withdraw", application)
        and can_withdraw(status=application.status, now=now, deadline=application.call.application_deadline),
    }
    template = (
        "wagtail_awards/applications/confirmation.html" if submitted else "wagtail_awards/applications/detail.html"
    )
    return TemplateResponse(request, template, layout_context(context))


def application_submitted(request, pk):
    return application_detail(request, pk, submitted=True)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_application(request, pk):
    """Withdraw a submitted application: GET (or a POST without ``confirm``) asks first, a confirmed POST does it."""
    application = _visible_or_404(request, pk)
    if not access.can(request.user, "application.withdraw", application):
        raise PermissionDenied
    if request.method == "GET" or request.POST.get("confirm") != "1":
        response = TemplateResponse(
            request, "wagtail_awards/applications/withdraw_confirm.html", layout_context({"application": application})
        )
        response["Cache-Control"] = "no-store"
        return response
    try:
        service.withdraw(application=application, user=request.user)
    except ApplicationRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The application was withdrawn. You may edit and submit it again before the deadline.")
        )
    return redirect("wagtail_awards:application_detail", pk=application.pk)


@login_required
@never_cache
def my_applications(request):
    """Every application of the user's units, in every call, with its status and reference number."""
    applications = (
        access.visible_applications(request.user, access.Purpose.UNIT)
        .select_related("call", "organization")
        .order_by("-call__year", "-updated_at")
    )
    forms = {page.get_parent().pk: page for page in ApplicationFormPage.objects.live()}
    open_forms = [page for page in forms.values() if page.call.application_state().accepts]
    return TemplateResponse(
        request,
        "wagtail_awards/applications/my_applications.html",
        layout_context(
            {
                "applications": applications,
                "open_forms": open_forms,
                "has_unit": access.roles(request.user).applicant,
                "pending_units": pending_unit_names(request.user),
            }
        ),
    )


@login_required
def download_file(request, pk):
    """Send one uploaded file to a user allowed to see its application, as an attachment that is never sniffed."""
    item = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=pk)
    if not access.can(request.user, "file.download", item):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
