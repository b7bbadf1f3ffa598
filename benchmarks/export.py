"""Dumps at scale: time and peak memory of `ngograph export` per format, against writing the
same graph through an rdflib Graph (the way exports were made before streaming: N-Triples, and
Turtle, which rdflib wrote for ngograph until every format streamed), and the cost of the dataset
description that every build and import makes.

    .venv/bin/python benchmarks/export.py                  # a synthetic store, 300 seed graphs (~2.4M triples)
    .venv/bin/python benchmarks/export.py --store PATH     # a store of your own (e.g. with the real imports)
    .venv/bin/python benchmarks/export.py --store PATH --no-rdflib   # ngograph only (rdflib needs ~GBs per 1M triples)

Each export runs in a fresh process that reports its own peak resident memory; the output
lists seconds, MiB and the ratios to the rdflib way. Takes minutes; never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import synthetic  # noqa: E402

from ngograph.config import DEFAULT_BASE, PROJECT_ROOT  # noqa: E402
from ngograph.publish.describe import describe_store, description_quads  # noqa: E402
from ngograph.rdf.build import build_graph  # noqa: E402
from ngograph.records.check import load_records  # noqa: E402
from ngograph.store.embedded import open_store, triple_count, write_store  # noqa: E402

_CHILD = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
if sys.argv[1].startswith("rdflib-"):
    from ngograph.rdf.serialize import serialize
    from ngograph.store.embedded import read_graph
    Path(sys.argv[3]).write_bytes(serialize(read_graph(Path(sys.argv[2])), sys.argv[1][len("rdflib-"):]))
else:
    from ngograph.publish.export import export_store
    export_store(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[1], gzip_output=sys.argv[4] == "gz")
# VmHWM: this process's peak (ru_maxrss would carry the parent's over exec)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - t, "mib": hwm / 1024}))
"""


def run(kind: str, store: Path, out: Path, gz: bool = False) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, str(store), str(out), "gz" if gz else "plain"],
                          check=True, capture_output=True, text=True, cwd=PROJECT_ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, help="a store of your own instead of a synthetic one")
    p.add_argument("--scale", type=int, default=300, help="size of the synthetic store, in seed graphs (default 300)")
    p.add_argument("--formats", default="ntriples,nquads,turtle,jsonld,rdfxml",
                   help="formats to time (default: ntriples,nquads,turtle,jsonld,rdfxml)")
    p.add_argument("--no-rdflib", action="store_true", help="time ngograph only, without the rdflib baselines")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = args.store
        if store is None:
            store = tmp / "store"
            g = synthetic(build_graph(load_records(PROJECT_ROOT / "data"), DEFAULT_BASE).graph, args.scale,
                          random.Random(1))
            t = time.perf_counter()
            write_store(store, g.serialize(format="nt").encode(), finish=partial(describe_store, base=DEFAULT_BASE))
            print(f"store: {len(g):,} triples loaded and described in {time.perf_counter() - t:.1f} s", flush=True)
            del g
        with open_store(store) as s:
            n = triple_count(s)
            t = time.perf_counter()
            quads = description_quads(s.store, DEFAULT_BASE)
            described = time.perf_counter() - t
        print(f"description: {len(quads)} triples for {n:,} triples in {described:.1f} s", flush=True)
        bases = {}
        for fmt in () if args.no_rdflib else ("ntriples", "turtle"):
            bases[fmt] = run(f"rdflib-{fmt}", store, tmp / f"rdflib.{fmt}")
            print(f"{'rdflib Graph -> ' + fmt:<28} {bases[fmt]['seconds']:8.1f} s {bases[fmt]['mib']:8.0f} MiB",
                  flush=True)
        for fmt in args.formats.split(","):
            for gz in (False, True) if fmt in ("ntriples", "nquads") else (False,):
                r = run(fmt, store, tmp / f"x.{fmt}{'.gz' if gz else ''}", gz)
                base = bases.get(fmt, bases.get("ntriples"))
                ratio = (f"   x{r['seconds'] / base['seconds']:.2f} time, x{r['mib'] / base['mib']:.2f} memory "
                         f"(rdflib -> {fmt if fmt in bases else 'ntriples'})") if base else ""
                print(f"{'export ' + fmt + (' --gzip' if gz else ''):<28} {r['seconds']:8.1f} s {r['mib']:8.0f} MiB"
                      + ratio, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
