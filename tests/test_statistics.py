"""The description's statistics (publish/statistics.py): counted per graph, kept per stamp, and
corrected for the subjects graphs share; checked against a brute-force count over the union."""

import json
import os

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.publish import statistics
from ngograph.publish.describe import description_graph, describe_store
from ngograph.publish.statistics import KEPT, totals
from ngograph.rdf.namespaces import PROV, RDF
from ngograph.store import embedded
from ngograph.store.embedded import DESCRIPTION_GRAPH, GENERATIONS_GRAPH

E = "https://example.org/"
TYPE = ox.NamedNode(str(RDF.type))
NAME = ox.NamedNode("https://schema.org/name")
STAMP = ox.NamedNode(str(PROV.generatedAtTime))
VALUE = ox.NamedNode(str(RDF.value))
GRAPHS = [ox.DefaultGraph(), *(ox.NamedNode(f"{E}dataset/{n}") for n in ("a", "b", "c"))]


def brute_force(quads) -> tuple:
    """(distinct triples, typed subjects, subjects per IRI class, predicates, languages of names) of the union."""
    triples = {(q.subject, q.predicate, q.object) for q in quads if q.graph_name not in (DESCRIPTION_GRAPH, GENERATIONS_GRAPH)}
    typed = {(s, o) for s, p, o in triples if p == TYPE}
    classes: dict = {}
    for s, o in typed:
        if isinstance(o, ox.NamedNode):
            classes.setdefault(o.value, set()).add(s)
    languages = {o.language.lower() for s, p, o in triples
                 if p in (NAME, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))
                 and isinstance(o, ox.Literal) and o.language}
    return (len(triples), len({s for s, _ in typed}), {c: len(v) for c, v in classes.items()},
            {p.value for _, p, _ in triples}, languages)


def of(t) -> tuple:
    return t.triples, t.entities, t.classes, t.predicates, t.languages


def stamped(graph, when: str) -> list[ox.Quad]:
    """What an import writes: its import time (in its graph), and the graph's generation (its stamp)."""
    return [ox.Quad(graph, STAMP, ox.Literal(when), graph), ox.Quad(graph, VALUE, ox.Literal(f"gen {when}"), GENERATIONS_GRAPH)]


def restamp(store: ox.Store, graph, token: str) -> None:
    """The graph written again: a new generation."""
    for q in list(store.quads_for_pattern(graph, VALUE, None, GENERATIONS_GRAPH)):
        store.remove(q)
    store.add(ox.Quad(graph, VALUE, ox.Literal(token), GENERATIONS_GRAPH))


def small_store() -> tuple[ox.Store, list[ox.Quad]]:
    """Hand-made: x typed Project in the curated graph and in a (the same triple twice) and named in a;
    y typed Organization in a and b, and Project in b; z typed in c only; a triple on w stated by b and c."""
    x, y, z, w = (ox.NamedNode(f"{E}{n}") for n in "xyzw")
    project, orga = ox.NamedNode("https://schema.org/Project"), ox.NamedNode("https://schema.org/Organization")
    _, a, b, c = GRAPHS
    quads = [ox.Quad(x, TYPE, project), ox.Quad(x, TYPE, project, a), ox.Quad(x, NAME, ox.Literal("X", language="lv"), a),
             ox.Quad(y, TYPE, orga, a), ox.Quad(y, TYPE, orga, b), ox.Quad(y, TYPE, project, b),
             ox.Quad(z, TYPE, orga, c), ox.Quad(w, NAME, ox.Literal("W", language="EN"), b),
             ox.Quad(w, NAME, ox.Literal("W", language="EN"), c)]
    quads += stamped(a, "2026-01-01T00:00:01Z") + stamped(b, "2026-01-01T00:00:02Z") + stamped(c, "2026-01-01T00:00:03Z")
    store = ox.Store()
    store.extend(quads)
    return store, quads


