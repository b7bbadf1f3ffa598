"""Drafting data/projects records from saved project pages, with evidence (``ngograph extract``).

One module per step: :mod:`.read` (text or HTML, bounded), :mod:`.language`, :mod:`.dates`
(periods), :mod:`.amounts`, :mod:`.organisations` (roles, countries, nominative names, with the
:mod:`.gazetteer` of known organisations), :mod:`.concepts` (places, target groups, activity
types) and :mod:`.draft` (assembling the records and writing them with their evidence). The
cue words of every language are data: ``cues.yaml``. See docs/extraction.md.

The language detector and the lemmatiser are the ``extract`` extra (``pip install
'ngograph[extract]'``); :func:`require` says so in one line when they are missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ngograph.errors import ConfigError, install_hint
from ngograph.extract.draft import Draft, Knowledge, draft, to_json, to_yaml
from ngograph.extract.gazetteer import Gazetteer, curated_entries, store_entries
from ngograph.extract.language import LANGUAGES
from ngograph.extract.read import MAX_BYTES, Page, page_from_text, read_page
from ngograph.records.check import load_records

__all__ = ["LANGUAGES", "MAX_BYTES", "Draft", "Knowledge", "Page", "require", "knowledge", "extract_file",
           "draft", "to_yaml", "to_json", "read_page", "page_from_text"]

_EXTRA = ("py3langid", "simplemma")


def require() -> None:
    """Raise :class:`ConfigError` (exit 2) naming the extra when its packages are missing."""
    missing = [m for m in _EXTRA if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(f"the extract extra is not installed (missing {', '.join(missing)}): "
                          f"{install_hint('extract')}")


def knowledge(data: Path, store: Path | None = None, base: str | None = None) -> Knowledge:
    """The gazetteers: the curated organisations and places of ``data``, and every organisation
    of ``store`` when it is given and exists."""
    orgs, places = curated_entries(data)
    if store is not None and Path(store).exists():
        orgs += store_entries(Path(store), base or "")
    return Knowledge(Gazetteer(orgs), Gazetteer(places), load_records(Path(data)).concepts)


def extract_file(path: Path, known: Knowledge, lang: str | None = None) -> Draft:
    """Read ``path`` (:func:`read_page`) and draft its records."""
    require()
    return draft(read_page(path), known, lang)
