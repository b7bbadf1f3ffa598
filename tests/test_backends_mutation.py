"""Mutation tests of ngograph/store/backends.py (issue 14): the value conversions, row caps,
chunks, time-outs, sizes, the query errors of each backend, and the Remote backend's parsing,
authentication and HTTP answers against in-process servers. Tiny inputs, exact outputs."""

from __future__ import annotations

import base64
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ngograph.errors import ConfigError, EndpointError, QueryError, QueryTimeout, StoreError
from ngograph.store import backends as B
from ngograph.store.backends import Embedded, InMemory, Remote, Rows

from servers import broken_server, free_port, raw_server

X = "http://www.w3.org/2001/XMLSchema#"
INT = X + "integer"


# ---------------------------------------------------------------------------- values

@pytest.mark.parametrize("args,value", [
    (("bnode", "b1"), "_:b1"), (("uri", "https://e.org/x", INT), "https://e.org/x"),
    (("literal", "7", INT, "en"), "7"), (("literal", "7", X + "unsignedByte"), 7), (("literal", "-3", X + "long"), -3),
    (("literal", "92.07", X + "decimal"), Decimal("92.07")), (("literal", "1.5", X + "double"), 1.5),
    (("literal", "2.5", X + "float"), 2.5), (("literal", "true", X + "boolean"), True),
    (("literal", "1", X + "boolean"), True), (("literal", "false", X + "boolean"), False),
    (("literal", "0", X + "boolean"), False), (("literal", "2020-01-02", X + "date"), "2020-01-02"),
    (("literal", "12"), "12"), (("typed-literal", "12", INT), "12")])
def test_to_python(args, value):
    got = B.to_python(*args)
    assert got == value and type(got) is type(value)


def test_rows():
    rows = Rows([{"a": 1}], ("a", "b"))
    assert list(rows) == [{"a": 1}] and rows.variables == ["a", "b"] and rows.truncated is False
    assert Rows().variables == [] and Rows(truncated=True).truncated is True


def test_collect_caps_the_rows():
    sols = [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5, "b": 6}]
    get = lambda s, v: s[v] * 10  # noqa: E731
    all_ = B._collect(iter(sols), ["b", "a"], get, None)
    assert list(all_) == [{"b": 20, "a": 10}, {"b": 40, "a": 30}, {"b": 60, "a": 50}]
    assert all_.variables == ["b", "a"] and all_.truncated is False
    two = B._collect(iter(sols), ["a"], get, 2)
    assert list(two) == [{"a": 10}, {"a": 30}] and two.truncated is True and two.variables == ["a"]
    three = B._collect(iter(sols), ["a"], get, 3)
    assert len(three) == 3 and three.truncated is False
    none = B._collect(iter(sols), ["a"], get, 0)
    assert list(none) == [] and none.truncated is True
    by_values = B._collect(iter([[1, 2]]), ["x", "y"], None, None, values=lambda v: v)
    assert list(by_values) == [{"x": 1, "y": 2}]


def test_collect_reads_no_more_than_one_row_past_the_cap():
    taken = []

    def solutions():
        for i in range(100):
            taken.append(i)
            yield {"a": i}

    B._collect(solutions(), ["a"], lambda s, v: s[v], 2)
    assert taken == [0, 1, 2]


def test_from_ox():
    lit = lambda v, t: ox.Literal(v, datatype=ox.NamedNode(X + t))  # noqa: E731
    got = [B._from_ox(t) for t in (ox.NamedNode("https://e.org/x"), None, ox.BlankNode("b1"),
                                   ox.Literal("7", language="en"), lit("7", "integer"), lit("7", "unsignedShort"),
                                   lit("1.50", "decimal"), lit("2.5", "double"), lit("0.5", "float"),
                                   lit("true", "boolean"), lit("0", "boolean"), lit("2020-01-02", "date"),
                                   ox.Literal("plain"))]
    assert got == ["https://e.org/x", None, "_:b1", "7", 7, 7, Decimal("1.50"), 2.5, 0.5, True, False, "2020-01-02",
                   "plain"]
    assert [type(v) for v in got[4:10]] == [int, int, Decimal, float, float, bool]


def test_from_rdflib():
    got = [B._from_rdflib(t) for t in (None, URIRef("https://e.org/x"), BNode("b1"), Literal("7", datatype=XSD.integer),
                                        Literal("7", lang="lv"), Literal("x"), Literal("2.5", datatype=XSD.double))]
    assert got == [None, "https://e.org/x", "_:b1", 7, "7", "x", 2.5]


# ---------------------------------------------------------------------------- threads and time-outs

def test_run_without_timeout_runs_here():
    assert B._run(threading.get_ident, None, "x") == threading.get_ident()


def test_run_with_a_timeout_runs_on_a_worker_and_reuses_it():
    first = B._run(threading.get_ident, 5, "x")
    assert first != threading.get_ident()
    assert B._run(threading.get_ident, 5, "x") == first
    with pytest.raises(KeyError, match="k"):
        B._run(lambda: {}["k"], 5, "x")
    assert B._run(lambda: 42, 5, "x") == 42


def test_run_times_out_and_abandons_the_worker():
    release = threading.Event()
    first = B._run(threading.get_ident, 5, "x")
    with pytest.raises(QueryTimeout) as err:
        B._run(lambda: release.wait(10), 0.05, "the query on the moon")
    assert str(err.value) == "the query on the moon did not finish within 0.05 s (raise --timeout, or narrow the query)"
    second = B._run(threading.get_ident, 5, "x")
    release.set()
    assert second != first  # a fresh worker


def test_worker_loop_ends_when_abandoned():
    worker = B._Worker()
    done = threading.Event()
    box = {}
    worker.abandoned = True
    worker.jobs.put((lambda: 1, box, done))
    assert done.wait(5) and box == {"value": 1}
    threads = [t for t in threading.enumerate() if t.name == "ngograph-query"]
    assert all(t.daemon for t in threads)


@pytest.mark.parametrize("seconds", [0, -1, float("inf"), float("nan")])
def test_check_timeout_refuses(seconds):
    with pytest.raises(QueryError) as err:
        B._check_timeout(seconds)
    assert str(err.value) == f"timeout {seconds!r}: give a finite number of seconds above 0, or None to wait"


def test_check_timeout_accepts():
    assert B._check_timeout(None) is None and B._check_timeout(0.001) is None


def test_deadline():
    d = B._Deadline(30, "the push")
    assert 29 < d.left() <= 30 and d.seconds == 30 and d.what == "the push"
    assert str(d.expired()) == "the push did not finish within 30 s (raise --timeout)"
    assert isinstance(d.expired(), QueryTimeout)
    d.end -= 100
    assert d.left() == 0.0
    with pytest.raises(QueryError):
        B._Deadline(0, "x")


@pytest.mark.parametrize("code,text", [(-9, "SIGKILL"), (-6, "SIGABRT"), (-200, "signal 200"), (3, "exit code 3"),
                                       (0, "exit code 0"), (None, "exit code None")])
