"""Forms of the application steps. Validation messages appear beside the field that caused them."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from calls.forms import check_call_covers_sector, open_call_field

from . import services
from .errors import InvitationError
from .models import Alliance, GovernanceMember, Membership, PlannedInvestment, Sector, WorkPlan
from .uploads import inspect_pdf

TEXTAREA = {"rows": 4}


def _sectors(current=None):
    active = Sector.objects.filter(is_active=True)
    if current is not None:
        active = Sector.objects.filter(pk=current.pk) | active
    return active.order_by("position", "name")


class AllianceCreateForm(forms.ModelForm):
    class Meta:
        model = Alliance
        fields = ["name", "sector"]
        help_texts = {"name": _("For example: 淄博市新材料产业技术创新战略联盟")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors()
        self.fields["call"] = open_call_field()  # an application answers one open call

    def clean(self):
        data = super().clean()
        check_call_covers_sector(self)
        return data


class BasicInfoForm(forms.ModelForm):
    class Meta:
        model = Alliance
        fields = list(services.BASIC_FIELDS)
        widgets = {
            "technical_direction": forms.Textarea(attrs=TEXTAREA),
            "output_targets": forms.Textarea(attrs=TEXTAREA),
        }
        help_texts = {
            "technical_direction": _("The common key technologies the alliance will develop."),
            "output_targets": _("Standards, patents, new products … the alliance intends to achieve."),
            "secretariat_phone": _("Mobile (11 digits) or landline with area code, e.g. 0533-2345678."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors(self.instance.sector if self.instance.sector_id else None)


ROLE_CHOICES = [(value, label) for value, label in Membership.Role.choices if value != Membership.Role.CHAIRMAN]


class MemberRowForm(forms.Form):
    """One member unit: an existing membership (``membership_id``) or a new invitation by credit code."""

    membership_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    role = forms.ChoiceField(label=_("role"), choices=ROLE_CHOICES, initial=Membership.Role.MEMBER)
    is_core = forms.BooleanField(label=_("core enterprise"), required=False)

    def __init__(self, *args, memberships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships or {}
        # The hidden id in the posted row says which membership it is (the list may have changed meanwhile).
        raw = self.data.get(self.add_prefix("membership_id")) if self.is_bound else self.initial.get("membership_id")
        try:
            self.membership = self.memberships.get(int(raw))
        except (TypeError, ValueError):
            self.membership = None
        self.organisation = self.membership.organisation if self.membership else None
        if self.membership is not None:
            self.fields["credit_code"].disabled = True
            if self.organisation.kind != self.organisation.Kind.ENTERPRISE:
                self.fields["is_core"].disabled = True  # only enterprises can be core enterprises

    def clean_membership_id(self):
        value = self.cleaned_data.get("membership_id")
        if value is not None and value not in self.memberships:
            raise forms.ValidationError(_("This member unit is no longer part of the application: reload the page."))
        return value

    def clean_credit_code(self):
        if self.membership is not None:
            return self.membership.organisation.credit_code
        code = self.cleaned_data.get("credit_code", "").strip()
        if not code:
            raise forms.ValidationError(_("Enter the unified social credit code of the organisation to invite."))
        try:
            self.organisation = services.find_organisation(code)
        except InvitationError as error:
            raise forms.ValidationError(error.message) from None
        return self.organisation.credit_code

    def clean(self):
        data = super().clean()
        organisation = self.organisation
        if organisation is not None and data.get("is_core") and organisation.kind != organisation.Kind.ENTERPRISE:
            self.add_error("is_core", _("Only enterprises can be core enterprises; “%(name)s” is a %(kind)s.")
                           % {"name": organisation.name, "kind": organisation.get_kind_display()})
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, alliance, **kwargs):
        self.alliance = alliance
        self.membership_map = {
            m.pk: m for m in Membership.objects.filter(alliance=alliance).exclude(role=Membership.Role.CHAIRMAN)
            .select_related("organisation")
        }
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "memberships": self.membership_map}

    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            if self._should_delete_form(form) or (form.membership is None and not form.has_changed()):
                continue
            code = form.cleaned_data.get("credit_code")
            if not code:
                continue
            if form.membership is None and form.organisation.pk == self.alliance.chairman_id:
                form.add_error("credit_code", _("Your organisation is the chairman unit of this alliance already."))
            elif code in seen:
                form.add_error("credit_code", _("This organisation is listed twice."))
            seen[code] = form
        existing = {m.organisation.credit_code: m for m in self.membership_map.values()}
        for code, form in seen.items():
            membership = existing.get(code)
            if form.membership is None and membership is not None and membership.status in (
                    Membership.Status.INVITED, Membership.Status.CONFIRMED):
                form.add_error("credit_code", _("“%(name)s” is listed already (%(status)s).")
                               % {"name": membership.organisation.name, "status": membership.get_status_display()})

    def rows(self):
        """The forms to save: (membership or None, cleaned data, delete?) for every non-empty row."""
        for form in self.forms:
            if form.membership is None and not form.has_changed():
                continue
            yield form, form.membership, form.cleaned_data, self.can_delete and form.cleaned_data.get("DELETE")


MemberFormSet = forms.formset_factory(MemberRowForm, formset=BaseMemberFormSet, extra=1, can_delete=True)


class GovernanceForm(forms.Form):
    standing_body = forms.CharField(
        label=Alliance._meta.get_field("standing_body").verbose_name, max_length=200, required=False,
        help_text=Alliance._meta.get_field("standing_body").help_text,
    )


class GovernanceRowForm(forms.ModelForm):
    class Meta:
        model = GovernanceMember
        fields = list(services.GOVERNANCE_FIELDS)


class BaseRowFormSet(forms.BaseFormSet):
    """A list replaced as a whole on save; empty extra rows are ignored and ticked rows are deleted."""

    unique_together: tuple = ()
    duplicate_message = _("This row appears twice.")

    def kept_rows(self) -> list[dict]:
        """Cleaned rows to store: untouched extra rows have no data and ticked rows are left out."""
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        if any(self.errors) or not self.unique_together:
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            key = tuple(form.cleaned_data.get(name) for name in self.unique_together)
            if key in seen:
                form.add_error(self.unique_together[-1], self.duplicate_message)
            seen.add(key)


class BaseGovernanceFormSet(BaseRowFormSet):
    unique_together = ("body", "person_name")
    duplicate_message = _("This person is listed twice in the same body.")


GovernanceFormSet = forms.formset_factory(GovernanceRowForm, formset=BaseGovernanceFormSet, extra=1,
                                          can_delete=True)


class AgreementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("signed alliance agreement (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.info = inspect_pdf(uploaded)
        return uploaded


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = list(WorkPlan.TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in WorkPlan.TEXT_FIELDS}


def _year_field():
    this_year = date.today().year
    return forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=this_year + 1,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        widget=forms.NumberInput(attrs={"step": 1, "class": "year-input"}),
    )


class TargetRowForm(forms.Form):
    year = _year_field()
    indicator = forms.CharField(label=_("indicator"), max_length=200)
    target_value = forms.DecimalField(label=_("target"), max_digits=16, decimal_places=4,
                                      widget=forms.NumberInput(attrs={"step": "any"}))
    unit = forms.CharField(label=_("unit"), max_length=30)


class BaseTargetFormSet(BaseRowFormSet):
    unique_together = ("year", "indicator")
    duplicate_message = _("This indicator appears twice for the same year.")


TargetFormSet = forms.formset_factory(TargetRowForm, formset=BaseTargetFormSet, extra=1, can_delete=True)


class InvestmentRowForm(forms.Form):
    year = _year_field()
    source = forms.ChoiceField(label=_("source"), choices=PlannedInvestment.Source.choices)
    amount = forms.DecimalField(label=_("amount (10k CNY)"), max_digits=16, decimal_places=4,
                                min_value=Decimal("0"), widget=forms.NumberInput(attrs={"step": "any"}))


class BaseInvestmentFormSet(BaseRowFormSet):
    unique_together = ("year", "source")
    duplicate_message = _("This source appears twice for the same year: add the amounts up in one row.")


InvestmentFormSet = forms.formset_factory(InvestmentRowForm, formset=BaseInvestmentFormSet, extra=1,
                                          can_delete=True)


class ImportWorkbookForm(forms.Form):
    """The bureau's workbook of alliances designated before the portal (存量联盟); checked by ``importing``."""

    workbook = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Fill in the template and upload it. Nothing is saved until every row is correct."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )
