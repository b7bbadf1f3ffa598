"""Stage: export. The whole graph as deterministic Turtle: prefixes bound, subjects,
predicates and objects sorted, no blank nodes, so that a diff of a data change is reviewable.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.namespaces import PREFIXES

__all__ = ["FORMATS", "serialize", "write_turtle", "export_store"]

#: Formats ``ngograph export`` writes (more come with the linked-data pages).
FORMATS = {"turtle": "turtle", "ntriples": "nt"}


def serialize(graph: Graph, fmt: str = "turtle", header: str = "") -> bytes:
    """Serialise deterministically: the same triples give the same bytes.

    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://schema.org/x"), URIRef("https://schema.org/name"), Literal("X", lang="en")))
    >>> print(serialize(g).decode())
    @prefix schema: <https://schema.org/> .
    <BLANKLINE>
    schema:x schema:name "X"@en .
    <BLANKLINE>
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    out += graph
    if fmt == "ntriples":
        body = "".join(sorted(out.serialize(format="nt").splitlines(keepends=True)))
    else:
        body = out.serialize(format="turtle").rstrip("\n") + "\n"
    return (header + body).encode("utf-8")


def write_turtle(graph: Graph, target: Path, header: str = "") -> Path:
    """Write ``graph`` as deterministic Turtle to ``target``, atomically."""
    return atomic_write_bytes(Path(target), serialize(graph, "turtle", header))


def export_store(store_path: Path, output: Path, fmt: str = "turtle") -> tuple[Path, int]:
    """Export the published (default) graph of the store at ``store_path``; return the path
    written and the number of triples."""
    from ngograph.store.embedded import read_graph

    graph = read_graph(store_path)
    atomic_write_bytes(Path(output), serialize(graph, fmt))
    return Path(output), len(graph)
