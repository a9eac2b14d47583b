"""The recommendation letter (推荐函) is a PDF, checked by content exactly as the alliance agreement is."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alliances.uploads import PdfInfo, inspect_pdf

# The agreement checker words two refusals for agreements; the others are about the PDF itself.
_LETTER_MESSAGES = {
    "empty": lambda: _("The file is empty. Please choose the scanned recommendation letter again."),
    "not_pdf": lambda: _("This file is not a PDF document (its content was checked, not its name). "
                         "Please upload the scan of the signed and sealed recommendation letter as PDF."),
}


def inspect_letter(uploaded) -> PdfInfo:
    """Validate an uploaded recommendation letter; raises ``ValidationError`` with the reason."""
    try:
        return inspect_pdf(uploaded)
    except ValidationError as error:
        message = _LETTER_MESSAGES.get(error.code)
        if message is None:
            raise
        raise ValidationError(message(), code=error.code) from None
