"""Two forms of the fast engine's queries, each checked against pySHACL on graphs made to tell them apart.

- Every check but a SPARQL constraint reads the focus nodes without a DISTINCT of their own (the check's
  results are distinct): a node that two targets pick, or two graphs type, is reported once all the same. A
  SPARQL constraint keeps each focus node once, since its own query may count rows.
- sh:in is an anti-join with the listed terms (``MINUS { VALUES ... }``), not a comparison of each value
  with each term: the same terms pass (sameTerm), a language-tagged "EUR"@en is not "EUR", an empty list
  passes nothing.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ngograph.validate.fast import compile_shapes, validate_store
from ngograph.validate.shacl import validate_graph

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://e.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SHAPES = PREFIXES + """
ex:TwoTargets a sh:NodeShape ;
    sh:targetClass ex:A , ex:B ;
    sh:property [ sh:path ex:code ; sh:in ( "EUR" "SEK" ex:other ) ] ,
                [ sh:path ex:name ; sh:minCount 1 ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "more than one ex:p" ;
                sh:select "SELECT $this WHERE { $this <https://e.org/p> ?v } GROUP BY $this HAVING (COUNT(*) > 1)" ] .
ex:Nothing a sh:NodeShape ;
    sh:targetClass ex:C ;
    sh:property [ sh:path ex:code ; sh:in () ] .
ex:NodeIn a sh:NodeShape ;
    sh:targetObjectsOf ex:kind ;
    sh:in ( ex:ngo ex:government ) .
"""

DATA = PREFIXES + """
ex:both a ex:A , ex:B ; ex:p 1 ; ex:code "EUR" , "NOK" , "EUR"@en , ex:other .
ex:a a ex:A ; ex:name "a" ; ex:p 1 , 2 ; ex:code "SEK" , "sek" , 1 .
ex:c a ex:C ; ex:code "EUR" .
ex:x ex:kind ex:ngo , ex:company .
"""

E = "https://e.org/"
EXPECTED = {  # (focus, path, value as a report prints it, component)
    # ex:both: picked by both targets, each result once; one ex:p, which two focus rows would have counted twice.
    # "EUR"@en is not the listed "EUR" (the report prints its text only)
    (E + "both", E + "code", "NOK", "sh:InConstraintComponent"),
    (E + "both", E + "code", "EUR", "sh:InConstraintComponent"),
    (E + "both", E + "name", "", "sh:MinCountConstraintComponent"),
    (E + "a", E + "code", "sek", "sh:InConstraintComponent"),
    (E + "a", E + "code", "1", "sh:InConstraintComponent"),
    (E + "a", "", "", "sh:SPARQLConstraintComponent"),
    (E + "c", E + "code", "EUR", "sh:InConstraintComponent"),  # an empty list: nothing passes
    (E + "company", "", "", "sh:InConstraintComponent"),  # sh:in on a node shape: the node itself
}


def _results(report) -> set[tuple]:
    return {(r.focus, r.path, r.value, r.component) for r in report.results}


def _engines():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return shapes, data, store


def test_both_engines_give_the_hand_written_results():
    shapes, data, store = _engines()
    reference = validate_graph(data, shapes=shapes, ontology=None)
    fast = validate_store(store, shapes=shapes, ontology=None, namespaces=data.namespaces())
    assert _results(reference) == EXPECTED
    assert sorted(fast.results) == sorted(reference.results)
    assert len(fast.results) == len(EXPECTED)  # no result twice


def test_a_node_typed_in_two_graphs_counts_once_in_a_sparql_constraint():
    shapes, data, store = _engines()
    graph = ox.NamedNode("https://e.org/graph")
    store.add(ox.Quad(ox.NamedNode("https://e.org/both"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("https://e.org/A"), graph))
    fast = validate_store(store, [ox.DefaultGraph(), graph], shapes=shapes, ontology=None)
    assert _results(fast) == EXPECTED


@pytest.mark.parametrize("shape, distinct", [("TwoTargets", False), ("NodeIn", False)])
def test_which_checks_read_the_focus_nodes_without_distinct(shape, distinct):
    shapes, _, _ = _engines()
    compiled = compile_shapes(shapes, {})
    queries = {c.param.split("#")[-1]: c.query for c in compiled.checks if str(c.shape).endswith(shape)
               or any(str(o).endswith(shape) for o in shapes.subjects(None, c.shape))}
    focus_distinct = "{ SELECT DISTINCT ?this WHERE { { ?this a"
    for param, query in queries.items():
        if param == "sparql":
            assert focus_distinct in query
        elif "?this a" in query:
            assert (focus_distinct in query) is distinct, param
    if "in" in queries:
        assert "MINUS { VALUES" in queries["in"] and "sameTerm" not in queries["in"]
