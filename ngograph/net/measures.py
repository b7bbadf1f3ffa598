"""Stage: analysis. Measures of partnership networks, in networkx style: the graph comes
first, a plain ``{node: value}`` dict comes out, weights are an edge-attribute name.

Centralities delegate to networkx (or, for large graphs, to igraph behind the same
function: ``engine="auto"`` picks igraph above :data:`LARGE` nodes when it is installed).
Cross-border measures are ours: the share of a node's ties that cross a border, Krackhardt's
E-I index per node and per group, and Gould-Fernandez brokerage roles.
"""

from __future__ import annotations

import math
import os
import pickle
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import combinations
from pathlib import Path

import networkx as nx

from ngograph.errors import ConfigError, install_hint

__all__ = [
    "LARGE", "degree", "weighted_degree", "betweenness", "betweenness_sources", "eigenvector", "pagerank", "closeness",
    "cross_border_share", "ei_index", "group_ei_index", "brokerage_roles", "bridges_and_cut_points",
    "communities", "measures_by_window", "MEASURES", "one_conversion", "igraph_missing",
]

#: Above this many nodes ``engine="auto"`` uses igraph where it is installed.
LARGE = 5000
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: The work of an exact betweenness (nodes x (nodes + ties), a shortest-path search from every node) that
#: :func:`betweenness_sources` still measures exactly: about ten seconds of igraph here. The CORDIS co-partnership
#: graph (35,871 nodes, 796,670 ties) is 3.0e10: `ngograph analyze` took 821 s with it exact, 20 s with 500 sampled
#: sources.
EXACT_WORK = 400_000_000
#: networkx (graphs of up to :data:`LARGE` nodes) does the same work 20-190 times slower than igraph.
EXACT_WORK_NETWORKX = EXACT_WORK // 50
#: Sources sampled when the exact betweenness would take long (:func:`betweenness_sources`).
SAMPLE = 500
#: Sampled betweenness is shared among processes when its sources times the graph's nodes and
#: edges reach this: about a second of igraph's work, against about a second to start a worker.
PARALLEL_WORK = 50_000_000


# The graph whose igraph conversions the measures share, and those conversions by weight (one_conversion).
_SHARED: ContextVar[tuple | None] = ContextVar("ngograph_shared_igraph", default=None)


@contextmanager
def one_conversion(G: nx.Graph) -> Iterator[nx.Graph]:
    """Within the block, the measures of ``G`` that run on igraph (PageRank, betweenness, Louvain
    communities) convert it to igraph once between them instead of once each (CORDIS's
    co-partnership graph: 0.7-1.0 s a conversion); ``G`` must not change within the block. The
    results are the same: each measure gets the same igraph graph it would have made.

    >>> G = nx.barbell_graph(4, 0)
    >>> with one_conversion(G):
    ...     p = pagerank(G, engine="igraph"); c = communities(G, engine="igraph")
    >>> p == pagerank(G, engine="igraph") and c == communities(G, engine="igraph")
    True
    """
    token = _SHARED.set((G, {}))
    try:
        yield G
    finally:
        _SHARED.reset(token)


def _igraph(G: nx.Graph, weight: str | None):
    """``G`` as an igraph graph with the ``weight`` of its edges (:func:`_convert`), shared within
    :func:`one_conversion`: an unweighted measure tells igraph no weights, so any conversion of
    ``G`` serves it."""
    shared = _SHARED.get()
    if shared is None or shared[0] is not G:
        return _convert(G, weight)
    made = shared[1]
    if weight not in made:
        made[weight] = next(iter(made.values())) if weight is None and made else _convert(G, weight)
    return made[weight]


