"""Speed of the published graph (issue 12, section 7), on a store of your own (e.g. one with the
real imports):

1. resource pages from ``ngograph serve`` under concurrent local clients: p50 and p99 latency
   and pages per second (targets on 2 cores: p50 < 10 ms, p99 < 50 ms, >= 500 pages/s);
2. the SPARQL endpoint against an Oxigraph server (``oxigraph serve-read-only`` on the same
   store, union default graph) on every library query, as the ratio of median times (target
   within 1.3x);
3. ``ngograph site`` for N resources (target: 50,000 in < 60 s).

    python benchmarks/serve.py --store .ngograph/store
    python benchmarks/serve.py --store big/store --clients 8 --requests 4000 --site-resources 50000

Both servers run on 127.0.0.1 on free ports and are stopped by pid at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import ngograph.publish.site as site_module  # noqa: E402
from ngograph.publish.page_index import PageIndex  # noqa: E402
from ngograph.publish.pages import Paths  # noqa: E402
from ngograph.queries.library import bind_params, list_queries  # noqa: E402
from ngograph.rdf.sparql import inline_bindings  # noqa: E402
from ngograph.store.backends import Embedded  # noqa: E402
from servers import free_port, oxigraph_binary, running  # noqa: E402

BIN = Path(sys.executable).parent


def pages_under_load(port: int, paths: list[str], clients: int, requests: int) -> dict:
    """``requests`` GETs of random resource pages from ``clients`` threads, each on its own connection."""
    latencies: list[float] = []
    failed: list[str] = []
    lock = threading.Lock()
    per_client = requests // clients

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for _ in range(per_client):
            path = rng.choice(paths)
            t = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "text/html"})
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200:
                failed.append(f"{path}: HTTP {r.status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if failed or not latencies:
        raise SystemExit(f"{len(failed)} page(s) failed, e.g. {failed[:3]}" if failed else "no page answered")
    latencies.sort()
    return {"requests": len(latencies), "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)], "pages_per_s": len(latencies) / wall}


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by the process ``pid`` and its descendants (uvicorn's workers), from /proc."""
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        used[int(entry)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree = {pid}
    for child in sorted(parents):  # children have larger pids than their parents here (no pid wrap-around)
        if parents[child] in tree:
            tree.add(child)
    return sum(used.get(p, 0.0) for p in tree)


def query_time(port: int, path: str, text: str, repeat: int) -> float:
    body = urllib.parse.urlencode({"query": text}).encode()
    times = []
    for _ in range(repeat):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        t = time.perf_counter()
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Accept": "application/sparql-results+json"})
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t)
        if r.status != 200:
            raise SystemExit(f"{path}: HTTP {r.status} for {text[:80]}")
    return statistics.median(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, required=True, help="the store to serve (built, with any imports)")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes (default: one per core)")
    p.add_argument("--requests", type=int, default=2000, help="page requests in all (default 2000)")
    p.add_argument("--repeat", type=int, default=3, help="runs per SPARQL query; the median is reported")
    p.add_argument("--site-resources", type=int, default=50_000, help="resources of the site run (0 skips it)")
    p.add_argument("--skip", action="append", default=[], metavar="QUERY", help="a library query to leave out")
    p.add_argument("--no-servers", action="store_true", help="only the site run")
    p.add_argument("--no-sparql", action="store_true", help="pages only, no SPARQL comparison")
    p.add_argument("--repeat-pages", type=int, default=200, metavar="N",
                   help="then the same load on N pages only, asked before (the server's cache); 0 skips it")
    args = p.parse_args(argv)
    store = args.store
    paths = Paths()
    t = time.perf_counter()
    backend = Embedded(store, fixed=True)
    index = site_module.resource_index(backend, paths, PageIndex(backend))
    listing = time.perf_counter() - t
    kinds = {"project", "organisation", "country", "grant", "place", "event"}
    pages = ["/" + paths.path(iri) for iri, _, kind in index if kind in kinds]
    print(f"store {store}: {len(index)} resources with a page ({listing:.1f} s to list them), {len(pages)} of them "
          "projects, organisations, countries, grants, places or events")

    work = Path(tempfile.mkdtemp(prefix="ngograph-bench-"))
    try:
        if not args.no_servers:
            servers(args, store, pages, work)
        if args.site_resources:
            chosen = index[: args.site_resources]
            t = time.perf_counter()
            n = site_module.write_site(store, work / "site", paths, select=lambda listing: chosen)  # the first N only
            dt = time.perf_counter() - t
            print(f"site: {n} resource pages in {dt:.1f} s ({n / dt:.0f} pages/s, {os.cpu_count()} processes), "
                  "after listing all resources")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def servers(args, store: Path, pages: list[str], work: Path) -> None:
    """Pages under load from `ngograph serve`, then every library query on it and on an Oxigraph server."""
    port, oport = free_port(), free_port()
    with running([str(BIN / "ngograph"), "serve", "--store", str(store), "--port", str(port), "--timeout", "600",
                  "--workers", str(args.workers)], f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                 work / "serve.log", timeout=300) as proc, \
         running([oxigraph_binary(), "serve-read-only", "--location", os.path.realpath(store),
                  "--bind", f"127.0.0.1:{oport}", "--union-default-graph"],
                 f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", work / "oxigraph.log", timeout=300):
        pages_under_load(port, pages, args.clients, min(200, args.requests))  # warm up
        before = tree_cpu(proc.pid)
        load = pages_under_load(port, pages, args.clients, args.requests)
        used = tree_cpu(proc.pid) - before
        print(f"pages: {args.clients} clients, {load['requests']} requests of {len(pages)} pages: p50 "
              f"{load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, {load['pages_per_s']:.0f} pages/s; server CPU "
              f"{1000 * used / load['requests']:.2f} ms per page (~{2 * load['requests'] / used:.0f} pages/s on 2 idle "
              "cores)")
        if args.repeat_pages:
            few = pages[: args.repeat_pages]
            pages_under_load(port, few, args.clients, 4 * len(few))  # each worker process keeps its own answers
            before = tree_cpu(proc.pid)
            load = pages_under_load(port, few, args.clients, args.requests)
            used = tree_cpu(proc.pid) - before
            print(f"pages again ({len(few)} pages, answered from the server's cache): p50 {load['p50_ms']:.1f} ms, "
                  f"p99 {load['p99_ms']:.1f} ms, {load['pages_per_s']:.0f} pages/s; server CPU "
                  f"{1000 * used / load['requests']:.2f} ms per page")
        if args.no_sparql:
            return
        print(f"{'query':32} {'ngograph s':>11} {'oxigraph s':>11} {'ratio':>6}")
        ratios = []
        for q in list_queries():
            if q.name in args.skip:
                continue
            text = inline_bindings(q.text, bind_params(q, {}))
            a = query_time(port, "/sparql", text, args.repeat)
            b = query_time(oport, "/query", text, args.repeat)
            ratios.append(a / b)
            print(f"{q.name:32} {a:11.4f} {b:11.4f} {a / b:6.2f}")
        print(f"SPARQL: median ratio {statistics.median(ratios):.2f}, geometric mean "
              f"{statistics.geometric_mean(ratios):.2f} (ngograph / oxigraph)")


if __name__ == "__main__":
    sys.exit(main())
