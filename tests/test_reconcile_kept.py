"""What reconciliation reads of an imported graph, kept beside the graph's generation (reconcile.graph._keep, with the
reconciliation's write or alone): the same records as reading the graphs, read again only where a graph changed,
never published."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.reconcile import graph as R
from ngograph.store.embedded import (GENERATIONS_GRAPH, KEPT_GRAPH, generation, open_store, published_graphs,
                                     query_dataset, write_graph)

ROOT = Path(__file__).resolve().parent.parent
IATI = ROOT / "tests" / "fixtures" / "sources" / "iati" / "dportal15_nordic_ngos.xml"
CORDIS = ROOT / "tests" / "fixtures" / "sources" / "cordis" / "h2020.csv"
E = "https://w3id.org/ngograph/id/"
IATI_GRAPH, CORDIS_GRAPH = ox.NamedNode(f"{E}dataset/iati"), ox.NamedNode(f"{E}dataset/cordis")


def test_the_fixtures_are_there():
    assert IATI.is_file() and CORDIS.is_file()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """The curated data, the IATI and the CORDIS fixtures imported (each import's reconciliation keeps what it read)."""
    store = tmp_path_factory.mktemp("kept") / "store"
    assert main(["build", "--store", str(store)]) == 0
    assert main(["import", "iati", str(IATI), "--store", str(store), "--quiet"]) == 0
    assert main(["import", "cordis", str(CORDIS), "--store", str(store), "--quiet"]) == 0
    return store


@pytest.fixture
def queried(monkeypatch) -> list:
    """The graphs that ``reconcile/organisations`` is run on, in order."""
    graphs = []
    real = R._rows
    monkeypatch.setattr(R, "_rows", lambda s, g: graphs.append(g) or real(s, g))
    return graphs


def records(store, **kw) -> list[tuple]:
    with open_store(store) as s:
        return [dataclasses.astuple(r) for r in R.read_organisations(s, **kw)]


def kept(store: ox.Store) -> dict:
    """What the kept graph holds: graph IRI -> the kept value."""
    out = {}
    for q in store.quads_for_pattern(None, None, None, KEPT_GRAPH):
        value = json.loads(q.object.value)
        out[value["graph"]] = value
    return out


def test_each_import_keeps_its_rows_under_its_generation(imported):
    with open_store(imported) as s:
        held = kept(s.store)
        assert sorted(held) == [CORDIS_GRAPH.value, IATI_GRAPH.value]
        for g in (IATI_GRAPH, CORDIS_GRAPH):
            assert held[g.value]["stamp"] == generation(s.store, g)
            assert held[g.value]["rows"] == R._rows(s.store, g) != []


def test_kept_rows_give_the_records_that_reading_gives(imported, queried, monkeypatch):
    from_kept = records(imported)
    assert queried == [ox.DefaultGraph()]  # the curated graph alone is read: it has no generation
    monkeypatch.setattr(R, "_kept_rows", lambda s, g: (None, None))
    assert records(imported) == from_kept
    # the organisations of both imports are there, the IATI fixture's publisher among them
    assert {"iati", "cordis", "curated"} <= {source for _, source, *_ in from_kept}
    for sources in (["iati"], ["cordis", "curated"]):
        monkeypatch.undo()
        kept_records = records(imported, sources=sources)
        monkeypatch.setattr(R, "_kept_rows", lambda s, g: (None, None))
        assert records(imported, sources=sources) == kept_records


def test_the_build_after_an_import_carries_the_kept_rows_and_reads_only_the_curated_graph(imported, tmp_path, queried):
    store = tmp_path / "store"
    shutil.copytree(imported.parent / "stores", tmp_path / "stores", symlinks=True)
    store.symlink_to(imported.readlink())
    before = records(store)
    queried.clear()
    assert main(["build", "--store", str(store)]) == 0
    assert queried == [ox.DefaultGraph()]
    with open_store(store) as s:
        assert sorted(kept(s.store)) == [CORDIS_GRAPH.value, IATI_GRAPH.value]
    assert records(store) == before


def test_a_graph_written_again_is_read_again_and_kept_by_the_next_reconciliation(imported, tmp_path, queried):
    store = tmp_path / "store"
    shutil.copytree(imported.parent / "stores", tmp_path / "stores", symlinks=True)
    store.symlink_to(imported.readlink())
    assert main(["import", "iati", str(IATI), "--store", str(store), "--quiet", "--no-reconcile"]) == 0
    assert queried == []  # an import without reconciliation reads nothing of the kind
    before = records(store)
    assert queried == [ox.DefaultGraph(), IATI_GRAPH]  # a new generation: read again; CORDIS's rows still good
    queried.clear()
    assert main(["build", "--store", str(store)]) == 0  # reconciles: the rows read are kept
    assert queried == [ox.DefaultGraph(), IATI_GRAPH]
    queried.clear()
    with open_store(store) as s:
        stamps = {g: generation(s.store, g) for g in (IATI_GRAPH, CORDIS_GRAPH)}
        assert {g: kept(s.store)[g.value]["stamp"] for g in stamps} == stamps
    assert records(store) == before and queried == [ox.DefaultGraph()]


def store_of(*quads) -> ox.Store:
    s = ox.Store()
    s.extend(quads)
    return s


ORG = ox.NamedNode("http://www.w3.org/ns/org#FormalOrganization")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")


def tiny() -> ox.Store:
    """Two imported graphs a and b with one organisation each (b without a generation), and the curated one."""
    a, b = ox.NamedNode(f"{E}dataset/a"), ox.NamedNode(f"{E}dataset/b")
    x, y, z = (ox.NamedNode(f"{E}organisation/{n}") for n in "xyz")
    return store_of(ox.Quad(x, TYPE, ORG, a), ox.Quad(x, LABEL, ox.Literal("X", language="en"), a),
                    ox.Quad(y, TYPE, ORG, b), ox.Quad(y, LABEL, ox.Literal("Y"), b),
                    ox.Quad(z, TYPE, ORG), ox.Quad(z, LABEL, ox.Literal("Z")),
                    ox.Quad(a, VALUE, ox.Literal("gen a"), GENERATIONS_GRAPH))


def test_rows_by_hand():
    s = tiny()
    assert R._rows(s, ox.NamedNode(f"{E}dataset/a")) == [[f"{E}organisation/x", "label", "X", None, None, None]]


def rows_kept(s: ox.Store, graph) -> list | None:
    """The rows kept of ``graph`` (while its generation is unchanged), or None."""
    return R._kept_rows(s, graph)[1]


def keep(s: ox.Store) -> None:
    """Read the organisations of ``s`` and keep what was read, as a reconciliation does."""
    read: dict = {}
    R.read_organisations(s, read=read)
    R._keep(s, read)


def test_only_a_graph_with_a_generation_is_kept_and_a_stale_or_broken_value_is_not_read():
    s = tiny()
    a = ox.NamedNode(f"{E}dataset/a")
    keep(s)
    assert sorted(kept(s)) == [a.value]  # b has no generation: nothing kept of it
    assert R._kept_rows(s, a) == ("gen a", [[f"{E}organisation/x", "label", "X", None, None, None]])
    assert R._kept_rows(s, ox.DefaultGraph()) == (None, None)
    # a new generation: the kept rows are stale
    s.remove(ox.Quad(a, VALUE, ox.Literal("gen a"), GENERATIONS_GRAPH))
    s.add(ox.Quad(a, VALUE, ox.Literal("gen a2"), GENERATIONS_GRAPH))
    assert R._kept_rows(s, a) == ("gen a2", None)
    keep(s)  # kept anew, the stale value replaced
    assert [json.loads(q.object.value)["stamp"] for q in s.quads_for_pattern(None, None, None, KEPT_GRAPH)] == ["gen a2"]
    assert R._kept_rows(s, a)[1] is not None
    # a value that is not JSON, or kept for another graph under this node: read the graph
    [q] = list(s.quads_for_pattern(None, None, None, KEPT_GRAPH))
    for broken in ("{not json", json.dumps({"graph": f"{E}dataset/other", "stamp": "gen a2", "rows": []})):
        s.remove(q)
        q = ox.Quad(q.subject, q.predicate, ox.Literal(broken), KEPT_GRAPH)
        s.add(q)
        assert R._kept_rows(s, a) == ("gen a2", None)


def test_an_empty_graph_keeps_no_rows_and_is_not_read_again(queried):
    a = ox.NamedNode(f"{E}dataset/a")
    s = store_of(ox.Quad(a, VALUE, ox.Literal("gen a"), GENERATIONS_GRAPH),
                 ox.Quad(ox.NamedNode(f"{E}project/p"), LABEL, ox.Literal("P"), a))
    keep(s)
    assert R._kept_rows(s, a) == ("gen a", [])
    queried.clear()
    assert R.read_organisations(s) == [] and queried == [ox.DefaultGraph()]


def test_what_was_kept_of_a_graph_no_longer_held_is_removed():
    s = tiny()
    a = ox.NamedNode(f"{E}dataset/a")
    keep(s)
    s.remove_graph(a)
    keep(s)
    assert kept(s) == {}


def test_the_kept_graph_is_never_published(imported):
    with open_store(imported) as s:
        graphs = published_graphs(s.store)
        assert KEPT_GRAPH not in graphs and s.store.contains_named_graph(KEPT_GRAPH)
        seen = {r["g"] for r in s.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                             **query_dataset(graphs))}
        assert KEPT_GRAPH not in seen and IATI_GRAPH in seen
        rows = list(s.store.query(f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{R._KEPT}')) }}",
                                  **query_dataset(graphs)))
        assert rows == []


