"""Stage: publish. ``ngograph serve``: the site's pages and RDF served live from the store, with
content negotiation on every resource IRI, and a read-only SPARQL 1.1 Protocol endpoint at
``/sparql``. Starlette (ASGI) on uvicorn; needs the ``serve`` extra.

Paths: the IRI ``{base}X`` is served at ``/id/X`` (``https://w3id.org/ngograph/id/X`` ->
``/id/X``), our vocabularies' ``https://w3id.org/ngograph/vocab/X`` at ``/vocab/X``, an EU country
at ``/country/XXX``; ``/id/X.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` name one format,
as in the static site, so the pages' relative links work on both.

Store swaps: the server holds the store it reads open (a registered reader: no build removes
it). Before each request it looks at the store link; when a build or import has pointed it at a
new store, the server opens that one, and requests that started on the old store finish there;
the old one is closed when its last request ends (and the next build removes it). Each request
reads one store: the old graph or the new one, never a mix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import anyio
import mimeparse
import pyoxigraph as ox
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ngograph import __version__
from ngograph.errors import ConfigError, NgographError, QueryTimeout
from ngograph.publish.describe import description_graph
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import RDF_FORMATS, Paths, make_page, render, render_page, rdf_bytes
from ngograph.publish.site import NOT_FOUND_PAGE, SITE_FORMATS, STATIC_FILES, description_answer, index_pages
from ngograph.queries.library import bind_params, list_queries
from ngograph.runtime import freed_here
from ngograph.rdf.serialize import NOT_XML, rdfxml_bytes
from ngograph.rdf.sparql import check_read_only, inline_bindings
from ngograph.store.backends import Embedded
from ngograph.store.embedded import open_store, published_graphs, query_dataset

__all__ = ["StoreHolder", "make_app", "serve"]

_HTML = "text/html"
#: What a resource IRI can answer, the first being the default for */*.
_RESOURCE_TYPES = [_HTML] + [media for media, _ in RDF_FORMATS.values()]
_BY_MEDIA = {media: ext for ext, (media, _) in RDF_FORMATS.items()}
_FORMAT_NAMES = {"html": "html", "ttl": "ttl", "turtle": "ttl", "jsonld": "jsonld", "json-ld": "jsonld", "nt": "nt",
                 "ntriples": "nt", "rdf": "rdf", "rdfxml": "rdf", "xml": "rdf"}

_RESULTS = {"application/sparql-results+json": "json", "application/json": "json",
            "application/sparql-results+xml": "xml", "application/xml": "xml", "text/csv": "csv",
            "text/tab-separated-values": "tsv"}
#: The media types of the dumps' formats (a gzipped dump is application/gzip).
_DUMP_MEDIA = {"nt": "application/n-triples", "nq": "application/n-quads", "ttl": "text/turtle",
               "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
_RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values"}
_GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
           "text/n3": ox.RdfFormat.N3}
_GRAPH_NAMES = {"turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
                "ntriples": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
                "rdf": "application/rdf+xml", "nquads": "application/n-quads", "trig": "application/trig",
                "n3": "text/n3"}


# Seconds before a new store that could not be opened (its page index failed, say) is tried again.
_RETRY = 30.0


class StoreHolder:
    """The store the server reads, reopened when the store link points somewhere new.

    :meth:`use` yields ``(ReadOnlyStore, cache dict)`` for one request; the store stays open
    until every request that got it has ended, also after a newer one took its place.
    """

    def __init__(self, path: Path, prepare=None):
        self.path = Path(path)
        self._prepare = prepare
        self._lock = threading.Lock()
        self._current = self._open()
        self._users: dict[int, int] = {}
        self._retired: list = []
        self._opening = False
        self._failed: tuple[str, float] | None = None  # the store that could not be opened, and when

    def _open(self):
        """A newly opened store and its cache, made ready by ``prepare(store, cache)`` before any
        request reads it (at start, and in the background while the old store answers)."""
        store = open_store(self.path)
        cache: dict = {}
        if self._prepare is not None:
            try:
                self._prepare(store, cache)
            except BaseException:
                store.close()
                raise
        return store, cache

    def _check(self) -> None:
        """Start opening the new store when the link moved (in a thread: requests meanwhile read the old one)."""
        try:
            target = os.path.realpath(self.path)
        except OSError:
            return
        if target == str(self._current[0].directory) or self._opening:
            return
        if self._failed is not None and self._failed[0] == target and time.monotonic() - self._failed[1] < _RETRY:
            return
        self._opening = True

        def reopen():
            try:
                new = self._open()
            except Exception as exc:  # noqa: BLE001 - whatever it is, the old store keeps answering
                new = None  # the link moved again or the store is unreadable: keep the old one, try again later
                self._failed = (target, time.monotonic())
                print(f"ngograph serve: cannot open the new store {target} ({type(exc).__name__}: {exc}); "
                      f"the previous one keeps answering, tried again in {_RETRY:.0f} s", file=sys.stderr, flush=True)
            with self._lock:
                if new is not None:
                    self._retired.append(self._current)
                    self._current = new
                self._opening = False
                self._close_idle()

        threading.Thread(target=reopen, daemon=True, name="ngograph-reopen").start()

    def _close_idle(self) -> None:
        for entry in list(self._retired):
            if not self._users.get(id(entry)):
                self._retired.remove(entry)
                self._users.pop(id(entry), None)
                entry[0].close()

    @contextmanager
    def use(self):
        with self._lock:
            self._check()
            entry = self._current
            self._users[id(entry)] = self._users.get(id(entry), 0) + 1
        try:
            yield entry
        finally:
            with self._lock:
                self._users[id(entry)] -= 1
                self._close_idle()

    def close(self) -> None:
        with self._lock:
            for entry in [self._current, *self._retired]:
                entry[0].close()
            self._retired = []


class _Answers:
    """The answers last given (``key -> bytes or None``), the least recently used dropped past
    ``size``; shared by the request threads.

    >>> answers = _Answers(2)
    >>> answers.put("a", b"A"); answers.put("b", None); answers.get("a"); answers.put("c", b"C")
    (True, b'A')
    >>> answers.get("a"), answers.get("b"), answers.get("x")
    ((True, b'A'), (False, None), (False, None))
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> tuple[bool, bytes | None]:
        with self._lock:
            if key not in self._items:
                return False, None
            self._items.move_to_end(key)
            return True, self._items[key]

    def put(self, key, value: bytes | None) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _backend(store, cache: dict) -> Embedded:
    """The backend reading one opened (read-only) store: its graphs listed once."""
    return cache.get("backend") or cache.setdefault("backend", Embedded(store.store, fixed=True))


