"""The fast engine's set-based compilation (ngograph/validate/fast.py, issue 11 §1): failing values found
once per distinct value then joined to the focus nodes, sh:or / sh:node as anti-joins, sh:maxCount and
sh:uniqueLang counted over every subject of the path, qualified value shapes as one hashed set. Each path
on a tiny graph with hand-checked results, equal to pySHACL's; the traps are the nodes that are NOT focus
nodes but share the path or the failing value (they must not be reported)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ngograph.validate.fast import compile_shapes, validate_store
from ngograph.validate.shacl import validate_graph

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SHAPES = PREFIXES + """
ex:Concept a sh:NodeShape ;                       # two constraints: compiled as a FILTER per distinct value
    sh:class ex:Concept ;
    sh:property [ sh:path ex:scheme ; sh:minCount 1 ] .
ex:Ref a sh:NodeShape ;                           # sh:or of one-constraint members: anti-joins
    sh:or ( [ sh:class ex:Doc ] [ sh:class ex:Dataset ] ) .
ex:Consortium a sh:NodeShape ;                    # a conforming set: one hasValue
    sh:property [ sh:path ex:role ; sh:hasValue ex:partner ] .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:kind ; sh:node ex:Concept ] ,
        [ sh:path ex:source ; sh:node ex:Ref ] ,
        [ sh:path ex:owner ; sh:class ex:Org ] ,
        [ sh:path ex:code ; sh:maxCount 1 ] ,
        [ sh:path ex:label ; sh:uniqueLang true ] ,
        [ sh:path [ sh:inversePath ex:in ] ; sh:qualifiedValueShape ex:Consortium ; sh:qualifiedMinCount 1 ] .

ex:CountryShape a sh:NodeShape ;                  # a node-level sh:or: anti-joins on the focus nodes
    sh:targetClass ex:Org ;
    sh:or ( [ sh:class ex:Intl ] [ sh:path ex:country ; sh:minCount 1 ] ) .
"""

DATA = PREFIXES + """
ex:c1 a ex:Concept ; ex:scheme ex:s .             # conforms to ex:Concept
ex:c2 a ex:Concept .                              # no scheme: fails ex:Concept
ex:c3 ex:scheme ex:s .                            # not an ex:Concept: fails it
ex:d1 a ex:Doc .
ex:o1 a ex:Org ; ex:country ex:lv .
ex:o2 a ex:Org , ex:Intl .
ex:o3 a ex:Org .                                  # neither a country nor international: fails CountryShape

ex:t1 a ex:Thing ; ex:kind ex:c1 , ex:c2 ; ex:source ex:d1 ; ex:owner ex:o1 ; ex:code "a" ;
    ex:label "x"@en , "y"@lv .
ex:t2 a ex:Thing ; ex:kind ex:c2 , ex:c3 ; ex:source ex:o1 ; ex:owner ex:d1 ; ex:code "a" , "b" ;
    ex:label "x"@en , "y"@EN .
ex:t3 a ex:Thing ; ex:owner ex:o2 .

ex:p1 ex:in ex:t1 ; ex:role ex:partner .          # t1 has a partner; t2 only an observer; t3 nobody
ex:p2 ex:in ex:t2 ; ex:role ex:observer .

