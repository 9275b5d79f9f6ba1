from django import forms
from django.utils.translation import gettext_lazy as _


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
