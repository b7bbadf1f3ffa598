"""`ngograph import interreg`: the 14 fixture rows cut from rawdata_2026.json through the reader,
the record mapping and the emitter into a named graph; counts against an independent count of
the raw JSON made here, IRIs, roles, amounts, dates and kinds checked by hand against
/work/notes/sources/interreg/FIXTURES.md (fixture index -> case), re-import, validation."""

from __future__ import annotations

import json
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from importing import assert_reimport_is_identical, select

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.store.imports import import_source

FIXTURE = Path(__file__).parent / "fixtures" / "sources" / "interreg" / "rawdata_2026.json"
BASE = "https://w3id.org/ngograph/id/"
GRAPH = f"{BASE}dataset/interreg"
NGO = "https://w3id.org/ngograph/def#"
VOCAB = "https://w3id.org/ngograph/vocab/"
PREFIXES = f"PREFIX schema: <https://schema.org/> PREFIX ngo: <{NGO}> PREFIX org: <http://www.w3.org/ns/org#> "
REAL_FILE = PROJECT_ROOT.parent / "shared" / "datasets" / "interreg-sweden" / "rawdata_2026.json"
SELFCARE = f"{BASE}project/interreg/Northern%20Periphery%20and%20Arctic/SelfCare"
LIMIT = f"{BASE}project/interreg/South%20Baltic%20Programme/LIMIT/Regular/2023-09-01"


def _raw() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _kept(raw: list[dict]) -> list[tuple[int, dict]]:
    """The rows the import keeps: all but those ending before they start (ISO dates compare as text)."""
    return [(i, r) for i, r in enumerate(raw) if not r["slutdatum"] < r["startdatum"]]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    store = tmp_path_factory.mktemp("interreg") / "store"
    assert main(["build", "--store", str(store)]) == 0
    return store, import_source(store, "interreg", [FIXTURE.parent], BASE)


def _select(store: Path, query: str) -> list[tuple]:
    return select(store, PREFIXES + query, GRAPH)


def test_fixture_is_there():
    assert [p.name for p in FIXTURE.parent.glob("*.json")] == ["rawdata_2026.json"]
    assert len(_raw()) == 14


def test_counts_match_an_independent_count(imported):
    store, summary = imported
    raw = _raw()
    kept = _kept(raw)
    assert [i for i, _ in enumerate(raw) if (i, raw[i]) not in kept] == [10]  # FIXTURES.md: end before start
    projects = {(r["program"], r["projektnamn"], r["projekttyp"], r["startdatum"]) for _, r in kept}
    orgs = {(r["program"], r["organisationsnamn"]) for _, r in kept if r["organisationsnamn"]} | \
        {i for i, r in kept if r["organisationsnamn"] is None}
    assert (len(kept), len(projects), len(orgs)) == (13, 11, 12)
    assert summary.counts == Counter(Participation=13, Project=11, Organisation=12)
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?p a schema:Project }") == [("11",)]
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?p a org:FormalOrganization }") == [("12",)]
    roles = Counter(r["organisationsroll"] for _, r in kept)
    assert roles == {"LP": 4, "PP": 6, "AP": 3}
    rows = _select(store, "SELECT ?code (COUNT(*) AS ?n) { ?x ngo:sourceRole ?code } GROUP BY ?code")
    assert rows == sorted((f"{VOCAB}interreg-partner-role/{c}", str(n)) for c, n in roles.items())
    total = sum(Decimal(str(r["partnerbudget"])) for _, r in kept)
    assert total == Decimal("2156116.26") - Decimal(str(raw[10]["partnerbudget"]))
    assert _select(store, "SELECT (SUM(?v) AS ?s) { ?x ngo:contribution/schema:value ?v }") == [(str(total),)]


def test_the_row_ending_before_it_starts_is_left_out_with_a_problem(imported):
    store, summary = imported
    assert ("rawdata_2026.json#/10", "slutdatum 2023-08-31 is before startdatum 2023-09-01: the row is left out "
            "(a project cannot end before it starts)") in summary.problems
    assert _select(store, 'SELECT ?p { ?p schema:name "BBU - Baltic Biking UPGRADE"@und }') == []
    assert _select(store, 'SELECT ?o { ?o schema:name "Cykelfrämjandet"@und }') == []


def test_one_name_two_projects_and_one_organisation_in_both(imported):
    store, _ = imported
    rows = _select(store, f"""SELECT ?p ?s ?e ?role {{ ?x ngo:inProject ?p ; ngo:role ?role ;
        ngo:participant <{BASE}organisation/interreg/Northern%20Periphery%20and%20Arctic/Region%20V%C3%A4sterbotten> .
        ?p schema:startDate ?s ; schema:endDate ?e }}""")
    assert rows == [(f"{SELFCARE}/Feasibility%20study/2023-06-01", "2023-06-01", "2023-11-30", f"{VOCAB}role/lead-partner"),
                    (f"{SELFCARE}/Regular/2024-09-01", "2024-09-01", "2027-08-31", f"{VOCAB}role/lead-partner")]
    disco = _select(store, 'SELECT ?p { ?p schema:name "DISCO"@und }')
    assert disco == [(f"{BASE}project/interreg/Interreg%20North%20Sea/DISCO/Full%20Application/2024-06-01",),
                     (f"{BASE}project/interreg/Interreg%20europe/DISCO/Regular/2025-05-01",)]


