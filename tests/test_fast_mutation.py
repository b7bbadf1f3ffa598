"""The fast validator (ngograph/validate/fast.py) pinned down constraint by constraint (issue 14).

Each case is a tiny shapes graph and a tiny data graph; the fast engine's report must equal
pySHACL's (the reference: focus, path, value, severity, source shape, component, message) and
the results computed by hand. Only reports are compared, never the queries the engine writes,
so the tests hold whatever SPARQL the engine compiles the shapes to. The shapes are written
here, not read from ontology/shapes.ttl, and the ontology is left out: each validation takes
milliseconds, so mutation testing can run them against every mutant.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ngograph.errors import ShapesError
from ngograph.validate.fast import _subclasses, validate_published, validate_store
from ngograph.validate.shacl import validate_graph

EX = "https://example.org/"
PROLOGUE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""


def _short(text: str) -> str:
    return text.replace(EX, "ex:")


def compact(report) -> set[tuple]:
    """(focus, component without ``sh:`` and ``ConstraintComponent``, value, path, severity), IRIs
    of ex: shortened, a blank focus as ``_:``."""
    return {("_:" if not r.focus.startswith("http") else _short(r.focus),
             r.component.removeprefix("sh:").removesuffix("ConstraintComponent"), _short(r.value), _short(r.path),
             r.severity) for r in report.results}


def full(report) -> set[tuple]:
    return {(r.focus if r.focus.startswith("http") else "_:", r.path, r.value, r.severity, r.shape, r.component,
             r.message, r.location) for r in report.results}


def shapes_graph(shapes: str) -> Graph:
    return Graph().parse(data=PROLOGUE + shapes, format="turtle")


def store_of(data: str) -> ox.Store:
    store = ox.Store()
    store.load((PROLOGUE + data).encode(), ox.RdfFormat.TURTLE)
    return store


def both(shapes: str, data: str, locations: dict | None = None) -> set[tuple]:
    """The fast engine's results (compact), after asserting that they equal pySHACL's in full."""
    sg = shapes_graph(shapes)
    store = store_of(data)
    g = Graph(bind_namespaces="none")
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    reference = validate_graph(g, locations, shapes=sg, ontology=None)
    fast = validate_store(store, locations=locations, shapes=sg, ontology=None)
    assert full(fast) == full(reference)
    return compact(fast)


#: An untargeted shape beside those under test: a message naming some other shape than the one that
#: failed would name this one (alone, the shape under test is every shape of the graph).
DECOY = "ex:Decoy a sh:NodeShape ; sh:property [ sh:path ex:decoy ; sh:name 'decoy' ] . "


def refusal(shapes: str) -> str:
    """The message of the ShapesError the fast engine raises on ``shapes``."""
    with pytest.raises(ShapesError) as err:
        validate_store(store_of("ex:a a ex:C ."), shapes=shapes_graph(DECOY + shapes), ontology=None)
    return str(err.value)


def refused(what: str, name: str) -> str:
    return f"the fast engine cannot compile {what} of the shape {name}; use --engine pyshacl"


def prop(constraints: str, target: str = "sh:targetClass ex:C", path: str = "ex:p") -> str:
    """A node shape ex:S with one property shape on ``path``."""
    return f"ex:S a sh:NodeShape ; {target} ; sh:property [ sh:path {path} ; {constraints} ] ."


def V(focus: str, component: str, value: str = "", path: str = "ex:p", severity: str = "Violation") -> tuple:
    return (focus, component, value, path, severity)


# A SPARQL target (no sh:targetClass): the engine compiles such shapes without the member test.
SPARQL_TARGET = 'sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this a <https://example.org/C> }" ]'
TARGETS = {"class": "sh:targetClass ex:C", "sparql": SPARQL_TARGET}


# ------------------------------------------------------------------ value constraints

@pytest.mark.parametrize("target", TARGETS)
def test_datatype(target):
    data = """ex:a a ex:C ; ex:p 5 , "x" , 5.5 , "y"@en , ex:o .
              ex:b a ex:C ; ex:q "s" , "t"@en , 7 , "2021-02-03"^^xsd:date , "2021-13-03"^^xsd:date ."""
    shapes = (prop("sh:datatype xsd:integer", TARGETS[target])
              + prop("sh:datatype xsd:string", TARGETS[target], "ex:q").replace("ex:S", "ex:T"))
    assert both(shapes, data) == {
        V("ex:a", "Datatype", "x"), V("ex:a", "Datatype", "5.5"), V("ex:a", "Datatype", "y"),
        V("ex:a", "Datatype", "ex:o"),
        V("ex:b", "Datatype", "t", "ex:q"), V("ex:b", "Datatype", "7", "ex:q"),
        V("ex:b", "Datatype", "2021-02-03", "ex:q"), V("ex:b", "Datatype", "2021-13-03", "ex:q")}


def test_datatype_lang_string_literal_and_date():
    data = """ex:a a ex:C ; ex:p "x"@en , "x" , ex:o ; ex:q "l" , ex:o , 3 ;
                ex:r "2021-02-03"^^xsd:date , "2021-02-03" , "2021-02-03T10:00:00"^^xsd:dateTime ."""
    shapes = (prop("sh:datatype rdf:langString") + prop("sh:datatype rdfs:Literal", path="ex:q").replace("ex:S", "ex:T")
              + prop("sh:datatype xsd:date", path="ex:r").replace("ex:S", "ex:U"))
    assert both(shapes, data) == {
        V("ex:a", "Datatype", "x"), V("ex:a", "Datatype", "ex:o"), V("ex:a", "Datatype", "ex:o", "ex:q"),
        V("ex:a", "Datatype", "2021-02-03", "ex:r"), V("ex:a", "Datatype", "2021-02-03T10:00:00", "ex:r")}


@pytest.mark.parametrize("target", TARGETS)
def test_node_kinds(target):
    kinds = ["IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"]
    shapes = " ".join(prop(f"sh:nodeKind sh:{k}", TARGETS[target], f"ex:{k}").replace("ex:S", f"ex:S{k}")
                      for k in kinds)
    data = "ex:a a ex:C ; " + " ; ".join(f'ex:{k} ex:o , [ ex:z 1 ] , "l"' for k in kinds) + " ."
    fails = {"IRI": ["", "l"], "BlankNode": ["ex:o", "l"], "Literal": ["ex:o", ""], "BlankNodeOrIRI": ["l"],
             "BlankNodeOrLiteral": ["ex:o"], "IRIOrLiteral": [""]}
    assert both(shapes, data) == {V("ex:a", "NodeKind", v, f"ex:{k}") for k, vs in fails.items() for v in vs}


def test_node_kind_unknown_is_refused():
    assert refusal(prop("sh:nodeKind ex:Odd")) == refused(f"sh:nodeKind {EX}Odd", f"{EX}S > {EX}p")


@pytest.mark.parametrize("target", TARGETS)
def test_in(target):
    data = """ex:a a ex:C ; ex:p ex:x , "y" , 1 , "1" , ex:z , "y"@en .
              ex:b a ex:C ; ex:q 1 ."""
    shapes = prop('sh:in ( ex:x "y" 1 )', TARGETS[target]) + prop("sh:in ( )", TARGETS[target], "ex:q").replace(
        "ex:S", "ex:T")
    assert both(shapes, data) == {V("ex:a", "In", "1"), V("ex:a", "In", "ex:z"), V("ex:a", "In", "y"),
                                  V("ex:b", "In", "1", "ex:q")}


def test_in_keeps_the_right_value_among_equal_strings():
    # "1" (a string) and 1 (an integer) print alike: the compact form cannot tell them apart, the count can
    sg = shapes_graph(prop('sh:in ( "y" )'))
    report = validate_store(store_of('ex:a a ex:C ; ex:p "y" , "y"@en , 1 .'), shapes=sg, ontology=None)
    assert sorted(r.value for r in report.results) == ["1", "y"]


@pytest.mark.parametrize("target", TARGETS)
def test_pattern_with_and_without_flags(target):
    data = """ex:a a ex:C ; ex:p "abc" , "xab" , "ABc" , ex:abz , [ ex:z 1 ] ;
                             ex:q "abc" , "ABc" , "xab" , ex:ABz ."""
    shapes = prop('sh:pattern "^ab"', TARGETS[target]) + prop('sh:pattern "^AB|^https" ; sh:flags "i"',
                                                             TARGETS[target], "ex:q").replace("ex:S", "ex:T")
    assert both(shapes, data) == {V("ex:a", "Pattern", "xab"), V("ex:a", "Pattern", "ABc"),
                                  V("ex:a", "Pattern", "ex:abz"), V("ex:a", "Pattern", ""),
                                  V("ex:a", "Pattern", "xab", "ex:q")}


@pytest.mark.parametrize("target", TARGETS)
def test_ranges(target):
    names = {"minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive", "minExclusive": "MinExclusive",
             "maxExclusive": "MaxExclusive"}
    shapes = " ".join(prop(f"sh:{k} 1", TARGETS[target], f"ex:{k}").replace("ex:S", f"ex:S{k}") for k in names)
    data = "ex:a a ex:C ; " + " ; ".join(f"ex:{k} 0 , 1 , 2 , 1.5 , 0.5e0" for k in names) + " ."
    fails = {"minInclusive": ["0", "0.5"], "maxInclusive": ["2", "1.5"], "minExclusive": ["0", "1", "0.5"],
             "maxExclusive": ["1", "2", "1.5"]}
    assert both(shapes, data) == {V("ex:a", names[k], v, f"ex:{k}") for k, vs in fails.items() for v in vs}


def test_range_on_a_double_bound():
    assert both(prop("sh:maxInclusive 1.0e2"), "ex:a a ex:C ; ex:p 100 , 100.5 , 99.9 .") == {
        V("ex:a", "MaxInclusive", "100.5")}


@pytest.mark.parametrize("bound, text", [('"1"', "1"), ("true", "true"), ('"2021-01-01"^^xsd:date', "2021-01-01"),
                                         ("ex:one", EX + "one")])
@pytest.mark.parametrize("param", ["minInclusive", "maxExclusive"])
def test_range_on_a_bound_that_is_no_number_is_refused(bound, text, param):
    assert refusal(prop(f"sh:{param} {bound}")) == refused(f"sh:{param} {text} (only numbers are compiled)",
                                                           f"{EX}S > {EX}p")


@pytest.mark.parametrize("target", TARGETS)
def test_language_in(target):
    data = """ex:a a ex:C ; ex:p "x"@en , "y"@en-GB , "z"@EN , "w"@nn , "v" , ex:o , "u"@nb-NO , "t"@eng ;
                             ex:q "x"@fr , "y" , ex:o ."""
    shapes = prop('sh:languageIn ( "en" "NB" )', TARGETS[target]) + prop('sh:languageIn ( "*" )', TARGETS[target],
                                                                        "ex:q").replace("ex:S", "ex:T")
    assert both(shapes, data) == {V("ex:a", "LanguageIn", "w"), V("ex:a", "LanguageIn", "v"),
                                  V("ex:a", "LanguageIn", "ex:o"), V("ex:a", "LanguageIn", "t"),
                                  V("ex:q" and "ex:a", "LanguageIn", "y", "ex:q"),
                                  V("ex:a", "LanguageIn", "ex:o", "ex:q")}


CLASSES = """ex:Sub rdfs:subClassOf ex:K . ex:Sub2 rdfs:subClassOf ex:Sub .
             ex:k1 a ex:K . ex:k2 a ex:Sub . ex:k3 a ex:Sub2 . ex:k4 a ex:Other . """


@pytest.mark.parametrize("target", TARGETS)
def test_class_with_subclasses_in_the_data(target):
    data = CLASSES + 'ex:a a ex:C ; ex:p ex:k1 , ex:k2 , ex:k3 , ex:k4 , ex:k5 , "ex:k1" .'
    assert both(prop("sh:class ex:K", TARGETS[target]), data) == {
        V("ex:a", "Class", "ex:k4"), V("ex:a", "Class", "ex:k5"), V("ex:a", "Class", "ex:k1")}


def test_class_of_a_node_shape_and_of_subclass_targets():
    data = CLASSES + "ex:k4 a ex:C . ex:k3 a ex:C . ex:k6 a ex:Sub2 ."
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:class ex:K . ex:T a sh:NodeShape ; sh:targetClass ex:Sub ; sh:class ex:C ."
    # a node shape's value node is its focus node: no value in the result
    assert both(shapes, data) == {V("ex:k4", "Class", "", ""), V("ex:k2", "Class", "", ""),
                                  V("ex:k6", "Class", "", "")}


def test_subclasses_are_transitive_and_include_the_class():
    assert _subclasses([("b", "a"), ("c", "b"), ("d", "c"), ("x", "y")]) == {
        "a": ["<a>", "<b>", "<c>", "<d>"], "b": ["<b>", "<c>", "<d>"], "c": ["<c>", "<d>"], "y": ["<x>", "<y>"]}
    assert _subclasses([("a", "b"), ("b", "a")]) == {"a": ["<a>", "<b>"], "b": ["<a>", "<b>"]}


# ------------------------------------------------------------------ nested shapes

NESTED = """ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
            ex:M a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:datatype xsd:integer ] .
            ex:H a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:hasValue 1 ] .
            ex:D a sh:NodeShape ; sh:datatype xsd:integer .
            ex:Kc a sh:NodeShape ; sh:class ex:K . """
NESTED_DATA = CLASSES + """ex:v1 ex:q 1 . ex:v2 ex:q "x" . ex:v3 ex:r 1 . ex:v4 ex:q 2 . """


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("nested, fails, own", [
    ("ex:N", ["ex:v3", "1"], [V("ex:v3", "MinCount", "", "ex:q"), V("_:", "MinCount", "", "ex:q")]),
    ("ex:M", ["ex:v2", "ex:v3", "1"], [V("ex:v2", "Datatype", "x", "ex:q"), V("ex:v3", "MinCount", "", "ex:q"),
                                       V("_:", "MinCount", "", "ex:q")]),
    ("ex:H", ["ex:v2", "ex:v3", "ex:v4", "1"], [V(f, "HasValue", "", "ex:q") for f in ["ex:v2", "ex:v3", "ex:v4", "_:"]]),
    ("ex:D", ["ex:v1", "ex:v2", "ex:v3", "ex:v4"], [V(f, "Datatype", "", "") for f in ["ex:v1", "ex:v2", "ex:v3", "ex:v4"]]),
    ("ex:Kc", ["ex:v1", "ex:v2", "ex:v3", "ex:v4", "1"],
     [V(f, "Class", "", "") for f in ["ex:v1", "ex:v2", "ex:v3", "ex:v4", "_:"]])])
def test_node(target, nested, fails, own):
    """A value that fails sh:node is reported, and so are the nested shape's own results on it (its
    focus: the value; ``_:`` the literal 1)."""
    data = NESTED_DATA + "ex:a a ex:C ; ex:p ex:v1 , ex:v2 , ex:v3 , ex:v4 , 1 ."
    assert both(NESTED + prop(f"sh:node {nested}", TARGETS[target]), data) == (
        {V("ex:a", "Node", v) for v in fails} | set(own))


def test_node_of_a_targeted_shape_reports_its_own_results_too():
    shapes = NESTED.replace("ex:N a sh:NodeShape ;", "ex:N a sh:NodeShape ; sh:targetNode ex:v3 ;") + prop(
        "sh:node ex:N")
    data = NESTED_DATA + "ex:a a ex:C ; ex:p ex:v1 , ex:v3 ."
    assert both(shapes, data) == {V("ex:a", "Node", "ex:v3"), V("ex:v3", "MinCount", "", "ex:q")}
    assert both(shapes, data.replace("ex:a a ex:C", "ex:a a ex:D")) == {V("ex:v3", "MinCount", "", "ex:q")}


def test_node_on_a_node_shape():
    shapes = NESTED + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:M ."
    data = "ex:v1 a ex:C ; ex:q 1 . ex:v2 a ex:C ; ex:q 'x' . ex:v3 a ex:C ."
    assert both(shapes, data) == {V("ex:v2", "Node", "", ""), V("ex:v3", "Node", "", ""),
                                  V("ex:v2", "Datatype", "x", "ex:q"), V("ex:v3", "MinCount", "", "ex:q")}


@pytest.mark.parametrize("target", TARGETS)
def test_or(target):
    shapes = prop("sh:or ( [ sh:datatype xsd:integer ] [ sh:class ex:K ] )", TARGETS[target]) + prop(
        "sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:string ; sh:pattern '^a' ] )", TARGETS[target],
        "ex:q").replace("ex:S", "ex:T")
    data = CLASSES + 'ex:a a ex:C ; ex:p 1 , ex:k2 , ex:k4 , "x" ; ex:q 1 , "ab" , "ba" , ex:k1 .'
    assert both(shapes, data) == {V("ex:a", "Or", "ex:k4"), V("ex:a", "Or", "x"), V("ex:a", "Or", "ba", "ex:q"),
                                  V("ex:a", "Or", "ex:k1", "ex:q")}


@pytest.mark.parametrize("target", TARGETS)
def test_not(target):
    shapes = prop("sh:not [ sh:class ex:K ]", TARGETS[target]) + prop(
        "sh:not [ sh:path ex:q ; sh:minCount 1 ]", TARGETS[target], "ex:r").replace("ex:S", "ex:T")
    data = CLASSES + "ex:a a ex:C ; ex:p ex:k1 , ex:k3 , ex:k4 , 1 ; ex:r ex:v1 , ex:v3 . ex:v1 ex:q 1 ."
    assert both(shapes, data) == {V("ex:a", "Not", "ex:k1"), V("ex:a", "Not", "ex:k3"),
                                  V("ex:a", "Not", "ex:v1", "ex:r")}


@pytest.mark.parametrize("constraints, fails", [
    ("sh:minCount 1", ["ex:v0"]),
    ("sh:minCount 0", []),
    ("sh:maxCount 0", ["ex:v1", "ex:v2", "ex:v3"]),
    ("sh:maxCount 1", ["ex:v2", "ex:v3"]),
    ("sh:hasValue 1", ["ex:v0", "ex:v3"]),
    ("sh:uniqueLang true", ["ex:v3"]),
    ("sh:uniqueLang false", []),
    ("sh:datatype xsd:integer", ["ex:v3"]),
    ("sh:qualifiedValueShape [ sh:datatype rdf:langString ] ; sh:qualifiedMinCount 1", ["ex:v0", "ex:v1", "ex:v2"]),
    ("sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 1", ["ex:v0", "ex:v1", "ex:v2", "ex:v3"]),
    ("sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 0", []),
])
def test_constraints_of_a_nested_property_shape(constraints, fails):
    """Each constraint inside sh:not (so inside a FILTER): the values that conform to the nested
    property shape fail the sh:not."""
    nested = f"ex:P a sh:NodeShape ; sh:property [ sh:path ex:q ; {constraints} ] ."
    data = ('ex:v0 ex:r 1 . ex:v1 ex:q 1 . ex:v2 ex:q 1 , 2 . ex:v3 ex:q 2 , "a"@en , "b"@EN . '
            "ex:a a ex:C ; ex:p ex:v0 , ex:v1 , ex:v2 , ex:v3 .")
    conforming = {"ex:v0", "ex:v1", "ex:v2", "ex:v3"} - set(fails)
    assert both(nested + prop("sh:not ex:P"), data) == {V("ex:a", "Not", v) for v in conforming}


@pytest.mark.parametrize("constraint, what", [
    ("sh:minCount 2", "sh:minCount 2"), ("sh:maxCount 2", "sh:maxCount 2"),
    ("sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 2", "sh:qualifiedMinCount 2"),
    ("sh:sparql [ sh:select 'SELECT $this WHERE { }' ]", "a SPARQL constraint")])
def test_nested_constraints_not_compiled_are_refused(constraint, what):
    shapes = f"ex:P a sh:NodeShape ; sh:property [ sh:path ex:q ; {constraint} ] ." + prop("sh:not ex:P")
    assert refusal(shapes) == refused(f"{what} inside another shape", f"{EX}P > {EX}q")


def test_sparql_as_the_one_constraint_of_a_nested_node_shape_is_refused():
    shapes = ("ex:P a sh:NodeShape ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] ."
              "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:node ex:P .")
    assert refusal(shapes) == refused("a SPARQL constraint inside another shape", f"{EX}P")


def test_sparql_in_a_nested_node_shape_is_refused():
    shapes = "ex:P a sh:NodeShape ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] ." + prop("sh:not ex:P")
    assert refusal(shapes) == refused("a SPARQL constraint inside another shape", f"{EX}P")


def test_nested_node_shape_with_value_constraints_and_properties():
    shapes = ("ex:P a sh:NodeShape ; sh:nodeKind sh:IRI ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ."
              + prop("sh:node ex:P"))
    data = 'ex:v1 ex:q 1 . ex:v2 ex:r 1 . ex:a a ex:C ; ex:p ex:v1 , ex:v2 , "ex:v1" .'
    assert both(shapes, data) == {V("ex:a", "Node", "ex:v2"), V("ex:a", "Node", "ex:v1"),  # the literal "ex:v1"
                                  V("ex:v2", "MinCount", "", "ex:q"), V("_:", "MinCount", "", "ex:q"),
                                  V("_:", "NodeKind", "", "")}


# ------------------------------------------------------------------ cardinality and focus constraints

@pytest.mark.parametrize("target", TARGETS)
def test_counts(target):
    shapes = (prop("sh:minCount 2 ; sh:maxCount 3", TARGETS[target]) + prop("sh:minCount 1", TARGETS[target], "ex:q")
              .replace("ex:S", "ex:T") + prop("sh:minCount 0 ; sh:maxCount 0", TARGETS[target], "ex:r").replace(
                  "ex:S", "ex:U"))
    data = """ex:a a ex:C ; ex:q 1 ; ex:r 1 . ex:b a ex:C ; ex:p 1 ; ex:q 1 , 2 .
              ex:c a ex:C ; ex:p 1 , 2 ; ex:q 1 . ex:d a ex:C ; ex:p 1 , 2 , 3 , 4 ; ex:q 1 .
              ex:e a ex:C ; ex:p 1 , 2 , 3 . ex:f ex:p 1 ."""
    assert both(shapes, data) == {V("ex:a", "MinCount"), V("ex:b", "MinCount"), V("ex:d", "MaxCount"),
                                  V("ex:e", "MinCount", path="ex:q"), V("ex:a", "MaxCount", path="ex:r")}


@pytest.mark.parametrize("target", TARGETS)
def test_has_value(target):
    data = "ex:a a ex:C ; ex:p 1 , 2 . ex:b a ex:C ; ex:p 2 . ex:c a ex:C . ex:d a ex:C ; ex:p '1' ."
    assert both(prop("sh:hasValue 1", TARGETS[target]), data) == {
        V("ex:b", "HasValue"), V("ex:c", "HasValue"), V("ex:d", "HasValue")}


@pytest.mark.parametrize("target", TARGETS)
def test_unique_lang(target):
    data = """ex:a a ex:C ; ex:p "a"@en , "b"@EN . ex:b a ex:C ; ex:p "a"@en , "b"@fr , "c" , "d" .
              ex:c a ex:C ; ex:p "a"@en , "a"@en-GB . ex:d a ex:C ; ex:p "a"@nb , "b"@nb , "c"@nb .
              ex:e ex:p "a"@en , "b"@en ."""
    shapes = prop("sh:uniqueLang true", TARGETS[target]) + prop("sh:uniqueLang false", TARGETS[target]).replace(
        "ex:S", "ex:T")
    assert both(shapes, data) == {V("ex:a", "UniqueLang"), V("ex:d", "UniqueLang")}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("qualified, n, fails", [
    ("[ sh:class ex:K ]", 1, ["ex:b", "ex:c"]),
    ("[ sh:datatype xsd:integer ]", 1, ["ex:a", "ex:c"]),
    ("[ sh:path ex:q ; sh:minCount 1 ]", 1, ["ex:a", "ex:b", "ex:c"]),
    ("[ sh:path ex:q ; sh:hasValue 1 ]", 1, ["ex:a", "ex:b", "ex:c"]),
    ("[ sh:class ex:K ]", 2, ["ex:b", "ex:c", "ex:d"]),
    ("[ sh:datatype xsd:integer ]", 2, ["ex:a", "ex:c"]),
    ("[ sh:or ( [ sh:class ex:K ] [ sh:datatype xsd:integer ] ) ]", 2, ["ex:c"]),
    ("[ sh:class ex:K ]", 0, []),
])
def test_qualified_value_shape(target, qualified, n, fails):
    data = CLASSES + """ex:a a ex:C ; ex:p ex:k1 , ex:k2 . ex:b a ex:C ; ex:p 1 , 2 , ex:k4 .
                        ex:c a ex:C ; ex:p "x" . ex:d a ex:C ; ex:p ex:k3 , 3 , 4 . ex:k3 ex:q 1 ."""
    shapes = prop(f"sh:qualifiedValueShape {qualified} ; sh:qualifiedMinCount {n}", TARGETS[target])
    assert both(shapes, data) == {V(f, "QualifiedMinCount") for f in fails}


@pytest.mark.parametrize("extra", ["sh:qualifiedMaxCount 3", "sh:qualifiedValueShapesDisjoint true"])
def test_qualified_value_shape_options_not_compiled_are_refused(extra):
    shapes = prop(f"sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 1 ; {extra}")
    assert refusal(shapes) == refused(extra.split()[0], f"{EX}S > {EX}p")


# ------------------------------------------------------------------ targets and paths

@pytest.mark.parametrize("target, focus", [
    ("sh:targetSubjectsOf ex:p", ["ex:a", "ex:b"]),
    ("sh:targetObjectsOf ex:link", ["ex:b", "ex:c"]),
    ("sh:targetNode ex:c , ex:b", ["ex:b", "ex:c"]),
    ("sh:targetClass ex:K", ["ex:k1", "ex:k2", "ex:k3"]),
    ("sh:targetClass ex:Sub", ["ex:k2", "ex:k3"]),
    ("sh:targetClass ex:K , ex:Other", ["ex:k1", "ex:k2", "ex:k3", "ex:k4"]),
    ("sh:targetNode ex:c ; sh:targetSubjectsOf ex:p", ["ex:a", "ex:b", "ex:c"]),
    ("sh:targetNode ex:k1 ; sh:targetClass ex:Sub", ["ex:k1", "ex:k2", "ex:k3"]),
])
def test_targets(target, focus):
    """Every focus node lacks ex:q, so each is reported once by sh:minCount; ex:p 1 gives sh:maxCount 0 a
    result on the subjects of ex:p among the focus nodes."""
    data = CLASSES + "ex:a ex:p 1 . ex:b ex:p 2 . ex:a ex:link ex:b . ex:b ex:link ex:c ."
    shapes = prop("sh:minCount 1", target, "ex:q") + prop("sh:maxCount 0 ; sh:class ex:Nothing", target).replace(
        "ex:S", "ex:T")
    with_p = {"ex:a": "1", "ex:b": "2"}
    assert both(shapes, data) == ({V(f, "MinCount", path="ex:q") for f in focus}
                                  | {V(f, "MaxCount") for f in focus if f in with_p}
                                  | {V(f, "Class", with_p[f]) for f in focus if f in with_p})


def test_a_literal_target_node():
    shapes = prop('sh:datatype xsd:integer', 'sh:targetNode "x"', "ex:q") + (
        "ex:T a sh:NodeShape ; sh:targetNode 'x' ; sh:nodeKind sh:IRI .")
    assert both(shapes, "ex:a ex:p 1 .") == {V("_:", "NodeKind", "", "")}  # "x" is the focus: "_:"


@pytest.mark.parametrize("path, fails", [
    ("( ex:p ex:q )", [("ex:a", "ex:p/ex:q")]),
    ("[ sh:inversePath ex:link ]", [("ex:b", "^ex:link"), ("ex:c", "^ex:link"), ("ex:k1", "^ex:link")]),
    ("[ sh:alternativePath ( ex:p ex:link ) ]", [("ex:a", "(path)"), ("ex:b", "(path)"), ("ex:c", "(path)")]),
    ("[ sh:zeroOrMorePath ex:link ]", [("ex:a", "(path)"), ("ex:b", "(path)"), ("ex:c", "(path)"),
                                        ("ex:k1", "(path)")]),
    ("[ sh:oneOrMorePath ex:link ]", [("ex:a", "(path)"), ("ex:b", "(path)"), ("ex:c", "(path)")]),
    ("[ sh:zeroOrOnePath ex:link ]", [("ex:a", "(path)"), ("ex:b", "(path)"), ("ex:c", "(path)"),
                                       ("ex:k1", "(path)")]),
    ("( ex:link [ sh:inversePath ex:link ] )", [("ex:a", "ex:link/^ex:link"), ("ex:b", "ex:link/^ex:link"),
                                                ("ex:c", "ex:link/^ex:link")]),
])
def test_paths(path, fails):
    """sh:maxCount 0 on the path: every focus node reached through it with some value is reported."""
    data = CLASSES + ("ex:a a ex:C ; ex:p ex:b ; ex:link ex:b . ex:b a ex:C ; ex:link ex:c . ex:b ex:q 1 . "
                      "ex:c a ex:C ; ex:link ex:k1 . ex:k1 a ex:C .")
    assert both(prop("sh:maxCount 0", path=path), data) == {V(f, "MaxCount", path=p) for f, p in fails}


def test_path_of_an_unknown_kind_is_refused():
    assert refusal(prop("sh:minCount 1", path="[ ex:odd ex:p ]")) == refused("the path", f"{EX}S > (path)")
    assert refusal(prop("sh:minCount 1", path="( ex:p [ ex:odd ex:p ] )")) == refused("the path", f"{EX}S > (path)")


# ------------------------------------------------------------------ SPARQL constraints and targets

SPARQL = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "{?value} of {$this} is over 2" ;
    sh:prefixes ex:decl ;
    sh:select \"\"\"SELECT $this ?value ?path WHERE { $this ex:p ?value . BIND (ex:p AS ?path) FILTER (?value > 2) }\"\"\" ] .
ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^xsd:anyURI ] .
ex:Other a sh:NodeShape ; sh:targetClass ex:Nothing ; sh:message "another shape's message" ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "another constraint's message" ; sh:select "SELECT $this WHERE { }" ] ."""


