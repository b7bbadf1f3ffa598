"""JSON-LD compaction of an RDF graph with our context (``ontology/context.jsonld``), in one pass.

A general JSON-LD processor (pyld) first turns the triples into expanded JSON-LD, then compacts
every IRI against an inverse context; on the seed graph (10,000 triples) that takes about a
minute. Our context holds only two kinds of entries, prefixes and ontology terms (plain, or
with ``"@type": "@id"``), so the compacted form can be written straight from the triples with
the rules of JSON-LD 1.1 for such a context (IRI compaction: a term for an exact match in vocab
position, else the shortest, then least, ``prefix:suffix``; a coerced term only for IRI values;
``rdf:type`` as ``@type``; values as value objects unless a plain string; no default language,
no native types). The tests check that pyld compacts a graph to the same document, and that
rdflib and pyld read every document back to the same triples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ngograph.rdf.namespaces import RDF, XSD

__all__ = ["compact_graph", "compact_document", "compact_nodes", "rdflib_term", "oxigraph_term", "IRI", "BLANK", "LITERAL"]

_GEN_DELIMS = tuple(":/?#[]@")


class _Context:
    """What compaction needs of a context: the prefixes and the terms by IRI."""

    def __init__(self, context: dict):
        self.prefixes: list[tuple[str, str]] = []
        self.terms: dict[str, tuple[str, bool]] = {}  # IRI -> (term, coerced to @id)
        raw = {k: v for k, v in context.items() if not k.startswith("@")}
        for term, value in raw.items():  # a prefix: a plain IRI that ends in a general delimiter
            if isinstance(value, str) and value.endswith(_GEN_DELIMS) and ":" in value[:-1]:
                self.prefixes.append((term, value))
        for term, value in raw.items():
            iri = self.expand(value if isinstance(value, str) else value["@id"])
            coerced = isinstance(value, dict) and value.get("@type") == "@id"
            if not (isinstance(value, str) and (term, value) in self.prefixes):
                self.terms[iri] = (term, coerced)
        self.names = set(raw)

    def expand(self, value: str) -> str:
        prefix, sep, suffix = value.partition(":")
        for term, iri in self.prefixes:
            if sep and term == prefix and not suffix.startswith("//"):
                return iri + suffix
        return value

    @lru_cache(maxsize=65536)  # noqa: B019 - one context per document, few distinct IRIs
    def iri(self, iri: str, vocab: bool) -> str:
        """``iri`` compacted: a plain term in vocab position, else a compact IRI, else itself."""
        if vocab and iri in self.terms and not self.terms[iri][1]:
            return self.terms[iri][0]
        best = None
        for term, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                candidate = f"{term}:{iri[len(ns):]}"
                if (best is None or (len(candidate), candidate) < (len(best), best)) and candidate not in self.names:
                    best = candidate
        return best or iri


@lru_cache(maxsize=8)
def _compiled(context: str) -> _Context:
    """The context (as JSON text) made ready for compaction, once per context (a page is compacted
    on its own: the context is the same every time)."""
    return _Context(json.loads(context))


#: A term as compaction reads it, whichever library made it: ``(IRI, iri)``, ``(BLANK, "_:id")`` or
#: ``(LITERAL, lexical form, language or None, datatype IRI or None)``.
IRI, BLANK, LITERAL = 0, 1, 2
_TYPE, _STRING = str(RDF.type), str(XSD.string)


def rdflib_term(term) -> tuple:
    """An rdflib term as compaction reads it.

    >>> rdflib_term(URIRef("https://e.org/a")), rdflib_term(Literal("x", lang="en"))
    ((0, 'https://e.org/a'), (2, 'x', 'en', None))
    """
    if isinstance(term, Literal):
        return LITERAL, str(term), term.language, str(term.datatype) if term.datatype is not None else None
    return (BLANK, f"_:{term}") if isinstance(term, BNode) else (IRI, str(term))


def oxigraph_term(term) -> tuple:
    """A pyoxigraph term as compaction reads it: the lexical form as the store holds it (rdflib
    would rewrite some: ``310000`` as a decimal, a ``Z`` time zone).

    >>> oxigraph_term(ox.Literal("310000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    (2, '310000', None, 'http://www.w3.org/2001/XMLSchema#decimal')
    """
    if isinstance(term, ox.Literal):
        return LITERAL, term.value, term.language, term.datatype.value
    return (BLANK, f"_:{term.value}") if isinstance(term, ox.BlankNode) else (IRI, term.value)


def _value(ctx: _Context, o: tuple, coerced: bool):
    if o[0] == LITERAL:
        if o[2]:
            return {"@language": o[2], "@value": o[1]}
        if o[3] is None or o[3] == _STRING:
            return o[1]
        return {"@type": ctx.iri(o[3], True), "@value": o[1]}
    ref = ctx.iri(o[1], False)  # a blank node's "_:id" as it is: no prefix's IRI starts it
    return ref if coerced else {"@id": ref}


def _key(ctx: _Context, p: str, o: tuple) -> tuple[str, bool]:
    """The key for ``p`` with the value ``o``, and whether the key's term is coerced to IRIs."""
    term = ctx.terms.get(p)
    if term is not None and (not term[1] or o[0] != LITERAL):
        return term
    return ctx.iri(p, True), False


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _node(ctx: _Context, subject: str, statements: Iterable[tuple[str, tuple]]) -> dict:
    """The node object of ``subject`` (an IRI or ``_:id``) with its ``(predicate IRI, object)`` statements:
    keys sorted, each key's values sorted, a single value not in an array."""
    node: dict[str, list] = {}
    for p, o in statements:
        if p == _TYPE and o[0] != LITERAL:
            node.setdefault("@type", []).append(ctx.iri(o[1], True))
            continue
        key, coerced = _key(ctx, p, o)
        node.setdefault(key, []).append(_value(ctx, o, coerced))
    out = {"@id": ctx.iri(subject, False)}
    for key, values in node.items():
        values = sorted(values, key=_sort_key)
        out[key] = values[0] if len(values) == 1 else values
    return dict(sorted(out.items()))


def compact_nodes(subjects: Iterable[tuple[str, Iterable[tuple[str, tuple]]]], context: dict) -> Iterator[dict]:
    """The node objects of ``subjects``, each ``(subject, its statements)`` as :func:`_node` takes them, compacted
    with ``context`` (a context document), one at a time in the order given: for a dump streamed whatever its size.

    >>> ctx = {"@context": {"schema": "https://schema.org/"}}
    >>> list(compact_nodes([("https://e.org/a", [("https://schema.org/name", (LITERAL, "A", None, None))])], ctx))
    [{'@id': 'https://e.org/a', 'schema:name': 'A'}]
    """
    ctx = _compiled(json.dumps(context["@context"], sort_keys=True))
    for subject, statements in subjects:
        yield _node(ctx, subject, statements)


def compact_graph(graph: Graph, context: dict) -> dict:
    """``graph`` as compacted JSON-LD with ``context`` (a context document, embedded in the
    result): ``{"@context": ..., "@graph": [nodes sorted by IRI]}``, property values sorted,
    a single value not in an array.

    >>> from rdflib import Graph, URIRef, Literal
    >>> ctx = {"@context": {"schema": "https://schema.org/", "ngo": "https://w3id.org/ngograph/def#",
    ...                     "role": {"@id": "ngo:role", "@type": "@id"}}}
    >>> g = Graph()
    >>> p = URIRef("https://w3id.org/ngograph/id/p")
    >>> _ = g.add((p, URIRef("https://schema.org/name"), Literal("P", lang="en")))
    >>> _ = g.add((p, URIRef("https://w3id.org/ngograph/def#role"), URIRef("https://schema.org/x")))
    >>> compact_graph(g, ctx)["@graph"]
    [{'@id': 'https://w3id.org/ngograph/id/p', 'role': 'schema:x', 'schema:name': {'@language': 'en', '@value': 'P'}}]
    """
    return compact_document(((rdflib_term(s)[1], str(p), rdflib_term(o)) for s, p, o in graph), context)


def compact_document(statements: Iterable[tuple[str, str, tuple]], context: dict) -> dict:
    """The statements ``(subject IRI or "_:id", predicate IRI, object)``, the object as :func:`rdflib_term` or
    :func:`oxigraph_term` give it, as :func:`compact_graph` gives a graph: ``{"@context": ..., "@graph": [nodes
    sorted by IRI]}``.

    >>> ctx = {"@context": {"schema": "https://schema.org/"}}
    >>> compact_document([("https://e.org/b", "https://schema.org/name", (LITERAL, "B", None, None)),
    ...                   ("https://e.org/a", "https://schema.org/url", (IRI, "https://e.org/"))], ctx)["@graph"]
    [{'@id': 'https://e.org/a', 'schema:url': {'@id': 'https://e.org/'}}, {'@id': 'https://e.org/b', 'schema:name': 'B'}]
    """
    by_subject: dict[str, list] = {}
    for s, p, o in statements:
        by_subject.setdefault(s, []).append((p, o))
    return {"@context": context["@context"],
            "@graph": list(compact_nodes(((s, by_subject[s]) for s in sorted(by_subject)), context))}
