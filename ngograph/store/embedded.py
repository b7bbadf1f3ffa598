"""Stage: store. The embedded pyoxigraph store on disk, written atomically.

A build never changes the store in place. It loads the new graph into a fresh RocksDB
directory under ``.ngograph/stores/`` and then points the ``store`` symlink at it with one
``rename``: readers see the old graph or the new one, never a mix, and a build that fails
leaves the old store as it was.

Readers are registered, so that old stores are removed without pulling data from under
anyone: every store directory holds a lock file, :data:`LOCK_NAME`. A store opened with
:func:`open_store` holds a shared ``flock`` on it for as long as it is open (a notebook, a
server, a long query); a build holds an exclusive lock on the directory it writes. After each
build, every other store directory of the same link whose lock can be taken exclusively
without waiting has no reader and no writer: it is an old store, or what a killed build
left, and is removed.

One build or import writes at a time: it holds an exclusive ``flock`` on ``.{link}.writer``
beside the link, and a second one is refused with a message instead of losing the first's work.

The curated graph is the store's default graph; each imported source is a named graph
(:func:`write_graph`), carried over by every build. The named graph :data:`BUILD_GRAPH`
holds build metadata (which file and line each resource was curated from), so that
validation can point a user at the record to fix. The named graph :data:`VOCAB_GRAPH` holds
a copy of the reference data the build read (roles, countries, codelists, the country groups;
they are in the default graph too), so that a query restricted to imported sources still has them.
The named graph :data:`DESCRIPTION_GRAPH` holds the dataset's own description (VoID and
DCAT-AP, :mod:`ngograph.publish.describe`), made by the ``finish`` step of every build and
import from the store it describes; like the build graph it is not part of the published graph
that queries see, and every export adds it to the dump. The named graph :data:`GENERATIONS_GRAPH`
gives each named graph that :func:`write_graph` wrote (an import, the reconciliation) a new random
generation (``rdf:value``): what was counted of a graph is known to be still true while its
generation is the same (:mod:`ngograph.publish.statistics`); beside it, the number of N-Triples lines written
(:func:`written_lines`), known before the graph is counted. The named graph :data:`KEPT_GRAPH` holds
what a later stage read of a graph and keeps beside the graph's generation, to read it again only
when the graph changed (the organisations that reconciliation reads, :mod:`ngograph.reconcile.graph`).
"""

from __future__ import annotations

import fcntl
import hashlib
import gc
import json
import os
import queue
import re
import shutil
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ngograph.errors import ConfigError, StoreError
from ngograph.queries.library import load_query
from ngograph.rdf.namespaces import NGO, RDF
from ngograph.rdf.sparql import inline_bindings

__all__ = ["BUILD_GRAPH", "VOCAB_GRAPH", "DESCRIPTION_GRAPH", "GENERATIONS_GRAPH", "KEPT_GRAPH", "change_store",
           "VALUE", "kept_json", "keep_json", "kept_node", "kept_for_graph", "keep_for_graph", "generation", "written_lines", "graph_statements", "CURATED", "LOCK_NAME", "source_name", "check_sources", "merges_graph", "is_merges_graph", "replace_merges", "ReadOnlyStore", "write_store", "write_graph", "named_graphs", "published_graphs", "query_dataset",
           "open_store", "memory_store", "snapshot",
           "read_graph", "read_locations", "Locations", "triple_count", "graph_size", "quads_at_most", "small_beside"]

BUILD_GRAPH = ox.NamedNode("urn:ngograph:graph:build")
VOCAB_GRAPH = ox.NamedNode("urn:ngograph:graph:vocab")
GENERATIONS_GRAPH = ox.NamedNode("urn:ngograph:graph:generations")
DESCRIPTION_GRAPH = ox.NamedNode("urn:ngograph:graph:description")
KEPT_GRAPH = ox.NamedNode("urn:ngograph:graph:kept")
#: Named graphs that are not sources: never part of the published graph.
_OWN_GRAPHS = (BUILD_GRAPH, VOCAB_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH, KEPT_GRAPH)
#: The start of the graphs of reconciliation's merges within one source (:func:`merges_graph`).
_MERGES = "urn:ngograph:graph:reconcile/"


def merges_graph(source: str) -> ox.NamedNode:
    """The graph of the merges among the nodes of one source (:data:`CURATED` or an imported dataset's name), which
    :func:`published_graphs` reads for that source in place of the reconciliation of all sources.

    >>> merges_graph("iati").value, is_merges_graph(merges_graph("iati")), is_merges_graph(VOCAB_GRAPH)
    ('urn:ngograph:graph:reconcile/iati', True, False)
    """
    return ox.NamedNode(_MERGES + source)


def is_merges_graph(graph) -> bool:
    """Whether ``graph`` is a :func:`merges_graph`."""
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(_MERGES)


#: The lock file in every store directory: readers hold it shared, a build exclusively.
LOCK_NAME = "ngograph.lock"

_READ_ERRORS = (OSError, RuntimeError)  # pyoxigraph: OSError for I/O, RuntimeError for corruption


def _cannot_write(path: Path, exc: OSError) -> StoreError:
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
    return StoreError(f"cannot write the store at {path}: {exc.strerror or exc}{where}; choose a writable --store")


