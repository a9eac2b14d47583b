"""Valid, unique unified social credit codes for demo and scale data.

A code is: registration authority and kind (2 characters, e.g. "91" enterprise, "12" public
institution, "51" social organisation), the 6-digit division code, the 9-character organisation
code (8 characters and their GB 11714 check character) and the GB 32100 check character.
The 8 characters come from a serial number through a bijection of [0, 31⁸), so distinct serials
give distinct codes that still look random.
"""

from alliances import credit_code

ENTERPRISE = "91"
PUBLIC_INSTITUTION = "12"
SOCIAL_ORGANISATION = "51"

_BASE = len(credit_code.ALPHABET)  # 31
_SPACE = _BASE**8
_MULTIPLIER = 387_420_489  # 3¹⁸: coprime to 31, so multiplication permutes the serials
_OFFSET = 555_555_555_555
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _organisation_body(serial: int) -> str:
    if not 0 <= serial < _SPACE:
        raise ValueError(f"serial {serial} out of range")
    value = (serial * _MULTIPLIER + _OFFSET) % _SPACE
    chars = []
    for _ in range(8):
        value, digit = divmod(value, _BASE)
        chars.append(credit_code.ALPHABET[digit])
    return "".join(reversed(chars))


def organisation_code_check(body: str) -> str:
    """The check character of an 8-character organisation code body (GB 11714)."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make(kind_prefix: str, division: str, serial: int) -> str:
    """A valid 18-character code; unique for each (kind_prefix, division, serial)."""
    body = _organisation_body(serial)
    return credit_code.complete(kind_prefix + division + body + organisation_code_check(body))
