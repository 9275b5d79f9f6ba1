from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.captcha import VOTE, is_bound
from .captcha import CaptchaFormMixin, OneTimeCaptchaField


class VoteForm(CaptchaFormMixin, forms.Form):
    """One vote: the answer to a one-time captcha. The candidate comes from the URL.

    The challenge is consumed by ``services.voting.cast_vote`` in the vote's own transaction (one commit per vote).
    """

    captcha = OneTimeCaptchaField(label=_("Answer the question"), purpose=VOTE, consume=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def captcha_answer(self):
        """``(key, answer)`` as given; only valid after ``is_valid()``."""
        key, answer = (list(self.cleaned_data["captcha"] or []) + ["", ""])[:2]
        return key, answer

    @staticmethod
    def accepted_answer(data, *, request):
        """``(key, answer)`` as :meth:`captcha_answer` gives them, for ``data`` this form accepts without a doubt
        (an answer to a question bound to this visitor, no NUL character), checked without building the form: a
        vote's common case. ``None`` otherwise: then build the form, which decides and says why."""
        key, answer, next_url = (data.get(name, "") for name in ("captcha_0", "captcha_1", "next"))
        if "\x00" in key + answer + next_url or not key.strip() or not answer.strip():
            return None
        return (key, answer) if is_bound(key, purpose=VOTE, session=request.session) else None


class InvalidateVotesForm(forms.Form):
    """A set of one call's votes, chosen by IP hash and/or voter (optionally one hour), and the reason to void them."""

    ip_hash = forms.CharField(label=_("IP hash"), required=False, max_length=64)
    voter_key = forms.CharField(label=_("Voter"), required=False, max_length=64)
    hour = forms.DateTimeField(label=_("Hour starting"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("ip_hash") and not data.get("voter_key"):
            raise forms.ValidationError(_("Choose the votes by IP hash or by voter."))
        return data


class VotingCodeForm(forms.Form):
    """A voting code, as printed or typed (spaces, dashes and full-width characters are fine)."""

    INVALID = _("This voting code is not valid. Check it and try again.")

    code = forms.CharField(label=_("Voting code"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)