def test_roles_amounts_and_members_of_limit(imported):
    store, _ = imported
    rows = _select(store, f"""SELECT ?o ?role ?code ?v ?cur {{ ?x ngo:inProject <{LIMIT}> ; ngo:participant ?o ;
        ngo:role ?role ; ngo:sourceRole ?code ; ngo:contribution [ schema:value ?v ; schema:currency ?cur ] }}""")
    org = f"{BASE}organisation/interreg/South%20Baltic%20Programme/"
    assert [(o.removeprefix(org), role.rsplit("/", 1)[1], code.rsplit("/", 1)[1], v, cur)
            for o, role, code, v, cur in rows] == [
        ("County%20Administrative%20Board", "associated", "AP", "0", "EUR"),
        ("Kristianstad%20University", "partner", "PP", "288080", "EUR"),
        ("Lunds%20Universitet%2C%20Department%20of%20Chemical%20Engineering", "lead-partner", "LP", "384160", "EUR"),
    ]
    assert len(_select(store, f"SELECT ?m {{ <{LIMIT}> schema:member ?m }}")) == 3
    assert _select(store, f"""SELECT ?x {{ ?x ngo:participantBudget ?b }}""") == []
    float_budget = _select(store, f"""SELECT ?v {{ ?x ngo:sourceRecord "rawdata_2026.json#/5" ;
        ngo:contribution/schema:value ?v }}""")
    assert float_budget == [("342249.6",)]


def test_kinds_types_and_country_come_from_the_source_type(imported):
    store, _ = imported
    raw = _raw()
    kinds = _select(store, "SELECT ?k (COUNT(?o) AS ?n) { ?o org:classification ?k } GROUP BY ?k")
    expected = Counter(r["organisationstyp"] for _, r in _kept(raw) if r["organisationstyp"])
    # 12 organisations, one without organisationstyp (index 3); Region Västerbotten's two rows are one
    assert sum(int(n) for _, n in kinds) == 11
    assert {k.rsplit("/", 1)[1] for k, _ in kinds} == {
        t.replace(" ", "%20").replace("(", "%28").replace(")", "%29") for t in expected}
    ngos = _select(store, "SELECT ?name { ?o a schema:NGO ; schema:name ?name }")
    assert ngos == [(raw[8]["organisationsnamn"],)]  # index 10, the other NGO, is left out
    interest = _select(store, f"""SELECT ?o {{ ?o org:classification
        <{VOCAB}interreg-organisation-type/Interest%20groups%20including%20NGOs> ; a schema:NGO }}""")
    assert interest == []  # "Interest groups including NGOs" does not say the body is an NGO
    igo = _select(store, f"""SELECT ?name {{ ?o a ngo:IntergovernmentalOrganization ; schema:name ?name }}""")
    assert igo == [(raw[2]["organisationsnamn"],)]
    countries = _select(store, "SELECT DISTINCT ?c { ?o a org:FormalOrganization ; schema:addressCountry ?c }")
    assert countries == [("http://publications.europa.eu/resource/authority/country/SWE",)]


def test_a_partner_without_name_is_an_organisation_of_its_own_row(imported):
    store, _ = imported
    rows = _select(store, f"""SELECT ?o ?v {{ ?x ngo:sourceRecord "rawdata_2026.json#/4" ; ngo:participant ?o ;
        ngo:contribution/schema:value ?v }}""")
    assert rows == [(f"{BASE}organisation/interreg/Baltic%20Sea%20Region/row/rawdata_2026.json%23%2F4", "248000")]


def test_subjects_and_dataset_description(imported):
    store, _ = imported
    subjects = _select(store, f"""SELECT ?s {{ <{BASE}project/interreg/AURORA/Smart%20ruralities-%20new%20solutions\
%20for%20the%20future%20of%20local%20communities%20and%20municipalities%20%28SMART%20RURAL%29/Small/2022-12-01>
        <http://purl.org/dc/terms/subject> ?s }}""")
    assert subjects == [(f"{VOCAB}interreg-policy-objective/ISO",), (f"{VOCAB}interreg-specific-objective/ISO6.6",)]
    (desc,) = _select(store, f"SELECT ?d {{ <{GRAPH}> <http://purl.org/dc/terms/description> ?d }}")
    assert "ONLY Swedish partners" in desc[0]
    assert _select(store, f"SELECT ?l {{ <{GRAPH}> <http://purl.org/dc/terms/license> ?l }}") == []


def test_reimport_gives_the_same_graph(imported):
    store, _ = imported
    assert_reimport_is_identical(store, "interreg", [FIXTURE], GRAPH)


def test_the_imported_graph_validates_without_violations(imported, capsys):
    store, _ = imported
    assert main(["validate", "--store", str(store)]) == 0
    assert "0 violation(s)" in capsys.readouterr().out


@pytest.mark.real
@pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not REAL_FILE.is_file(),
                    reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")
def test_real_file_counts(tmp_path):
    """The whole 2026 file: 1,196 rows less the 2 that end before they start (docs/sources.md)."""
    raw = json.loads(REAL_FILE.read_text(encoding="utf-8"))
    kept = _kept(raw)
    summary = import_source(tmp_path / "store", "interreg", [REAL_FILE], BASE)
    orgs = {(r["program"], r["organisationsnamn"]) for _, r in kept if r["organisationsnamn"]}
    assert len(kept) == summary.counts["Participation"] == 1_194
    assert len({(r["program"], r["projektnamn"], r["projekttyp"], r["startdatum"]) for _, r in kept}) \
        == summary.counts["Project"] == 590
    assert len(orgs) + sum(r["organisationsnamn"] is None for _, r in kept) == summary.counts["Organisation"] == 769
