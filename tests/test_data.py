"""The curated data, record by record, and the facts of each seed written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ngograph.records.check import ID_RE, RECORD_TYPES, canonical_problems, load_records

from conftest import DATA

RECORDS = load_records(DATA)
ALL = [(t, rid, rec) for t in RECORD_TYPES for rid, rec in RECORDS.by_type[t].items()]


def test_record_params_found_records():
    assert len(ALL) > 60


@pytest.mark.parametrize("rtype,rid,rec", ALL, ids=[f"{t}:{i}" for t, i, _ in ALL])
def test_record(rtype, rid, rec):
    assert ID_RE.match(rid)
    assert canonical_problems(rec, rtype) == []
    # references resolve (load_records raised otherwise; checked again per record here)
    part_of = {"organisation": "organisation", "funding_scheme": "funding_scheme"}.get(rtype, "programme")
    for key, target in (("part_of", part_of),
                        ("location", "place"), ("publisher", "organisation"), ("within", "place")):
        if key in rec:
            assert rec[key] in RECORDS.by_type[target]
    for src in rec.get("sources", []):
        assert src in RECORDS.sources
    for pid in rec.get("of", []):
        assert pid in RECORDS.projects


def test_ids_unique_across_files():
    # load_records refuses duplicates; this checks the files were all read
    names = sorted(p.name for p in RECORDS.files)
    assert names == ["concepts.yaml", "country-groups.yaml", "organisations.yaml", "places.yaml", "seed-000.yaml", "seed-001.yaml",
                     "seed-002.yaml", "seed-003.yaml", "seed-004.yaml", "sources.yaml"]


def test_files_are_canonical_text():
    for path in [*DATA.rglob("*.yaml"), *DATA.rglob("*.ttl")]:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), path
        for n, line in enumerate(text.splitlines(), 1):
            assert line == line.rstrip(), f"{path}:{n} trailing spaces"
            assert "\t" not in line or path.suffix == ".tsv", f"{path}:{n} tab"


# Personal data (e-mail addresses, phone numbers, people) is guarded in tests/test_personal_data.py.


def test_every_seed_has_a_source_and_a_project_file():
    files = {s["file"] for s in RECORDS.sources.values()}
    assert files == {"000_d0c08a81ad6a7d61.txt", "001_5e8cecaa8a91d298.txt", "002_33d8ed687f55fb70.txt",
                     "003_6a0a2d907bb83948.txt", "004_231778b8af340e24.txt"}
    assert {r["_source"] for r in RECORDS.projects.values()} == set(RECORDS.sources)


# ------------------------------------------------------------------ seed 000, by hand

PHASES = ["social-rights-advocacy-phase-1", "social-rights-advocacy-phase-2", "social-rights-advocacy-phase-3"]


def test_seed000_three_phases_of_one_programme():
    for pid in PHASES:
        assert RECORDS.projects[pid]["part_of"] == "social-rights-ngo-partnership"
    prog = RECORDS.programmes["social-rights-ngo-partnership"]
    assert (prog["start"].text, prog["end"].text) == ("2018-08", "2022-04")
    p1 = RECORDS.projects[PHASES[0]]
    assert (p1["start"].text, p1["end"].text) == ("2018-08", "2019-10")
    assert RECORDS.projects[PHASES[1]]["start"].text == "2019-10"


@pytest.mark.parametrize("pid,budget,cofunding", [
    (PHASES[0], "444550", "310000"), (PHASES[1], "597654", "411000"), (PHASES[2], "572000", "444150")])
def test_seed000_budgets_in_dkk(pid, budget, cofunding):
    p = RECORDS.projects[pid]
    assert p["budget"] == {"amount": Decimal(budget), "currency": "DKK"}
    [grant] = p["grants"]
    assert (grant["funder"], grant["role"], grant["amount"], grant["currency"]) == (
        "nordic-council-of-ministers", "co-funder", Decimal(cofunding), "DKK")


def test_seed000_thirteen_partners_with_countries():
    p = RECORDS.projects[PHASES[0]]
    orgs = p["participants"]["lead-partner"] + p["participants"]["partner"]
    assert len(orgs) == 13 and "interakcia" in orgs
    assert p["participants"]["lead-partner"] == ["eapn-latvia"]
    countries = sorted(RECORDS.organisations[o]["country"] for o in orgs)
    # LV x2, RU x2, PL, EE, LT, DK x2, NO x2, SE, BY
    assert countries == sorted(["LV", "LV", "RU", "RU", "PL", "EE", "LT", "DK", "DK", "NO", "NO", "SE", "BY"])
    for pid in PHASES[1:]:
        assert RECORDS.projects[pid]["participants"] == p["participants"]


def test_seed000_events():
    ev = {e: RECORDS.events[e] for e in RECORDS.events if RECORDS.events[e]["_source"] == "seed-000"}
    visits = sorted(e["place"] for e in ev.values() if e["type"] == "study-visit" and "place" in e)
    assert visits == ["bergen", "odense", "riga", "rzeszow", "tallinn", "vilnius"]
    assert (ev["study-visits-phase-2"]["start"].text, ev["study-visits-phase-2"]["status"]) == ("2021", "rescheduled")
    assert ev["kaliningrad-training-workshop-2018"]["start"].text == "2018-09"
    conferences = sorted((e["place"], e["start"].text) for e in ev.values() if e["type"] == "conference")
    assert conferences == [("minsk", "2019-10"), ("riga", "2019-10")]
    assert ev["online-events-2021"]["online"] is True


# ------------------------------------------------------------------ seeds 001-004, by hand

def test_seed001_red_cross():
    p = RECORDS.projects["red-cross-family-inclusion"]
    assert (p["start"].text, p["end"].text) == ("2018-09", "2019-11")
    assert p["participants"]["partner"] == ["belarus-red-cross", "danish-red-cross", "latvian-red-cross"]
    assert RECORDS.organisations["latvian-red-cross-daugavpils"]["part_of"] == "latvian-red-cross"
    assert "grodno-region" in p["places"]
    assert p["grants"][0]["funder"] == "nordic-council-of-ministers"
    assert "disadvantaged-families" in p["audience"]


def test_seed002_lithuanian():
    p = RECORDS.projects["nlif-institutional-strengthening-2017"]
    assert p["name"] == {"lt": "NLĮF institucinio stiprinimo projektas"} and "en" in p["translated_name"]
    assert (p["start"].text, p["end"].text) == ("2017-09-01", "2017-12-31")
    assert p["grants"][0]["funder"] == "lt-ministry-social-security-labour"


def test_seed003_latvian():
    p = RECORDS.projects["minority-participation-coalition"]
    assert p["identifier"] == "1DP/1.5.2.2.2/12/APIA/SIF/176"
    assert p["participants"]["implementer"] == ["iic"]
    assert len(p["participants"]["partner"]) == 4
    assert "administering-body" not in p["participants"]  # they administer the funding scheme
    assert p["grants"][0]["share"] == Decimal("92.07")
    scheme = RECORDS.funding_schemes[p["grants"][0]["scheme"]]
    assert scheme["part_of"] == "european-social-fund"
    assert scheme["administered_by"] == ["lv-state-chancellery", "society-integration-foundation"]
    assert (p["start"].text, p["end"].text) == ("2012-09", "2013-08")


def test_seed004_invents_nothing():
    [p] = [p for p in RECORDS.projects.values() if p["_source"] == "seed-004"]
    for key in ("name", "participants", "grants", "countries", "places", "start", "end", "budget"):
        assert key not in p
    assert {"refugees", "migrants", "prisoners"} <= set(p["audience"])
