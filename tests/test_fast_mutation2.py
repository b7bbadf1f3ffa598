"""The fast validator (ngograph/validate/fast.py) pinned down further (issue 14, second mutation run).

The mutants left alive by tests/test_fast_mutation.py when every mutant of the module was run (not a
sample): tiny shapes and data graphs, the results written by hand and, through ``both``, equal to
pySHACL's. The choice between hashed and looked-up values (:class:`_FewFocusNodes`) is tested on its
own, on a store of a few triples, with the counts written by hand.
"""

from __future__ import annotations

import threading
import time

import pytest
import pyoxigraph as ox
from rdflib import URIRef

from ngograph.validate.fast import _FewFocusNodes, validate_store
from test_fast_mutation import (CLASSES, EX, PROLOGUE, V, both, compact, prop, refusal, refused, shapes_graph,
                                store_of)


# ------------------------------------------------------------------ nested shapes of one constraint

def test_a_nested_shape_without_constraints_in_a_graph_of_one_constraint():
    """The whole shapes graph holds one constraint (sh:node): the nested shape has none, so every
    value conforms; it must not be taken for the shape of that one constraint."""
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:N . ex:N a sh:NodeShape ."
    assert both(shapes, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C .") == set()


def test_or_on_a_node_shape_with_a_member_of_two_constraints():
    """sh:or on a node shape: the member of two constraints has no anti-join of its own."""
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; '
              'sh:or ( [ sh:class ex:K ] [ sh:nodeKind sh:IRI ; sh:pattern "^https://example.org/b" ] ) .')
    data = CLASSES + "ex:k1 a ex:C . ex:b1 a ex:C . ex:c1 a ex:C . ex:k4 a ex:C ."
    assert both(shapes, data) == {V("ex:c1", "Or", "", ""), V("ex:k4", "Or", "", "")}


def test_a_nested_shape_of_one_property_among_deactivated_false_shapes():
    """The nested shape's one constraint is its sh:property, read from that property shape only (two
    shapes say sh:deactivated false: a lookup over the whole graph would find two values)."""
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated false ; sh:node ex:N . "
              "ex:N a sh:NodeShape ; sh:deactivated false ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .")
    data = "ex:a a ex:C . ex:b a ex:C ; ex:q 1 ."
    assert both(shapes, data) == {V("ex:a", "Node", "", ""), V("ex:a", "MinCount", "", "ex:q")}


def test_a_nested_min_count_2_under_a_node_shape_is_refused():
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:N . "
              "ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 2 ] .")
    assert refusal(shapes) == refused("sh:minCount 2 inside another shape", f"{EX}N > {EX}q")


def test_a_nested_single_pattern_under_a_node_shape_keeps_its_flags():
    """ex:N has one constraint, a pattern, and its flags "i" (not a constraint): ex:A1 matches."""
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:N . '
              'ex:N a sh:NodeShape ; sh:pattern "^https://example.org/a" ; sh:flags "i" .')
    data = "ex:a1 a ex:C . ex:A1 a ex:C . ex:b1 a ex:C ."
    assert both(shapes, data) == {V("ex:b1", "Node", "", ""), V("ex:b1", "Pattern", "", "")}


def test_a_pattern_inside_not_keeps_its_flags():
    shapes = prop('sh:not [ sh:pattern "^https://example.org/a" ; sh:flags "i" ; sh:nodeKind sh:IRI ]')
    data = "ex:a a ex:C ; ex:p ex:a1 , ex:A1 , ex:b1 ."
    assert both(shapes, data) == {V("ex:a", "Not", "ex:a1"), V("ex:a", "Not", "ex:A1")}


def test_a_property_shape_of_two_constraints_inside_or():
    shapes = prop("sh:or ( [ sh:path ex:q ; sh:minCount 1 ; sh:maxCount 1 ] [ sh:class ex:K ] )")
    data = CLASSES + "ex:v1 ex:q 1 . ex:v2 ex:q 1 , 2 . ex:v3 ex:r 1 . ex:a a ex:C ; ex:p ex:v1 , ex:v2 , ex:v3 , ex:k1 ."
    assert both(shapes, data) == {V("ex:a", "Or", "ex:v2"), V("ex:a", "Or", "ex:v3")}


