"""Benchmark the query library: on an existing store, or ngograph's embedded path vs raw pyoxigraph
vs rdflib in memory on a synthetic graph.

With ``--store PATH``, time every library query (and with ``--network`` the queries the
networks are built from, ``queries/network/*.rq``) on that store, e.g. one with the real
imports (``ngograph import iati ...``), and print a table: rows and the median wall and CPU
seconds of ``--repeat`` runs (the ratio before/after is of CPU seconds, which a machine
busy with other work inflates less). With ``--baseline REV`` each query's text at git revision REV (e.g.
``main``) runs too, and the full result sets are compared: ``same`` (same rows in the same
order), ``same, ties reordered`` (same rows; rows equal on the ORDER BY keys in another
order) or ``DIFFERENT`` with the counts of rows only one side has. ``--baseline-store`` runs
the baseline on another store, e.g. one made by ``--merge-into`` that holds the published
graph as one default graph (no triple twice), to check answers against the set semantics.

    python benchmarks/queries.py --store .ngograph/store --network
    python benchmarks/queries.py --store .ngograph/store --baseline main --query country-pairs
    python benchmarks/queries.py --store .ngograph/store --merge-into /tmp/merged/store

Without ``--store``: on the seed graph and on a synthetic graph about 1000 times larger (7 -> ~7,000 projects,
organisations drawn from a pool of ~28,000 in 30 countries with a skewed popularity, so
that cross-border queries have real work to do). Reports the median of several runs per
query and the ratios embedded/raw and rdflib/embedded.

    python benchmarks/queries.py                    # seed + 1000x
    python benchmarks/queries.py --scale 100 --repeat 3
    python benchmarks/queries.py --help

rdflib runs each query in a forked child with a time cap (--rdflib-timeout), since some
queries take it minutes at the large scale; a capped query is reported as "> cap".
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ngograph.store.backends import Embedded, InMemory  # noqa: E402
from ngograph.rdf.build import build_graph  # noqa: E402
from ngograph.rdf.emit import mint_path  # noqa: E402
from ngograph.config import DEFAULT_BASE, data_dir  # noqa: E402
from ngograph.rdf.serialize import serialize  # noqa: E402
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD  # noqa: E402
from ngograph.queries.library import QUERIES_DIR, Query, bind_params, list_queries, load_query, run  # noqa: E402
from ngograph.records.check import load_records  # noqa: E402
from ngograph.rdf.refdata import country_iri  # noqa: E402
from ngograph.store.embedded import open_store, published_graphs, write_store  # noqa: E402

COUNTRIES = ["DK", "FI", "IS", "NO", "SE", "EE", "LV", "LT", "PL", "DE", "BY", "UA", "MD", "GE", "AM", "AZ", "RU",
             "CZ", "SK", "HU", "RO", "BG", "FR", "NL", "BE", "AT", "IT", "ES", "PT", "IE"]
ROLES = ["lead-partner", "partner", "partner", "partner", "implementer", "associated"]


def _iri(*key: str) -> URIRef:
    return URIRef(DEFAULT_BASE + mint_path(key))


def synthetic(seed_graph: Graph, scale: int, rng: random.Random) -> Graph:
    """The seed graph plus ``7 * scale`` synthetic projects shaped like the seeds."""
    g = Graph(bind_namespaces="none")
    g += seed_graph
    source = _iri("source", "seed-000")
    n_projects, n_orgs = 7 * scale, 28 * scale
    orgs = [_iri("organisation", f"syn-org-{i}") for i in range(n_orgs)]
    weights = [1 / (i + 1) ** 0.8 for i in range(n_orgs)]
    for i, o in enumerate(orgs):
        g.add((o, RDF.type, ORG.FormalOrganization))
        g.add((o, RDF.type, SCHEMA.Organization))
        g.add((o, RDF.type, SCHEMA.NGO))
        name = Literal(f"Synthetic organisation {i}", lang="en")
        g.add((o, SCHEMA.name, name))
        g.add((o, SKOS.prefLabel, name))
        g.add((o, RDFS.label, name))
        g.add((o, SCHEMA.addressCountry, country_iri(COUNTRIES[i % len(COUNTRIES)])))
        g.add((o, PROV.wasDerivedFrom, source))
    funders = [_iri("organisation", f"syn-funder-{i}") for i in range(20)]
    for i, f in enumerate(funders):
        g.add((f, RDF.type, ORG.FormalOrganization))
        g.add((f, RDF.type, SCHEMA.Organization))
        g.add((f, SCHEMA.name, Literal(f"Synthetic funder {i}", lang="en")))
        g.add((f, SKOS.prefLabel, Literal(f"Synthetic funder {i}", lang="en")))
        g.add((f, RDFS.label, Literal(f"Synthetic funder {i}", lang="en")))
    themes = [VOCAB[f"theme/{t}"] for t in ("social-rights", "advocacy", "capacity-building", "human-rights")]
    groups = [VOCAB[f"target-group/{t}"] for t in ("vulnerable-groups", "women", "youth", "refugees")]
    for p_i in range(n_projects):
        pid = f"syn-project-{p_i}"
        p = _iri("project", pid)
        year = rng.randint(2010, 2024)
        g.add((p, RDF.type, SCHEMA.Project))
        g.add((p, SCHEMA.name, Literal(f"Synthetic project {p_i}", lang="en")))
        g.add((p, RDFS.label, Literal(f"Synthetic project {p_i}", lang="en")))
        g.add((p, SCHEMA.startDate, Literal(f"{year}-{rng.randint(1, 12):02d}", datatype=XSD.gYearMonth)))
        g.add((p, SCHEMA.endDate, Literal(f"{year + rng.randint(0, 3)}", datatype=XSD.gYear)))
        g.add((p, PROV.wasDerivedFrom, source))
        g.add((p, DCTERMS.subject, rng.choice(themes)))
        g.add((p, SCHEMA.audience, rng.choice(groups)))
        budget = URIRef(f"{p}/budget")
        total = rng.randint(10, 2000) * 1000
        g.add((p, NGO.budget, budget))
        g.add((budget, RDF.type, SCHEMA.MonetaryAmount))
        g.add((budget, SCHEMA.value, Literal(total, datatype=XSD.decimal)))
        g.add((budget, SCHEMA.currency, Literal("EUR")))
        members = set(rng.choices(orgs, weights=weights, k=rng.randint(2, 12)))
        for j, o in enumerate(sorted(members)):
            role = "lead-partner" if j == 0 else rng.choice(ROLES[1:])
            x = _iri("participation", pid, role, str(o).rsplit("/", 1)[1])
            g.add((x, RDF.type, NGO.Participation))
            g.add((x, NGO.inProject, p))
            g.add((x, NGO.participant, o))
            g.add((x, NGO.role, VOCAB[f"role/{role}"]))
            g.add((x, PROV.wasDerivedFrom, source))
            g.add((p, SCHEMA.member, o))
        f = rng.choice(funders)
        grant = _iri("grant", pid, str(f).rsplit("/", 1)[1])
        amount = URIRef(f"{grant}/amount")
        g.add((grant, RDF.type, SCHEMA.MonetaryGrant))
        g.add((grant, SCHEMA.funder, f))
        g.add((grant, SCHEMA.fundedItem, p))
        g.add((grant, SCHEMA.amount, amount))
        g.add((amount, RDF.type, SCHEMA.MonetaryAmount))
        g.add((amount, SCHEMA.value, Literal(int(total * 0.8), datatype=XSD.decimal)))
        g.add((amount, SCHEMA.currency, Literal("EUR")))
        g.add((p, SCHEMA.funder, f))
        x = _iri("participation", pid, "funder", str(f).rsplit("/", 1)[1])
        g.add((x, RDF.type, NGO.Participation))
        g.add((x, NGO.inProject, p))
        g.add((x, NGO.participant, f))
        g.add((x, NGO.role, VOCAB["role/funder"]))
    return g


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _rdflib_child(graph, text, bindings, repeat, conn):
    mem = InMemory(graph)
    conn.send(median_time(lambda: mem.select(text, bindings, timeout=None), repeat))


def rdflib_time(graph: Graph, text: str, bindings: dict, repeat: int, cap: float) -> float | None:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_rdflib_child, args=(graph, text, bindings, repeat, child))
    proc.start()
    if parent.poll(cap * repeat):
        result = parent.recv()
        proc.join()
        return result
    proc.kill()
    proc.join()
    return None


def bench(graph: Graph, label: str, repeat: int, rdflib_cap: float) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="ngograph-bench-"))
    t = time.perf_counter()
    write_store(tmp / "store", serialize(graph, "ntriples"))
    print(f"[{label}] {len(graph):,} triples loaded into the embedded store in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    embedded = Embedded(tmp / "store")
    raw = ox.Store.read_only(str(tmp / "store"))
    out = []
    for q in list_queries():
        bindings = bind_params(q, {})
        subs = {ox.Variable(k): (ox.NamedNode(str(v)) if isinstance(v, URIRef) else
                                 ox.Literal(str(v), datatype=ox.NamedNode(str(v.datatype or XSD.string))))
                for k, v in bindings.items()}

        def raw_run():
            solutions = raw.query(q.text, substitutions=subs or None)
            variables = solutions.variables
            return [[sol[v] for v in variables] for sol in solutions]

        t_emb = median_time(lambda: run(q, embedded), repeat)  # the default path: no timeout
        t_guard = median_time(lambda: run(q, embedded, timeout=30), repeat)  # as `ngograph query`: on the worker thread
        t_raw = median_time(raw_run, repeat)
        t_rdf = rdflib_time(graph, q.text, bindings, repeat, rdflib_cap) if rdflib_cap > 0 else None
        rows = len(run(q, embedded))
        out.append({"scale": label, "query": q.name, "rows": rows, "embedded": t_emb, "raw": t_raw, "rdflib": t_rdf,
                    "guarded": t_guard})
        rdf = (f"{t_rdf * 1000:10.1f}" if t_rdf is not None else f"  > {rdflib_cap:4.0f} s") if rdflib_cap > 0 else "   skipped"
        ratio = f"{t_rdf / t_emb:8.1f}x" if t_rdf is not None else "       -"
        print(f"{label:6} {q.name:28} {rows:7} rows  embedded {t_emb * 1000:9.2f} ms  raw {t_raw * 1000:9.2f} ms "
              f"({t_emb / t_raw:4.2f}x)  with timeout {t_guard * 1000:9.2f} ms ({t_guard / t_raw:4.2f}x)  "
              f"rdflib {rdf} ms ({ratio})", flush=True)
    return out


# ---------------------------------------------------------------------------- on a given store

def store_queries(names: list[str] | None, network: bool) -> list[Query]:
    """The library (and the network queries), or the queries named."""
    if names:
        return [load_query(n) for n in names]
    out = list_queries()
    if network:
        out += [load_query(p) for p in sorted((QUERIES_DIR / "network").glob("*.rq"))]
    return out


def at_revision(q: Query, rev: str) -> Query | None:
    """The query as its file reads at git revision ``rev``; None where it did not exist."""
    rel = q.path.relative_to(QUERIES_DIR.parent).as_posix()
    done = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=QUERIES_DIR.parent, capture_output=True, text=True)
    return dataclasses.replace(q, text=done.stdout) if done.returncode == 0 else None


def _order_keys(q: Query, variables: list[str]) -> list[str]:
    """The plain variables of the query's last ORDER BY (those that are result columns)."""
    tail = q.text.rsplit("ORDER BY", 1)
    words = tail[1].replace("(", " ").replace(")", " ").split() if len(tail) == 2 else []
    return [w[1:] for w in words if w.startswith("?") and w[1:] in variables]


