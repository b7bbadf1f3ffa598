"""The spreadsheet template (docs/template.md) and its examples (examples/*.csv): every example
file has exactly the documented header, every reference resolves, no cell could run as a formula,
and the examples carry the seeds' facts (checked by hand against data/)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "template.md"
EXAMPLES = ROOT / "examples"
FILES = ["projects.csv", "organisations.csv", "participations.csv", "grants.csv"]


def _documented() -> dict[str, list[str]]:
    """The header line of each file: the code block after its '## name.csv' heading."""
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"^## (\w+\.csv)\n\n```\n([^\n]+)\n```", text, flags=re.M)
    return {name: line.split(",") for name, line in found}


def _rows(name: str) -> tuple[list[str], list[dict]]:
    with open(EXAMPLES / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def test_every_file_is_documented_and_has_an_example():
    assert sorted(_documented()) == sorted(FILES)
    assert sorted(p.name for p in EXAMPLES.glob("*.csv")) == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_example_header_is_the_documented_one(name):
    header, rows = _rows(name)
    assert header == _documented()[name]
    assert rows
    for row in rows:
        assert None not in row and all(v is not None for v in row.values()), row  # no short or long rows
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (name, column, value)


def test_references_resolve_and_ids_are_unique():
    projects = [r["id"] for r in _rows("projects.csv")[1]]
    orgs = [r["id"] for r in _rows("organisations.csv")[1]]
    grants = [r["id"] for r in _rows("grants.csv")[1]]
    for ids in (projects, orgs, grants):
        assert len(ids) == len(set(ids))
    for r in _rows("participations.csv")[1]:
        assert r["project"] in projects and r["organisation"] in orgs, r
        assert r["role"] in {"lead-partner", "partner", "implementer", "associated", "administering-body",
                              "accountable"}
    for r in _rows("grants.csv")[1]:
        assert r["funder"] in orgs and (r["funded"] in projects or r["funded"] in orgs), r
        assert r["role"] in {"funder", "co-funder"}


def test_examples_carry_the_seed_facts():
    projects = {r["id"]: r for r in _rows("projects.csv")[1]}
    assert len(projects) == 6
    phase1 = projects["social-rights-advocacy-phase-1"]
    assert (phase1["start"], phase1["end"], phase1["budget_amount"], phase1["budget_currency"], phase1["programme"]) \
        == ("2018-08", "2019-10", "444550", "DKK", "social-rights-ngo-partnership")
    coalition = projects["minority-participation-coalition"]
    assert (coalition["name_lang"], coalition["identifier"], coalition["countries"]) == (
        "lv", "1DP/1.5.2.2.2/12/APIA/SIF/176", "LV")
    parts = _rows("participations.csv")[1]
    assert len(parts) == 49
    assert [p["organisation"] for p in parts if p["project"] == "red-cross-family-inclusion"] == [
        "belarus-red-cross", "danish-red-cross", "latvian-red-cross", "latvian-red-cross-daugavpils"]
    grants = {r["id"]: r for r in _rows("grants.csv")[1]}
    assert grants["minority-participation-coalition/european-union"]["share"] == "92.07"
    assert grants["social-rights-advocacy-phase-3/nordic-council-of-ministers"]["amount"] == "444150"
    orgs = {r["id"]: r for r in _rows("organisations.csv")[1]}
    assert (orgs["velferdsalliansen"]["country"], orgs["velferdsalliansen"]["name_lang"]) == ("NO", "no")
    assert orgs["nordic-council-of-ministers"]["country"] == ""