# ------------------------------------------------------------------ datatypes

def test_datatypes_with_and_without_a_lexical_pattern():
    """An ill-formed xsd:date fails (its lexical pattern); xsd:gYear has none: any form of it passes."""
    shapes = prop("sh:datatype xsd:date") + prop("sh:datatype xsd:gYear", path="ex:q").replace("ex:S", "ex:T")
    data = ('ex:a a ex:C ; ex:p "2021-13-03"^^xsd:date , "2021-02-03"^^xsd:date ; '
            'ex:q "2021"^^xsd:gYear , 5 .')
    assert both(shapes, data) == {V("ex:a", "Datatype", "2021-13-03"), V("ex:a", "Datatype", "5", "ex:q")}


def test_numbers_the_store_reads_and_numbers_it_does_not():
    """A number the store reads passes on its canonical text; one it cannot hold (more digits than it keeps) or
    does not read as a number is matched on its own text: the lexical pattern decides. (The store writes 12.50 as 12.5
    and 2.0 as 2.)"""
    shapes = prop("sh:datatype xsd:decimal") + prop("sh:datatype xsd:integer", path="ex:q").replace("ex:S", "ex:T")
    data = ('ex:a a ex:C ; ex:p "12.50"^^xsd:decimal , "+.5"^^xsd:decimal , "0.0000000000000000000001"^^xsd:decimal , '
            '"12,5"^^xsd:decimal , 7 ; '
            'ex:q "+7"^^xsd:integer , "123456789012345678901234567890"^^xsd:integer , "1.5"^^xsd:integer , 2.0 .')
    assert both(shapes, data) == {V("ex:a", "Datatype", "12,5"), V("ex:a", "Datatype", "7"),
                                  V("ex:a", "Datatype", "1.5", "ex:q"), V("ex:a", "Datatype", "2", "ex:q")}


# ------------------------------------------------------------------ SPARQL constraints

