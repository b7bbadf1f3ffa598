"""`--source NAME` (repeatable): queries, networks, analysis, plots, exports and validation of the
curated data, of imported sources, or both. A tiny store: the seeds built by `ngograph build`, and
the 14-row Interreg fixture imported as `interreg`; every count is checked against a count of the
seed files or the fixture's JSON made here (the curated figures also in notes: 7 projects, 30
organisations, 55 participations, 14 events, 9 countries, 3 funders)."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, Graph, URIRef

import ngograph
from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.errors import ConfigError
from ngograph.net.graphs import copartnership_graph, fetch
from ngograph.publish.describe import as_graph, description_graph
from ngograph.queries.library import run
from ngograph.store.backends import Embedded, InMemory, Remote
from ngograph.store.embedded import BUILD_GRAPH, VOCAB_GRAPH, open_store, read_graph

from servers import oxigraph_server

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "interreg" / "rawdata_2026.json"
BASE = "https://w3id.org/ngograph/id/"
INTERREG = f"{BASE}dataset/interreg"
UNKNOWN = "unknown source(s) 'nope' (--source): the store holds curated, interreg"


def _interreg() -> dict:
    """The fixture counted here: the rows the import keeps (all but the one that ends before it
    starts), projects by (programme, name, type, start), organisations by (programme, name) and
    one per unnamed row, the partner pairs of each project."""
    kept = [r for r in json.loads(FIXTURE.read_text(encoding="utf-8")) if not r["slutdatum"] < r["startdatum"]]
    members = defaultdict(set)
    for r in kept:
        if r["organisationsnamn"]:
            members[(r["program"], r["projektnamn"], r["projekttyp"], r["startdatum"])].add(r["organisationsnamn"])
    orgs = {(r["program"], r["organisationsnamn"]) for r in kept if r["organisationsnamn"]}
    return {"participations": len(kept),
            "projects": len({(r["program"], r["projektnamn"], r["projekttyp"], r["startdatum"]) for r in kept}),
            "organisations": len(orgs) + sum(not r["organisationsnamn"] for r in kept),
            "pairs": {frozenset(p) for m in members.values() for p in combinations(sorted(m), 2)}}


CURATED = {"projects": 7, "organisations": 30, "countries": 9, "funders": 3, "participations": 55, "events": 14}
IMPORTED = {"projects": 11, "organisations": 12, "countries": 1, "funders": 0, "participations": 13, "events": 0}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    link = tmp_path_factory.mktemp("sources") / "store"
    assert main(["build", "--store", str(link)]) == 0
    assert main(["import", "interreg", str(FIXTURE), "--store", str(link), "--quiet"]) == 0
    return link


def _groups_yaml() -> list[dict]:
    """The records of data/country-groups.yaml, read here with every scalar as text (NO is Norway)."""
    text = (PROJECT_ROOT / "data" / "country-groups.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.BaseLoader)["country_groups"]


def _country_groups() -> dict[str, set[str]]:
    """{group: {country, ...}} of data/country-groups.yaml."""
    return {g["id"]: set(g["countries"]) for g in _groups_yaml()}


@pytest.fixture(scope="module")
def vocabularies() -> int:
    """The triples of the reference data: the vocabularies, data/vocab/*.ttl, counted with rdflib, and
    the country groups of data/country-groups.yaml: each a skos:Collection with a notation, one
    rdfs:label, a skos:prefLabel per language and a skos:member per country."""
    g = Graph()
    for path in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl")):
        g.parse(path, format="turtle")
    groups = _groups_yaml()
    assert groups
    return len(g) + sum(3 + len(group["name"]) + len(group["countries"]) for group in groups)


def _summary(store, capsys, *flags) -> dict:
    capsys.readouterr()
    assert main(["summary", "--store", str(store), *flags]) == 0
    return {k: int(v) for k, v in (line.split() for line in capsys.readouterr().out.splitlines())}


def _triples(store, graph) -> int:
    with open_store(store) as s:
        return sum(1 for _ in s.quads_for_pattern(None, None, None, graph))


def test_the_hand_counts(records):
    assert len(records.projects) == CURATED["projects"] and len(records.organisations) == CURATED["organisations"]
    counted = _interreg()
    assert {k: counted[k] for k in ("projects", "organisations", "participations")} == \
        {k: IMPORTED[k] for k in ("projects", "organisations", "participations")}
    assert len(counted["pairs"]) == 3  # LIMIT's three Swedish partners; the other projects have one each


BOTH = {**{k: CURATED[k] + IMPORTED[k] for k in CURATED}, "countries": 9}  # Sweden is among the curated nine


@pytest.mark.parametrize("flags, expected, graphs", [
    ((), BOTH, ("curated", "interreg")),
    (("--source", "curated"), CURATED, ("curated",)),
    (("--source", "interreg"), IMPORTED, ("vocabularies", "interreg")),
    (("--source", "interreg", "--source", "curated"), BOTH, ("curated", "interreg")),
    (("--source", "interreg", "--source", "interreg"), IMPORTED, ("vocabularies", "interreg")),
])
def test_summary_counts(store, capsys, seed_graph, vocabularies, flags, expected, graphs):
    counts = _summary(store, capsys, *flags)
    triples = counts.pop("triples")
    assert counts == expected
    sizes = {"curated": len(seed_graph), "interreg": _triples(store, ox.NamedNode(INTERREG)),
             "vocabularies": vocabularies}
    assert sizes["curated"] == _triples(store, ox.DefaultGraph())
    assert sizes["vocabularies"] == _triples(store, VOCAB_GRAPH) > 5000  # the reference vocabularies, a copy
    assert triples == sum(sizes[g] for g in graphs)  # with imported sources alone, the vocabularies come along


@pytest.mark.parametrize("argv", [
    ["summary"], ["query", "summary"], ["export", "--output", "x.ttl"], ["validate"],
    ["network", "--output", "x.graphml"], ["analyze"], ["plot", "--figure", "timeline", "--output", "x"],
])
def test_an_unknown_source_is_one_line_and_exit_2(store, capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main([*argv, "--store", str(store), "--source", "curated", "--source", "nope"]) == 2
    out, err = capsys.readouterr()
    assert err == f"ngograph {argv[0]}: {UNKNOWN}\n" and out == ""
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_query_in_its_worker_process(store, capsys):
    """`ngograph query` runs in a worker process: the sources travel there."""
    def rows(*flags):
        capsys.readouterr()
        assert main(["query", "organisations-per-country", "--store", str(store), "--format", "csv", *flags]) == 0
        return {r.split(",")[0]: int(r.split(",")[2]) for r in capsys.readouterr().out.splitlines()[1:]}

    curated = {"LV": 11, "LT": 4, "DK": 3, "BY": 2, "NO": 2, "RU": 2, "EE": 1, "PL": 1, "SE": 1}
    assert rows("--source", "curated") == curated
    assert rows("--source", "interreg") == {"SE": IMPORTED["organisations"]}  # every Interreg partner is Swedish
    assert rows() == rows("--source", "curated", "--source", "interreg") == {**curated, "SE": 1 + 12}


def test_python_api_and_network_functions(store):
    assert ngograph.query("summary", store=store, sources=["interreg"])[0]["projects"] == IMPORTED["projects"]
    assert ngograph.query("summary", store=store, sources=["curated"])[0]["projects"] == CURATED["projects"]
    with pytest.raises(ConfigError, match="the store holds curated, interreg"):
        ngograph.query("summary", store=store, sources=["nope"])
    G = copartnership_graph(fetch(Embedded(store, sources=["interreg"])))
    assert G.number_of_nodes() == IMPORTED["organisations"]
    labels = {frozenset(G.nodes[n]["label"] for n in e) for e in G.edges}
    assert labels == _interreg()["pairs"]
    assert {G.nodes[n]["country"] for n in G} == {"SE"}
    # the country groups are reference data, as the vocabularies: there with any sources (the brokerage partition)
    groups = _country_groups()
    assert len(groups) == 5 and groups["nordic"] == {"DK", "FI", "IS", "NO", "SE"}
    for sources in (["interreg"], ["curated"], None):
        assert fetch(Embedded(store, sources=sources)).groups == groups, sources
    curated = copartnership_graph(fetch(Embedded(store, sources=["curated"])))
    both = copartnership_graph(fetch(Embedded(store, sources=["curated", "interreg"])))
    everything = copartnership_graph(fetch(Embedded(store)))
    assert curated.number_of_nodes() == 23  # the 30 organisations less 3 that only fund and 4 in no project
    assert both.number_of_nodes() == everything.number_of_nodes() == 23 + 12
    assert both.number_of_edges() == everything.number_of_edges() == curated.number_of_edges() + 3


def test_network_analyze_and_plot(store, tmp_path, capsys):
    out = tmp_path / "n.csv"
    assert main(["network", "--store", str(store), "--source", "interreg", "--format", "csv", "--output", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 3
    capsys.readouterr()
    assert main(["analyze", "--store", str(store), "--source", "interreg", "--measure", "degree", "--format", "csv"]) == 0
    degrees = [line.rsplit(",", 1)[1] for line in capsys.readouterr().out.splitlines()[1:]]
    assert sorted(degrees) == ["0"] * 9 + ["2"] * 3
    assert main(["plot", "--store", str(store), "--source", "interreg", "--figure", "timeline",
                 "--output", str(tmp_path / "t.svg")]) == 0
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").count("SelfCare") >= 2  # two SelfCare projects


def test_export_and_validate(store, tmp_path, capsys, seed_graph):
    with open_store(store) as s:
        description = as_graph(description_graph(s.store))  # in every dump
    for name, expected in (("curated", seed_graph + description),
                           ("interreg", read_graph(store, ["interreg"]) + description)):
        out = tmp_path / f"{name}.nt"
        assert main(["export", "--store", str(store), "--source", name, "--format", "ntriples", "--output", str(out)]) == 0
        assert len(out.read_text(encoding="utf-8").splitlines()) == len(expected)
    interreg = read_graph(store, ["interreg"])
    assert (URIRef(INTERREG), None, None) in interreg
    assert not any(str(s).startswith(f"{BASE}project/red-cross") for s in interreg.subjects())
    capsys.readouterr()
    assert main(["validate", "--store", str(store), "--source", "curated", "--severity", "violation"]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


def _nquads(store) -> bytes:
    with open_store(store) as s:
        return s.dump(format=ox.RdfFormat.N_QUADS)


def _dataset(store) -> Dataset:
    ds = Dataset()
    with open_store(store) as s:
        for g in [ox.DefaultGraph(), *s.named_graphs()]:
            target = ds.default_graph if isinstance(g, ox.DefaultGraph) else ds.graph(URIRef(g.value))
            target.parse(data=s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g), format="nt")
    return ds


def test_in_memory_backend(store, seed_graph):
    ds = _dataset(store)
    assert len(ds.graph(URIRef(BUILD_GRAPH.value))) > 0
    for sources, projects in ((["interreg"], 11), (["curated"], 7), (["curated", "interreg"], 18)):
        assert run("summary", InMemory(ds, sources=sources))[0]["projects"] == projects, sources
    rows = run("organisations-per-country", InMemory(ds, sources=["interreg"]))
    assert [(r["country"], r["organisations"]) for r in rows] == [("SE", 12)]  # the vocabulary graph came along
    assert run("summary", InMemory(seed_graph, sources=["curated"]))[0]["projects"] == 7
    with pytest.raises(ConfigError, match=r"'interreg' \(--source\): the graph holds curated$"):
        InMemory(seed_graph, sources=["interreg"])


def test_remote_endpoint_by_default_graph_uri(store, tmp_path):
    db = tmp_path / "db"
    loaded = ox.Store(str(db))
    loaded.bulk_load(_nquads(store), ox.RdfFormat.N_QUADS)
    loaded.flush()
    del loaded
    with oxigraph_server(db) as base:
        remote = Remote(f"{base}/query", sources=["interreg"])
        assert run("summary", remote)[0]["projects"] == 11
        rows = run("organisations-per-country", remote)
        assert [(r["country"], r["organisations"]) for r in rows] == [("SE", 12)]
        with pytest.raises(ConfigError, match=r"'nope' \(--source\): http://127.0.0.1:\d+/query holds curated, "
                                              r"interreg$"):
            run("summary", Remote(f"{base}/query", sources=["nope"]))
    with pytest.raises(ConfigError, match="^--source curated cannot be used with an endpoint"):
        Remote("http://127.0.0.1:9/query", sources=["curated"])


def test_help_names_the_option(capsys):
    for command in ("query", "summary", "network", "analyze", "plot", "export", "validate", "push"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert "--source NAME" in text and f"ngograph {command} " in text.split("example")[-1] \
            and "--source" in text.split("example")[-1], command


def test_no_import_may_be_named_curated(store, capsys):
    capsys.readouterr()
    assert main(["import", "interreg", str(FIXTURE), "--store", str(store), "--name", "curated", "--quiet"]) == 2
    assert capsys.readouterr().err == ("ngograph import: --name curated is the curated data's name "
                                       "(--source curated): choose another\n")
