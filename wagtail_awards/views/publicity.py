"""The publicity page (公示): the list, the countdown and the objection form; later the final list (发布)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ..addresses import client_address
from ..forms.publicity import MAX_EVIDENCE_SIZE, ObjectionForm
from ..models import Application, PublicityPage
from ..models.publicity import project_label
from ..rules.publicity import hash_address
from ..services import publicity
from ..services.captcha import OBJECTION, issue_challenge
from ..uploads import body_too_large, install_upload_limits, refusal_message, refused_uploads
from .applications import request_too_large

#: Session key of the objection just filed, so the page after the redirect confirms it instead of showing an empty
#: form (which invites filing again).
OBJECTION_FILED = "wagtail_awards_objection_filed"


def publicity_page(request, page):
    """The publicity page (wired in ``wagtail_hooks``): GET shows the list and writes nothing (after the period the
    awards become final by ``manage.py awards_finalise``); POST files an objection and redirects
    (post/redirect/get) to a confirmation of it."""
    if request.method == "POST":
        return _file_objection(request, page)
    now = timezone.now()
    context = page.get_context(request, now=now)
    period = context["period"]
    if period and period.is_open:
        context["objection_form"] = ObjectionForm(
            projects=context["objection_projects"], request=request, with_captcha=page.objection_inline(request)
        )
    session = getattr(request, "session", None)
    filed = session.pop(OBJECTION_FILED, None) if session is not None else None
    if filed and filed.get("page") == page.pk:
        context["objection_filed"] = filed
    response = TemplateResponse(request, page.get_template(request), context)
    if filed:
        response["Cache-Control"] = "private, no-store"
    return page.public_response(request, response)


def _file_objection(request, page):
    now = timezone.now()
    context = page.get_context(request, now=now)
    call, period = context["call"], context["period"]
    target = page.url + "#objection"
    if period is None or not period.is_open:
        messages.error(request, _("Objections can be filed only during the publicity period."))
        return HttpResponseRedirect(target)
    form = ObjectionForm(request.POST, request.FILES, projects=context["objection_projects"], request=request)
    for refusal in refused_uploads(request):
        form.add_error("file", refusal_message(refusal))
    if form.is_valid():
        application = Application.objects.select_related("award").get(pk=form.cleaned_data["application"])
        try:
            objection = publicity.file_objection(
                application=application,
                call=call,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                content=form.cleaned_data["content"],
                file=form.cleaned_data.get("file"),
                ip_hash=hash_address(address=client_address(request), secret=settings.SECRET_KEY),
                now=now,
            )
        except publicity.ObjectionLimited as exc:
            messages.error(request, str(exc))
            context["objection_form"] = ObjectionForm(projects=context["objection_projects"], request=request)
            return TemplateResponse(request, page.get_template(request), context, status=429)
        except publicity.PublicityError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(target)
        if objection.repeats > 1:
            messages.info(
                request,
                _("This objection had been received already; it is now counted %(count)d times.")
                % {"count": objection.repeats},
            )
        if getattr(request, "session", None) is not None:
            request.session[OBJECTION_FILED] = {
                "page": page.pk,
                "project": project_label(application),
                "filed": date_format(timezone.localtime(now), "DATETIME_FORMAT"),
            }
        elif objection.repeats <= 1:
            messages.success(request, _("Your objection has been received. Thank you."))
        return HttpResponseRedirect(target)
    context["objection_form"] = form
    return TemplateResponse(request, page.get_template(request), context)


@csrf_exempt
def objection(request, page_id):
    """Where the objection form posts: the publicity page's POST with the evidence file limited while it streams in.

    The page's own URL would have the CSRF middleware read the body before the page could set a limit; so this view
    is exempt from it, installs the limit (anonymous visitors may send the one evidence file), then checks the token.
    """
    page = get_object_or_404(PublicityPage.objects.live(), pk=page_id).specific
    # The page's privacy (login, password, groups) holds here as on the page, which asks for what is missing.
    restricted = any(not restriction.accept_request(request) for restriction in page.get_view_restrictions())
    if request.method != "POST" or restricted:
        return HttpResponseRedirect(page.url)
    if body_too_large(request):
        return request_too_large(request, back_url=page.url + "#objection")
    install_upload_limits(request, limits={"file": MAX_EVIDENCE_SIZE}, allow_anonymous=True)
    return csrf_protect(lambda request: publicity_page(request, page))(request)


@never_cache
def objection_challenge(request):
    """A fresh captcha and CSRF token for the objection form of a cached publicity page, as JSON (never cached).

    Every question is a database row: limited per IP address like the vote's questions.
    """
    key = issue_challenge(request, purpose=OBJECTION)
    if key is None:
        message = _("Too many requests from your network. Please wait a while and try again.")
        return JsonResponse({"error": message}, status=429)
    return JsonResponse(
        {"key": key, "image": reverse("captcha-image", kwargs={"key": key}), "csrf": get_token(request)}
    )
