"""One store interface, three backends.

- :class:`Embedded`: the pyoxigraph store on disk (the default);
- :class:`InMemory`: an rdflib ``Graph`` (what pySHACL and small scripts use);
- :class:`Remote`: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso,
  QLever) through SPARQLWrapper, with :meth:`Remote.push` to load the graph by SPARQL
  Update or the Graph Store Protocol.

Each backend's :meth:`select` takes the query text and parameter bindings as RDF terms and
returns :class:`Rows` of plain Python values, the same on every backend: IRIs and plain
literals as ``str``, ``xsd:integer`` as ``int``, ``xsd:decimal`` as ``Decimal``,
``xsd:double`` as ``float``, ``xsd:boolean`` as ``bool``, other literals by their lexical form.

Bindings are never formatted into the text by hand. The embedded store uses pyoxigraph's
``substitutions``, rdflib ``initBindings``; for a remote endpoint, which has no binding
API, the values are serialised as N-Triples terms into a ``VALUES`` block at the head of
the outermost ``WHERE`` group, after checking each IRI has no character that could end it.
"""

from __future__ import annotations

import json
import queue
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ngograph.errors import EndpointError, NgographError, QueryError, QueryTimeout

__all__ = ["Rows", "QueryTimeout", "EndpointError", "Backend", "Embedded", "InMemory", "Remote", "to_python"]

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
            raise NgographError("to_dataframe() needs pandas: pip install 'ngograph[notebooks]'") from exc
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


def _collect(solutions, variables: list[str], convert, max_rows: int | None) -> Rows:
    """Rows from any iterable of solutions, ``convert(solution, variable)`` giving each value,
    stopping at ``max_rows`` (the rows are then marked truncated)."""
    rows = []
    for sol in solutions:
        if max_rows is not None and len(rows) >= max_rows:
            return Rows(rows, variables, truncated=True)
        rows.append({v: convert(sol, v) for v in variables})
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

    A query that times out cannot be interrupted inside the native engine: its worker is
    abandoned (it ends when the query does) and the next query gets a fresh one.
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
               max_rows: int | None = None) -> Rows:  # pragma: no cover - interface
        raise NotImplementedError


# ---------------------------------------------------------------------------- embedded

def _ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"cannot bind {term!r}")