def test_hand_counted_union():
    store, quads = small_store()
    t = totals(store)
    # 12 statements (3 of them import times); (x a Project), (y a Organization) and (w name "W"@en) stated twice:
    # 9 triples. Typed: x, y, z (the three graphs are not typed). Project: x, y; Organization: y, z.
    assert (t.triples, t.entities) == (9, 3)
    assert t.classes == {"https://schema.org/Project": 2, "https://schema.org/Organization": 2}
    assert t.languages == {"lv", "en"}
    assert of(t) == (*brute_force(quads)[:3], brute_force(quads)[3], {"lv", "en"})
    assert t.sizes == {"": 1, f"{E}dataset/a": 4, f"{E}dataset/b": 4, f"{E}dataset/c": 3}


def test_kept_counts_are_reused_and_a_new_stamp_counts_again(monkeypatch):
    store, quads = small_store()
    first = totals(store)
    store.extend(first.kept)
    counted = []  # (query, graph) of every query that counts a graph
    real = statistics._rows
    monkeypatch.setattr(statistics, "_rows", lambda s, name, g: counted.append((name, g)) or real(s, name, g))

    def counted_graphs() -> set:
        """The graphs counted, each by every query of its counts once (the two threads ask in either order)."""
        graphs = set(g for _, g in counted)
        assert sorted(counted, key=str) == sorted(((n, g) for n in statistics._PARTS for g in graphs), key=str)
        return graphs

    searched = []
    real_shared = statistics.shared_subjects
    monkeypatch.setattr(statistics, "shared_subjects", lambda s, g, others, sizes: searched.append((g, list(others)))
                        or real_shared(s, g, others, sizes))
    corrected = []
    real_add = statistics.Correction.add
    monkeypatch.setattr(statistics.Correction, "add", lambda self, s, subject, graphs, sign=1:
                        corrected.append(subject.value) or real_add(self, s, subject, graphs, sign))
    again = totals(store)
    assert counted_graphs() == {ox.DefaultGraph()} and searched == []  # a build: only the curated graph is counted
    assert corrected == [f"{E}x"]  # y and w, shared by imports only, are corrected as kept
    assert of(again) == of(first) and again.triples == 9
    # b imported anew: a new stamp and one more statement
    b = GRAPHS[2]
    restamp(store, b, "gen 2")
    store.add(ox.Quad(ox.NamedNode(f"{E}v"), TYPE, ox.NamedNode("https://schema.org/Project"), b))
    counted.clear()
    t = totals(store)
    assert counted_graphs() == {ox.DefaultGraph(), b}
    # b's pairs are searched again (b is the largest graph now: searched from a and c), the pair (a, c) is not
    assert sorted((g.value, [h.value for h in o]) for g, o in searched) == [
        (f"{E}dataset/a", [f"{E}dataset/b"]), (f"{E}dataset/c", [f"{E}dataset/b"])]
    assert of(t)[:3] == brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert t.classes["https://schema.org/Project"] == 3


def test_kept_nodes_are_in_the_description_graph_but_never_dumped(tmp_path):
    store, _ = small_store()
    describe_store(store, base=E)
    kept = [q for q in store.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH) if q.subject.value.startswith(KEPT)]
    assert len(kept) == 1 + 3 + 3 + 1  # the state, three graphs, three pairs, the corrections among them
    values = [json.loads(q.object.value) for q in kept if q.object.value.startswith("{")]
    assert sorted(v["graph"] for v in values if "graph" in v) == [f"{E}dataset/{n}" for n in "abc"]
    assert len([v for v in values if "shared" in v]) == 3  # the pairs, each with its two stamps
    # the subjects corrected: y (typed Organization by a and b) and w (named "W" by b and c)
    among = [v for v in values if "subjects" in v]
    assert [(sorted(v["stamps"]), v["subjects"]) for v in among] == [
        ([f"{E}dataset/{n}" for n in "abc"], {
            f"{E}y": {"triples": 1, "entities": 1, "classes": {"https://schema.org/Organization": 1}},
            f"{E}w": {"triples": 1, "entities": 0, "classes": {}}})]
    assert not [q for q in description_graph(store, E) if q.subject.value.startswith(KEPT)]