def test_sparql_constraint_with_message_and_path():
    data = "ex:a a ex:C ; ex:p 1 , 3 , 4 . ex:b a ex:C ; ex:p 2 . ex:c ex:p 5 ."
    sg = shapes_graph(SPARQL)
    store = store_of(data)
    assert both(SPARQL, data) == {V("ex:a", "SPARQL", "3"), V("ex:a", "SPARQL", "4")}
    messages = sorted(r.message for r in validate_store(store, shapes=sg, ontology=None).results)
    assert messages == [f"3 of {EX}a is over 2", f"4 of {EX}a is over 2"]


def test_sparql_constraint_on_a_sparql_target_and_a_subclass_path():
    shapes = """ex:S a sh:NodeShape ; sh:severity sh:Warning ;
      sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:decl ;
                  sh:select "SELECT ?this WHERE { ?this a/rdfs:subClassOf* ex:K }" ] ;
      sh:sparql [ a sh:SPARQLConstraint ; sh:prefixes ex:decl ; sh:message "no q" ;
                  sh:select "SELECT $this WHERE { $this a/rdfs:subClassOf* ex:K . FILTER NOT EXISTS { $this ex:q [] } }" ] .
    ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "https://example.org/"^^xsd:anyURI ] ,
                       [ sh:prefix "rdfs" ; sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^xsd:anyURI ] .
    ex:Other a sh:NodeShape ; sh:targetClass ex:Nothing ;
      sh:sparql [ a sh:SPARQLConstraint ; sh:message "another message" ; sh:select "SELECT $this WHERE { }" ] ."""
    data = CLASSES + "ex:k1 ex:q 1 . ex:a ex:q 2 ."
    assert both(shapes, data) == {V("ex:k2", "SPARQL", "", "", "Warning"), V("ex:k3", "SPARQL", "", "", "Warning")}
    report = validate_store(store_of(data), shapes=shapes_graph(shapes), ontology=None)
    assert {r.message for r in report.results} == {"no q"}


