"""The Forskningsrådet reader on 15 rows cut byte for byte from dataset.csv (semicolons, CRLF;
see /work/notes/sources/forskningsradet/FIXTURES.md). Counts are checked against an independent
count made here with csv and against the hand counts of FIXTURES.md."""

from __future__ import annotations

import csv
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.config import PROJECT_ROOT
from ngograph.sources.forskningsradet import HEADERS, read_forskningsradet
from ngograph.sources.tabular import SourceDate

FIX = Path(__file__).parent / "fixtures" / "sources" / "forskningsradet"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
REAL = pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not DATASETS.is_dir(),
                          reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")
AMOUNTS = ["3518202.75", "0", "145795.65", "145795.65", "572550.47999964", "572550.48", "335220", "144187.49999988",
           "994310.00999955", "0", "243812.49999984", "603249.99999966", "457011.99999988", "0", "202158.72"]


def raw_rows() -> list[dict]:
    with open(FIX / "dataset.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.fixture(scope="module")
def read():
    problems = []
    return list(read_forskningsradet(FIX, problems)), problems


def test_fixture_files_exist():
    assert [p.name for p in FIX.glob("*.csv")] == ["dataset.csv"]
    data = (FIX / "dataset.csv").read_bytes()
    assert data.count(b"\r\n") == 16 and data.count(b"\n") == 16  # CRLF on every line


def test_counts_against_csv_and_hand_counts(read):
    rows, _ = read
    raw = raw_rows()
    assert list(raw[0]) == list(HEADERS)
    assert len(rows) == len(raw) == 15
    assert len({r.prosjektnr for r in rows}) == len({r["Prosjektnr"] for r in raw}) == 13
    numbers = {r.organisasjonsnummer for r in rows} - {None}
    assert numbers == {r["Organisasjonsnummer"] for r in raw} - {""} and len(numbers) == 12
    assert Counter(r.organisasjon_rolle for r in rows) == {"COORDINATOR": 3, "PARTICIPANT": 12}
    assert [r.location for r in rows] == [f"dataset.csv:row {n}" for n in range(1, 16)]


def test_amounts_keep_float_noise_as_written(read):
    rows, _ = read
    assert [r.innvilget_belop_organisasjon_eur.text for r in rows] == AMOUNTS
    assert [r.innvilget_belop_organisasjon_eur.text for r in rows] == [r["Innvilget beløp organisasjon EUR"]
                                                                      for r in raw_rows()]
    assert sum(r.innvilget_belop_organisasjon_eur for r in rows) == Decimal("7934845.73999845")
    assert rows[4].innvilget_belop_organisasjon_eur == Decimal("572550.47999964")


def test_awkward_rows(read):
    rows, problems = read
    # same project and organisation twice: two records, told apart by Deltakernr
    kongsberg = [r for r in rows if (r.prosjektnr, r.organisasjonsnummer) == ("636146", "979750730")]
    assert sorted(r.deltakernr for r in kongsberg) == [23, 40]
    assert kongsberg[0].kortnavn is None  # `ukjent` is missing
    assert kongsberg[0].vurderingspanel == ("Construction and transport networks", "Engineering and technology")
    assert rows[4].prosjektnavn.count(";") == 1  # quoted semicolon
    assert "\t" in rows[12].prosjektnavn
    assert rows[5].topic == "Marie Sk\x1aodowska-Curie Innovative Training Networks (ITN-ETN)"  # kept as written
    assert rows[14].kontrakt_startdato is None and rows[14].kontrakt_sluttdato is None
    assert rows[1].kontrakt_startdato == SourceDate("01.10.2020 00:00", "2020-10-01T00:00", "datetime")
    assert all(r.kontrakt_signeringsdato.iso.endswith("T00:00") for r in rows if r.kontrakt_signeringsdato)
    unknown = rows[7]
    assert unknown.organisasjonsnummer is None and unknown.organisasjonsnavn is None and unknown.fou_sektorkode is None
    tellu = {r.organisasjonsnummer for r in rows if r.organisasjonsnavn == "TELLU AS"}
    assert tellu == {"989743295", "917519919"}
    assert rows[10].adresse_fylke == "Svalbard" and rows[10].adresse_landsdel is None
    assert problems == [
        ("dataset.csv:row 8", "no Organisasjonsnummer (organisation number): the organisation cannot be keyed"),
        ("dataset.csv", "1 cell(s) of column 'Topic' hold the control character U+001A, kept as written "
                        "(first at row 6)"),
    ]
    assert rows[7].problems == (problems[0][1],)


def test_invalid_organisation_number_is_reported(tmp_path):
    text = (FIX / "dataset.csv").read_text(encoding="utf-8").replace("970141669", "970141668")
    (tmp_path / "dataset.csv").write_text(text, encoding="utf-8", newline="")
    problems = []
    rows = list(read_forskningsradet(tmp_path / "dataset.csv", problems))
    assert len(rows) == 15
    assert ("dataset.csv:row 9", "Organisasjonsnummer '970141668' is not a valid Norwegian organisation number "
            "(9 digits, mod-11): kept as written") in problems


@pytest.mark.real
@REAL
def test_real_forskningsradet_totals():
    """Totals of the survey (notes/sources/forskningsradet/counts.json)."""
    problems = []
    rows = list(read_forskningsradet(DATASETS / "forskningsradet-norway", problems))
    assert len(rows) == 2_931 and len({r.prosjektnr for r in rows}) == 1_957
    assert len({r.organisasjonsnummer for r in rows} - {None}) == 692
    assert Counter(r.organisasjon_rolle for r in rows) == {"PARTICIPANT": 2_225, "COORDINATOR": 706}
    assert len({(r.prosjektnr, r.organisasjonsnummer, r.deltakernr) for r in rows}) == 2_931
    total = sum(r.innvilget_belop_organisasjon_eur for r in rows)
    assert total == Decimal("1672234782.36955121") and round(total, 2) == Decimal("1672234782.37")  # survey: float sum
    assert sum(len(r.innvilget_belop_organisasjon_eur.text.partition(".")[2]) > 2 for r in rows) == 2_006
    assert sum("\x1a" in (r.topic or "") for r in rows) == 52
    assert sorted(loc for loc, m in problems if "Organisasjonsnummer" in m) == [
        "dataset.csv:row 2433", "dataset.csv:row 593", "dataset.csv:row 690"]
    assert ("dataset.csv", "52 cell(s) of column 'Topic' hold the control character U+001A, kept as written "
                           "(first at row 85)") in problems
    assert len(problems) == 4
