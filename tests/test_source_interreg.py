"""The Interreg Sweden reader on 14 rows cut from rawdata_2026.json (see
/work/notes/sources/interreg/FIXTURES.md). Counts are checked against an independent count made
here with json and against the hand counts of FIXTURES.md."""

from __future__ import annotations

import json
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.config import PROJECT_ROOT
from ngograph.sources.interreg import KEYS, read_interreg

FIX = Path(__file__).parent / "fixtures" / "sources" / "interreg"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
REAL = pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not DATASETS.is_dir(),
                          reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")


def raw_items() -> list[dict]:
    return json.loads((FIX / "rawdata_2026.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def read():
    problems = []
    return list(read_interreg(FIX, problems)), problems


def test_fixture_files_exist():
    assert [p.name for p in FIX.glob("*.json")] == ["rawdata_2026.json"]


def test_counts_against_json_and_hand_counts(read):
    rows, _ = read
    raw = raw_items()
    assert all(tuple(item) == KEYS for item in raw)
    assert len(rows) == len(raw) == 14
    assert [r.location for r in rows] == [f"rawdata_2026.json#/{i}" for i in range(14)]
    assert Counter(r.organisationsroll for r in rows) == Counter(i["organisationsroll"] for i in raw) == {
        "LP": 4, "PP": 7, "AP": 3}
    assert len({r.name_key for r in rows}) == len({(i["program"], i["projektnamn"]) for i in raw}) == 11
    assert len({r.project_key for r in rows}) == 12  # SelfCare is two projects
    assert len({r.program for r in rows}) == 6
    assert Counter(r.strand_kod for r in rows) == {"A": 7, "B": 6, "C": 1}
    assert len({r.organisationsnamn for r in rows} - {None}) == 12
    assert sum(r.partnerbudget for r in rows) == Decimal("2156116.26")
    assert sum(r.partnerbudget for r in rows) == sum(Decimal(str(i["partnerbudget"])) for i in raw)
    assert [i for i, r in enumerate(rows) if r.partnerbudget == 0] == [3, 8, 9]
    assert {r.land_code for r in rows} == {"SE"} and {r.land for r in rows} == {"Sverige"}


def test_awkward_rows(read):
    rows, problems = read
    assert [r.ends_before_start for r in rows].count(True) == 1 and rows[10].ends_before_start
    assert rows[4].organisationsnamn is None
    assert rows[8].nuts3 is None and rows[8].politisktmal is None and rows[9].nuts3 is None
    assert rows[3].nuts2 == "Småland med öarna"  # a region name, kept as written
    assert rows[5].partnerbudget.text == "342249.6"
    assert rows[1].politisktmal == "ISO" and rows[1].specifiktmal == "ISO6.6"
    assert rows[0].aktiv is True and rows[0].projektar == 2023 and rows[0].id == 58
    assert rows[6].project_key != rows[7].project_key and rows[6].name_key == rows[7].name_key
    assert {r.project_key for r in rows if r.projektnamn == "DISCO"} == {
        ("Interreg europe", "DISCO", "Regular", "2025-05-01"),
        ("Interreg North Sea", "DISCO", "Full Application", "2024-06-01")}
    assert problems == [
        ("rawdata_2026.json#/4", "no organisationsnamn (organisation name): the organisation is known by this row "
                                 "only"),
        ("rawdata_2026.json", "Northern Periphery and Arctic / 'SelfCare': one name, 2 projects by (projekttyp, "
                              "startdatum): Feasibility study from 2023-06-01 (/6); Regular from 2024-09-01 (/7)"),
    ]


def test_bad_items_are_reported(tmp_path):
    item = raw_items()[0]
    bad = dict(item, partnerbudget="lots", startdatum="2026-09-31", organisationsroll="XX", land="Norge")
    del bad["aktiv"]
    (tmp_path / "rawdata.json").write_text(json.dumps([item, "x", bad, {**item, "extra": 1}]), encoding="utf-8")
    problems = []
    rows = list(read_interreg(tmp_path, problems))
    assert len(rows) == 3
    assert rows[1].partnerbudget is None and rows[1].startdatum is None and rows[1].land_code is None
    assert [loc for loc, _ in problems] == (["rawdata.json#/1"] + ["rawdata.json#/2"] * 5 + ["rawdata.json#/3"]
                                            + ["rawdata.json"] * 2)  # another project key; /0 and /3 alike
    messages = [m for _, m in problems]
    assert messages[1:6] == ["key(s) absent: aktiv", "startdatum: impossible date '2026-09-31': day is out of range "
                             "for month; read as missing", "partnerbudget: not a number: 'lots'; read as missing",
                             "land: country 'Norge' is not an ISO 3166-1 code: kept as written, no code given",
                             "organisationsroll 'XX' is not LP, PP or AP: kept as written"]
    assert messages[6] == "key(s) not read: extra"


@pytest.mark.real
@REAL
def test_real_interreg_totals():
    """Totals of the survey (notes/sources/interreg/counts.json)."""
    problems = []
    rows = list(read_interreg(DATASETS / "interreg-sweden", problems))
    assert len(rows) == 1_196
    assert len({r.name_key for r in rows}) == 586 and len({r.project_key for r in rows}) == 591
    assert Counter(r.organisationsroll for r in rows) == {"LP": 188, "PP": 838, "AP": 170}
    assert len({r.organisationsnamn for r in rows} - {None}) == 588
    assert sum(r.organisationsnamn is None for r in rows) == 17
    assert [r.location for r in rows if r.ends_before_start] == ["rawdata_2026.json#/716", "rawdata_2026.json#/741"]
    assert sum("one name, 2 projects" in m for _, m in problems) == 5
    assert sum(r.partnerbudget for r in rows) == Decimal("212449300.01")
    # impossible end dates the survey did not list (e.g. 2026-09-31): read as missing, reported
    assert sum("impossible date" in m for _, m in problems) == sum(r.slutdatum is None for r in rows) == 7


def test_rows_a_participation_key_would_merge_are_reported(tmp_path):
    item = raw_items()[0]
    (tmp_path / "rawdata.json").write_text(json.dumps([item, dict(item, partnerbudget=1)]), encoding="utf-8")
    problems = []
    assert len(list(read_interreg(tmp_path, problems))) == 2
    assert problems == [("rawdata.json", f"{item['organisationsnamn']!r} is PP twice in AURORA / "
                         f"{item['projektnamn']!r} (/0, /1): a key of project, organisation name and role would "
                         "merge these rows")]