def _from_ox(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return to_python("literal", term.value, term.datatype.value if term.datatype else None, term.language)


class Embedded(Backend):
    """The embedded pyoxigraph store: a path (opened read-only) or an open ``pyoxigraph.Store``."""

    name = "embedded"

    def __init__(self, store: ox.Store | str | Path):
        if isinstance(store, ox.Store):
            self.store = store
        else:
            from ngograph.store import open_store

            self.store = open_store(Path(store))

    def select(self, text, bindings=None, *, timeout=None, max_rows=None):
        subs = {ox.Variable(k): _ox_term(v) for k, v in (bindings or {}).items()}

        def work():
            try:
                solutions = self.store.query(text, substitutions=subs or None)
            except (SyntaxError, RuntimeError, ValueError) as exc:
                raise QueryError(f"the embedded store cannot run the query: {exc}") from None
            if not isinstance(solutions, ox.QuerySolutions):
                raise QueryError("only SELECT queries return rows")
            variables = [v.value for v in solutions.variables]
            return _collect(solutions, variables, lambda sol, v: _from_ox(sol[v]), max_rows)

        return _run(work, timeout, "the query on the embedded store")


# ---------------------------------------------------------------------------- rdflib

def _from_rdflib(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return to_python("literal", str(term), str(term.datatype) if term.datatype else None, term.language)


class InMemory(Backend):
    """An rdflib ``Graph`` in memory."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def select(self, text, bindings=None, *, timeout=None, max_rows=None):
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

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt_term(term) -> str:
    """An RDF term in N-Triples syntax, refusing IRIs that could break out of ``<...>``.

    >>> nt_term(Literal('x" } ; DROP ALL ; #'))
    '"x\\\\" } ; DROP ALL ; #"'
    >>> nt_term(URIRef("https://example.org/a> } DROP ALL {"))
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI: 'https://example.org/a> } DROP ALL {'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise TypeError(f"cannot bind {term!r}")


def _where_open(text: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE group (comments, strings and IRIs skipped)."""
    from ngograph.queries import mask_query

    masked = mask_query(text)
    m = re.search(r"\bWHERE\s*\{", masked, re.I)
    if m:
        return m.end()
    i = masked.find("{")
    if i < 0:
        raise QueryError("cannot find the query's WHERE group to bind parameters")
    return i + 1


def inline_bindings(text: str, bindings: dict) -> str:
    """The query with a ``VALUES`` block binding each parameter at the head of its WHERE group."""
    if not bindings:
        return text
    values = " ".join(f"VALUES ?{name} {{ {nt_term(term)} }}" for name, term in bindings.items())
    at = _where_open(text)
    return f"{text[:at]} {values}\n{text[at:]}"


class Remote(Backend):
    """A SPARQL 1.1 endpoint. ``connect_timeout`` bounds opening the connection,
    ``read_timeout`` each wait for data."""

    name = "remote"

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                 connect_timeout: float = 5.0, read_timeout: float = 60.0):
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise EndpointError(f"endpoint {endpoint!r} is not an http(s) URL (e.g. http://127.0.0.1:7878/query)")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or re.sub(r"/(query|sparql)/?$", "/update", endpoint)
        self.gsp_endpoint = gsp_endpoint or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    # -- plumbing

    def _connect_check(self, url: str) -> None:
        p = urllib.parse.urlparse(url)
        port = p.port or (443 if p.scheme == "https" else 80)
        try:
            socket.create_connection((p.hostname, port), timeout=self.connect_timeout).close()
        except OSError as exc:
            raise EndpointError(f"cannot connect to {url} within {self.connect_timeout:g} s: {exc}") from None

    @contextmanager
    def _http_errors(self, url: str, timeout: float):
        """Turn what urllib raises into one :class:`EndpointError` naming the URL and what came back."""
        try:
            yield
        except urllib.error.HTTPError as exc:
            body = exc.read()[:300].decode("utf-8", "replace").strip()
            raise EndpointError(f"{url} answered HTTP {exc.code} {exc.reason}: {body or '(empty body)'}") from None
        except (TimeoutError, socket.timeout):
            raise EndpointError(f"{url} sent no answer within {timeout:g} s (read timeout)") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"{url} sent no answer within {timeout:g} s (read timeout)") from None
            raise EndpointError(f"cannot reach {url}: {exc.reason}") from None
        except OSError as exc:
            raise EndpointError(f"connection to {url} failed: {exc}") from None

    def _http(self, url: str, data: bytes, content_type: str, accept: str, method: str = "POST",
              timeout: float | None = None) -> tuple[bytes, str]:
        """One HTTP request with our timeouts; errors name the endpoint and what came back."""
        self._connect_check(url)
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept,
                                              "User-Agent": "ngograph"})
        timeout = timeout or self.read_timeout
        with self._http_errors(url, timeout):
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) checked
                return resp.read(), resp.headers.get("Content-Type", "")

    # -- queries

    def select(self, text, bindings=None, *, timeout=None, max_rows=None):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        query = inline_bindings(text, bindings or {})
        self._connect_check(self.endpoint)
        sw = SPARQLWrapper(self.endpoint, agent="ngograph")
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.setTimeout(int(max(1, round(timeout or self.read_timeout))))  # SPARQLWrapper has no default
        sw.setQuery(query)
        timeout = timeout or self.read_timeout
        with self._http_errors(self.endpoint, timeout):
            try:
                response = sw.query().response
                body = response.read()
                ctype = response.headers.get("Content-Type", "") if hasattr(response, "headers") else ""
            except SPARQLWrapperException as exc:
                code = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414,
                        "EndPointInternalError": 500}.get(type(exc).__name__, "error")
                answer = (getattr(exc, "response", None) or b"")[:300]
                answer = answer.decode("utf-8", "replace").strip() if isinstance(answer, bytes) else str(answer)
                raise EndpointError(f"{self.endpoint} answered HTTP {code}: {answer or '(empty body)'}") from None
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
             progress=None) -> int:
        """Replace the target graph (the default graph when ``graph`` is None) by ``data_nt``.

        ``method="update"`` loads chunks into a temporary graph with SPARQL Update and then
        ``MOVE``s it onto the target in one request, so readers never see half the data;
        ``method="gsp"`` sends one Graph Store Protocol ``PUT``. Returns the triples sent.
        ``progress(sent, total)`` is called after each chunk.
        """
        if graph is not None:
            nt_term(URIRef(graph))  # refuses an IRI that could break out of <...>
        lines = [line for line in data_nt.decode("utf-8").splitlines() if line.strip()]
        if method == "gsp":
            target = self.gsp_endpoint + ("?default" if graph is None else "?graph=" + urllib.parse.quote(graph, safe=""))
            self._http(target, data_nt, "application/n-triples", "*/*", method="PUT")
            return len(lines)
        if method != "update":
            raise EndpointError(f"unknown push method {method!r} (update or gsp)")
        tmp = f"urn:ngograph:push:{threading.get_ident()}-{id(lines)}"
        target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
        try:
            self._update(f"DROP SILENT GRAPH <{tmp}>")
            for start in range(0, len(lines), chunk):
                body = "\n".join(lines[start:start + chunk])
                self._update(f"INSERT DATA {{ GRAPH <{tmp}> {{\n{body}\n}} }}")
                if progress is not None:
                    progress(min(start + chunk, len(lines)), len(lines))
            self._update(f"MOVE SILENT GRAPH <{tmp}> TO {target}" if lines else
                         f"{'CLEAR DEFAULT' if graph is None else f'CLEAR SILENT GRAPH <{graph}>'}")
        except BaseException:
            try:
                self._update(f"DROP SILENT GRAPH <{tmp}>")
            except EndpointError:
                pass
            raise
        return len(lines)

    def _update(self, update: str) -> None:
        self._http(self.update_endpoint, urllib.parse.urlencode({"update": update}).encode("utf-8"),
                   "application/x-www-form-urlencoded", "*/*")
