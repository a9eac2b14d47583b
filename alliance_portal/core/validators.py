"""Validators shared by the apps' models (and so by their forms, the admin and the API serializers)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that change how the text around them is shown without being seen themselves: the
# bidirectional embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069) and the
# zero-width space, non-joiner and joiner (U+200B–U+200D). In a name they make "公司ABC" look like
# another organisation's name, or two equal-looking names differ.
INVISIBLE_CONTROLS = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
    + [chr(code) for code in range(0x200B, 0x200E)]
)


def validate_no_invisible_controls(value: str) -> None:
    """Refuse a name holding a direction-override or zero-width character, naming the first one found."""
    for position, char in enumerate(str(value), start=1):
        if char in INVISIBLE_CONTROLS:
            raise ValidationError(
                _("The name contains an invisible character (U+%(code)04X at position %(position)d) that changes "
                  "how text is displayed. Please retype the name without it."),
                code="invisible_character",
                params={"code": ord(char), "position": position},
            )
