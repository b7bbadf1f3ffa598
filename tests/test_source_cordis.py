"""The CORDIS reader on fixtures cut from the real files (tests/fixtures/sources/cordis, see
/work/notes/sources/cordis/FIXTURES.md for the origin lines). Counts are checked against an
independent count made here with the csv module and against the hand counts of FIXTURES.md.
Locations are "file:row N", N the 1-based data row (header not counted)."""

from __future__ import annotations

import csv
import gzip
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.config import PROJECT_ROOT
from ngograph.errors import DamagedFile, SourceError
from ngograph.records.personal import personal_data
from ngograph.sources.cordis import (CordisOrganisation, CordisParticipation, CordisProgrammePart, CordisProject,
                                     CordisProjectTerm, read_cordis, read_organisations, read_participations,
                                     read_projects)

FIX = Path(__file__).parent / "fixtures" / "sources" / "cordis"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
REAL = pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not DATASETS.is_dir(),
                          reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")


def dict_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_fixture_files_exist():
    names = sorted(p.name for p in FIX.glob("*.csv*"))
    assert len(names) == 11, names
    assert {"h2020.csv", "h2020.csv.gz", "h2020_organizations_sample.csv", "he_organization.csv"} <= set(names)


@pytest.mark.parametrize("name", ["h2020.csv", "h2020.csv.gz"])
def test_participation_table_counts(name):
    problems = []
    rows = list(read_participations(FIX / name, problems))
    raw = dict_rows(FIX / name)
    assert len(raw) == 14
    assert len(rows) == len(raw) == 14
    assert len({r.rcn for r in rows}) == len({r["rcn"] for r in raw}) == 10
    assert len({r.pic for r in rows}) == len({r["pic"] for r in raw}) == 14
    assert Counter(r.role for r in rows) == Counter(r["role"] for r in raw) == {"coordinator": 9, "participant": 3,
                                                                                "partner": 2}
    assert [r.location for r in rows] == [f"{name}:row {n}" for n in range(1, 15)]
    # countries: UK -> GB, EL -> GR, XK kept, NA = Namibia and reported
    assert Counter(r.country for r in rows) == {"GB": 5, "NO": 2, "GR": 1, "XK": 1, "NA": 1, "FR": 1, "US": 1,
                                                "DE": 1, "NL": 1}
    assert Counter(r.country_as_written for r in rows)["UK"] == 5
    namibia = [n for n, r in enumerate(raw, 1) if r["country"] == "NA"]
    assert problems == [(f"{name}:row {namibia[0]}",
                         "country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value")]
    assert rows[namibia[0] - 1].problems == (problems[0][1],)
    # NA is missing everywhere else
    assert sum(r.contribution is None for r in rows) == sum(r["contribution"] == "NA" for r in raw) == 5
    assert sum(r.contribution for r in rows if r.contribution is not None) == Decimal("3678366.25")
    assert sum(r.start_date is None for r in rows) == 1 and sum(r.total_cost is None for r in rows) == 1
    two = [r for r in rows if r.rcn == "212653"]
    assert [r.role for r in two] == ["coordinator", "coordinator"]


def test_participation_values_are_typed_and_kept_as_written():
    rows = {r.rcn: r for r in read_participations(FIX / "h2020.csv", [])}
    noisy = rows["216641"]
    assert noisy.total_cost.text == "2253128.8525" and noisy.total_cost == Decimal("2253128.8525")
    assert noisy.start_date.iso == "2014-01-04" and noisy.start_date.precision == "day"
    assert noisy.duration == 72 and noisy.start_year == 2014 and noisy.nunique == 1 and noisy.group == "eu15"
    assert rows["199236"].contribution > rows["199236"].max_contribution  # kept: a shape warns, not the reader
    assert isinstance(noisy, CordisParticipation) and noisy.type == "REC"


