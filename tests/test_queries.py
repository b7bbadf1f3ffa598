"""Every library query on the seed graph, against rows written out by hand from the seeds."""

from __future__ import annotations

import csv
import re

from decimal import Decimal

import pytest

from ngograph.store.backends import Embedded, InMemory
from ngograph.rdf.sparql import check_read_only
from ngograph.queries.library import (QUERIES_DIR, QueryError, bind_params, list_queries, load_query,
                              qc_queries, run)

from conftest import BASE, FIXTURES

P1, P2, P3 = (f"{BASE}project/social-rights-advocacy-phase-{i}" for i in (1, 2, 3))
RC = f"{BASE}project/red-cross-family-inclusion"
NLIF = f"{BASE}project/nlif-institutional-strengthening-2017"
MIN = f"{BASE}project/minority-participation-coalition"
P004 = f"{BASE}project/ngo-state-interaction-vulnerable-groups"
O = lambda rid: f"{BASE}organisation/{rid}"  # noqa: E731
PARTNERS_000 = ["b-creative", "eesti-people-to-people", "interakcia", "interfolk", "lithuanian-ms-union",
                "odense-aftenskole", "people-to-people-norway", "psp-fond", "union-of-women-kaliningrad",
                "velferdsalliansen", "vesuvio", "womens-rights-institute"]
COUNTRY_000 = {"eapn-latvia": "LV", "b-creative": "SE", "eesti-people-to-people": "EE", "interakcia": "BY",
               "interfolk": "DK", "lithuanian-ms-union": "LT", "odense-aftenskole": "DK",
               "people-to-people-norway": "NO", "psp-fond": "RU", "union-of-women-kaliningrad": "RU",
               "velferdsalliansen": "NO", "vesuvio": "PL", "womens-rights-institute": "LV"}


@pytest.fixture(scope="module")
def backend(seed_store):
    return Embedded(seed_store)


def table(rows, *cols):
    return sorted((tuple(r[c] for c in cols) for r in rows), key=lambda t: [(v is None, str(v)) for v in t])


def test_library_is_complete():
    names = {q.name for q in list_queries()}
    assert len(names) >= 15
    for q in list_queries():
        assert q.summary and q.tags, q.name
        text = q.path.read_text()
        assert text.startswith("#+ summary:"), q.name
    assert len(qc_queries()) >= 2


def test_every_query_is_tested():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    missing = {q.name for q in list_queries()} - tested
    assert missing == set()


def test_project_partners(backend):
    rows = run("project-partners", backend)
    expected = [(O("eapn-latvia"), "lead-partner", "LV"), (O("nordic-council-of-ministers"), "co-funder", None)]
    expected += [(O(o), "partner", COUNTRY_000[o]) for o in PARTNERS_000]
    assert table(rows, "organisation", "role", "country") == table(expected, 0, 1, 2)
    rows = run("project-partners", backend, {"project": "project/minority-participation-coalition"})
    assert table(rows, "role", "country") == table(
        [("implementer", "LV")] + [("partner", "LV")] * 4 + [("co-funder", None)], 0, 1)
    # the State Chancellery and the SIF administer the ESF sub-activity (the funding scheme), not the project


def test_organisation_projects(backend):
    rows = run("organisation-projects", backend, {"organisation": "organisation/nordic-council-of-ministers"})
    assert table(rows, "project", "role") == sorted([(P1, "co-funder"), (P2, "co-funder"), (P3, "co-funder"), (RC, "funder")])
    rows = run("organisation-projects", backend)
    assert table(rows, "project", "role", "start", "end") == [
        (P1, "lead-partner", "2018-08", "2019-10"), (P2, "lead-partner", "2019-10", None),
        (P3, "lead-partner", "2021", "2022-04")]


def test_organisation_partners(backend, seed_graph):
    # eapn-latvia (LV) is a member of the three phases with the twelve others of seed 000: one of them in LV
    for b in (backend, InMemory(seed_graph)):
        rows = run("organisation-partners", b)
        assert table(rows, "partner", "country", "sharedProjects", "crossBorder") == sorted(
            (O(p), COUNTRY_000[p], 3, COUNTRY_000[p] != "LV") for p in PARTNERS_000)
        assert {r["organisation"] for r in rows} == {O("eapn-latvia")}
        assert [r["name"] for r in rows if r["partner"] == O("interakcia")] == ["Interakcia Foundation"]
        # most projects first, then by the partner's country: all share 3, so by country code
        assert [r["country"] for r in rows] == sorted(COUNTRY_000[p] for p in PARTNERS_000)
        # a funder is no member: no partners
        assert list(run("organisation-partners", b, {"organisation": "organisation/nordic-council-of-ministers"})) == []


