"""The CORDIS reader and its record mapper pinned down on tiny hand-made files (issue 14): every
field of every record compared with values read off the rows by hand, the problems by their
whole text. Files are written under tmp_path with the headers of the fixtures' layouts."""

from __future__ import annotations

import csv
from decimal import Decimal

from ngograph.records.types import Code, Grant, Identifier, Money, Organisation, Participation, Project, Text
from ngograph.sources.cordis import (CordisOrganisation, CordisParticipation, CordisProgrammePart, CordisProject,
                                     CordisProjectTerm, _layout, read_cordis, read_organisations, read_participations,
                                     read_project_terms, read_projects)
from ngograph.sources.cordis_records import EUROPEAN_COMMISSION, cordis_records
from ngograph.sources.tabular import SourceDate

from conftest import FIXTURES

CORDIS = FIXTURES / "sources" / "cordis"

PARTICIPATION_REQUIRED = ["rcn", "role", "pic", "type", "contribution", "country", "start_date", "end_date",
                          "max_contribution", "total_cost"]
PARTICIPATION = PARTICIPATION_REQUIRED + ["start_year", "end_year", "duration", "group", "nunique"]
PROJECT_REQUIRED = ["id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution",
                    "legalBasis", "frameworkProgramme", "fundingScheme", "rcn"]
ORGANISATION_REQUIRED = ["projectID", "organisationID", "name", "activityType", "country", "order", "role",
                         "ecContribution"]


def _header(name: str) -> list[str]:
    path = CORDIS / name
    assert path.is_file()
    return next(csv.reader(path.open(encoding="utf-8")))


def _csv(path, header: list[str], rows: list[dict]):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([row.get(h, "") for h in header] for row in rows)
    return path


def _day(text: str) -> SourceDate:
    return SourceDate(text, text, "day")


def test_the_fixture_headers_are_the_layouts_tested_here():
    assert _header("h2020.csv") == PARTICIPATION
    assert set(PROJECT_REQUIRED) < set(_header("he_project.csv"))
    assert "nature" in _header("h2020_projects_sample.csv") and "nature" not in _header("he_project.csv")
    assert set(ORGANISATION_REQUIRED) < set(_header("he_organization.csv"))


# ------------------------------------------------------------------ reader: participations

def test_read_participations_field_by_field(tmp_path):
    path = _csv(tmp_path / "h 2020.csv", PARTICIPATION, [
        dict(zip(PARTICIPATION, "231469,coordinator,999992401,REC,150000.5,UK,2021-01-01,2022-06-30,150000,NA,2021,"
                                "2022,18,eu15,1".split(","))),
        dict(zip(PARTICIPATION, ["231469", "NA", "999992402"] + ["NA"] * 12)),
        dict(zip(PARTICIPATION, ["231470", "boss", "999992403", "XYZ", "", "ISRAEL"] + [""] * 9)),
    ])
    problems: list = []
    rows = list(read_participations(path, problems))
    assert rows == [
        CordisParticipation("h 2020.csv:row 1", "231469", "coordinator", "999992401", "REC", Decimal("150000.5"), "GB",
                            "UK", _day("2021-01-01"), _day("2022-06-30"), Decimal("150000"), None, 2021, 2022, 18,
                            "eu15", 1),
        CordisParticipation("h 2020.csv:row 2", "231469", None, "999992402", None, None, "NA", "NA", None, None, None,
                            None, None, None, None, None, None,
                            ("country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value",)),
        CordisParticipation("h 2020.csv:row 3", "231470", "boss", "999992403", "XYZ", None, None, "ISRAEL", None, None,
                            None, None, None, None, None, None, None,
                            ("country 'ISRAEL' is not an ISO 3166-1 code: kept as written, no code given",
                             "role 'boss' is not one CORDIS uses: kept as written",
                             "activity type 'XYZ' is not one CORDIS uses: kept as written")),
    ]
    assert rows[0].contribution.text == "150000.5"
    assert problems == [("h 2020.csv:row 2", rows[1].problems[0])] + [("h 2020.csv:row 3", p) for p in rows[2].problems]


