"""Forms of the assessment pages. They validate and clean input; the services decide and save."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.rules import is_liaison_officer
from alliances.models import Alliance, Sector
from alliances.workflow import State
from projects.forms import EvidenceForm

from .models import (
    AssessmentCriterion,
    AssessmentRound,
    AssessmentRules,
    HealthDimension,
    HealthRating,
    LifecycleStage,
    SelfAssessment,
    SelfAssessmentAttachment,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def plain(value: Decimal | None) -> str | None:
    """1850.5000 → "1850.5", 12.0000 → "12": what a person would type, without the stored padding."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class AssessmentFilterForm(forms.Form):
    """Filters above the list of assessments (one form for the page and its query string)."""

    DEADLINES = [("", _("Any deadline")), ("due", _("Self-assessment due within 7 days")),
                 ("overdue", _("Self-assessment overdue"))]

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *AssessmentRound.Status.choices])
    kind = forms.ChoiceField(label=pgettext_lazy("assessment", "Kind"), required=False,
                             choices=[("", _("All kinds")), *AssessmentRound.Kind.choices])
    sector = forms.ModelChoiceField(label=_("Industry sector"), required=False, empty_label=_("All sectors"),
                                    queryset=Sector.objects.filter(is_active=True))
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=DEADLINES)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("All outcomes")), *AssessmentRound.Outcome.choices])
    followed = forms.ChoiceField(label=_("Alliances"), required=False,
                                 choices=[("", _("All alliances")), ("mine", _("Alliances I follow"))])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not is_liaison_officer(user):  # only a liaison officer follows alliances
            del self.fields["followed"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class OpenAssessmentForm(forms.Form):
    alliance = forms.ModelChoiceField(
        label=_("Alliance"), queryset=Alliance.objects.filter(state__in=[State.PILOT, State.DEMONSTRATION])
        .select_related("sector").order_by("name"))
    kind = forms.ChoiceField(label=pgettext_lazy("assessment", "Kind"), initial=AssessmentRound.Kind.ON_DEMAND, choices=[
        (AssessmentRound.Kind.BIENNIAL.value, AssessmentRound.Kind.BIENNIAL.label),
        (AssessmentRound.Kind.ON_DEMAND.value, AssessmentRound.Kind.ON_DEMAND.label),
    ])
    due_date = forms.DateField(label=_("Self-assessment due"), widget=DATE_INPUT)
    comment = forms.CharField(label=_("Notice to the alliance"), required=False, widget=_textarea(3),
                              help_text=_("Sent to the chairman unit with the request for a self-assessment."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = AssessmentRules.current().self_assessment_days
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=days)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The self-assessment cannot be due in the past."))
        return due


class SelfAssessmentForm(forms.ModelForm):
    """Figures and narrative; every field may stay empty in a draft (submission checks completeness)."""

    class Meta:
        model = SelfAssessment
        fields = SelfAssessment.FIGURES + SelfAssessment.NARRATIVE
        widgets = {name: _textarea(5) for name in SelfAssessment.NARRATIVE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SelfAssessment.FIGURES:
            self.fields[name].widget.attrs.update({"min": "0", "inputmode": "decimal"})
            if isinstance(self.initial.get(name), Decimal):
                self.initial[name] = plain(self.initial[name])


class TargetAchievementForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    achieved_value = forms.DecimalField(label=_("Achieved"), required=False, max_digits=16, decimal_places=4,
                                        min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


TargetAchievementFormSet = forms.formset_factory(TargetAchievementForm, extra=0)


class AssignExpertForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = lambda e: " · ".join(
            part for part in (str(e), e.title, e.affiliation_display) if part)


class ScorecardForm(forms.Form):
    """One score field (and an optional remark) per active criterion of the scorecard, and the opinion."""

    opinion = forms.CharField(label=_("Overall opinion"), widget=_textarea(5))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=pgettext_lazy("scorecard", "Score"), min_value=0, max_value=criterion.max_score, max_digits=5, decimal_places=2,
                help_text=criterion.description,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "js-score", "data-weight": criterion.weight,
                                                "data-max": criterion.max_score}),
            )
            self.fields[f"remark_{criterion.pk}"] = forms.CharField(
                label=pgettext_lazy("scorecard", "Remark"), required=False, max_length=500)
        self.order_fields([name for c in self.criteria for name in (f"score_{c.pk}", f"remark_{c.pk}")] + ["opinion"])

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"remark_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}

    def remarks(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"remark_{c.pk}", "") for c in self.criteria}


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Bureau's comment"), required=False, widget=_textarea(3))
    rectification_deadline = forms.DateField(label=_("Rectification deadline"), required=False, widget=DATE_INPUT)
    required_actions = forms.CharField(label=_("Required actions"), required=False, widget=_textarea(4),
                                       help_text=_("One action per line."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = AssessmentRules.current().rectification_days
        self.fields["rectification_deadline"].initial = timezone.localdate() + timedelta(days=days)


class ReassessmentDecisionForm(forms.Form):
    DECISIONS = [("restore", _("Restore pilot status")), ("revoke", _("Revoke the title"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Reason"), widget=_textarea(3))


class LifecycleStageForm(forms.Form):
    """The stage and the six health dimensions that support it, each rated 1–5 with a short comment.

    The fields of a dimension are ``<dimension>_rating`` and ``<dimension>_comment``; ``dimensions`` pairs
    them for the template. Starts from the current ratings, so the officer changes only what moved."""

    stage = forms.ChoiceField(label=_("Life-cycle stage"), choices=LifecycleStage.Stage.choices)
    reason = forms.CharField(label=_("Overall remark"), widget=_textarea(2), required=False,
                             help_text=_("Optional: what the six ratings do not say."))

    def __init__(self, *args, current: LifecycleStage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        previous = {row.dimension: row for row in current.health} if current is not None else {}
        if current is not None:
            self.fields["stage"].initial = current.stage
        for dimension in HealthDimension:
            before = previous.get(dimension.value)
            named = {"dimension": dimension.label}
            self.fields[f"{dimension.value}_rating"] = forms.TypedChoiceField(
                label=dimension.label, coerce=int, choices=[("", "—"), *HealthRating.choices],
                initial=before.rating if before else None,
                error_messages={"required": _("Rate “%(dimension)s” from 1 (poor) to 5 (good).") % named})
            self.fields[f"{dimension.value}_comment"] = forms.CharField(
                label=_("Comment on “%(dimension)s”") % named, max_length=200,
                initial=before.comment if before else "",
                error_messages={"required": _("Say in a few words why “%(dimension)s” is rated so.") % named},
                widget=forms.TextInput(attrs={"placeholder": _("Why this rating, in a few words")}))

    def dimensions(self):
        return [(dimension, self[f"{dimension.value}_rating"], self[f"{dimension.value}_comment"])
                for dimension in HealthDimension]

    def health(self) -> dict[str, tuple[int, str]]:
        return {dimension.value: (self.cleaned_data[f"{dimension.value}_rating"],
                                  self.cleaned_data[f"{dimension.value}_comment"]) for dimension in HealthDimension}


class SelfAssessmentEvidenceForm(EvidenceForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, kinds=SelfAssessmentAttachment.Kind.choices, **kwargs)


class RectificationReportForm(forms.Form):
    report = forms.CharField(label=_("Rectification report"), widget=_textarea(8),
                             help_text=_("What the alliance has done about each required action."))


def active_criteria():
    return AssessmentCriterion.objects.filter(is_active=True)
