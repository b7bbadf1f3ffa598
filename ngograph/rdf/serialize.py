"""Serialisation: the one place that writes RDF graphs as deterministic bytes (prefixes
bound, triples sorted), used by the build, the reference-data generator, the exports and the
linked-data pages. JSON-LD is compacted with our own context (``ontology/context.jsonld``,
embedded in the document), never a remote one."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from rdflib import Dataset, Graph

from ngograph.errors import ConfigError
from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.compact import compact_graph
from ngograph.rdf.context import load_context
from ngograph.rdf.namespaces import PREFIXES, RDF

__all__ = ["FORMATS", "ALIASES", "MEDIA_TYPES", "QUAD_FORMATS", "format_name", "serialize", "to_jsonld",
           "refuse_network", "write_turtle", "write_rdfxml", "rdfxml_bytes", "NOT_XML"]

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


# ---------------------------------------------------------------------------- RDF/XML through pyoxigraph

def write_rdfxml(triples: Iterable[ox.Triple], sink, prefixes: dict[str, str] | None = None) -> None:
    """Write ``triples`` as RDF/XML to ``sink`` (a binary file) with pyoxigraph's serialiser, which streams, made
    safe for XML readers: a carriage return written as ``&#13;`` (:class:`_XmlText`), and :class:`ConfigError` in
    one line for what RDF/XML cannot hold, a predicate or class that is no XML name (:func:`_element_names`) or a
    character XML 1.0 forbids; the document ends with a line break. Every RDF/XML that ngograph writes (dumps,
    pages, the server's answers) comes from here.

    >>> t = ox.Triple(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://schema.org/name"), ox.Literal("a\\rb"))
    >>> b"<schema:name>a&#13;b</schema:name>" in rdfxml_bytes([t], {"schema": "https://schema.org/"})
    True
    """
    ox.serialize(_element_names(triples), _XmlText(sink), ox.RdfFormat.RDF_XML, prefixes=prefixes)
    sink.write(b"\n")


def rdfxml_bytes(triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> bytes:
    """:func:`write_rdfxml` into bytes."""
    out = io.BytesIO()
    write_rdfxml(triples, out, prefixes)
    return out.getvalue()


#: The characters of an XML name (XML 1.0, without ":"), approximately: a word character, "-", "." and the combining
#: marks; and those that may start one (a letter or "_").
_NAME_TAIL = re.compile(r"[\w.\-\u00B7\u0300-\u036F\u203F\u2040]*\Z")
_NAME_START = re.compile(r"[^\W\d]")


def _xml_name(iri: str) -> bool:
    """Whether RDF/XML can name ``iri`` as an element (a predicate, or the class of a typed node): the store's
    serialiser splits it after its last character that cannot be in an XML name, and needs a letter or ``_`` after.

    >>> [_xml_name(i) for i in ("https://schema.org/name", "http://e.org/p/1", "https://schema.org/", "urn:x:1")]
    [True, False, False, False]
    """
    return _NAME_START.search(_NAME_TAIL.search(iri).group()) is not None


def _element_names(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """``triples``, each predicate and each class (an IRI object of ``rdf:type``) checked once by :func:`_xml_name`;
    :class:`ConfigError` for one that RDF/XML cannot name (the store's serialiser would write an element with an
    empty name: a file no XML reader reads)."""
    named: dict = {}  # term -> whether it can be an element's name

    def check(term: ox.NamedNode, what: str, subject) -> None:
        ok = named.get(term)
        if ok is None:
            ok = named[term] = _xml_name(term.value)
        if not ok:
            raise ConfigError(f"RDF/XML cannot name the {what} <{term.value}> (of {subject}) as an XML element: "
                              "export as Turtle, N-Triples, N-Quads or JSON-LD")

    for t in triples:
        check(t.predicate, "predicate", t.subject)
        if t.predicate == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            check(t.object, "class", t.subject)
        yield t


_RDF_TYPE = ox.NamedNode(str(RDF.type))
#: What XML 1.0 cannot hold at all: the C0 controls but tab, line feed and carriage return, U+FFFE and U+FFFF; in
#: text (:data:`NOT_XML`) and in UTF-8 bytes.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


class _XmlText:
    """The sink of an RDF/XML dump: a carriage return written as ``&#13;`` (the serialiser writes it raw, and an XML
    reader reads a raw one as a line feed); :class:`ConfigError` for a character XML 1.0 cannot hold, naming the
    text before it from the last element's start (up to 60 characters)."""

    def __init__(self, sink):
        self.sink, self.tail = sink, b""  # tail: the last bytes written, for a character cut between two writes

    def write(self, data) -> int:
        data = bytes(data)
        seen = self.tail + data
        if (bad := _NOT_XML.search(seen)) is not None:
            text = seen[:bad.start()].decode("utf-8", "replace")
            before = text[text.rfind("<") + 1:]
            shown = f"<{before}" if "<" in text and len(before) <= 60 else f"…{before[-60:]}"
            raise ConfigError(f"RDF/XML cannot hold the character U+{ord(bad.group().decode()):04X} of a literal "
                              f"(after '{shown}'): export as Turtle, N-Triples, N-Quads or JSON-LD")
        self.tail = seen[-_CONTEXT:]
        self.sink.write(data.replace(b"\r", b"&#13;"))
        return len(data)

    def flush(self) -> None:
        pass


_CONTEXT = 200  # bytes kept from one write to the next (for a message's text before a character refused)


