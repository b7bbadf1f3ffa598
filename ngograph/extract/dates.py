"""Dates and project periods in the forms project pages print them, in seven languages.

Month names come from CLDR through babel (the format and stand-alone forms: Lithuanian,
Polish and Russian genitives, Latvian and Estonian names) and from their stems, so that the
locatives of the pages ("septembrī", "wrześniu", "сентябре", "rugsėjį") are months too; the few
locatives with a stem too short to be safe are listed in ``cues.yaml``. A date keeps the
precision the page gives it: ``2018``, ``2018-08`` or ``2018-08-01``.

A period is two dates joined by a dash or by "from ... to" in the page's language. The
project's period is the one the page presents as such (a period cue, the title, a sentence on
the project); a single date (a news item's, a meeting's) is never a period, and a short range in
a sentence about a meeting or a conference is that event's.

>>> [(p.value, p.confidence) for p in periods("Project implementation period: September 2018 – November 2019", "en")]
[(('2018-09', '2019-11'), 0.9)]
>>> periods("Projekta īstenošanas laiks: 2012. gada septembris – 2013.gada augusts.", "lv")[0].value
('2012-09', '2013-08')
>>> periods("Projektas bus įgyvendinamas nuo 2017 m. rugsėjo 1 d. iki 2017 m. gruodžio 31 d.", "lt")[0].value
('2017-09-01', '2017-12-31')
>>> periods("Published 12.03.2019. The meeting took place on 12.03.2019.", "en")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale

from ngograph.extract.text import Found, cues, has_cue, lexicon, sentence_of, sentences

__all__ = ["DateMention", "month_of", "date_mentions", "periods", "best_period"]

_CLDR = {"no": "nb"}
_STEM_END = re.compile(r"[aeiouyąęėįųūāēīäöõüаеёиоуыэюяьй]+s?$|s$")


@lru_cache(maxsize=16)
def _months(lang: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Exact month forms and month stems of ``lang`` and English."""
    exact: dict[str, int] = {}
    stems: list[tuple[str, int]] = []
    for code in dict.fromkeys([lang, "en"]):
        loc = Locale.parse(_CLDR.get(code, code))
        for month in range(1, 13):
            forms = {loc.months[ctx][width][month].lower().rstrip(".")
                     for ctx in ("format", "stand-alone") for width in ("wide", "abbreviated")}
            for f in forms:
                exact.setdefault(f, month)
            wide = [loc.months[ctx]["wide"][month].lower() for ctx in ("format", "stand-alone")]
            stem = wide[0]
            for w in wide[1:]:
                while not w.startswith(stem):
                    stem = stem[:-1]
            short = _STEM_END.sub("", stem)  # "decembris" -> "decembr", "maijs" -> "maij"
            stem = short if len(short) >= 4 else stem
            if len(stem) >= 4:
                stems.append((stem, month))
        for form, month in (cues()["months_extra"].get(code) or {}).items():
            exact.setdefault(form, int(month))
    return exact, sorted(stems, key=lambda s: -len(s[0]))


def month_of(word: str, lang: str) -> int | None:
    """The month a word names in ``lang`` (or English), in any case form, else None.

    >>> month_of("września", "pl"), month_of("сентябре", "ru"), month_of("rugsėjį", "lt"), month_of("Sept.", "en")
    (9, 9, 9, 9)
    >>> month_of("septembrist", "et"), month_of("decembra", "lv"), month_of("novembrim", "lv")
    (9, 12, 11)
    >>> month_of("mazākumtautību", "lv"), month_of("marts", "lv"), month_of("decision", "en")
    (None, 3, None)
    """
    w = word.lower().rstrip(".")
    exact, stems = _months(lang)
    if w in exact:
        return exact[w]
    for stem, month in stems:
        if w.startswith(stem) and len(w) - len(stem) <= 4:
            return month
        if len(stem) >= 7 and w.startswith(stem[:-2]) and len(w) - len(stem) <= 3:  # et "septembrist"
            return month
        if word.endswith(".") and len(w) >= 3 and stem.startswith(w):  # an abbreviation: "Sept."
            return month
    return None


