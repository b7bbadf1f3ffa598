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
part of the graph that queries see when no ``--source`` is named; a query of named sources
sees them as imported, unreconciled (the canonical node may be in a source left out).
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
from ngograph.reconcile.decisions import pending_csv, read_decisions, write_pending
from ngograph.reconcile.match import OrgRecord, Result, reconcile
from ngograph.store.embedded import CURATED, check_sources, open_store, source_name, write_graph

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
    merges by basis, pairs for review, triples written, seconds."""

    records: int = 0
    merged: int = 0
    clusters: int = 0
    merges: Counter = field(default_factory=Counter)
    pending: int = 0
    triples: int = 0
    seconds: float = 0.0


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def read_organisations(store, sources=None) -> list[OrgRecord]:
    """The organisation nodes of an open store (:func:`~ngograph.store.embedded.open_store`)
    with their names (the display label first), identifiers and country, in every graph or those
    of ``sources`` (dataset names, ``curated``). A node in several graphs is one record (its
    sources joined by ","); an IATI ref that is not a registry number
    (``organisation/iati-ref/21016``) is an identifier without scheme. The query
    ``reconcile/organisations`` runs once per source graph, so that each row's source is known."""
    s = store.store if hasattr(store, "store") else store
    named = {g.value: source_name(g.value) for g in s.named_graphs()}
    if sources:
        check_sources(sources, filter(None, named.values()))
    graphs = [(CURATED, ox.DefaultGraph())] + sorted((n, ox.NamedNode(g)) for g, n in named.items() if n)
    notation = {q.subject: q.object.value for q in s.quads_for_pattern(None, _n(SKOS.notation), None, None)
                if len(q.object.value) == 2 and q.object.value.isalpha() and q.object.value.isupper()}
    text = load_query("reconcile/organisations").text
    where: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    ids: dict[str, list] = defaultdict(list)
    country: dict[str, str] = {}
    for source, graph in graphs:
        if sources and source not in sources:
            continue
        for row in s.query(text, default_graph=graph):
            node, kind = row["organisation"].value, row["kind"].value
            where[node].add(source)
            if kind == "label" or kind == "name":
                (labels if kind == "label" else names)[node].append(row["name"].value)
            elif kind == "id":
                ids[node].append((row["scheme"].value if row["scheme"] else None, row["value"].value))
            elif row["country"] in notation:
                country.setdefault(node, notation[row["country"]])
    records = []
    for node in sorted(where):
        found = list(dict.fromkeys(ids[node]))
        if "/organisation/iati-ref/" in node:
            found.append((None, unquote(node.rsplit("/organisation/iati-ref/", 1)[1])))
        records.append(OrgRecord(node, ",".join(sorted(where[node])), list(dict.fromkeys(labels[node] + names[node])),
                                 found, country.get(node)))
    return records


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


def _reconciled(quads) -> set:
    """The triples of a reconciliation graph's ``quads`` but its generation time."""
    return {(q.subject, q.predicate, q.object) for q in quads if q.predicate.value != str(PROV.generatedAtTime)}


def _stored(nt: bytes) -> ox.Store:
    """``nt`` as the store gives it back (literals of numeric types in canonical form: "97.0" is read as 97)."""
    store = ox.Store()
    store.load(nt, ox.RdfFormat.N_TRIPLES)
    return store


def reconcile_store(store: Path, base: str, *, data: Path | None = None, sources=None,
                    queue: bool = True, finish: Callable[[ox.Store], None] | None = None) -> ReconcileSummary:
    """Reconcile the organisations of the store at ``store`` (all, or those of ``sources``),
    applying the decisions of ``data``/reconcile/decisions.csv; replace :data:`RECONCILE_GRAPH`
    (dropped when nothing merges; left as it is when it would state the same, since every build
    reconciles and the description keeps counts per write of a graph, see
    :mod:`ngograph.publish.statistics`), ``finish(new store)`` run before the swap as for
    :func:`~ngograph.store.embedded.write_graph` (the CLI describes the store again), and, with
    ``queue``, rewrite ``data``/reconcile/pending.csv
    when it changed (imports and builds leave it to ``ngograph reconcile``: they never write
    into the data folder)."""
    t0 = time.perf_counter()
    decisions = read_decisions(decisions_path(data), base)
    with open_store(store) as s:
        records = read_organisations(s, sources)
        had_graph = s.contains_named_graph(RECONCILE_GRAPH)
        before = _reconciled(s.quads_for_pattern(None, None, None, RECONCILE_GRAPH))
    result = reconcile(records, decisions)
    nt = reconcile_triples(result, base)
    if (nt or had_graph) and _reconciled(_stored(nt)) != before:
        write_graph(store, RECONCILE_GRAPH, [nt] if nt else None, finish)
    if queue:
        write_pending(pending_path(data), pending_csv(result.pending, {r.iri: r for r in records}, base))
    summary = ReconcileSummary(len(records), len(result.canonical), len(result.clusters()),
                               Counter(m.reason for m in result.merges), len(result.pending), nt.count(b"\n"))
    summary.seconds = time.perf_counter() - t0
    return summary