def test_a_kept_value_that_is_not_json_is_counted_again():
    store, quads = small_store()
    for q in totals(store).kept:
        store.add(ox.Quad(q.subject, q.predicate, ox.Literal("{not json"), q.graph_name))
    assert of(totals(store))[:3] == brute_force(quads)[:3]


terms = st.sampled_from([ox.NamedNode(f"{E}{n}") for n in "stuv"] + [ox.BlankNode("b1")])
objects = st.one_of(terms, st.sampled_from([ox.NamedNode("https://schema.org/Project"),
                                            ox.NamedNode("https://schema.org/Place"), ox.Literal("1"),
                                            ox.Literal("n", language="de"), ox.Literal("n", language="fr-CA")]))
predicates = st.sampled_from([TYPE, NAME, ox.NamedNode(f"{E}p")])
quads_st = st.lists(st.builds(ox.Quad, terms, predicates, objects, st.sampled_from(GRAPHS)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(quads_st, st.sampled_from([0.0, 1e9]), st.sets(st.sampled_from(GRAPHS[1:])))
def test_union_equals_brute_force_with_and_without_kept_counts(quads, lookup_cost, restamped):
    old = embedded._LOOKUP_COST
    embedded._LOOKUP_COST = lookup_cost  # both ways of finding shared subjects
    try:
        store = ox.Store()
        store.extend(quads)
        for n, g in enumerate(GRAPHS[1:]):
            if any(q.graph_name == g for q in quads):
                store.extend(stamped(g, f"2026-01-01T00:00:0{n}Z"))
        data = list(store)
        expected = brute_force(data)
        first = totals(store)
        assert of(first)[:4] == expected[:4] and first.languages == expected[4]
        store.extend(first.kept)
        for g in restamped:  # some graphs imported again, with one statement more
            if any(q.graph_name == g for q in quads):
                restamp(store, g, "gen again")
                store.add(ox.Quad(ox.NamedNode(f"{E}s"), TYPE, ox.NamedNode("https://schema.org/Place"), g))
        data = [q for q in store if q.graph_name != DESCRIPTION_GRAPH]
        expected = brute_force(data)
        again = totals(store)
        assert of(again)[:4] == expected[:4] and again.languages == expected[4]
    finally:
        embedded._LOOKUP_COST = old


@pytest.mark.parametrize("graphs", [1, 2])
def test_description_numbers_equal_a_recount_without_kept_counts(graphs):
    """The description's void:triples and class partitions, made with kept counts, equal those of a fresh count."""
    store, _ = small_store()
    describe_store(store, base=E)
    if graphs == 2:
        store.add(ox.Quad(ox.NamedNode(f"{E}x"), NAME, ox.Literal("X2"), ox.DefaultGraph()))
        describe_store(store, base=E)
    with_kept = sorted(str(q) for q in description_graph(store, E) if "void" in q.predicate.value)
    for q in [q for q in store.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH) if q.subject.value.startswith(KEPT)]:
        store.remove(q)
    describe_store(store, base=E)
    assert sorted(str(q) for q in description_graph(store, E) if "void" in q.predicate.value) == with_kept


def test_reconciling_the_same_again_leaves_the_graph_and_its_time(tmp_path):
    """Every build reconciles: a reconciliation graph that would state the same is not written again, so its
    generation time (and the description's counts kept for it) stay; a new decision writes it again."""
    from ngograph.reconcile.graph import RECONCILE_GRAPH, reconcile_store
    from ngograph.store.embedded import open_store, write_graph, write_store

    path, base = tmp_path / "store", "https://example.org/id/"
    write_store(path, b"")
    org = "<http://www.w3.org/ns/org#FormalOrganization>"
    for n, name in ((1, "Baltic Green Network"), (2, "BALTIC GREEN NETWORK")):
        o, d = f"<{base}organisation/x/{n}>", f"<{base}dataset/s{n}>"
        write_graph(path, ox.NamedNode(d[1:-1]), [(
            f"{o} <{RDF.type}> {org} .\n{o} <https://schema.org/name> \"{name}\" .\n"
            f"{o} <http://www.w3.org/2000/01/rdf-schema#label> \"{name}\" .\n"
            f"{o} <{PROV.wasDerivedFrom}> {d} .\n").encode()])

    def state():
        with open_store(path) as s:
            return path.resolve(), [q.object.value for q in s.quads_for_pattern(None, STAMP, None, RECONCILE_GRAPH)]

    assert reconcile_store(path, base, data=tmp_path / "data", queue=False).merged == 1
    first = state()
    assert len(first[1]) == 1
    assert reconcile_store(path, base, data=tmp_path / "data", queue=False).merged == 1
    assert state() == first  # the same store: nothing written
    (tmp_path / "data" / "reconcile").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "reconcile" / "decisions.csv").write_text(
        "left,right,decision\norganisation/x/1,organisation/x/2,reject\n", encoding="utf-8")
    assert reconcile_store(path, base, data=tmp_path / "data", queue=False).merged == 0
    assert state()[0] != first[0]