def write_store(path: Path, data_nt: bytes, build_nt: bytes = b"", vocab_nt: bytes = b"",
                finish: Callable[[ox.Store], None] | None = None) -> Path:
    """Replace the curated data of the store at ``path``: ``data_nt`` (N-Triples) becomes the
    default graph, ``build_nt`` :data:`BUILD_GRAPH` and ``vocab_nt`` (the reference
    vocabularies and the country groups, also in ``data_nt``) :data:`VOCAB_GRAPH`; the imported sources' graphs are
    carried over, the merges within the curated data (:func:`merges_graph`) are not (the build reconciles again). ``finish(new store)`` runs last, before the swap (the dataset description). Atomic: on any error the previous store is untouched and the
    half-built one removed. Then remove the stores no reader holds any more (see the module's
    text). Return the new store's directory.

    >>> import tempfile, pathlib
    >>> link = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> for value in ("1", "2"):
    ...     _ = write_store(link, f'<https://example.org/a> <https://example.org/p> "{value}" .\\n'.encode())
    >>> triple_count(link), len(list((link.parent / "stores").iterdir()))
    (1, 1)
    """
    def fill(store: ox.Store, old: ox.Store | None, reused: bool) -> None:
        if reused:  # a checkpoint of the current store: replace only the curated graphs
            store.clear_graph(ox.DefaultGraph())
            store.remove_graph(BUILD_GRAPH)
            store.remove_graph(VOCAB_GRAPH)
        store.bulk_load(data_nt, ox.RdfFormat.N_TRIPLES)
        if build_nt:
            store.bulk_load(build_nt, ox.RdfFormat.N_TRIPLES, to_graph=BUILD_GRAPH)
        if vocab_nt:
            store.bulk_load(vocab_nt, ox.RdfFormat.N_TRIPLES, to_graph=VOCAB_GRAPH)
        if not reused:
            _copy_graphs(old, store, lambda g: g not in (BUILD_GRAPH, VOCAB_GRAPH))
        if store.contains_named_graph(merges_graph(CURATED)):  # as write_graph does for an imported source
            _drop(store, merges_graph(CURATED))
        for g in list(store.named_graphs()):  # graphs written before generations were kept get one now
            if g not in _OWN_GRAPHS and generation(store, g) is None:
                _new_generation(store, g)

    # With imported graphs, start from a checkpoint of the store: the imports stay where they are.
    return _replace(path, fill, lambda old: any(g not in _OWN_GRAPHS for g in old.named_graphs()), finish)


#: Removing a quad from a checkpoint of the store costs about this many times as much as copying one
#: into a fresh store (about 60 µs against 4; 3 million quads removed: 3 minutes).
_REMOVE_COST = 15


#: The predicate of a graph's generation and of what is kept as JSON (:func:`kept_json`).
VALUE = ox.NamedNode(str(RDF.value))


def kept_json(store: ox.Store, node: ox.NamedNode, graph: ox.NamedNode):
    """The JSON value :func:`keep_json` kept at ``node`` in the own graph ``graph`` of ``store``, or None
    (nothing kept, or not JSON: what is kept is a cache, read again from the data when it is missing).

    >>> s, n, g = ox.Store(), ox.NamedNode("urn:x:n"), ox.NamedNode("urn:x:g")
    >>> s.add(keep_json(n, {"b": ["é"], "a": 1}, g)); kept_json(s, n, g), kept_json(s, n, ox.NamedNode("urn:x:h"))
    ({'a': 1, 'b': ['é']}, None)
    >>> keep_json(n, {"b": ["é"], "a": 1}, g).object.value
    '{"a": 1, "b": ["é"]}'
    >>> s.add(ox.Quad(n, VALUE, ox.Literal("{"), g)); kept_json(s, n, g) is None
    True
    """
    for q in store.quads_for_pattern(node, VALUE, None, graph):
        try:
            return json.loads(q.object.value)
        except ValueError:
            return None
    return None


def keep_json(node: ox.NamedNode, value, graph: ox.NamedNode) -> ox.Quad:
    """The quad that keeps ``value`` as JSON (keys sorted, text as it is) at ``node`` in the own graph ``graph``."""
    return ox.Quad(node, VALUE, ox.Literal(json.dumps(value, sort_keys=True, ensure_ascii=False)), graph)


def kept_node(prefix: str, *parts: str) -> ox.NamedNode:
    """The node at which a stage keeps JSON about ``parts`` (a graph's IRI, two graphs' IRIs): ``prefix``
    and a hash of them, so that the node is the same at every run.

    >>> kept_node("urn:x:kept/", "https://example.org/g").value
    'urn:x:kept/17a9812f3fddc01548ad6962aecb4e34'
    >>> kept_node("urn:x:kept/", "a", "b") != kept_node("urn:x:kept/", "b", "a")
    True
    """
    return ox.NamedNode(prefix + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32])


def kept_for_graph(store: ox.Store, prefix: str, graph, own: ox.NamedNode) -> tuple[str | None, dict | None]:
    """The generation of ``graph`` (None for the default graph, which has none, and for a named graph
    written before generations were kept) and what :func:`keep_for_graph` kept for it under ``prefix``
    in the own graph ``own``, if it was kept at that generation (else None: kept for an older one, or
    nothing, or not what keep_for_graph writes). What is kept is read again from the data when None.

    >>> s, g, own = ox.Store(), ox.NamedNode("https://example.org/g"), ox.NamedNode("urn:x:own")
    >>> s.add(ox.Quad(g, VALUE, ox.Literal("gen1"), GENERATIONS_GRAPH))
    >>> s.add(keep_for_graph("urn:x:kept/", g, "gen1", {"rows": [1]}, own))
    >>> kept_for_graph(s, "urn:x:kept/", g, own)
    ('gen1', {'graph': 'https://example.org/g', 'rows': [1], 'stamp': 'gen1'})
    >>> kept_for_graph(s, "urn:x:other/", g, own), kept_for_graph(s, "urn:x:kept/", ox.DefaultGraph(), own)
    (('gen1', None), (None, None))
    """
    stamp = generation(store, graph) if isinstance(graph, ox.NamedNode) else None
    kept = kept_json(store, kept_node(prefix, graph.value), own) if stamp is not None else None
    if isinstance(kept, dict) and kept.get("graph") == graph.value and kept.get("stamp") == stamp:
        return stamp, kept
    return stamp, None


def keep_for_graph(prefix: str, graph: ox.NamedNode, stamp: str, value: dict, own: ox.NamedNode) -> ox.Quad:
    """The quad that keeps ``value`` (a dict) for the named graph ``graph`` at its generation ``stamp``
    in the own graph ``own``, for :func:`kept_for_graph`."""
    return keep_json(kept_node(prefix, graph.value), {**value, "graph": graph.value, "stamp": stamp}, own)


