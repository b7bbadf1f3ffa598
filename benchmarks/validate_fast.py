"""`ngograph validate` with the fast engine against pySHACL on a store: time, peak memory, same report?

    python benchmarks/validate_fast.py STORE [--engine both|fast|pyshacl] [--top 15] [--source NAME ...]

Each engine runs in its own process (so that each peak RSS is its own) on the store's published graph
(or the ``--source`` graphs), as `ngograph validate` runs it: the fast engine on the store, pySHACL on
the graph read into rdflib (the reading is timed apart). Prints seconds, peak RSS, the ratio, whether
both reports are the same set of results, and the fast engine's profile: the constraints that take
longest (shape, constraint component, seconds). The machine's load (uptime) is printed with the figures:
on a shared machine, rerun when it is idle.

Build a big store first, e.g. (about 5 minutes):

    ngograph build --store /tmp/bench/store
    ngograph import cordis ../shared/datasets/cordis-h2020/h2020.csv.gz --store /tmp/bench/store --quiet
    ngograph import iati ../shared/datasets/iati-covid-bulk/ --store /tmp/bench/store --quiet
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ngograph.store.embedded import Locations, open_store, read_graph, triple_count  # noqa: E402
from ngograph.validate.fast import validate_published  # noqa: E402
from ngograph.validate.shacl import validate_graph  # noqa: E402


def run(engine: str, store: str, sources: list[str] | None, out: str) -> None:
    """One engine's validation (in this process); writes its figures and results as JSON to ``out``."""
    start = time.perf_counter()
    profile: dict = {}
    read = 0.0
    with open_store(Path(store)) as s:
        locations = Locations(s)  # as the command looks them up: those of the results only
        if engine == "fast":
            report = validate_published(s, sources, locations, profile=profile)
        else:
            graph = read_graph(s, sources)
            read = time.perf_counter() - start
            report = validate_graph(graph, locations)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results = sorted({(r.focus, r.path, r.value, r.severity, r.shape, r.component) for r in report.results})
    Path(out).write_text(json.dumps({
        "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "read": read, "rss_mb": usage.ru_maxrss / 1024,
        "results": results, "counts": report.counts(),
        "profile": sorted(([*k, v] for k, v in profile.items()), key=lambda x: -x[2]),
    }))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="an embedded store (e.g. after `ngograph import ...`)")
    parser.add_argument("--engine", choices=["both", "fast", "pyshacl"], default="both")
    parser.add_argument("--source", action="append", help="only this source's graph (repeatable)")
    parser.add_argument("--top", type=int, default=15, help="the slowest constraints of the fast engine to list")
    parser.add_argument("--_run", help=argparse.SUPPRESS)
    parser.add_argument("--_out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._run:
        if args._run == "fast":  # as `ngograph validate` runs: on the command's allocator (ngograph.runtime)
            from ngograph.runtime import preload_allocator
            preload_allocator(command="validate")
        run(args._run, args.store, args.source, args._out)
        return 0

    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} cores")
    print(f"store: {args.store}, {triple_count(Path(args.store), args.source):,} triples")
    figures = {}
    for engine in (["fast", "pyshacl"] if args.engine == "both" else [args.engine]):
        out = Path(args.store).parent / f".validate-{engine}-{os.getpid()}.json"
        cmd = [sys.executable, __file__, args.store, "--_run", engine, "--_out", str(out)]
        for s in args.source or []:
            cmd += ["--source", s]
        subprocess.run(cmd, check=True)
        figures[engine] = json.loads(out.read_text())
        out.unlink()
        f = figures[engine]
        read = f" (reading the graph into rdflib: {f['read']:.1f} s)" if engine == "pyshacl" else ""
        print(f"{engine:<8} {f['seconds']:7.1f} s wall {f['cpu']:7.1f} s CPU  peak RSS {f['rss_mb']:7.0f} MB  {f['counts']}{read}")
    if len(figures) == 2:
        fast, ref = figures["fast"], figures["pyshacl"]
        print(f"ratio: pySHACL / fast = {ref['seconds'] / fast['seconds']:.1f}x wall time, "
              f"{ref['cpu'] / fast['cpu']:.1f}x CPU time, "
              f"{ref['rss_mb'] / fast['rss_mb']:.1f}x memory")
        same = fast["results"] == ref["results"]
        print(f"same results: {same} ({len(fast['results'])} fast, {len(ref['results'])} pySHACL)")
        if not same:
            a, b = {tuple(r) for r in fast["results"]}, {tuple(r) for r in ref["results"]}
            for r in sorted(b - a)[:10]:
                print("  only pySHACL:", r)
            for r in sorted(a - b)[:10]:
                print("  only fast:   ", r)
    if "fast" in figures:
        print(f"fast engine, the {args.top} slowest constraints:")
        for shape, component, seconds in figures["fast"]["profile"][:args.top]:
            print(f"  {seconds:6.2f} s  {shape} [{component}]")
    return 0 if len(figures) < 2 or figures["fast"]["results"] == figures["pyshacl"]["results"] else 1


if __name__ == "__main__":
    sys.exit(main())
