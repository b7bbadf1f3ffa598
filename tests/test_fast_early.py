"""A value check looks for failing values among the distinct values of its path first, and a sh:maxCount counts
the path's values and subjects once for every shape (ngograph/validate/fast.py, ``_Compiler.property_checks``):
where nothing fails, the check's own query, which joins the focus nodes to the path, never runs. The sh:minCount 1
checks of one path, and the searches that end in one anti-join, run as one query (``_merge``). The results stay
pySHACL's (``both``)."""

from __future__ import annotations

import ngograph.validate.fast as fast
import pytest
from rdflib.namespace import XSD

from test_fast_mutation import EX, V, both, shapes_graph, store_of
from test_fast_mutation2 import _Ticks
from test_fast_shared import _Counting

DATATYPE = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ."
MAX_TWO = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] . "
           "ex:T a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .")


def _asked(shapes: str, data: str) -> list[str]:
    """The queries the fast engine ran (their text after the prologue)."""
    store = _Counting(store_of(data))
    fast.validate_store(store, shapes=shapes_graph(shapes), ontology=None)
    return [q[q.index("SELECT"):] for q in store.asked if "SELECT" in q]


def _searches(asked: list[str]) -> list[str]:
    return [q for q in asked if q.startswith("SELECT ?value WHERE { { SELECT ?value WHERE")]


def _joins(asked: list[str]) -> list[str]:
    """The value checks' own queries: the focus nodes joined to the values of the path."""
    return [q for q in asked if q.startswith("SELECT DISTINCT ?this ?value WHERE { { SELECT ?this WHERE")]


def _counts(asked: list[str]) -> list[str]:
    """The counts of the values and subjects of ex:p."""
    return [q for q in asked if q.startswith("SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this)")]


def _max_counts(asked: list[str]) -> list[str]:
    """The sh:maxCount checks' own queries: the values per subject counted."""
    return [q for q in asked if "GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > 1) } FILTER (EXISTS" in q]


def test_no_failing_value_on_the_path_no_join():
    asked = _asked(DATATYPE, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 .")
    assert len(_searches(asked)) == 1 and _joins(asked) == []


def test_a_failing_value_of_a_focus_node_is_found_by_the_join():
    data = 'ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p "two" .'
    assert both(DATATYPE, data) == {V("ex:b", "Datatype", "two")}
    asked = _asked(DATATYPE, data)
    assert len(_searches(asked)) == 1 and len(_joins(asked)) == 1


def test_a_failing_value_of_another_node_is_searched_then_not_reported():
    data = 'ex:a a ex:C ; ex:p 1 . ex:z a ex:Other ; ex:p "two" .'  # ex:z is no focus node
    assert both(DATATYPE, data) == set()
    assert len(_joins(_asked(DATATYPE, data))) == 1  # the search found "two": the join ran, and kept nothing


def test_a_path_given_two_datatypes_is_not_searched_first():
    shapes = DATATYPE + (" ex:T a sh:NodeShape ; sh:targetClass ex:D ; "
                         "sh:property [ sh:path ex:p ; sh:datatype xsd:string ] .")
    data = 'ex:a a ex:C ; ex:p 1 . ex:b a ex:D ; ex:p "x" . ex:c a ex:D ; ex:p 3 .'
    assert both(shapes, data) == {V("ex:c", "Datatype", "3")}
    asked = _asked(shapes, data)
    assert _searches(asked) == [] and len(_joins(asked)) == 2


def test_a_longer_path_is_not_searched_first():
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
              "sh:property [ sh:path ( ex:p ex:q ) ; sh:datatype xsd:integer ] .")
    data = 'ex:a a ex:C ; ex:p ex:x . ex:x ex:q "one" . ex:b a ex:C ; ex:p ex:y . ex:y ex:q 2 .'
    assert both(shapes, data) == {V("ex:a", "Datatype", "one", "ex:p/ex:q")}
    assert _searches(_asked(shapes, data)) == []


