"""Benchmark the network stage at CORDIS H2020 scale (35,871 organisations, 144,726 participations).

Until the CORDIS importer exists, the same graph shape is built straight from the CSV
(``../shared/datasets/cordis-h2020/h2020.csv.gz``): organisations are PICs, projects RCNs,
every role a consortium role. Then, each step timed with its peak memory:

- export: the co-partnership graph with ngograph (``copartnership_graph``) vs plain networkx
  (``bipartite.weighted_projected_graph``);
- measures: degree, PageRank, betweenness sampled at k=500, Louvain communities, with
  ngograph (igraph behind the same functions above ``analysis.LARGE`` nodes) vs plain networkx.

Plain networkx runs in a forked child with a time cap (``--cap``); what it cannot finish is
reported as "> cap". Where both finish, the results are compared.

    python benchmarks/network.py
    python benchmarks/network.py --csv PATH --cap 300
"""

from __future__ import annotations

import argparse
import csv
import gzip
import multiprocessing as mp
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from ngograph.net import measures as A  # noqa: E402
from ngograph.net.graphs import NetworkData, copartnership_graph  # noqa: E402

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cordis-h2020" / "h2020.csv.gz"
CORDIS_TO_ISO = {"UK": "GB", "EL": "GR"}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_cordis(path: Path) -> NetworkData:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            country = r["country"]
            country = "" if country == "NA" else CORDIS_TO_ISO.get(country, country)
            start = int(r["start_year"]) if r["start_year"] not in ("", "NA") else None
            end = int(r["end_year"]) if r["end_year"] not in ("", "NA") else None
            rows.append({"project": r["rcn"], "organisation": r["pic"], "role": r["role"], "funding": False,
                         "start": start, "end": end, "start_date": "", "end_date": "",
                         "label": r["pic"], "country": country, "type": r["type"]})
    return NetworkData(rows)


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
    args = p.parse_args(argv)
    if not args.csv.is_file():
        print(f"no CORDIS file at {args.csv}: pass --csv", file=sys.stderr)
        return 2

    print("ngograph path")
    t0 = time.perf_counter()
    data, _ = timed("read CSV", lambda: read_cordis(args.csv))
    G, t_export = timed("export: copartnership_graph", lambda: copartnership_graph(data, keep_projects=False))
    print(f"  graph: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
    deg, t_deg = timed("degree", lambda: A.degree(G))
    pr, t_pr = timed("pagerank (igraph behind the same function)", lambda: A.pagerank(G))
    bt, t_bt = timed(f"betweenness k={args.k} (igraph, sampled sources)", lambda: A.betweenness(G, k=args.k, seed=args.seed))
    cm, t_cm = timed("communities (igraph Louvain, seeded)", lambda: A.communities(G, seed=args.seed))
    total = t_export + t_deg + t_pr + t_bt + t_cm
    print(f"  export + degree + pagerank + betweenness + communities: {total:.1f} s "
          f"(with CSV read {time.perf_counter() - t0:.1f} s), peak RSS {peak_mb():.0f} MB")

    print("plain networkx")
    B = nx.Graph()
    for r in data.rows:
        B.add_edge(("o", r["organisation"]), ("p", r["project"]))
    orgs = [n for n in B if n[0] == "o"]
    t_nx_export, P = capped("export: bipartite.weighted_projected_graph",
                            lambda: nx.bipartite.weighted_projected_graph(B, orgs), args.cap)
    if P is not None:
        same = P.number_of_edges() == G.number_of_edges()
        print(f"  same ties as ngograph: {same}")
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