def test_a_drop_leaves_the_records_of_the_rest(imported, tmp_path, queried):
    store = tmp_path / "store"
    shutil.copytree(imported.parent / "stores", tmp_path / "stores", symlinks=True)
    store.symlink_to(imported.readlink())
    assert main(["import", "--drop", "cordis", "--store", str(store)]) == 0
    queried.clear()
    got = records(store)
    assert queried == [ox.DefaultGraph()] and "cordis" not in {source for _, source, *_ in got}
    with open_store(store) as s:
        assert rows_kept(s.store, IATI_GRAPH) is not None


def test_a_reconciliation_that_changes_nothing_keeps_what_it_read_and_another_write_carries_it(tmp_path, queried):
    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    g, other = ox.NamedNode(f"{E}dataset/t"), ox.NamedNode(f"{E}dataset/u")
    t = f"{E}organisation/t"
    write_graph(store, g, [f'<{t}> <{TYPE.value}> <{ORG.value}> .\n<{t}> <{LABEL.value}> "T" .\n'.encode()])
    with open_store(store) as s:
        assert rows_kept(s.store, g) is None and not s.store.contains_named_graph(R.RECONCILE_GRAPH)
    R.reconcile_store(store, E, queue=False)  # T merges with nothing: no reconciliation graph, the rows kept alone
    write_graph(store, other, [f'<{E}organisation/u> <{LABEL.value}> "U" .\n'.encode()])
    with open_store(store) as s:
        assert rows_kept(s.store, g) == [[t, "label", "T", None, None, None]]
        assert rows_kept(s.store, other) is None and not s.store.contains_named_graph(R.RECONCILE_GRAPH)
    queried.clear()
    R.reconcile_store(store, E, queue=False)
    assert queried == [ox.DefaultGraph(), other]


