"""The curator's side of reconciliation: the review queue and the decisions.

``data/reconcile/pending.csv`` is rewritten by every reconciliation: one row per pair that
scored between the thresholds or shares an identifier with a conflict, with both names,
sources, identifiers, countries, the score and why. A curator copies a row to
``data/reconcile/decisions.csv`` and writes ``accept`` or ``reject`` in its ``decision``
column; every import, build and ``ngograph reconcile`` applies the decisions again, so that
deleting the row (or changing it to ``reject``) and rebuilding undoes a merge. Nodes are
written relative to the base IRI (``organisation/xm-dac/21016``) or as full IRIs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ngograph.errors import DataError, Location
from ngograph.fsutil import atomic_write_bytes
from ngograph.reconcile.match import Candidate, OrgRecord

__all__ = ["COLUMNS", "DECISIONS", "node_iri", "read_decisions", "read_pending", "pending_csv", "write_pending"]

#: The columns of pending.csv and decisions.csv.
COLUMNS = ["left", "right", "decision", "score", "why", "left_name", "right_name", "left_source", "right_source",
           "left_identifiers", "right_identifiers", "left_country", "right_country"]
#: What a curator may write in the ``decision`` column (empty: not decided yet).
DECISIONS = ("accept", "reject", "")


def _short(iri: str, base: str) -> str:
    return iri[len(base):] if iri.startswith(base) else iri


def node_iri(node: str, base: str) -> str:
    """A node as written in decisions.csv or pending.csv (relative to ``base``, or a full IRI) as an IRI."""
    return node if "://" in node else base + node


def read_decisions(path: Path, base: str) -> list[tuple[str, str, str]]:
    """``[(iri, iri, "accept" | "reject")]`` from ``path`` (none when it does not exist).
    :class:`DataError` naming the line of a row without both nodes or with another decision.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "decisions.csv"
    >>> _ = p.write_text("left,right,decision\\norganisation/a,organisation/b,accept\\nx,y,\\n", encoding="utf-8")
    >>> read_decisions(p, "https://e.org/")
    [('https://e.org/organisation/a', 'https://e.org/organisation/b', 'accept')]
    """
    if not path.exists():
        return []
    out, problems = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh)
        missing = {"left", "right", "decision"} - set(rows.fieldnames or ())
        if missing:
            raise DataError([(Location(str(path), 1), f"no column(s) {', '.join(sorted(missing))}: the header must "
                                                      f"name {', '.join(COLUMNS[:3])}")])
        for n, row in enumerate(rows, 2):
            left, right = (row.get("left") or "").strip(), (row.get("right") or "").strip()
            decision = (row.get("decision") or "").strip().lower()
            if decision not in DECISIONS:
                problems.append((Location(str(path), n), f"decision {decision!r} is not accept, reject or empty"))
            elif decision and not (left and right):
                problems.append((Location(str(path), n), "a decision needs both nodes (left, right)"))
            elif decision:
                out.append((node_iri(left, base), node_iri(right, base), decision))
    if problems:
        raise DataError(problems)
    return out


def read_pending(path: Path) -> list[dict[str, str]]:
    """The rows of the review queue at ``path`` (none when it does not exist), each by column.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pending.csv"
    >>> _ = p.write_text("left,right,score\\norganisation/a,organisation/b,90.0\\n", encoding="utf-8")
    >>> read_pending(p)
    [{'left': 'organisation/a', 'right': 'organisation/b', 'score': '90.0'}]
    """
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if k is not None} for row in csv.DictReader(fh)]


def pending_csv(pending: list[Candidate], records: dict[str, OrgRecord], base: str,
                kept: list[dict[str, str]] = ()) -> bytes:
    """The review queue as CSV (UTF-8, the :data:`COLUMNS`): the pairs ``pending``, and the rows
    ``kept`` of an earlier queue as they were (``reconcile --source``: the pairs with other
    sources), all best score first.

    >>> from ngograph.reconcile.match import Candidate, OrgRecord
    >>> recs = {f"https://e.org/{n}": OrgRecord(f"https://e.org/{n}", "s", [n.upper()]) for n in "ab"}
    >>> print(pending_csv([Candidate("https://e.org/a", "https://e.org/b", 90.0, "w")], recs, "https://e.org/",
    ...                   [{"left": "x", "right": "y", "score": "95.0", "why": "v"}]).decode().splitlines()[1:])
    ['x,y,,95.0,v,,,,,,,,', 'a,b,,90.0,w,A,B,s,s,,,,']
    """
    rows = []
    for c in pending:
        a, b = records[c.a], records[c.b]
        rows.append([_short(c.a, base), _short(c.b, base), "", f"{c.score:.1f}", c.why,
                     " | ".join(a.names), " | ".join(b.names), a.source, b.source,
                     " ".join(_ids(a)), " ".join(_ids(b)), a.country or "", b.country or ""])
    if kept:
        rows += [[row.get(column) or "" for column in COLUMNS] for row in kept]
        rows.sort(key=lambda row: (-_score(row[3]), row[0], row[1]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def _score(text: str) -> float:
    """The score column of a row as a number (0 when it is not one: a row edited by hand)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _ids(r: OrgRecord) -> list[str]:
    return [f"{s}-{v}" if s else v for s, v in r.identifiers]


def write_pending(path: Path, data: bytes) -> bool:
    """Write the review queue to ``path`` atomically, only when it changed (a build with
    nothing to review leaves the file as it is); True when written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data)
    return True