def test_every_write_of_a_graph_draws_a_new_generation_and_a_build_gives_old_graphs_one(tmp_path):
    from ngograph.store.embedded import generation, open_store, write_graph, write_store, written_lines

    path, g = tmp_path / "store", ox.NamedNode(f"{E}dataset/a")
    write_store(path, b"")
    line = f"<{E}x> <{E}p> \"1\" .\n".encode()

    def now():
        with open_store(path) as s:
            return generation(s.store, g), [q.graph_name for q in s.quads_for_pattern(g, VALUE, None, None)]

    def lines():
        with open_store(path) as s:
            return written_lines(s.store, g), len(list(s.quads_for_pattern(None, None, None, GENERATIONS_GRAPH)))

    write_graph(path, g, [line])
    first, where = now()
    assert first and where == [GENERATIONS_GRAPH] and lines() == (1, 2)
    write_graph(path, g, [line, line + line])  # the same statements again: a new generation all the same
    assert now()[0] not in (None, first)
    assert lines() == (3, 2)  # the lines loaded, not the statement they make: a count known without counting
    write_graph(path, g, None)  # dropped: no generation left, nor the lines written
    assert now() == (None, []) and lines() == (None, 0)
    write_graph(path, g, [line])
    second = now()[0]
    write_store(path, b"")  # a build keeps the generation of a graph that has one
    assert now()[0] == second and lines() == (1, 2)
    raw = ox.Store(os.path.realpath(path))  # as a store written before generations were kept
    for q in list(raw.quads_for_pattern(None, None, None, GENERATIONS_GRAPH)):
        raw.remove(q)
    raw.flush()
    del raw
    assert now() == (None, [])
    write_store(path, b"")  # the next build gives it one
    assert now()[0] not in (None, second)


def test_the_lines_written_are_read_only_from_the_generations_graph_and_only_as_a_whole_number():
    g = GRAPHS[1]
    store = ox.Store()
    store.add(ox.Quad(g, VALUE, ox.Literal("ga"), GENERATIONS_GRAPH))
    forged = written(g, "ga", 7)
    store.add(ox.Quad(forged.subject, forged.predicate, forged.object, ox.DefaultGraph()))  # stated by the data
    assert embedded.written_lines(store, g) is None
    for wrong in ("7", True, 7.0, None):
        store.add(embedded.keep_for_graph(embedded._WRITTEN, g, "ga", {"lines": wrong}, GENERATIONS_GRAPH))
        assert embedded.written_lines(store, g) is None, wrong
        store.remove_graph(GENERATIONS_GRAPH)
        store.add(ox.Quad(g, VALUE, ox.Literal("ga"), GENERATIONS_GRAPH))
    store.add(written(g, "ga", 7))
    assert embedded.written_lines(store, g) == 7


def written(graph, stamp: str, lines: int) -> ox.Quad:
    """What write_graph keeps beside a generation: the lines it loaded."""
    return embedded.keep_for_graph(embedded._WRITTEN, graph, stamp, {"lines": lines}, GENERATIONS_GRAPH)