def test_organisations_per_country(backend):
    rows = run("organisations-per-country", backend)
    # 000: LV 2, RU 2, DK 2, NO 2, LT 2 (the partner and the Parliament visited), BY/PL/EE/SE 1;
    # 001: DK, BY, LV x2; 002: LT x2; 003: LV x7
    assert table(rows, "country", "organisations") == sorted(
        [("LV", 11), ("DK", 3), ("LT", 4), ("BY", 2), ("NO", 2), ("RU", 2), ("EE", 1), ("PL", 1), ("SE", 1)])


def test_projects_per_country_year(backend):
    rows = {(r["country"], r["year"]): r["projects"] for r in run("projects-per-country-year", backend)}
    assert rows[("LV", 2018)] == 2      # phase 1 (EAPN-Latvia, WRI) and the Red Cross project
    assert rows[("LV", 2012)] == 1      # seed 003
    assert rows[("LT", 2017)] == 1      # seed 002
    assert rows[("BY", 2021)] == 1      # phase 3 (Interakcia)
    assert sum(1 for k in rows if k[1] == 2021) == 9  # phase 3: nine partner countries
    assert len(rows) == 29


def test_cross_border_pairs(backend):
    rows = run("cross-border-pairs", backend)
    # seed 000: 13 members, 78 pairs, of which same-country: LV, RU, DK, NO pairs = 4 -> 74, sharing 3 projects each
    # seed 001: DRC-BRC, DRC-LRC, BRC-LRC, DRC-branch, BRC-branch = 5 pairs (LRC-branch same country), 1 project each
    assert len(rows) == 74 + 5
    assert sum(1 for r in rows if r["sharedProjects"] == 3) == 74
    pair = {frozenset((r["organisationA"], r["organisationB"])): r["sharedProjects"] for r in rows}
    assert pair[frozenset((O("danish-red-cross"), O("belarus-red-cross")))] == 1
    assert frozenset((O("latvian-red-cross"), O("latvian-red-cross-daugavpils"))) not in pair
    # each pair once, A the member whose country code comes first; most shared projects first, then by countries
    # and names
    assert all(r["countryA"] < r["countryB"] for r in rows)
    keys = [(-r["sharedProjects"], r["countryA"], r["countryB"], r["nameA"], r["nameB"]) for r in rows]
    assert keys == sorted(keys) and keys[0][0] == -3 and keys[-1][0] == -1


def test_country_pairs(backend):
    rows = {(r["countryA"], r["countryB"]): r["jointProjects"] for r in run("country-pairs", backend)}
    # seed 000 spans 9 countries: C(9,2) = 36 pairs with 3 joint projects; seed 001 adds BY-DK, BY-LV, DK-LV
    assert len(rows) == 36
    assert rows[("BY", "DK")] == rows[("BY", "LV")] == rows[("DK", "LV")] == 4
    assert rows[("NO", "SE")] == 3


def test_funder_portfolios(backend):
    rows = run("funder-portfolios", backend)
    assert table(rows, "funder", "currency", "projects", "total") == table([
        (O("nordic-council-of-ministers"), "DKK", 3, Decimal("1165150")),   # 310000 + 411000 + 444150
        (O("nordic-council-of-ministers"), None, 1, None),                  # seed 001, no amount
        (O("lt-ministry-social-security-labour"), None, 1, None),
        (O("european-union"), None, 1, None)], 0, 1, 2, 3)


def test_cofunding_rate(backend):
    rows = run("cofunding-rate", backend)
    assert table(rows, "project", "ratePercent", "statedSharePercent") == table([
        (P1, Decimal("69.73"), None),   # 310000 / 444550
        (P2, Decimal("68.77"), None),   # 411000 / 597654
        (P3, Decimal("77.65"), None),   # 444150 / 572000
        (MIN, None, Decimal("92.07"))], 0, 1, 2)