@dataclass(frozen=True)
class DateMention:
    """A date in the text: ``value`` at its precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``),
    its span, and whether the page printed its year."""

    value: str
    start: int
    end: int


_WORD = r"[^\W\d_]{3,}\.?"
_YEAR = r"(?:19|20)\d\d"
_PATTERNS = [
    # 2017-09-01, 2017 09 01, 2017.09.01
    ("ymd", re.compile(rf"(?<![\d.])({_YEAR})([-. ])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?![\d])")),
    # 01.09.2017, 1/9/2017
    ("dmy", re.compile(rf"(?<![\d.])(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./]({_YEAR})(?!\d)")),
    # 2017 m. rugsėjo 1 d.; 2012. gada septembris; 2012. gada 1. septembris
    ("y-word", re.compile(rf"(?<!\d)({_YEAR})\.?\s*(?:m\.|g\.|gada|год[ау]?|r\.|aasta)?\s*(?:(\d{{1,2}})\.\s*)?"
                          rf"({_WORD})(?:\s+(\d{{1,2}})(?!\d)\s*(?:d\.|\.)?)?(?:\s*mėn\.)?", re.I)),
    # 1 September 2018, 1. september 2018, September 2018, wrzesień 2018 r., сентября 2018 г.
    ("word-y", re.compile(rf"(?<![\w.])(?:(\d{{1,2}})\.?\s+)?({_WORD})(?:\s+of)?,?\s+({_YEAR})(?!\d)"
                          rf"(?:\s*(?:r\.|г\.|m\.|roku|года|goda))?", re.I)),
    # 2018-08 (a month), not 2018-2020
    ("ym", re.compile(rf"(?<![\d.])({_YEAR})-(0[1-9]|1[0-2])(?![\d-])")),
    # September (no year: completed from the other end of a range)
    ("word", re.compile(rf"(?<![\w.])(?:(\d{{1,2}})\.?\s+)?({_WORD})(?![\w])", re.I)),
    # 2018, 2018 m.; the second year of "2018-2020" (a hyphen after anything else bars a year: "978-2020")
    ("y", re.compile(rf"(?:(?<![\d.\w/-])|(?<={_YEAR}-))({_YEAR})(?:\.?\s*(?:m\.|g\.|r\.|г\.|gada|года|roku|aasta))?(?![\d\w/]|-\d\d\b)")),
]


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        date(y, m, d or 1)
        return True
    except ValueError:
        return False


def date_mentions(text: str, lang: str) -> list[DateMention]:
    """Every date of ``text``, the longest reading of each span, in text order. A month
    without a year has the value ``--MM`` (``--MM-DD`` with its day).

    >>> [m.value for m in date_mentions("2017 09 01 – 2017 12 31, May 2019, 2012. gada septembris", "lv")]
    ['2017-09-01', '2017-12-31', '2019-05', '2012-09']
    """
    taken = bytearray(len(text))  # 1 where a longer reading already took the character
    out: list[DateMention] = []

    def free(s, e):
        return taken.find(1, s, e) < 0

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if not free(s, e):
                continue
            value = None
            if kind == "ymd":
                y, mo, d = int(m[1]), int(m[3]), int(m[4])
                value = f"{y}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
            elif kind == "dmy":
                d, mo, y = int(m[1]), int(m[2]), int(m[3])
                value = f"{y}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
            elif kind == "y-word":
                mo = month_of(m[3], lang)
                if mo:
                    day = m[2] or m[4]
                    value = f"{m[1]}-{mo:02d}" + (f"-{int(day):02d}" if day and _valid(int(m[1]), mo, int(day)) else "")
                    if not (m[2] or m[4]):
                        e = m.start(3) + len(m[3])
                elif m[3]:
                    continue
            elif kind == "word-y":
                mo = month_of(m[2], lang)
                if mo:
                    y = int(m[3])
                    value = f"{y}-{mo:02d}" + (f"-{int(m[1]):02d}" if m[1] and _valid(y, mo, int(m[1])) else "")
            elif kind == "ym":
                value = f"{m[1]}-{m[2]}"
            elif kind == "word":
                mo = month_of(m[2], lang)
                if mo and (m[2][0].isupper() or lang != "en"):
                    value = f"--{mo:02d}" + (f"-{int(m[1]):02d}" if m[1] and int(m[1]) <= 31 else "")
            elif kind == "y":
                value = m[1]
            if value:
                taken[s:e] = b"\x01" * (e - s)
                out.append(DateMention(value, s, e))
    return sorted(out, key=lambda d: d.start)