def test_few_focus_nodes_are_looked_up_not_searched_first():
    # one focus node beside eleven triples of the path: its values are looked up (_FewFocusNodes)
    data = "ex:a a ex:C ; ex:p 1 . " + " ".join(f"ex:o{i} ex:p {i} ." for i in range(11))
    asked = _asked(DATATYPE, data)
    assert _searches(asked) == [] and len(_joins(asked)) == 1  # the check itself, its values looked up
    wrong = data.replace("ex:a a ex:C ; ex:p 1", 'ex:a a ex:C ; ex:p "1"')
    assert both(DATATYPE, wrong) == {V("ex:a", "Datatype", "1")}


def test_a_list_of_terms_is_searched_first_too():
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( 1 2 ) ] ."
    asked = _asked(shapes, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 2 .")
    assert len(_searches(asked)) == 1 and _joins(asked) == []
    assert both(shapes, "ex:a a ex:C ; ex:p 1 . ex:b a ex:C ; ex:p 3 .") == {V("ex:b", "In", "3")}


def test_max_count_counts_the_path_once_for_two_shapes():
    asked = _asked(MAX_TWO, "ex:a a ex:C ; ex:p 1 . ex:b a ex:D ; ex:p 2 . ex:z ex:p 3 .")
    assert len(_counts(asked)) == 1  # as many values as subjects: no subject has two, no shape's own query
    assert _max_counts(asked) == []


def test_max_count_reports_each_shape_its_own_focus_nodes():
    data = "ex:a a ex:C ; ex:p 1 . ex:b a ex:D ; ex:p 2 , 3 . ex:z ex:p 4 , 5 ."
    assert both(MAX_TWO, data) == {V("ex:b", "MaxCount")}
    asked = _asked(MAX_TWO, data)
    assert len(_counts(asked)) == 1 and len(_max_counts(asked)) == 2


def test_max_count_of_a_subject_with_values_in_two_graphs():
    """A triple stated in two graphs is one value: counted twice, then the shape's own query finds no failure."""
    store = _Counting(store_of("ex:a a ex:C ; ex:p 1 ."))
    one = fast.ox.Literal("1", datatype=fast.ox.NamedNode(f"{XSD}integer"))
    a, p, g = (fast.ox.NamedNode(f"{EX}{n}") for n in "apg")
    store.store.add(fast.ox.Quad(a, p, one, g))
    graphs = [fast.ox.DefaultGraph(), fast.ox.NamedNode(f"{EX}g")]
    assert fast.validate_store(store, graphs, shapes=shapes_graph(MAX_TWO), ontology=None).results == []
    assert len(_max_counts([q[q.index("SELECT"):] for q in store.asked if "SELECT" in q])) == 1


def test_max_count_zero_is_never_skipped():
    shapes = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 0 ] ."
    assert both(shapes, "ex:a a ex:C ; ex:p 1 .") == {V("ex:a", "MaxCount")}
    assert _counts(_asked(shapes, "ex:a a ex:C ; ex:p 1 .")) == []


MIN_TWO = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] . "
           "ex:T a sh:NodeShape ; sh:targetClass ex:D ; "
           "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] .")  # T's results: warnings


def _merged(asked: list[str]) -> list[str]:
    return [q for q in asked if q.startswith("SELECT DISTINCT ?this ?k WHERE")]


def _lacking(asked: list[str]) -> list[str]:
    """The sh:minCount checks' own queries."""
    return [q for q in asked
            if q.startswith("SELECT DISTINCT ?this WHERE") and "MINUS { ?this <https://example.org/p>" in q]


def test_min_count_of_two_shapes_on_one_path_is_one_query():
    data = ("ex:a a ex:C . ex:b a ex:D . ex:c a ex:C , ex:D . "
            "ex:d a ex:C ; ex:p 1 . ex:e a ex:D ; ex:p 2 . ex:z ex:p 3 .")
    # each shape reports its own focus nodes; ex:c is one of both
    assert both(MIN_TWO, data) == {V("ex:a", "MinCount"), V("ex:b", "MinCount", severity="Warning"),
                                   V("ex:c", "MinCount"), V("ex:c", "MinCount", severity="Warning")}
    asked = _asked(MIN_TWO, data)
    assert len(_merged(asked)) == 1 and _lacking(asked) == []


