"""The ``ngograph`` command: one verb per pipeline stage.

Exit codes: 0 success (the graph conforms), 1 SHACL or quality-check violations, 2 data, shapes, store or
settings that cannot be loaded.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import math
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from ngograph import __version__, config
from ngograph.errors import ConfigError, NgographError, install_hint
from ngograph.textclip import SURROGATES_ESCAPED

__all__ = ["main"]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class _Timer:
    def __init__(self):
        self.t0 = time.perf_counter()

    def __str__(self):
        return f"{time.perf_counter() - self.t0:.2f} s"


# ---------------------------------------------------------------------------- verbs

def cmd_build(args) -> int:
    from ngograph.store.backends import Embedded
    from ngograph.rdf.build import build_graph
    from ngograph.records.check import load_records
    from ngograph.store.embedded import memory_store, write_store
    from ngograph.validate.shacl import validate_graph, with_quality_checks
    from ngograph.publish.describe import describe_store

    data, store, base = _build_data(args), config.store_path(args.store), config.base_iri(args.base)
    t = _Timer()
    records = load_records(data)
    counts = records.counts()
    _log(f"records: read {sum(counts.values())} records from {len(records.files)} files in {data} ({t})")
    built = build_graph(records, base)
    memory = memory_store(built.nt)
    _log(f"build: {len(memory)} triples under {base} ({t})")
    report = with_quality_checks(lambda: validate_graph(built.graph, built.locations), Embedded(memory), built.locations)
    report.base = base
    if not report.conforms:
        print(report.render(shown=("Violation",)))
        _log(f"build: stopped, the graph has SHACL or quality-check violations; the store at {store} is unchanged")
        return 1
    c = report.counts()
    _log(f"validate: conforms, {c['Warning']} warning(s), {c['Info']} info(s), quality checks pass ({t})")
    write_store(store, built.nt, built.locations_nt(), built.vocab_nt, finish=partial(describe_store, base=base))
    _log(f"store: wrote {store}, with the dataset's description ({t})")
    _reconcile(store, base, data, None, t, queue=False)
    return 0


def _build_data(args) -> Path:
    """The data folder a build reads: the shipped example with ``--example``, else ``--data`` (or its default)."""
    if not args.example:
        return config.data_dir(args.data)
    if args.data:
        raise ConfigError("give --data or --example, not both")
    from ngograph.resources import EXAMPLE_DIR

    return EXAMPLE_DIR


def _reconcile(store, base, data, sources, t, queue: bool = True, unwritten: str | None = None) -> None:
    """Reconcile the store's organisations (decisions of data/reconcile/decisions.csv applied) and log the
    result; with ``queue`` write the review queue (imports and builds do not write into the data folder), else say
    where it would go (``unwritten``, default: where `ngograph reconcile` writes it)."""
    from ngograph.publish.describe import describe_store
    from ngograph.reconcile.graph import pending_path, reconcile_store

    r = reconcile_store(store, base, data=data, sources=sources, queue=queue, finish=partial(describe_store, base=base))
    how = ", ".join(f"{n:,} by {reason}" for reason, n in sorted(r.merges.items())) or "none"
    where = f"in {pending_path(data)}" if queue else \
        f"({unwritten or '`ngograph reconcile` writes them to data/reconcile/pending.csv'})"
    kept = f"; kept {r.kept:,} merge(s) and {r.kept_pending:,} pair(s) to review involving other sources" \
        if sources else ""
    _log(f"reconcile: {r.records:,} organisation nodes, {r.merged:,} merged into {r.clusters:,} organisations "
         f"(merges: {how}), {r.pending:,} pair(s) to review {where}{kept} ({t})")


def cmd_import(args) -> int:
    import pyoxigraph as ox

    from ngograph.store.embedded import open_store
    from ngograph.store.imports import SHOWN_PROBLEMS, SOURCES, drop_import, import_source, list_imports, reasons
    from ngograph.publish.describe import describe_store
    from ngograph.publish.statistics import kept_statements

    store = config.store_path(args.store)
    if args.list:
        rows = list_imports(store, kept_statements)
        for r in rows:
            print(f"{r['name']:<16} {r['triples']:>10,} triples  imported {r['imported']}  "
                  f"{len(r['files'])} file(s): {', '.join(r['files'][:5])}{' ...' if len(r['files']) > 5 else ''}")
        if not rows:
            _log(f"import: no imported sources in {store}")
        return 0
    if args.drop:
        graph = drop_import(store, args.drop, finish=partial(describe_store, base=config.base_iri(args.base)))
        _log(f"import: dropped {args.drop} ({graph}) from {store}")
        return 0
    if not args.source or not args.paths:
        raise ConfigError(f"name a source and its files, e.g. ngograph import iati data/iati/ (sources: {', '.join(SOURCES)})")
    bar = _progress(args.quiet, f"import {args.source}")
    try:
        summary = import_source(store, args.source, args.paths, config.base_iri(args.base), name=args.name,
                                data=args.data, progress=bar.update_to if bar is not None else None,
                                finish=partial(describe_store, base=config.base_iri(args.base)))
    finally:
        if bar is not None:
            bar.close()
    for loc, msg in summary.problems[:SHOWN_PROBLEMS]:
        _log(f"{loc}: {msg}")
    if len(summary.problems) > SHOWN_PROBLEMS:
        _log(f"... and {len(summary.problems) - SHOWN_PROBLEMS} more problem(s)")
    if not args.quiet:
        rows = [(f"{key.lower()}s", f"{summary.counts.get(key, 0):,}")
                for key in ("Project", "Organisation", "Participation", "Grant", "Transaction")]
        rows += [("countries", f"{len(summary.countries):,}"), ("problems", f"{len(summary.problems):,}")]
        rows += [("", f"{n:,} x {reason}") for reason, n in reasons(summary.problems).most_common(8)]
        rows += [("mis-decoded names", f"{len(summary.mis_decoded):,} (kept as written)")]
        rows += [("", f"{name[:60]!r} at {loc}") for loc, name in summary.mis_decoded[:5]]
        # the graph's triples as `import --list` and `summary --source` count them; the lines written repeat some
        with open_store(store) as s:
            graph = ox.NamedNode(summary.graph)
            stored = kept_statements(s.store, [graph])[graph] if s.store.contains_named_graph(graph) else None
        triples = f"{summary.triples:,} written" if stored is None else \
            f"{stored:,} in the graph ({summary.triples:,} written: a triple written twice is stored once)"
        rows += [("triples", triples), ("seconds", f"{summary.seconds:.2f}")]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
    _log(f"import: {args.source} as {summary.name} into {store} ({summary.graph}), {len(summary.files)} file(s)")
    if not args.no_reconcile:
        _reconcile(store, config.base_iri(args.base), args.data, None, _Timer(), queue=False)
    return 0


def cmd_reconcile(args) -> int:
    folder = config.data_dir(args.data)
    # no data folder (a store built with --example): none made for the queue, which made the next `build` read an
    # empty data/ instead of saying that there is none
    _reconcile(config.store_path(args.store), config.base_iri(args.base), args.data, args.source, _Timer(),
               queue=folder.is_dir(), unwritten=f"not written: no data folder at {folder}; give --data")
    return 0


def _shows_progress(quiet: bool) -> bool:
    """Whether a command shows progress bars: on a terminal (stderr), without --quiet."""
    return not quiet and sys.stderr.isatty()


def _progress(quiet: bool, what: str, unit: str = " records", scale: bool = True):
    """A progress bar on a terminal (records mapped, or other ``unit``s; ``scale``: counted in k and M), none with
    --quiet or when stderr is not a TTY. ``update_to(n)`` moves it to ``n``; ``done_of(done, total)`` to ``done`` of
    ``total``. Test it against None: a bar without a total has no truth value (tqdm raises TypeError)."""
    if not _shows_progress(quiet):
        return None
    from tqdm import tqdm

    bar = tqdm(desc=what, unit=unit, unit_scale=scale, file=sys.stderr)
    bar.update_to = lambda n: bar.update(n - bar.n)

    def done_of(done: int, total: int) -> None:
        bar.total = total
        bar.update_to(done)

    bar.done_of = done_of
    return bar


def cmd_validate(args) -> int:
    from ngograph.runtime import collector_paused, worker_threads
    from ngograph.store.backends import Embedded
    from ngograph.store.embedded import Locations, open_store, read_graph, snapshot
    from ngograph.validate.fast import UNSUPPORTED_INFERENCE, validate_published
    from ngograph.validate.kept import keep, kept_file, read_kept, report_key
    from ngograph.validate.shacl import Report, validate_graph, with_quality_checks

    if args.engine == "fast" and args.inference != "none":
        raise ConfigError(UNSUPPORTED_INFERENCE.format(inference=args.inference))
    t = _Timer()
    path = config.store_path(args.store)
    # the fast engine's command with the collector paused throughout, what it made resumed in the oldest generation: it
    # ends soon after (resumed after the checks, the collector walked all of it: 0.07 s on the imported store); pySHACL
    # makes cyclic garbage (ngograph.runtime)
    paused = collector_paused(promote=True) if args.engine == "fast" else nullcontext()
    with paused, open_store(path) as store:  # one snapshot for the shapes and the checks
        key, kept = None, None
        if snapshot(path, store.directory) and os.access(store.directory, os.W_OK):  # a shared read-only store: none
            try:
                key = report_key(args.engine, args.inference, args.source)
                kept = kept_file(store.directory, key)
            except OSError as exc:  # a file of the package that cannot be read: validate, keep nothing
                _log(f"validate: the report is not kept: {exc}")
        results = read_kept(kept, key) if kept is not None and not args.fresh else None
        found = results is None
        if found:
            locations = Locations(store)
            bar = None
            # the fast engine's checks, its look-ups of locations and the quality checks share two worker threads
            with worker_threads() as submit:
                if args.engine == "fast":
                    bar = _progress(False, "validate", " checks", scale=False)  # the fast engine's checks as they are done
                    run = lambda: validate_published(store, args.source, locations,  # noqa: E731
                                                     progress=bar.done_of if bar is not None else None, submit=submit)
                    checked = "the store's graph checked"
                else:
                    graph = read_graph(store, args.source)
                    run = lambda: validate_graph(graph, locations, inference=args.inference)  # noqa: E731
                    checked = f"{len(graph)} triples checked"
                try:
                    results = with_quality_checks(run, Embedded(store.store, sources=args.source), locations,
                                                  submit).results
                finally:
                    if bar is not None:
                        bar.close()
        else:
            checked = "the report kept in the store's folder read (--fresh: validate again)"
        shown = {"violation": ("Violation",), "warning": ("Violation", "Warning"),
                 "info": ("Violation", "Warning", "Info")}[args.severity]
        report = Report(results, base=config.base_iri(None))
        # the report's text and the kept file make no cyclic garbage: the collector walked the results three times
        # over (0.3 s of the imported store's 117,000)
        with collector_paused():
            print(report.render(max_per_group=args.max_per_group, shown=shown), flush=True)
            elapsed = str(t)
            if found and kept is not None:  # after the report: the user does not wait for it (0.6-0.9 s for 140,300)
                try:
                    keep(kept, key, results)
                except (OSError, NgographError) as exc:  # a read-only folder, a folder where the file goes
                    _log(f"validate: the report is not kept in the store's folder: {exc}")
    _log(f"validate: {checked} in {elapsed} ({args.engine} engine)")
    return 0 if report.conforms else 1


#: Seconds ``ngograph query`` lets a query run when neither ``--timeout`` nor the query's ``#+ timeout:`` says.
QUERY_TIMEOUT = 30.0


def cmd_query(args) -> int:
    from ngograph.store.backends import Embedded, Remote, max_memory
    from ngograph.queries.library import QUERIES_DIR, format_rows, list_queries, load_query, run, stream
    from ngograph.errors import QuerySyntaxError
    from ngograph.rdf.namespaces import PREFIXES

    if args.list or not args.name:
        for q in list_queries():
            params = " ".join(f"[{p.name}={p.default}]" if p.default else f"{p.name}=..." for p in q.params)
            print(f"{q.name:<28} {q.summary}" + (f"\n{'':<28}   params: {params}" if params else ""))
        return 0
    params = {}
    for item in args.param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--param {item!r}: write key=value, e.g. --param year=2019")
        if key in params:  # the last one was kept without a word
            raise ConfigError(f"--param {key} given twice ({params[key]!r} and {value!r}): a parameter takes one value; "
                              "run the query once for each")
        params[key] = value
    base = config.base_iri(args.base)
    if not args.endpoint and (args.graph or args.user):
        raise ConfigError(f"{'--graph' if args.graph else '--user'} is for a remote endpoint: give --endpoint URL too")
    query = load_query(args.name)
    timeout = args.timeout or query.timeout or QUERY_TIMEOUT  # --timeout, else the query's own, else 30 s
    backend = Remote(args.endpoint, connect_timeout=args.connect_timeout, timeout=timeout, sources=args.source,
                     graph=args.graph, auth=config.endpoint_auth(args.user)) \
        if args.endpoint else Embedded(config.store_path(args.store), sources=args.source)
    t = _Timer()
    limits = dict(timeout=timeout, max_rows=args.max_rows, base=base,
                  max_memory=None if args.endpoint else max_memory(args.max_memory))
    shorten = {"": base, **{k: v for k, v in PREFIXES.items() if k in ("country", "role")}}
    try:
        if args.format in ("csv", "tsv"):  # written chunk by chunk as the store yields the rows
            n, truncated = 0, False
            for i, chunk in enumerate(stream(query, backend, params, **limits)):
                sys.stdout.write(format_rows(chunk, args.format, header=i == 0))
                n, truncated = n + len(chunk), chunk.truncated
        else:
            rows = run(query, backend, params, **limits)
            sys.stdout.write(format_rows(rows, args.format, shorten))
            n, truncated = len(rows), rows.truncated
    except QuerySyntaxError as exc:  # a user's file: the error names it
        if query.path is not None and not query.path.resolve().is_relative_to(QUERIES_DIR.resolve()):
            raise QuerySyntaxError(f"{query.path}: {exc}") from None
        raise
    if truncated:
        _log(f"query: stopped at {args.max_rows} rows (the --max-rows cap); raise it to see more")
    _log(f"query: {n} row(s) from {backend.name} in {t}")
    if n == 0:
        for note in _named_nothing(query, params, backend, base, timeout=timeout, max_memory=limits["max_memory"]):
            _log(f"query: {note}")
    return 0


def _named_nothing(query, params: dict, backend, base: str, **limits) -> list[str]:
    """For a query that found no row: each iri parameter given whose resource the store says nothing of, with the
    resources whose IRI ends as the value (the path before it left out: ``red-cross-family-inclusion`` for
    ``project/red-cross-family-inclusion``)."""
    from ngograph.queries.library import bind_params, run

    bound = bind_params(query, params, base)
    notes = []
    for p in query.params:
        if p.type != "iri" or p.name not in params:
            continue
        if run("store/resource-described", backend, {"resource": str(bound[p.name])}, base=base, **limits):
            continue
        tail = params[p.name].rstrip("/").rsplit("/", 1)[-1]
        rows = run("store/resources-ending", backend, {"tail": "/" + tail}, base=base, **limits) if tail else []
        near = [r["near"][len(base):] if r["near"].startswith(base) else r["near"] for r in rows]
        notes.append(f"--param {p.name}={params[p.name]}: the graph read says nothing of {bound[p.name]}"
                     + (f"; did you mean {' or '.join(near)}?" if near else ""))
    return notes


def cmd_push(args) -> int:
    from ngograph.store.backends import Remote
    from ngograph.rdf.serialize import serialize
    from ngograph.store.embedded import read_graph

    t = _Timer()
    graph = read_graph(config.store_path(args.store), args.source)
    remote = Remote(args.endpoint, update_endpoint=args.update_endpoint, gsp_endpoint=args.gsp_endpoint,
                    connect_timeout=args.connect_timeout, timeout=args.timeout, auth=config.endpoint_auth(args.user))
    n = remote.push(serialize(graph, "ntriples"), args.graph, method=args.method,
                    progress=lambda sent, total: _log(f"push: {sent:,}/{total:,} triples in the temporary graph"))
    _log(f"push: {n} triples to {args.endpoint} ({args.graph or 'default graph'}, {args.method}), "
         f"counted there afterwards, in {t}")
    return 0


def _network_data(args):
    from ngograph.store.backends import Embedded
    from ngograph.net.graphs import fetch

    data = fetch(Embedded(config.store_path(args.store), sources=args.source))
    return data.filter(start=args.start, end=args.end, funder=args.funder, theme=args.theme)


def _graph(args, data):
    from ngograph.net import graphs as N

    kind = getattr(args, "kind", "organisations")
    if kind == "organisations":
        return N.copartnership_graph(data, include_funders=args.include_funders)
    if kind == "countries":
        return N.country_graph(data, include_funders=args.include_funders)
    if kind == "bipartite":
        return N.bipartite_graph(data, include_funders=args.include_funders)
    return N.funder_graph(data)


def _partition(args, data, G):
    """Brokerage groups: the node attribute ``country``, or each node's country group; a country in no
    group is a group of its own (Germany is not "international", and two German partners of a French one
    make no coordinator), a node without a country is left to ``brokerage_roles`` ("international")."""
    from ngograph.net.graphs import country_groups

    if args.partition != "group":  # None: not given, countries
        return "country"
    groups = country_groups(data)
    if not groups:  # every organisation in one group: each broker a "coordinator", which says nothing
        raise ConfigError("--partition group: the store holds no country groups (data/country-groups.yaml, "
                          "read by `ngograph build`); add them and build, or use --partition country")
    return {n: groups.get(country, country) for n in G for country in [G.nodes[n].get("country", "")]}


def cmd_network(args) -> int:
    import io

    import networkx as nx

    from ngograph.fsutil import atomic_write_bytes

    fmt = _network_format(args.format, args.output)  # refused before any work
    G = _graph(args, _network_data(args))
    _ignored("network", args, {"include_funders": (args.kind != "funders", "--kind organisations, countries and "
                                                                            "bipartite: funders are the funder network's nodes")})
    if G.number_of_nodes() == 0 and _filters_given(args):  # as plot does: an empty file would hide the typing error
        raise _nothing_to_draw(args, "node", "in the graph; nothing written")
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(G, buf)
    elif fmt == "gexf":
        nx.write_gexf(G, buf)
    else:
        text = io.StringIO()
        keys = sorted({k for _, _, d in G.edges(data=True) for k in d})
        text.write(",".join(["source", "target", *keys]) + "\n")
        for a, b, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
            text.write(",".join([_csv(a), _csv(b), *(_csv(d.get(k, "")) for k in keys)]) + "\n")
        buf.write(text.getvalue().encode("utf-8"))
    atomic_write_bytes(Path(args.output), buf.getvalue())
    _log(f"network: {args.kind} graph, {G.number_of_nodes()} nodes, {G.number_of_edges()} edges -> {args.output}")
    return 0


NETWORK_FORMATS = ("graphml", "gexf", "csv")


def _network_format(given: str | None, output: str) -> str:
    """The format of ``network``: ``--format``, else the suffix of ``--output``, else GraphML; a suffix of another
    of the formats than the one given is refused (GEXF written to ``x.graphml`` would not open as GraphML).

    >>> _network_format(None, "a.GEXF"), _network_format("csv", "a.txt"), _network_format(None, "a")
    ('gexf', 'csv', 'graphml')
    """
    suffix = Path(output).suffix.lower().lstrip(".")
    if given is not None and suffix in NETWORK_FORMATS and suffix != given:
        raise ConfigError(f"--output {output} says {suffix}, --format {given}: give one, or both alike")
    return given or (suffix if suffix in NETWORK_FORMATS else "graphml")


def _csv(value) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def cmd_analyze(args) -> int:
    from ngograph.net.measures import MEASURES, ROLES, brokerage_roles, one_conversion
    from ngograph.queries.library import format_rows
    from ngograph.store.backends import Rows

    data = _network_data(args)
    G = _graph(args, data)
    if G.number_of_nodes() == 0 and _filters_given(args):
        raise _nothing_to_draw(args, "node", "to analyse")
    measures = list(dict.fromkeys(args.measure or ["degree", "weighted_degree", "betweenness", "pagerank",
                                                   "cross_border_share"]))  # a measure asked twice: one column
    table = {n: {"label": G.nodes[n].get("label", n), "country": G.nodes[n].get("country", "")} for n in G}
    sampled = [m for m in measures if m in ("betweenness", "closeness")]
    _ignored("analyze", args, {"k": (bool(sampled), "--measure betweenness and closeness only"),
                               "partition": ("brokerage" in measures, "--measure brokerage only")})
    k = _betweenness_k(G, args.k, "analyze", sampled) if sampled else None
    partition = _partition(args, data, G) if "brokerage" in measures else None  # refused before any measure runs
    # a country graph has no tie within a country: its own E-I index would be 1 everywhere. A country's are those of
    # its organisations' ties in the organisation network (Krackhardt & Stern's group E-I index)
    by_country = _country_ei(args, data) if args.kind == "countries" and set(measures) & {"ei_index",
                                                                                           "cross_border_share"} else {}
    with one_conversion(G):  # the measures on igraph share one conversion of the graph
        for m in measures:
            if by_country and m in ("ei_index", "cross_border_share"):
                for n in G:
                    v = by_country.get(n)
                    table[n][m] = None if v is None else round(v if m == "ei_index" else (v + 1) / 2, 6)
                continue
            if m == "brokerage":  # the total, then each role: which partition is asked shows in the roles
                for n, roles in brokerage_roles(G, partition).items():
                    table[n].update({"brokerage": roles["total"], **{r: roles[r] for r in ROLES}})
                continue
            for n, v in MEASURES[m](G, k=k).items():
                table[n][m] = round(v, 6) if isinstance(v, float) else v
    ranked = _ranked(table, measures[0])[: args.top]
    columns = ["node", "label", "country", *(c for m in measures for c in ([m, *ROLES] if m == "brokerage" else [m]))]
    rows = [{"node": n, **{c: t.get(c) for c in columns[1:]}} for n, t in ranked]
    sys.stdout.write(format_rows(Rows(rows, columns), args.format))
    return 0


def _country_ei(args, data) -> dict:
    """Each country's E-I index in the organisation network: (ties of its organisations abroad - ties at home) /
    both (:func:`ngograph.net.measures.group_ei_index`)."""
    from ngograph.net import graphs as N
    from ngograph.net.measures import group_ei_index

    return group_ei_index(N.copartnership_graph(data, include_funders=args.include_funders))


def _ignored(command: str, args, used: dict[str, tuple[bool, str]]) -> None:
    """Say on stderr, one line each, which options given on the command line the work asked for does not use: a
    figure or table that is silently not what an option says is worse. ``used`` maps an option's dest to whether it is
    used here and what it shapes; an option not given is None or False. A warning, not a refusal: one set of options
    in a loop over the figures draws each of them.

    >>> import contextlib, io, types
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     _ignored("plot", types.SimpleNamespace(k=5, top=None, data=False), {"k": (False, "--figure network only"),
    ...              "top": (False, "x"), "data": (False, "y")})
    >>> print(err.getvalue(), end="")
    plot: --k 5 ignored: it shapes --figure network only
    """
    for dest, (use, what) in used.items():
        value = getattr(args, dest)
        if not use and value is not None and value is not False:
            shown = "" if value is True else f" {value}"
            _log(f"{command}: --{dest.replace('_', '-')}{shown} ignored: it shapes {what}")


def _ranked(table: dict, measure: str) -> list[tuple]:
    """The rows of ``table`` (node -> values) by ``measure``: the highest value first, a community by its number
    (the largest community first), then by node; a node without a value (an E-I index of no ties, a sampled
    measure's NaN) last, not as 0 above every negative value.

    >>> t = {"a": {"m": -1.0}, "b": {"m": None}, "c": {"m": 0.5}, "d": {"m": float("nan")}, "e": {"m": 0.5}}
    >>> [n for n, _ in _ranked(t, "m")], [n for n, _ in _ranked({"x": {"community": 1}, "y": {"community": 0}}, "community")]
    (['c', 'e', 'a', 'b', 'd'], ['y', 'x'])
    """
    sign = 1 if measure == "community" else -1

    def key(item):
        value = item[1].get(measure)
        missing = value is None or value != value  # NaN
        return (missing, 0 if missing else sign * value, str(item[0]))

    return sorted(table.items(), key=key)


#: plot's defaults, applied in :func:`cmd_plot` (the options' own default is None: given, they are checked for use)
PLOT_SIZE_BY, PLOT_TOP, PLOT_MAX_NODES = "weighted_degree", 12, 150
FIGURE_NAMES = {"network": "network", "matrix": "country-matrix", "map": "country-map", "timeline": "timeline",
                "brokerage": "brokerage"}


def _nothing_to_draw(args, what: str, doing: str = "to draw; nothing written") -> ConfigError:
    given = _filters_given(args)
    where = f"the filters {' '.join(given)} leave" if given else "the store has"
    return ConfigError(f"{where} no {what} {doing}")


def _filters_given(args) -> list[str]:
    """The filters of a network verb given on the command line, as written (a mistyped one leaves nothing)."""
    given = [f"--{k} {getattr(args, k)}" for k in ("start", "end", "funder", "theme") if getattr(args, k) is not None]
    return given + [f"--source {name}" for name in args.source or ()]


def cmd_plot(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ngograph.net import measures as A
    from ngograph.net import graphs as N
    from ngograph.net import plot as P

    P.output_paths(args.output, FIGURE_NAMES[args.figure])  # refuse an unknown suffix before any work
    if args.data is not None and not Path(args.data).is_dir():  # else the shipped tables, and a typo unseen
        raise ConfigError(f"--data {args.data}: no such folder")
    data = _network_data(args)  # first: a missing store before the options' notes
    figure, size_by = args.figure, args.size_by or PLOT_SIZE_BY
    _ignored("plot", args, {
        "size_by": (figure == "network", "--figure network only"),
        "max_nodes": (figure == "network", "--figure network only"),
        "k": (figure == "network" and size_by == "betweenness", "--figure network --size-by betweenness only"),
        "top": (figure in ("network", "brokerage"), "--figure network and brokerage only"),
        "partition": (figure == "brokerage", "--figure brokerage only"),
        "data": (figure == "map", "--figure map only (its reference tables)"),
        "include_funders": (figure != "timeline", "the networks, not --figure timeline")})
    top = args.top or PLOT_TOP
    if args.figure in ("network", "brokerage"):
        G = N.copartnership_graph(data, include_funders=args.include_funders)
        if G.number_of_nodes() == 0:
            raise _nothing_to_draw(args, "organisation")
        if args.figure == "network":
            label = size_by.replace("_", " ")
            if size_by == "betweenness":
                k = _betweenness_k(G, args.k, "plot")
                size = A.betweenness(G, k=k)
                label += f" (sampled, k={k})" if k is not None else ""  # an estimate says so
            else:
                size = A.MEASURES[size_by](G)
            ax = P.plot_network(G, size_by=size, size_label=label, top=top, limit=args.max_nodes or PLOT_MAX_NODES)
        else:
            ax = P.plot_brokerage(A.brokerage_roles(G, _partition(args, data, G)), labels=dict(G.nodes(data="label")),
                                  top=top, directed=G.is_directed())
    elif args.figure in ("matrix", "map"):
        G = N.country_graph(data, include_funders=args.include_funders)
        if G.number_of_nodes() == 0:
            raise _nothing_to_draw(args, "country")
        ax = P.plot_country_matrix(G) if args.figure == "matrix" else \
            P.plot_country_map(G, reference=P.reference_dir(args.data))
    else:
        if not P.timeline_projects(data)[0]:
            raise _nothing_to_draw(args, "project with dates")
        ax = P.plot_timeline(data)
    given = _filters_given(args)
    if given:  # a filtered figure says so: a timeline of the projects active in 2020 is not that of all projects
        over = ", each over all the years it runs" if args.figure == "timeline" else ""
        ax.set_title(f"{ax.get_title()}\n(the projects kept by {' '.join(given)}{over})", fontsize=ax.title.get_fontsize())
    try:
        paths = P.save(ax, args.output, name=FIGURE_NAMES[args.figure])
    finally:
        plt.close(ax.figure)
    _log(f"plot: {args.figure} -> {', '.join(map(str, paths))}")
    return 0


def cmd_export(args) -> int:
    from ngograph.publish.export import export_store, sidecar_path
    from ngograph.rdf.serialize import format_name

    if args.output == "-":  # was written as a file named "-"
        raise ConfigError("--output -: export writes a file and its sidecar (FILE.meta.json), not to standard output; "
                          "give a file name")
    store = config.store_path(args.store)
    t = _Timer()
    bars: dict = {}

    def progress(phase: str, done: int, total: int) -> None:  # a bar per phase: the store read, the file written
        if phase not in bars:
            for bar in bars.values():
                bar.close()
            bars[phase] = _progress(False, f"export: {phase}", " statements")
        bars[phase].done_of(done, total)

    try:
        path, n = export_store(store, Path(args.output), args.format, args.source, gzip_output=args.gzip,
                               progress=progress if _shows_progress(False) else None)
    finally:
        for bar in bars.values():
            bar.close()
    what = "quads" if format_name(args.format) == "nquads" else "triples"
    _log(f"export: {n} {what} as {format_name(args.format)}{' (gzip)' if args.gzip else ''} to {path}, "
         f"sidecar {sidecar_path(path).name} ({t})")
    return 0


def cmd_docs(args) -> int:
    from ngograph.publish.docs import write_docs

    t = _Timer()
    files = write_docs(Path(args.output), config.data_dir(args.data))
    _log(f"docs: {len(files)} files in {args.output}: ontology index.html, shapes.html, vocab/ ({t})")
    return 0


def cmd_site(args) -> int:
    from ngograph.publish.pages import Paths
    from ngograph.publish.site import write_site

    t = _Timer()
    bar = _progress(False, "site", " pages")
    try:
        n = write_site(config.store_path(args.store), Path(args.output), Paths(args.base), workers=args.workers,
                       progress=bar.done_of if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    _log(f"site: {n} resource pages, their RDF and the index pages in {args.output} ({t})")
    return 0


def cmd_serve(args) -> int:
    try:
        from ngograph.publish.serve import serve
    except ImportError as exc:
        raise ConfigError(f"ngograph serve needs the serve extra ({exc.name} is missing): {install_hint('serve')}") \
            from None
    store = config.store_path(args.store)
    from ngograph.store.embedded import open_store

    open_store(store).close()  # no store: the StoreError that says how to build one
    if args.dumps is not None and not Path(args.dumps).is_dir():
        raise ConfigError(f"--dumps {args.dumps}: no such folder (the folder `ngograph export --output DIR/FILE` "
                          "writes the dumps into)")
    _log(f"serve: the store {store} at http://{args.host}:{args.port}/ (SPARQL at /sparql) once what its pages need "
         "is read; Ctrl-C stops")
    serve(store, args.host, args.port, args.workers, base=args.base, timeout=args.timeout, max_rows=args.max_rows,
          cache_size=args.cache, dumps=None if args.dumps is None else str(Path(args.dumps).resolve()),
          max_queries=args.max_queries)
    return 0


def cmd_summary(args) -> int:
    from ngograph.store.backends import Embedded
    from ngograph.queries.library import run
    from ngograph.publish.statistics import published_counts
    from ngograph.store.embedded import VOCAB_GRAPH, is_merges_graph

    backend = Embedded(config.store_path(args.store), sources=args.source)
    row = run("summary", backend)[0]
    counts = published_counts(backend.store, args.source)  # each graph counted once, for the total and the note
    row["triples"] = sum(counts.values())
    width = max(map(len, row))
    for key, value in row.items():
        print(f"{key:<{width}}  {value}")
    # `import --list` counts an imported graph's own triples only
    parts = [f"the {counts[VOCAB_GRAPH]:,} of the reference vocabularies (countries, codelists)"] \
        if VOCAB_GRAPH in counts else []  # in the graphs read only with --source (part of the curated graph)
    merges = sum(n for g, n in counts.items() if is_merges_graph(g))
    parts += [f"the {merges:,} of reconciliation's merges within the named sources"] if merges else []
    if parts:
        _log(f"summary: the triples include {' and '.join(parts)}")
    return 0


def cmd_extract(args) -> int:
    from ngograph.extract import extract_file, knowledge, read_page, require, to_json, to_yaml
    from ngograph.fsutil import atomic_write_bytes

    if args.text:
        sys.stdout.write(read_page(Path(args.file)).text + "\n")
        return 0
    require()
    t = _Timer()
    store = config.store_path(args.store)
    known = knowledge(config.data_dir(args.data), store if store.exists() else None, config.base_iri(args.base))
    found = extract_file(Path(args.file), known, args.lang)
    out = to_json(found) if args.format == "json" else to_yaml(found)
    if args.output:
        atomic_write_bytes(Path(args.output), out.encode("utf-8"))
    else:
        sys.stdout.write(out)
    project = found.records["projects"][0]
    n_orgs = sum(len(v) for v in project.get("participants", {}).values()) + len(project.get("grants", []))
    _log(f"extract: {Path(args.file).name} ({found.lang}): {n_orgs} organisation(s), "
         f"{len(found.records.get('organisations', []))} new, period {project.get('start', '?')}/"
         f"{project.get('end', '?')}, {len(found.evidence)} value(s) with evidence"
         f"{' to ' + args.output if args.output else ''} ({t})")
    return 0


def cmd_refdata(args) -> int:
    from ngograph.rdf.refdata import write_reference

    for path in write_reference(config.data_dir(args.data)):
        _log(f"refdata: wrote {path}")
    return 0


# ---------------------------------------------------------------------------- parser

def _seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 (e.g. 30)")
    return value


def _sources(text: str) -> int | str:
    """An argparse type: the sources of a sampled betweenness (a whole number from 1), or ``all``.

    >>> _sources("256"), _sources("all")
    (256, 'all')
    >>> _sources("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '0': the sampled sources are a whole number from 1, or all (exact)
    """
    if text == "all":
        return text
    try:
        return _whole(1, what="the sampled sources")(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: the sampled sources are a whole number from 1, or all (exact)") \
            from None


def _betweenness_k(G, asked: int | str | None, command: str, measures: list[str] = ("betweenness",)) -> int | None:
    """The sources of ``command``'s shortest-path ``measures`` of ``G`` (betweenness, closeness: the same search from
    each source): those asked for (``all``: None, exact), else a sample where the exact measure would take long
    (:func:`ngograph.net.measures.betweenness_sources`), said on stderr."""
    from ngograph.net.measures import betweenness_sources, igraph_missing

    if igraph_missing(G):  # the README's 20 s for the imported store are igraph's
        _log(f"{command}: {G.number_of_nodes():,} nodes and igraph is not installed: the measures run on networkx, "
             f"20-190 times slower ({install_hint('fast')})")
    if asked is not None:
        return None if asked == "all" else asked
    k = betweenness_sources(G)
    if k is not None and k < G.number_of_nodes():
        _log(f"{command}: {' and '.join(measures)} estimated from {k} sampled sources of {G.number_of_nodes():,} nodes "
             "(the exact measure would take long here; --k all for it, --k N for another sample)")
    return k


def _whole(low: int, high: int | None = None, *, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` (to ``high``).

    >>> _whole(1, what="the row cap")("20"), _whole(1, 65535, what="the port")("8080")
    (20, 8080)
    >>> _whole(1, what="the row cap")("-5")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '-5': the row cap is a whole number from 1
    >>> _whole(1, 65535, what="the port")("99999999")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '99999999': the port is a whole number from 1 to 65535
    >>> _whole(0, what="the cache")("2.5")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '2.5': the cache is a whole number from 0
    """
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            span = f"from {low}" + (f" to {high}" if high is not None else "")
            raise argparse.ArgumentTypeError(f"{text!r}: {what} is a whole number {span}")
        return value

    return whole


def _size(text: str) -> int:
    """An argparse type: a memory size such as 512M or 4G."""
    from ngograph.store.backends import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="ngograph", formatter_class=fmt,
        description="A knowledge graph of cross-border NGO cooperation.",
        epilog="examples:\n  ngograph build\n  ngograph validate\n"
               "  ngograph export --format turtle --output build/ngograph.ttl\n  ngograph summary\n"
               "  ngograph query --list\n  ngograph analyze --include-funders --measure betweenness --top 10\n\n"
               "exit codes: 0 ok, 1 SHACL violations or quality-check rows, 2 data, shapes, store, query or "
               "endpoint cannot be used, 3 a query ran out of time, 130 interrupted (Ctrl-C), 141 output closed "
               "before it was all written (| head)")
    p.add_argument("--version", action="version", version=f"ngograph {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def store_opt(sp):
        sp.add_argument("--store", help="embedded store path (default: $NGOGRAPH_STORE or .ngograph/store)")

    def source_opt(sp, only="only this source's data", more=""):
        sp.add_argument("--source", action="append", metavar="NAME",
                        help=f"{only}: an imported dataset's name (ngograph import --list) or "
                             f"curated (the curated data); repeatable (default: all sources){more}")

    def page_base_opt(sp):
        sp.add_argument("--base", help="base IRI of the resources: {base}X has the path /id/X "
                                       "(default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)

    def data_opt(sp):
        sp.add_argument("--data", help="curated data folder (default: $NGOGRAPH_DATA or data/ in the working directory)")

    def sources_opt(sp, measures: str):
        sp.add_argument("--k", type=_sources,
                        help=f"{measures}: the sources sampled, or all (exact) (default: all where that "
                             "is quick, else 500 sampled, which a line on stderr says)")

    def rows_format_opt(sp):
        sp.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table",
                        help="how the rows are printed: table (each value on one line, cut at 60 characters), or csv, "
                             "tsv and json (every value whole) (default: table)")

    b = sub.add_parser("build", formatter_class=fmt, help="read data/, build the graph, validate it and load the store",
                       description="Read the curated records in data/, mint IRIs, validate the graph with SHACL and "
                                   "load it into the embedded store. The store is replaced atomically, and only when "
                                   "the graph has no violations of the shapes or of the quality checks "
                                   "(queries/qc); old stores are removed once no reader has them open.",
                       epilog="examples:\n  ngograph build --data data --store .ngograph/store --base https://w3id.org/ngograph/id/\n"
                              "  ngograph build --example")
    data_opt(b)
    b.add_argument("--example", action="store_true",
                   help="build the example data ngograph ships (the seven projects of the five seed documents) instead of --data")
    store_opt(b)
    b.add_argument("--base", help="base IRI of minted resources (default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)
    b.set_defaults(func=cmd_build)

    im = sub.add_parser("import", formatter_class=fmt, help="import a source's files into the store as a named graph",
                        description="Read a source's files, map them onto the model and write them into the store as "
                                    "one named graph (the source dataset, with its files, sizes, SHA-256 and import time). "
                                    "Importing the same source under the same name again replaces that graph (a name "
                                    "another source's import holds is refused); a build keeps it. Atomic: a failed or "
                                    "killed import leaves the store as it was. Problems in single records are "
                                    "reported (the first 50) and skipped; the rest is imported. A damaged file (a "
                                    "gzip, XML or JSON file cut off or broken after its start, JSON going on after its end, "
                                    "a CSV quote never closed or closed only rows later) "
                                    "refuses the whole import: one line naming the file and where, exit code 2, the "
                                    "store unchanged.",
                        epilog="examples:\n  ngograph import iati ../shared/datasets/iati-covid-bulk/\n"
                               "  ngograph import cordis ../shared/datasets/cordis-h2020/h2020.csv.gz\n"
                               "  ngograph import interreg ../shared/datasets/interreg-sweden/rawdata_2026.json\n"
                               "  ngograph import 360giving ../shared/datasets/360giving/\n"
                               "  ngograph import forskningsradet ../shared/datasets/forskningsradet-norway/\n"
                               "  ngograph import table examples/\n"
                               "  ngograph import iati tests/fixtures/sources/iati/dportal15_nordic_ngos.xml --name nordic\n"
                               "  ngograph import --list\n  ngograph import --drop nordic")
    im.add_argument("source", nargs="?", help="the source: iati, cordis, interreg, 360giving, forskningsradet or table (the spreadsheet template)")
    im.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of the source")
    im.add_argument("--name", help="the dataset's name in the store: letters, digits, '.', '_' and '-' (default: the source's name); "
                         "a name that another source's import holds is refused")
    im.add_argument("--list", action="store_true", help="list the imported sources in the store")
    im.add_argument("--drop", metavar="NAME", help="remove an imported source from the store")
    im.add_argument("--quiet", action="store_true", help="no progress bar and no summary table")
    im.add_argument("--no-reconcile", action="store_true",
                    help="do not reconcile the store's organisations after the import (ngograph reconcile does it later)")
    im.add_argument("--base", help="base IRI of minted resources (default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)
    data_opt(im)
    store_opt(im)
    im.set_defaults(func=cmd_import)

    rc = sub.add_parser("reconcile", formatter_class=fmt, help="merge the nodes of one organisation (identifiers, names)",
                        description="Find the organisation nodes that are one organisation: the same registry identifier "
                                    "in one scheme, then normalised names in one country scored with rapidfuzz. Sure "
                                    "merges are written to the store's graph urn:ngograph:graph:reconcile (each node "
                                    "linked to its canonical node with the reason), and those within each source to "
                                    "urn:ngograph:graph:reconcile/NAME, which --source NAME reads; uncertain pairs go to "
                                    "data/reconcile/pending.csv for review, and the decisions of "
                                    "data/reconcile/decisions.csv (accept/reject) are applied. Every import and build "
                                    "runs this too, without writing the review queue.",
                        epilog="examples:\n  ngograph reconcile\n  ngograph reconcile --source iati --source cordis")
    source_opt(rc, "match only this source's organisations", ". The merges and the pairs to review that involve an "
                                                              "organisation of another source are kept as they were")
    data_opt(rc)
    store_opt(rc)
    rc.add_argument("--base", help="base IRI of minted resources (default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)
    rc.set_defaults(func=cmd_reconcile)

    v = sub.add_parser("validate", formatter_class=fmt, help="validate the store's graph with the SHACL shapes",
                       description="Check the graph in the store with the SHACL shapes and print the results grouped "
                                   "by severity and shape; each names the curated record's file and line. The fast "
                                   "engine (the default) runs the shapes as SPARQL queries on the store; pySHACL, the "
                                   "reference, reads the graph into memory first and gives the same results (on "
                                   "a terminal, a bar shows the fast engine's checks as they are done). The "
                                   "report is kept in the store's folder: asked again the same way (engine, "
                                   "inference, sources) of the same store, it is read back instead of found again.",
                       epilog="examples:\n  ngograph validate --severity warning\n"
                              "  ngograph validate --source curated --source iati-sample\n"
                              "  ngograph validate --engine pyshacl --fresh")
    store_opt(v)
    source_opt(v)
    v.add_argument("--engine", choices=["fast", "pyshacl"], default="fast",
                   help="fast: the shapes as SPARQL on the store; pyshacl: the reference, in memory (default: fast)")
    v.add_argument("--inference", choices=["none", "rdfs", "owlrl", "both"], default="none",
                   help="inference before validation, with --engine pyshacl only (default: none)")
    v.add_argument("--severity", choices=["violation", "warning", "info"], default="info",
                   help="the least severe results to show (default: info, all)")
    v.add_argument("--max-per-group", type=_whole(0, what="the results shown per shape"), default=20, help="results shown per shape (default: 20)")
    v.add_argument("--fresh", action="store_true",
                   help="validate again even when the report of this store is kept (and keep the new one)")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("export", formatter_class=fmt, help="write the graph to a file (a dump)",
                       description="Write the published graph, with the dataset's VoID/DCAT-AP description, as "
                                   "deterministic, sorted RDF, atomically (a killed export leaves the previous file), "
                                   "with a sidecar FILE.meta.json (statements, bytes, SHA-256). N-Quads keeps the source "
                                   "graphs; every format streams in flat memory, each term as the store holds it; "
                                   "JSON-LD is compacted with ontology/context.jsonld, embedded in the file; RDF/XML "
                                   "refuses a predicate or class it cannot name as an element and a character XML "
                                   "cannot hold (choose another format). On a terminal, a bar shows the statements "
                                   "read from the store, then those written.",
                       epilog="examples:\n  ngograph export --format turtle --output build/ngograph.ttl\n"
                              "  ngograph export --format nt --gzip --output build/dumps/ngograph.nt.gz\n"
                              "  ngograph export --format nquads --source iati --gzip --output build/dumps/ngograph-iati.nq.gz\n"
                              "  ngograph export --source curated --output build/curated.ttl")
    store_opt(e)
    source_opt(e)
    e.add_argument("--format", choices=["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "ttl", "nt"],
                   default="turtle", help="RDF format (default: turtle; ttl and nt are short names)")
    e.add_argument("--gzip", action="store_true", help="gzip the file (deterministically: no time stamp in it)")
    e.add_argument("--output", required=True, help="file to write")
    e.set_defaults(func=cmd_export)

    d = sub.add_parser("docs", formatter_class=fmt, help="write the HTML documentation of the vocabulary",
                       description="Write HTML pages documenting the ontology (ontology/ngograph.ttl), the SHACL "
                                   "shapes (what each checks, in words) and the SKOS concept schemes of data/vocab/, "
                                   "every term anchored by its local name, with the ontology as Turtle, JSON-LD, "
                                   "N-Triples and RDF/XML beside them. Self-contained: no file from elsewhere.",
                       epilog="example:\n  ngograph docs --output build/docs")
    d.add_argument("--output", required=True, help="folder to write into (created)")
    data_opt(d)
    d.set_defaults(func=cmd_docs)

    q = sub.add_parser("query", formatter_class=fmt, help="run a SPARQL query of the library, or a file",
                       description="Run a query of the library (queries/*.rq) or a .rq file on the embedded store or a "
                                   "remote SPARQL endpoint. Parameters are bound, never pasted into the query; SERVICE, "
                                   "LOAD, FROM and updates are refused.",
                       epilog="examples:\n  ngograph query --list\n"
                              "  ngograph query project-partners --param project=project/red-cross-family-inclusion\n"
                              "  ngograph query projects-active-in-year --param year=2019 --format csv\n"
                              "  ngograph query organisations-per-country --source curated --source iati-sample\n"
                              "  ngograph query country-pairs --endpoint http://127.0.0.1:7878/query")
    q.add_argument("name", nargs="?", help="library query name or path to a .rq file")
    q.add_argument("--list", action="store_true", help="list the library with summaries and parameters")
    q.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter (repeatable: one for each key)")
    rows_format_opt(q)
    q.add_argument("--endpoint", help="a remote SPARQL endpoint URL instead of the embedded store")
    q.add_argument("--timeout", type=_seconds,
                   help="seconds the whole query may take, on the store or an endpoint; then it is stopped "
                        f"with exit code 3 (default {QUERY_TIMEOUT:g}, or the query's own: cross-border-pairs 120)")
    q.add_argument("--connect-timeout", type=_seconds, default=5.0, help="seconds to connect to an endpoint (default 5)")
    q.add_argument("--graph", help="with --endpoint: the graph holding the data there (sent as default-graph-uri; "
                                   "needed on Virtuoso, whose default graph is the union of all its graphs)")
    q.add_argument("--user", help="with --endpoint: the user to authenticate as (HTTP Basic or Digest); the password "
                                  "from $NGOGRAPH_ENDPOINT_PASSWORD")
    q.add_argument("--max-memory", type=_size, metavar="SIZE",
                   help="memory a query on the embedded store may take, e.g. 512M or 2G: it runs in a worker "
                        "process with that address-space limit, and a query needing more ends with exit code 2 "
                        "(default: $NGOGRAPH_MAX_MEMORY, else half the RAM, at most 4G)")
    q.add_argument("--max-rows", type=_whole(1, what="the row cap"), default=100_000, help="row cap (default 100000)")
    q.add_argument("--base", help="base IRI for relative IRI parameters (default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)
    store_opt(q)
    source_opt(q)
    q.set_defaults(func=cmd_query)

    pu = sub.add_parser("push", formatter_class=fmt, help="load the graph into a remote SPARQL store",
                        description="Replace a graph of a remote SPARQL 1.1 store with the embedded store's graph, "
                                    "by SPARQL Update (chunks into a temporary graph, then one MOVE) or by one Graph "
                                    "Store Protocol PUT, then count the triples there. A SPARQL server must be running, "
                                    f"e.g. {install_hint('server')} and oxigraph serve --location "
                                    ".ngograph/server --bind 127.0.0.1:7878 (README: Pushing to a shared triple store).",
                        epilog="examples:\n  ngograph push --endpoint http://127.0.0.1:7878/query\n"
                               "  ngograph push --endpoint http://127.0.0.1:7878/query --graph https://w3id.org/ngograph/graph --method gsp\n"
                               "  ngograph push --endpoint http://127.0.0.1:7878/query --source curated\n"
                               "  NGOGRAPH_ENDPOINT_PASSWORD=... ngograph push --endpoint http://127.0.0.1:8890/sparql "
                               "--update-endpoint http://127.0.0.1:8890/sparql-auth --user ngograph --graph https://w3id.org/ngograph/graph  # Virtuoso")
    pu.add_argument("--endpoint", required=True, help="the SPARQL query endpoint URL")
    pu.add_argument("--update-endpoint", help="SPARQL Update URL (default: the endpoint with /query -> /update)")
    pu.add_argument("--gsp-endpoint", help="Graph Store Protocol URL (default: the endpoint with /query -> /store)")
    pu.add_argument("--graph", help="target named graph IRI (default: the default graph)")
    pu.add_argument("--method", choices=["update", "gsp"], default="update",
                    help="update: SPARQL Update, in chunks, then one MOVE; gsp: one Graph Store Protocol PUT "
                         "(default: update)")
    pu.add_argument("--timeout", type=_seconds, default=300.0,
                    help="seconds the whole push may take, every request and the final count; then it is "
                         "stopped with exit code 3 (default 300)")
    pu.add_argument("--connect-timeout", type=_seconds, default=5.0, help="seconds to connect (default 5)")
    pu.add_argument("--user", help="the user to authenticate as (HTTP Basic or Digest, e.g. Virtuoso's /sparql-auth); "
                                   "the password from $NGOGRAPH_ENDPOINT_PASSWORD")
    store_opt(pu)
    source_opt(pu)
    pu.set_defaults(func=cmd_push)

    def filter_opts(sp):
        store_opt(sp)
        source_opt(sp)
        sp.add_argument("--include-funders", action="store_true", help="put funders and co-funders in the network (`network --kind bipartite`: every "
                             "funding participation, each edge with its role: funder, accountable, administering body...) "
                             "(default: members only)")
        sp.add_argument("--start", type=int, help="keep projects active in or after this year")
        sp.add_argument("--end", type=int, help="keep projects active in or before this year")
        sp.add_argument("--funder", help="keep projects of this funder (organisation id)")
        sp.add_argument("--theme", help="keep projects on this theme (notation)")

    kinds = ["organisations", "countries", "bipartite", "funders"]
    nw = sub.add_parser("network", formatter_class=fmt, help="export a partnership network for Gephi or networkx",
                        description="Build a network from the store with SPARQL and write it as GraphML, GEXF (both "
                                    "open in Gephi with their attributes) or an edge-list CSV.",
                        epilog="examples:\n  ngograph network --kind organisations --format graphml --output build/organisations.graphml\n"
                               "  ngograph network --kind countries --format csv --output build/countries.csv --start 2019\n"
                               "  ngograph network --source iati-sample --format gexf --output build/iati.gexf")
    nw.add_argument("--kind", choices=kinds, default="organisations",
                    help="whose network: organisations tied by shared projects, countries, organisations and "
                         "projects (bipartite), or funders tied to the members of the projects they fund "
                         "(default: organisations)")
    nw.add_argument("--format", choices=NETWORK_FORMATS,
                    help="graphml or gexf (Gephi, networkx, with every node and its attributes), csv (an edge list: "
                         "a node without ties is left out) (default: the suffix of --output, else graphml)")
    nw.add_argument("--output", required=True)
    filter_opts(nw)
    nw.set_defaults(func=cmd_network)

    an = sub.add_parser("analyze", formatter_class=fmt, help="centrality, cross-border and brokerage measures",
                        description="Compute measures of a network and print the top nodes, ranked by the first measure. "
                                    "An option no measure asked uses (--k without betweenness or closeness) is ignored, "
                                    "and a line on stderr says so. In the example data each project is a clique of its "
                                    "members: there betweenness and brokerage are 0 unless --include-funders ties the "
                                    "projects through their funders.",
                        epilog="examples:\n  ngograph analyze --include-funders --measure betweenness --measure cross_border_share --top 10\n"
                               "  ngograph analyze --kind countries --measure degree --measure weighted_degree --format csv\n"
                               "  ngograph analyze --include-funders --measure brokerage --partition group\n"
                               "  ngograph analyze --source curated --measure degree --top 5")
    an.add_argument("--kind", choices=["organisations", "countries"], default="organisations",
                    help="the network measured (default: organisations)")
    an.add_argument("--measure", action="append",
                    choices=["degree", "weighted_degree", "betweenness", "eigenvector", "pagerank", "closeness",
                             "cross_border_share", "ei_index", "community", "brokerage"],
                    help="repeatable (default: degree, weighted_degree, betweenness, pagerank, cross_border_share); "
                         "brokerage prints its total (the open two-paths brokered) and a column per Gould-Fernandez "
                         "role (coordinator, itinerant, representative, gatekeeper, liaison); with --kind countries, "
                         "ei_index and cross_border_share are those of each country's organisations' ties (the "
                         "country network has no tie within a country)")
    sources_opt(an, "betweenness and closeness")
    an.add_argument("--partition", choices=["country", "group"],
                    help="brokerage partition: countries, or the country groups of data/country-groups.yaml, "
                         "each country in no group a group of its own (default: country)")
    an.add_argument("--top", type=_whole(1, what="the row cap"), default=20,
                    help="rows shown, the highest of the first measure first (community: the largest community first; "
                         "a node without a value last) (default: 20)")
    rows_format_opt(an)
    filter_opts(an)
    an.set_defaults(func=cmd_analyze)

    pl = sub.add_parser("plot", formatter_class=fmt, help="draw a figure as PNG and SVG, or PDF",
                        description="Draw one figure and write it (atomically) where --output says:\n"
                                    "  NAME without suffix    NAME.png and NAME.svg\n"
                                    "  NAME.png|.svg|.pdf     that one file, in that format (any other suffix is refused)\n"
                                    "  FOLDER/ or a folder    FOLDER/<figure>.png and .svg, <figure> being network,\n"
                                    "                         country-matrix, country-map, timeline or brokerage\n"
                                    "When the filters leave nothing to draw, the command says so in one line, writes\n"
                                    "nothing and exits with 2. An option the figure does not use (--partition for a\n"
                                    "timeline) is ignored, and a line on stderr says so.",
                        epilog="examples:\n  ngograph plot --figure network --output build/figures/network\n"
                               "  ngograph plot --figure matrix --output build/figures/\n"
                               "  ngograph plot --figure timeline --output build/figures/timeline.pdf\n"
                               "  ngograph plot --figure matrix --source curated --output build/figures/curated-matrix")
    pl.add_argument("--figure", choices=list(FIGURE_NAMES), required=True)
    pl.add_argument("--output", required=True,
                    help="NAME (.png and .svg), NAME.png, NAME.svg, NAME.pdf, or a folder (see above)")
    pl.add_argument("--size-by", choices=["degree", "weighted_degree", "betweenness", "eigenvector", "pagerank"],
                    help=f"network: node size (default: {PLOT_SIZE_BY})")
    pl.add_argument("--max-nodes", type=_whole(2, what="the number of organisations drawn"),
                    help="network: the most organisations drawn, those ranked highest by --size-by, with the "
                         f"partnerships among them (default: {PLOT_MAX_NODES})")
    sources_opt(pl, "betweenness")
    pl.add_argument("--top", type=_whole(1, what="the number of organisations"),
                    help="brokerage: bars; network: numbered nodes when it has more than 60 (smaller: all) "
                         f"(default: {PLOT_TOP})")
    pl.add_argument("--partition", choices=["country", "group"],
                    help="brokerage: countries, or the country groups of data/country-groups.yaml, each country in "
                         "no group a group of its own (default: country, as for analyze)")
    data_opt(pl)
    filter_opts(pl)
    pl.set_defaults(func=cmd_plot)

    si = sub.add_parser("site", formatter_class=fmt, help="write a static site: a page and RDF files for every resource",
                        description="Write a static site any web host can serve: one HTML page per resource with its "
                                    "Turtle, JSON-LD and N-Triples beside it, index pages by country, funder, year and "
                                    "source, and a search that needs no server. The folder is replaced atomically. "
                                    "docs/publishing.md has the redirect rules for the IRIs.",
                        epilog="example:\n  ngograph site --output build/site")
    store_opt(si)
    si.add_argument("--output", required=True, help="folder to write (replaced as a whole)")
    page_base_opt(si)
    si.add_argument("--workers", type=_whole(1, what="the number of processes"), help="processes making pages (default: one per core)")
    si.set_defaults(func=cmd_site)

    se = sub.add_parser("serve", formatter_class=fmt, help="serve the pages, the RDF and a SPARQL endpoint from the store",
                        description="Serve every resource's page and RDF live from the store, with content negotiation "
                                    "(HTML, Turtle, JSON-LD, N-Triples, RDF/XML), and a read-only SPARQL 1.1 Protocol "
                                    "endpoint at /sparql. The IRI {base}X is served at /id/X. A build or import may "
                                    "replace the store meanwhile: requests see the old graph or the new one. Needs the "
                                    f"serve extra: {install_hint('serve')}.",
                        epilog="examples:\n  ngograph serve --port 8080    # then open http://127.0.0.1:8080/\n"
                               "  ngograph serve --dumps build/dumps    # and the dumps at /dumps/ngograph.nt.gz")
    store_opt(se)
    se.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    se.add_argument("--port", type=_whole(1, 65535, what="the port"), default=8080, help="port (default: 8080)")
    page_base_opt(se)
    se.add_argument("--timeout", type=_seconds, default=30.0, help="seconds a SPARQL query may run (default: 30)")
    se.add_argument("--max-rows", type=_whole(1, what="the row cap"), default=100_000, help="rows a SPARQL query may return (default: 100,000)")
    se.add_argument("--workers", type=_whole(1, what="the number of processes"), default=1, help="server processes (default: 1; one per core for more pages/s)")
    se.add_argument("--cache", type=_whole(0, what="the number of cached pages"), default=2_000, metavar="N",
                    help="resource answers (a page or an RDF file) kept per process and store, given again until a "
                         "build or import replaces the store (default: 2,000; 0: none)")
    se.add_argument("--max-queries", type=_whole(1, what="the number of queries"), metavar="N",
                    help="SPARQL queries run at once per process; more are refused (503) until one ends, and a query "
                         "past --timeout keeps its place until it ends, as the engine cannot stop it (default: one "
                         "per core)")
    se.add_argument("--dumps", metavar="DIR",
                    help="serve the files of DIR (the dumps `ngograph export` wrote there, with their .meta.json) at "
                         "/dumps/FILE, where the dataset description's void:dataDump names them (default: none)")
    se.set_defaults(func=cmd_serve)

    s = sub.add_parser("summary", formatter_class=fmt, help="print headline counts of the graph",
                       epilog="examples:\n  ngograph summary\n  ngograph summary --source curated")
    store_opt(s)
    source_opt(s)
    s.set_defaults(func=cmd_summary)

    ex = sub.add_parser("extract", formatter_class=fmt, help="draft data/projects records from a saved project page",
                        description="Read a saved project page (plain text or HTML; nothing is fetched) in English, "
                                    "Latvian, Lithuanian, Estonian, Polish, Russian or Norwegian and write a draft in "
                                    "the data/projects YAML format: title, period, organisations with their roles and "
                                    "countries (linked to the graph's ids when known, else proposed as new records), "
                                    "funders and amounts, places, target groups and activity types. Every value "
                                    "carries its evidence (character offsets in the page's text and the quoted text) "
                                    "and a confidence. Precision before recall: review the draft before moving it "
                                    f"into data/. Needs the extract extra: {install_hint('extract')}. "
                                    "See docs/extraction.md.",
                        epilog="examples:\n  ngograph extract tests/fixtures/extract/en-1.txt\n"
                               "  ngograph extract page.html --lang lv --output draft.yaml\n"
                               "  ngograph extract page.html --format json\n"
                               "  ngograph extract page.html --text   # the text the offsets refer to")
    ex.add_argument("file", metavar="FILE", help="the saved page: .txt or .html")
    ex.add_argument("--lang", choices=["en", "lv", "lt", "et", "pl", "ru", "no"],
                    help="the page's language (default: detected)")
    ex.add_argument("--output", metavar="FILE", help="write the draft to FILE (default: standard output)")
    ex.add_argument("--format", choices=["yaml", "json"], default="yaml",
                    help="yaml: the records with the evidence as comments; json: the records and an evidence list "
                         "(default: yaml)")
    ex.add_argument("--text", action="store_true", help="print the page's text as read (what the offsets count) and stop")
    data_opt(ex)
    store_opt(ex)
    ex.add_argument("--base", help="base IRI of the store's resources (default: $NGOGRAPH_BASE or %s)" % config.DEFAULT_BASE)
    ex.set_defaults(func=cmd_extract)

    r = sub.add_parser("refdata", formatter_class=fmt, help="regenerate the reference vocabularies of data/vocab/ (countries, IATI codelists, source schemes)",
                       description="Regenerate data/vocab/countries.ttl from pycountry and babel, data/vocab/iati-*.ttl "
                                   "from the IATI codelists copied under data/reference/iati-codelists/, and the CORDIS "
                                   "programme and status, Interreg organisation type and objective schemes from the tables "
                                   "under data/reference/source-vocab/ (each folder's SOURCE.tsv says where they come from).",
                       epilog="example:\n  ngograph refdata")
    data_opt(r)
    r.set_defaults(func=cmd_refdata)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # the commands and examples, not only "required: COMMAND"
        parser.print_help(sys.stderr)
        return 2
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the command's own usage and a suggestion; the top-level one for what comes before the command
        before = argv[:argv.index(args.command)] if args.command in argv else []
        verb = parser if set(unknown) & set(before) else commands(parser)[args.command]
        verb.error(_unrecognized(unknown, verb))
    _utf8_streams()
    try:
        code = args.func(args)
        if code == 0 and getattr(args, "source", None) and _counts_organisations(args):  # after: an unknown name is one line
            _log(f"{args.command}: with --source the organisations are merged within each named source only, "
                 "reconciliation's merges across sources left out: one organisation can count once per source "
                 "(docs/model.md, Reconciliation)")
        return code
    except BrokenPipeError:  # the reader stopped early (| head): no message, as other tools die by SIGPIPE
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit would fail again
        return CLOSED_OUTPUT
    except NgographError as exc:
        print(f"ngograph {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a file or folder that cannot be used: name it, no traceback
        print(f"ngograph {args.command}: {_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback; every file and store is written whole or not at all
        print(f"ngograph {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED


#: The exit code of a command stopped by Ctrl-C (128 + SIGINT, as a shell reports it).
INTERRUPTED = 130


def _counts_organisations(args) -> bool:
    """Whether the command counts or ties organisations, which its --source reading merges within each source only (a
    note says so): summary, network, analyze, every figure but the timeline, and a query tagged so."""
    from ngograph.queries.library import load_query

    if args.command == "query":
        return bool(args.name) and not args.list and bool(
            {"organisations", "network", "funders", "summary"} & set(load_query(args.name).tags))
    return args.command in ("summary", "network", "analyze") or args.command == "plot" and args.figure != "timeline"


#: The exit code of a command whose output was closed before it was all written (128 + SIGPIPE).
CLOSED_OUTPUT = 141


def commands(parser: argparse.ArgumentParser | None = None) -> dict[str, argparse.ArgumentParser]:
    """The commands of ``parser`` (default: ngograph's own), by name, in the order of the main help."""
    parser = parser or _parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _unrecognized(unknown: list[str], parser: argparse.ArgumentParser) -> str:
    """argparse's message for arguments a command does not know, with the nearest option for each unknown one.

    >>> p = argparse.ArgumentParser()
    >>> _ = p.add_argument("--param")
    >>> _unrecognized(["--parm", "year=2019"], p)
    'unrecognized arguments: --parm year=2019 (did you mean --param?)'
    """
    options = [o for action in parser._actions for o in action.option_strings if o.startswith("--")]
    given = [u.split("=", 1)[0] for u in unknown if u.startswith("--")]
    near = [f"{u} -> {m[0]}" if len(given) > 1 else m[0] for u in given
            for m in [difflib.get_close_matches(u, options, n=1)] if m]
    return f"unrecognized arguments: {' '.join(unknown)}" + (f" (did you mean {', '.join(near)}?)" if near else "")


def _utf8_streams() -> None:
    """What ngograph prints is UTF-8 whatever the locale, as what it reads is: a CSV of Latvian names on stdout
    under ``LC_ALL=C`` (without Python's UTF-8 mode) ended in a UnicodeEncodeError traceback. On a strict
    stdout or stderr, or one that writes a lone surrogate back as the byte it stood for (Python's
    ``surrogateescape``, under a C locale), a lone surrogate (a file name that is not UTF-8, in a location) is
    printed escaped (:data:`~ngograph.textclip.SURROGATES_ESCAPED`); stderr keeps the terminal's encoding, with
    Python's own ``backslashreplace``. A stream that cannot be reconfigured (a notebook's) is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if not callable(reconfigure):
            continue
        if stream is sys.stdout and codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name != "utf-8":
            reconfigure(encoding="utf-8")
        if getattr(stream, "errors", None) in ("strict", "surrogateescape"):  # surrogateescape: a C locale's
            reconfigure(errors=SURROGATES_ESCAPED)  # (it wrote a file name's byte raw: no longer UTF-8)


def _os_error(exc: OSError) -> str:
    """One line for an :class:`OSError`: the path(s) it concerns and what went wrong.

    >>> _os_error(IsADirectoryError(21, "Is a directory", "build"))
    'build: Is a directory'
    >>> _os_error(OSError(18, "Invalid cross-device link", "a", None, "b"))
    'a -> b: Invalid cross-device link'
    """
    what = exc.strerror or str(exc)
    if exc.filename is None:
        return what
    where = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else f"{exc.filename}"
    return f"{where}: {what}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
