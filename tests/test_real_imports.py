"""Opt-in (`make test-real`): each real dataset of ../shared/datasets imported whole through
`ngograph import` into a temporary store, and what the store holds counted against an independent
count of the raw files made here with gzip, csv, json and ElementTree (the survey's figures, in
notes/sources/<source>/counts.json and survey.md, written beside each count)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from importing import select

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT

DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
BASE = "https://w3id.org/ngograph/id/"

pytestmark = [pytest.mark.real,
              pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not DATASETS.is_dir(),
                                 reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")]

_CLASSES = {"projects": "https://schema.org/Project", "organisations": "http://www.w3.org/ns/org#FormalOrganization",
            "participations": "https://w3id.org/ngograph/def#Participation",
            "grants": "https://schema.org/MonetaryGrant", "transactions": "https://w3id.org/ngograph/def#Transaction"}


def _table(text: str) -> dict:
    """``{label: number}`` of a command's table; a label may have spaces, a number words after it
    ("mis-decoded names  0 (kept as written)"), and the indented lines under a row (the problems by
    reason, the names) are details, not rows."""
    rows = [re.match(r"(.+?)\s+([\d,.]+)(?:\s|$)", line) for line in text.splitlines() if line[:1].strip()]
    assert all(rows), text
    return {m.group(1): float(m.group(2).replace(",", "")) for m in rows}


def _import(tmp_path: Path, capsys, source: str, *paths: Path) -> tuple[dict, dict, dict]:
    """Import through the command line; return the import's own table (records mapped), the
    summary of ``ngograph summary --source`` and the resources of each class counted in the
    source's graph."""
    store = tmp_path / "store"
    capsys.readouterr()
    assert main(["import", source, *map(str, paths), "--store", str(store)]) == 0
    mapped = _table(capsys.readouterr().out)
    assert main(["summary", "--store", str(store), "--source", source]) == 0
    summary = _table(capsys.readouterr().out)
    graph = f"{BASE}dataset/{source}"
    held = {}
    for key, cls in _CLASSES.items():
        rows = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <{cls}> }}", graph)
        held[key] = int(rows[0][0])
    for key in ("projects", "organisations", "participations"):
        assert held[key] == summary[key], key
    return mapped, summary, held


# ---------------------------------------------------------------------------- IATI

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _number(text: str | None) -> bool:
    try:
        Decimal((text or "").strip())
    except InvalidOperation:
        return False
    return bool((text or "").strip())


def test_iati_covid_bulk(tmp_path, capsys):
    folder = DATASETS / "iati-covid-bulk"
    files = sorted(folder.glob("*.xml.gz"))
    assert len(files) == 133  # counts.json: files
    raw = Counter()
    for f in files:
        try:
            with gzip.open(f) as fh:
                for _, el in ET.iterparse(fh):
                    if el.tag != "iati-activity":
                        continue
                    raw["activities"] += 1
                    raw["participating_orgs"] += len(el.findall("participating-org"))
                    for t in el.findall("transaction"):
                        raw["transactions"] += 1
                        date = t.find("transaction-date")
                        value = t.find("value")
                        raw["transactions_kept"] += (date is not None and bool(_ISO_DATE.match(date.get("iso-date", "")))
                                                     and value is not None and _number(value.text))
                    el.clear()
        except ET.ParseError:
            raw["not_xml"] += 1  # dportal_140.xml.gz holds JSON
    assert (raw["activities"], raw["participating_orgs"], raw["transactions"], raw["not_xml"]) == \
        (13_200, 45_808, 77_475, 1)  # counts.json: totals, files_with_error
    mapped, summary, held = _import(tmp_path, capsys, "iati", folder)
    assert held["projects"] == mapped["projects"] == raw["activities"]
    assert held["participations"] == mapped["participations"] == raw["participating_orgs"]
    assert held["transactions"] == mapped["transactions"] == raw["transactions_kept"] == 77_475 - 21  # 21 without a date or value


# ---------------------------------------------------------------------------- CORDIS