def test_official_projects_with_decimal_commas():
    rows = list(read_projects(FIX / "h2020_projects_sample.csv", []))
    raw = dict_rows(FIX / "h2020_projects_sample.csv")
    assert len(rows) == len(raw) == 4
    assert [r.total_cost for r in rows] == [Decimal("825357.5"), Decimal("4988450.25"), Decimal(335220),
                                            Decimal(50000)]
    assert rows[0].total_cost.text == "825357,5"
    assert {r.id: r.rcn for r in rows} == {"686533": "199473", "671465": "198042", "743495": "210063",
                                           "699641": "200099"}
    assert {r.status for r in rows} == {"CLOSED"} and rows[0].ec_max_contribution == 500000
    he = list(read_projects(FIX / "he_project.csv", []))
    assert len(he) == len(dict_rows(FIX / "he_project.csv")) == 4
    zero = next(r for r in he if r.id == "101070806")
    assert zero.total_cost == 0 and zero.ec_max_contribution == 353500  # grant > budget: kept
    assert all(r.nature is None for r in he)  # HE has no nature column


def test_official_organisations_keep_every_row_and_order():
    problems = []
    rows = list(read_organisations(FIX / "h2020_organizations_sample.csv", problems))
    raw = dict_rows(FIX / "h2020_organizations_sample.csv")
    assert len(rows) == len(raw) == 11
    assert len({r.project_id for r in rows}) == len({r["projectID"] for r in raw}) == 9
    assert len({r.organisation_id for r in rows}) == len({r["organisationID"] for r in raw}) == 10
    assert Counter(r.role for r in rows) == {"participant": 6, "partner": 2, "coordinator": 1, "thirdParty": 1,
                                             "internationalPartner": 1}
    twice = [r for r in rows if (r.project_id, r.organisation_id) == ("833955", "952979120")]
    assert sorted((r.order, r.role) for r in twice) == [(5, "thirdParty"), (33, "participant")]
    assert sum("," in r.total_cost.text for r in rows if r.total_cost is not None) == 5
    assert sum(r.ec_contribution is None for r in rows) == 2 and sum(r.total_cost is None for r in rows) == 1
    countries = Counter(r.country for r in rows)
    assert countries["GB"] == 2 and countries["GR"] == 1 and countries["XK"] == 2 and "UK" not in countries
    assert Counter(r.activity_type for r in rows) == {"PRC": 8, "PUB": 2, "OTH": 1}
    assert {r.vat_number for r in rows} >= {"NO970141669MVA", "NO994483404"}
    assert sum(r.sme is None for r in rows) == 1
    assert all(isinstance(r.latitude, Decimal) for r in rows if r.geolocation)
    assert problems == []


def test_horizon_europe_organisations():
    rows = list(read_organisations(FIX / "he_organization.csv", []))
    assert len(rows) == len(dict_rows(FIX / "he_organization.csv")) == 7
    assert Counter(r.role for r in rows) == {"participant": 3, "coordinator": 2, "thirdParty": 1,
                                             "associatedPartner": 1}
    assert sum("," in r.total_cost.text for r in rows if r.total_cost is not None) == 4
    assert all(r.active is None for r in rows)  # no such column in HE
    sissa = rows[0]
    assert (sissa.latitude, sissa.longitude) == (Decimal("45.67970335"), Decimal("13.7748282360935"))
    assert sissa.content_update_date.iso == "2025-02-24T17:23:01"


def test_folder_dispatches_by_header():
    problems = []
    records = list(read_cordis(FIX, problems))
    kinds = Counter(type(r).__name__ for r in records)
    assert kinds == {"CordisParticipation": 28, "CordisOrganisation": 18, "CordisProject": 8,
                     "CordisProjectTerm": 12 + 4 + 6 + 3, "CordisProgrammePart": 10}
    terms = Counter(r.scheme for r in records if isinstance(r, CordisProjectTerm))
    assert terms == {"topic": 16, "legalBasis": 6, "euroSciVoc": 3}
    assert all(isinstance(r, (CordisParticipation, CordisOrganisation, CordisProject, CordisProjectTerm,
                              CordisProgrammePart)) for r in records)
    assert [m for _, m in problems] == ["country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value"] * 2


