"""The vote endpoints. Nothing here may be cached: they hand out captchas and CSRF tokens and take votes."""

import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .. import captcha
from ..addresses import client_address
from ..captcha import burn_captcha
from ..conf import awards_settings
from ..domain import voting
from ..enums import DeadlineState
from ..forms.voting import VoteForm
from ..layout import layout_context

DEVICE_COOKIE = "awards_device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600
STATUS_FOR_REFUSAL = {"not_open": 403, "closed": 403, "already_voted": 409, "daily_limit": 409, "rate_limited": 429}
#: Refusals that come after the captcha was solved: they count against the voter's attempts like a vote.
SOLVED_REFUSALS = ("already_voted", "daily_limit")


def _device_id(request):
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        return uuid.UUID(value).hex
    except ValueError:
        return None


def _voter_key(request):
    """The voter's key, and a new device id to set when an anonymous voter has none yet."""
    if awards_settings.VOTE_REQUIRES_LOGIN:
        return voting.voter_key_for_user(request.user), None
    if request.user.is_authenticated:
        return voting.voter_key_for_user(request.user), None
    device = _device_id(request)
    new_device = None
    if device is None:
        device = new_device = uuid.uuid4().hex
    return voting.voter_key_for_device(device), new_device


def _set_device(request, response, device):
    if device:
        # Secure whenever the site's own cookies are (production) or the request came over HTTPS.
        secure = settings.SESSION_COOKIE_SECURE or request.is_secure()
        response.set_cookie(
            DEVICE_COOKIE, device, max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax", secure=secure
        )
    return response


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return "/"


def _login_required(request):
    return awards_settings.VOTE_REQUIRES_LOGIN and not request.user.is_authenticated


def _attempts_key(voter_key, address):
    """Solved attempts are counted per voter and address: junk from one address does not block its neighbours."""
    return "solved:" + voting.client_hash(f"{voter_key}|{address}")


@never_cache
def challenge(request):
    """A fresh captcha and CSRF token for the voting block's form, as JSON (never cached)."""
    if _login_required(request):
        login_url = resolve_url(settings.LOGIN_URL)
        return JsonResponse({"login_required": True, "login_url": login_url})
    key = captcha.issue_challenge(request, purpose=captcha.VOTE)
    if key is None:
        return JsonResponse({"error": str(voting.VoteRefused("rate_limited").message)}, status=429)
    return JsonResponse(
        {
            "login_required": False,
            "key": key,
            "image": reverse("captcha-image", kwargs={"key": key}),
            "audio": captcha.audio_url(key),
            "csrf": get_token(request),
        }
    )


@never_cache
def vote(request, call_id, application_id):
    """Confirm and cast one vote. GET shows the question (the no-JavaScript path); POST votes, then redirects (303).

    An accepted POST touches only what it needs (the vote is one statement on PostgreSQL); the candidate's page
    data is loaded only to show the confirmation page again.
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if _login_required(request):
        if voting.find_ballot(call_id=call_id, application_id=application_id) is None:
            raise Http404
        target = request.get_full_path() if request.method == "GET" else _safe_next(request, next_url)
        return redirect_to_login(target)

    now = timezone.now()
    if request.method != "POST":
        ballot = voting.find_ballot(call_id=call_id, application_id=application_id)
        if ballot is None:
            raise Http404
        state = voting.voting_state(now=now, opens=ballot.voting_opens, closes=ballot.voting_closes)
        if state != DeadlineState.OPEN:
            refusal = voting.VoteRefused("not_open" if state == DeadlineState.NOT_OPEN else "closed")
            return _confirm(request, call_id, application_id, None, next_url, refusal=refusal, status=403)
        key = captcha.issue_challenge(request, purpose=captcha.VOTE, now=now)
        if key is None:
            refusal = voting.VoteRefused("rate_limited")
            return _confirm(request, call_id, application_id, None, next_url, refusal=refusal, status=429)
        form = VoteForm(request=request)
        form.fields["captcha"].use_key(key)
        return _confirm(request, call_id, application_id, form, next_url)

    address = client_address(request)
    ip_hash = voting.client_hash(address)
    form = VoteForm(request.POST, request=request)
    if not form.is_valid():
        # No answer given, or a question issued to another visitor or form: the challenge is used up all the same
        # (the next attempt gets a new question) and the attempt is not counted against anyone.
        burn_captcha(key=request.POST.get("captcha_0", ""))
        return _confirm(
            request, call_id, application_id, VoteForm(request=request), next_url, wrong_answer=True, status=400
        )
    voter_key, new_device = _voter_key(request)
    captcha_key, captcha_answer = form.captcha_answer()
    attempts = _attempts_key(voter_key, address)
    limit, window = awards_settings.VOTE_IP_LIMIT, awards_settings.VOTE_IP_WINDOW
    if voting.rate_limit_reached(key=attempts, now=now, limit=limit, window=window):
        burn_captcha(key=captcha_key)
        refusal = voting.VoteRefused("rate_limited")
        response = _confirm(
            request, call_id, application_id, VoteForm(request=request), next_url, refusal=refusal, status=429
        )
        return _set_device(request, response, new_device)
    try:
        voting.cast_vote(
            call_id=call_id,
            application_id=application_id,
            captcha_key=captcha_key,
            captcha_answer=captcha_answer,
            voter_key=voter_key,
            user=request.user,
            ip_hash=ip_hash,
            user_agent_hash=voting.client_hash(request.META.get("HTTP_USER_AGENT", "")),
            now=now,
            per_day=awards_settings.VOTES_PER_DAY,
        )
    except voting.VoteRefused as exc:
        if exc.code in SOLVED_REFUSALS:
            voting.within_rate_limit(key=attempts, now=now, limit=limit, window=window)
        if exc.code == "not_candidate":
            raise Http404 from None
        form = VoteForm(request=request)
        if exc.code == "captcha":
            response = _confirm(request, call_id, application_id, form, next_url, wrong_answer=True, status=400)
        else:
            status = STATUS_FOR_REFUSAL.get(exc.code, 409)
            response = _confirm(request, call_id, application_id, form, next_url, refusal=exc, status=status)
        return _set_device(request, response, new_device)
    voting.within_rate_limit(key=attempts, now=now, limit=limit, window=window)
    return_to = _safe_next(request, next_url) if next_url else _call_url(call_id)
    separator = "&" if "?" in return_to else "?"
    response = HttpResponseRedirect(f"{return_to}{separator}voted={application_id}#candidate-{application_id}")
    response.status_code = 303
    return _set_device(request, response, new_device)


def _call_url(call_id):
    from ..models import CallPage

    call = CallPage.objects.filter(pk=call_id).first()
    return (call.url if call else None) or "/"


def _confirm(request, call_id, application_id, form, next_url, *, refusal=None, wrong_answer=False, status=200):
    candidate = voting.load_candidate(call_id=call_id, application_id=application_id)
    if candidate is None:
        raise Http404
    return_to = _safe_next(request, next_url) if next_url else (candidate.call.url or "/")
    if form is not None:
        form.initial["next"] = return_to
    context = {
        "candidate": candidate,
        "call": candidate.call,
        "form": form,
        "refusal": refusal,
        "wrong_answer": wrong_answer,
        "return_to": return_to,
    }
    return render(request, "wagtail_awards/voting/confirm.html", layout_context(context), status=status)