def test_a_sparql_constraint_with_a_brace_before_a_lower_case_where():
    """The focus nodes go after ``where {``, not into the first brace of the query (a string here)."""
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:sparql [ a sh:SPARQLConstraint ;
                  sh:select 'SELECT $this ("{" AS ?brace) where { $this <https://example.org/p> ?v }' ] ."""
    assert both(shapes, "ex:a a ex:C ; ex:p 1 . ex:b ex:p 2 .") == {V("ex:a", "SPARQL", "", "")}


# ------------------------------------------------------------------ hashed or looked up (_FewFocusNodes)

FEW_SHAPES = """
ex:A a sh:NodeShape ; sh:targetClass ex:C .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:t .
ex:O a sh:NodeShape ; sh:targetObjectsOf ex:u .
ex:N a sh:NodeShape ; sh:targetNode ex:x , ex:y , ex:z .
ex:T a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] .
ex:M a sh:NodeShape ; sh:targetClass ex:C ; sh:targetSubjectsOf ex:t ; sh:targetObjectsOf ex:u .
ex:P1 sh:path ex:many .
ex:P2 sh:path ( ex:few ex:many ) .
ex:P3 sh:path [ sh:inversePath ex:many ] .
ex:P4 sh:path [ sh:zeroOrMorePath ex:many ] .
ex:P5 sh:path ( [ sh:inversePath ex:few ] ex:many ) .
"""
#: ex:a (of the subclass ex:D) and ex:b of ex:C; ex:c and ex:d subjects of ex:t, ex:f the object of ex:u.
FEW_DATA = "ex:a a ex:D . ex:b a ex:C . ex:c ex:t 1 . ex:d ex:t 2 . ex:e ex:u ex:f . ex:g ex:few ex:h ."


def few(data: str = FEW_DATA, **kwargs) -> _FewFocusNodes:
    return _FewFocusNodes(store_of(data), {}, shapes_graph(FEW_SHAPES), {EX + "C": [f"<{EX}C>", f"<{EX}D>"]}, **kwargs)


@pytest.mark.parametrize("shape, n", [("A", 2), ("B", 2), ("O", 1), ("N", 3), ("T", 20001), ("M", 5)])
def test_focus_nodes_counted_per_kind_of_target(shape, n):
    assert few().focus_count(URIRef(EX + shape)) == n


def test_focus_nodes_counted_up_to_most_plus_one():
    """most=1: the class alone gives 2 (its count capped at most + 1 = 2); the other targets are not counted."""
    f = few(most=1)
    assert f.focus_count(URIRef(EX + "M")) == 2
    assert f.focus_count(URIRef(EX + "O")) == 1
    assert few(most=3).focus_count(URIRef(EX + "M")) == 4  # 2 of the class, then 2 of ex:t (capped at 4 - 2)
    assert few(most=2).focus_count(URIRef(EX + "M")) == 3  # 2 of the class (not over most), then 1 of ex:t


@pytest.mark.parametrize("prop_shape, predicate", [
    ("P1", "many"), ("P2", "few"), ("P3", "many"), ("P4", None), ("P5", "few")])
def test_the_first_predicate_of_each_kind_of_path(prop_shape, predicate):
    expected = URIRef(EX + predicate) if predicate else None
    assert few().first_predicate(URIRef(EX + prop_shape)) == expected


def many(n: int) -> str:
    """ex:o (the one focus node of ex:O) with ``n`` values of ex:many."""
    return FEW_DATA + " ".join(f"ex:o ex:many {i} ." for i in range(n)) + " ex:e ex:u ex:o ."


def test_looked_up_when_the_path_has_ratio_times_the_focus_nodes_plus_one():
    """ex:O has 2 focus nodes (ex:f, ex:o): looked up from 10 x 2 + 1 = 21 triples of the path on."""
    shape = URIRef(EX + "O")
    assert few(many(21))(shape, URIRef(EX + "P1")) is True
    assert few(many(20))(shape, URIRef(EX + "P1")) is False
    assert few(many(21))(shape, URIRef(EX + "P2")) is False  # ex:few: 1 triple
    assert few(many(21))(shape, URIRef(EX + "P4")) is False  # no first predicate: hashed
    assert few(many(21), ratio=11)(shape, URIRef(EX + "P1")) is False


def test_hashed_when_the_focus_nodes_are_more_than_most():
    shape = URIRef(EX + "O")
    assert few(many(21), most=1)(shape, URIRef(EX + "P1")) is False
    assert few(many(21), most=2)(shape, URIRef(EX + "P1")) is True
    assert few(many(100))(URIRef(EX + "T"), URIRef(EX + "P1")) is False  # a SPARQL target: always hashed


# ------------------------------------------------------------------ paths, targets and members

@pytest.mark.parametrize("path, name", [
    ("[ sh:inversePath [ ex:odd ex:p ] ]", "^[]"), ("[ sh:alternativePath ( ex:p [ ex:odd ex:p ] ) ]", "(path)"),
    ("[ sh:zeroOrMorePath [ ex:odd ex:p ] ]", "(path)"), ("[ sh:oneOrMorePath [ ex:odd ex:p ] ]", "(path)")])
def test_a_path_of_an_unknown_kind_inside_another_path_is_refused_naming_the_shape(path, name):
    assert refusal(prop("sh:minCount 1", path=path)) == refused("the path", f"{EX}S > {name}")


@pytest.mark.parametrize("target", ["sh:targetClass ex:C", "sh:targetNode ex:a , ex:b"])
def test_a_sequence_of_iris_checked_value_by_value(target):
    """A value constraint on a sequence path of three IRIs (one hashed sub-SELECT per step)."""
    data = ('ex:a a ex:C ; ex:p ex:m1 , ex:m2 . ex:m1 ex:q ex:n1 . ex:m2 ex:q ex:n2 . ex:n1 ex:r 1 . ex:n2 ex:r "x" . '
            'ex:b a ex:C ; ex:p ex:m3 . ex:m3 ex:q ex:n3 . ex:n3 ex:r 2 , "y" . ex:c ex:p ex:m2 .')
    shapes = prop("sh:datatype xsd:integer", target, "( ex:p ex:q ex:r )")
    assert both(shapes, data) == {V("ex:a", "Datatype", "x", "ex:p/ex:q/ex:r"), V("ex:b", "Datatype", "y", "ex:p/ex:q/ex:r")}


def test_each_shape_has_only_its_own_targets():
    """Five shapes, one kind of target each; each constraint is checked on its own shape's focus nodes."""
    others = ("ex:T a sh:NodeShape ; sh:targetObjectsOf ex:u . ex:U a sh:NodeShape ; sh:targetClass ex:D . "
              "ex:W a sh:NodeShape ; sh:targetSubjectsOf ex:t . ex:X a sh:NodeShape ; sh:targetNode ex:h . ")
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] , "
              "[ sh:path ex:k ; sh:class ex:K ] , [ sh:path ex:m ; sh:maxCount 1 ] . "
              + others.replace(" . ", " ; sh:property [ sh:path ex:q ; sh:maxCount 5 ] . "))
    wrong = "ex:k ex:k4 ; ex:m 1 , 2 ."
    data = CLASSES + (f"ex:a a ex:C ; ex:p 1 ; ex:k ex:k1 , ex:k4 ; ex:m 1 , 2 . ex:b a ex:C . ex:e ex:u ex:f . "
                      f"ex:f {wrong} ex:d a ex:D ; {wrong} ex:g ex:t 1 ; {wrong} ex:h {wrong}")
    assert both(shapes, data) == {V("ex:b", "MinCount"), V("ex:a", "Class", "ex:k4", "ex:k"),
                                  V("ex:a", "MaxCount", "", "ex:m")}


