"""The language of a page, among the seven that ngograph drafts from.

py3langid (a fork of langid.py) ships its naive Bayes model inside the package (4.5 MB,
0.6 s CPU to load), reads any script and needs no download; it is restricted to the seven
languages, so that it never answers Danish for Norwegian or Belarusian for Russian.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "detect"]

#: The languages the rules of :mod:`ngograph.extract` know (ISO 639-1; Norwegian Bokmål as "no").
LANGUAGES = ("en", "lv", "lt", "et", "pl", "ru", "no")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_modelpath(Path(MODEL_DIR) / MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def detect(text: str, sample: int = 20_000) -> tuple[str, float]:
    """``(language, probability)`` of ``text`` (its first ``sample`` characters).

    >>> detect("Projekta īstenošanas laiks: 2012. gada septembris")[0]
    'lv'
    >>> detect("Prosjektet er finansiert av Nordisk ministerråd")[0]
    'no'
    """
    lang, prob = _identifier().classify(text[:sample])
    return lang, round(float(prob), 3)