def _complete(start: str, end: str) -> tuple[str, str] | None:
    """A range's ends with a missing year taken from the other end; None when it makes no period."""
    if start.startswith("--") and not end.startswith("--"):
        year = int(end[:4])
        if int(start[2:4]) > int(end[5:7] or 12):
            year -= 1
        start = f"{year}{start[1:]}"
    if start.startswith("--") or end.startswith("--"):
        return None
    if end < start or int(end[:4]) - int(start[:4]) > 15:
        return None
    return start, end


def _connector(lang: str) -> re.Pattern:
    to = "|".join(lexicon("range_to", lang))
    return re.compile(rf"^\s*(?:[-–—‑]+|(?:{to}))\s*$", re.I)


def _from_before(text: str, pos: int, lang: str) -> bool:
    return bool(re.search(r"(?:^|\W)(?:" + "|".join(lexicon("range_from", lang)) + r")\s*$", text[max(0, pos - 12):pos], re.I))


def _days(start: str, end: str) -> int:
    def d(v, last):
        y, m, dd = (v.split("-") + [None, None])[:3]
        m = int(m) if m else (12 if last else 1)
        dd = int(dd) if dd else (28 if last else 1)
        return date(int(y), m, dd)
    return (d(end, True) - d(start, False)).days


def periods(text: str, lang: str) -> list[Found]:
    """The periods of ``text`` (two dates as a range), each a :class:`Found` of ``(start, end)``
    with a confidence: 0.9 with a period cue in its sentence, 0.8 in the page's first lines,
    0.6 in a sentence about the project, else 0.3; periods of events are left out."""
    mentions = date_mentions(text, lang)
    spans = sentences(text)
    conn = _connector(lang)
    head_end = sum(len(line) + 1 for line in text.splitlines()[:4])
    out = []
    for a, b in zip(mentions, mentions[1:]):
        between = text[a.end:b.start]
        elative = lang == "et" and re.search(r"st$", text[a.start:a.end]) and not between.strip()
        if not (conn.match(between) or elative) or len(between) > 12:  # Estonian: "septembrist augustini"
            continue
        if bool(re.fullmatch(r"\d{4}", a.value)) != bool(re.fullmatch(r"\d{4}", b.value)) and not a.value.startswith("--"):
            continue
        ends = _complete(a.value, b.value)
        if not ends:
            continue
        s, e = sentence_of(spans, a.start)
        sentence = text[s:e]
        before = text[s:a.start]
        if has_cue("period", lang, sentence) or _from_before(text, a.start, lang):
            conf = 0.9 if has_cue("period", lang, before) or has_cue("project", lang, before) else 0.7
        elif a.start < head_end:
            conf = 0.8
        elif has_cue("project", lang, sentence):
            conf = 0.6
        else:
            conf = 0.3
        event = has_cue("event", lang, before) and not has_cue("period", lang, before)
        if event or (_days(*ends) < 28 and not has_cue("period", lang, before)):
            continue
        out.append(Found(ends, a.start, b.end, conf))
    return out


def best_period(text: str, lang: str) -> Found | None:
    """The project's period: the most confident of :func:`periods`, the first on a tie; None
    when none reaches 0.5."""
    found = [p for p in periods(text, lang) if p.confidence >= 0.5]
    return max(found, key=lambda p: p.confidence) if found else None
