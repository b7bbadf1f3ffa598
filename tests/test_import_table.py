"""`ngograph import table`: the spreadsheet template (docs/template.md) through the reader, the
record mapping and the emitter into a named graph. The examples/ set is counted independently
with csv here; single triples are checked by hand against examples/ and the small file sets of
tests/fixtures/sources/table/ (good: a registry identifier, one organisation twice in one
project, core funding, a BOM and another column order; bad: one problem per bad cell or
reference; header: a missing and an unknown column); re-import, validation, exit codes."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from importing import assert_reimport_is_identical, select

from ngograph.cli import main
from ngograph.store.imports import import_source, list_imports

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "table"
FILES = ["grants.csv", "organisations.csv", "participations.csv", "projects.csv"]
BASE = "https://w3id.org/ngograph/id/"
GRAPH = f"{BASE}dataset/table"
GOOD = f"{BASE}dataset/good"
NGO = "https://w3id.org/ngograph/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = (f"PREFIX schema: <https://schema.org/> PREFIX ngo: <{NGO}> PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")


def _rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    store = tmp_path_factory.mktemp("table") / "store"
    assert main(["build", "--store", str(store)]) == 0
    examples = import_source(store, "table", [EXAMPLES], BASE)
    good = import_source(store, "table", [FIXTURES / "good"], BASE, name="good")
    return store, examples, good


def _select(store: Path, query: str, graph: str = GRAPH) -> list[tuple]:
    return select(store, PREFIXES + query, graph)


def test_fixtures_are_there():
    for folder in (EXAMPLES, FIXTURES / "good", FIXTURES / "bad"):
        assert sorted(p.name for p in folder.glob("*.csv")) == FILES
    assert sorted(p.name for p in (FIXTURES / "header").glob("*.csv")) == [
        "organisations.csv", "participations.csv", "projects.csv"]
    assert (FIXTURES / "good" / "participations.csv").read_bytes()[:3] == b"\xef\xbb\xbf"  # a BOM
    assert (FIXTURES / "good" / "organisations.csv").read_text(encoding="utf-8").startswith("name,id,")


def test_counts_match_an_independent_count(imported):
    store, summary, _ = imported
    projects, orgs = _rows(EXAMPLES, "projects.csv"), _rows(EXAMPLES, "organisations.csv")
    parts, grants = _rows(EXAMPLES, "participations.csv"), _rows(EXAMPLES, "grants.csv")
    project_ids = {p["id"] for p in projects}
    to_projects = [g for g in grants if g["funded"] in project_ids]
    programmes = {p["programme"] for p in projects if p["programme"]}
    assert (len(projects), len(orgs), len(parts), len(grants)) == (6, 26, 49, 6)  # as docs/template.md says
    assert (len(to_projects), len(programmes)) == (6, 1)
    assert summary.problems == []
    assert summary.counts == Counter(Project=6, Organisation=26, Participation=49 + 6, Grant=6, Programme=1)
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?p a schema:Project }") == [("6",)]
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?o a org:FormalOrganization }") == [("26",)]
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?x a ngo:Participation ; ngo:position ?pos }") == [("49",)]
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?g a schema:MonetaryGrant }") == [("6",)]
    roles = Counter(p["role"] for p in parts) + Counter(g["role"] for g in to_projects)
    assert roles == {"partner": 12 * 3 + 3 + 4, "lead-partner": 3, "implementer": 2, "associated": 1, "co-funder": 4,
                     "funder": 2}
    rows = _select(store, "SELECT ?role (COUNT(*) AS ?n) { ?x ngo:role ?role } GROUP BY ?role")
    assert rows == sorted((f"https://w3id.org/ngograph/vocab/role/{r}", str(n)) for r, n in roles.items())


def test_a_project_by_hand(imported):
    store, _, _ = imported
    p = f"{BASE}project/table/social-rights-advocacy-phase-1"
    rows = _select(store, f"""SELECT ?name ?lang ?label ?start ?st ?end ?value ?cur ?programme ?pname ?where {{
        <{p}> schema:name ?name ; rdfs:label ?label ; schema:startDate ?start ; schema:endDate ?end ;
              ngo:budget [ schema:value ?value ; schema:currency ?cur ] ; dct:isPartOf ?programme ;
              ngo:sourceRecord ?where .
        ?programme a ngo:Programme ; schema:name ?pname .
        BIND (LANG(?name) AS ?lang) BIND (DATATYPE(?start) AS ?st) }}""")
    assert rows == [("Empowering NGOs for efficient social rights’ advocacy", "en",
                     "Empowering NGOs for efficient social rights’ advocacy", "2018-08", f"{XSD}gYearMonth", "2019-10",
                     "444550", "DKK", f"{BASE}programme/table/social-rights-ngo-partnership",
                     "Empowering NGOs for Efficient Social Rights’ Advocacy", "projects.csv:row 1")]
    phases = _select(store, f"SELECT ?p {{ <{BASE}programme/table/social-rights-ngo-partnership> dct:hasPart ?p }}")
    assert phases == [(f"{BASE}project/table/social-rights-advocacy-phase-{n}",) for n in (1, 2, 3)]
    coalition = _select(store, f"""SELECT ?scheme ?value ?country {{
        <{BASE}project/table/minority-participation-coalition> schema:identifier [ schema:propertyID ?scheme ;
            schema:value ?value ] ; schema:areaServed ?country }}""")
    assert coalition == [("TABLE-PROJECT", "1DP/1.5.2.2.2/12/APIA/SIF/176",
                          "http://publications.europa.eu/resource/authority/country/LVA")]


def test_a_translated_name_is_tagged_en_t_and_never_the_label(imported):
    store, _, _ = imported
    iic = f"{BASE}organisation/table/iic"
    assert _select(store, f"SELECT ?n (LANG(?n) AS ?l) {{ <{iic}> schema:name ?n }}") == [
        ("Biedrība “Izglītības iniciatīvu centrs”", "lv"), ("Education Initiatives Centre", "en-t-lv")]
    assert _select(store, f"SELECT ?l {{ <{iic}> rdfs:label ?l }}") == [("Biedrība “Izglītības iniciatīvu centrs”",)]
    assert _select(store, f"SELECT ?a (LANG(?a) AS ?l) {{ <{iic}> skos:altLabel ?a }}") == [
        ("IIC", "und"), ("Izglītības iniciatīvu centrs", "und")]
    assert _select(store, f"""SELECT ?n {{ <{BASE}project/table/minority-participation-coalition> schema:name ?n
        FILTER (LANG(?n) = "en-t-lv") }}""") == [("Coalition for the political participation of minorities in the "
                                                  "public sector",)]


def test_an_organisation_with_a_registry_identifier(imported):
    store, _, good = imported
    assert good.problems == []
    org = f"{BASE}organisation/dk-cvr/12345678"
    rows = _select(store, f"""SELECT ?scheme ?value ?name ?alt ?country ?url ?where {{
        <{org}> a schema:NGO ; schema:identifier [ schema:propertyID ?scheme ; schema:value ?value ] ;
            schema:name ?name ; skos:altLabel ?alt ; schema:addressCountry ?country ; schema:url ?url ;
            ngo:sourceRecord ?where }}""", GOOD)
    assert rows == [("DK-CVR", "12345678", "Eksempel Forening", "EF",
                     "http://publications.europa.eu/resource/authority/country/DNK", "https://eksempel.example/",
                     "organisations.csv:row 1")]
    # the lead partner's participation points at the registry IRI, not at organisation/table/eksempel
    assert _select(store, f"SELECT ?x {{ ?x ngo:participant <{org}> }}", GOOD) == [
        (f"{BASE}participation/table/care-network/eksempel/1",)]
    assert _select(store, f"SELECT ?x {{ ?x ?p <{BASE}organisation/table/eksempel> }}", GOOD) == []


def test_one_organisation_twice_in_one_project_stays_two_participations(imported):
    store, _, _ = imported
    rows = _select(store, f"""SELECT ?x ?pos ?value {{ ?x ngo:participant <{BASE}organisation/table/paraugs> ;
        ngo:inProject <{BASE}project/table/care-network> ; ngo:position ?pos ;
        ngo:contribution/schema:value ?value }}""", GOOD)
    assert rows == [(f"{BASE}participation/table/care-network/paraugs/2", "2", "10000"),
                    (f"{BASE}participation/table/care-network/paraugs/3", "3", "2500")]
    assert _select(store, f"""SELECT ?o {{ <{BASE}project/table/care-network> schema:member ?o
        FILTER (?o = <{BASE}organisation/table/paraugs>) }}""", GOOD) == [(f"{BASE}organisation/table/paraugs",)]


def test_core_funding_and_a_co_funder(imported):
    store, _, _ = imported
    core = f"{BASE}grant/table/core-2021"
    rows = _select(store, f"""SELECT ?funder ?funded ?value ?cur ?award ?start ?end ?scheme ?id {{
        <{core}> schema:funder ?funder ; schema:fundedItem ?funded ; schema:amount [ schema:value ?value ;
            schema:currency ?cur ] ; ngo:awardDate ?award ; schema:startDate ?start ; schema:endDate ?end ;
            schema:identifier [ schema:propertyID ?scheme ; schema:value ?id ] }}""", GOOD)
    assert rows == [(f"{BASE}organisation/table/example-fund", f"{BASE}organisation/table/paraugs", "15000", "EUR",
                     "2020-12-01", "2021", "2021", "TABLE-GRANT", "EF 2021/7")]
    # core funding makes no participation; the grant to the project makes a co-funder one and the shortcut
    rows = _select(store, f"""SELECT ?x ?project ?role {{ ?x ngo:participant <{BASE}organisation/table/example-fund> ;
        ngo:inProject ?project ; ngo:role ?role }}""", GOOD)
    assert rows == [(f"{BASE}participation/table/care-network/example-fund/grant/care-network%2Fexample-fund",
                     f"{BASE}project/table/care-network", "https://w3id.org/ngograph/vocab/role/co-funder")]
    assert _select(store, f"""SELECT ?share ?f {{ <{BASE}grant/table/care-network%2Fexample-fund> ngo:fundingShare ?share .
        <{BASE}project/table/care-network> schema:funder ?f }}""", GOOD) == [
        ("49.5", f"{BASE}organisation/table/example-fund")]
    shares = _select(store, "SELECT ?g ?s { ?g ngo:fundingShare ?s }")
    assert shares == [(f"{BASE}grant/table/minority-participation-coalition%2Feuropean-union", "92.07")]


BAD = [
    ("projects.csv:row 1", "budget_amount: '1,000' is not a plain decimal: write digits with a point before the "
                           "decimals and no thousands separator (444550, 92.07); budget_currency is not read either "
                           "(both or neither)"),
    ("projects.csv:row 1", "countries: 'XX' is not an ISO 3166-1 alpha-2 country code (LV, NO; XK for Kosovo); read "
                           "as missing"),
    ("projects.csv:row 1", "end: 2019-12 is before start 2020-01: not read"),
    ("projects.csv:row 3", "name: '=HYPERLINK(\"http://x\")' starts with '=', which a spreadsheet runs as a formula: "
                           "write the value itself; the row is left out"),
    ("projects.csv:row 4", "start: '01/09/2017' is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD; read as "
                           "missing"),
    ("projects.csv:row 4", "budget_currency: 'DKR' is not an ISO 4217 currency code (DKK, EUR); budget_amount is not "
                           "read either (both or neither)"),
    ("projects.csv:row 5", "name_lang: 'latvian' is not a BCP 47 language tag (en, lv, lt, da, no, sr-Latn); the row "
                           "is left out"),
    ("organisations.csv:row 2", "type: 'charity' is not one of ngo, government, intergovernmental, network, "
                                "international; read as missing"),
    ("organisations.csv:row 2", "website: 'www.example.org' is not a web address (https://...); read as missing"),
    ("organisations.csv:row 2", "identifier: empty while identifier_scheme is given (both or neither): "
                                "identifier_scheme is not read"),
    ("organisations.csv:row 3", "id: empty, but required: the row is left out"),
    ("participations.csv:row 1", "contribution_amount: '-500' starts with '-', which a spreadsheet runs as a formula: "
                                 "write an amount without a sign, and put a leading dash of a name inside the text; "
                                 "contribution_currency is not read either (both or neither)"),
    ("participations.csv:row 4", "role: 'funder': funders go in grants.csv, with the project as funded; the row is "
                                 "left out"),
    ("participations.csv:row 5", "budget_currency: empty while budget_amount is given (both or neither): "
                                 "budget_amount is not read"),
    ("grants.csv:row 1", "share: 120 is over 100 (a share in percent); read as missing"),
    ("projects.csv:row 2", "id 'p1' is the id of projects.csv:row 1 already: the row is left out"),
    ("participations.csv:row 2", "organisation 'o9' is not an id of organisations.csv: the row is left out"),
    ("participations.csv:row 3", "project 'p9' is not an id of projects.csv: the row is left out"),
    ("grants.csv:row 2", "share: a share of a project's budget, but 'o2' is an organisation (core funding): not read"),
    ("grants.csv:row 3", "funded 'nowhere' is neither a project id of projects.csv nor an organisation id of "
                         "organisations.csv: the row is left out"),
    ("organisations.csv:row 5", "identifier GB-CHC 1234567 is the identifier of organisations.csv:row 4 already: one "
                                "organisation, described by that row"),
    ("projects.csv:row 4", "programme 'prog' has no programme_name on any phase: its phases are not linked to a "
                           "programme"),
]


def test_every_bad_cell_and_reference_is_one_problem_and_the_rest_is_imported(tmp_path):
    store = tmp_path / "store"
    summary = import_source(store, "table", [FIXTURES / "bad"], BASE)
    assert summary.problems == BAD
    # kept: projects p1, p3; organisations o1, o2, o4 (o5 is o4); participations rows 1, 5, 6 (o5 -> o4)
    # and g1's funder participation; grants g1 (to p1) and g2 (core funding of o2)
    assert summary.counts == Counter(Project=2, Organisation=3, Participation=4, Grant=2)
    p1 = f"{BASE}project/table/p1"
    assert _select(store, f"SELECT ?p ?o {{ <{p1}> ?p ?o FILTER (?p IN (schema:endDate, ngo:budget, "
                          "schema:areaServed)) }") == []
    assert _select(store, f"SELECT ?d {{ <{p1}> schema:startDate ?d }}") == [("2020-01",)]
    assert _select(store, f"SELECT ?x {{ ?x ngo:participant <{BASE}organisation/gb-chc/1234567> }}") == [
        (f"{BASE}participation/table/p3/o5/6",)]
    assert _select(store, "SELECT ?g ?s { ?g ngo:fundingShare ?s }") == []


def test_a_missing_or_unknown_column_is_one_line_naming_file_and_column(tmp_path):
    summary = import_source(tmp_path / "store", "table", [FIXTURES / "header"], BASE)
    assert summary.problems == [
        ("projects.csv", "column 'notes' is not a column of projects.csv (docs/template.md): its cells are not read"),
        ("projects.csv", "column 'programme_name' is missing: the header holds every column of projects.csv "
                         "(docs/template.md; a column may be empty, not left out); the file is not read"),
        ("organisations.csv", "column 'notes' is not a column of organisations.csv (docs/template.md): its cells are "
                              "not read"),
        ("grants.csv", "not among the files named: none of its rows is read"),
        ("participations.csv", "its rows refer to projects.csv, which could not be read: none is imported"),
    ]
    assert summary.counts == Counter(Organisation=1)


def test_personal_data_is_refused(tmp_path):
    for name in FILES:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    mail = "office" + "@" + "example.org"
    with open(tmp_path / "organisations.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["contact", "Contact Org", "en", "", f"write to {mail}", "LV", "ngo", "", "", ""])
    summary = import_source(tmp_path / "store", "table", [tmp_path], BASE)
    assert summary.problems == [("organisations.csv:row 27", "alt_names: holds what looks like personal data (e-mail "
                                                             "address): the graph names no people and keeps no contact "
                                                             "details; read as missing")]
    assert summary.counts["Organisation"] == 27
    assert mail not in str(summary.problems)  # the message does not repeat it


def test_a_file_saved_in_another_encoding_is_refused_cell_by_cell(tmp_path):
    header = (EXAMPLES / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = f"{header}\nrk,Rīgas klubs,lv,,,LV,ngo,,,\nrc,Riga Club,en,,,LV,ngo,,,\n"
    (tmp_path / "organisations.csv").write_bytes(rows.encode("cp1257"))
    summary = import_source(tmp_path / "store", "table", [tmp_path], BASE)
    missing = "not among the files named: none of its rows is read"
    assert summary.problems == [
        ("projects.csv", missing),
        ("organisations.csv:row 1", "name: holds bytes that are not UTF-8 (each shown as \ufffd): save the file as "
                                    "\"CSV UTF-8\"; the row is left out"),
        ("organisations.csv", "1 byte(s) are not UTF-8: each read as U+FFFD"),
        ("participations.csv", missing), ("grants.csv", missing)]
    assert summary.counts == Counter(Organisation=1)


def test_nothing_importable_is_exit_code_2_and_the_store_is_unchanged(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["import", "table", str(EXAMPLES), "--name", "kept", "--store", str(store), "--quiet"]) == 0
    capsys.readouterr()
    sent = tmp_path / "sent"
    sent.mkdir()
    (sent / "projects.csv").write_text("id,name,name_lang\np1,One,en\n", encoding="utf-8")
    (sent / "organisations.csv").write_text("", encoding="utf-8")
    (sent / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert main(["import", "table", str(sent), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "notes.csv: not a file of the template (projects.csv, organisations.csv, participations.csv, " \
           "grants.csv): not read" in err
    assert "projects.csv: column 'translated_name' is missing" in err
    assert "organisations.csv: empty file: no header row" in err
    assert "table: no project or organisation could be read: nothing is imported" in err
    assert [r["name"] for r in list_imports(store)] == ["kept"]
    (tmp_path / "empty").mkdir()
    assert main(["import", "table", str(tmp_path / "empty"), "--store", str(store)]) == 2
    assert "grants.csv: not among the files named: none of its rows is read" in capsys.readouterr().err
    assert [r["name"] for r in list_imports(store)] == ["kept"]


def test_files_named_one_by_one(tmp_path):
    summary = import_source(tmp_path / "store", "table", [EXAMPLES / "organisations.csv"], BASE)
    assert summary.counts == Counter(Organisation=26)
    assert [loc for loc, _ in summary.problems] == ["projects.csv", "participations.csv", "grants.csv"]
    assert summary.files[0][0] == "organisations.csv" and len(summary.files) == 1


def test_reimport_gives_the_identical_graph(imported):
    store, _, _ = imported
    assert_reimport_is_identical(store, "table", [EXAMPLES], GRAPH)


def test_the_imported_graphs_validate_without_violations(imported, capsys):
    store, _, _ = imported
    assert main(["validate", "--store", str(store)]) == 0
    assert "0 violation(s)" in capsys.readouterr().out