def test_read_participations_without_the_optional_columns(tmp_path):
    path = _csv(tmp_path / "p.csv", PARTICIPATION_REQUIRED, [
        dict(zip(PARTICIPATION_REQUIRED, "1,participant,2,PUB,10,NO,2020-01-01,2020-12-31,20,30".split(",")))])
    problems: list = []
    assert list(read_participations(path, problems)) == [
        CordisParticipation("p.csv:row 1", "1", "participant", "2", "PUB", Decimal("10"), "NO", "NO",
                            _day("2020-01-01"), _day("2020-12-31"), Decimal("20"), Decimal("30"), None, None, None,
                            None, None)]
    assert problems == []


# ------------------------------------------------------------------ reader: projects

def test_read_projects_field_by_field(tmp_path):
    header = _header("h2020_projects_sample.csv")
    full = {"id": "686533", "acronym": "SMM", "status": "CLOSED", "title": "Power", "startDate": "2016-01-01",
            "endDate": "2018-03-31", "totalCost": "825357,5", "ecMaxContribution": "500000",
            "legalBasis": "H2020-EU.3.4.", "topics": "JTI-1", "ecSignatureDate": "2015-12-16",
            "frameworkProgramme": "H2020", "masterCall": "MC", "subCall": "SC", "fundingScheme": "CS2-IA",
            "nature": "N", "objective": "Engines.", "contentUpdateDate": "2022-08-01", "rcn": "200000",
            "grantDoi": "10.3030/686533"}
    path = _csv(tmp_path / "project.csv", header, [full])
    problems: list = []
    rows = list(read_projects(path, problems))
    assert rows == [CordisProject("project.csv:row 1", "686533", "SMM", "CLOSED", "Power", _day("2016-01-01"),
                                  _day("2018-03-31"), Decimal("825357.5"), Decimal("500000"), "H2020-EU.3.4.",
                                  "JTI-1", _day("2015-12-16"), "H2020", "MC", "SC", "CS2-IA", "N", "Engines.",
                                  _day("2022-08-01"), "200000", "10.3030/686533")]
    assert rows[0].total_cost.text == "825357,5" and problems == []
    path = _csv(tmp_path / "he.csv", PROJECT_REQUIRED, [dict(full, totalCost="468163,75", ecMaxContribution="1,5")])
    assert list(read_projects(path, problems)) == [
        CordisProject("he.csv:row 1", "686533", "SMM", "CLOSED", "Power", _day("2016-01-01"), _day("2018-03-31"),
                      Decimal("468163.75"), Decimal("1.5"), "H2020-EU.3.4.", None, None, "H2020", None, None, "CS2-IA",
                      None, None, None, "200000", None)]
    assert problems == []


# ------------------------------------------------------------------ reader: organisations

def _org(**fields) -> dict:
    row = {"projectID": "101", "projectAcronym": "ACR", "organisationID": "999", "vatNumber": "NO 970141669 MVA",
           "name": "Org AS", "shortName": "ORG", "SME": "False", "activityType": "PRC", "street": "Gate 1",
           "postCode": "0150", "city": "Oslo", "country": "NO", "nutsCode": "NO081", "geolocation": "59.9,10.75",
           "organizationURL": "http://org.no", "contactForm": "https://ec.europa.eu/c",
           "contentUpdateDate": "2025-02-24", "rcn": "19085", "order": "1", "role": "coordinator",
           "ecContribution": "1000,5", "netEcContribution": "900", "totalCost": "2000", "endOfParticipation": "True",
           "active": "true"}
    row.update(fields)
    return row


