"""No personal data: find e-mail addresses, phone numbers and titled names of people in text.

The graph names organisations, never contact persons. The sources print contact details in
a few shapes, which this module recognises without knowing any real address or number:

- e-mail addresses, ``name@example.org``;
- international phone numbers, ``+NNN`` or ``00NNN`` (a space may follow the plus) and then
  at least seven more digits, grouped by spaces, dots, hyphens or brackets (``(0)``, ``(5)``);
- a number of six digits or more after a phone label, in the languages of our sources and seeds
  (``tel.``, ``tālr.:``, ``tālrunis``, ``telefonas``, ``tlf.``, ``phone``, ``mob.``, ``fax``): the
  label says what the number is, so national forms are found too (``tālr.: 6xxxxxxx``);
- national Baltic forms: eight digits starting with 2 or 6 (Latvia), or a trunk ``8``
  followed by eight digits (Lithuania), either run together or grouped by single spaces.
  A date written with spaces (``2017 09 01``, as page titles print them) is not a number;
- a person's name after a title (``Dr. Firstname Lastname``, ``Mrs Name``, ``Mme``, ``Sra.``, ``Herr``...):
  IATI descriptions name officials and doctors so (24 in 17 descriptions of the covid bulk). A name without a title cannot be told
  from an organisation's or a place's without a language model, and is not looked for.

:func:`personal_data` is what the records check runs over every text value (e-mail, international
and labelled forms only, so that an eight-digit identifier stays possible); the data tests
run it with ``national=True`` over every file of ``data/`` and over every export. :func:`redact` is
what imports run over every text of a record: third-party data is kept, its contact details are not.
"""

from __future__ import annotations

import re

__all__ = ["personal_data", "redact", "REMOVED", "NAME_REMOVED", "EMAIL_RE", "INTERNATIONAL_PHONE_RE",
           "LABELLED_PHONE_RE", "NATIONAL_PHONE_RE", "TITLED_NAME_RE"]

#: the lookbehind: a match starts where the name starts (scanning from each letter of a long word was slow)
EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
INTERNATIONAL_PHONE_RE = re.compile(r"(?<![\w+.,])(?<!\d )(?:\+ ?|\b00 ?)\(?\d{1,3}\)?(?:[ ./()-]{0,3}\d){7,12}(?!\d)")
#: the number (group 1) after a phone label; ``\b`` keeps "Hotel 2019" and "mobility 2020" out
LABELLED_PHONE_RE = re.compile(r"(?i)\b(?:tel(?:efon(?:as|s|e)?|ephone)?|t[āa]lr(?:unis)?|phone|mob(?:ile)?|tlf|fax)"
                               r"\.?:? ?(\(?\+?\d(?:[ ./()-]{0,2}\d){5,13})(?!\d)")
NATIONAL_PHONE_RE = re.compile(r"(?<![\w.,/+-])(?:[26]\d(?: ?\d){6}|8(?: ?\d){8})(?![\w/-]|[.,]\d)")
#: One title or more ("Prof. Dr."), then up to six words, of which :func:`_titled_names` keeps the name's (each
#: capitalised, or a particle between: de, van, al...); not "Sr." (senior, as in "Sr. Program Manager"), not
#: "Dr Kongo" (DR Congo)
_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mme", "Mlle", "Dr", "Dra", "Prof", "Sra", "Srta", "Herr", "Frau")
TITLED_NAME_RE = re.compile(rf"\b(?:(?:{'|'.join(_TITLES)})\.? )+(?!Cong|Kong)[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*){{0,5}}")
_PARTICLES = {"de", "del", "da", "dos", "van", "von", "der", "den", "la", "le", "bin", "al"}
#: A word after a title that makes it no person's name: "Dr. Reddy's Foundation", "Riverside Dr. Suite 200"
_NOT_A_PERSON = {"Foundation", "Trust", "Fund", "Institute", "Hospital", "Clinic", "Association", "Society", "School",
                 "Centre", "Center", "College", "University", "Company", "Ltd", "Inc", "Suite", "Street", "Road"}
#: A capitalised word that ends a name after its first word rather than continuing it, in the English of the sources'
#: texts ("Mr. Li And the team", "Dr. Ana Lee During the visit"): the name is the words before it. Only words that
#: are no one's name: not In, The, Has, Is, By, Will, Said, Or, To, On ("Dr. Kim In Sook", "Dr. Nguyen The Anh",
#: "Mr. Firstname Has", "Prof. Firstname Said"); taking out a word too many is the safer error. The first word after the
#: titles is always kept ("Dr. In" is taken out as a name), and a title ends a name (the next one is looked for).
_ENDS_A_NAME = {"And", "At", "For", "From", "With", "After", "Before", "During", "Since", "Until", "Who", "Was", "But"}
_DATE_RE = re.compile(r"^(?:19|20)\d\d ?(?:0[1-9]|1[0-2]) ?(?:0[1-9]|[12]\d|3[01])$")


#: What :func:`redact` writes where it took contact details out, and where it took a person's name out.
REMOVED, NAME_REMOVED = "[contact details removed]", "[name removed]"


