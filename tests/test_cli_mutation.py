"""Mutation tests of ngograph/cli.py (issue 14): what each verb prints and logs, its exit code and its
one-line errors, on a tiny store; the network verbs read a hand-made network (``fetch`` replaced),
the remote ones an in-process server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from ngograph import cli
from ngograph.cli import main
from ngograph.errors import ConfigError
from ngograph.net import graphs as N
from ngograph.net.graphs import NetworkData
from ngograph.store import imports
from ngograph.store.embedded import write_graph, write_store

from conftest import DATA, run_cli as run
from servers import broken_server

BASE = "https://w3id.org/ngograph/id/"
P = f"<{BASE}project/p>"
NT = (f'{P} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Project> .\n'
      f'{P} <https://schema.org/name> "Project P"@en .\n')


@pytest.fixture
def store(tmp_path) -> Path:
    return write_store(tmp_path / "store", NT.encode())


# ---------------------------------------------------------------------------- small helpers

def test_no_command_prints_the_help_and_a_misspelt_option_its_commands_usage(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ngograph [-h] [--version] COMMAND ...") and "query" in err and "examples:" in err
    with pytest.raises(SystemExit) as stop:
        main(["query", "summary", "--parm", "year=2019"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ngograph query ") and err.endswith(
        "ngograph query: error: unrecognized arguments: --parm year=2019 (did you mean --param?)\n")
    with pytest.raises(SystemExit):
        main(["plot", "--figure", "map", "--output", "x", "--sise-by", "degree", "--tpo", "3", "extra"])
    assert capsys.readouterr().err.endswith("ngograph plot: error: unrecognized arguments: --sise-by degree --tpo 3 extra "
                                            "(did you mean --sise-by -> --size-by, --tpo -> --top?)\n")
    with pytest.raises(SystemExit):  # an option written with its value: the option's name is matched
        main(["query", "summary", "--formt=tab-separated-values-please"])
    assert capsys.readouterr().err.endswith("(did you mean --format?)\n")
    with pytest.raises(SystemExit):  # before the command: the top-level usage
        main(["--verison", "query", "summary"])
    err = capsys.readouterr().err
    assert err.startswith("usage: ngograph [-h]") and err.endswith("did you mean --version?)\n")
    with pytest.raises(SystemExit):
        main(["summary", "--zzzz"])
    assert capsys.readouterr().err.endswith("ngograph summary: error: unrecognized arguments: --zzzz\n")


def test_output_closed_early_is_no_error_message(tmp_path):
    """``ngograph ... | head``: the reader goes, the next write fails; no message, exit 141 as a tool killed by SIGPIPE."""
    code = ("import os, sys\nfrom ngograph import cli\nr, w = os.pipe()\nos.close(r)\nos.dup2(w, 1)\n"
            "sys.stdout = open(1, 'w', buffering=1, closefd=False)\n"
            "rc = cli.main(['query', '--list'])\nsys.stderr.write(f'rc={rc}')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr == "rc=141" and done.returncode == 0, done.stderr


def test_log_and_timer(capsys, monkeypatch):
    cli._log("one line")
    assert capsys.readouterr().err == "one line\n"
    clock = iter([100.0, 102.5])
    monkeypatch.setattr(cli.time, "perf_counter", lambda: next(clock))
    assert str(cli._Timer()) == "2.50 s"


def test_build_data(tmp_path):
    from ngograph.resources import EXAMPLE_DIR

    assert cli._build_data(SimpleNamespace(example=False, data=str(tmp_path))) == tmp_path
    assert cli._build_data(SimpleNamespace(example=True, data=None)) == EXAMPLE_DIR
    with pytest.raises(ConfigError, match="^give --data or --example, not both$"):
        cli._build_data(SimpleNamespace(example=True, data=str(tmp_path)))


def test_progress_only_on_a_terminal(monkeypatch):
    assert cli._progress(False, "x") is None  # stderr captured: no terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli._progress(True, "x") is None
    bar = cli._progress(False, "import iati")
    try:
        assert bar is not None and bar.desc == "import iati" and bar.unit == " records" and bar.unit_scale is True
        bar.update_to(7)
        assert bar.n == 7
    finally:
        bar.close()
    bar = cli._progress(False, "validate", " checks", scale=False)
    try:
        assert bar.unit == " checks" and bar.unit_scale is False and bar.total is None
        bar.done_of(3, 10)
        assert (bar.n, bar.total) == (3, 10)
        bar.done_of(12, 14)  # a total that grows
        assert (bar.n, bar.total) == (12, 14)
    finally:
        bar.close()


def test_seconds_and_size():
    assert cli._seconds("2.5") == 2.5
    for text in ("0", "-1", "inf", "nan", "x"):
        with pytest.raises(cli.argparse.ArgumentTypeError) as err:
            cli._seconds(text)
        assert str(err.value) == f"{text!r} is not a number of seconds above 0 (e.g. 30)"
    assert cli._size("2M") == 2 << 20
    with pytest.raises(cli.argparse.ArgumentTypeError) as err:
        cli._size("2")
    assert str(err.value) == "'2' is not a size: write a number and a unit, e.g. 512M or 4G"


def test_os_error():
    assert cli._os_error(OSError(2, "No such file", "a")) == "a: No such file"
    assert cli._os_error(OSError(18, "Cross-device", "a", None, "b")) == "a -> b: Cross-device"
    assert cli._os_error(OSError("plain")) == "plain"
    assert cli._os_error(OSError(5, "", "f")) == "f: [Errno 5] : 'f'"  # no strerror text: str(exc)


def test_csv():
    assert [cli._csv(v) for v in ("a", 'say "x"', "a,b", "two\nlines", 3)] == [
        "a", '"say ""x"""', '"a,b"', '"two\nlines"', "3"]


def test_nothing_to_draw():
    args = SimpleNamespace(start=2019, end=None, funder="f", theme=None, source=["a", "b"])
    assert str(cli._nothing_to_draw(args, "country")) == (
        "the filters --start 2019 --funder f --source a --source b leave no country to draw; nothing written")
    args = SimpleNamespace(start=None, end=None, funder=None, theme=None, source=None)
    assert str(cli._nothing_to_draw(args, "organisation")) == "the store has no organisation to draw; nothing written"


# ---------------------------------------------------------------------------- main: parsing and exit codes

def test_main_errors_are_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "summary", "--store", tmp_path / "none")
    assert code == 2 and out == "" and err.startswith("ngograph summary: ") and err.count("\n") == 1
    (tmp_path / "dir.rq").mkdir()
    code, _, err = run(capsys, "export", "--store", tmp_path / "none", "--output", tmp_path / "x.ttl")
    assert code == 2 and err.startswith("ngograph export: ")


