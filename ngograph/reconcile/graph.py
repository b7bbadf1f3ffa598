"""Reconciliation in the store: read the organisations, match them, write the named graph
:data:`RECONCILE_GRAPH` and the review queue.

The graph holds, for every merged node that is not its cluster's canonical node,
``<node> ngo:canonicalOrganisation <canonical>``, and for the merges of one cluster made for
one reason a ``ngo:Reconciliation`` naming the nodes (``ngo:reconciles``), the basis
(identifier, name, curator), the score and why (``dct:description``); the graph's own IRI says
when (``prov:generatedAtTime``) and by what (``prov:wasGeneratedBy``).
Nothing else changes: every source node keeps its names and identifiers in its own graph.
The canonical node of a cluster is its curated node if there is one, else a node with a
registry identifier, else the first IRI.

It is written with :func:`ngograph.store.embedded.write_graph` (atomic, like an import). It is
part of the graph that queries see when no ``--source`` is named. A query of named sources reads
instead, for each of them, the merges among that source's nodes (:func:`source_merges`, written with
the graph into :func:`~ngograph.store.embedded.merges_graph`): a merge across sources may name a
canonical node of a source left out.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from ngograph import __version__
from ngograph.config import data_dir
from ngograph.rdf.emit import literal
from ngograph.queries.library import load_query
from ngograph.rdf.namespaces import DCTERMS, NGO, PROV, RDF, SKOS, XSD
from ngograph.reconcile.decisions import node_iri, pending_csv, read_decisions, read_pending, write_pending
from ngograph.reconcile.match import Merge, OrgRecord, Result, canonical_rank, reconcile
from ngograph.runtime import collector_paused
from ngograph.store.embedded import (CURATED, KEPT_GRAPH, change_store, check_sources, generation, is_merges_graph,
                                     keep_for_graph, kept_for_graph, kept_node, merges_graph, open_store,
                                     replace_merges, source_name, write_graph)

__all__ = ["RECONCILE_GRAPH", "ReconcileSummary", "read_organisations", "reconcile_triples", "reconcile_store",
           "decisions_path", "pending_path"]

#: The named graph that holds the reconciliation (not a source: ``import --list`` does not show it).
RECONCILE_GRAPH = ox.NamedNode("urn:ngograph:graph:reconcile")


def decisions_path(data: Path | None = None) -> Path:
    """``data/reconcile/decisions.csv`` of the data folder (:func:`ngograph.config.data_dir`)."""
    return data_dir(data) / "reconcile" / "decisions.csv"


def pending_path(data: Path | None = None) -> Path:
    """``data/reconcile/pending.csv`` of the data folder."""
    return data_dir(data) / "reconcile" / "pending.csv"


@dataclass
class ReconcileSummary:
    """What a reconciliation found: records read, nodes merged into another, clusters,
    merges by basis, pairs for review, triples written, seconds; of a reconciliation of some
    sources, the merges and the pairs for review involving other sources that it kept."""

    records: int = 0
    merged: int = 0
    clusters: int = 0
    merges: Counter = field(default_factory=Counter)
    pending: int = 0
    triples: int = 0
    seconds: float = 0.0
    kept: int = 0
    kept_pending: int = 0


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def read_organisations(store, sources=None, read: dict | None = None) -> list[OrgRecord]:
    """The organisation nodes of an open store (:func:`~ngograph.store.embedded.open_store`)
    with their names (the display label first), identifiers and country, in every graph or those
    of ``sources`` (dataset names, ``curated``). A node in several graphs is one record (its
    sources joined by ","); an IATI ref that is not a registry number
    (``organisation/iati-ref/21016``) is an identifier without scheme. The query
    ``reconcile/organisations`` runs once per source graph, so that each row's source is known,
    unless the rows of an imported graph were kept since it was last written (:func:`_keep`); the
    rows read of an imported graph go into ``read`` (graph -> its generation and rows), to keep."""
    return _read_organisations(store, sources, read)[0]


def _read_organisations(store, sources, read: dict | None, every: bool = False) -> tuple[list[OrgRecord], list]:
    """The records of :func:`read_organisations` and, with ``every``, those of every source too (all
    graphs read once), else ``[]``."""
    s = store.store if hasattr(store, "store") else store
    named = {g.value: source_name(g.value) for g in s.named_graphs()}
    if sources:
        check_sources(sources, filter(None, named.values()))
    graphs = [(CURATED, ox.DefaultGraph())] + sorted((n, ox.NamedNode(g)) for g, n in named.items() if n)
    # the countries' codes by their concepts as N-Triples terms, as the rows give countries
    notation = {str(q.subject): q.object.value for q in s.quads_for_pattern(None, _n(SKOS.notation), None, None)
                if len(q.object.value) == 2 and q.object.value.isalpha() and q.object.value.isupper()}
    found = []
    for source, graph in graphs:
        if sources and source not in sources and not every:
            continue
        stamp, rows = _kept_rows(s, graph)
        if rows is None:
            rows = _rows(s, graph)
            if read is not None and stamp is not None:
                read[graph] = (stamp, rows)
        found.append((source, rows))
    mine = _records([(source, rows) for source, rows in found if not sources or source in sources], notation)
    return mine, _records(found, notation) if every else []


def _records(per_source: list[tuple[str, list]], notation: dict[str, str]) -> list[OrgRecord]:
    """The records, sorted by IRI, of the rows of each source (``per_source``: a source and its rows
    of :func:`_rows`); ``notation``: the countries' codes by their concepts as N-Triples terms."""
    where: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    ids: dict[str, list] = defaultdict(list)
    country: dict[str, str] = {}
    for source, rows in per_source:
        for node, kind, name, scheme, value, place in rows:
            where[node].add(source)
            if kind == "label" or kind == "name":
                (labels if kind == "label" else names)[node].append(name)
            elif kind == "id":
                ids[node].append((scheme, value))
            elif place in notation:
                country.setdefault(node, notation[place])
    records = []
    for node in sorted(where):
        found = list(dict.fromkeys(ids[node]))
        if "/organisation/iati-ref/" in node:
            found.append((None, unquote(node.rsplit("/organisation/iati-ref/", 1)[1])))
        records.append(OrgRecord(node, ",".join(sorted(where[node])), list(dict.fromkeys(labels[node] + names[node])),
                                 found, country.get(node)))
    return records