def test_sparql_constraint_with_a_full_iri_subclass_path_and_no_where_keyword():
    shapes = """ex:S a sh:NodeShape ; sh:targetNode ex:k2 , ex:k4 , ex:a ;
      sh:sparql [ a sh:SPARQLConstraint ;
        sh:select "SELECT $this { $this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://example.org/K> }" ] ."""
    assert both(shapes, CLASSES) == {V("ex:k2", "SPARQL", "", "")}


S, SP = EX + "S", f"{EX}S > {EX}p"


@pytest.mark.parametrize("shapes, what, name", [
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { $this a/rdfs:subClassOf* zz:K }' ] .",
     "the prefix zz: of its SPARQL query", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { $this rdfs:subClassOf ?x }' ] .",
     "an rdfs:subClassOf in its SPARQL query other than a/rdfs:subClassOf*", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { GRAPH $shapesGraph { } }' ] .",
     "a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { SERVICE <x:y> { } }' ] .",
     "a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this $currentShape' ] .",
     "a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'ASK' ] .", "its SPARQL query (no WHERE clause)", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ; sh:deactivated true ] .",
     "a deactivated SPARQL constraint", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] , "
     "[ sh:select 'SELECT $this WHERE { }' , 'SELECT $this WHERE { $this ?p ?o }' ] .", "2 values of sh:select", "[]"),
    ("ex:S a sh:NodeShape ; sh:target [ sh:select 'SELECT ?this WHERE { }' ] .", "a target that is not a sh:SPARQLTarget", S),
    ("ex:S a sh:NodeShape, rdfs:Class ; sh:targetNode ex:a ; sh:nodeKind sh:IRI .", "an implicit class target", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .", "sh:closed", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:deactivated true .", "sh:deactivated", S),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:minCount 1 .", "sh:minCount on a node shape", S),
    (prop("sh:sparql [ sh:select 'SELECT $this WHERE { }' ]"), "a SPARQL constraint on a property shape", SP),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p , ex:q ; sh:minCount 1 ] .",
     "2 values of sh:path", SP),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:lessThan ex:q ] .",
     "sh:lessThan", SP),
])
def test_what_is_not_compiled_is_refused_naming_the_shape(shapes, what, name):
    """(The shape named by the SPARQL constraint with two queries is the constraint's node, ``[]``.)"""
    assert refusal(shapes) == refused(what, name)


