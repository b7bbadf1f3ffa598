"""ngograph.net.measures pinned down on tiny graphs with values computed by hand, so that a
changed measure fails a test (issue 14: the mutants that survived the earlier tests). Each
measure with an igraph engine is checked on both engines, and the engine that ran is asserted:
the other one is made to raise."""

from __future__ import annotations

import math
import random
import sys
from collections import Counter

import networkx as nx
import pytest

from ngograph.errors import ConfigError
from ngograph.net import measures as A
from ngograph.net.graphs import NetworkData


@pytest.fixture
def only_igraph(monkeypatch):
    """networkx's centralities raise: whatever returns came from igraph."""
    def refuse(*args, **kwargs):
        raise AssertionError("networkx ran where igraph was asked for")

    for name in ("betweenness_centrality", "pagerank"):
        monkeypatch.setattr(A.nx, name, refuse)
    monkeypatch.setattr(A.nx.community, "louvain_communities", refuse)


@pytest.fixture
def only_networkx(monkeypatch):
    """The conversion to igraph raises: whatever returns came from networkx."""
    def refuse(*args, **kwargs):
        raise AssertionError("igraph ran where networkx was asked for")

    monkeypatch.setattr(A, "_igraph", refuse)


def directed_weighted():
    """a -> b -> c -> d, a -> c (weight 3), d -> a; e isolated. Weights: distances for betweenness."""
    D = nx.DiGraph()
    D.add_edge("a", "b", weight=1)
    D.add_edge("b", "c", weight=1)
    D.add_edge("c", "d", weight=1)
    D.add_edge("a", "c", weight=3)
    D.add_edge("d", "a", weight=1)
    D.add_node("e")
    return D


# ------------------------------------------------------------------ the engine

def test_use_igraph_decides_by_engine_and_size(monkeypatch):
    G = nx.path_graph(4)
    assert A._use_igraph(G, "networkx") is False
    assert A._use_igraph(G, "igraph") is True
    monkeypatch.setattr(A, "LARGE", 4)
    assert A._use_igraph(G, "auto") is False  # 4 nodes: not above LARGE
    monkeypatch.setattr(A, "LARGE", 3)
    assert A._use_igraph(G, "auto") is True
    assert A._use_igraph(G, "networkx") is False  # above LARGE, igraph installed: networkx all the same
    monkeypatch.setitem(sys.modules, "igraph", None)  # not installed
    assert A._use_igraph(G, "auto") is False
    assert A._use_igraph(G, "networkx") is False
    with pytest.raises(ConfigError) as info:
        A._use_igraph(G, "igraph")
    assert str(info.value) == "engine='igraph' needs the fast extra (igraph is missing): pip install -e '.[fast]' in a checkout, pip install 'dist/ngograph-*.whl[fast]' with the wheel"


def test_large_is_five_thousand():
    assert A.LARGE == 5000


def test_auto_engine_runs_igraph_above_large(monkeypatch, only_igraph):
    monkeypatch.setattr(A, "LARGE", 3)
    assert A.betweenness(nx.path_graph(5)) == pytest.approx({0: 0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0})


def test_igraph_conversion_keeps_isolated_nodes_direction_and_weights():
    D = directed_weighted()
    del D.edges["d", "a"]["weight"]  # a missing weight counts 1
    D.edges["a", "b"]["weight"] = 5
    h, nodes = A._igraph(D, "weight")
    assert nodes == ["a", "b", "c", "d", "e"]
    assert h.vcount() == 5 and h.is_directed()
    assert sorted((nodes[s], nodes[t], w) for (s, t), w in zip(h.get_edgelist(), h.es["weight"])) == [
        ("a", "b", 5), ("a", "c", 3), ("b", "c", 1), ("c", "d", 1), ("d", "a", 1)]
    h, nodes = A._igraph(nx.Graph([(1, 2)]), None)
    assert not h.is_directed() and "weight" not in h.es.attributes()


# ------------------------------------------------------------------ betweenness

def test_betweenness_unnormalised_on_both_engines(only_networkx):
    # path 0-1-2-3-4: node 1 on 3 pairs, node 2 on 4
    assert A.betweenness(nx.path_graph(5), normalized=False, engine="networkx") == {0: 0, 1: 3, 2: 4, 3: 3, 4: 0}


