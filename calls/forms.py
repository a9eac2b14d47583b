"""Forms of the officers' call pages and the applicants' document uploads."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alliances.models import Sector
from alliances.uploads import inspect_pdf
from reviews.models import ScoreCriterion

from . import selectors
from .models import Call, RequiredDocument

# The window is entered in the bureau's time (Asia/Shanghai, the site's TIME_ZONE) with the browser's picker.
WINDOW_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["title", "title_en", "year", "batch_number", "guide", "sectors", "opens_at", "closes_at",
                  "requires_district_recommendation", "district_quota", "uses_site_visits"]
        widgets = {
            "guide": forms.Textarea(attrs={"rows": 12}),
            "sectors": forms.CheckboxSelectMultiple,
            "opens_at": WINDOW_INPUT,
            "closes_at": WINDOW_INPUT,
        }
        help_texts = {"opens_at": _("Beijing time."),
                      "closes_at": _("Beijing time. Calls usually close at the end of a day (23:59).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(is_active=True).order_by("position", "name")
        if not self.instance.pk and not self.is_bound:  # a new call: office hours to the end of a day
            today = timezone.localtime()
            self.initial.setdefault("opens_at", (today + timedelta(days=1)).replace(hour=9, minute=0, second=0,
                                                                                   microsecond=0))
            self.initial.setdefault("closes_at", (today + timedelta(days=31)).replace(hour=23, minute=59, second=0,
                                                                                     microsecond=0))
        if self.instance.pk and self.instance.is_published:
            self.fields["closes_at"].disabled = True
            self.fields["closes_at"].help_text = _("The call is published: extend its window on the call's page.")

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The window must close after it opens."))
        year, batch = data.get("year"), data.get("batch_number")
        if year and batch and Call.objects.filter(year=year, batch_number=batch).exclude(pk=self.instance.pk).exists():
            self.add_error("batch_number", _("There is already a call for batch %(batch)d of %(year)d.")
                           % {"batch": batch, "year": year})
        if data.get("district_quota") and not data.get("requires_district_recommendation"):
            self.add_error("district_quota", _("A quota needs district recommendation."))
        return data

    def validate_unique(self):
        pass  # checked in clean() with a message that names the batch

    def call_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "sectors"}


class RequiredDocumentForm(forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = RequiredDocument
        fields = ["name", "name_en", "description", "is_required"]


class _RequiredDocumentFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The kept rows in order, as dicts for ``services``."""
        return [form.cleaned_data for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")]


RequiredDocumentFormSet = forms.formset_factory(RequiredDocumentForm, formset=_RequiredDocumentFormSet,
                                                extra=2, can_delete=True, max_num=30, validate_max=True)


def document_initial(call: Call | None) -> list[dict]:
    if call is None or call.pk is None:
        return [{"name": "区县科技主管部门推荐函", "is_required": True},
                {"name": "成员单位营业执照（复印件加盖公章）", "is_required": True}]
    return [{"id": d.pk, "name": d.name, "name_en": d.name_en, "description": d.description,
             "is_required": d.is_required} for d in call.required_documents.all()]


class ExtensionForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("new closing time"), widget=WINDOW_INPUT,
                                    help_text=_("Beijing time (Asia/Shanghai)."))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= self.call.closes_at:
            raise forms.ValidationError(_("An extension must move the closing later than the current close."))
        return closes_at


class CriterionForm(forms.ModelForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ScoreCriterion
        fields = ["name", "name_en", "guidance", "weight", "max_score"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class _CriterionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        weights = [row["weight"] for row in self.rows()]
        if not weights:
            raise forms.ValidationError(_("The scorecard needs at least one criterion."))
        total = sum(weights, Decimal(0))
        if total != 100:
            raise forms.ValidationError(_("The weights add up to %(total)s; they must add up to 100.")
                                        % {"total": total})

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=_CriterionFormSet, extra=1, can_delete=True,
                                         max_num=30, validate_max=True)


def criterion_initial(call: Call) -> list[dict]:
    return [{"id": c.pk, "name": c.name, "name_en": c.name_en, "guidance": c.guidance, "weight": c.weight,
             "max_score": c.max_score} for c in ScoreCriterion.objects.filter(call=call, is_active=True)]


class DocumentUploadForm(forms.Form):
    required_document = forms.ModelChoiceField(label=_("document"), queryset=RequiredDocument.objects.none())
    file = forms.FileField(label=_("scan (PDF)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_document"].queryset = call.required_documents.all()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.info = inspect_pdf(uploaded)
        return uploaded


class _CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, call):
        sectors = "、".join(sector.name for sector in call.sectors.all()) or _("all sectors")
        return _("%(title)s (%(sectors)s; deadline %(closes)s)") % {
            "title": call.title, "sectors": sectors,
            "closes": date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")}


def open_call_field() -> forms.ModelChoiceField:
    """The "which call" field of a new application: an application answers one open call (none to choose
    while no call is open; the page then says so). The only open call is chosen already."""
    calls = selectors.open_calls_for()
    only = calls[:2]
    return _CallChoiceField(queryset=calls, label=_("call for applications"), required=True,
                            initial=only[0] if len(only) == 1 else None,
                            help_text=_("The call (申报批次) this application answers. It must cover the "
                                        "alliance's sector."))


def check_call_covers_sector(form) -> None:
    """Add an error to ``form``'s call field when the chosen call does not cover the chosen sector."""
    call, sector = form.cleaned_data.get("call"), form.cleaned_data.get("sector")
    if call is not None and sector is not None and not selectors.covers(call, sector):
        form.add_error("call", _("“%(call)s” does not cover the sector %(sector)s; choose another call or sector.")
                       % {"call": call.title, "sector": sector.name})
