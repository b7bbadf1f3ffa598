"""IRI minting and the record emitters of ngograph/rdf/emit.py after the cache of encoded
segments: behaviours a mutation run showed were not pinned (issue 14). Lines written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ngograph.rdf import emit
from ngograph.rdf.emit import Emitter, Roles
from ngograph.records.types import (Allocation, Code, Concept, CountryGroup, Event, FundingScheme, Grant, Identifier,
                                    Money, Organisation, Participation, Place, Programme, Project, Result, Source,
                                    Text, Transaction)

E = "https://e.org/"
S = "https://schema.org/"
N = "https://w3id.org/ngograph/def#"
V = "https://w3id.org/ngograph/vocab/"
C = "http://publications.europa.eu/resource/authority/country/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(emit, "_ENCODED", {})


def emitter() -> Emitter:
    return Emitter(E, None, Roles({}, set()))


def lines(em: Emitter) -> list[str]:
    return em.take().decode().splitlines()


def test_a_segment_is_encoded_once(monkeypatch):
    calls = []

    def quote(text, safe):
        calls.append(text)
        return text.replace(" ", "%20")

    monkeypatch.setattr(emit, "quote", quote)
    assert emit.mint_path(("x", "a b")) == emit.mint_path(("x", "a b")) == "x/a%20b"
    assert emit.mint_path(("y", "a b", "c d")) == "y/a%20b/c%20d"
    assert calls == ["a b", "c d"]


def test_identifier_nodes_encode_the_scheme_and_a_bare_one_stops_nothing():
    em = emitter()
    s = em.iri(("o", "1"))
    em.identifiers(s, [Identifier("", "plain"), Identifier("A/B", "1")])
    node = "<https://e.org/o/1/id/A%2FB/1>"
    assert lines(em) == [
        f'{s} <{S}identifier> "plain" .',
        f"{s} <{S}identifier> {node} .",
        f"{node} {TYPE} <{S}PropertyValue> .",
        f'{node} <{S}propertyID> "A/B" .',
        f'{node} <{S}value> "1" .',
    ]


def test_keys_places_visits_and_roles():
    em = emitter()
    s = em.iri(("e", "1"))
    em.keys(s, "memberOf", [("o", "a"), ("o", "b c")])
    em.places(s, "location", ["LV", ("place", "riga")])
    em.visits(s, [Code("body", "ministry"), ("o", "a")])
    assert lines(em) == [
        f"{s} <http://www.w3.org/ns/org#memberOf> <{E}o/a> .",
        f"{s} <http://www.w3.org/ns/org#memberOf> <{E}o/b%20c> .",
        f"{s} <{S}location> <{C}LVA> .",
        f"{s} <{S}location> <{E}place/riga> .",
        f"{s} <{N}visited> <{V}body/ministry> .",
        f"{s} <{N}visited> <{E}o/a> .",
    ]
    roles = Roles({"lead": "https://e.org/role/lead"}, {"lead"})
    assert roles.iri == {"lead": "<https://e.org/role/lead>"} and roles.consortium == {"lead"}


def test_a_label_without_a_language_and_labels_before_names():
    em = emitter()
    s = em.iri(("o", "1"))
    em.label(s, [Text("Bare", None)])
    assert lines(em) == [f'{s} {LABEL} "Bare"@und .']
    org = Project(("p", "1"), "x", names=[Text("Display", "en")], labels=[Text("Oficiālais", "lv")])
    em.names(s, org)
    assert lines(em)[0] == f'{s} {LABEL} "Oficiālais"@lv .'


def test_money_with_its_period_and_status():
    em = emitter()
    s = em.iri(("p", "1"))
    em.money(s, "budget", Money(Decimal("5"), "EUR", start="2020-01-01", end="2020-12-31",
                                status=Code("budget-status", "2")), "budget/1")
    m = "<https://e.org/p/1/budget/1>"
    assert lines(em) == [
        f"{s} <{N}budget> {m} .",
        f"{m} {TYPE} <{S}MonetaryAmount> .",
        f'{m} <{S}value> "5"^^<{XSD}decimal> .',
        f'{m} <{S}currency> "EUR" .',
        f'{m} <{S}validFrom> "2020-01-01"^^<{XSD}date> .',
        f'{m} <{S}validThrough> "2020-12-31"^^<{XSD}date> .',
        f"{m} <{N}budgetStatus> <{V}budget-status/2> .",
    ]


def test_a_whole_project():
    em = Emitter(E, f"{E}dataset/d", Roles({}, set()))
    em.emit(Project(
        ("project", "d", "1"), "a.xml:3", names=[Text("Bridges", "en")], descriptions=[Text("About", "en")],
        start="2020", end="2021", planned_start="2019-12", actual_start="2020-01-02", planned_end="2021-06",
        actual_end="2021-07-01", status=Code("status", "2"), subjects=[Code("sector", "151")],
        audiences=[Code("audience", "youth")], activities=[Code("activity", "training")], countries=["EE"],
        places=[("place", "tartu")], allocations=[Allocation("LV", Decimal("60")), Allocation(Code("region", "9"), None)],
        part_of=("programme", "d", "p"), attributed_to=("organisation", "d", "o")))
    p, w = f"<{E}project/d/1>", f"<{E}programme/d/p>"
    a1, a2 = f"<{E}project/d/1/allocation/1>", f"<{E}project/d/1/allocation/2>"
    assert lines(em) == [
        f"{p} {TYPE} <{S}Project> .",
        f"{p} <http://www.w3.org/ns/prov#wasDerivedFrom> <{E}dataset/d> .",
        f'{p} <{N}sourceRecord> "a.xml:3" .',
        f'{p} {LABEL} "Bridges"@en .',
        f'{p} <{S}name> "Bridges"@en .',
        f'{p} <{S}description> "About"@en .',
        f'{p} <{S}startDate> "2020"^^<{XSD}gYear> .',
        f'{p} <{S}endDate> "2021"^^<{XSD}gYear> .',
        f'{p} <{N}plannedStartDate> "2019-12"^^<{XSD}gYearMonth> .',
        f'{p} <{N}actualStartDate> "2020-01-02"^^<{XSD}date> .',
        f'{p} <{N}plannedEndDate> "2021-06"^^<{XSD}gYearMonth> .',
        f'{p} <{N}actualEndDate> "2021-07-01"^^<{XSD}date> .',
        f"{p} <{N}status> <{V}status/2> .",
        f"{p} <http://purl.org/dc/terms/subject> <{V}sector/151> .",
        f"{p} <{S}audience> <{V}audience/youth> .",
        f"{p} <{N}activityType> <{V}activity/training> .",
        f"{p} <{S}areaServed> <{C}EST> .",
        f"{p} <{S}location> <{E}place/tartu> .",
        f"{p} <{N}allocation> {a1} .",
        f"{a1} {TYPE} <{N}Allocation> .",
        f"{a1} <{N}allocatedTo> <{C}LVA> .",
        f'{a1} <{N}percentage> "60"^^<{XSD}decimal> .',
        f"{p} <{N}allocation> {a2} .",
        f"{a2} {TYPE} <{N}Allocation> .",
        f"{a2} <{N}allocatedTo> <{V}region/9> .",
        f"{p} <http://purl.org/dc/terms/isPartOf> {w} .",
        f"{w} <http://purl.org/dc/terms/hasPart> {p} .",
        f"{p} <http://www.w3.org/ns/prov#wasAttributedTo> <{E}organisation/d/o> .",
    ]


def test_a_whole_event():
    em = emitter()
    em.emit(Event(("event", "1"), "e.yaml:2", Code("event-type", "visit"), of=[("project", "x")],
                  names=[Text("Study visit", "en")], place=("place", "riga"), start="2021-05-03", online=True,
                  status="rescheduled", inferred_start="2021-05", inference=Code("inference", "report"),
                  visited=[("organisation", "m")]))
    e = f"<{E}event/1>"
    assert lines(em) == [
        f"{e} {TYPE} <{S}Event> .",
        f"{e} <{N}eventType> <{V}event-type/visit> .",
        f"{e} <{N}eventOf> <{E}project/x> .",
        f'{e} {LABEL} "Study visit"@en .',
        f'{e} <{S}name> "Study visit"@en .',
        f"{e} <{S}location> <{E}place/riga> .",
        f'{e} <{S}startDate> "2021-05-03"^^<{XSD}date> .',
        f"{e} <{S}eventAttendanceMode> <{S}OnlineEventAttendanceMode> .",
        f"{e} <{S}eventStatus> <{S}EventRescheduled> .",
        f'{e} <{N}inferredStartDate> "2021-05"^^<{XSD}gYearMonth> .',
        f"{e} <{N}inferenceBasis> <{V}inference/report> .",
        f"{e} <{N}visited> <{E}organisation/m> .",
    ]
    assert em.locations == {f"{E}event/1": "e.yaml:2"}


PROV = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
ORG = "http://www.w3.org/ns/org#"


def imported() -> Emitter:
    return Emitter(E, f"{E}dataset/d", Roles({"lead": f"{E}role/lead", "partner": f"{E}role/partner"}, {"lead"}))


def test_a_whole_organisation_and_one_known_by_its_identifier():
    em = imported()
    em.emit(Organisation(
        ("organisation", "d", "1"), "o.csv:2", names=[Text("Bridges", "en")], identifiers=[Identifier("", "77")],
        country="LV", kinds=[Code("org-type", "22")], types={"ngo", "network"}, url="https://bridges.example/",
        labels=[Text("Tilti", "lv")], alt_names=[Text("BR", "en")], part_of=("organisation", "d", "0"),
        member_of=[("organisation", "d", "net")], linked_to=[("organisation", "d", "x")],
        seat=("place", "riga"), sources=[("source", "s")]))
    em.emit(Organisation(("organisation", "d", "2"), "o.csv:3", identifiers=[Identifier("XM-DAC", "41")]))
    o, o2 = f"<{E}organisation/d/1>", f"<{E}organisation/d/2>"
    n2 = f"<{E}organisation/d/2/id/XM-DAC/41>"
    assert lines(em) == [
        f"{o} {TYPE} <{ORG}FormalOrganization> .",
        f"{o} {TYPE} <{S}Organization> .",
        f"{o} {TYPE} <{N}InternationalOrganization> .",
        f"{o} {TYPE} <{N}InternationalNetwork> .",
        f"{o} {TYPE} <{S}NGO> .",
        f"{o} {PROV} <{E}source/s> .",
        f"{o} {PROV} <{E}dataset/d> .",
        f'{o} <{N}sourceRecord> "o.csv:2" .',
        f'{o} {LABEL} "Tilti"@lv .',
        f'{o} <{S}name> "Bridges"@en .',
        f'{o} <http://www.w3.org/2004/02/skos/core#prefLabel> "Tilti"@lv .',
        f'{o} <http://www.w3.org/2004/02/skos/core#altLabel> "BR"@en .',
        f'{o} <{S}identifier> "77" .',
        f"{o} <{S}addressCountry> <{C}LVA> .",
        f"{o} <{ORG}classification> <{V}org-type/22> .",
        f"{o} <{S}url> <https://bridges.example/> .",
        f"{o} <{ORG}subOrganizationOf> <{E}organisation/d/0> .",
        f"{o} <{ORG}memberOf> <{E}organisation/d/net> .",
        f"{o} <{ORG}linkedTo> <{E}organisation/d/x> .",
        f"{o} <{S}location> <{E}place/riga> .",
        f"{o2} {TYPE} <{ORG}FormalOrganization> .",
        f"{o2} {TYPE} <{S}Organization> .",
        f"{o2} {PROV} <{E}dataset/d> .",
        f'{o2} <{N}sourceRecord> "o.csv:3" .',
        f'{o2} {LABEL} "XM-DAC-41" .',
        f"{o2} <{S}identifier> {n2} .",
        f"{n2} {TYPE} <{S}PropertyValue> .",
        f'{n2} <{S}propertyID> "XM-DAC" .',
        f'{n2} <{S}value> "41" .',
    ]


def test_a_whole_participation_in_and_out_of_the_consortium():
    em = imported()
    em.emit(Participation(
        ("participation", "d", "1"), "p.xml:4", ("project", "d", "1"), ("organisation", "d", "1"), "lead",
        source_role=Code("iati-role", "1"), position=3, contribution=Money(Decimal("2"), "EUR"),
        budget=Money(Decimal("3"), None), activity=("project", "d", "9"), sources=[("source", "s")]))
    em.emit(Participation(("participation", "d", "2"), "p.xml:5", ("project", "d", "1"), ("organisation", "d", "2"),
                          "partner", position=0))
    s, s2, p = f"<{E}participation/d/1>", f"<{E}participation/d/2>", f"<{E}project/d/1>"
    c, b = f"<{E}participation/d/1/contribution>", f"<{E}participation/d/1/budget>"
    assert lines(em) == [
        f"{s} {TYPE} <{N}Participation> .",
        f"{s} {PROV} <{E}source/s> .",
        f"{s} {PROV} <{E}dataset/d> .",
        f'{s} <{N}sourceRecord> "p.xml:4" .',
        f"{s} <{N}inProject> {p} .",
        f"{s} <{N}participant> <{E}organisation/d/1> .",
        f"{s} <{N}role> <{E}role/lead> .",
        f"{p} <{S}member> <{E}organisation/d/1> .",
        f"{s} <{N}sourceRole> <{V}iati-role/1> .",
        f'{s} <{N}position> "3"^^<{XSD}integer> .',
        f"{s} <{N}contribution> {c} .",
        f"{c} {TYPE} <{S}MonetaryAmount> .",
        f'{c} <{S}value> "2"^^<{XSD}decimal> .',
        f'{c} <{S}currency> "EUR" .',
        f"{s} <{N}participantBudget> {b} .",
        f"{b} {TYPE} <{S}MonetaryAmount> .",
        f'{b} <{S}value> "3"^^<{XSD}decimal> .',
        f"{s} <{N}participantActivity> <{E}project/d/9> .",
        f"{s2} {TYPE} <{N}Participation> .",
        f"{s2} {PROV} <{E}dataset/d> .",
        f'{s2} <{N}sourceRecord> "p.xml:5" .',
        f"{s2} <{N}inProject> {p} .",
        f"{s2} <{N}participant> <{E}organisation/d/2> .",
        f"{s2} <{N}role> <{E}role/partner> .",
        f'{s2} <{N}position> "0"^^<{XSD}integer> .',
    ]


def test_a_whole_grant_to_a_project_and_one_to_an_organisation():
    em = imported()
    em.emit(Grant(("grant", "d", "1"), "g.csv:2", ("organisation", "d", "f"), ("project", "d", "1"),
                  identifiers=[Identifier("", "G-1")], names=[Text("Core", "en")],
                  amount=Money(Decimal("10"), "GBP"), disbursed=Money(Decimal("4"), "GBP"), award_date="2020-02-01",
                  start="2020-03", end="2021", share=Decimal("0.5"), scheme=("scheme", "d", "k"),
                  sources=[("source", "s")]))
    em.emit(Grant(("grant", "d", "2"), "g.csv:3", ("organisation", "d", "f"), ("organisation", "d", "r")))
    g, g2, f, p = f"<{E}grant/d/1>", f"<{E}grant/d/2>", f"<{E}organisation/d/f>", f"<{E}project/d/1>"
    a, d = f"<{E}grant/d/1/amount>", f"<{E}grant/d/1/disbursed>"
    assert lines(em) == [
        f"{g} {TYPE} <{S}MonetaryGrant> .",
        f"{g} {PROV} <{E}source/s> .",
        f"{g} {PROV} <{E}dataset/d> .",
        f'{g} <{N}sourceRecord> "g.csv:2" .',
        f'{g} {LABEL} "Core"@en .',
        f'{g} <{S}name> "Core"@en .',
        f'{g} <{S}identifier> "G-1" .',
        f"{g} <{S}funder> {f} .",
        f"{g} <{S}fundedItem> {p} .",
        f"{p} <{S}funder> {f} .",
        f"{g} <{S}amount> {a} .",
        f"{a} {TYPE} <{S}MonetaryAmount> .",
        f'{a} <{S}value> "10"^^<{XSD}decimal> .',
        f'{a} <{S}currency> "GBP" .',
        f"{g} <{N}amountDisbursed> {d} .",
        f"{d} {TYPE} <{S}MonetaryAmount> .",
        f'{d} <{S}value> "4"^^<{XSD}decimal> .',
        f'{d} <{S}currency> "GBP" .',
        f'{g} <{N}fundingShare> "0.5"^^<{XSD}decimal> .',
        f"{g} <{N}fundingScheme> <{E}scheme/d/k> .",
        f'{g} <{N}awardDate> "2020-02-01"^^<{XSD}date> .',
        f'{g} <{S}startDate> "2020-03"^^<{XSD}gYearMonth> .',
        f'{g} <{S}endDate> "2021"^^<{XSD}gYear> .',
        f"{g2} {TYPE} <{S}MonetaryGrant> .",
        f"{g2} {PROV} <{E}dataset/d> .",
        f'{g2} <{N}sourceRecord> "g.csv:3" .',
        f"{g2} <{S}funder> {f} .",
        f"{g2} <{S}fundedItem> <{E}organisation/d/r> .",
    ]


def test_a_whole_transaction():
    em = imported()
    em.emit(Transaction(("transaction", "d", "1"), "t.xml:9", ("project", "d", "1"), Money(Decimal("7"), "USD"),
                        type=Code("iati-transaction-type", "3"), date="2020-05-06", provider=("organisation", "d", "a"),
                        receiver=("organisation", "d", "b"), provider_activity=("project", "d", "0"),
                        receiver_activity=("project", "d", "2"), position=1))
    t, m = f"<{E}transaction/d/1>", f"<{E}transaction/d/1/amount>"
    assert lines(em) == [
        f"{t} {TYPE} <{N}Transaction> .",
        f"{t} {PROV} <{E}dataset/d> .",
        f'{t} <{N}sourceRecord> "t.xml:9" .',
        f"{t} <{N}transactionOf> <{E}project/d/1> .",
        f"{t} <{S}amount> {m} .",
        f"{m} {TYPE} <{S}MonetaryAmount> .",
        f'{m} <{S}value> "7"^^<{XSD}decimal> .',
        f'{m} <{S}currency> "USD" .',
        f"{t} <{N}transactionType> <{V}iati-transaction-type/3> .",
        f'{t} <{N}transactionDate> "2020-05-06"^^<{XSD}date> .',
        f"{t} <{N}provider> <{E}organisation/d/a> .",
        f"{t} <{N}receiver> <{E}organisation/d/b> .",
        f"{t} <{N}providerActivity> <{E}project/d/0> .",
        f"{t} <{N}receiverActivity> <{E}project/d/2> .",
        f'{t} <{N}position> "1"^^<{XSD}integer> .',
    ]


SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_curated_records_of_the_other_kinds():
    em = emitter()
    em.emit(Source(("source", "s"), "s.yaml:1", "page.html", "lv", titles=[Text("Par", "lv")],
                   publisher=("organisation", "o")))
    em.emit(FundingScheme(("scheme", "k"), "k.yaml:1", names=[Text("Fund", "en")], part_of=("scheme", "all"),
                          operator=("organisation", "o"), administered_by=[("organisation", "a")],
                          sources=[("source", "s")]))
    em.emit(Place(("place", "riga"), "p.yaml:1", "city", "LV", names=[Text("Riga", "en")], within=("place", "lv0")))
    em.emit(Place(("place", "lv0"), "p.yaml:5", "region", "LV"))
    em.emit(Programme(("programme", "g"), "g.yaml:1", names=[Text("Phases", "en")], start="2018", end="2024"))
    em.emit(Result(("result", "r"), "r.yaml:1", Code("result-type", "trained"), Code("result-status", "done"),
                   True, of=[("project", "x")], descriptions=[Text("Trained", "en")], value=40, minimum=30,
                   places=["EE"], audiences=[Code("audience", "youth")]))
    src, k, riga, lv0 = f"<{E}source/s>", f"<{E}scheme/k>", f"<{E}place/riga>", f"<{E}place/lv0>"
    g, r = f"<{E}programme/g>", f"<{E}result/r>"
    assert lines(em) == [
        f"{src} {TYPE} <{N}SourceDocument> .",
        f"{src} {TYPE} <http://www.w3.org/ns/prov#Entity> .",
        f'{src} <{N}sourceFile> "page.html" .',
        f"{src} <http://purl.org/dc/terms/language> <http://id.loc.gov/vocabulary/iso639-1/lv> .",
        f'{src} <http://purl.org/dc/terms/title> "Par"@lv .',
        f"{src} <http://purl.org/dc/terms/publisher> <{E}organisation/o> .",
        f"{k} {TYPE} <{S}FundingScheme> .",
        f"{k} {PROV} {src} .",
        f'{k} {LABEL} "Fund"@en .',
        f'{k} <{S}name> "Fund"@en .',
        f"{k} <http://purl.org/dc/terms/isPartOf> <{E}scheme/all> .",
        f"{k} <{S}parentOrganization> <{E}organisation/o> .",
        f"{k} <{N}administeredBy> <{E}organisation/a> .",
        f"{riga} {TYPE} <{S}Place> .",
        f"{riga} {TYPE} <{S}City> .",
        f'{riga} {LABEL} "Riga"@en .',
        f'{riga} <{S}name> "Riga"@en .',
        f"{riga} <{S}addressCountry> <{C}LVA> .",
        f"{riga} <{S}containedInPlace> {lv0} .",
        f"{lv0} {TYPE} <{S}Place> .",
        f"{lv0} {TYPE} <{S}AdministrativeArea> .",
        f"{lv0} <{S}addressCountry> <{C}LVA> .",
        f"{lv0} <{S}containedInPlace> <{C}LVA> .",
        f"{g} {TYPE} <{N}Programme> .",
        f'{g} {LABEL} "Phases"@en .',
        f'{g} <{S}name> "Phases"@en .',
        f'{g} <{S}startDate> "2018"^^<{XSD}gYear> .',
        f'{g} <{S}endDate> "2024"^^<{XSD}gYear> .',
        f"{r} {TYPE} <{N}Result> .",
        f"{r} <{N}resultType> <{V}result-type/trained> .",
        f"{r} <{N}resultOf> <{E}project/x> .",
        f'{r} <{S}description> "Trained"@en .',
        f'{r} <{S}value> "40"^^<{XSD}integer> .',
        f'{r} <{S}minValue> "30"^^<{XSD}integer> .',
        f"{r} <{S}location> <{C}EST> .",
        f"{r} <{S}audience> <{V}audience/youth> .",
        f'{r} <{N}planned> "true"^^<{XSD}boolean> .',
        f"{r} <{N}achievementStatus> <{V}result-status/done> .",
    ]
    assert em.locations == {f"{E}source/s": "s.yaml:1", f"{E}scheme/k": "k.yaml:1", f"{E}place/riga": "p.yaml:1",
                            f"{E}place/lv0": "p.yaml:5", f"{E}programme/g": "g.yaml:1", f"{E}result/r": "r.yaml:1"}


def test_our_concepts_country_groups_and_the_source_concepts_used():
    em = emitter()
    em.emit(Concept(Code("audience", "youth"), "c.yaml:1", labels=[Text("Youth", "en")],
                    scheme_labels=[Text("Audiences", "en")], audience=True))
    em.emit(CountryGroup(Code("country-group", "baltic"), "g.yaml:1", labels=[Text("Baltic", "en")],
                         countries=["EE", "LV"]))
    em.concept(Code("zz", "2"))
    em.concept(Code("aa", "1 x"))
    em.concept_triples()
    scheme, c, grp = f"<{V}audience>", f"<{V}audience/youth>", f"<{V}country-group/baltic>"
    assert lines(em) == [
        f"{scheme} {TYPE} <{SKOS}ConceptScheme> .",
        f'{scheme} <{SKOS}prefLabel> "Audiences"@en .',
        f"{c} {TYPE} <{SKOS}Concept> .",
        f"{c} {TYPE} <{S}Audience> .",
        f"{c} <{SKOS}inScheme> {scheme} .",
        f"{c} <{SKOS}topConceptOf> {scheme} .",
        f"{scheme} <{SKOS}hasTopConcept> {c} .",
        f'{c} <{SKOS}notation> "youth" .',
        f'{c} <{SKOS}prefLabel> "Youth"@en .',
        f"{grp} {TYPE} <{SKOS}Collection> .",
        f'{grp} <{SKOS}notation> "baltic" .',
        f'{grp} {LABEL} "Baltic"@en .',
        f'{grp} <{SKOS}prefLabel> "Baltic"@en .',
        f"{grp} <{SKOS}member> <{C}EST> .",
        f"{grp} <{SKOS}member> <{C}LVA> .",
        f"<{V}aa/1%20x> {TYPE} <{SKOS}Concept> .",
        f"<{V}aa> {TYPE} <{SKOS}ConceptScheme> .",
        f"<{V}aa/1%20x> <{SKOS}inScheme> <{V}aa> .",
        f'<{V}aa/1%20x> <{SKOS}notation> "1 x" .',
        f"<{V}zz/2> {TYPE} <{SKOS}Concept> .",
        f"<{V}zz> {TYPE} <{SKOS}ConceptScheme> .",
        f"<{V}zz/2> <{SKOS}inScheme> <{V}zz> .",
        f'<{V}zz/2> <{SKOS}notation> "2" .',
    ]
    assert em.locations == {f"{V}audience/youth": "c.yaml:1", f"{V}country-group/baltic": "g.yaml:1"}


def test_roles_read_from_turtle(tmp_path):
    ttl = tmp_path / "roles.ttl"
    ttl.write_text(f"""@prefix skos: <{SKOS}> .