def test_exit_text(code, text):
    assert B._exit_text(code) == text


# ---------------------------------------------------------------------------- sizes

@pytest.mark.parametrize("text,n", [("512M", 512 << 20), ("4G", 4 << 30), ("1.5GiB", 3 << 29), ("300MB", 300 << 20),
                                    ("2k", 2048), ("1t", 1 << 40), (" 4 g ", 4 << 30), ("8Mb", 8 << 20),
                                    ("3KiB", 3072)])
def test_parse_size(text, n):
    assert B.parse_size(text) == n


@pytest.mark.parametrize("text", ["4", "0M", "0.0G", "4X", "M", "-1G", "4 GB x", "1.G"])
def test_parse_size_refuses(text):
    with pytest.raises(ValueError) as err:
        B.parse_size(text)
    assert str(err.value) == f"{text!r} is not a size: write a number and a unit, e.g. 512M or 4G"


def test_format_size():
    assert [B.format_size(n) for n in (4 << 30, 1 << 30, (1 << 30) - (1 << 20), 300 << 20, 1536 << 20)] == [
        "4 GiB", "1 GiB", "1.02e+03 MiB", "300 MiB", "1.5 GiB"]


def test_max_memory(monkeypatch):
    monkeypatch.delenv("NGOGRAPH_MAX_MEMORY", raising=False)
    assert B.max_memory(12345) == 12345 and B.max_memory("2M") == 2 << 20
    pages = {"SC_PHYS_PAGES": 1000, "SC_PAGE_SIZE": 4 << 20}  # 4000 MiB of RAM: half is 2000 MiB
    monkeypatch.setattr(B.os, "sysconf", lambda name: pages[name])
    assert B.max_memory() == 2000 << 20
    pages["SC_PHYS_PAGES"] = 10_000  # 40000 MiB: capped at 4 GiB
    assert B.max_memory() == 4 << 30
    monkeypatch.setenv("NGOGRAPH_MAX_MEMORY", "1G")
    assert B.max_memory() == 1 << 30
    assert B.max_memory("3M") == 3 << 20  # the argument first
    monkeypatch.setenv("NGOGRAPH_MAX_MEMORY", "lots")
    with pytest.raises(ConfigError) as err:
        B.max_memory()
    assert str(err.value) == "NGOGRAPH_MAX_MEMORY: 'lots' is not a size: write a number and a unit, e.g. 512M or 4G"
    monkeypatch.setenv("NGOGRAPH_MAX_MEMORY", "")
    assert B.max_memory() == 4 << 30


# ---------------------------------------------------------------------------- the embedded store

QUADS = f"""
<urn:r1> <urn:n> "2"^^<{INT}> .
<urn:r2> <urn:n> "10"^^<{INT}> .
<urn:r3> <urn:n> "7"^^<{INT}> .
<urn:r4> <urn:n> "5"^^<{INT}> <https://e.org/dataset/b> .
<urn:r5> <urn:n> "1"^^<{INT}> <https://e.org/dataset/b> .
"""
ALL = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY ?n"


@pytest.fixture
def store():
    s = ox.Store()
    s.load(QUADS.encode(), ox.RdfFormat.N_QUADS)
    return s


def test_query_store_engine_errors_are_one_query_error():
    class Failing:  # a store whose engine fails while it runs the query (a read error, a corrupt file)
        def query(self, text, **kwargs):
            raise RuntimeError("disk gone")

    with pytest.raises(QueryError) as err:
        B._query_store(Failing(), "SELECT * WHERE { ?s ?p ?o }", None, None)
    assert str(err.value) == "the embedded store cannot run the query: disk gone"


def test_query_store_errors(store):
    with pytest.raises(QueryError) as err:
        B._query_store(store, "SELECT nonsense", None, None)
    # one line, the list of what was expected cut after 8 items (Oxigraph's runs to a dozen lines of Unicode ranges)
    assert str(err.value) == "not SPARQL: error at 1:16: expected DISTINCT"
    with pytest.raises(QueryError) as err:
        B._query_store(store, "SELECT * WHERE { ?s ?p \n", None, None)
    message = str(err.value)
    assert message.startswith('not SPARQL: error at 2:1: expected one of "$", ') and message.endswith(", ...")
    assert "\n" not in message and message.count(", ") == 8
    assert B._syntax_error(SyntaxError("")) == "syntax error"
    assert B._syntax_error(SyntaxError("unexpected end\nmore")) == "unexpected end"
    assert B._syntax_error(SyntaxError('error: expected one of "a", "b"'), shown=2) == 'error: expected one of "a", "b"'
    with pytest.raises(QueryError) as err:
        B._query_store(store, "ASK { ?s ?p ?o }", None, None)
    assert str(err.value) == "only SELECT queries return rows"
    with pytest.raises(QueryError) as err:
        B._query_store(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}, None)
    assert str(err.value) == "only SELECT queries return rows"


def test_query_store_binds_and_reads_the_graphs(store):
    sols = B._query_store(store, "SELECT ?n WHERE { ?r <urn:n> ?n }", {"r": URIRef("urn:r4")},
                          [ox.NamedNode("https://e.org/dataset/b")])
    assert [s["n"].value for s in sols] == ["5"]
    sols = B._query_store(store, "SELECT ?n WHERE { ?r <urn:n> ?n }", None, [ox.DefaultGraph()])
    assert sorted(s["n"].value for s in sols) == ["10", "2", "7"]


def test_select_store_sorts_and_caps(store):
    rows = B._select_store(store, ALL, None, None)
    assert [r["n"] for r in rows] == [1, 2, 5, 7, 10] and rows.variables == ["r", "n"] and not rows.truncated
    rows = B._select_store(store, "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)", None, 2)
    assert [r["n"] for r in rows] == [10, 7] and rows.truncated
    rows = B._select_store(store, ALL, None, None, ["curated"])
    assert [r["n"] for r in rows] == [2, 7, 10]
    rows = B._select_store(store, ALL, {"r": URIRef("urn:r5")}, None)
    assert list(rows) == [{"r": "urn:r5", "n": 1}]


def test_solutions_sorts_by_several_keys_the_last_first(store):
    store.load(f'<urn:r6> <urn:n> "7"^^<{INT}> .'.encode(), ox.RdfFormat.N_TRIPLES)
    text = "SELECT ?n ?r WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n) ?r"
    variables, rows = B._solutions(store, text, None, None)
    assert variables == ["n", "r"]
    assert list(rows) == [[10, "urn:r2"], [7, "urn:r3"], [7, "urn:r6"], [5, "urn:r4"], [2, "urn:r1"], [1, "urn:r5"]]
    text = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY ?n"  # by a variable it does not return: the engine sorts
    assert list(B._solutions(store, text, None, None)[1]) == [["urn:r5"], ["urn:r1"], ["urn:r4"], ["urn:r3"],
                                                              ["urn:r6"], ["urn:r2"]] or \
        list(B._solutions(store, text, None, None)[1])[0] == ["urn:r5"]