def generation(store: ox.Store, graph: ox.NamedNode) -> str | None:
    """The generation :func:`write_graph` gave the named graph ``graph`` when it last wrote it
    (random, new at every write), or None (a store written before generations were kept)."""
    return next((q.object.value for q in store.quads_for_pattern(graph, VALUE, None, GENERATIONS_GRAPH)), None)


#: The prefix of the nodes that keep, beside a graph's generation, the lines :func:`write_graph` loaded into it.
_WRITTEN = "urn:ngograph:generation:written/"


def written_lines(store: ox.Store, graph) -> int | None:
    """The N-Triples lines :func:`write_graph` loaded into the named graph ``graph`` at its generation: about its
    statements, known without counting them (a triple written twice is one statement); None where the graph was
    not written that way (the default graph, a graph written before these were kept, the merges).

    >>> s, g = ox.Store(), ox.NamedNode("https://example.org/g")
    >>> _new_generation(s, g, 12); written_lines(s, g), written_lines(s, ox.DefaultGraph())
    (12, None)
    >>> _forget_generation(s, g); _new_generation(s, g); written_lines(s, g), len(s)
    (None, 1)
    """
    if not isinstance(graph, ox.NamedNode):
        return None
    _, kept = kept_for_graph(store, _WRITTEN, graph, GENERATIONS_GRAPH)
    lines = kept.get("lines") if kept is not None else None
    return lines if type(lines) is int else None


def _new_generation(store: ox.Store, graph: ox.NamedNode, lines: int | None = None) -> None:
    """A new generation for ``graph``, with the ``lines`` written into it, where known (:func:`written_lines`)."""
    stamp = uuid.uuid4().hex
    store.add(ox.Quad(graph, VALUE, ox.Literal(stamp), GENERATIONS_GRAPH))
    if lines is not None:
        store.add(keep_for_graph(_WRITTEN, graph, stamp, {"lines": lines}, GENERATIONS_GRAPH))


def _forget_generation(store: ox.Store, graph: ox.NamedNode) -> None:
    for node in (graph, kept_node(_WRITTEN, graph.value)):
        for q in list(store.quads_for_pattern(node, VALUE, None, GENERATIONS_GRAPH)):
            store.remove(q)


def _drop(store: ox.Store, graph: ox.NamedNode) -> None:
    """Remove the named graph ``graph`` of a store being written, and its generation."""
    store.remove_graph(graph)
    _forget_generation(store, graph)


def replace_merges(store: ox.Store, merges: dict[str, bytes]) -> None:
    """Make the :func:`merges_graph` of each source of ``merges`` (N-Triples) hold those, each with a new generation,
    and drop those of other sources: in a store being written (the ``finish`` of :func:`write_graph`)."""
    for graph in [g for g in store.named_graphs() if is_merges_graph(g)]:
        _drop(store, graph)
    for source, nt in sorted(merges.items()):
        store.load(nt, ox.RdfFormat.N_TRIPLES, to_graph=merges_graph(source))
        _new_generation(store, merges_graph(source))


def graph_statements(store: ox.Store, graph) -> int:
    """The statements of one graph of ``store``: a named graph, or the default graph."""
    if isinstance(graph, ox.NamedNode):
        return graph_size(store, graph)
    return int(next(iter(store.query(load_query("push/default-graph-size").text, default_graph=[graph])))["triples"].value)


