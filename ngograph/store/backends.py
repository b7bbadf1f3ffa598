"""One store interface, three backends.

- :class:`Embedded`: the pyoxigraph store on disk (the default);
- :class:`InMemory`: an rdflib ``Graph`` (what pySHACL and small scripts use);
- :class:`Remote`: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso,
  QLever) over :mod:`http.client`, each call under one deadline, with :meth:`Remote.push`
  to load the graph by SPARQL Update or the Graph Store Protocol.

Each backend's :meth:`select` takes the query text and parameter bindings as RDF terms and
returns :class:`Rows` of plain Python values, the same on every backend: IRIs and plain
literals as ``str``, ``xsd:integer`` as ``int``, ``xsd:decimal`` as ``Decimal``,
``xsd:double`` as ``float``, ``xsd:boolean`` as ``bool``, other literals by their lexical form.

Bindings are never formatted into the text by hand. The embedded store uses pyoxigraph's
``substitutions``, rdflib ``initBindings``; for a remote endpoint, which has no binding
API, the values are serialised as N-Triples terms into a ``VALUES`` block at the head of
the outermost ``WHERE`` group, after checking each IRI has no character that could end it.

Limits: given a ``timeout`` or ``max_memory``, an embedded query runs in a worker process
with an address-space limit that is killed at the timeout; a remote call has one deadline
over connecting, sending and every read.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import math
import multiprocessing
import os
import pickle
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from multiprocessing.connection import Connection
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ngograph.errors import ConfigError, EndpointError, NgographError, QueryError, QuerySyntaxError, QueryTimeout, install_hint
from ngograph.queries.library import load_query
from ngograph.runtime import collector_paused
from ngograph.rdf.sparql import final_order, inline_bindings, nt_term
from ngograph.store.embedded import CURATED, VOCAB_GRAPH, check_sources, open_store, published_graphs, query_dataset, source_name

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows: queries then run without a memory limit
    resource = None

__all__ = ["Rows", "QueryTimeout", "EndpointError", "Backend", "Embedded", "InMemory", "Remote", "to_python",
           "parse_size", "max_memory"]

_INT_TYPES = {str(XSD[t]) for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class Rows(list):
    """Result rows (``{variable: value}`` dicts) with the variables in order.

    ``truncated`` is true when the row cap stopped the query early.
    """

    def __init__(self, rows=(), variables=(), truncated: bool = False):
        super().__init__(rows)
        self.variables = list(variables)
        self.truncated = truncated

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the optional ``pandas`` package)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise NgographError(f"to_dataframe() needs pandas: {install_hint('notebooks')}") from exc
        return pd.DataFrame(list(self), columns=self.variables)


def to_python(kind: str, value: str, datatype: str | None = None, lang: str | None = None):
    """One RDF term as a plain Python value.

    >>> to_python("literal", "42", str(XSD.integer)), to_python("literal", "92.07", str(XSD.decimal))
    (42, Decimal('92.07'))
    >>> to_python("uri", "https://example.org/x")
    'https://example.org/x'
    """
    if kind == "bnode":
        return f"_:{value}"
    if kind != "literal" or lang:
        return value
    if datatype in _INT_TYPES:
        return int(value)
    if datatype == str(XSD.decimal):
        return Decimal(value)
    if datatype in (str(XSD.double), str(XSD.float)):
        return float(value)
    if datatype == str(XSD.boolean):
        return value in ("true", "1")
    return value


def _collect(solutions, variables: list[str], convert, max_rows: int | None, *, values=None) -> Rows:
    """Rows from any iterable of solutions, ``convert(solution, variable)`` giving each value
    (or ``values(solution)`` the row's values in the order of ``variables``), stopping at
    ``max_rows`` (the rows are then marked truncated)."""
    if values is None:
        values = lambda sol: [convert(sol, v) for v in variables]  # noqa: E731
    if max_rows is not None:
        solutions = itertools.islice(solutions, max_rows + 1)
    rows = [dict(zip(variables, values(sol))) for sol in solutions]
    if max_rows is not None and len(rows) > max_rows:
        del rows[max_rows:]
        return Rows(rows, variables, truncated=True)
    return Rows(rows, variables)


class _Worker:
    """A long-lived daemon thread that runs queries, so that a timeout costs no thread start."""

    def __init__(self):
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.abandoned = False
        threading.Thread(target=self._loop, daemon=True, name="ngograph-query").start()

    def _loop(self):
        while True:
            fn, box, done = self.jobs.get()
            try:
                box["value"] = fn()
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                box["error"] = exc
            done.set()
            if self.abandoned:
                return


_workers = threading.local()


def _run(fn, timeout: float | None, what: str):
    """Run ``fn`` on this thread's worker and give up after ``timeout`` seconds; with no
    timeout, run it right here (the hand-off to the worker costs 0.1-0.8 ms a query).

    For the rdflib graph, and a pyoxigraph ``Store`` given as an object (no path for a worker
    process to open): a query that times out cannot be interrupted, so its worker thread is
    abandoned (it ends when the query does) and the next query gets a fresh one. The
    embedded store given by path runs in a killable worker process instead (:func:`_in_worker`).
    """
    if timeout is None:
        return fn()
    worker = getattr(_workers, "worker", None)
    if worker is None or worker.abandoned:
        worker = _workers.worker = _Worker()
    box: dict = {}
    done = threading.Event()
    worker.jobs.put((fn, box, done))
    if not done.wait(timeout):
        worker.abandoned = True
        raise QueryTimeout(f"{what} did not finish within {timeout:g} s (raise --timeout, or narrow the query)")
    if "error" in box:
        raise box["error"]
    return box["value"]


class Backend:
    """What every backend offers."""

    name = "backend"

    def select(self, text: str, bindings: dict | None = None, *, timeout: float | None = None,
               max_rows: int | None = None, max_memory: int | None = None) -> Rows:  # pragma: no cover - interface
        raise NotImplementedError

    def stream(self, text: str, bindings: dict | None = None, *, timeout: float | None = None,
               max_rows: int | None = None, max_memory: int | None = None) -> Iterator[Rows]:
        """The rows in chunks (each :class:`Rows` with the variables; the last one marked
        truncated when ``max_rows`` stopped the query). The embedded store streams them as the
        engine yields them; other backends give all rows as one chunk."""
        yield self.select(text, bindings, timeout=timeout, max_rows=max_rows, max_memory=max_memory)


# ---------------------------------------------------------------------------- embedded

def _from_ox(term):
    kind = type(term)
    if kind is ox.NamedNode:  # the common case first: a query's rows are mostly IRIs
        return term.value
    if term is None:
        return None
    if kind is ox.BlankNode:
        return f"_:{term.value}"
    language = term.language
    if language:
        return term.value
    convert = _FROM_DATATYPE.get(term.datatype)
    return convert(term.value) if convert else term.value


_FROM_DATATYPE = {ox.NamedNode(t): convert for types, convert in (
    (_INT_TYPES, int), ({str(XSD.decimal)}, Decimal), ({str(XSD.double), str(XSD.float)}, float),
    ({str(XSD.boolean)}, lambda v: v in ("true", "1"))) for t in types}


#: Read the published graphs from the store at each query (:func:`_solutions`).
_READ = object()


#: With an ORDER BY and a cap on the rows, the engine's rows are sorted this many at a time beside the first ones
#: kept so far (:func:`_first_sorted`).
SORT_RUN = 200_000


def _solutions(store: ox.Store, text: str, bindings: dict | None, sources: list[str] | None, graphs=_READ,
               keep: int | None = None):
    """The variables of a SELECT on the store and an iterator of its rows' values (with an ``ORDER BY``,
    only the first ``keep`` of them when given). ``graphs``: the default graph's graphs when already known
    (:meth:`Embedded.graphs`).

    A final ``ORDER BY`` of variables (:func:`~ngograph.rdf.sparql.final_order`) is applied here
    rather than by the engine, in Oxigraph's order (:func:`_order_key`); ties keep the engine's
    order. Oxigraph reads a term's text from the store at every comparison of a sort: sorting
    cofunding-rate's 31,150 rows took half of its time on the imported store, here milliseconds."""
    if graphs is _READ:
        graphs = published_graphs(store, sources)  # outside the try: an unknown source is a ConfigError
    order = final_order(text)
    solutions = _query_store(store, order[0] if order else text, bindings, graphs)
    variables = [v.value for v in solutions.variables]
    if order and not all(v in variables for v, _ in order[1]):  # sorted by a variable it does not return
        order, solutions = None, _query_store(store, text, bindings, graphs)
    if not order:
        return variables, ([_from_ox(term) for term in sol] for sol in solutions)
    keys = [(variables.index(v), descending) for v, descending in order[1]]
    with collector_paused():  # the rows read are kept (or written out): a collection would find nothing to free
        rows = _first_sorted(solutions, keys, keep)
    return variables, rows


