"""Forms of projects. Every rule a person can break is reported beside the field it concerns, and
everything typed is kept (the forms are bound to what was posted)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.validators import validate_no_invisible_controls
from alliances import credit_code
from alliances.models import Organisation, Sector

from . import services
from .formatting import wan
from .models import (
    ZERO,
    Activity,
    ActivityAttachment,
    BudgetYear,
    ChangeRequest,
    DevelopmentPlan,
    FundingSource,
    Milestone,
    ProgressReport,
    Project,
    ProjectParticipant,
)
from .periods import local_today
from .rules import is_alliance_secretariat
from .selectors import member_organisations
from .uploads import IMAGE_TYPES, MAX_FILES_PER_UPLOAD, check_upload, max_bytes

MONEY_ATTRS = {"step": "0.0001", "min": "0", "inputmode": "decimal"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=16, decimal_places=4, min_value=Decimal("0"),
                              widget=forms.NumberInput(attrs=MONEY_ATTRS), **kwargs)


def _fmt(value) -> str:
    """Money in a message as on the pages: 490 → "490.00", 12.3456 → "12.3456" (``formatting.wan``)."""
    return wan(value)


# --- filing ------------------------------------------------------------------------------------


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title", "kind", "sector", "lead_unit", "objectives", "key_indicators", "start_date", "end_date",
            "total_investment", "planned_patents_applied", "planned_patents_granted", "planned_standards",
            "planned_new_products", "planned_technical_secrets",
        ]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 4}), "key_indicators": forms.Textarea(attrs={"rows": 4}),
            "total_investment": forms.NumberInput(attrs={**MONEY_ATTRS, "class": "js-budget-total"}),
        }

    def __init__(self, *args, alliance, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance, self.user = alliance, user
        self.instance.alliance = alliance
        self.fields["lead_unit"].queryset = member_organisations(alliance)
        self.fields["lead_unit"].help_text = _("A confirmed member unit of the alliance that leads the work.")
        self.fields["sector"].queryset = Sector.objects.filter(is_active=True)
        if not self.instance.pk:  # model_to_dict put empty values here for a new project
            self.initial["sector"] = self.initial.get("sector") or alliance.sector_id
            self.initial["lead_unit"] = self.initial.get("lead_unit") or user.organisation_id
        for name in ("planned_patents_applied", "planned_patents_granted", "planned_standards",
                     "planned_new_products", "planned_technical_secrets"):
            self.fields[name].widget.attrs["min"] = "0"

    def clean_lead_unit(self):
        lead = self.cleaned_data["lead_unit"]
        if lead.pk != self.user.organisation_id and not is_alliance_secretariat(self.user, self.alliance):
            raise ValidationError(_("Only the alliance's secretariat may file for another unit: choose your own unit."))
        return lead

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned


class FormSet(BaseFormSet):
    """A formset whose minimum-rows message says what is missing."""

    min_message = _("Add at least one row.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"too_few_forms": self.min_message})
        super().__init__(*args, **kwargs)

    def filled_forms(self):
        """The rows to keep: existing rows and new rows someone typed into, unless removed or invalid."""
        initial = self.initial_form_count()
        return [form for index, form in enumerate(self.forms)
                if (index < initial or form.has_changed()) and not self._should_delete_form(form) and form.is_valid()]


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("member unit"), queryset=Organisation.objects.none(), required=False,
                                          empty_label=_("— an outside organisation —"))
    name = forms.CharField(label=_("outside organisation"), max_length=200, required=False,
                           validators=[validate_no_invisible_controls])
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=30, required=False)
    task = forms.CharField(label=_("task in the project"), max_length=200, required=False)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(alliance)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation"):
            return cleaned
        code = credit_code.normalise(cleaned.get("credit_code") or "")
        if not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Choose a member unit, or name the outside organisation."))
        if not code:
            self.add_error("credit_code", _("An outside organisation is named by its unified social credit code."))
        else:
            problems = credit_code.problems(code)
            if problems:
                self.add_error("credit_code", problems)
            else:
                cleaned["credit_code"] = code
        return cleaned

    def to_row(self) -> ProjectParticipant:
        data = self.cleaned_data
        organisation = data.get("organisation")
        if organisation:
            return ProjectParticipant(organisation=organisation, name=organisation.name, task=data["task"])
        return ProjectParticipant(name=data["name"].strip(), credit_code=data["credit_code"], task=data["task"])

    @staticmethod
    def initial_of(row: ProjectParticipant | dict) -> dict:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name if name != "organisation"
                                                                          else "organisation_id")
        organisation = get("organisation")
        return {"organisation": organisation, "name": "" if organisation else get("name"),
                "credit_code": "" if organisation else get("credit_code"), "task": get("task")}


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_date = forms.DateField(label=_("planned date"), widget=DateInput())


class BudgetYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    self_raised = money_field(_("self-raised"), initial=ZERO)
    bank_loans = money_field(_("bank loans"), initial=ZERO)
    government = money_field(_("government funding requested"), initial=ZERO)
    other = money_field(_("other"), initial=ZERO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source in FundingSource.values:
            self.fields[source].widget.attrs["class"] = "js-budget-cell"

    def line_total(self) -> Decimal:
        return sum((self.cleaned_data.get(source) or ZERO for source in FundingSource.values), ZERO)


class ParticipantFormSet(FormSet):
    min_message = _("Add at least one participating unit.")


class MilestoneFormSet(FormSet):
    min_message = _("Add at least one milestone.")


class BudgetFormSet(FormSet):
    min_message = _("Add the investment of at least one year.")


Participants = formset_factory(ParticipantForm, formset=ParticipantFormSet, extra=1, can_delete=True)
Milestones = formset_factory(MilestoneForm, formset=MilestoneFormSet, extra=1, can_delete=True, min_num=1,
                             validate_min=True)
Budget = formset_factory(BudgetYearForm, formset=BudgetFormSet, extra=1, can_delete=True, min_num=1,
                         validate_min=True)


def check_budget(budget, *, start, end, total, total_form, total_field) -> None:
    """Years inside the project's dates, each year once, and the whole adding up to the total."""
    seen = set()
    for form in budget.filled_forms():
        year = form.cleaned_data["year"]
        if start and end and not start.year <= year <= end.year:
            form.add_error("year", _("The year must lie between %(first)s and %(last)s, the project's years.")
                           % {"first": start.year, "last": end.year})
        elif year in seen:
            form.add_error("year", _("This year appears twice."))
        seen.add(year)
    if total is not None and not budget.non_form_errors():
        planned = sum((form.line_total() for form in budget.filled_forms()), ZERO)
        if planned != total:
            total_form.add_error(total_field, _(
                "The investment plan by year and source adds up to %(planned)s, but the total investment is "
                "%(total)s (10k CNY).") % {"planned": _fmt(planned), "total": _fmt(total)})


