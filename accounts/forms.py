"""Forms of sign-up, the organisation profile, colleagues and the bureau's verification list."""

from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances import credit_code
from alliances.fields import CreditCodeFormField
from alliances.models import District, Organisation, RDPlatform

from .models import User
from .phones import normalise_mobile, normalise_phone
from .services import EMAIL_TAKEN, ENTERPRISE_FIELDS, PROFILE_FIELDS, claimable, email_taken, normalise_name
from .tasks import send_email

Kind = Organisation.Kind


class PhoneField(forms.CharField):
    """A mobile or landline (``mobile_only`` for a person's mobile), stored in its canonical spelling."""

    def __init__(self, *, mobile_only=False, **kwargs):
        self.mobile_only = mobile_only
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="tel", autocomplete="tel")
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return normalise_mobile(value) if self.mobile_only else normalise_phone(value)


def _money_field(label):
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal("0"), max_digits=16, decimal_places=4,
        help_text=_("In 10,000 CNY (万元), up to four decimals."),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        error_messages={"min_value": _("Enter an amount of zero or more.")},
    )


class OrganisationFieldsMixin:
    """Enterprise figures: required for an enterprise, ignored (stored blank) for any other kind."""

    def _organisation_kind(self):
        raise NotImplementedError

    def _apply_enterprise_rules(self, cleaned):
        if self._organisation_kind() != Kind.ENTERPRISE:
            for name in ENTERPRISE_FIELDS:
                cleaned[name] = False if name == "is_high_tech" else None
                self.errors.pop(name, None)
            return cleaned
        for name in ("rd_staff", "rd_spending", "revenue"):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("Enterprises give this figure (0 if there is none)."))
        return cleaned


ENTERPRISE_WIDGETS = {
    "rd_staff": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
}