def test_deactivated_false_is_validated():
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:deactivated false ; sh:nodeKind sh:Literal ."
    assert both(shapes, "ex:a ex:p 1 .") == {V("ex:a", "NodeKind", "", "")}


def test_a_shape_without_targets_gives_nothing_and_the_subclass_pairs_read_only_iris():
    shapes = "ex:S a sh:NodeShape ; sh:nodeKind sh:Literal . " + prop("sh:class ex:K").replace("ex:S", "ex:T")
    data = 'ex:x a ex:C ; ex:p ex:y . ex:y a ex:Sub . ex:Sub rdfs:subClassOf [ ex:z 1 ] , "K" .'
    assert both(shapes, data) == {V("ex:x", "Class", "ex:y")}


# ------------------------------------------------------------------ report fields

def test_severity_message_location_and_blank_nodes():
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:severity sh:Info ] ;
      sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a q, please"@en ] ;
      sh:property [ sh:path ex:r ; sh:class ex:K ] ."""
    data = 'ex:a a ex:C ; ex:p "x" ; ex:r [ ex:z [ ex:y 2 ] ] . [ a ex:C ; ex:q 1 ; ex:p 2 ] .'
    locations = {EX + "a": "data/a.yaml:3"}
    assert both(shapes, data, locations) == {V("ex:a", "Datatype", "x", "ex:p", "Info"),
                                             V("ex:a", "MinCount", "", "ex:q", "Warning"),
                                             V("ex:a", "Class", "", "ex:r")}
    report = validate_store(store_of(data), locations=locations, shapes=shapes_graph(shapes), ontology=None)
    assert report.conforms is False
    assert {(r.location, r.message) for r in report.results if r.severity == "Warning"} == {
        ("data/a.yaml:3", "a q, please")}
    warnings_only = shapes.replace("sh:property [ sh:path ex:r ; sh:class ex:K ] .", "sh:nodeKind sh:BlankNodeOrIRI .")
    assert validate_store(store_of(data), shapes=shapes_graph(warnings_only), ontology=None).conforms is True


def test_named_graphs_are_validated_as_their_union_only():
    store = ox.Store()
    g1, g2, g3 = (ox.NamedNode(EX + f"g{i}") for i in (1, 2, 3))
    C, p = ox.NamedNode(EX + "C"), ox.NamedNode(EX + "p")
    a, b = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(ox.Quad(a, rdf_type, C, g1))
    store.add(ox.Quad(a, p, ox.Literal("x"), g2))
    store.add(ox.Quad(b, rdf_type, C, g3))
    store.add(ox.Quad(a, p, ox.Literal("y"), g3))
    shapes = shapes_graph(prop("sh:datatype xsd:integer ; sh:maxCount 1"))
    report = validate_store(store, [g1, g2], shapes=shapes, ontology=None)
    assert compact(report) == {V("ex:a", "Datatype", "x")}
    report = validate_store(store, [g1, g2, g3], shapes=shapes, ontology=None)
    assert compact(report) == {V("ex:a", "Datatype", "x"), V("ex:a", "Datatype", "y"), V("ex:a", "MaxCount")}
    assert compact(validate_store(store, shapes=shapes, ontology=None)) == set()


def test_profile_names_each_shape_and_component():
    profile: dict = {}
    shapes = shapes_graph(prop("sh:datatype xsd:integer ; sh:minCount 1"))
    validate_store(store_of("ex:a a ex:C ; ex:p 1 ."), shapes=shapes, ontology=None, profile=profile)
    assert sorted(profile) == [("ex:S > ex:p".replace("ex:", EX), "sh:DatatypeConstraintComponent"),
                               ("ex:S > ex:p".replace("ex:", EX), "sh:MinCountConstraintComponent")]
    assert all(seconds >= 0 for seconds in profile.values())


def test_validate_published_reads_the_default_and_the_named_graphs_of_an_open_store():
    store = store_of('ex:a a ex:C ; ex:p "x" .')
    g = ox.NamedNode(EX + "graph/source")
    store.add(ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("y"), g))
    store.add(ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode(EX + "C"), g))
    shapes = shapes_graph(prop("sh:datatype xsd:integer"))

    class Opened:  # what open_store gives: the pyoxigraph store as .store
        def __init__(self, raw):
            self.store = raw

    for opened in (store, Opened(store)):
        report = validate_published(opened, None, {EX + "b": "b.csv:2"}, shapes=shapes, ontology=None)
        assert compact(report) == {V("ex:a", "Datatype", "x"), V("ex:b", "Datatype", "y")}
        assert {(r.focus, r.location) for r in report.results} == {(EX + "a", ""), (EX + "b", "b.csv:2")}


def test_ontology_subclasses_count_for_class_and_targets(tmp_path):
    ontology = tmp_path / "ontology.ttl"
    ontology.write_text(PROLOGUE + "ex:Sub rdfs:subClassOf ex:K . ex:Sub2 rdfs:subClassOf ex:Sub .", encoding="utf-8")
    shapes = prop("sh:class ex:K") + "ex:T a sh:NodeShape ; sh:targetClass ex:K ; sh:nodeKind sh:BlankNode ."
    data = "ex:k2 a ex:Sub2 . ex:k3 a ex:Other . ex:a a ex:C ; ex:p ex:k2 , ex:k3 ."
    sg, store = shapes_graph(shapes), store_of(data)
    g = Graph(bind_namespaces="none")
    g.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    fast = validate_store(store, shapes=sg, ontology=ontology)
    assert full(fast) == full(validate_graph(g, shapes=sg, ontology=ontology))
    assert compact(fast) == {V("ex:a", "Class", "ex:k3"), V("ex:k2", "NodeKind", "", "")}
    assert compact(validate_store(store, shapes=sg, ontology=None)) == {V("ex:a", "Class", "ex:k2"),
                                                                         V("ex:a", "Class", "ex:k3")}


def test_generic_messages_describe_blank_nodes_of_the_validated_graphs_with_the_data_namespaces():
    store = ox.Store()
    g1, g2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
    a, b, c = ox.NamedNode(EX + "a"), ox.BlankNode("b"), ox.BlankNode("c")
    store.add(ox.Quad(a, ox.NamedNode(EX + "p"), b, g1))
    store.add(ox.Quad(b, ox.NamedNode(EX + "z"), c, g1))
    store.add(ox.Quad(c, ox.NamedNode(EX + "y"), ox.Literal("deep"), g1))
    store.add(ox.Quad(b, ox.NamedNode(EX + "hidden"), ox.Literal("elsewhere"), g2))
    shapes = shapes_graph("""ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:z ; sh:property [ sh:path ex:z ; sh:maxCount 0 ] .
        ex:S2 a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxCount 0 ; sh:hasValue ex:q ] .""")
    messages = sorted(r.message for r in validate_store(store, [g1], shapes=shapes, ontology=None).results)
    assert messages == [f'More than 0 values on <{EX}a>->ex:p',
                        f'More than 0 values on [ <{EX}z> [ <{EX}y> Literal("deep") ] ]->ex:z',
                        f"Node <{EX}a>->ex:p does not contain a value in the set: ['ex:q']"]
    report = validate_store(store, [g1], shapes=shapes, ontology=None, namespaces=[("ex", EX)])
    assert sorted(r.message for r in report.results) == [
        "More than 0 values on [ ex:z [ ex:y Literal(\"deep\") ] ]->ex:z", "More than 0 values on ex:a->ex:p",
        "Node ex:a->ex:p does not contain a value in the set: ['ex:q']"]


def test_a_nested_pattern_reads_its_own_flags_not_another_shapes():
    shapes = ('ex:P a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:pattern "^a" ] .'
              'ex:F a sh:NodeShape ; sh:targetNode ex:nothing ; sh:property [ sh:path ex:q ; sh:pattern "^b" ; '
              'sh:flags "i" ] .' + prop("sh:not ex:P"))
    data = 'ex:v1 ex:q "abc" . ex:v2 ex:q "Abc" . ex:a a ex:C ; ex:p ex:v1 , ex:v2 .'
    assert both(shapes, data) == {V("ex:a", "Not", "ex:v1")}


def test_an_unknown_node_kind_inside_another_shape_is_refused_naming_its_shape():
    shapes = "ex:P a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:nodeKind ex:Odd ] ." + prop("sh:not ex:P")
    assert refusal(shapes) == refused(f"sh:nodeKind {EX}Odd", f"{EX}P > {EX}q")


def test_a_nested_shape_without_constraints_conforms_always():
    shapes = (prop('sh:not [ sh:path ex:q ; sh:name "q" ]') + prop('sh:not [ sh:name "nothing" ]', path="ex:r")
              .replace("ex:S", "ex:T"))
    data = 'ex:a a ex:C ; ex:p ex:v , 1 ; ex:r "x" ; ex:s ex:v .'
    assert both(shapes, data) == {V("ex:a", "Not", "ex:v"), V("ex:a", "Not", "1"), V("ex:a", "Not", "x", "ex:r")}


def test_a_sparql_target_keeps_only_its_own_nodes_of_the_constraints_rows():
    shapes = """ex:S a sh:NodeShape ;
      sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this <https://example.org/q> 1 }" ] ;
      sh:sparql [ a sh:SPARQLConstraint ; sh:message "{$this} has {?value}" ;
                  sh:select "SELECT $this ?value WHERE { $this <https://example.org/p> ?value }" ] ."""
    data = "ex:a ex:q 1 ; ex:p 5 , 6 . ex:b ex:q 2 ; ex:p 7 . ex:c ex:q 1 ."
    assert both(shapes, data) == {V("ex:a", "SPARQL", "5", ""), V("ex:a", "SPARQL", "6", "")}
    report = validate_store(store_of(data), shapes=shapes_graph(shapes), ontology=None)
    assert sorted(r.message for r in report.results) == [f"{EX}a has 5", f"{EX}a has 6"]


def test_a_cycle_of_blank_nodes_is_described_once_each():
    shapes = "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:z ; sh:property [ sh:path ex:z ; sh:maxCount 0 ] ."
    data = "_:b ex:z _:c . _:c ex:z _:b ."
    assert both(shapes, data) == {V("_:", "MaxCount", "", "ex:z")}
    report = validate_store(store_of(data), shapes=shapes_graph(shapes), ontology=None)
    assert len(report.results) == 2
    assert all(r.message.startswith(f"More than 0 values on [ <{EX}z> [ <{EX}z> [ ") for r in report.results)


def test_a_blank_value_is_described_in_the_generic_message():
    data = 'ex:a a ex:C ; ex:p [ ex:z 1 ] .'
    assert both(prop("sh:in ( ex:x )"), data) == {V("ex:a", "In", "")}
    (result,) = validate_store(store_of(data), shapes=shapes_graph(prop("sh:in ( ex:x )")), ontology=None).results
    assert result.message == f'Value [ <{EX}z> Literal("1", datatype=xsd:integer) ] not in list [\'ex:x\']'


def test_two_qualified_value_shapes_each_with_its_own_count():
    shapes = (prop("sh:qualifiedValueShape [ sh:class ex:K ] ; sh:qualifiedMinCount 2")
              + prop("sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMinCount 1", path="ex:q")
              .replace("ex:S", "ex:T"))
    data = CLASSES + "ex:a a ex:C ; ex:p ex:k1 ; ex:q 1 . ex:b a ex:C ; ex:p ex:k1 , ex:k2 ; ex:q 'x' ."
    assert both(shapes, data) == {V("ex:a", "QualifiedMinCount"), V("ex:b", "QualifiedMinCount", path="ex:q")}


def test_min_count_zero_leaves_the_constraints_after_it():
    shapes = prop('sh:minCount 0 ; sh:nodeKind sh:IRI ; sh:pattern "^https" ; sh:uniqueLang true')
    data = 'ex:a a ex:C ; ex:p "x"@en , "y"@en . ex:b a ex:C .'
    assert both(shapes, data) == {V("ex:a", "NodeKind", "x"), V("ex:a", "NodeKind", "y"), V("ex:a", "Pattern", "x"),
                                  V("ex:a", "Pattern", "y"), V("ex:a", "UniqueLang")}


def test_a_node_shape_pattern_reads_its_own_flags():
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:pattern "^https://example.org/a" .'
              'ex:F a sh:NodeShape ; sh:targetNode ex:nothing ; sh:pattern "^b" ; sh:flags "i" .')
    assert both(shapes, "ex:a a ex:C . ex:A a ex:C .") == {V("ex:A", "Pattern", "", ""), V("ex:nothing", "Pattern", "", "")}


def test_or_beside_shapes_of_every_kind():
    """sh:or in a shapes graph that also holds a SPARQL constraint and an untargeted closed shape."""
    shapes = (prop("sh:or ( [ sh:datatype xsd:integer ] [ sh:class ex:K ] )")
              + SPARQL.replace("ex:S a sh:NodeShape ; sh:targetClass ex:C", "ex:Q a sh:NodeShape ; sh:targetClass ex:None")
              + "ex:Closed a sh:NodeShape ; sh:closed false .")
    data = CLASSES + 'ex:a a ex:C ; ex:p 1 , ex:k2 , "x" .'
    assert both(shapes, data) == {V("ex:a", "Or", "x")}


def test_an_empty_or_is_compiled_and_conforms_without_values():
    # pySHACL refuses an empty sh:or list (when it makes a message); with no value there is none to make
    report = validate_store(store_of("ex:a a ex:C ."), shapes=shapes_graph(prop("sh:or ( )")), ontology=None)
    assert report.results == []


def test_a_sparql_target_with_this_and_a_class_target_together():
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:target [ a sh:SPARQLTarget ; sh:select "SELECT $this WHERE { $this <https://example.org/q> 1 }" ] ;
      sh:property [ sh:path ex:p ; sh:class ex:K ] ."""
    data = CLASSES + "ex:a a ex:C ; ex:p ex:k4 . ex:d ex:q 1 ; ex:p ex:k4 , ex:k1 . ex:e ex:p ex:k4 ."
    assert both(shapes, data) == {V("ex:a", "Class", "ex:k4"), V("ex:d", "Class", "ex:k4")}