def test_main_interrupted_is_one_line(store, capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_summary", interrupted)
    assert run(capsys, "summary", "--store", store) == (cli.INTERRUPTED, "", "ngograph summary: interrupted\n")
    assert cli.INTERRUPTED == 130 and "130 interrupted (Ctrl-C)" in cli._parser().epilog


def test_main_os_error_is_one_line(store, tmp_path, capsys):
    (tmp_path / "out.ttl").mkdir()  # a folder where the file goes
    code, out, err = run(capsys, "export", "--store", store, "--output", tmp_path / "out.ttl")
    assert code == 2 and err.startswith("ngograph export: ") and err.count("\n") == 1 and "Traceback" not in err


def test_parser_options():
    p = cli._parser()
    args = p.parse_args(["import", "--list"])
    assert args.command == "import" and args.source is None and args.paths == [] and args.list
    args = p.parse_args(["import", "iati", "a", "b", "--base", "https://e.org/"])
    assert (args.source, args.paths, args.base) == ("iati", ["a", "b"], "https://e.org/")
    args = p.parse_args(["validate"])
    assert (args.max_per_group, args.engine, args.inference, args.severity) == (20, "fast", "none", "info")
    assert p.parse_args(["validate", "--max-per-group", "3"]).max_per_group == 3
    args = p.parse_args(["export", "--output", "x", "--gzip"])
    assert args.gzip is True and args.output == "x"
    args = p.parse_args(["query", "summary", "--endpoint", "http://h/q", "--max-rows", "5"])
    assert (args.name, args.endpoint, args.max_rows) == ("summary", "http://h/q", 5)
    assert p.parse_args(["query", "x"]).max_rows == 100_000
    args = p.parse_args(["push", "--endpoint", "http://h/q", "--update-endpoint", "http://h/u"])
    assert args.update_endpoint == "http://h/u"
    args = p.parse_args(["network", "--output", "o", "--store", "s", "--funder", "f", "--start", "2019"])
    assert (args.kind, args.format, args.store, args.funder, args.start, args.include_funders) == (
        "organisations", None, "s", "f", 2019, False)
    args = p.parse_args(["analyze", "--k", "5"])
    assert (args.kind, args.k, args.format, args.top, args.partition) == ("organisations", 5, "table", 20, None)
    assert p.parse_args(["analyze", "--format", "json"]).format == "json"
    args = p.parse_args(["plot", "--figure", "network", "--output", "o.png"])
    assert (args.size_by, args.top, args.partition, args.max_nodes) == (None, None, None, None)  # cmd_plot's defaults
    assert (cli.PLOT_SIZE_BY, cli.PLOT_TOP) == ("weighted_degree", 12)
    args = p.parse_args(["serve"])
    assert (args.port, args.workers) == (8080, 1)
    assert p.parse_args(["serve", "--workers", "3"]).workers == 3
    args = p.parse_args(["extract", "page.txt", "--lang", "pl", "--text"])
    assert (args.file, args.lang, args.text, args.format) == ("page.txt", "pl", True, "yaml")
    assert p.parse_args(["extract", "page.txt"]).text is False
    args = p.parse_args(["site", "--output", "o", "--base", "https://e.org/"])
    assert args.base == "https://e.org/"
    with pytest.raises(SystemExit):
        p.parse_args(["analyze", "--k", "x"])
    assert p.parse_args(["analyze", "--k", "all"]).k == "all"
    assert p.parse_args(["analyze"]).k is None
    with pytest.raises(SystemExit):
        p.parse_args(["analyze", "--k", "0"])


def test_parser_help_names_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes: 0 ok, 1 SHACL violations or quality-check rows, 2 data, shapes, store, query or endpoint cannot " \
           "be used, 3 a query ran out of time" in out
    assert "\n  ngograph build\n  ngograph validate\n" in out  # the raw formatter keeps the lines


# ---------------------------------------------------------------------------- import, reconcile

def test_import_list_and_usage(store, capsys):
    code, out, err = run(capsys, "import", "--list", "--store", store)
    assert (code, out, err) == (0, "", f"import: no imported sources in {store}\n")
    code, _, err = run(capsys, "import", "--store", store)
    assert code == 2 and err == ("ngograph import: name a source and its files, e.g. ngograph import iati data/iati/ "
                                 f"(sources: {', '.join(imports.SOURCES)})\n")
    code, _, err = run(capsys, "import", "iati", "--store", store)
    assert code == 2 and "name a source and its files" in err


def test_import_prints_its_summary(store, capsys, monkeypatch):
    summary = SimpleNamespace(
        problems=[(f"f.xml:{i}", "no title") for i in range(52)] + [("f.xml:99", "bad date")],
        counts={"Project": 3, "Organisation": 1200}, countries={"LV", "EE"}, triples=4567, seconds=1.234,
        mis_decoded=[(f"f.xml:{i}", f"N{i}") for i in range(6)], name="nordic", graph=f"{BASE}dataset/nordic",
        files=["f.xml"])
    seen = {}

    def fake_import(store_path, source, paths, base, **kw):
        seen.update(store=store_path, source=source, paths=paths, base=base, **kw)
        return summary

    monkeypatch.setattr(imports, "import_source", fake_import)
    from ngograph.publish import statistics

    listed = {f"{BASE}dataset/other": 9, f"{BASE}dataset/nordic": 4321}
    store = store.parent.parent / "store"  # the link: a graph written swaps in a new folder
    write_graph(store, ox.NamedNode(f"{BASE}dataset/nordic"), [b"<urn:x:a> <urn:x:p> <urn:x:b> .\n"])
    monkeypatch.setattr(statistics, "kept_statements", lambda s, graphs: {g: listed[g.value] for g in graphs})
    code, out, err = run(capsys, "import", "iati", "a.xml", "--store", store, "--name", "nordic", "--no-reconcile",
                         "--quiet")
    assert code == 0 and out == ""
    assert (seen["store"], seen["source"], seen["paths"], seen["name"], seen["progress"]) == (
        store, "iati", ["a.xml"], "nordic", None)
    lines = err.splitlines()
    assert lines[:50] == [f"f.xml:{i}: no title" for i in range(50)]
    assert lines[50:] == ["... and 3 more problem(s)",
                          f"import: iati as nordic into {store} ({BASE}dataset/nordic), 1 file(s)"]
    code, out, err = run(capsys, "import", "iati", "a.xml", "--store", store, "--no-reconcile")
    assert code == 0
    assert out.splitlines() == [
        "projects           3",
        "organisations      1,200",
        "participations     0",
        "grants             0",
        "transactions       0",
        "countries          2",
        "problems           53",
        "                   52 x no title",
        "                   1 x bad date",
        "mis-decoded names  6 (kept as written)",
        "                   'N0' at f.xml:0",
        "                   'N1' at f.xml:1",
        "                   'N2' at f.xml:2",
        "                   'N3' at f.xml:3",
        "                   'N4' at f.xml:4",
        "triples            4,321 in the graph (4,567 written: a triple written twice is stored once)",
        "seconds            1.23"]
    summary.graph = f"{BASE}dataset/gone"  # a graph the store does not hold (none in practice): what was written
    code, out, _ = run(capsys, "import", "iati", "a.xml", "--store", store, "--no-reconcile")
    assert code == 0 and out.splitlines()[-2:] == ["triples            4,567 written", "seconds            1.23"]


def test_reconcile_verb_reads_the_store(store, tmp_path, capsys):
    (tmp_path / "data").mkdir()
    code, _, err = run(capsys, "reconcile", "--store", store, "--data", tmp_path / "data")
    assert code == 0
    assert err.startswith("reconcile: 0 organisation nodes, 0 merged into 0 organisations (merges: none), "
                          f"0 pair(s) to review in {tmp_path / 'data' / 'reconcile' / 'pending.csv'} (")
    assert (tmp_path / "data" / "reconcile" / "pending.csv").is_file()


def test_reconcile_without_a_data_folder_makes_none(store, tmp_path, capsys):
    """A store built with --example has no data folder: the review queue is not written, and no folder made for it
    (the next `ngograph build` read that empty data/ instead of saying that there is none)."""
    code, _, err = run(capsys, "reconcile", "--store", store, "--data", tmp_path / "data")
    assert code == 0 and not (tmp_path / "data").exists()
    assert err.startswith("reconcile: 0 organisation nodes, 0 merged into 0 organisations (merges: none), 0 pair(s) "
                          f"to review (not written: no data folder at {tmp_path / 'data'}; give --data) (")


# ---------------------------------------------------------------------------- validate

def test_validate_engines_and_inference(store, capsys):
    code, out, err = run(capsys, "validate", "--store", store, "--engine", "fast", "--inference", "rdfs")
    assert code == 2 and err.startswith("ngograph validate: ") and out == ""
    code, out, err = run(capsys, "validate", "--store", store, "--engine", "fast")
    assert code == 1 and out.startswith("VIOLATIONS (1)\n  ngosh:ProjectShape > prov:wasDerivedFrom ")  # no source
    assert "the project names no participating organisation" in out
    assert out.rstrip().endswith("The graph does NOT conform: 1 violation(s), 1 warning(s), 3 info(s).")
    assert err.splitlines()[-1].startswith("validate: the store's graph checked in ")
    assert err.splitlines()[-1].endswith(" s (fast engine)")
    fast = out
    code2, out, err = run(capsys, "validate", "--store", store, "--engine", "pyshacl")
    assert code2 == code and err.splitlines()[-1].startswith("validate: 2 triples checked in ")
    assert err.splitlines()[-1].endswith(" s (pyshacl engine)")
    assert out == fast


def test_validate_severity_keeps_the_worse(store, capsys):
    _, everything, _ = run(capsys, "validate", "--store", store, "--severity", "info")
    _, violations, _ = run(capsys, "validate", "--store", store, "--severity", "violation")
    _, warnings, _ = run(capsys, "validate", "--store", store, "--severity", "warning")
    assert "INFOS (3)" in everything and "WARNINGS (1)" in everything
    assert "VIOLATIONS (1)" in warnings and "WARNINGS (1)" in warnings and "INFOS" not in warnings
    assert "VIOLATIONS (1)" in violations and "WARNINGS" not in violations


# ---------------------------------------------------------------------------- query

def test_query_list_without_a_name(capsys):
    code, out, _ = run(capsys, "query")
    assert code == 0 and out.startswith("bridging-organisations       Organisations that tie two country groups")
    assert "\n                               params: [group_a=nordic] [group_b=eastern-partnership]\n" in out
    assert out == run(capsys, "query", "--list")[1]


def test_query_errors_of_a_users_file_name_the_file(store, tmp_path, capsys):
    bad = tmp_path / "syntax.rq"
    bad.write_text("SELECT * WHERE { ?s ?p \n", encoding="utf-8")
    for fmt in ("csv", "table"):  # streamed and collected
        code, out, err = run(capsys, "query", bad, "--store", store, "--format", fmt)
        assert (code, out) == (2, "") and err.startswith(f"ngograph query: {bad}: not SPARQL: error at 2:1: expected ")
        assert err.count("\n") == 1
    slow = tmp_path / "slow.rq"
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(40))  # 2^40 rows of the store's two triples
    slow.write_text(f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}", encoding="utf-8")
    code, _, err = run(capsys, "query", slow, "--store", store, "--timeout", "1")
    assert code == 3 and err.startswith("ngograph query: the query ")  # only a syntax error names the file
    text = tmp_path / "notes.md"
    text.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    code, _, err = run(capsys, "query", text, "--store", store)
    assert code == 2 and err.startswith(f"ngograph query: {text}: not a query file (a query file's name ends in .rq)")