def _rows(s: ox.Store, graph) -> list[list]:
    """The rows of ``reconcile/organisations`` on one graph, in the engine's order, as lists of text:
    the node, the kind of row, the name, the identifier's scheme and value, and the country as an
    N-Triples term (None where unbound)."""
    text = load_query("reconcile/organisations").text
    return [[row["organisation"].value, row["kind"].value, *(None if row[v] is None else row[v].value
                                                             for v in ("name", "scheme", "value")),
             None if row["country"] is None else str(row["country"])]
            for row in s.query(text, default_graph=graph)]


#: The subjects (in :data:`~ngograph.store.embedded.KEPT_GRAPH`) of the rows kept per graph.
_KEPT = "urn:ngograph:kept:organisations:"


def _kept_node(graph: ox.NamedNode) -> ox.NamedNode:
    return kept_node(_KEPT, graph.value)


def _kept_rows(s: ox.Store, graph) -> tuple[str | None, list | None]:
    """The generation of the named graph ``graph`` (None for the curated graph, which has none) and its
    rows kept by :func:`_keep` while that generation is the one they were read at, else None."""
    stamp, kept = kept_for_graph(s, _KEPT, graph, KEPT_GRAPH)
    return stamp, kept.get("rows") if kept is not None else None


def _keep(store: ox.Store, read: dict) -> None:
    """Keep the rows ``read`` of imported graphs (graph -> the generation they were read at and the
    rows) in :data:`~ngograph.store.embedded.KEPT_GRAPH` of ``store`` (a new store, before it is
    swapped in), those of a graph only while its generation is unchanged; remove what was kept of
    graphs the store no longer holds. Later reconciliations (every build runs one) read only the
    graphs written since: the organisations of CORDIS and IATI in about 1.5 s instead of 7."""
    held, renewed = {_kept_node(g) for g in store.named_graphs()}, {_kept_node(g) for g in read}
    for q in list(store.quads_for_pattern(None, None, None, KEPT_GRAPH)):
        if q.subject.value.startswith(_KEPT) and (q.subject not in held or q.subject in renewed):
            store.remove(q)
    for g, (stamp, rows) in read.items():
        if generation(store, g) == stamp:
            store.add(keep_for_graph(_KEPT, g, stamp, {"rows": rows}, KEPT_GRAPH))


