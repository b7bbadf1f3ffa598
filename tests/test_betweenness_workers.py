"""Sampled betweenness on igraph shared among worker processes (measures._sampled_betweenness):
the sums over disjoint sources add up to the one-process result, written by hand on a path and
checked against networkx and against one process on random graphs; workers start only where the
work is large, never more than the sources; a worker that fails has its share counted here."""

from __future__ import annotations

import io
import math
import pickle
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngograph.net import measures as A


@pytest.fixture
def started(monkeypatch):
    """Every worker process started by the measures module, still really started."""
    calls = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(A.subprocess, "Popen", popen)
    return calls


@pytest.fixture
def always(monkeypatch):
    """Share every sample, however small."""
    monkeypatch.setattr(A, "PARALLEL_WORK", 0)


def test_a_path_by_hand_with_two_workers(always, started):
    # path 0-1-2-3-4, k=2: random.Random(42).sample(range(5), 2) == [0, 4], one source per process.
    # From 0, node 1 lies on 3 paths, 2 on 2, 3 on 1; from 4 the mirror: 4 each; a pair counts once: 2;
    # rescaled by (n - 1) / k = 2: 4.
    got = A.betweenness(nx.path_graph(5), k=2, normalized=False, engine="igraph", workers=2)
    assert got == pytest.approx({0: 0, 1: 4, 2: 4, 3: 4, 4: 0})
    assert len(started) == 1


def test_weighted_and_directed_with_workers_equal_networkx(always, started):
    D = nx.DiGraph()
    D.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("c", "d", 1), ("a", "c", 2), ("d", "a", 1)])
    D.add_node("e")
    for weight in ("weight", None):
        expected = A.betweenness(D, k=3, weight=weight, normalized=False, engine="networkx")
        assert A.betweenness(D, k=3, weight=weight, normalized=False, engine="igraph", workers=3) == pytest.approx(
            expected)
    # the weights reach the workers: with them the paths differ
    assert A.betweenness(D, k=3, weight="weight", engine="igraph", workers=3) != pytest.approx(
        A.betweenness(D, k=3, engine="igraph", workers=3))
    assert len(started) == 8  # two workers for each of the four shared samples


def test_workers_start_only_for_large_work(monkeypatch, started):
    G = nx.connected_watts_strogatz_graph(30, 4, 0.2, seed=3)  # 30 nodes, 60 edges
    one = A.betweenness(G, k=10, engine="igraph", workers=1)
    assert A.betweenness(G, k=10, engine="igraph", workers=2) == one and started == []  # default threshold
    monkeypatch.setattr(A, "PARALLEL_WORK", 10 * (30 + 60) + 1)
    assert A.betweenness(G, k=10, engine="igraph", workers=2) == one and started == []
    monkeypatch.setattr(A, "PARALLEL_WORK", 10 * (30 + 60))  # the threshold reached: shared
    assert A.betweenness(G, k=10, engine="igraph", workers=2) == pytest.approx(one, abs=1e-12)
    assert len(started) == 1
    assert A.betweenness(G, k=10, engine="igraph", workers=1) == one and len(started) == 1
    assert A.betweenness(G, engine="igraph", workers=2) == A.betweenness(G, engine="igraph", workers=1)
    assert len(started) == 1  # exact betweenness is not shared
    monkeypatch.setattr(A, "PARALLEL_WORK", 0)
    assert A.betweenness(G, k=2, normalized=False, engine="igraph", workers=5) == pytest.approx(
        A.betweenness(G, k=2, normalized=False, engine="igraph", workers=1))
    assert len(started) == 2  # two sources: one worker besides this process, not four


def test_default_workers_are_the_usable_cores(always, monkeypatch, started):
    monkeypatch.setattr(A.os, "sched_getaffinity", lambda pid: {0, 3, 5})
    G = nx.path_graph(6)
    assert A.betweenness(G, k=4, engine="igraph") == pytest.approx(A.betweenness(G, k=4, engine="networkx"))
    assert len(started) == 2


def test_a_failed_worker_share_is_counted_here(always, monkeypatch, started):
    G = nx.connected_watts_strogatz_graph(30, 4, 0.2, seed=5)
    monkeypatch.setattr(A, "_WORKER", "import sys; sys.exit(3)")
    assert A.betweenness(G, k=12, engine="igraph", workers=3) == pytest.approx(
        A.betweenness(G, k=12, engine="networkx"))
    assert len(started) == 2


@st.composite
def graphs(draw):
    directed = draw(st.booleans())
    n = draw(st.integers(min_value=3, max_value=12))
    pairs = [(a, b) for a in range(n) for b in range(n) if a != b and (directed or a < b)]
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))):
        G.add_edge(a, b, weight=draw(st.integers(min_value=1, max_value=4)))
    return G


