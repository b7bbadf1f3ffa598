"""The server (ngograph/publish/serve.py), called in this process through its ASGI interface:
behaviours a mutation run showed were not pinned (issue 14): content negotiation and its
refusals, the SPARQL 1.1 Protocol's ways of sending a query, the result formats, status codes
and headers. One tiny store written by hand; every expected value written out by hand."""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import urllib.parse
import weakref
from contextlib import contextmanager

import anyio
import pyoxigraph as ox
import pytest

import ngograph.publish.serve as serve_module
from ngograph import __version__
from ngograph.runtime import freed_here
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import Paths, make_page, rdf_bytes, render_page
from ngograph.publish.serve import StoreHolder, _Answers, _boolean, _Form, _pick, _results, make_app
from ngograph.publish.site import SITE_FORMATS, index_pages, resource_index, static_file
from ngograph.rdf.namespaces import RDF, RDFS, SCHEMA
from ngograph.store.backends import Embedded
from ngograph.store.embedded import open_store, write_store

B = "https://e.org/id/"
P = B + "project/p"
XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
NT = (f'<{P}> <{RDF.type}> <{SCHEMA.Project}> .\n'
      f'<{P}> <{RDFS.label}> "Bridges"@en .\n'
      f'<{P}> <{SCHEMA.member}> <{B}organisation/a%20b> .\n'
      f'<{B}organisation/a%20b> <{RDF.type}> <{SCHEMA.Organization}> .\n'
      f'<{B}organisation/a%20b> <{RDFS.label}> "A & B" .\n'
      f'<{B}organisation/c%2Fd> <{RDF.type}> <{SCHEMA.Organization}> .\n'
      f'<{P}> <urn:x:n> "7"^^<{XSD_INT}> .\n').encode()
HIDDEN = f'<{P}> <urn:x:hidden> "build graph" .\n'.encode()  # in the build graph: not published


