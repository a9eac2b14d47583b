"""Model and form fields for values the portal stores in one spelling only."""

from django import forms
from django.db import models

from . import credit_code


class CreditCodeFormField(forms.CharField):
    """Accepts a code as people paste it (spaces, lower case) and names every problem it has."""

    default_validators = [credit_code.validate_credit_code]

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # room for spaces; the normalised code has 18 characters
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return credit_code.normalise(value) if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(autocomplete="off", spellcheck="false", autocapitalize="characters")
        return attrs


class CreditCodeField(models.CharField):
    """A unified social credit code, stored and looked up upper-case without spaces on every path.

    Forms (the admin's included), ``full_clean``, ``save()`` from services and imports, and exact
    lookups (``filter(credit_code=…)``) all normalise, so two spellings of one code are one code.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return credit_code.normalise(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return credit_code.normalise(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = credit_code.normalise(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CreditCodeFormField, **kwargs})