<{V}role/consortium> skos:notation "consortium" .
<{V}role/lead> skos:notation "lead" ; skos:broader <{V}role/consortium> .
<{V}role/funder> skos:notation "funder" ; skos:broader <{V}role/other> .
<{V}role/other> skos:notation "other" .
""", encoding="utf-8")
    roles = Roles.read(ttl)
    assert roles.iri == {"lead": f"<{V}role/lead>", "funder": f"<{V}role/funder>"}
    assert roles.consortium == {"lead"}


def test_each_curated_kind_cites_its_source_documents():
    em = emitter()
    cited = [("source", "s")]
    em.emit(Project(("project", "p"), "p.yaml:1", sources=cited, visited=[("organisation", "m")]))
    em.emit(Event(("event", "e"), "e.yaml:1", Code("event-type", "visit"), sources=cited))
    em.emit(Place(("place", "x"), "x.yaml:1", "city", "LV", sources=cited))
    em.emit(Programme(("programme", "g"), "g.yaml:1", sources=cited))
    em.emit(Result(("result", "r"), "r.yaml:1", Code("result-type", "t"), Code("result-status", "done"), True,
                   sources=cited))
    emitted = lines(em)
    src = f"<{E}source/s>"
    for subject in ("project/p", "event/e", "place/x", "programme/g", "result/r"):
        assert f"<{E}{subject}> {PROV} {src} ." in emitted, subject
    assert f"<{E}project/p> <{N}visited> <{E}organisation/m> ." in emitted


def test_a_concept_that_is_no_audience_is_no_schema_audience():
    em = emitter()
    em.emit(Concept(Code("theme", "health"), "c.yaml:1", labels=[Text("Health", "en")]))
    assert [line for line in lines(em) if TYPE in line] == [
        f"<{V}theme> {TYPE} <{SKOS}ConceptScheme> .", f"<{V}theme/health> {TYPE} <{SKOS}Concept> ."]