def test_betweenness_unnormalised_on_igraph(only_igraph):
    assert A.betweenness(nx.path_graph(5), normalized=False, engine="igraph") == pytest.approx(
        {0: 0, 1: 3, 2: 4, 3: 3, 4: 0})


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_betweenness_directed_and_weighted(engine):
    D = directed_weighted()
    D.edges["a", "c"]["weight"] = 2
    # weighted, ties of equal length: a->c by b (1 + 1) or direct (2); a->d by b, c (3) or by c (2 + 1);
    # d->c by a, b (3) or by a (1 + 2). Ordered pairs through each node:
    # a: c->b, d->b, d->c;  b: a->c 1/2, a->d 1/2, d->c 1/2;  c: a->d, b->d, b->a;  d: b->a, c->a, c->b
    by_hand = {"a": 3, "b": 1.5, "c": 3, "d": 3, "e": 0}
    assert A.betweenness(D, weight="weight", normalized=False, engine=engine) == pytest.approx(by_hand)
    # normalised by (n-1)(n-2) = 12 ordered pairs (directed: no factor 2)
    assert A.betweenness(D, weight="weight", engine=engine) == pytest.approx({n: v / 12 for n, v in by_hand.items()})
    # unweighted, a->c is one hop: b lies on no shortest path; a on c->b, d->b, d->c; c on a->d, b->d, b->a;
    # d on b->a, c->a, c->b
    assert A.betweenness(D, normalized=False, engine=engine) == pytest.approx({"a": 3, "b": 0, "c": 3, "d": 3, "e": 0})


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_betweenness_normalised_three_and_two_nodes(engine):
    # directed a->b->c: b on one of (3-1)(3-2) = 2 ordered pairs
    assert A.betweenness(nx.DiGraph([("a", "b"), ("b", "c")]), engine=engine) == pytest.approx(
        {"a": 0, "b": 0.5, "c": 0})
    # undirected: one of C(3,2) = 3... normalised over the 1 pair not involving b: 1.0
    assert A.betweenness(nx.path_graph(3), engine=engine) == pytest.approx({0: 0, 1: 1.0, 2: 0})
    assert A.betweenness(nx.path_graph(2), engine=engine) == {0: 0, 1: 0}  # no pair to be between


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_betweenness_with_k_at_least_n_is_exact(engine):
    G = nx.path_graph(5)
    exact = {0: 0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0}
    assert A.betweenness(G, k=5, engine=engine) == pytest.approx(exact)
    assert A.betweenness(G, k=9, engine=engine) == pytest.approx(exact)


def test_sampled_betweenness_on_igraph_by_hand(only_igraph):
    """Was a bug: igraph's sample was rescaled by n / k, networkx's (3.5 on) by (n - 1) / k, and
    (n - 1) / (k - 1) for a sampled node; the two engines now agree."""
    # path 0-1-2-3-4; random.Random(42).sample(range(5), 2) == [0, 4]: the sources are the two ends.
    # From 0, node 1 lies on the paths to 2, 3, 4 (3), node 2 on 2, node 3 on 1; from 4 the mirror:
    # 4 each; an undirected pair counts once: 2, rescaled by (n - 1) / k = 4 / 2: 4.
    G = nx.path_graph(5)
    assert A.betweenness(G, k=2, normalized=False, engine="igraph") == pytest.approx({0: 0, 1: 4, 2: 4, 3: 4, 4: 0})
    # normalised: 2 x 2 / (k (n - 2)) = 4 / 6
    assert A.betweenness(G, k=2, engine="igraph") == pytest.approx({0: 0, 1: 2 / 3, 2: 2 / 3, 3: 2 / 3, 4: 0})
    # another seed draws other sources: [1, 0] for seed 1 -> from 1: node 2 on the paths to 3, 4, node 3 on 4;
    # from 0: 1 on 3, 2 on 2, 3 on 1 -> pairs (1.5, 2, 1); node 1 was drawn: x 4 / 1, the others x 4 / 2
    assert A.betweenness(G, k=2, normalized=False, seed=1, engine="igraph") == pytest.approx(
        {0: 0, 1: 6, 2: 4, 3: 2, 4: 0})
    assert A.betweenness(G, k=2, seed=1, engine="igraph") == pytest.approx(
        {0: 0, 1: 1.5 * 2 / 3, 2: 2 * 2 / 6, 3: 2 / 6, 4: 0})
    # k = 1: random.Random(42).sample(range(5), 1) == [0]; from 0: (3, 2, 1) pairs counted once: (1.5, 1, 0.5),
    # x 4 / 1; the source itself: no estimate (NaN, as networkx)
    one = A.betweenness(G, k=1, normalized=False, engine="igraph")
    assert math.isnan(one[0]) and {n: one[n] for n in range(1, 5)} == pytest.approx({1: 6, 2: 4, 3: 2, 4: 0})
    assert A.betweenness(nx.path_graph(2), k=1, engine="igraph") == {0: 0, 1: 0}


def test_sampled_betweenness_weighted_and_directed_same_on_both_engines():
    D = directed_weighted()
    D.edges["a", "c"]["weight"] = 2
    for weight in ("weight", None):
        expected = A.betweenness(D, k=3, weight=weight, normalized=False, engine="networkx")
        assert A.betweenness(D, k=3, weight=weight, normalized=False, engine="igraph") == pytest.approx(expected)
    assert A.betweenness(D, k=3, weight="weight", engine="igraph") != pytest.approx(
        A.betweenness(D, k=3, engine="igraph"))
    U = D.to_undirected()
    assert A.betweenness(U, k=3, engine="igraph") == pytest.approx(A.betweenness(U, k=3, engine="networkx"))


@pytest.mark.parametrize("seed", [1, 42])
def test_sampled_betweenness_same_on_both_engines(seed):
    G = nx.connected_watts_strogatz_graph(30, 4, 0.2, seed=3)
    D = nx.gnp_random_graph(30, 0.15, seed=2, directed=True)
    for H in (G, D):
        for normalized in (True, False):
            assert A.betweenness(H, k=7, seed=seed, normalized=normalized, engine="igraph") == pytest.approx(
                A.betweenness(H, k=7, seed=seed, normalized=normalized, engine="networkx"), abs=1e-12)