def test_with_the_lines_written_the_searches_start_first_in_their_order_and_a_pair_is_kept_either_way(monkeypatch):
    """a (1 statement) and b (3) share y. Each with the lines written (b 1, a 100: wrong, as a hint may be): the search
    is the first query, from b's side, and the pair is kept as (b, a). Counted again at the same stamps, a is the
    smaller: the pair kept as (b, a) is found, no search. Without lines written: the counts first, then the search."""
    a, b = GRAPHS[1:3]
    y = ox.NamedNode(f"{E}y")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, a), ox.Quad(y, TYPE, project, b), ox.Quad(y, NAME, ox.Literal("Y"), b),
                  ox.Quad(ox.NamedNode(f"{E}z"), NAME, ox.Literal("Z"), b),
                  ox.Quad(a, VALUE, ox.Literal("ga"), GENERATIONS_GRAPH), written(a, "ga", 100),
                  ox.Quad(b, VALUE, ox.Literal("gb"), GENERATIONS_GRAPH), written(b, "gb", 1)])
    calls = []
    real_rows, real_search = statistics._rows, statistics.shared_subjects
    monkeypatch.setattr(statistics, "_rows", lambda s, name, g: calls.append(name) or real_rows(s, name, g))
    monkeypatch.setattr(statistics, "shared_subjects", lambda s, g, others, sizes: calls.append(
        (g.value[-1], [h.value[-1] for h in others])) or real_search(s, g, others, sizes))
    expected = brute_force(list(store))
    t = statistics.totals(store, threads=1)
    assert of(t)[:4] == expected[:4] and t.entities == 1
    assert calls[0] == ("b", ["a"]) and len(calls) == 1 + 4 * 3  # then the four counts of each graph, the curated too
    assert [k.subject for k in t.kept if k.subject == statistics.kept_node(statistics._PAIR, b.value, a.value)]
    store.remove_graph(DESCRIPTION_GRAPH)
    store.extend(t.kept)
    calls.clear()
    store.remove(written(a, "ga", 100))
    store.remove(written(b, "gb", 1))
    store.add(ox.Quad(ox.NamedNode(f"{E}x"), NAME, ox.Literal("X")))  # the curated graph: no stamp, counted every time
    again = statistics.totals(store, threads=1)
    assert of(again)[:4] == brute_force(list(store))[:4]
    assert calls == ["describe/predicates", "describe/entities", "describe/class-partitions", "describe/languages"]
    store.remove_graph(DESCRIPTION_GRAPH)
    store.extend(again.kept)
    for g in (a, b):  # both written again: no lines kept, so counted first, and searched after
        restamp(store, g, f"again {g.value}")
    calls.clear()
    assert of(statistics.totals(store, threads=1))[:4] == brute_force(list(store))[:4]
    assert calls[:4] == ["describe/predicates"] * 3 + ["describe/entities"] and calls[-1] == ("a", ["b"])


def test_corrections_add_up_over_subjects_and_keep_blank_nodes():
    """Two subjects each typed Project by two graphs: Project counts 2, not 3 or 4. A blank node the two graphs share
    stays that blank node in the kept pair: after a third graph is imported anew, the kept pair still corrects it."""
    a, b, c = GRAPHS[1:]
    project = ox.NamedNode("https://schema.org/Project")
    x, y, blank = ox.NamedNode(f"{E}x"), ox.NamedNode(f"{E}y"), ox.BlankNode("shared1")
    store = ox.Store()
    store.extend([ox.Quad(s, TYPE, project, g) for s in (x, y) for g in (a, b)]
                 + [ox.Quad(blank, NAME, ox.Literal("B"), g) for g in (a, b)] + [ox.Quad(ox.NamedNode(f"{E}z"), TYPE, project, c)]
                 + stamped(a, "1") + stamped(b, "2") + stamped(c, "3"))
    first = totals(store)
    assert first.classes == {"https://schema.org/Project": 3} and first.entities == 3
    assert first.triples == 2 + 1 + 1 + 3  # x and y typed (each by both graphs); the blank node's name; z typed; three import times
    store.extend(first.kept)
    restamp(store, c, "c again")
    store.add(ox.Quad(ox.NamedNode(f"{E}w"), TYPE, project, c))
    again = totals(store)
    assert again.classes == {"https://schema.org/Project": 4} and again.entities == 4
    assert again.triples == first.triples + 1


