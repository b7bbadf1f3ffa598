"""Stage: export. The whole graph as deterministic Turtle: prefixes bound, subjects,
predicates and objects sorted, no blank nodes, so that a diff of a data change is reviewable.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.serialize import serialize
from ngograph.store.embedded import read_graph

__all__ = ["export_store"]


def export_store(store_path: Path, output: Path, fmt: str = "turtle",
                 sources: Iterable[str] | None = None) -> tuple[Path, int]:
    """Export the published graph of the store at ``store_path`` (only that of ``sources``
    when given: imported dataset names and ``curated``); return the path written and the
    number of triples."""
    graph = read_graph(store_path, sources)
    atomic_write_bytes(Path(output), serialize(graph, fmt))
    return Path(output), len(graph)