# ------------------------------------------------------------------ eigenvector, PageRank, closeness, degree

def test_eigenvector_weighted_by_default_and_edge_cases():
    G = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})])
    # weighted adjacency [[0,3,0],[3,0,1],[0,1,0]]: eigenvalue sqrt(10), vector (3, sqrt(10), 1) / sqrt(20)
    e = A.eigenvector(G)
    assert e == pytest.approx({"a": 3 / 20 ** 0.5, "b": 10 ** 0.5 / 20 ** 0.5, "c": 1 / 20 ** 0.5}, abs=1e-6)
    assert A.eigenvector(G, weight=None) == pytest.approx({"a": 0.5, "b": 2 ** -0.5, "c": 0.5}, abs=1e-6)
    assert A.eigenvector(nx.Graph([("a", "b")])) == pytest.approx({"a": 2 ** -0.5, "b": 2 ** -0.5})
    empty = nx.empty_graph(3)
    assert A.eigenvector(empty) == {0: 0.0, 1: 0.0, 2: 0.0}


def test_eigenvector_of_a_disconnected_graph_lies_on_its_leading_component():
    """Was a bug twice: networkx refuses a disconnected graph (AmbiguousSolution) and a two-node one (TypeError),
    so `ngograph analyze --measure eigenvector` failed on the seed network, which has four components; then each
    component was scaled to unit length on its own, and a pair alone in a project (0.707 each) ranked above the
    hubs of the largest component (on the imported store, organisations of degree 1 first, the one of degree
    6,825 at 0.24). The leading eigenvector of the whole graph lies on the component of the largest eigenvalue."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])  # the triangle's eigenvalue 2, the pair's 1
    G.add_node("z")
    assert A.eigenvector(G) == pytest.approx({"a": 3 ** -0.5, "b": 3 ** -0.5, "c": 3 ** -0.5, "x": 0.0,
                                              "y": 0.0, "z": 0.0}, abs=1e-6)
    assert list(A.eigenvector(G)) == ["a", "b", "c", "x", "y", "z"]
    # weighted: the pair's tie of weight 3 makes its eigenvalue 3, above the triangle's 2
    W = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y", {"weight": 3})])
    assert A.eigenvector(W) == pytest.approx({"a": 0, "b": 0, "c": 0, "x": 2 ** -0.5, "y": 2 ** -0.5}, abs=1e-6)
    assert A.eigenvector(W, weight=None) == pytest.approx({"a": 3 ** -0.5, "b": 3 ** -0.5, "c": 3 ** -0.5,
                                                           "x": 0, "y": 0}, abs=1e-6)
    # a tie: two components of eigenvalue 1 share the unit length (directed cycles: each 1)
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "x")])
    assert A.eigenvector(D) == pytest.approx({"a": 6 ** -0.5, "b": 6 ** -0.5, "c": 6 ** -0.5, "x": 0.5,
                                              "y": 0.5}, abs=1e-6)
    # a self-loop is one entry of the matrix: the loop of weight 1.5 (eigenvalue about 1.5, not 3) loses to the
    # triangle (2), a loop of 2.5 wins
    for loop, winner in ((1.5, "a"), (2.5, "x")):
        L = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "x", {"weight": loop}), ("x", "y", {"weight": 0.01})])
        assert A.eigenvector(L)[winner] > 0.5 and A.eigenvector(L)["x" if winner == "a" else "a"] == 0


def test_eigenvector_of_a_directed_graph_counts_each_arc_once():
    """A directed arc is one entry of the adjacency matrix (an undirected tie two): the loop of weight 1.5 (eigenvalue
    1.5) beats the two-cycle a <-> b (eigenvalue 1), which counted twice would reach 2."""
    D = nx.DiGraph([("x", "x", {"weight": 1.5}), ("x", "y", {"weight": 0.01}), ("a", "b", {"weight": 1}),
                    ("b", "a", {"weight": 1})])
    e = A.eigenvector(D)
    assert e["x"] > 0.99 and e["a"] == e["b"] == 0


def test_eigenvector_of_a_weighted_two_node_cycle():
    # x -> y (1), y -> x (4): x = 4 y / l, y = x / l, l = 2 -> x : y = 2 : 1
    D = nx.DiGraph([("x", "y", {"weight": 1}), ("y", "x", {"weight": 4})])
    assert A.eigenvector(D) == pytest.approx({"x": 2 / 5 ** 0.5, "y": 1 / 5 ** 0.5}, abs=1e-4)


def cycle_with_chord():
    """a -> b -> c -> a and a -> c (weight 3): no dangling node."""
    return nx.DiGraph([("a", "b", {"weight": 1}), ("b", "c", {"weight": 1}), ("c", "a", {"weight": 1}),
                       ("a", "c", {"weight": 3})])


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_pagerank_weighted_directed_by_hand(engine):
    D = cycle_with_chord()
    # weighted: a sends 1/4 to b, 3/4 to c. p_a = .05 + .85 p_c; p_b = .05 + .85/4 p_a; p_c = .05 + .85 (3/4 p_a + p_b)
    pa = (0.05 + 0.85 * (0.05 + 0.85 * 0.05)) / (1 - 0.85 * 0.85 * (0.75 + 0.85 / 4))
    pb = 0.05 + 0.85 / 4 * pa
    pc = 1 - pa - pb
    assert A.pagerank(D, engine=engine) == pytest.approx({"a": pa, "b": pb, "c": pc}, abs=1e-6)
    # unweighted: a splits evenly
    qa = (0.05 + 0.85 * (0.05 + 0.85 * 0.05)) / (1 - 0.85 * 0.85 * (0.5 + 0.85 / 2))
    qb = 0.05 + 0.85 / 2 * qa
    assert A.pagerank(D, weight=None, engine=engine) == pytest.approx({"a": qa, "b": qb, "c": 1 - qa - qb}, abs=1e-6)
    # alpha 0.5: p_a = 1/6 + p_c / 2, p_b = 1/6 + p_a / 8, p_c = 1/6 + (3/4 p_a + p_b) / 2 = 1/4 + 7/16 p_a
    ra = (1 / 6 + 1 / 8) / (1 - 7 / 32)
    assert A.pagerank(D, alpha=0.5, engine=engine)["a"] == pytest.approx(ra, abs=1e-6)


def test_pagerank_engines_both_asked(only_igraph):
    assert A.pagerank(cycle_with_chord(), weight=None, engine="igraph")["a"] == pytest.approx(
        (0.05 + 0.85 * (0.05 + 0.85 * 0.05)) / (1 - 0.85 * 0.85 * (0.5 + 0.85 / 2)), abs=1e-6)


def test_pagerank_undirected_reading_on_igraph():
    # the same arcs read as an undirected triangle a-b-c with a-c weight 3 (merged: the last weight wins in networkx)
    G = nx.Graph(cycle_with_chord())
    ref = nx.pagerank(G, weight="weight")
    assert A.pagerank(G, engine="igraph") == pytest.approx(ref, abs=1e-6)
    assert A.pagerank(G, engine="networkx") == pytest.approx(ref, abs=1e-9)


def test_closeness_on_a_disconnected_graph():
    G = nx.Graph([("a", "b"), ("b", "c")])
    G.add_node("d")
    # Wasserman-Faust: (r / (n-1)) * (r / sum of distances); b reaches 2 of 3 at distance 2 in all
    assert A.closeness(G) == pytest.approx({"a": (2 / 3) * (2 / 3), "b": (2 / 3) * 1.0, "c": (2 / 3) * (2 / 3),
                                            "d": 0.0})


def test_closeness_from_sampled_pivots_by_hand(monkeypatch):
    """A path 0-1-2-3-4, an edge 5-6 and a lone 7 (n = 8), k = 2, seed 3: the path's pivots are 1 and 4 (drawn from
    the path's nodes, the first component by its smallest node); the edge and the lone node have at most k nodes
    and are exact. closeness = (pivots) / (sum of distances to them) * (r - 1) / (n - 1), r = 5 on the path (node
    0 is at 1 and 4 from the pivots); a pivot's own is exact: (r - 1) / (its sum to every node) * (r - 1) / (n - 1)."""
    G = nx.path_graph(5)
    G.add_edge(5, 6)
    G.add_node(7)
    expected = {0: 2 / 5 * 4 / 7, 1: 4 / 7 * 4 / 7, 2: 2 / 3 * 4 / 7, 3: 2 / 3 * 4 / 7, 4: 4 / 10 * 4 / 7,
                5: 1 / 1 * 1 / 7, 6: 1 / 7, 7: 0.0}
    for small in (1000, 1):  # components searched by networkx, or by igraph
        monkeypatch.setattr(A, "_SMALL_PART", small)
        for eng in ("networkx", "igraph"):
            values = A.closeness(G, k=2, seed=3, engine=eng)
            assert values == pytest.approx(expected, abs=1e-12) and all(type(v) is float for v in values.values())
            assert list(values) == list(G)
            # one pivot: its own value exact, the others from their distance to it
            one = A.closeness(nx.path_graph(4), k=1, seed=0, engine=eng)
            pivot = random.Random(0).sample(range(4), 1)[0]
            assert one[pivot] == pytest.approx(3 / sum(abs(pivot - v) for v in range(4)))
            assert all(one[v] == pytest.approx(1 / abs(pivot - v)) for v in range(4) if v != pivot)
    monkeypatch.setattr(A, "_BLOCK", 7)  # igraph's distances in blocks of one source: the sums add up
    assert A.closeness(G, k=2, seed=3, engine="igraph") == pytest.approx(expected, abs=1e-12)
    exact = nx.closeness_centrality(G)
    assert A.closeness(G, k=5, engine="igraph") == pytest.approx(exact, abs=1e-12)  # every component within k
    assert A.closeness(G, engine="igraph") == pytest.approx(exact, abs=1e-12)
    assert A.closeness(G, k=2, seed=3) != pytest.approx(exact, abs=1e-6)  # sampled: not the exact values (node 3)
    D = nx.DiGraph([(0, 1), (1, 2), (3, 2)])  # directed: exact (incoming paths), whatever k
    assert A.closeness(D, k=1, engine="igraph") == pytest.approx(nx.closeness_centrality(D), abs=1e-12)
    assert A.closeness(nx.empty_graph(1), k=1) == {0: 0.0} and A.closeness(nx.empty_graph(0), k=1) == {}


