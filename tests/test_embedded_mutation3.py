"""Mutation survivors of the newer functions of ngograph/store/embedded.py (tools/mutation.py, issue 14):
``generation`` and ``_new_generation`` (what ``write_graph`` and ``write_store`` do to the generations graph),
``graph_statements``, ``shared_subjects``, ``restated`` and ``Locations``. Tiny hand-made stores, every value
written out by hand."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from ngograph.errors import StoreError
from ngograph.rdf.namespaces import NGO, RDF
from ngograph.store import embedded
from ngograph.store.embedded import (BUILD_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH, VOCAB_GRAPH, Locations,
                                     ReadOnlyStore, generation, graph_statements, open_store, read_locations,
                                     restated, shared_subjects, write_graph, write_store)

E = "https://example.org/"
VALUE = ox.NamedNode(str(RDF.value))
P, Q = ox.NamedNode(f"{E}p"), ox.NamedNode(f"{E}q")
G, H, K = (ox.NamedNode(f"{E}dataset/{n}") for n in "ghk")
A, B, C, D = (ox.NamedNode(f"{E}{n}") for n in "abcd")
RECORD, CURATED = ox.NamedNode(str(NGO.sourceRecord)), ox.NamedNode(str(NGO.curatedAt))


def lit(text: str) -> ox.Literal:
    return ox.Literal(text)


# --- generation ---------------------------------------------------------------------------------------------

def test_generation_is_the_value_of_that_graph_in_the_generations_graph_only():
    s = ox.Store()
    s.extend([ox.Quad(G, VALUE, lit("gen-g"), GENERATIONS_GRAPH), ox.Quad(H, VALUE, lit("gen-h"), GENERATIONS_GRAPH),
              # k has no generation: an rdf:value of k in another graph, another predicate of k in the generations graph
              ox.Quad(K, VALUE, lit("a description"), DESCRIPTION_GRAPH), ox.Quad(K, P, lit("other"), GENERATIONS_GRAPH)])
    assert generation(s, G) == "gen-g"
    assert generation(s, H) == "gen-h"
    assert generation(s, K) is None
    assert generation(ox.Store(), G) is None


def generations(path) -> dict:
    """{graph IRI: [its generations]} of the store at ``path``; beside them in the generations graph, only the lines
    written into a graph (``embedded.written_lines``), at its generation, one node for each such graph."""
    with open_store(path) as s:
        out: dict = {}
        written: dict = {}
        for q in s.quads_for_pattern(None, None, None, GENERATIONS_GRAPH):
            assert q.predicate == VALUE and isinstance(q.object, ox.Literal)
            if q.subject.value.startswith(embedded._WRITTEN):
                kept = json.loads(q.object.value)
                assert q.subject == embedded.kept_node(embedded._WRITTEN, kept["graph"]) and kept["graph"] not in written
                written[kept["graph"]] = kept["stamp"]
            else:
                out.setdefault(q.subject.value, []).append(q.object.value)
        assert all(out.get(graph) == [stamp] for graph, stamp in written.items()), (out, written)
        return out


def line(n: int) -> bytes:
    return f"<{E}s{n}> <{E}p> \"{n}\" .\n".encode()


@pytest.mark.parametrize("rest", [0, 40], ids=["graph-large-beside-the-rest-copied", "graph-small-rewritten-in-place"])
def test_every_write_draws_one_fresh_hex_generation_and_a_drop_removes_it(tmp_path, rest):
    path = tmp_path / "store"
    write_store(path, b"".join(line(1000 + n) for n in range(rest)))
    write_graph(path, H, [line(1)])
    write_graph(path, G, [line(2), line(3)])
    first = generations(path)
    assert sorted(first) == [G.value, H.value] and all(len(v) == 1 for v in first.values())
    assert all(re.fullmatch(r"[0-9a-f]{32}", v[0]) for v in first.values())  # uuid4().hex
    assert first[G.value] != first[H.value]
    write_graph(path, G, [line(2), line(3)])  # written again: one new generation, h's untouched
    second = generations(path)
    assert second[H.value] == first[H.value] and len(second[G.value]) == 1
    assert second[G.value] != first[G.value] and re.fullmatch(r"[0-9a-f]{32}", second[G.value][0])
    with open_store(path) as s:
        assert graph_statements(s.store, G) == 2 and graph_statements(s.store, ox.DefaultGraph()) == rest
    write_graph(path, G, None)  # dropped: its generation goes with it
    assert generations(path) == {H.value: first[H.value]}
    write_graph(path, K, [])  # an empty graph written is a write all the same
    after = generations(path)
    assert after[H.value] == first[H.value] and re.fullmatch(r"[0-9a-f]{32}", after[K.value][0])


def test_a_build_gives_a_generation_to_source_graphs_only_and_keeps_those_they_have(tmp_path):
    path = tmp_path / "store"
    write_store(path, line(1), build_nt=line(2), vocab_nt=line(3))
    assert generations(path) == {}  # the store's own graphs get none
    write_graph(path, G, [line(4)])
    kept = generations(path)[G.value]
    raw = ox.Store(str(path.resolve()))  # h and the description written as before generations were kept
    raw.extend([ox.Quad(A, P, lit("1"), H), ox.Quad(A, P, lit("2"), DESCRIPTION_GRAPH)])
    raw.flush()
    del raw
    write_store(path, line(1), build_nt=line(2), vocab_nt=line(3))
    now = generations(path)
    assert sorted(now) == [G.value, H.value]
    assert now[G.value] == kept and len(now[H.value]) == 1 and re.fullmatch(r"[0-9a-f]{32}", now[H.value][0])
    write_store(path, line(1), build_nt=line(2), vocab_nt=line(3))  # and the next build keeps both
    assert generations(path) == now


def test_a_rewrite_removes_only_the_generation_of_that_graph(tmp_path):
    path = tmp_path / "store"
    write_store(path, f"<{G.value}> <{VALUE.value}> \"curated\" .\n".encode())
    write_graph(path, H, [f"<{G.value}> <{VALUE.value}> \"from h\" .\n".encode()])
    write_graph(path, G, [line(1), f"<{G.value}> <{VALUE.value}> \"itself\" .\n".encode()])
    write_graph(path, G, [line(1), f"<{G.value}> <{VALUE.value}> \"itself\" .\n".encode()])
    with open_store(path) as s:
        assert sorted((q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", q.object.value)
                      for q in s.quads_for_pattern(G, VALUE, None, None) if q.graph_name != GENERATIONS_GRAPH) == [
            ("", "curated"), (G.value, "itself"), (H.value, "from h")]
    assert sorted(generations(path)) == [G.value, H.value] and len(generations(path)[G.value]) == 1


# --- graph_statements, restated -------------------------------------------------------------------------------

def test_graph_statements_counts_one_graph():
    s = ox.Store()
    bnode_graph = ox.BlankNode("g")
    s.extend([ox.Quad(A, P, lit("1")), ox.Quad(A, P, lit("2")),
              ox.Quad(A, P, lit("1"), G), ox.Quad(B, P, lit("1"), G), ox.Quad(C, P, lit("1"), G),
              ox.Quad(A, P, lit("1"), H), ox.Quad(A, Q, lit("9"), bnode_graph)])
    assert graph_statements(s, ox.DefaultGraph()) == 2
    assert graph_statements(s, G) == 3
    assert graph_statements(s, H) == 1
    assert graph_statements(s, K) == 0
    assert graph_statements(s, bnode_graph) == 1  # any graph name, not only IRIs and the default graph


def test_restated_counts_statements_made_again_within_the_graphs_given():
    s = ox.Store()
    s.extend([ox.Quad(A, P, lit("1")), ox.Quad(A, P, lit("1"), G), ox.Quad(A, P, lit("1"), H),
              ox.Quad(A, P, lit("2"), G), ox.Quad(A, Q, lit("2"), H), ox.Quad(A, P, lit("2"), K),
              ox.Quad(B, P, lit("1"), G), ox.Quad(B, P, lit("1"), H)])
    assert restated(s, A, [ox.DefaultGraph(), G, H]) == 2  # (p "1") three times; (p "2") and (q "2") once each
    assert restated(s, A, [G, H, K]) == 2  # (p "1") twice, (p "2") twice
    assert restated(s, A, [G]) == 0
    assert restated(s, A, (g for g in [G, K])) == 1  # any iterable: (p "2") in g and k
    assert restated(s, B, [G, H]) == 1
    assert restated(s, C, [G, H]) == 0


# --- shared_subjects -------------------------------------------------------------------------------------------

def shared_store() -> ox.Store:
    """g describes a, b, c; h describes a and d (and names b only as an object); k describes b and c."""
    s = ox.Store()
    s.extend([ox.Quad(A, P, lit("1"), G), ox.Quad(B, P, lit("1"), G), ox.Quad(C, P, A, G),
              ox.Quad(A, Q, lit("2"), H), ox.Quad(D, P, B, H),
              ox.Quad(B, P, lit("1"), K), ox.Quad(C, Q, lit("3"), K), ox.Quad(D, P, lit("1"))])
    return s


def chosen(monkeypatch) -> list:
    """The names of the queries shared_subjects loads, recorded."""
    names: list = []
    original = embedded.load_query

    def spy(name):
        names.append(name)
        return original(name)

    monkeypatch.setattr(embedded, "load_query", spy)
    return names


# (size of g, size of h, size of k, the query): looked up while size(g) * 7 <= (size(h) + size(k)) * 0.5
@pytest.mark.parametrize("sizes,kind", [((2, 10, 18), "lookup"), ((3, 10, 18), "hashed"), ((1, 14, 0), "lookup"),
                                        ((2, 14, 0), "hashed"), ((100, 1, 1), "hashed")])
def test_shared_subjects_by_graph_with_the_search_the_sizes_call_for(monkeypatch, sizes, kind):
    s, names = shared_store(), chosen(monkeypatch)
    found = shared_subjects(s, G, [H, K], dict(zip((G, H, K), sizes)))
    assert found == {H: {A}, K: {B, C}}
    assert names == [f"store/shared-subjects-{kind}"]


def test_shared_subjects_with_no_other_graph_and_with_none_shared(monkeypatch):
    s, names = shared_store(), chosen(monkeypatch)
    assert shared_subjects(s, G, [], {G: 3}) == {}
    assert names == []  # nothing to search
    assert shared_subjects(s, H, [K], {H: 2, K: 2}) == {K: set()}
    assert shared_subjects(s, K, [H, G], {H: 2, K: 2, G: 3}) == {H: set(), G: {B, C}}


# --- Locations ---------------------------------------------------------------------------------------------------

def locations_store() -> ox.Store:
    s, blank = ox.Store(), ox.BlankNode("r1")
    s.extend([ox.Quad(A, RECORD, lit("x.csv:row 2"), G), ox.Quad(A, CURATED, lit("data/p.yaml:4"), BUILD_GRAPH),
              ox.Quad(B, RECORD, lit("x.csv:row 3"), G), ox.Quad(B, RECORD, lit("ignored"), BUILD_GRAPH),
              ox.Quad(B, CURATED, lit("not curated here"), G),
              ox.Quad(C, CURATED, lit("data/a.yaml:1"), BUILD_GRAPH), ox.Quad(C, CURATED, lit("data/a.yaml:9"), BUILD_GRAPH),
              ox.Quad(D, RECORD, lit("y.csv:row 5"), G), ox.Quad(D, RECORD, lit("z.csv:row 7"), H),
              ox.Quad(blank, RECORD, lit("b.csv:row 1"), H), ox.Quad(K, P, lit("no record"), G)])
    return s


def test_locations_as_read_locations_gives_them_record_by_record(tmp_path):
    s = locations_store()
    where = Locations(s)
    assert where.get(A.value) == "data/p.yaml:4"  # the curated location first
    assert where.get(B.value) == "x.csv:row 3"  # a record in the build graph, a curatedAt outside it: neither counts
    assert where.get("r1") == "b.csv:row 1"  # a blank node, by its id
    assert where.get(f"{E}none") is None and where.get(f"{E}none", "-") == "-"
    assert where.get(K.value, "-") == "-"  # described, but with no record
    assert where.get("not an IRI nor a blank node", "-") == "-"
    assert where.get("not an IRI nor a blank node") is None
    # two of a kind: the one read_locations keeps from the same store (the last read)
    path = tmp_path / "store"
    on_disk = ox.Store(str(path))
    on_disk.extend(s)
    on_disk.flush()
    del on_disk
    with open_store(path) as st:
        every = read_locations(st)
        assert every[C.value] in ("data/a.yaml:1", "data/a.yaml:9") and every[D.value] in ("y.csv:row 5", "z.csv:row 7")
        assert Locations(st).get(C.value) == every[C.value]
        assert Locations(st).get(D.value) == every[D.value]
        assert {k: Locations(st).get(k) for k in every} == every


def test_locations_are_looked_up_once_and_read_from_the_store_given(tmp_path):
    s = locations_store()
    where = Locations(s)
    assert where.get(A.value, "-") == "data/p.yaml:4"
    assert where.get(f"{E}none", "-") == "-"
    s.clear()  # what was looked up is kept, what was not is looked up now
    assert where.get(A.value, "-") == "data/p.yaml:4"
    assert where.get(f"{E}none", "x") == "x"
    assert where.get(B.value, "-") == "-"
    path = tmp_path / "store"
    on_disk = ox.Store(str(path))
    on_disk.extend(locations_store())
    on_disk.flush()
    del on_disk
    with open_store(path) as st:
        where = Locations(st)
        assert where.source is st  # an open store is used as it is
        assert where.get(A.value) == "data/p.yaml:4"


class _Unreadable:
    """A store whose every read fails as a corrupt or vanished store's does."""

    def quads_for_pattern(self, *pattern):
        raise OSError("no such file")


def test_a_location_that_cannot_be_read_is_one_line_naming_the_store(tmp_path):
    where = Locations(ReadOnlyStore(_Unreadable(), tmp_path / "store", None))
    with pytest.raises(StoreError) as err:
        where.get(A.value)
    assert str(err.value) == (f"cannot read the locations from the store at {tmp_path / 'store'}: no such file; "
                              "rebuild it with `ngograph build`")
