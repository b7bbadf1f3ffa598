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
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef

from ngograph.rdf.namespaces import RDF, XSD

__all__ = ["compact_graph"]

_GEN_DELIMS = tuple(":/?#[]@")


class _Context:
    """What compaction needs of a context: the prefixes and the terms by IRI."""

    def __init__(self, context: dict):
        self.prefixes: list[tuple[str, str]] = []
        self.terms: dict[str, tuple[str, bool]] = {}  # IRI -> (term, coerced to @id)
        raw = {k: v for k, v in context.items() if not k.startswith("@")}
        for term, value in raw.items():
            iri = value if isinstance(value, str) else value["@id"]
            if isinstance(value, str) and iri.endswith(_GEN_DELIMS) and ":" in iri[:-1]:
                self.prefixes.append((term, iri))
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


def _node_id(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _value(ctx: _Context, o, coerced: bool):
    if isinstance(o, Literal):
        if o.language:
            return {"@language": o.language, "@value": str(o)}
        if o.datatype is None or o.datatype == XSD.string:
            return str(o)
        return {"@type": ctx.iri(str(o.datatype), True), "@value": str(o)}
    ref = _node_id(o) if isinstance(o, BNode) else ctx.iri(str(o), False)
    return ref if coerced else {"@id": ref}


def _key(ctx: _Context, p: URIRef, o) -> tuple[str, bool]:
    """The key for ``p`` with the value ``o``, and whether the key's term is coerced to IRIs."""
    term = ctx.terms.get(str(p))
    if term is not None and (not term[1] or not isinstance(o, Literal)):
        return term
    return ctx.iri(str(p), True), False


def _sort_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


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
    ctx = _compiled(json.dumps(context["@context"], sort_keys=True))
    nodes: dict[str, dict] = {}
    for s, p, o in graph:
        node = nodes.setdefault(_node_id(s), {})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(_node_id(o) if isinstance(o, BNode) else ctx.iri(str(o), True))
            continue
        key, coerced = _key(ctx, p, o)
        node.setdefault(key, []).append(_value(ctx, o, coerced))
    out = []
    for subject in sorted(nodes):
        node = {"@id": subject if subject.startswith("_:") else ctx.iri(subject, False)}
        for key, values in nodes[subject].items():
            values = sorted(values, key=_sort_key)
            node[key] = values[0] if len(values) == 1 else values
        out.append(dict(sorted(node.items())))
    return {"@context": context["@context"], "@graph": out}