@pytest.mark.parametrize("query", ["SELECT $this WHERE { service <x:y> { } }", "SELECT $this WHERE { load <x:y> }"])
def test_service_and_load_are_refused_in_any_case(query):
    shapes = f"ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select '{query}' ] ."
    assert refusal(shapes) == refused("a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD", f"{EX}S")


def test_a_blank_node_cannot_be_written_into_a_query():
    with pytest.raises(ShapesError) as err:
        validate_store(store_of("ex:a a ex:C ."), shapes=shapes_graph(prop("sh:hasValue [ ex:z 1 ]")), ontology=None)
    assert str(err.value).startswith("the fast engine cannot write rdflib.term.BNode(")
    assert str(err.value).endswith(") into a query")


def test_validate_published_refuses_an_unknown_source():
    from ngograph.errors import ConfigError

    with pytest.raises(ConfigError):
        validate_published(store_of("ex:a a ex:C ."), ["no-such-source"], shapes=shapes_graph(prop("sh:minCount 1")),
                           ontology=None)


def test_sparql_rows_repeated_then_new_and_a_value_message_on_a_node_shape():
    shapes = """ex:S a sh:NodeShape ; sh:targetClass ex:C ;
      sh:sparql [ a sh:SPARQLConstraint ; sh:message "{?value} repeats" ;
                  sh:select "SELECT $this WHERE { $this <https://example.org/p> ?v . $this <https://example.org/q> ?w }" ] ;
      sh:sparql [ a sh:SPARQLConstraint ;
                  sh:select "SELECT $this ?value WHERE { $this <https://example.org/p> ?value . $this <https://example.org/q> ?w }" ] ."""
    data = "ex:a a ex:C ; ex:p 1 , 2 ; ex:q 3 , 4 . ex:b a ex:C ; ex:p 5 ; ex:q 6 , 7 ."
    assert both(shapes, data) == {V("ex:a", "SPARQL", "", ""), V("ex:b", "SPARQL", "", ""), V("ex:a", "SPARQL", "1", ""),
                                  V("ex:a", "SPARQL", "2", ""), V("ex:b", "SPARQL", "5", "")}
    report = validate_store(store_of(data), shapes=shapes_graph(shapes), ontology=None)
    assert {r.message for r in report.results if not r.value} == {f"{EX}a repeats", f"{EX}b repeats"}


def test_the_last_prefix_given_for_a_namespace_is_the_one_messages_use():
    store = store_of("ex:a ex:p 1 .")
    shapes = shapes_graph("ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:maxCount 0 ] .")
    report = validate_store(store, shapes=shapes, ontology=None, namespaces=[("one", EX), ("two", EX)])
    assert [r.message for r in report.results] == ["More than 0 values on two:a->ex:p"]


def test_an_unknown_node_kind_on_a_node_shape_is_refused_naming_it():
    assert refusal("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:nodeKind ex:Odd .") == refused(
        f"sh:nodeKind {EX}Odd", f"{EX}S")
