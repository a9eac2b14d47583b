"""Unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character alphabet (no I, O, S, V, Z). Characters 3-8 are the
administrative division code (digits); the 18th is a check character over the first seventeen.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise(value: str) -> str:
    """Upper-case and strip spaces (people paste codes with spaces from licences)."""
    return "".join(str(value).split()).upper()


def check_character(first17: str) -> str:
    """The check character for the first seventeen characters."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problems(value: str) -> list[str]:
    """Every reason the code is not valid, in plain words; empty when it is valid."""
    code = normalise(value)
    if len(code) != LENGTH:
        return [_("A unified social credit code has 18 characters; this one has %(count)d.") % {"count": len(code)}]
    found = []
    bad = [(position, char) for position, char in enumerate(code, start=1) if char not in ALPHABET]
    for position, char in bad:
        found.append(
            _("Character %(position)d (“%(char)s”) is not allowed: codes use digits and capital letters "
              "except I, O, S, V and Z.") % {"position": position, "char": char}
        )
    if not code[2:8].isdigit():
        found.append(_("Characters 3 to 8 are the administrative division code and must be digits."))
    if not bad:
        expected = check_character(code[:17])
        if code[17] != expected:
            found.append(
                _("The check character (the 18th) should be “%(expected)s”, not “%(actual)s”: "
                  "please look for a typing error.") % {"expected": expected, "actual": code[17]}
            )
    return found


def validate_credit_code(value: str) -> None:
    """Django validator: raises with every problem named."""
    found = problems(value)
    if found:
        raise ValidationError([ValidationError(message, code="invalid_credit_code") for message in found])


def is_valid(value: str) -> bool:
    return not problems(value)


def complete(first17: str) -> str:
    """Append the check character: used by demo and scale data to make valid codes."""
    return first17 + check_character(first17)