def test_a_target_node_beside_a_class_target_gets_the_checks_of_values():
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetNode ex:n ; "
              "sh:property [ sh:path ex:p ; sh:class ex:K ] , [ sh:path ex:m ; sh:maxCount 1 ] , "
              "[ sh:path ex:l ; sh:uniqueLang true ] .")
    data = CLASSES + ('ex:a a ex:C ; ex:p ex:k4 . ex:n ex:p ex:k4 , ex:k1 ; ex:m 1 , 2 ; ex:l "x"@en , "y"@en . '
                      'ex:o ex:p ex:k4 ; ex:m 1 , 2 ; ex:l "x"@en , "y"@en .')
    assert both(shapes, data) == {V("ex:a", "Class", "ex:k4"), V("ex:n", "Class", "ex:k4"),
                                  V("ex:n", "MaxCount", "", "ex:m"), V("ex:n", "UniqueLang", "", "ex:l")}


@pytest.mark.parametrize("query, what", [
    ("SELECT ?this WHERE { SERVICE <x:y> { ?this ?p ?o } }", "a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD"),
    ("SELECT ?this WHERE { ?this a/rdfs:subClassOf* zz:K }", "the prefix zz: of its SPARQL query")])
def test_a_sparql_target_not_compiled_is_refused_naming_its_shape(query, what):
    shapes = f"ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select '{query}' ] ; sh:nodeKind sh:IRI ."
    assert refusal(shapes) == refused(what, f"{EX}S")


def test_one_prefix_given_twice_names_the_last_namespace():
    store = store_of("ex:a ex:p 1 .")
    shapes = shapes_graph("ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxCount 0 ] .")
    report = validate_store(store, shapes=shapes, ontology=None, namespaces=[("ex", "https://other.org/"), ("ex", EX)])
    assert [r.message for r in report.results] == ["More than 0 values on ex:a->ex:p"]


# ------------------------------------------------------------------ more nested shapes

