"""Chinese telephone numbers: mobiles (11 digits starting with 1) and landlines with an area code.

Each ``normalise_*`` returns the canonical spelling or raises ``ValidationError`` naming the problem.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-‐–—()（）]+")
_MOBILE = re.compile(r"1\d{10}")
# Area code 0 + 2-3 digits (010, 0533), number 7-8 digits, optional extension.
_LANDLINE = re.compile(r"(0\d{2,3})[\s\-–—]+(\d{7,8})(?:[\s\-–—]*(?:转|ext\.?|x)?[\s\-–—]*(\d{1,6}))?", re.IGNORECASE)
_LANDLINE_BRACKETS = re.compile(r"[(（](0\d{2,3})[)）]\s*(\d{7,8})")


def normalise_mobile(value: str) -> str:
    """``138 0000 0000``, ``+86 13800000000`` → ``13800000000``."""
    digits = _SEPARATORS.sub("", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isdigit():
        raise ValidationError(_("A mobile number has digits only, e.g. 13800000000."), code="invalid_mobile")
    if len(digits) != 11:
        raise ValidationError(
            _("A mobile number has 11 digits and starts with 1; this one has %(count)d digits.")
            % {"count": len(digits)},
            code="invalid_mobile",
        )
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(_("A mobile number has 11 digits and starts with 1."), code="invalid_mobile")
    return digits


def normalise_landline(value: str) -> str:
    """``0533 1234567``, ``(0533)1234567`` → ``0533-1234567`` (extension kept as ``-123``)."""
    text = str(value).strip()
    bracketed = _LANDLINE_BRACKETS.fullmatch(text)
    if bracketed:
        return f"{bracketed[1]}-{bracketed[2]}"
    match = _LANDLINE.fullmatch(text)
    if not match:
        raise ValidationError(
            _("Write a landline with its area code, a hyphen and the number, e.g. 0533-1234567."),
            code="invalid_landline",
        )
    area, number, extension = match.groups()
    return f"{area}-{number}" + (f"-{extension}" if extension else "")


def normalise_phone(value: str) -> str:
    """A mobile or a landline; the message explains both forms when it is neither."""
    text = str(value).strip()
    compact = _SEPARATORS.sub("", text).removeprefix("+86")
    if compact.startswith("1"):
        return normalise_mobile(text)
    if compact.startswith("0"):
        return normalise_landline(text)
    raise ValidationError(
        _("Enter a mobile number (11 digits starting with 1) or a landline with its area code, "
          "e.g. 0533-1234567."),
        code="invalid_phone",
    )