def test_a_graph_without_a_generation_is_counted_every_time():
    """A graph written before generations were kept (none): nothing is kept for it, nor for the corrections among
    the imports, so what it states anew is counted, and corrected where another graph states it too."""
    a, b = GRAPHS[1:3]
    project = ox.NamedNode("https://schema.org/Project")
    x, y = ox.NamedNode(f"{E}x"), ox.NamedNode(f"{E}y")
    store = ox.Store()
    store.extend([ox.Quad(x, TYPE, project, a), ox.Quad(x, TYPE, project, b), ox.Quad(y, TYPE, project, a)] + stamped(a, "1"))
    first = totals(store)
    assert (first.triples, first.entities, first.classes) == (3, 2, {"https://schema.org/Project": 2})
    assert [json.loads(q.object.value).get("graph") for q in first.kept] == [a.value]  # b's counts are not kept
    store.extend(first.kept)
    store.add(ox.Quad(y, TYPE, project, b))  # b states y too: shared now
    again = totals(store)
    assert (again.triples, again.entities, again.classes) == (3, 2, {"https://schema.org/Project": 2})


def test_a_class_that_is_not_an_iri_is_no_partition_even_when_two_graphs_state_it():
    a, b = GRAPHS[1:3]
    x = ox.NamedNode(f"{E}x")
    store = ox.Store()
    store.extend([ox.Quad(x, TYPE, ox.BlankNode("cls"), g) for g in (a, b)] + stamped(a, "1") + stamped(b, "2"))
    t = totals(store)
    assert (t.triples, t.entities, t.classes) == (1 + 2, 1, {})  # x typed once; two import times


def describe_again(store: ox.Store) -> statistics.Totals:
    """What a description does with the counts: the totals, and the description graph rewritten with what they keep."""
    t = totals(store)
    store.remove_graph(DESCRIPTION_GRAPH)
    store.extend(t.kept)
    return t


triples_st = st.lists(st.builds(lambda s, p, o: (s, p, o), terms, predicates, objects), max_size=10)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(GRAPHS[1:]), st.one_of(st.none(), triples_st),
                          st.one_of(st.none(), st.integers(0, 12))), min_size=1, max_size=6))
def test_rounds_of_imports_and_drops_keep_the_union_right(steps):
    """Graphs written anew (a new stamp, with or without the lines written, right or wrong) or dropped, one after the
    other, the description rewritten after each: every round's counts equal a brute-force count of the union, with
    what was kept from the rounds before."""
    store = ox.Store()
    for n, (graph, triples, lines) in enumerate(steps):
        store.remove_graph(graph)
        embedded._forget_generation(store, graph)
        if triples is not None:
            store.extend([ox.Quad(*t, graph) for t in triples] + stamped(graph, f"round {n}"))
            if lines is not None:
                store.add(written(graph, f"gen round {n}", lines))
        expected = brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])
        t = describe_again(store)
        assert of(t)[:4] == expected[:4] and t.languages == expected[4]