def graph_size(store: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in the named graph ``graph``, counted by the engine (iterating the
    quads in Python took 68 s for 5.6M)."""
    size = store.query(inline_bindings(load_query("push/named-graph-size").text, {"graph": URIRef(graph.value)}))
    return int(next(iter(size))["triples"].value)


def quads_at_most(store: ox.Store, limit: int) -> int:
    """The number of quads in the store, every graph, counted no further than ``limit``.

    >>> s = ox.Store()
    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> s.add(ox.Quad(a, p, ox.Literal("1")))
    >>> s.add(ox.Quad(a, p, ox.Literal("2"), ox.NamedNode("https://e.org/g")))
    >>> quads_at_most(s, 10), quads_at_most(s, 1)
    (2, 1)
    """
    text = re.sub(r"\bLIMIT 1\b", f"LIMIT {max(int(limit), 0)}", load_query("store/quads-at-most").text)
    return int(next(iter(store.query(text)))["quads"].value)


def small_beside(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether the named graph ``graph`` is replaced faster in place, in a checkpoint of ``store``
    (removing its quads one by one), than by copying the rest of the store into a fresh one: its
    quads weighed against the rest's (:data:`_REMOVE_COST`), not a fixed size, so that a graph of
    60,000 quads in a store of 5 million is removed in place and the same graph beside 100,000
    others is left out of a copy. Counting stops once the rest is large enough."""
    n = graph_size(store, graph)
    return n == 0 or quads_at_most(store, (_REMOVE_COST + 1) * n + 1) - n > _REMOVE_COST * n


def write_graph(path: Path, graph: ox.NamedNode, batches: Iterable[bytes] | None,
                finish: Callable[[ox.Store], None] | None = None, *, trusted: bool = False,
                check: Callable[[ox.Store], None] | None = None) -> Path:
    """Replace the named graph ``graph`` of the store at ``path`` by ``batches`` (N-Triples
    texts, consumed one at a time so that memory stays flat), or drop it when ``batches`` is
    None; everything else is carried over. ``finish(new store)`` runs last, before the swap. Atomic in the same way as :func:`write_store`: a
    reader sees the old store or the new one, and an error raised while the batches are
    produced leaves the store as it was. ``trusted``: the batches are N-Triples that ngograph wrote,
    every IRI minted or checked and every language tag checked (:mod:`ngograph.rdf.emit`), so the
    loader does not check them again (its lenient mode: CORDIS, 3M triples, loaded with 7-14 % less CPU).
    ``check(current store)`` runs before anything is written into the new store, under the writer lock, where there
    is a store: an error it raises leaves the store as it was, and no other write comes between what it read and the
    swap.

    An imported source's graph written or dropped takes its :func:`merges_graph` with it (the nodes merged may be
    gone; the reconciliation that an import runs after it writes them again).

    A graph that is new, or small beside the rest of the store (:func:`small_beside`), is written
    into a checkpoint of the current store (instant: the checkpoint shares the store's files);
    replacing a graph that is a large part of the store copies everything else into a fresh store
    instead, because removing quads one by one is slower than copying. A write that loaded more than
    :data:`LOAD_BATCH` lines, or copied the rest of the store, is compacted last, after ``finish`` (:func:`_compact`).
    """
    compacted = [False]  # whether the new store is compacted at the end: loaded in batches

    def fill(store: ox.Store, old: ox.Store | None, reused: bool) -> None:
        if check is not None and old is not None:
            check(old)
        if reused:
            store.remove_graph(graph)
        elif old is not None:
            _copy_graph(old, store, ox.DefaultGraph())
            _copy_graphs(old, store, lambda g: g != graph)
        lines = _load_behind(store, graph, batches or (), lenient=trusted)
        compacted[0] = lines > LOAD_BATCH or not reused and old is not None
        _forget_generation(store, graph)
        if batches is not None:
            _new_generation(store, graph, lines)
        source = source_name(graph.value)
        if source is not None and store.contains_named_graph(merges_graph(source)):
            _drop(store, merges_graph(source))  # merges of nodes that may be gone: the next reconciliation writes them

    def finish_compacted(store: ox.Store) -> None:
        if finish is not None:
            finish(store)
        if compacted[0]:
            _compact(store)

    return _replace(path, fill, lambda old: small_beside(old, graph), finish_compacted)


def _load_behind(store: ox.Store, graph, batches: Iterable[bytes], lenient: bool = False) -> int:
    """Load ``batches`` into ``graph`` in :data:`_LOADERS` threads while the caller's generator
    makes the next ones: the store's loader runs in native code without the GIL, so reading
    the source and loading overlap, and two batches load at once (the loader needs six times
    the CPU of reading and mapping: CORDIS, 3M triples, 31-39 s of loading against 5-7 s). At
    most one batch waits; an error on either side stops both and is raised here. ``lenient``:
    the loader does not check the IRIs and language tags (texts ngograph wrote, :func:`write_graph`).
    Returns the lines handed to the loader (:func:`written_lines`)."""
    waiting: queue.Queue = queue.Queue(maxsize=1)
    failed: list[BaseException] = []
    target = None if isinstance(graph, ox.DefaultGraph) else graph

    def load() -> None:
        while (batch := waiting.get()) is not None:
            if not failed:
                try:
                    store.bulk_load(batch, ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=lenient)
                except BaseException as exc:  # handed to the caller's thread
                    failed.append(exc)

    loaders = [threading.Thread(target=load, name=f"ngograph-load-{i}", daemon=True) for i in range(_LOADERS)]
    for loader in loaders:
        loader.start()
    lines = 0
    try:
        for batch in batches:
            if failed:
                break
            lines += batch.count(b"\n")  # ngograph's N-Triples end each line with one
            waiting.put(batch)
    finally:
        for _ in loaders:
            waiting.put(None)
        for loader in loaders:
            loader.join()
    if failed:
        raise failed[0]
    return lines


# Triples handed to the store's loader at a time, by imports and by copies: reading and loading overlap, and
# memory stays bounded (CORDIS: 360 MB peak; 1.3 GB with 1M-triple batches). Not much smaller: every batch becomes
# its own set of overlapping files in the store, which every later read searched; CORDIS (3M triples) loaded in
# 50,000-triple batches decoded query results 3-6x slower ever after (before writes were compacted: _compact).
LOAD_BATCH = 250_000
_LOADERS = 2  # batches loaded at once (the machines have 2 cores; concurrent bulk loads of one store are safe)


def named_graphs(source: Path | ReadOnlyStore) -> list[str]:
    """The IRIs of the store's named graphs (the imported sources, the build and vocabulary graphs), sorted."""
    return _read(source, "the graph names", lambda s: sorted(g.value for g in s.named_graphs()))


#: The name of the curated data (the store's default graph) among the sources: ``--source curated``.
CURATED = "curated"


def source_name(graph: str) -> str | None:
    """The dataset name of an imported source's graph IRI (``.../dataset/NAME``), else None.

    >>> source_name("https://w3id.org/ngograph/id/dataset/iati-sample"), source_name("urn:ngograph:graph:build")
    ('iati-sample', None)
    """
    return graph.rsplit("/dataset/", 1)[1] if "/dataset/" in graph else None


def check_sources(sources: Iterable[str], imported: Iterable[str], where: str = "the store") -> None:
    """Refuse a source name that is neither :data:`CURATED` nor among the ``imported`` dataset
    names (of the store, or ``where``), in one line that lists the names there are.

    >>> check_sources(["curated", "iati"], ["iati"])
    >>> check_sources(["cordis", "x"], ["iati"])
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: unknown source(s) 'cordis', 'x' (--source): the store holds curated, iati
    """
    known = [CURATED, *sorted(set(imported))]
    unknown = [s for s in dict.fromkeys(sources) if s not in known]
    if unknown:
        raise ConfigError(f"unknown source(s) {', '.join(map(repr, unknown))} (--source): "
                          f"{where} holds {', '.join(known)}")


def published_graphs(store: ox.Store, sources: Iterable[str] | None = None) -> list | None:
    """The graphs a query sees as its default graph: the curated graph and every imported
    source's graph, with reconciliation's graph. ``sources`` (names as ``ngograph import --list`` shows them, and
    :data:`CURATED` for the curated graph) keeps only those, with the merges within each of them
    (:func:`merges_graph`) and the reference vocabularies and
    country groups (:data:`VOCAB_GRAPH`, part of the curated graph); None or empty keeps all.
    :class:`ConfigError` for a name the store does not hold. None when the store holds no
    imported graph and no sources are named (the store's default graph is then all there is)."""
    named = [g for g in store.named_graphs() if g not in _OWN_GRAPHS and not is_merges_graph(g)]
    if not sources:
        return [ox.DefaultGraph(), *sorted(named, key=lambda g: g.value)] if named else None
    sources = set(sources)
    check_sources(sources, filter(None, (source_name(g.value) for g in named)))
    # each source's own merges (reconcile/NAME): those of all sources may name a canonical node of a source left out
    merges = [merges_graph(name) for name in sources if store.contains_named_graph(merges_graph(name))]
    keep = sorted([*(g for g in named if source_name(g.value) in sources), *merges], key=lambda g: g.value)
    if CURATED in sources:
        return [ox.DefaultGraph(), *keep]
    return [VOCAB_GRAPH, *keep] if store.contains_named_graph(VOCAB_GRAPH) else keep


def query_dataset(graphs: list | None) -> dict:
    """The keywords of ``Store.query`` that make ``graphs`` (:func:`published_graphs`) a query's
    dataset: their union is the default graph, and the imported graphs among them are the only
    graphs ``GRAPH`` can name. The store's own graphs (the build record, the description with its
    kept counts, the generations) are never seen, not even by ``GRAPH ?g``.

    >>> g = ox.NamedNode("https://w3id.org/ngograph/id/dataset/iati")
    >>> query_dataset([ox.DefaultGraph(), VOCAB_GRAPH, g])["named_graphs"], query_dataset(None)
    ([<NamedNode value=https://w3id.org/ngograph/id/dataset/iati>], {'named_graphs': []})
    """
    if graphs is None:  # the default graph is all that is published
        return {"named_graphs": []}
    return {"default_graph": graphs,
            "named_graphs": [g for g in graphs if isinstance(g, ox.NamedNode) and g not in _OWN_GRAPHS]}


def _compact(store: ox.Store) -> None:
    """Compact the store's files (RocksDB's compaction of every column family): each batch an import or a copy
    loads (:data:`LOAD_BATCH`) becomes files of its own, whose key ranges overlap the others', and every read
    afterwards searches them all. Merged once, at the end of the write, reads are faster ever after: on the
    imported store (seeds + IATI + CORDIS, 5.4M quads, 1.8 GB) the fast validator's checks took 8 % less CPU,
    the network queries 10-30 % less, and decoding every ngo:sourceRecord 33 % less; it took 6.6 s, and 7 s of
    CORDIS's 24 s import into an empty store. Compacted, a checkpoint no longer shares its files with the store it
    was made from: until the old store folder is removed (:func:`_clean`), the disk holds both."""
    store.optimize()


def _copy_graph(old: ox.Store, new: ox.Store, graph) -> None:
    """Copy one graph: the old store's N-Triples dump streamed through a pipe into the new store's
    loader, :data:`LOAD_BATCH` lines at a time like an import (one bulk load of CORDIS's 3M quads
    peaked at 2.2 GB), leniently, as the store wrote it. The dump runs in a thread of its own (the
    store lets go of the GIL while it decodes the terms' texts, one look-up each: CORDIS's 3M quads,
    24 s on one core), so dumping and loading overlap.

    An error on either side ends both. The pipe's reading end is closed first on every way out (an
    error of the loader, Ctrl-C), so that a dump still writing ends with a broken pipe and is waited
    for; the dump's own error is raised, even where the loader stopped first on the line it cut short.
    """
    readable, writable = os.pipe()
    lines, out = open(readable, "rb"), open(writable, "wb")  # the thread is handed its end open: it opens nothing
    failed: list[BaseException] = []

    def dump() -> None:
        try:
            with out:
                old.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=graph)
        except BaseException as exc:  # raised in the caller's thread, below
            failed.append(exc)

    def dump_error() -> BaseException | None:
        return next((exc for exc in failed if not isinstance(exc, BrokenPipeError)), None)

    with lines:
        dumper = threading.Thread(target=dump, name="ngograph-dump")  # always waited for: never left behind
        try:
            dumper.start()
        except RuntimeError:  # no thread: its end of the pipe is ours to close (a thread that runs closes it)
            out.close()
            raise
        try:
            _load_behind(new, graph, iter(lambda: b"".join(islice(lines, LOAD_BATCH)), b""), lenient=True)
        except BaseException:
            lines.close()
            dumper.join()
            first = dump_error()
            if first is not None:  # the dump failed, and the loader then on what it left half-written
                raise first
            raise
        dumper.join()
    if failed:
        raise failed[0]