@settings(derandomize=True, max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.booleans(), st.booleans(), st.integers(min_value=2, max_value=6), st.integers(2, 3))
def test_shared_equals_one_process_on_random_graphs(G, weighted, normalized, k, workers):
    kw = dict(k=k, weight="weight" if weighted else None, normalized=normalized, engine="igraph", seed=k)
    one = A.betweenness(G, workers=1, **kw)
    saved = A.PARALLEL_WORK
    A.PARALLEL_WORK = 0
    try:
        shared = A.betweenness(G, workers=workers, **kw)
    finally:
        A.PARALLEL_WORK = saved
    assert shared == pytest.approx(one, abs=1e-9, nan_ok=True)
    assert sum(math.isnan(v) for v in shared.values()) == sum(math.isnan(v) for v in one.values())


def test_a_worker_that_writes_something_else_has_its_share_counted_here(always, monkeypatch):
    G = nx.connected_watts_strogatz_graph(20, 4, 0.2, seed=7)
    monkeypatch.setattr(A, "_WORKER", "print('hello')")
    assert A.betweenness(G, k=8, engine="igraph", workers=2) == pytest.approx(A.betweenness(G, k=8, engine="networkx"))
    monkeypatch.setattr(A, "_WORKER", "import pickle, sys; sys.stdout.buffer.write(pickle.dumps([1.0]))")
    assert A.betweenness(G, k=8, engine="igraph", workers=2) == pytest.approx(A.betweenness(G, k=8, engine="networkx"))


class _Pipe:
    """A stand-in for sys.stdin or sys.stdout in this process: ``.buffer`` is a bytes stream."""

    def __init__(self, data: bytes = b""):
        self.buffer = io.BytesIO(data)


def _worker_here(monkeypatch, payload: tuple) -> list[float]:
    """What the worker writes for the pickled ``payload`` (vertices, ties, weights, directed, sources), run in
    this process with its stdin and stdout replaced (mutmut sees no call made in another interpreter)."""
    out = _Pipe()
    monkeypatch.setattr(sys, "stdin", _Pipe(pickle.dumps(payload)))
    monkeypatch.setattr(sys, "stdout", out)
    A._betweenness_worker()
    return pickle.loads(out.buffer.getvalue())


@pytest.mark.parametrize("weights, directed, expected", [
    # path 0-1-2-3 from sources 0 and 3: node 1 lies on 0->2, 0->3 and 3->0, node 2 on 0->3, 3->1 and 3->0; igraph
    # halves an undirected graph's counts (each pair is found from both ends): 1.5 each
    (None, False, [0.0, 1.5, 1.5, 0.0]),
    # the ring 0-1-2-3-0 where 0-1 costs 10: from 0, 2 is reached through 3 and 1 through 3 and 2; from 3, 1 through
    # 2. Node 2 on 0->1 and 3->1, node 3 on 0->2 and 0->1: halved, 1.0 each
    ([10.0, 1.0, 1.0, 1.0], False, [0.0, 0.0, 1.0, 1.0]),
    # directed ring 0->1->2->3->0: from 0, 1 on 0->2 and 0->3, 2 on 0->3; from 3, 0 on 3->1 and 3->2, 1 on 3->2
    ([1.0, 1.0, 1.0, 1.0], True, [2.0, 3.0, 1.0, 0.0]),
])
def test_the_worker_in_this_process_reads_its_share_and_writes_the_sums(monkeypatch, weights, directed, expected):
    edges = [(0, 1), (1, 2), (2, 3)] + ([] if weights is None else [(3, 0)])
    assert _worker_here(monkeypatch, (4, edges, weights, directed, [0, 3])) == pytest.approx(expected)
    # the same as networkx's betweenness over paths from those sources
    G = (nx.DiGraph if directed else nx.Graph)()
    G.add_weighted_edges_from((a, b, w) for (a, b), w in zip(edges, weights or [1.0] * len(edges)))
    reference = nx.betweenness_centrality_subset(G, [0, 3], list(G), normalized=False,
                                                 weight="weight" if weights else None)
    assert [reference[n] for n in range(4)] == pytest.approx(expected)


def _ring() -> nx.Graph:
    """The ring 0-1-2-3-0 where the tie 0-1 costs 10, and 4 hanging from 2: weighted, the shortest paths from 1
    and from 3 differ from the unweighted ones (from 1, node 0 is reached through 2 and 3, not directly)."""
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 10), (1, 2, 1), (2, 3, 1), (3, 0, 1), (2, 4, 1)])
    return G