def _first_sorted(solutions, keys: list[tuple[int, bool]], keep: int | None) -> Iterator[list]:
    """The values of the rows of ``solutions`` sorted by ``keys`` (column, descending), ties in the engine's order:
    all of them, or only the first ``keep``. The rows are never all held:

    - a cap of at most :data:`SORT_RUN` rows: they are sorted :data:`SORT_RUN` at a time beside the ``keep`` found so
      far (cross-border-pairs on the imported store, its first 100,000 of 705,343 pairs: peak 2.29 GB -> 1.66 GB,
      21.9 s -> 23.2 s);
    - else, more rows than a run: each run is sorted and written to an unnamed temporary file, and the runs are merged
      as the rows are read (:func:`_merged`), a batch of each at a time.

    Every key has a total order (:func:`_column_keys`, :func:`_order_key`), so the rows sorted in parts are those
    sorted at once.

    >>> n = lambda v: ox.Literal(str(v), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    >>> sols = [(n(v), ox.Literal(t)) for v, t in [(2, "a"), (1, "b"), (2, "c"), (3, "d")]]
    >>> list(_first_sorted(iter(sols), [(0, True)], None)), list(_first_sorted(iter(sols), [(0, True)], 2))
    ([[3, 'd'], [2, 'a'], [2, 'c'], [1, 'b']], [[3, 'd'], [2, 'a']])
    """
    terms: list[tuple] = []
    rows: list[list] = []
    runs: list = []
    try:
        while True:
            more = [tuple(sol) for sol in itertools.islice(solutions, SORT_RUN)]
            if keep is not None and keep <= SORT_RUN or not runs and len(more) < SORT_RUN:  # sorted here
                terms += more
                rows += [[_from_ox(term) for term in row] for row in more]
                positions = _positions(terms, rows, keys)[:keep]
                if len(more) < SORT_RUN:  # every row read
                    return iter([rows[p] for p in positions])
                terms, rows = [terms[p] for p in positions], [rows[p] for p in positions]
                continue
            if more:
                runs.append(_spilled(more, [[_from_ox(term) for term in row] for row in more], keys))
            if len(more) < SORT_RUN:
                return itertools.islice(_merged(runs), keep)
    except BaseException:
        for run in runs:
            run.close()
        raise


#: Rows written to or read from a sorted run's file at a time (:func:`_spilled`, :func:`_merged`).
_RUN_BATCH = 10_000


def _spilled(terms: list[tuple], rows: list[list], keys: list[tuple[int, bool]]):
    """An unnamed temporary file (gone when closed, or when the process ends however it ends) holding ``rows`` sorted by
    ``keys``, each with its merge key (the :func:`_order_key` of each key column), pickled in batches."""
    import tempfile

    run = tempfile.TemporaryFile(prefix="ngograph-sort-")
    try:
        _write_run(run, terms, rows, keys)
    except BaseException:  # a full disk: the file closed here, not left to the collector (paused while sorting)
        run.close()
        raise
    run.seek(0)
    return run


def _write_run(run, terms: list[tuple], rows: list[list], keys: list[tuple[int, bool]]) -> None:
    """Write ``rows`` sorted by ``keys`` into the file ``run``, each with its merge key, in pickled batches."""
    positions = _positions(terms, rows, keys)
    # each column's terms repeat (countries, organisations, counts): a key made once per term, and pickled once a batch
    columns = [(i, {}, _reversed_key if descending else _order_key) for i, descending in keys]
    for start in range(0, len(positions), _RUN_BATCH):
        batch = []
        for p in positions[start:start + _RUN_BATCH]:
            row = terms[p]
            key = []
            for i, made, make in columns:
                term = row[i]
                k = made.get(term)
                if k is None:
                    k = made[term] = make(term)
                key.append(k)
            batch.append((tuple(key), rows[p]))
        pickle.dump(batch, run, protocol=pickle.HIGHEST_PROTOCOL)