def test_query_formats(store, tmp_path, capsys):
    rq = tmp_path / "names.rq"
    rq.write_text("#+ summary: names\nSELECT ?p ?name WHERE { ?p <https://schema.org/name> ?name }\n", encoding="utf-8")
    code, out, err = run(capsys, "query", rq, "--store", store, "--format", "csv")
    assert code == 0 and out.splitlines() == ["p,name", f"{BASE}project/p,Project P"]
    assert err.startswith("query: 1 row(s) from embedded in ")
    code, out, err = run(capsys, "query", rq, "--store", store, "--format", "table")
    assert code == 0 and "project/p" in out and BASE not in out  # the base shortened in a table
    two = tmp_path / "two.rq"
    two.write_text("#+ summary: two rows\nSELECT ?x WHERE { VALUES ?x { 1 2 } }\n", encoding="utf-8")
    code, out, err = run(capsys, "query", two, "--store", store, "--format", "csv", "--max-rows", "1")
    assert out.splitlines() == ["x", "1"]
    assert "query: stopped at 1 rows (the --max-rows cap); raise it to see more" in err
    code, _, err = run(capsys, "query", rq, "--store", store, "--param", "year")
    assert code == 2 and err == "ngograph query: --param 'year': write key=value, e.g. --param year=2019\n"
    code, out, err = run(capsys, "query", rq, "--store", store, "--param", "year=2019", "--param", "year=2020")
    assert (code, out) == (2, "") and err == ("ngograph query: --param year given twice ('2019' and '2020'): a parameter "
                                             "takes one value; run the query once for each\n")  # not the last kept
    code, _, err = run(capsys, "query", rq, "--store", store, "--graph", "https://e.org/g")
    assert code == 2 and err == "ngograph query: --graph is for a remote endpoint: give --endpoint URL too\n"
    code, _, err = run(capsys, "query", rq, "--store", store, "--user", "u")
    assert code == 2 and err == "ngograph query: --user is for a remote endpoint: give --endpoint URL too\n"


