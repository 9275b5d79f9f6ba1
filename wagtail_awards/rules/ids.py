"""Ids typed by a client (query strings, form fields, URL parts), read one way everywhere."""

import re

#: The largest id a ``BigAutoField`` holds (PostgreSQL ``bigint``).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """``value`` as a database id, or ``None`` when it is not one.

    Only ASCII digits, 1 to ``MAX_ID``: no sign, space, other script's digits ("²", "١"), NUL, or a number so long
    that converting it is refused (Python limits ``int()`` to 4300 digits) or overflows the database column.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
