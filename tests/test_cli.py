"""The command line: help with examples, the stages end to end on the seed data, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ngograph.cli import main
from ngograph.net.measures import ROLES

from conftest import DATA, walked_roles


@pytest.mark.parametrize("verb", ["build", "validate", "export", "summary", "refdata"])
def test_help_has_an_example(verb, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([verb, "--help"])
    assert exit_.value.code == 0
    assert "example" in capsys.readouterr().out


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "ngograph.cli", "--help"], capture_output=True, text=True, check=True)
    assert "exit codes" in out.stdout


def test_pipeline_on_the_seeds(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", "--data", str(DATA), "--store", str(store)]) == 0
    assert main(["validate", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "The graph conforms: 0 violation(s)" in out
    assert "data/projects/seed-004.yaml:4" in out  # the warning for the nameless, partnerless project
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert main(["export", "--store", str(store), "--output", str(first)]) == 0
    assert main(["build", "--data", str(DATA), "--store", str(store)]) == 0
    assert main(["export", "--store", str(store), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes(), "exports are deterministic"
    text = first.read_text(encoding="utf-8")
    assert text.startswith("@prefix ")
    assert "@" not in "".join(l for l in text.splitlines() if "mailto" in l)
    assert main(["summary", "--store", str(store)]) == 0
    summary = dict(line.split() for line in capsys.readouterr().out.splitlines())
    assert summary == {"projects": "7", "organisations": "30", "countries": "9", "funders": "3",
                       "participations": "55", "events": "14", "triples": summary["triples"]}
    assert int(summary["triples"]) > 3000


def test_a_parameter_naming_nothing_is_said_with_what_it_may_mean(seed_store, capsys):
    """A value written without its path (the README's project ids are project/...): no row, and a note naming
    the resources whose IRI ends so; a value that names something, or a query with rows, gets no note."""
    store = str(seed_store)
    assert main(["query", "project-partners", "--store", store, "--param", "project=red-cross-family-inclusion"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == ("query: --param project=red-cross-family-inclusion: the graph read says nothing of "
                       "https://w3id.org/ngograph/id/red-cross-family-inclusion; did you mean "
                       "project/red-cross-family-inclusion?")
    assert main(["query", "organisation-projects", "--store", store, "--param", "organisation=organisation/nobody"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "query: --param organisation=organisation/nobody: the graph read says nothing of "
        "https://w3id.org/ngograph/id/organisation/nobody")
    # an IRI the graph uses only as a predicate or an object names something all the same
    assert main(["query", "site/links", "--store", store, "--param", "predicate=https://schema.org/name"]) == 0
    assert "says nothing" not in capsys.readouterr().err
    assert main(["query", "site/resource-out", "--store", store, "--param", "resource=http://www.wikidata.org/entity/Q211"]) == 0
    assert "says nothing" not in capsys.readouterr().err
    assert main(["query", "project-partners", "--store", store, "--param", "project=red-cross-family-inclusion/"]) == 0
    assert "did you mean project/red-cross-family-inclusion?" in capsys.readouterr().err  # a trailing slash
    assert main(["query", "project-partners", "--store", store, "--param", "project=project/red-cross-family-inclusion"]) == 0
    assert "says nothing" not in capsys.readouterr().err
    assert main(["query", "projects-active-in-year", "--store", store, "--param", "year=1900"]) == 0
    assert "says nothing" not in capsys.readouterr().err  # no row, but no iri parameter
    # a resource near the value outside the base: its whole IRI; another base: the IRI made with it
    assert main(["query", "project-partners", "--store", store, "--param", "project=social-rights"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith(
        "did you mean https://w3id.org/ngograph/vocab/theme/social-rights?")
    assert main(["query", "project-partners", "--store", store, "--base", "https://example.org/x/", "--param",
                 "project=project/red-cross-family-inclusion"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "query: --param project=project/red-cross-family-inclusion: the graph read says nothing of "
        "https://example.org/x/project/red-cross-family-inclusion; did you mean "
        "https://w3id.org/ngograph/id/project/red-cross-family-inclusion?")  # outside that base: its whole IRI
    # the --source note: where organisations are counted, not for a query of projects or the list
    assert main(["query", "organisations-per-country", "--store", store, "--source", "curated"]) == 0
    assert "reconciliation's merges across sources left out" in capsys.readouterr().err
    for name in ("country-pairs", "funder-portfolios", "summary"):  # tagged network, funders, summary alone
        assert main(["query", name, "--store", store, "--source", "curated"]) == 0
        assert "reconciliation's merges across sources left out" in capsys.readouterr().err, name
    for argv in (["query", "--list", "--source", "curated"], ["query", "provenance", "--source", "curated"]):
        assert main([*argv, "--store", store]) == 0
        assert "reconciliation" not in capsys.readouterr().err, argv


def test_a_query_runs_as_long_as_it_says_unless_told(seed_store, tmp_path, capsys):
    """The query's own ``#+ timeout:`` when --timeout is not given (cross-border-pairs: 120 s), --timeout when it is
    (a query that never ends here, stopped with exit code 3); ``query --help`` names the queries with their own."""
    import time

    rq = tmp_path / "endless.rq"
    rq.write_text("#+ summary: every triple with every pair of triples\n#+ timeout: 1\n"
                  "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    args = ["query", str(rq), "--store", str(seed_store)]
    t = time.perf_counter()
    assert main(args) == 3
    assert "did not finish within 1 s" in capsys.readouterr().err and time.perf_counter() - t < 20
    assert main([*args, "--timeout", "2"]) == 3
    assert "did not finish within 2 s" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    assert "(default 30, or the query's own: cross-border-pairs 120)" in " ".join(capsys.readouterr().out.split())


def test_every_iri_parameter_naming_nothing_is_said(seed_store, tmp_path, capsys):
    # a user's query with a text parameter first, then two iri ones: the one that names a resource gets no note, the
    # one after it still does; a value ending in X keeps its X, one that is all slashes looks for nothing near
    rq = tmp_path / "two.rq"
    rq.write_text("#+ summary: nothing, whatever the parameters\n#+ param: label string = x -- a text\n"
                  "#+ param: a iri = project/red-cross-family-inclusion -- one resource\n#+ param: b iri -- another\n"
                  "SELECT ?label ?a ?b WHERE { FILTER (false) }\n", encoding="utf-8")
    args = ["query", str(rq), "--store", str(seed_store)]
    assert main([*args, "--param", "label=x", "--param", "a=project/red-cross-family-inclusion",
                 "--param", "b=red-cross-family-inclusion"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "says nothing" in line]
    assert notes == ["query: --param b=red-cross-family-inclusion: the graph read says nothing of "
                     "https://w3id.org/ngograph/id/red-cross-family-inclusion; did you mean "
                     "project/red-cross-family-inclusion?"]
    assert main([*args, "--param", "b=red-cross-family-inclusionX"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "query: --param b=red-cross-family-inclusionX: the graph read says nothing of "
        "https://w3id.org/ngograph/id/red-cross-family-inclusionX")
    assert main([*args, "--param", "b=nothing/danish-red-cross"]) == 0  # the last part of a path of two; two near it
    assert capsys.readouterr().err.splitlines()[-1] == (
        "query: --param b=nothing/danish-red-cross: the graph read says nothing of "
        "https://w3id.org/ngograph/id/nothing/danish-red-cross; did you mean organisation/danish-red-cross or "
        "participation/red-cross-family-inclusion/partner/danish-red-cross?")
    assert main([*args, "--param", "b=x/nothing/danish-red-cross"]) == 0  # the last part of a longer path
    assert capsys.readouterr().err.splitlines()[-1].endswith("did you mean organisation/danish-red-cross or "
                                                             "participation/red-cross-family-inclusion/partner/danish-red-cross?")
    assert main([*args, "--param", "b=//"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith("the graph read says nothing of "
                                                             "https://w3id.org/ngograph/id///")


def test_validate_without_store_exits_2(tmp_path, capsys):
    assert main(["validate", "--store", str(tmp_path / "none")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_bad_base_is_a_settings_error(tmp_path, capsys):
    assert main(["build", "--store", str(tmp_path / "s"), "--base", "not-an-iri"]) == 2
    assert "--base https://" in capsys.readouterr().err


def store_with_an_unfunded_funder(built, store) -> None:
    """The seed graph in a store at ``store``, with one funder of a project that no grant and no
    participation names: a violation of the quality check funder-without-grant."""
    from rdflib import Graph, URIRef

    from ngograph.rdf.serialize import serialize
    from ngograph.rdf.namespaces import SCHEMA
    from ngograph.store.embedded import write_store

    g = Graph()
    g += built.graph
    project = URIRef("https://w3id.org/ngograph/id/project/ngo-state-interaction-vulnerable-groups")
    g.add((project, SCHEMA.funder, URIRef("https://w3id.org/ngograph/id/organisation/european-union")))
    write_store(store, serialize(g, "ntriples"), built.locations_nt(), built.vocab_nt)


def test_validate_runs_the_qc_queries(tmp_path, capsys, built):
    store = tmp_path / "store"
    store_with_an_unfunded_funder(built, store)
    assert main(["validate", "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert "qc:funder-without-grant-violation" in out
    assert "data/projects/seed-004.yaml:4" in out


def test_query_cli(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["query", "--list"]) == 0
    assert "project-partners" in capsys.readouterr().out
    assert main(["query", "projects-active-in-year", "--store", str(store), "--param", "year=2021", "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t")[:2] == ["year", "project"] and len(out) == 3  # phases 2 and 3
    assert main(["query", "summary", "--store", str(store), "--format", "json"]) == 0
    assert '"projects": 7' in capsys.readouterr().out
    assert main(["query", "cross-border-pairs", "--store", str(store), "--max-rows", "5"]) == 0
    captured = capsys.readouterr()
    assert "(5 rows)" in captured.out and "stopped at 5 rows" in captured.err
    assert main(["query", "projects-by-theme", "--store", str(store), "--param", "theme"]) == 2
    assert "write key=value" in capsys.readouterr().err
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert main(["query", str(bad), "--store", str(store)]) == 2
    assert "refused: SERVICE" in capsys.readouterr().err


def test_python_api_to_dataframe(tmp_path):
    import ngograph

    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    df = ngograph.query("lead-partners", store=store).to_dataframe()
    assert list(df.columns) == ["organisation", "name", "country", "projectsLed"]
    assert df["projectsLed"].sum() == 5


def test_network_analyze_plot(tmp_path, capsys):
    import networkx as nx

    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    out = tmp_path / "orgs.graphml"
    assert main(["network", "--store", str(store), "--kind", "organisations", "--output", str(out)]) == 0
    G = nx.read_graphml(out)
    assert G.number_of_nodes() == 23 and G.edges["eapn-latvia", "interakcia"]["weight"] == 3
    gexf = tmp_path / "countries.gexf"
    assert main(["network", "--store", str(store), "--kind", "countries", "--format", "gexf", "--output", str(gexf)]) == 0
    assert nx.read_gexf(gexf).number_of_edges() == 36
    csv_out = tmp_path / "bip.csv"
    assert main(["network", "--store", str(store), "--kind", "bipartite", "--format", "csv", "--output", str(csv_out)]) == 0
    # 55 participations less 6 funding ones (NCM x 4, ministry, EU)
    assert len(csv_out.read_text().splitlines()) == 1 + 49
    capsys.readouterr()
    assert main(["analyze", "--store", str(store), "--include-funders", "--measure", "betweenness",
                 "--measure", "brokerage", "--partition", "group", "--top", "1", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "node,label,country,betweenness,brokerage,coordinator,itinerant,representative,gatekeeper,liaison"
    assert lines[1].startswith("nordic-council-of-ministers,Nordic Council of Ministers,,")
    funded = tmp_path / "funded.graphml"
    assert main(["network", "--store", str(store), "--include-funders", "--output", str(funded)]) == 0
    F = nx.read_graphml(funded)
    for partition in ("group", "country"):
        capsys.readouterr()
        assert main(["analyze", "--store", str(store), "--include-funders", "--measure", "brokerage",
                     "--partition", partition, "--top", "1", "--format", "csv"]) == 0
        top = capsys.readouterr().out.splitlines()[1]
        roles = _brokerage_by_hand(F, "nordic-council-of-ministers", partition)
        assert top == "nordic-council-of-ministers,Nordic Council of Ministers,," + ",".join(map(str, roles)), partition
    assert main(["plot", "--store", str(store), "--figure", "timeline", "--output", str(tmp_path / "fig" / "t.png")]) == 0
    # a .png suffix names the one format written; a bare name gives PNG and SVG (tests/test_plot.py)
    assert (tmp_path / "fig" / "t.png").stat().st_size > 10_000 and not (tmp_path / "fig" / "t.svg").exists()


#: data/country-groups.yaml, written out by hand
GROUPS = {"baltic": "EE LT LV", "eastern-partnership": "AM AZ BY GE MD UA", "nordic": "DK FI IS NO SE",
          "russia": "RU", "visegrad": "CZ HU PL SK"}


def _brokerage_by_hand(F, b, partition: str) -> list[int]:
    """Total, coordinator, itinerant, representative, gatekeeper, liaison of ``b``, by the groups of
    :data:`GROUPS` (a country in none: its own) or the countries (no country: "international"), counted pair
    by pair (conftest)."""
    of_country = {c: g for g, cs in GROUPS.items() for c in cs.split()}
    group = {n: (of_country.get(country, country) if partition == "group" else country) or "international"
             for n, country in F.nodes(data="country", default="")}
    roles = walked_roles(F, group)[b]
    return [roles["total"], *(roles[r] for r in ROLES)]


def test_export_ntriples_is_sorted_and_parses(tmp_path):
    from rdflib import Graph

    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    out = tmp_path / "g.nt"
    assert main(["export", "--store", str(store), "--format", "ntriples", "--output", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    g = Graph().parse(out, format="nt")
    assert len(g) == len(lines) > 3000
