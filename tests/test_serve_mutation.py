"""The server (ngograph/publish/serve.py), called in this process through its ASGI interface:
behaviours a mutation run showed were not pinned (issue 14): content negotiation and its
refusals, the SPARQL 1.1 Protocol's ways of sending a query, the result formats, status codes
and headers. One tiny store written by hand; every expected value written out by hand."""

from __future__ import annotations

import json
import os
import urllib.parse

import anyio
import pyoxigraph as ox
import pytest

import ngograph.publish.serve as serve_module
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import Paths, make_page, rdf_bytes, render_page
from ngograph.publish.serve import _Answers, _boolean, _Form, _pick, _results, make_app
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
      f'<{P}> <urn:x:n> "7"^^<{XSD_INT}> .\n').encode()
HIDDEN = f'<{P}> <urn:x:hidden> "build graph" .\n'.encode()  # in the build graph: not published


def call(app, path: str, *, method: str = "GET", query: dict | list | None = None, body: bytes = b"",
         headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request through the ASGI app, in this process: (status, headers, body)."""
    sent: list[dict] = []
    received = []

    async def receive():
        if received:
            return {"type": "http.disconnect"}
        received.append(1)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

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
                           "2 resources (")
    assert line.endswith(" s)")


def test_cors_header(app):
    status, headers, _ = call(app, "/id/project/p.nt", headers={"origin": "https://x.org"})
    assert (status, headers["access-control-allow-origin"]) == (200, "*")
    status, headers, _ = call(app, "/sparql", method="OPTIONS", headers={
        "origin": "https://x.org", "access-control-request-method": "POST"})
    assert status == 200 and headers["access-control-allow-methods"] == "GET, POST"
    status, headers, _ = call(app, "/sparql", method="OPTIONS", headers={
        "origin": "https://x.org", "access-control-request-method": "PUT"})
    assert status == 400