def compare(q: Query, old: list[tuple], new: list[tuple], variables: list[str]) -> str:
    """How two result lists of ``q`` compare (see the module's text)."""
    if old == new:
        return "same"
    if Counter(old) == Counter(new):
        keys = [variables.index(k) for k in _order_keys(q, variables)]
        project = lambda rows: [tuple(r[i] for i in keys) for r in rows]  # noqa: E731
        return "same, ties reordered" if project(old) == project(new) else "same rows, ORDER DIFFERS"
    only_old, only_new = Counter(old) - Counter(new), Counter(new) - Counter(old)
    return f"DIFFERENT: {sum(only_old.values())} rows only before, {sum(only_new.values())} only now"


def _timed_rows(q: Query, backend, repeat: int) -> tuple[float, float, list[tuple], list[str]]:
    """Median wall and CPU seconds (CPU: this process's, what a loaded machine does not inflate), rows, variables."""
    times, cpus, rows = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        rows = run(q, backend, max_rows=None)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return (statistics.median(times), statistics.median(cpus), [tuple(r[v] for v in rows.variables) for r in rows],
            rows.variables)


def bench_store(store: Path, queries: list[Query], repeat: int, baseline: str | None = None,
                baseline_store: Path | None = None, show: int = 0) -> int:
    """Time ``queries`` on the store at ``store``; with ``baseline``, compare each with its text at
    that git revision (run on ``baseline_store`` if given). Returns the number of differing results."""
    backend = Embedded(store)
    old_backend = Embedded(baseline_store) if baseline_store else backend
    differing = 0
    head = f"{'query':34} {'rows':>9} {'wall s':>8} {'cpu s':>7}"
    print(head + (f" {'before':>8} {'cpu s':>7} {'ratio':>7}  result" if baseline else ""), flush=True)
    for q in queries:
        t_new, c_new, new, variables = _timed_rows(q, backend, repeat)
        line = f"{q.name:34} {len(new):9,} {t_new:8.2f} {c_new:7.2f}"
        if baseline:
            old_q = at_revision(q, baseline)
            if old_q is None:
                line += f" {'-':>8} {'-':>7} {'-':>7}  new since {baseline}"
            elif old_q.text == q.text and baseline_store is None:
                line += f" {'':>8} {'':>7} {'':>7}  unchanged"
            else:
                t_old, c_old, old, _ = _timed_rows(old_q, old_backend, repeat)
                verdict = compare(q, old, new, variables)
                differing += verdict.startswith(("DIFFERENT", "same rows, ORDER"))
                line += f" {t_old:8.2f} {c_old:7.2f} {c_old / max(c_new, 1e-6):6.1f}x  {verdict}"
                if verdict.startswith("DIFFERENT") and show:
                    only_old, only_new = Counter(old) - Counter(new), Counter(new) - Counter(old)
                    line += "".join(f"\n    before only: {r}" for r in list(only_old.elements())[:show])
                    line += "".join(f"\n    now only:    {r}" for r in list(only_new.elements())[:show])
        print(line, flush=True)
    return differing


