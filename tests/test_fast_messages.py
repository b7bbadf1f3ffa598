"""The fast engine's messages are pySHACL's: a SPARQL constraint's own sh:message after its shape's, and a generic
message about a blank node value that names what the data says about it (validate.fast._Messages)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from ngograph.validate.fast import validate_store
from ngograph.validate.shacl import validate_graph

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Named a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:message "the shape's own message"@en ;
    sh:sparql [ a sh:SPARQLConstraint ;
        sh:message "no label on {$this}"@en ;
        sh:select "SELECT $this WHERE { FILTER NOT EXISTS { $this <https://example.org/label> ?l } }" ] .
ex:Linked a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:partner ; sh:in ( ex:c ) ] .
"""
DATA = """
@prefix ex: <https://example.org/> .
ex:a a ex:Thing ; ex:partner [ ex:name "Nameless partner" ; ex:country "LV" ] .
ex:b a ex:Thing ; ex:label "B" ; ex:partner ex:c .
ex:c a ex:Partner .
"""


def _both():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    fast = validate_store(store, shapes=shapes, ontology=None, namespaces=[("ex", "https://example.org/")]).results
    reference = validate_graph(Graph().parse(data=DATA, format="turtle"), shapes=shapes, ontology=None).results
    return fast, reference


def test_messages_of_a_sparql_constraint_and_of_a_blank_node_value_as_pyshacl_gives_them():
    fast, reference = _both()
    key = lambda r: (r.focus, r.component, r.path)  # noqa: E731 - blank node labels differ between the engines
    assert [(key(r), r.message) for r in sorted(fast, key=key)] == [(key(r), r.message) for r in sorted(reference, key=key)]
    by_component = {r.component: r.message for r in fast}
    assert by_component["sh:SPARQLConstraintComponent"] == "no label on https://example.org/a; the shape's own message"
    # the blank node is printed with what the data says about it, which the engine copies into the message graph
    assert "Nameless partner" in by_component["sh:InConstraintComponent"]
