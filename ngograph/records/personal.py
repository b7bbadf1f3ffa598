"""No personal data: find e-mail addresses and phone numbers in text.

The graph names organisations, never contact persons. The sources print contact details in
a few shapes, which this module recognises without knowing any real address or number:

- e-mail addresses, ``name@example.org``;
- international phone numbers, ``+NNN`` or ``00NNN`` (a space may follow the plus) and then
  at least seven more digits, grouped by spaces, dots, hyphens or brackets (``(0)``, ``(5)``);
- national Baltic forms: eight digits starting with 2 or 6 (Latvia), or a trunk ``8``
  followed by eight digits (Lithuania), either run together or grouped by single spaces.
  A date written with spaces (``2017 09 01``, as page titles print them) is not a number.

:func:`personal_data` is what the records check runs over every text value (e-mail and
international forms only, so that an eight-digit identifier stays possible); the data tests
run it with ``national=True`` over every file of ``data/`` and over every export.
"""

from __future__ import annotations

import re

__all__ = ["personal_data", "EMAIL_RE", "INTERNATIONAL_PHONE_RE", "NATIONAL_PHONE_RE"]

EMAIL_RE = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
INTERNATIONAL_PHONE_RE = re.compile(r"(?<![\w+.,])(?<!\d )(?:\+ ?|\b00 ?)\(?\d{1,3}\)?(?:[ ./()-]{0,3}\d){7,12}(?!\d)")
NATIONAL_PHONE_RE = re.compile(r"(?<![\w.,/+-])(?:[26]\d(?: ?\d){6}|8(?: ?\d){8})(?![\w/-]|[.,]\d)")
_DATE_RE = re.compile(r"^(?:19|20)\d\d ?(?:0[1-9]|1[0-2]) ?(?:0[1-9]|[12]\d|3[01])$")


def personal_data(text: str, national: bool = False) -> list[str]:
    """What in ``text`` looks like an e-mail address or a phone number, as kinds found.

    Parameters
    ----------
    text : str
        Any text: a record value, a data file, an export.
    national : bool
        Also look for national phone forms (bare eight- or nine-digit numbers), which
        an identifier could resemble.

    Returns
    -------
    list of str
        ``"e-mail address"`` and ``"phone number"`` for each match, in text order;
        empty when nothing is found.

    Examples
    --------
    >>> personal_data("write to " + "info" + "@" + "example.org")
    ['e-mail address']
    >>> personal_data("tel. + 99 " + "1234" + "5678")
    ['phone number']
    >>> personal_data("Riga 56.9496 24.1052, 444550 DKK, 1DP/1.5.2.2.2/12/APIA/SIF/176, Q211")
    []
    >>> personal_data("tel. " + "2" + "1234567", national=True), personal_data("2017 09 01", national=True)
    (['phone number'], [])
    """
    found = [(m.start(), "e-mail address") for m in EMAIL_RE.finditer(text)]
    spans = [m.span() for m in INTERNATIONAL_PHONE_RE.finditer(text)]
    found += [(start, "phone number") for start, _ in spans]
    if national:
        found += [(m.start(), "phone number") for m in NATIONAL_PHONE_RE.finditer(text)
                  if not _DATE_RE.match(m.group()) and not any(a <= m.start() < b for a, b in spans)]
    return [kind for _, kind in sorted(found)]