def _reversed_key(term) -> tuple:
    """:func:`_order_key` for a descending column: each part the other way round (numbers negated, text in
    :class:`_Descending`), so that the keys of a merge compare as tuples of numbers do, without Python's help (the terms
    of one kind share their key's shape up to the part that tells them apart, so part by part is the whole order).

    >>> n = lambda v: ox.Literal(v, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    >>> terms = [ox.Literal("b"), None, ox.NamedNode("https://e.org/z"), n("10"), ox.BlankNode("x"), n("9")]
    >>> [getattr(t, "value", None) for t in sorted(terms, key=_reversed_key)]
    ['b', '10', '9', 'https://e.org/z', 'x', None]
    """
    # a Decimal negated exactly (``-d`` rounds to the context's 28 digits: two decimals of 38 would tie, or swap)
    return tuple(_Descending(part) if isinstance(part, str) else part.copy_negate() if isinstance(part, Decimal)
                 else -part for part in _order_key(term))


class _Descending:
    """A sort key in the other direction: ``a < b`` when ``b.key < a.key``."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __lt__(self, other) -> bool:
        return other.key < self.key

    def __eq__(self, other) -> bool:
        return self.key == other.key


def _merged(runs: list) -> Iterator[list]:
    """The rows of the sorted ``runs`` (files of :func:`_spilled`, in the engine's order) merged into one order: ties
    from an earlier run first, as the engine gave them; each file closed once read, or when the merge is stopped."""
    import heapq

    def read(run):
        try:
            while True:
                try:
                    batch = pickle.load(run)
                except EOFError:
                    return
                yield from batch
        finally:
            run.close()

    try:
        for _, row in heapq.merge(*map(read, runs), key=itemgetter(0)):
            yield row
    finally:
        for run in runs:
            run.close()


def _positions(terms: list[tuple], rows: list[list], keys: list[tuple[int, bool]]) -> list[int]:
    """The positions of ``rows`` sorted by ``keys`` (column, descending): stable sorts, the last run of keys in
    one direction first (cross-border-pairs: 2 sorts, not 7), each by the tuples of its run's keys."""
    positions = list(range(len(rows)))
    for run in reversed([list(run) for _, run in itertools.groupby(keys, key=lambda key: key[1])]):
        columns = [_column_keys(terms, rows, i) for i, _ in run]
        column = columns[0] if len(columns) == 1 else list(zip(*columns))
        positions.sort(key=column.__getitem__, reverse=run[0][1])
    return positions


def _query_store(store: ox.Store, text: str, bindings: dict | None, graphs) -> ox.QuerySolutions:
    try:
        # Parameters as a VALUES block at the head of the WHERE group (terms serialised by
        # nt_term, which escapes literals and refuses IRIs that could end <...>), not as
        # pyoxigraph substitutions: Oxigraph applies those after evaluating the whole pattern
        # (projects-by-theme on the imported store: 8.6 s with substitutions, 0.02 s with VALUES).
        solutions = store.query(inline_bindings(text, bindings or {}), **query_dataset(graphs))
    except SyntaxError as exc:
        raise QuerySyntaxError(f"not SPARQL: {_syntax_error(exc)}") from None
    except (RuntimeError, ValueError) as exc:
        raise QueryError(f"the embedded store cannot run the query: {exc}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("only SELECT queries return rows")
    return solutions


def _syntax_error(exc: SyntaxError, shown: int = 8) -> str:
    """Oxigraph's syntax error in one line, its list of what was expected cut to ``shown`` items (the list runs to
    a dozen lines of Unicode ranges).

    >>> _syntax_error(SyntaxError('error at 2:1: expected one of "$", "(", "+", [_]\\n| more'), shown=2)
    'error at 2:1: expected one of "$", "(", ...'
    """
    text = str(exc).splitlines()[0] if str(exc) else "syntax error"
    head, sep, expected = text.partition("expected one of ")
    items = expected.split(", ")
    return head + sep + ", ".join(items[:shown]) + (", ..." if len(items) > shown else "") if sep else text


_NUMERIC = frozenset(t for t, convert in _FROM_DATATYPE.items() if convert in (int, Decimal, float))


def _order_key(term) -> tuple:
    """A term's place in an ``ORDER BY``, as Oxigraph sorts: unbound first, then blank nodes
    (equal among themselves), IRIs by their text, numbers by value (NaN after them all, NaNs equal among
    themselves), other literals by their text.

    >>> n = lambda v: ox.Literal(v, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    >>> terms = [ox.Literal("b"), None, ox.NamedNode("https://e.org/z"), n("10"), ox.BlankNode("x"), n("9")]
    >>> [getattr(t, "value", None) for t in sorted(terms, key=_order_key)]
    [None, 'x', 'https://e.org/z', '9', '10', 'b']
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return (2, term.value)
    if term is None:
        return (0,)
    if kind is ox.BlankNode:
        return (1,)
    if term.datatype in _NUMERIC:
        value = _from_ox(term)
        return (3, 0, value) if value == value else (3, 0.5)  # NaN: after every number (INF too), before the text
    return (3, 1, term.value)


def _column_keys(terms: list[tuple], rows: list[list], i: int) -> list:
    """The sort keys of column ``i`` (:func:`_order_key`), given the rows' terms and their values: the values
    themselves where they sort alike (all IRIs, or all literals that are text, or all that are numbers), which sorts
    705,000 rows in half the time of the keys' tuples; a column of numbers with a NaN, which equals nothing, not
    even itself, as (0, number) and (1,) for a NaN, after every number as the engine sorts it.

    >>> n = ox.NamedNode("https://e.org/n")
    >>> [_column_keys([(n,), (n,)], [["b"], ["a"]], 0), _column_keys([(n,), (None,)], [["b"], [None]], 0)]
    [['b', 'a'], [(2, 'https://e.org/n'), (0,)]]
    """
    kinds = {type(row[i]) for row in terms}
    values = [row[i] for row in rows]
    types = set(map(type, values))
    if kinds == {ox.NamedNode} or kinds == {ox.Literal} and types == {str}:
        return values
    if kinds == {ox.Literal} and types <= {int, Decimal, float}:
        return values if all(v == v for v in values) else [(0, v) if v == v else (1,) for v in values]
    return [_order_key(row[i]) for row in terms]


def _kept(max_rows: int | None) -> int | None:
    """The sorted rows a query capped at ``max_rows`` keeps: one more, which tells that the rows were cut."""
    return None if max_rows is None else max_rows + 1


def _select_store(store: ox.Store, text: str, bindings: dict | None, max_rows: int | None,
                  sources: list[str] | None = None, graphs=_READ) -> Rows:
    variables, rows = _solutions(store, text, bindings, sources, graphs, _kept(max_rows))
    # every row is kept, and the store's rows hold no cycles: a collection would find nothing to free (not
    # around rdflib's rows, which make cyclic garbage: ngograph.runtime)
    with collector_paused():
        return _collect(rows, variables, None, max_rows, values=lambda values: values)


#: Rows per chunk when a query's rows are streamed.
CHUNK = 10_000


def _stream_store(store: ox.Store, text: str, bindings: dict | None, max_rows: int | None,
                  sources: list[str] | None = None, size: int | None = None, graphs=_READ) -> Iterator[Rows]:
    """The rows of a SELECT in chunks of ``size`` (default :data:`CHUNK`) as the engine yields
    them; the last chunk is marked truncated when ``max_rows`` stopped the query early."""
    size = size or CHUNK
    variables, solutions = _solutions(store, text, bindings, sources, graphs, _kept(max_rows))
    left = max_rows
    while True:
        take = size if left is None else min(size, left)
        rows = [dict(zip(variables, values)) for values in itertools.islice(solutions, take)]
        if left is not None:
            left -= len(rows)
        if len(rows) < take or left == 0:
            yield Rows(rows, variables, truncated=left == 0 and next(solutions, None) is not None)
            return
        yield Rows(rows, variables)


class Embedded(Backend):
    """The embedded pyoxigraph store: a path (opened read-only) or an open ``pyoxigraph.Store``.

    With no ``timeout`` and no ``max_memory`` (what the library's own callers pass) a query
    runs right here. With either, and a store given by path, it runs in a worker process
    that opens the store read-only, may grow by at most ``max_memory`` bytes of address
    space (``RLIMIT_AS``) and is killed at the timeout: a runaway query cannot take the
    machine down, and a timed-out one stops at once.

    ``sources`` restricts every query to those sources' graphs: imported dataset names as
    ``ngograph import --list`` shows them, and ``curated`` for the curated data (the store's
    default graph); None (the default) reads them all. A name the store does not hold is a
    :class:`~ngograph.errors.ConfigError` listing the names it does.

    ``fixed=True`` promises that no graph is added to or removed from the store while this
    backend reads it (a read-only store: the server's, the site's): the published graphs are
    then listed once, not at every query (0.3 ms a query on a store with imports).
    """

    name = "embedded"

    def __init__(self, store: ox.Store | str | Path, *, sources: list[str] | None = None, fixed: bool = False):
        self.sources = list(sources) if sources else None
        self.fixed = fixed
        self._graphs = _READ
        if isinstance(store, ox.Store):
            self.path, self._store = None, store
        else:
            self.path, self._store = Path(store), None
            if not self.path.exists():
                open_store(self.path)  # raises the StoreError that says how to build one

    @property
    def store(self) -> ox.Store:
        """The open store (opened on first use, so that a worker can be forked from a clean process)."""
        if self._store is None:
            self._store = open_store(self.path)
        return self._store

    def select(self, text, bindings=None, *, timeout=None, max_rows=None, max_memory=None):
        if self.path is not None and (timeout is not None or max_memory is not None):
            return _in_worker(self.path, text, bindings, timeout, max_rows, max_memory, self.sources)
        return _run(lambda: _select_store(self.store, text, bindings, max_rows, self.sources, self.graphs()), timeout,
                    "the query on the embedded store")

    def stream(self, text, bindings=None, *, timeout=None, max_rows=None, max_memory=None):
        if self.path is not None and (timeout is not None or max_memory is not None):
            return _in_worker(self.path, text, bindings, timeout, max_rows, max_memory, self.sources, stream=True)
        if timeout is not None:  # an open store and a deadline: the rows all at once, under the deadline
            return super().stream(text, bindings, timeout=timeout, max_rows=max_rows)
        return _stream_store(self.store, text, bindings, max_rows, self.sources, graphs=self.graphs())

    def graphs(self):
        """The graphs of the queries' default graph, listed once when the store is ``fixed``."""
        if not self.fixed:
            return _READ
        if self._graphs is _READ:
            self._graphs = published_graphs(self.store, self.sources)
        return self._graphs


# ---------------------------------------------------------------------------- worker process

_UNITS = {"": None, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.I)


def parse_size(text: str) -> int:
    """Bytes from a size with a binary unit: ``512M``, ``4G``, ``1.5GiB``, ``300MB``.

    >>> parse_size("300M"), parse_size("1.5GiB")
    (314572800, 1610612736)
    >>> parse_size("4")
    Traceback (most recent call last):
    ...
    ValueError: '4' is not a size: write a number and a unit, e.g. 512M or 4G
    """
    m = _SIZE.match(str(text))
    if not m or not _UNITS[m.group(2).lower()] or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a size: write a number and a unit, e.g. 512M or 4G")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def format_size(n: int) -> str:
    """``4 GiB``, ``300 MiB``.

    >>> format_size(4 << 30), format_size(300 << 20), format_size(1536 << 20)
    ('4 GiB', '300 MiB', '1.5 GiB')
    """
    return f"{n / (1 << 30):.3g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.3g} MiB"


def max_memory(explicit: int | str | None = None) -> int:
    """The memory a user query may take: argument, then ``NGOGRAPH_MAX_MEMORY``, then half
    the machine's RAM, at most 4 GiB."""
    if explicit is not None:
        return explicit if isinstance(explicit, int) else parse_size(explicit)
    env = os.environ.get("NGOGRAPH_MAX_MEMORY")
    if env:
        try:
            return parse_size(env)
        except ValueError as exc:
            raise ConfigError(f"NGOGRAPH_MAX_MEMORY: {exc}") from None
    try:
        ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - no sysconf
        ram = 8 << 30
    return min(4 << 30, ram // 2)


def _address_space() -> int:
    """This process's address space in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):  # pragma: no cover - not Linux
        return 0


#: How often a worker looks whether its parent is still there (seconds).
WATCH_EVERY = 0.25


def _watch_parent(parent: int | None) -> None:
    """In a worker: a thread that ends the process once ``parent`` (a pid) is no longer its parent. The parent kills
    its worker at the timeout, but a parent killed itself (``kill PID``: SIGTERM, which runs no Python cleanup;
    SIGKILL) left the worker running the query on one core for as long as it took, holding the store. No deadline of
    its own: a worker streaming rows to a slow reader (``| less``) is waited for past the timeout while its rows come.
    Pyoxigraph lets go of the GIL while it evaluates, so the thread runs beside the query."""
    def watch() -> None:
        while parent is None or os.getppid() == parent:
            time.sleep(WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="ngograph-watch").start()


def _worker_main(conn, path: str, text: str, bindings: dict, max_rows, limit, sources=None, stream=0,
                 parent=None) -> None:
    """The worker process: open the store, cap the address space, run one query, send the rows
    (with ``stream``, in chunks of that many rows, then an end mark); it ends itself once the process ``parent``
    is gone (:func:`_watch_parent`)."""
    _watch_parent(parent)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the engine's "memory allocation failed" abort message is the parent's to tell
    try:
        store = open_store(Path(path))
        if limit is not None and resource is not None:
            cap = _address_space() + limit  # the opened store's own reservations are not the query's
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if stream:
            for rows in _stream_store(store, text, bindings, max_rows, sources, stream):
                conn.send(("chunk", rows))
            conn.send(("end", None))
        else:
            conn.send(("rows", _select_store(store, text, bindings, max_rows, sources)))
    except MemoryError:
        conn.send(("memory", None))
    except NgographError as exc:
        conn.send(("error", exc))
    except Exception as exc:  # noqa: BLE001 - handed back to the caller as one line
        conn.send(("error", QueryError(f"the embedded store cannot run the query: {exc}")))


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # pragma: no cover - not Linux
        return False


def _worker_stdin(fd: int) -> None:
    """Entry of a worker started as a new interpreter: arguments on stdin, rows to ``fd``."""
    _worker_main(Connection(fd, readable=False), *pickle.load(sys.stdin.buffer))


def _start_worker(args: tuple):
    """Start a worker for ``args``; return (connection to receive from, kill, wait -> exit code).

    A process with a single thread (the command line) forks the worker (15-80 ms). Forking a
    process with threads (an open store, a notebook) is unsafe, so there the worker is a new
    interpreter (0.3-0.6 s); a forking start method would also re-run the caller's script.
    """
    receive, send = multiprocessing.Pipe(duplex=False)
    if _single_threaded():
        proc = multiprocessing.get_context("fork").Process(target=_worker_main, args=(send, *args),
                                                           name="ngograph-query", daemon=True)
        proc.start()
        send.close()
        return receive, proc.kill, lambda: (proc.join(), proc.exitcode)[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                                      os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from ngograph.store.backends import _worker_stdin; "
                             "_worker_stdin(int(sys.argv[1]))", str(send.fileno())],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            pass_fds=(send.fileno(),), env=env)
    send.close()
    try:
        proc.stdin.write(pickle.dumps(args))
        proc.stdin.close()
    except OSError:
        pass  # the worker died at start: its exit code tells
    return receive, proc.kill, proc.wait


def _check_timeout(seconds: float | None) -> None:
    """Refuse a timeout that is not a finite number of seconds above 0 (None waits).

    >>> _check_timeout(float("inf"))
    Traceback (most recent call last):
    ...
    ngograph.errors.QueryError: timeout inf: give a finite number of seconds above 0, or None to wait
    """
    if seconds is not None and not (0 < seconds and math.isfinite(seconds)):
        raise QueryError(f"timeout {seconds!r}: give a finite number of seconds above 0, or None to wait")


def _in_worker(path: Path, text: str, bindings, timeout, max_rows, limit, sources=None, *, stream: bool = False):
    """Run one query in a worker process; kill it at ``timeout``; tell a memory overrun apart.
    The rows, or with ``stream`` an iterator of their chunks as the worker sends them (the
    timeout then bounds the whole query, and a consumer that stops early stops the worker)."""
    _check_timeout(timeout)
    chunks = _worker_chunks(path, text, bindings, timeout, max_rows, limit, sources, stream)
    if stream:
        return chunks
    return next(chunks)


def _worker_chunks(path: Path, text: str, bindings, timeout, max_rows, limit, sources, stream: bool) -> Iterator[Rows]:
    receive, kill, wait = _start_worker((str(path), text, dict(bindings or {}), max_rows, limit, sources,
                                         CHUNK if stream else 0, os.getpid()))
    deadline = None if timeout is None else time.monotonic() + timeout
    kind, value, exit_code = "timeout", None, None
    try:
        while True:
            kind, value = "timeout", None
            if not receive.poll(None if deadline is None else max(0.0, deadline - time.monotonic())):
                break
            kind, value = receive.recv()
            if kind != "chunk":
                break
            handed = time.monotonic()
            yield value
            if deadline is not None:  # the reader's time is not the query's (`| less`: ended at the timeout)
                deadline += time.monotonic() - handed
    except (EOFError, OSError):  # OSError: the pipe closed in the middle of a message
        kind = "died"
    finally:
        if kind not in ("rows", "end", "error", "memory"):  # timed out, died, or the consumer stopped early
            kill()
        exit_code = wait()
        receive.close()
    if kind == "timeout":
        raise QueryTimeout(f"the query on the embedded store did not finish within {timeout:g} s "
                           "(raise --timeout, or narrow the query)")
    if kind == "rows":
        yield value
        return
    if kind == "end":
        return
    if kind == "error":
        raise value
    if kind == "memory" or (limit is not None and exit_code in (-signal.SIGABRT, -signal.SIGKILL)):
        raise QueryError(f"the query needed more than {format_size(limit)} (--max-memory)")
    raise QueryError(f"the query's worker process died ({_exit_text(exit_code)})")


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


# ---------------------------------------------------------------------------- rdflib

def _from_rdflib(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return to_python("literal", str(term), str(term.datatype) if term.datatype else None, term.language)


def _source_graph(graph: Graph, sources: list[str]) -> Graph:
    """The union of the ``sources``' graphs of an rdflib ``Dataset`` (its default graph is the
    curated data, a named graph ``.../dataset/NAME`` the imported source NAME, and the graph
    :data:`~ngograph.store.embedded.VOCAB_GRAPH`, when there, is kept as with the embedded
    store); a plain ``Graph`` is all curated data."""
    if isinstance(graph, Dataset):
        default = graph.default_graph.identifier
        contexts = {str(c.identifier): c for c in graph.graphs() if c.identifier != default}
        graphs = {source_name(iri): c for iri, c in contexts.items()}
        graphs.pop(None, None)  # the build and vocabulary graphs, and any graph that is no source's
        graphs[CURATED] = graph.default_graph
    else:
        contexts, graphs = {}, {CURATED: graph}
    check_sources(sources, set(graphs) - {CURATED}, "the graph")
    union = Graph(bind_namespaces="none")
    if CURATED not in sources and VOCAB_GRAPH.value in contexts:
        union += contexts[VOCAB_GRAPH.value]
    for name in dict.fromkeys(sources):
        union += graphs[name]
    return union


class InMemory(Backend):
    """An rdflib ``Graph`` in memory; ``sources`` (as for :class:`Embedded`) keeps only the
    curated data (``curated``, the default graph) and the imported sources of those names
    (named graphs ``.../dataset/NAME`` of an rdflib ``Dataset``)."""

    name = "rdflib"

    def __init__(self, graph: Graph, *, sources: list[str] | None = None):
        self.sources = list(sources) if sources else None
        self.graph = _source_graph(graph, self.sources) if self.sources else graph

    def select(self, text, bindings=None, *, timeout=None, max_rows=None, max_memory=None):
        def work():
            try:
                result = self.graph.query(text, initBindings=bindings or {})
            except Exception as exc:  # rdflib's parser raises pyparsing errors and more
                raise QueryError(f"rdflib cannot run the query: {exc}") from None
            if result.type != "SELECT":
                raise QueryError("only SELECT queries return rows")
            variables = [str(v) for v in result.vars]
            return _collect(result, variables, lambda row, v: _from_rdflib(row[v]), max_rows)

        return _run(work, timeout, "the query on the in-memory graph")


# ---------------------------------------------------------------------------- remote

class _Deadline:
    """One deadline over a whole remote call: connect, send and every read."""

    def __init__(self, seconds: float, what: str):
        _check_timeout(seconds)
        self.seconds, self.what = seconds, what
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> QueryTimeout:
        return QueryTimeout(f"{self.what} did not finish within {self.seconds:g} s (raise --timeout)")


def _check_url(url: str, what: str) -> urllib.parse.SplitResult:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise EndpointError(f"{what} {url!r} is not an http(s) URL (e.g. http://127.0.0.1:7878/query)")
    try:
        parsed.port
    except ValueError:
        raise EndpointError(f"{what} {url!r}: the port must be a number from 1 to 65535") from None
    return parsed


def _page_text(body: bytes) -> str:
    """The first words of an answer, tags stripped, for an error message."""
    text = re.sub(r"<[^>]*>", " ", body[:2000].decode("utf-8", "replace"))
    return " ".join(text.split())[:200] or "(empty body)"


class _Traits(NamedTuple):
    """What a push must know about a store that SPARQL 1.1 leaves open."""

    default_graph: bool = True  #: a default graph of its own, which a push may replace
    max_chunk: int | None = None  #: the most triples one INSERT DATA may hold


#: Stores that differ, by the product name their ``Server`` header starts with (lower case).
#: Virtuoso's default graph is the union of all its graphs (its system graphs too), and its
#: SPARQL parser runs out of stack ("SP030 ... memory exhausted") on an INSERT DATA of 5000 triples.
STORE_TRAITS = {"virtuoso": _Traits(default_graph=False, max_chunk=1000)}


class _AnyUser(urllib.request.HTTPPasswordMgr):
    """The one user and password of a :class:`Remote`, whatever realm and URL ask for them."""

    def __init__(self, user: str, password: str):
        super().__init__()
        self.credentials = (user, password)

    def find_user_password(self, realm, authuri):
        return self.credentials


class _Auth:
    """HTTP Basic or Digest authentication (RFC 7617, RFC 7616 by :mod:`urllib.request`'s
    digest handler) for one user. Each server's last challenge is kept and answered on every
    request to that server (scheme, host and port), so only the first request, and one after a
    stale nonce, costs a 401 round trip. Basic, which sends the password as it is, is answered
    only over https or to this machine (127.0.0.1, ::1, localhost)."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self.digest = urllib.request.HTTPDigestAuthHandler(_AnyUser(user, password))
        self.challenges: dict[tuple, tuple[str, dict]] = {}

    @staticmethod
    def _origin(url: str) -> tuple:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme, parts.hostname, parts.port

    def knows(self, url: str) -> bool:
        """Whether a challenge of ``url``'s server is kept."""
        return self._origin(url) in self.challenges

    def take(self, url: str, header: str) -> bool:
        """Keep the challenge of ``url``'s ``WWW-Authenticate`` header; False if it is neither Basic nor Digest."""
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() not in ("basic", "digest"):
            return False
        self.challenges[self._origin(url)] = (scheme.lower(), urllib.request.parse_keqv_list(
            [p for p in urllib.request.parse_http_list(rest) if "=" in p]))
        return True

    def header(self, method: str, url: str, data: bytes | None) -> str | None:
        """The ``Authorization`` header answering the server's kept challenge (None before the first)."""
        scheme, chal = self.challenges.get(self._origin(url), (None, None))
        if scheme is None:
            return None
        if scheme == "basic":
            parts = urllib.parse.urlsplit(url)
            if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "::1", "localhost"):
                raise EndpointError(f"{url} asks for Basic authentication over plain http, which would send the "
                                    "password readable to the network: use https, or a store that asks for Digest")
            return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        try:
            value = self.digest.get_authorization(urllib.request.Request(url, data=data, method=method), chal)
        except ValueError as exc:  # an algorithm urllib does not know
            raise EndpointError(f"{url} asks for digest authentication that cannot be answered: {exc}") from None
        except urllib.error.URLError:  # a qop other than auth: urllib raises (an OSError, else a traceback)
            value = None
        if value is None:
            raise EndpointError(f"{url} asks for digest authentication with qop {chal.get('qop')!r}, "
                                "which cannot be answered (only qop=auth)")
        return "Digest " + value


class Remote(Backend):
    """A SPARQL 1.1 endpoint, spoken to with :mod:`http.client`.

    ``timeout`` (seconds) bounds each whole call, ``select`` or ``push``: one deadline over
    connecting, sending and every read, so an endpoint that trickles its answer byte by byte
    is cut off at the deadline (:class:`QueryTimeout`). ``connect_timeout`` bounds opening
    each connection; an endpoint that cannot be reached in it is an :class:`EndpointError`.

    ``sources`` restricts queries to the named graphs ``.../dataset/NAME`` of those imported
    sources on the endpoint, and its vocabulary graph when there is one (sent as the
    protocol's ``default-graph-uri`` parameters); the names are checked against the
    endpoint's graphs on the first query. ``curated`` is
    refused: the curated data is an endpoint's default graph, which has no IRI to name it by.

    ``graph`` names the graph that holds the data on the endpoint (where ``push --graph``
    put it): every query is then sent with it as ``default-graph-uri``. A store without a
    default graph of its own (Virtuoso, whose default graph is the union of all its graphs,
    its system graphs included) needs it. ``auth`` is a ``(user, password)`` pair answered to
    an HTTP Basic or Digest challenge (Virtuoso's ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` ask for Digest).
    """

    name = "remote"

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                 connect_timeout: float = 5.0, timeout: float = 60.0, sources: list[str] | None = None,
                 graph: str | None = None, auth: tuple[str, str] | None = None):
        _check_url(endpoint, "endpoint")
        if graph is not None:
            nt_term(URIRef(graph))  # refuses an IRI that could break out of <...>
        self.graph = graph
        self.auth = _Auth(*auth) if auth else None
        self.server = ""  # the Server header of the endpoint's last answer
        self.sources = list(sources) if sources else None
        if self.sources and CURATED in self.sources:
            raise ConfigError(f"--source {CURATED} cannot be used with an endpoint: the curated data is its default "
                              "graph, which has no IRI to select it by; name imported sources only, or no --source")
        self._graphs: list[str] | None = None  # the sources' graph IRIs, found on the first query
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or re.sub(r"/(query|sparql)/?$", "/update", endpoint)
        self.gsp_endpoint = gsp_endpoint or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
        self._derived = {url: option for url, option, given in
                         ((self.update_endpoint, "--update-endpoint", update_endpoint),
                          (self.gsp_endpoint, "--gsp-endpoint", gsp_endpoint)) if given is None}
        _check_url(self.update_endpoint, "update endpoint")
        _check_url(self.gsp_endpoint, "Graph Store endpoint")
        self.connect_timeout = connect_timeout
        self.timeout = timeout

    # -- plumbing

    def _cannot_connect(self, url: str, reason: str) -> EndpointError:
        origin = ""
        if url in self._derived:
            origin = (f" (derived from the endpoint {self.endpoint}; {self._derived[url]} sets another)")
        return EndpointError(f"cannot connect to {url}{origin}: no SPARQL server answers there ({reason}); "
                             "is it running? (README: Pushing to a shared triple store)")

    def _request(self, method: str, url: str, data: bytes, content_type: str, accept: str,
                 deadline: _Deadline, *, retry: bool = True) -> tuple[int, str, bytes]:
        """One HTTP request within ``deadline``; returns (status, content type, body) of a 2xx
        answer, and names the URL and what came back otherwise. With :attr:`auth`, a 401
        challenge is answered once (a second 401 means the credentials are wrong)."""
        if retry and self.auth is not None and len(data) > 4096 and not self.auth.knows(url):
            # A server may answer a request without credentials with 401 and close the connection while
            # a large body is still being sent (a broken pipe): learn its challenge by a HEAD first.
            try:
                self._request("HEAD", url, b"", content_type, accept, deadline)
            except EndpointError:
                pass  # 405, 501 or any other answer: the challenge, if one came, is kept
        headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "ngograph"}
        if self.auth is not None and (authorization := self.auth.header(method, url, data)):
            headers["Authorization"] = authorization
        parsed = urllib.parse.urlsplit(url)
        kind = http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        conn = kind(parsed.hostname, parsed.port, timeout=max(0.001, min(self.connect_timeout, deadline.left())))
        target = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
        sock = None
        cut = threading.Event()

        def cut_off():  # a read that receives a byte a second never times out: shut the socket at the deadline
            cut.set()
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(deadline.left(), cut_off)
        timer.daemon = True
        timer.start()
        try:
            try:
                conn.connect()
            except ConnectionRefusedError as exc:
                raise self._cannot_connect(url, exc.strerror or "connection refused") from None
            except socket.gaierror as exc:
                raise EndpointError(f"cannot connect to {url}: unknown host {parsed.hostname} ({exc.strerror})") from None
            except (TimeoutError, socket.timeout):
                if cut.is_set() or deadline.left() <= 0:
                    raise deadline.expired() from None
                raise EndpointError(f"cannot connect to {url} within {self.connect_timeout:g} s "
                                    "(--connect-timeout)") from None
            sock = conn.sock
            if cut.is_set():
                raise deadline.expired()
            sock.settimeout(max(0.001, deadline.left()))
            conn.request(method, target, body=data, headers=headers)
            resp = conn.getresponse()
            chunks = []
            while chunk := resp.read1(1 << 16):
                chunks.append(chunk)
                sock.settimeout(max(0.001, deadline.left()))
            if cut.is_set():  # the shut socket reads as the end of the answer
                raise deadline.expired()
            if resp.length:
                raise http.client.IncompleteRead(b"".join(chunks), resp.length)
            body = b"".join(chunks)
        except NgographError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            if cut.is_set() or deadline.left() <= 0 or isinstance(exc, (TimeoutError, socket.timeout)):
                raise deadline.expired() from None
            if isinstance(exc, http.client.RemoteDisconnected):
                raise EndpointError(f"{url} closed the connection without an answer") from None
            if isinstance(exc, http.client.IncompleteRead):
                raise EndpointError(f"{url} broke off its answer after {len(exc.partial)} bytes") from None
            if isinstance(exc, http.client.HTTPException):
                raise EndpointError(f"{url} answered something that is not HTTP "
                                    f"({type(exc).__name__}: {str(exc)[:80]!r})") from None
            raise EndpointError(f"connection to {url} failed: {exc}") from None
        finally:
            timer.cancel()
            conn.close()
        ctype = resp.getheader("Content-Type", "") or ""
        self.server = resp.getheader("Server", "") or ""
        if resp.status == 401:
            challenge = resp.getheader("WWW-Authenticate", "") or ""
            if self.auth is None:
                raise EndpointError(f"{url} answered HTTP 401 {resp.reason}: it asks for a user and password "
                                    "(--user, and the password in $NGOGRAPH_ENDPOINT_PASSWORD)")
            if retry and self.auth.take(url, challenge):
                return self._request(method, url, data, content_type, accept, deadline, retry=False)
            raise EndpointError(f"{url} answered HTTP 401 {resp.reason} to user {self.auth.user!r}: "
                                "wrong user or password, or an authentication scheme other than Basic or Digest "
                                f"({challenge.split(' ', 1)[0] or 'none offered'})")
        if 300 <= resp.status < 400:
            raise EndpointError(f"{url} answered HTTP {resp.status} {resp.reason}, a redirect to "
                                f"{resp.getheader('Location', '?')}: give that URL instead")
        if not 200 <= resp.status < 300:
            raise EndpointError(f"{url} answered HTTP {resp.status} {resp.reason}: {_page_text(body)}")
        return resp.status, ctype, body

    # -- queries

    def select(self, text, bindings=None, *, timeout=None, max_rows=None, max_memory=None):
        deadline = _Deadline(timeout or self.timeout, f"the query on {self.endpoint}")
        return self._select(text, bindings, deadline, max_rows,
                            ([self.graph] if self.graph else []) + self._source_graphs(deadline))

    def _source_graphs(self, deadline: _Deadline) -> list[str]:
        """The graph IRIs of :attr:`sources` on the endpoint (none without sources)."""
        if self.sources and self._graphs is None:
            graphs = [r["graph"] for r in self._select(load_query("remote/named-graphs").text, {}, deadline)
                      if r["graph"]]  # Virtuoso answers GRAPH ?graph { } with one unbound row
            found = {source_name(g): g for g in graphs}
            found.pop(None, None)
            check_sources(self.sources, found, self.endpoint)
            vocab = [VOCAB_GRAPH.value] if VOCAB_GRAPH.value in graphs else []
            self._graphs = vocab + sorted(found[name] for name in set(self.sources))
        return self._graphs or []

    def _select(self, text, bindings, deadline: _Deadline, max_rows=None, graphs: list[str] = ()) -> Rows:
        query = inline_bindings(text, bindings or {})
        form = [("query", query), *(("default-graph-uri", g) for g in graphs)]
        _, ctype, body = self._request("POST", self.endpoint, urllib.parse.urlencode(form).encode(),
                                       "application/x-www-form-urlencoded", "application/sparql-results+json",
                                       deadline)
        return self._parse(body, ctype, max_rows)

    def _parse(self, body: bytes, ctype: str, max_rows) -> Rows:
        shown = body[:200].decode("utf-8", "replace").strip() or "(empty body)"
        if not body.strip():
            raise EndpointError(f"{self.endpoint} answered with an empty body, not SPARQL JSON results")
        try:
            doc = json.loads(body)
            variables = doc["head"]["vars"]
            bindings = doc["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            kind = "an HTML page" if b"<html" in body[:500].lower() else f"something else ({ctype or 'no content type'})"
            raise EndpointError(f"{self.endpoint} answered {kind}, not SPARQL JSON results: {shown}") from None
        return _collect(bindings, variables, lambda b, v: self._term(b.get(v)), max_rows)

    @staticmethod
    def _term(t):
        if t is None:
            return None
        kind = {"uri": "uri", "literal": "literal", "typed-literal": "literal", "bnode": "bnode"}.get(t.get("type"), "literal")
        return to_python(kind, t["value"], t.get("datatype"), t.get("xml:lang"))

    # -- loading

    def push(self, data_nt: bytes, graph: str | None = None, *, method: str = "update", chunk: int = 5000,
             progress=None, timeout: float | None = None) -> int:
        """Replace the target graph (the default graph when ``graph`` is None) by ``data_nt``.

        ``method="update"`` loads chunks into a temporary graph with SPARQL Update and then
        ``MOVE``s it onto the target in one request, so readers never see half the data;
        ``method="gsp"`` sends one Graph Store Protocol ``PUT``. Each answer must be a 2xx
        that is not an HTML page other than a success note, and afterwards the target graph
        must hold as many triples as were sent (one ``SELECT COUNT``), else
        :class:`EndpointError` naming both counts. ``timeout`` (default: the backend's)
        bounds the whole push, every request and the count; a push cut off removes its
        temporary graph within ``connect_timeout`` more. Returns the triples sent.
        ``progress(sent, total)`` is called after each chunk.
        """
        if graph is not None:
            nt_term(URIRef(graph))  # refuses an IRI that could break out of <...>
        if method not in ("update", "gsp"):
            raise EndpointError(f"unknown push method {method!r} (update or gsp)")
        deadline = _Deadline(timeout or self.timeout, f"the push to {self.endpoint}")
        lines = [line for line in data_nt.decode("utf-8").splitlines() if line.strip()]
        if method == "gsp":
            target = self.gsp_endpoint + ("?default" if graph is None else "?graph=" + urllib.parse.quote(graph, safe=""))
            self._check_answer(target, *self._request("PUT", target, data_nt, "application/n-triples", "*/*", deadline))
        else:
            self._push_updates(lines, graph, chunk, progress, deadline)
        self._check_count(len(lines), graph, deadline)
        return len(lines)

    def traits(self) -> _Traits:
        """What differs on this store (:data:`STORE_TRAITS`), by the ``Server`` header of its last answer."""
        product = re.split(r"[/\s]", self.server.strip().lower(), maxsplit=1)[0]
        return STORE_TRAITS.get(product, _Traits())

    def _push_updates(self, lines: list[str], graph: str | None, chunk: int, progress, deadline: _Deadline) -> None:
        tmp = f"urn:ngograph:push:{threading.get_ident()}-{id(lines)}"
        target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
        try:
            self._update(f"DROP SILENT GRAPH <{tmp}>", deadline)
            traits = self.traits()  # known from the answer's Server header
            if graph is None and not traits.default_graph:
                raise EndpointError(f"{self.endpoint} is {self.server.strip()}, which has no default graph of its "
                                    "own to replace: push into a named graph with --graph IRI, and query with "
                                    "--graph IRI (docs/publishing.md: Virtuoso)")
            chunk = min(chunk, traits.max_chunk or chunk)
            for start in range(0, len(lines), chunk):
                body = "\n".join(lines[start:start + chunk])
                self._update(f"INSERT DATA {{ GRAPH <{tmp}> {{\n{body}\n}} }}", deadline)
                if progress is not None:
                    progress(min(start + chunk, len(lines)), len(lines))
            self._update(f"MOVE SILENT GRAPH <{tmp}> TO {target}" if lines else
                         f"{'CLEAR DEFAULT' if graph is None else f'CLEAR SILENT GRAPH <{graph}>'}", deadline)
        except BaseException:
            try:
                self._update(f"DROP SILENT GRAPH <{tmp}>", _Deadline(self.connect_timeout, "removing the temporary graph"))
            except NgographError:
                pass
            raise

    def _update(self, update: str, deadline: _Deadline) -> None:
        answer = self._request("POST", self.update_endpoint, urllib.parse.urlencode({"update": update}).encode("utf-8"),
                               "application/x-www-form-urlencoded", "*/*", deadline)
        self._check_answer(self.update_endpoint, *answer)

    @staticmethod
    def _check_answer(url: str, status: int, ctype: str, body: bytes) -> None:
        """An update or Graph Store answer: an HTML page is a success note (Fuseki's "Update
        succeeded") or a login or error page that came with status 200; an empty body (Virtuoso's
        201 to a Graph Store PUT, typed text/html) is no page."""
        if body.strip() and ("html" in ctype.lower() or b"<html" in body[:500].lower()):
            text = _page_text(body)
            if not re.search(r"\bsucce(ss|eded)", text, re.I):
                raise EndpointError(f"{url} answered HTTP {status} with an HTML page, not an update result: {text}")

    def _check_count(self, sent: int, graph: str | None, deadline: _Deadline) -> None:
        if graph is None:
            rows = self._select(load_query("push/default-graph-size").text, {}, deadline)
        else:
            rows = self._select(load_query("push/named-graph-size").text, {"graph": URIRef(graph)}, deadline)
        held = rows[0]["triples"] if rows else None
        if held != sent:
            raise EndpointError(f"after the push, {graph or 'the default graph'} at {self.endpoint} holds {held} "
                                f"triples, but {sent} were sent: the endpoint did not store what it was given")