def call(app, path: str, *, method: str = "GET", query: dict | list | None = None, body: bytes = b"",
         headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request through the ASGI app, in this process: (status, headers, body)."""
    sent: list[dict] = []
    received = []
    done: list = []  # the event of the answer's end, made in the event loop

    async def receive():
        if received:  # the client stays until the whole answer has come (a streamed file is sent after this)
            await done[0].wait()
            return {"type": "http.disconnect"}
        received.append(1)
        done.append(anyio.Event())
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body") and done:
            done[0].set()

    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": urllib.parse.unquote(path), "raw_path": path.encode(),
             "query_string": urllib.parse.urlencode(query or {}, doseq=True).encode(), "root_path": "",
             "headers": [(b"host", b"testserver"), *raw], "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    out_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], out_headers, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "store"
    write_store(path, NT, build_nt=HIDDEN)
    return path


@pytest.fixture(scope="module")
def app(store_path):
    app = make_app(store_path, base=B, max_rows=2)
    yield app
    app.state.holder.close()


def vary(headers: dict) -> list[str]:
    """The Vary header's names (the CORS middleware adds Origin to every answer)."""
    return headers.get("vary", "").split(", ")


def sparql(app, text: str, accept: str | None = None, **query):
    return call(app, "/sparql", query={"query": text, **query}, headers={"accept": accept} if accept else None)


# ---------------------------------------------------------------------------- the site's pages

def test_home_and_index_pages_as_the_site_writes_them(app, store_path):
    store = open_store(store_path)
    try:
        backend = Embedded(store.store, fixed=True)
        expected = index_pages(backend, Paths(B), resource_index(backend, Paths(B), PageIndex(backend)))
    finally:
        store.close()
    status, headers, body = call(app, "/")
    assert (status, headers["content-type"], headers["cache-control"]) == (200, "text/html; charset=utf-8", "max-age=60")
    assert body == expected["index.html"]
    assert call(app, "/countries.html")[2] == expected["countries.html"]
    status, headers, body = call(app, "/style.css")
    assert (status, headers["content-type"], body) == (200, "text/css; charset=utf-8", static_file("style.css"))
    status, headers, body = call(app, "/search-index.js")
    assert (status, headers["content-type"]) == (200, "text/javascript; charset=utf-8")
    assert body == expected["search-index.js"]
    status, headers, body = call(app, "/nothing.html")
    assert (status, headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert b"Nothing here: nothing.html" in body and b"<title>Not found" in body
    status, _, body = call(app, "/404.html")  # the static site's page for a missing path: the server's own 404
    assert status == 404 and b"Nothing here: 404.html" in body and body != expected["404.html"]


def page_bytes(store_path, iri: str, ext: str) -> bytes:
    store = open_store(store_path)
    try:
        page = make_page(PageIndex(Embedded(store.store, fixed=True)), iri, Paths(B))
    finally:
        store.close()
    return render_page(page, SITE_FORMATS).encode() if ext == "html" else rdf_bytes(page, ext)


@pytest.mark.parametrize("accept,media,ext", [
    (None, "text/html; charset=utf-8", "html"), ("", "text/html; charset=utf-8", "html"),
    ("*/*", "text/html; charset=utf-8", "html"), ("text/turtle", "text/turtle; charset=utf-8", "ttl"),
    ("application/ld+json", "application/ld+json", "jsonld"), ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "rdf"), ("text/html;q=0.5, text/turtle", "text/turtle; charset=utf-8", "ttl"),
    ("application/*", "application/ld+json", "jsonld"),  # a tie: the first offered
    ("not a media type", "text/html; charset=utf-8", "html"),
    # media types are compared without case (RFC 9110 8.3.1)
    ("TEXT/TURTLE", "text/turtle; charset=utf-8", "ttl"), ("Text/HTML;Q=0.5, Application/N-Triples", "application/n-triples", "nt"),
])
def test_content_negotiation(app, store_path, accept, media, ext):
    status, headers, body = call(app, "/id/project/p", headers={"accept": accept} if accept is not None else None)
    assert (status, headers["content-type"], vary(headers)) == (200, media, ["Accept", "Origin"])
    assert body == page_bytes(store_path, P, ext)


@pytest.mark.parametrize("fmt,ext", [("html", "html"), ("TTL", "ttl"), ("turtle", "ttl"), ("json-ld", "jsonld"),
                                     ("jsonld", "jsonld"), ("ntriples", "nt"), ("nt", "nt"), ("xml", "rdf"),
                                     ("rdfxml", "rdf"), ("rdf", "rdf")])
def test_format_parameter(app, store_path, fmt, ext):
    status, headers, body = call(app, "/id/project/p", query={"format": fmt}, headers={"accept": "text/html"})
    assert (status, vary(headers)) == (200, ["Accept", "Origin"])
    assert body == page_bytes(store_path, P, ext)


def test_refusals_of_resources(app):
    status, headers, body = call(app, "/id/project/p", query={"format": "png"})
    assert (status, headers["content-type"], vary(headers)) == (406, "text/plain; charset=utf-8", ["Accept", "Origin"])
    assert body == b"unknown format 'png': html, ttl, jsonld, nt or rdf\n"
    status, headers, body = call(app, "/id/project/p", headers={"accept": "image/png"})
    assert (status, vary(headers)) == (406, ["Accept", "Origin"])
    assert body == (b"not acceptable: this resource is available as text/html, text/turtle, application/ld+json, "
                    b"application/n-triples, application/rdf+xml\n")
    for path in ("/id/project/none", "/id/project/none.ttl", "/id/project/p.png", "/elsewhere/x", "/id/project/p/"):
        status, headers, body = call(app, path)
        assert (status, headers["content-type"]) == (404, "text/html; charset=utf-8"), path
        assert f"Nothing here: {urllib.parse.unquote(path)}".encode() in body
        assert vary(headers) == ["Origin"], path  # the same page whatever was asked for


@pytest.mark.parametrize("ext,media", [("html", "text/html; charset=utf-8"), ("ttl", "text/turtle; charset=utf-8"),
                                       ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
                                       ("rdf", "application/rdf+xml")])
def test_file_names_name_the_format(app, store_path, ext, media):
    status, headers, body = call(app, f"/id/project/p.{ext}", headers={"accept": "text/turtle"})
    assert (status, headers["content-type"]) == (200, media)
    assert vary(headers) == ["Origin"]
    assert body == page_bytes(store_path, P, ext)


def test_percent_escapes_kept_in_the_iri(app, store_path):
    status, _, body = call(app, "/id/organisation/a%20b.nt")
    assert status == 200
    assert body == page_bytes(store_path, B + "organisation/a%20b", "nt")
    assert f"<{B}organisation/a%20b>".encode() in body
    assert call(app, "/id/organisation/a b.nt")[0] == 404


def test_answers_kept_up_to_the_cache_size(store_path):
    app = make_app(store_path, base=B, cache_size=1)
    try:
        call(app, "/id/project/p.nt")
        answers = app.state.holder._current[1]["answers"]
        assert answers.size == 1
        assert answers.get((P, "nt")) == (True, page_bytes(store_path, P, "nt"))
        call(app, "/id/project/p.ttl")
        assert answers.get((P, "nt")) == (False, None) and answers.get((P, "ttl"))[0]
        answers.put((P, "ttl"), b"kept")  # given again from the cache, not made again
        assert call(app, "/id/project/p.ttl")[2] == b"kept"
    finally:
        app.state.holder.close()
    app = make_app(store_path, base=B, cache_size=0)
    try:
        call(app, "/id/project/p.nt")
        assert app.state.holder._current[1]["answers"].get((P, "nt")) == (False, None)
    finally:
        app.state.holder.close()


def test_the_log_hears_what_was_read(store_path):
    lines = []
    app = make_app(store_path, base=B, log=lines.append)
    app.state.holder.close()
    (line,) = lines
    assert line.startswith(f"serve: read what the pages of {os.path.realpath(store_path).rsplit('/', 1)[-1]} need: "
                           "3 resources (")  # p, a%20b, c%2Fd
    assert line.endswith(" s)")


def test_the_index_pages_are_made_before_the_first_request(store_path, monkeypatch):
    from ngograph.publish import serve as serve_module

    made = []
    real = serve_module.index_pages
    monkeypatch.setattr(serve_module, "index_pages", lambda *a, **kw: made.append(1) or real(*a, **kw))
    app = make_app(store_path, base=B)
    try:
        assert made == [1] and b"<html" in app.state.holder._current[1]["indexes"]["index.html"].lower()
        for name in ("/", "/index.html", "/years.html", "/robots.txt"):
            call(app, name)
        assert made == [1]  # read once, when the store was opened, never by a request
    finally:
        app.state.holder.close()


def test_cors_header(app):
    status, headers, _ = call(app, "/id/project/p.nt", headers={"origin": "https://x.org"})
    assert (status, headers["access-control-allow-origin"]) == (200, "*")
    status, headers, _ = call(app, "/sparql", method="OPTIONS", headers={
        "origin": "https://x.org", "access-control-request-method": "POST"})
    assert status == 200 and headers["access-control-allow-methods"] == "GET, POST"
    status, headers, _ = call(app, "/sparql", method="OPTIONS", headers={
        "origin": "https://x.org", "access-control-request-method": "PUT"})
    assert status == 400


# ---------------------------------------------------------------------------- SPARQL results by hand

ROW = [ox.NamedNode("urn:a"), ox.Literal("é<&", language="lv"), ox.Literal("7", datatype=ox.NamedNode(XSD_INT)),
       ox.Literal("s"), ox.BlankNode("b1"), None]
VARS = ["x", "l", "n", "s", "b", "u"]


def test_select_results_in_each_format():
    assert _results(VARS, [ROW], "json").decode() == (
        '{"head": {"vars": ["x", "l", "n", "s", "b", "u"]}, "results": {"bindings": [{'
        '"x": {"type": "uri", "value": "urn:a"}, "l": {"type": "literal", "value": "é<&", "xml:lang": "lv"}, '
        f'"n": {{"type": "literal", "value": "7", "datatype": "{XSD_INT}"}}, "s": {{"type": "literal", "value": "s"}}, '
        '"b": {"type": "bnode", "value": "b1"}}]}}')
    assert _results(VARS, [ROW], "xml").decode() == (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
        '<variable name="x"/><variable name="l"/><variable name="n"/><variable name="s"/><variable name="b"/>'
        '<variable name="u"/></head><results><result><binding name="x"><uri>urn:a</uri></binding>'
        '<binding name="l"><literal xml:lang="lv">é&lt;&amp;</literal></binding>'
        f'<binding name="n"><literal datatype="{XSD_INT}">7</literal></binding>'
        '<binding name="s"><literal>s</literal></binding><binding name="b"><bnode>b1</bnode></binding>'
        '</result></results></sparql>\n')
    assert _results(VARS, [ROW, [None] * 6], "csv").decode() == "x,l,n,s,b,u\r\nurn:a,é<&,7,s,_:b1,\r\n,,,,,\r\n"
    assert _results(VARS, [ROW], "tsv").decode() == (
        f'?x\t?l\t?n\t?s\t?b\t?u\n<urn:a>\t"é<&"@lv\t"7"^^<{XSD_INT}>\t"s"\t_:b1\t\n')
    assert _results(["x"], [], "xml").decode().endswith("<results></results></sparql>\n")
    escaped = _results(["x"], [[ox.NamedNode("urn:a&b")], [ox.BlankNode("c")]], "xml").decode()
    assert "<uri>urn:a&amp;b</uri>" in escaped and "<bnode>c</bnode>" in escaped
    typed = _results(["x"], [[ox.Literal("1", datatype=ox.NamedNode("urn:t&"))]], "xml").decode()
    assert '<literal datatype="urn:t&amp;">1</literal>' in typed


@pytest.mark.parametrize("fmt,text", [
    ("xml", '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            '<boolean>true</boolean></sparql>\n'),
    ("csv", "_askResult\ntrue\n"), ("tsv", "_askResult\ntrue\n"), ("json", '{"head": {}, "boolean": true}')])
def test_boolean_results(fmt, text):
    assert _boolean(True, fmt).decode() == text
    assert _boolean(False, fmt).decode() == text.replace("true", "false")


def test_pick_and_form_and_answers():
    offered = ["a/b", "c/d"]
    assert _pick("", offered, "x/y") == "x/y" and _pick("  ", offered, "x/y") == "x/y"
    assert _pick("*/*", offered, "x/y") == "a/b"  # a tie: the first offered
    assert _pick("c/d", offered, "x/y") == "c/d"
    assert _pick("e/f", offered, "x/y") is None
    assert _pick("garbage", offered, "x/y") == "x/y"
    form = _Form([("a", "1"), ("b", "2"), ("a", "3")])
    assert form.keys() == {"a", "b"} and form.getlist("a") == ["1", "3"] and form.get("a") == "1"
    assert form.get("c") is None and form.getlist("c") == []
    answers = _Answers(2)
    answers.put("a", b"A")
    answers.put("b", b"B")
    assert answers.get("a") == (True, b"A")  # now the most recent
    answers.put("c", b"C")
    assert (answers.get("b"), answers.get("a"), answers.get("c")) == ((False, None), (True, b"A"), (True, b"C"))
    answers.put("a", b"A2")
    assert answers.get("a") == (True, b"A2")
    none = _Answers(0)
    none.put("a", b"A")
    assert none.get("a") == (False, None)


# ---------------------------------------------------------------------------- the endpoint

ONE = f"SELECT ?o WHERE {{ <{P}> <urn:x:n> ?o }}"
ONE_JSON = ('{"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "7", '
            f'"datatype": "{XSD_INT}"}}}}]}}}}')
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
RESULTS = (b"not acceptable: results are available as application/sparql-results+json, application/json, "
           b"application/sparql-results+xml, application/xml, text/csv, text/tab-separated-values\n")


def test_select_by_get(app):
    status, headers, body = sparql(app, ONE)
    assert (status, headers["content-type"], body.decode()) == (200, "application/sparql-results+json", ONE_JSON)
    assert "x-ngograph-truncated" not in headers
    assert sparql(app, ONE, "application/json")[2].decode() == ONE_JSON
    assert sparql(app, f"SELECT ?o WHERE {{ <{P}> <urn:x:hidden> ?o }}")[2] == b'{"head": {"vars": ["o"]}, "results": {"bindings": []}}'


@pytest.mark.parametrize("accept,fmt,media", [
    ("text/csv", None, "text/csv; charset=utf-8"), ("text/tab-separated-values", None, "text/tab-separated-values; charset=utf-8"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("application/xml", None, "application/sparql-results+xml"),
    ("image/png", "CSV", "text/csv; charset=utf-8"), (None, "tsv", "text/tab-separated-values; charset=utf-8"),
    ("text/csv", "xml", "application/sparql-results+xml"), ("text/csv", "json", "application/sparql-results+json")])
def test_select_formats(app, accept, fmt, media):
    status, headers, body = sparql(app, ONE, accept, **({"format": fmt} if fmt else {}))
    assert (status, headers["content-type"], vary(headers)) == (200, media, ["Accept", "Origin"])
    expected = {"text/csv": "o\r\n7\r\n", "text/tab-separated-values": f'?o\n"7"^^<{XSD_INT}>\n',
                "application/sparql-results+xml": '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/'
                'sparql-results#"><head><variable name="o"/></head><results><result><binding name="o">'
                f'<literal datatype="{XSD_INT}">7</literal></binding></result></results></sparql>\n',
                "application/sparql-results+json": ONE_JSON}[media.split(";")[0]]
    assert body.decode() == expected


def test_rows_cut_at_max_rows(app):
    status, headers, body = sparql(app, ALL, "text/csv")
    assert (status, headers["x-ngograph-truncated"]) == (200, "2")
    # a script on another site may read it (CORS: only the listed headers are exposed)
    cross = call(app, "/sparql", query={"query": ALL}, headers={"origin": "https://e.org", "accept": "text/csv"})[1]
    assert cross["access-control-expose-headers"].lower() == "x-ngograph-truncated"
    assert body.decode() == (f"s,p,o\r\n{B}organisation/a%20b,{RDF.type},{SCHEMA.Organization}\r\n"
                             f"{B}organisation/a%20b,{RDFS.label},A & B\r\n")
    status, headers, body = sparql(app, ALL + " LIMIT 2", "text/csv")
    assert "x-ngograph-truncated" not in headers and body.count(b"\r\n") == 3


def test_a_percent_escape_in_lower_case_names_the_resource(app, store_path):
    """RFC 3986 6.2.2.1: ``%2f`` is ``%2F``, the form in which every IRI is minted."""
    status, _, body = call(app, "/id/organisation/c%2fd.nt")
    assert (status, body) == (200, page_bytes(store_path, B + "organisation/c%2Fd", "nt"))
    assert f"<{B}organisation/c%2Fd>".encode() in body


def test_refused_result_formats(app):
    assert sparql(app, ONE, "image/png")[::2] == (406, RESULTS)
    assert vary(sparql(app, ONE, "image/png")[1]) == ["Accept", "Origin"]
    assert sparql(app, ONE, "TEXT/CSV")[1]["content-type"] == "text/csv; charset=utf-8"
    assert sparql(app, ONE, None, format="png")[::2] == (406, RESULTS)
    assert sparql(app, f"ASK {{ <{P}> ?p ?o }}", None, format="png")[::2] == (406, RESULTS)


def test_ask(app):
    status, headers, body = sparql(app, f"ASK {{ <{P}> <urn:x:n> ?o }}")
    assert (status, headers["content-type"], body) == (200, "application/sparql-results+json", b'{"head": {}, "boolean": true}')
    status, headers, body = sparql(app, f"ASK {{ <{P}> <urn:x:hidden> ?o }}", "text/csv")
    assert (status, headers["content-type"], body) == (200, "text/csv; charset=utf-8", b"_askResult\nfalse\n")


def test_a_refused_answer_frees_the_store_results_on_the_thread_that_made_them(app, monkeypatch):
    """pyoxigraph's result iterators may only be freed on their own thread: a CONSTRUCT refused for its
    format, and a page whose making fails, leave none for the server's thread to free (it printed
    "RuntimeError: ... PyQueryTriples is unsendable, but is being dropped on another thread")."""
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    text = f"CONSTRUCT {{ <{P}> ?p ?o }} WHERE {{ <{P}> ?p ?o }}"
    for _ in range(3):
        assert sparql(app, text, "text/csv")[0] == 406
        assert sparql(app, f"SELECT * WHERE {{ <{P}> ?p ?o }}", "text/turtle")[0] == 406
    gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []


def test_freed_here_clears_the_frames_of_an_error_and_gives_it_on():
    held = []

    class Results:  # stands for the store's result iterator
        pass

    def work(x):
        results = Results()
        held.append(weakref.ref(results))
        raise ValueError(x)

    with pytest.raises(ValueError, match="bad") as caught:
        freed_here(work, "bad")
    assert held[0]() is None  # freed here, although the error and its traceback live on
    assert caught.value.__traceback__ is not None
    assert freed_here(lambda a, b: a + b, 2, 3) == 5


def test_construct(app):
    text = f"CONSTRUCT {{ <{P}> ?p ?o }} WHERE {{ <{P}> ?p ?o FILTER(?p = <urn:x:n>) }}"
    nt = f'<{P}> <urn:x:n> "7"^^<{XSD_INT}> .\n'.encode()
    status, headers, body = sparql(app, text)
    assert (status, headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    assert body == f'<{P}> <urn:x:n> 7 .\n'.encode()
    assert "x-ngograph-truncated" not in headers
    status, headers, body = sparql(app, text, "application/n-triples")
    assert (status, headers["content-type"], body) == (200, "application/n-triples", nt)
    status, headers, body = sparql(app, text, "text/turtle", format="NT")
    assert (status, headers["content-type"], body) == (200, "application/n-triples", nt)
    status, headers, body = sparql(app, text, None, format="nquads")
    assert (status, headers["content-type"], body) == (200, "application/n-quads", nt)
    status, _, body = sparql(app, text, None, format="csv")
    assert (status, body) == (406, b"not acceptable: a graph is available as text/turtle, application/n-triples, "
                                   b"application/ld+json, application/rdf+xml, application/n-quads, application/trig, "
                                   b"text/n3\n")
    assert sparql(app, text, "text/csv")[::2] == (406, body)
    status, headers, body = sparql(app, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert (status, headers["x-ngograph-truncated"], body.count(b"\n")) == (200, "2", 2)
    status, headers, _ = sparql(app, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "application/n-triples")
    assert "x-ngograph-truncated" not in headers


FORM = "application/x-www-form-urlencoded"


def post(app, body: bytes | str, ctype: str, accept: str | None = None, **query):
    body = body.encode() if isinstance(body, str) else body
    return call(app, "/sparql", method="POST", body=body, query=query or None,
                headers={"content-type": ctype, **({"accept": accept} if accept else {})})


def test_posted_queries(app):
    assert post(app, ONE, "application/sparql-query")[2].decode() == ONE_JSON
    assert post(app, ONE, "Application/SPARQL-Query; charset=utf-8")[2].decode() == ONE_JSON
    assert post(app, urllib.parse.urlencode({"query": ONE}), FORM)[2].decode() == ONE_JSON
    assert post(app, urllib.parse.urlencode({"query": ONE}), FORM + "; charset=utf-8")[0] == 200
    status, headers, body = post(app, urllib.parse.urlencode({"query": ONE, "format": "csv"}), FORM)
    assert (status, headers["content-type"], body) == (200, "text/csv; charset=utf-8", b"o\r\n7\r\n")
    status, headers, _ = post(app, urllib.parse.urlencode({"query": ONE, "format": "csv"}), FORM, format="xml")
    assert headers["content-type"] == "application/sparql-results+xml"  # the URL's format first
    status, headers, _ = post(app, ONE, "application/sparql-query", "text/csv")
    assert headers["content-type"] == "text/csv; charset=utf-8"
    status, _, body = post(app, urllib.parse.urlencode({"query": ONE, "format": ""}), FORM, "text/csv")
    assert (status, body) == (200, b"o\r\n7\r\n")  # an empty format field: the Accept header decides


def test_refused_requests(app):
    read_only = b"updates are refused: this endpoint is read-only\n"
    one = b"send exactly one query parameter\n"
    graphs = b"default-graph-uri and named-graph-uri are not supported: the dataset is the published graph\n"
    assert call(app, "/sparql", query={"update": "CLEAR ALL"})[::2] == (403, read_only)
    assert call(app, "/sparql", query={"update": "", "query": ONE})[::2] == (403, read_only)
    assert post(app, "CLEAR ALL", "application/sparql-update")[::2] == (403, read_only)
    assert post(app, "update=CLEAR+ALL", FORM)[::2] == (403, read_only)
    assert post(app, f"update=&query={urllib.parse.quote(ONE)}", FORM)[::2] == (403, read_only)
    assert call(app, "/sparql", query=[("query", ONE), ("query", ONE)])[::2] == (400, one)
    assert post(app, urllib.parse.urlencode([("query", ONE), ("query", ONE)]), FORM)[::2] == (400, one)
    assert post(app, "format=csv", FORM)[::2] == (400, one)
    assert sparql(app, ONE, None, **{"default-graph-uri": B})[::2] == (400, graphs)
    assert sparql(app, ONE, None, **{"named-graph-uri": B})[::2] == (400, graphs)
    assert post(app, urllib.parse.urlencode({"query": ONE, "named-graph-uri": B}), FORM)[::2] == (400, graphs)
    assert post(app, urllib.parse.urlencode({"query": ONE}), FORM, **{"default-graph-uri": B})[::2] == (400, graphs)
    assert post(app, ONE, "application/sparql-query", **{"named-graph-uri": B})[::2] == (400, graphs)
    status, headers, body = post(app, ONE, "text/plain")
    assert (status, headers["content-type"], body) == (
        415, "text/plain; charset=utf-8",
        b"POST application/sparql-query or an HTML form (application/x-www-form-urlencoded) with a query\n")
    assert post(app, ONE, "")[0] == 415
    status, _, body = sparql(app, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert (status, body) == (400, b"refused: INSERT is not allowed on the read path (queries run on the store's own "
                                   b"data: no SERVICE, LOAD, FROM or updates)\n")
    status, _, body = sparql(app, "SELEC ?x")
    assert status == 400 and body.startswith(b"malformed query: ") and body.endswith(b"\n")
    assert call(app, "/sparql", method="PUT")[0] == 405


def test_query_page(app):
    status, headers, body = call(app, "/sparql")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    html = body.decode()
    assert "<title>SPARQL endpoint · ngograph</title>" in html
    assert "project-partners" in html
    assert B + "project/social-rights-advocacy-phase-1" in html  # the examples' parameters under this base
    assert call(app, "/sparql")[2] == body  # the examples made once
    assert "a query may run 30.0 s and return 2 rows." in html  # the default time-out


def test_a_query_past_the_time_out(store_path):
    app = make_app(store_path, base=B, timeout=0)
    try:
        assert sparql(app, ONE)[::2] == (503, b"the query did not finish within 0 s\n")
    finally:
        app.state.holder.close()


# ---------------------------------------------------------------------------- the store holder and start-up

def wait_for(condition, what: str):
    for _ in range(400):
        if condition():
            return
        time.sleep(0.025)
    raise AssertionError(f"waited 10 s for {what}")


def used(holder):
    """The entry a request gets now (the request ends at once)."""
    with holder.use() as entry:
        return entry


def test_holder_keeps_the_old_store_open_while_it_is_used(tmp_path):
    link = tmp_path / "store"
    write_store(link, NT)
    prepared = []
    holder = StoreHolder(link, lambda store, cache: prepared.append(store.directory) or cache.update(n=len(prepared)))
    try:
        first = holder._current
        assert (holder.path, first[1], prepared) == (link, {"n": 1}, [first[0].directory])
        assert str(first[0].directory) == os.path.realpath(link)
        with holder.use() as entry:
            assert entry is first and holder._users[id(first)] == 1
            with holder.use() as again:
                assert again is first and holder._users[id(first)] == 2
            write_store(link, NT)  # a build: the link moved
            wait_for(lambda: used(holder) is not first and not holder._opening, "the new store")
            new = holder._current
            assert new is not first and new[1] == {"n": 2} and len(prepared) == 2
            assert first[0].store is not None and holder._retired == [first]  # still in use here
        assert first[0].store is None and holder._retired == [] and id(first) not in holder._users
        assert new[0].store is not None and holder._users[id(new)] == 0
    finally:
        holder.close()
    assert holder._current[0].store is None and holder._retired == []


def test_holder_keeps_answering_when_the_new_store_cannot_be_opened(tmp_path, monkeypatch, capsys):
    link = tmp_path / "store"
    write_store(link, NT)
    calls = []

    def prepare(store, cache):
        calls.append(store)
        if len(calls) > 1:
            raise RuntimeError("boom")

    holder = StoreHolder(link, prepare)
    try:
        first = holder._current
        write_store(link, NT)
        target = os.path.realpath(link)
        with holder.use() as entry:
            assert entry is first
        wait_for(lambda: holder._failed is not None and not holder._opening, "the failed open")
        assert holder._current is first and holder._failed[0] == target
        assert calls[1].store is None  # the store that failed to be prepared is closed
        assert capsys.readouterr().err == (
            f"ngograph serve: cannot open the new store {target} (RuntimeError: boom); the previous one keeps "
            "answering, tried again in 30 s\n")
        with holder.use():
            pass
        assert len(calls) == 2 and not holder._opening  # not tried again within 30 s
        monkeypatch.setattr(serve_module, "_RETRY", 0.0)
        with holder.use():
            pass
        wait_for(lambda: len(calls) == 3 and not holder._opening, "a second try")
        assert holder._current is first
        assert "tried again in 0 s" in capsys.readouterr().err
    finally:
        holder.close()


def test_holder_refuses_a_store_it_cannot_prepare(tmp_path):
    link = tmp_path / "store"
    write_store(link, NT)
    opened = []

    def prepare(store, cache):
        opened.append(store)
        raise ValueError("no index")

    with pytest.raises(ValueError, match="no index"):
        StoreHolder(link, prepare)
    assert opened[0].store is None
    holder = StoreHolder(link)  # no prepare: the store as it is
    try:
        assert holder._current[1] == {} and holder._opening is False and holder._failed is None
    finally:
        holder.close()


def test_serve_runs_uvicorn(store_path, monkeypatch):
    calls = []
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    monkeypatch.delenv(serve_module._CONFIG, raising=False)
    serve_module.serve(store_path, base=B)
    ((args, kwargs),) = calls
    assert type(args[0]).__name__ == "Starlette"
    assert kwargs == {"host": "127.0.0.1", "port": 8080, "log_level": "warning", "access_log": False}
    args[0].state.holder.close()
    assert serve_module._CONFIG not in os.environ
    calls.clear()
    serve_module.serve(store_path, "0.0.0.0", 9000, workers=2, base=B, max_rows=5)
    assert calls == [(("ngograph.publish.serve:_app_from_env",), {
        "factory": True, "workers": 2, "host": "0.0.0.0", "port": 9000, "log_level": "warning", "access_log": False})]
    assert json.loads(os.environ["NGOGRAPH_SERVE_CONFIG"]) == {"store": str(store_path), "base": B, "max_rows": 5}


def test_app_from_the_environment(store_path, monkeypatch, capsys):
    made = []
    monkeypatch.setattr(serve_module, "make_app", lambda path, **k: made.append((path, k)) or "app")
    monkeypatch.setenv("NGOGRAPH_SERVE_CONFIG", json.dumps({"store": str(store_path), "base": B, "timeout": 2.5}))
    assert serve_module._app_from_env() == "app"
    assert made == [(store_path, {"log": serve_module._log, "base": B, "timeout": 2.5})]
    serve_module._log("a line")
    assert capsys.readouterr() == ("", "a line\n")


def test_one_backend_per_store(store_path):
    store = open_store(store_path)
    try:
        cache: dict = {}
        backend = serve_module._backend(store, cache)
        assert cache == {"backend": backend} and backend.fixed and backend._store is store.store
        assert serve_module._backend(store, cache) is backend
    finally:
        store.close()


# ---------------------------------------------------------------------------- more of the protocol

VALUES = " ".join(str(i) for i in range(10))
THOUSAND = f"SELECT ?a ?b ?c WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} VALUES ?c {{ {VALUES} }} }}"
THOUSAND_TRIPLES = (f"CONSTRUCT {{ ?s <urn:x:p> ?c }} WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} "
                    f"VALUES ?c {{ {VALUES} }} BIND(IRI(CONCAT('urn:x:', STR(?a), STR(?b))) AS ?s) }}")


def test_a_thousand_rows_within_the_time(store_path):
    app = make_app(store_path, base=B, max_rows=5000)
    try:
        status, headers, body = sparql(app, THOUSAND, "text/csv")
        assert (status, body.count(b"\r\n"), "x-ngograph-truncated" in headers) == (200, 1001, False)
        status, headers, body = sparql(app, THOUSAND_TRIPLES, "application/n-triples")
        assert (status, body.count(b"\n"), "x-ngograph-truncated" in headers) == (200, 1000, False)
    finally:
        app.state.holder.close()


def test_a_query_running_past_its_deadline(store_path, monkeypatch):
    """The deadline checked every 1000 rows, in the worker thread (the clock jumps an hour at each look)."""
    clock = iter(range(0, 10**9, 3600))
    monkeypatch.setattr(serve_module, "time", type("Clock", (), {
        "monotonic": staticmethod(lambda: next(clock)), "perf_counter": staticmethod(time.perf_counter)}))
    app = make_app(store_path, base=B, max_rows=5000, timeout=60)
    try:
        assert sparql(app, THOUSAND, "text/csv")[::2] == (503, b"the query did not finish within 60 s\n")
        assert sparql(app, THOUSAND_TRIPLES, "text/turtle")[::2] == (503, b"the query did not finish within 60 s\n")
        assert sparql(app, ONE)[0] == 200  # fewer than 1000 rows: never looked at
    finally:
        app.state.holder.close()


def test_bytes_that_are_no_utf_8(app):
    assert call(app, "/id/project/é")[0] == 404
    assert post(app, ONE.encode() + b" # \xff", "application/sparql-query")[2].decode() == ONE_JSON
    body = urllib.parse.urlencode({"query": ONE}).encode() + b"&note=\xff"
    assert post(app, body, FORM)[2].decode() == ONE_JSON


def test_query_page_states_the_limits(store_path):
    app = make_app(store_path, base=B, timeout=12.5, max_rows=77)
    try:
        html = call(app, "/sparql")[2].decode()
        assert "a query may run 12.5 s and return 77 rows." in html
    finally:
        app.state.holder.close()


def test_cors_preflight_allows_any_header(app):
    status, headers, _ = call(app, "/sparql", method="OPTIONS", headers={
        "origin": "https://x.org", "access-control-request-method": "GET", "access-control-request-headers": "x-any"})
    assert status == 200 and headers["access-control-allow-headers"].lower().endswith("x-any")


def test_lifespan_shutdown_closes_the_store(store_path):
    app = make_app(store_path, base=B)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    anyio.run(app, {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert app.state.holder._current[0].store is None


def test_the_dataset_description_dereferences(app):
    """publishing.md: every IRI ngograph mints answers. The description's resources (the dataset, the catalogue,
    a distribution, the SPARQL service) answer with the whole description; /.well-known/void too (VoID 7.2)."""
    import pyoxigraph as ox

    status, headers, body = call(app, "/id/dataset", headers={"accept": "text/turtle"})
    assert (status, headers["content-type"], vary(headers)) == (200, "text/turtle; charset=utf-8", ["Accept", "Origin"])
    triples = [q.triple for q in ox.parse(body, ox.RdfFormat.TURTLE)]
    dataset = ox.NamedNode(f"{B}dataset")
    assert ox.Triple(dataset, ox.NamedNode(str(RDF.type)), ox.NamedNode("http://rdfs.org/ns/void#Dataset")) in triples
    for path in ("/id/catalog", "/id/sparql-service", "/id/distribution/ngograph.nt.gz", "/id/dataset/curated"):
        assert call(app, path + ".nt")[::2] == (200, call(app, "/id/dataset.nt")[2]), path
    status, headers, body = call(app, "/.well-known/void")
    assert (status, headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    assert {q.triple for q in ox.parse(body, ox.RdfFormat.TURTLE)} == set(triples)
    assert call(app, "/.well-known/void", headers={"accept": "application/n-triples"})[1]["content-type"] == \
        "application/n-triples"
    # a type it cannot give: 406, as for a resource (it was Turtle all the same); a browser's */* gets Turtle
    assert call(app, "/.well-known/void", headers={"accept": "image/png"})[0] == 406
    assert call(app, "/.well-known/void", headers={"accept": "text/html,*/*;q=0.8"})[1]["content-type"].startswith(
        "text/turtle")
    status, headers, page = call(app, "/id/dataset")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert b"http://rdfs.org/ns/void#triples" in page and f"<h1>{B}dataset</h1>".encode() in page
    assert call(app, "/id/no-such-thing")[0] == 404


@pytest.mark.parametrize("ext,fmt", [("jsonld", "JSON_LD"), ("rdf", "RDF_XML"), ("nt", "N_TRIPLES")])
def test_the_description_in_every_rdf_format(app, ext, fmt):
    import pyoxigraph as ox

    turtle = {q.triple for q in ox.parse(call(app, "/id/dataset.ttl")[2], ox.RdfFormat.TURTLE)}
    status, _, body = call(app, f"/id/catalog.{ext}")
    assert status == 200 and {q.triple for q in ox.parse(body, getattr(ox.RdfFormat, fmt))} == turtle


@pytest.mark.parametrize("path,accept,name,media", [
    ("/def", "text/turtle", "ngograph.ttl", "text/turtle; charset=utf-8"),
    ("/def", None, "index.html", "text/html; charset=utf-8"),
    ("/def", "application/ld+json", "ngograph.jsonld", "application/ld+json"),
    (f"/def/{__version__}", "application/rdf+xml", "ngograph.rdf", "application/rdf+xml"),  # owl:versionIRI
    ("/shapes", "text/turtle", "shapes.ttl", "text/turtle; charset=utf-8"),
    ("/shapes", "text/html", "shapes.html", "text/html; charset=utf-8"),
    ("/context.jsonld", None, "context.jsonld", "application/ld+json"),
    ("/def/vocab/index.html", None, "vocab/index.html", "text/html; charset=utf-8"),
    ("/def/ngograph.nt", "text/html", "ngograph.nt", "application/n-triples"),
])
def test_the_vocabulary_is_served_as_ngograph_docs_writes_it(app, path, accept, name, media):
    """publishing.md: the w3id rules may point at `ngograph serve`; every ngo: term must answer there."""
    from ngograph.publish.docs import docs_files

    status, headers, body = call(app, path, headers={"accept": accept} if accept else None)
    assert (status, headers["content-type"], body) == (200, media, docs_files()[name])
    if path in ("/def", "/shapes", f"/def/{__version__}"):
        assert vary(headers) == ["Accept", "Origin"]


def test_the_version_iri_served_is_the_ontologys():
    from rdflib import OWL, Graph, URIRef

    from ngograph.publish.docs import ONTOLOGY_IRI
    from ngograph.resources import ONTOLOGY_FILE

    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    assert onto.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{__version__}")


def test_unknown_vocabulary_files_and_types(app):
    assert call(app, "/def/nothing.html")[0] == 404
    assert call(app, "/def/0.0.0")[0] == 404
    assert call(app, "/shapes", headers={"accept": "application/n-triples"})[0] == 406


@contextmanager
def app_with(tmp_path, more_nt: str):
    """The server of the tiny store with ``more_nt`` besides, closed after use."""
    path = tmp_path / "store"
    write_store(path, NT + more_nt.encode())
    app = make_app(path, base=B)
    try:
        yield app
    finally:
        app.state.holder.close()


def test_rdfxml_answers_keep_a_carriage_return_and_refuse_what_rdfxml_cannot_hold(tmp_path):
    """Resource pages and CONSTRUCT answers write RDF/XML as the dumps do (ngograph.rdf.serialize.write_rdfxml)."""
    with app_with(tmp_path, f'<{P}> <{SCHEMA.description}> "one\\r\\ntwo" .\n'
                            f'<{B}organisation/a%20b> <http://e.org/p/1> "x" .\n') as app:
        status, headers, body = call(app, "/id/project/p.rdf")
        assert status == 200 and b"one&#13;\ntwo" in body and b"\r" not in body and body.endswith(b"</rdf:RDF>\n")
        status, headers, body = call(app, "/id/organisation/a%20b.rdf")
        assert status == 406 and body.startswith(b"not acceptable: RDF/XML cannot name the predicate "
                                                 b"<http://e.org/p/1> (of <https://e.org/id/organisation/a%20b>)")
        assert call(app, "/id/organisation/a%20b.ttl")[0] == 200
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        status, headers, body = sparql(app, construct, "application/rdf+xml")
        assert status == 406 and b"RDF/XML cannot name the predicate <http://e.org/p/1>" in body
        status, headers, body = sparql(app, f"CONSTRUCT {{ <{P}> ?p ?o }} WHERE {{ <{P}> ?p ?o }}", "application/rdf+xml")
        assert status == 200 and b"one&#13;\ntwo" in body


def test_xml_results_keep_a_carriage_return_and_refuse_what_xml_cannot_hold(tmp_path):
    import xml.etree.ElementTree as ET

    with app_with(tmp_path, f'<{P}> <{SCHEMA.description}> "one\\r\\ntwo"@en .\n'
                            f'<{P}> <{SCHEMA.disambiguatingDescription}> "bell\\u0007" .\n') as app:
        q = f"SELECT ?o WHERE {{ <{P}> <{SCHEMA.description}> ?o }}"
        status, _, body = sparql(app, q, "application/sparql-results+xml")
        assert status == 200 and b"one&#13;\ntwo" in body and b"\r" not in body
        literal = ET.fromstring(body).find(".//{http://www.w3.org/2005/sparql-results#}literal")
        assert literal.text == "one\r\ntwo"  # as an XML reader reads it back
        q = f"SELECT ?o WHERE {{ <{P}> <{SCHEMA.disambiguatingDescription}> ?o }}"
        status, _, body = sparql(app, q, "application/sparql-results+xml")
        assert (status, body) == (406, b"not acceptable: the results hold the character U+0007, which XML 1.0 cannot "
                                       b"hold: ask for JSON, CSV or TSV\n")
        status, _, body = sparql(app, q, "application/sparql-results+json")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["o"]["value"] == "bell\x07"


def test_a_pages_jsonld_is_laid_out_as_json_dumps_and_holds_the_pages_triples(store_path):
    text = page_bytes(store_path, P, "jsonld").decode("utf-8")
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    triples = {str(t) for t in ox.parse(text.encode(), ox.RdfFormat.JSON_LD)}  # its context is in the file
    assert triples == {str(t) for t in ox.parse(page_bytes(store_path, P, "nt"), ox.RdfFormat.N_TRIPLES)}
    assert len(triples) > 3


def test_an_error_while_the_rows_are_read_is_an_answer_not_a_crash(app, monkeypatch):
    """The engine evaluates as the rows are read: a failure then (a remote SERVICE that stops answering, before
    SERVICE was refused) is a 500 with the engine's message, as one at the start is, not an unhandled error."""
    from ngograph.store.embedded import ReadOnlyStore

    class FailingRows:
        variables = [ox.Variable("s")]

        def __iter__(self):
            yield {"s": ox.NamedNode(P)}
            raise RuntimeError("the service stopped answering")

    monkeypatch.setattr(ReadOnlyStore, "query", lambda self, *args, **kwargs: FailingRows(), raising=False)
    status, headers, body = sparql(app, "SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
    assert (status, body) == (500, b"the query failed: the service stopped answering\n")


def test_dumps_are_served_from_the_folder_given_and_nothing_else(store_path, tmp_path):
    """The dataset description names the dumps at {root}dumps/FILE (void:dataDump, dcat:downloadURL): a server
    started with --dumps DIR answers there; one without says why it has none."""
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "ngograph.nt.gz").write_bytes(b"\x1f\x8b not really")
    (folder / "ngograph.nt.gz.meta.json").write_text('{"triples": 7}')
    (folder / "ngograph.ttl").write_text("@prefix x: <urn:x:> .\n")
    (folder / ".hidden").write_text("no")
    (folder / "sub").mkdir()
    (folder / "sub" / "x.nt").write_text("no")
    (tmp_path / "secret.txt").write_text("no")
    app = make_app(store_path, base=B, dumps=folder)
    try:
        status, headers, body = call(app, "/dumps/ngograph.nt.gz")
        assert (status, headers["content-type"], body) == (200, "application/gzip", b"\x1f\x8b not really")
        status, headers, body = call(app, "/dumps/ngograph.nt.gz.meta.json")
        assert (status, headers["content-type"], body) == (200, "application/json", b'{"triples": 7}')
        assert call(app, "/dumps/ngograph.ttl")[1]["content-type"].startswith("text/turtle")
        for refused in ("/dumps/.hidden", "/dumps/sub/x.nt", "/dumps/../secret.txt", "/dumps/%2E%2E/secret.txt",
                        "/dumps/none.nt", "/dumps/sub"):
            assert call(app, refused)[0] == 404, refused
    finally:
        app.state.holder.close()
    status, _, body = call(make_app(store_path, base=B), "/dumps/ngograph.nt.gz")
    assert status == 404 and b"started without --dumps DIR" in body


def test_the_not_found_page_links_back_from_where_it_was_asked(app):
    status, _, body = call(app, "/id/project/nonexistent")
    assert status == 404
    assert b'href="../../style.css"' in body and b'href="../../index.html"' in body
    status, _, body = call(app, "/nothing.html")
    assert status == 404 and b'href="style.css"' in body


def test_a_negotiated_answer_names_its_file_and_the_others(app):
    """RFC 9110 8.7 Content-Location, RFC 8288 Link rel=alternate: the thing's IRI answered with Turtle says which
    document that is (x.ttl, beside it) and where the other formats are."""
    status, headers, body = call(app, "/id/project/p", headers={"accept": "text/turtle"})
    assert (status, headers["content-location"]) == (200, "p.ttl")
    assert headers["link"] == ('<p.html>; rel="alternate"; type="text/html", '
                               '<p.jsonld>; rel="alternate"; type="application/ld+json", '
                               '<p.nt>; rel="alternate"; type="application/n-triples", '
                               '<p.rdf>; rel="alternate"; type="application/rdf+xml"')
    assert call(app, "/id/project/p", query={"format": "nt"})[1]["content-location"] == "p.nt"
    assert call(app, "/id/organisation/a%20b")[1]["content-location"] == "a%20b.html"  # as the IRI escapes it
    status, headers, _ = call(app, "/id/project/p.ttl")  # a file asked for by name: no negotiation, nothing to name
    assert status == 200 and "content-location" not in headers and "link" not in headers


def test_conditional_requests_by_etag(app, store_path, tmp_path):
    """A store folder never changes, so an answer's ETag holds while it is served: a client that has it gets 304."""
    status, headers, body = call(app, "/id/project/p.ttl")
    etag = headers["etag"]
    assert status == 200 and body and len(etag) == 34 and etag.startswith('"') and etag.endswith('"')
    assert call(app, "/id/project/p.ttl", headers={"if-none-match": etag})[:3:2] == (304, b"")
    assert call(app, "/id/project/p.ttl", headers={"if-none-match": f'"x", W/{etag}'})[0] == 304
    assert call(app, "/id/project/p.ttl", headers={"if-none-match": "*"})[0] == 304
    assert call(app, "/id/project/p.ttl", headers={"if-none-match": '"other"'})[0] == 200
    others = {call(app, path)[1]["etag"] for path in ("/id/project/p.nt", "/id/project/p", "/id/organisation/a%20b.ttl")}
    assert len(others) == 3 and etag not in others  # another format or resource: another tag
    assert call(app, "/id/project/p", headers={"accept": "text/turtle"})[1]["etag"] == etag  # the same bytes
    with app_with(tmp_path, "") as other:  # another store folder (a build or import): another tag, same bytes
        status, headers2, body2 = call(other, "/id/project/p.ttl")
        assert (status, body2) == (200, body) and headers2["etag"] != etag
    assert call(app, "/id/project/none.ttl", headers={"if-none-match": "*"})[0] == 404


def test_the_endpoint_describes_itself_to_a_machine(app):
    """SPARQL 1.1 Service Description 2: the endpoint's URL asked for RDF without a query gives an sd:Service; a
    browser still gets the query page."""
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("http://testserver/sparql")
    for media, fmt in [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                       ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)]:
        status, headers, body = call(app, "/sparql", headers={"accept": media})
        assert (status, headers["content-type"].split(";")[0]) == (200, media)
        triples = {q.triple for q in ox.parse(body, fmt)}
        assert ox.Triple(endpoint, ox.NamedNode(str(RDF.type)), ox.NamedNode(sd + "Service")) in triples
        assert ox.Triple(endpoint, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")) in triples
        assert len({t.object for t in triples if t.predicate == ox.NamedNode(sd + "resultFormat")}) == 8
        assert "Accept" in vary(headers)
    status, headers, body = call(app, "/sparql", headers={"accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<form" in body
    # nothing it can give (results need a query): the page, as before
    assert call(app, "/sparql", headers={"accept": "application/sparql-results+json"})[1]["content-type"].startswith(
        "text/html")


def test_a_query_past_its_timeout_keeps_its_place_until_it_ends(store_path):
    """The engine cannot be stopped: a query answered 503 at its timeout runs on in its thread. With one place
    (max_queries=1) another query meanwhile is refused at once (503, Retry-After), not run beside it on another
    core; once the first ends, queries run again."""
    app = make_app(store_path, base=B, timeout=0.3, max_queries=1)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?a{j} ?b{j} ?c{j}" for j in range(8)) + " }"  # 7^8 rows
    try:
        status, _, body = sparql(app, slow, "text/csv")
        assert (status, body) == (503, b"the query did not finish within 0.3 s\n")
        status, headers, body = sparql(app, "ASK {}", "text/csv")
        assert (status, headers["retry-after"], body) == (503, "10", b"busy: 1 queries are running; ask again later\n")
        for _ in range(300):  # the slow query ends within seconds
            status = sparql(app, "ASK {}", "text/csv")[0]
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200
    finally:
        app.state.holder.close()


def test_an_escaped_unreserved_character_names_what_the_character_names(app):
    """RFC 3986 6.2.2.2: %70 is p, %2D is -; ngograph mints no such escape, so the path with it was a 404."""
    status, _, body = call(app, "/id/project/%70.ttl")
    assert (status, body) == (200, call(app, "/id/project/p.ttl")[2])
    assert call(app, "/id/%70roject/p")[0] == 200
    assert call(app, "/id/organisation/a%20b.ttl")[0] == 200  # a space stays escaped
    assert call(app, "/id/project/%2E%2E/p")[0] == 404  # a dot segment, escaped or not, names nothing


def test_content_location_of_a_segment_with_a_colon_is_relative(tmp_path):
    """RFC 3986 4.2: urn:x:1.ttl would be read as an absolute URI of the scheme urn; ./urn:x:1.ttl is the file."""
    with app_with(tmp_path, f'<{B}organisation/urn:x:1> <{RDFS.label}> "U" .\n') as app:
        status, headers, _ = call(app, "/id/organisation/urn:x:1", headers={"accept": "text/turtle"})
        assert (status, headers["content-location"]) == (200, "./urn:x:1.ttl")
        assert headers["link"].startswith('<./urn:x:1.html>; rel="alternate"')


def test_the_service_description_by_hand():
    """Every statement of the endpoint's description, written out (SPARQL 1.1 Service Description, W3C formats)."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from ngograph.publish.serve import service_description

    e = "http://127.0.0.1:8080/sparql"
    expected = Graph().parse(data=f"""
        @prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
        @prefix formats: <http://www.w3.org/ns/formats/> .
        <{e}> a sd:Service ; sd:endpoint <{e}> ; sd:supportedLanguage sd:SPARQL11Query ;
            sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] ;
            <http://purl.org/dc/terms/title>
                "ngograph SPARQL endpoint (read-only; the published graph as the default graph)"@en ;
            sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
                formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD, formats:RDF_XML .
        """, format="turtle")
    for ext, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
        body = service_description(e, ext)
        got = Graph().parse(data=body.decode(), format=fmt)
        assert isomorphic(got, expected), ext
        assert len({q.subject for q in ox.parse(body, {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                                                         "jsonld": ox.RdfFormat.JSON_LD,
                                                         "rdf": ox.RdfFormat.RDF_XML}[ext])
                    if isinstance(q.subject, ox.BlankNode)}) == 2, ext  # the dataset and its graph: two nodes
    turtle = service_description(e, "ttl").decode()
    assert "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> ." in turtle
    assert "@prefix formats: <http://www.w3.org/ns/formats/> ." in turtle and "sd:Service" in turtle
    assert "@prefix" not in service_description(e, "nt").decode()
    assert 'xmlns:sd="http://www.w3.org/ns/sparql-service-description#"' in service_description(e, "rdf").decode()