def test_projects_active_in_year(backend):
    assert table(run("projects-active-in-year", backend), "project") == sorted([(P1,), (RC,), (P2,)])
    # phase 2 states no end: it is active until its last dated event (the online events of 2021)
    assert table(run("projects-active-in-year", backend, {"year": "2020"}), "project") == [(P2,)]
    assert table(run("projects-active-in-year", backend, {"year": "2021"}), "project", "lastActivity") == [
        (P2, "2021"), (P3, "2022-04")]
    assert table(run("projects-active-in-year", backend, {"year": "2013"}), "project") == [(MIN,)]


def test_projects_by_target_group(backend):
    assert table(run("projects-by-target-group", backend), "project") == sorted(
        [(P1,), (P2,), (P3,), (NLIF,), (P004,)])
    assert table(run("projects-by-target-group", backend, {"group": "refugees"}), "project") == [(P004,)]


def test_projects_by_theme(backend):
    assert table(run("projects-by-theme", backend), "project") == sorted([(P1,), (P2,), (P3,)])
    assert table(run("projects-by-theme", backend, {"theme": "minority-rights"}), "project") == [(MIN,)]


def test_events_by_city(backend):
    rows = run("events-by-city", backend)
    assert table(rows, "country", "city", "type", "date") == table([
        ("RU", "Kaliningrad", "training-workshop", "2018-09"),
        ("LV", "Riga", "study-visit", None), ("LT", "Vilnius", "study-visit", None),
        ("DK", "Odense", "study-visit", None), ("NO", "Bergen", "study-visit", None),
        ("EE", "Tallinn", "study-visit", None), ("PL", "Rzeszów", "study-visit", None),
        ("BY", "Minsk", "conference", "2019-10"), ("LV", "Riga", "conference", "2019-10"),
        ("LV", "Daugavpils", "partner-meeting", "--08-15"), ("BY", "Grodno", "camp", "--08")], 0, 1, 2, 3)
    # dates as printed: 15 August and (the end of) August, without a year
    assert table([r for r in rows if r["inferredDate"]], "city", "inferredDate", "status") == [
        ("Daugavpils", "2019-08-15", None), ("Grodno", "2019-08", "Scheduled")]


def test_bridging_organisations(backend):
    rows = run("bridging-organisations", backend)
    got = {r["organisation"].rsplit("/", 1)[1]: (r["partnersInGroupA"], r["partnersInGroupB"]) for r in rows}
    # Nordic partners of seed 000: Interfolk, Odense Aftenskole (DK), PtP Norway, Velferdsalliansen (NO), b-Creative (SE);
    # the Eastern Partnership partner: Interakcia (BY). Seed 001: Danish RC (DK) with Belarus RC (BY).
    assert got["eapn-latvia"] == (5, 1)
    assert got["interfolk"] == (4, 1)
    assert got["latvian-red-cross"] == (1, 1) and got["latvian-red-cross-daugavpils"] == (1, 1)
    assert "interakcia" not in got and "danish-red-cross" not in got and "belarus-red-cross" not in got
    assert len(got) == 14  # the 13 of seed 000 minus Interakcia, plus the two Latvian Red Cross bodies
    baltic_russia = run("bridging-organisations", backend, {"group_a": "baltic", "group_b": "russia"})
    # every seed-000 member has both a Baltic and a Russian co-partner (the Baltic and Russian members have another)
    assert {r["organisation"].rsplit("/", 1)[1] for r in baltic_russia} == set(COUNTRY_000)


def test_lead_partners(backend):
    assert table(run("lead-partners", backend), "organisation", "projectsLed") == sorted(
        [(O("eapn-latvia"), 3), (O("iic"), 1), (O("nlif"), 1)])


def test_data_gaps(backend):
    rows = run("data-gaps", backend)
    assert table(rows, "project", "noPartner", "noBudget", "noDates", "noName") == table([
        (P2, False, False, True, False), (RC, False, True, False, False), (NLIF, False, True, False, False),
        (MIN, False, True, False, False), (P004, True, True, True, True)], 0, 1, 2, 3, 4)


def test_provenance(backend):
    rows = run("provenance", backend)
    assert table(rows, "file", "language") == [("000_d0c08a81ad6a7d61.txt", "http://id.loc.gov/vocabulary/iso639-1/en")]
    rows = run("provenance", backend, {"subject": "organisation/nordic-council-of-ministers"})
    assert table(rows, "file") == [("000_d0c08a81ad6a7d61.txt",), ("001_5e8cecaa8a91d298.txt",)]