def test_published_data_is_never_taken_for_kept_rows_nor_removed_as_such():
    """A source graph that states something of a kept node's IRI (with a value shaped like kept rows): read as data,
    never as kept rows, and left alone when rows are kept."""
    s = tiny()
    a = ox.NamedNode(f"{E}dataset/a")
    node = R._kept_node(a)
    fake = json.dumps({"graph": a.value, "stamp": "gen a", "rows": [[f"{E}organisation/fake", "label", "F", None, None, None]]})
    spoof = ox.Quad(node, VALUE, ox.Literal(fake), a)
    s.add(spoof)
    assert rows_kept(s, a) is None  # nothing kept yet: the graph's own statement is not a kept value
    keep(s)
    assert spoof in s  # keeping removed only what the kept graph holds
    assert R._kept_rows(s, a) == ("gen a", [[f"{E}organisation/x", "label", "X", None, None, None]])


def test_each_graph_reads_its_own_kept_value():
    a, c = ox.NamedNode(f"{E}dataset/a"), ox.NamedNode(f"{E}dataset/c")
    s = tiny()
    s.extend([ox.Quad(ox.NamedNode(f"{E}organisation/w"), TYPE, ORG, c),
              ox.Quad(ox.NamedNode(f"{E}organisation/w"), LABEL, ox.Literal("W"), c),
              ox.Quad(c, VALUE, ox.Literal("gen c"), GENERATIONS_GRAPH)])
    keep(s)
    rows = {a: [[f"{E}organisation/x", "label", "X", None, None, None]], c: [[f"{E}organisation/w", "label", "W", None, None, None]]}
    assert {g: rows_kept(s, g) for g in rows} == rows
    # one graph's kept value broken: that graph is read again, the other's kept value still serves it (each way,
    # whatever order the store lists the kept values in)
    for broken, other in ((a, c), (c, a)):
        [q] = list(s.quads_for_pattern(R._kept_node(broken), None, None, KEPT_GRAPH))
        s.remove(q)
        s.add(ox.Quad(q.subject, q.predicate, ox.Literal("{not json"), KEPT_GRAPH))
        assert rows_kept(s, broken) is None and rows_kept(s, other) == rows[other]
        s.remove(ox.Quad(q.subject, q.predicate, ox.Literal("{not json"), KEPT_GRAPH))
        s.add(q)