def test_only_the_subjects_a_changed_graph_describes_are_read_again(monkeypatch):
    """a and b share y and w; c shares v with b. c imported anew: u, which c shares with a now, is read; v, which c
    shared before, is no longer shared; y and w, which only a and b describe, are not read, their corrections kept."""
    a, b, c = GRAPHS[1:]
    y, w, v, u = (ox.NamedNode(f"{E}{n}") for n in "ywvu")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, g) for g in (a, b)] + [ox.Quad(w, NAME, ox.Literal("W"), g) for g in (a, b)]
                 + [ox.Quad(v, TYPE, project, g) for g in (b, c)] + [ox.Quad(u, NAME, ox.Literal("U"), a)]
                 + stamped(a, "1") + stamped(b, "2") + stamped(c, "3"))
    first = describe_again(store)
    assert first.classes == {"https://schema.org/Project": 2}
    read = []
    real_add = statistics.Correction.add
    monkeypatch.setattr(statistics.Correction, "add", lambda self, s, subject, graphs, sign=1:
                        read.append(subject.value) or real_add(self, s, subject, graphs, sign))
    store.remove_graph(c)
    restamp(store, c, "c again")
    store.extend([ox.Quad(u, NAME, ox.Literal("U"), c), ox.Quad(ox.NamedNode(f"{E}z"), TYPE, project, c)])
    again = describe_again(store)
    assert read == [u.value]
    assert (again.triples, again.entities, again.classes) == brute_force(
        [q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert again.classes == {"https://schema.org/Project": 3}  # y, v (now b's only), z
    read.clear()
    assert of(describe_again(store)) == of(again) and read == []  # nothing changed: nothing read


def test_a_lost_pair_reads_every_shared_subject_again(monkeypatch):
    """Where the pair a changed graph was kept in is missing, what it shared then is unknown: every shared subject is
    read again (and the counts stay right)."""
    store, quads = small_store()
    first = describe_again(store)
    for q in [q for q in first.kept if "shared" in json.loads(q.object.value)]:
        store.remove(q)
    read = []
    real_add = statistics.Correction.add
    monkeypatch.setattr(statistics.Correction, "add", lambda self, s, subject, graphs, sign=1:
                        read.append(subject.value) or real_add(self, s, subject, graphs, sign))
    restamp(store, GRAPHS[3], "c again")
    again = totals(store)
    assert {f"{E}y", f"{E}w"} <= set(read)
    assert of(again)[:3] == brute_force(quads)[:3]


@pytest.mark.parametrize("dropped", [False, True])
def test_a_subject_three_graphs_shared_is_read_again_when_one_no_longer_describes_it(dropped):
    """y typed Project by a, b and c (counted once: two corrections); c written anew without y, or dropped: a and b
    still share y, but its kept correction (made with c's statements) is stale, so y is read again."""
    a, b, c = GRAPHS[1:]
    y = ox.NamedNode(f"{E}y")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, g) for g in (a, b, c)] + stamped(a, "1") + stamped(b, "2") + stamped(c, "3"))
    first = describe_again(store)
    assert (first.triples, first.entities, first.classes) == (1 + 3, 1, {"https://schema.org/Project": 1})
    store.remove_graph(c)
    for q in list(store.quads_for_pattern(c, VALUE, None, GENERATIONS_GRAPH)):
        store.remove(q)
    if not dropped:
        store.extend([ox.Quad(ox.NamedNode(f"{E}z"), NAME, ox.Literal("Z"), c)] + stamped(c, "4"))
    again = describe_again(store)
    assert (again.triples, again.entities, again.classes) == brute_force(
        [q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert again.classes == {"https://schema.org/Project": 1}


def test_a_graph_without_a_generation_beside_kept_corrections_is_read_again():
    """a and c kept with their corrections; then b, written before generations were kept (none), states y as a does:
    what b shares is never taken from what was kept, so y (typed Project by a and b) counts once."""
    a, b, c = GRAPHS[1:]
    y, z = ox.NamedNode(f"{E}y"), ox.NamedNode(f"{E}z")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, a), ox.Quad(z, TYPE, project, a), ox.Quad(z, TYPE, project, c)]
                 + stamped(a, "1") + stamped(c, "3"))
    assert describe_again(store).classes == {"https://schema.org/Project": 2}
    store.extend([ox.Quad(y, TYPE, project, b), ox.Quad(b, STAMP, ox.Literal("2026-01-01"), b)])  # no generation
    t = describe_again(store)
    assert (t.triples, t.entities, t.classes) == brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert t.classes == {"https://schema.org/Project": 2}


