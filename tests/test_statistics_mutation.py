"""Mutation survivors of ngograph/publish/statistics.py (tools/mutation.py, issue 14): tiny hand-made stores, every
count and every kept value written out by hand."""

from __future__ import annotations

import json

import pyoxigraph as ox

from ngograph.publish import statistics
from ngograph.publish.statistics import KEPT, totals
from ngograph.rdf.namespaces import PROV, RDF
from ngograph.store.embedded import DESCRIPTION_GRAPH, GENERATIONS_GRAPH, kept_node

E = "https://example.org/"
TYPE = ox.NamedNode(str(RDF.type))
NAME = ox.NamedNode("https://schema.org/name")
STAMP = ox.NamedNode(str(PROV.generatedAtTime))
VALUE = ox.NamedNode(str(RDF.value))
PROJECT, ORGA = "https://schema.org/Project", "https://schema.org/Organization"
A, B = ox.NamedNode(f"{E}dataset/a"), ox.NamedNode(f"{E}dataset/b")
X, Y, Z = (ox.NamedNode(f"{E}{n}") for n in "xyz")


def imported(graph, generation: str) -> list[ox.Quad]:
    """What an import writes besides its records: its import time, and the graph's generation."""
    return [ox.Quad(graph, STAMP, ox.Literal("2026-01-01"), graph), ox.Quad(graph, VALUE, ox.Literal(generation), GENERATIONS_GRAPH)]


def two_imports() -> ox.Store:
    """x a Project in the curated graph and in a; y an Organization in a and b, a Project in b, named in a;
    z named in b."""
    store = ox.Store()
    store.extend([ox.Quad(X, TYPE, ox.NamedNode(PROJECT)),
                  ox.Quad(X, TYPE, ox.NamedNode(PROJECT), A), ox.Quad(Y, TYPE, ox.NamedNode(ORGA), A),
                  ox.Quad(Y, NAME, ox.Literal("Y", language="lv"), A),
                  ox.Quad(Y, TYPE, ox.NamedNode(ORGA), B), ox.Quad(Y, TYPE, ox.NamedNode(PROJECT), B),
                  ox.Quad(Z, NAME, ox.Literal("Z", language="en"), B)] + imported(A, "gen a") + imported(B, "gen b"))
    return store


def kept_values(t) -> dict:
    """{kind of kept node (graph:, pair:, shared:): [its JSON values]}, each quad checked to be in the description graph."""
    out: dict = {}
    for q in t.kept:
        assert q.predicate == VALUE and q.graph_name == DESCRIPTION_GRAPH and q.subject.value.startswith(KEPT)
        # canonical text (keys sorted), so that the same counts are always kept as the same literal
        assert q.object.value == json.dumps(json.loads(q.object.value), sort_keys=True)
        kind = q.subject.value[len(KEPT):].split(":")[0]
        out.setdefault(kind, []).append(json.loads(q.object.value))
    return out


def test_two_imports_hand_counted_with_every_kept_value():
    t = totals(two_imports())
    # 1 + 4 + 4 statements; (x a Project) and (y a Organization) stated twice: 7 triples. Typed: x, y.
    assert (t.triples, t.entities) == (7, 2)
    assert t.classes == {PROJECT: 2, ORGA: 1}
    assert t.predicates == {str(RDF.type), NAME.value, STAMP.value}
    assert t.languages == {"lv", "en"}
    assert t.sizes == {"": 1, A.value: 4, B.value: 4}
    kept = kept_values(t)
    assert sorted(kept) == ["graph", "pair", "shared"]
    counts = {v["graph"]: v for v in kept["graph"]}
    assert counts == {
        A.value: {"graph": A.value, "stamp": "gen a", "counts": {
            "triples": 4, "entities": 2, "classes": {PROJECT: 1, ORGA: 1},
            "predicates": sorted([str(RDF.type), NAME.value, STAMP.value]), "languages": ["lv"]}},
        B.value: {"graph": B.value, "stamp": "gen b", "counts": {
            "triples": 4, "entities": 1, "classes": {PROJECT: 1, ORGA: 1},
            "predicates": sorted([str(RDF.type), NAME.value, STAMP.value]), "languages": ["en"]}}}
    assert kept["pair"] == [{"stamps": ["gen a", "gen b"], "shared": [Y.value]}]
    # y among the imports: (y a Organization) twice; typed by two graphs; Organization twice, Project once (no entry)
    y = {"triples": 1, "entities": 1, "classes": {ORGA: 1}}
    assert kept["shared"] == [{"stamps": {A.value: "gen a", B.value: "gen b"}, "subjects": {Y.value: y}, **y}]


