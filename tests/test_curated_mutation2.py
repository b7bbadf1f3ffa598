"""`sources/curated.py` on a tiny data folder that uses every field the seeds leave out: a project's
programme, identifier, places and countries, grants with and without an amount, share and scheme;
events and results with every field and with none. Each record is written out here by hand from the
YAML below (``at(n)``: line n of PROJECT)."""

from __future__ import annotations

from decimal import Decimal

from ngograph.errors import Location
from ngograph.records.check import load_records
from ngograph.records.types import (Code, Event, Grant, Identifier, Money, Participation, Programme, Project,
                                    Result, Text)
from ngograph.sources.curated import curated_records

from test_check_mutation import FILES, make_data

CONCEPTS = """\
schemes:
  theme:
    label: {en: Themes}
    concepts:
      health: {en: health}
  activity:
    label: {en: Activities}
    concepts:
      training: {en: training}
  target-group:
    label: {en: Target groups}
    concepts:
      migrants: {en: migrants}
  body-type:
    label: {en: Bodies}
    concepts:
      ministry: {en: ministry}
  event-type:
    label: {en: Event types}
    concepts:
      conference: {en: conference}
  inference-basis:
    label: {en: Bases}
    concepts:
      year-within-project-period: {en: the year}
  result-type:
    label: {en: Result types}
    concepts:
      publication: {en: publication}
  achievement-status:
    label: {en: Statuses}
    concepts:
      achieved: {en: achieved}
      planned: {en: planned}
      achieved-almost-fully: {en: almost}
"""

ORGANISATIONS = FILES["organisations.yaml"].replace(
    "funding_schemes: []\n", "funding_schemes:\n  - id: fs1\n    name: {en: Scheme}\n    sources: [s1]\n")

PROJECT = """\
source: s1
programmes:
  - id: prog1
    name: {en: Programme}
    start: 2018
projects:
  - id: p1
    part_of: prog1
    name: {lv: Projekts}
    translated_name: {en: Project}
    alt_name: {en: [P one]}
    identifier: ID-7
    start: 2019-10
    end: 2020-03-31
    budget: {amount: 1000.50, currency: EUR}
    places: [riga]
    countries: [EE, LT]
    participants: {partner: [org-a, org-b]}
    grants:
      - funder: org-b
        role: funder
        amount: 700
        currency: SEK
        share: 70
        scheme: fs1
      - {funder: org-a, role: co-funder}
    audience: [migrants]
    subjects: [health]
    activities: [training]
    visited: [org-b]
    visited_types: [ministry]
  - id: p2
events:
  - id: e1
    type: conference
    of: [p1, p2]
    name: {lv: Konference}
    translated_name: {en: Conference}
    place: riga
    start: --08-15
    end: --08-16
    online: true
    status: rescheduled
    inferred_start: 2020-08-15
    inference: year-within-project-period
    visited: [org-a]
    visited_types: [ministry]
  - id: e2
    type: conference
    of: [p2]
results:
  - id: r1
    of: [p1]
    type: publication
    description: {en: A report}
    value: 3
    min: 2
    place: riga
    countries: [EE]
    audience: [migrants]
    planned: true
  - id: r2
    of: [p1]
    type: publication
    planned: true
    status: achieved-almost-fully
  - id: r3
    of: [p2]
    type: publication
"""

FILE = "data/projects/p.yaml"
SOURCES = [("source", "s1")]


def at(line: int) -> Location:
    return Location(FILE, line)


def records(tmp_path):
    data = make_data(tmp_path, concepts_yaml=CONCEPTS, organisations_yaml=ORGANISATIONS, projects__p_yaml=PROJECT)
    return list(curated_records(load_records(data)))


def of_type(recs, kind):
    return [r for r in recs if type(r) is kind]


def test_programme(tmp_path):
    assert of_type(records(tmp_path), Programme) == [
        Programme(("programme", "prog1"), at(3), [Text("Programme", "en")], [Text("Programme", "en")], [],
                  start="2018", end=None, sources=SOURCES)]


