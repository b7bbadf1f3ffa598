"""Push time and query time on a remote SPARQL store (Virtuoso, an Oxigraph server, ...) against the
embedded store, on the seed graph (or ``--store PATH``).

The store must be running (docs/publishing.md: Virtuoso; README: Pushing to a shared triple store).
The graph is pushed ``--repeat`` times by SPARQL Update (and by the Graph Store Protocol with
``--gsp-endpoint``), then every library query runs ``--repeat`` times on each side. Reported: the
median wall seconds, this process's CPU seconds (the embedded store's work; for the remote side only
the client's), and with ``--server-pid`` the server's CPU seconds from /proc, since wall time on a
shared machine is inflated by other work.

    NGOGRAPH_ENDPOINT_PASSWORD=... python benchmarks/remote.py --endpoint http://127.0.0.1:8890/sparql \\
        --update-endpoint http://127.0.0.1:8890/sparql-auth --gsp-endpoint http://127.0.0.1:8890/sparql-graph-crud-auth \\
        --graph https://w3id.org/ngograph/graph --user dba --server-pid 12345
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ngograph import config
from ngograph.queries.library import list_queries, run
from ngograph.rdf.build import build_graph
from ngograph.rdf.serialize import serialize
from ngograph.records.check import load_records
from ngograph.store.backends import Embedded, Remote
from ngograph.store.embedded import read_graph, write_store


def server_cpu(pid: int | None) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 without a pid)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn, repeat: int, pid: int | None):
    """(result, median wall s, median client CPU s, median server CPU s) of ``repeat`` calls."""
    walls, cpus, servers, result = [], [], [], None
    for _ in range(repeat):
        s0, c0, w0 = server_cpu(pid), time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        servers.append(server_cpu(pid) - s0)
    return result, statistics.median(walls), statistics.median(cpus), statistics.median(servers)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--update-endpoint")
    ap.add_argument("--gsp-endpoint", help="also time a Graph Store Protocol push")
    ap.add_argument("--graph", default="https://w3id.org/ngograph/graph/benchmark")
    ap.add_argument("--user", help="the password from $NGOGRAPH_ENDPOINT_PASSWORD")
    ap.add_argument("--store", help="an embedded store (default: the seed graph, built into a temporary folder)")
    ap.add_argument("--server-pid", type=int, help="the server's pid, to report its CPU seconds")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            store = Path(args.store)
        else:
            built = build_graph(load_records(config.data_dir()), config.base_iri())
            store = Path(tmp) / "store"
            write_store(store, built.nt, built.locations_nt())
        data = serialize(read_graph(store), "ntriples")
        remote = Remote(args.endpoint, update_endpoint=args.update_endpoint, gsp_endpoint=args.gsp_endpoint,
                        graph=args.graph, auth=config.endpoint_auth(args.user), timeout=3600)
        embedded = Embedded(store)
        print(f"{'what':<28} {'rows':>6} {'wall s':>8} {'cpu s':>7} {'server cpu':>10}")
        methods = ["update"] + (["gsp"] if args.gsp_endpoint else [])
        for method in methods:
            n, wall, cpu, srv = timed(lambda: remote.push(data, args.graph, method=method), args.repeat, args.server_pid)
            print(f"{'push (' + method + ')':<28} {n:>6} {wall:>8.3f} {cpu:>7.3f} {srv:>10.2f}")
        totals = {"embedded": [0.0, 0.0], "remote": [0.0, 0.0, 0.0]}
        for q in list_queries():
            rows, wall, cpu, _ = timed(lambda: run(q, embedded), args.repeat, None)
            _, rwall, rcpu, rsrv = timed(lambda: run(q, remote), args.repeat, args.server_pid)
            totals["embedded"][0] += wall
            totals["embedded"][1] += cpu
            totals["remote"][0] += rwall
            totals["remote"][1] += rcpu
            totals["remote"][2] += rsrv
            print(f"{q.name:<28} {len(rows):>6} {wall:>8.4f} {cpu:>7.4f}   remote {rwall:.4f} s wall, "
                  f"{rsrv:.3f} s server cpu, {rwall / wall if wall else float('inf'):.1f}x")
        e, r = totals["embedded"], totals["remote"]
        print(f"{'all queries: embedded':<28} {'':>6} {e[0]:>8.3f} {e[1]:>7.3f}")
        print(f"{'all queries: remote':<28} {'':>6} {r[0]:>8.3f} {r[1]:>7.3f} {r[2]:>10.2f}   "
              f"{r[0] / e[0]:.1f}x the embedded wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