def test_query_and_push_to_an_endpoint(store, tmp_path, capsys):
    rq = tmp_path / "count.rq"
    rq.write_text("#+ summary: count\nSELECT ?triples WHERE { }\n", encoding="utf-8")
    with broken_server() as base:
        code, out, err = run(capsys, "query", rq, "--endpoint", f"{base}/count/5", "--format", "csv")
        assert code == 0 and out == "triples\n5\n" or out.replace("\r", "") == "triples\n5\n"
        assert err.startswith("query: 1 row(s) from remote in ")
        code, out, err = run(capsys, "push", "--store", store, "--endpoint", f"{base}/count/2",
                             "--gsp-endpoint", f"{base}/nothing", "--method", "gsp")
        assert code == 0
        last = err.splitlines()[-1]
        assert last.startswith(f"push: 2 triples to {base}/count/2 (default graph, gsp), counted there afterwards, in ")
        assert last.endswith(" s") and "None" not in last


# ---------------------------------------------------------------------------- the network verbs

def row(project, org, country="LV", role="partner", funding=False, kind="ngo"):
    return dict(project=project, organisation=org, role=role, funding=funding, label=org.upper(), country=country,
                type=kind)


@pytest.fixture
def network(monkeypatch):
    """``fetch`` gives p1: a (LV), b (DK), f funds; p2: a, b, c (EE); the backend it was given is kept."""
    given = []
    data = NetworkData([row("p1", "a"), row("p1", "b", "DK"), row("p1", "f", "", "funder", True, "international"),
                        row("p2", "a"), row("p2", "b", "DK"), row("p2", "c", "EE")],
                       facets={"p1": {"funder": {"f"}, "theme": set()}, "p2": {"funder": set(), "theme": set()}},
                       groups={"Nordic": {"DK"}, "Baltic": {"EE", "LV"}},
                       projects={"p1": {"label": "P1", "start_date": "2018", "end_date": "2019", "last_activity": ""},
                                 "p2": {"label": "P2", "start_date": "2020", "end_date": "2021", "last_activity": ""}})
    monkeypatch.setattr(N, "fetch", lambda backend: (given.append(backend), data)[1])
    return given


def test_network_csv(store, tmp_path, capsys, network):
    out = tmp_path / "edges.csv"
    code, _, err = run(capsys, "network", "--store", store, "--format", "csv", "--output", out, "--source", "curated")
    assert code == 0
    assert out.read_text(encoding="utf-8") == "source,target,projects,weight\na,b,p1 p2,2\na,c,p2,1\nb,c,p2,1\n"
    assert err == (f"network: organisations graph, 3 nodes, 3 edges -> {out}\n"
                   "network: with --source the organisations are merged within each named source only, "
                   "reconciliation's merges across sources left out: one organisation can count once per source "
                   "(docs/model.md, Reconciliation)\n")
    [backend] = network
    assert backend.path == store and backend.sources == ["curated"]
    code, _, err = run(capsys, "network", "--store", store, "--format", "csv", "--output", out)
    assert err == f"network: organisations graph, 3 nodes, 3 edges -> {out}\n"  # all sources: no note
    run(capsys, "network", "--store", store, "--format", "csv", "--output", out, "--kind", "countries")
    assert out.read_text(encoding="utf-8") == "source,target,pairs,weight\nDK,EE,1,1\nDK,LV,2,2\nEE,LV,1,1\n"
    code, _, err = run(capsys, "network", "--store", store, "--format", "csv", "--output", out, "--kind", "funders")
    assert out.read_text(encoding="utf-8") == "source,target,weight\nf,a,1\nf,b,1\n"
    run(capsys, "network", "--store", store, "--format", "csv", "--output", out, "--start", "2020")
    assert out.read_text(encoding="utf-8") == "source,target,projects,weight\na,b,p2,1\na,c,p2,1\nb,c,p2,1\n"
    run(capsys, "network", "--store", store, "--format", "csv", "--output", out, "--include-funders", "--kind",
        "bipartite")
    assert out.read_text(encoding="utf-8").splitlines() == [
        "source,target,role", "organisation/a,project/p1,partner", "organisation/a,project/p2,partner",
        "organisation/b,project/p2,partner", "project/p1,organisation/b,partner", "project/p1,organisation/f,funder",
        "project/p2,organisation/c,partner"]


def test_network_graphml_and_gexf(store, tmp_path, capsys, network):
    import networkx as nx

    run(capsys, "network", "--store", store, "--output", tmp_path / "g.graphml")
    G = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(G.edges(data="weight")) == [("a", "b", 2), ("a", "c", 1), ("b", "c", 1)]
    run(capsys, "network", "--store", store, "--output", tmp_path / "g.gexf", "--format", "gexf")
    assert sorted(nx.read_gexf(tmp_path / "g.gexf").nodes) == ["a", "b", "c"]


def test_analyze(store, capsys, network):
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "weighted_degree", "--measure", "brokerage",
                       "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["node"], r["label"], r["country"], r["weighted_degree"]) for r in rows] == [
        ("a", "A", "LV", 3), ("b", "B", "DK", 3), ("c", "C", "EE", 2)]
    assert all("brokerage" in r for r in rows)
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "weighted_degree", "--top", "1",
                       "--format", "csv")
    assert out.splitlines() == ["node,label,country,weighted_degree", "a,A,LV,3"]
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "brokerage", "--format", "csv",
                       "--partition", "group")
    assert out.splitlines()[0] == "node,label,country,brokerage,coordinator,itinerant,representative,gatekeeper,liaison"
    code, out, _ = run(capsys, "analyze", "--store", store, "--kind", "countries", "--measure", "degree",
                       "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()] == ["node", "DK", "EE", "LV"]


def test_analyze_defaults_json_text_ties_and_country_nodes(store, capsys, network):
    code, out, _ = run(capsys, "analyze", "--store", store, "--format", "json")
    rows = json.loads(out)
    assert out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert list(rows[0]) == ["node", "label", "country", "degree", "weighted_degree", "betweenness", "pagerank",
                             "cross_border_share"]
    # every degree is 2: ranked by node id, whatever the labels
    assert [(r["node"], r["degree"], r["weighted_degree"], r["cross_border_share"]) for r in rows] == [
        ("a", 2, 3, 1.0), ("b", 2, 3, 1.0), ("c", 2, 2, 1.0)]
    code, out, _ = run(capsys, "analyze", "--store", store, "--kind", "countries", "--measure", "degree",
                       "--format", "json")
    assert json.loads(out) == [{"node": n, "label": name, "country": n, "degree": 2}
                               for n, name in (("DK", "Denmark"), ("EE", "Estonia"), ("LV", "Latvia"))]


def test_analyze_says_nothing_of_sampled_sources_without_betweenness_or_closeness(store, capsys, monkeypatch,
                                                                                 network):
    from ngograph.net import measures

    monkeypatch.setattr(measures, "betweenness_sources", lambda G: 1)  # as if the graph were large
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "degree", "--format", "csv")
    assert code == 0 and err == "" and out.splitlines()[1] == "a,A,LV,2"
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--format", "csv")
    assert err.startswith("analyze: betweenness estimated from 1 sampled sources of 3 nodes")
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "brokerage", "--measure", "degree",
                         "--format", "csv", "--top", "1")
    assert out.splitlines()[1] == "a,A,LV,0,0,0,0,0,0,2"  # the measure after brokerage too
    monkeypatch.setattr(N, "fetch", lambda backend: NetworkData([]))  # an empty graph, no filter: the header alone
    code, out, err = run(capsys, "analyze", "--store", store, "--format", "csv")
    assert (code, out) == (0, "node,label,country,degree,weighted_degree,betweenness,pagerank,cross_border_share\n")