def test_a_nested_node_shape_with_a_class_and_a_sparql_constraint_is_refused():
    """ex:N (no rdf:type: its one other triple) has a SPARQL constraint beside its class: refused, not compiled
    as the shape of one sh:class."""
    shapes = ("ex:N sh:class ex:K ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] ."
              "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:N .")
    assert refusal(shapes) == refused("a SPARQL constraint inside another shape", f"{EX}N")


def test_in_on_a_node_shape_lists_terms_even_when_one_is_a_shape():
    """ex:N in the sh:in list is a term to equal, not a shape to conform to."""
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:in ( ex:N ) . "
              "ex:N a sh:NodeShape ; sh:class ex:K .")
    data = CLASSES + "ex:k1 a ex:C . ex:k4 a ex:C . ex:N a ex:C ."
    assert both(shapes, data) == {V("ex:k1", "In", "", ""), V("ex:k4", "In", "", "")}


def test_a_qualified_value_shape_of_two_constraints_with_min_count_1():
    shapes = prop("sh:qualifiedValueShape [ sh:datatype xsd:integer ; sh:minInclusive 2 ] ; sh:qualifiedMinCount 1")
    data = 'ex:a a ex:C ; ex:p 1 , 3 . ex:b a ex:C ; ex:p 1 , "5" . ex:c a ex:C .'
    assert both(shapes, data) == {V("ex:b", "QualifiedMinCount"), V("ex:c", "QualifiedMinCount")}


def test_a_nested_qualified_count_read_from_its_own_property_shape():
    """Two qualified value shapes in the graph, one nested (sh:not ex:P), each with its own count."""
    shapes = ("ex:P a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; "
              "sh:qualifiedMinCount 1 ] ." + prop("sh:not ex:P")
              + prop("sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 0", path="ex:r")
              .replace("ex:S", "ex:T"))
    data = 'ex:v1 ex:q 1 . ex:v2 ex:q "x" . ex:a a ex:C ; ex:p ex:v1 , ex:v2 .'
    assert both(shapes, data) == {V("ex:a", "Not", "ex:v1")}


def test_two_nested_shapes_failing_at_once_both_report_their_own_results():
    shapes = ("ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] . "
              "ex:M a sh:NodeShape ; sh:property [ sh:path ex:r ; sh:minCount 1 ] . "
              "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] , "
              "[ sh:path ex:s ; sh:node ex:M ] .")
    data = "ex:a a ex:C ; ex:p ex:v1 , ex:v2 ; ex:s ex:w1 , ex:w2 . ex:v1 ex:q 1 . ex:w1 ex:r 1 ."
    assert both(shapes, data) == {V("ex:a", "Node", "ex:v2"), V("ex:a", "Node", "ex:w2", "ex:s"),
                                  V("ex:v2", "MinCount", "", "ex:q"), V("ex:w2", "MinCount", "", "ex:r")}


# ------------------------------------------------------------------ values looked up per focus node

#: 25 subjects of ex:p besides the focus nodes: with 2 focus nodes (ex:a, ex:b), 25 >= 10 x 2 + 1 triples, so
#: _FewFocusNodes has the values of ex:p looked up per focus node (checked first, below).
CROWD = " ".join(f"ex:x{i} ex:p {i} ." for i in range(25))


def test_values_looked_up_per_focus_node_give_the_reference_results():
    shapes = prop("sh:minCount 1 ; sh:hasValue 1 ; sh:maxCount 1 ; sh:datatype xsd:integer ; sh:class ex:K ; "
                  "sh:uniqueLang true")
    data = CLASSES + 'ex:a a ex:C ; ex:p 2 , "x"@en , "y"@en . ex:b a ex:C . ' + CROWD
    sg = shapes_graph(shapes)
    prop_shape = next(sg.objects(URIRef(EX + "S"), URIRef("http://www.w3.org/ns/shacl#property")))
    assert _FewFocusNodes(store_of(data), {}, sg, {})(URIRef(EX + "S"), prop_shape) is True
    assert both(shapes, data) == {
        V("ex:b", "MinCount"), V("ex:b", "HasValue"), V("ex:a", "HasValue"), V("ex:a", "MaxCount"),
        V("ex:a", "Datatype", "x"), V("ex:a", "Datatype", "y"), V("ex:a", "UniqueLang"),
        V("ex:a", "Class", "2"), V("ex:a", "Class", "x"), V("ex:a", "Class", "y")}