def _copy_graphs(old: ox.Store | None, new: ox.Store, keep) -> None:
    for g in sorted(old.named_graphs(), key=lambda g: g.value) if old is not None else ():
        if keep(g):
            _copy_graph(old, new, g)


def _writer(path: Path) -> int:
    """The writer lock of the store link ``path``: one build or import at a time."""
    lock = path.parent / f".{path.name}.writer"
    try:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreError(f"another build or import is writing the store at {path}; run this again when it ends")
    return fd


def _replace(path: Path, fill, reuse=None, finish=None) -> Path:
    """A new store directory filled by ``fill(new store, current store or None, reused)``, then
    swapped in with one rename, under the writer lock. When ``reuse(current store)`` is true the
    new store starts as a checkpoint of the current one (``reused``: hard links to its files,
    instant), else empty."""
    path = Path(path)
    _check_link(path)
    writer = _writer(path)
    try:
        stores = path.parent / "stores"
        name = f"{path.name}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        work = stores / f".{name}.new"  # not a store name until complete
        old = open_store(path) if path.exists() else None
        lock = None
        try:
            reused = old is not None and reuse is not None and reuse(old.store)
            stores.mkdir(parents=True, exist_ok=True)
            if reused:
                old.store.backup(str(work))
            else:
                work.mkdir()
            lock = os.open(work / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
            fcntl.flock(lock, fcntl.LOCK_EX)
            store = ox.Store(str(work))
            fill(store, old.store if old is not None else None, reused)
            if finish is not None:
                finish(store)
            store.flush()
            del store
            os.rename(work, stores / name)
            work = stores / name
            _swap(path, work)
        except BaseException as exc:
            store = None  # noqa: F841 (this frame's reference to the new store: dropped, so that it closes)
            _remove_new_store(work, exc)
            if isinstance(exc, OSError):
                raise _cannot_write(path, exc) from None
            raise
        finally:
            if lock is not None:
                os.close(lock)
            if old is not None:
                old.close()
        _clean(path)
        return work
    finally:
        os.close(writer)


def change_store(path: Path, change: Callable[[ox.Store], None]) -> Path:
    """Swap in a checkpoint of the store at ``path`` changed by ``change(new store)``, atomically
    and under the writer lock like a build or an import: for small changes to the store's own
    graphs (what :data:`KEPT_GRAPH` keeps), which no description needs."""
    return _replace(path, lambda store, old, reused: change(store), lambda old: True)


def _remove_new_store(work: Path, exc: BaseException) -> None:
    """Remove the unfinished store ``work`` after ``exc``. The store must be closed first: the
    frames of the traceback hold it open, and RocksDB's background threads may still write into
    its folder while it is removed (a failed import left a ``.new`` folder behind now and then)."""
    traceback.clear_frames(exc.__traceback__)  # the new store's last references: it closes here
    gc.collect()
    for _ in range(20):
        shutil.rmtree(work, ignore_errors=True)
        if not work.exists():
            return
        time.sleep(0.05)


def _check_link(path: Path) -> None:
    if path.exists() and not path.is_symlink():
        kind = "a directory" if path.is_dir() else "a file"
        raise StoreError(f"{path} is {kind}, not an ngograph store link; move it away or choose --store")


def _swap(path: Path, new: Path) -> None:
    _check_link(path)
    link = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.link"
    os.symlink(os.path.relpath(new, path.parent), link)
    os.replace(link, path)  # the atomic step


def _try_lock(directory: Path) -> int | None:
    """An exclusive lock on ``directory``'s lock file (made when missing), taken without
    waiting; None when a reader or a build holds it."""
    try:
        fd = os.open(directory / LOCK_NAME, os.O_RDONLY | os.O_CREAT, 0o666)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _entries(path: Path) -> re.Pattern:
    """The names of the store folders of the link ``path`` under ``stores/``: ``store-20261203T064512-1a2b3c4d``,
    with a leading dot and ``.new`` while written, ``.old`` while removed."""
    return re.compile(rf"(\.?){re.escape(path.name)}-\d{{8}}T\d{{6}}-[0-9a-f]{{8}}(\.new|\.old)?")


def snapshot(path: Path, directory: Path) -> bool:
    """Whether ``directory`` (a store folder, resolved) is one that ngograph wrote and swapped in for the store
    link ``path`` (the one it points at now, or did when it was opened): such a folder never changes (every
    build and import writes a new one), so whatever is worked out from it holds as long as it exists. False
    for a store folder given as the path itself, which some other program may change.

    >>> import tempfile
    >>> link = Path(tempfile.mkdtemp()) / "store"
    >>> snapshot(link, link.parent / "stores" / "store-20261203T064512-1a2b3c4d")
    False
    """
    path = Path(path)
    m = path.is_symlink() and _entries(path).fullmatch(directory.name)
    return bool(m) and not m[1] and not m[2] and directory.parent.resolve() == (path.parent / "stores").resolve()


def _clean(path: Path) -> None:
    """Remove the stores of the link ``path`` that nobody holds: old stores without a reader,
    builds that were killed, removals that were interrupted. The current store stays."""
    stores = path.parent / "stores"
    entry = _entries(path)
    for d in sorted(stores.iterdir()):
        if d.name.startswith(".copy.") and d.suffix == ".nt" and d.is_file():
            d.unlink(missing_ok=True)  # a copy a killed writer left (before copies went through a pipe); under the lock
            continue
        m = entry.fullmatch(d.name)
        if not m or d.is_symlink() or not d.is_dir() or bool(m[1]) != bool(m[2]):
            continue
        if m[2] == ".old":  # renamed for removal: no reader can reach it any more
            shutil.rmtree(d, ignore_errors=True)
            continue
        # A store from before the locks has no lock file; nor has a checkpoint of a writer killed
        # before it made one (cleaning runs under the writer lock: every ".new" is a dead writer's).
        fd = _try_lock(d)
        if fd is None:
            continue
        try:
            if m[2] == ".new":
                shutil.rmtree(d, ignore_errors=True)
            elif os.path.realpath(path) != os.path.realpath(d):  # read again under the lock
                # Renamed first, so that a reader that found the old name finds nothing and retries.
                trash = d.with_name(f".{d.name}.old")
                os.rename(d, trash)
                shutil.rmtree(trash, ignore_errors=True)
        except OSError:
            pass  # left for the next build
        finally:
            os.close(fd)


class ReadOnlyStore:
    """A read-only pyoxigraph store that registers its reader: it holds a shared lock on the
    store directory until :meth:`close` (or until it is garbage collected), so that no build
    removes the directory while it is open. Everything else is the ``pyoxigraph.Store``'s
    (:attr:`store`); use it as a context manager to release the lock at once."""

    def __init__(self, store: ox.Store, directory: Path, lock: int | None):
        self.store, self.directory, self._lock = store, directory, lock

    def __getattr__(self, name):
        if name.startswith("_") or name in ("store", "directory"):  # not set: __init__ did not finish
            raise AttributeError(name)
        if self.store is None:
            raise StoreError(f"the store at {self.directory} is closed")
        return getattr(self.store, name)

    def __len__(self) -> int:
        return len(self.store)

    def __iter__(self):
        return iter(self.store)

    def close(self) -> None:
        """Close the store and let builds remove its directory."""
        self.store = None
        lock, self._lock = getattr(self, "_lock", None), None
        if lock is not None:
            os.close(lock)

    __del__ = close

    def __enter__(self) -> ReadOnlyStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _register(directory: Path) -> int | None:
    """A shared lock on ``directory``'s lock file; None where none can be made (a read-only
    location: no build can remove the store either). :class:`FileNotFoundError` when the
    directory was removed or renamed for removal meanwhile."""
    lock = directory / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o666)
    except FileNotFoundError:
        raise
    except OSError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a clean-up removes this directory
    try:
        same = os.path.samestat(os.fstat(fd), os.stat(lock))
    except OSError:
        same = False
    if not same:
        os.close(fd)
        raise FileNotFoundError(lock)
    return fd


