"""IRI minting and the record emitters of ngograph/rdf/emit.py after the cache of encoded
segments: behaviours a mutation run showed were not pinned (issue 14). Lines written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ngograph.rdf import emit
from ngograph.rdf.emit import Emitter, Roles
from ngograph.records.types import Allocation, Code, Event, Identifier, Money, Project, Text

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
