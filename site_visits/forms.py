"""Forms of the site-visit pages. They validate input; the services decide what may happen."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import SiteVisit, SiteVisitCheck

YES_NO = [("yes", _("Matches the application")), ("no", _("Does not match"))]


class ScheduleForm(forms.Form):
    date = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=255,
                            help_text=_("Address of the chairman unit's site or wherever the team meets."))
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=User.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["team"].queryset = User.objects.filter(pk__in=[c.user.pk for c in candidates])

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The date of the visit cannot be in the past."))
        return value


class FindingsForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=SiteVisit.Conclusion.choices,
                                   widget=forms.RadioSelect)
    summary = forms.CharField(label=_("Summary of the findings"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in SiteVisitCheck.Item:
            self.fields[f"{item.value}_verified"] = forms.ChoiceField(label=item.label, choices=YES_NO,
                                                                      widget=forms.RadioSelect)
            self.fields[f"{item.value}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1}))

    def check_rows(self):
        return [(item, self[f"{item.value}_verified"], self[f"{item.value}_note"]) for item in SiteVisitCheck.Item]

    def checks(self) -> dict:
        return {item.value: (self.cleaned_data[f"{item.value}_verified"] == "yes",
                             self.cleaned_data[f"{item.value}_note"]) for item in SiteVisitCheck.Item}