def open_store(path: Path) -> ReadOnlyStore:
    """Open the store read-only and register as its reader; :class:`StoreError` with a fix
    when there is none or it cannot be read."""
    path = Path(path)
    for _ in range(20):
        if not path.exists():
            raise StoreError(f"no store at {path}: run `ngograph build` first (or set --store / NGOGRAPH_STORE)")
        directory = Path(os.path.realpath(path))
        try:
            lock = _register(directory)
        except FileNotFoundError:
            continue  # replaced and removed between resolving the link and locking: resolve again
        try:
            return ReadOnlyStore(ox.Store.read_only(str(directory)), directory, lock)
        except _READ_ERRORS as exc:
            if lock is not None:
                os.close(lock)
            raise StoreError(f"cannot open the store at {path}: {exc}; rebuild it with `ngograph build`") from None
    raise StoreError(f"the store at {path} was replaced 20 times while opening it; try again")


def memory_store(data_nt: bytes) -> ox.Store:
    """An in-memory store holding ``data_nt`` (N-Triples) as its default graph: the new
    graph of a build, for the quality checks before it replaces the store.

    >>> len(memory_store(b'<https://example.org/a> <https://example.org/p> "1" .\\n'))
    1
    """
    store = ox.Store()
    store.bulk_load(data_nt, ox.RdfFormat.N_TRIPLES)
    return store