def test_min_count_of_one_shape_on_a_path_is_its_own_query():
    shapes = MIN_TWO.split(" ex:T a")[0]
    assert both(shapes, "ex:a a ex:C . ex:b a ex:C ; ex:p 1 .") == {V("ex:a", "MinCount")}
    asked = _asked(shapes, "ex:a a ex:C . ex:b a ex:C ; ex:p 1 .")
    assert _merged(asked) == [] and len(_lacking(asked)) == 1


def test_min_count_of_few_focus_nodes_is_looked_up_not_merged():
    # each shape has one focus node beside eleven triples of the path: looked up (FILTER NOT EXISTS), not merged
    data = "ex:a a ex:C . ex:b a ex:D . " + " ".join(f"ex:o{i} ex:p {i} ." for i in range(11))
    assert both(MIN_TWO, data) == {V("ex:a", "MinCount"), V("ex:b", "MinCount", severity="Warning")}
    assert _merged(_asked(MIN_TWO, data)) == []


CLASS_TWO = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] . "
             "ex:T a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:q ; sh:class ex:K ] .")


def _class_joins(asked: list[str]) -> list[str]:
    """The class checks' own queries: the subjects of the failing values tested as focus nodes, the values found
    again in the query or bound to it (``_probes``)."""
    return [q for q in asked
            if q.startswith("SELECT DISTINCT ?this ?value WHERE { { SELECT DISTINCT ?value WHERE { { SELECT ?value WHERE")
            ] + _probes(asked)


def _probes(asked: list[str]) -> list[str]:
    """The checks' own queries with their failing values bound (``_Check.probe``)."""
    return [q for q in asked if q.startswith("SELECT DISTINCT ?this ?value WHERE { VALUES ?value {")]


def test_the_failing_values_of_two_paths_with_one_test_are_one_search():
    data = "ex:k1 a ex:K . ex:k2 a ex:K . ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:q ex:k2 ."
    asked = _asked(CLASS_TWO, data)
    assert len([q for q in asked if q.startswith("SELECT DISTINCT ?value ?k WHERE")]) == 1
    assert _searches(asked) == [] and _class_joins(asked) == []  # nothing fails: no shape's own query


def test_a_failing_value_on_one_of_two_paths_runs_that_shape_only():
    data = "ex:k1 a ex:K . ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:q ex:x . ex:c a ex:C ; ex:q ex:y ."
    assert both(CLASS_TWO, data) == {V("ex:b", "Class", "ex:x", "ex:q")}  # ex:c's ex:q is not S's path
    joins = _class_joins(_asked(CLASS_TWO, data))
    assert len(joins) == 1 and "<https://example.org/q>" in joins[0]


def test_the_failing_values_found_are_bound_in_the_query_that_finds_their_subjects():
    data = "ex:k1 a ex:K . ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:q ex:x , ex:k1 . ex:c a ex:D ; ex:q ex:x ."
    assert both(CLASS_TWO, data) == {V("ex:b", "Class", "ex:x", "ex:q"), V("ex:c", "Class", "ex:x", "ex:q")}
    assert [q.split("}")[0] for q in _probes(_asked(CLASS_TWO, data))] == [
        "SELECT DISTINCT ?this ?value WHERE { VALUES ?value { <https://example.org/x> "]
    node = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
            "ex:N a sh:NodeShape ; sh:class ex:K .")  # not merged: the search is the check's own
    data = "ex:k1 a ex:K . ex:a a ex:C ; ex:p ex:k1 , ex:x , ex:y . ex:b a ex:C ; ex:p ex:y . ex:c a ex:C ; ex:p ex:k1 ."
    assert both(node, data) == {V("ex:a", "Node", "ex:x"), V("ex:a", "Node", "ex:y"), V("ex:b", "Node", "ex:y"),
                                V("ex:x", "Class", "", "", severity="Violation"),
                                V("ex:y", "Class", "", "", severity="Violation")}
    probes = _probes(_asked(node, data))
    assert len(probes) == 1 and {"<https://example.org/x>", "<https://example.org/y>"} <= set(probes[0].split())


