"""A query of named sources (``--source``) reads each source's own merges: reconciliation's clusters kept to that
source's nodes (``urn:ngograph:graph:reconcile/NAME``), where the merges of all sources may name a canonical node of
a source left out and were therefore not read at all (``summary --source iati`` on the imported store counted 4,301
funders, where all sources together have 1,141).

The store is that of tests/test_reconcile_source.py: the dataset ``table`` holds the Latvian Green Movement (merged
into the curated node across the sources) and the Baltic Youth Forum twice (merged within table)."""

from __future__ import annotations

import pyoxigraph as ox

from ngograph.cli import main
from ngograph.queries.library import run
from ngograph.reconcile.graph import RECONCILE_GRAPH
from ngograph.store.backends import Embedded
from ngograph.store.embedded import (VOCAB_GRAPH, change_store, is_merges_graph, merges_graph, open_store, published_graphs,
                                     replace_merges, write_graph, write_store)
from ngograph.rdf.namespaces import ORG as ORG_NS, RDF, RDFS, SCHEMA
from ngograph.reconcile.match import OrgRecord
from tests.test_reconcile_source import BASE, CURATED, IMPORTED, SKOS, TABLE, _nt

ORG = f"{BASE}organisation/"
FORMAL = ORG_NS.FormalOrganization


def _store(tmp_path):
    path = tmp_path / "store"
    write_store(path, _nt(CURATED, [f'<https://example.org/country/{c}> <{SKOS.notation}> "{c}" .' for c in ("DK", "LV")]))
    write_graph(path, TABLE, [_nt(IMPORTED)])
    return path


def _reconcile(store, tmp_path) -> None:
    assert main(["reconcile", "--store", str(store), "--data", str(tmp_path / "data"), "--base", BASE]) == 0


def _merges(store) -> dict:
    with open_store(store) as s:
        return {g.value: sorted((q.subject.value, q.predicate.value, q.object.value)
                                for q in s.store.quads_for_pattern(None, None, None, g))
                for g in s.store.named_graphs() if is_merges_graph(g)}


def _organisations(store, sources=None) -> dict:
    return {r["identifier"] or r["name"]: r["organisation"].removeprefix(ORG)
            for r in run("organisation-identities", Embedded(store, sources=sources))}


WITHIN = {merges_graph("table").value: [(f"{ORG}table/youth-caps", "https://w3id.org/ngograph/def#canonicalOrganisation",
                                         f"{ORG}table/youth")]}


