"""The one emitter: the curated data and every import become triples through
ngograph/rdf/emit.py. Hand-checked N-Triples for the forms only the curated data uses, and
record counts of the seeds against the counts tests/test_build.py checks in the graph."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest

from ngograph.rdf.emit import Emitter, Roles, literal
from ngograph.records.types import Event, Code, Identifier, Money, Project, Text
from ngograph.sources.curated import curated_records

BASE = "https://example.org/"


def _triples(em: Emitter) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(em.take(), format=ox.RdfFormat.N_TRIPLES)}


@pytest.fixture()
def curated():
    return Emitter(BASE, None, Roles({}, set()))


def test_yearless_event_dates_and_curated_locations(curated):
    curated.emit(Event(("event", "e"), "seed.yaml:7", Code("event-type", "meeting"), start="--08-15", end="--09",
                       inferred_start="2019-08-15", inference=Code("inference-basis", "project-period")))
    got = _triples(curated)
    e = f"<{BASE}event/e>"
    assert (e, "<https://schema.org/startDate>", '"--08-15"^^<http://www.w3.org/2001/XMLSchema#gMonthDay>') in got
    assert (e, "<https://schema.org/endDate>", '"--09"^^<http://www.w3.org/2001/XMLSchema#gMonth>') in got
    assert (e, "<https://w3id.org/ngograph/def#inferredStartDate>",
            '"2019-08-15"^^<http://www.w3.org/2001/XMLSchema#date>') in got
    # curated: the location is kept for messages, not written into the graph
    assert curated.locations == {f"{BASE}event/e": "seed.yaml:7"}
    assert not any("sourceRecord" in p or "wasDerivedFrom" in p for _, p, _ in got)


def test_names_labels_translations_and_a_bare_identifier(curated):
    curated.emit(Project(("project", "p"), "x:1", names=[Text("Ūdens", "lv"), Text("Water", "en-t-lv")],
                         labels=[Text("Ūdens", "lv")], alt_names=[Text("ŪD", "lv")],
                         identifiers=[Identifier("", "1DP/1.5/176")],
                         budgets=[Money(Decimal("444550"), "DKK", location="x:3")]))
    got = _triples(curated)
    p = f"<{BASE}project/p>"
    assert {(s, o) for s, pr, o in got if pr == "<http://www.w3.org/2000/01/rdf-schema#label>"} == {(p, '"Ūdens"@lv')}
    assert (p, "<https://schema.org/name>", '"Water"@en-t-lv') in got
    assert (p, "<http://www.w3.org/2004/02/skos/core#prefLabel>", '"Water"@en-t-lv') not in got
    assert (p, "<http://www.w3.org/2004/02/skos/core#altLabel>", '"ŪD"@lv') in got
    assert (p, "<https://schema.org/identifier>", '"1DP/1.5/176"') in got
    assert curated.locations[f"{BASE}project/p/budget/1"] == "x:3"


def test_imported_records_say_where_they_come_from():
    em = Emitter(BASE, f"{BASE}dataset/x", Roles({}, set()))
    em.emit(Project(("project", "x", "1"), "a.csv:row 2", names=[Text('say "hi"\n', "en")]))
    got = _triples(em)
    p = f"<{BASE}project/x/1>"
    assert (p, "<http://www.w3.org/ns/prov#wasDerivedFrom>", f"<{BASE}dataset/x>") in got
    assert (p, "<https://w3id.org/ngograph/def#sourceRecord>", '"a.csv:row 2"') in got
    assert (p, "<https://schema.org/name>", literal('say "hi"\n', "en")) in got
    assert em.locations == {}


def test_a_bad_language_tag_or_web_address_is_refused_not_written():
    em = Emitter(BASE, f"{BASE}dataset/x", Roles({}, set()))
    with pytest.raises(ValueError):
        em.lang("not a tag")
    with pytest.raises(ValueError):
        em.checked_iri("http://a b")


def test_the_seed_records_are_the_counts_of_the_seed_graph(records):
    counts = Counter(type(r).__name__ for r in curated_records(records))
    # tests/test_build.py counts the same in the graph: 7 projects, 30 organisations, 55
    # participations (49 partners + 6 funders of grants), 6 grants, 14 events, 1 programme
    assert (counts["Project"], counts["Organisation"], counts["Participation"], counts["Grant"], counts["Event"],
            counts["Programme"]) == (7, 30, 55, 6, 14, 1)
    assert (counts["Source"], counts["Place"], counts["CountryGroup"], counts["FundingScheme"]) == (5, 13, 5, 2)