def _titled_names(text: str) -> list[tuple[int, int]]:
    """The spans of the titled names in ``text``: the titles and the capitalised words after them (a particle before
    or between them kept, "Dr. de Vries"; "al-Hassan", "bin-al-Rashid" are capitalised), none when no capitalised word follows ("Dr.
    is") or a word says it is no person ("Dr. Reddy's Foundation"). The search goes on where a name ends, not where
    the pattern's words did ("Dr. Ana said Mr. Li" names two).

    >>> text = "led by Prof. Dr. Ana del Río and Mr. Li, with Sr. Program staff; Dr Kongo; Ms. is; Mr Price Foundation"
    >>> [text[a:b] for a, b in _titled_names(text)]
    ['Prof. Dr. Ana del Río', 'Mr. Li']
    >>> [text[a:b] for text in ["Dr. Ana Lee During the visit", "Mr. Will Lastname Dr Li"] for a, b in _titled_names(text)]
    ['Dr. Ana Lee', 'Mr. Will Lastname', 'Dr Li']
    """
    spans = []
    pos = 0
    while m := TITLED_NAME_RE.search(text, pos):
        words = m.group().split(" ")
        titles = next((i for i, w in enumerate(words) if w.rstrip(".") not in _TITLES), len(words))
        kept = []
        for w in words[titles:]:
            capitalised = w[0].isupper() or w.rpartition("-")[2][:1].isupper()  # "al-Hassan" is
            # a title ends a name (written without its dot: no word of the name part holds one), as _ENDS_A_NAME does
            if not (capitalised or w in _PARTICLES) or kept and (w in _ENDS_A_NAME or w in _TITLES):
                break
            kept.append(w)
        while kept and kept[-1] in _PARTICLES:
            kept.pop()
        if kept and not _NOT_A_PERSON & set(kept):  # its last word capitalised (a particle is not kept last): a name
            end = m.start() + len(" ".join(words[:titles] + kept))
            spans.append((m.start(), end))
            pos = end
        else:
            pos = m.start() + len(words[0])
    return spans


def _found(text: str, national: bool, names: bool = False) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of each e-mail address and phone number in ``text`` (with ``names``, each titled name),
    in text order, none overlapping."""
    # each form looked for only where its mark is (an import runs this over every text: 4.4 -> 0.3 s of IATI's)
    found = [(*m.span(), "e-mail address") for m in EMAIL_RE.finditer(text)] if "@" in text else []
    if "+" in text or "00" in text:
        found += [(*m.span(), "phone number") for m in INTERNATIONAL_PHONE_RE.finditer(text)]
    if _labelled(text):
        found += [(*m.span(1), "phone number") for m in LABELLED_PHONE_RE.finditer(text)]
    if national:
        found += [(*m.span(), "phone number") for m in NATIONAL_PHONE_RE.finditer(text) if not _DATE_RE.match(m.group())]
    if names and any(title in text for title in _TITLES):
        found += [(start, end, "person's name") for start, end in _titled_names(text)]
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found):
        if kept and start < kept[-1][1]:  # one number found by two forms: once, over both spans
            kept[-1] = (kept[-1][0], max(end, kept[-1][1]), kept[-1][2])
        else:
            kept.append((start, end, kind))
    return kept


def personal_data(text: str, national: bool = False, names: bool = False) -> list[str]:
    """What in ``text`` looks like an e-mail address or a phone number (or, with ``names``, a person's name after a
    title: for free text, not for names, where "Dr. Reddy's Foundation" is an organisation), as kinds found.

    Parameters
    ----------
    text : str
        Any text: a record value, a data file, an export.
    national : bool
        Also look for national phone forms (bare eight- or nine-digit numbers), which
        an identifier could resemble.
    names : bool
        Also look for titled names (:func:`_titled_names`).

    Returns
    -------
    list of str
        ``"e-mail address"``, ``"phone number"`` and ``"person's name"`` for each match, in text order;
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
    return [kind for _, _, kind in _found(text, national, names)] if _may_hold(text, names) or national else []


def _may_hold(text: str, names: bool = False) -> bool:
    """False when ``text`` cannot hold an address or an international or labelled number (or, with ``names``, a
    title): no ``@``, no digit after a ``+`` or ``00``, no label (most texts of an import: a quick test first)."""
    return "@" in text or "+" in text or "00" in text or _labelled(text) or \
        names and any(title in text for title in _TITLES)


def _labelled(text: str) -> bool:
    """Whether ``text`` holds a phone label (:data:`LABELLED_PHONE_RE`), by substring (a regex search was a
    quarter of an import's look for contact details)."""
    low = text.lower()
    return any(label in low for label in _LABELS)


_LABELS = ("tel", "tālr", "talr", "phone", "mob", "tlf", "fax")


def redact(text: str, names: bool = False) -> tuple[str, list[str]]:
    """``text`` with each e-mail address and international or labelled phone number replaced by
    :data:`REMOVED` (with ``names``, each titled name by :data:`NAME_REMOVED`), and the kinds taken out, in text order
    (bare national forms stay: an identifier can look like one).

    >>> redact("Send results to " + "a.b" + "@" + "example.org, tel. " + "6" + "7000000.")
    ('Send results to [contact details removed], tel. [contact details removed].', ['e-mail address', 'phone number'])
    >>> redact("Hotel 2019, mobility 2020: 15150 100")
    ('Hotel 2019, mobility 2020: 15150 100', [])
    >>> redact("Dr. Firstname Lastname (medical doctor), partner director", names=True)
    ('[name removed] (medical doctor), partner director', ["person's name"])
    """
    if not _may_hold(text, names):
        return text, []
    found = _found(text, False, names)
    for start, end, kind in reversed(found):
        text = text[:start] + (NAME_REMOVED if kind == "person's name" else REMOVED) + text[end:]
    return text, [kind for _, _, kind in found]
