"""Forms of the preliminary and expert review screens in the admin."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..enums import RecommendationDecision, Role


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=RecommendationDecision.choices)
    order = forms.IntegerField(
        label=_("Recommendation order"),
        min_value=1,
        max_value=999,
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            get_user_model()
            .objects.filter(award_memberships__role=Role.REVIEWER, is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["reviewer"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class AutoAssignForm(forms.Form):
    k = forms.IntegerField(label=_("Reviewers per project"), min_value=1, max_value=20, initial=3)


class ScoreForm(forms.Form):
    """One number field per criterion of the call (``criterion_<pk>``) and a comment."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, criteria, initial_scores=None, comment_rows=4, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["rows"] = comment_rows
        self.criteria = list(criteria)
        initial_scores = initial_scores or {}
        fields = {}
        for criterion in self.criteria:
            fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                help_text=_("0 to %(max)d, weight %(weight)s%%")
                % {"max": criterion.max_score, "weight": criterion.weight},
                min_value=Decimal(0),
                max_value=Decimal(criterion.max_score),
                max_digits=6,
                decimal_places=2,
                initial=initial_scores.get(criterion.pk),
            )
        self.fields = {**fields, **self.fields}

    def score_values(self):
        return {criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}

    def criterion_fields(self):
        """``(criterion, bound field)`` pairs in the call's order."""
        return [(criterion, self[f"criterion_{criterion.pk}"]) for criterion in self.criteria]


class PrizeForm(forms.Form):
    """A prize select per ranked project (``prize_<application pk>``)."""

    def __init__(self, *args, rows, levels, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("No prize"))] + [(str(level.rank), level.name) for level in levels]
        self.rows = rows
        for row in rows:
            self.fields[f"prize_{row.application.pk}"] = forms.TypedChoiceField(
                label=row.application.project_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.prize_rank,
            )

    def prizes(self):
        return {row.application.pk: self.cleaned_data[f"prize_{row.application.pk}"] for row in self.rows}
