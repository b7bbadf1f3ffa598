"""Benchmark the query library: ngograph's embedded path vs raw pyoxigraph vs rdflib in memory.

On the seed graph and on a synthetic graph about 1000 times larger (7 -> ~7,000 projects,
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
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
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
from ngograph.queries.library import bind_params, list_queries, run  # noqa: E402
from ngograph.records.check import load_records  # noqa: E402
from ngograph.rdf.refdata import country_iri  # noqa: E402
from ngograph.store.embedded import write_store  # noqa: E402

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


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=int, default=1000, help="size of the synthetic graph, in seed graphs (default 1000)")
    p.add_argument("--repeat", type=int, default=5, help="runs per query; the median is reported (default 5)")
    p.add_argument("--rdflib-timeout", type=float, default=60.0, help="cap per rdflib run (s); 0 skips rdflib")
    p.add_argument("--seed", type=int, default=20261123, help="random seed of the synthetic graph")
    args = p.parse_args(argv)
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
