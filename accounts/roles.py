"""Roles are Django groups; their names are fixed here once and created by a data migration."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    MEMBER = "member_unit", pgettext_lazy("role", "Member unit user")
    OFFICER = "bureau_officer", pgettext_lazy("role", "Bureau officer")
    EXPERT = "expert", pgettext_lazy("role", "Expert")
    DEPARTMENT_REVIEWER = "department_reviewer", pgettext_lazy("role", "Department reviewer")
    DISTRICT_REVIEWER = "district_reviewer", pgettext_lazy("role", "District reviewer")
    LIAISON = "liaison_officer", pgettext_lazy("role", "Liaison officer")
    ADMIN = "administrator", pgettext_lazy("role", "Administrator")