def test_read_organisations_field_by_field(tmp_path):
    header = _header("he_organization.csv") + ["active"]
    path = _csv(tmp_path / "organization.csv", header, [
        _org(), _org(role="boss", activityType="NGO", country="EL", SME="", geolocation="", order="2",
                     ecContribution="", netEcContribution="", totalCost="", endOfParticipation="", active="")])
    problems: list = []
    rows = list(read_organisations(path, problems))
    assert rows == [
        CordisOrganisation("organization.csv:row 1", "101", "ACR", "999", "NO 970141669 MVA", "Org AS", "ORG", False,
                           "PRC", "Gate 1", "0150", "Oslo", "NO", "NO", "NO081", "59.9,10.75", Decimal("59.9"),
                           Decimal("10.75"), "http://org.no", "https://ec.europa.eu/c", _day("2025-02-24"), "19085", 1,
                           "coordinator", Decimal("1000.5"), Decimal("900"), Decimal("2000"), True, True),
        CordisOrganisation("organization.csv:row 2", "101", "ACR", "999", "NO 970141669 MVA", "Org AS", "ORG", None,
                           "NGO", "Gate 1", "0150", "Oslo", "GR", "EL", "NO081", None, None, None, "http://org.no",
                           "https://ec.europa.eu/c", _day("2025-02-24"), "19085", 2, "boss", None, None, None, None,
                           None, ("role 'boss' is not one CORDIS uses: kept as written",
                                  "activity type 'NGO' is not one CORDIS uses: kept as written")),
    ]
    assert problems == [("organization.csv:row 2", p) for p in rows[1].problems]


def test_read_organisations_without_the_optional_columns(tmp_path):
    path = _csv(tmp_path / "o.csv", ORGANISATION_REQUIRED, [_org()])
    problems: list = []
    assert list(read_organisations(path, problems)) == [
        CordisOrganisation("o.csv:row 1", "101", None, "999", None, "Org AS", None, None, "PRC", None, None, None,
                           "NO", "NO", None, None, None, None, None, None, None, None, 1, "coordinator",
                           Decimal("1000.5"), None, None, None, None)]
    assert problems == []


def test_geolocation_bounds_and_bad_text(tmp_path):
    cells = ["90,180", "-90,-180", "45.5, 13.25", "90.5,0", "0,180.5", "-90.5,0", "0,-180.5", "abc", "1,2,3", "45,5"]
    path = _csv(tmp_path / "g.csv", ORGANISATION_REQUIRED + ["geolocation"], [_org(geolocation=c) for c in cells])
    problems: list = []
    rows = list(read_organisations(path, problems))
    assert [(r.latitude, r.longitude) for r in rows] == [
        (90, 180), (-90, -180), (Decimal("45.5"), Decimal("13.25"))] + [(None, None)] * 6 + [(45, 5)]
    assert [r.geolocation for r in rows] == cells
    outside = "is outside -90..90, -180..180: kept as text only"
    bad = "is not 'latitude,longitude': kept as text only"
    assert problems == [(f"g.csv:row {i}", f"geolocation {cells[i - 1]!r} {outside}") for i in (4, 5, 6, 7)] + [
        ("g.csv:row 8", f"geolocation 'abc' {bad}"), ("g.csv:row 9", f"geolocation '1,2,3' {bad}")]


# ------------------------------------------------------------------ reader: link tables, layouts, folders

