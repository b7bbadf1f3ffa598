"""`ngograph serve` as a real process on 127.0.0.1: content negotiation, the SPARQL 1.1 Protocol
(SPARQLWrapper and rdflib's SPARQLStore give the embedded store's rows), refusals, and a server
that keeps answering while `ngograph build` replaces the store."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SDO
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.queries.library import bind_params, list_queries, run
from ngograph.rdf.sparql import inline_bindings
from ngograph.runtime import allocator_library
from ngograph.store.backends import Embedded, to_python
from ngograph.store.embedded import write_store

from conftest import BASE
from servers import free_port, running
from test_queries import table

NGOGRAPH = str(Path(sys.executable).parent / "ngograph")
PROJECT = BASE + "project/red-cross-family-inclusion"


@contextmanager
def ngograph_serve(store: Path, log: Path, *args: str):
    """A real `ngograph serve` on a free port; yields its URL and pid."""
    url = f"http://127.0.0.1:{(port := free_port())}"
    with running([NGOGRAPH, "serve", "--store", str(store), "--port", str(port), *args],
                 f"{url}/sparql?query=ASK%7B%7D", log, timeout=30) as proc:
        yield url, proc.pid


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    with ngograph_serve(seed_store, tmp_path_factory.mktemp("serve") / "log", "--max-rows", "500", "--workers", "2") as (url, _):
        yield url


def get(url: str, accept: str | None = None, data: bytes | None = None, ctype: str | None = None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if ctype:
        request.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.mark.parametrize("accept,media,fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("text/html;q=0.5, text/turtle", "text/turtle", "turtle"),
])
def test_resource_iri_answers_each_rdf_type(server, seed_graph, accept, media, fmt):
    status, headers, body = get(f"{server}/id/project/red-cross-family-inclusion", accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    g = Graph().parse(data=body, format=fmt)
    assert set(seed_graph.triples((URIRef(PROJECT), None, None))) <= set(g)
    assert (URIRef(PROJECT), RDF.type, SDO.Project) in g


@pytest.mark.parametrize("accept", [None, "text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "*/*"])
def test_browsers_get_the_page(server, accept):
    status, headers, body = get(f"{server}/id/project/red-cross-family-inclusion", accept)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<title>Social integration and meaningful participation" in body
    assert b'href="../organisation/danish-red-cross.html"' in body


def test_format_parameter_and_file_names(server):
    status, headers, body = get(f"{server}/id/organisation/latvian-red-cross?format=nt", "text/html")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert f"<{BASE}organisation/latvian-red-cross> <{RDF.type}> <{SDO.NGO}> .".encode() in body
    status, headers, _ = get(f"{server}/id/organisation/latvian-red-cross.ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, body = get(f"{server}/country/LVA.html")
    assert status == 200 and b"Latvija" in body


def test_unknown_iri_is_404_and_unknown_type_406(server):
    assert get(f"{server}/id/project/no-such-project", "text/turtle")[0] == 404
    assert get(f"{server}/elsewhere/x")[0] == 404
    status, headers, _ = get(f"{server}/id/project/red-cross-family-inclusion", "image/png")
    assert status == 406 and "Accept" in headers["Vary"]
    assert get(f"{server}/id/project/red-cross-family-inclusion?format=pdf")[0] == 406


def test_index_pages_and_query_page(server):
    for name in ("", "countries.html", "funders.html", "years.html", "sources.html", "search.html", "style.css",
                 "search-index.js"):
        assert get(f"{server}/{name}")[0] == 200, name
    status, _, body = get(f"{server}/sparql", "text/html")
    assert status == 200 and b"project-partners" in body and b"<textarea" in body


def wrapper_rows(url: str, text: str) -> list[dict]:
    sw = SPARQLWrapper(f"{url}/sparql")
    sw.setQuery(text)
    sw.setReturnFormat(JSON)
    doc = sw.query().convert()
    return [{v: to_python({"typed-literal": "literal"}.get(b[v]["type"], b[v]["type"]), b[v]["value"],
                          b[v].get("datatype"), b[v].get("xml:lang")) if v in b else None for v in doc["head"]["vars"]}
            for b in doc["results"]["bindings"]]


def rdflib_value(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        return to_python("literal", str(term), str(term.datatype) if term.datatype else None, term.language)
    return str(term)


def test_sparqlwrapper_and_sparqlstore_give_the_embedded_rows(server, seed_store):
    embedded = Embedded(seed_store)
    store = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    queries = list_queries()
    assert len(queries) >= 15
    for q in queries:
        expected = run(q, embedded)
        text = inline_bindings(q.text, bind_params(q, {}, BASE))
        got = wrapper_rows(server, text)
        assert table(got, *expected.variables) == table(expected, *expected.variables), q.name
        result = store.query(text)
        got = [{v: rdflib_value(row[v]) for v in expected.variables} for row in result]
        assert table(got, *expected.variables) == table(expected, *expected.variables), q.name


def test_protocol_forms_and_result_formats(server):
    query = "SELECT ?p WHERE { ?p a <https://schema.org/Project> } ORDER BY ?p LIMIT 2"
    form = urllib.parse.urlencode({"query": query}).encode()
    status, headers, body = get(f"{server}/sparql", "text/csv", form, "application/x-www-form-urlencoded")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == "p"
    status, headers, body = get(f"{server}/sparql", "text/tab-separated-values", query.encode(),
                                "application/sparql-query")
    assert status == 200 and body.decode().splitlines()[1].startswith(f"<{BASE}project/")
    status, headers, body = get(f"{server}/sparql?query={urllib.parse.quote(query)}", "application/sparql-results+xml")
    assert status == 200 and body.count(b"<result>") == 2
    status, _, body = get(f"{server}/sparql?query={urllib.parse.quote('ASK { ?s ?p ?o }')}")
    assert status == 200 and body == b'{"head": {}, "boolean": true}'
    construct = urllib.parse.quote(f"DESCRIBE <{PROJECT}>")
    for media, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                       ("application/n-triples", "nt")):
        status, headers, body = get(f"{server}/sparql?query={construct}", media)
        assert status == 200 and headers["Content-Type"].startswith(media)
        assert (URIRef(PROJECT), RDF.type, SDO.Project) in Graph().parse(data=body, format=fmt)


def test_refusals_caps_and_cors(server):
    update = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert get(f"{server}/sparql", None, update, "application/x-www-form-urlencoded")[0] == 403
    assert get(f"{server}/sparql", None, b"DROP ALL", "application/sparql-update")[0] == 403
    for text in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "LOAD <http://example.org/x>",
                 "SELECT * WHERE {", "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"):
        status, _, body = get(f"{server}/sparql?query={urllib.parse.quote(text)}")
        assert status == 400, text
    assert get(f"{server}/sparql?query=ASK%7B%7D&query=ASK%7B%7D")[0] == 400
    status, headers, body = get(f"{server}/sparql?query={urllib.parse.quote('SELECT * { ?s ?p ?o }')}", "text/csv")
    assert status == 200 and len(body.decode().splitlines()) == 501 and headers["X-Ngograph-Truncated"] == "500"
    request = urllib.request.Request(f"{server}/sparql?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_serve_without_the_extra_says_what_to_install(monkeypatch, seed_store, capsys):
    monkeypatch.setitem(sys.modules, "ngograph.publish.serve", None)
    assert main(["serve", "--store", str(seed_store)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install -e '.[serve]' in a checkout" in err[0]


def test_server_keeps_answering_while_a_build_replaces_the_store(tmp_path):
    store = tmp_path / "store"
    env = {**os.environ, "NGOGRAPH_STORE": str(store)}
    subprocess.run([NGOGRAPH, "build"], env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)
    first = os.path.realpath(store)
    with ngograph_serve(store, tmp_path / "log") as (url, pid):
        answers, stop = [], threading.Event()

        def ask():
            while not stop.is_set():
                answers.append(get(f"{url}/id/project/red-cross-family-inclusion", "application/n-triples")[0])
                answers.append(get(f"{url}/sparql?query=ASK%7B%3Fs%20a%20%3Chttps%3A%2F%2Fschema.org%2FProject%3E%7D")[0])

        clients = [threading.Thread(target=ask) for _ in range(2)]
        for c in clients:
            c.start()
        subprocess.run([NGOGRAPH, "build"], env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)
        second = os.path.realpath(store)
        time.sleep(1)
        stop.set()
        for c in clients:
            c.join()
        assert second != first
        assert len(answers) > 20 and set(answers) == {200}
        held = {os.path.realpath(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        assert os.path.join(second, "ngograph.lock") in held  # the server reads the new store now
        assert os.path.join(first, "ngograph.lock") not in held  # and let the old one go
        # the next build removes the old store, which nobody holds any more
        subprocess.run([NGOGRAPH, "build"], env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)
        assert not os.path.exists(first)
        assert get(f"{url}/id/project/red-cross-family-inclusion", "text/turtle")[0] == 200


def test_a_query_past_the_timeout_gets_503(seed_store, tmp_path):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 9,000 cubed
    with ngograph_serve(seed_store, tmp_path / "log", "--timeout", "1") as (url, pid):
        allocator = allocator_library(os.environ) if sys.platform.startswith("linux") else None
        if allocator is not None:  # the real command, started again on the allocator (ngograph.runtime): the same pid
            assert os.path.realpath(allocator) in Path(f"/proc/{pid}/maps").read_text()
        status, _, body = get(f"{url}/sparql?query={urllib.parse.quote(endless)}")
        assert status == 503 and b"did not finish within 1 s" in body
        assert get(f"{url}/id/project/red-cross-family-inclusion", "text/turtle")[0] == 200  # still answering


ESCAPED_NT = (f'<{BASE}organisation/dk-cvr/1%20HP> <{RDF.type}> <{SDO.Organization}> .\n'
              f'<{BASE}organisation/dk-cvr/1%20HP> <http://www.w3.org/2000/01/rdf-schema#label> "One HP" .\n'
              f'<{BASE}project/iati/XI-EC-2016%2F375> <{RDF.type}> <{SDO.Project}> .\n'
              f'<{BASE}project/iati/XI-EC-2016%2F375> <{SDO.member}> <{BASE}organisation/dk-cvr/1%20HP> .\n').encode()


def test_iris_with_percent_escapes_are_served_as_written(tmp_path):
    write_store(tmp_path / "store", ESCAPED_NT)
    with ngograph_serve(tmp_path / "store", tmp_path / "log") as (url, _):
        status, _, body = get(f"{url}/id/project/iati/XI-EC-2016%2F375", "text/html")
        assert status == 200 and b'<a href="../../organisation/dk-cvr/1%20HP.html">One HP</a>' in body
        status, _, body = get(f"{url}/id/organisation/dk-cvr/1%20HP.nt")
        assert status == 200 and f"<{BASE}organisation/dk-cvr/1%20HP>".encode() in body
        assert get(f"{url}/id/project/iati/XI-EC-2016/375", "text/html")[0] == 404  # another IRI