def _convert(G: nx.Graph, weight: str | None):
    """``G`` as an igraph graph (its nodes numbered in ``G``'s order) and the list of those nodes.
    One walk of the adjacency gives the edges (in ``G.edges()``'s order) and their weights: the
    co-partnership graph of CORDIS (796,670 ties) converts in 0.6-0.7 s (0.7-1.0 s weighted), not 1.2-1.3 s."""
    import igraph as ig

    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    directed, multi = G.is_directed(), G.is_multigraph()
    edges: list[tuple[int, int]] = []
    weights: list = []
    for i, (_, nbrs) in enumerate(G.adjacency()):
        # a multigraph keeps a dict of parallel edges per neighbour: one tie each
        ties = ((nbr, d) for nbr, keyed in nbrs.items() for d in keyed.values()) if multi else nbrs.items()
        for nbr, d in ties:
            j = index[nbr]
            if directed or j >= i:  # an undirected tie is listed from its first node only, as G.edges() does
                edges.append((i, j))
                if weight is not None:
                    weights.append(d.get(weight, 1))
    h = ig.Graph(n=len(nodes), edges=edges, directed=directed)
    if weight is not None:
        h.es["weight"] = weights
    return h, nodes


def igraph_missing(G: nx.Graph) -> bool:
    """Whether ``engine="auto"`` would take igraph for ``G`` (over :data:`LARGE` nodes) but it is not installed: the
    measures then run on networkx, 20-190 times slower.

    >>> igraph_missing(nx.path_graph(3))
    False
    """
    if G.number_of_nodes() <= LARGE:
        return False
    try:
        import igraph  # noqa: F401
    except ImportError:
        return True
    return False


def _use_igraph(G, engine: str) -> bool:
    if engine == "networkx":
        return False
    if engine == "igraph":
        try:
            import igraph  # noqa: F401
        except ImportError as exc:
            raise ConfigError(f"engine='igraph' needs the fast extra ({exc.name} is missing): "
                              f"{install_hint('fast')}") from exc
        return True
    return G.number_of_nodes() > LARGE and not igraph_missing(G)


def degree(G: nx.Graph) -> dict:
    """Number of partners of each node.

    >>> degree(nx.star_graph(4))[0]
    4
    """
    return dict(G.degree())


def weighted_degree(G: nx.Graph, weight: str = "weight") -> dict:
    """Sum of the edge weights of each node (for the co-partnership graph: shared projects, counted per partner).

    >>> G = nx.Graph([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1})])
    >>> weighted_degree(G)["a"]
    4
    """
    return dict(G.degree(weight=weight))


def betweenness(G: nx.Graph, *, k: int | None = None, weight: str | None = None, normalized: bool = True,
                seed: int = 42, engine: str = "auto", workers: int | None = None) -> dict:
    """Betweenness centrality (Freeman 1977), exact, or estimated from ``k`` sampled sources
    (Brandes & Pich 2007) with the same rescaling as networkx.

    ``weight`` is a distance here (networkx semantics); leave it None for the co-partnership
    graph, whose weights are strengths. With igraph the ``k`` sources are drawn with the same
    seed-driven sampler as networkx and igraph's subset betweenness is rescaled as networkx
    does (``(n - 1) / k``, ``(n - 1) / (k - 1)`` for a sampled node), so both engines give the
    same values. A large sample on igraph (:data:`PARALLEL_WORK`) is shared among ``workers``
    processes (default: the cores this process may use), each taking a part of the sources: the
    sums over disjoint sources add up (CORDIS, k=500 on two cores: 13.2 -> 9.4 s).

    >>> round(betweenness(nx.path_graph(5))[2], 3)  # the middle of a path of five
    0.667

    References: L. C. Freeman, Sociometry 40 (1977) 35-41; U. Brandes & C. Pich, IJBC 17 (2007) 2303-2318.
    """
    n = G.number_of_nodes()
    if k is not None and k >= n:
        k = None
    if not _use_igraph(G, engine):
        return nx.betweenness_centrality(G, k=k, normalized=normalized, weight=weight, seed=seed)
    h, nodes = _igraph(G, weight)
    weights = "weight" if weight else None
    if k is None:
        values = h.betweenness(directed=G.is_directed(), weights=weights)
        sources: set = set()
    else:
        sources = set(random.Random(seed).sample(range(n), k))
        values = _sampled_betweenness(h, sorted(sources), weights, workers)
    if n <= 2:  # no pair for a node to lie between
        return dict(zip(nodes, values))
    # igraph counts an undirected pair once, networkx's sums count it both ways; networkx (3.5 on) scales a
    # sample of k sources by (n - 1) / k, and a sampled node, which cannot lie between itself and a
    # target, by (n - 1) / (k - 1)
    pairs = 1.0 if G.is_directed() else 2.0
    out = {}
    for i, (node, v) in enumerate(zip(nodes, values)):
        if k is None:
            out[node] = v * pairs / ((n - 1) * (n - 2)) if normalized else v
            continue
        drawn = k - 1 if i in sources else k
        if not drawn:
            out[node] = math.nan  # as networkx: a sample of one source says nothing about that source
        else:
            out[node] = v * pairs / (drawn * (n - 2)) if normalized else v * (n - 1) / drawn
    return out


