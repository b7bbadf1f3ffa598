"""Virtuoso as a scale-out store (opt-in: ``make test-virtuoso``, or NGOGRAPH_VIRTUOSO=1).

A real Virtuoso (Debian package virtuoso-opensource; its binaries, virtuoso-opensource-7-bin, are
enough) is started on 127.0.0.1 on free ports
with a temporary database and a generated virtuoso.ini; its database is first initialised
with a random dba password (``+checkpoint-only +pwdold dba +pwddba``), so the default
``dba``/``dba`` never answers on any port. The graph is pushed by SPARQL Update to
``/sparql-auth`` (HTTP Digest), by Graph Store Protocol to ``/sparql-graph-crud-auth``, and
by the bulk loader (``ld_dir`` + ``rdf_loader_run`` through isql), and every library query
must give the same rows as on the embedded store. The server is stopped by its pid.
The tests of HTTP authentication and of the per-store traits need no server and always run.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import subprocess
import threading
import urllib.parse
from contextlib import nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from ngograph import config
from ngograph.cli import main
from ngograph.errors import ConfigError, EndpointError
from ngograph.queries.library import QUERIES_DIR, list_queries, load_query, run
from ngograph.rdf.serialize import serialize
from ngograph.store.backends import Embedded, Remote, Rows, _Auth

from conftest import FIXTURES
from servers import free_port, running
from test_queries import table


def virtuoso_test(fn):
    """Marks a test that needs the real server (the tests of HTTP authentication and the store traits
    at the top of this file run always)."""
    fn = pytest.mark.skipif(os.environ.get("NGOGRAPH_VIRTUOSO") != "1",
                            reason="opt-in: make test-virtuoso (NGOGRAPH_VIRTUOSO=1 and Virtuoso installed)")(fn)
    return pytest.mark.virtuoso(fn)


GRAPH = "https://w3id.org/ngograph/graph"

#: Library queries whose rows differ on Virtuoso, with the reason (docs/publishing.md: Virtuoso).
DIALECT: dict[str, str] = {}

#: The internal queries (queries/*/, run by the embedded store's own verbs) that Virtuoso 7.2 cannot run
#: or answers otherwise, with the reason (docs/publishing.md: Virtuoso).
NOT_PORTABLE = {
    "remote/named-graphs": "GRAPH ?graph { } lists no graphs on Virtuoso (one unbound row)",
    "reconcile/organisations": "SP031 internal SPARQL compiler error (sparp_gp_deprecate)",
    "site/resource-out": "SQ074 error of Virtuoso's SQL compiler on the translated query",
    "site/index-funders": "a funder's label joined to another funder (the label's sub-SELECT joined on the canonical "
                          "node that BIND makes)",
    **{f"store/shared-subjects-{way}": "the subjects a named graph shares with the default graph: on the endpoint the "
                                      "default graph is the pushed named graph, so every subject is shared"
       for way in ("hashed", "lookup")},
}

#: Those of NOT_PORTABLE that Virtuoso runs, giving other rows.
ANSWERED_OTHERWISE = {"remote/named-graphs", "site/index-funders", "store/shared-subjects-hashed",
                      "store/shared-subjects-lookup"}

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = {load}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


# ------------------------------------------------------------------ without a server: authentication, traits

class _Guarded(BaseHTTPRequestHandler):
    """A SPARQL endpoint behind Basic authentication (user ``u``, password ``secret``) that calls itself
    Virtuoso; each request is logged in ``server.seen``."""

    server_version, sys_version = "Virtuoso/07.20.3229", ""

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.server.seen.append(("HEAD", self.headers.get("Authorization")))
        ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(b"u:secret").decode()
        self.send_response(405 if ok else 401)
        if not ok:
            self.send_header("WWW-Authenticate", 'Basic realm="SPARQL"')
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append(("POST", self.headers.get("Authorization")))
        self.server.bodies.append(urllib.parse.unquote_plus(body.decode()))
        ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(b"u:secret").decode()
        body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
        self.send_response(200 if ok else 401)
        if not ok:
            self.send_header("WWW-Authenticate", 'Basic realm="SPARQL"')
            body = b""
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def guarded():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    server.seen, server.bodies = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_digest_answers_the_rfc_2617_example():
    auth = _Auth("Mufasa", "Circle Of Life")
    url = "http://www.nowhere.org/dir/index.html"
    assert auth.header("GET", url, None) is None  # no challenge yet
    assert auth.take(url, 'Digest realm="testrealm@host.com", qop="auth,auth-int", '
                          'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    auth.digest.get_cnonce = lambda nonce: "0a4f113b"  # the RFC's client nonce
    first = auth.header("GET", url, None)
    assert 'response="6629fae49393a05397450978507c4ef1"' in first and "nc=00000001" in first  # RFC 2617 §3.5
    assert "nc=00000002" in auth.header("GET", url, None)  # the same nonce counted up
    assert auth.header("GET", "http://elsewhere.org/dir/index.html", None) is None  # kept per server
    assert not auth.take(url, "Negotiate abc")


def test_basic_is_not_sent_over_plain_http_to_another_machine():
    auth = _Auth("u", "secret")
    auth.take("http://example.org/sparql", 'Basic realm="x"')
    with pytest.raises(EndpointError, match="Basic authentication over plain http"):
        auth.header("POST", "http://example.org/sparql", b"")
    auth.take("https://example.org/sparql", 'Basic realm="x"')
    assert auth.header("POST", "https://example.org/sparql", b"") == "Basic dTpzZWNyZXQ="


def test_a_guarded_endpoint_with_and_without_the_password(guarded):
    url = f"http://127.0.0.1:{guarded.server_address[1]}/sparql"
    assert Remote(url, auth=("u", "secret")).select("SELECT ?n WHERE { }") == [{"n": "1"}]
    assert [a is None for _, a in guarded.seen] == [True, False]  # challenged once, then answered
    with pytest.raises(EndpointError, match="401.*--user.*NGOGRAPH_ENDPOINT_PASSWORD"):
        Remote(url).select("SELECT ?n WHERE { }")
    guarded.seen.clear()
    with pytest.raises(EndpointError, match="401 Unauthorized to user 'u': wrong user or password"):
        Remote(url, auth=("u", "wrong")).select("SELECT ?n WHERE { }")
    assert len(guarded.seen) == 2  # one answer to the challenge, no more
    guarded.seen.clear()
    long = "SELECT ?n WHERE { }" + " " * 5000  # a large body is sent only once the challenge is known
    assert Remote(url, auth=("u", "secret")).select(long) == [{"n": "1"}]
    assert [(m, a is not None) for m, a in guarded.seen] == [("HEAD", False), ("HEAD", True), ("POST", True)]


def test_virtuoso_traits_from_the_server_header(guarded):
    url = f"http://127.0.0.1:{guarded.server_address[1]}/sparql"
    remote = Remote(url, update_endpoint=url, auth=("u", "secret"))
    assert remote.traits() == (True, None)  # nothing known before an answer
    with pytest.raises(EndpointError, match="Virtuoso/07.20.3229, which has no default graph.*--graph IRI"):
        remote.push(b"<urn:a> <urn:b> <urn:c> .\n")
    assert [b.split(" <")[0] for b in guarded.bodies] == ["update=DROP SILENT GRAPH"] * 3  # challenged,
    # answered (which names the store), the temporary graph dropped again on the way out: no INSERT
    assert remote.traits() == (False, 1000)
    remote.server = "Oxigraph/0.4.11"
    assert remote.traits() == (True, None)


def test_graph_and_user_need_an_endpoint(capsys):
    assert main(["query", "summary", "--graph", "https://w3id.org/ngograph/graph"]) == 2
    assert "--graph is for a remote endpoint: give --endpoint URL too" in capsys.readouterr().err


def test_the_password_comes_from_the_environment_only(monkeypatch):
    monkeypatch.delenv("NGOGRAPH_ENDPOINT_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="--user ngograph: set .* NGOGRAPH_ENDPOINT_PASSWORD"):
        config.endpoint_auth("ngograph")
    monkeypatch.setenv("NGOGRAPH_ENDPOINT_PASSWORD", "s3")
    assert config.endpoint_auth("ngograph") == ("ngograph", "s3")
    assert config.endpoint_auth(None) is None


# ------------------------------------------------------------------ a real Virtuoso

def binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: make test-virtuoso installs it (apt-get install -y virtuoso-opensource-7-bin)")
    return path


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A Virtuoso on free 127.0.0.1 ports: its base URL, SQL port, dba password and load folder."""
    root = tmp_path_factory.mktemp("virtuoso")
    db, load = root / "db", root / "load"
    db.mkdir()
    load.mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(INI.format(db=db, load=load, sql_port=sql_port, http_port=http_port))
    password = secrets.token_hex(8)  # 16 characters: +pwddba did not take a 24-character one here
    server = [binary("virtuoso-t"), "+configfile", str(ini), "+foreground"]
    # the new database is created, given its passwords and checkpointed before it ever listens
    subprocess.run(server + ["+checkpoint-only", "+pwdold", "dba", "+pwddba", password,
                             "+pwddav", secrets.token_hex(8)],
                   cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    base = f"http://127.0.0.1:{http_port}"
    with running(server, f"{base}/sparql?query=ASK%7B%7D", root / "virtuoso-t.log", timeout=180, cwd=root):
        yield SimpleNamespace(base=base, sql_port=sql_port, password=password, load=load, root=root)


def isql(v, *statements: str) -> str:
    """Statements run by isql as dba (isql takes the password as an argument only: here the random one
    of this test's throwaway server)."""
    script = "".join(s.rstrip(";") + ";\n" for s in statements)
    out = subprocess.run([binary("isql-vt"), f"127.0.0.1:{v.sql_port}", "dba", v.password],
                         input=script, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "*** Error" not in out.stdout + out.stderr, out.stdout + out.stderr
    return out.stdout


def remote(v, **kw) -> Remote:
    kw.setdefault("auth", ("dba", v.password))
    return Remote(f"{v.base}/sparql", update_endpoint=f"{v.base}/sparql-auth",
                  gsp_endpoint=f"{v.base}/sparql-graph-crud-auth", **kw)


@pytest.fixture(scope="module")
def pushed(virtuoso, seed_graph):
    r = remote(virtuoso, graph=GRAPH)
    assert r.push(serialize(seed_graph, "ntriples"), GRAPH) == len(seed_graph)
    return r


@virtuoso_test
def test_the_server_listens_on_loopback_only_and_refuses_the_default_password(virtuoso):
    ini = (virtuoso.root / "virtuoso.ini").read_text()
    assert f"ServerPort           = 127.0.0.1:{virtuoso.sql_port}" in ini
    assert f"ServerPort           = 127.0.0.1:{virtuoso.base.rsplit(':', 1)[1]}" in ini
    out = subprocess.run([binary("isql-vt"), f"127.0.0.1:{virtuoso.sql_port}", "dba", "dba"],
                         input="SELECT 1;\n", capture_output=True, text=True, timeout=60)
    assert "Bad login" in out.stdout + out.stderr
    with pytest.raises(EndpointError, match="401.*wrong user or password"):
        remote(virtuoso, auth=("dba", "dba")).push(b"<urn:a> <urn:b> <urn:c> .\n", GRAPH)
    with pytest.raises(EndpointError, match="401.*NGOGRAPH_ENDPOINT_PASSWORD"):
        remote(virtuoso, auth=None).push(b"<urn:a> <urn:b> <urn:c> .\n", GRAPH)


@virtuoso_test
def test_every_query_gives_the_same_rows_on_virtuoso(pushed, seed_store):
    embedded = Embedded(seed_store)
    queries = list_queries()
    assert len(queries) >= 15
    for q in queries:
        a, b = run(q, embedded), run(q, pushed)
        assert len(a) > 0, q.name
        if q.name in DIALECT:
            assert table(a, *a.variables) != table(b, *a.variables), f"{q.name} agrees now: drop it from DIALECT"
            continue
        assert a.variables == b.variables, q.name
        assert table(a, *a.variables) == table(b, *a.variables), q.name


#: Parameters of the internal queries that need one.
PARAMETERS = {"describe/examples": {"class": "https://schema.org/Project"},
              "site/links": {"predicate": "https://w3id.org/ngograph/def#inProject"}}


def _lines_sorted(rows):
    """network/participations groups lines with GROUP_CONCAT, whose order SPARQL leaves open."""
    return Rows([{**r, "participations": "\n".join(sorted(r["participations"].split("\n")))} for r in rows],
                rows.variables)


@virtuoso_test
def test_the_internal_queries_on_virtuoso(pushed, seed_store, seed_graph):
    """queries/*/*.rq (networks, the dataset description, QC, site indexes) give the same rows, but those
    of NOT_PORTABLE, which still fail or differ."""
    embedded = Embedded(seed_store)
    paths = sorted(QUERIES_DIR.glob("*/*.rq"))
    assert len(paths) >= 25
    for path in paths:
        name = f"{path.parent.name}/{path.stem}"
        if name == "push/named-graph-size":  # the pushed graph is a named graph on the endpoint only
            assert run(load_query(path), pushed, {"graph": GRAPH})[0]["triples"] == len(seed_graph)
            continue
        params = PARAMETERS.get(name)
        a = run(load_query(path), embedded, params)
        if name in NOT_PORTABLE:
            with nullcontext() if name in ANSWERED_OTHERWISE else pytest.raises(EndpointError):
                b = run(load_query(path), pushed, params)
                assert table(a, *a.variables) != table(b, *a.variables), name
            continue
        b = run(load_query(path), pushed, params)
        assert a.variables == b.variables, name
        if name == "network/participations":
            a, b = _lines_sorted(a), _lines_sorted(b)
        assert table(a, *b.variables) == table(b, *b.variables), name


@virtuoso_test
def test_labels_of_canonical_members_on_virtuoso(virtuoso):
    import pyoxigraph as ox

    graph = "https://w3id.org/ngograph/graph/canonical-members"
    lines = (FIXTURES / "virtuoso-canonical-members.nt").read_bytes().splitlines(keepends=True)
    data = b"".join(line for line in lines if not line.startswith(b"#"))
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    assert len(store) == 130
    r = remote(virtuoso, graph=graph)
    assert r.push(data, graph) == len(store)
    embedded = Embedded(store)
    for name, params in (("cross-border-pairs", None), ("country-pairs", None),
                         ("bridging-organisations", {"group_a": "A", "group_b": "B"}), ("organisation-identities", None)):
        a, b = run(name, embedded, params), run(name, r, params)
        assert len(a) > 0, name
        if name == "organisation-identities":  # identifier values that are not strings: Virtuoso's CONCAT takes them
            odd = {"http://e/o5", "http://e/o6", "http://e/o7"}
            a, b = (Rows([row for row in rows if row["organisation"] not in odd], rows.variables) for rows in (a, b))
            assert len(a) > 3
        assert table(a, *a.variables) == table(b, *a.variables), name
    pairs = {(row["nameA"], row["nameB"]) for row in run("cross-border-pairs", r)}
    assert ("Five", "Six") in pairs  # the pair Virtuoso lost
    # one organisation's partners, its canonical node's names and countries joined last: the same on Virtuoso
    found = 0
    for o in (f"http://e/o{i}" for i in range(1, 9)):
        a, b = (run("organisation-partners", backend, {"organisation": o}) for backend in (embedded, r))
        assert table(a, *a.variables) == table(b, *a.variables), o
        found += len(a)
    assert found == 39  # o1 named twice, o3 not at all, o7 in two countries


@virtuoso_test
def test_parameters_go_to_virtuoso_as_values(pushed):
    rows = run("projects-active-in-year", pushed, {"year": "2021"})
    assert [r["project"].rsplit("/", 1)[1] for r in rows] == [
        "social-rights-advocacy-phase-2", "social-rights-advocacy-phase-3"]
    assert list(run("projects-by-theme", pushed, {"theme": 'x" } ; DROP ALL ; #'})) == []
    assert run("summary", pushed)[0]["projects"] == 7


@virtuoso_test
def test_push_replaces_by_update_and_by_graph_store(virtuoso, seed_graph):
    r = remote(virtuoso)
    graph = "https://w3id.org/ngograph/graph/test"
    data = serialize(seed_graph, "ntriples")
    assert r.push(data, graph, method="gsp") == len(seed_graph)
    assert r.push(data, graph, chunk=500) == len(seed_graph)  # replaces, does not add
    assert r.push(b"<urn:a> <urn:b> <urn:c> .\n", graph, method="gsp") == 1
    leftovers = r.select("SELECT ?g WHERE { GRAPH ?g { } FILTER STRSTARTS(STR(?g), 'urn:ngograph:push') }")
    assert list(leftovers) == []


@virtuoso_test
def test_push_into_the_default_graph_is_refused_with_the_fix(virtuoso):
    with pytest.raises(EndpointError, match="Virtuoso.*no default graph.*--graph IRI"):
        remote(virtuoso).push(b"<urn:a> <urn:b> <urn:c> .\n")


@virtuoso_test
def test_bulk_loader_loads_the_dump(virtuoso, seed_store, seed_graph):
    """The commands of docs/publishing.md (Virtuoso): the N-Quads dump into a folder of DirsAllowed, then
    ld_dir, rdf_loader_run and a checkpoint. The dump's default graph (the curated data) goes to the graph
    named in ld_dir, its named graphs (the dataset description) keep their names."""
    graph = "https://w3id.org/ngograph/graph/bulk"
    dump = virtuoso.load / "ngograph.nq.gz"
    assert main(["export", "--store", str(seed_store), "--format", "nquads", "--gzip", "--output", str(dump)]) == 0
    meta = json.loads(dump.with_name(dump.name + ".meta.json").read_text())
    isql(virtuoso, f"ld_dir('{virtuoso.load}', 'ngograph.nq.gz', '{graph}')", "rdf_loader_run()", "checkpoint")
    status = isql(virtuoso, "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list")
    assert "ngograph.nq.gz" in status and "NULL" in status  # ll_error
    r = remote(virtuoso, graph=graph)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert r.select(count)[0]["n"] == len(seed_graph) > 9000
    described = remote(virtuoso, graph=meta["description_graph"]).select(count)[0]["n"]
    assert described > 0 and len(seed_graph) + described == meta["quads"]
    assert run("summary", r)[0]["projects"] == 7


@virtuoso_test
def test_cli_push_and_query(virtuoso, seed_store, monkeypatch, capsys):
    monkeypatch.setenv("NGOGRAPH_ENDPOINT_PASSWORD", virtuoso.password)
    graph = "https://w3id.org/ngograph/graph/cli"
    assert main(["push", "--store", str(seed_store), "--endpoint", f"{virtuoso.base}/sparql",
                 "--update-endpoint", f"{virtuoso.base}/sparql-auth", "--user", "dba", "--graph", graph]) == 0
    assert main(["query", "lead-partners", "--endpoint", f"{virtuoso.base}/sparql", "--graph", graph,
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "organisation,name,country,projectsLed"
    assert len(out) == 4
    monkeypatch.delenv("NGOGRAPH_ENDPOINT_PASSWORD")
    assert main(["push", "--store", str(seed_store), "--endpoint", f"{virtuoso.base}/sparql",
                 "--update-endpoint", f"{virtuoso.base}/sparql-auth", "--user", "dba", "--graph", graph]) == 2
    assert "NGOGRAPH_ENDPOINT_PASSWORD" in capsys.readouterr().err
