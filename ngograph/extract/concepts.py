"""Places, target groups and activity types of a project, mapped to our places and SKOS schemes.

Places are the curated places of ``data/places.yaml`` found in a sentence that makes them the
project's ("implemented in", "piloted in", "īstenošanas vieta", "miejsce realizacji"), not a
visit's or a meeting's. Target groups and activity types are the concepts of the schemes
``target-group`` and ``activity`` of ``data/concepts.yaml`` whose label (in the page's language
or English) the page uses, in any case form; their confidence is lower (0.5): a page names
many groups in passing.
"""

from __future__ import annotations

from ngograph.extract.gazetteer import Entry, Gazetteer
from ngograph.extract.text import Found, has_cue, sentence_of, sentences

__all__ = ["places", "concept_gazetteer", "concepts"]


def places(text: str, lang: str, known: Gazetteer) -> list[Found]:
    """The project's places: known places in a sentence with a place cue and no trap cue.

    >>> g = Gazetteer([Entry("riga", "Riga", "LV"), Entry("tartu", "Tartu", "EE")])
    >>> [f.value for f in places("The project is implemented in Riga. We visited Tartu.", "en", g)]
    ['riga']
    """
    spans = sentences(text)
    out, seen = [], set()
    for m in known.find(text):
        s, e = sentence_of(spans, m.start)
        before = text[s:m.start]
        if has_cue("place", lang, before) and not has_cue("traps", lang, before) and m.entry.id not in seen:
            seen.add(m.entry.id)
            out.append(Found(m.entry.id, m.start, m.end, 0.7))
    return out


def concept_gazetteer(concepts: dict, scheme: str, lang: str) -> Gazetteer:
    """The labels of one scheme of ``data/concepts.yaml`` in ``lang`` and English."""
    entries = []
    for cid, labels in (concepts.get(scheme) or {}).items():
        for code in dict.fromkeys([lang, "en"]):
            if labels.get(code):
                entries.append(Entry(cid, str(labels[code]), None))
    return Gazetteer(entries)


def concepts(text: str, known: Gazetteer) -> list[Found]:
    """The concepts whose labels ``text`` uses, each once, in text order."""
    out, seen = [], set()
    for m in known.find(text):
        if m.entry.id not in seen:
            seen.add(m.entry.id)
            out.append(Found(m.entry.id, m.start, m.end, 0.5))
    return out
