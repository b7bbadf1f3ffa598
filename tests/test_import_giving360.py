"""`ngograph import 360giving`: the 360Giving fixtures (tests/fixtures/sources/giving360, see
/work/notes/sources/giving360/FIXTURES.md for their origin) through records and the emitter into
a named graph; counts against an independent count of the raw JSON and CSV, IRIs, amounts,
dates and kinds checked by hand, re-import, and validation of the result."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from importing import assert_reimport_is_identical, select

from ngograph.cli import main
from ngograph.records.types import Grant
from ngograph.sources.giving360 import read_giving360
from ngograph.sources.giving360_records import giving360_records
from ngograph.store.imports import import_source

from conftest import DATA

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "giving360"
BASE = "https://w3id.org/ngograph/id/"
GRAPH = f"{BASE}dataset/360giving"
SCHEMA = "https://schema.org/"
NGO = "https://w3id.org/ngograph/def#"
#: The column-shifted records of the stack.json fixture (FIXTURES.md: origin /grants/2723 and 3003).
SHIFTED = {("stack.json", 3), ("stack.json", 5)}
_PLACEHOLDER = re.compile(r".*dummy.*|Overseas|[0-9.]+", re.I)


def _raw_grants() -> list[tuple[str, int, dict]]:
    """Every grant of the fixtures as plain dicts in the standard keys: (file, index, grant)."""
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        for i, g in enumerate(json.loads(path.read_text(encoding="utf-8"))["grants"]):
            if "RecipientOrgIdentifier" in g:  # the flat keys of the aggregate
                g = {"id": g["id"], "amountAwarded": g["amountAwarded"], "currency": g["currency"],
                     "recipientOrganization": [{"id": g["RecipientOrgIdentifier"]}],
                     "fundingOrganization": [{"id": g["FundingOrgIdentifier"]}]}
            out.append((path.name, i, g))
    with open(FIXTURES / "IndigoTrust_360giving.csv", encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            out.append((fh.name, i, {"id": row["Identifier"], "amountAwarded": row["Amount Awarded"],
                                     "currency": row["Currency"],
                                     "recipientOrganization": [{"id": row["Recipient Org:Identifier"]}],
                                     "fundingOrganization": [{"id": row["Funding Org:Identifier"]}]}))
    return out


def _independent_count() -> dict:
    """Grants (distinct ids, shifted records left out, the first file of an id kept), funders,
    recipients (one per id, one per grant for a placeholder id) and amounts per currency."""
    grants, funders, recipients, sums = {}, set(), set(), {}
    # a funder's own file first, the flat aggregate last
    for file, i, g in sorted(_raw_grants(), key=lambda t: t[0] == "stack.json"):
        if (file, i) in SHIFTED or g["id"] in grants:
            continue
        grants[g["id"]] = g
        funders.add(g["fundingOrganization"][0]["id"])
        rid = g["recipientOrganization"][0]["id"]
        recipients.add(("grant", g["id"]) if _PLACEHOLDER.fullmatch(rid) else rid)
        sums[g["currency"]] = sums.get(g["currency"], Decimal(0)) + Decimal(str(g["amountAwarded"]))
    return {"grants": len(grants), "organisations": len(funders | recipients), "sums": sums}


def test_fixture_files_are_there():
    assert len(list(FIXTURES.glob("*.json"))) == 8 and (FIXTURES / "IndigoTrust_360giving.csv").is_file()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    store = tmp_path_factory.mktemp("giving") / "store"
    assert main(["build", "--data", str(DATA), "--store", str(store)]) == 0
    return store, import_source(store, "360giving", [FIXTURES], BASE)


def _select(link: Path, query: str) -> list[tuple]:
    return select(link, f"PREFIX schema: <{SCHEMA}> PREFIX ngo: <{NGO}> {query}", GRAPH)


def test_counts_match_an_independent_count(imported):
    store, summary = imported
    raw = _independent_count()
    assert (raw["grants"], raw["organisations"]) == (38, 48)  # FIXTURES.md: 38 distinct grant ids
    assert summary.counts["Grant"] == raw["grants"]
    assert summary.counts["Organisation"] == raw["organisations"]
    assert summary.counts["Project"] == summary.counts["Participation"] == 0
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?g a schema:MonetaryGrant }") == [(str(raw["grants"]),)]
    sums = {c: Decimal(v) for c, v in _select(store, """SELECT ?c (SUM(?v) AS ?s) {
        ?g a schema:MonetaryGrant ; schema:amount [ schema:value ?v ; schema:currency ?c ] } GROUP BY ?c""")}
    assert sums == raw["sums"]
    assert sums["USD"] == 100000  # ZING, the only grant not in pounds


def test_a_grant_goes_from_the_funder_to_the_recipient_organisation(imported):
    store, _ = imported
    grant = f"{BASE}grant/360g/360G-baringfoundation-20130059"
    rows = _select(store, f"""SELECT ?funder ?funded ?v ?c ?d ?loc ?id {{ <{grant}> schema:funder ?funder ;
        schema:fundedItem ?funded ; schema:amount [ schema:value ?v ; schema:currency ?c ] ; ngo:awardDate ?d ;
        ngo:sourceRecord ?loc ; schema:identifier [ schema:propertyID "360G-GRANT" ; schema:value ?id ] }}""")
    # also in stack.json (with an ISO date): the funder's own file is kept, the repeat left out
    assert rows == [(f"{BASE}organisation/gb-chc/258583", f"{BASE}organisation/nl-kvk/8190", "75000", "GBP",
                     "2014-03-17", "baring.json#/grants/1", "360G-baringfoundation-20130059")]
    assert [p for p in imported[1].problems if "already read" in p[1]] == [  # each repeat, where it is read
        ("stack.json#/grants/4", "grant '360G-nominettrust-10' already read at nominet.json#/grants/0: this one is "
                                 "left out"),
        ("stack.json#/grants/6", "grant '360G-baringfoundation-20130059' already read at baring.json#/grants/1: this "
                                 "one is left out")]
    names = _select(store, f"SELECT ?n {{ <{grant}> schema:name ?n FILTER (lang(?n) = 'en') }}")
    assert names == [("Climate Change",)]


def test_dates_keep_their_precision_and_planned_dates_are_start_and_end(imported):
    store, _ = imported
    rows = _select(store, f"""SELECT ?d (DATATYPE(?d) AS ?t) ?s ?e {{ <{BASE}grant/360g/360G-nominettrust-10>
        ngo:awardDate ?d ; schema:startDate ?s ; schema:endDate ?e }}""")
    assert rows == [("2013-08", "http://www.w3.org/2001/XMLSchema#gYearMonth", "2013-04-19", "2014-03-31")]
    disbursed = _select(store, f"""SELECT ?g ?v {{ ?g schema:funder <{BASE}organisation/gb-chc/1151621> ;
        ngo:amountDisbursed/schema:value ?v FILTER (?v = 0) }}""")
    assert [g.rsplit("/", 1)[1] for g, _ in disbursed] == ["360G-ocf-a061600000h35j7", "360G-ocf-a061600000h4eh0"]


def test_placeholder_ids_never_become_keys(imported):
    store, _ = imported
    recipients = _select(store, f"""SELECT ?g ?r {{ ?g schema:funder <{BASE}organisation/360g/360G-indigotrust> ;
        schema:fundedItem ?r FILTER (CONTAINS(STR(?r), "360g-grant")) }}""")
    assert [r for _, r in recipients] == [f"{BASE}organisation/360g-grant/360G-indigotrust%3AIND213/recipient",
                                          f"{BASE}organisation/360g-grant/360G-indigotrust%3AIND215/recipient"]
    assert _select(store, "SELECT ?o { ?o a schema:Organization FILTER (CONTAINS(LCASE(STR(?o)), 'dummy')) }") == []
    # Copenhagen Youth Project (DUMMY01) has a charity number: an identifier, and an NGO by the source's word
    rows = _select(store, f"""SELECT ?v {{ <{BASE}organisation/360g-grant/360G-indigotrust%3AIND215/recipient>
        a schema:NGO ; schema:identifier [ schema:propertyID "GB-CHC" ; schema:value ?v ] }}""")
    assert rows == [("1091001",)]
    overseas = f"{BASE}organisation/360g-grant/360G-dulverton-006D000000MJrWW/recipient"
    assert _select(store, f"SELECT ?n {{ <{overseas}> schema:name ?n }}") == [("Swaziland National Award Authority",)]


def test_identifiers_kinds_and_countries(imported):
    store, _ = imported
    # GB-COH-02050843 and companyNumber 2050843 are one identifier; a company is not said to be an NGO
    aardman = f"{BASE}organisation/gb-coh/02050843"
    assert _select(store, f"""SELECT ?s ?v {{ <{aardman}> schema:identifier [ schema:propertyID ?s ;
        schema:value ?v ] }}""") == [("GB-COH", "02050843")]
    assert _select(store, f"SELECT ?t {{ <{aardman}> a ?t FILTER (?t = schema:NGO) }}") == []
    ngos = {o.rsplit("/id/", 1)[1] for (o,) in _select(store, "SELECT ?o { ?o a schema:NGO }")}
    assert {"organisation/gb-chc/1070468", "organisation/gb-chc/258583", "organisation/za-npo/004-920",
            "organisation/360g/360G-ocf-org%3A1117726"} <= ngos
    assert "organisation/360g/360G-ocf-org%3A06849183" not in ngos  # a company number only
    assert "organisation/nl-kvk/8190" not in ngos  # charity number 'Dutch registered8190' is not one
    country = f"{SCHEMA}addressCountry"
    rows = dict(_select(store, f"SELECT ?o ?c {{ ?o <{country}> ?c }}"))
    eu = "http://publications.europa.eu/resource/authority/country/"
    assert rows[f"{BASE}organisation/gb-chc/1001813"] == f"{eu}GBR"  # Scotland
    assert rows[f"{BASE}organisation/nl-kvk/8190"] == f"{eu}NLD"  # from the registry prefix
    for unread in ("360g/360G-wolfson%3Aorg-200", "360g/360G-wolfson%3Aorg-920", "360g/360G-indigotrust%3Aorg-26347"):
        assert f"{BASE}organisation/{unread}" not in rows  # ISRAEL, COMMONWEALTH, USA: reported, not guessed
    nominet = _select(store, f"SELECT ?n {{ <{BASE}organisation/360g/NominetTrust> schema:name ?n }}")
    assert nominet == [("Nominet Trust",)]


def test_shifted_records_are_left_out_with_a_problem(imported):
    store, summary = imported
    assert _select(store, f"SELECT ?p {{ <{BASE}grant/360g/360G-macc%3ARSI-S15> ?p ?o }}") == []
    assert _select(store, f"SELECT ?p {{ <{BASE}grant/360g/360G-nominettrust-98> ?p ?o }}") == []
    left = sorted(loc for loc, msg in summary.problems if "columns shifted in the source; left out" in msg)
    assert left == ["stack.json#/grants/3", "stack.json#/grants/5"]


def test_reimport_gives_the_same_graph(imported):
    store, _ = imported
    assert_reimport_is_identical(store, "360giving", [FIXTURES], GRAPH)


def test_the_imported_graph_validates(imported, capsys):
    store, _ = imported
    assert main(["validate", "--store", str(store)]) == 0
    assert "The graph conforms: 0 violation(s)" in capsys.readouterr().out


def test_a_planned_end_before_the_start_is_left_out(tmp_path):
    """dulverton.json /grants/971 and /grants/1197 end before they start (the real file)."""
    grant = {"id": "360G-x-1", "title": "T", "currency": "GBP", "amountAwarded": 10.0, "awardDate": "2013-06-01",
             "plannedDates": [{"startDate": "30/09/2013", "endDate": "27/06/2013"}],
             "fundingOrganization": [{"id": "GB-CHC-1", "name": "F"}],
             "recipientOrganization": [{"id": "GB-CHC-2", "name": "R"}]}
    (tmp_path / "x.json").write_text(json.dumps({"grants": [grant]}), encoding="utf-8")
    problems: list = []
    (g,) = [r for r in giving360_records(read_giving360(tmp_path, problems), problems) if isinstance(r, Grant)]
    assert (g.start, g.end) == ("2013-09-30", None)
    assert problems == [("x.json#/grants/0", "planned end '27/06/2013' is before the start '30/09/2013': "
                                             "the end is left out")]