# not a Thing: same paths, same failing values, never reported
ex:u1 ex:kind ex:c2 ; ex:source ex:o1 ; ex:owner ex:d1 ; ex:code "a" , "b" ; ex:label "x"@en , "y"@en .
"""

T = "https://example.org/"
EXPECTED = {
    (T + "t1", T + "kind", T + "c2", "sh:NodeConstraintComponent"),
    (T + "t2", T + "kind", T + "c2", "sh:NodeConstraintComponent"),
    (T + "t2", T + "kind", T + "c3", "sh:NodeConstraintComponent"),
    (T + "t2", T + "source", T + "o1", "sh:NodeConstraintComponent"),
    (T + "t2", T + "owner", T + "d1", "sh:ClassConstraintComponent"),
    (T + "t2", T + "code", "", "sh:MaxCountConstraintComponent"),
    (T + "t2", T + "label", "", "sh:UniqueLangConstraintComponent"),
    (T + "t2", "^" + T + "in", "", "sh:QualifiedMinCountConstraintComponent"),
    (T + "t3", "^" + T + "in", "", "sh:QualifiedMinCountConstraintComponent"),
    (T + "o3", "", "", "sh:OrConstraintComponent"),
    # pySHACL also reports the nested shape's own results on each failing value
    (T + "c2", T + "scheme", "", "sh:MinCountConstraintComponent"),   # ex:Concept on c2
    (T + "c3", "", "", "sh:ClassConstraintComponent"),                # ex:Concept on c3
    (T + "o1", "", "", "sh:OrConstraintComponent"),                   # ex:Ref on o1
}


def _results(report) -> set[tuple]:
    return {(r.focus, r.path, r.value, r.component) for r in report.results}


@pytest.fixture(scope="module")
def reports():
    shapes = Graph().parse(data=SHAPES, format="turtle")
    store = ox.Store()
    store.load(Graph().parse(data=DATA, format="turtle").serialize(format="nt", encoding="utf-8"),
               ox.RdfFormat.N_TRIPLES)
    data = Graph(bind_namespaces="none")  # as `ngograph validate` reads the store: no prefixes in messages
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return (validate_graph(data, shapes=shapes, ontology=None), validate_store(store, shapes=shapes, ontology=None),
            compile_shapes(shapes, {}))


def test_the_reference_gives_the_hand_checked_results(reports):
    reference, _fast, _compiled = reports
    assert _results(reference) == EXPECTED


def test_the_set_based_compilation_gives_the_same_report(reports):
    reference, fast, _compiled = reports
    assert _results(fast) == EXPECTED
    assert fast.results == reference.results  # messages, severities and shapes too


def test_each_new_compilation_path_is_taken(reports):
    *_, compiled = reports
    queries = {(str(c.shape), str(c.param).rsplit("#", 1)[-1]): c.body for c in compiled.checks}
    bodies = " ".join(queries.values())
    # a nested shape tested by a FILTER: once per distinct value (GROUP BY, which Oxigraph does not filter per
    # triple); tested by an anti-join (a class), every value probes the hashed side: no grouping first
    assert [p for p in ("kind", "source", "owner") if f"<{T}{p}> ?value }} GROUP BY ?value" in bodies] == ["kind"]
    assert any(c.values and f"<{T}owner>" in c.values and "MINUS" in c.values and "GROUP BY" not in c.values
               for c in compiled.checks)
    # sh:or of single constraints: one anti-join per member, no FILTER
    (country,) = [q for (s, p), q in queries.items() if s == T + "CountryShape"]
    assert country.count("MINUS") == 2 and "FILTER" not in country
    # the qualified value shape: one hashed set of the conforming values
    (qualified,) = [q for (s, p), q in queries.items() if p == "qualifiedValueShape"]
    assert "EXISTS" not in qualified and f"<{T}role> <{T}partner>" in qualified
    # sh:maxCount counted over every subject of the path, the focus nodes tested after
    (max_count,) = [q for (s, p), q in queries.items() if p == "maxCount"]
    assert max_count.startswith("SELECT ?this WHERE { { SELECT ?this WHERE { ?this <https://example.org/code> ?value }")


def test_a_failing_value_shared_by_many_focus_nodes_is_joined_back_once(reports):
    """The failing values tested by an anti-join come once a triple (not grouped first): they are made distinct
    before the join back to their subjects, which would otherwise give k * k rows for a value k subjects share
    (5,000 participations of one missing project: 25 million rows)."""
    *_, compiled = reports
    (owner,) = [c for c in compiled.checks if c.values and f"<{T}owner>" in c.values]
    assert "GROUP BY" not in owner.values
    assert owner.body.startswith("SELECT DISTINCT ?this ?value WHERE { { SELECT DISTINCT ?value WHERE { { SELECT ?value")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    shared = PREFIXES + "".join(f"ex:x{i} a ex:Thing ; ex:owner ex:nobody .\n" for i in range(300))
    store = ox.Store()
    store.load(shared.encode(), ox.RdfFormat.TURTLE)
    fast = validate_store(store, shapes=shapes, ontology=None)
    assert {(r.focus, r.value) for r in fast.results if r.path.endswith("owner")} == {
        (f"{T}x{i}", f"{T}nobody") for i in range(300)}
    assert fast.results == validate_graph(Graph().parse(data=shared, format="turtle"), shapes=shapes,
                                          ontology=None).results
