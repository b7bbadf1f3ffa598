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


def test_results_that_differ_only_in_their_focus_node_as_pyshacl_gives_them():
    """A check whose shape states its message and reports no value (sh:minCount, a node shape's sh:or): its rows
    become results without their terms made rdflib's; a blank node's results take the other way, and a focus node
    found twice (two classes) is one result."""
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:Named a sh:NodeShape ; sh:targetClass ex:Thing, ex:Other ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no name"@en ,
                                                                                              "kein Name"@de ] .
        ex:Either a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "neither a nor b"@en ;
            sh:or ( [ sh:path ex:a ; sh:minCount 1 ] [ sh:path ex:b ; sh:minCount 1 ] ) .
        ex:Plain a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .
        """, format="turtle")
    data = """
        @prefix ex: <https://example.org/> .
        ex:x a ex:Thing, ex:Other ; ex:a 1 ; ex:code "c" .
        ex:y a ex:Thing ; ex:b 1 ; ex:name "Y" ; ex:code "c" .
        ex:z a ex:Thing .
        [] a ex:Thing ; ex:code "c" .
        """
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    fast = validate_store(store, shapes=shapes, ontology=None).results
    reference = validate_graph(Graph().parse(data=data, format="turtle"), shapes=shapes, ontology=None).results
    # blank node ids differ between the engines; so do the prefixes of a generic message (namespaces not passed)
    key = lambda r: (r.focus if r.focus.startswith("https:") else "_", r.shape.rsplit("/", 1)[-1],  # noqa: E731
                     r.component, r.path, r.value, r.severity, "" if r.shape.endswith("code") else r.message)
    assert sorted(map(key, fast)) == sorted(map(key, reference))
    ex = "https://example.org/"
    name = ("name", "sh:MinCountConstraintComponent", f"{ex}name", "", "Warning", "kein Name; no name")
    either = ("Either", "sh:OrConstraintComponent", "", "", "Violation", "neither a nor b")
    assert sorted(map(key, fast)) == sorted([
        (f"{ex}x", *name), (f"{ex}z", *name), ("_", *name), (f"{ex}z", *either), ("_", *either),
        (f"{ex}z", "code", "sh:MinCountConstraintComponent", f"{ex}code", "", "Violation", ""),
    ])


def test_an_empty_stated_message_is_no_message_on_both_engines():
    shapes = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "" ] .
        """, format="turtle")
    data = "@prefix ex: <https://example.org/> . ex:a a ex:T ."
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    fast = validate_store(store, shapes=shapes, ontology=None).results
    reference = validate_graph(Graph().parse(data=data, format="turtle"), shapes=shapes, ontology=None).results
    assert [r.message for r in fast] == [r.message for r in reference] == ["(no message)"]
