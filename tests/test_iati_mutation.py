"""The IATI reader and its record mapper pinned down on tiny hand-made files (issue 14): every field
of every activity and record compared with values read off the XML by hand, the problems by their
whole text. The XML is written inline, one element per line where the line number matters, under
tmp_path."""

from __future__ import annotations

import gzip
import re
import socket
from decimal import Decimal

import pyoxigraph as ox
import pytest
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ngograph.errors import DamagedFile
from ngograph.rdf.emit import Emitter, Roles
from ngograph.records.types import (Allocation, Code, Identifier, Money, Organisation, Participation, Project, Text,
                                    Transaction as TransactionRecord)
from ngograph.sources.iati import (CHUNK, Activity, ActivityDate, Budget, Description, Narrative, OrgRef,
                                   ParticipatingOrg, RecipientCountry, RecipientRegion, RefClass, Sector, Transaction,
                                   _defused_reason, classify_ref, iati_files, read_iati)
from ngograph.sources.iati_records import iati_records

HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def _write(path, *lines: str):
    """The lines joined by newlines: line N of the file is ``lines[N - 1]``."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(*paths):
    problems: list = []
    return list(read_iati(paths, problems)), problems


def _en(*texts: str) -> list[Narrative]:
    return [Narrative(t, "en") for t in texts]


# ------------------------------------------------------------------ reader: one activity, every field

FULL = [
    HEAD,
    '<iati-activities version="2.03">',
    '<iati-activity default-currency="EUR" xml:lang=" EN " last-updated-datetime="2021-05-01T10:00:00Z" '
    'hierarchy="2" humanitarian="0">',
    '<iati-identifier> XX-1 A </iati-identifier>',
    '<iati-identifier>XX-2</iati-identifier>',
    '<reporting-org ref="GB-CHC-1" type="Government"><narrative>Rep</narrative></reporting-org>',
    '<reporting-org ref="GB-CHC-2"/>',
    '<title><narrative> Titre </narrative><narrative xml:lang=" FR ">T2</narrative>'
    '<narrative xml:lang=" ">T3</narrative><narrative>  </narrative><other>x</other></title>',
    '<title><narrative>Second</narrative></title>',
    '<description type="2"><narrative>Obj</narrative></description>',  # line 10
    '<description><narrative>Gen</narrative></description>',
    '<activity-status code="3"/>',
    '<activity-date type=" START-ACTUAL " iso-date=" 2020-02-29 "/>',
    '<activity-date type="3" iso-date="2021-12-31T23:59:59.5+01:00"/>',
    '<participating-org role="Funding" type="multilateral" ref="XM-DAC-3-1" activity-id="XM-DAC-3-1-A" '
    'crs-channel-code="40000"><narrative>Fund</narrative></participating-org>',
    '<participating-org role=" 4 " type=" 22 "/>',
    '<recipient-country code=" gb " percentage="60.5"/>',
    '<recipient-country code="KE"/>',
    '<recipient-region code="298" percentage="+10"/>',
    '<recipient-region code="1" vocabulary="2"/>',  # line 20
    '<sector code=" 15150 " percentage=".5"/>',
    '<sector vocabulary="DAC" code="151"/>',
    '<sector vocabulary="10" code="X" percentage="5."/>',
    '<budget type="1" status="2">',
    '<period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>',
    '<value currency="USD" value-date="2020-01-01">1000.50</value>',
    '</budget>',
    '<budget><value currency=""> 7 </value></budget>',
    '<transaction ref="t1">',
    '<transaction-type code="c"/>',  # line 30
    '<transaction-date iso-date="2020-03-01"/>',
    '<value value-date="2020-03-02">-3.50</value>',
    '<provider-org ref="GB-CHC-1" provider-activity-id="P-1" type="10"><narrative xml:lang="de">Geber</narrative>'
    '</provider-org>',
    '<receiver-org receiver-activity-id="R-1"><narrative>Rec</narrative></receiver-org>',
    '</transaction>',
    '<transaction><transaction-type>if</transaction-type><transaction-date iso-date="2020-04-01"/>'
    '<value currency="GBP">2</value></transaction>',
    '<contact-info><person-name>Not read</person-name><email>x</email></contact-info>',
    '<result><title><narrative>R</narrative></title></result>',
    '</iati-activity>',
    '</iati-activities>',  # line 40
]


def test_every_field_of_one_activity(tmp_path):
    path = _write(tmp_path / "a.xml", *FULL)
    at = f"{path}:"
    (a,), problems = _read(path)
    assert problems == [(at + "7", "a second reporting-org: skipped (the first is kept)")]
    expected = Activity(
        location=at + "3", iati_identifier="XX-1 A", version="2.03", default_currency="EUR", xml_lang="en",
        last_updated="2021-05-01T10:00:00Z", hierarchy="2", humanitarian="0",
        reporting_org=OrgRef(at + "6", "GB-CHC-1", "10", "Government", None, _en("Rep")),
        title=[Narrative("Titre", "en"), Narrative("T2", "fr"), Narrative("T3", "en"), Narrative("Second", "en")],
        descriptions=[Description(at + "10", "2", _en("Obj")), Description(at + "11", None, _en("Gen"))],
        activity_status="3",
        activity_dates=[ActivityDate(at + "13", "2", " START-ACTUAL ", "2020-02-29"),
                        ActivityDate(at + "14", "3", "3", "2021-12-31T23:59:59.5+01:00")],
        participating_orgs=[
            ParticipatingOrg(at + "15", 1, "1", "Funding", "40", "multilateral", "XM-DAC-3-1", "XM-DAC-3-1-A", "40000",
                             _en("Fund")),
            ParticipatingOrg(at + "16", 2, "4", " 4 ", "22", " 22 ", None, None, None, [])],
        recipient_countries=[RecipientCountry(at + "17", "gb", Decimal("60.5")),
                             RecipientCountry(at + "18", "KE", None)],
        recipient_regions=[RecipientRegion(at + "19", "298", "1", Decimal("10")),
                           RecipientRegion(at + "20", "1", "2", None)],
        sectors=[Sector(at + "21", "15150", "1", None, Decimal("0.5")), Sector(at + "22", "151", "1", "DAC", None),
                 Sector(at + "23", "X", "10", "10", Decimal("5"))],
        budgets=[Budget(at + "24", 1, "1", "2", "2020-01-01", "2020-12-31", Decimal("1000.50"), "USD", "2020-01-01"),
                 Budget(at + "28", 2, None, None, None, None, Decimal("7"), "EUR", None)],
        transactions=[
            Transaction(at + "29", 1, "2", "c", "2020-03-01", Decimal("-3.50"), "EUR", True, "2020-03-02",
                        OrgRef(at + "33", "GB-CHC-1", "10", "10", "P-1", [Narrative("Geber", "de")]),
                        OrgRef(at + "34", None, None, None, "R-1", _en("Rec"))),
            Transaction(at + "36", 2, "1", "if", "2020-04-01", Decimal("2"), "GBP", False, None, None, None)])
    assert a == expected
    assert str(a.budgets[0].value) == "1000.50" and str(a.transactions[0].value) == "-3.50"


def test_an_activity_without_language_or_currency(tmp_path):
    path = _write(tmp_path / "a.xml", HEAD, '<iati-activities version="2.02">',
                  '<iati-activity xml:lang="  " default-currency="">',
                  '<iati-identifier>XX-3</iati-identifier>',
                  '<title><narrative>No lang</narrative><narrative xml:lang="">Empty lang</narrative></title>',
                  '<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/>',
                  '<value> 5 </value></transaction>',
                  '<budget><value currency="SEK">1</value></budget>',
                  '</iati-activity>', '</iati-activities>')
    (a,), problems = _read(path)
    assert (a.version, a.xml_lang, a.default_currency, a.last_updated, a.hierarchy, a.humanitarian) == (
        "2.02", None, None, None, None, None)
    assert a.title == [Narrative("No lang", None), Narrative("Empty lang", None)]
    assert a.transactions == [Transaction(f"{path}:6", 1, "3", "3", "2020-01-01", Decimal("5"), None, False, None,
                                          None, None)]
    assert a.budgets == [Budget(f"{path}:8", 1, None, None, None, None, Decimal("1"), "SEK", None)]
    assert problems == [(f"{path}:7", "value without @currency in an activity without @default-currency: "
                                      "currency unknown")]


# ------------------------------------------------------------------ reader: elements skipped or kept with a problem

def test_every_element_problem_by_its_whole_message(tmp_path):
    lines = [
        HEAD,
        '<iati-activities version="2.03">',
        '<iati-activity default-currency="EUR">',
        '<iati-identifier>XX-P</iati-identifier>',
        '<activity-date iso-date="2020-01-01"/>',
        '<activity-date type="9" iso-date="2020-01-01"/>',
        '<activity-date type="end-actual" iso-date="2020-13-01"/>',
        '<activity-date type="4" iso-date="  "/>',
        '<activity-date type="end-planned" iso-date="2020-1-01"/>',
        '<sector percentage="5"/>',  # line 10
        '<sector code="  "/>',
        '<recipient-country percentage="1"/>',
        '<recipient-country code="GB" percentage="1e2"/>',
        '<recipient-region/>',
        '<recipient-region code="1" percentage="1 0"/>',
        '<budget><period-start iso-date="2020-01-01"/></budget>',
        '<budget><value currency="EUR"> </value></budget>',
        '<budget><period-end iso-date="2021-02-29"/><value>1</value></budget>',
        '<budget><value value-date="x">1</value></budget>',
        '<transaction><value>1</value></transaction>',  # line 20
        '<transaction><transaction-type code=""/><transaction-date iso-date="2020-01-01"/><value>1</value>'
        '</transaction>',
        '<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/></transaction>',
        '<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value>1,5</value>'
        '</transaction>',
        '<participating-org role="1" type="N/A"/>',
        '<participating-org role="  " type="   "/>',
        '<reporting-org type="x"/>',
        '<transaction><transaction-type code="C"/><transaction-date iso-date="2020-01-01"/><value>2</value>',
        '<provider-org type="y"/>',
        '<receiver-org type="z"/>',
        '</transaction>',  # line 30
        '<activity-status/>',
        '</iati-activity>',
        '</iati-activities>',
    ]
    path = _write(tmp_path / "p.xml", *lines)
    at = f"{path}:"
    (a,), problems = _read(path)
    assert problems == [
        (at + "5", "activity-date skipped: type None is not an ActivityDateType code"),
        (at + "6", "activity-date skipped: type '9' is not an ActivityDateType code"),
        (at + "7", "activity-date skipped: iso-date '2020-13-01' is not a date (YYYY-MM-DD)"),
        (at + "8", "activity-date skipped: no @iso-date"),
        (at + "9", "activity-date skipped: iso-date '2020-1-01' is not a date (YYYY-MM-DD)"),
        (at + "10", "sector skipped: sector without @code"),
        (at + "11", "sector skipped: sector without @code"),
        (at + "12", "recipient-country skipped: recipient-country without @code"),
        (at + "13", "recipient-country skipped: percentage '1e2' is not a number"),
        (at + "14", "recipient-region skipped: recipient-region without @code"),
        (at + "15", "recipient-region skipped: percentage '1 0' is not a number"),
        (at + "16", "budget skipped: no value"),
        (at + "17", "budget skipped: empty value"),
        (at + "18", "budget skipped: period-end/@iso-date '2021-02-29' is not a date (YYYY-MM-DD)"),
        (at + "19", "budget skipped: @value-date 'x' is not a date (YYYY-MM-DD)"),
        (at + "20", "transaction without transaction-type: kept, type left empty"),
        (at + "20", "transaction skipped: no transaction-date/@iso-date"),
        (at + "21", "transaction without transaction-type: kept, type left empty"),
        (at + "22", "transaction skipped: no value"),
        (at + "23", "transaction skipped: value '1,5' is not a number"),
        (at + "24", "participating-org type 'N/A' is not an IATI OrganisationType code: kept as written, "
                    "code left empty"),
        (at + "26", "reporting-org type 'x' is not an IATI OrganisationType code: kept as written, code left empty"),
        (at + "28", "provider-org type 'y' is not an IATI OrganisationType code: kept as written, code left empty"),
        (at + "29", "receiver-org type 'z' is not an IATI OrganisationType code: kept as written, code left empty"),
    ]
    assert (a.activity_dates, a.sectors, a.recipient_countries, a.recipient_regions, a.budgets) == ([], [], [], [], [])
    assert a.activity_status is None
    assert a.transactions == [
        Transaction(at + "21", 2, None, None, "2020-01-01", Decimal("1"), "EUR", True, None, None, None),
        Transaction(at + "27", 5, "2", "C", "2020-01-01", Decimal("2"), "EUR", True, None,
                    OrgRef(at + "28", None, None, "y", None, []), OrgRef(at + "29", None, None, "z", None, []))]
    assert a.participating_orgs == [
        ParticipatingOrg(at + "24", 1, "1", "1", None, "N/A", None, None, None, []),
        ParticipatingOrg(at + "25", 2, None, "  ", None, "   ", None, None, None, [])]
    assert a.reporting_org == OrgRef(at + "26", None, None, "x", None, [])


@pytest.mark.parametrize("role,code", [("FUNDING", "1"), ("accountable", "2"), (" Extending ", "3"),
                                       ("implementing", "4"), ("3", "3"), ("5", None)])
def test_roles_any_case(tmp_path, role, code):
    path = _write(tmp_path / "r.xml", '<iati-activities version="2.03"><iati-activity>',
                  f'<iati-identifier>XX</iati-identifier><participating-org role="{role}"/>',
                  '</iati-activity></iati-activities>')
    (a,), problems = _read(path)
    assert (a.participating_orgs[0].role, a.participating_orgs[0].role_raw) == (code, role)
    assert problems == ([] if code else [(f"{path}:2", f"participating-org role {role!r} is not an IATI "
                                                       "OrganisationRole code: kept as written, code left empty")])


@pytest.mark.parametrize("raw,code", [("d", "3"), (" qs ", "9"), ("CG", "10"), ("13", "13"), ("12 ", "12"),
                                      ("Disbursement", None), ("14", None)])
def test_transaction_types_upper_cased(tmp_path, raw, code):
    path = _write(tmp_path / "t.xml", '<iati-activities version="2.03"><iati-activity default-currency="EUR">',
                  f'<iati-identifier>XX</iati-identifier><transaction><transaction-type code="{raw}"/>'
                  '<transaction-date iso-date="2020-01-01"/><value>1</value></transaction>',
                  '</iati-activity></iati-activities>')
    (a,), problems = _read(path)
    assert (a.transactions[0].type, a.transactions[0].type_raw) == (code, raw)
    assert problems == ([] if code else [(f"{path}:2", f"transaction type {raw!r} is not an IATI TransactionType "
                                                       "code: kept as written, code left empty")])


@pytest.mark.parametrize("text,value", [("+5", "5"), (".5", "0.5"), ("5.", "5"), ("-0", "-0"), (" 12.25 ", "12.25"),
                                        ("1e3", None), ("1 000", None), ("5-", None), ("--5", None), ("five", None),
                                        (".", None), ("+", None)])
def test_numbers(tmp_path, text, value):
    path = _write(tmp_path / "n.xml", '<iati-activities version="2.03"><iati-activity default-currency="EUR">',
                  f'<iati-identifier>XX</iati-identifier><budget><value>{text}</value></budget>',
                  '</iati-activity></iati-activities>')
    (a,), problems = _read(path)
    if value is None:
        assert a.budgets == []
        assert problems == [(f"{path}:2", f"budget skipped: value {text.strip()!r} is not a number")]
    else:
        assert [str(b.value) for b in a.budgets] == [value] and problems == []


@pytest.mark.parametrize("text,kept", [("9" * 15, True), ("-" + "9" * 15, True), ("1" + "0" * 15, False),
                                       ("-1" + "0" * 15, False), ("1" + "0" * 400, False)])
def test_numbers_out_of_range(tmp_path, text, kept):
    """Under 10^15 either way kept; 10^15 and more skipped, said (a 401-digit value was stored, which the store's
    decimals cannot hold)."""
    path = _write(tmp_path / "n.xml", '<iati-activities version="2.03"><iati-activity default-currency="EUR">',
                  f'<iati-identifier>XX</iati-identifier><budget><value>{text}</value></budget>',
                  '</iati-activity></iati-activities>')
    (a,), problems = _read(path)
    if kept:
        assert [str(b.value) for b in a.budgets] == [text] and problems == []
    else:
        assert a.budgets == [] and problems == [(f"{path}:2", f"budget skipped: value {text!r} is out of range (10^15 "
                                                               "or more)")]


@pytest.mark.parametrize("text,kept", [
    ("2020-02-29", "2020-02-29"), (" 2020-01-31 ", "2020-01-31"), ("2020-01-01T10:20:30", "2020-01-01T10:20:30"),
    ("2020-01-01Z", "2020-01-01Z"), ("2020-01-01-05:00", "2020-01-01-05:00"),
    ("2020-01-01T10:20:30.123Z", "2020-01-01T10:20:30.123Z"),
    ("2021-02-29", None), ("2020-04-31", None), ("2020-00-10", None), ("2020-01-00", None), ("20200101", None),
    ("2020-01-01T10:20", None), ("2020-01-01 10:20:30", None), ("x2020-01-01", None), ("2020-01-01x", None),
    ("0000-01-01", None)])
def test_dates(tmp_path, text, kept):
    path = _write(tmp_path / "d.xml", '<iati-activities version="2.03"><iati-activity>',
                  f'<iati-identifier>XX</iati-identifier><activity-date type="1" iso-date="{text}"/>',
                  '</iati-activity></iati-activities>')
    (a,), problems = _read(path)
    if kept is None:
        assert a.activity_dates == []
        assert problems == [(f"{path}:2", f"activity-date skipped: iso-date {text.strip()!r} is not a date "
                                          "(YYYY-MM-DD)")]
    else:
        assert [d.iso_date for d in a.activity_dates] == [kept] and problems == []


# ------------------------------------------------------------------ reader: activities and files refused

def test_versions_of_activities(tmp_path):
    path = _write(tmp_path / "v.xml", HEAD, '<iati-activities version="2.01">',
                  '<iati-activity version="2.02"><iati-identifier>A</iati-identifier></iati-activity>',
                  '<iati-activity iati-activities:version="2.03"><iati-identifier>B</iati-identifier></iati-activity>',
                  '<iati-activity version="" iati-activities:version=""><iati-identifier>C</iati-identifier>'
                  '</iati-activity>',
                  '<iati-activity version="1.05"><iati-identifier>D</iati-identifier><sector/></iati-activity>',
                  '<iati-activity iati-activities:version="1"><iati-identifier>E</iati-identifier></iati-activity>',
                  '<iati-activity><sector/></iati-activity>',
                  '<iati-activity version="10.1"><iati-identifier>F</iati-identifier></iati-activity>',
                  '</iati-activities>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.version, a.location) for a in acts] == [
        ("A", "2.02", f"{path}:3"), ("B", "2.03", f"{path}:4"), ("C", "2.01", f"{path}:5"), ("F", "10.1", f"{path}:9")]
    # the problems of a skipped activity's elements are not reported
    assert problems == [(f"{path}:6", "IATI 1.x activity (version '1.05') is not imported: skipped"),
                        (f"{path}:7", "IATI 1.x activity (version '1') is not imported: skipped"),
                        (f"{path}:8", "iati-activity without an iati-identifier: skipped")]


def test_a_legacy_file_is_refused_at_the_start_tag_of_its_first_activity(tmp_path):
    path = _write(tmp_path / "old.xml", '<iati-activities>', '<iati-activity>', '<title/>', '</iati-activity>',
                  '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>', '</iati-activities>')
    assert _read(path) == ([], [(f"{path}:2", "IATI 1.x is not imported (no version 2.0x and no iati-identifier): "
                                              "file skipped")])


def test_a_file_without_any_version(tmp_path):
    path = _write(tmp_path / "v.xml", '<iati-activities>',
                  '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>',
                  '<iati-activity><title/></iati-activity>',
                  '<iati-activity><iati-identifier>B</iati-identifier></iati-activity>',
                  '</iati-activities>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.version) for a in acts] == [("A", None), ("B", None)]
    assert problems == [(f"{path}:3", "iati-activity without an iati-identifier: skipped")]


def test_a_first_activity_with_a_version_but_no_identifier_is_skipped_not_refused(tmp_path):
    path = _write(tmp_path / "v.xml", '<iati-activities>',
                  '<iati-activity iati-activities:version="2.03"></iati-activity>',
                  '<iati-activity><iati-identifier>B</iati-identifier></iati-activity>',
                  '</iati-activities>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.version) for a in acts] == [("B", None)]
    assert problems == [(f"{path}:2", "iati-activity without an iati-identifier: skipped")]


@pytest.mark.parametrize("version", ["1", " 1.03", "1.05 "])
def test_a_legacy_root_is_refused_at_its_line(tmp_path, version):
    path = _write(tmp_path / "old.xml", HEAD, "<!-- a comment -->", f'<iati-activities version="{version}">',
                  '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>', '</iati-activities>')
    assert _read(path) == ([], [(f"{path}:3", f"IATI 1.x is not imported (version {version!r}): file skipped")])


@pytest.mark.parametrize("version", ["2", "1x", "12.0", "0.9", "abc"])
def test_other_root_versions_are_read(tmp_path, version):
    path = _write(tmp_path / "new.xml", f'<iati-activities version="{version}">',
                  '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>', '</iati-activities>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.version) for a in acts] == [("A", version)] and problems == []


def test_a_root_that_is_not_iati_activities(tmp_path):
    path = _write(tmp_path / "x.xml", HEAD, '<organisations>',
                  '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>', '</organisations>')
    assert _read(path) == ([], [(f"{path}:2", "not an IATI activity file: the root element is <organisations>, "
                                              "not <iati-activities>")])


def test_elements_outside_activities_are_skipped_with_what_they_hold(tmp_path):
    path = _write(tmp_path / "s.xml", '<iati-activities version="2.03">',
                  '<meta>text<iati-activity><iati-identifier>HIDDEN</iati-identifier></iati-activity></meta>',
                  '<iati-activity>',
                  '<result><iati-identifier>NOT-THIS</iati-identifier><x><y>deep</y></x></result>',
                  '<iati-identifier>A</iati-identifier>',
                  '<other>text <b>bold</b></other><title><narrative>T<b>ignored</b>ext</narrative></title>',
                  '</iati-activity>',
                  '<iati-activity><iati-identifier>B</iati-identifier></iati-activity>',
                  '</iati-activities>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.location, a.title) for a in acts] == [
        ("A", f"{path}:3", [Narrative("Text", None)]), ("B", f"{path}:8", [])]
    assert problems == []


def test_a_bare_activity_without_version(tmp_path):
    path = _write(tmp_path / "one.xml", '<iati-activity><iati-identifier>A</iati-identifier></iati-activity>')
    acts, problems = _read(path)
    assert [(a.iati_identifier, a.version) for a in acts] == [("A", None)] and problems == []


def test_a_break_chunks_after_the_start_is_damage_at_its_line(tmp_path):
    activity = '<iati-activity><iati-identifier>XX-{}</iati-identifier><title><narrative>{}</narrative></title>' \
               '</iati-activity>'
    body = [activity.format(n, "x" * 500) for n in range(300)]
    path = _write(tmp_path / "big.xml", '<iati-activities version="2.03">', *body, "<<", "</iati-activities>")
    assert path.stat().st_size > 2 * CHUNK
    acts, problems = [], []
    with pytest.raises(DamagedFile) as err:
        acts.extend(read_iati([path], problems))
    # the activities of the chunks before the break were yielded; the import refuses them with the file
    assert 0 < len(acts) < 300 and [a.iati_identifier for a in acts] == [f"XX-{n}" for n in range(len(acts))]
    assert problems == []
    assert err.value.problems == [(f"{path}:302", "not well-formed XML (not well-formed (invalid token) at column 1) "
                                                  "after the document's start: the file is damaged; nothing is "
                                                  "imported, the store is unchanged")]


def test_a_break_before_any_activity_is_damage_too(tmp_path):
    path = _write(tmp_path / "bad.xml", '<iati-activities version="2.03">', '<a></b>')
    with pytest.raises(DamagedFile, match="^" + re.escape(f"{path}:2: not well-formed XML (mismatched tag at column 5) "
                                                          "after the document's start: the file is damaged;")):
        _read(path)


def test_a_file_that_is_not_xml_is_a_problem_of_its_own_and_the_rest_is_read(tmp_path):
    json_file = tmp_path / "a.xml.gz"
    json_file.write_bytes(gzip.compress(b'{"iati-activities": []}'))
    good = _write(tmp_path / "b.xml", '<iati-activities version="2.03">',
                  '<iati-activity><iati-identifier>XX-1</iati-identifier></iati-activity>', '</iati-activities>')
    acts, problems = _read(json_file, good)
    assert [a.iati_identifier for a in acts] == ["XX-1"]
    assert problems == [(f"{json_file}:1", "not XML: not well-formed (invalid token) at column 0; the file is skipped")]


@pytest.mark.parametrize("text, line, why", [
    ('<iati-activities version="2.03">\n<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n'
     '<iati-activity><iati-ident', 3, "unclosed token at column 15"),
    ('<iati-activities version="2.03">\n<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n'
     '<iati-activity>', 3, "no element found at column 15"),
    ('<?xml version="1.0"?>\n<iati-acti', 2, "unclosed token at column 0"),  # cut before the root element is whole
])
def test_xml_that_ends_early_is_a_damaged_file(tmp_path, text, line, why):
    path = tmp_path / "cut.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DamagedFile) as err:
        _read(path)
    assert err.value.problems == [(f"{path}:{line}", f"the XML ends early ({why}): the file is damaged; nothing is "
                                                     "imported, the store is unchanged")]


def test_gzip_recognised_by_its_magic_number_not_its_name(tmp_path):
    text = '<iati-activities version="2.03"><iati-activity><iati-identifier>{}</iati-identifier></iati-activity>' \
           '</iati-activities>'
    (tmp_path / "a.xml").write_bytes(gzip.compress(text.format("GZ").encode()))
    (tmp_path / "b.xml.gz").write_text(text.format("PLAIN"), encoding="utf-8")
    acts, problems = _read(tmp_path)
    assert [a.iati_identifier for a in acts] == ["GZ", "PLAIN"] and problems == []


def test_corrupt_gzip_messages(tmp_path):
    text = "<iati-activities version=\"2.03\">\n" + "".join(
        f"<iati-activity><iati-identifier>XX-{n}</iati-identifier></iati-activity>\n" for n in range(3)) \
        + "</iati-activities>\n"
    data = gzip.compress(text.encode())
    (tmp_path / "a_truncated.xml.gz").write_bytes(data[:-20])
    (tmp_path / "b_crc.xml.gz").write_bytes(data[:-8] + bytes(8))
    (tmp_path / "c_not_deflate.xml.gz").write_bytes(data[:10] + b"\xff" * 20)
    # the data that could be decompressed are parsed (read1: a chunk cut short is not lost with the error), so
    # the line is where the damage shows: the truncated file's data end in line 3, the CRC is checked at the end
    damage = {"a_truncated.xml.gz": (3, 1, "Compressed file ended before the end-of-stream marker was reached"),
              "b_crc.xml.gz": (6, 3, "CRC check failed 0x0 != 0x{:x}".format(gzip.zlib.crc32(text.encode()))),
              "c_not_deflate.xml.gz": (1, 0, "Error -3 while decompressing data: invalid block type")}
    for name, (line, read, why) in damage.items():
        acts, problems = [], []
        with pytest.raises(DamagedFile) as err:
            acts.extend(read_iati([tmp_path / name], problems))
        assert [a.iati_identifier for a in acts] == [f"XX-{n}" for n in range(read)] and problems == []
        assert err.value.problems == [(f"{tmp_path / name}:{line}", f"corrupt gzip data ({why}): the file is "
                                                                     "damaged; nothing is imported, the store is "
                                                                     "unchanged")]


def test_what_each_refusal_of_defusedxml_is_called():
    # forbid_dtd refuses every DTD before an entity or external reference in it is seen: the other
    # refusals cannot come from a file, so their wording is checked here
    assert _defused_reason(DTDForbidden("r", None, None)) == "the file has a DTD (<!DOCTYPE ...>)"
    assert _defused_reason(EntitiesForbidden("lol", "v", None, None, None, None)) == \
        "the file declares an entity (lol)"
    assert _defused_reason(ExternalReferenceForbidden(None, None, "file:///etc/passwd", None)) == \
        "the file refers to an external resource"
    assert _defused_reason(DefusedXmlException()) == "DefusedXmlException"


def test_a_file_that_cannot_be_opened(tmp_path):
    path = tmp_path / "sock.xml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert _read(path) == ([], [(str(path), "cannot be read: No such device or address")])


def test_iati_files_picks_xml_files_of_folders_sorted(tmp_path):
    for name in ["c.xml", "B.XML", "a.Xml.Gz", "d.xml.gz.txt", "e.json", "f.gz"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "g.xml").mkdir()
    (tmp_path / "g.xml" / "h.xml").write_text("x")
    other = tmp_path / "other.txt"
    other.write_text("x")
    problems: list = []
    assert list(iati_files([tmp_path, str(other), tmp_path / "nope"], problems)) == [
        tmp_path / "B.XML", tmp_path / "a.Xml.Gz", tmp_path / "c.xml", other]
    assert problems == [(str(tmp_path / "nope"), "no such file or folder")]


# ------------------------------------------------------------------ organisation refs

@pytest.mark.parametrize("ref,expected", [
    ("gb-chc-123", RefClass("registry", "GB-CHC", "123", None)),
    ("gb-chc-gb-chc-1", RefClass("registry", "GB-CHC", "1", "doubled prefix 'GB-CHC-' removed")),
    (" GB-CHC-GB-CHC-1\t", RefClass("registry", "GB-CHC", "1",
                                    "surrounding whitespace removed; doubled prefix 'GB-CHC-' removed")),
    ("GB-CHC-GB-CHC-", RefClass("registry", "GB-CHC", "GB-CHC-", None)),
    ("GB-CHC-GB-CHCX", RefClass("registry", "GB-CHC", "GB-CHCX", None)),
    ("GB-CHC-1-2", RefClass("registry", "GB-CHC", "1-2", None)),
    ("ZZ-ABC-1", RefClass("other", None, "ZZ-ABC-1", None)),
    (" SE-0 ", RefClass("other", None, "SE-0", "surrounding whitespace removed")),
    ("G-CHC-1", RefClass("other", None, "G-CHC-1", None)),
    ("GB-CHC", RefClass("other", None, "GB-CHC", None)),
    ("dk-cvr-x | y", RefClass("pasted-label", "DK-CVR", None, None)),
    (" QQ-ABC-x | y", RefClass("pasted-label", None, None, None)),
    ("a|b", RefClass("pasted-label", None, None, None)),
    ("n/a", RefClass("placeholder", None, "n/a", None)),
    ("NA", RefClass("placeholder", None, "NA", None)),
    ("None", RefClass("placeholder", None, "None", None)),
    ("NULL", RefClass("placeholder", None, "NULL", None)),
    ("Unknown", RefClass("placeholder", None, "Unknown", None)),
    ("not applicable", RefClass("placeholder", None, "not applicable", None)),
    ("0", RefClass("placeholder", None, "0", None)),
    ("..", RefClass("placeholder", None, "..", None)),
    ("xx-123", RefClass("placeholder", None, "xx-123", None)),
    (" GB-COH-N/A ", RefClass("placeholder", None, "GB-COH-N/A", "surrounding whitespace removed")),
    # a registry's prefix before a placeholder: no identifier (234 GlobalGiving implementers in the IATI bulk)
    ("XI-BRIDGE-null", RefClass("placeholder", None, "XI-BRIDGE-null", None)),
    ("GB-CHC-unknown", RefClass("placeholder", None, "GB-CHC-unknown", None)),
    ("GB-CHC-GB-CHC-none", RefClass("placeholder", None, "GB-CHC-GB-CHC-none", "doubled prefix 'GB-CHC-' removed")),
    ("GB-CHC-nullable", RefClass("registry", "GB-CHC", "nullable", None)),
    ("tax EXEMPT", RefClass("placeholder", None, "tax EXEMPT", None)),
    ("NAB", RefClass("other", None, "NAB", None)),
    (" 21000 ", RefClass("dac-category", None, "21000", "surrounding whitespace removed")),
    ("210000", RefClass("other", None, "210000", None)),
    ("21001", RefClass("other", None, "21001", None)),
    (" 70-Private Sector", RefClass("type-label", None, "70-Private Sector", "surrounding whitespace removed")),
    ("70-private", RefClass("other", None, "70-private", None)),
    ("70-PRIVATE", RefClass("other", None, "70-PRIVATE", None)),
    ("Red\u00a0Cross ", RefClass("name", None, "Red\u00a0Cross", "surrounding whitespace removed")),
    ("GB-CHC-1 2", RefClass("name", None, "GB-CHC-1 2", None)),
])
def test_classify_ref_edges(ref, expected):
    assert classify_ref(ref) == expected


# ------------------------------------------------------------------ records

RECORDS = [
    HEAD,
    '<iati-activities version="2.03">',
    '<iati-activity default-currency="EUR" xml:lang="en">',
    '<iati-identifier>XX-1</iati-identifier>',
    '<reporting-org ref="GB-CHC-1" type="22"><narrative>Rep</narrative></reporting-org>',
    '<title><narrative>T</narrative><narrative xml:lang="fr">Tf</narrative></title>',
    '<description type="2"><narrative>Obj</narrative></description>',
    '<description type="1"><narrative>Gen</narrative></description>',
    '<description><narrative>Plain</narrative><narrative xml:lang="de">Auch</narrative></description>',
    '<activity-status code="2"/>',  # line 10
    '<activity-date type="1" iso-date="2020-01-01"/>',
    '<activity-date type="2" iso-date="2020-02-01"/>',
    '<activity-date type="2" iso-date="2020-03-01"/>',
    '<activity-date type="3" iso-date="2021-01-01"/>',
    '<participating-org role="1" type="10" ref="GB-CHC-1"><narrative>Rep again</narrative>'
    '<narrative>Rep</narrative></participating-org>',
    '<participating-org role="4" type="21"><narrative>Local</narrative></participating-org>',
    '<participating-org role="4" type="21"><narrative>Local</narrative><narrative>Lokal</narrative>'
    '</participating-org>',
    '<participating-org role="2" ref="N/A"/>',
    '<participating-org role="donor" ref="SE-0" type="40"/>',
    '<participating-org role="3" ref="XM-DAC-41AAA" type="N/A" activity-id="XM-DAC-1-A"/>',  # line 20
    '<recipient-country code="gb" percentage="50"/>',
    '<recipient-country code="XX"/>',
    '<recipient-country code="XK"/>',
    '<recipient-region code="298" percentage="20"/>',
    '<sector code="15150" percentage="100"/>',
    '<sector vocabulary="DAC-3" code="151"/>',
    '<budget type="1" status="2"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>'
    '<value value-date="2020-01-01">100</value></budget>',
    '<budget><value currency="USD">5</value></budget>',
    '<transaction><transaction-type code="3"/><transaction-date iso-date="2020-05-01"/>'
    '<value value-date="2020-05-02">10</value><provider-org ref="GB-CHC-1" provider-activity-id="GB-CHC-1-P"/>'
    '<receiver-org receiver-activity-id="R-9"><narrative>Recv</narrative></receiver-org></transaction>',
    '<transaction><transaction-type code="X"/><transaction-date iso-date="2020-06-01"/><value>1</value>'
    '<provider-org/><receiver-org type="23"/></transaction>',  # line 30
    '</iati-activity>',
    '<iati-activity><iati-identifier>XX-1</iati-identifier><title><narrative>Again</narrative></title>'
    '</iati-activity>',
    '<iati-activity default-currency="USD">',
    '<iati-identifier>XX-2</iati-identifier>',
    '<reporting-org/>',
    '<participating-org role="4"><narrative>Local</narrative></participating-org>',
    '<participating-org role="1" ref="DK-CVR-7" type="22"><narrative>Dansk</narrative></participating-org>',
    '<activity-date type="4" iso-date="2022-01-01"/>',
    '<activity-date type="3" iso-date="2021-06-01"/>',
    '<activity-date type="2" iso-date="2020-06-01"/>',  # line 40
    '<recipient-country code=" ke "/>',
    '</iati-activity>',
    '<iati-activity><iati-identifier>XX-3</iati-identifier><title><narrative>Bare</narrative></title>',
    '<participating-org role="4" ref="GB-CHC-1" type="15"/>',
    '<participating-org role="1" ref="DK-CVR-7"><narrative>Dansk</narrative><narrative>Danish</narrative>'
    '</participating-org>',
    '</iati-activity>',
    '</iati-activities>',
]


def test_records_field_by_field(tmp_path):
    path = _write(tmp_path / "r.xml", *RECORDS)
    at = f"{path}:"
    problems: list = []
    records = list(iati_records(read_iati([path], problems), problems))
    p1 = ("project", "iati", "XX-1")
    p2 = ("project", "iati", "XX-2")
    p3 = ("project", "iati", "XX-3")
    gb = ("organisation", "gb-chc", "1")
    dk = ("organisation", "dk-cvr", "7")
    local1 = ("organisation", "iati", "XX-1", "name", "Local")
    na = ("organisation", "iati", "XX-1", "4")
    dac = ("organisation", "xm-dac", "41AAA")
    recv = ("organisation", "iati", "XX-1", "name", "Recv")
    anon = ("organisation", "iati", "XX-1", "transaction", "2", "receiver")
    anon_provider = ("organisation", "iati", "XX-1", "transaction", "2", "provider")
    rep2 = ("organisation", "iati", "XX-2", "reporting-org")
    local2 = ("organisation", "iati", "XX-2", "name", "Local")
    role = lambda code: Code("iati-organisation-role", code)  # noqa: E731
    kind = lambda code: Code("iati-organisation-type", code)  # noqa: E731
    sector = Code("iati-sector-1", "15150")
    sector3 = Code("iati-sector-2", "151")
    expected = [
        Project(p1, at + "3", names=[Text("T", "en"), Text("Tf", "fr")],
                identifiers=[Identifier("IATI-ACTIVITY", "XX-1")],
                descriptions=[Text("Gen", "en"), Text("Plain", "en"), Text("Auch", "de")],
                start="2020-02-01", end="2021-01-01", planned_start="2020-01-01", actual_start="2020-02-01",
                planned_end="2021-01-01", actual_end=None, status=Code("iati-activity-status", "2"),
                budgets=[Money(Decimal("100"), "EUR", "2020-01-01", Code("iati-budget-type", "1"),
                               Code("iati-budget-status", "2"), "2020-01-01", "2020-12-31", position=1),
                         Money(Decimal("5"), "USD", position=2)],
                subjects=[sector, sector3],
                allocations=[Allocation("GB", Decimal("50")), Allocation("XK", None),
                             Allocation(Code("iati-region-1", "298"), Decimal("20")),
                             Allocation(sector, Decimal("100")), Allocation(sector3, None)],
                countries=["GB", "XK"], attributed_to=gb),
        Participation(("participation", "iati", "XX-1", "1"), at + "15", p1, gb, "funder", role("1"), 1),
        Participation(("participation", "iati", "XX-1", "2"), at + "16", p1, local1, "implementer", role("4"), 2),
        Participation(("participation", "iati", "XX-1", "3"), at + "17", p1, local1, "implementer", role("4"), 3),
        Participation(("participation", "iati", "XX-1", "4"), at + "18", p1, na, "accountable", role("2"), 4),
        Participation(("participation", "iati", "XX-1", "6"), at + "20", p1, dac, "administering-body", role("3"), 6,
                      activity=("project", "iati", "XM-DAC-1-A")),
        TransactionRecord(("transaction", "iati", "XX-1", "1"), at + "29", p1,
                          Money(Decimal("10"), "EUR", "2020-05-02"),
                          Code("iati-transaction-type", "3"), "2020-05-01", gb, recv,
                          ("project", "iati", "GB-CHC-1-P"), ("project", "iati", "R-9"), 1),
        TransactionRecord(("transaction", "iati", "XX-1", "2"), at + "30", p1, Money(Decimal("1"), "EUR"), None,
                          "2020-06-01", anon_provider, anon, None, None, 2),
        Project(p2, at + "33", identifiers=[Identifier("IATI-ACTIVITY", "XX-2")], start="2020-06-01", end="2022-01-01",
                actual_start="2020-06-01", planned_end="2021-06-01", actual_end="2022-01-01", countries=["KE"],
                allocations=[Allocation("KE", None)], attributed_to=rep2),
        Participation(("participation", "iati", "XX-2", "1"), at + "36", p2, local2, "implementer", role("4"), 1),
        Participation(("participation", "iati", "XX-2", "2"), at + "37", p2, dk, "funder", role("1"), 2),
        Project(p3, at + "43", names=[Text("Bare", "und")], identifiers=[Identifier("IATI-ACTIVITY", "XX-3")]),
        Participation(("participation", "iati", "XX-3", "1"), at + "44", p3, gb, "implementer", role("4"), 1),
        Participation(("participation", "iati", "XX-3", "2"), at + "45", p3, dk, "funder", role("1"), 2),
        Organisation(gb, at + "5", names=[Text("Rep", "en"), Text("Rep again", "en")],
                     identifiers=[Identifier("GB-CHC", "1")], country="GB", kinds=[kind("22"), kind("10"), kind("15")],
                     types={"government"}),  # two records say government (10, 15), one NGO (22): government
        Organisation(local1, at + "16", names=[Text("Local", "en"), Text("Lokal", "en")], kinds=[kind("21")],
                     types={"ngo"}),
        Organisation(na, at + "18"),
        # SE-0's only participation (role 'donor', line 19) is left out, and with it the organisation
        Organisation(dac, at + "20", identifiers=[Identifier("XM-DAC", "41AAA")]),
        Organisation(recv, at + "29", names=[Text("Recv", "en")]),
        Organisation(anon_provider, at + "30"),
        Organisation(anon, at + "30", kinds=[kind("23")], types={"ngo"}),
        Organisation(rep2, at + "35"),
        Organisation(local2, at + "36", names=[Text("Local", "und")]),
        Organisation(dk, at + "37", names=[Text("Dansk", "und"), Text("Danish", "und")],
                     identifiers=[Identifier("DK-CVR", "7")], country="DK", kinds=[kind("22")], types={"ngo"}),
    ]
    assert records == expected
    # the whole file is one chunk: the reader's problems come first, then the mapper's
    assert problems == [
        (at + "19", "participating-org role 'donor' is not an IATI OrganisationRole code: kept as written, "
                    "code left empty"),
        (at + "20", "participating-org type 'N/A' is not an IATI OrganisationType code: kept as written, "
                    "code left empty"),
        (at + "30", "transaction type 'X' is not an IATI TransactionType code: kept as written, code left empty"),
        (at + "22", "recipient-country 'XX' is not an ISO 3166-1 alpha-2 code; left out"),
        (at + "19", "participating-org role 'donor' is not an IATI OrganisationRole (1-4); the participation is "
                    "left out"),
        (at + "32", f"iati-identifier 'XX-1' already read at {at}3; this activity is left out"),
        (at + "5", "organisation 'Rep': its records' IATI organisation types say government in 2, ngo in 1 "
                   "record(s); taken as government"),
    ]


def test_the_country_of_a_registry_prefix(tmp_path):
    # XK-COA is Kosovo's registry: XK, as recipient-country XK is; XE-, XR-, ZZ- and XI- name no country
    refs = ["XK-COA-1", "XE-EXAMPLE-2", "XR-NUTS-3", "ZZ-EBID-4", "XI-IATI-5", "NO-BRC-6"]
    orgs = "".join(f'<participating-org role="4" ref="{ref}"/>' for ref in refs)
    path = _write(tmp_path / "c.xml", '<iati-activities version="2.03"><iati-activity>',
                  f'<iati-identifier>XX</iati-identifier>{orgs}</iati-activity></iati-activities>')
    problems: list = []
    records = [r for r in iati_records(read_iati([path], problems), problems) if isinstance(r, Organisation)]
    assert [(r.key, r.identifiers, r.country) for r in records] == [
        (("organisation", "xk-coa", "1"), [Identifier("XK-COA", "1")], "XK"),
        (("organisation", "xe-example", "2"), [Identifier("XE-EXAMPLE", "2")], None),
        (("organisation", "xr-nuts", "3"), [Identifier("XR-NUTS", "3")], None),
        (("organisation", "zz-ebid", "4"), [Identifier("ZZ-EBID", "4")], None),
        (("organisation", "xi-iati", "5"), [Identifier("XI-IATI", "5")], None),
        (("organisation", "no-brc", "6"), [Identifier("NO-BRC", "6")], "NO")]
    assert problems == []


def test_an_organisations_type_is_what_most_of_its_records_say():
    """ECHO's files give UN agencies type 21 (international NGO) where their other records give 40: the
    IATI bulk made UNDP, UNICEF and FAO NGOs, and USAID (620 records of type 10, one of 23) one too."""
    from ngograph.sources.iati_records import _Orgs

    orgs, problems = _Orgs(), []
    for i, code in enumerate(["40", "21", "40", "22"]):  # intergovernmental 2, ngo 2: a tie keeps both
        orgs.get("XM-DAC-41114", ("organisation", "iati", "A", str(i)), f"f.xml:{i + 1}", [Text("UNDP", "en")], code)
    for i, code in enumerate(["10", "10", "23", None, "99"]):
        orgs.get("US-GOV-1", ("organisation", "iati", "B", str(i)), f"g.xml:{i + 1}", [], code)
    orgs.get("GB-CHC-1", ("organisation", "iati", "C", "1"), "h.xml:1", [], "21")
    for i, code in enumerate(["10", "21", "22"]):  # more records first, whatever the names' order
        orgs.get("DK-CVR-2", ("organisation", "iati", "D", str(i)), f"k.xml:{i + 1}", [], code)
    for i, code in enumerate(["21", "40"]):  # a tie: by name, whatever the records' order
        orgs.get("DK-CVR-3", ("organisation", "iati", "E", str(i)), f"m.xml:{i + 1}", [], code)
    orgs.settle(problems)
    undp, usaid, one = (orgs.by_key[k] for k in (("organisation", "xm-dac", "41114"), ("organisation", "iati-ref", "US-GOV-1"),
                                                  ("organisation", "gb-chc", "1")))
    assert (undp.types, usaid.types, one.types) == ({"intergovernmental", "ngo"}, {"government"}, {"ngo"})
    assert [c.code for c in usaid.kinds] == ["10", "23", "99"]  # what each record said is kept as its classification
    assert problems == [
        ("f.xml:1", "organisation 'UNDP': its records' IATI organisation types say intergovernmental in 2, ngo in 2 "
                    "record(s); taken as intergovernmental and ngo"),
        ("g.xml:1", "organisation 'US-GOV-1': its records' IATI organisation types say government in 2, ngo in 1 record(s); "
                    "taken as government"),
        ("k.xml:1", "organisation '2': its records' IATI organisation types say ngo in 2, government in 1 record(s); "
                    "taken as ngo"),
        ("m.xml:1", "organisation '3': its records' IATI organisation types say intergovernmental in 1, ngo in 1 "
                    "record(s); taken as intergovernmental and ngo")]


def test_a_registry_prefix_before_a_placeholder_is_no_organisation_of_its_own():
    """The IATI bulk's 234 GlobalGiving implementers written XI-BRIDGE-null, none named, were one organisation,
    second of all the IATI lead partners: each is its own activity's unknown organisation."""
    from ngograph.sources.iati_records import _Orgs

    orgs = _Orgs()
    keys = [orgs.get("XI-BRIDGE-null", ("organisation", "iati", f"A{i}", "4"), f"f.xml:{i}", [], "21") for i in range(3)]
    named = orgs.get("XI-BRIDGE-null", ("organisation", "iati", "B", "4"), "f.xml:9", [Text("A Fund", "en")], None)
    real = orgs.get("XI-BRIDGE-4178346469", ("organisation", "iati", "C", "4"), "f.xml:10", [], None)
    assert keys == [("organisation", "iati", f"A{i}", "4") for i in range(3)]
    assert named == ("organisation", "iati", "B", "name", "A Fund") and orgs.by_key[named].identifiers == []
    assert real == ("organisation", "xi-bridge", "4178346469")