def test_analyze_json_keeps_letters_and_ranks_ties_by_node_not_label(store, capsys, monkeypatch):
    data = NetworkData([{**row("p1", "a"), "label": "Žīle"}, {**row("p1", "b"), "label": "Ābele"}])
    monkeypatch.setattr(N, "fetch", lambda backend: data)
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "degree", "--format", "json")
    assert out == ('[\n  {\n    "node": "a",\n    "label": "Žīle",\n    "country": "LV",\n    "degree": 1\n  },\n'
                   '  {\n    "node": "b",\n    "label": "Ābele",\n    "country": "LV",\n    "degree": 1\n  }\n]\n')


def test_betweenness_sources_asked_or_sampled_where_exact_takes_long(monkeypatch, capsys):
    import networkx as nx
    from ngograph.net import measures

    path = nx.path_graph(5)
    assert cli._betweenness_k(path, None, "analyze") is None  # quick: exact, said nowhere
    assert cli._betweenness_k(path, "all", "analyze") is None
    assert cli._betweenness_k(path, 3, "analyze") == 3
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(measures, "EXACT_WORK_NETWORKX", 5 * (5 + 4) - 1)  # the path's work is 45
    monkeypatch.setattr(measures, "SAMPLE", 2)
    assert cli._betweenness_k(path, None, "plot") == 2
    assert capsys.readouterr().err == ("plot: betweenness estimated from 2 sampled sources of 5 nodes (the exact measure "
                                       "would take long here; --k all for it, --k N for another sample)\n")
    assert cli._betweenness_k(path, "all", "plot") is None and cli._betweenness_k(path, 4, "plot") == 4
    monkeypatch.setattr(measures, "SAMPLE", 5)  # a sample of every node is the exact measure: nothing said
    assert cli._betweenness_k(path, None, "plot") == 5 and capsys.readouterr().err == ""


def test_a_large_graph_without_igraph_is_said(monkeypatch, capsys):
    """Over LARGE nodes the measures would take igraph; without it they run on networkx, and the user is told."""
    import sys

    import networkx as nx
    from ngograph.net import measures

    monkeypatch.setattr(measures, "LARGE", 4)
    path = nx.path_graph(5)
    assert cli._betweenness_k(path, 3, "analyze") == 3
    assert capsys.readouterr().err == ""  # igraph is installed with the test extra
    monkeypatch.setitem(sys.modules, "igraph", None)  # as if it were not installed
    assert measures.igraph_missing(path) and not measures.igraph_missing(nx.path_graph(4))
    assert cli._betweenness_k(path, 3, "analyze") == 3
    assert capsys.readouterr().err == ("analyze: 5 nodes and igraph is not installed: the measures run on networkx, "
                                       "20-190 times slower (pip install -e '.[fast]' in a checkout, pip install 'dist/ngograph-*.whl[fast]' with the wheel)\n")
    assert not measures._use_igraph(path, "auto")


def test_analyze_samples_betweenness_where_exact_takes_long(store, capsys, network, monkeypatch):
    from ngograph.net import measures

    exact = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--format", "json")[1]
    assert run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--format", "json", "--k", "all")[1] == exact
    monkeypatch.setattr(measures, "EXACT_WORK_NETWORKX", 0)
    monkeypatch.setattr(measures, "SAMPLE", 2)
    seen = []
    monkeypatch.setitem(measures.MEASURES, "betweenness", lambda G, k=None, **kw: seen.append(k) or {n: 0.5 for n in G})
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--format", "csv")
    assert code == 0 and seen == [2] and "analyze: betweenness estimated from 2 sampled sources of 3 nodes" in err
    assert out.splitlines()[1:] == ["a,A,LV,0.5", "b,B,DK,0.5", "c,C,EE,0.5"]
    run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--k", "all")
    run(capsys, "analyze", "--store", store, "--measure", "degree")  # no betweenness: no sources chosen
    assert seen == [2, None]


def test_analyze_samples_closeness_as_it_samples_betweenness(store, capsys, network, monkeypatch):
    from ngograph.net import measures

    exact = run(capsys, "analyze", "--store", store, "--measure", "closeness", "--format", "csv")
    assert exact[2] == "" and exact[1].splitlines()[1:] == ["a,A,LV,1.0", "b,B,DK,1.0", "c,C,EE,1.0"]  # a triangle
    monkeypatch.setattr(measures, "EXACT_WORK_NETWORKX", 0)
    monkeypatch.setattr(measures, "SAMPLE", 2)
    seen = []
    monkeypatch.setitem(measures.MEASURES, "closeness", lambda G, k=None, **kw: seen.append(("c", k)) or {n: 0.5 for n in G})
    monkeypatch.setitem(measures.MEASURES, "betweenness", lambda G, k=None, **kw: seen.append(("b", k)) or {n: 0.5 for n in G})
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "closeness", "--format", "csv")
    assert code == 0 and seen == [("c", 2)]
    assert err == ("analyze: closeness estimated from 2 sampled sources of 3 nodes (the exact measure would take long "
                   "here; --k all for it, --k N for another sample)\n")
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--measure", "closeness",
                         "--measure", "degree", "--k", "all")
    assert seen[1:] == [("b", None), ("c", None)] and err == ""
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "closeness", "--measure", "betweenness")
    assert seen[3:] == [("c", 2), ("b", 2)] and "analyze: closeness and betweenness estimated from 2 sampled" in err


def test_plot_network_takes_max_nodes_and_k(store, capsys, network, monkeypatch, tmp_path):
    from ngograph.net import measures
    from ngograph.net import plot as P

    seen = []
    drawn = P.plot_network
    monkeypatch.setattr(P, "plot_network", lambda G, **kw: seen.append(("limit", kw["limit"])) or
                        seen.append(("label", kw["size_label"])) or drawn(G, **kw))
    exact = measures.betweenness
    monkeypatch.setattr(measures, "betweenness", lambda G, k=None, **kw: seen.append(("k", k)) or exact(G, k=k))
    out = str(tmp_path / "n.png")
    assert run(capsys, "plot", "--store", store, "--figure", "network", "--output", out)[0] == 0
    assert run(capsys, "plot", "--store", store, "--figure", "network", "--size-by", "betweenness", "--max-nodes", "2",
               "--k", "2", "--output", out)[0] == 0
    assert run(capsys, "plot", "--store", store, "--figure", "network", "--size-by", "betweenness", "--k", "all",
               "--output", out)[0] == 0
    assert seen == [("limit", 150), ("label", "weighted degree"), ("k", 2), ("limit", 2),
                    ("label", "betweenness (sampled, k=2)"), ("k", None), ("limit", 150), ("label", "betweenness")]