def reconcile_triples(result: Result, base: str, when: str | None = None) -> bytes:
    """The N-Triples of :data:`RECONCILE_GRAPH` for ``result`` (sorted: a diff shows what changed).

    The merges of one cluster made for one reason (one identifier, one normalised name: the 523
    nodes IATI mints for "EC_INTPA", one per activity) are one ``ngo:Reconciliation``, so that the
    graph stays about two triples per merged node: it is replaced in a checkpoint of the store,
    not by copying the store (:func:`~ngograph.store.embedded.write_graph`).

    >>> from ngograph.reconcile.match import Merge
    >>> r = Result({"https://e.org/b": "https://e.org/a"}, [Merge("https://e.org/a", "https://e.org/b", "name", 97.0, "w")], [])
    >>> print(reconcile_triples(r, "https://e.org/", "2026-01-01T00:00:00Z").decode().splitlines()[0])
    <https://e.org/b> <https://w3id.org/ngograph/def#canonicalOrganisation> <https://e.org/a> .
    """
    when = when or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    lines = [f"<{node}> <{NGO.canonicalOrganisation}> <{canon}> ." for node, canon in sorted(result.canonical.items())]
    groups: dict[tuple, set[str]] = defaultdict(set)
    for m in result.merges:
        groups[(result.canonical.get(m.a, m.a), m.reason, m.score, m.why)] |= {m.a, m.b}
    for (canon, reason, score, why), nodes in sorted(groups.items()):
        r = f"<{base}reconciliation/{hashlib.sha1(f'{canon} {reason} {why}'.encode()).hexdigest()[:16]}>"
        lines += [f"{r} <{RDF.type}> <{NGO.Reconciliation}> .",
                  *(f"{r} <{NGO.reconciles}> <{n}> ." for n in sorted(nodes)),
                  f"{r} <{NGO.reconciliationBasis}> {literal(reason)} .",
                  f"{r} <{NGO.matchScore}> {literal(f'{score:.1f}', datatype=str(XSD.decimal))} .",
                  f"{r} <{DCTERMS.description}> {literal(why, 'en')} ."]
    if lines:
        g = f"<{RECONCILE_GRAPH.value}>"
        lines += [f"{g} <{PROV.generatedAtTime}> {literal(when, datatype=str(XSD.dateTime))} .",
                  f"{g} <{PROV.wasGeneratedBy}> {literal(f'ngograph {__version__} reconcile')} ."]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def source_merges(canonical: dict[str, str], records: dict[str, OrgRecord]) -> dict[str, bytes]:
    """The N-Triples of each source's :func:`~ngograph.store.embedded.merges_graph`, which a query of named sources
    (``--source``) reads: every cluster of ``canonical`` (node -> its canonical node) kept to the nodes of one source
    (``records``: node -> its record, whose source lists every source of the node), with its canonical node chosen
    among them: a node of the most sources, so that sources named together that share a node agree on it, then as
    reconciliation chooses (:func:`~ngograph.reconcile.match.canonical_rank`). A source with fewer than two nodes of
    any cluster has none. (Two shared nodes of different sources can still disagree: x of one and two, y of two and
    three, merged with z of one and w of three, give z -> x, y -> x and w -> y.)

    >>> r = {n: OrgRecord(n, s) for n, s in [("a", "curated"), ("b", "iati"), ("c", "iati"), ("d", "cordis,iati")]}
    >>> m = source_merges({"b": "a", "c": "a", "d": "a"}, r)
    >>> list(m), m["iati"].decode().replace(str(NGO.canonicalOrganisation), "canon").splitlines()
    (['iati'], ['<b> <canon> <d> .', '<c> <canon> <d> .'])
    """
    clusters: dict[str, set[str]] = defaultdict(set)
    for node, canon in canonical.items():
        clusters[canon] |= {node, canon}
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for members in clusters.values():
        by_source: dict[str, list[str]] = defaultdict(list)
        for node in members:
            if node in records:
                for source in records[node].source.split(","):
                    by_source[source].append(node)
        for source, nodes in by_source.items():
            best = min(nodes, key=lambda node: (-records[node].source.count(","), canonical_rank(records[node])))
            pairs[source] += [(node, best) for node in nodes if node != best]
    return {source: "".join(f"<{node}> <{NGO.canonicalOrganisation}> <{canon}> .\n" for node, canon in sorted(found))
            .encode("utf-8") for source, found in sorted(pairs.items()) if found}