def test_a_recipient_country_in_alpha_3_is_read_and_reported(tmp_path):
    """The IATI bulk writes 31 recipient countries as alpha-3 (MWI, KEN ...): each names one country."""
    countries = '<recipient-country code="MWI" percentage="40"/><recipient-country code=" ken"/>' \
                '<recipient-country code="XXX"/>'
    path = _write(tmp_path / "c.xml", '<iati-activities version="2.03"><iati-activity>',
                  f'<iati-identifier>XX</iati-identifier>{countries}</iati-activity></iati-activities>')
    problems: list = []
    (project,) = [r for r in iati_records(read_iati([path], problems), problems) if isinstance(r, Project)]
    assert project.countries == ["MW", "KE"]
    assert [(a.to, a.percentage) for a in project.allocations] == [("MW", Decimal("40")), ("KE", None)]
    assert [m for _, m in problems] == [
        "recipient-country 'MWI' is an ISO 3166-1 alpha-3 code: read as MW",
        "recipient-country 'ken' is an ISO 3166-1 alpha-3 code: read as KE",
        "recipient-country 'XXX' is not an ISO 3166-1 alpha-2 code; left out"]


def test_a_budget_left_out_does_not_renumber_the_ones_after_it(tmp_path):
    """A budget's IRI is its place among the activity's budgets, counting the ones left out: fixing the source's
    second budget mints the third's IRI again, and the other way round."""
    def budget_iris(second: str) -> set[str]:
        path = _write(tmp_path / "b.xml", HEAD, '<iati-activities version="2.03">',
                      '<iati-activity default-currency="EUR"><iati-identifier>XX-1</iati-identifier>',
                      '<budget><value>1</value></budget>', second, '<budget><value>3</value></budget>',
                      '</iati-activity>', '</iati-activities>')
        (a,), _ = _read(path)
        em = Emitter("https://example.org/", "https://example.org/dataset/x", Roles({}, set()))
        for record in iati_records([a], []):
            em.emit(record)
        return {t.object.value for t in ox.parse(em.take(), format=ox.RdfFormat.N_TRIPLES)
                if t.predicate.value == "https://w3id.org/ngograph/def#budget"}

    project = "https://example.org/project/iati/XX-1"
    assert budget_iris('<budget><value> </value></budget>') == {f"{project}/budget/1", f"{project}/budget/3"}
    assert budget_iris('<budget><value>2</value></budget>') == {f"{project}/budget/{n}" for n in (1, 2, 3)}
