"""Forms of the review pages. They validate input; the services decide what may happen."""

import re
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from alliances.models import Sector
from alliances.workflow import State

from .models import (
    Department,
    Designation,
    ExpertProfile,
    JointReviewOpinion,
    Objection,
    ReviewSettings,
    Scorecard,
    Section,
)

# --- Officer pages -----------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.filter(is_active=True),
                                    required=False, empty_label=_("All sectors"))
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Alliance or chairman unit")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), ("active", _("Awaiting the bureau"))] + [
            (s.value, s.label) for s in State if s != State.DRAFT
        ]


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=pgettext_lazy("review", "Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistForm(forms.Form):
    passed = forms.MultipleChoiceField(label=_("Complete"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passed"].choices = [(str(item.pk), item.label) for item in items]


class GuidanceForm(forms.Form):
    """One text per application section; at least one must be written."""

    comment = forms.CharField(label=_("Summary for the applicant"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in Section:
            self.fields[f"section_{section.value}"] = forms.CharField(
                label=section.label, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not any((data.get(f"section_{s.value}") or "").strip() for s in Section):
            raise ValidationError(_("Write guidance for at least one section."))
        return data

    @property
    def guidance(self) -> dict[str, str]:
        return {s.value: self.cleaned_data.get(f"section_{s.value}", "") for s in Section}

    def section_fields(self):
        return [self[f"section_{s.value}"] for s in Section]


def _default_due_date():
    return timezone.localdate() + timedelta(days=ReviewSettings.current().assignment_days)


class AssignExpertsForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(label=_("Experts"), queryset=ExpertProfile.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["experts"].queryset = ExpertProfile.objects.filter(pk__in=[c.expert.pk for c in self.candidates])
        self.fields["due_date"].initial = _default_due_date

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due <= timezone.localdate():
            raise ValidationError(_("The due date must be in the future."))
        return due


class ReplaceAssignmentForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Replacement expert"), queryset=ExpertProfile.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        assignable = [c.expert.pk for c in candidates if not c.conflict and not c.already_assigned]
        self.fields["expert"].queryset = ExpertProfile.objects.filter(pk__in=assignable).select_related("user")
        self.fields["due_date"].initial = _default_due_date


class ResolveObjectionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                               choices=[(Objection.Status.DISMISSED, Objection.Status.DISMISSED.label),
                                        (Objection.Status.UPHELD, Objection.Status.UPHELD.label)])
    resolution = forms.CharField(label=_("Resolution"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionForm(forms.Form):
    liaison_officer = forms.ModelChoiceField(label=_("Liaison officer"), required=False,
                                             queryset=User.objects.none(), empty_label=_("— none —"),
                                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    responsible_department = forms.ModelChoiceField(label=_("Responsible department"), required=False,
                                                    queryset=Department.objects.filter(is_active=True),
                                                    empty_label=_("— none —"),
                                                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaison_officer"].queryset = User.objects.filter(
            groups__name=Role.LIAISON.value, is_active=True).order_by("full_name", "username")


# --- Expert pages ------------------------------------------------------------------------------------


class RespondForm(forms.Form):
    accept = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", _("Accept")), ("no", pgettext_lazy("assignment", "Decline"))],
                                    widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for declining"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("accept") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason for declining."))
        return data


class ScorecardForm(forms.Form):
    """A score (0 … maximum, steps of 0.5) and a remark per criterion, comments and a recommendation."""

    comments = forms.CharField(label=_("Comments"), required=False, max_length=8000,
                               widget=forms.Textarea(attrs={"rows": 5}))
    recommendation = forms.ChoiceField(label=_("Recommendation"), required=False, widget=forms.RadioSelect,
                                       choices=Scorecard.Recommendation.choices)

    def __init__(self, *args, criteria, scorecard=None, submitting=False, **kwargs):
        self.criteria = list(criteria)
        self.submitting = submitting
        if scorecard is not None and "initial" not in kwargs:
            initial = {"comments": scorecard.comments, "recommendation": scorecard.recommendation}
            for score in scorecard.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"remark_{score.criterion_id}"] = score.comment
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=criterion.label, required=False, min_value=Decimal(0), max_value=Decimal(criterion.max_score),
                max_digits=5, decimal_places=1, help_text=criterion.guidance,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": criterion.max_score,
                                                "class": "js-score", "data-weight": criterion.weight,
                                                "data-max": criterion.max_score}),
            )
            self.fields[f"remark_{criterion.pk}"] = forms.CharField(
                label=_("Remark on “%(criterion)s”") % {"criterion": criterion.label}, required=False,
                max_length=500)

    def clean(self):
        data = super().clean()
        if self.submitting:
            for criterion in self.criteria:
                if data.get(f"score_{criterion.pk}") is None and f"score_{criterion.pk}" not in self.errors:
                    self.add_error(f"score_{criterion.pk}", _("Score this criterion before submitting."))
            if not data.get("recommendation"):
                self.add_error("recommendation", _("Choose a recommendation before submitting."))
            if not (data.get("comments") or "").strip():
                self.add_error("comments", _("Write your comments before submitting."))
        return data

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"remark_{c.pk}"]) for c in self.criteria]

    @property
    def scores(self) -> dict[int, tuple[Decimal | None, str]]:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"remark_{c.pk}", ""))
                for c in self.criteria}


# --- Department reviewers ----------------------------------------------------------------------------


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=JointReviewOpinion.Opinion.choices,
                                widget=forms.RadioSelect)
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("opinion") == JointReviewOpinion.Opinion.DISAGREE and not (data.get("remarks") or "").strip():
            self.add_error("remarks", _("Please explain why your department disagrees."))
        return data


# --- Public pages ------------------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def validate_phone(value: str) -> str:
    compact = re.sub(r"[\s()（）]", "", value)
    if not (_MOBILE.match(compact) or _LANDLINE.match(compact)):
        raise ValidationError(_("Enter an 11-digit mobile number or a landline with its area code, "
                                "e.g. 13800000000 or 0533-2345678."))
    return compact


class ObjectionForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("objector", "Your name"), max_length=50)
    organisation_name = forms.CharField(label=_("Your organisation"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=30,
                            help_text=_("So that the bureau can contact you about the objection."))
    email = forms.EmailField(label=_("Email"), required=False)
    text = forms.CharField(label=_("Objection"), min_length=10, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("State the facts and, if you can, how they can be checked."))

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])


class RegisterFilterForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.filter(is_active=True),
                                    required=False, empty_label=_("All sectors"))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels")), *Designation.Level.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, chairman unit or certificate number")}))