def _read(source: Path | ReadOnlyStore, what: str, fn):
    """``fn(pyoxigraph store)`` on an open store, or on the store at a path opened for the call."""
    if not isinstance(source, ReadOnlyStore):
        with open_store(source) as store:
            return _read(store, what, fn)
    try:
        return fn(source.store)
    except _READ_ERRORS as exc:
        raise StoreError(f"cannot read {what} from the store at {source.directory}: {exc}; rebuild it with "
                         "`ngograph build`") from None


def read_graph(source: Path | ReadOnlyStore, sources: Iterable[str] | None = None) -> Graph:
    """The published graph of the store (a path, or a store open with :func:`open_store`):
    the curated graph and every imported source's graph, or only those of ``sources`` (see
    :func:`published_graphs`), as one rdflib Graph (for pySHACL and export)."""
    def dump(s: ox.Store) -> bytes:
        return b"".join(s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                        for g in published_graphs(s, sources) or [ox.DefaultGraph()])

    data = _read(source, "the graph", dump)
    g = Graph(bind_namespaces="none")
    g.parse(data=data, format="nt")
    return g


def read_locations(source: Path | ReadOnlyStore) -> dict[str, str]:
    """``{resource IRI: location}``: the curated record's "file:line" from the build graph,
    and each imported resource's ``ngo:sourceRecord`` from its source's graph."""
    def locations(s: ox.Store) -> dict[str, str]:
        found = {q.subject.value: q.object.value
                 for q in s.quads_for_pattern(None, ox.NamedNode(str(NGO.sourceRecord)), None, None)
                 if q.graph_name != BUILD_GRAPH}
        found.update((q.subject.value, q.object.value)
                     for q in s.quads_for_pattern(None, ox.NamedNode(str(NGO.curatedAt)), None, BUILD_GRAPH))
        return found

    return _read(source, "the build locations", locations)


#: :meth:`Locations.prefetch` reads the records of this many resources or more in one query (which scans
#: them all: about 0.5 s on the imported store), fewer one at a time (75-100 µs each).
PREFETCH_FROM = 5000

# Relative costs of finding a graph's subjects in other graphs, per statement of the graph: looked up one subject at
# a time (about 6 statements a subject, 30-60 us a look-up), or scanned and hashed (about 0.5 us a statement)
_LOOKUP_COST, _SCAN_COST = 7.0, 0.5


#: Path segments up from a resource without a record to the resource it is minted under (``/allocation/5``).
_NESTED = 2