def test_only_the_rdf_value_of_a_kept_node_in_the_description_graph_is_read():
    store = two_imports()
    right = totals(store)
    forged = {"graph": A.value, "stamp": "gen a", "counts": {"triples": 100, "entities": 50, "classes": {PROJECT: 50},
                                                              "predicates": [], "languages": []}}
    node = next(q.subject for q in right.kept if json.loads(q.object.value).get("graph") == A.value)
    text = ox.Literal(json.dumps(forged))
    store.extend([ox.Quad(node, NAME, text, DESCRIPTION_GRAPH), ox.Quad(node, VALUE, text, A),
                  ox.Quad(node, VALUE, text, GENERATIONS_GRAPH)])
    again = totals(store)
    # the forged quad in a is one of a's statements (7 + 1 triples); a is counted afresh
    assert (again.triples, again.entities, again.classes) == (8, 2, {PROJECT: 2, ORGA: 1})
    assert again.sizes[A.value] == 4 + 1


def test_nothing_kept_is_read_for_a_graph_without_a_generation():
    """b was written before generations were kept: a kept value for it (its counts, its pair with a), even one
    that matches its missing stamp, is never read; both are counted and searched afresh."""
    store = ox.Store()
    store.extend([ox.Quad(Y, TYPE, ox.NamedNode(ORGA), A), ox.Quad(Y, TYPE, ox.NamedNode(ORGA), B),
                  ox.Quad(B, STAMP, ox.Literal("2026-01-01"), B)] + imported(A, "gen a"))
    wrong = {"triples": 100, "entities": 50, "classes": {ORGA: 50}, "predicates": [], "languages": []}
    store.extend([ox.Quad(kept_node(statistics._GRAPH, B.value), VALUE,
                          ox.Literal(json.dumps({"graph": B.value, "counts": wrong})), DESCRIPTION_GRAPH),
                  ox.Quad(kept_node(statistics._PAIR, A.value, B.value), VALUE,
                          ox.Literal(json.dumps({"stamps": ["gen a", None], "shared": []})), DESCRIPTION_GRAPH)])
    t = totals(store)
    # (y a Organization) stated by a and b: once; the two import times
    assert (t.triples, t.entities, t.classes) == (3, 1, {ORGA: 1})
    assert [json.loads(q.object.value).get("graph") for q in t.kept] == [A.value]  # only a's counts kept


def test_the_curated_graph_and_one_import_are_corrected():
    store = ox.Store()
    store.extend([ox.Quad(X, TYPE, ox.NamedNode(PROJECT)), ox.Quad(X, NAME, ox.Literal("X", language="lv")),
                  ox.Quad(X, TYPE, ox.NamedNode(PROJECT), A), ox.Quad(Y, TYPE, ox.NamedNode(PROJECT), A)] + imported(A, "gen a"))
    t = totals(store)
    # 2 + 3 statements, (x a Project) twice: 4 triples; x and y typed, both Projects
    assert (t.triples, t.entities, t.classes) == (4, 2, {PROJECT: 2})
    assert t.sizes == {"": 2, A.value: 3}


def test_two_curated_subjects_an_import_also_types_are_each_corrected():
    """x and w typed Project by the curated graph and by a: Project counts 2, not 4 or 3 (each subject corrected, the
    corrections added up)."""
    store = ox.Store()
    w = ox.NamedNode(f"{E}w")
    store.extend([ox.Quad(s, TYPE, ox.NamedNode(PROJECT), g) for s in (X, w) for g in (ox.DefaultGraph(), A)]
                 + imported(A, "gen a"))
    t = totals(store)
    assert (t.triples, t.entities, t.classes) == (2 + 1, 2, {PROJECT: 2})
