"""pyoxigraph terms as rdflib's: what rdflib would make of the same term read from N-Triples
(for the code that reads the store with pyoxigraph and hands terms to rdflib-based tools)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ngograph.rdf.namespaces import XSD

__all__ = ["to_rdflib"]


def to_rdflib(term):
    """A pyoxigraph term (or None) as the rdflib term rdflib would parse from its N-Triples.

    >>> to_rdflib(ox.Literal("P", language="en")), to_rdflib(ox.Literal("x"))
    (rdflib.term.Literal('P', lang='en'), rdflib.term.Literal('x'))
    >>> to_rdflib(ox.NamedNode("https://example.org/a"))
    rdflib.term.URIRef('https://example.org/a')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