def test_solutions_with_known_graphs(store):
    variables, rows = B._solutions(store, ALL, None, None, [ox.NamedNode("https://e.org/dataset/b")])
    assert list(rows) == [["urn:r5", 1], ["urn:r4", 5]]


@pytest.mark.parametrize("size,max_rows,chunks", [
    (2, None, [([1, 2], False), ([5, 7], False), ([10], False)]),
    (5, None, [([1, 2, 5, 7, 10], False), ([], False)]),
    (2, 4, [([1, 2], False), ([5, 7], True)]),
    (2, 3, [([1, 2], False), ([5], True)]),
    (2, 5, [([1, 2], False), ([5, 7], False), ([10], False)]),
    (10, 5, [([1, 2, 5, 7, 10], False)]),
    (None, 2, [([1, 2], True)]),
    (None, None, [([1, 2, 5, 7, 10], False)])])
def test_stream_store_chunks(store, size, max_rows, chunks):
    got = list(B._stream_store(store, ALL, None, max_rows, size=size))
    assert [([r["n"] for r in c], c.truncated) for c in got] == chunks
    assert all(c.variables == ["r", "n"] for c in got)


def test_stream_store_sources(store):
    got = list(B._stream_store(store, ALL, None, None, ["b"]))
    assert [[r["n"] for r in c] for c in got] == [[1, 5]]


def test_embedded_on_an_open_store(store):
    e = Embedded(store)
    assert e.path is None and e.store is store and e.name == "embedded" and e.sources is None
    assert [r["n"] for r in e.select(ALL)] == [1, 2, 5, 7, 10]
    assert [r["n"] for r in e.select(ALL, max_rows=1)] == [1]
    assert [r["n"] for r in e.select(ALL, timeout=5)] == [1, 2, 5, 7, 10]
    chunks = list(e.stream(ALL, timeout=5, max_rows=3))
    assert [[r["n"] for r in c] for c in chunks] == [[1, 2, 5]] and chunks[0].truncated
    chunks = list(e.stream(ALL, max_rows=3))
    assert [[r["n"] for r in c] for c in chunks] == [[1, 2, 5]] and chunks[-1].truncated
    assert [r["n"] for r in Embedded(store, sources=["b"]).select(ALL)] == [1, 5]


def test_embedded_fixed_lists_the_graphs_once(store):
    assert Embedded(store).graphs() is B._READ
    e = Embedded(store, sources=["b"], fixed=True)
    graphs = e.graphs()
    assert graphs == [ox.NamedNode("https://e.org/dataset/b")] and e.graphs() is graphs
    store.remove_graph(ox.NamedNode("https://e.org/dataset/b"))
    assert [r["n"] for r in e.select(ALL)] == []  # the graph, listed once, is still asked for
    assert Embedded(store, fixed=True).graphs() is None  # no import left: the default graph is all there is


def test_embedded_missing_path(tmp_path):
    with pytest.raises(StoreError):
        Embedded(tmp_path / "none")
    with pytest.raises(StoreError):
        Embedded(str(tmp_path / "none"))


# ---------------------------------------------------------------------------- rdflib

def test_source_graph_of_a_dataset():
    ds = Dataset()
    ds.default_graph.add((URIRef("urn:c"), URIRef("urn:p"), Literal("curated")))
    ds.graph(URIRef("https://e.org/dataset/a")).add((URIRef("urn:a"), URIRef("urn:p"), Literal("a")))
    ds.graph(URIRef("https://e.org/dataset/b")).add((URIRef("urn:b"), URIRef("urn:p"), Literal("b")))
    ds.graph(URIRef(B.VOCAB_GRAPH.value)).add((URIRef("urn:v"), URIRef("urn:p"), Literal("vocab")))
    ds.graph(URIRef("urn:other")).add((URIRef("urn:o"), URIRef("urn:p"), Literal("other")))
    objects = lambda g: sorted(str(o) for o in g.objects())  # noqa: E731
    assert objects(B._source_graph(ds, ["a"])) == ["a", "vocab"]
    assert objects(B._source_graph(ds, ["b", "a", "b"])) == ["a", "b", "vocab"]
    assert objects(B._source_graph(ds, ["curated"])) == ["curated"]
    assert objects(B._source_graph(ds, ["curated", "a"])) == ["a", "curated"]
    with pytest.raises(ConfigError) as err:
        B._source_graph(ds, ["other"])
    assert str(err.value) == "unknown source(s) 'other' (--source): the graph holds curated, a, b"
    plain = Graph()
    plain.add((URIRef("urn:c"), URIRef("urn:p"), Literal("x")))
    assert objects(B._source_graph(plain, ["curated"])) == ["x"]
    with pytest.raises(ConfigError):
        B._source_graph(plain, ["a"])
    assert list(B._source_graph(plain, ["curated"]).namespaces()) == []


def test_in_memory():
    g = Graph().parse(data=QUADS.split("\n<urn:r4>")[0], format="nt")
    m = InMemory(g)
    assert m.name == "rdflib" and m.graph is g and m.sources is None
    assert [r["n"] for r in m.select(ALL)] == [2, 7, 10]
    rows = m.select(ALL, max_rows=2)
    assert [r["n"] for r in rows] == [2, 7] and rows.truncated and rows.variables == ["r", "n"]
    assert [r["n"] for r in m.select(ALL, {"r": URIRef("urn:r3")}, timeout=5)] == [7]
    with pytest.raises(QueryError) as err:
        m.select("SELECT nonsense")
    assert str(err.value).startswith("rdflib cannot run the query: ")
    with pytest.raises(QueryError) as err:
        m.select("ASK { ?s ?p ?o }")
    assert str(err.value) == "only SELECT queries return rows"
    assert [r["n"] for r in InMemory(g, sources=["curated"]).select(ALL)] == [2, 7, 10]
    assert InMemory(g, sources=["curated"]).sources == ["curated"]


def test_backend_stream_is_one_chunk():
    g = Graph().parse(data=QUADS.split("\n<urn:r4>")[0], format="nt")
    chunks = list(InMemory(g).stream(ALL, max_rows=2))
    assert [[r["n"] for r in c] for c in chunks] == [[2, 7]] and chunks[0].truncated


# ---------------------------------------------------------------------------- remote: parts

def test_check_url():
    assert B._check_url("http://h:7878/query", "endpoint").port == 7878
    with pytest.raises(EndpointError) as err:
        B._check_url("ftp://h/query", "endpoint")
    assert str(err.value) == "endpoint 'ftp://h/query' is not an http(s) URL (e.g. http://127.0.0.1:7878/query)"
    with pytest.raises(EndpointError, match="is not an http"):
        B._check_url("http:///query", "endpoint")
    with pytest.raises(EndpointError) as err:
        B._check_url("https://h:99999/q", "update endpoint")
    assert str(err.value) == "update endpoint 'https://h:99999/q': the port must be a number from 1 to 65535"