def test_the_profile_gives_each_check_at_most_the_seconds_of_the_whole_run():
    profile: dict = {}
    shapes = shapes_graph(prop("sh:datatype xsd:integer") + prop("sh:minCount 1", path="ex:q").replace("ex:S", "ex:T"))
    start = time.perf_counter()
    validate_store(store_of("ex:a a ex:C ; ex:p 1 ."), shapes=shapes, ontology=None, profile=profile)
    elapsed = time.perf_counter() - start
    assert len(profile) == 2
    assert all(0 <= seconds <= elapsed for seconds in profile.values())


# ------------------------------------------------------------------ sh:hasValue on a node shape (a bug: was ignored)

def test_has_value_on_a_targeted_node_shape():
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:hasValue ex:k1 ."
    assert both(shapes, CLASSES + "ex:k1 a ex:C . ex:k4 a ex:C .") == {V("ex:k4", "HasValue", "", "")}


def test_has_value_of_a_nested_node_shape_is_checked_not_ignored():
    """sh:not, sh:or and sh:node of a node shape [ sh:hasValue ex:k1 ]: the fast engine ignored its
    sh:hasValue (every term conformed), where pySHACL tests it."""
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:not [ sh:hasValue ex:k1 ] . "
              "ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( [ sh:hasValue ex:k2 ] [ sh:hasValue ex:k3 ] ) . "
              "ex:N a sh:NodeShape ; sh:hasValue ex:k2 . "
              "ex:U a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] .")
    data = CLASSES + "ex:k1 a ex:C ; ex:p ex:k2 . ex:k2 a ex:C ; ex:p ex:k1 , ex:k2 . ex:k4 a ex:C ."
    assert both(shapes, data) == {V("ex:k1", "Not", "", ""), V("ex:k1", "Or", "", ""), V("ex:k4", "Or", "", ""),
                                  V("ex:k2", "Node", "ex:k1"), V("ex:k1", "HasValue", "", "")}


@pytest.mark.parametrize("constraint", ["sh:minCount 1", "sh:maxCount 1", "sh:uniqueLang true",
                                        "sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1"])
def test_a_focus_constraint_on_a_nested_node_shape_is_refused(constraint):
    """pySHACL refuses these on a node shape; the fast engine ignored them inside sh:not (anything passed)."""
    shapes = f"ex:P a sh:NodeShape ; {constraint} . " + prop("sh:not ex:P")
    what = constraint.split()[0]
    assert refusal(shapes) == refused(f"{what} on a node shape", f"{EX}P")


# ------------------------------------------------------------------ subclasses, graphs and the default shapes

def test_only_subclass_triples_of_the_ontology_make_subclasses(tmp_path):
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(PROLOGUE + "ex:Sub rdfs:subClassOf ex:K . ex:Other rdfs:seeAlso ex:K .", encoding="utf-8")
    shapes = shapes_graph(prop("sh:class ex:K"))
    store = store_of("ex:s a ex:Sub . ex:o a ex:Other . ex:a a ex:C ; ex:p ex:s , ex:o .")
    assert compact(validate_store(store, shapes=shapes, ontology=ontology)) == {V("ex:a", "Class", "ex:o")}


def test_subclass_triples_read_from_the_validated_named_graph():
    store = ox.Store()
    g1 = ox.NamedNode(EX + "g1")
    store.load((PROLOGUE + "ex:Sub rdfs:subClassOf ex:K . ex:s a ex:Sub . ex:o a ex:Other . "
                "ex:a a ex:C ; ex:p ex:s , ex:o .").encode(), ox.RdfFormat.TURTLE, to_graph=g1)
    report = validate_store(store, [g1], shapes=shapes_graph(prop("sh:class ex:K")), ontology=None)
    assert compact(report) == {V("ex:a", "Class", "ex:o")}