def test_provenance_of_an_imported_resource(tmp_path):
    """An imported resource: its dataset and the row it was read from (counted here in the raw file), no file or
    language of a curated source document."""
    import gzip

    from ngograph.cli import main

    source = FIXTURES / "sources" / "cordis" / "h2020.csv.gz"
    assert main(["import", "cordis", str(source), "--store", str(tmp_path / "store"), "--quiet"]) == 0
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    first = {}
    for i, row in enumerate(rows, 1):
        first.setdefault(("project", row["rcn"]), i)
        first.setdefault(("organisation", row["pic"]), i)
    imported = Embedded(tmp_path / "store")
    for (kind, key), n in [(("project", rows[-1]["rcn"]), first["project", rows[-1]["rcn"]]),
                           (("organisation", rows[-1]["pic"]), first["organisation", rows[-1]["pic"]])]:
        path = f"project/cordis-rcn/{key}" if kind == "project" else f"organisation/xi-pic/{key}"
        got = run("provenance", imported, {"subject": path})
        assert [dict(r) for r in got] == [{"subject": BASE + path, "source": BASE + "dataset/cordis", "file": None,
                                           "title": "CORDIS tables: cordis", "language": None,
                                           "record": f"h2020.csv.gz:row {n}"}], path


def test_projects_by_theme_follow_the_sources_mapped_concepts():
    """A theme's projects: those with the theme as a subject, and those with a concept of a source's scheme mapped to
    it (skos:broadMatch, as data/vocab/interreg-specific-objective.ttl maps RSO4.3); not those of another scheme's
    concept that has the same notation, nor what is no project."""
    import pyoxigraph as ox

    v, i = "https://w3id.org/ngograph/vocab/", BASE
    store = ox.Store()
    store.load(f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix schema: <https://schema.org/> .
        <{v}theme/social-inclusion> skos:inScheme <{v}theme> ; skos:notation "social-inclusion" .
        <{v}other/x> skos:inScheme <{v}other> ; skos:notation "social-inclusion" .
        <{v}interreg-specific-objective/RSO4.3> skos:broadMatch <{v}theme/social-inclusion> .
        <{v}interreg-specific-objective/RSO1.1> skos:broadMatch <{v}theme/education> .
        <{i}project/a> a schema:Project ; dct:subject <{v}theme/social-inclusion> .
        <{i}project/b> a schema:Project ; dct:subject <{v}interreg-specific-objective/RSO4.3> .
        <{i}project/c> a schema:Project ; dct:subject <{v}other/x>, <{v}interreg-specific-objective/RSO1.1> .
        <{i}grant/d> a schema:MonetaryGrant ; dct:subject <{v}theme/social-inclusion> .
        """.encode(), ox.RdfFormat.TURTLE)
    rows = run("projects-by-theme", Embedded(store), {"theme": "social-inclusion"})
    assert [(r["project"], r["theme"], r["via"]) for r in rows] == [
        (i + "project/a", "social-inclusion", None),
        (i + "project/b", "social-inclusion", v + "interreg-specific-objective/RSO4.3")]


def test_places(backend):
    rows = {r["place"].rsplit("/", 1)[1]: (r["events"], r["projects"]) for r in run("places", backend)}
    assert len(rows) == 13
    assert rows["daugavpils"] == (1, 1)  # the partner meeting; the Red Cross project is piloted there
    assert rows["riga"] == (2, 1)          # study visit + conference; phase 2 was launched in Riga
    assert rows["grodno-region"] == (0, 1)


def test_project_results(backend):
    rows = run("project-results", backend)
    assert len(rows) == 21  # 5 results of seed 000 (one shared by two phases) + 5 + 1 + 9
    got = table(rows, "project", "resultType", "value", "minimum", "planned", "status")
    assert (RC, "people-trained", None, 80, True, "planned") in got
    assert (P004, "working-meetings", 7, None, False, "achieved") in got
    assert (P004, "improved-cooperation", None, None, False, "achieved-almost-fully") in got
    assert (MIN, "minority-coalition", None, None, True, "planned") in got
    assert sum(1 for r in rows if r["description"]) == 5  # proposals, Red Cross capacity, coalition, two of seed 004


def test_summary(backend):
    [row] = run("summary", backend)
    assert row == {
        "projects": 7, "organisations": 30, "countries": 9, "funders": 3, "participations": 55, "events": 14}


@pytest.mark.parametrize("q", qc_queries(), ids=lambda q: q.name)
def test_qc_violation_queries_return_nothing_on_the_seeds(backend, q):
    assert list(run(q, backend)) == []


def test_qc_catches_a_broken_shortcut(seed_graph):
    from rdflib import Graph, URIRef
    from ngograph.rdf.namespaces import SCHEMA

    g = Graph()
    g += seed_graph
    g.add((URIRef(P004), SCHEMA.member, URIRef(O("iic"))))
    rows = run("qc/member-shortcut-violation", InMemory(g))
    assert table(rows, "project", "organisation", "missing") == [(P004, O("iic"), "participation")]


# ------------------------------------------------------------------ parameters and safety

def test_injection_is_just_a_string(backend):
    evil = 'x" } ; DROP ALL ; #'
    assert list(run("projects-by-theme", backend, {"theme": evil})) == []
    assert run("summary", backend)[0]["projects"] == 7


def test_iri_parameter_cannot_break_out(backend):
    with pytest.raises(QueryError, match="not a valid IRI"):
        run("project-partners", backend, {"project": "x> } DROP ALL { <y"})


@pytest.mark.parametrize("text,word", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
    ("DROP ALL", "DROP"),
    ("PREFIX x: <urn:x> # comment\nsErViCe", "SERVICE"),
])
def test_refused_on_the_read_path(text, word):
    with pytest.raises(QueryError, match=f"refused: {word}"):
        check_read_only(text)


def test_keywords_inside_strings_and_names_are_fine():
    check_read_only('SELECT ?load ?service WHERE { ?s <urn:from> "SERVICE LOAD DROP" ; ?p \'\'\'INSERT\'\'\' }')


def test_parameter_errors():
    q = load_query("projects-active-in-year")
    with pytest.raises(QueryError, match="not an integer"):
        bind_params(q, {"year": "twenty"})
    with pytest.raises(QueryError, match="has no parameter colour"):
        bind_params(q, {"colour": "red"})
    with pytest.raises(QueryError, match="no query 'nope'"):
        load_query("nope")


def test_row_cap(backend):
    rows = run("cross-border-pairs", backend, max_rows=10)
    assert len(rows) == 10 and rows.truncated
    assert not run("summary", backend).truncated


def test_timeout_is_reported(backend):
    from ngograph.store.backends import QueryTimeout

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # ~1 s: finishes soon after the test
    with pytest.raises(QueryTimeout, match="did not finish within 0.2 s"):
        backend.select(slow, timeout=0.2)


def test_a_query_says_how_long_it_may_run(tmp_path):
    """``#+ timeout: N`` (whole seconds above 0): the query's own default; none: None; anything else refused, naming
    the file and line."""
    assert load_query("cross-border-pairs").timeout == 120.0
    assert load_query("summary").timeout is None
    assert [q.name for q in list_queries() if q.timeout is not None] == ["cross-border-pairs"]
    f = tmp_path / "mine.rq"
    for value, seconds in [("7", 7.0), (" 007 ", 7.0), ("999999", 999999.0)]:
        f.write_text(f"#+ summary: mine\n#+ timeout: {value}\nSELECT * WHERE {{ ?s ?p ?o }}\n")
        assert load_query(f).timeout == seconds
    for bad in ["0", "-5", "1.5", "2m", "", "1000000", "nan"]:
        f.write_text(f"#+ summary: mine\n#+ timeout: {bad}\nSELECT * WHERE {{ ?s ?p ?o }}\n")
        with pytest.raises(QueryError) as err:
            load_query(f)
        assert str(err.value) == (f"{f}:2: bad timeout header {bad!r} (write: a whole number of seconds above 0, "
                                  "e.g. #+ timeout: 120)")


def test_same_rows_on_rdflib(backend, seed_graph):
    mem = InMemory(seed_graph)
    for q in list_queries():
        a, b = run(q, backend), run(q, mem)
        assert table(a, *a.variables) == table(b, *a.variables), q.name


def test_sparqlwrapper_reads_every_query_as_the_query_it_is():
    # SPARQLWrapper takes the first SPARQL keyword it finds for the query's kind, and removes only every other
    # line of a block of comments: a comment line with a word such as "adds" made it send a query as an update
    # (a word such as "asks" makes it an ASK, which it sends and reads as a SELECT)
    from SPARQLWrapper import SPARQLWrapper

    # the library, which users send to endpoints (the store's own queries run on the embedded store only)
    paths = [q.path for q in list_queries()]
    assert len(paths) >= 15
    for path in paths:
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        kind = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", code).group(1)
        wrapper = SPARQLWrapper("http://127.0.0.1:9/sparql")
        wrapper.setQuery(text)
        # the kind decides how it is sent (a query, not an update) and which result formats are asked for
        family = {"SELECT": "rows", "ASK": "rows", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
        assert family.get(wrapper.queryType) == family[kind], (path.name, wrapper.queryType)


def test_query_files_have_headers():
    for path in sorted(QUERIES_DIR.rglob("*.rq")):
        first = path.read_text().splitlines()[0]
        assert first.startswith("#+ summary: "), path


def test_organisation_identities(backend):
    # the seeds merge nothing: every curated organisation is its own node, read in the curated graph
    # (the store-level cases, with merges across sources, are in tests/test_reconcile_store.py)
    rows = run("organisation-identities", backend)
    assert len({r["organisation"] for r in rows}) == 30
    assert table([r for r in rows if r["organisation"] == O("eapn-latvia")], "source", "identifier", "name",
                 "language") == [("curated", None, "Association EAPN-Latvia", "en")]
    assert {r["language"] for r in rows} == {"da", "en", "lt", "lv", "no", "pl"}


def test_organisation_identities_tells_names_in_two_languages_apart():
    """A name in French and in English: two rows that only the language tells apart (their CSV looked the same); a
    name without a language: none."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(b"""@prefix org: <http://www.w3.org/ns/org#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <http://e/imf> a org:FormalOrganization ; rdfs:label "INTERNATIONAL MONETARY FUND"@fr, "INTERNATIONAL MONETARY FUND"@en .
        <http://e/x> a org:FormalOrganization ; rdfs:label "X" .""", ox.RdfFormat.TURTLE)
    rows = run("organisation-identities", Embedded(store))
    assert sorted(table(rows, "organisation", "name", "language"), key=str) == [
        ("http://e/imf", "INTERNATIONAL MONETARY FUND", "en"), ("http://e/imf", "INTERNATIONAL MONETARY FUND", "fr"),
        ("http://e/x", "X", None)]


def test_data_gaps_lists_imported_projects_with_their_record(tmp_path, built):
    """An imported project has no curated source document: its gaps are listed with its file and record."""
    from ngograph.store.backends import Embedded
    from ngograph.store.embedded import write_store
    from ngograph.store.imports import import_source

    link = tmp_path / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    source = FIXTURES / "sources" / "cordis" / "h2020.csv"
    import_source(link, "cordis", [source], BASE)
    rows = [r for r in run("data-gaps", Embedded(link, sources=["cordis"]))]
    assert rows and all(r["source"].startswith("h2020.csv:row ") for r in rows)
    # the CORDIS participation table gives no project names: every project lacks one
    projects = {r["project"] for r in rows}
    with open(source, encoding="utf-8", newline="") as fh:
        assert len(projects) == len({line["rcn"] for line in csv.DictReader(fh)})
    assert all(r["noName"] for r in rows)


def test_a_project_that_ends_before_it_starts_is_active_in_its_start_year():
    """A source's slip: the networks' period filter and the timeline count it in its start year, and so does the
    query (it was active in no year)."""
    import pyoxigraph as ox
    from rdflib import Graph

    data = b'''@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://e.org/p> a schema:Project ; schema:startDate "2020-01-01"^^xsd:date ; schema:endDate "2019-12-31"^^xsd:date .
        <https://e.org/q> a schema:Project ; schema:startDate "2018-01-01"^^xsd:date ; schema:endDate "2021-06-30"^^xsd:date .
        '''
    store = ox.Store()
    store.load(data, ox.RdfFormat.TURTLE)
    for backend in (Embedded(store, fixed=True), InMemory(Graph().parse(data=data, format="turtle"))):
        active = {year: sorted(str(r["project"]) for r in run("projects-active-in-year", backend, {"year": str(year)}))
                  for year in (2018, 2019, 2020, 2021)}
        assert active == {2018: ["https://e.org/q"], 2019: ["https://e.org/q"],
                          2020: ["https://e.org/p", "https://e.org/q"], 2021: ["https://e.org/q"]}, backend.name
