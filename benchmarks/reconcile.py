"""Reconciliation at real scale: every organisation of the imported sources.

    python benchmarks/reconcile.py [--datasets ../shared/datasets] [--store STORE]

Without --store it imports (without reconciling) the IATI covid bulk, CORDIS H2020 (the
participation table and the sample with names), 360Giving, Interreg Sweden and the Research
Council of Norway into a fresh store holding the seed graph. Then it times, in a child process
so that the peak memory is its own, ``ngograph reconcile`` on every organisation of the store
(read the organisations, match, write the graph and the review queue), against the baseline
of only reading the organisations from the store, and prints wall and CPU seconds, peak RSS and
the ratio. Last, the matching alone on growing samples of the records: seconds per 1,000
records stay about flat when the cost grows near-linearly (blocking), and would double with
each doubling for all pairs. Then, unless --no-network, how the co-partnership network of the CORDIS
projects (``--network-source``) changes: before, that source alone as imported (``--source cordis``,
no reconciliation); after, the same projects in the reconciled store (``network/participations``
maps every node to its canonical node): organisations, ties, connected components and the largest
one's size, and the top 20 by betweenness (sampled, k=500, seed 42) side by side; when no two
of its nodes became one, the network after is the one before renamed, and says so.

    python benchmarks/reconcile.py --store /tmp/big/store                  # timings, then the network
    python benchmarks/reconcile.py --store /tmp/big/store --network-only   # a reconciled store's network
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imports import _timed  # noqa: E402  (the same child-process timer as the import benchmark)

from ngograph.net import measures  # noqa: E402
from ngograph.net.graphs import NetworkData, copartnership_graph, fetch, short_id  # noqa: E402
from ngograph.rdf.namespaces import NGO  # noqa: E402
from ngograph.reconcile.graph import RECONCILE_GRAPH, read_organisations  # noqa: E402
from ngograph.reconcile.match import reconcile  # noqa: E402
from ngograph.store.backends import Embedded  # noqa: E402
from ngograph.store.embedded import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

READ_ONLY = """
import sys
from ngograph.reconcile.graph import read_organisations
from ngograph.store.embedded import open_store
with open_store(sys.argv[1]) as s:
    print(len(read_organisations(s)))