def betweenness_sources(G: nx.Graph, engine: str = "auto") -> int | None:
    """The sources to sample for the betweenness of ``G`` (and the pivots of its closeness: the same search from each
    node) when its user names none: None (every node: the exact measure) where its work, nodes x (nodes + ties), is
    at most :data:`EXACT_WORK` (:data:`EXACT_WORK_NETWORKX` on networkx), else :data:`SAMPLE`: a command should not
    run for minutes unasked (the estimate keeps most of the top ranks, not all: 78-86 % of the exact top 100 of
    CORDIS's betweenness from 256 sources).

    >>> betweenness_sources(nx.path_graph(5)) is None
    True
    >>> betweenness_sources(nx.empty_graph(20_000), "igraph"), betweenness_sources(nx.empty_graph(20_001), "igraph")
    (None, 500)
    >>> betweenness_sources(nx.empty_graph(2828), "networkx"), betweenness_sources(nx.empty_graph(2829), "networkx")
    (None, 500)
    """
    n = G.number_of_nodes()
    limit = EXACT_WORK if _use_igraph(G, engine) else EXACT_WORK_NETWORKX
    return None if n * (n + G.number_of_edges()) <= limit else SAMPLE


def _sampled_betweenness(h, sources: list[int], weights: str | None, workers: int | None) -> list[float]:
    """igraph's betweenness over the shortest paths from ``sources``; when the work is large, the
    sources are dealt out to this process and ``workers - 1`` new interpreters, whose sums add up."""
    workers = workers if workers is not None else len(os.sched_getaffinity(0))
    workers = min(workers, len(sources))
    if workers <= 1 or len(sources) * (h.vcount() + h.ecount()) < PARALLEL_WORK:
        return _betweenness_from(h, sources, weights)
    shares = [sources[i::workers] for i in range(workers)]
    graph = (h.vcount(), h.get_edgelist(), h.es[weights] if weights else None, h.is_directed())
    procs = []
    for share in shares[1:]:
        # the input from an unlinked file, not a pipe: igraph holds the GIL while this process counts its own
        # share, so no thread of ours could feed a pipe in the meantime
        with tempfile.TemporaryFile() as given:
            pickle.dump((*graph, share), given)
            given.seek(0)
            procs.append(subprocess.Popen([sys.executable, "-c", _WORKER, str(_ROOT)], stdin=given,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
    total = _betweenness_from(h, shares[0], weights)
    for proc, share in zip(procs, shares[1:]):
        out, _ = proc.communicate()
        try:
            part = pickle.loads(out) if proc.returncode == 0 else None
        except (pickle.UnpicklingError, EOFError, ValueError):
            part = None
        if part is None or len(part) != h.vcount():  # the worker failed (no memory, killed): its share is counted here
            part = _betweenness_from(h, share, weights)
        total = [a + b for a, b in zip(total, part)]
    return total


def _betweenness_from(h, sources: list[int], weights: str | None) -> list[float]:
    """igraph's betweenness of every vertex of ``h`` over the shortest paths from ``sources`` (to any vertex)."""
    return h.betweenness(directed=h.is_directed(), weights=weights, sources=sources, targets=None)


_ROOT = Path(__file__).resolve().parent.parent.parent
# matplotlib kept out: igraph imports it for drawing when it can (0.75 of the worker's 1.9 s start on CORDIS)
_WORKER = "import sys; sys.modules['matplotlib'] = None; sys.path.insert(0, sys.argv[1]); " \
          "from ngograph.net.measures import _betweenness_worker; _betweenness_worker()"


def _betweenness_worker() -> None:
    """A worker of :func:`_sampled_betweenness`: the graph and its share of sources in (pickled on
    stdin, from the parent), the betweenness over paths from them out (on stdout)."""
    import igraph as ig

    n, edges, ws, directed, sources = pickle.load(sys.stdin.buffer)
    h = ig.Graph(n=n, edges=edges, directed=directed)
    if ws is not None:
        h.es["weight"] = ws
    values = _betweenness_from(h, sources, "weight" if ws is not None else None)
    sys.stdout.buffer.write(pickle.dumps(values))


def eigenvector(G: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Eigenvector centrality (Bonacich 1987): partners of central partners are central. The leading
    eigenvector of the whole graph, of unit length: in a graph of several connected components it lies on the
    component whose leading eigenvalue is the largest (on each of them, equally, where several tie), and the
    nodes of every other component, isolated ones too, score 0. Each component's eigenvector is networkx's
    (numpy), its eigenvalue the Rayleigh quotient. (Scaling each component to unit length on its own ranked a
    pair of partners alone in a project, 0.707 each, above the hubs of the largest component.)

    >>> e = eigenvector(nx.star_graph(4), weight=None)
    >>> round(e[0], 3), round(e[1], 3)
    (0.707, 0.354)
    >>> G = nx.star_graph(4); G.add_edge(5, 6)  # the star's eigenvalue is 2, the pair's 1
    >>> [round(v, 3) for v in eigenvector(G, weight=None).values()]
    [0.707, 0.354, 0.354, 0.354, 0.354, 0.0, 0.0]

    Reference: P. Bonacich, American Journal of Sociology 92 (1987) 1170-1182.
    """
    out = dict.fromkeys(G, 0.0)
    leading: list[tuple[float, dict]] = []  # (eigenvalue, unit eigenvector) of each component with ties
    parts = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    for part in parts:
        H = G.subgraph(part)
        if H.number_of_edges() == 0:
            continue
        if len(part) < 3:  # too small for the sparse eigensolver: power iteration
            x = nx.eigenvector_centrality(H, weight=weight)
        else:
            x = nx.eigenvector_centrality_numpy(H, weight=weight)
        both_ways = 1 if H.is_directed() else 2  # an undirected tie is two entries of the adjacency matrix
        value = sum((1 if u == v else both_ways) * (d.get(weight, 1) if weight else 1) * x[u] * x[v]
                    for u, v, d in H.edges(data=True))
        leading.append((value, x))
    top = max((value for value, _ in leading), default=0.0)
    kept = [x for value, x in leading if value >= top * (1 - 1e-9)]
    for x in kept:  # several: each a unit vector, the sum of unit length again
        out.update({n: v / len(kept) ** 0.5 for n, v in x.items()})
    return out


def pagerank(G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85, engine: str = "auto") -> dict:
    """PageRank (Page, Brin, Motwani & Winograd 1999) with damping ``alpha``.

    >>> p = pagerank(nx.star_graph(4), weight=None)
    >>> round(p[0], 3), round(sum(p.values()), 6)
    (0.476, 1.0)
    """
    if not _use_igraph(G, engine):
        return nx.pagerank(G, alpha=alpha, weight=weight)
    h, nodes = _igraph(G, weight)
    values = h.pagerank(damping=alpha, weights="weight" if weight else None, directed=G.is_directed())
    return dict(zip(nodes, values))


def closeness(G: nx.Graph, *, k: int | None = None, seed: int = 42, engine: str = "auto") -> dict:
    """Closeness centrality (Wasserman-Faust variant for disconnected graphs, networkx's ``wf_improved``):
    ``(r - 1) / s * (r - 1) / (n - 1)`` for a node that reaches ``r`` nodes (itself included) at a sum of
    distances ``s``; 0 for a node that reaches none. Exact, or, for an undirected graph, estimated from ``k``
    sampled pivots (Eppstein & Wang 2004): in each connected component of more than ``k`` nodes, ``k`` of
    its nodes (drawn with ``seed``) are the pivots, and a node's sum of distances is its mean distance to
    the pivots times ``r - 1``, a pivot's own is exact (its distances to every node are known); a component
    of at most ``k`` nodes is measured exactly. Both engines draw the same pivots and give the same values;
    a directed graph (closeness over incoming paths) is measured exactly by networkx, whatever ``k``.

    On CORDIS's co-partnership graph (41,855 nodes, 840,000 ties) the exact measure is a shortest-path
    search from every node: hours on networkx, minutes on igraph; 500 pivots take seconds on igraph.

    >>> round(closeness(nx.path_graph(5))[2], 3)
    0.667
    >>> G = nx.path_graph(5)   # pivots 1 and 4: node 2 is at 1 and 2 from them, so its sum of 4 distances is 6
    >>> c = closeness(G, k=2, seed=3)
    >>> round(c[2], 3), round(c[1], 3), sorted(random.Random(3).sample(range(5), 2))   # pivot 1: exact, 4 / 7
    (0.667, 0.571, [1, 4])
    >>> closeness(nx.empty_graph(2), k=1)
    {0: 0.0, 1: 0.0}

    References: S. Wasserman & K. Faust, Social Network Analysis (1994); D. Eppstein & J. Wang, JGAA 8 (2004) 39-45.
    """
    n = G.number_of_nodes()
    if G.is_directed() or (k is None and not _use_igraph(G, engine)):
        return nx.closeness_centrality(G, wf_improved=True)
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    rng = random.Random(seed)
    h = _igraph(G, None)[0] if _use_igraph(G, engine) else None
    whole: list | None = None  # igraph's closeness of every node, (r - 1) / s, made once if a big component is exact
    out = [0.0] * n
    for part in sorted((sorted(index[v] for v in c) for c in nx.connected_components(G)), key=lambda c: c[0]):
        if len(part) == 1:  # reaches no other node: 0
            continue
        scale = (len(part) - 1) / (n - 1)
        big = h if len(part) > _SMALL_PART else None
        if big is not None and (k is None or len(part) <= k):
            whole = whole if whole is not None else big.closeness(normalized=True)
            for v in part:
                out[v] = whole[v] * scale
            continue
        sources = part if k is None or len(part) <= k else sorted(rng.sample(part, k))
        to_sources, from_source = _distance_sums(G, big, nodes, sources, part)
        for v, s in zip(part, to_sources):  # (r - 1) / (s * (r - 1) / sources): s is at least 1, the component connected
            if v not in from_source:
                out[v] = len(sources) / s * scale
        for v, s in from_source.items():  # a source's distances to every node are known: its exact value
            out[v] = (len(part) - 1) / s * scale
    return dict(zip(nodes, out))


#: Components of up to this many nodes are searched by networkx even where igraph measures the graph: each call of
#: igraph's search allocates for the whole graph, which made CORDIS's 3,000 small components take minutes.
_SMALL_PART = 1000
#: Distances igraph hands over at a time (sources x nodes of the component), summed then let go.
_BLOCK = 4_000_000


def _distance_sums(G: nx.Graph, h, nodes: list, sources: list[int], part: list[int]) -> tuple[list, dict]:
    """The sums of distances within the component ``part`` (numbers into ``nodes``) from ``sources``: for each node
    of ``part`` (in its order) its sum from the sources, and for each source its sum to every node. By igraph
    (``h``; the distance matrix in blocks of sources, never whole) or, without ``h``, by networkx."""
    if h is None:
        sums = dict.fromkeys(part, 0)
        rows = {}
        index = {v: i for i, v in enumerate(nodes)}
        for s in sources:
            row = nx.single_source_shortest_path_length(G, nodes[s])
            for v, d in row.items():
                sums[index[v]] += d
            rows[s] = sum(row.values())
        return [sums[v] for v in part], rows
    import numpy as np

    sums = np.zeros(len(part), dtype=np.int64)
    rows = {}
    block = max(1, _BLOCK // len(part))
    for start in range(0, len(sources), block):
        chunk = sources[start:start + block]
        matrix = np.asarray(h.distances(source=chunk, target=part), dtype=np.int64)
        sums += matrix.sum(axis=0)
        rows.update(zip(chunk, matrix.sum(axis=1).tolist()))
    return sums.tolist(), rows


def _ties(G, node, weight):
    for nbr, d in G[node].items():
        yield nbr, (d.get(weight, 1) if weight else 1)


def cross_border_share(G: nx.Graph, attr: str = "country", *, weight: str | None = None) -> dict:
    """Share of each node's ties that reach a node in another ``attr`` group (a country).

    Ties to nodes without a value (international bodies) are left out of the count; a node
    without a value, or without ties to valued nodes, gets ``None``.

    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("d", "e")])
    >>> nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "DK", "d": "BY", "e": ""}, "country")
    >>> cross_border_share(G)
    {'a': 0.6666666666666666, 'b': 0.5, 'c': 1.0, 'd': 1.0, 'e': None}
    """
    out = {}
    for node in G:
        own = G.nodes[node].get(attr) or ""
        cross = total = 0
        if own:
            for nbr, w in _ties(G, node, weight):
                other = G.nodes[nbr].get(attr) or ""
                if other:
                    total += w
                    cross += w if other != own else 0
        out[node] = cross / total if own and total else None
    return out


def ei_index(G: nx.Graph, attr: str = "country", *, weight: str | None = None) -> dict:
    """Krackhardt's E-I index of each node: (external - internal) / (external + internal) ties,
    from -1 (all ties at home) to +1 (all ties across the border). Ties to nodes without a
    value are left out; ``None`` where nothing is left.

    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("d", "e")])
    >>> nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "DK", "d": "BY", "e": ""}, "country")
    >>> {n: round(v, 3) if v is not None else None for n, v in ei_index(G).items()}
    {'a': 0.333, 'b': 0.0, 'c': 1.0, 'd': 1.0, 'e': None}

    Reference: D. Krackhardt & R. N. Stern, Social Psychology Quarterly 51 (1988) 123-140.
    """
    return {n: (2 * s - 1 if s is not None else None) for n, s in cross_border_share(G, attr, weight=weight).items()}


def group_ei_index(G: nx.Graph, attr: str = "country", *, weight: str | None = None) -> dict:
    """E-I index of each group (country): E = ties from its members to other groups, I = ties
    among its members (each counted once); ``(E - I) / (E + I)``. The key ``"*"`` holds the
    index of the whole network.

    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("d", "e")])
    >>> nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "DK", "d": "BY", "e": ""}, "country")
    >>> group_ei_index(G)
    {'BY': 1.0, 'DK': 1.0, 'LV': 0.5, '*': 0.5}
    """
    ext: Counter = Counter()
    internal: Counter = Counter()
    total_e = total_i = 0
    for a, b, d in G.edges(data=True):
        ga, gb = G.nodes[a].get(attr) or "", G.nodes[b].get(attr) or ""
        if not ga or not gb:
            continue
        w = d.get(weight, 1) if weight else 1
        if ga == gb:
            internal[ga] += w
            total_i += w
        else:
            ext[ga] += w
            ext[gb] += w
            total_e += w
    out = {}
    for g in sorted(set(ext) | set(internal)):
        e, i = ext[g], internal[g]
        out[g] = (e - i) / (e + i)
    out["*"] = (total_e - total_i) / (total_e + total_i) if total_e + total_i else None
    return out


def brokerage_roles(G: nx.Graph, partition: dict | str = "country", *, default_group: str | None = "international") -> dict:
    """Gould-Fernandez brokerage roles: for each node b and each open two-path a - b - c
    (a and c not tied), the role b plays by the groups of a, b, c:

    - coordinator: all three in one group;
    - itinerant (consultant): a and c in one group, b in another;
    - representative: a with b, c elsewhere (b speaks for its group);
    - gatekeeper: b with c, a elsewhere (b lets its group be reached);
    - liaison: all three in different groups.

    In a directed graph a -> b -> c is read along the arcs. In an undirected graph every tie
    runs both ways, so each unordered open pair is counted once, and a pair with a and b in
    one group and c in another counts once as representative and once as gatekeeper.
    ``partition`` is a node attribute name or a ``{node: group}`` dict. Nodes without a group
    (international bodies have no country) form the group ``default_group``, or are left out
    when it is None. Returns ``{node: {role: count, ..., "total": count}}``, ``total`` the open two-paths
    the node brokers: in an undirected graph each open pair once (the sum of the roles counted such a pair
    twice, as representative and as gatekeeper).

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("b", "d"), ("d", "e")])
    >>> groups = {"a": "LV", "b": "LV", "c": "DK", "d": "BY", "e": "BY"}
    >>> brokerage_roles(G, groups)["b"]  # the open pairs a-c, a-d (LV, LV, other) and c-d (three groups)
    {'coordinator': 0, 'itinerant': 0, 'representative': 2, 'gatekeeper': 2, 'liaison': 1, 'total': 3}

    Reference: R. V. Gould & R. M. Fernandez, Sociological Methodology 19 (1989) 89-126.
    """
    group = nx.get_node_attributes(G, partition) if isinstance(partition, str) else dict(partition)
    group = {n: group.get(n) or default_group for n in G}
    group = {n: g for n, g in group.items() if g}
    out = {n: dict.fromkeys(ROLES, 0) for n in G}

    def classify(ga, gb, gc):
        if ga == gb == gc:
            return "coordinator"
        if ga == gc:
            return "itinerant"
        if ga == gb:
            return "representative"
        if gb == gc:
            return "gatekeeper"
        return "liaison"

    tied = None
    for b in G:
        if b not in group:
            continue
        gb = group[b]
        if G.is_directed():
            for a in G.predecessors(b):
                for c in G.successors(b):
                    if a != c and a in group and c in group and a != b and c != b and not G.has_edge(a, c):
                        out[b][classify(group[a], gb, group[c])] += 1
        else:
            if tied is None:  # each node's partners as a set once (intersections then walk the smaller of two sets)
                tied = {n: set(G[n]) - {n} for n in G}
            out[b].update(_undirected_roles(tied, b, gb, group))
    twice = "" if G.is_directed() else "gatekeeper"  # undirected: every representative pair is a gatekeeper one too
    for n in out:
        out[n]["total"] = sum(out[n][r] for r in ROLES if r != twice)
    return out


def _undirected_roles(tied: dict, b, gb, group: dict) -> dict:
    """The open two-paths a - b - c of an undirected graph (``tied``: each node's partners, itself left out) by role of
    ``b`` (in group ``gb``): every pair of its partners in a group, by their groups, less the closed pairs (a tied to
    c), counted with set intersections. Partners of one project are all tied, so most pairs are closed: walking the
    pairs one by one took 150 s on the imported CORDIS network, 6,825 partners for one organisation.

    >>> tied = {"a": {"b"}, "b": {"a", "c", "d", "e"}, "c": {"b"}, "d": {"b", "e"}, "e": {"b", "d"}}
    >>> _undirected_roles(tied, "b", "LV", {"a": "LV", "b": "LV", "c": "DK", "d": "BY", "e": "BY"})
    {'coordinator': 0, 'itinerant': 0, 'representative': 3, 'gatekeeper': 3, 'liaison': 2}
    """
    by_group: dict = {}
    for n in tied[b]:
        if n in group:
            by_group.setdefault(group[n], set()).add(n)
    mine = by_group.get(gb, set())
    everyone = set().union(*by_group.values())
    n_all, n_mine = len(everyone), len(mine)
    # every pair of neighbours, by the groups of the pair (a pair with one in b's group: representative and gatekeeper)
    same_other = sum(len(m) * (len(m) - 1) // 2 for g, m in by_group.items() if g != gb)
    pairs = {"coordinator": n_mine * (n_mine - 1) // 2, "itinerant": same_other, "mixed": n_mine * (n_all - n_mine),
             "liaison": (n_all - n_mine) * (n_all - n_mine - 1) // 2 - same_other}
    # the closed ones, each seen from both ends (a pair with one in b's group: from that end only)
    closed = dict.fromkeys(pairs, 0)
    for g, members in by_group.items():
        for a in members:
            partners = tied[a]
            common = len(everyone & partners)
            with_mine = len(mine & partners)
            if g == gb:
                closed["coordinator"] += with_mine
                closed["mixed"] += 2 * (common - with_mine)
            else:
                with_own = len(members & partners)
                closed["itinerant"] += with_own
                closed["liaison"] += common - with_mine - with_own
    open_ = {k: pairs[k] - closed[k] // 2 for k in pairs}
    return {"coordinator": open_["coordinator"], "itinerant": open_["itinerant"], "representative": open_["mixed"],
            "gatekeeper": open_["mixed"], "liaison": open_["liaison"]}


def bridges_and_cut_points(G: nx.Graph) -> dict:
    """Ties whose loss would split the network (bridges) and organisations whose loss would
    (articulation points).

    >>> bridges_and_cut_points(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")]))
    {'bridges': [('c', 'd'), ('d', 'e')], 'articulation_points': ['c', 'd']}
    """
    return {"bridges": sorted(tuple(sorted(e)) for e in nx.bridges(G)),
            "articulation_points": sorted(nx.articulation_points(G))}


def communities(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 42,
                engine: str = "auto") -> dict:
    """Louvain communities (Blondel et al. 2008), seeded so that results repeat:
    ``{node: community number}``, numbered by decreasing size.

    >>> G = nx.barbell_graph(4, 0)
    >>> c = communities(G)
    >>> len(set(c.values())), c[0] == c[3], c[0] != c[7]
    (2, True, True)

    Reference: V. D. Blondel, J.-L. Guillaume, R. Lambiotte & E. Lefebvre, J. Stat. Mech. (2008) P10008.
    """
    if _use_igraph(G, engine):
        import igraph as ig

        ig.set_random_number_generator(random.Random(seed))
        h, nodes = _igraph(G, weight)
        parts = [[nodes[i] for i in c] for c in h.community_multilevel(weights="weight" if weight else None,
                                                                       resolution=resolution)]
    else:
        parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    parts = sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))
    return {n: i for i, p in enumerate(parts) for n in p}


#: Measures by name, for the command line: each takes the graph and returns {node: value}.
MEASURES = {
    "degree": lambda G, **kw: degree(G),
    "weighted_degree": lambda G, **kw: weighted_degree(G),
    "betweenness": lambda G, k=None, **kw: betweenness(G, k=k),
    "eigenvector": lambda G, **kw: eigenvector(G),
    "pagerank": lambda G, **kw: pagerank(G),
    "closeness": lambda G, k=None, **kw: closeness(G, k=k),
    "cross_border_share": lambda G, **kw: cross_border_share(G),
    "ei_index": lambda G, **kw: ei_index(G),
    "community": lambda G, **kw: communities(G),
}


def measures_by_window(data, measure: str = "degree", *, window: int = 1, step: int = 1,
                       start: int | None = None, end: int | None = None, include_funders: bool = False) -> dict:
    """A measure of the co-partnership graph per time window: ``{"2018-2018": {node: value}}``.

    Each window keeps the projects active in it (see :meth:`NetworkData.filter`).
    """
    from ngograph.net.graphs import copartnership_graph

    periods = data.periods()
    years = [y for p in {r["project"] for r in data.rows} for y in periods.get(p, ()) if y is not None]
    if not years:
        return {}
    first, last = start or min(years), end or max(years)
    out = {}
    y = first
    while y <= last:
        w_end = y + window - 1
        G = copartnership_graph(data.filter(start=y, end=w_end), include_funders=include_funders)
        out[f"{y}-{w_end}"] = MEASURES[measure](G) if G.number_of_nodes() else {}
        y += step
    return out