# ---------------------------------------------------------------------------- bad input

HEADER = "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,total_cost\n"


def test_semicolons_quoted_newlines_and_bom(tmp_path):
    f = tmp_path / "project.csv"
    f.write_bytes("\ufeffid;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;"
                  "frameworkProgramme;fundingScheme;rcn\r\n"
                  '1;A;SIGNED;"two\nlines; and a semicolon";2020-01-01;2021-01-01;"1,5";2;H2020-EU.1.;H2020;RIA;9\r\n'
                  "2;B;SIGNED;t;2020-01-01;2021-01-01;3;4;H2020-EU.1.;H2020;RIA;10\r\n".encode("utf-8"))
    problems = []
    rows = list(read_cordis(f, problems))
    assert [r.location for r in rows] == ["project.csv:row 1", "project.csv:row 2"]
    assert rows[0].title == "two\nlines; and a semicolon" and rows[0].total_cost == Decimal("1.5")
    assert problems == []


def test_bad_rows_are_kept_and_reported(tmp_path):
    f = tmp_path / "h2020.csv"
    f.write_text(HEADER + '1,coordinator,9,REC,"1.000,50",UK,2020-02-30,NA,NA,NA,surplus\n'
                 "2,boss,8,XYZ,NA,ZZ,2020-01-01,NA,NA,NA\n" "3,participant,7\n", encoding="utf-8")
    problems = []
    rows = list(read_participations(f, problems))
    assert len(rows) == 3
    assert rows[0].contribution is None and rows[0].start_date is None  # 11 cells: surplus dropped
    locs = Counter(loc for loc, _ in problems)
    assert locs == {"h2020.csv:row 1": 3, "h2020.csv:row 2": 3, "h2020.csv:row 3": 1}
    messages = " | ".join(m for _, m in problems)
    for part in ("11 cells where the header has 10", "contribution: not a number: '1.000,50'",
                 "impossible date '2020-02-30'", "role 'boss'",
                 "activity type 'XYZ'", "country 'ZZ' is not an ISO 3166-1 code", "3 cells where the header has 10"):
        assert part in messages
    assert rows[1].country is None and rows[1].country_as_written == "ZZ"


