"""Benchmark the network stage at CORDIS H2020 scale (35,871 organisations, 144,726 participations),
through the store, as `ngograph network` and `ngograph analyze` run it.

The CORDIS table (``../shared/datasets/cordis-h2020/h2020.csv.gz``) is imported into a fresh store
(or ``--store`` names one that holds it as the source ``--source``), then, each step timed with its
peak memory:

- fetch: the participation and organisation rows from the store through the library's SPARQL
  queries (``queries/network/*.rq``), as every command reads them;
- export: the co-partnership graph with ngograph (``copartnership_graph``, a sparse product) vs
  plain networkx (``bipartite.weighted_projected_graph``) on the same rows;
- measures: degree, PageRank, betweenness sampled at k=500, Louvain communities, with
  ngograph (igraph behind the same functions above ``measures.LARGE`` nodes) vs plain networkx;
- per-year windows 2014-2020: the graph of the projects active in each year and the same measures.

Plain networkx runs in a forked child with a time cap (``--cap``); what it cannot finish is
reported as "> cap". Where both finish, the results are compared.

    python benchmarks/network.py
    python benchmarks/network.py --store /tmp/big/store --source cordis --cap 300
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from ngograph.net import measures as A  # noqa: E402
from ngograph.net.graphs import copartnership_graph, fetch  # noqa: E402
from ngograph.store.backends import Embedded  # noqa: E402

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cordis-h2020" / "h2020.csv.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_cordis(csv_path: Path, store: Path) -> None:
    ngo = str(Path(sys.executable).with_name("ngograph"))
    subprocess.run([ngo, "build", "--store", str(store)], check=True, capture_output=True)
    subprocess.run([ngo, "import", "cordis", str(csv_path), "--store", str(store), "--quiet"], check=True)


def timed(label: str, fn):
    t = time.perf_counter()
    value = fn()
    dt = time.perf_counter() - t
    print(f"  {label:44} {dt:8.2f} s   peak RSS {peak_mb():7.0f} MB", flush=True)
    return value, dt


def _child(fn, conn):
    t = time.perf_counter()
    value = fn()
    conn.send((time.perf_counter() - t, value, peak_mb()))


def capped(label: str, fn, cap: float):
    """Run ``fn`` in a forked child; (seconds, value) or (None, None) past the cap."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    if parent.poll(cap):
        dt, value, mb = parent.recv()
        proc.join()
        print(f"  {label:44} {dt:8.2f} s   peak RSS {mb:7.0f} MB (child)", flush=True)
        return dt, value
    proc.kill()
    proc.join()
    print(f"  {label:44}  > {cap:.0f} s (stopped)", flush=True)
    return None, None


def spearman(a: dict, b: dict) -> float:
    from scipy.stats import spearmanr

    keys = sorted(set(a) & set(b))
    return float(spearmanr([a[k] for k in keys], [b[k] for k in keys]).statistic)


def top_overlap(a: dict, b: dict, n: int = 100) -> float:
    ta = set(sorted(a, key=a.get, reverse=True)[:n])
    tb = set(sorted(b, key=b.get, reverse=True)[:n])
    return len(ta & tb) / n


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the CORDIS h2020.csv.gz of shared/datasets")
    p.add_argument("--k", type=int, default=500, help="sampled sources for betweenness (default 500)")
    p.add_argument("--cap", type=float, default=240.0, help="time cap for each plain-networkx step (s)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--store", type=Path, help="a store that holds the CORDIS import (default: import into a temporary one)")
    p.add_argument("--source", default="cordis", help="the CORDIS import's name in --store (default cordis)")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            if not args.csv.is_file():
                print(f"no CORDIS file at {args.csv}: pass --csv or --store", file=sys.stderr)
                return 2
            store = Path(tmp) / "store"
            _, t_import = timed("setup: ngograph import cordis (not counted)", lambda: import_cordis(args.csv, store))
        return run(args, store)


