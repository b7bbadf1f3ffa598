"""The SPARQL query library: every query lives in ``queries/*.rq`` with a ``#+`` header
(summary, parameters, tags), and this module is its one loader.

>>> q = load_query("summary")
>>> q.name, q.summary.split(":")[0]
('summary', 'Headline counts of the graph')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ngograph.config import PROJECT_ROOT

__all__ = ["QUERIES_DIR", "Query", "load_query", "select"]

QUERIES_DIR = PROJECT_ROOT / "queries"
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)


def load_query(name_or_path: str | Path) -> Query:
    """Read a query by library name (``summary``) or by file path."""
    path = Path(name_or_path)
    if path.suffix != ".rq":
        path = QUERIES_DIR / f"{name_or_path}.rq"
    text = path.read_text(encoding="utf-8")
    meta = {}
    for line in text.splitlines():
        if m := _HEADER.match(line):
            meta[m.group(1)] = m.group(2).strip()
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    return Query(path.stem, text, meta.get("summary", ""), tags, meta)


def select(store: ox.Store, query: Query) -> list[dict[str, object]]:
    """Run a SELECT on an embedded store; rows as ``{variable: python value}``."""
    solutions = store.query(query.text)
    names = [v.value for v in solutions.variables]
    rows = []
    for sol in solutions:
        rows.append({n: _py(sol[n]) for n in names})
    return rows


def _py(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith("#integer"):
            return int(term.value)
        return term.value
    return term.value