@pytest.fixture
def counted_here(monkeypatch):
    """The sources of every betweenness this process counts itself."""
    calls = []
    real = A._betweenness_from
    monkeypatch.setattr(A, "_betweenness_from", lambda h, sources, weights: calls.append(list(sources)) or real(
        h, sources, weights))
    return calls


@pytest.mark.parametrize("weight", ["weight", None])
def test_the_workers_results_are_used_and_this_process_counts_only_its_share(always, started, counted_here, weight):
    G = _ring()
    one = A.betweenness(G, k=4, weight=weight, normalized=False, engine="igraph", workers=1)
    assert counted_here == [[0, 1, 2, 4]]  # random.Random(42).sample(range(5), 4), sorted
    counted_here.clear()
    assert A.betweenness(G, k=4, weight=weight, normalized=False, engine="igraph", workers=2) == pytest.approx(one)
    assert counted_here == [[0, 2]]  # the worker's share, [1, 4], came from the worker: not counted again here
    h, _ = A._igraph(G, "weight")  # and with the weights the worker's share counts otherwise
    assert A._betweenness_from(h, [1, 4], "weight") != pytest.approx(A._betweenness_from(h, [1, 4], None))
    # the worker is told where the package is (it may run where ngograph is not importable from the working folder)
    [(command,)] = started
    assert command[1:] == ["-c", A._WORKER, str(A._ROOT)] and (A._ROOT / "ngograph" / "net" / "measures.py").is_file()


def test_a_worker_that_fails_after_writing_a_result_is_not_trusted(always, monkeypatch):
    # a worker that writes a list of the right length and then exits 1: its values are not used
    monkeypatch.setattr(A, "_WORKER", "import pickle, sys; sys.stdout.buffer.write(pickle.dumps([1000.0] * 5)); "
                                      "sys.stdout.flush(); sys.exit(1)")
    G = _ring()
    assert A.betweenness(G, k=4, normalized=False, engine="igraph", workers=2) == pytest.approx(
        A.betweenness(G, k=4, normalized=False, engine="igraph", workers=1))


def test_a_failed_worker_share_is_counted_here_with_the_weights(always, monkeypatch):
    monkeypatch.setattr(A, "_WORKER", "import sys; sys.exit(3)")
    G = _ring()
    weighted = A.betweenness(G, k=4, weight="weight", normalized=False, engine="igraph", workers=1)
    assert weighted != pytest.approx(A.betweenness(G, k=4, normalized=False, engine="igraph", workers=1))
    assert A.betweenness(G, k=4, weight="weight", normalized=False, engine="igraph", workers=2) == pytest.approx(weighted)


def test_the_conversion_keeps_parallel_ties_and_self_loops():
    M = nx.MultiGraph()
    M.add_edge("a", "b", weight=2)
    M.add_edge("a", "b", weight=3)
    M.add_edge("b", "b", weight=5)
    h, nodes = A._igraph(M, "weight")
    assert nodes == ["a", "b"] and h.get_edgelist() == [(0, 1), (0, 1), (1, 1)] and h.es["weight"] == [2, 3, 5]
    G = nx.Graph([("a", "a"), ("a", "b")])
    h, _ = A._igraph(G, None)
    assert h.get_edgelist() == [(0, 0), (0, 1)] and not h.is_directed()


def test_the_worker_keeps_a_last_vertex_without_ties(monkeypatch):
    # the path 0-1-2-3 and vertex 4 alone: the graph has five vertices though no tie names the last
    assert _worker_here(monkeypatch, (5, [(0, 1), (1, 2), (2, 3)], None, False, [0, 3])) == pytest.approx(
        [0.0, 1.5, 1.5, 0.0, 0.0])


def test_the_worker_process_leaves_matplotlib_out_and_still_counts():
    # igraph imports matplotlib for drawing when it can (0.75 s of a worker's start); the worker never draws.
    # The real command, with a line after it that reports which matplotlib modules the process holds.
    code = A._WORKER + "; sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('matplotlib'))))"
    payload = pickle.dumps((5, [(0, 1), (1, 2), (2, 3), (3, 4)], None, False, [0, 4]))
    done = subprocess.run([sys.executable, "-c", code, str(A._ROOT)], input=payload, capture_output=True, check=True)
    assert done.stderr.decode() == "['matplotlib']"  # the blocked entry only, nothing imported
    # on the path 0-1-2-3-4 from the ends 0 and 4: node 1 lies on 0's paths to 2, 3, 4 and on 4's to 0; node 2 on
    # 0's to 3, 4 and 4's to 1, 0; node 3 on 0's to 4 and 4's to 2, 1, 0: 4 each, halved as igraph counts an
    # undirected pair once
    assert pickle.loads(done.stdout) == [0.0, 2.0, 2.0, 2.0, 0.0]
