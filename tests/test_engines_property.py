"""Property-based tests (hypothesis) where one implementation checks another (issue 14):
igraph and networkx give the same measures on random graphs with isolated nodes, weights and
direction, with the engine that ran asserted; measures do not depend on the nodes' names; the
networks built from participations equal a brute-force count. Derandomized: the same examples
on every run."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from itertools import combinations
from unittest import mock

import igraph as ig
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngograph.net import graphs as N
from ngograph.net import measures as A

from conftest import walked_roles

SETTINGS = settings(derandomize=True, max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def graphs(draw, directed=None, max_nodes=9):
    """A graph of up to ``max_nodes`` nodes (some isolated), directed or not, weights 1-4."""
    directed = draw(st.booleans()) if directed is None else directed
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b and (directed or a < b)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for a, b in edges:
        G.add_edge(a, b, weight=draw(st.integers(min_value=1, max_value=4)))
    return G


@contextmanager
def engine_only(engine):
    """Make the other engine raise, so that a result proves which one ran."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"not {engine}")

    if engine == "igraph":
        with mock.patch.object(A.nx, "betweenness_centrality", refuse), mock.patch.object(A.nx, "pagerank", refuse), \
                mock.patch.object(A.nx.community, "louvain_communities", refuse), \
                mock.patch.object(A.nx, "closeness_centrality", refuse), \
                mock.patch.object(A.nx, "single_source_shortest_path_length", refuse):
            yield
    else:
        with mock.patch.object(A, "_igraph", refuse):
            yield


def on_both(measure, G, **kw):
    """``measure`` of ``G`` by networkx, then by igraph, each with the other engine made to raise."""
    with engine_only("networkx"):
        expected = measure(G, engine="networkx", **kw)
    with engine_only("igraph"):
        return expected, measure(G, engine="igraph", **kw)


# ------------------------------------------------------------------ igraph against networkx

@SETTINGS
@given(graphs())
def test_igraph_conversion_keeps_degrees_and_weights(G):
    h, nodes = A._igraph(G, "weight")
    assert nodes == list(G) and h.vcount() == G.number_of_nodes() and h.is_directed() == G.is_directed()
    assert dict(zip(nodes, h.degree())) == A.degree(G)
    assert dict(zip(nodes, h.strength(weights="weight"))) == A.weighted_degree(G)
    if G.is_directed():
        assert dict(zip(nodes, h.outdegree())) == dict(G.out_degree())


@SETTINGS
@given(graphs(), st.booleans(), st.booleans())
def test_exact_betweenness_same_on_both_engines(G, weighted, normalized):
    expected, got = on_both(A.betweenness, G, weight="weight" if weighted else None, normalized=normalized)
    assert got == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(graphs(), st.booleans(), st.booleans(), st.integers(min_value=1, max_value=8), st.integers(0, 99))
def test_sampled_betweenness_same_on_both_engines(G, weighted, normalized, k, seed):
    expected, got = on_both(A.betweenness, G, k=k, seed=seed, weight="weight" if weighted else None,
                            normalized=normalized)
    assert got == pytest.approx(expected, abs=1e-9, nan_ok=True)


@SETTINGS
@given(graphs(), st.booleans(), st.sampled_from([0.5, 0.85]))
def test_pagerank_same_on_both_engines(G, weighted, alpha):
    expected, got = on_both(A.pagerank, G, weight="weight" if weighted else None, alpha=alpha)
    assert got == pytest.approx(expected, abs=1e-5)


@SETTINGS
@given(graphs())
def test_closeness_equals_igraph_with_the_wasserman_faust_factor(G):
    """igraph's normalised closeness is r / (sum of distances) over the r nodes reached (toward the node in a
    directed graph, as networkx reads it); Wasserman and Faust scale it by r / (n - 1)."""
    h, nodes = A._igraph(G, None)
    n = len(nodes)
    raw = h.closeness(mode="in", normalized=True)
    reached = [len(h.subcomponent(i, mode="in")) - 1 for i in range(n)]
    expected = {v: (0.0 if r == 0 else c * r / (n - 1)) for v, c, r in zip(nodes, raw, reached)}
    assert A.closeness(G) == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(graphs(directed=False, max_nodes=12), st.integers(min_value=1, max_value=13), st.integers(0, 5))
