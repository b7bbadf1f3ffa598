"""`ngograph import forskningsradet`: the Research Council of Norway fixture
(tests/fixtures/sources/forskningsradet/dataset.csv, see /work/notes/sources/forskningsradet/FIXTURES.md)
through records and the emitter; counts against an independent csv count, roles, amounts as
written, dates by hand; and a project that CORDIS also describes is one node with each source's
statements in its own graph."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from importing import assert_reimport_is_identical, select

from ngograph.cli import main
from ngograph.store.imports import import_source

from conftest import DATA

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "forskningsradet" / "dataset.csv"
CORDIS_PROJECTS = Path(__file__).parent / "fixtures" / "sources" / "cordis" / "h2020_projects_sample.csv"
BASE = "https://w3id.org/ngograph/id/"
GRAPH = f"{BASE}dataset/forskningsradet"
PREFIXES = "PREFIX schema: <https://schema.org/> PREFIX ngo: <https://w3id.org/ngograph/def#> "
VOCAB = "https://w3id.org/ngograph/vocab/"


def _rows() -> list[dict]:
    with open(FIXTURE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    store = tmp_path_factory.mktemp("fr") / "store"
    assert main(["build", "--data", str(DATA), "--store", str(store)]) == 0
    return store, import_source(store, "forskningsradet", [FIXTURE.parent], BASE)


def _select(link: Path, query: str, graph: str | None = GRAPH) -> list[tuple]:
    return select(link, PREFIXES + query, graph)


def test_counts_match_an_independent_count(imported):
    store, summary = imported
    rows = _rows()
    numbers = {r["Organisasjonsnummer"] for r in rows if r["Organisasjonsnummer"]}
    without = sum(1 for r in rows if not r["Organisasjonsnummer"])
    assert (len(rows), len({r["Prosjektnr"] for r in rows}), len(numbers), without) == (15, 13, 12, 1)  # FIXTURES.md
    assert summary.counts["Participation"] == len(rows)
    assert summary.counts["Project"] == len({r["Prosjektnr"] for r in rows})
    assert summary.counts["Organisation"] == len(numbers) + without
    roles = _select(store, "SELECT ?r (COUNT(*) AS ?n) { ?p a ngo:Participation ; ngo:role ?r } GROUP BY ?r")
    assert roles == [(f"{VOCAB}role/lead-partner", "3"), (f"{VOCAB}role/partner", "12")]
    assert ("dataset.csv:row 8", "no Organisasjonsnummer (organisation number): the organisation cannot be keyed") \
        in summary.problems


def test_amounts_are_kept_as_written(imported):
    store, _ = imported
    rows = _select(store, """SELECT ?p ?v ?c { ?p a ngo:Participation ;
        ngo:contribution [ schema:value ?v ; schema:currency ?c ] }""")
    written = [r["Innvilget beløp organisasjon EUR"] for r in _rows()]
    assert sorted(v for _, v, _ in rows) == sorted(written) and {c for _, _, c in rows} == {"EUR"}
    assert sum(Decimal(v) for _, v, _ in rows) == Decimal("7934845.73999845")
    nfr = _select(store, f"""SELECT ?v ?pos {{ <{BASE}participation/forskningsradet/642420/18>
        ngo:participant <{BASE}organisation/no-brc/970141669> ; ngo:position ?pos ;
        ngo:contribution/schema:value ?v }}""")
    assert nfr == [("994310.00999955", "18")]


def test_one_organisation_twice_in_one_project_is_two_participations(imported):
    store, _ = imported
    rows = _select(store, f"""SELECT ?p ?role ?src {{ ?p ngo:inProject <{BASE}project/cordis/636146> ;
        ngo:participant <{BASE}organisation/no-brc/979750730> ; ngo:role ?role ; ngo:sourceRole ?src }}""")
    assert rows == [(f"{BASE}participation/forskningsradet/636146/{n}", f"{VOCAB}role/partner",
                     f"{VOCAB}forskningsradet-role/PARTICIPANT") for n in (23, 40)]
    tellu = _select(store, "SELECT ?o { ?o schema:name 'TELLU AS'@nb }")
    assert tellu == [(f"{BASE}organisation/no-brc/917519919",), (f"{BASE}organisation/no-brc/989743295",)]


def test_projects_and_organisations(imported):
    store, _ = imported
    sintef = _select(store, f"""SELECT ?role ?s ?e ?prog ?id {{ ?x ngo:inProject ?p ; ngo:role ?role ;
        ngo:participant <{BASE}organisation/no-brc/919303808> .
        ?p schema:startDate ?s ; schema:endDate ?e ; <http://purl.org/dc/terms/subject> ?prog ;
           schema:identifier [ schema:propertyID "CORDIS-PROJECT" ; schema:value ?id ] }}""")
    assert sintef == [(f"{VOCAB}role/lead-partner", "2020-06-01", "2024-05-31",
                       f"{VOCAB}cordis-programme/H2020-EU.2.1.", "951956")]
    org = _select(store, f"""SELECT ?v ?c {{ <{BASE}organisation/no-brc/919303808> schema:addressCountry ?c ;
        schema:identifier [ schema:propertyID "NO-BRC" ; schema:value ?v ] }}""")
    assert org == [("919303808", "http://publications.europa.eu/resource/authority/country/NOR")]
    assert _select(store, f"SELECT ?d {{ <{BASE}project/cordis/101030479> schema:startDate ?d }}") == []
    local = f"{BASE}organisation/forskningsradet/101003805/12"
    assert _select(store, f"SELECT ?p {{ ?p ngo:participant <{local}> }}") == [
        (f"{BASE}participation/forskningsradet/101003805/12",)]
    assert _select(store, f"SELECT ?n {{ <{local}> schema:name ?n }}") == []  # 'ukjent' is no name


def test_reimport_gives_the_same_graph(imported):
    store, _ = imported
    assert_reimport_is_identical(store, "forskningsradet", [FIXTURE], GRAPH)


def test_a_project_cordis_also_describes_is_one_node(imported, capsys):
    store, _ = imported
    import_source(store, "cordis", [CORDIS_PROJECTS], BASE)
    with open(CORDIS_PROJECTS, encoding="utf-8", newline="") as fh:
        shared = sorted({r["id"] for r in csv.DictReader(fh)} & {r["Prosjektnr"] for r in _rows()})
    assert shared == ["699641", "743495"]  # FIXTURES.md
    for pid in shared:
        project = f"{BASE}project/cordis/{pid}"
        graphs = _select(store, f"SELECT ?g {{ GRAPH ?g {{ <{project}> a schema:Project }} }}", graph=None)
        assert graphs == [(f"{BASE}dataset/cordis",), (GRAPH,)]
        projects = _select(store, f"""SELECT DISTINCT ?p {{ ?p schema:identifier [ schema:propertyID
            "CORDIS-PROJECT" ; schema:value "{pid}" ] }}""", graph=None)
        assert projects == [(project,)]
    # each source's statements stay in its graph: the Norwegian participant from Forskningsrådet,
    # the EU grant from CORDIS
    rows = _select(store, f"""SELECT ?g ?x {{ GRAPH ?g {{ ?x ngo:inProject <{BASE}project/cordis/743495> }} }}""",
                   graph=None)
    assert rows == [(f"{BASE}dataset/cordis", f"{BASE}participation/cordis/743495/funder"),
                    (GRAPH, f"{BASE}participation/forskningsradet/743495/1")]
    assert main(["validate", "--store", str(store)]) == 0
    assert "The graph conforms: 0 violation(s)" in capsys.readouterr().out
