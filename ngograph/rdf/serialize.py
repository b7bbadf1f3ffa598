"""Serialisation: the one place that writes RDF graphs as deterministic bytes (prefixes
bound, triples sorted), used by the build, the reference-data generator and the exports."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.namespaces import PREFIXES

__all__ = ["FORMATS", "serialize", "write_turtle"]

#: Formats ``ngograph export`` writes (more come with the linked-data pages).
FORMATS = {"turtle": "turtle", "ntriples": "nt"}


def serialize(graph: Graph, fmt: str = "turtle", header: str = "", prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise deterministically: the same triples give the same bytes. ``prefixes`` are
    bound after :data:`~ngograph.rdf.namespaces.PREFIXES` (a vocabulary file's own schemes).

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
    for prefix, ns in {**PREFIXES, **(prefixes or {})}.items():
        out.bind(prefix, ns)
    out += graph
    if fmt == "ntriples":
        body = "".join(sorted(out.serialize(format="nt").splitlines(keepends=True)))
    else:
        body = out.serialize(format="turtle").rstrip("\n") + "\n"
    return (header + body).encode("utf-8")


def write_turtle(graph: Graph, target: Path, header: str = "", prefixes: dict[str, str] | None = None) -> Path:
    """Write ``graph`` as deterministic Turtle to ``target``, atomically."""
    return atomic_write_bytes(Path(target), serialize(graph, "turtle", header, prefixes))
