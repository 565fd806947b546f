"""Phone numbers the regency may text: Indonesian mobile numbers in E.164.

A number comes only from a verified source (the account's verified phone
today; later the number an SMS came from).  Anything else — another
country's number, a premium-rate ``+1900…``, a malformed string — is never
texted: the regency pays for each SMS and must not be made to text anyone.
"""
from __future__ import annotations

import re

COUNTRY = "+62"
# +62 8xx…: Indonesian mobile numbers are 10–13 digits after the country code
_MOBILE = re.compile(r"^\+628[1-9][0-9]{7,11}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def textable(number: str | None) -> str | None:
    """The number in E.164 if it is an Indonesian mobile number (``0812…``,
    ``62812…`` and ``+62 812-…`` are read as ``+62812…``); None otherwise."""
    if not number or len(number) > 32:
        return None
    digits = _SEPARATORS.sub("", number)
    if digits.startswith("08"):
        digits = COUNTRY + digits[1:]
    elif digits.startswith("628"):
        digits = "+" + digits
    return digits if _MOBILE.match(digits) else None