def test_read_project_terms_of_each_scheme(tmp_path):
    topics = _csv(tmp_path / "topics.csv", ["projectID", "topic", "title"], [
        {"projectID": "1", "topic": "T-1", "title": "Topic one"}, {"projectID": "2", "topic": "T-2"}])
    legal = _csv(tmp_path / "legalBasis.csv", ["projectID", "legalBasis", "title", "uniqueProgrammePart"], [
        {"projectID": "1", "legalBasis": "HORIZON.1.1", "title": "ERC", "uniqueProgrammePart": "True"}])
    voc = _csv(tmp_path / "euroSciVoc.csv", ["projectID", "euroSciVocCode", "euroSciVocPath", "euroSciVocTitle"], [
        {"projectID": "1", "euroSciVocCode": "/23/43", "euroSciVocPath": "/natural sciences/physics",
         "euroSciVocTitle": "physics"}])
    bare = _csv(tmp_path / "bare.csv", ["projectID", "legalBasis"], [{"projectID": "3", "legalBasis": "H2020"}])
    problems: list = []
    assert list(read_project_terms(topics, "topic", problems)) == [
        CordisProjectTerm("topics.csv:row 1", "topic", "1", "T-1", "Topic one"),
        CordisProjectTerm("topics.csv:row 2", "topic", "2", "T-2", None)]
    assert list(read_project_terms(legal, "legalBasis", problems)) == [
        CordisProjectTerm("legalBasis.csv:row 1", "legalBasis", "1", "HORIZON.1.1", "ERC", None, True)]
    assert list(read_project_terms(voc, "euroSciVoc", problems)) == [
        CordisProjectTerm("euroSciVoc.csv:row 1", "euroSciVoc", "1", "/23/43", "physics", "/natural sciences/physics")]
    assert list(read_project_terms(bare, "legalBasis", problems)) == [
        CordisProjectTerm("bare.csv:row 1", "legalBasis", "3", "H2020", None, None, None)]
    assert problems == []


def test_layout_of_each_header():
    assert [_layout(h) for h in (
        ["rcn", "pic", "role"], ["rcn", "pic"], ["rcn", "programme_part"], ["projectID", "organisationID"],
        ["id", "acronym", "frameworkProgramme"], ["id", "acronym"], ["projectID", "euroSciVocCode"],
        ["projectID", "legalBasis"], ["projectID", "topic"], ["projectID"], [],
        ["projectID", "topic", "legalBasis", "euroSciVocCode", "organisationID"])] == [
        "participations", None, "programme_parts", "organisations", "projects", None, "euroSciVoc", "legalBasis",
        "topic", None, None, "organisations"]


def test_read_cordis_reads_a_folder_by_layout_and_reports_the_rest(tmp_path):
    _csv(tmp_path / "a_h2020.csv", PARTICIPATION_REQUIRED, [
        dict(zip(PARTICIPATION_REQUIRED, "1,participant,2,PUB,10,NO,2020-01-01,2020-12-31,20,30".split(",")))])
    _csv(tmp_path / "b_parts.csv", ["rcn", "programme_part"], [{"rcn": "1", "programme_part": "ERC"}])
    _csv(tmp_path / "c_org.csv", ORGANISATION_REQUIRED, [_org()])
    _csv(tmp_path / "d_project.csv", PROJECT_REQUIRED, [{"id": "1", "acronym": "A", "frameworkProgramme": "H2020"}])
    _csv(tmp_path / "e_topics.csv", ["projectID", "topic"], [{"projectID": "1", "topic": "T"}])
    _csv(tmp_path / "f_webLink.csv", ["id", "projectID", "projectAcronym", "physUrl", "title"], [])
    (tmp_path / "g_empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "h_notes.txt").write_text("rcn,programme_part\n1,ERC\n", encoding="utf-8")
    problems: list = []
    rows = list(read_cordis(tmp_path, problems))
    assert [(type(r), r.location) for r in rows] == [
        (CordisParticipation, "a_h2020.csv:row 1"), (CordisProgrammePart, "b_parts.csv:row 1"),
        (CordisOrganisation, "c_org.csv:row 1"), (CordisProject, "d_project.csv:row 1"),
        (CordisProjectTerm, "e_topics.csv:row 1")]
    assert rows[1] == CordisProgrammePart("b_parts.csv:row 1", "1", "ERC")
    assert rows[4].scheme == "topic"
    assert problems == [
        ("f_webLink.csv", "not read: header ['id', 'projectID', 'projectAcronym', 'physUrl']... is no CORDIS table "
                          "this reader knows"),
        ("g_empty.csv", "not read: cannot be read or is empty")]
    assert [r.location for r in read_cordis([tmp_path / "b_parts.csv"], problems)] == ["b_parts.csv:row 1"]
