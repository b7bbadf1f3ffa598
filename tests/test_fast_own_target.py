"""A SPARQL target that is its constraint's own query (projected to ``$this``) is not run again by
the fast engine: every ``?this`` of the constraint's rows is then a focus node
(:func:`ngograph.validate.fast._picks_own_rows`). A target that differs in any way still runs and
still filters the rows; either way the report is pySHACL's."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from ngograph.rdf.sparql import query_words
from ngograph.validate.fast import _picks_own_rows, compile_shapes, validate_store
from ngograph.validate.shacl import _shape_name, load_shapes, validate_graph

from test_validate_fast import results_set
from test_validate_fast_speedups import CountingStore

P = "https://example.org/p"
SUMS = "SELECT $this (SUM(?v) AS ?total) WHERE { $this <https://example.org/p> ?v } GROUP BY $this HAVING (SUM(?v) > 10)"


def shapes(target: str) -> Graph:
    """One shape: the sums over 10 of <p>, on the nodes its SPARQL target ``target`` picks."""
    return Graph().parse(format="turtle", data=f'''
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/S> a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select """{target}""" ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "sums to {{?total}}" ; sh:select """{SUMS}""" ] .
''')


DATA = f"""
<https://example.org/a> a <https://example.org/C> ; <{P}> 6 , 7 .
<https://example.org/b> <{P}> 20 .
<https://example.org/c> a <https://example.org/C> ; <{P}> 1 .
"""

OWN = "SELECT $this WHERE { $this <https://example.org/p> ?v } GROUP BY $this HAVING (SUM(?v) > 10)"
# the same query over the C's only (b is no focus node), and the same text laid out otherwise
ONLY_C = "SELECT $this WHERE { $this <https://example.org/p> ?v . $this a <https://example.org/C> } GROUP BY $this HAVING (SUM(?v) > 10)"
RELAID = "SELECT   $this\n  WHERE {\n $this <https://example.org/p> ?v }\nGROUP BY $this\tHAVING (SUM(?v) > 10)"


@pytest.mark.parametrize("target, focus, runs", [(OWN, {"a", "b"}, False), (RELAID, {"a", "b"}, False),
                                                 (ONLY_C, {"a"}, True)])
def test_the_target_runs_only_when_it_is_not_the_constraints_own_query(target, focus, runs):
    graph = Graph().parse(data=DATA, format="turtle")
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    counting = CountingStore(store)
    fast = validate_store(counting, shapes=shapes(target), ontology=None)
    reference = validate_graph(graph, shapes=shapes(target))
    assert results_set(fast) == results_set(reference)
    assert {r.focus.rsplit("/", 1)[1] for r in fast.results} == focus
    assert {r.message for r in fast.results} >= {"sums to 13"}
    assert any("?this WHERE" in t and "?total" not in t for t in counting.texts) == runs


def test_of_our_shapes_the_allocation_sums_the_dates_outside_a_period_the_same_names_and_the_tags_list_no_focus_nodes():
    shapes = load_shapes()
    compiled = compile_shapes(shapes, {"http://www.w3.org/ns/org#FormalOrganization": [
        "<http://www.w3.org/ns/org#FormalOrganization>", "<https://w3id.org/ngograph/def#InternationalNetwork>"]})
    sparql = {_shape_name(shapes, c.shape): bool(c.focus) for c in compiled.checks
              if c.param == SH.sparql and (c.shape, SH.target, None) in shapes}
    assert sparql == {"ngosh:AllocationSumShape": False, "ngosh:WithinProjectPeriodShape": False,
                      # the same query, with a/rdfs:subClassOf* in both (each listing the classes in a
                      # variable of its own)
                      "ngosh:OrganisationSameNameShape": False,
                      # the same query, its classes tested in a FILTER EXISTS
                      "ngosh:LanguageTagShape": False,
                      # their targets are other queries (instances of a class, subjects of a name): they run
                      # once the constraint finds a row
                      "ngosh:GrantOverBudgetShape": True,
                      "ngosh:FundingShareSumShape": True, "ngosh:TranslatedNameShape": True}


BODY = " WHERE { ?this <https://example.org/p> ?v } GROUP BY ?this ?k HAVING (SUM(?v) > 1)"


@pytest.mark.parametrize("target, constraint, own", [
    ("SELECT ?this" + BODY, "SELECT ?this ?k (SUM(?v) AS ?t)" + BODY, True),
    ("select distinct ?this" + BODY, "SELECT DISTINCT ?k ?this" + BODY, True),
    ("SELECT ?this" + BODY, "SELECT ?this" + BODY.replace("?v", "?w"), False),     # another query
    ("SELECT ?this ?k" + BODY, "SELECT ?this" + BODY, False),                       # the target picks more
    ("SELECT ?k" + BODY, "SELECT ?this" + BODY, False),
    ("SELECT ?this" + BODY, "SELECT ?k" + BODY, False),                             # no ?this of its own
    ("SELECT ?this" + BODY, "SELECT ?k ( ?k as ?this )" + BODY, False),             # a computed ?this
    ("SELECT ?this" + BODY, "SELECT ?this ( ?k AS ?this )" + BODY, False),
    ("SELECT ?this" + BODY + " limit 5", "SELECT ?this" + BODY + " limit 5", False),  # two projections, two rows kept
    ("SELECT ?this" + BODY + " offset 2", "SELECT ?this" + BODY + " offset 2", False),
    ("ASK" + BODY, "SELECT ?this" + BODY, False),                                   # not a SELECT
    # a comment ends at its line's end: here it hides the FILTER in one text only (the same words otherwise)
    ("SELECT ?this WHERE { ?this <p> ?v # note\n FILTER (?v > 10) }",
     "SELECT ?this WHERE { ?this <p> ?v # note FILTER (?v > 10)\n }", False),
    ("SELECT ?this WHERE { ?this <p> ?v # one note\n FILTER (?v > 10) }",
     "SELECT ?this ?v WHERE { ?this <p> ?v # another\n FILTER (?v > 10) }", True),
    ('SELECT ?this WHERE { ?this <p> "a  b" }', 'SELECT ?this WHERE { ?this <p> "a b" }', False),  # a string's spaces
    ("SELECT ?this WHERE { ?this <p#x> ?v }", "SELECT ?this WHERE { ?this <p#y> ?v }", False),    # no comment in an IRI
    ("SELECT ?this WHERE { ?this ?p ?v } limit  5", "SELECT ?this WHERE { ?this ?p ?v } limit 5", False),
    ("SELECT ?this" + BODY, "CONSTRUCT { ?this ?this ?this }" + BODY, False),
])
def test_a_target_is_recognised_as_the_constraints_own_query_only_when_it_is(target, constraint, own):
    assert _picks_own_rows(target, constraint) is own


def test_only_the_shapes_own_targets_count():
    """A shape whose target filters runs it, even when another shape's target, or a SPARQL target-like node
    the shape links otherwise, is its constraint's own query."""
    graph = Graph().parse(data=DATA, format="turtle")
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    two = shapes(OWN) + Graph().parse(format="turtle", data=f'''
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/T> a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select """{ONLY_C}""" ] ;
    <http://www.w3.org/2000/01/rdf-schema#seeAlso> [ a sh:SPARQLTarget ; sh:select """{OWN}""" ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "T sums to {{?total}}" ; sh:select """{SUMS}""" ] .
''')
    fast = validate_store(store, shapes=two, ontology=None)
    assert results_set(fast) == results_set(validate_graph(graph, shapes=two))
    assert {(r.shape.rsplit("/", 1)[1], r.focus.rsplit("/", 1)[1]) for r in fast.results} == {("S", "a"), ("S", "b"),
                                                                                              ("T", "a")}