def test_an_option_the_work_does_not_use_is_said_ignored(store, capsys, network, tmp_path):
    out = str(tmp_path / "f.png")
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "timeline", "--output", out, "--top", "5",
                       "--partition", "group", "--k", "3", "--size-by", "pagerank", "--max-nodes", "9",
                       "--data", tmp_path, "--include-funders")
    assert code == 0 and err.splitlines()[:-1] == [
        "plot: --size-by pagerank ignored: it shapes --figure network only",
        "plot: --max-nodes 9 ignored: it shapes --figure network only",
        "plot: --k 3 ignored: it shapes --figure network --size-by betweenness only",
        "plot: --top 5 ignored: it shapes --figure network and brokerage only",
        "plot: --partition group ignored: it shapes --figure brokerage only",
        f"plot: --data {tmp_path} ignored: it shapes --figure map only (its reference tables)",
        "plot: --include-funders ignored: it shapes the networks, not --figure timeline"]
    # each where it is used: no note
    for figure, *more in [("network", "--size-by", "betweenness", "--k", "all", "--max-nodes", "2", "--top", "1"),
                          ("brokerage", "--top", "1", "--partition", "group", "--include-funders"),
                          ("map", "--data", DATA), ("matrix", "--include-funders")]:
        code, _, err = run(capsys, "plot", "--store", store, "--figure", figure, "--output", out, *more)
        assert code == 0 and "ignored" not in err, (figure, err)
    # --k with another size: the network's own note only
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "network", "--output", out, "--k", "2")
    assert "plot: --k 2 ignored: it shapes --figure network --size-by betweenness only" in err.splitlines()
    code, _, err = run(capsys, "analyze", "--store", store, "--measure", "degree", "--k", "2", "--partition", "country")
    assert code == 0 and err.splitlines() == ["analyze: --k 2 ignored: it shapes --measure betweenness and closeness only",
                                              "analyze: --partition country ignored: it shapes --measure brokerage only"]
    code, _, err = run(capsys, "analyze", "--store", store, "--measure", "closeness", "--measure", "brokerage",
                       "--k", "all", "--partition", "country")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "network", "--store", store, "--kind", "funders", "--include-funders", "--output",
                       tmp_path / "f.csv")
    assert code == 0 and err.splitlines()[0] == ("network: --include-funders ignored: it shapes --kind organisations, "
                                                 "countries and bipartite: funders are the funder network's nodes")
    for kind in ("organisations", "countries", "bipartite"):
        code, _, err = run(capsys, "network", "--store", store, "--kind", kind, "--include-funders", "--output",
                           tmp_path / "f.csv")
        assert code == 0 and "ignored" not in err


def test_the_help_states_the_limits_the_code_keeps():
    from ngograph.net.measures import SAMPLE
    from ngograph.net.plot import DRAWN_LIMIT
    from ngograph.queries.library import TABLE_CELL

    p = cli._parser()
    options = {(verb, a.dest): a for verb, sp in p._subparsers._group_actions[0].choices.items() for a in sp._actions}
    assert cli.PLOT_MAX_NODES == DRAWN_LIMIT and f"(default: {DRAWN_LIMIT})" in options["plot", "max_nodes"].help
    for verb in ("analyze", "plot"):
        assert f"else {SAMPLE} sampled" in options[verb, "k"].help
    for verb in ("query", "analyze"):
        assert f"cut at {TABLE_CELL} characters" in options[verb, "format"].help


def test_partition():
    G = N.copartnership_graph(NetworkData([row("p", "a"), row("p", "b", "DK"), row("p", "c", "")],
                                          groups={"Baltic": {"LV"}}))
    data = NetworkData([], groups={"Baltic": {"LV"}})
    assert cli._partition(SimpleNamespace(partition="country"), data, G) == "country"
    # DK is in no group: a group of its own; c has no country: left to brokerage_roles ("international")
    assert cli._partition(SimpleNamespace(partition="group"), data, G) == {"a": "Baltic", "b": "DK", "c": ""}


NO_GROUPS = ("--partition group: the store holds no country groups (data/country-groups.yaml, read by `ngograph build`);"
             " add them and build, or use --partition country")


def test_partition_without_country_groups(store, tmp_path, capsys, monkeypatch):
    """A data folder without country-groups.yaml: every organisation would be in one group, every broker a
    coordinator; asked for by group, the brokerage is refused in one line, before any measure runs, and no
    figure is written. By country it is counted as ever."""
    data = NetworkData([row("p", "a"), row("p", "b", "DK"), row("q", "b", "DK"), row("q", "c", "EE")])
    G = N.copartnership_graph(data)
    with pytest.raises(ConfigError) as caught:
        cli._partition(SimpleNamespace(partition="group"), data, G)
    assert str(caught.value) == NO_GROUPS
    assert cli._partition(SimpleNamespace(partition="country"), data, G) == "country"
    monkeypatch.setattr(N, "fetch", lambda backend: data)
    ran = []
    monkeypatch.setitem(cli_measures(), "betweenness", lambda G, k=None: ran.append(k) or {})
    code, out, err = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--measure", "brokerage",
                         "--partition", "group")
    assert (code, out, err, ran) == (2, "", f"ngograph analyze: {NO_GROUPS}\n", [])
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "brokerage", "--format", "csv")
    assert code == 0 and out.splitlines()[1] == "b,B,DK,1,0,0,0,0,1"
    figure = tmp_path / "brokerage.png"
    code, out, err = run(capsys, "plot", "--store", store, "--figure", "brokerage", "--output", figure,
                         "--partition", "group")
    assert (code, err, figure.exists()) == (2, f"ngograph plot: {NO_GROUPS}\n", False)
    # by default by country, as analyze: no groups needed
    code, out, err = run(capsys, "plot", "--store", store, "--figure", "brokerage", "--output", figure)
    assert (code, figure.exists()) == (0, True)


def cli_measures() -> dict:
    from ngograph.net.measures import MEASURES

    return MEASURES


def test_graph_kinds(network):
    data = N.fetch(None)
    args = SimpleNamespace(include_funders=True)
    assert sorted(cli._graph(args, data).nodes) == ["a", "b", "c", "f"]
    args.kind = "countries"
    assert sorted(cli._graph(args, data).nodes) == ["DK", "EE", "LV"]
    args.kind = "funders"
    assert sorted(cli._graph(args, data).edges) == [("f", "a"), ("f", "b")]


def test_plot(store, tmp_path, capsys, network):
    for figure in ("network", "matrix", "timeline", "brokerage"):
        out = tmp_path / f"{figure}.png"
        code, _, err = run(capsys, "plot", "--store", store, "--figure", figure, "--output", out)
        assert code == 0 and out.read_bytes()[:4] == b"\x89PNG"
        assert err == f"plot: {figure} -> {out}\n"
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "network", "--output", tmp_path / "n.png",
                       "--start", "2030", "--size-by", "betweenness")
    assert code == 2 and err == ("ngograph plot: the filters --start 2030 leave no organisation to draw; "
                                 "nothing written\n")
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "matrix", "--output", tmp_path / "m.png",
                       "--end", "2000")
    assert code == 2 and err == "ngograph plot: the filters --end 2000 leave no country to draw; nothing written\n"
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "timeline", "--output", tmp_path / "t.png",
                       "--theme", "x")
    assert code == 2 and "leave no project with dates to draw" in err
    assert not (tmp_path / "n.png").exists() and not (tmp_path / "m.png").exists()