def test_project_with_every_field_and_one_with_none(tmp_path):
    p1, p2 = of_type(records(tmp_path), Project)
    assert p1 == Project(
        ("project", "p1"), at(7),
        names=[Text("Projekts", "lv"), Text("Project", "en-t-lv")], labels=[Text("Projekts", "lv")],
        alt_names=[Text("P one", "en")], identifiers=[Identifier("", "ID-7")], start="2019-10", end="2020-03-31",
        budgets=[Money(Decimal("1000.50"), "EUR", location=at(15))], part_of=("programme", "prog1"),
        places=[("place", "riga"), "EE", "LT"], audiences=[Code("target-group", "migrants")],
        subjects=[Code("theme", "health")], activities=[Code("activity", "training")],
        visited=[("organisation", "org-b"), Code("body-type", "ministry")], sources=SOURCES)
    assert p2 == Project(("project", "p2"), at(32), sources=SOURCES)


def test_participations_then_a_grant_and_its_participation_each(tmp_path):
    recs = records(tmp_path)
    assert [r for r in recs if type(r) in (Participation, Grant)] == [
        Participation(("participation", "p1", "partner", "org-a"), at(18), ("project", "p1"),
                      ("organisation", "org-a"), "partner", sources=SOURCES),
        Participation(("participation", "p1", "partner", "org-b"), at(18), ("project", "p1"),
                      ("organisation", "org-b"), "partner", sources=SOURCES),
        Grant(("grant", "p1", "org-b"), at(20), ("organisation", "org-b"), ("project", "p1"),
              amount=Money(Decimal("700"), "SEK", location=at(22)), share=Decimal("70"),
              scheme=("funding-scheme", "fs1"), sources=SOURCES),
        Participation(("participation", "p1", "funder", "org-b"), at(20), ("project", "p1"),
                      ("organisation", "org-b"), "funder", sources=SOURCES),
        Grant(("grant", "p1", "org-a"), at(26), ("organisation", "org-a"), ("project", "p1"), sources=SOURCES),
        Participation(("participation", "p1", "co-funder", "org-a"), at(26), ("project", "p1"),
                      ("organisation", "org-a"), "co-funder", sources=SOURCES),
    ]


def test_events(tmp_path):
    e1, e2 = of_type(records(tmp_path), Event)
    assert e1 == Event(
        ("event", "e1"), at(34), Code("event-type", "conference"), [("project", "p1"), ("project", "p2")],
        [Text("Konference", "lv"), Text("Conference", "en-t-lv")], [Text("Konference", "lv")], ("place", "riga"),
        "--08-15", "--08-16", True, "rescheduled", "2020-08-15", Code("inference-basis", "year-within-project-period"),
        [("organisation", "org-a"), Code("body-type", "ministry")], SOURCES)
    assert e2 == Event(("event", "e2"), at(48), Code("event-type", "conference"), [("project", "p2")],
                       [], [], None, None, None, False, None, None, None, [], SOURCES)
    assert e2.online is False


def test_results(tmp_path):
    r1, r2, r3 = of_type(records(tmp_path), Result)
    assert r1 == Result(("result", "r1"), at(52), Code("result-type", "publication"),
                        Code("achievement-status", "planned"), True, [("project", "p1")],
                        [Text("A report", "en")], 3, 2, [("place", "riga"), "EE"],
                        [Code("target-group", "migrants")], SOURCES)
    assert r2 == Result(("result", "r2"), at(62), Code("result-type", "publication"),
                        Code("achievement-status", "achieved-almost-fully"), True, [("project", "p1")],
                        [], None, None, [], [], SOURCES)
    assert r3 == Result(("result", "r3"), at(67), Code("result-type", "publication"),
                        Code("achievement-status", "achieved"), False, [("project", "p2")], [], None, None, [], [],
                        SOURCES)
    assert r3.planned is False and r1.planned is True
