"""measures.one_conversion: the igraph-backed measures of one graph share one conversion of it,
with the same results as converting once each; nothing is shared outside the block or for another graph."""

import json
from contextlib import nullcontext

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.cli import main
from ngograph.net import measures as A


@pytest.fixture
def conversions(monkeypatch) -> list:
    """The (graph, weight) of every conversion to igraph, in order."""
    made = []
    real = A._convert
    monkeypatch.setattr(A, "_convert", lambda G, weight: made.append((G, weight)) or real(G, weight))
    return made


def weighted_barbell() -> nx.Graph:
    G = nx.barbell_graph(5, 2)
    for n, (u, v) in enumerate(G.edges()):
        G.edges[u, v]["weight"] = 1 + n % 3
        G.edges[u, v]["w"] = 5 - n % 4
    return G


def close(a: dict, b: dict) -> bool:
    """The same nodes and values within 1e-12: igraph's PageRank differs in its last bits from run to run (5e-17
    on CORDIS, with or without a shared conversion)."""
    return a.keys() == b.keys() and all(abs(a[n] - b[n]) < 1e-12 for n in a)


def same(x: tuple, y: tuple) -> bool:
    """PageRank, betweenness and communities: the first within :func:`close`, the others equal."""
    return close(x[0], y[0]) and x[1:] == y[1:]


def three(G: nx.Graph) -> tuple:
    return (A.pagerank(G, engine="igraph"), A.betweenness(G, k=4, engine="igraph"), A.communities(G, engine="igraph"))


def test_the_three_measures_convert_once_in_the_block_and_give_the_same_values(conversions):
    G = weighted_barbell()
    alone = three(G)
    assert [w for _, w in conversions] == ["weight", None, "weight"]  # once each outside the block
    conversions.clear()
    with A.one_conversion(G) as given:
        assert given is G
        shared = three(G)
    assert [w for _, w in conversions] == ["weight"]  # betweenness (no weights) takes the weighted one
    assert same(shared, alone)


def test_an_unweighted_conversion_does_not_serve_a_weighted_measure(conversions):
    G = weighted_barbell()
    with A.one_conversion(G):
        b = A.betweenness(G, engine="igraph")
        p = A.pagerank(G, engine="igraph")
        b2 = A.betweenness(G, engine="igraph")
    assert [w for _, w in conversions] == [None, "weight"]
    assert close(p, A.pagerank(G, engine="igraph")) and b == b2 == A.betweenness(G, engine="igraph")
    # by hand: the weighted PageRank differs from the unweighted one on this graph
    assert not close(p, A.pagerank(G, weight=None, engine="igraph"))


def test_each_weight_attribute_has_its_own_conversion(conversions):
    G = weighted_barbell()
    with A.one_conversion(G):
        by_weight = A.pagerank(G, engine="igraph")
        by_w = A.pagerank(G, weight="w", engine="igraph")
        again = A.pagerank(G, weight="w", engine="igraph")
    assert [w for _, w in conversions] == ["weight", "w"]
    assert close(by_w, again) and close(by_w, A.pagerank(G, weight="w", engine="igraph"))
    assert not close(by_w, by_weight)


def test_another_graph_and_the_graph_after_the_block_are_converted_anew(conversions):
    G, H = weighted_barbell(), nx.path_graph(6)
    with A.one_conversion(G):
        A.pagerank(H, engine="igraph")
        A.pagerank(H, engine="igraph")
        A.pagerank(G, engine="igraph")
    assert [(g is H, w) for g, w in conversions] == [(True, "weight"), (True, "weight"), (False, "weight")]
    conversions.clear()
    G.add_edge(0, 11, weight=7)  # changed after the block: its values are those of the changed graph
    assert A.pagerank(G, engine="igraph")[11] > 0 and [w for _, w in conversions] == ["weight"]


def test_blocks_nest_and_end_even_when_a_measure_fails(conversions):
    G, H = weighted_barbell(), nx.cycle_graph(5)
    with A.one_conversion(G):
        with A.one_conversion(H):
            A.pagerank(H, engine="igraph")
            A.pagerank(H, engine="igraph")
        A.pagerank(G, engine="igraph")
        A.pagerank(G, engine="igraph")
    assert [(g is G, w) for g, w in conversions] == [(False, "weight"), (True, "weight")]
    with pytest.raises(ZeroDivisionError):
        with A.one_conversion(G):
            1 / 0
    assert A._SHARED.get() is None


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=3, max_value=30), st.floats(min_value=0.1, max_value=0.6), st.integers(0, 10_000))
def test_shared_and_separate_conversions_agree_on_random_graphs(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    for i, (u, v) in enumerate(G.edges()):
        G.edges[u, v]["weight"] = 1 + (i * 7 + seed) % 5
    k = max(1, n // 3)
    alone = (A.pagerank(G, engine="igraph"), A.betweenness(G, k=k, engine="igraph"),
             A.communities(G, engine="igraph"))
    with A.one_conversion(G):
        shared = (A.pagerank(G, engine="igraph"), A.betweenness(G, k=k, engine="igraph"),
                  A.communities(G, engine="igraph"))
    assert same(shared, alone)


def test_analyze_converts_the_graph_once_for_its_measures(seed_store, conversions, monkeypatch, capsys):
    monkeypatch.setattr(A, "LARGE", 0)  # igraph for the seeds' small graph too
    argv = ["analyze", "--store", str(seed_store), "--format", "json", "--top", "100", "--measure", "pagerank",
            "--measure", "betweenness", "--measure", "community", "--measure", "degree"]
    assert main(argv) == 0
    shared = json.loads(capsys.readouterr().out)
    assert [w for _, w in conversions] == ["weight"]
    # the same table as with a conversion per measure
    monkeypatch.setattr(A, "one_conversion", lambda G: nullcontext())
    conversions.clear()
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == shared and [w for _, w in conversions] == ["weight", None, "weight"]

