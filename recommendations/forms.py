"""Forms of the district pages. They validate input; the services decide what may happen."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .uploads import inspect_letter


class RecommendForm(forms.Form):
    letter = forms.FileField(
        label=_("Recommendation letter (推荐函), PDF"),
        help_text=_("The scan of the letter signed and sealed by the district science bureau."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        try:
            inspect_letter(letter)
        except ValidationError as error:
            raise ValidationError(error.messages[0], code=error.code) from None
        return letter


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for not recommending"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it as written."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Please write down the reason."), code="required")
        return reason


class RankingForm(forms.Form):
    """One position per recommended application; the order of the positions is the district's ranking."""

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for recommendation in self.recommendations:
            self.fields[f"position_{recommendation.alliance_id}"] = forms.IntegerField(
                label=recommendation.alliance.name, min_value=1, max_value=999, initial=recommendation.rank,
            )

    def rows(self):
        return [(r, self[f"position_{r.alliance_id}"]) for r in self.recommendations]

    def ordered_alliance_ids(self) -> list[int]:
        """The applications sorted by the positions entered (ties keep the current order)."""
        positions = {r.alliance_id: self.cleaned_data[f"position_{r.alliance_id}"] for r in self.recommendations}
        current = [r.alliance_id for r in self.recommendations]
        return sorted(current, key=lambda pk: (positions[pk], current.index(pk)))