def test_sampled_closeness_is_the_same_on_both_engines_and_exact_once_k_covers_each_component(G, k, seed):
    with mock.patch.object(A, "_SMALL_PART", 1):  # igraph's search for every component of two nodes or more
        expected, got = on_both(A.closeness, G, k=k, seed=seed)
    assert got == pytest.approx(expected, abs=1e-12) and list(got) == list(G)
    exact = nx.closeness_centrality(G)
    if k >= max((len(c) for c in nx.connected_components(G)), default=0):
        assert got == pytest.approx(exact, abs=1e-12)
    with engine_only("igraph"), mock.patch.object(A, "_SMALL_PART", 1):
        assert A.closeness(G, engine="igraph") == pytest.approx(exact, abs=1e-12)


@SETTINGS
@given(graphs(directed=False, max_nodes=12), st.booleans())
def test_louvain_partition_quality_close_on_both_engines(G, weighted):
    weight = "weight" if weighted else None
    nx_parts, ig_parts = on_both(A.communities, G, weight=weight)

    def quality(c):
        groups = [{n for n in c if c[n] == i} for i in set(c.values())]
        return nx.community.modularity(G, groups, weight=weight) if G.number_of_edges() else 0.0

    for c in (nx_parts, ig_parts):
        assert set(c) == set(G) and sorted(set(c.values())) == list(range(len(set(c.values()))))
        sizes = Counter(c.values())
        assert [sizes[i] for i in range(len(sizes))] == sorted(sizes.values(), reverse=True)
    assert quality(ig_parts) == pytest.approx(quality(nx_parts), abs=0.1)


def test_igraph_is_the_real_igraph():
    assert ig.Graph is A._igraph(nx.path_graph(2), None)[0].__class__


# ------------------------------------------------------------------ names do not matter

@SETTINGS
@given(graphs(), st.randoms(use_true_random=False), st.lists(st.sampled_from(["LV", "DK", "EE", ""]), min_size=9,
                                                             max_size=9))
def test_measures_invariant_under_relabelling(G, rnd, countries):
    nx.set_node_attributes(G, {n: countries[n] for n in G}, "country")
    names = [f"n{i}" for i in range(G.number_of_nodes())]
    rnd.shuffle(names)
    mapping = dict(zip(G, names))
    H = nx.relabel_nodes(G, mapping)

    def same(f, exact=False, **kw):
        a, b = f(G, **kw), f(H, **kw)
        renamed = {mapping[n]: v for n, v in a.items()}
        assert renamed == b if exact else renamed == pytest.approx(b, abs=1e-9)

    for engine in ("networkx", "igraph"):
        same(A.betweenness, engine=engine, weight="weight")
        same(A.pagerank, engine=engine)
    same(A.closeness)
    same(A.degree)
    same(A.weighted_degree)
    same(A.cross_border_share, exact=True, weight="weight")
    same(A.ei_index, exact=True)
    same(A.brokerage_roles, exact=True)
    ga, gb = A.group_ei_index(G), A.group_ei_index(H)
    assert ga == gb


# ------------------------------------------------------------------ networks against a brute-force count

ROLES = [("partner", False), ("lead-partner", False), ("funder", True), ("co-funder", True),
         ("administrator", True)]


@st.composite
def participations(draw):
    orgs = {f"o{i}": draw(st.sampled_from(["LV", "DK", "EE", ""])) for i in range(draw(st.integers(1, 7)))}
    rows = draw(st.lists(st.tuples(st.sampled_from([f"p{i}" for i in range(5)]), st.sampled_from(sorted(orgs)),
                                   st.sampled_from(ROLES)), unique=True, max_size=25))
    return N.NetworkData([dict(project=p, organisation=o, role=r, funding=f, label=o, country=orgs[o], type="ngo")
                          for p, o, (r, f) in rows])


def brute_members(data, include_funders):
    return {p: {r["organisation"] for r in data.rows if r["project"] == p
                and (not r["funding"] or (include_funders and r["role"] in ("funder", "co-funder")))}
            for p in {r["project"] for r in data.rows}}