class Locations:
    """Where each resource of an open store is written, looked up when asked (``get``), as
    :func:`read_locations` would give it: the curated record's "file:line" from the build graph,
    else the ``ngo:sourceRecord`` an import wrote. A validation names the locations of its
    results only; reading every location first took 6.8 s of the 10 s outside the checks for
    seeds + IATI + CORDIS (1.1M records). ``prefetch`` and ``get`` may run on two threads at once (the
    fast validator looks its results up in batches beside its checks while the quality checks
    locate theirs): both only add what they find to one dict, the same value for a resource.

    >>> s = ox.Store()
    >>> a = ox.NamedNode("https://example.org/a")
    >>> s.add(ox.Quad(a, ox.NamedNode(str(NGO.sourceRecord)), ox.Literal("x.csv:row 2"), ox.NamedNode("https://example.org/g")))
    >>> where = Locations(s)
    >>> where.get("https://example.org/a"), where.get("https://example.org/b", ""), where.get("_:b0", "")
    ('x.csv:row 2', '', '')
    """

    _RECORD, _CURATED = ox.NamedNode(str(NGO.sourceRecord)), ox.NamedNode(str(NGO.curatedAt))

    def __init__(self, store: ReadOnlyStore | ox.Store):
        self.source = store if isinstance(store, ReadOnlyStore) else ReadOnlyStore(store, Path("."), None)
        self._found: dict[str, str | None] = {}

    def get(self, iri: str, default: str | None = None) -> str | None:
        """The location of the resource ``iri`` (an IRI, or a blank node's id as :func:`read_locations`
        keys it), else the import record of the resource it is minted under, one or two path segments up (an
        import writes a project's allocations and budgets, ``project/iati/X/allocation/5``, and a transaction's
        amount in the project's or transaction's record; a source's concept is not in its scheme's file), else
        ``default``."""
        found = self._of(iri)
        parent = iri
        for _ in range(_NESTED):
            if found is not None or "/" not in parent.partition("://")[2]:
                break
            parent = parent.rsplit("/", 1)[0]
            found = self._of(parent, imported=True)
        return default if found is None else found

    def _of(self, iri: str, imported: bool = False) -> str | None:
        key = f"imported {iri}" if imported else iri  # an IRI has no space
        if key not in self._found:
            self._found[key] = _read(self.source, "the locations", lambda s: self._look_up(s, iri, imported))
        return self._found[key]

    def prefetch(self, iris: Iterable[str]) -> None:
        """Look the resources ``iris`` up at once, when they are many (:data:`PREFETCH_FROM`): one query
        joins them with the records by hashing (60,000 resources: 1.6 s on the imported store, against
        4.5-6 s one at a time). A resource written twice (two records, two curated places) is left to
        :meth:`get`, which picks as it always has; so are blank nodes."""
        todo = []
        for iri in dict.fromkeys(iris):  # each once, in the order given
            if iri in self._found:
                continue
            try:
                todo.append(ox.NamedNode(iri))
            except ValueError:
                continue
        if len(todo) >= PREFETCH_FROM:
            _read(self.source, "the locations", lambda s: self._look_up_many(s, todo))

    def _look_up_many(self, store: ox.Store, resources: list[ox.NamedNode]) -> None:
        text = inline_bindings(load_query("store/source-records").text, {("n", "resource"): list(enumerate(resources))})
        curated: dict[int, list[str]] = {}
        records: dict[int, list[str]] = {}
        for row in store.query(text, default_graph=[ox.DefaultGraph(), *(g for g in store.named_graphs()
                                                                          if g != BUILD_GRAPH)],
                               named_graphs=[BUILD_GRAPH]):
            n, where, record = row
            (curated if where is not None else records).setdefault(int(n.value), []).append(
                (where if where is not None else record).value)
        for n, resource in enumerate(r.value for r in resources):
            found = curated.get(n) or records.get(n) or [None]
            if len(found) == 1:
                self._found[resource] = found[0]

    def _look_up(self, store: ox.Store, iri: str, imported: bool = False) -> str | None:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            try:
                node = ox.BlankNode(iri)
            except ValueError:  # neither: a literal's text, never a record
                return None
        curated = [] if imported else [q.object.value for q in store.quads_for_pattern(node, self._CURATED, None,
                                                                                       BUILD_GRAPH)]
        if curated:
            return curated[-1]
        found = [q.object.value for q in store.quads_for_pattern(node, self._RECORD, None, None)
                 if q.graph_name != BUILD_GRAPH]
        return found[-1] if found else None


def triple_count(source: Path | ReadOnlyStore, sources: Iterable[str] | None = None,
                 sizes: dict | None = None) -> int:
    """Distinct triples in the published graph, or in that of ``sources`` (see
    :func:`published_graphs`): a triple stated by two graphs (a country the curated graph and an
    import both describe) counts once, as in :func:`read_graph`.

    The engine counts the statements of every graph (``sizes``, graph -> statements for every
    graph, spares counting them again); only the subjects that two graphs describe
    (:func:`shared_subjects`) are read here, to take off the triples stated again.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp())
    >>> g, h, a, b, p = (ox.NamedNode(f"https://example.org/{n}") for n in "ghabp")
    >>> store = ox.Store(str(path))
    >>> store.extend([ox.Quad(a, p, ox.Literal("1")), ox.Quad(a, p, ox.Literal("1"), g), ox.Quad(a, p, ox.Literal("2"), g),
    ...               ox.Quad(b, p, ox.Literal("3"), g), ox.Quad(b, p, ox.Literal("3"), h), ox.Quad(b, p, b, h)])
    >>> store.flush(); del store
    >>> triple_count(path)
    4
    """
    def count(s: ox.Store) -> int:
        graphs = published_graphs(s, sources)
        if graphs is None:
            return graph_statements(s, ox.DefaultGraph())
        per_graph = {g: (sizes or {}).get(g) or graph_statements(s, g) for g in graphs}
        named = sorted((g for g in graphs if not isinstance(g, ox.DefaultGraph)), key=lambda g: (per_graph[g], g.value))
        shared: set = set()
        if ox.DefaultGraph() in graphs:
            shared |= {q.subject for q in s.quads_for_pattern(None, None, None, ox.DefaultGraph())}
        for i, g in enumerate(named[:-1]):
            for found in shared_subjects(s, g, named[i + 1:], per_graph).values():
                shared |= found
        return sum(per_graph.values()) - sum(restated(s, subject, graphs) for subject in shared)

    return _read(source, "the triples", count)


def shared_subjects(s: ox.Store, graph, others: list, sizes: dict) -> dict:
    """The subjects of the named graph ``graph`` that each graph of ``others`` also describes, by
    graph of ``others`` (every one a key): a subject two graphs share is found from the smaller of
    them, so pass the larger ones (``sizes``: graph -> statements, or about them, for all of them). Looked up one
    subject at a time when ``graph`` is small beside ``others``, else the two sets of subjects are
    joined.

    >>> g, h, a, b, p = (ox.NamedNode(f"https://example.org/{n}") for n in "ghabp")
    >>> st = ox.Store()
    >>> st.extend([ox.Quad(a, p, b, g), ox.Quad(b, p, a, g), ox.Quad(a, p, a, h)])
    >>> {k.value: sorted(n.value for n in v) for k, v in shared_subjects(st, g, [h], {g: 2, h: 1}).items()}
    {'https://example.org/h': ['https://example.org/a']}
    """
    found: dict = {h: set() for h in others}
    if not others:
        return found
    hashed = sizes[graph] * _LOOKUP_COST > sum(sizes[h] for h in others) * _SCAN_COST
    text = load_query(f"store/shared-subjects-{'hashed' if hashed else 'lookup'}").text
    for row in s.query(text, default_graph=[graph], named_graphs=list(others)):
        found[row["h"]].add(row["s"])
    return found


def restated(s: ox.Store, subject, graphs) -> int:
    """How many of ``subject``'s statements in ``graphs`` state again a triple another of them states."""
    keep = set(graphs)
    stated = [(q.predicate, q.object) for q in s.quads_for_pattern(subject, None, None, None) if q.graph_name in keep]
    return len(stated) - len(set(stated))
