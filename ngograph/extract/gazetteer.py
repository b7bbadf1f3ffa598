"""Names of known organisations and places, found in a page in any of their names and cases.

A :class:`Gazetteer` holds ``(id, name, country)`` entries: the curated organisations and places
of ``data/`` and, when a store is given, every organisation name and label of the graph (the
query ``queries/extract/organisation-names.rq``). Names are compared as word keys: the name key
of :func:`ngograph.reconcile.normalise.name_key` (transliterated, lower case, legal form off)
with each word's case ending folded (:func:`word_key`), so that a Lithuanian dative or a Polish
genitive in the text finds the nominative of the graph ("Nacionaliniam lygybės ir įvairovės
forumui" finds "Nacionalinis lygybės ir įvairovės forumas"). An acronym ("NLĮF") is found only
as printed, in capitals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ngograph.queries.library import load_query, run
from ngograph.reconcile.normalise import fold, is_generic, name_key, skeleton
from ngograph.records.check import load_records
from ngograph.store.backends import Embedded

__all__ = ["Entry", "Match", "Gazetteer", "word_key", "tokens"]

_ENDING = re.compile(r"(?:[aeiouy]{1,2}j[ea]|[aeiouy]{1,2}[msu]?|[ms])$")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """A word folded to ASCII, its case ending off (words of six letters or more) and its
    spelling variants folded.

    >>> word_key("forumui") == word_key("forumas"), word_key("Fundacji") == word_key("Fundacja")
    (True, True)
    >>> word_key("Союза") == word_key("Союз"), word_key("centrs") == word_key("centre")
    (True, True)
    """
    w = fold(word).replace(" ", "")
    if len(w) >= 6:
        w = _ENDING.sub("", w)
    elif len(w) >= 4:
        w = re.sub(r"[aeiouy]$", "", w)
    return skeleton(w)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word key)`` of each word of ``text``."""
    return [(m.start(), m.end(), word_key(m.group())) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Entry:
    """A known organisation or place: its ``id``, the ``name`` matched and its ``country``."""

    id: str
    name: str
    country: str | None
    curated: bool = True


@dataclass(frozen=True)
class Match:
    """Where an :class:`Entry` was found in the text."""

    start: int
    end: int
    entry: Entry


class Gazetteer:
    """An index of names by their word keys.

    >>> g = Gazetteer([Entry("nlif", "Nacionalinis lygybės ir įvairovės forumas", "LT"), Entry("nlif", "NLĮF", "LT")])
    >>> [(m.entry.id, m.start) for m in g.find("Nacionaliniam lygybės ir įvairovės forumui (NLĮF) priklauso")]
    [('nlif', 0), ('nlif', 44)]
    """

    def __init__(self, entries=(), min_words_imported: int = 2):
        self.by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = defaultdict(list)
        self.acronyms: dict[str, list[Entry]] = defaultdict(list)
        self.min_words_imported = min_words_imported
        self.size = 0
        for e in entries:
            self.add(e)

    def add(self, entry: Entry) -> None:
        name = entry.name.strip()
        if not name:
            return
        compact = re.sub(r"[\s.]", "", name)
        if compact.isupper() and 2 <= len(compact) <= 10 and " " not in name.strip():
            self.acronyms[compact].append(entry)
            self.size += 1
            return
        key = name_key(name).key or fold(name)
        if not key or is_generic(key):
            return
        words = tuple(word_key(w) for w in key.split())
        if not entry.curated and len(words) < self.min_words_imported:
            return
        if len(words) == 1 and len(key) < 4:
            return
        self.by_first[words[0]].append((words, entry))
        self.size += 1

    def find(self, text: str) -> list[Match]:
        """The known names in ``text``: the longest at each place, curated before imported, not overlapping."""
        toks = tokens(text)
        found: list[Match] = []
        i = 0
        while i < len(toks):
            best = None
            for words, entry in self.by_first.get(toks[i][2], ()):
                n = len(words)
                if i + n <= len(toks) and all(toks[i + k][2] == words[k] for k in range(n)):
                    if best is None or n > best[0] or (n == best[0] and entry.curated and not best[1].curated):
                        best = (n, entry)
            if best:
                found.append(Match(toks[i][0], toks[i + best[0] - 1][1], best[1]))
                i += best[0]
                continue
            word = text[toks[i][0]:toks[i][1]]
            if word.isupper() and word in self.acronyms:
                found.append(Match(toks[i][0], toks[i][1], self.acronyms[word][0]))
            i += 1
        return found


def curated_entries(data: Path) -> tuple[list[Entry], list[Entry]]:
    """The organisations and the places of the curated data, every name of each."""
    records = load_records(Path(data))
    orgs, places = [], []
    for oid, rec in records.organisations.items():
        for name in _all_names(rec):
            orgs.append(Entry(oid, name, rec.get("country")))
    for pid, rec in records.places.items():
        for name in _all_names(rec):
            places.append(Entry(pid, name, rec.get("country")))
    return orgs, places


def _all_names(rec) -> list[str]:
    names = list((rec.get("name") or {}).values()) + list((rec.get("translated_name") or {}).values())
    for values in (rec.get("alt_name") or {}).values():
        names += list(values)
    return [str(n) for n in names]


def store_entries(store: Path, base: str) -> list[Entry]:
    """Every organisation name and label of the store's graph (query ``extract/organisation-names``)."""
    rows = run(load_query("extract/organisation-names"), Embedded(store))
    prefix = f"{base}organisation/"
    out = []
    for row in rows:
        oid = str(row["organisation"])
        oid = oid[len(prefix):] if oid.startswith(prefix) else oid
        out.append(Entry(oid, str(row["name"]), row.get("country") or None, curated=False))
    return out
