"""The vote endpoints. Nothing here may be cached: they hand out captchas and CSRF tokens and take votes.

Who votes is :mod:`wagtail_awards.voters`' answer (a verified account, a voting code or, where a site chooses it, an
insecure device); a visitor who is no voter yet is told what to do instead.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from ..account_checks import account_check_key, account_checks_in_shared_cache, forget_account_checks
from ..addresses import client_address, client_hash
from ..conf import awards_settings
from ..enums import DeadlineState
from ..forms.voting import VoteForm, VotingCodeForm
from ..layout import layout_context
from ..models import CallPage, VotingPage
from ..rules.voting import VoteRefused, voting_state
from ..services import captcha, voters, voting
from ..services.captcha import burn_captcha

#: The link text to where a visitor becomes a voter.
NEED_LINKS = {"login": _("Log in"), "code": _("Enter your voting code")}

STATUS_FOR_REFUSAL = {
    "not_open": 403,
    "closed": 403,
    "already_voted": 409,
    "daily_limit": 409,
    "rate_limited": 429,
    "bad_code": 403,
    "verify": 403,
    "roll": 403,
    "device": 403,
}
#: Refusals that come after the captcha was solved: they count against the voter's attempts like a vote.
SOLVED_REFUSALS = ("already_voted", "daily_limit")


def _need_url(request, need, target):
    """Where a visitor goes to become a voter (``target`` after that), or ``None`` when there is nowhere to go."""
    if need.reason == "login":
        return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}"
    if need.reason == "code":
        return f"{reverse('wagtail_awards:voting_code')}?{urlencode({'next': target})}"
    return None


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return "/"


def _attempts_key(voter_key, address):
    """Solved attempts are counted per voter and address: junk from one address does not block its neighbours."""
    return "solved:" + client_hash(f"{voter_key}|{address}")


def _with_voter_cookies(request, who, response):
    """Give a browser without a signed device cookie one (insecure device votes only), and a verified account's
    browser the hint naming it (:func:`~wagtail_awards.services.voters.remember_voter`)."""
    if isinstance(who, voters.Need) and who.reason == "device":
        voters.give_device(response, request=request)
    return voters.remember_voter(response, who, request=request)


@never_cache
def challenge(request):
    """A fresh captcha and CSRF token for the voting block's form, as JSON (never cached).

    A visitor who is no voter yet gets what to do instead (``need``: log in, enter a code, …); a visitor of an
    insecure device vote gets a signed device cookie with the question.
    """
    who = voters.identify(request)
    if isinstance(who, voters.Need) and who.reason != "device":
        target = request.GET.get("next") or "/"
        url = _need_url(request, who, _safe_next(request, target))
        return JsonResponse(
            {
                "login_required": who.reason == "login",
                "login_url": resolve_url(settings.LOGIN_URL),
                "need": who.reason,
                "message": str(who.message),
                "url": url,
                "link": str(NEED_LINKS.get(who.reason, "")),
            }
        )
    key = captcha.issue_challenge(request, purpose=captcha.VOTE)
    if key is None:
        return JsonResponse({"error": str(VoteRefused("rate_limited").message)}, status=429)
    response = JsonResponse(
        {
            "login_required": False,
            "need": None,
            "key": key,
            "image": reverse("captcha-image", kwargs={"key": key}),
            "audio": captcha.audio_url(key),
            "csrf": get_token(request),
        }
    )
    return _with_voter_cookies(request, who, response)


class _Attempt:
    """A vote's attempt counted before its voter is known for sure: for the voter its cookies name, with the session
    read (and, where questions are kept in the shared cache, the question's answer taken) in the same round trip.
    The vote keeps it (``kept``) when that is its voter."""

    def __init__(self, voter, now, *, request):
        self.key, self.now, self.kept = _attempts_key(voter.key, client_address(request)), now, False
        limit, window = awards_settings.VOTE_IP_LIMIT, awards_settings.VOTE_IP_WINDOW
        session = getattr(request, "session", None)
        self.captcha_key = request.POST.get("captcha_0", "") if captcha.answers_in_shared_cache() else None
        # A verified account's check, kept in the shared cache, is read in the same round trip.
        read = None
        if voter.user_id is not None and account_checks_in_shared_cache():
            read = account_check_key(voter.user_id)
        self.within, self.answer, entry = voting.count_attempt(
            key=self.key, now=now, limit=limit, window=window, session=session, captcha_key=self.captcha_key, read=read
        )
        if read is not None:
            voters.found_account_check(request, entry)

    def give_back(self):
        limit, window = awards_settings.VOTE_IP_LIMIT, awards_settings.VOTE_IP_WINDOW
        voting.give_back_attempt(key=self.key, now=self.now, limit=limit, window=window)


@never_cache
def vote(request, call_id, application_id):
    """Confirm and cast one vote. GET shows the question (the no-JavaScript path); POST votes, then redirects (303).

    An accepted POST touches only what it needs (the vote is one statement on PostgreSQL); the candidate's page
    data is loaded only to show the confirmation page again. A POST from a browser whose signed cookies name its
    voter (a voting code, a device, a verified account's hint) counts that voter's attempt first, reading the session
    in the same round trip; the attempt is given back unless it turns out to be this voter's and to count.
    """
    now = timezone.now()
    cookie_voter = voters.cookie_voter(request) if request.method == "POST" else None
    if cookie_voter is None or awards_settings.VOTE_IP_LIMIT <= 0:
        return _vote(request, call_id, application_id, now=now, early=None)
    early = _Attempt(cookie_voter, now, request=request)
    try:
        return _vote(request, call_id, application_id, now=now, early=early)
    finally:
        if not early.kept:
            early.give_back()


def _vote(request, call_id, application_id, *, now, early):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    who = voters.identify(request)
    if isinstance(who, voters.Need) and who.reason in ("login", "code"):
        if voting.find_ballot(call_id=call_id, application_id=application_id) is None:
            raise Http404
        target = request.get_full_path() if request.method == "GET" else _safe_next(request, next_url)
        return HttpResponseRedirect(_need_url(request, who, target))
    if isinstance(who, voters.Need) and who.reason in ("verify", "roll"):
        refusal = VoteRefused(who.reason)
        return _confirm(request, call_id, application_id, None, next_url, refusal=refusal, status=403)

    if request.method != "POST":
        ballot = voting.find_ballot(call_id=call_id, application_id=application_id)
        if ballot is None:
            raise Http404
        state = voting_state(now=now, opens=ballot.voting_opens, closes=ballot.voting_closes)
        if state != DeadlineState.OPEN:
            refusal = VoteRefused("not_open" if state == DeadlineState.NOT_OPEN else "closed")
            return _confirm(request, call_id, application_id, None, next_url, refusal=refusal, status=403)
        key = captcha.issue_challenge(request, purpose=captcha.VOTE, now=now)
        if key is None:
            refusal = VoteRefused("rate_limited")
            return _confirm(request, call_id, application_id, None, next_url, refusal=refusal, status=429)
        form = VoteForm(request=request)
        form.fields["captcha"].use_key(key)
        return _with_voter_cookies(request, who, _confirm(request, call_id, application_id, form, next_url))

    address = client_address(request)
    ip_hash = client_hash(address)
    given = VoteForm.accepted_answer(request.POST, request=request)
    if given is None:
        form = VoteForm(request.POST, request=request)
        if not form.is_valid():
            # No answer given, or a question issued to another visitor or form: the challenge is used up all the
            # same (the next attempt gets a new question) and the attempt is not counted against anyone.
            burn_captcha(key=request.POST.get("captcha_0", ""))
            response = _confirm(
                request, call_id, application_id, VoteForm(request=request), next_url, wrong_answer=True, status=400
            )
            return _with_voter_cookies(request, who, response)
        given = form.captcha_answer()
    captcha_key, captcha_answer = given
    if isinstance(who, voters.Need):
        # An insecure device vote without a signed device cookie (none, or a forged one) is no voter: the
        # question is used up, and the answer gives the browser a device for its next try.
        burn_captcha(key=captcha_key)
        refusal = VoteRefused("device")
        response = _confirm(
            request, call_id, application_id, VoteForm(request=request), next_url, refusal=refusal, status=403
        )
        return _with_voter_cookies(request, who, response)
    attempts = _attempts_key(who.key, address)
    limit, window = awards_settings.VOTE_IP_LIMIT, awards_settings.VOTE_IP_WINDOW
    # The attempt is counted up front (one round trip to the shared cache); it is given back below unless the
    # captcha was solved. Concurrent attempts therefore never pass the limit together. Where questions are kept in
    # the shared cache, the answer is taken in that round trip (or the early attempt's) and checked here.
    in_cache = captcha.answers_in_shared_cache()
    taken = early is not None and early.captcha_key is not None
    if early is not None and early.key == attempts:
        early.kept = True  # counted already, for this very voter
        within, answer = early.within, early.answer
    else:
        take = captcha_key if in_cache and not taken else None
        within, answer, _entry = voting.count_attempt(
            key=attempts, now=now, limit=limit, window=window, captcha_key=take
        )
        if taken:
            answer = early.answer
    if not within:
        burn_captcha(key=captcha_key)
        refusal = VoteRefused("rate_limited")
        return _confirm(
            request, call_id, application_id, VoteForm(request=request), next_url, refusal=refusal, status=429
        )
    if in_cache and not captcha.solves(answer=captcha_answer, stored=answer):
        voting.give_back_attempt(key=attempts, now=now, limit=limit, window=window)
        form = VoteForm(request=request)
        return _confirm(request, call_id, application_id, form, next_url, wrong_answer=True, status=400)
    try:
        voting.cast_vote(
            call_id=call_id,
            application_id=application_id,
            # Where the answer was checked above, the question is used up already: the vote's statement skips it.
            captcha_key=None if in_cache else captcha_key,
            captcha_answer=captcha_answer,
            voter_key=who.key,
            voter_id=who.user_id,
            check_active=voters.needs_active_check(request, who),
            code_id=who.code_id,
            ip_hash=ip_hash,
            user_agent_hash=client_hash(request.META.get("HTTP_USER_AGENT", "")),
            now=now,
            per_day=awards_settings.VOTES_PER_DAY,
        )
    except VoteRefused as exc:
        if exc.code not in SOLVED_REFUSALS:
            voting.give_back_attempt(key=attempts, now=now, limit=limit, window=window)
        if exc.code == "not_candidate":
            raise Http404 from None
        if exc.code == "login":  # the account was deactivated since its check was kept
            forget_account_checks([who.user_id])
            return HttpResponseRedirect(_need_url(request, voters.Need("login"), _safe_next(request, next_url)))
        form = VoteForm(request=request)
        if exc.code == "captcha":
            return _confirm(request, call_id, application_id, form, next_url, wrong_answer=True, status=400)
        status = STATUS_FOR_REFUSAL.get(exc.code, 409)
        return _confirm(request, call_id, application_id, form, next_url, refusal=exc, status=status)
    return_to = _safe_next(request, next_url) if next_url else _call_url(call_id)
    separator = "&" if "?" in return_to else "?"
    response = HttpResponseRedirect(f"{return_to}{separator}voted={application_id}#candidate-{application_id}")
    response.status_code = 303
    return voters.remember_voter(response, who, request=request)


def _call_url(call_id):
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


@never_cache
def voting_code(request):
    """Enter a voting code (or open the link of its QR code): the browser keeps it, signed, and votes with it.

    A link carries the code in ``?c=`` and shows it in the form; it is kept only when the form is sent (a POST
    with its CSRF token), so another site cannot slip a code of its own into a browser. Every attempt counts
    against the per-address limit, so codes cannot be guessed.
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    template = "wagtail_awards/voting/code.html"
    if request.method != "POST":
        form = VotingCodeForm(initial={"code": request.GET.get("c", "")[:64], "next": next_url})
        return render(request, template, layout_context({"form": form}))
    ip_hash = client_hash(client_address(request))
    if not voting.within_rate_limit(
        key=f"code:{ip_hash}",
        now=timezone.now(),
        limit=awards_settings.VOTE_IP_LIMIT,
        window=awards_settings.VOTE_IP_WINDOW,
    ):
        form = VotingCodeForm(initial={"next": next_url})
        refusal = VoteRefused("rate_limited")
        return render(request, template, layout_context({"form": form, "refusal": refusal}), status=429)
    form = VotingCodeForm(request.POST)
    code = voters.find_code(form.data.get("code", "")) if form.is_valid() else None
    if code is None:
        if form.is_valid():
            form.add_error("code", VotingCodeForm.INVALID)
        return render(request, template, layout_context({"form": form}), status=400)
    target = _safe_next(request, next_url) if next_url else _voting_page_url(code.call)
    response = HttpResponseRedirect(target)
    response.status_code = 303
    return voters.remember_code(response, code, request=request)


def _voting_page_url(call):
    page = VotingPage.objects.child_of(call).live().first()
    return (page.url if page else call.url) or "/"