def test_page_text():
    assert B._page_text(b"<html><body><h1>Login\n required</h1>  <p>now</p></body></html>") == "Login required now"
    assert B._page_text(b"") == "(empty body)" and B._page_text(b"<br/>") == "(empty body)"
    assert B._page_text(b"word " * 100) == "word " * 40  # cut at 200 characters
    assert B._page_text(b"x" * 1990 + b"<b>" + b"y" * 100) == "x" * 200
    assert B._page_text(b"a" * 1999 + b"b" * 10) == "a" * 200
    assert B._page_text(b"\xff ok") == "\ufffd ok"


def test_remote_endpoints_derived():
    r = Remote("http://h:1/query")
    assert (r.endpoint, r.update_endpoint, r.gsp_endpoint) == ("http://h:1/query", "http://h:1/update", "http://h:1/store")
    assert r._derived == {"http://h:1/update": "--update-endpoint", "http://h:1/store": "--gsp-endpoint"}
    assert (r.connect_timeout, r.timeout, r.graph, r.auth, r.server, r.sources, r._graphs) == (
        5.0, 60.0, None, None, "", None, None)
    r = Remote("https://h/sparql/", update_endpoint="https://h/u", connect_timeout=1, timeout=2, sources=["a"],
               graph="https://e.org/g", auth=("u", "p"))
    assert (r.update_endpoint, r.gsp_endpoint, r._derived) == ("https://h/u", "https://h/store",
                                                                {"https://h/store": "--gsp-endpoint"})
    assert (r.connect_timeout, r.timeout, r.graph, r.sources, r.auth.user, r.auth.password) == (
        1, 2, "https://e.org/g", ["a"], "u", "p")
    r = Remote("http://h/db", gsp_endpoint="http://h/gsp")
    assert (r.update_endpoint, r.gsp_endpoint) == ("http://h/db", "http://h/gsp")


def test_remote_refuses():
    with pytest.raises(ConfigError) as err:
        Remote("http://h/query", sources=["a", "curated"])
    assert str(err.value) == ("--source curated cannot be used with an endpoint: the curated data is its default graph, "
                              "which has no IRI to select it by; name imported sources only, or no --source")
    with pytest.raises(Exception, match="IRI"):
        Remote("http://h/query", graph="https://e.org/g> <x")
    with pytest.raises(EndpointError, match="^update endpoint 'ftp://h/u' is not"):
        Remote("http://h/query", update_endpoint="ftp://h/u")
    with pytest.raises(EndpointError, match="^Graph Store endpoint 'ftp://h/s' is not"):
        Remote("http://h/query", gsp_endpoint="ftp://h/s")
    with pytest.raises(EndpointError, match="^endpoint 'h/query' is not"):
        Remote("h/query")


def test_cannot_connect_names_the_derived_url():
    r = Remote("http://h/query")
    assert str(r._cannot_connect("http://h/update", "refused")) == (
        "cannot connect to http://h/update (derived from the endpoint http://h/query; --update-endpoint sets another): "
        "no SPARQL server answers there (refused); is it running? (README: Pushing to a shared triple store)")
    assert str(r._cannot_connect("http://h/query", "refused")) == (
        "cannot connect to http://h/query: no SPARQL server answers there (refused); is it running? "
        "(README: Pushing to a shared triple store)")


def results(*bindings, variables=("a",)) -> bytes:
    import json
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": list(bindings)}}).encode()


def test_parse():
    r = Remote("http://h/query")
    body = results({"a": {"type": "literal", "value": "3", "datatype": INT}}, {"a": {"type": "uri", "value": "urn:x"}},
                   {}, {"a": {"type": "bnode", "value": "b"}}, {"a": {"type": "typed-literal", "value": "1", "datatype": INT}},
                   {"a": {"type": "literal", "value": "3", "xml:lang": "en"}}, {"a": {"type": "odd", "value": "v"}})
    rows = r._parse(body, "application/sparql-results+json", None)
    assert list(rows) == [{"a": 3}, {"a": "urn:x"}, {"a": None}, {"a": "_:b"}, {"a": 1}, {"a": "3"}, {"a": "v"}]
    assert rows.variables == ["a"]
    capped = r._parse(body, "", 2)
    assert list(capped) == [{"a": 3}, {"a": "urn:x"}] and capped.truncated
    for body, ctype, message in [
            (b"  \n", "text/plain", "http://h/query answered with an empty body, not SPARQL JSON results"),
            (b"<HTML><p>Login</p></HTML>", "text/html",
             "http://h/query answered an HTML page, not SPARQL JSON results: <HTML><p>Login</p></HTML>"),
            (b"not json", "text/plain",
             "http://h/query answered something else (text/plain), not SPARQL JSON results: not json"),
            (b'{"boolean": true}', "", 'http://h/query answered something else (no content type), not SPARQL JSON '
             'results: {"boolean": true}'),
            (b'{"head": {"vars": []}, "results": []}', "x/y",
             'http://h/query answered something else (x/y), not SPARQL JSON results: {"head": {"vars": []}, '
             '"results": []}'),
            (b"[1]", "x/y", "http://h/query answered something else (x/y), not SPARQL JSON results: [1]"),
            (b"x" * 300, "x/y", "http://h/query answered something else (x/y), not SPARQL JSON results: " + "x" * 200)]:
        with pytest.raises(EndpointError) as err:
            r._parse(body, ctype, None)
        assert str(err.value) == message


def test_check_answer():
    B.Remote._check_answer("u", 200, "text/html", b"<html><h1>Success</h1><p>Update succeeded</p></html>")
    B.Remote._check_answer("u", 200, "text/plain", b"<html>Update SUCCESS</html>")
    B.Remote._check_answer("u", 201, "text/html", b"  ")
    B.Remote._check_answer("u", 200, "text/plain", b"ok, not a page")
    with pytest.raises(EndpointError) as err:
        B.Remote._check_answer("u", 200, "TEXT/HTML", b"<h1>Login</h1> required")
    assert str(err.value) == "u answered HTTP 200 with an HTML page, not an update result: Login required"
    with pytest.raises(EndpointError, match="not an update result: unsuccessful"):
        B.Remote._check_answer("u", 200, "text/plain", b"<html>unsuccessful</html>")


def test_traits():
    r = Remote("http://h/query")
    assert r.traits() == B._Traits(default_graph=True, max_chunk=None)
    r.server = " Virtuoso/07.20.3238 (Linux) x86_64"
    assert r.traits() == B._Traits(default_graph=False, max_chunk=1000)
    r.server = "virtuoso"
    assert r.traits().max_chunk == 1000
    r.server = "oxigraph/0.4"
    assert r.traits() == B._Traits()


# ---------------------------------------------------------------------------- remote: authentication

