"""Path converters: a number in a URL is a 404 unless a database column can hold it.

Django's ``int`` converter accepts any run of digits; a 20-digit id or version number then reaches the
database, where SQLite raises ``OverflowError`` (a 500) and PostgreSQL an out-of-range error. ``id``
accepts 1 to 19 digits up to 2**63 - 1 (a ``bigint``), so anything larger matches no URL at all.
"""

from django.urls import register_converter
from django.urls.converters import get_converters

MAX_ID = 2**63 - 1


class IdConverter:
    """An object id or a position (a version or step number) in a path."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver then tries the next pattern: a 404 in the end
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    """Once per process: the URLconf may be imported again (tests reload it), and Django refuses to replace
    a registered converter."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