class OrganisationSignupForm(OrganisationFieldsMixin, forms.ModelForm):
    credit_code = CreditCodeFormField(
        label=_("Unified social credit code"),
        help_text=_("18 characters, as printed on the business licence (统一社会信用代码)."),
    )
    phone = PhoneField(label=_("Contact phone"), help_text=_("Mobile, or landline with area code: 0533-1234567."))
    rd_spending = _money_field(_("R&D spending last year (10k CNY)"))
    revenue = _money_field(_("Revenue last year (10k CNY)"))

    class Meta:
        model = Organisation
        fields = ("name", "kind", "credit_code", "legal_representative", "address", "district", "contact_person",
                  "phone", "email", *ENTERPRISE_FIELDS)
        widgets = {"kind": forms.RadioSelect, **ENTERPRISE_WIDGETS}
        labels = {
            "name": _("Organisation name"), "kind": _("Kind of organisation"),
            "legal_representative": _("Legal representative"), "address": _("Address"), "district": _("District"),
            "contact_person": _("Contact person"), "email": _("Contact email"),
            "is_high_tech": _("Certified high-tech enterprise"), "rd_staff": _("R&D staff (persons)"),
        }
        help_texts = {"name": _("The full name as on the business licence or legal-person certificate.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Kind.choices  # no empty "---------" radio button
        self.fields["district"].queryset = District.objects.order_by("code")
        self.fields["district"].empty_label = _("Choose the district")
        self.fields["rd_staff"].min_value = 0
        self.fields["rd_staff"].error_messages["min_value"] = _("Enter a number of zero or more.")
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def _organisation_kind(self):
        return self.cleaned_data.get("kind")

    # An organisation imported by the bureau (存量联盟) that nobody has claimed yet: this sign-up claims it.
    claimed_organisation = None

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        existing = Organisation.objects.filter(credit_code=code).first()
        if existing is not None:
            if not claimable(existing):
                raise ValidationError(
                    _("An organisation with this unified social credit code is already registered. If you work "
                      "there, ask its administrator to add you as a colleague."),
                    code="duplicate_credit_code",
                )
            self.claimed_organisation = existing
        return code

    def clean(self):
        cleaned = self._apply_enterprise_rules(super().clean())
        claimed = self.claimed_organisation
        if claimed is not None:
            if cleaned.get("name") and normalise_name(cleaned["name"]) != normalise_name(claimed.name):
                self.add_error("name", ValidationError(
                    _("The bureau lists this credit code as “%(name)s”: enter the name exactly as that."),
                    code="claim_name_mismatch", params={"name": claimed.name}))
            if cleaned.get("kind") and cleaned["kind"] != claimed.kind:
                self.add_error("kind", ValidationError(
                    _("The bureau lists this organisation as “%(kind)s”."), code="claim_kind_mismatch",
                    params={"kind": claimed.get_kind_display()}))
        return cleaned

    def validate_unique(self):
        if self.claimed_organisation is None:  # a claim joins the existing row instead of adding one
            super().validate_unique()

    def is_enterprise(self) -> bool:
        """For the template: show the enterprise section? (the bound value, else the initial one)."""
        return (self["kind"].value() or Kind.ENTERPRISE) == Kind.ENTERPRISE


class OrganisationProfileForm(OrganisationFieldsMixin, forms.ModelForm):
    phone = PhoneField(label=_("Contact phone"), help_text=_("Mobile, or landline with area code: 0533-1234567."))
    rd_spending = _money_field(_("R&D spending last year (10k CNY)"))
    revenue = _money_field(_("Revenue last year (10k CNY)"))

    class Meta:
        model = Organisation
        fields = PROFILE_FIELDS
        widgets = ENTERPRISE_WIDGETS
        labels = {
            "legal_representative": _("Legal representative"), "address": _("Address"), "district": _("District"),
            "contact_person": _("Contact person"), "email": _("Contact email"),
            "is_high_tech": _("Certified high-tech enterprise"), "rd_staff": _("R&D staff (persons)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("code")
        self.fields["rd_staff"].min_value = 0
        self.fields["rd_staff"].error_messages["min_value"] = _("Enter a number of zero or more.")
        if self.instance.kind != Kind.ENTERPRISE:
            for name in ENTERPRISE_FIELDS:
                del self.fields[name]

    def _organisation_kind(self):
        return self.instance.kind

    def clean(self):
        cleaned = super().clean()
        if self.instance.kind == Kind.ENTERPRISE:
            cleaned = self._apply_enterprise_rules(cleaned)
        return cleaned

    def profile_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class PlatformForm(forms.ModelForm):
    class Meta:
        model = RDPlatform
        fields = ("kind", "level", "name")
        labels = {"kind": _("Platform type"), "level": _("Level"), "name": _("Name (optional)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the type")), *RDPlatform.Kind.choices]
        self.fields["level"].choices = [("", _("Choose the level")), *RDPlatform.Level.choices]
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Shandong Ceramic Materials Engineering Centre")


class BasePlatformFormSet(forms.BaseInlineFormSet):
    def platform_values(self) -> list[dict]:
        """The kept rows as plain dicts for the services (``id`` present for existing platforms)."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty new row
            if self.can_delete and self._should_delete_form(form):
                continue
            row = {name: form.cleaned_data[name] for name in ("kind", "level", "name")}
            if form.instance.pk is not None:
                row["id"] = form.instance.pk
            rows.append(row)
        return rows


PlatformFormSet = forms.inlineformset_factory(
    Organisation, RDPlatform, form=PlatformForm, formset=BasePlatformFormSet, extra=0, can_delete=True,
    max_num=30, validate_max=True,
)


def platform_formset(data=None, *, instance=None, prefix="platforms"):
    """Sign-up starts with one empty row; the profile shows the existing rows only."""
    formset_class = PlatformFormSet
    if instance is None or instance.pk is None:
        formset_class = forms.inlineformset_factory(
            Organisation, RDPlatform, form=PlatformForm, formset=BasePlatformFormSet, extra=1, can_delete=True,
            max_num=30, validate_max=True,
        )
    return formset_class(data, instance=instance or Organisation(), prefix=prefix)


class AccountFieldsMixin:
    """User name, full name, email and mobile of a person joining an organisation."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken: please choose another."), code="duplicate_username")
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and email_taken(email, except_user=self.instance):
            raise ValidationError(EMAIL_TAKEN, code="duplicate_email")
        return email


class FirstUserForm(AccountFieldsMixin, forms.ModelForm):
    """The account of the person who registers the organisation (its first administrator)."""

    phone = PhoneField(label=_("Mobile"), mobile_only=True,
                       help_text=_("11 digits; used by the bureau to reach you."))
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure."),
    )

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone")
        labels = {"username": _("User name"), "full_name": _("Full name"), "email": pgettext_lazy("contact", "Email")}
        help_texts = {"username": _("For signing in: letters, digits and @ . + - _ only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "email", "phone"):
            self.fields[name].required = True
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif first:
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""),
                             full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as problems:
                self.add_error("password1", problems)
        return cleaned


class ColleagueForm(AccountFieldsMixin, forms.ModelForm):
    phone = PhoneField(label=_("Mobile"), mobile_only=True, required=False)

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone", "is_org_admin")
        labels = {"username": _("User name"), "full_name": _("Full name"), "email": pgettext_lazy("contact", "Email"),
                  "is_org_admin": _("Also an administrator of the organisation")}
        help_texts = {
            "username": _("For signing in: letters, digits and @ . + - _ only."),
            "email": _("The colleague receives a link here to set their own password."),
            "is_org_admin": _("May add colleagues and edit the organisation's profile."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "email"):
            self.fields[name].required = True
        self.fields["username"].widget.attrs.update(autocomplete="off", autocapitalize="none")


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for the rejection"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's users read this: say what to correct."),
        error_messages={"required": _("Give the reason for the rejection: the organisation will read it.")},
    )


class OrganisationFilter(django_filters.FilterSet):
    """Filters of the bureau's member-unit list; verification defaults to “awaiting verification”."""

    verification = django_filters.ChoiceFilter(
        label=_("Verification"), choices=Organisation.Verification.choices,
        empty_label=pgettext_lazy("filter", "All"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of organisation"), choices=Kind.choices,
                                       empty_label=pgettext_lazy("filter", "All"))
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=District.objects.order_by("code"),
                                                empty_label=pgettext_lazy("filter", "All"))
    q = django_filters.CharFilter(label=_("Name or credit code"), method="search")

    class Meta:
        model = Organisation
        fields = ("verification", "kind", "district", "q")

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "verification" not in data:
            data = data.copy()
            data["verification"] = Organisation.Verification.PENDING
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget.attrs.update(placeholder=_("Name or credit code"), type="search")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=credit_code.normalise(value)))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset email through a task after the request, so that the answer takes as long for a
    known address as for an unknown one (no enumeration by timing)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_email.delay(subject=subject, body=body, to=[to_email]))


class DisplayModeForm(forms.Form):
    """The header's switch of the ageing-friendly mode (长者模式): on or off, and the page to go back to."""

    large_print = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=2000)