"""


def _imports(ds: Path) -> list[tuple[str, Path, str]]:
    return [("iati", ds / "iati-covid-bulk", "iati"), ("cordis", ds / "cordis-h2020", "cordis"),
            ("cordis", ds / "cordis-h2020-sample", "cordis-sample"), ("360giving", ds / "360giving", "360giving"),
            ("interreg", ds / "interreg-sweden", "interreg"),
            ("forskningsradet", ds / "forskningsradet-norway", "forskningsradet")]


def _describe(G, label: str, between: dict | None = None, top: int = 20, k: int = 500) -> tuple[dict, list[str]]:
    """Print the network's size and components; return its betweenness (sampled, unless given)
    and its top nodes by it, labelled."""
    comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    t0 = time.process_time()
    between = between if between is not None else measures.betweenness(G, k=min(k, G.number_of_nodes()))
    print(f"{label:<6} {G.number_of_nodes():>7,} organisations {G.number_of_edges():>9,} ties "
          f"{len(comps):>6,} components, the largest {comps[0] if comps else 0:,} "
          f"(betweenness k={k}: {time.process_time() - t0:.1f} s cpu)", flush=True)
    ranked = sorted(between.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return between, [f"{(G.nodes[n].get('label') or n)[:34]:<34} {v:.4f}" for n, v in ranked]


def network_change(store: Path, source: str) -> None:
    """The co-partnership network of ``source``'s projects before and after reconciliation."""
    before = fetch(Embedded(store, sources=[source]))
    projects = {r["project"] for r in before.rows}
    everything = fetch(Embedded(store))
    after = NetworkData([r for r in everything.rows if r["project"] in projects], groups=everything.groups)
    with open_store(store) as s:
        canonical = {short_id(q.subject.value): short_id(q.object.value) for q in s.store.quads_for_pattern(
            None, ox.NamedNode(str(NGO.canonicalOrganisation)), None, RECONCILE_GRAPH)}
    nodes = {r["organisation"] for r in before.rows}
    renamed = {n: canonical.get(n, n) for n in nodes}
    print(f"network of the {len(projects):,} {source} projects: before reconciliation ({source} alone) and after; "
          f"{sum(n in canonical for n in nodes):,} of its {len(nodes):,} organisations mapped to another node, "
          f"{len(nodes) - len(set(renamed.values())):,} merged with another of its own", flush=True)
    g_before, g_after = copartnership_graph(before), copartnership_graph(after)
    between, top_before = _describe(g_before, "before")
    same = (set(g_after) == {renamed[n] for n in g_before} and
            {frozenset((renamed[a], renamed[b])) for a, b in g_before.edges} == {frozenset(e) for e in g_after.edges})
    if same:  # the same network with some nodes renamed: the same betweenness (a new sample would differ by chance)
        print("after: the same network, its nodes renamed to their canonical nodes", flush=True)
    _, top_after = _describe(g_after, "after", {renamed[n]: v for n, v in between.items()} if same else None)
    if same:  # one list: the same nodes, named as every source names them
        print("  top 20 by betweenness, before and after (the same nodes):", flush=True)
        for n, a in enumerate(top_after, 1):
            print(f"  {n:>2} {a}", flush=True)
        return
    print(f"  top 20 by betweenness: {'before':<41} | after", flush=True)
    for n, (b, a) in enumerate(zip(top_before, top_after), 1):
        print(f"  {n:>2} {b} | {a}", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", default=str(ROOT.parent / "shared" / "datasets"))
    p.add_argument("--store", help="a store holding the imports already (default: import into a temporary one)")
    p.add_argument("--network-source", default="cordis", help="whose projects' network to compare (default cordis)")
    p.add_argument("--no-network", action="store_true", help="leave out the network before and after")
    p.add_argument("--network-only", action="store_true",
                   help="only the network before and after (a reconciled --store)")
    args = p.parse_args(argv)
    ngo = str(Path(sys.executable).with_name("ngograph"))
    if args.network_only:
        network_change(Path(args.store), args.network_source)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"  # the review queue goes here, not into the project's data/
        if args.store:
            store = Path(args.store)
        else:
            store = Path(tmp) / "store"
            subprocess.run([ngo, "build", "--store", str(store), "--data", str(ROOT / "data")], check=True,
                           capture_output=True)
            for source, path, name in _imports(Path(args.datasets)):
                subprocess.run([ngo, "import", source, str(path), "--name", name, "--store", str(store), "--quiet",
                                "--no-reconcile"], check=True, capture_output=True)
        base = _timed([sys.executable, "-c", READ_ONLY, str(store)])
        rec = _timed([ngo, "reconcile", "--store", str(store), "--data", str(data)])
        print(f"read organisations {base['wall']:6.2f} s wall {base['cpu']:6.2f} s cpu {base['peak_mb']:6.0f} MB | "
              f"reconcile {rec['wall']:6.2f} s wall {rec['cpu']:6.2f} s cpu {rec['peak_mb']:6.0f} MB | "
              f"ratio {rec['wall'] / base['wall']:.1f}x", flush=True)
        pending = data / "reconcile" / "pending.csv"
        print(f"review queue: {sum(1 for _ in open(pending, encoding='utf-8')) - 1} pair(s)", flush=True)
        with open_store(store) as s:
            records = read_organisations(s)
        random.Random(1).shuffle(records)
        n = len(records) // 8
        while n <= len(records):
            t0 = time.perf_counter()
            reconcile(records[:n])
            secs = time.perf_counter() - t0
            print(f"match {n:>7,} records {secs:6.2f} s  {1000 * secs / n:.3f} s per 1,000", flush=True)
            if n == len(records):
                break
            n = min(2 * n, len(records))
        if not args.no_network:
            network_change(store, args.network_source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