def test_the_project_shapes_and_ontology_by_default():
    store = ox.Store()
    store.load(b'<https://example.org/a> a <https://schema.org/MonetaryAmount> ; <https://schema.org/value> 5.0 ; '
               b'<https://schema.org/currency> "EUROS" .', ox.RdfFormat.TURTLE)
    report = validate_store(store, locations={EX + "a": "data/x.yaml:3"})
    assert [(r.location, r.component, r.value, r.path) for r in report.results] == [
        ("data/x.yaml:3", "sh:InConstraintComponent", "EUROS", "schema:currency")]


class _Ticks:
    """A stand-in for the module ``time`` whose perf_counter counts its calls, one count per thread: each
    check then takes 1 "second" in its worker thread and 1 in the calling thread, whatever the threads do."""

    def __init__(self):
        self.local = threading.local()

    def perf_counter(self) -> float:
        self.local.n = getattr(self.local, "n", 0) + 1
        return float(self.local.n)


def test_the_profile_adds_up_the_checks_of_one_shape_and_component(monkeypatch):
    import ngograph.validate.fast as fast

    monkeypatch.setattr(fast, "time", _Ticks())
    profile: dict = {}
    shapes = shapes_graph(prop("sh:class ex:K , ex:L ; sh:datatype xsd:integer"))
    validate_store(store_of("ex:a a ex:C ; ex:p 1 ."), shapes=shapes, ontology=None, profile=profile)
    name = f"{EX}S > {EX}p"
    assert profile == {(name, "sh:ClassConstraintComponent"): 4.0, (name, "sh:DatatypeConstraintComponent"): 2.0}


def test_the_messages_of_a_shape_joined_in_order():
    shapes = prop("sh:minCount 1").replace("ex:S a sh:NodeShape ;", "ex:S a sh:NodeShape ; sh:message 'two' , 'one' ;")
    shapes = shapes.replace("sh:minCount 1", "sh:minCount 1 ; sh:message 'b' , 'a'")
    assert both(shapes, "ex:a a ex:C .") == {V("ex:a", "MinCount")}
    (result,) = validate_store(store_of("ex:a a ex:C ."), shapes=shapes_graph(shapes), ontology=None).results
    assert result.message == "a; b"


def test_a_targeted_shape_reached_through_sh_node_checks_the_failing_values_not_its_targets():
    """ex:N targets ex:t1 and is the sh:node of ex:S: its own results on ex:S's failing value ex:v1 are
    found among those values, not among ex:N's targets."""
    shapes = ("ex:N a sh:NodeShape ; sh:targetNode ex:t1 ; sh:property [ sh:path ex:q ; sh:maxCount 1 ] , "
              "[ sh:path ex:r ; sh:class ex:K ] . "
              "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] .")
    data = CLASSES + "ex:t1 ex:q 1 ; ex:r ex:k1 . ex:v1 ex:q 1 , 2 . ex:v2 ex:r ex:k4 . ex:a a ex:C ; ex:p ex:v1 , ex:v2 , ex:t1 ."
    assert both(shapes, data) == {V("ex:a", "Node", "ex:v1"), V("ex:v1", "MaxCount", "", "ex:q"),
                                  V("ex:a", "Node", "ex:v2"), V("ex:v2", "Class", "ex:k4", "ex:r")}


def test_a_sparql_target_read_from_the_validated_named_graph():
    shapes = """ex:S a sh:NodeShape ;
      sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this <https://example.org/q> 1 }" ] ;
      sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this ?value WHERE { $this <https://example.org/p> ?value }" ] ."""
    store = ox.Store()
    store.load((PROLOGUE + "ex:a ex:q 1 ; ex:p 5 . ex:b ex:q 2 ; ex:p 6 .").encode(), ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(EX + "g1"))
    report = validate_store(store, [ox.NamedNode(EX + "g1")], shapes=shapes_graph(shapes), ontology=None)
    assert compact(report) == {V("ex:a", "SPARQL", "5", "")}