@SETTINGS
@given(participations(), st.booleans(), st.booleans())
def test_copartnership_equals_a_brute_force_count(data, include_funders, keep_projects):
    members = brute_members(data, include_funders)
    G = N.copartnership_graph(data, include_funders=include_funders, keep_projects=keep_projects)
    assert set(G) == set().union(*members.values()) if members else set(G) == set()
    orgs = sorted(set(G))
    expected = {}
    for a, b in combinations(orgs, 2):
        shared = sorted(p for p, ms in members.items() if a in ms and b in ms)
        if shared:
            expected[a, b] = shared
    assert {tuple(sorted(e)): d["weight"] for *e, d in G.edges(data=True)} == {k: len(v) for k, v in expected.items()}
    if keep_projects:
        assert {tuple(sorted(e)): d["projects"] for *e, d in G.edges(data=True)} == {
            k: " ".join(v) for k, v in expected.items()}


@SETTINGS
@given(participations(), st.booleans())
def test_copartnership_adjacency_is_the_one_networkx_builds(data, include_funders):
    """Without project lists the edges go straight into networkx's adjacency (``_add_pairs``): the same
    graph as ``add_weighted_edges_from`` gives, each node's neighbours in the same order (the algorithms'
    ties follow it) and one attribute dict for both directions of an edge."""
    G = N.copartnership_graph(data, include_funders=include_funders, keep_projects=False)
    members = data.members(include_funders)
    nodes = sorted(set().union(*members.values())) if members else []
    H = nx.Graph(kind="organisations")
    H.add_nodes_from((o, data.organisations()[o]) for o in nodes)
    a, b, w = N.shared_projects(members, nodes)
    H.add_weighted_edges_from(zip([nodes[i] for i in a], [nodes[j] for j in b], w.tolist()))
    assert nx.utils.graphs_equal(G, H)
    assert [(u, list(G.adj[u].items())) for u in G] == [(u, list(H.adj[u].items())) for u in H]
    assert list(G.edges(data=True)) == list(H.edges(data=True))
    assert all(G[u][v] is G[v][u] for u, v in G.edges)


@SETTINGS
@given(participations(), st.booleans())
def test_country_and_bipartite_graphs_equal_a_brute_force_count(data, include_funders):
    members = brute_members(data, include_funders)
    country = {r["organisation"]: r["country"] for r in data.rows}
    C = N.country_graph(data, include_funders=include_funders)
    weight, pairs = Counter(), Counter()
    for ms in members.values():
        for a, b in combinations(sorted(ms), 2):
            ca, cb = country[a], country[b]
            if ca and cb and ca != cb:
                pairs[tuple(sorted((ca, cb)))] += 1
        cs = sorted({country[o] for o in ms if country[o]})
        for pair in combinations(cs, 2):
            weight[pair] += 1
    assert {tuple(sorted(e)): (d["weight"], d["pairs"]) for *e, d in C.edges(data=True)} == {
        k: (weight[k], pairs[k]) for k in weight}
    assert {c: d["organisations"] for c, d in C.nodes(data=True)} == dict(Counter(
        country[o] for o in set().union(*members.values(), set()) if country[o]))
    B = N.bipartite_graph(data, include_funders=include_funders)
    kept = {(r["organisation"], r["project"]) for r in data.rows if include_funders or not r["funding"]}
    assert {tuple(sorted(e)) for e in B.edges()} == {(f"organisation/{o}", f"project/{p}") for o, p in kept}
    for o, p in kept:
        assert sorted(B.edges[f"organisation/{o}", f"project/{p}"]["role"].split()) == sorted(
            r["role"] for r in data.rows if r["organisation"] == o and r["project"] == p
            and (include_funders or not r["funding"]))




@SETTINGS
@given(graphs(directed=False, max_nodes=12), st.data())
def test_brokerage_counted_by_intersections_equals_walking_every_pair(G, data):
    groups = {n: data.draw(st.sampled_from(["LV", "DK", "BY", None])) for n in G}  # None: no group
    if data.draw(st.booleans()) and len(G):
        G.add_edge(0, 0)  # a self-loop is no partner of itself
    kept = {n: g for n, g in groups.items() if g}
    counted = A.brokerage_roles(G, groups, default_group=None)
    assert counted == walked_roles(G, kept)
    assert all(type(v) is int for roles in counted.values() for v in roles.values())
    assert A.brokerage_roles(G, groups, default_group="intl") == walked_roles(G, {n: g or "intl" for n, g in groups.items()})
