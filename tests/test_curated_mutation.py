"""`sources/curated.py`: the curated YAML of data/ as common records. Whole records checked
against the YAML by hand (the file and line of each is given), counts against an independent
count of the YAML files, and the name, visit and source rules on hand-made mappings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ngograph.errors import Location
from ngograph.records.check import load_records
from ngograph.records.types import (Code, Concept, CountryGroup, FundingScheme, Grant, Identifier, Money, Organisation,
                                    Participation, Place, Programme, Project, Result, Source, Text)
from ngograph.sources.curated import _names, _sources, _visited, curated_records

DATA = Path(__file__).parent.parent / "data"
SEED0 = "data/projects/seed-000.yaml"
PHASE1 = ("project", "social-rights-advocacy-phase-1")


@pytest.fixture(scope="module")
def curated():
    return list(curated_records(load_records(DATA)))


def _one(curated, kind, key):
    (found,) = [r for r in curated if type(r) is kind and getattr(r, "key", getattr(r, "code", None)) == key]
    return found


def _loc(file, line):
    return Location(file=file, line=line)


def test_the_yaml_files_are_there():
    assert sorted(p.name for p in (DATA / "projects").glob("*.yaml")) == [f"seed-00{i}.yaml" for i in range(5)]


def test_counts_match_an_independent_count_of_the_yaml(curated):
    projects = [p for f in sorted((DATA / "projects").glob("*.yaml"))
                for p in (yaml.safe_load(f.read_text(encoding="utf-8")).get("projects") or [])]
    grants = sum(len(p.get("grants", [])) for p in projects)
    members = sum(len(orgs) for p in projects for orgs in p.get("participants", {}).values())
    orgs = yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))
    counts = {}
    for r in curated:
        counts[type(r).__name__] = counts.get(type(r).__name__, 0) + 1
    assert counts["Project"] == len(projects) == 7
    assert counts["Grant"] == grants == 6
    assert counts["Participation"] == members + grants == 55  # each grant's funder takes part in its role
    assert counts["Organisation"] == len(orgs["organisations"]) == 30
    assert counts["FundingScheme"] == len(orgs["funding_schemes"]) == 2


def test_an_organisation_with_a_translated_name_and_acronyms(curated):
    iic = "Biedrība “Izglītības iniciatīvu centrs”"
    assert _one(curated, Organisation, ("organisation", "iic")) == Organisation(
        ("organisation", "iic"), _loc("data/organisations.yaml", 46),
        names=[Text(iic, "lv"), Text("Education Initiatives Centre", "en-t-lv")], country="LV", types={"ngo"},
        url="https://www.iic.lv/", labels=[Text(iic, "lv")],
        alt_names=[Text("IIC", "lv"), Text("Izglītības iniciatīvu centrs", "lv")], sources=[("source", "seed-003")])
    interakcia = _one(curated, Organisation, ("organisation", "interakcia"))
    assert (interakcia.linked_to, interakcia.member_of, interakcia.part_of, interakcia.seat, interakcia.url) == (
        [("organisation", "eapn-latvia")], [], None, None, None)


def test_a_project_with_its_budget_visits_and_grant(curated):
    project = _one(curated, Project, PHASE1)
    assert project.location == _loc(SEED0, 14)
    assert project.names == project.labels == [Text("Empowering NGOs for efficient social rights’ advocacy", "en")]
    assert (project.start, project.end, project.part_of) == ("2018-08", "2019-10",
                                                             ("programme", "social-rights-ngo-partnership"))
    assert project.budgets == [Money(Decimal("444550"), "DKK", location=_loc(SEED0, 19))]
    assert project.visited == [("organisation", "lithuanian-parliament")] + [Code("body-type", c) for c in (
        "adult-education-centre", "city-administration", "day-centre-for-seniors", "home-for-people-with-disabilities",
        "ministry", "ngo-for-vulnerable-groups")]
    assert project.audiences[0] == Code("target-group", "ngos") and len(project.audiences) == 6
    assert project.subjects[0] == Code("theme", "advocacy") and len(project.subjects) == 11
    assert project.activities == [Code("activity", a) for a in ("conference", "exchange-of-experience",
                                                                "study-visits", "training")]
    assert project.sources == [("source", "seed-000")] and project.identifiers == [] and project.places == []
    funder = ("organisation", "nordic-council-of-ministers")
    assert _one(curated, Grant, ("grant", PHASE1[1], funder[1])) == Grant(
        ("grant", PHASE1[1], funder[1]), _loc(SEED0, 24), funder, PHASE1,
        amount=Money(Decimal("310000"), "DKK", location=_loc(SEED0, 24)), sources=[("source", "seed-000")])
    assert _one(curated, Participation, ("participation", PHASE1[1], "co-funder", funder[1])) == Participation(
        ("participation", PHASE1[1], "co-funder", funder[1]), _loc(SEED0, 24), PHASE1, funder, "co-funder",
        sources=[("source", "seed-000")])
    assert _one(curated, Participation, ("participation", PHASE1[1], "lead-partner", "eapn-latvia")) == Participation(
        ("participation", PHASE1[1], "lead-partner", "eapn-latvia"), _loc(SEED0, 21), PHASE1,
        ("organisation", "eapn-latvia"), "lead-partner", sources=[("source", "seed-000")])


def test_the_other_kinds_of_record(curated):
    assert _one(curated, Concept, Code("theme", "advocacy")) == Concept(
        Code("theme", "advocacy"), _loc("data/concepts.yaml", 39), [Text("advocacy", "en"), Text("advokacija", "lt")],
        [Text("Themes", "en")], audience=False)
    assert _one(curated, Concept, Code("target-group", "ngos")).audience is True
    assert _one(curated, Source, ("source", "seed-000")) == Source(
        ("source", "seed-000"), _loc("data/sources.yaml", 3), "000_d0c08a81ad6a7d61.txt", "en",
        [Text("Empowering NGOs for Efficient Social Rights’ Advocacy", "en")], ("organisation", "interakcia"))
    esf = [Text("European Social Fund", "en"), Text("Eiropas Sociālais fonds", "lv")]
    assert _one(curated, FundingScheme, ("funding-scheme", "european-social-fund")) == FundingScheme(
        ("funding-scheme", "european-social-fund"), _loc("data/organisations.yaml", 192), names=esf, labels=esf,
        alt_names=[Text("ESF", "en")], operator=("organisation", "european-union"), sources=[("source", "seed-003")])
    assert _one(curated, Place, ("place", "bergen")) == Place(
        ("place", "bergen"), _loc("data/places.yaml", 3), "city", "NO", [Text("Bergen", "en")], [Text("Bergen", "en")],
        None, [("source", "seed-000")])
    assert _one(curated, CountryGroup, Code("country-group", "baltic")) == CountryGroup(
        Code("country-group", "baltic"), _loc("data/country-groups.yaml", 3), [Text("Baltic states", "en")],
        ["EE", "LT", "LV"])
    name = [Text("Empowering NGOs for Efficient Social Rights’ Advocacy", "en")]
    assert _one(curated, Programme, ("programme", "social-rights-ngo-partnership")) == Programme(
        ("programme", "social-rights-ngo-partnership"), _loc(SEED0, 9), names=name, labels=name, start="2018-08",
        end="2022-04", sources=[("source", "seed-000")])
    assert _one(curated, Result, ("result", "study-visit-participants")) == Result(
        ("result", "study-visit-participants"), _loc(SEED0, 110), Code("result-type", "study-visit-participants"),
        Code("achievement-status", "achieved"), False, [PHASE1], [], None, 51, [], [], [("source", "seed-000")])


def test_names_labels_and_translations():
    assert _names({"translated_name": {"en": "Centre"}}) == {
        "names": [Text("Centre", "en-t-und")], "labels": [], "alt_names": []}
    assert _names({"name": {"lv": "Centrs", "en": "Centre"}, "alt_name": {"lv": ["C", "CC"]}}) == {
        "names": [Text("Centrs", "lv"), Text("Centre", "en")], "labels": [Text("Centrs", "lv"), Text("Centre", "en")],
        "alt_names": [Text("C", "lv"), Text("CC", "lv")]}


def test_visits_and_sources():
    assert _visited({}) == []
    assert _visited({"visited": ["a", "b"]}) == [("organisation", "a"), ("organisation", "b")]
    assert _visited({"visited_types": ["ministry"]}) == [Code("body-type", "ministry")]
    assert _sources({"sources": ["s1", "s2"], "_source": "s0"}) == [("source", "s1"), ("source", "s2")]
    assert _sources({"_source": "s0"}) == [("source", "s0")]


def _yaml(*names):
    out = {}
    for name in names:
        for path in sorted(DATA.glob(name)):
            # BaseLoader: every scalar a string, as written (PyYAML's YAML 1.1 reads the country NO as False)
            for kind, items in (yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}).items():
                if isinstance(items, list):
                    out.setdefault(kind, []).extend(items)
    return out


def _refs(kind, ids):
    return [(kind, i) for i in ids]


def test_every_reference_as_the_yaml_gives_it(curated):
    """Each record's links to other records, field by field against the YAML read here with PyYAML."""
    y = _yaml("organisations.yaml", "places.yaml", "projects/*.yaml")
    by_key = {getattr(r, "key", None): r for r in curated}
    assert len(y["organisations"]) == 30 and sum("part_of" in o for o in y["organisations"]) == 1
    assert sum("location" in o for o in y["organisations"]) >= 1 and sum("member_of" in o for o in y["organisations"]) >= 1
    for o in y["organisations"]:
        r = by_key[("organisation", o["id"])]
        assert r.part_of == (("organisation", o["part_of"]) if "part_of" in o else None), o["id"]
        assert r.member_of == _refs("organisation", o.get("member_of", [])), o["id"]
        assert r.linked_to == _refs("organisation", o.get("linked_to", [])), o["id"]
        assert r.seat == (("place", o["location"]) if "location" in o else None), o["id"]
        assert (r.url, r.country, r.types) == (o.get("website"), o.get("country"), {o["type"]}), o["id"]
        assert r.sources == _refs("source", o["sources"]), o["id"]
    assert sum("part_of" in f for f in y["funding_schemes"]) >= 1
    for f in y["funding_schemes"]:
        r = by_key[("funding-scheme", f["id"])]
        assert r.part_of == (("funding-scheme", f["part_of"]) if "part_of" in f else None), f["id"]
        assert r.operator == (("organisation", f["operator"]) if "operator" in f else None), f["id"]
        assert r.administered_by == _refs("organisation", f.get("administered_by", [])), f["id"]
        assert r.sources == _refs("source", f["sources"]), f["id"]
    assert sum("within" in p for p in y["places"]) == 2
    for p in y["places"]:
        r = by_key[("place", p["id"])]
        assert (r.kind, r.country, r.within) == (p["type"], p["country"],
                                                 ("place", p["within"]) if "within" in p else None), p["id"]
    for p in y["projects"]:
        r = by_key[("project", p["id"])]
        assert r.places == _refs("place", p.get("places", [])) + list(p.get("countries", [])), p["id"]
        assert r.identifiers == ([Identifier("", p["identifier"])] if "identifier" in p else []), p["id"]
        assert r.part_of == (("programme", p["part_of"]) if "part_of" in p else None), p["id"]
        assert r.audiences == [Code("target-group", c) for c in p.get("audience", [])], p["id"]
    for e in y["events"]:
        r = by_key[("event", e["id"])]
        assert (r.type, r.of, r.place, r.online, r.status) == (
            Code("event-type", e["type"]), _refs("project", e["of"]), ("place", e["place"]) if "place" in e else None,
            e.get("online") == "true", e.get("status")), e["id"]
        assert r.inference == (Code("inference-basis", e["inference"]) if "inference" in e else None), e["id"]
    assert sum("inference" in e for e in y["events"]) == 2 and sum(e.get("online") == "true" for e in y["events"]) >= 1
    for x in y["results"]:
        r = by_key[("result", x["id"])]
        planned = x.get("planned") == "true"
        as_written = (None if r.value is None else str(r.value), None if r.minimum is None else str(r.minimum))
        assert (r.type, r.planned, r.of, as_written) == (
            Code("result-type", x["type"]), planned, _refs("project", x["of"]), (x.get("value"), x.get("min"))), x["id"]
        assert r.status == Code("achievement-status", x.get("status", "planned" if planned else "achieved")), x["id"]
        assert r.places == (_refs("place", [x["place"]]) if "place" in x else []) + list(x.get("countries", []))
        assert r.audiences == [Code("target-group", c) for c in x.get("audience", [])], x["id"]
        assert r.descriptions == [Text(t, lang) for lang, t in (x.get("description") or {}).items()], x["id"]
    assert sum(x.get("planned") == "true" for x in y["results"]) >= 1 and sum("status" in x for x in y["results"]) >= 1