def test_each_source_reads_its_own_merges(tmp_path, capsys):
    store = _store(tmp_path)
    _reconcile(store, tmp_path)
    capsys.readouterr()
    assert _merges(store) == WITHIN  # the green movement's cluster has one node in each source: no merge within one
    table = _organisations(store, ["table"])
    assert table == {"LATVIAN GREEN MOVEMENT": "table/green", "Nordisk Peace Institute": "table/peace",
                     "Baltic Youth Forum": "table/youth", "BALTIC YOUTH FORUM": "table/youth",
                     "Baltic Youth Forum Riga": "table/youth-riga"}
    everything = _organisations(store)
    assert everything["LATVIAN GREEN MOVEMENT"] == "green" and everything["BALTIC YOUTH FORUM"] == "table/youth"
    assert main(["summary", "--store", str(store), "--source", "table"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "summary: the triples include the 1 of reconciliation's merges within the named sources",
        "summary: with --source the organisations are merged within each named source only, reconciliation's merges "
        "across sources left out: one organisation can count once per source (docs/model.md, Reconciliation)"]
    assert main(["summary", "--store", str(store), "--source", "curated"]) == 0
    assert "the triples include" not in capsys.readouterr().err
    with open_store(store) as s:
        assert merges_graph("table") in published_graphs(s.store, ["table"])
        assert RECONCILE_GRAPH not in published_graphs(s.store, ["table"])
        assert not any(map(is_merges_graph, published_graphs(s.store)))  # all sources: reconciliation's own graph
        assert published_graphs(s.store, ["curated"]) == [ox.DefaultGraph()]  # no merges within curated, no vocabularies
        assert published_graphs(s.store, ["table"]) == [TABLE, merges_graph("table")]  # nor here: the store has none


def test_the_published_graphs_of_a_store_of_curated_data_alone_and_with_vocabularies(tmp_path, capsys):
    store = tmp_path / "store"
    write_store(store, _nt(CURATED))
    with open_store(store) as s:
        assert published_graphs(s.store) is None and published_graphs(s.store, ["curated"]) == [ox.DefaultGraph()]
    write_store(store, _nt(CURATED), vocab_nt=_nt([], [f'<https://example.org/country/LV> <{SKOS.notation}> "LV" .']))
    write_graph(store, TABLE, [_nt(IMPORTED)])
    _reconcile(store, tmp_path)
    with open_store(store) as s:
        assert published_graphs(s.store, ["table"]) == [VOCAB_GRAPH, TABLE, merges_graph("table")]
    capsys.readouterr()
    assert main(["summary", "--store", str(store), "--source", "table"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        "summary: the triples include the 1 of the reference vocabularies (countries, codelists) and the 1 of "
        "reconciliation's merges within the named sources")


def test_the_merges_are_written_when_they_change_and_only_then(tmp_path):
    store = _store(tmp_path)
    _reconcile(store, tmp_path)
    folder = store.resolve()
    _reconcile(store, tmp_path)
    assert store.resolve() == folder  # the same merges: the store is not written again
    change_store(store, lambda new: replace_merges(new, {}))  # a store from before the sources had their merges
    assert _merges(store) == {}
    _reconcile(store, tmp_path)
    assert _merges(store) == WITHIN
    write_graph(store, TABLE, [_nt(IMPORTED[:2])])  # imported again (--no-reconcile): the merges of gone nodes go
    assert _merges(store) == {} and _organisations(store, ["table"])["Nordisk Peace Institute"] == "table/peace"
    _reconcile(store, tmp_path)
    assert _merges(store) == {}  # two organisations left: nothing to merge
    write_graph(store, TABLE, [_nt(IMPORTED)])
    _reconcile(store, tmp_path)
    assert _merges(store) == WITHIN
    assert main(["import", "--drop", "table", "--store", str(store)]) == 0
    assert _merges(store) == {}  # a source dropped: its merges with it


def test_source_merges_keep_each_cluster_to_each_source():
    from ngograph.reconcile.graph import source_merges

    records = {n: OrgRecord(n, s, [], ids) for n, s, ids in [
        ("c", "curated", []), ("i1", "iati", []), ("i3", "iati", [("GB-CHC", "1234567")]), ("i2", "cordis,iati", []),
        ("k1", "cordis", []), ("k2", "cordis", []), ("j1", "iati", []), ("j2", "iati", [])]}
    # two clusters: {c, i1, i2, i3, k1} and {j1, j2}; k2 alone; a node reconciled that no record names is left out
    merges = source_merges({"i1": "c", "i2": "c", "i3": "c", "k1": "c", "j2": "j1", "gone": "j1"}, records)
    canon = "<https://w3id.org/ngograph/def#canonicalOrganisation>"
    assert {s: m.decode().replace(canon, "->").splitlines() for s, m in merges.items()} == {
        "cordis": ["<k1> -> <i2> ."],  # i2 is also CORDIS's (its second source)
        "iati": ["<i1> -> <i2> .", "<i3> -> <i2> .", "<j2> -> <j1> ."],  # of two sources before registered i3
    }
    records["i2"] = OrgRecord("i2", "iati")  # of IATI alone: the registered node first, then by IRI
    merges = source_merges({"i1": "c", "i2": "c", "i3": "c", "k1": "c", "j2": "j1"}, records)
    assert merges["iati"].decode().replace(canon, "->").splitlines() == [
        "<i1> -> <i3> .", "<i2> -> <i3> .", "<j2> -> <j1> ."]
    assert "cordis" not in merges


def test_sources_named_together_agree_on_the_node_they_share(tmp_path):
    # one node of both sources (an IRI made of a registry identifier) and a node of each, all one organisation
    store = tmp_path / "store"
    org = lambda key, name: [f"<{ORG}{key}> <{RDF.type}> <{FORMAL}> .", f'<{ORG}{key}> <{RDFS.label}> "{name}" .',
                             f"<{ORG}{key}> <{SCHEMA.addressCountry}> <https://example.org/country/LV> ."]
    write_store(store, _nt([], [f'<https://example.org/country/LV> <{SKOS.notation}> "LV" .']))
    one, two = (ox.NamedNode(f"{BASE}dataset/{n}") for n in ("one", "two"))
    write_graph(store, one, ["".join(f"{line}\n" for line in org("b-shared", "Baltic Youth Forum")
                                     + org("a-one", "BALTIC YOUTH FORUM")).encode()])
    write_graph(store, two, ["".join(f"{line}\n" for line in org("b-shared", "Baltic Youth Forum")
                                     + org("a-two", "Baltic youth forum")).encode()])
    _reconcile(store, tmp_path)
    canon = "https://w3id.org/ngograph/def#canonicalOrganisation"
    assert _merges(store) == {merges_graph(n).value: [(f"{ORG}a-{n}", canon, f"{ORG}b-shared")] for n in ("one", "two")}
    assert set(_organisations(store, ["one", "two"]).values()) == {"b-shared"}


def test_replace_merges_gives_each_graph_one_new_generation(tmp_path):
    import pyoxigraph as ox

    from ngograph.store.embedded import GENERATIONS_GRAPH, VALUE, generation

    s = ox.Store()
    other = ox.NamedNode("https://example.org/id/dataset/table")
    s.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:b"), other))
    s.add(ox.Quad(other, VALUE, ox.Literal("g0"), GENERATIONS_GRAPH))
    nt = b"<urn:x:a> <urn:x:p> <urn:x:b> .\n"
    replace_merges(s, {"table": nt, "iati": nt + b"<urn:x:c> <urn:x:p> <urn:x:b> .\n"})
    first = generation(s, merges_graph("table"))
    assert first is not None and generation(s, merges_graph("iati")) not in (None, first)
    replace_merges(s, {"table": nt})
    assert not s.contains_named_graph(merges_graph("iati")) and generation(s, merges_graph("iati")) is None
    assert generation(s, merges_graph("table")) not in (None, first)  # written again: a new one, the old gone
    assert len(list(s.quads_for_pattern(merges_graph("table"), None, None, GENERATIONS_GRAPH))) == 1
    assert generation(s, other) == "g0" and len(list(s.quads_for_pattern(None, None, None, other))) == 1


def test_a_build_drops_the_merges_within_the_curated_data(tmp_path):
    store = tmp_path / "store"
    twice = _nt([*CURATED, ("green-again", "LATVIAN GREEN MOVEMENT", "LV")])
    write_store(store, twice)
    write_graph(store, TABLE, [_nt(IMPORTED)])  # with an import: the build writes into a checkpoint
    _reconcile(store, tmp_path)
    assert sorted(_merges(store)) == [merges_graph("curated").value, merges_graph("table").value]
    write_store(store, twice)
    assert sorted(_merges(store)) == [merges_graph("table").value]
    _reconcile(store, tmp_path)
    assert sorted(_merges(store)) == [merges_graph("curated").value, merges_graph("table").value]
