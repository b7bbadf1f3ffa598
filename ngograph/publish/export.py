"""Stage: export. The whole graph as deterministic Turtle: prefixes bound, subjects,
predicates and objects sorted, no blank nodes, so that a diff of a data change is reviewable.
"""

from __future__ import annotations

from pathlib import Path

from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.serialize import serialize
from ngograph.store.embedded import read_graph

__all__ = ["export_store"]


def export_store(store_path: Path, output: Path, fmt: str = "turtle") -> tuple[Path, int]:
    """Export the published (default) graph of the store at ``store_path``; return the path
    written and the number of triples."""
    graph = read_graph(store_path)
    atomic_write_bytes(Path(output), serialize(graph, fmt))
    return Path(output), len(graph)
