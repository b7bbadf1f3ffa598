"""Amounts of money and funding shares, with their currency and what they are.

An amount is a number with a currency code or sign before or after it ("DKK 444,550",
"EUR 53 000", "1,5 mln. zł", "2 млн рублей", "NOK 1.2 million"); a share is a percentage in a
sentence about funding ("92,07%"). What it is comes from its sentence: ``budget`` (the
project's total), ``grant`` (a funder's grant or co-funding), ``share`` (the funder's share in
per cent). An amount in a sentence about a programme, a call or a funding round and not about
the project is the programme's, and is left out.

>>> [(a.value, a.extra["kind"]) for a in amounts("Budget: DKK 444,550 (co-funding of the Council – DKK 310,000).", "en")]
[((444550, 'DKK'), 'budget'), ((310000, 'DKK'), 'grant')]
>>> [a.value for a in amounts("Wartość projektu 1,5 mln. zł, dofinansowanie 92,07%", "pl")]
[(1500000, 'PLN'), (92.07, '%')]
>>> amounts("The programme's call has a total budget of EUR 5 million.", "en")
[]
"""

from __future__ import annotations

import re

from ngograph.extract.text import Found, cue_regex, has_cue, lexicon, sentence_of, sentences

__all__ = ["CURRENCIES", "parse_number", "amounts"]

#: Currency signs and words as the pages print them, with their ISO 4217 codes.
CURRENCIES = {"eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "eiro": "EUR", "eurų": "EUR", "eurai": "EUR", "eurot": "EUR", "eurost": "EUR",
              "евро": "EUR", "dkk": "DKK", "nok": "NOK", "sek": "SEK", "pln": "PLN", "zł": "PLN", "zl": "PLN",
              "złotych": "PLN", "usd": "USD", "$": "USD", "gbp": "GBP", "£": "GBP", "rub": "RUB", "руб": "RUB",
              "рублей": "RUB", "рубля": "RUB", "byn": "BYN", "isk": "ISK", "chf": "CHF", "kroner": "NOK"}
_MULT = {"mln": 1e6, "million": 1e6, "millions": 1e6, "mio": 1e6, "mill": 1e6, "millioner": 1e6, "milj": 1e6,
         "miljoni": 1e6, "miljonit": 1e6, "milijonai": 1e6, "milijono": 1e6, "млн": 1e6, "миллиона": 1e6,
         "миллионов": 1e6, "tūkst": 1e3, "tūkstoši": 1e3, "tūkstančiai": 1e3, "tuhat": 1e3, "tys": 1e3,
         "тыс": 1e3, "thousand": 1e3, "k": 1e3}
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_MUL = "|".join(sorted(_MULT, key=len, reverse=True))
_NUM = r"\d{1,3}(?:(?:[ \u00a0\u202f]|[,.](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?P<c1>{_CUR})\s?(?P<n1>{_NUM})(?:\s?(?P<m1>{_MUL})\.?)?"
    rf"|(?P<n2>{_NUM})(?:\s?(?P<m2>{_MUL})\.?)?\s?(?P<c2>{_CUR}))(?![\w])", re.I)
_SHARE = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?%")


def parse_number(text: str, scaled: bool = False) -> float:
    """A number as the pages print it: "444,550", "53 000", "1,5" (with a multiplier), "92,07".

    >>> parse_number("444,550"), parse_number("53 000"), parse_number("1,5", True), parse_number("92,07")
    (444550.0, 53000.0, 1.5, 92.07)
    >>> parse_number("1.234.567,50"), parse_number("53.000")
    (1234567.5, 53000.0)
    """
    t = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        t = t.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        head, _, tail = t.rpartition(sep)
        if len(tail) == 3 and not scaled:
            t = t.replace(sep, "")
        else:
            t = t.replace(sep, "", t.count(sep) - 1).replace(sep, ".")
    return float(t)


def _kind(before: str, lang: str) -> str | None:
    grant = cue_regex(lexicon("amount_kinds", lang, "grant")).search(before)
    budget = cue_regex(lexicon("amount_kinds", lang, "budget")).search(before)
    if grant and (not budget or grant.start() > budget.start()):
        return "grant"
    return "budget" if budget else None


def _header(text: str, start: int) -> str:
    """The header line ("Projects' budget:") of the list item that starts at ``start``, else ""."""
    lines = text[:start].rstrip("\n").splitlines()[-4:]
    for line in reversed(lines):
        if line.strip().endswith(":"):
            return line
        if line.strip() and not re.match(r"\s*[•\-*–·]", line):
            return ""
    return ""


def amounts(text: str, lang: str) -> list[Found]:
    """The project's amounts in ``text``: each a :class:`Found` of ``(value, currency)`` (a
    share is ``(per cent, "%")``) with ``extra["kind"]`` budget, grant or share."""
    spans = sentences(text)
    out = []
    for m in _AMOUNT.finditer(text):
        cur = CURRENCIES[(m["c1"] or m["c2"]).lower()]
        mult = (m["m1"] or m["m2"] or "").lower()
        value = parse_number(m["n1"] or m["n2"], bool(mult)) * _MULT.get(mult, 1)
        s, e = sentence_of(spans, m.start())
        sentence = text[s:e]
        if has_cue("programme", lang, sentence) and not has_cue("project", lang, sentence):
            continue
        kind = _kind(text[max(s, m.start() - 60):m.start()], lang) or _kind(text[s:m.start()], lang) \
            or _kind(_header(text, s), lang) or _kind(text[s:e], lang)
        if not kind or value < 100:
            continue
        value = int(value) if value == int(value) else round(value, 2)
        out.append(Found((value, cur), m.start(), m.end(), 0.8 if kind == "budget" else 0.7, {"kind": kind}))
    for m in _SHARE.finditer(text):
        s, e = sentence_of(spans, m.start())
        sentence = text[s:e]
        if not cue_regex(lexicon("amount_kinds", lang, "grant")).search(sentence):
            continue
        if has_cue("programme", lang, sentence) and not has_cue("project", lang, sentence):
            continue
        share = parse_number(m[1], True)
        if 0 < share <= 100:
            out.append(Found((share, "%"), m.start(), m.end(), 0.7, {"kind": "share"}))
    return sorted(out, key=lambda f: f.start)