def _held_merges(s: ox.Store) -> dict[str, set]:
    """The triples of each merges graph of ``s`` (:func:`source_merges`), by the graph's IRI."""
    return {g.value: _reconciled(s.quads_for_pattern(None, None, None, g)) for g in s.named_graphs()
            if is_merges_graph(g)}


def _reconciled(quads) -> set:
    """The triples of a reconciliation graph's ``quads`` but its generation time."""
    return {(q.subject, q.predicate, q.object) for q in quads if q.predicate.value != str(PROV.generatedAtTime)}


def _stored(nt: bytes) -> ox.Store:
    """``nt`` as the store gives it back (literals of numeric types in canonical form: "97.0" is read as 97)."""
    store = ox.Store()
    store.load(nt, ox.RdfFormat.N_TRIPLES)
    return store


def _kept_merges(s: ox.Store, mine: set[str], present: set[str]) -> list[Merge]:
    """The merges of :data:`RECONCILE_GRAPH` in ``s`` that a reconciliation of some sources keeps: those
    of each ``ngo:Reconciliation`` with a node not in ``mine`` (the nodes of the sources named), each
    as a merge of its first node with every other one (they are one cluster); the nodes no longer in
    the store (not in ``present``) left out."""
    described: dict = defaultdict(lambda: {"nodes": set()})
    parts = {str(NGO.reconciliationBasis): "reason", str(NGO.matchScore): "score", str(DCTERMS.description): "why"}
    for q in s.quads_for_pattern(None, None, None, RECONCILE_GRAPH):
        if q.predicate.value == str(NGO.reconciles):
            described[q.subject.value]["nodes"].add(q.object.value)
        elif q.predicate.value in parts:
            described[q.subject.value][parts[q.predicate.value]] = q.object.value
    kept = []
    for _, r in sorted(described.items()):
        nodes = sorted(r["nodes"] & present)
        if len(nodes) > 1 and not set(nodes) <= mine:
            kept += [Merge(nodes[0], node, r.get("reason", ""), float(r.get("score", 0)), r.get("why", ""))
                     for node in nodes[1:]]
    return kept


