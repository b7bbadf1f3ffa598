"""A query of named sources (``--source``) reads each source's own merges: reconciliation's clusters kept to that
source's nodes (``urn:ngograph:graph:reconcile/NAME``), where the merges of all sources may name a canonical node of
a source left out and were therefore not read at all (``summary --source iati`` on the imported store counted 4,301
funders, where all sources together have 1,141).

The store is that of tests/test_reconcile_source.py: the dataset ``table`` holds the Latvian Green Movement (merged
into the curated node across the sources) and the Baltic Youth Forum twice (merged within table)."""

from __future__ import annotations

from ngograph.cli import main
from ngograph.queries.library import run
from ngograph.reconcile.graph import RECONCILE_GRAPH
from ngograph.store.backends import Embedded
from ngograph.store.embedded import (change_store, is_merges_graph, merges_graph, open_store, published_graphs,
                                     replace_merges, write_graph, write_store)
from tests.test_reconcile_source import BASE, CURATED, IMPORTED, SKOS, TABLE, _nt

ORG = f"{BASE}organisation/"


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


def test_each_source_reads_its_own_merges(tmp_path):
    store = _store(tmp_path)
    _reconcile(store, tmp_path)
    assert _merges(store) == WITHIN  # the green movement's cluster has one node in each source: no merge within one
    table = _organisations(store, ["table"])
    assert table == {"LATVIAN GREEN MOVEMENT": "table/green", "Nordisk Peace Institute": "table/peace",
                     "Baltic Youth Forum": "table/youth", "BALTIC YOUTH FORUM": "table/youth",
                     "Baltic Youth Forum Riga": "table/youth-riga"}
    everything = _organisations(store)
    assert everything["LATVIAN GREEN MOVEMENT"] == "green" and everything["BALTIC YOUTH FORUM"] == "table/youth"
    with open_store(store) as s:
        assert merges_graph("table") in published_graphs(s.store, ["table"])
        assert RECONCILE_GRAPH not in published_graphs(s.store, ["table"])
        assert not any(map(is_merges_graph, published_graphs(s.store)))  # all sources: reconciliation's own graph
        assert published_graphs(s.store, ["curated"]) == published_graphs(s.store, ["curated"])[:1]  # none of its own


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
    assert main(["import", "--drop", "table", "--store", str(store)]) == 0
    _reconcile(store, tmp_path)
    assert _merges(store) == {}  # a source dropped: its merges go with the next reconciliation