def test_network_and_analyze_refuse_filters_that_leave_nothing(store, tmp_path, capsys, network):
    """As plot does: a mistyped funder or theme, or years the wrong way round, is one line and exit 2, not an
    empty file or "(0 rows)" and exit 0; with no filter an empty graph is still an empty result."""
    out = tmp_path / "x.graphml"
    for given in (["--funder", "nosuch"], ["--theme", "nosuch"], ["--start", "2030", "--end", "2010"]):
        code, _, err = run(capsys, "network", "--store", store, "--output", out, *given)
        assert (code, err, out.exists()) == (2, f"ngograph network: the filters {' '.join(given)} leave no node in the "
                                                "graph; nothing written\n", False)
        code, printed, err = run(capsys, "analyze", "--store", store, *given)
        assert (code, printed, err) == (2, "", f"ngograph analyze: the filters {' '.join(given)} leave no node to analyse\n")
    code, _, _ = run(capsys, "network", "--store", store, "--output", out, "--funder", "f")
    assert code == 0 and out.exists()


# ---------------------------------------------------------------------------- export, docs, summary

def test_export_logs_what_it_wrote(store, tmp_path, capsys, monkeypatch):
    code, _, err = run(capsys, "export", "--store", store, "--output", tmp_path / "x.nq", "--format", "nquads", "--gzip")
    assert code == 0
    assert err.startswith(f"export: ") and " quads as nquads (gzip) to " in err and "sidecar x.nq.meta.json (" in err
    code, _, err = run(capsys, "export", "--store", store, "--output", tmp_path / "x.ttl")
    assert " triples as turtle to " in err and "(gzip)" not in err
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "--store", store, "--output", "-")
    assert (code, out) == (2, "") and err == ("ngograph export: --output -: export writes a file and its sidecar "
                                             "(FILE.meta.json), not to standard output; give a file name\n")
    assert not (tmp_path / "-").exists() and not (tmp_path / "-.meta.json").exists()  # was written as a file "-"


def test_summary(store, capsys):
    code, out, _ = run(capsys, "summary", "--store", store)
    lines = out.splitlines()
    assert code == 0 and any(line.split()[:2] == ["projects", "1"] for line in lines)
    width = max(len(line.split()[0]) for line in lines)
    assert all(line[width:width + 2] == "  " for line in lines)


def test_serve_without_the_extra(monkeypatch, store, capsys):
    import builtins

    real = builtins.__import__

    def no_serve(name, *a, **k):
        if name == "ngograph.publish.serve":
            raise ImportError("no uvicorn", name="uvicorn")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_serve)
    code, _, err = run(capsys, "serve", "--store", store)
    assert code == 2 and err == ("ngograph serve: ngograph serve needs the serve extra (uvicorn is missing): "
                                 "pip install -e '.[serve]' in a checkout, pip install 'dist/ngograph-*.whl[serve]' with the wheel\n")


def test_extract_text(tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text("A project.\n", encoding="utf-8")
    code, out, _ = run(capsys, "extract", page, "--text")
    assert code == 0 and out.startswith("A project.") and out.endswith("\n")


def test_build_the_example(tmp_path, capsys):
    import re

    from ngograph.resources import EXAMPLE_DIR

    code, out, err = run(capsys, "build", "--example", "--store", tmp_path / "store")
    lines = err.splitlines()
    assert code == 0 and out == ""
    assert re.fullmatch(rf"records: read \d+ records from \d+ files in {re.escape(str(EXAMPLE_DIR))} \(\d+\.\d\d s\)",
                        lines[0])
    assert re.fullmatch(rf"build: \d+ triples under {re.escape(BASE)} \(\d+\.\d\d s\)", lines[1])
    assert re.fullmatch(r"validate: conforms, \d+ warning\(s\), \d+ info\(s\), quality checks pass \(\d+\.\d\d s\)",
                        lines[2])
    assert lines[3] == f"store: wrote {tmp_path / 'store'}, with the dataset's description (" + lines[3].split("(")[-1]
    assert lines[4].startswith("reconcile: ")
    code, _, err = run(capsys, "build", "--example", "--data", tmp_path, "--store", tmp_path / "s2")
    assert code == 2 and err == "ngograph build: give --data or --example, not both\n"


def test_docs_logs_what_it_wrote(tmp_path, capsys):
    import re

    vocab = tmp_path / "data" / "vocab"
    vocab.mkdir(parents=True)
    (vocab / "a.ttl").write_text("<https://e.org/s> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .\n",
                                 encoding="utf-8")
    out = tmp_path / "docs"  # 10 files: index, shapes, vocab/index, vocab/s pages and 6 machine-readable files
    code, _, err = run(capsys, "docs", "--output", out, "--data", tmp_path / "data")
    assert code == 0
    assert re.fullmatch(rf"docs: 10 files in {re.escape(str(out))}: ontology index.html, shapes.html, vocab/ "
                        r"\(\d+\.\d\d s\)\n", err)


def test_analyze_ranks_a_missing_value_last(store, capsys, monkeypatch):
    data = NetworkData([row("p1", "a"), row("p1", "b", "DK"), row("p2", "a"), row("p2", "c", "EE"), row("p3", "e")],
                       groups={})
    monkeypatch.setattr(N, "fetch", lambda backend: data)
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "betweenness", "--format", "csv")
    # a lies between b and c: 1/3 (normalised over the 3 pairs of the others); b, c and e: 0, ranked by name
    assert out.splitlines() == ["node,label,country,betweenness", "a,A,LV,0.333333", "b,B,DK,0.0", "c,C,EE,0.0",
                                "e,E,LV,0.0"]


def test_site_logs_what_it_wrote(store, tmp_path, capsys):
    import re

    out = tmp_path / "site"
    code, _, err = run(capsys, "site", "--store", store, "--output", out)
    assert code == 0
    assert re.fullmatch(rf"site: 1 resource pages, their RDF and the index pages in {re.escape(str(out))} "
                        r"\(\d+\.\d\d s\)\n", err)