def test_cordis_h2020(tmp_path, capsys):
    folder = DATASETS / "cordis-h2020"
    with gzip.open(folder / "h2020.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    projects, pics = {r["rcn"] for r in rows}, {r["pic"] for r in rows}
    assert (len(rows), len(projects), len(pics)) == (144_726, 31_451, 35_871)  # counts.json
    mapped, summary, held = _import(tmp_path, capsys, "cordis", folder)
    assert held["projects"] == mapped["projects"] == held["grants"] == len(projects)  # an EC grant per project
    # every PIC, and the European Commission, the funder of every project
    assert held["organisations"] == mapped["organisations"] == len(pics) + 1
    # a node per row (the same PIC twice in a project: two nodes), and the Commission's in each project
    assert held["participations"] == mapped["participations"] == len(rows) + len(projects)
    assert summary["funders"] == 1


# ---------------------------------------------------------------------------- Interreg

def test_interreg_sweden(tmp_path, capsys):
    path = DATASETS / "interreg-sweden" / "rawdata_2026.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    kept = [r for r in rows if not r["slutdatum"] < r["startdatum"]]  # 2 end before they start: left out
    projects = {(r["program"], r["projektnamn"], r["projekttyp"], r["startdatum"]) for r in kept}
    orgs = {(r["program"], r["organisationsnamn"]) for r in kept if r["organisationsnamn"]}
    unnamed = sum(not r["organisationsnamn"] for r in kept)
    assert (len(rows), len(kept), len(projects), len(orgs) + unnamed) == (1_196, 1_194, 590, 769)  # counts.json
    mapped, summary, held = _import(tmp_path, capsys, "interreg", path)
    assert held["projects"] == mapped["projects"] == len(projects)
    assert held["organisations"] == mapped["organisations"] == len(orgs) + unnamed
    assert held["participations"] == mapped["participations"] == len(kept)
    assert summary["countries"] == 1  # the file lists Swedish partners only


# ---------------------------------------------------------------------------- 360Giving

def _giving_grants(folder: Path) -> list[dict]:
    """Every grant of the folder as ``{"file", "index", "id", "funder", "from"}``: the standard
    keys, the flat keys of stack.json (``from``: its ``File`` key, the publisher's file it
    aggregates), the CSV's column titles."""
    out = []
    for path in sorted(folder.glob("*.json")):
        for i, g in enumerate(json.loads(path.read_text(encoding="utf-8"))["grants"]):
            funder = g["FundingOrgIdentifier"] if "FundingOrgIdentifier" in g else g["fundingOrganization"][0]["id"]
            out.append({"file": path.name, "index": i, "id": g["id"], "funder": funder, "from": g.get("File")})
    with open(folder / "IndigoTrust_360giving.csv", encoding="utf-8", newline="") as fh:
        out += [{"file": "IndigoTrust_360giving.csv", "index": i, "id": r["Identifier"],
                 "funder": r["Funding Org:Identifier"], "from": None} for i, r in enumerate(csv.DictReader(fh))]
    return out


def test_360giving(tmp_path, capsys):
    folder = DATASETS / "360giving"
    grants = _giving_grants(folder)
    # stack.json's rows whose columns shifted (survey.md 2): a funder other than that of every
    # other grant from the same publisher's file ("Global", a URL, "LSOA", a sentence)
    funders = defaultdict(Counter)
    for g in grants:
        funders[g["from"]][g["funder"]] += 1
    shifted = [g for g in grants if g["from"] and g["funder"] != funders[g["from"]].most_common(1)[0][0]]
    assert len(grants) == 9_100 and [(g["file"], g["index"]) for g in shifted] == [  # test_source_giving360
        ("stack.json", i) for i in (2723, 3003, 3005, 3020, 3041, 3045, 3114, 3142, 3153, 3235, 3253)]
    ids = {g["id"] for g in grants if g not in shifted}
    assert len({g["id"] for g in grants}) == 5_948  # test_source_giving360: distinct ids
    mapped, summary, held = _import(tmp_path, capsys, "360giving", folder)
    assert held["grants"] == mapped["grants"] == len(ids)  # a grant in a funder's file and in stack.json: one node
    assert held["projects"] == mapped["projects"] == held["participations"] == 0  # grants go to organisations


# ---------------------------------------------------------------------------- Forskningsrådet

def test_forskningsradet(tmp_path, capsys):
    folder = DATASETS / "forskningsradet-norway"
    with open(folder / "dataset.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    numbers = {r["Organisasjonsnummer"] for r in rows if r["Organisasjonsnummer"]}
    without = sum(not r["Organisasjonsnummer"] for r in rows)
    assert (len(rows), len({r["Prosjektnr"] for r in rows}), len(numbers)) == (2_931, 1_957, 692)  # counts.json
    mapped, summary, held = _import(tmp_path, capsys, "forskningsradet", folder)
    assert held["projects"] == mapped["projects"] == len({r["Prosjektnr"] for r in rows})
    assert held["organisations"] == mapped["organisations"] == len(numbers) + without
    assert held["participations"] == mapped["participations"] == len(rows)
