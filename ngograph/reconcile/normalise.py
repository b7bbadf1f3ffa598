"""Name keys for matching organisations across sources, languages and scripts.

A name becomes a :class:`NameKey`: Unicode NFKC, every script transliterated to ASCII
(:mod:`anyascii`: Cyrillic, Greek, diacritics), lower case, punctuation and quote styles gone,
legal-form words at the start or end (``legal_forms.tsv``) taken off and kept as the legal form,
and an acronym in brackets kept apart. The *skeleton* then folds the spellings that
transliterations and national keyboards disagree on (``shch``/``sch``/``sh``, ``ts``/``c``,
``ae``/``a``, doubled letters) and the case endings of words of five letters or more (adjectives'
genitives, a final ``s``, then final vowels: Latvian ``fonds``/``fonda``, Lithuanian
``asociacija``/``asociacijos``, ``raudonasis``/``raudonojo``, Polish ``fundacja``/``fundacji``,
``polskie``/``polskiego``, Russian ``zashchita``/``zashchity``, ``obshchestvennaia``/``obshchestvennoi``;
Greek vowel pairs as names romanise them, ``Σταυρός`` ``stavros``), so that two romanisations
of one Cyrillic name, or a genitive and its nominative, compare as equals.

A lemmatiser (simplemma) was tried for the inflected forms and left out: it knows words only as
spelled with their diacritics, and CORDIS writes them flattened in capitals (``BIEDRIBA`` became
``biedre``), so that the two spellings of one name drifted apart instead of together.

>>> k = name_key("Biedrība „Zaļā brīvība”")
>>> k.key, k.legal_form
('zala briviba', 'biedrība')
>>> name_key("COMITE INTERNATIONAL DE LA CROIX-ROUGE (CICR)").acronyms
('cicr',)
>>> name_key("Фонд защиты природы").skeleton == name_key("Fond zashity prirody").skeleton
True
>>> name_key("Latvijas Dabas fonda", "LV").skeleton == name_key("LATVIJAS DABAS FONDS", "LV").skeleton
True
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from anyascii import anyascii

from ngograph.fsutil import read_tsv
from ngograph.resources import package_file

__all__ = ["NameKey", "LEGAL_FORMS_FILE", "GENERIC_NAMES_FILE", "legal_forms", "fold", "name_key", "split_names",
           "acronym", "is_generic", "needs_country"]

LEGAL_FORMS_FILE = package_file(__package__, "legal_forms.tsv")
GENERIC_NAMES_FILE = package_file(__package__, "generic_names.txt")

#: Words left out of acronyms (articles, prepositions, conjunctions of the region's languages).
_SMALL = frozenset("of the for and de la le les du des des et und der die das fur von zu i in ir un og for och "
                   "af ja en a an y e el".split())

_SKELETON = [(re.compile(p), r) for p, r in [
    # case endings first: adjectives' (Polish -ie/-iego, Russian -aia/-oi/-ogo, Latvian -ais, Lithuanian
    # -asis/-ojo/-osios) and Lithuanian -ius/-iaus, then a final s, then a final vowel
    (r"(?<=\w{4})(?:i?ego|ie|ia|ogo|ojo|osios|asis|ais|iaus|ius|aia|aya|oi|oy|yi|yy)$", ""),
    (r"(?<=\w{4})s$", ""), (r"(?<=\w{4})[aeiouy]$", ""),
    (r"shch|sch|szcz|sh|sz", "s"), (r"tch|ch|cz", "c"), (r"zh|rz|zs", "z"), (r"kh", "h"), (r"ts|tz|tc", "c"),
    (r"ph", "f"), (r"ck", "k"), (r"w", "v"), (r"q", "k"), (r"x", "ks"), (r"[yj]", "i"),
    (r"ae|ai", "a"), (r"oe|oi", "o"), (r"ue|ui", "u"), (r"ie|ei", "i"), (r"(.)\1+", r"\1")]]


@dataclass(frozen=True)
class NameKey:
    """The matching forms of one name: ``key`` (folded words, legal form and bracketed
    acronym off), ``skeleton`` (the key with spelling variants folded), ``legal_form`` (as
    ``legal_forms.tsv`` writes it, or None) and ``acronyms`` (in brackets, or the name itself
    when it is one word in capitals, or the initials of a name of three words or more) and
    ``places``: the country names in it ("government of mali": ``{"mali"}``), which tell two
    bodies apart however alike the rest ("World Vision Austria", "World Vision Australia"), and
    ``numbers`` ("squadron 136", "squadron 1333"); ``public``: :func:`needs_country`."""

    key: str
    skeleton: str
    legal_form: str | None
    acronyms: tuple[str, ...]
    places: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    public: bool = False


def _legal_forms() -> list[tuple[tuple[str, ...], str]]:
    """``[(folded words, form)]`` from ``legal_forms.tsv``, longest spelling first."""
    out = []
    for row in read_tsv(LEGAL_FORMS_FILE):
        out += [(tuple(s.split()), row["form"]) for s in row["spellings"].split("|")]
    return sorted(out, key=lambda x: -len(x[0]))


legal_forms = lru_cache(maxsize=1)(_legal_forms)


def _generic_uncached() -> tuple[frozenset, re.Pattern, frozenset]:
    names, patterns, words = set(), [], set()
    for line in GENERIC_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("~"):
            patterns.append(line[1:])
        elif line.startswith("@"):
            words.update(line[1:].split())
        elif line.strip() and not line.startswith("#"):
            names.add(line.strip())
    return frozenset(names), re.compile("|".join(patterns) or "(?!)"), frozenset(words)


_generic = lru_cache(maxsize=1)(_generic_uncached)


def needs_country(key: str) -> bool:
    """Whether a folded name names a public body that every country has ("ministry of defence",
    "government of ..."; the ``@`` words of ``generic_names.txt``) and no country: without its
    country it is ambiguous.

    >>> needs_country("ministry of defence"), needs_country("government of mali"), needs_country("unicef")
    (True, False, False)
    """
    return bool(_generic()[2] & set(key.split())) and not _places(key.split())


def is_generic(key: str) -> bool:
    """Whether a folded name names a kind of body or a placeholder (``generic_names.txt``), not an organisation.

    >>> is_generic(fold("Private sector institution")), is_generic(fold("Information Redacted")), is_generic("unicef")
    (True, True, False)
    """
    names, pattern, _ = _generic()
    return key in names or bool(pattern.fullmatch(key))


def _fold(text: str) -> str:
    """NFKC, ASCII transliteration, lower case; every run of anything but letters and digits a space.

    >>> fold("DANSK RØDE KORS, (DNK)"), fold("Dansk Flygtningehjälp"), fold("Crédit  «Coopératif»")
    ('dansk rode kors dnk', 'dansk flygtningehjalp', 'credit cooperatif')
    >>> fold("Ελληνικός Ερυθρός Σταυρός")
    'ellinikos erythros stavros'
    >>> fold("Социальных"), fold("Social'nyh")  # the soft sign and apostrophes join, not split
    ('sotsialnykh', 'socialnyh')
    """
    text = unicodedata.normalize("NFKC", text)
    for pattern, repl in _GREEK:
        text = pattern.sub(repl, text)
    ascii_ = anyascii(text).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _APOSTROPHES.sub("", ascii_)).split())


fold = lru_cache(maxsize=200_000)(_fold)


def skeleton(key: str) -> str:
    """The key with the spellings that romanisations disagree on folded.

    >>> skeleton("fond zashchity prirody"), skeleton("fond zaschity prirody")
    ('fond zasit prirod', 'fond zasit prirod')
    """
    return " ".join(_skeleton_word(w) for w in key.split())


def _skeleton_word_uncached(word: str) -> str:
    for pattern, repl in _SKELETON:
        word = pattern.sub(repl, word)
    return word


_skeleton_word = lru_cache(maxsize=200_000)(_skeleton_word_uncached)


def acronym(key: str) -> str:
    """The initials of a folded name's words, small words left out.

    >>> acronym("norwegian refugee council"), acronym("comite international de la croix rouge")
    ('nrc', 'cicr')
    """
    return "".join(w[0] for w in key.split() if w not in _SMALL)


#: Greek vowel pairs that anyascii spells letter by letter ("Σταυρός": "stayros"), as names are
#: romanised (ELOT 743: "stavros").
_GREEK = [(re.compile(p, re.I), r)
          for p, r in [("[αά][υύ]", "av"), ("[εέ][υύ]", "ev"), ("[ηή][υύ]", "iv"), ("[οό][υύ]", "ou")]]
_APOSTROPHES = re.compile(r"['`\u2019\u02bc\u02b9]")
_BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")


def _legal_form_index_uncached() -> tuple[dict, dict]:
    """The legal forms by their first word and by their last word, longest first."""
    first, last = defaultdict(list), defaultdict(list)
    for spelling, form in legal_forms():
        first[spelling[0]].append((spelling, form))
        last[spelling[-1]].append((spelling, form))
    return dict(first), dict(last)


_legal_form_index = lru_cache(maxsize=1)(_legal_form_index_uncached)


def _name_key(name: str, country: str | None = None) -> NameKey:
    """The :class:`NameKey` of one name of an organisation of ``country`` (alpha-2 or None).

    >>> name_key("АНО «Центр поддержки»").legal_form
    'АНО'
    """
    text = unicodedata.normalize("NFKC", name)
    acronyms = []

    coded = set()

    def bracket(m: re.Match) -> str:  # an acronym or a country code in brackets goes; other words stay
        words = fold(m[1]).split()
        if len(words) == 1 and 2 <= len(words[0]) <= 10 and not words[0].isdigit():
            if m[1].strip().isupper() and (place := _country_code(words[0])):
                if place != (_country_code(country.lower()) if country else None):
                    coded.add(place)  # "(UK)", "(NOR)": a country, not an acronym; its own country says nothing
            else:
                acronyms.append(words[0])
            return " "
        return f" {m[1]} "

    text = _BRACKETS.sub(bracket, text)
    words = fold(text).split()
    legal = None
    first, last = _legal_form_index()
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for spelling, form in first.get(words[0], ()):
            if len(words) > len(spelling) and tuple(words[:len(spelling)]) == spelling:
                words, legal, stripped = words[len(spelling):], legal or form, True
                break
        else:
            for spelling, form in last.get(words[-1], ()):
                if len(words) > len(spelling) and tuple(words[-len(spelling):]) == spelling:
                    words, legal, stripped = words[:-len(spelling)], legal or form, True
                    break
    key = " ".join(words)
    if len(words) == 1 and name.strip().isupper() and 2 <= len(key) <= 10:
        acronyms.append(key)
    elif len(words) >= 3:
        acronyms.append(acronym(key))
    return NameKey(key, skeleton(key), legal, tuple(dict.fromkeys(acronyms)), _places(words) | coded,
                   frozenset(w for w in words if w.isdigit()), needs_country(key))


name_key = lru_cache(maxsize=200_000)(_name_key)


def _country_names_uncached() -> frozenset[str]:
    """Folded country names (ISO 3166 names, common and official names) and their adjectives of the region."""
    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                names.add(fold(getattr(c, attr)))
    return frozenset(names)


_country_names = lru_cache(maxsize=1)(_country_names_uncached)


def _country_code_uncached(code: str) -> str | None:
    """The folded name of the country of an alpha-2 or alpha-3 code ("uk" too), else None."""
    found = pycountry.countries.get(alpha_2="GB" if code == "uk" else code.upper()) if len(code) == 2 else \
        pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    return fold(found.name) if found else None


_country_code = lru_cache(maxsize=4096)(_country_code_uncached)


def _places(words: list[str]) -> frozenset[str]:
    known, found = _country_names(), set()
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n + 1):
            if " ".join(words[i:i + n]) in known:
                found.add(" ".join(words[i:i + n]))
    return frozenset(found)


_SPLIT = re.compile(r"\s*/\s*|\s+\|\s+")


def split_names(name: str) -> list[str]:
    """A name and, when it joins several names with "/" ("NRC/Norwegian Refugee Council"), each of them.

    >>> split_names("Danish Refugee Council/Dansk Flygtningehjälp")
    ['Danish Refugee Council/Dansk Flygtningehjälp', 'Danish Refugee Council', 'Dansk Flygtningehjälp']
    >>> split_names("A/S Danfoss")
    ['A/S Danfoss']
    """
    parts = [p for p in _SPLIT.split(name) if p.strip()]
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return [name]
    return [name, *parts]
