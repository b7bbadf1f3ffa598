"""Replacing a named graph (the reconciliation's, an import's) in place or by a copy: its size
weighed against the rest of the store, not a fixed number of quads."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ngograph.store import embedded
from ngograph.store.embedded import GENERATIONS_GRAPH, graph_size, open_store, quads_at_most, small_beside, write_graph, write_store

G = ox.NamedNode("urn:ngograph:graph:reconcile")


def _nt(n: int, prefix: str) -> bytes:
    return "".join(f'<https://e.org/{prefix}{i}> <https://e.org/p> "{i}" .\n' for i in range(n)).encode()


def _store(tmp_path, rest: int, graph: int):
    path = tmp_path / "store"
    write_store(path, _nt(rest, "d"))
    write_graph(path, G, [_nt(graph, "g")])
    return path


def test_quads_at_most_counts_every_graph_up_to_the_limit():
    s = ox.Store()
    s.bulk_load(_nt(30, "d"), ox.RdfFormat.N_TRIPLES)
    s.bulk_load(_nt(20, "g"), ox.RdfFormat.N_TRIPLES, to_graph=G)
    assert (quads_at_most(s, 1000), quads_at_most(s, 35), quads_at_most(s, 0), graph_size(s, G)) == (50, 35, 0, 20)


@pytest.mark.parametrize("rest, graph, in_place", [
    (2000, 100, True),    # 100 x 15 = 1,500 < 2,000: removing 100 quads beats copying 2,000
    (1500, 100, False),   # 1,500 is not more than 1,500: copy
    (100, 100, False),    # half the store: copy
    (10, 0, True),        # nothing to remove
])
def test_small_beside_weighs_the_graph_against_the_rest(tmp_path, rest, graph, in_place):
    s = ox.Store()
    s.bulk_load(_nt(rest, "d"), ox.RdfFormat.N_TRIPLES)
    if graph:
        s.bulk_load(_nt(graph, "g"), ox.RdfFormat.N_TRIPLES, to_graph=G)
    assert small_beside(s, G) is in_place


def test_a_small_graph_in_a_big_store_is_replaced_in_place(tmp_path, monkeypatch):
    """60,000 quads used to mean a copy of the whole store, however big: now the store's size decides."""
    path = _store(tmp_path, 2000, 100)
    monkeypatch.setattr(embedded, "_copy_graph", lambda *a: pytest.fail("the store was copied"))
    write_graph(path, G, [_nt(3, "h")])
    with open_store(path) as s:
        assert (graph_size(s.store, G), quads_at_most(s.store, 10_000)) == (3, 2005)  # its generation, its lines written
    write_graph(path, G, None)  # dropped in place too
    with open_store(path) as s:
        assert (s.store.contains_named_graph(G), quads_at_most(s.store, 10_000)) == (False, 2000)


def test_a_graph_that_is_much_of_the_store_is_left_out_of_a_copy(tmp_path, monkeypatch):
    path = _store(tmp_path, 100, 100)
    copied = []
    real = embedded._copy_graph
    monkeypatch.setattr(embedded, "_copy_graph", lambda old, new, graph: (copied.append(graph), real(old, new, graph)))
    write_graph(path, G, [_nt(5, "h")])
    assert copied == [ox.DefaultGraph(), GENERATIONS_GRAPH]  # the rest copied (the graphs' generations), the graph itself not
    with open_store(path) as s:
        assert (graph_size(s.store, G), quads_at_most(s.store, 10_000)) == (5, 107)  # its generation, its lines written