def test_rows_without_keys_left_out_and_odd_values_said(tmp_path):
    """A row without its key is left out, with a problem (an empty project id ended the import in a traceback); a
    negative amount, an end before the start and an amount out of range are said (validation found them, the
    import said nothing; "1e400" was stored as a 401-digit decimal)."""
    from ngograph.sources.cordis_records import cordis_records

    rows = dict_rows(FIX / "h2020_projects_sample.csv")[:4]
    rows.append(dict(rows[3], id="999999"))
    rows.append(dict(rows[3], id="999998", startDate="", endDate="2019-01-01"))  # no start: nothing to compare
    rows.append(dict(rows[3], id="999997", startDate="2019-01-01", endDate="2019"))  # the year of the start: not before
    rows[0]["id"] = ""
    rows[1].update(startDate="2020-01-01", endDate="2019-12-31", ecMaxContribution="-5")
    rows[2]["totalCost"] = "1e400"
    rows[3]["ecMaxContribution"] = "999999999999999"  # under 10^15: kept
    rows[4].update(startDate="2020-01-01", endDate="2020-01-01", ecMaxContribution="0")  # one day; nothing: not said
    f = tmp_path / "h2020_projects_sample.csv"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    participations = HEADER + "1,coordinator,,REC,1,FR,NA,NA,NA,NA\n,partner,9,REC,1,FR,NA,NA,NA,NA\n"
    (tmp_path / "h2020.csv").write_text(participations, encoding="utf-8")
    organisations = dict_rows(FIX / "h2020_organizations_sample.csv")[:1]
    organisations[0].update(projectID="", organisationID="")
    g = tmp_path / "h2020_organizations_sample.csv"
    with open(g, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(organisations[0]), delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(organisations)
    (tmp_path / "programme_parts.csv").write_text("rcn,programme_part\n1,ERC\n", encoding="utf-8")  # no keys checked
    problems: list = []
    records = list(cordis_records(read_cordis([f, tmp_path / "h2020.csv", g, tmp_path / "programme_parts.csv"],
                                              problems), problems))
    assert [(loc, m) for loc, m in problems if "left out" in m or "negative" in m or "before" in m
            or "range" in m] == [
        ("h2020_projects_sample.csv:row 1", "no id: the row is left out"),
        ("h2020_projects_sample.csv:row 2", "ecMaxContribution '-5' is negative: kept as written"),
        ("h2020_projects_sample.csv:row 2", "endDate '2019-12-31' is before startDate '2020-01-01': kept as written"),
        ("h2020_projects_sample.csv:row 3", "totalCost: out of range: '1e400' (10^15 or more); read as missing"),
        ("h2020.csv:row 1", "no pic: the row is left out"), ("h2020.csv:row 2", "no rcn: the row is left out"),
        ("h2020_organizations_sample.csv:row 1", "no projectID and no organisationID: the row is left out"),
        ("programme_parts.csv:row 1", "CordisProgrammePart rows are not imported yet (left out)")]
    projects = [r for r in records if type(r).__name__ == "Project"]
    assert len(projects) == 6 and all(p.key[2] for p in projects)


def test_files_that_cannot_be_read_are_reported_and_the_rest_goes_on(tmp_path):
    (tmp_path / "a_wrong.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (tmp_path / "c_latin1.csv").write_bytes((HEADER + "1,partner,9,REC,1,FR,NA,NA,NA,NA\n").encode()
                                            .replace(b"partner", b"partn\xe9r"))
    (tmp_path / "d_empty.csv").write_bytes(b"")
    good = FIX / "h2020.csv"
    problems = []
    rows = list(read_cordis([*sorted(tmp_path.iterdir()), tmp_path / "missing.csv", good], problems))
    assert sum(r.location.startswith("h2020.csv:") for r in rows) == 14
    where = {loc.split(":")[0] for loc, _ in problems}
    assert {"a_wrong.csv", "c_latin1.csv", "d_empty.csv", "missing.csv"} <= where
    assert any("not UTF-8" in m for loc, m in problems if loc == "c_latin1.csv")
    latin = next(r for r in rows if r.location == "c_latin1.csv:row 1")
    assert latin.role == "partn\ufffdr"
    # a damaged file is not one of these: it stops the reading (and refuses the import)
    (tmp_path / "b_broken.csv.gz").write_bytes(gzip.compress((HEADER + "1,partner,9,REC,1,FR,NA,NA,NA,NA\n" * 50)
                                                             .encode())[:60])
    with pytest.raises(DamagedFile) as err:
        list(read_cordis([good, tmp_path / "b_broken.csv.gz"], []))
    [(loc, message)] = err.value.problems
    assert loc.startswith("b_broken.csv.gz") and "not readable as CSV (corrupt gzip data: " in message


def test_strict_reading_raises_source_error(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("nothing,here\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        list(read_participations(f))
    assert info.value.problems[0][0] == "x.csv" and "column(s) 'rcn'" in info.value.problems[0][1]


# ---------------------------------------------------------------------------- the whole dataset (opt-in)

@pytest.mark.real
@REAL
def test_real_cordis_totals():
    """Totals of the survey (notes/sources/cordis/counts.json)."""
    problems = []
    rows = list(read_participations(DATASETS / "cordis-h2020" / "h2020.csv.gz", problems))
    assert len(rows) == 144_726
    assert len({r.rcn for r in rows}) == 31_451 and len({r.pic for r in rows}) == 35_871
    assert Counter(r.role for r in rows) == {"participant": 106_108, "coordinator": 31_476, "partner": 7_142}
    assert sum(r.contribution is None for r in rows) == 13_754
    assert len({r.country_as_written for r in rows}) == 169
    assert sum(r.country == "NA" for r in rows) == 11 and len(problems) == 11
    assert sum(r.country == "GB" for r in rows) == 15_292 and sum(r.country == "GR" for r in rows) == 4_530
    orgs = list(read_cordis(DATASETS / "cordis-h2020-sample" / "h2020_organizations_sample_2023-05-29.csv", problems))
    assert len(orgs) == 5_153 and len({r.organisation_id for r in orgs}) == 3_114
    assert len({(r.project_id, r.organisation_id, r.order) for r in orgs}) == 5_153
    assert sum("," in r.total_cost.text for r in orgs if r.total_cost is not None) == 2_043
    he = list(read_cordis(DATASETS / "cordis-horizon-europe-sample", problems))
    assert Counter(type(r).__name__ for r in he) == {"CordisOrganisation": 100, "CordisProject": 100,
                                                     "CordisProjectTerm": 300}
    assert problems[-1] == ("webLink_df_100.csv",
                            "not read: header ['projectID', 'physUrl', 'id', 'availableLanguages']... "
                            "is no CORDIS table this reader knows")


def test_no_personal_data_in_any_source_fixture():
    """No e-mail address or international phone number in the fixtures of the table sources
    (national=False: 9-digit organisation numbers look like Norwegian phone numbers)."""
    files = [p for p in FIX.parent.rglob("*") if p.is_file() and not p.name.endswith(".gz")]
    assert len(files) >= 20
    assert {p.name: found for p in files if (found := personal_data(p.read_text(encoding="utf-8")))} == {}


def test_repeated_column_title_is_reported(tmp_path):
    """A column read that stands twice: the file is not read (the last of each was, and a column renamed to the
    key's title became the key: projects minted from acronyms); one not read: said, the rest read."""
    f = tmp_path / "programme_parts.csv"
    f.write_text("rcn,programme_part,programme_part\n1,ERC,MSCA\n", encoding="utf-8")
    problems = []
    assert list(read_cordis(f, problems)) == []
    assert problems == [("programme_parts.csv", "not the expected layout: column title(s) 'programme_part' stand more "
                                                "than once, and which to read is not known (the header has 3 columns, "
                                                "delimiter ',')")]
    f.write_text("rcn,programme_part,x,x\n1,ERC,a,b\n", encoding="utf-8")
    problems = []
    rows = list(read_cordis(f, problems))
    assert [(r.rcn, r.programme_part) for r in rows] == [("1", "ERC")]
    assert problems == [("programme_parts.csv", "column(s) not read: 'x', 'x'")]


def test_a_stray_quote_that_a_later_one_closes_is_damage(tmp_path):
    """A quote in a cell that a quote rows later closes read those rows into the cell: lost without a word. A row of
    the right width over several lines (a quoted line break) is read."""
    f = tmp_path / "h2020.csv"
    good = "1,partner,9,REC,1,FR,NA,NA,NA,NA\n"
    f.write_text(HEADER + good + '2,partner,"8,REC,1,FR,NA,NA,NA,NA\n' + good * 3 + '4,partner,7,REC,"1",FR,NA,NA,NA,NA\n',
                 encoding="utf-8")
    with pytest.raises(DamagedFile) as err:
        list(read_cordis(f, []))
    assert err.value.problems == [("h2020.csv:row 2", "lines 3-7 read as one row of 8 cells where the header has 10: a "
                                   "quote in it is closed only on line 7 (the rows between would be lost): the file "
                                   "is damaged; nothing is imported, the store is unchanged")]
    f.write_text(HEADER + good + '2,partner,8,REC,1,"F\nR",NA,NA,NA,NA\n' + good, encoding="utf-8")
    problems = []
    assert len(list(read_cordis(f, problems))) == 3
    f.write_text(HEADER + good + '2,partner,8,REC,1,"F\nR"\n' + good, encoding="utf-8")  # short, its own line break
    problems = []
    assert len(list(read_cordis(f, problems))) == 3
    assert ("h2020.csv:row 2", "6 cells where the header has 10: missing cells read as empty") in problems
