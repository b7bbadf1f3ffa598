"""Remote SPARQL endpoints: a real Oxigraph server process, and a server that answers wrongly."""

from __future__ import annotations

import pytest

from ngograph.store.backends import Embedded, EndpointError, QueryTimeout, Remote
from ngograph.cli import main
from ngograph.rdf.serialize import serialize
from ngograph.queries.library import list_queries, run

from servers import broken_server, free_port, oxigraph_server
from test_queries import table


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as base:
        yield base


@pytest.fixture(scope="module")
def pushed(oxigraph, seed_graph):
    remote = Remote(f"{oxigraph}/query")
    n = remote.push(serialize(seed_graph, "ntriples"))
    assert n == len(seed_graph)
    return remote


def test_every_query_gives_the_same_rows_on_the_server(pushed, seed_store):
    embedded = Embedded(seed_store)
    for q in list_queries():
        a, b = run(q, embedded), run(q, pushed)
        assert a.variables == b.variables, q.name
        assert table(a, *a.variables) == table(b, *a.variables), q.name
        assert len(a) > 0, q.name


def test_the_network_from_the_server_is_the_embedded_one(pushed, seed_store):
    from ngograph.net.graphs import fetch

    assert fetch(pushed).rows == fetch(Embedded(seed_store)).rows


def test_parameters_on_the_server(pushed):
    rows = run("projects-active-in-year", pushed, {"year": "2021"})
    assert [r["project"].rsplit("/", 1)[1] for r in rows] == [
        "social-rights-advocacy-phase-2", "social-rights-advocacy-phase-3"]  # phase 2: its 2021 events
    assert list(run("projects-by-theme", pushed, {"theme": 'x" } ; DROP ALL ; #'})) == []
    assert run("summary", pushed)[0]["projects"] == 7


def test_push_replaces_atomically_and_into_named_graphs(oxigraph, seed_graph):
    remote = Remote(f"{oxigraph}/query")
    graph = "https://w3id.org/ngograph/graph/test"
    data = serialize(seed_graph, "ntriples")
    assert remote.push(data, graph, method="gsp") == len(seed_graph)
    assert remote.push(data, graph, chunk=500) == len(seed_graph)  # replaces, does not add
    count = remote.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"]
    assert count == len(seed_graph)
    leftovers = remote.select("SELECT ?g WHERE { GRAPH ?g { } FILTER STRSTARTS(STR(?g), 'urn:ngograph:push') }")
    assert list(leftovers) == []


def test_cli_push_and_query(oxigraph, seed_store, capsys):
    assert main(["push", "--store", str(seed_store), "--endpoint", f"{oxigraph}/query", "--method", "gsp"]) == 0
    assert main(["query", "lead-partners", "--endpoint", f"{oxigraph}/query", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "organisation,name,country,projectsLed"
    assert len(out) == 4


# ------------------------------------------------------------------ broken endpoints

@pytest.fixture(scope="module")
def broken():
    with broken_server() as base:
        yield base


@pytest.mark.parametrize("path,fragment", [
    ("/html", "answered an HTML page, not SPARQL JSON results: <!DOCTYPE html>"),
    ("/error", "HTTP 500"),
    ("/empty", "answered with an empty body"),
    ("/garbage", "not SPARQL JSON results"),
    ("/wrongjson", "not SPARQL JSON results"),
])
def test_wrong_answers_are_named(broken, path, fragment):
    with pytest.raises(EndpointError) as err:
        Remote(broken + path).select("SELECT * WHERE { ?s ?p ?o }")
    assert fragment in str(err.value)
    assert broken + path in str(err.value)


def test_slow_endpoint_hits_the_timeout(broken):
    with pytest.raises(QueryTimeout, match="did not finish within 1 s"):
        Remote(broken + "/slow", timeout=1).select("SELECT * WHERE { ?s ?p ?o }")


def test_nobody_listening():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match=f"cannot connect to {url}"):
        Remote(url, connect_timeout=1).select("SELECT * WHERE { ?s ?p ?o }")


def test_push_to_a_broken_store_names_it(broken):
    with pytest.raises(EndpointError, match="HTTP 500"):
        Remote(broken + "/query", update_endpoint=broken + "/error").push(b"<urn:a> <urn:b> <urn:c> .\n")


def test_cli_reports_endpoint_errors_without_a_traceback(broken, capsys):
    assert main(["query", "summary", "--endpoint", broken + "/html"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "HTML page" in err


def test_not_an_http_url():
    with pytest.raises(EndpointError, match="is not an http"):
        Remote("file:///etc/passwd")
