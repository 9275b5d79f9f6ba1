"""The publicity page (公示): the list, the countdown and the objection form; later the final list (发布)."""

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail.models import Page

from .. import page_cache
from ..addresses import client_address
from ..captcha import OBJECTION, issue_challenge
from ..domain import publicity
from ..enums import AwardStatus
from ..forms.publicity import MAX_EVIDENCE_SIZE, ObjectionForm
from ..layout import layout_context
from ..models import Application, Award, PublicityPage
from ..models.publicity import OBJECTION_FORM_PARAM
from ..uploads import body_too_large, install_upload_limits, refusal_message, refused_uploads
from ..workdays import local_tz
from .applications import request_too_large


def period_label(period: publicity.Countdown) -> str:
    """E.g. "Publicity period: Sept. 29, 2021 to Oct. 11, 2021 (5 working days)", "公示期：2021年9月29日至10月11日
    （5个工作日）": both dates in the language's date format, the second without its year where the language's
    catalogue gives a shorter format for a date in the same year."""
    first = period.starts.astimezone(local_tz()).date()
    last = period.last_day
    ends = date_format(last, "DATE_FORMAT")
    if first.year == last.year:
        # Translated to a format without the year ("n月j日" in Chinese); untranslated, the language's DATE_FORMAT.
        same_year = pgettext("date format of a period's end in its start's year", "DATE_FORMAT")
        if same_year != "DATE_FORMAT":
            ends = dateformat.format(last, same_year)
    return ngettext(
        "Publicity period: %(starts)s to %(ends)s (%(days)s working day)",
        "Publicity period: %(starts)s to %(ends)s (%(days)s working days)",
        period.working_days,
    ) % {"starts": date_format(first, "DATE_FORMAT"), "ends": ends, "days": period.working_days}


def _project_label(application):
    unit = application.unit_name or application.organization.name
    return _("%(project)s (%(unit)s)") % {"project": application.project_name, "unit": unit}


def _awards(call):
    return list(
        Award.objects.filter(application__call=call)
        .select_related("application", "application__organization")
        .order_by(models.F("prize_rank").asc(nulls_last=True), "application__reference", "application__pk")
    )


def publicity_context(page, request, *, now, form=None):
    """What the template needs; a constant number of queries whatever the number of projects.

    Finalises the call's proposed awards when the period has ended (on read, idempotently). The objection form
    holds its question and CSRF token only when it shows errors or is asked for (``?objection``, the path without
    JavaScript); otherwise ``objection.js`` fetches them from :func:`objection_challenge`, and the page is public.
    """
    call = page.get_call()
    period = publicity.call_countdown(call=call, now=now)
    awards = []
    if period and period.state != "not_started":
        # A page shown to anyone lists the awards kept with the cached pages (an award's change purges them).
        if request.method == "GET":
            awards = page_cache.remember(f"awards:{call.pk}", lambda: _awards(call))
        else:
            awards = _awards(call)
    if request.method == "GET":
        call.load_notice_rows()  # the prize levels, with the call's other rows
    if period and period.has_ended and any(a.status == AwardStatus.PROPOSED for a in awards):
        publicity.finalise_awards(call=call, now=now, period=period)
        awards = _awards(call)
    published = bool(period and period.has_ended)
    if published:
        awards = [a for a in awards if a.status == AwardStatus.FINAL]
    levels = []
    for level in call.prize_levels.all():
        listed = [a for a in awards if a.prize_rank == level.rank]
        if listed:
            levels.append({"level": level, "awards": listed})
    most_popular = [a for a in awards if a.most_popular]
    projects = [(a.application_id, _project_label(a.application)) for a in awards if a.status == AwardStatus.PROPOSED]
    inline = request.method == "POST" or OBJECTION_FORM_PARAM in request.GET
    if period and period.is_open and form is None:
        form = ObjectionForm(projects=projects, request=request, with_captcha=inline)
    return {
        "call": call,
        "now": now,
        "period": period,
        "period_label": period_label(period) if period else "",
        "published": published,
        "prize_groups": levels,
        "most_popular_awards": most_popular,
        "cancelled_awards": [a for a in awards if a.status == AwardStatus.CANCELLED],
        "objection_form": form if period and period.is_open else None,
        "objection_projects": projects,
        "objection_challenge": not inline,
        "objection_form_param": OBJECTION_FORM_PARAM,
    }


#: Session key of the objection just filed, so the page after the redirect confirms it instead of showing an empty
#: form (which invites filing again).
OBJECTION_FILED = "wagtail_awards_objection_filed"


def serve_publicity_page(page, request, *args, **kwargs):
    """GET renders; POST files an objection and redirects (post/redirect/get) to a confirmation of it."""
    if request.method != "POST":
        context = page.get_context(request)
        session = getattr(request, "session", None)
        filed = session.pop(OBJECTION_FILED, None) if session is not None else None
        if filed and filed.get("page") == page.pk:
            context["objection_filed"] = filed
        response = TemplateResponse(request, page.get_template(request), context)
        if filed:
            response["Cache-Control"] = "private, no-store"
        return response
    now = timezone.now()
    call = page.get_call()
    period = publicity.call_countdown(call=call, now=now)
    target = page.url + "#objection"
    if period is None or not period.is_open:
        messages.error(request, _("Objections can be filed only during the publicity period."))
        return HttpResponseRedirect(target)
    form = ObjectionForm(
        request.POST,
        request.FILES,
        projects=publicity_context(page, request, now=now)["objection_projects"],
        request=request,
    )
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
                ip_hash=publicity.hash_address(address=client_address(request), secret=settings.SECRET_KEY),
                now=now,
            )
        except publicity.ObjectionLimited as exc:
            messages.error(request, str(exc))
            return _render(page, request, now=now, status=429)
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
                "project": _project_label(application),
                "filed": date_format(timezone.localtime(now), "DATETIME_FORMAT"),
            }
        elif objection.repeats <= 1:
            messages.success(request, _("Your objection has been received. Thank you."))
        return HttpResponseRedirect(target)
    return _render(page, request, now=now, form=form)


def _render(page, request, *, now, form=None, status=200):
    """The page again after a POST (with the form's errors, or a refusal): nothing of it is kept in a cache."""
    context = layout_context(Page.get_context(page, request))
    context.update(publicity_context(page, request, now=now, form=form), public_fragment=page.public_fragment(request))
    return TemplateResponse(request, page.get_template(request), context, status=status)


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
    return csrf_protect(lambda request: serve_publicity_page(page, request))(request)


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