def test_kept_corrections_and_pairs_are_read_only_from_the_description_graph():
    """Quads with the kept nodes' IRIs and wrong values in the curated graph (the data may say anything) are never read
    as what was kept: y, typed Project by a, b and c, then c written anew without it."""
    a, b, c = GRAPHS[1:]
    y = ox.NamedNode(f"{E}y")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, g) for g in (a, b, c)] + stamped(a, "1") + stamped(b, "2") + stamped(c, "3"))
    store.extend([ox.Quad(ox.NamedNode(f"{E}w"), NAME, ox.Literal("W"), g) for g in (a, b)])  # only a and b: kept
    describe_again(store)
    stamps = {g.value: f"gen {n}" for g, n in ((a, "1"), (b, "2"), (c, "3"))}
    forged = [ox.Quad(statistics._AMONG, VALUE, ox.Literal(json.dumps(
        {"stamps": stamps, "subjects": {}, "triples": 0, "entities": 0, "classes": {}})))]
    forged += [ox.Quad(embedded.kept_node(statistics._PAIR, g.value, h.value), VALUE,
                       ox.Literal(json.dumps({"stamps": [stamps[g.value], stamps[h.value]], "shared": []})))
               for g in (a, b, c) for h in (a, b, c) if g != h]
    store.extend(forged)
    store.remove_graph(c)
    restamp(store, c, "c again")
    store.add(ox.Quad(ox.NamedNode(f"{E}z"), NAME, ox.Literal("Z"), c))
    t = totals(store)
    assert (t.triples, t.entities, t.classes) == brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert t.classes == {"https://schema.org/Project": 1} and t.entities == 1


def test_a_kept_pair_without_its_subjects_reads_every_shared_subject_again():
    store, quads = small_store()
    first = describe_again(store)
    for q in [q for q in first.kept if "shared" in json.loads(q.object.value)]:
        value = json.loads(q.object.value)
        del value["shared"]
        store.remove(q)
        store.add(ox.Quad(q.subject, q.predicate, ox.Literal(json.dumps(value)), q.graph_name))
    restamp(store, GRAPHS[3], "c again")
    t = totals(store)
    assert of(t)[:3] == brute_force(quads)[:3]


def test_the_pairs_of_the_largest_graph_changed_are_found_in_the_order_they_were_kept(monkeypatch):
    """A pair is kept smaller graph first: c, the largest, imported anew finds its old pairs as (a, c) and (b, c), so
    only what c shared is read again (u), not y, which a and b share."""
    a, b, c = GRAPHS[1:]
    y, u = ox.NamedNode(f"{E}y"), ox.NamedNode(f"{E}u")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, g) for g in (a, b)] + [ox.Quad(u, NAME, ox.Literal("U"), g) for g in (a, c)]
                 + [ox.Quad(ox.NamedNode(f"{E}z{n}"), NAME, ox.Literal("Z"), c) for n in range(5)]
                 + stamped(a, "1") + stamped(b, "2") + stamped(c, "3"))
    describe_again(store)
    read = []
    real_add = statistics.Correction.add
    monkeypatch.setattr(statistics.Correction, "add", lambda self, s, subject, graphs, sign=1:
                        read.append(subject.value) or real_add(self, s, subject, graphs, sign))
    restamp(store, c, "c again")
    t = describe_again(store)
    assert read == [u.value]
    assert (t.triples, t.entities, t.classes) == brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]


def test_what_a_changed_graph_shared_with_each_other_graph_is_read_again():
    """c shared y with a and b, and w with d; c written anew without y: y, still shared by a and b, is read again
    (found in c's old pair with a, not only in its last one, with d), so it counts once, not with c's statement."""
    a, b, c = GRAPHS[1:]
    d = ox.NamedNode(f"{E}dataset/d")
    y, w = ox.NamedNode(f"{E}y"), ox.NamedNode(f"{E}w")
    project = ox.NamedNode("https://schema.org/Project")
    store = ox.Store()
    store.extend([ox.Quad(y, TYPE, project, g) for g in (a, b, c)] + [ox.Quad(w, NAME, ox.Literal("W"), g) for g in (c, d)]
                 + stamped(a, "1") + stamped(b, "2") + stamped(c, "3") + stamped(d, "4"))
    describe_again(store)
    store.remove_graph(c)
    restamp(store, c, "c again")
    store.add(ox.Quad(w, NAME, ox.Literal("W"), c))
    t = describe_again(store)
    assert (t.triples, t.entities, t.classes) == brute_force([q for q in store if q.graph_name != DESCRIPTION_GRAPH])[:3]
    assert t.classes == {"https://schema.org/Project": 1}