def test_closeness_draws_pivots_with_seed_42_and_only_for_components_larger_than_k():
    """A triangle 0-1-2 (exactly k = 3 nodes: exact, no draw) and a path 3-...-9 (7 nodes): the path's pivots are
    the first draw of random.Random(42) (the default seed) from its nodes."""
    G = nx.Graph([(0, 1), (1, 2), (0, 2)])
    nx.add_path(G, range(3, 10))
    pivots = sorted(random.Random(42).sample(list(range(3, 10)), 3))
    n, r = 10, 7
    for eng in ("networkx", "igraph"):
        got = A.closeness(G, k=3, engine=eng)
        for v in range(3, 10):
            if v in pivots:
                want = (r - 1) / sum(abs(v - u) for u in range(3, 10)) * (r - 1) / (n - 1)
            else:
                want = 3 / sum(abs(v - p) for p in pivots) * (r - 1) / (n - 1)
            assert got[v] == pytest.approx(want, abs=1e-12)
        assert [got[v] for v in range(3)] == pytest.approx([1.0 * 2 / 9] * 3)


def test_degree_and_weighted_degree():
    G = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 2}), ("c", "d")])
    assert A.degree(G) == {"a": 2, "b": 1, "c": 2, "d": 1}
    assert A.weighted_degree(G) == {"a": 5, "b": 3, "c": 3, "d": 1}
    assert A.weighted_degree(G, weight=None) == {"a": 2, "b": 1, "c": 2, "d": 1}


