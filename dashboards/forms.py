from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.models import District, Sector

from .selectors import DashboardFilters


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; the same three the API's dashboard endpoints accept."""

    sector = forms.ModelChoiceField(Sector.objects.all(), required=False, label=_("industry sector"),
                                    empty_label=pgettext_lazy("filter", "All sectors"))
    district = forms.ModelChoiceField(District.objects.all(), required=False, label=_("district"),
                                      empty_label=pgettext_lazy("filter", "All districts"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("year"),
                              widget=forms.NumberInput(attrs={"placeholder": _("all years")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def to_filters(self) -> DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(sector=data.get("sector"), district=data.get("district"), year=data.get("year"))