def budget_rows(budget) -> list[BudgetYear]:
    return [BudgetYear(year=f.cleaned_data["year"], **{s: f.cleaned_data[s] for s in FundingSource.values})
            for f in budget.filled_forms()]


class ProjectFiling:
    """The filing page's form and its three tables (participants, milestones, investment by year), validated
    together: milestones and budget years lie within the project's dates and the budget adds up to the total."""

    def __init__(self, *, alliance, user, instance: Project | None = None, data=None):
        self.alliance, self.instance = alliance, instance or Project(alliance=alliance)
        existing = self.instance.pk is not None
        self.form = ProjectForm(data, instance=self.instance, alliance=alliance, user=user)
        self.participants = Participants(
            data, prefix="participants", form_kwargs={"alliance": alliance},
            initial=[ParticipantForm.initial_of(p) for p in self.instance.participants.all()] if existing else None)
        self.milestones = Milestones(
            data, prefix="milestones",
            initial=[{"title": m.title, "due_date": m.due_date} for m in self.instance.milestones.all()]
            if existing else None)
        self.budget = Budget(
            data, prefix="budget",
            initial=[{"year": b.year, **{s: getattr(b, s) for s in FundingSource.values}}
                     for b in self.instance.budget_years.all()] if existing else None)

    @property
    def parts(self):
        return [self.form, self.participants, self.milestones, self.budget]

    def is_valid(self) -> bool:
        valid = [part.is_valid() for part in self.parts]
        if valid[0]:
            cleaned = self.form.cleaned_data
            start, end = cleaned["start_date"], cleaned["end_date"]
            for form in self.milestones.filled_forms():
                due = form.cleaned_data["due_date"]
                if not start <= due <= end:
                    form.add_error("due_date", _("The milestone must fall between the project's start and end dates."))
            check_budget(self.budget, start=start, end=end, total=cleaned["total_investment"],
                         total_form=self.form, total_field="total_investment")
            lead = cleaned["lead_unit"]
            for form in self.participants.filled_forms():
                if form.cleaned_data.get("organisation") == lead:
                    form.add_error("organisation", _("The lead unit takes part already: list the other units."))
        return all(part.is_valid() for part in self.parts)

    def save(self, *, by) -> Project:
        return services.save_project(
            project=self.form.save(commit=False), by=by,
            participants=[form.to_row() for form in self.participants.filled_forms()],
            milestones=[Milestone(title=form.cleaned_data["title"], due_date=form.cleaned_data["due_date"])
                        for form in self.milestones.filled_forms()],
            budget_years=budget_rows(self.budget),
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))
    description = forms.CharField(label=_("description"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload.checked_content_type = check_upload(upload)
        return upload


# --- decisions ---------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              help_text=_("The applicant reads this."))

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required


class ApproveForm(forms.Form):
    granted_funding = money_field(_("granted funding (10k CNY)"))
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["granted_funding"].help_text = _("At most the government funding requested: %(amount)s.") % {
            "amount": _fmt(project.government_funding_requested)}
        self.initial.setdefault("granted_funding", project.government_funding_requested)

    def clean_granted_funding(self):
        amount = self.cleaned_data["granted_funding"]
        if amount > self.project.government_funding_requested:
            raise ValidationError(_("The granted funding cannot exceed the government funding requested (%(amount)s).")
                                  % {"amount": _fmt(self.project.government_funding_requested)})
        return amount


class ReportPeriodForm(forms.Form):
    report_period_months = forms.TypedChoiceField(label=_("reporting period"), coerce=int,
                                                  choices=Project.ReportPeriod.choices)


# --- progress reports --------------------------------------------------------------------------


class ProgressReportForm(forms.ModelForm):
    milestones_reached = forms.ModelMultipleChoiceField(
        label=_("milestones reached in this period"), queryset=Milestone.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ProgressReport
        fields = ["started", "completed_self_raised", "completed_bank_loans", "completed_government",
                  "completed_other", "government_funds_used", "patents_applied", "patents_granted", "standards",
                  "new_products", "technical_secrets", "problems", "help_needed", "decrease_explanation"]
        widgets = {
            **{name: forms.NumberInput(attrs=MONEY_ATTRS) for name in (
                "completed_self_raised", "completed_bank_loans", "completed_government", "completed_other",
                "government_funds_used")},
            "problems": forms.Textarea(attrs={"rows": 3}), "help_needed": forms.Textarea(attrs={"rows": 3}),
            "decrease_explanation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project, previous: ProgressReport | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.previous = project, previous
        self.fields["milestones_reached"].queryset = project.milestones.filter(reached_on__isnull=True)
        if previous is not None and not self.is_bound:
            for name in ("started", *ProgressReport.CUMULATIVE_FIELDS):
                self.initial[name] = getattr(previous, name)
        for name in ("patents_applied", "patents_granted", "standards", "new_products", "technical_secrets"):
            self.fields[name].widget.attrs["min"] = "0"

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for field, message in services.report_figure_errors(cleaned, self.previous).items():
                self.add_error(field, message)
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- change requests ---------------------------------------------------------------------------


class ChangeRequestForm(forms.Form):
    """The justification every change request carries; subclasses add the proposed values."""

    kind: str = ""
    justification = forms.CharField(label=_("justification"), widget=forms.Textarea(attrs={"rows": 4}),
                                    help_text=_("Why the change is needed and what it affects."))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.formset = None

    def is_valid(self):
        return all([super().is_valid(), self.formset is None or self.formset.is_valid()]) and self.cross_check()

    def cross_check(self) -> bool:
        return True

    def proposed(self) -> dict:
        raise NotImplementedError


class ExtensionForm(ChangeRequestForm):
    kind = ChangeRequest.Kind.EXTENSION
    end_date = forms.DateField(label=_("new end date"), widget=DateInput())

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end <= self.project.end_date:
            raise ValidationError(_("The new end date must be later than the current one (%(end)s).")
                                  % {"end": self.project.end_date})
        return end

    def proposed(self):
        return {"end_date": self.cleaned_data["end_date"].isoformat()}


class ObjectivesForm(ChangeRequestForm):
    kind = ChangeRequest.Kind.OBJECTIVES
    objectives = forms.CharField(label=_("objectives"), widget=forms.Textarea(attrs={"rows": 4}))
    key_indicators = forms.CharField(label=_("key technical indicators"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.initial.setdefault("objectives", project.objectives)
        self.initial.setdefault("key_indicators", project.key_indicators)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("objectives") == self.project.objectives
                and cleaned.get("key_indicators") == self.project.key_indicators):
            raise ValidationError(_("Nothing was changed."))
        return cleaned

    def proposed(self):
        return {"objectives": self.cleaned_data["objectives"], "key_indicators": self.cleaned_data["key_indicators"]}


class BudgetChangeForm(ChangeRequestForm):
    kind = ChangeRequest.Kind.BUDGET
    total_investment = money_field(_("new total investment (10k CNY)"))

    def __init__(self, *args, project, **kwargs):
        data = args[0] if args else kwargs.get("data")
        super().__init__(*args, project=project, **kwargs)
        self.fields["total_investment"].widget.attrs["class"] = "js-budget-total"
        self.initial.setdefault("total_investment", project.total_investment)
        self.formset = Budget(data, prefix="budget", initial=[
            {"year": b.year, **{s: getattr(b, s) for s in FundingSource.values}} for b in project.budget_years.all()])

    def cross_check(self):
        check_budget(self.formset, start=self.project.start_date, end=self.project.end_date,
                     total=self.cleaned_data.get("total_investment"), total_form=self, total_field="total_investment")
        return not self.errors and not any(form.errors for form in self.formset.forms)

    def proposed(self):
        return {
            "total_investment": str(self.cleaned_data["total_investment"]),
            "budget": [{"year": line.year, **{s: str(getattr(line, s)) for s in FundingSource.values}}
                       for line in budget_rows(self.formset)],
        }


class ParticipantsChangeForm(ChangeRequestForm):
    kind = ChangeRequest.Kind.PARTICIPANTS

    def __init__(self, *args, project, **kwargs):
        data = args[0] if args else kwargs.get("data")
        super().__init__(*args, project=project, **kwargs)
        self.formset = Participants(data, prefix="participants", form_kwargs={"alliance": project.alliance},
                                    initial=[ParticipantForm.initial_of(p) for p in project.participants.all()])

    def cross_check(self):
        for form in self.formset.filled_forms():
            if form.cleaned_data.get("organisation") and form.cleaned_data["organisation"].pk == self.project.lead_unit_id:
                form.add_error("organisation", _("The lead unit takes part already: list the other units."))
        return not any(form.errors for form in self.formset.forms)

    def proposed(self):
        rows = [form.to_row() for form in self.formset.filled_forms()]
        return {"participants": [{"organisation": row.organisation_id, "name": row.name,
                                  "credit_code": row.credit_code, "task": row.task} for row in rows]}


CHANGE_FORMS = {form.kind: form for form in (ExtensionForm, BudgetChangeForm, ParticipantsChangeForm, ObjectivesForm)}


# --- alliance operation records ----------------------------------------------------------------


class DevelopmentPlanForm(forms.ModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["kind", "year", "end_year", "title", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance = alliance
        self.instance.alliance = alliance
        self.initial.setdefault("year", local_today().year)

    def clean(self):
        cleaned = super().clean()
        kind, year, end_year = cleaned.get("kind"), cleaned.get("year"), cleaned.get("end_year")
        if kind == DevelopmentPlan.Kind.MEDIUM_LONG:
            if not end_year:
                self.add_error("end_year", _("A medium/long-term plan names its last year."))
            elif year and end_year <= year:
                self.add_error("end_year", _("The last year must come after the first year."))
        elif end_year:
            self.add_error("end_year", _("An annual plan covers one year: leave the last year empty."))
        if kind and year and DevelopmentPlan.objects.filter(alliance=self.alliance, kind=kind, year=year).exclude(
                pk=self.instance.pk).exists():
            self.add_error("year", _("The alliance has filed this plan for that year already: edit it instead."))
        return cleaned


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["date", "kind", "title", "participants", "participant_count", "outcome"]
        widgets = {"date": DateInput(), "participants": forms.Textarea(attrs={"rows": 3}),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > local_today():
            raise ValidationError(_("Record activities that have taken place: the date is in the future."))
        return day


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("bureau's note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


# --- evidence files ----------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, list | tuple) else [data]
        cleaned, problems = [], []
        for item in items or [None]:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as refusal:
                name = getattr(item, "name", "")
                problems.extend(f"{name}: {message}" if name else message for message in refusal.messages)
        if problems:
            raise ValidationError(problems)
        return [upload for upload in cleaned if upload]  # not required and none chosen: an empty list


class EvidenceForm(forms.Form):
    """Files of one kind, checked one by one (type by content, size); every refusal names its file.

    A browser never fills a file input again, so after an error the kind and description stay and the page
    asks for the files once more."""

    kind = forms.ChoiceField(label=_("kind of evidence"))
    files = MultipleFileField(label=_("files"))
    description = forms.CharField(label=_("description"), max_length=200, required=False,
                                  validators=[validate_no_invisible_controls])
    photo_kind = ""

    def __init__(self, *args, kinds, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *kinds]
        if optional:  # part of a larger form: files are added only when some are chosen
            self.fields["files"].required = self.fields["kind"].required = False
        self.fields["files"].help_text = _(
            "Up to %(count)d files at once: PDF, PNG or JPEG images, Office documents; each at most %(size)s."
        ) % {"count": MAX_FILES_PER_UPLOAD, "size": filesizeformat(max_bytes())}

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(_("Choose at most %(count)d files at once.") % {"count": MAX_FILES_PER_UPLOAD})
        problems = []
        for upload in uploads:
            try:
                upload.checked_content_type = check_upload(upload)
            except ValidationError as refusal:
                problems.extend(f"{upload.name}: {message}" for message in refusal.messages)
        if problems:
            raise ValidationError(problems)
        return uploads

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("files") or []
        if uploads and not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Choose what the files are."))
        if self.photo_kind and cleaned.get("kind") == self.photo_kind:
            not_images = [upload.name for upload in uploads if upload.checked_content_type not in IMAGE_TYPES]
            if not_images:
                self.add_error("files", _("A photo must be a PNG or JPEG image; file other documents as “Other”: "
                                          "%(names)s") % {"names": "、".join(not_images)})
        return cleaned


class ActivityEvidenceForm(EvidenceForm):
    photo_kind = ActivityAttachment.Kind.PHOTO

    def __init__(self, *args, **kwargs):
        super().__init__(*args, kinds=ActivityAttachment.Kind.choices, **kwargs)