# ------------------------------------------------------------------ cross-border share and E-I

def borders():
    """a, b, c in LV; d, e in DK; f without a country. Ties: a-b (2), a-c, b-c, a-d (3), c-e, d-e, a-f."""
    G = nx.Graph()
    G.add_edge("a", "b", weight=2)
    G.add_edge("a", "c")            # no weight: 1
    G.add_edge("b", "c", weight=1)
    G.add_edge("a", "d", weight=3)
    G.add_edge("c", "e", weight=1)
    G.add_edge("d", "e", weight=4)
    G.add_edge("a", "f", weight=5)
    nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "LV", "d": "DK", "e": "DK", "f": None}, "country")
    return G


def test_cross_border_share_counts_and_weights():
    G = borders()
    # a: b, c at home, d abroad, f left out -> 1/3; c: a, b home, e abroad -> 1/3; d: a abroad, e home -> 1/2
    assert A.cross_border_share(G) == {"a": 1 / 3, "b": 0.0, "c": 1 / 3, "d": 0.5, "e": 0.5, "f": None}
    # weighted: a: 3 / (2 + 1 + 3) ; c: 1 / (1 + 1 + 1); d: 3 / 7; e: 1 / 5
    assert A.cross_border_share(G, weight="weight") == pytest.approx(
        {"a": 0.5, "b": 0.0, "c": 1 / 3, "d": 3 / 7, "e": 1 / 5, "f": None})
    H = nx.Graph([("x", "y")])
    nx.set_node_attributes(H, {"x": "LV", "y": ""}, "country")
    assert A.cross_border_share(H) == {"x": None, "y": None}  # no tie to a valued node
    nx.set_node_attributes(H, {"x": "LV", "y": "EE"}, "region")
    assert A.cross_border_share(H, "region") == {"x": 1.0, "y": 1.0}


def test_ei_index_per_node():
    G = borders()
    assert A.ei_index(G) == pytest.approx({"a": -1 / 3, "b": -1.0, "c": -1 / 3, "d": 0.0, "e": 0.0, "f": None})
    assert A.ei_index(G, weight="weight") == pytest.approx(
        {"a": 0.0, "b": -1.0, "c": -1 / 3, "d": -1 / 7, "e": -3 / 5, "f": None})


def test_ei_index_of_another_attribute():
    G = nx.Graph([("x", "y"), ("x", "z")])
    nx.set_node_attributes(G, {"x": "LV", "y": "EE", "z": "LV"}, "region")
    assert A.ei_index(G, "region") == {"x": 0.0, "y": 1.0, "z": -1.0}
    assert A.group_ei_index(G, "region") == {"EE": 1.0, "LV": 0.0, "*": 0.0}