def test_auth_challenges():
    a = B._Auth("u", "p")
    assert a.header("GET", "http://127.0.0.1:1/q", None) is None and not a.knows("http://127.0.0.1:1/q")
    assert a.take("http://127.0.0.1:1/q", "Bearer realm=x") is False and a.challenges == {}
    assert a.take("http://127.0.0.1:1/q", ' Basic realm="db", charset="UTF-8"') is True
    assert a.challenges == {("http", "127.0.0.1", 1): ("basic", {"realm": "db", "charset": "UTF-8"})}
    assert a.knows("http://127.0.0.1:1/other") and not a.knows("http://127.0.0.1:2/q") and not a.knows("https://127.0.0.1:1/q")
    assert a.header("POST", "http://127.0.0.1:1/q", b"") == "Basic " + base64.b64encode(b"u:p").decode()
    for url in ("http://localhost/q", "http://[::1]/q", "https://e.org/q"):
        a.take(url, "basic realm=x")
        assert a.header("GET", url, None) == "Basic dTpw"
    a.take("http://e.org/q", "Basic realm=x")
    with pytest.raises(EndpointError) as err:
        a.header("GET", "http://e.org/q", None)
    assert str(err.value) == ("http://e.org/q asks for Basic authentication over plain http, which would send the "
                              "password readable to the network: use https, or a store that asks for Digest")


def test_auth_digest():
    a = B._Auth("u", "p")
    assert a.take("http://e.org/q", 'Digest realm="r", nonce="n1", qop="auth", algorithm="MD5"')
    value = a.header("POST", "http://e.org/q", b"x")
    assert value.startswith('Digest username="u", realm="r", nonce="n1", uri="/q", response="')
    a.take("http://e.org/q", 'Digest realm="r", nonce="n1", qop="auth-int"')
    with pytest.raises(EndpointError) as err:
        a.header("POST", "http://e.org/q", b"x")
    assert str(err.value) == ("http://e.org/q asks for digest authentication with qop 'auth-int', which cannot be "
                              "answered (only qop=auth)")
    a.take("http://e.org/q", 'Digest realm="r", nonce="n1", qop="auth", algorithm="NOPE"')
    with pytest.raises(EndpointError, match="^http://e.org/q asks for digest authentication that cannot be answered: "):
        a.header("POST", "http://e.org/q", b"x")


# ---------------------------------------------------------------------------- remote: HTTP answers

def test_remote_select_and_errors_against_a_server():
    with broken_server() as base:
        rows = Remote(f"{base}/count/5", timeout=10).select("SELECT ?triples WHERE { }")
        assert list(rows) == [{"triples": 5}]
        r = Remote(f"{base}/count/5")
        r.select("SELECT * WHERE { }")
        assert r.server.startswith("BaseHTTP/")
        for path, message in [
                ("error", f"{base}/error answered HTTP 500 Internal Server Error: Internal Server Error: out of memory"),
                ("missing", f"{base}/missing answered HTTP 404 Not Found: not found"),
                ("html", f"{base}/html answered an HTML page, not SPARQL JSON results: <!DOCTYPE html><html><body>"
                         "<h1>Login required</h1></body></html>"),
                ("empty", f"{base}/empty answered with an empty body, not SPARQL JSON results")]:
            with pytest.raises(EndpointError) as err:
                Remote(f"{base}/{path}", timeout=10).select("SELECT * WHERE { }")
            assert str(err.value) == message


def answer_with(raw: bytes):
    def answer(conn, stop):
        conn.sendall(raw)
    return answer


def test_remote_http_answers():
    cases = [
        (b"HTTP/1.1 302 Found\r\nLocation: http://e.org/new\r\nContent-Length: 0\r\n\r\n",
         "{url} answered HTTP 302 Found, a redirect to http://e.org/new: give that URL instead"),
        (b"HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n",
         "{url} answered HTTP 301 Moved, a redirect to ?: give that URL instead"),
        (b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n",
         "{url} answered HTTP 401 Unauthorized: it asks for a user and password (--user, and the password in "
         "$NGOGRAPH_ENDPOINT_PASSWORD)"),
        (b"HTTP/1.1 199 Odd\r\nContent-Length: 0\r\n\r\n", None),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly a part", "{url} broke off its answer after 11 bytes"),
        (b"", "{url} closed the connection without an answer"),
        (b"\x00\x01 garbage\r\n\r\n", "{url} answered something that is not HTTP (BadStatusLine: "),
    ]
    for raw, message in cases:
        with raw_server(answer_with(raw)) as base:
            url = f"{base}/query"
            with pytest.raises(EndpointError) as err:
                Remote(url, timeout=10).select("SELECT * WHERE { }")
            if message is None:
                assert "answered HTTP 199 Odd" in str(err.value)
            else:
                assert str(err.value).startswith(message.format(url=url)), (raw, str(err.value))


def test_remote_401_with_wrong_credentials_and_refused_connections():
    raw = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n"
    with raw_server(answer_with(raw)) as base:
        with pytest.raises(EndpointError) as err:
            Remote(f"{base}/query", auth=("u", "p"), timeout=10).select("SELECT * WHERE { }")
        assert str(err.value) == (f"{base}/query answered HTTP 401 Unauthorized to user 'u': wrong user or password, "
                                  "or an authentication scheme other than Basic or Digest (Basic)")
    raw = b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
    with raw_server(answer_with(raw)) as base:
        with pytest.raises(EndpointError, match=r"scheme other than Basic or Digest \(none offered\)$"):
            Remote(f"{base}/query", auth=("u", "p"), timeout=10).select("SELECT * WHERE { }")
    port = free_port()
    with pytest.raises(EndpointError) as err:
        Remote(f"http://127.0.0.1:{port}/query", timeout=10).select("SELECT * WHERE { }")
    assert str(err.value).startswith(f"cannot connect to http://127.0.0.1:{port}/query: no SPARQL server answers there (")


