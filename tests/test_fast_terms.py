"""The fast engine's rdflib terms of its rows (validate.fast._RdflibTerms): what to_rdflib gives, made once
per pyoxigraph term, and terms that differ only in their datatype or language kept apart."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ngograph.rdf.terms import to_rdflib
from ngograph.validate import fast as F

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_each_term_made_once_as_to_rdflib_makes_it(monkeypatch):
    made = []
    monkeypatch.setattr(F, "_rdflib", lambda term: made.append(term) or to_rdflib(term))
    terms = F._RdflibTerms()
    a = ox.NamedNode("https://example.org/a")
    one, ten = ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("10", datatype=ox.NamedNode(XSD + "integer"))
    tagged, plain = ox.Literal("Rīga", language="lv"), ox.Literal("Rīga")
    asked = [a, one, a, ten, tagged, plain, one, tagged]
    got = [terms[t] for t in asked]
    assert got == [to_rdflib(t) for t in asked]
    assert got[0] is got[2] and got[1] is got[6]  # the same object again, not made anew
    assert made == [a, one, ten, tagged, plain]
    assert got[4] == Literal("Rīga", lang="lv") and got[5] == Literal("Rīga") and got[0] == URIRef("https://example.org/a")


def test_a_value_written_two_ways_is_two_terms():
    terms = F._RdflibTerms()
    written = [ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
               ox.Literal("1", datatype=ox.NamedNode(XSD + "decimal"))]
    got = [terms[t] for t in written]
    assert len(terms) == 3  # three keys: "01" is not taken for "1", nor the decimal for the integer
    assert got == [to_rdflib(t) for t in written]
    assert (got[0].datatype, got[2].datatype) == (URIRef(XSD + "integer"), URIRef(XSD + "decimal"))