def test_group_ei_index_multi_tie_weighted_equal_and_empty():
    G = borders()
    # ties: LV internal a-b, a-c, b-c (3); DK internal d-e (1); across a-d, c-e (2); a-f left out
    # LV: (2 - 3) / 5; DK: (2 - 1) / 3; whole: (2 - 4) / 6
    assert A.group_ei_index(G) == pytest.approx({"DK": 1 / 3, "LV": -1 / 5, "*": -1 / 3})
    assert list(A.group_ei_index(G)) == ["DK", "LV", "*"]
    # weighted: LV internal 2 + 1 + 1 = 4, DK internal 4, across 3 + 1 = 4
    assert A.group_ei_index(G, weight="weight") == pytest.approx({"DK": 0.0, "LV": 0.0, "*": -1 / 3})
    # E = I
    H = nx.Graph([("a", "b"), ("a", "c")])
    nx.set_node_attributes(H, {"a": "LV", "b": "LV", "c": "EE"}, "country")
    assert A.group_ei_index(H) == {"EE": 1.0, "LV": 0.0, "*": 0.0}
    assert A.group_ei_index(nx.Graph()) == {"*": None}
    first = nx.Graph([("x", "y")])  # the end without a country comes first
    nx.set_node_attributes(first, {"x": None, "y": "LV"}, "country")
    assert A.group_ei_index(first) == {"*": None}
    assert A.group_ei_index(nx.Graph([("x", "y")])) == {"*": None}  # no country on either end


# ------------------------------------------------------------------ brokerage

ZERO = dict.fromkeys(A.ROLES, 0)


def roles(directed: bool = False, **counts):
    """The counts of each role, and the open two-paths: in an undirected graph a pair counted as representative is
    counted as gatekeeper too, and brokered once."""
    out = {**ZERO, **counts}
    out["total"] = sum(counts.values()) - (0 if directed else counts.get("gatekeeper", 0))
    return out


def test_brokerage_undirected_every_role_twice():
    # b's neighbours: a1, a2 (LV, as b), c1, c2 (DK), e (EE), f (none); none tied to another
    G = nx.star_graph(["b", "a1", "a2", "c1", "c2", "e", "f"])
    groups = {"b": "LV", "a1": "LV", "a2": "LV", "c1": "DK", "c2": "DK", "e": "EE"}
    r = A.brokerage_roles(G, groups)["b"]
    # pairs: a1-a2 coordinator (1); LV-DK 4 and LV-EE 2 -> representative and gatekeeper 6 each;
    # c1-c2 itinerant (1); DK-EE 2 liaison; f is "international": with a1, a2 2 rep/gate, with c1, c2, e 3 liaison
    # 15 open pairs of 6 partners: the sum of the roles (23) counts the 8 rep/gate pairs twice
    assert r == {"coordinator": 1, "itinerant": 1, "representative": 8, "gatekeeper": 8, "liaison": 5,
                 "total": 15}
    # f left out when nodes without a group are dropped
    r = A.brokerage_roles(G, groups, default_group=None)
    assert r["b"] == {"coordinator": 1, "itinerant": 1, "representative": 6, "gatekeeper": 6, "liaison": 2,
                      "total": 10}
    assert r["f"] == ZERO | {"total": 0}
    G.add_edge("a1", "c1")  # closes one LV-DK pair
    assert A.brokerage_roles(G, groups, default_group=None)["b"]["representative"] == 5


def test_brokerage_of_a_closed_group_is_nothing_and_counts_are_whole_numbers():
    # one project of four: every pair tied, so b brokers nothing (two closed LV-DK pairs, one closed DK-DK pair)
    G = nx.complete_graph(["b", "a", "c", "d"])
    groups = {"b": "LV", "a": "LV", "c": "DK", "d": "DK"}
    assert A.brokerage_roles(G, groups) == {n: ZERO | {"total": 0} for n in G}
    G.remove_edge("a", "c")  # one LV-DK pair open at b and at d (from d: a and c, LV and DK, d in DK: gatekeeper)
    r = A.brokerage_roles(G, groups)
    assert r["b"] == roles(representative=1, gatekeeper=1) and r["d"] == roles(representative=1, gatekeeper=1)
    assert all(type(v) is int for counts in r.values() for v in counts.values())  # 1, not 1.0: a csv prints it


def test_brokerage_coordinator_and_itinerant_counted_twice():
    G = nx.star_graph(["b", "x", "y", "z"])
    assert A.brokerage_roles(G, dict.fromkeys("bxyz", "LV"))["b"] == roles(coordinator=3)
    assert A.brokerage_roles(G, {"b": "DK", "x": "LV", "y": "LV", "z": "LV"})["b"] == roles(itinerant=3)


def test_brokerage_groups_from_an_attribute_and_the_international_group():
    G = nx.star_graph(["b", "x", "y"])
    nx.set_node_attributes(G, {"b": "LV", "x": "international", "y": ""}, "country")
    # y has no country: it joins the group "international", the same as x's -> b is an itinerant
    assert A.brokerage_roles(G)["b"] == roles(itinerant=1)
    assert A.brokerage_roles(G, "country", default_group="int")["b"] == roles(liaison=1)
    assert A.brokerage_roles(G, "country", default_group=None)["b"] == ZERO | {"total": 0}
    # a broker without a group is left out, and the nodes after it are still counted
    H = nx.Graph([("b", "x"), ("b", "y"), ("c", "x"), ("c", "y")])
    r = A.brokerage_roles(H, {"x": "LV", "y": "LV", "c": "LV"}, default_group=None)
    assert r["b"] == ZERO | {"total": 0} and r["c"] == roles(coordinator=1)