# ---------------------------------------------------------------------------- SPARQL results

def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype is not None and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def _xml_text(value: str) -> str:
    """``value`` as XML element content: escaped, a carriage return as ``&#13;`` (an XML reader reads a raw one as
    a line feed); 406 for a character XML 1.0 cannot hold (:data:`~ngograph.rdf.serialize.NOT_XML`).

    >>> _xml_text("a < b\\r\\n")
    'a &lt; b&#13;\\n'
    """
    if (bad := NOT_XML.search(value)) is not None:
        raise _Refused(406, f"not acceptable: the results hold the character U+{ord(bad.group()):04X}, which XML 1.0 "
                            "cannot hold: ask for JSON, CSV or TSV")
    return escape(value).replace("\r", "&#13;")


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_text(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_text(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{_xml_text(t.value)}</literal>"
    dt = t.datatype.value  # a pyoxigraph literal always has one (xsd:string when none was written)
    if dt != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(dt)}>{_xml_text(t.value)}</literal>"
    return f"<literal>{_xml_text(t.value)}</literal>"


def _results(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV format."""
    if fmt == "json":
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]}},
            ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>"
                       for row in rows)
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
                f"<results>{body}</results></sparql>\n").encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                             for t in row])
        return out.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"_askResult\n{str(value).lower()}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


class _Form(list):
    """The fields of a form body, in order."""

    def keys(self) -> set[str]:
        return {k for k, _ in self}

    def getlist(self, key: str) -> list[str]:
        return [v for k, v in self if k == key]

    def get(self, key: str) -> str | None:
        return next(iter(self.getlist(key)), None)


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}


_ANY_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normal_escapes(path: str) -> str:
    """``path`` in the normal form in which ngograph mints every IRI (RFC 3986 6.2.2): percent-escapes in upper
    case, and an escaped unreserved character as itself. A client that writes ``%2f`` asks for the resource
    ``%2F`` names, and one that writes ``red%2Dcross`` for ``red-cross``.

    >>> _normal_escapes("id/organisation/gb-chc/n%2fa%3A%e2%82%ac")
    'id/organisation/gb-chc/n%2Fa%3A%E2%82%AC'
    >>> _normal_escapes("id/project/red%2Dcross%5f%7e%41%2e")
    'id/project/red-cross_~A.'
    """
    if "%" not in path:
        return path

    def normal(m: re.Match) -> str:
        char = chr(int(m.group(0)[1:], 16))
        return char if char in _UNRESERVED else m.group(0).upper()

    return _ANY_ESCAPE.sub(normal, path)


def _not_acceptable(offered: list[str], headers: dict) -> Response:
    """The 406 answer of a resource offered as the media types ``offered``."""
    return PlainTextResponse("not acceptable: this resource is available as " + ", ".join(offered) + "\n", 406,
                             headers=headers)


#: The answers of /sparql differ by the Accept header (the result format is negotiated): a cache must keep them apart
_VARY = {"Vary": "Accept"}


def _pick(accept: str, offered: list[str], default: str) -> str | None:
    """The offered media type the Accept header ranks first; media types are compared without case
    (RFC 9110 8.3.1: ``TEXT/TURTLE`` is ``text/turtle``).

    >>> _pick("TEXT/Turtle", ["text/html", "text/turtle"], "text/html"), _pick("", ["a/b"], "a/b")
    ('text/turtle', 'a/b')
    """
    if not accept.strip():
        return default
    try:
        return mimeparse.best_match(offered[::-1], accept.lower()) or None  # ties go to the last offered: the first here
    except (ValueError, IndexError):
        return default


# ---------------------------------------------------------------------------- the app

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"


def service_description(endpoint: str, ext: str = "ttl") -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (what a client gets when it asks the
    endpoint's URL for RDF without a query), in the RDF format ``ext``: SPARQL 1.1 Query only (no update), the
    result formats, and the default dataset (its default graph the published graph; GRAPH names the sources'
    graphs, which the description does not list).

    >>> b"sd:SPARQL11Query" in service_description("http://127.0.0.1:8080/sparql")
    True
    """
    node, a = ox.NamedNode(endpoint), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset, graph = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [ox.Triple(node, a, ox.NamedNode(_SD + "Service")),
               ox.Triple(node, ox.NamedNode(_SD + "endpoint"), node),
               ox.Triple(node, ox.NamedNode(_SD + "supportedLanguage"), ox.NamedNode(_SD + "SPARQL11Query")),
               ox.Triple(node, ox.NamedNode(_SD + "defaultDataset"), dataset),
               ox.Triple(dataset, a, ox.NamedNode(_SD + "Dataset")),
               ox.Triple(dataset, ox.NamedNode(_SD + "defaultGraph"), graph),
               ox.Triple(graph, a, ox.NamedNode(_SD + "Graph")),
               ox.Triple(node, ox.NamedNode("http://purl.org/dc/terms/title"),
                         ox.Literal("ngograph SPARQL endpoint (read-only; the published graph as the default graph)",
                                    language="en"))]
    triples += [ox.Triple(node, ox.NamedNode(_SD + "resultFormat"), ox.NamedNode(_FORMATS + name))
                for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                             "Turtle", "N-Triples", "JSON-LD", "RDF_XML")]
    if ext == "rdf":
        return rdfxml_bytes(triples, {"sd": _SD})
    return ox.serialize(triples, format=RDF_FORMATS[ext][1], prefixes={"sd": _SD, "formats": _FORMATS}
                        if ext == "ttl" else None)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison, RFC 9110 13.1.2), or is ``*``.

    >>> _matches('W/"a", "b"', '"a"'), _matches("*", '"x"'), _matches('"a"', '"b"'), _matches(None, '"a"')
    (True, True, False, False)
    """
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def make_app(store_path: Path, *, base: str | None = None, timeout: float = 30.0, max_rows: int = 100_000,
             cache_size: int = 2_000, log=None, dumps: Path | str | None = None,
             max_queries: int | None = None) -> Starlette:
    """The ASGI application serving the store at ``store_path``; the last ``cache_size`` resource
    answers (page or RDF file) given from a store are kept, and given again while it is served. The files of
    the folder ``dumps`` (what ``ngograph export`` wrote there) are served at ``/dumps/FILE``, where the dataset
    description's ``void:dataDump`` and ``dcat:downloadURL`` name them. At most ``max_queries`` SPARQL queries
    (default: one per core) run at once.
    What the pages need is read once per store when it is opened (:class:`~ngograph.publish.page_index.PageIndex`);
    ``log(line)`` hears how long that took."""
    paths = Paths(base)
    max_queries = max_queries or os.cpu_count() or 2

    def prepare(store, cache: dict) -> None:
        started = time.perf_counter()
        backend = _backend(store, cache)
        cache["index"] = PageIndex(backend)
        cache["index"].country_pairs()  # the one query of the country pages, before the first is asked for
        # the home and index pages too: made on the first request, they kept it 20 s on the imported store, and each
        # request that came meanwhile made them again (3.4 GB after a few)
        cache["indexes"] = index_pages(backend, paths, page_index=cache["index"])
        if log is not None:
            log(f"serve: read what the pages of {store.directory.name} need: {len(cache['index'].kinds)} resources "
                f"({time.perf_counter() - started:.1f} s)")

    holder = StoreHolder(store_path, prepare)

    async def home(request: Request) -> Response:
        name = request.path_params.get("name") or "index.html"
        with holder.use() as entry:
            pages = entry[1]["indexes"]
        if name not in pages or name == NOT_FOUND_PAGE:  # the static host's page for a missing path: here, a 404
            return _not_found(name)
        media = STATIC_FILES.get(name) or ("text/javascript" if name.endswith(".js") else _HTML)
        return Response(pages[name], media_type=media, headers={"Cache-Control": "max-age=60"})

    def _not_found(what: str, why: str = "") -> Response:
        """The 404 page for the path ``what``, its links relative to where it was asked for (the style sheet and
        the home page of /id/project/x are ../../style.css and ../../index.html)."""
        here = what.lstrip("/") or "404"
        intro = f"Nothing here: {what}" + (f" ({why})" if why else "")
        return HTMLResponse(render("list.html", here, title="Not found", intro=intro, groups=[]), status_code=404)

    async def resource(request: Request) -> Response:
        path = request.scope["raw_path"].decode("ascii", "replace").lstrip("/")  # as the IRI writes it: %20 and %2F kept
        path = _normal_escapes(path)
        ext = None
        stem, dot, suffix = path.rpartition(".")
        if dot and (suffix == "html" or suffix in RDF_FORMATS) and paths.iri(stem) is not None:
            path, ext = stem, suffix
        iri = paths.iri(path)
        if iri is None:
            return _not_found(request.url.path)
        headers = {}
        negotiated = ext is None
        if ext is None:
            headers["Vary"] = "Accept"
            wanted = request.query_params.get("format")
            if wanted is not None:
                ext = _FORMAT_NAMES.get(wanted.lower())
                if ext is None:
                    return PlainTextResponse(f"unknown format {wanted!r}: html, ttl, jsonld, nt or rdf\n", 406,
                                             headers=headers)
            else:
                media = _pick(request.headers.get("accept", ""), _RESOURCE_TYPES, _HTML)
                if media is None:
                    return _not_acceptable(_RESOURCE_TYPES, headers)
                ext = "html" if media == _HTML else _BY_MEDIA[media]
        with holder.use() as (store, cache):
            found, body = _answers(cache).get((iri, ext))  # a page given before: no thread needed
            if not found:
                try:
                    body = await anyio.to_thread.run_sync(freed_here, answer, store, cache, iri, ext)
                except ConfigError as exc:  # what RDF/XML cannot hold (rdfxml_bytes): another format can
                    return PlainTextResponse(f"not acceptable: {exc}\n", 406, headers=headers)
            generation = store.directory.name
        if body is None:
            return _not_found(request.url.path)
        headers.update(_representation_headers(path, ext, negotiated, generation))
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        media = _HTML if ext == "html" else RDF_FORMATS[ext][0]
        return Response(body, media_type=media, headers=headers)

    def _representation_headers(path: str, ext: str, negotiated: bool, generation: str) -> dict:
        """An answer's validator (a store folder never changes: its name, the version and the base make the ETag,
        RFC 9110 8.8.3), and for an answer chosen by the Accept header the file it is (Content-Location) and the
        others (Link rel=alternate, RFC 8288), relative to the resource: ``x.ttl`` for ``/id/project/x``."""
        digest = hashlib.sha256(f"{generation}\0{__version__}\0{paths.base}\0{path}\0{ext}".encode()).hexdigest()
        out = {"ETag": f'"{digest[:32]}"'}
        if negotiated:
            name = path.rsplit("/", 1)[-1]
            name = f"./{name}" if ":" in name else name  # urn:x:1.ttl would read as an absolute URI (RFC 3986 4.2)
            out["Content-Location"] = f"{name}.{ext}"
            out["Link"] = ", ".join(f'<{name}.{e}>; rel="alternate"; type="{_HTML if e == "html" else RDF_FORMATS[e][0]}"'
                                    for e in ("html", *RDF_FORMATS) if e != ext)
        return out

    def answer(store, cache: dict, iri: str, ext: str) -> bytes | None:
        """The page of ``iri`` (``ext`` html) or its RDF, made in a worker thread; None when unknown.
        ``cache`` holds what many pages of this store share, and the answers last given (a new
        store comes with a new, empty cache: nothing outlives a swap). The HTML is the static
        site's, byte for byte: its alternate links name the site's three RDF files (RDF/XML is
        given by negotiation and at ``.rdf`` all the same)."""
        page = make_page(cache["index"], iri, paths)
        body = None
        if page is not None:
            body = render_page(page, SITE_FORMATS).encode("utf-8") if ext == "html" else rdf_bytes(page, ext)
        else:
            body = described(store, cache, iri, ext)
        _answers(cache).put((iri, ext), body)
        return body

    def described(store, cache: dict, iri: str | None, ext: str) -> bytes | None:
        """The dataset's description as the answer for a resource it describes (``iri``; None: for
        ``/.well-known/void``, VoID 7.2; :func:`~ngograph.publish.site.description_answer`); None when it
        does not describe ``iri``."""
        if "description" not in cache:
            triples = [q.triple for q in description_graph(store.store, paths.base)]
            cache["description"] = (triples, {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
        triples, subjects = cache["description"]
        if iri is not None and iri not in subjects:
            return None
        return description_answer(triples, paths, iri, ext)

    documentation: dict = {}

    def docs_file(name: str) -> bytes | None:
        if not documentation:  # made once, on the first request for it (1 s)
            from ngograph.publish.docs import docs_files

            documentation.update(docs_files())
        return documentation.get(name)

    async def vocabulary(request: Request) -> Response:
        """The ontology (``/def``, and its version IRI ``/def/VERSION``), the shapes (``/shapes``), the JSON-LD
        context and the documentation's files (``/def/FILE``): what ``ngograph docs`` writes, as the w3id
        rules of docs/publishing.md give them, so that a server alone answers for every ``ngo:`` term."""
        path = request.url.path
        headers = {}
        if path in ("/def", "/shapes") or path == f"/def/{__version__}":
            headers["Vary"] = "Accept"
            stem, offered = ("shapes", [_HTML, "text/turtle"]) if path == "/shapes" else ("ngograph", _RESOURCE_TYPES)
            media = _pick(request.headers.get("accept", ""), offered, _HTML)
            if media is None:
                return _not_acceptable(offered, headers)
            name = ("index" if stem == "ngograph" else stem) + ".html" if media == _HTML else f"{stem}.{_BY_MEDIA[media]}"
        elif path == "/context.jsonld":
            name = "context.jsonld"
        else:
            name = path[len("/def/"):] or "index.html"
        body = await anyio.to_thread.run_sync(docs_file, name)
        if body is None:
            return _not_found(path)
        ext = name.rsplit(".", 1)[-1]
        media = _HTML if ext == "html" else RDF_FORMATS[ext][0] if ext in RDF_FORMATS else "application/ld+json"
        return Response(body, media_type=media, headers=headers)

    dump_folder = Path(dumps).resolve() if dumps is not None else None

    async def dump(request: Request) -> Response:
        """``/dumps/FILE``: a file of the ``dumps`` folder itself (no sub-folder, no hidden file), streamed."""
        name = request.path_params["file"]
        if dump_folder is None:
            return _not_found(request.url.path, "this server was started without --dumps DIR: it serves no dumps")
        path = dump_folder / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.resolve().parent != dump_folder:
            return _not_found(request.url.path)
        media = "application/json" if name.endswith(".json") else (
            "application/gzip" if name.endswith(".gz") else _DUMP_MEDIA.get(name.rsplit(".", 1)[-1],
                                                                              "application/octet-stream"))
        return FileResponse(path, media_type=media)

    async def void(request: Request) -> Response:
        """``/.well-known/void`` (VoID 7.2): the dataset's description, in the RDF format asked for (Turtle by default)."""
        media = _pick(request.headers.get("accept", ""), _RESOURCE_TYPES[1:], "text/turtle")
        if media is None:  # as a resource answers a type it cannot give
            return _not_acceptable(_RESOURCE_TYPES[1:], {"Vary": "Accept"})
        with holder.use() as (store, cache):
            body = await anyio.to_thread.run_sync(freed_here, described, store, cache, None, _BY_MEDIA[media])
        return Response(body, media_type=RDF_FORMATS[_BY_MEDIA[media]][0], headers={"Vary": "Accept"})

    def _answers(cache: dict) -> _Answers:
        return cache.get("answers") or cache.setdefault("answers", _Answers(cache_size))

    # Queries running at once, in this process. A query past the timeout is answered 503 but runs on in its thread
    # (the engine cannot be stopped): it holds its place until it ends, so that a few slow queries cannot take
    # every core from the pages; a query beyond the limit is refused at once (503, Retry-After).
    running = threading.BoundedSemaphore(max_queries)

    def run_query(store, text: str, accept: str, fmt_param: str | None) -> tuple[bytes, str, dict]:
        deadline = time.monotonic() + timeout
        try:
            check_read_only(text)
        except NgographError as exc:
            raise _Refused(400, str(exc)) from None
        if not running.acquire(blocking=False):
            raise _Refused(503, f"busy: {max_queries} queries are running; ask again later", {"Retry-After": "10"})
        try:
            return _run(store, text, accept, fmt_param, deadline)
        finally:
            running.release()

    def _run(store, text: str, accept: str, fmt_param: str | None, deadline: float) -> tuple[bytes, str, dict]:
        try:
            result = store.query(text, **query_dataset(published_graphs(store.store)))
            # the engine evaluates as the rows are read: an error (a SERVICE that fails, a value it cannot
            # compute) comes while they are, and is the same answer as one that comes at once
            return _answer(result, accept, fmt_param, deadline)
        except SyntaxError as exc:
            raise _Refused(400, f"malformed query: {exc}") from None
        except (RuntimeError, ValueError, OSError) as exc:
            raise _Refused(500, f"the query failed: {exc}") from None

    def _answer(result, accept: str, fmt_param: str | None, deadline: float) -> tuple[bytes, str, dict]:
        headers = {}
        if isinstance(result, ox.QueryTriples):
            if fmt_param:
                media = _GRAPH_NAMES.get(fmt_param.lower())
            else:
                media = _pick(accept, list(_GRAPHS), "text/turtle")
            if media is None:
                raise _Refused(406, "not acceptable: a graph is available as " + ", ".join(_GRAPHS))
            triples = []
            for t in result:
                if len(triples) >= max_rows:
                    headers["X-Ngograph-Truncated"] = str(max_rows)
                    break
                triples.append(t)
                if len(triples) % 1000 == 0 and time.monotonic() > deadline:
                    raise QueryTimeout("")
            if _GRAPHS[media] == ox.RdfFormat.RDF_XML:
                try:
                    return rdfxml_bytes(triples), media, headers
                except ConfigError as exc:  # what RDF/XML cannot hold: another format can
                    raise _Refused(406, f"not acceptable: {exc}") from None
            return ox.serialize(triples, format=_GRAPHS[media]), media, headers
        if fmt_param:
            fmt = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}.get(fmt_param.lower())
        else:
            fmt = _RESULTS.get(_pick(accept, list(_RESULTS), "application/sparql-results+json") or "")
        if fmt is None:
            raise _Refused(406, "not acceptable: results are available as " + ", ".join(_RESULTS))
        if isinstance(result, ox.QueryBoolean):
            return _boolean(bool(result), fmt), _RESULT_MEDIA[fmt], headers
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if len(rows) >= max_rows:
                headers["X-Ngograph-Truncated"] = str(max_rows)
                break
            rows.append([solution[v] for v in variables])
            if len(rows) % 1000 == 0 and time.monotonic() > deadline:
                raise QueryTimeout("")
        return _results(variables, rows, fmt), _RESULT_MEDIA[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), headers

    async def sparql(request: Request) -> Response:
        params = request.query_params
        fmt = params.get("format")
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                form = _Form(urllib.parse.parse_qsl((await request.body()).decode("utf-8", "replace"),
                                                    keep_blank_values=True))
                if "update" in form.keys():
                    return PlainTextResponse("updates are refused: this endpoint is read-only\n", 403)
                queries = form.getlist("query")
                if len(queries) != 1:
                    return PlainTextResponse("send exactly one query parameter\n", 400)
                text = queries[0]
                fmt = fmt or form.get("format")
                extra = set(form.keys()) | set(params.keys())
            elif ctype == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
                extra = set(params.keys())
            elif ctype == "application/sparql-update":
                return PlainTextResponse("updates are refused: this endpoint is read-only\n", 403)
            else:
                return PlainTextResponse("POST application/sparql-query or an HTML form "
                                         "(application/x-www-form-urlencoded) with a query\n", 415)
        else:
            if "update" in params:
                return PlainTextResponse("updates are refused: this endpoint is read-only\n", 403)
            queries = params.getlist("query")
            if not queries:  # the endpoint itself: its query page, or its service description for a machine
                media = _pick(request.headers.get("accept", ""), _RESOURCE_TYPES, _HTML)
                if media is None or media == _HTML:  # a client that asks for results without a query: the page
                    return HTMLResponse(query_page(), headers=_VARY)
                body = service_description(str(request.url).split("?", 1)[0], _BY_MEDIA[media])
                return Response(body, media_type=media, headers=_VARY)
            if len(queries) != 1:
                return PlainTextResponse("send exactly one query parameter\n", 400)
            text = queries[0]
            extra = set(params.keys())
        if extra & {"default-graph-uri", "named-graph-uri"}:
            return PlainTextResponse("default-graph-uri and named-graph-uri are not supported: the dataset is the "
                                     "published graph\n", 400)
        with holder.use() as (store, _):
            try:
                with anyio.fail_after(timeout):
                    body, media, headers = await anyio.to_thread.run_sync(
                        freed_here, run_query, store, text, request.headers.get("accept", ""), fmt,
                        abandon_on_cancel=True)
            except (TimeoutError, QueryTimeout):
                return PlainTextResponse(f"the query did not finish within {timeout:g} s\n", 503)
            except _Refused as exc:
                return PlainTextResponse(str(exc) + "\n", exc.status, headers={**_VARY, **exc.headers})
        return Response(body, media_type=media, headers={**headers, **_VARY})

    examples: list = []

    def query_page() -> str:
        if not examples:
            for q in list_queries():
                try:
                    examples.append((q.name, q.summary, inline_bindings(q.text, bind_params(q, {}, paths.base))))
                except NgographError:
                    continue
        return render("sparql.html", "sparql", title="SPARQL endpoint", examples=examples, timeout=timeout,
                      max_rows=max_rows)

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", void),
        Route("/def", vocabulary), Route("/shapes", vocabulary), Route("/context.jsonld", vocabulary),
        Route("/def/{file:path}", vocabulary),
        Route("/dumps/{file:path}", dump),
        Route("/{name:str}", home),
        Route("/{path:path}", resource),
    ]
    @asynccontextmanager
    async def lifespan(app):
        yield
        holder.close()

    app = Starlette(routes=routes, middleware=[Middleware(CORSMiddleware, allow_origins=["*"],
                                                          allow_methods=["GET", "POST"], allow_headers=["*"],
                                                          # a script elsewhere may read that its rows were cut
                                                          expose_headers=["X-Ngograph-Truncated"])],
                    lifespan=lifespan)
    app.state.holder = holder
    return app


_CONFIG = "NGOGRAPH_SERVE_CONFIG"


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _app_from_env() -> Starlette:
    """The app of a uvicorn worker process, configured by :func:`serve` through the environment."""
    config = json.loads(os.environ[_CONFIG])
    return make_app(Path(config.pop("store")), log=_log, **config)


def serve(store_path: Path, host: str = "127.0.0.1", port: int = 8080, workers: int = 1, **options) -> None:
    """Run the server until interrupted: uvicorn with ``workers`` processes (each reads the store on
    its own; queries run in threads)."""
    if workers <= 1:
        uvicorn.run(make_app(store_path, log=_log, **options), host=host, port=port, log_level="warning", access_log=False)
        return
    os.environ[_CONFIG] = json.dumps({"store": str(store_path), **options})
    uvicorn.run("ngograph.publish.serve:_app_from_env", factory=True, workers=workers, host=host, port=port,
                log_level="warning", access_log=False)