SUBCLASS_DATA = f"""
<https://example.org/D> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://example.org/C> .
<https://example.org/a> a <https://example.org/C> ; <{P}> 6 , 7 .
<https://example.org/b> <{P}> 20 .
<https://example.org/d> a <https://example.org/D> ; <{P}> 11 .
"""
# the sums over 10 of the C's, a D among them: the class as a list of classes, in each query a variable of its own
SUBCLASS_BODY = (" WHERE { { SELECT DISTINCT $this WHERE { $this a/rdfs:subClassOf* <https://example.org/C> } } "
                 "$this <https://example.org/p> ?v } GROUP BY $this HAVING (SUM(?v) > 10)")


def _both_engines(target: str, constraint: str, message: str, data: str):
    """The fast engine's report (with the queries it asked) of one shape whose SPARQL target and constraint are
    ``target`` and ``constraint``, after checking that pySHACL gives the same."""
    shapes = Graph().parse(format="turtle", data=f'''
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/S> a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select """{target}""" ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "{message}" ; sh:select """{constraint}""" ] .
''')
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    counting = CountingStore(store)
    fast = validate_store(counting, shapes=shapes, ontology=None)
    assert results_set(fast) == results_set(validate_graph(Graph().parse(data=data, format="turtle"), shapes=shapes))
    return fast, counting


def test_a_target_and_constraint_that_list_the_subclasses_of_a_class_are_one_query():
    fast, counting = _both_engines(f"SELECT $this{SUBCLASS_BODY}", f"SELECT $this (SUM(?v) AS ?total){SUBCLASS_BODY}",
                                   "sums to {?total}", SUBCLASS_DATA)
    assert {r.focus.rsplit("/", 1)[1] for r in fast.results} == {"a", "d"}
    assert not any("?this WHERE" in t and "?total" not in t for t in counting.texts)  # the target never ran


LONG = "'''it's\n  long'''"
ESCAPED = '"s\\"t"'


@pytest.mark.parametrize("text, words", [
    ('x "a  b" y <p#q> z', ["x", '"a  b"', "y", "<p#q>", "z"]),  # words before, between and after
    ("a\n# one  two\nb # three", ["a", "b"]),                       # comments to their line's end
    (f"{LONG} {ESCAPED} 'u'", [LONG, ESCAPED, "'u'"]),               # a long string, an escaped quote
])
def test_the_words_of_a_query(text, words):
    assert query_words(text) == words


def test_a_constraint_that_is_its_own_target_reports_its_values():
    """The target is the constraint's own query and the constraint binds ?value: each result's value is that
    ?value, as pySHACL reports it (sh:value), not the focus node."""
    body = " WHERE { $this <https://example.org/p> ?value FILTER (?value > 10) }"
    fast, counting = _both_engines(f"SELECT $this{body}", f"SELECT $this ?value{body}", "over 10", DATA)
    assert sorted((r.focus.rsplit("/", 1)[1], r.value) for r in fast.results) == [("b", "20")]
    assert not any("SELECT DISTINCT ?this WHERE" in t for t in counting.texts)  # the target never ran