def test_brokerage_directed_liaisons_mutual_arcs_and_loops():
    D = nx.DiGraph([("a1", "b"), ("a2", "b"), ("b", "c1"), ("b", "c2"), ("c1", "a1"), ("b", "b"), ("b", "a1")])
    g = {"a1": "LV", "a2": "LV", "b": "DK", "c1": "EE", "c2": "EE"}
    # a->b->c for a in {a1, a2}, c in {c1, c2, a1}: a1->b->a1 is no path; a2->b->a1 is itinerant (LV, DK, LV);
    # the four LV->DK->EE paths are liaisons (c1->a1 does not close a1->b->c1); the loop b->b is no broker's path
    assert A.brokerage_roles(D, g)["b"] == roles(True, liaison=4, itinerant=1)
    D.add_edge("a1", "c1")  # now a1->b->c1 is closed
    assert A.brokerage_roles(D, g)["b"] == roles(True, liaison=3, itinerant=1)
    D2 = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "b")])
    assert A.brokerage_roles(D2, {"a": 1, "b": 1, "c": 1, "d": 2})["b"] == roles(True, coordinator=1, gatekeeper=1)
    assert A.brokerage_roles(D2, {"a": 1, "b": 1, "c": 2, "d": 2})["b"] == roles(True, representative=1, itinerant=1)
    # a node without a group on either end is left out when default_group is None
    assert A.brokerage_roles(D2, {"a": 1, "b": 1, "c": 1}, default_group=None)["b"] == roles(True, coordinator=1)
    assert A.brokerage_roles(D2, {"a": 1, "b": 1, "d": 1}, default_group=None)["b"] == ZERO | {"total": 0}


# ------------------------------------------------------------------ communities

def two_cliques():
    """K5 on 0-4 and K3 on 5-7, joined by 4-5."""
    G = nx.complete_graph(5)
    G.add_edges_from([(5, 6), (6, 7), (5, 7), (4, 5)])
    return G


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_communities_numbered_by_decreasing_size(engine):
    c = A.communities(two_cliques(), engine=engine)
    assert c == {0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1, 7: 1}
    # equal sizes: the community whose first member sorts first is number 0
    G = nx.relabel_nodes(nx.barbell_graph(3, 0), {0: "d", 1: "e", 2: "f", 3: "a", 4: "b", 5: "c"})
    assert A.communities(G, engine=engine) == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1}


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_communities_of_equal_size_ordered_by_their_first_member_as_text(engine):
    # triangles {2, 3, 4} and {9, 10, 11} joined by 4-9: as text "10" sorts before "2", so {9, 10, 11} is first
    G = nx.Graph([(2, 3), (3, 4), (2, 4), (9, 10), (10, 11), (9, 11), (4, 9)])
    assert A.communities(G, engine=engine) == {9: 0, 10: 0, 11: 0, 2: 1, 3: 1, 4: 1}


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_communities_weighted_by_default(engine):
    # a 6-cycle 0..5; heavy ties 0-1, 2-3, 4-5 pair the nodes up; unweighted, the pairs 1-2, 3-4, 5-0 are as good
    G = nx.cycle_graph(6)
    for a, b in [(0, 1), (2, 3), (4, 5)]:
        G.edges[a, b]["weight"] = 10
    c = A.communities(G, engine=engine)
    assert sorted(Counter(c.values()).values()) == [2, 2, 2]
    assert c[0] == c[1] and c[2] == c[3] and c[4] == c[5]
    H = nx.cycle_graph(6)
    for a, b in [(1, 2), (3, 4), (5, 0)]:
        H.edges[a, b]["weight"] = 10
    c = A.communities(H, engine=engine)
    assert c[1] == c[2] and c[3] == c[4] and c[5] == c[0] and c[0] != c[1]


def test_communities_unweighted_on_request_and_singletons():
    H = nx.cycle_graph(6)
    for a, b in [(1, 2), (3, 4), (5, 0)]:
        H.edges[a, b]["weight"] = 10
    assert A.communities(H, engine="networkx") == {0: 0, 5: 0, 1: 1, 2: 1, 3: 2, 4: 2}
    assert A.communities(H, weight=None, engine="networkx") == {0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 5: 2}
    for engine in ("networkx", "igraph"):  # communities of one: numbered by their member
        assert A.communities(nx.empty_graph(["b", "a"]), engine=engine) == {"a": 0, "b": 1}


def test_communities_resolution_and_seed_by_default():
    G = nx.karate_club_graph()
    assert sorted(Counter(A.communities(G).values()).values(), reverse=True) == [14, 10, 6, 4]
    assert sorted(Counter(A.communities(G, seed=43).values()).values(), reverse=True) == [16, 10, 8]
    assert len(set(A.communities(G, resolution=2.0).values())) == 7
    assert len(set(A.communities(G, engine="igraph").values())) == 4
    assert len(set(A.communities(G, engine="igraph", resolution=2.0).values())) == 7


def test_communities_on_igraph_follow_the_seed():
    G = nx.gnp_random_graph(40, 0.1, seed=0)
    c = A.communities(G, engine="igraph")  # seed 42
    assert sorted(Counter(c.values()).values(), reverse=True) == [14, 10, 7, 5, 4]
    assert [n for n in G if c[n] == 0] == [0, 1, 2, 5, 9, 15, 19, 20, 23, 28, 30, 33, 36, 38]
    c = A.communities(G, engine="igraph", seed=43)
    assert sorted(Counter(c.values()).values(), reverse=True) == [10, 8, 7, 6, 5, 4]


