"""Serialisation: the one place that writes RDF graphs as deterministic bytes (prefixes
bound, triples sorted), used by the build, the reference-data generator, the exports and the
linked-data pages. JSON-LD is compacted with our own context (``ontology/context.jsonld``,
embedded in the document), never a remote one."""

from __future__ import annotations

import json
from pathlib import Path

from pyld import jsonld
from rdflib import Dataset, Graph

from ngograph.errors import ConfigError
from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.compact import compact_graph
from ngograph.rdf.context import load_context
from ngograph.rdf.namespaces import PREFIXES

__all__ = ["FORMATS", "ALIASES", "MEDIA_TYPES", "QUAD_FORMATS", "format_name", "serialize", "to_jsonld",
           "refuse_network", "write_turtle"]

#: Formats ``ngograph export`` writes, with their file extensions.
FORMATS = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf", "nquads": "nq"}
#: Short names accepted for :data:`FORMATS`.
ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "xml": "rdfxml", "rdf": "rdfxml", "nq": "nquads"}
#: The media type of each format.
MEDIA_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml", "nquads": "application/n-quads"}
#: Formats that keep the named graphs of a dataset.
QUAD_FORMATS = {"nquads"}


def format_name(name: str) -> str:
    """The format of :data:`FORMATS` that ``name`` (a name or a short name) stands for;
    :class:`ConfigError` listing the choices for any other.

    >>> format_name("ttl"), format_name("nquads")
    ('turtle', 'nquads')
    >>> format_name("csv")
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: unknown RDF format 'csv': choose one of turtle, ntriples, jsonld, rdfxml, nquads (or ttl, nt, json-ld, xml, rdf, nq)
    """
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise ConfigError(f"unknown RDF format {name!r}: choose one of {', '.join(FORMATS)} (or {', '.join(ALIASES)})")
    return key


def refuse_network(url: str, options: dict | None = None):
    """A pyld document loader that loads nothing: our JSON-LD never needs a remote document."""
    raise jsonld.JsonLdError(f"refused to load {url}: ngograph reads JSON-LD offline, with its own context",
                             "jsonld.LoadDocumentError", {"url": url}, code="loading document failed")


def _sorted_nquads(graph: Graph | Dataset) -> str:
    fmt = "nquads" if isinstance(graph, Dataset) else "nt"
    return "".join(sorted(set(graph.serialize(format=fmt).splitlines(keepends=True)) - {"\n"}))


def to_jsonld(graph: Graph, context: dict | None = None) -> dict:
    """``graph`` (a :class:`Dataset`: the union of its graphs) as a JSON-LD document compacted
    with ``context`` (default: ours), which the document embeds, so that a reader needs nothing
    from the network: ``{"@context": ..., "@graph": [...]}``, nodes sorted by ``@id``
    (:func:`ngograph.rdf.compact.compact_graph`).

    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/ngograph/id/project/p"), URIRef("https://schema.org/name"), Literal("P", lang="en")))
    >>> doc = to_jsonld(g)["@graph"][0]
    >>> doc["@id"], doc["schema:name"]
    ('ngoid:project/p', {'@language': 'en', '@value': 'P'})
    """
    return compact_graph(_union(graph) if isinstance(graph, Dataset) else graph, context or load_context())


def _bound_copy(graph: Graph, prefixes: dict[str, str] | None, ordered: bool) -> Graph:
    """A copy of ``graph`` with our prefixes bound; ``ordered``: triples added in sorted order (the
    RDF/XML writer keeps the order it is given; the Turtle writer sorts by itself)."""
    # SimpleMemory keeps the order triples were added in; the default store's indexes are sets
    out = Graph(store="SimpleMemory" if ordered else "default", bind_namespaces="none")
    for prefix, ns in {**PREFIXES, **(prefixes or {})}.items():
        out.bind(prefix, ns)
    if ordered:
        for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
            out.add(triple)
    else:
        out += graph
    return out


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
    fmt = format_name(fmt)
    if fmt in ("ntriples", "nquads"):
        if fmt == "ntriples" and isinstance(graph, Dataset):
            graph = _union(graph)
        body = _sorted_nquads(graph)
    elif fmt == "jsonld":
        body = json.dumps(to_jsonld(graph), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        header = ""  # JSON has no comments
    else:
        graph = _union(graph) if isinstance(graph, Dataset) else graph
        body = _bound_copy(graph, prefixes, fmt == "rdfxml").serialize(format="turtle" if fmt == "turtle" else "xml")
        body = body.rstrip("\n") + "\n"
        if fmt == "rdfxml":
            header = ""
    return (header + body).encode("utf-8")


def _union(dataset: Dataset) -> Graph:
    """The triples of every graph of ``dataset``, as one graph."""
    out = Graph(bind_namespaces="none")
    for s, p, o, _ in dataset.quads():
        out.add((s, p, o))
    return out


def write_turtle(graph: Graph, target: Path, header: str = "", prefixes: dict[str, str] | None = None) -> Path:
    """Write ``graph`` as deterministic Turtle to ``target``, atomically."""
    return atomic_write_bytes(Path(target), serialize(graph, "turtle", header, prefixes))