@pytest.mark.parametrize("odd, most", [('"x"', 1000), ("[ ]", 1000), ("ex:y", 1)])
def test_a_failing_value_that_cannot_be_bound_or_one_too_many_leaves_the_query_to_find_them(odd, most, monkeypatch):
    """A literal, a blank node, or more failing values than ``_PROBE_MOST``: the query finds them itself."""
    monkeypatch.setattr(fast, "_PROBE_MOST", most)
    data = f"ex:k1 a ex:K . ex:b a ex:D ; ex:q ex:x . ex:c a ex:D ; ex:q {odd} . ex:a a ex:C ; ex:p ex:k1 ."
    found = both(CLASS_TWO, data)
    assert V("ex:b", "Class", "ex:x", "ex:q") in found and len(found) == 2
    asked = _asked(CLASS_TWO, data)
    assert _probes(asked) == [] and len(_class_joins(asked)) == 1


def test_a_check_searching_alone_binds_as_many_failing_values_as_probe_most(monkeypatch):
    """The sh:node of one shape (not merged): two failing values bound at ``_PROBE_MOST`` 2, found again at 1."""
    node = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
            "ex:N a sh:NodeShape ; sh:class ex:K .")
    data = "ex:k1 a ex:K . ex:a a ex:C ; ex:p ex:x , ex:k1 . ex:b a ex:C ; ex:p ex:y ."
    for most, bound in ((2, 1), (1, 0)):
        monkeypatch.setattr(fast, "_PROBE_MOST", most)
        asked = _asked(node, data)
        assert len(_probes(asked)) == bound and len(_class_joins(asked)) == 1


def test_failing_values_are_read_up_to_ten_times_probe_most():
    """An anti-join gives a failing value once a triple: ten triples of one are bound, eleven are left to the query."""
    a = fast.ox.NamedNode(f"{EX}a")
    assert fast._few_iris(iter([a] * 10), 1) == [a] and fast._few_iris(iter([a] * 11), 1) is True
    assert fast._few_iris(iter([]), 1) == [] and fast._few_iris(iter([fast.ox.BlankNode()]), 1) is True


OR_NODE = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
           "ex:N a sh:NodeShape ; sh:or ( [ sh:class ex:K ] [ sh:datatype xsd:string ] ) .")


def test_an_or_of_a_class_and_a_datatype_tests_the_datatype_after_the_anti_join():
    """The search binds the values the anti-join leaves to a fresh variable before the datatype's FILTER (which
    Oxigraph would otherwise test on every value of the path, before the anti-join): the same results."""
    data = ('ex:k a ex:K . ex:a a ex:C ; ex:p ex:k , "s" , ex:x , 5 . ex:b a ex:C ; ex:p "t" . '
            'ex:c a ex:D ; ex:p ex:y .')
    found = both(OR_NODE, data)
    assert {(f, v) for f, c, v, *_ in found if c == "Node"} == {("ex:a", "ex:x"), ("ex:a", "5")}
    (search,) = _searches(_asked(OR_NODE, data))
    minus, bind, test = search.index("MINUS"), search.index("BIND (?value AS ?_v"), search.index("FILTER (")
    assert minus < bind < test and "DATATYPE(?value)" not in search


@pytest.mark.parametrize("members", ["[ sh:class ex:K ] [ sh:class ex:L ]", "[ sh:datatype xsd:string ] [ sh:datatype xsd:integer ]"])
def test_an_or_of_anti_joins_only_or_of_tests_only_binds_nothing(members):
    shapes = OR_NODE.replace("[ sh:class ex:K ] [ sh:datatype xsd:string ]", members)
    data = 'ex:k a ex:K . ex:a a ex:C ; ex:p ex:k , "s" , ex:x , 5 , 2.5 .'
    assert {(f, v) for f, c, v, *_ in both(shapes, data) if c == "Node"} == (
        {("ex:a", "ex:x"), ("ex:a", "ex:k"), ("ex:a", "2.5")} if "datatype" in members else {("ex:a", "s"), ("ex:a", "5"), ("ex:a", "2.5"),
                                                                          ("ex:a", "ex:x")})
    (search,) = _searches(_asked(shapes, data))
    assert "BIND" not in search


