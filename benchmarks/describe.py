"""The dataset description's counts on a big store: kept per graph against counted over the union.

    python benchmarks/describe.py STORE [--repeat 3]

STORE is a store link (e.g. one made by ``benchmarks/imports.py --store DIR``, holding the seeds,
the IATI bulk and CORDIS H2020). It copies the store's directory aside, then times, each on the
copy and each repeated:

- *union*: what every build and import did before counts were kept: the distinct triples
  (:func:`ngograph.store.embedded.triple_count`) and the four ``describe/`` queries over the union
  of the published graphs;
- *nothing kept*: :func:`ngograph.publish.statistics.totals` on a store whose description holds no
  kept counts (the first description after an upgrade: every graph counted, every pair searched);
- *kept* (what a ``build`` pays): ``totals`` again, with the counts the first run kept;

checks that all three give the same triples, entities and class partitions, and prints wall and
CPU seconds and the ratios.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ngograph.publish.statistics import KEPT, totals  # noqa: E402
from ngograph.queries.library import load_query  # noqa: E402
from ngograph.store.embedded import DESCRIPTION_GRAPH, ReadOnlyStore, published_graphs, triple_count  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn, repeat: int):
    best = None
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        out = fn()
        took = (time.perf_counter() - t, _cpu() - c)
        best = took if best is None or took[0] < best[0] else best
    return out, best


def _union(store: ox.Store) -> tuple:
    graphs = published_graphs(store)
    rows = {name: list(store.query(load_query(name).text, default_graph=graphs))
            for name in ("describe/class-partitions", "describe/predicates", "describe/entities", "describe/languages")}
    triples = triple_count(ReadOnlyStore(store, Path("."), None))
    return (triples, int(rows["describe/entities"][0]["entities"].value),
            {r["class"].value: int(r["entities"].value) for r in rows["describe/class-partitions"]})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python benchmarks/describe.py /tmp/bench/store --repeat 2")
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(os.path.realpath(args.store), copy)
        store = ox.Store(str(copy))
        for q in [q for q in store.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH) if q.subject.value.startswith(KEPT)]:
            store.remove(q)
        union, union_t = _timed(lambda: _union(store), args.repeat)
        first = totals(store)
        _, none_t = _timed(lambda: totals(store), args.repeat)  # nothing kept: each run counts everything
        store.extend(first.kept)
        kept, kept_t = _timed(lambda: totals(store), args.repeat)
        assert (first.triples, first.entities, first.classes) == union, "totals differ from the union's counts"
        assert (kept.triples, kept.entities, kept.classes) == union, "kept totals differ from the union's counts"
        print(f"{union[0]:,} distinct triples, {union[1]:,} typed entities, {len(union[2])} classes; "
              f"graphs: {', '.join(str(g) for g in published_graphs(store) or [ox.DefaultGraph()])}")
        for what, (wall, cpu) in (("union", union_t), ("nothing kept", none_t), ("kept", kept_t)):
            print(f"{what:<14} {wall:7.2f} s wall {cpu:7.2f} s CPU   union / this: {union_t[0] / wall:6.1f}x wall, "
                  f"{union_t[1] / max(cpu, 1e-9):6.1f}x CPU")
        del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