def merge_into(store: Path, target: Path) -> int:
    """Write the published graph of ``store`` (the curated graph and every imported graph) as the
    default graph of a new store directory ``target``, where no triple can be stated twice;
    return the number of triples. Streams through a temporary N-Triples file per graph."""
    merged = ox.Store(str(target))
    with open_store(store) as s, tempfile.TemporaryDirectory() as tmp:
        for g in published_graphs(s.store) or [ox.DefaultGraph()]:
            s.dump(f"{tmp}/graph.nt", ox.RdfFormat.N_TRIPLES, from_graph=g)
            merged.bulk_load(path=f"{tmp}/graph.nt", format=ox.RdfFormat.N_TRIPLES)
    merged.flush()
    return len(merged)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, help="time the library on this store instead of on synthetic graphs")
    p.add_argument("--network", action="store_true", help="with --store: also the queries of queries/network/")
    p.add_argument("--query", action="append", metavar="NAME", help="with --store: only this query (repeatable)")
    p.add_argument("--baseline", metavar="REV", help="with --store: also run each query as it reads at this git "
                   "revision and compare the full results")
    p.add_argument("--baseline-store", type=Path, metavar="PATH", help="run the baseline on this store instead")
    p.add_argument("--show", type=int, default=0, metavar="N", help="print N differing rows of each side")
    p.add_argument("--merge-into", type=Path, metavar="PATH", help="with --store: write its published graph as "
                   "the one default graph of a new store directory PATH, then stop")
    p.add_argument("--scale", type=int, default=1000, help="size of the synthetic graph, in seed graphs (default 1000)")
    p.add_argument("--repeat", type=int, help="runs per query; the median is reported (default 5, with --store 1)")
    p.add_argument("--rdflib-timeout", type=float, default=60.0, help="cap per rdflib run (s); 0 skips rdflib")
    p.add_argument("--seed", type=int, default=20261123, help="random seed of the synthetic graph")
    args = p.parse_args(argv)
    if args.store:  # the library's queries as `ngograph query` runs them: on the command's allocator (ngograph.runtime)
        from ngograph.runtime import preload_allocator
        preload_allocator()
    if args.store is not None:
        if args.merge_into is not None:
            print(f"{merge_into(args.store, args.merge_into):,} triples in {args.merge_into}")
            return 0
        queries = store_queries(args.query, args.network)
        return 1 if bench_store(args.store, queries, args.repeat or 1, args.baseline, args.baseline_store,
                                args.show) else 0
    args.repeat = args.repeat or 5
    seed_graph = build_graph(load_records(data_dir()), DEFAULT_BASE).graph
    results = bench(seed_graph, "seed", args.repeat, args.rdflib_timeout)
    if args.scale > 1:
        t = time.perf_counter()
        big = synthetic(seed_graph, args.scale, random.Random(args.seed))
        print(f"[x{args.scale}] synthetic graph of {len(big):,} triples in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        results += bench(big, f"x{args.scale}", max(1, args.repeat // 2), args.rdflib_timeout)
    for label in sorted({r["scale"] for r in results}):
        rs = [r for r in results if r["scale"] == label]
        over = [r["query"] for r in rs if r["embedded"] > 0.05]
        print(f"\n{label}: median embedded {statistics.median(r['embedded'] for r in rs) * 1000:.2f} ms, "
              f"max {max(r['embedded'] for r in rs) * 1000:.1f} ms; median embedded/raw "
              f"{statistics.median(r['embedded'] / r['raw'] for r in rs):.2f}x (with a timeout, as the CLI runs it, "
              f"{statistics.median(r['guarded'] / r['raw'] for r in rs):.2f}x); queries over 50 ms: {over or 'none'}")
        done = [r for r in rs if r["rdflib"] is not None]
        if done:
            print(f"{label}: rdflib/embedded median {statistics.median(r['rdflib'] / r['embedded'] for r in done):.1f}x "
                  f"over {len(done)} queries; {len(rs) - len(done)} capped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