def test_communities_on_igraph_asked(only_igraph):
    assert A.communities(two_cliques(), engine="igraph") == {0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1, 7: 1}
    assert A.communities(two_cliques(), weight=None, engine="igraph") == {0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1,
                                                                          7: 1}


# ------------------------------------------------------------------ by name, by window

def test_measures_by_name():
    G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "DK"}, "country")
    assert A.MEASURES["degree"](G) == {"a": 1, "b": 2, "c": 1}
    assert A.MEASURES["weighted_degree"](G) == {"a": 2, "b": 3, "c": 1}
    assert A.MEASURES["betweenness"](G) == {"a": 0, "b": 1.0, "c": 0}
    assert A.MEASURES["betweenness"](G, k=1)["a"] == 0
    assert A.MEASURES["eigenvector"](G) == pytest.approx(A.eigenvector(G, weight="weight"))
    assert A.MEASURES["pagerank"](G) == pytest.approx(nx.pagerank(G, weight="weight"))
    assert A.MEASURES["closeness"](G) == pytest.approx({"a": 2 / 3, "b": 1.0, "c": 2 / 3})
    assert A.MEASURES["cross_border_share"](G) == {"a": 0.0, "b": 0.5, "c": 1.0}
    assert A.MEASURES["ei_index"](G) == {"a": -1.0, "b": 0.0, "c": 1.0}
    assert A.MEASURES["community"](G) == A.communities(G)
    assert sorted(A.MEASURES) == sorted(["degree", "weighted_degree", "betweenness", "eigenvector", "pagerank",
                                         "closeness", "cross_border_share", "ei_index", "community"])


def window_data():
    def row(p, o, start, end, role="partner", funding=False):
        return dict(project=p, organisation=o, role=role, funding=funding, start=start, end=end, label=o,
                    country="LV", type="ngo")

    return NetworkData([row("p1", "a", 2018, 2019), row("p1", "b", 2018, 2019), row("p2", "a", 2020, 2021),
                        row("p2", "c", 2020, 2021), row("p2", "d", 2020, 2021),
                        row("p2", "f", 2020, 2021, role="funder", funding=True)])


def test_measures_by_window_windows_steps_and_funders():
    data = window_data()
    assert A.measures_by_window(data) == {"2018-2018": {"a": 1, "b": 1}, "2019-2019": {"a": 1, "b": 1},
                                          "2020-2020": {"a": 2, "c": 2, "d": 2},
                                          "2021-2021": {"a": 2, "c": 2, "d": 2}}
    assert A.measures_by_window(data, window=2, step=2) == {"2018-2019": {"a": 1, "b": 1},
                                                            "2020-2021": {"a": 2, "c": 2, "d": 2}}
    assert A.measures_by_window(data, window=3, step=2, start=2019, end=2021) == {
        "2019-2021": {"a": 3, "b": 1, "c": 2, "d": 2}, "2021-2023": {"a": 2, "c": 2, "d": 2}}
    assert A.measures_by_window(data, start=2017, end=2017) == {"2017-2017": {}}
    assert A.measures_by_window(data, start=2021, include_funders=True) == {
        "2021-2021": {"a": 3, "c": 3, "d": 3, "f": 3}}
    assert A.measures_by_window(data, "weighted_degree", start=2019, end=2019) == {"2019-2019": {"a": 1, "b": 1}}
    assert A.measures_by_window(NetworkData([])) == {}
    undated = NetworkData([dict(window_data().rows[0], start=None, end=None)])
    assert A.measures_by_window(undated) == {}


def test_ratios_are_exact_fractions():
    # a guard for the arithmetic: E-I is 2 s - 1 of the share
    G = borders()
    share, ei = A.cross_border_share(G), A.ei_index(G)
    assert all(ei[n] is None if share[n] is None else math.isclose(ei[n], 2 * share[n] - 1) for n in G)


def test_betweenness_sources_exact_up_to_the_work_each_engine_does_quickly():
    # work = nodes x (nodes + ties): 20,000 nodes is exactly EXACT_WORK on igraph (above LARGE nodes "auto" is igraph)
    assert A.betweenness_sources(nx.empty_graph(20_000)) is None
    assert A.betweenness_sources(nx.empty_graph(20_001)) == A.SAMPLE == 500
    # networkx does the same work 50 times slower: 8,000,000 (2,828 x 2,828 = 7,997,584 is under, 2,829 x 2,829 over)
    assert A.betweenness_sources(nx.empty_graph(2_828), "networkx") is None
    assert A.betweenness_sources(nx.empty_graph(2_829), "networkx") == 500
    assert A.betweenness_sources(nx.empty_graph(2_829)) == 500  # auto, under LARGE nodes: networkx
    assert A.betweenness_sources(nx.star_graph(999)) is None  # 1,000 x (1,000 + 999) < 8,000,000
    assert A.betweenness_sources(nx.complete_graph(200)) is None  # 200 x (200 + 19,900) = 4,020,000
