"""Sentences, cue lexicons and evidence: what every step of the drafting shares.

A :class:`Found` value carries its evidence: the character span of the page's text it was read
from and a confidence in [0, 1]. Sentences are lines split at a full stop before a capital;
a line ending in a colon ("Partners:") is a header whose cue carries over to the lines below it
up to the next blank line.

>>> t = "Partners: Alpha, Beta. Funded by Gamma.\\nDelta"
>>> [t[s:e] for s, e in sentences(t)]
['Partners: Alpha, Beta.', 'Funded by Gamma.', 'Delta']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ngograph.textclip import one_line

__all__ = ["CUES_FILE", "Found", "cues", "cue_regex", "sentences", "sentence_of", "has_cue"]

CUES_FILE = Path(__file__).with_name("cues.yaml")


@dataclass
class Found:
    """One extracted value: ``value``, the span ``start``-``end`` of the page's text it was read
    from, a ``confidence`` and, for organisations and amounts, what else was read with it."""

    value: object
    start: int
    end: int
    confidence: float
    extra: dict = field(default_factory=dict)

    def quote(self, text: str, limit: int = 120) -> str:
        """The span's text on one line, at most ``limit`` characters."""
        return one_line(" ".join(text[self.start:self.end].split()), limit)


@lru_cache(maxsize=1)
def cues() -> dict:
    """The cue lexicons of ``cues.yaml``, every scalar a string (``no`` is Norwegian, not false)."""
    return yaml.load(CUES_FILE.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@lru_cache(maxsize=256)
def cue_regex(patterns: tuple[str, ...]) -> re.Pattern:
    """One case-insensitive regex of alternatives, longest first, each at the start of a word
    (a cue is a word's start: "programm" finds "programme" and "programmas")."""
    alts = sorted(set(patterns), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in alts) + r")" if alts else "(?!)", re.I)


def lexicon(name: str, lang: str, sub: str | None = None) -> tuple[str, ...]:
    """The patterns of the entry ``name`` (or ``name``/``sub``) for ``lang`` and English."""
    entry = cues()[name] if sub is None else cues()[name][sub]
    return tuple(dict.fromkeys([*entry.get(lang, []), *entry.get("en", [])]))


def has_cue(name: str, lang: str, text: str) -> bool:
    """Whether ``text`` has one of the cues ``name`` of ``lang`` (or English)."""
    return bool(cue_regex(lexicon(name, lang)).search(text))


_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“„«(]?[A-ZĀ-ŽА-ЯЁ])|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, blank ones left out; a full stop after a word of one
    or two letters ("St.", "m.") or a digit ends none."""
    out, start = [], 0
    for m in _END.finditer(text):
        if m.group() != "\n" and re.search(r"(?:\b\w{1,2}|\d)\.$", text[max(0, m.start() - 4):m.start()]):
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip()))
            for s, e in out if text[s:e].strip()]


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span holding ``pos`` (the nearest one before it when it falls between two)."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return spans[max(i, 0)]
