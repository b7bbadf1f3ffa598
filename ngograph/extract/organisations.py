"""Organisations, their roles in the project and their countries.

A role comes only from what the text says: a role cue ("Partners:", "funded by", "X is the
project partner", "projektą įgyvendina", "finansiert av") opens a *region* of the sentence, up to
the next cue, a word that ends a list of names (``stop_words`` of ``cues.yaml``: "which",
"with", "kas", "который") or the sentence's end; a header line ending in a colon opens a region
over the lines below it. An organisation in a region has its role; one in no region, or in the
region of a trap cue (a body visited, one that only presented funding opportunities or received
results), is no participant: precision before recall.

In a region, a known name (:class:`~ngograph.extract.gazetteer.Gazetteer`) is linked to its id;
the rest is split into names at commas and "and" outside brackets and quotes, and a chunk is
proposed as a new organisation when it looks like one: an organisation word ("Foundation",
"biedrība", "fundacja", "фонд"), a name in quotes, a country in brackets, or a list under a
header. New names are written in the nominative (:func:`nominative`).

The country is read from brackets after the name ("(Latvia)", "(St. Petersburg, Russia)"),
else from the graph, else from a country or its adjective in the name ("Latvian Red Cross").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale

from ngograph.extract.gazetteer import Gazetteer, word_key
from ngograph.extract.text import Found, cue_regex, cues, has_cue, sentences
from ngograph.reconcile.normalise import fold, is_generic, name_key
from ngograph.records.personal import personal_data

__all__ = ["ROLE_ORDER", "Region", "regions", "organisations", "country_of", "nominative"]

#: Participation roles from the strongest; an organisation named in several keeps the first.
ROLE_ORDER = ("lead-partner", "implementer", "partner", "associated")
_FUNDING = ("funder", "administering-body")


@dataclass(frozen=True)
class Region:
    """A span of text governed by a cue: ``role`` is a role of ``cues.yaml`` or ``"trap"``."""

    start: int
    end: int
    role: str
    cue: tuple[int, int]


def _role_patterns(lang: str, direction: str) -> dict[str, re.Pattern]:
    out = {}
    for role, by_lang in cues()["roles"].items():
        pats = [*((by_lang.get(lang) or {}).get(direction) or []), *((by_lang.get("en") or {}).get(direction) or [])]
        if pats:
            out[role] = cue_regex(tuple(dict.fromkeys(pats)))
    return out


@lru_cache(maxsize=16)
def _stop_regex(lang: str) -> re.Pattern:
    words = {*cues()["stop_words"].get(lang, []), *cues()["stop_words"]["en"]}
    return re.compile(r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?![\w-])")


def _depth_mask(text: str) -> list[bool]:
    """Whether each character is inside brackets or quotes („ and « open, » closes, the others
    toggle: the pages write „X”, “X”, ”X” and "X").

    >>> "".join("^" if x else "." for x in _depth_mask('a „b” c (d) ”e”'))
    '..^^....^^^.^^.'
    """
    out, depth, quote = [], 0, False
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch in "„«":
            quote = True
        elif ch == "»":
            quote = False
        elif ch in "\"“”":
            quote = not quote
        out.append(depth > 0 or quote or ch in ")]")
    return out


def _region_end(text: str, start: int, end: int, lang: str, places: Gazetteer | None = None) -> int:
    """Where a cue's list of names ends: at a stop word outside brackets and quotes followed by a
    word in lower case, a place or a country ("in Riga"); a stop word before another capitalised
    word may be part of a name ("Ungdom i Nord")."""
    inside = _depth_mask(text[start:end])
    for m in _stop_regex(lang).finditer(text, start, end):
        if m.start() <= start + 1 or inside[m.start() - start]:
            continue
        nxt = re.match(r"\s+([^\W\d_][\w-]*)", text[m.end():end])
        if nxt and nxt[1][0].isupper() and not country_of(nxt[1], lang) and \
                not (places and places.find(nxt[1])):
            continue
        return m.start()
    return end


def _word_end(text: str, pos: int, limit: int) -> int:
    """A cue ends with its word: "partner" read in "partneriais" takes the whole word."""
    if pos == 0 or not text[pos - 1].isalnum():
        return pos
    while pos < limit and text[pos].isalnum():
        pos += 1
    return pos


def regions(text: str, lang: str, places: Gazetteer | None = None) -> list[Region]:
    """The regions of the role and trap cues of ``text``, in text order.

    >>> t = "Partners: Alpha Fund (Latvia). We visited the Beta Ministry. Funded by the Gamma Council."
    >>> [(r.role, t[r.start:r.end].strip(" :")) for r in regions(t, "en")]
    [('partner', 'Alpha Fund (Latvia).'), ('trap', 'Beta Ministry.'), ('funder', 'Gamma Council.')]
    """
    after, before = _role_patterns(lang, "after"), _role_patterns(lang, "before")
    trap = cue_regex(tuple(dict.fromkeys([*cues()["traps"].get(lang, []), *cues()["traps"]["en"]])))
    out: list[Region] = []
    spans = sentences(text)
    carry: str | None = None
    for k, (s, e) in enumerate(spans):
        sentence = text[s:e]
        hits = []
        for role, pattern in after.items():
            hits += [(m.start() + s, m.end() + s, role, "after") for m in pattern.finditer(sentence)]
        hits += [(m.start() + s, m.end() + s, "trap", "after") for m in trap.finditer(sentence)]
        for role, pattern in before.items():
            hits += [(m.start() + s, m.end() + s, role, "before") for m in pattern.finditer(sentence)]
        inside = _depth_mask(sentence)
        hits = [(a, _word_end(text, b, e), role, d) for a, b, role, d in hits if not inside[a - s]]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept, last_end = [], -1
        for h in hits:  # overlapping cues: the first, longest one
            if h[0] >= last_end:
                kept.append(h)
                last_end = h[1]
        if not kept and carry and text[spans[k - 1][1]:s].count("\n") < 2:
            out.append(Region(s, e, carry, (s, s)))
            continue
        carry = None
        prev_end, prev_role = s, None
        for i, (cs, ce, role, direction) in enumerate(kept):
            nxt = kept[i + 1][0] if i + 1 < len(kept) else e
            if direction == "before":
                out.append(Region(prev_end, _region_end(text, prev_end, cs, lang, places), role, (cs, ce)))
            else:
                if role == "joint":  # "X, in cooperation with Y": Y funds with a funder, else is a partner
                    role = prev_role if prev_role in _FUNDING else "partner"
                header_cue = text[ce:nxt].lstrip(" ").startswith(":")
                lead = _LEAD.match(text, ce, nxt)
                ce = lead.end() if lead and not header_cue else ce
                body_end = nxt if header_cue and role != "trap" else _region_end(text, ce, nxt, lang, places)
                if not text[ce:nxt].strip(" :–-") and sentence.rstrip().endswith(":") and role != "trap":
                    carry = role
                out.append(Region(ce, body_end, role, (cs, ce)))
            prev_end, prev_role = ce, role if role != "trap" else None
    return out


_AND = {"en": "and|as well as", "lv": "un", "lt": "ir", "et": "ja", "pl": "i|oraz", "ru": "и|а также", "no": "og|samt"}


@lru_cache(maxsize=16)
def _split_regex(lang: str) -> re.Pattern:
    """Separators of the names in a list: commas, semicolons, "and" of ``lang`` and English, a dash before a capital."""
    ands = "|".join(dict.fromkeys([*_AND.get(lang, "").split("|"), *_AND["en"].split("|")]))
    return re.compile(rf",|;|\s+(?:{ands})\s+|\s+[–—]\s+(?=[A-ZĀ-ŽА-Я])")
_LEAD = re.compile(r"(?:[\s:–—\-•,.]|the\b|a\b|an\b|by\b|also\b|is\b|are\b|ir\b|yra\b|on\b|jest\b|są\b|er\b|"
                   r"является\b|являются\b|our\b|its\b|their\b|projekt\w*|проект\w*|prosjekt\w*|project\b)+", re.I)


def _chunks(text: str, start: int, end: int, lang: str = "en") -> list[tuple[int, int]]:
    """The comma- and "and"-separated parts of a region outside brackets and quotes."""
    inside = _depth_mask(text[start:end])
    parts, s = [], start
    for m in _split_regex(lang).finditer(text, start, end):
        if not inside[m.start() - start]:
            parts.append((s, m.start()))
            s = m.end()
    parts.append((s, end))
    parts = _join_and(text, parts)
    out = []
    for a, b in parts:
        lead = _LEAD.match(text, a, b)
        a = lead.end() if lead else a
        while b > a and text[b - 1] in " .:;–—-\n":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _join_and(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join "Lietuvos ir Norvegijos fondas", "EEA and Norway Grants": a part of one or two words
    without an organisation word or brackets, split from the next at "and", is the start of it."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(parts):
        a, b = parts[i]
        if i + 1 < len(parts):
            sep = text[b:parts[i + 1][0]]
            words = re.findall(r"[^\W\d_]+", text[a:b])
            if sep.strip() not in (",", ";") and 0 < len(words) <= 2 and "(" not in text[a:b] \
                    and not any(_is_org_word(w) for w in words) \
                    and any(_is_org_word(w) for w in re.findall(r"[^\W\d_]+", text[parts[i + 1][0]:parts[i + 1][1]])):
                parts[i + 1] = (a, parts[i + 1][1])
                i += 1
                continue
        out.append((a, b))
        i += 1
    return out


def _is_org_word(word: str) -> bool:
    """An organisation word, alone or at the end of a compound ("Sparebankstiftelsen")."""
    key = word_key(word)
    if key in _org_words():
        return True
    folded = fold(word)
    if any(folded.startswith(w[:-1]) and len(folded) - len(w) <= 3 for w in _org_suffixes() if len(w) >= 6):
        return True  # an inflected form: "Mechanizmu", "Stowarzyszeniem"
    return len(folded) > 8 and any(folded.endswith(w) for w in _org_suffixes())  # "Sparebankstiftelsen"


@lru_cache(maxsize=1)
def _org_suffixes() -> tuple[str, ...]:
    return tuple(fold(w) for words in cues()["org_words"] for w in str(words).split() if len(fold(w)) >= 4)


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    return frozenset(word_key(w) for words in cues()["org_words"] for w in str(words).split())


@lru_cache(maxsize=16)
def _countries(lang: str) -> dict[str, str]:
    """Word keys of country names (CLDR in ``lang`` and English, pycountry) and adjectives -> alpha-2."""
    out: dict[str, str] = {}
    for code in dict.fromkeys([lang, "en"]):
        loc = Locale.parse({"no": "nb"}.get(code, code))
        for alpha2, name in loc.territories.items():
            if len(alpha2) == 2 and alpha2.isalpha() and pycountry.countries.get(alpha_2=alpha2):
                out.setdefault(" ".join(word_key(w) for w in name.split()), alpha2)
    for c in pycountry.countries:
        out.setdefault(" ".join(word_key(w) for w in c.name.split()), c.alpha_2)
    for word, alpha2 in cues()["demonyms"].items():
        out.setdefault(word_key(word), alpha2)
    return out


def country_of(text: str, lang: str, places: Gazetteer | None = None) -> str | None:
    """The country a short text names: a country in any case of ``lang`` or English, an
    adjective of the region's countries, or a known place.

    >>> country_of("Latvia", "en"), country_of("Латвии", "ru"), country_of("St. Petersburg, Russia", "en")
    ('LV', 'LV', 'RU')
    >>> country_of("Norvēģijā", "lv"), country_of("somewhere", "en")
    ('NO', None)
    """
    table = _countries(lang)
    for part in reversed([p for p in re.split(r"[,;/]", text) if p.strip()]):
        key = " ".join(word_key(w) for w in re.findall(r"[^\W\d_]+", part))
        if key in table:
            return table[key]
        if places:
            found = places.find(part)
            if found and found[0].entry.country:
                return found[0].entry.country
    return None


def _name_country(name: str, lang: str) -> str | None:
    table = _countries(lang)
    for w in re.findall(r"[^\W\d_]+", name):
        if w[0].isupper() and word_key(w) in table:
            return table[word_key(w)]
    return None


# Endings of the Latvian and Lithuanian cases that are not the genitive (a genitive is part of a name).
_OBLIQUE = {"lv": ("ajam", "ajai", "ajiem", "iem", "am", "ai", "ei", "ām", "ēm", "ā", "ē", "ī"),
            "lt": ("iam", "ajam", "iui", "ui", "iems", "ams", "oms", "ėms", "uose", "yje", "oje", "ėje", "ą", "ę", "į",
                   "ai", "ei")}
_ADJECTIVE = {"pl": ("y", "i"), "ru": ("ый", "ий", "ой")}


def _lemma(word: str, lang: str) -> str:
    try:
        import simplemma
    except ImportError:  # the extra is checked before; without it names stay as printed
        return word
    lemma = simplemma.lemmatize(word, lang=lang, low_memory=True)  # 1.5 s CPU and 70 MB for Polish, not 4.4 s and 430 MB
    if not lemma or word.isupper():
        return word
    return lemma[0].upper() + lemma[1:] if word[0].isupper() else lemma


def nominative(name: str, lang: str) -> str:
    """A name printed in another case, in the nominative: the words outside quotes whose ending
    marks a non-genitive case (Latvian, Lithuanian: head last) or the leading adjectives and head
    noun (Polish, Russian: head first). Other languages, and quoted parts, are left as printed.

    >>> nominative("Nacionaliniam lygybės ir įvairovės forumui", "lt")
    'Nacionalinis lygybės ir įvairovės forumas'
    >>> nominative("Fundacji Rozwoju Lokalnego", "pl"), nominative("biedrībai „Zaļā māja”", "lv")
    ('Fundacja Rozwoju Lokalnego', 'biedrība „Zaļā māja”')
    """
    if lang not in _OBLIQUE and lang not in _ADJECTIVE:
        return name
    parts = re.split(r"([\"“”„«»].*?[\"“”„«»])", name)
    words_at = [(i, m) for i, p in enumerate(parts) if not re.match(r"[\"“”„«»]", p)
                for m in re.finditer(r"[^\W\d_]+", p)]
    if not words_at:
        return name
    change: dict[tuple[int, int], str] = {}
    words_at = [(i, m) for i, m in words_at if not any(c.isupper() for c in m.group()[1:])]
    if lang in _OBLIQUE:
        for i, m in words_at:
            w = m.group()
            if w.lower().endswith(_OBLIQUE[lang]):
                change[(i, m.start())] = _lemma(w, lang)
    else:
        ending = None
        for k, (i, m) in enumerate(words_at):
            w = m.group()
            lemma = _lemma(w, lang)
            if ending is None:
                change[(i, m.start())] = lemma
                if not lemma.lower().endswith(_ADJECTIVE[lang]):  # the head noun
                    if lemma.lower() == w.lower():  # already in the nominative: leave the name as printed
                        return name
                    ending = w.lower()[-3:] if k == 0 else words_at[0][1].group().lower()[-3:]
            elif w.lower().endswith(ending) and lemma.lower().endswith(_ADJECTIVE[lang]):
                change[(i, m.start())] = lemma  # an adjective after the head, in its case
            else:
                ending = "\0"
    out = []
    for i, p in enumerate(parts):
        pieces, pos = [], 0
        for m in re.finditer(r"[^\W\d_]+", p):
            if (i, m.start()) in change:
                pieces += [p[pos:m.start()], change[(i, m.start())]]
                pos = m.end()
        out.append("".join(pieces) + p[pos:])
    return "".join(out)


@dataclass
class OrgFound:
    """An organisation read from the page: a known ``id`` or a new ``name``, its ``role``,
    ``country`` and evidence."""

    id: str | None
    name: str
    role: str
    country: str | None
    found: Found
    country_found: Found | None = None


def _looks_like_org(chunk: str, lang: str, header: bool, bracket_country: bool) -> float:
    """The confidence that a chunk of a region names an organisation (0 when it does not)."""
    words = re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", chunk)
    if not words or len(words) > 10 or personal_data(chunk) or "@" in chunk or "www." in chunk.lower():
        return 0.0
    first = chunk.lstrip("\"“„«(")[:1]
    key = name_key(chunk)
    if is_generic(key.key or fold(chunk)) or not key.key:
        return 0.0
    orgword = any(_is_org_word(w) for w in words) or key.legal_form is not None
    quoted = bool(re.search(r"[\"“„«].{2,}[\"”“»]", chunk))
    capital = sum(1 for w in words if w[0].isupper())
    if not (first.isupper() or quoted or key.legal_form):
        return 0.0
    if country_of(chunk, lang) and not orgword:  # a country, not a body
        return 0.0
    if orgword or quoted:
        return 0.7
    if bracket_country or header:
        return 0.5 if capital >= 1 else 0.0
    return 0.0


def organisations(text: str, lang: str, known: Gazetteer, places: Gazetteer | None = None) -> list[OrgFound]:
    """The organisations of the project in ``text`` with their roles, in text order; an
    organisation with several participation roles keeps the strongest (:data:`ROLE_ORDER`)."""
    matches = known.find(text)
    out: list[OrgFound] = []
    for region in regions(text, lang, places):
        if region.role == "trap":
            continue
        if region.role == "administering-body" and not has_cue("project", lang, _sentence(text, region.start)):
            continue
        header = region.cue[0] == region.cue[1] or text[region.cue[1]:region.cue[1] + 2].lstrip(" ").startswith(":")
        inside_region = [m for m in matches if m.start >= region.start and m.end <= region.end]
        for a, b in _chunks(text, region.start, region.end, lang):
            inner = [m for m in inside_region if m.start < b and m.end > a]
            if inner:
                b = max(b, max(m.end for m in inner))
            chunk_text = text[a:b]
            bracket = re.search(r"\(([^()]*)\)\s*$", chunk_text)
            cname_end = a + bracket.start() if bracket else b
            bracket_country = country_of(bracket[1], lang, places) if bracket else None
            cf = Found(bracket_country, a + bracket.start(1), a + bracket.end(1), 0.9) if bracket_country else None
            if inner:
                m = inner[0]
                country = bracket_country or m.entry.country
                out.append(OrgFound(m.entry.id, m.entry.name, region.role, country,
                                    Found(m.entry.id, m.start, m.end, 0.9 if m.entry.curated else 0.8),
                                    cf or (Found(country, m.start, m.end, 0.9) if country else None)))
                continue
            if _PROJECT_BEFORE.search(text, max(region.start, a - 20), a):
                continue  # 'projektu "Kopienas dārzi"': the project's title, not an organisation
            role = region.role
            if bracket and not bracket_country and (r := _bracket_role(bracket[1], lang)):
                role = r  # "the Estonian Carers' Association (lead partner)"
            if not bracket_country and (m := _FROM.match(text, b)) and (c := country_of(m[1], lang, places)):
                bracket_country, cf = c, Found(c, m.start(1), m.end(1), 0.8)  # "Omsorgsnettverket Vest from Norway"
            name = text[a:cname_end].strip(" ,.;:–—-")
            name = re.sub(r"\s*\([A-ZĀ-ŽА-Я]{2,10}\)\s*$", "", name)  # "(IIC)": an acronym
            conf = _looks_like_org(name, lang, header, bool(bracket_country))
            if not conf:
                continue
            country = bracket_country
            if not country and (c := _name_country(name, lang)):
                country, cf = c, Found(c, a, cname_end, 0.6)
            out.append(OrgFound(None, nominative(name, lang), role, country,
                                Found(name, a, cname_end, conf), cf))
    return _merge(out)


_PROJECT_BEFORE = re.compile(r"(?i)(?:projekt\w*|проект\w*|prosjekt\w*|project)\W{0,3}$")
_FROM = re.compile(r"\s+(?:from|iš|no|z|ze|из|fra|pärit)\s+([^\W\d_][\w-]*(?:\s+[A-ZĀ-ŽА-Я][\w-]*)?)")


def _bracket_role(text: str, lang: str) -> str | None:
    """The role a bracket after a name gives ("(lead partner)", "(partneris)"), else None."""
    for role, pattern in _role_patterns(lang, "after").items():
        if role in ROLE_ORDER and pattern.fullmatch(text.strip()):
            return role
    return None


def _sentence(text: str, pos: int) -> str:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return text[s:e if e >= 0 else len(text)]


def _merge(found: list[OrgFound]) -> list[OrgFound]:
    """One entry per organisation and kind of role (participation, funding), the strongest role."""
    best: dict[tuple, OrgFound] = {}
    for f in found:
        ident = f.id or name_key(f.name).skeleton
        kind = "funding" if f.role in _FUNDING else "participation"
        old = best.get((ident, kind))
        if old is None:
            best[(ident, kind)] = f
        elif kind == "participation" and ROLE_ORDER.index(f.role) < ROLE_ORDER.index(old.role):
            best[(ident, kind)] = f
        elif not old.country and f.country:
            old.country, old.country_found = f.country, f.country_found
    return sorted(best.values(), key=lambda f: f.found.start)
