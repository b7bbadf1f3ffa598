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
                     ecContribution="", netEcContribution="", totalCost="", endOfParticipation="", active=""),
        _org(country="ISRAEL", order="3")])
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
        CordisOrganisation("organization.csv:row 3", "101", "ACR", "999", "NO 970141669 MVA", "Org AS", "ORG", False,
                           "PRC", "Gate 1", "0150", "Oslo", None, "ISRAEL", "NO081", "59.9,10.75", Decimal("59.9"),
                           Decimal("10.75"), "http://org.no", "https://ec.europa.eu/c", _day("2025-02-24"), "19085", 3,
                           "coordinator", Decimal("1000.5"), Decimal("900"), Decimal("2000"), True, True,
                           ("country 'ISRAEL' is not an ISO 3166-1 code: kept as written, no code given",)),
    ]
    assert problems == [("organization.csv:row 2", p) for p in rows[1].problems] + [
        ("organization.csv:row 3", rows[2].problems[0])]


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
    (tmp_path / "b_parts.csv").write_text("rcn,programme_part\n1,ERC,x\n", encoding="utf-8")
    _csv(tmp_path / "c_org.csv", ORGANISATION_REQUIRED, [_org()])
    _csv(tmp_path / "d_project.csv", PROJECT_REQUIRED, [{"id": "1", "acronym": "A", "frameworkProgramme": "H2020", "startDate": "x"}])
    _csv(tmp_path / "e_legal.csv", ["projectID", "legalBasis", "uniqueProgrammePart"],
         [{"projectID": "1", "legalBasis": "H", "uniqueProgrammePart": "maybe"}])
    _csv(tmp_path / "e_topics.csv", ["projectID", "topic"], [{"projectID": "1", "topic": "T"}])
    _csv(tmp_path / "f_webLink.csv", ["id", "projectID", "projectAcronym", "physUrl", "title"], [])
    (tmp_path / "g_empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "h_notes.txt").write_text("rcn,programme_part\n1,ERC\n", encoding="utf-8")
    problems: list = []
    rows = list(read_cordis(tmp_path, problems))
    assert [(type(r), r.location) for r in rows] == [
        (CordisParticipation, "a_h2020.csv:row 1"), (CordisProgrammePart, "b_parts.csv:row 1"),
        (CordisOrganisation, "c_org.csv:row 1"), (CordisProject, "d_project.csv:row 1"),
        (CordisProjectTerm, "e_legal.csv:row 1"), (CordisProjectTerm, "e_topics.csv:row 1")]
    surplus = "3 cells where the header has 2: surplus cells dropped"
    assert rows[1] == CordisProgrammePart("b_parts.csv:row 1", "1", "ERC", (surplus,))
    assert rows[3].problems == ("startDate: not a date: 'x'; read as missing",)
    assert rows[4].problems == ("uniqueProgrammePart: not a yes/no value: 'maybe'; read as missing",)
    assert [rows[4].scheme, rows[5].scheme] == ["legalBasis", "topic"]
    assert problems == [
        ("b_parts.csv:row 1", surplus),
        ("d_project.csv:row 1", "startDate: not a date: 'x'; read as missing"),
        ("e_legal.csv:row 1", "uniqueProgrammePart: not a yes/no value: 'maybe'; read as missing"),
        ("f_webLink.csv", "not read: header ['id', 'projectID', 'projectAcronym', 'physUrl']... is no CORDIS table "
                          "this reader knows"),
        ("g_empty.csv", "not read: cannot be read or is empty")]
    assert [r.location for r in read_cordis([tmp_path / "e_topics.csv"], problems)] == ["e_topics.csv:row 1"]


# ------------------------------------------------------------------ records

def _eur(text: str) -> Money:
    return Money(Decimal(text), "EUR")


def test_cordis_records_field_by_field(tmp_path):
    _csv(tmp_path / "a_h2020.csv", PARTICIPATION_REQUIRED, [dict(zip(PARTICIPATION_REQUIRED, row.split(","))) for row in (
        "10,coordinator,111,REC,100.5,FR,2020-01-01,2021-12-31,500,800",
        "10,participant,222,,,,2019-01-01,2019-12-31,1,2",
        "11,thirdParty,222,PRC,5,DE,,,NA,NA",
        "11,boss,333,OTH,1,BE,,,,",
        "11,NA,444,,,,,,,")])
    _csv(tmp_path / "b_project.csv", PROJECT_REQUIRED + ["objective", "ecSignatureDate"], [
        {"id": "900", "acronym": "ACR", "status": "SIGNED", "title": "T", "startDate": "2022-01-01",
         "endDate": "2023-12-31", "totalCost": "1000,5", "ecMaxContribution": "800", "legalBasis": "HORIZON.1.1",
         "frameworkProgramme": "HORIZON", "fundingScheme": "RIA", "rcn": "5000", "objective": "Obj",
         "ecSignatureDate": "2021-12-01"},
        {"id": "901", "frameworkProgramme": "HORIZON"}])
    org = {"projectID": "900", "organisationID": "111", "name": "Org One", "shortName": "O1", "activityType": "HES",
           "country": "FR", "vatNumber": "NO970141669", "organizationURL": "http://two.example", "role": "coordinator"}
    _csv(tmp_path / "c organization.csv", ORGANISATION_REQUIRED + ["vatNumber", "shortName", "organizationURL",
                                                                   "totalCost"], [
        dict(org, activityType="REC", vatNumber="NO 970 141 669 MVA", organizationURL="http://one.example",
             order="2", role="partner", ecContribution="10", totalCost="20"),
        {"projectID": "901", "organisationID": "555", "name": "Five", "vatNumber": "NO 123 456 789", "organizationURL": "www.five",
         "order": "1", "role": "participant", "ecContribution": "0"},
        org,
        {"projectID": "900", "organisationID": "666", "name": "Six", "vatNumber": "SE556", "activityType": "OTH", "country": "SE",
         "role": "boss"}])
    _csv(tmp_path / "d_parts.csv", ["rcn", "programme_part"], [{"rcn": "10", "programme_part": "ERC"}] * 2)
    _csv(tmp_path / "e_topics.csv", ["projectID", "topic"], [{"projectID": "900", "topic": "T-1"}])
    problems: list = []
    records = list(cordis_records(read_cordis(tmp_path, []), problems))
    p10, p11 = ("project", "cordis-rcn", "10"), ("project", "cordis-rcn", "11")
    p900, p901 = ("project", "cordis", "900"), ("project", "cordis", "901")
    o111, o222, o333, o444, o555, o666 = (("organisation", "xi-pic", pic) for pic in ("111", "222", "333", "444",
                                                                                      "555", "666"))
    h, pr, og = "a_h2020.csv:row ", "b_project.csv:row ", "c organization.csv:row "
    ec = EUROPEAN_COMMISSION
    assert records == [
        Grant(("grant", "cordis-rcn", "10"), h + "1", ec, p10, amount=_eur("500")),
        Participation(("participation", "cordis-rcn", "10", "funder"), h + "1", p10, ec, "funder"),
        Participation(("participation", "cordis-rcn", "10", "111", "coordinator"), h + "1", p10, o111, "lead-partner",
                      Code("cordis-role", "coordinator"), contribution=_eur("100.5")),
        Participation(("participation", "cordis-rcn", "10", "222", "participant"), h + "2", p10, o222, "partner",
                      Code("cordis-role", "participant")),
        Grant(("grant", "cordis-rcn", "11"), h + "3", ec, p11),
        Participation(("participation", "cordis-rcn", "11", "funder"), h + "3", p11, ec, "funder"),
        Participation(("participation", "cordis-rcn", "11", "222", "thirdParty"), h + "3", p11, o222, "partner",
                      Code("cordis-role", "thirdParty"), contribution=_eur("5")),
        Grant(("grant", "cordis", "900"), pr + "1", ec, p900, amount=_eur("800"), award_date="2021-12-01"),
        Participation(("participation", "cordis", "900", "funder"), pr + "1", p900, ec, "funder"),
        Grant(("grant", "cordis", "901"), pr + "2", ec, p901),
        Participation(("participation", "cordis", "901", "funder"), pr + "2", p901, ec, "funder"),
        Participation(("participation", "cordis", "900", "111", "2"), og + "1", p900, o111, "associated",
                      Code("cordis-role", "partner"), 2, contribution=_eur("10"), budget=_eur("20")),
        Participation(("participation", "cordis", "901", "555", "1"), og + "2", p901, o555, "partner",
                      Code("cordis-role", "participant"), 1, contribution=_eur("0")),
        Participation(("participation", "cordis", "900", "111", "3"), og + "3", p900, o111, "lead-partner",
                      Code("cordis-role", "coordinator")),
        Organisation(ec, h + "1", names=[Text("European Commission", "en")], types={"intergovernmental"}),
        Project(p10, h + "1", identifiers=[Identifier("CORDIS-RCN", "10")], start="2020-01-01", end="2021-12-31",
                budgets=[_eur("800")]),
        Project(p11, h + "3", identifiers=[Identifier("CORDIS-RCN", "11")]),
        Project(p900, pr + "1", names=[Text("T", "en")], alt_names=[Text("ACR")], descriptions=[Text("Obj", "en")],
                identifiers=[Identifier("CORDIS-PROJECT", "900"), Identifier("CORDIS-RCN", "5000")],
                start="2022-01-01", end="2023-12-31", status=Code("cordis-status", "SIGNED"),
                budgets=[_eur("1000.5")], subjects=[Code("cordis-programme", "HORIZON.1.1")]),
        Project(p901, pr + "2", identifiers=[Identifier("CORDIS-PROJECT", "901")]),
        Organisation(o111, h + "1", names=[Text("Org One"), Text("O1")],
                     identifiers=[Identifier("XI-PIC", "111"), Identifier("NO-BRC", "970141669")], country="FR",
                     kinds=[Code("cordis-activity-type", "REC"), Code("cordis-activity-type", "HES")],
                     url="http://one.example"),
        Organisation(o222, h + "2", identifiers=[Identifier("XI-PIC", "222")], country="DE",
                     kinds=[Code("cordis-activity-type", "PRC")]),
        Organisation(o333, h + "4", identifiers=[Identifier("XI-PIC", "333")], country="BE",
                     kinds=[Code("cordis-activity-type", "OTH")]),
        Organisation(o444, h + "5", identifiers=[Identifier("XI-PIC", "444")]),
        Organisation(o555, og + "2", names=[Text("Five")],
                     identifiers=[Identifier("XI-PIC", "555"), Identifier("NO-BRC", "123456789")]),
        Organisation(o666, og + "4", names=[Text("Six")], identifiers=[Identifier("XI-PIC", "666")], country="SE",
                     kinds=[Code("cordis-activity-type", "OTH")]),
    ]
    assert problems == [
        (h + "4", "role 'boss' is not a CORDIS role; the participation is left out"),
        (h + "5", "role None is not a CORDIS role; the participation is left out"),
        (og + "4", "role 'boss' is not a CORDIS role; the participation is left out"),
        ("d_parts.csv:row 1", "CordisProgrammePart rows are not imported yet (left out)"),
        ("e_topics.csv:row 1", "CordisProjectTerm rows are not imported yet (left out)")]


def test_cordis_records_of_no_rows_is_nothing():
    # it was the Commission alone, so that an import of no CORDIS row replaced an earlier one
    # (tests/test_import_nothing.py): the Commission is named only as the funder of a grant
    problems: list = []
    assert list(cordis_records([], problems)) == []
    assert problems == []


def test_organisation_rows_alone_name_no_funder(tmp_path):
    _csv(tmp_path / "organization.csv", ORGANISATION_REQUIRED,
         [{"projectID": "900", "organisationID": "111", "role": "participant", "order": "1"}])
    problems: list = []
    records = list(cordis_records(read_cordis(tmp_path, []), problems))
    assert [type(r).__name__ for r in records] == ["Participation", "Project", "Organisation"]
    assert EUROPEAN_COMMISSION not in {r.key for r in records}
    # the project no project row describes: made from the row (no acronym here), reported at the row
    project = records[1]
    assert (project.key, project.identifiers, project.alt_names, project.names) == (
        ("project", "cordis", "900"), [Identifier("CORDIS-PROJECT", "900")], [], [])
    assert problems == [("organization.csv:row 1", "project '900' is in no project table read: it is described by "
                                                   "its grant id and acronym only")]


def test_a_project_named_by_organisation_rows_only_is_made_once_with_its_acronym(tmp_path):
    """cordis-h2020-sample: the organisation file's ~600 projects are not in its project file; their
    participations pointed to nodes without a type (4,116 SHACL violations on the import)."""
    _csv(tmp_path / "organization.csv", ORGANISATION_REQUIRED + ["projectAcronym"],
         [{"projectID": "1", "projectAcronym": "LISTED", "organisationID": "111", "role": "participant", "order": "1"},
          {"projectID": "900", "projectAcronym": "ACRO", "organisationID": "111", "role": "coordinator", "order": "1"},
          {"projectID": "900", "projectAcronym": "ACRO", "organisationID": "112", "role": "participant", "order": "2"}])
    _csv(tmp_path / "project.csv", PROJECT_REQUIRED, [{"id": "1"}])
    problems: list = []
    records = list(cordis_records(read_cordis(tmp_path, problems), problems))
    projects = {r.key: r for r in records if isinstance(r, Project)}
    assert sorted(projects) == [("project", "cordis", "1"), ("project", "cordis", "900")]
    assert projects[("project", "cordis", "900")].alt_names == [Text("ACRO")]
    assert projects[("project", "cordis", "900")].location == "organization.csv:row 2"  # its first row
    assert projects[("project", "cordis", "1")].alt_names == []  # the project row's own (none), not the org row's
    assert [p for p in problems if "no project table" in p[1]] == [
        ("organization.csv:row 2", "project '900' is in no project table read: it is described by its grant id and "
                                   "acronym only")]


def test_file_problems_are_listed_not_raised_by_every_reader(tmp_path):
    org = _csv(tmp_path / "o.csv", ORGANISATION_REQUIRED + ["extra"], [_org()])
    project = _csv(tmp_path / "p.csv", PROJECT_REQUIRED + ["extra"], [{"id": "1"}])
    topics = _csv(tmp_path / "t.csv", ["projectID", "topic", "extra"], [{"projectID": "1", "topic": "T"}])
    problems: list = []
    assert [r.location for r in read_organisations(org, problems)] == ["o.csv:row 1"]
    assert [r.location for r in read_projects(project, problems)] == ["p.csv:row 1"]
    assert [r.location for r in read_project_terms(topics, "topic", problems)] == ["t.csv:row 1"]
    assert problems == [(name, "column(s) not read: 'extra'") for name in ("o.csv", "p.csv", "t.csv")]


def test_an_organisation_repeated_in_participation_rows_keeps_what_each_row_adds(tmp_path, monkeypatch):
    """The mapper skips a participation row's organisation when the row gives it the same country and
    activity type as the last one did (nothing to add); a row that gives another type or the first
    country is not skipped."""
    f = tmp_path / "h2020.csv"
    _csv(f, PARTICIPATION_REQUIRED, [
        {"rcn": "1", "role": "coordinator", "pic": "9", "type": "REC", "contribution": "1", "country": "NA"},
        {"rcn": "2", "role": "participant", "pic": "9", "type": "REC", "contribution": "1", "country": "DE"},
        {"rcn": "3", "role": "participant", "pic": "9", "type": "REC", "contribution": "1", "country": "DE"},
        {"rcn": "4", "role": "participant", "pic": "9", "type": "HES", "contribution": "1", "country": "FR"},
        {"rcn": "5", "role": "participant", "pic": "9", "type": "REC", "contribution": "1", "country": "DE"},
    ])
    from ngograph.sources import cordis_records as mapper
    calls, organisation = [], mapper._Collector.organisation
    monkeypatch.setattr(mapper._Collector, "organisation",
                        lambda self, *a, **k: calls.append(a[3:5]) or organisation(self, *a, **k))
    records = list(cordis_records(read_cordis(f, []), []))
    assert calls == [("NA", "REC"), ("DE", "REC"), ("FR", "HES"), ("DE", "REC")]  # the third row: skipped
    orgs = [r for r in records if isinstance(r, Organisation) and r.key == ("organisation", "xi-pic", "9")]
    assert len(orgs) == 1
    assert orgs[0].kinds == [Code("cordis-activity-type", "REC"), Code("cordis-activity-type", "HES")]
    assert orgs[0].country == "NA"  # the first row's (Namibia, reported), kept
    assert sum(isinstance(r, Participation) and r.organisation == orgs[0].key for r in records) == 5


def test_a_repeated_organisation_gets_a_country_a_later_row_gives_and_a_kind_with_the_same_country(tmp_path):
    f = tmp_path / "h2020.csv"
    _csv(f, PARTICIPATION_REQUIRED, [
        {"rcn": "1", "role": "coordinator", "pic": "9", "type": "REC", "contribution": "1", "country": ""},
        {"rcn": "2", "role": "participant", "pic": "9", "type": "REC", "contribution": "1", "country": "DE"},
        {"rcn": "3", "role": "participant", "pic": "9", "type": "HES", "contribution": "1", "country": "DE"},
    ])
    org = next(r for r in cordis_records(read_cordis(f, []), []) if isinstance(r, Organisation) and r.key[-1] == "9")
    assert org.country == "DE"
    assert org.kinds == [Code("cordis-activity-type", "REC"), Code("cordis-activity-type", "HES")]
