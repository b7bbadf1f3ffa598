"""What the import tests share: rows of a SPARQL query on one imported graph, and the check
that importing the same files again gives the same graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ngograph.store.embedded import open_store
from ngograph.store.imports import import_source

BASE = "https://w3id.org/ngograph/id/"
_GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"


def select(link: Path, query: str, graph: str | None) -> list[tuple]:
    """Sorted rows of plain values; ``graph`` is the default graph, or None for all graphs."""
    kwargs = {"default_graph": ox.NamedNode(graph)} if graph else {"use_default_graph_as_union": True}
    with open_store(link) as s:
        return sorted(tuple(term.value if term is not None else None for term in row)
                      for row in s.query(query, **kwargs))


def assert_reimport_is_identical(link: Path, source: str, paths: list, graph: str) -> None:
    """Import ``paths`` again: the graph holds the same triples (but for the import time)."""
    def triples():
        return [r for r in select(link, "SELECT ?s ?p ?o { ?s ?p ?o }", graph) if r[1] != _GENERATED]

    before = triples()
    import_source(link, source, paths, BASE)
    assert triples() == before