def test_remote_answers_a_basic_challenge_once():
    seen = []

    def answer(conn, stop):
        seen.append(1)
        if len(seen) == 1:
            conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n")
        else:
            body = results({"a": {"type": "literal", "value": "1", "datatype": INT}})
            conn.sendall(b"HTTP/1.1 200 OK\r\nServer: virtuoso/7\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

    with raw_server(answer) as base:
        r = Remote(f"{base}/query", auth=("u", "p"), timeout=10)
        assert list(r.select("SELECT * WHERE { }")) == [{"a": 1}]
        assert len(seen) == 2 and r.auth.knows(f"{base}/query") and r.server == "virtuoso/7"
        assert list(r.select("SELECT * WHERE { }")) == [{"a": 1}]
        assert len(seen) == 3  # the kept challenge answered at once


def test_remote_select_sends_the_graphs(monkeypatch):
    sent = []
    r = Remote("http://h/query", graph="https://e.org/g")
    monkeypatch.setattr(r, "_request", lambda *a, **k: (sent.append(a), (200, "x", results()))[1])
    r.select("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("urn:x")})
    [(method, url, data, ctype, accept, deadline)] = sent
    assert (method, url, ctype, accept) == ("POST", "http://h/query", "application/x-www-form-urlencoded",
                                            "application/sparql-results+json")
    assert b"default-graph-uri=https%3A%2F%2Fe.org%2Fg" in data and b"urn%3Ax" in data
    assert deadline.seconds == 60.0 and deadline.what == "the query on http://h/query"
    sent.clear()
    r.select("SELECT * WHERE { }", timeout=3)
    assert sent[0][5].seconds == 3


def test_remote_term_keeps_a_language_over_a_datatype():
    r = Remote("http://h/query")
    assert r._term({"type": "literal", "value": "7", "datatype": INT, "xml:lang": "en"}) == "7"
    assert r._term({"type": "typed-literal", "value": "7", "datatype": INT}) == 7


# ---------------------------------------------------------------------------- the worker process, in-process

import json as _json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import pickle  # noqa: E402
import signal  # noqa: E402

from ngograph.store.embedded import write_store  # noqa: E402


@pytest.fixture
def disk_store(tmp_path) -> Path:
    return write_store(tmp_path / "store", QUADS.split("\n<urn:r4>")[0].encode() + b"\n")


def worker_main(*args):
    """``_worker_main`` here, its stderr redirection undone; the messages it sent."""
    receive, send = multiprocessing.Pipe(duplex=False)
    saved = os.dup(2)
    try:
        B._worker_main(send, *args)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    send.close()
    out = []
    while True:
        try:
            out.append(receive.recv())
        except EOFError:
            return out


def test_worker_main_rows_chunks_and_errors(disk_store):
    [(kind, rows)] = worker_main(str(disk_store), ALL, {}, None, None)
    assert kind == "rows" and [r["n"] for r in rows] == [2, 7, 10]
    [(kind, rows)] = worker_main(str(disk_store), ALL, {"r": URIRef("urn:r3")}, 5, None, ["curated"])
    assert kind == "rows" and [r["n"] for r in rows] == [7]
    got = worker_main(str(disk_store), ALL, {}, None, None, None, 2)
    assert [(k, [r["n"] for r in v] if v is not None else None) for k, v in got] == [
        ("chunk", [2, 7]), ("chunk", [10]), ("end", None)]
    [(kind, err)] = worker_main(str(disk_store), "ASK { ?s ?p ?o }", {}, None, None)
    assert kind == "error" and str(err) == "only SELECT queries return rows"
    [(kind, err)] = worker_main(str(disk_store), ALL, {"r": 3.5}, None, None)  # a value nt_term cannot bind
    assert kind == "error" and isinstance(err, QueryError)
    assert str(err) == "the embedded store cannot run the query: cannot bind 3.5"


def test_worker_main_caps_the_address_space(disk_store, monkeypatch):
    caps = []
    monkeypatch.setattr(B.resource, "setrlimit", lambda what, limits: caps.append((what, limits)))
    monkeypatch.setattr(B, "_address_space", lambda: 1000)
    [(kind, _)] = worker_main(str(disk_store), ALL, {}, None, 24)
    assert kind == "rows" and caps == [(B.resource.RLIMIT_AS, (1024, 1024))]
    caps.clear()
    worker_main(str(disk_store), ALL, {}, None, None)
    assert caps == []


def test_worker_main_tells_a_memory_overrun(disk_store, monkeypatch):
    def no_memory(*args, **kw):
        raise MemoryError

    monkeypatch.setattr(B, "_select_store", no_memory)
    assert worker_main(str(disk_store), ALL, {}, None, None) == [("memory", None)]


def test_address_space_and_threads():
    size = B._address_space()
    assert size > 1 << 20 and size % 1024 == 0
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert B._single_threaded() is False
    finally:
        stop.set()
        t.join()


def test_worker_stdin_reads_its_arguments(monkeypatch):
    got = []
    monkeypatch.setattr(B, "_worker_main", lambda conn, *args: got.append((conn, args)))
    receive, send = multiprocessing.Pipe(duplex=False)

    class Stdin:
        buffer = __import__("io").BytesIO(pickle.dumps(("p", "q", {}, 3, None, None, 0)))

    monkeypatch.setattr(B.sys, "stdin", Stdin)
    B._worker_stdin(os.dup(send.fileno()))
    [(conn, args)] = got
    assert args == ("p", "q", {}, 3, None, None, 0)
    assert isinstance(conn, B.Connection) and conn.writable and not conn.readable
    conn.send("hello")
    assert receive.recv() == "hello"


def test_start_worker_forks_when_single_threaded(monkeypatch):
    made = []

    class Process:
        def __init__(self, **kw):
            made.append(kw)
            self.exitcode = 5

        def start(self):
            made.append("started")

        def join(self):
            made.append("joined")

        def kill(self):
            made.append("killed")

    Context = type("Context", (), {"Process": Process})

    monkeypatch.setattr(B, "_single_threaded", lambda: True)
    monkeypatch.setattr(B.multiprocessing, "get_context", lambda how: (made.append(how), Context)[1])
    receive, kill, wait = B._start_worker(("p", "q"))
    kw = made[1]
    assert made[0] == "fork" and kw["target"] is B._worker_main and kw["args"][1:] == ("p", "q")
    assert kw["name"] == "ngograph-query" and kw["daemon"] is True and made[2] == "started"
    kill()
    assert wait() == 5 and made[-2:] == ["killed", "joined"]


def test_start_worker_runs_a_new_interpreter_when_threaded(monkeypatch):
    seen = {}

    class Popen:
        def __init__(self, argv, **kw):
            seen.update(argv=argv, **kw)
            self.stdin = __import__("io").BytesIO()
            self.stdin.close = lambda: seen.setdefault("sent", self.stdin.getvalue())

        def kill(self):
            pass

        def wait(self):
            return 0

    monkeypatch.setattr(B, "_single_threaded", lambda: False)
    monkeypatch.setattr(B.subprocess, "Popen", Popen)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    receive, kill, wait = B._start_worker(("p", "q", {}, None, None, None, 0))
    assert seen["argv"][:2] == [sys.executable, "-c"]
    assert seen["argv"][2] == ("import sys; from ngograph.store.backends import _worker_stdin; "
                               "_worker_stdin(int(sys.argv[1]))")
    fd = int(seen["argv"][3])
    assert seen["pass_fds"] == (fd,)
    package_root = str(Path(B.__file__).resolve().parent.parent)
    assert seen["env"]["PYTHONPATH"] == package_root + os.pathsep + "/elsewhere"
    assert pickle.loads(seen["sent"]) == ("p", "q", {}, None, None, None, 0)
    assert wait() == 0
    receive.close()


def fake_worker(monkeypatch, messages, exit_code=0, close=True):
    """``_start_worker`` replaced: the worker 'sends' ``messages`` and exits with ``exit_code``."""
    calls = {"killed": 0, "args": None}

    def start(args):
        calls["args"] = args
        receive, send = multiprocessing.Pipe(duplex=False)
        for m in messages:
            send.send(m)
        if close:
            send.close()
        else:
            calls["send"] = send
        return receive, lambda: calls.__setitem__("killed", calls["killed"] + 1), lambda: exit_code

    monkeypatch.setattr(B, "_start_worker", start)
    return calls


def test_in_worker_messages(monkeypatch, tmp_path):
    rows = Rows([{"a": 1}], ["a"])
    calls = fake_worker(monkeypatch, [("rows", rows)])
    assert B._in_worker(tmp_path, "Q", {"x": 1}, 5, 7, None, ["s"]) == rows
    # the worker watches this process (B._watch_parent)
    assert calls["args"] == (str(tmp_path), "Q", {"x": 1}, 7, None, ["s"], 0, os.getpid()) and calls["killed"] == 0
    calls = fake_worker(monkeypatch, [("chunk", rows), ("chunk", rows), ("end", None)])
    assert list(B._in_worker(tmp_path, "Q", None, None, None, None, stream=True)) == [rows, rows]
    assert calls["args"][2] == {} and calls["args"][6] == B.CHUNK and calls["killed"] == 0
    calls = fake_worker(monkeypatch, [("error", QueryError("bad"))])
    with pytest.raises(QueryError, match="^bad$"):
        B._in_worker(tmp_path, "Q", None, 5, None, None)
    assert calls["killed"] == 0  # it ended by itself
    fake_worker(monkeypatch, [("memory", None)])
    with pytest.raises(QueryError) as err:
        B._in_worker(tmp_path, "Q", None, 5, None, 300 << 20)
    assert str(err.value) == "the query needed more than 300 MiB (--max-memory)"
    for code in (-signal.SIGKILL, -signal.SIGABRT):
        fake_worker(monkeypatch, [], exit_code=code)
        with pytest.raises(QueryError, match=r"^the query needed more than 4 GiB \(--max-memory\)$"):
            B._in_worker(tmp_path, "Q", None, 5, None, 4 << 30)
    calls = fake_worker(monkeypatch, [], exit_code=-signal.SIGKILL)
    with pytest.raises(QueryError) as err:
        B._in_worker(tmp_path, "Q", None, 5, None, None)
    assert str(err.value) == "the query's worker process died (SIGKILL)" and calls["killed"] == 1
    fake_worker(monkeypatch, [], exit_code=3)
    with pytest.raises(QueryError, match=r"^the query's worker process died \(exit code 3\)$"):
        B._in_worker(tmp_path, "Q", None, None, None, 1 << 20)
    with pytest.raises(QueryError, match="^timeout 0"):
        B._in_worker(tmp_path, "Q", None, 0, None, None)


def test_in_worker_times_out_and_kills(monkeypatch, tmp_path):
    calls = fake_worker(monkeypatch, [], close=False)
    with pytest.raises(QueryTimeout) as err:
        B._in_worker(tmp_path, "Q", None, 0.2, None, None)
    assert str(err.value) == ("the query on the embedded store did not finish within 0.2 s (raise --timeout, "
                              "or narrow the query)")
    assert calls["killed"] == 1
    calls = fake_worker(monkeypatch, [("chunk", Rows([{"a": 1}], ["a"])), ("chunk", Rows())], close=False)
    chunks = B._in_worker(tmp_path, "Q", None, 30, None, None, stream=True)
    assert list(next(chunks)) == [{"a": 1}]
    chunks.close()  # the consumer stops early: the worker is killed
    assert calls["killed"] == 1


def test_embedded_by_path_hands_limits_to_the_worker(disk_store, monkeypatch):
    sent = []
    monkeypatch.setattr(B, "_in_worker", lambda *a, **k: (sent.append((a, k)), "rows")[1])
    e = Embedded(disk_store, sources=["curated"])
    assert e.path == disk_store and e._store is None
    assert e.select(ALL, {"r": 1}, timeout=4, max_rows=3) == "rows"
    assert e.stream(ALL, {"r": 1}, max_memory=9, max_rows=2) == "rows"
    assert sent == [((disk_store, ALL, {"r": 1}, 4, 3, None, ["curated"]), {}),
                    ((disk_store, ALL, {"r": 1}, None, 2, 9, ["curated"]), {"stream": True})]
    sent.clear()
    assert [r["n"] for r in e.select(ALL)] == [2, 7, 10] and sent == []  # no limit: here
    assert [[r["n"] for r in c] for c in e.stream(ALL)] == [[2, 7, 10]] and sent == []


def test_rows_to_dataframe(monkeypatch):
    df = Rows([{"a": 1, "b": 2}], ["b", "a"]).to_dataframe()
    assert list(df.columns) == ["b", "a"] and df.to_dict("records") == [{"b": 2, "a": 1}]
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(B.NgographError) as err:
        Rows().to_dataframe()
    assert str(err.value) == "to_dataframe() needs pandas: pip install -e '.[notebooks]' in a checkout, pip install 'dist/ngograph-*.whl[notebooks]' with the wheel"


# ---------------------------------------------------------------------------- remote: push and sources

class Endpoint:
    """A Remote whose ``_request`` is answered here: every request kept, graphs holding ``held`` triples."""

    def __init__(self, remote: Remote, held: int | None = None, graphs=(), server=""):
        self.remote, self.held, self.graphs, self.requests = remote, held, list(graphs), []
        remote._request = self.request
        remote.server = server

    def request(self, method, url, data, content_type, accept, deadline, *, retry=True):
        import urllib.parse

        form = dict(urllib.parse.parse_qsl(data.decode())) if content_type.endswith("urlencoded") else {}
        self.requests.append((method, url, form.get("update") or form.get("query") or data, content_type, accept,
                              deadline))
        if "query" in form:
            if "COUNT" in form["query"]:
                value = {"type": "literal", "value": str(self.held), "datatype": INT}
                return 200, "application/sparql-results+json", results({"triples": value}, variables=["triples"])
            return 200, "application/sparql-results+json", results(
                *({"graph": {"type": "uri", "value": g}} for g in self.graphs), {}, variables=["graph"])
        return 204, "", b""


NT = b"<urn:a> <urn:p> <urn:b> .\n<urn:c> <urn:p> <urn:d> .\n\n<urn:e> <urn:p> <urn:f> .\n"


def test_push_by_updates_in_chunks():
    r = Remote("http://h/query", timeout=30)
    ep = Endpoint(r, held=3)
    progress = []
    assert r.push(NT, chunk=2, progress=lambda sent, total: progress.append((sent, total))) == 3
    texts = [q for _, _, q, _, _, _ in ep.requests]
    tmp = texts[0].split("<")[1].split(">")[0]
    assert tmp.startswith("urn:ngograph:push:") and texts[0] == f"DROP SILENT GRAPH <{tmp}>"
    assert texts[1] == f"INSERT DATA {{ GRAPH <{tmp}> {{\n<urn:a> <urn:p> <urn:b> .\n<urn:c> <urn:p> <urn:d> .\n}} }}"
    assert texts[2] == f"INSERT DATA {{ GRAPH <{tmp}> {{\n<urn:e> <urn:p> <urn:f> .\n}} }}"
    assert texts[3] == f"MOVE SILENT GRAPH <{tmp}> TO DEFAULT"
    assert "COUNT(*)" in texts[4] and len(texts) == 5
    assert progress == [(2, 3), (3, 3)]
    assert [(m, u, c, a) for m, u, _, c, a, _ in ep.requests[:4]] == [
        ("POST", "http://h/update", "application/x-www-form-urlencoded", "*/*")] * 4
    assert {d.what for *_, d in ep.requests} == {"the push to http://h/query"} and ep.requests[0][5].seconds == 30
    ep.requests.clear()
    assert r.push(NT, "https://e.org/g", timeout=7) == 3
    texts = [q for _, _, q, _, _, _ in ep.requests]
    assert texts[-2].endswith(" TO GRAPH <https://e.org/g>") and "<https://e.org/g>" in texts[-1]
    assert ep.requests[0][5].seconds == 7


def test_push_of_nothing_clears_the_target():
    r = Remote("http://h/query")
    ep = Endpoint(r, held=0)
    assert r.push(b"\n") == 0
    assert [q for _, _, q, *_ in ep.requests][1] == "CLEAR DEFAULT"
    ep.requests.clear()
    r.push(b"", "https://e.org/g")
    assert [q for _, _, q, *_ in ep.requests][1] == "CLEAR SILENT GRAPH <https://e.org/g>"


def test_push_to_virtuoso():
    r = Remote("http://h/query")
    ep = Endpoint(r, held=3, server="Virtuoso/07.20")
    with pytest.raises(EndpointError) as err:
        r.push(NT)
    assert str(err.value) == ("http://h/query is Virtuoso/07.20, which has no default graph of its own to replace: "
                              "push into a named graph with --graph IRI, and query with --graph IRI "
                              "(docs/publishing.md: Virtuoso)")
    texts = [q for _, _, q, *_ in ep.requests]
    assert texts[0].startswith("DROP SILENT GRAPH <urn:ngograph:push:") and texts[-1] == texts[0]  # removed again
    ep.requests.clear()
    lines = b"".join(f"<urn:s{i}> <urn:p> <urn:o> .\n".encode() for i in range(2500))
    ep.held = 2500
    assert r.push(lines, "https://e.org/g") == 2500
    inserts = [q for _, _, q, *_ in ep.requests if q.startswith("INSERT")]
    assert [q.count("\n") - 1 for q in inserts] == [1000, 1000, 500]  # Virtuoso's chunk


def test_push_by_the_graph_store_protocol():
    r = Remote("http://h/query")
    ep = Endpoint(r, held=3)
    r.push(NT, method="gsp")
    (method, url, data, ctype, accept, _), count = ep.requests
    assert (method, url, data, ctype, accept) == ("PUT", "http://h/store?default", NT, "application/n-triples", "*/*")
    ep.requests.clear()
    r.push(NT, "https://e.org/g?x=1", method="gsp")
    assert ep.requests[0][1] == "http://h/store?graph=https%3A%2F%2Fe.org%2Fg%3Fx%3D1"
    with pytest.raises(EndpointError, match=r"^unknown push method 'ftp' \(update or gsp\)$"):
        r.push(NT, method="ftp")


def test_push_checks_the_count():
    r = Remote("http://h/query")
    Endpoint(r, held=2)
    with pytest.raises(EndpointError) as err:
        r.push(NT)
    assert str(err.value) == ("after the push, the default graph at http://h/query holds 2 triples, but 3 were sent: "
                              "the endpoint did not store what it was given")
    Endpoint(r, held=None)
    with pytest.raises(EndpointError, match="^after the push, https://e.org/g at http://h/query holds 0 triples"):
        Endpoint(r, held=0)
        r.push(NT, "https://e.org/g")


def test_remote_sources_read_the_graphs_once():
    vocab = B.VOCAB_GRAPH.value
    r = Remote("http://h/query", sources=["b", "a"])
    ep = Endpoint(r, graphs=["https://e.org/dataset/a", "https://e.org/dataset/b", "https://e.org/dataset/c", vocab,
                             "urn:other"])
    r.select("SELECT * WHERE { }")
    r.select("SELECT * WHERE { }")
    texts = [q for _, _, q, *_ in ep.requests]
    assert len(texts) == 3 and "GRAPH ?graph { }" in texts[0] and texts[1:] == ["SELECT * WHERE { }"] * 2
    assert r._graphs == [vocab, "https://e.org/dataset/a", "https://e.org/dataset/b"]
    r2 = Remote("http://h/query", sources=["x"])
    Endpoint(r2, graphs=["https://e.org/dataset/a"])
    with pytest.raises(ConfigError, match="x"):
        r2.select("SELECT * WHERE { }")
    r3 = Remote("http://h/query")
    ep3 = Endpoint(r3)
    r3.select("SELECT * WHERE { }")
    assert len(ep3.requests) == 1 and r3._graphs is None


# ---------------------------------------------------------------------------- remote: what goes over the wire

@pytest.fixture
def recording():
    """An HTTP server that keeps each request (method, path, headers, body) and answers from a list."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path, dict(self.headers), body))
            status, headers, payload = answers.pop(0) if answers else (200, {}, results())
            self.send_response(status)
            for k, v in {"Content-Type": "application/sparql-results+json", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_HEAD = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen, answers
    finally:
        server.shutdown()
        server.server_close()


def test_select_request_on_the_wire(recording):
    base, seen, answers = recording
    Remote(base, timeout=10).select("SELECT * WHERE { ?s ?p ?o }")
    [(method, path, headers, body)] = seen
    assert (method, path) == ("POST", "/")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Accept"] == "application/sparql-results+json" and headers["User-Agent"] == "ngograph"
    assert body == b"query=SELECT+%2A+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"
    seen.clear()
    Remote(f"{base}/q/x?key=1", timeout=10).select("SELECT * WHERE { }")
    assert seen[0][1] == "/q/x?key=1"


def test_a_large_request_with_credentials_learns_the_challenge_first(recording):
    base, seen, answers = recording
    answers.append((401, {"WWW-Authenticate": 'Basic realm="x"'}, b""))
    r = Remote(f"{base}/query", auth=("u", "p"), timeout=10)
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000
    assert list(r.select(big)) == []
    assert [(m, h.get("Authorization")) for m, _, h, _ in seen] == [
        ("HEAD", None), ("HEAD", "Basic dTpw"), ("POST", "Basic dTpw")]
    seen.clear()
    r2 = Remote(f"{base}/query", auth=("u", "p"), timeout=10)
    answers.append((401, {"WWW-Authenticate": 'Basic realm="x"'}, b""))
    r2.select("SELECT * WHERE { }")  # small: sent at once, answered after the challenge
    assert [(m, h.get("Authorization")) for m, _, h, _ in seen] == [("POST", None), ("POST", "Basic dTpw")]


def test_a_long_answer_that_is_not_http(recording):
    line = b"GARBAGE " + b"y" * 200 + b"\r\n\r\n"
    with raw_server(answer_with(line)) as base:
        with pytest.raises(EndpointError) as err:
            Remote(f"{base}/query", timeout=10).select("SELECT * WHERE { }")
    shown = repr(str(__import__("http.client").client.BadStatusLine(line.decode().split("\r\n")[0] + "\r\n"))[:80])
    assert str(err.value) == f"{base}/query answered something that is not HTTP (BadStatusLine: {shown})"