def test_a_merged_query_asks_the_graphs_validated():
    """The data in a named graph, validated as the query's dataset: the merged query reads that graph too."""
    store = store_of("")
    store.load(b"<https://example.org/a> a <https://example.org/C> . "
               b"<https://example.org/b> a <https://example.org/D> ; <https://example.org/p> 1 .",
               fast.ox.RdfFormat.TURTLE, to_graph=fast.ox.NamedNode(f"{EX}g"))
    report = fast.validate_store(store, [fast.ox.NamedNode(f"{EX}g")], shapes=shapes_graph(MIN_TWO), ontology=None)
    assert [(r.focus, r.severity) for r in report.results] == [(f"{EX}a", "Violation")]


def test_two_merged_queries_keep_their_own_rows():
    shapes = MIN_TWO + " " + MIN_TWO.replace("ex:S", "ex:S2").replace("ex:T", "ex:T2").replace("ex:p", "ex:q")
    data = "ex:a a ex:C ; ex:q 1 . ex:b a ex:D ; ex:p 1 ."  # ex:a lacks ex:p, ex:b lacks ex:q
    assert both(shapes, data) == {V("ex:a", "MinCount"), V("ex:b", "MinCount", "", "ex:q", "Warning")}
    assert len(_merged(_asked(shapes, data))) == 2


def test_a_merged_check_is_profiled_for_its_query_or_wait(monkeypatch):
    monkeypatch.setattr(fast, "time", _Ticks())  # each check: 1 "second" in its worker, 1 in the calling thread
    profile: dict = {}
    fast.validate_store(store_of("ex:a a ex:C . ex:b a ex:D ."), shapes=shapes_graph(MIN_TWO), ontology=None,
                        profile=profile)
    assert profile == {(f"{EX}S > {EX}p", "sh:MinCountConstraintComponent"): 2.0,
                       (f"{EX}T > {EX}p", "sh:MinCountConstraintComponent"): 2.0}
    profile.clear()  # and a check whose merged search finds nothing of its own
    fast.validate_store(store_of("ex:k1 a ex:K . ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:q ex:k1 ."),
                        shapes=shapes_graph(CLASS_TWO), ontology=None, profile=profile)
    assert profile == {(f"{EX}S > {EX}p", "sh:ClassConstraintComponent"): 2.0,
                       (f"{EX}T > {EX}q", "sh:ClassConstraintComponent"): 2.0}


@pytest.mark.parametrize("flags, failing", [("x", {"ab", "A b"}), ("s", {"ab", "A b"}), ("I", {"ab"}), ("iM", {"ab"}),
                                            ("ix", {"ab"}), ("", {"ab", "A b"})])
def test_pattern_flags_as_pyshacl_reads_them(flags, failing):
    """pySHACL honours i and m (in either case) and ignores s and x: "a b" matches ``^a b$`` whatever the flags."""
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^a b$" '
              + (f'; sh:flags "{flags}" ' if flags else "") + "] .")
    data = 'ex:a a ex:C ; ex:p "a b" . ex:b a ex:C ; ex:p "ab" . ex:c a ex:C ; ex:p "A b" .'
    expected = {V(f"ex:{n}", "Pattern", v) for n, v in (("b", "ab"), ("c", "A b")) if v in failing}
    assert both(shapes, data) == expected


def test_a_min_count_merged_does_not_drop_the_other_constraints_of_its_property():
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; '
              'sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:pattern "^a" ] .')
    data = 'ex:a a ex:C ; ex:p "b" . ex:c a ex:C .'
    assert both(shapes, data) == {V("ex:a", "Pattern", "b"), V("ex:c", "MinCount")}


def test_an_empty_list_of_terms_inside_a_nested_shape_passes_nothing():
    shapes = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
              "ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:in ( ) ] .")
    assert both(shapes, "ex:a a ex:C ; ex:p ex:x . ex:x ex:q 1 . ex:b a ex:C ; ex:p ex:y .") == {
        V("ex:a", "Node", "ex:x"), V("ex:x", "In", "1", "ex:q")}