def _with_kept(result: Result, kept: list[Merge], records: dict[str, OrgRecord]) -> Result:
    """``result`` (of the sources named) with the merges ``kept``: the clusters either joins, each with
    its canonical node chosen among the ``records`` (of every source, by IRI) as
    :func:`~ngograph.reconcile.match.reconcile` chooses it; the pairs to review of ``result`` whose
    nodes are now one cluster left out."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    merges = result.merges + kept
    for m in merges:
        parent[find(m.a)] = find(m.b)
    clusters: dict[str, list[str]] = defaultdict(list)
    for node in list(parent):
        clusters[find(node)].append(node)
    canonical = {}
    for members in clusters.values():
        best = min(members, key=lambda node: canonical_rank(records[node]))
        canonical.update((node, best) for node in members if node != best)
    pending = [c for c in result.pending if canonical.get(c.a, c.a) != canonical.get(c.b, c.b)]
    return Result(canonical, merges, pending)


def _kept_pending(rows: list[dict[str, str]], base: str, mine: set[str], present: set[str],
                  canonical: dict[str, str]) -> list[dict[str, str]]:
    """The ``rows`` of an earlier review queue that a reconciliation of some sources keeps: those with
    a node not in ``mine`` (the nodes of the sources named), both nodes still in the store (in
    ``present``) and not now one cluster (``canonical``: node -> its canonical node)."""
    kept = []
    for row in rows:
        left, right = (row.get("left") or "").strip(), (row.get("right") or "").strip()
        a, b = node_iri(left, base), node_iri(right, base)
        if left and right and not {a, b} <= mine and {a, b} <= present \
                and canonical.get(a, a) != canonical.get(b, b):
            kept.append(row)
    return kept


def reconcile_store(store: Path, base: str, *, data: Path | None = None, sources=None,
                    queue: bool = True, finish: Callable[[ox.Store], None] | None = None) -> ReconcileSummary:
    """Reconcile the organisations of the store at ``store`` (all, or those of ``sources``),
    applying the decisions of ``data``/reconcile/decisions.csv; replace :data:`RECONCILE_GRAPH`
    (dropped when nothing merges; left as it is when it would state the same, since every build
    reconciles and the description keeps counts per write of a graph, see
    :mod:`ngograph.publish.statistics`), ``finish(new store)`` run before the swap as for
    :func:`~ngograph.store.embedded.write_graph` (the CLI describes the store again); what it read of
    imported graphs is kept with that write, or alone when nothing else changes (:func:`_keep`); and, with
    ``queue``, rewrite ``data``/reconcile/pending.csv
    when it changed (imports and builds leave it to ``ngograph reconcile``: they never write
    into the data folder).

    With ``sources``, only the organisations of those sources are matched (a node of several
    sources is one of them when one of its sources is named); the merges of the graph and the rows
    of pending.csv that involve an organisation of another source are kept as they were (unless a
    node is gone from the store, or a pair is now one cluster), those among the sources' organisations
    alone are found again, and every cluster's canonical node is chosen again among all its nodes.
    The summary counts what was found among the sources, and what was kept."""
    with collector_paused():  # as in validate_store (ngograph.runtime)
        t0 = time.perf_counter()
        decisions = read_decisions(decisions_path(data), base)
        read: dict = {}  # the rows read of imported graphs (not kept yet): kept with the write, or alone
        with open_store(store) as s:
            records, everything = _read_organisations(s, sources, read, every=bool(sources))
            mine, present = {r.iri for r in records}, {r.iri: r for r in everything}
            kept = _kept_merges(s, mine, set(present)) if sources else []
            had_graph = s.contains_named_graph(RECONCILE_GRAPH)
            before = _reconciled(s.quads_for_pattern(None, None, None, RECONCILE_GRAPH))
            merges_before = _held_merges(s)
        found = reconcile(records, decisions)
        result = _with_kept(found, kept, present) if sources else found
        nt = reconcile_triples(result, base)
        merges = source_merges(result.canonical, present if sources else {r.iri: r for r in records})
        merges_changed = merges_before != {merges_graph(source).value: _reconciled(_stored(text))
                                           for source, text in merges.items()}

        def keep_then_finish(new: ox.Store) -> None:
            _keep(new, read)
            replace_merges(new, merges)
            if finish is not None:
                finish(new)

        if (nt or had_graph) and _reconciled(_stored(nt)) != before:
            write_graph(store, RECONCILE_GRAPH, [nt] if nt else None, keep_then_finish)
        elif read or merges_changed:  # a store written before each source had its merges gets them now
            change_store(store, lambda new: (_keep(new, read), replace_merges(new, merges)))
        kept_rows = []
        if queue:
            if sources:
                kept_rows = _kept_pending(read_pending(pending_path(data)), base, mine, set(present), result.canonical)
            write_pending(pending_path(data), pending_csv(result.pending, {r.iri: r for r in records}, base, kept_rows))
        summary = ReconcileSummary(len(records), len(found.canonical), len(found.clusters()),
                                   Counter(m.reason for m in found.merges), len(result.pending), nt.count(b"\n"),
                                   kept=len(kept), kept_pending=len(kept_rows))
        summary.seconds = time.perf_counter() - t0
        return summary