def test_a_countrys_ei_index_is_that_of_its_organisations_ties(store, capsys, monkeypatch):
    """The country network has no tie within a country, so its own E-I index and cross-border share were 1.0 for
    every country. p1: a and d (LV), b (DK); p2: a, b. Organisation ties a-d (LV at home), a-b and d-b (abroad):
    LV (2 - 1) / 3, DK (2 - 0) / 2; the share abroad (E-I + 1) / 2."""
    data = NetworkData([row("p1", "a"), row("p1", "d"), row("p1", "b", "DK"), row("p2", "a"), row("p2", "b", "DK")],
                       facets={"p1": {"funder": set(), "theme": set()}, "p2": {"funder": set(), "theme": set()}},
                       projects={p: {"label": p, "start_date": "", "end_date": "", "last_activity": ""}
                                 for p in ("p1", "p2")})
    monkeypatch.setattr(N, "fetch", lambda backend: data)
    code, out, _ = run(capsys, "analyze", "--store", store, "--kind", "countries", "--measure", "ei_index",
                       "--measure", "cross_border_share", "--measure", "degree", "--format", "csv")
    assert (code, out.splitlines()) == (0, ["node,label,country,ei_index,cross_border_share,degree",
                                            "DK,Denmark,DK,1.0,1.0,1", "LV,Latvia,LV,0.333333,0.666667,1"])
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "ei_index", "--format", "csv")
    assert out.splitlines()[1:] == ["b,B,DK,1.0", "a,A,LV,0.0", "d,D,LV,0.0"]  # organisations: their own ties


def test_serve_refuses_a_dumps_folder_that_is_not_one(store, capsys, tmp_path):
    code, out, err = run(capsys, "serve", "--store", store, "--dumps", tmp_path / "none")
    assert (code, out) == (2, "")
    assert err == (f"ngograph serve: --dumps {tmp_path / 'none'}: no such folder (the folder `ngograph export "
                   "--output DIR/FILE` writes the dumps into)\n")  # and no word of serving before it


def test_a_filtered_figure_says_which_projects_it_shows(store, capsys, network, monkeypatch, tmp_path):
    from ngograph.net import plot as P

    titles = []
    saved = P.save
    monkeypatch.setattr(P, "save", lambda ax, output, name: titles.append(ax.get_title()) or saved(ax, output, name=name))
    for figure in ("timeline", "matrix"):
        assert run(capsys, "plot", "--store", store, "--figure", figure, "--output", tmp_path / f"{figure}.png")[0] == 0
        assert run(capsys, "plot", "--store", store, "--figure", figure, "--start", "2020", "--end", "2021",
                   "--output", tmp_path / f"{figure}-2020.png")[0] == 0
    assert "\n" not in titles[0] and "\n" not in titles[2]
    assert titles[1] == titles[0] + "\n(the projects kept by --start 2020 --end 2021, each over all the years it runs)"
    assert titles[3] == titles[2] + "\n(the projects kept by --start 2020 --end 2021)"


def test_network_format_from_the_suffix_and_a_clash_refused(store, capsys, network, tmp_path):
    """GEXF was written into x.graphml when --format gexf met --output x.graphml."""
    out = tmp_path / "n.gexf"
    assert run(capsys, "network", "--store", store, "--output", out)[0] == 0
    assert out.read_text().startswith("<?xml") and "<gexf" in out.read_text()
    clash = tmp_path / "x.graphml"
    code, _, err = run(capsys, "network", "--store", store, "--format", "gexf", "--output", clash)
    assert (code, err, clash.exists()) == (2, f"ngograph network: --output {clash} says graphml, --format gexf: give "
                                               "one, or both alike\n", False)
    plain = tmp_path / "edges.txt"
    assert run(capsys, "network", "--store", store, "--format", "csv", "--output", plain)[0] == 0
    assert plain.read_text().startswith("source,target,")


def test_plot_refuses_a_data_folder_that_is_not_there(store, capsys, network, tmp_path):
    """The map's reference tables came from the shipped ones when --data named no folder: a typo went unseen."""
    code, _, err = run(capsys, "plot", "--store", store, "--figure", "map", "--data", tmp_path / "nope",
                       "--output", tmp_path / "m.png")
    assert (code, err) == (2, f"ngograph plot: --data {tmp_path / 'nope'}: no such folder\n")


def test_a_measure_asked_twice_is_one_column(store, capsys, network):
    code, out, _ = run(capsys, "analyze", "--store", store, "--measure", "degree", "--measure", "degree", "--format",
                       "csv")
    assert (code, out.splitlines()[0]) == (0, "node,label,country,degree")


def test_ranked_highest_first_community_ascending_missing_last_ties_by_node():
    t = {"b": {"m": 0.5}, "a": {"m": 0.5}, "n": {"m": None}, "c": {"m": -1.0}, "z": {"m": float("nan")}, "d": {"m": 2}}
    assert [n for n, _ in cli._ranked(t, "m")] == ["d", "a", "b", "c", "n", "z"]
    com = {"y": {"community": 1}, "x": {"community": 1}, "w": {"community": 0}, "v": {"community": None}}
    assert [n for n, _ in cli._ranked(com, "community")] == ["w", "x", "y", "v"]


def test_network_format_by_hand():
    assert [cli._network_format(None, o) for o in ("a.txt", "a", "a.GraphML", "x.csv")] == [
        "graphml", "graphml", "graphml", "csv"]
    assert cli._network_format("gexf", "a.xml") == "gexf"


def test_a_countrys_ei_index_with_the_funders(store, capsys, monkeypatch):
    """With --include-funders the funder's ties count too: f (NO) funds p1 with a, d (LV) and b (DK). LV: abroad a-b,
    d-b, a-f, d-f, at home a-d: (4 - 1) / 5; without: (2 - 1) / 3."""
    data = NetworkData([row("p1", "a"), row("p1", "d"), row("p1", "b", "DK"), row("p1", "f", "NO", "funder", True),
                        row("p2", "a"), row("p2", "b", "DK")],
                       facets={"p1": {"funder": {"f"}, "theme": set()}, "p2": {"funder": set(), "theme": set()}},
                       projects={p: {"label": p, "start_date": "", "end_date": "", "last_activity": ""}
                                 for p in ("p1", "p2")})
    monkeypatch.setattr(N, "fetch", lambda backend: data)
    rows = {}
    for extra in ([], ["--include-funders"]):
        code, out, _ = run(capsys, "analyze", "--store", store, "--kind", "countries", "--measure", "ei_index",
                           "--format", "csv", *extra)
        rows[bool(extra)] = dict(line.split(",")[0::3] for line in out.splitlines()[1:])
    assert rows == {False: {"DK": "1.0", "LV": "0.333333"}, True: {"DK": "1.0", "LV": "0.6", "NO": "1.0"}}


def test_commands_of_a_parser_given():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    sub.add_parser("first")
    sub.add_parser("second")
    assert list(cli.commands(parser)) == ["first", "second"]
    assert list(cli.commands())[:2] == ["build", "import"]  # ngograph's own


@pytest.mark.parametrize("command, figure, counts", [
    ("summary", None, True), ("network", None, True), ("analyze", None, True), ("plot", "network", True),
    ("plot", "timeline", False), ("export", None, False), ("validate", None, False)])
def test_the_commands_whose_source_reading_gets_the_note(command, figure, counts):
    assert cli._counts_organisations(SimpleNamespace(command=command, figure=figure)) is counts