def run(args, store: Path) -> int:
    print("ngograph path (through the store)")
    data, t_fetch = timed("fetch: network rows by SPARQL", lambda: fetch(Embedded(store, sources=[args.source])))
    G, t_export = timed("export: copartnership_graph", lambda: copartnership_graph(data))
    print(f"  graph: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties "
          f"(from the store in {t_fetch + t_export:.1f} s)")
    with A.one_conversion(G):  # as `ngograph analyze` runs them: one conversion to igraph, paid by PageRank
        deg, t_deg = timed("degree", lambda: A.degree(G))
        pr, t_pr = timed("pagerank (igraph behind the same function)", lambda: A.pagerank(G))
        bt, t_bt = timed(f"betweenness k={args.k} (igraph, sampled sources)",
                         lambda: A.betweenness(G, k=args.k, seed=args.seed))
        cm, t_cm = timed("communities (igraph Louvain, seeded)", lambda: A.communities(G, seed=args.seed))
    print(f"  measures: {t_deg + t_pr + t_bt + t_cm:.1f} s; fetch + export + measures: "
          f"{t_fetch + t_export + t_deg + t_pr + t_bt + t_cm:.1f} s, peak RSS {peak_mb():.0f} MB")

    def window(year: int) -> int:
        W = copartnership_graph(data.filter(start=year, end=year))
        with A.one_conversion(W):
            A.degree(W), A.pagerank(W), A.betweenness(W, k=args.k, seed=args.seed), A.communities(W, seed=args.seed)
        return W.number_of_nodes()

    t0 = time.perf_counter()
    for year in range(2014, 2021):
        timed(f"window {year}: graph + the four measures", lambda: window(year))
    print(f"  per-year windows 2014-2020: {time.perf_counter() - t0:.1f} s")

    print("plain networkx")
    B = nx.Graph()  # the consortium members of each project, as the co-partnership graph takes them (no funders)
    for project, members in data.members().items():
        B.add_edges_from((("o", o), ("p", project)) for o in members)
    orgs = [n for n in B if n[0] == "o"]
    t_nx_export, P = capped("export: bipartite.weighted_projected_graph",
                            lambda: nx.bipartite.weighted_projected_graph(B, orgs), args.cap)
    if P is not None:  # the same ties with the same weights
        ties = {(frozenset((a[1], b[1])), w) for a, b, w in P.edges(data="weight")}
        same = ties == {(frozenset((a, b)), w) for a, b, w in G.edges(data="weight")}
        print(f"  same ties and weights as ngograph: {same} ({len(ties):,} ties)")
    base = nx.relabel_nodes(G, str) if P is None else nx.relabel_nodes(P, lambda n: n[1])
    t_nx_pr, pr_nx = capped("pagerank", lambda: nx.pagerank(base, weight="weight"), args.cap)
    t_nx_bt, bt_nx = capped(f"betweenness k={args.k}", lambda: nx.betweenness_centrality(base, k=args.k, seed=args.seed),
                            args.cap)
    small_k = 25
    t_nx_bt_small, bt_nx_small = capped(f"betweenness k={small_k} (to extrapolate)",
                                        lambda: nx.betweenness_centrality(base, k=small_k, seed=args.seed), args.cap)
    t_nx_cm, cm_nx = capped("louvain_communities", lambda: nx.community.louvain_communities(base, weight="weight",
                                                                                            seed=args.seed), args.cap)

    print("how much the results differ")
    if pr_nx is not None:
        print(f"  pagerank: max |igraph - networkx| = {max(abs(pr[n] - pr_nx[n]) for n in pr):.2e}, "
              f"top-100 overlap {top_overlap(pr, pr_nx):.2f}")
    ref = bt_nx if bt_nx is not None else bt_nx_small
    if ref is not None:
        print(f"  betweenness vs networkx k={args.k if bt_nx is not None else small_k}: Spearman {spearman(bt, ref):.3f}, "
              f"top-100 overlap {top_overlap(bt, ref):.2f}")
    if cm_nx is not None:
        parts_ig = {}
        for n, c in cm.items():
            parts_ig.setdefault(c, set()).add(n)
        q_ig = nx.community.modularity(G, parts_ig.values(), weight="weight")
        q_nx = nx.community.modularity(base, cm_nx, weight="weight")
        print(f"  communities: igraph {len(parts_ig)} with modularity {q_ig:.4f}; networkx {len(cm_nx)} with {q_nx:.4f}")

    print("ratios (plain networkx / ngograph)")
    for label, a, b in [("export", t_nx_export, t_export), ("pagerank", t_nx_pr, t_pr),
                        (f"betweenness k={args.k}", t_nx_bt, t_bt), ("communities", t_nx_cm, t_cm)]:
        print(f"  {label:24} " + (f"{a / b:8.1f}x" if a is not None else f"  > {args.cap / b:.0f}x (networkx stopped at the cap)"))
    if t_nx_bt is None and t_nx_bt_small is not None:
        est = t_nx_bt_small * args.k / small_k
        print(f"  betweenness k={args.k} networkx estimate from k={small_k}: ~{est:.0f} s (~{est / t_bt:.0f}x)")
    random.seed(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
