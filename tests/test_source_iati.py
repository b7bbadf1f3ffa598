"""The IATI reader (ngograph.sources.iati) on fixtures cut from the real files.

Counts are checked twice: against an independent count of the raw fixtures made here with
xml.etree.ElementTree, and against the hand counts of tests/fixtures/sources/iati/FIXTURES.md.
Every record's location is checked against the raw file: its line holds the element's start tag.
The opt-in test at the end (``NGOGRAPH_REAL=1``) reads the whole covid bulk of ../shared/datasets.
"""

from __future__ import annotations

import gzip
import os
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.errors import SourceError
from ngograph.records.personal import EMAIL_RE, personal_data
from ngograph.sources.iati import Activity, classify_ref, read_iati, registration_agencies

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "iati"
IMPORTABLE = ["dportal15_nordic_ngos.xml", "dportal97_textual_codes.xml", "bulk_awkward_mix.xml",
              "globalgiving_no_currency.xml"]
REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "iati-covid-bulk"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(paths, problems=None):
    problems = [] if problems is None else problems
    return list(read_iati(paths, problems)), problems


@pytest.fixture(scope="module")
def fixture_run():
    return read([FIXTURES / name for name in IMPORTABLE])


@pytest.fixture(scope="module")
def by_id(fixture_run):
    return {a.iati_identifier: a for a in fixture_run[0]}


def test_fixture_files_exist():
    assert sorted(p.name for p in FIXTURES.glob("*.xml*")) == sorted(
        IMPORTABLE + ["billion_laughs.xml", "xxe_external_entity.xml", "legacy_dfid_out_v1.xml", "dportal_140.xml.gz"])


def et_counts(names):
    """Independent counts of the raw fixtures with ElementTree."""
    c = Counter()
    for name in names:
        for act in ET.parse(FIXTURES / name).getroot().iter("iati-activity"):
            c["activities"] += 1
            for po in act.findall("participating-org"):
                c["participating_orgs"] += 1
                c["po_no_ref"] += not (po.get("ref") or "").strip()
            for tx in act.findall("transaction"):
                c["transactions"] += 1
                c["tx_negative"] += (tx.findtext("value") or "").strip().startswith("-")
                c["tx_no_currency"] += tx.find("value").get("currency") is None
            c["budgets"] += len(act.findall("budget"))
    return c


def test_counts_match_elementtree_and_hand_counts(fixture_run):
    activities, problems = fixture_run
    assert problems == []
    pos = [po for a in activities for po in a.participating_orgs]
    txs = [t for a in activities for t in a.transactions]
    ours = Counter(activities=len(activities), participating_orgs=len(pos), transactions=len(txs),
                   budgets=sum(len(a.budgets) for a in activities),
                   po_no_ref=sum(not (po.ref or "").strip() for po in pos),
                   tx_negative=sum(t.value < 0 for t in txs), tx_no_currency=sum(t.currency_is_default for t in txs))
    assert ours == et_counts(IMPORTABLE)
    # FIXTURES.md, "Expected totals over fixtures 1-4"
    assert ours == Counter(activities=11, participating_orgs=24, transactions=64, budgets=6, po_no_ref=4,
                           tx_negative=2, tx_no_currency=2)
    assert Counter(po.role for po in pos) == {"1": 11, "2": 4, "3": 3, "4": 6}


@pytest.mark.parametrize("name,activities,pos,txs,budgets", [
    ("dportal15_nordic_ngos.xml", 3, 7, 5, 3), ("dportal97_textual_codes.xml", 2, 4, 47, 1),
    ("bulk_awkward_mix.xml", 4, 9, 10, 2), ("globalgiving_no_currency.xml", 2, 4, 2, 0)])
def test_per_file_hand_counts(name, activities, pos, txs, budgets):
    acts, problems = read([FIXTURES / name])
    assert problems == []
    assert (len(acts), sum(len(a.participating_orgs) for a in acts), sum(len(a.transactions) for a in acts),
            sum(len(a.budgets) for a in acts)) == (activities, pos, txs, budgets)


def located(activity: Activity):
    """(location, start tag) of the activity and of every part of it."""
    yield activity.location, "<iati-activity"
    if activity.reporting_org:
        yield activity.reporting_org.location, "<reporting-org"
    for tag, items in [("<participating-org", activity.participating_orgs), ("<description", activity.descriptions),
                       ("<activity-date", activity.activity_dates), ("<sector", activity.sectors),
                       ("<recipient-country", activity.recipient_countries),
                       ("<recipient-region", activity.recipient_regions), ("<budget", activity.budgets),
                       ("<transaction", activity.transactions)]:
        for item in items:
            yield item.location, tag
    for t in activity.transactions:
        for org, tag in ((t.provider_org, "<provider-org"), (t.receiver_org, "<receiver-org")):
            if org:
                yield org.location, tag


def test_every_location_is_the_line_of_the_start_tag(fixture_run):
    lines = {}
    checked = 0
    for activity in fixture_run[0]:
        for location, tag in located(activity):
            file, line = location.rsplit(":", 1)
            text = lines.setdefault(file, Path(file).read_text(encoding="utf-8").splitlines())
            assert tag in text[int(line) - 1], location
            checked += 1
    assert checked > 150


def test_identifiers_kept_as_written(by_id):
    assert {"DK-CVR-14766383 HP 405-266", "DK-CVR-36980214-Palestine, State of-1010306-91-CIV",
            "FI-3-2020- 2020000599", "XI-IATI-EC_ECHO-ECHO/HTI/EDF/2020/01000",
            "US-EIN-300108263-GGProj:19061"} <= set(by_id)


def test_activity_fields(by_id):
    a = by_id["DK-CVR-14766383 HP 405-266"]
    assert (a.default_currency, a.xml_lang, a.hierarchy, a.version, a.activity_status) == ("DKK", "da", "1", "2.03", "2")
    assert [(d.type, d.iso_date) for d in a.activity_dates] == [
        ("1", "2021-01-01"), ("2", "2021-01-01"), ("3", "2021-12-31"), ("4", "2021-12-31")]
    assert a.reporting_org.ref == "DK-CVR-14766383" and a.reporting_org.type == "22"
    assert a.reporting_org.narratives[0] == ("Disabled People\u2019s Organisations Denmark", "da")
    assert [(s.vocabulary, s.code, s.percentage) for s in a.sectors] == [
        ("1", "15150", Decimal("100")), ("1", "15160", Decimal("100"))]
    po = a.participating_orgs[0]
    assert (po.position, po.role, po.type, po.ref, po.activity_id, po.crs_channel_code, po.narratives) == (
        1, "1", "22", "DK-CVR-14766383", "HP 405-266", "20000", [])
    b = a.budgets[0]
    assert (b.position, b.type, b.status, b.period_start, b.period_end, b.value, b.currency, b.value_date) == (
        1, "1", "2", "2021-01-01", "2021-12-31", Decimal("500000"), "DKK", "2021-01-01")
    t = a.transactions[0]
    assert (t.position, t.type, t.date, t.value, t.currency, t.value_date) == (
        1, "3", "2021-02-01", Decimal("250000"), "DKK", "2021-02-01")
    assert (t.provider_org.ref, t.provider_org.activity_id, t.receiver_org.ref) == (
        "DK-CVR-14766383", "HP 405-266", "DK-CVR-13093113")


def test_dac_id_written_as_activity_id_stays_as_written(by_id):
    po = [p for p in by_id["DK-CVR-25191501-DK-CVR-25191501-P20-007EG"].participating_orgs if p.ref is None]
    assert len(po) == 1 and po[0].activity_id == "XM-DAC-3-1"


def test_textual_codes_normalised_raw_kept(by_id):
    a = by_id["XI-IATI-OFID-14604"]
    assert [(p.role, p.role_raw) for p in a.participating_orgs] == [("1", "FUNDING"), ("1", "FUNDING"), ("4", "IMPLEMENTING")]
    assert [(d.type, d.type_raw) for d in a.activity_dates] == [("2", "START-ACTUAL")]
    assert Counter((t.type, t.type_raw) for t in a.transactions) == {("3", "D"): 43, ("2", "C"): 3}
    assert sum(t.value == 0 for t in a.transactions) == 45
    unpf = by_id["XI-IATI-UNPF-JOR-19/DDA-3560/SA2/Sh./INGO/14827"]
    assert unpf.version == "2.02"  # d-portal's iati-activities:version, under a 2.03 root


def test_negative_values_multilingual_and_mojibake(by_id):
    nl = by_id["NL-KVK-27378529-DSS220NA01"]
    assert [(t.type, t.value) for t in nl.transactions if t.value < 0] == [("2", Decimal("-3600")), ("1", Decimal("-3600"))]
    assert {(s.vocabulary, s.code, s.percentage) for s in nl.sectors if s.vocabulary == "7"} == {("7", "6", Decimal("1"))}
    fi = by_id["FI-3-2020- 2020000599"]
    assert {n.lang for n in fi.title} == {"en", "fi"}
    assert {n.lang for d in fi.descriptions for n in d.narratives} == {"en", "fi"}
    assert [(r.code, r.vocabulary, r.percentage) for r in fi.recipient_regions] == [("998", "1", Decimal("100"))]
    assert [p.ref for p in fi.participating_orgs] == ["FI-3", "22000"]
    echo = by_id["XI-IATI-EC_ECHO-ECHO/HTI/EDF/2020/01000"]
    names = [n.text for p in echo.participating_orgs for n in p.narratives]
    assert any("g\ufffdn\ufffdrale" in name for name in names)  # mojibake kept as written


def test_mangled_ref_kept_as_written(by_id):
    a = by_id["XM-DAC-3-1-285834-34233"]
    assert a.participating_orgs[0].ref == "DK-CVR-DK-CVR\u00a0|\u00a0Danish Central Busine"
    assert a.activity_dates[0].iso_date == "1900-01-01"
    assert a.budgets[0].status is None


def test_currency_falls_back_to_default_currency(by_id):
    a = by_id["US-EIN-300108263-GGProj:19061"]
    t = a.transactions[0]
    assert (t.value, t.currency, t.currency_is_default, t.value_date) == (Decimal("125"), "USD", True, "2014-12-18")
    assert a.last_updated == "2019-09-28T11:27:51.000"
    assert a.version == "2.03" and a.xml_lang == "en"
    assert all(n.lang == "en" for n in a.title)
    assert [(s.vocabulary, s.percentage) for s in a.sectors if s.vocabulary == "5"][0][1] is None


def test_narratives_match_elementtree(fixture_run):
    """Titles and participating-org names: the non-empty narratives ElementTree sees, in order."""
    acts = {a.iati_identifier: a for a in fixture_run[0]}
    for name in IMPORTABLE:
        for el in ET.parse(FIXTURES / name).getroot().iter("iati-activity"):
            a = acts[el.findtext("iati-identifier").strip()]
            default = el.get(XML_LANG).lower()
            title = [((n.text or "").strip(), (n.get(XML_LANG) or default).lower())
                     for n in el.find("title").findall("narrative") if (n.text or "").strip()]
            assert [tuple(n) for n in a.title] == title
            pos = [[(n.text or "").strip() for n in po.findall("narrative") if (n.text or "").strip()]
                   for po in el.findall("participating-org")]
            assert [[n.text for n in po.narratives] for po in a.participating_orgs] == pos


def test_no_contact_info_and_no_personal_data_in_fixtures(fixture_run):
    for path in FIXTURES.glob("*.xml"):
        text = path.read_text(encoding="utf-8")
        assert "<contact-info" not in text and not EMAIL_RE.search(text), path
    for a in fixture_run[0]:
        texts = [n.text for n in a.title] + [n.text for d in a.descriptions for n in d.narratives]
        texts += [n.text for p in a.participating_orgs for n in p.narratives]
        assert all(personal_data(t) == [] for t in texts), a.iati_identifier


# --- files that are refused ------------------------------------------------------------------------

def test_legacy_file_one_problem_rest_goes_on():
    acts, problems = read([FIXTURES / "legacy_dfid_out_v1.xml", FIXTURES / "globalgiving_no_currency.xml"])
    assert len(acts) == 2
    assert len(problems) == 1
    location, message = problems[0]
    assert location.startswith(str(FIXTURES / "legacy_dfid_out_v1.xml") + ":") and "IATI 1.x is not imported" in message


def test_file_without_version_and_identifiers_is_legacy(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text('<iati-activities>\n<iati-activity><iati-identifier/><title>x</title></iati-activity>\n'
                    '<iati-activity><iati-identifier/></iati-activity>\n</iati-activities>\n', encoding="utf-8")
    assert read([path]) == ([], [(f"{path}:2", "IATI 1.x is not imported (no version 2.0x and no iati-identifier): "
                                               "file skipped")])


def test_json_in_gzip_is_one_problem_naming_the_file():
    acts, problems = read([FIXTURES / "dportal_140.xml.gz", FIXTURES / "dportal15_nordic_ngos.xml"])
    assert len(acts) == 3
    assert [p[0] for p in problems] == [f"{FIXTURES / 'dportal_140.xml.gz'}:1"]
    assert problems[0][1] == "not XML: not well-formed (invalid token) at column 0; the file is skipped"


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe_external_entity.xml"])
def test_dtd_and_entities_refused_fast(name):
    start = time.perf_counter()
    acts, problems = read([FIXTURES / name])
    assert time.perf_counter() - start < 1.0
    assert acts == []
    assert problems == [(f"{FIXTURES / name}:2", "refused: the file has a DTD (<!DOCTYPE ...>); DTDs, entities and "
                                                 "external references are never read (XML safety)")]


def test_even_a_harmless_doctype_is_refused_by_defusedxml(tmp_path):
    # plain expat would read this file; the refusal comes from defusedxml's forbid_dtd
    path = tmp_path / "doctype.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE iati-activities>\n<iati-activities version="2.03">'
                    '<iati-activity><iati-identifier>A</iati-identifier></iati-activity></iati-activities>')
    acts, problems = read([path])
    assert acts == [] and "refused: the file has a DTD" in problems[0][1]


def activity_xml(identifier, body="", attrs='default-currency="EUR" xml:lang="EN"'):
    return f'<iati-activity {attrs}>\n<iati-identifier>{identifier}</iati-identifier>\n{body}</iati-activity>\n'


def write_activities(path, *activities, version="2.03"):
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n{"".join(activities)}</iati-activities>\n'
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write(text)
    return path


def test_corrupt_and_truncated_gzip_are_damaged_files(tmp_path):
    good = write_activities(tmp_path / "a.xml.gz", *[activity_xml(f"XX-A-{n}") for n in range(3)])
    data = good.read_bytes()
    for name, damaged in (("b_truncated.xml.gz", data[: len(data) // 2]), ("c_crc.xml.gz", data[:-8] + bytes(8))):
        (tmp_path / name).write_bytes(damaged)
        with pytest.raises(SourceError) as err:
            read([good, tmp_path / name])
        [(loc, msg)] = err.value.problems
        assert (Path(loc).name.split(":")[0], msg.split(" (")[0]) == (name, "corrupt gzip data")
        assert msg.endswith("): the file is damaged; nothing is imported, the store is unchanged")


def test_xml_broken_after_its_start_is_a_damaged_file_and_an_empty_file_a_problem(tmp_path):
    path = write_activities(tmp_path / "a.xml", *[activity_xml(f"XX-A-{n}") for n in range(3)], "<<\n")
    (tmp_path / "empty.xml").write_bytes(b"")
    with pytest.raises(SourceError) as err:
        read([tmp_path / "empty.xml", path])
    assert err.value.problems == [
        (f"{path}:12", "not well-formed XML (not well-formed (invalid token) at column 1) after the document's start: "
                       "the file is damaged; nothing is imported, the store is unchanged")]
    assert read([tmp_path / "empty.xml"]) == ([], [(str(tmp_path / "empty.xml"), "empty: no XML in the file")])


def test_a_bare_activity_as_root_is_read(tmp_path):
    path = tmp_path / "one.xml"
    path.write_text(activity_xml("XX-ONE", attrs='version="2.03"'), encoding="utf-8")
    acts, problems = read([path])
    assert [(a.iati_identifier, a.version, a.location) for a in acts] == [("XX-ONE", "2.03", f"{path}:1")]
    assert problems == []


def test_folders_sorted_other_files_ignored_missing_path_reported(tmp_path):
    write_activities(tmp_path / "b.xml", activity_xml("XX-B"))
    write_activities(tmp_path / "a.xml.gz", activity_xml("XX-A"))
    (tmp_path / "SOURCE.txt").write_text("not read")
    (tmp_path / "sub").mkdir()
    write_activities(tmp_path / "sub" / "c.xml", activity_xml("XX-C"))
    acts, problems = read([tmp_path, tmp_path / "missing.xml"])
    assert [a.iati_identifier for a in acts] == ["XX-A", "XX-B"]
    assert problems == [(str(tmp_path / "missing.xml"), "no such file or folder")]


def test_problems_raised_as_source_error_after_the_last_activity(tmp_path):
    write_activities(tmp_path / "a.xml", activity_xml("XX-A"), "<iati-activity><title/></iati-activity>\n")
    seen = []
    with pytest.raises(SourceError) as err:
        for a in read_iati([tmp_path / "a.xml"]):
            seen.append(a.iati_identifier)
    assert seen == ["XX-A"]
    assert err.value.problems == [(f"{tmp_path / 'a.xml'}:6", "iati-activity without an iati-identifier: skipped")]


# --- per-element problems ------------------------------------------------------------------------------

def test_bad_elements_skipped_activity_kept(tmp_path):
    body = ("<participating-org role=\"donor\" type=\"Multilateral\" ref=\" GB-GOV-1 \"/>\n"
            "<participating-org role=\"Accountable\" type=\"\"/>\n"
            "<activity-date type=\"start-planned\" iso-date=\"2020-01-01\"/>\n"
            "<activity-date type=\"1\"/>\n"
            "<sector vocabulary=\"DAC-3\" code=\"151\" percentage=\"abc\"/>\n"
            "<sector vocabulary=\"DAC-3\" code=\"151\" percentage=\"33.30\"/>\n"
            "<budget><period-start iso-date=\"2020-02-30\"/><value>5</value></budget>\n"
            "<budget><value currency=\"USD\">-7.50</value></budget>\n"
            "<transaction><transaction-type code=\"D\"/><transaction-date iso-date=\"314804\"/><value>1</value></transaction>\n"
            "<transaction><transaction-type code=\"IF\"/><transaction-date iso-date=\"2020-01-01\"/><value>12,5</value></transaction>\n"
            "<transaction><transaction-type code=\"X\"/><transaction-date iso-date=\"2020-01-01\"/><value>-3</value></transaction>\n"
            "<contact-info><email>office.contact" + "@" + "example.org</email></contact-info>\n")
    path = write_activities(tmp_path / "a.xml", activity_xml("  XX-A 1  ", body))
    acts, problems = read([path])
    (a,) = acts
    assert a.iati_identifier == "XX-A 1"
    po, blank = a.participating_orgs
    assert (po.role, po.role_raw, po.type, po.type_raw, po.ref) == (None, "donor", "40", "Multilateral", " GB-GOV-1 ")
    assert (blank.position, blank.role, blank.type, blank.type_raw, blank.ref) == (2, "2", None, "", None)
    assert [(d.type, d.type_raw) for d in a.activity_dates] == [("1", "start-planned")]
    assert [(s.vocabulary, s.vocabulary_raw, str(s.percentage)) for s in a.sectors] == [("2", "DAC-3", "33.30")]
    assert [(b.position, b.value, b.currency) for b in a.budgets] == [(2, Decimal("-7.50"), "USD")]
    assert [(t.position, t.type, t.type_raw, t.value) for t in a.transactions] == [(3, None, "X", Decimal("-3"))]
    assert "example.org" not in repr(a)
    where = f"{path}:"
    assert problems == [
        (where + "5", "participating-org role 'donor' is not an IATI OrganisationRole code: kept as written, "
                      "code left empty"),
        (where + "8", "activity-date skipped: no @iso-date"),
        (where + "9", "sector skipped: percentage 'abc' is not a number"),
        (where + "11", "budget skipped: period-start/@iso-date '2020-02-30' is not a date (YYYY-MM-DD)"),
        (where + "13", "transaction skipped: transaction-date/@iso-date '314804' is not a date (YYYY-MM-DD)"),
        (where + "14", "transaction skipped: value '12,5' is not a number"),
        (where + "15", "transaction type 'X' is not an IATI TransactionType code: kept as written, code left empty"),
    ]


def test_memory_stays_flat_on_a_large_file(tmp_path):
    padding = "<result><description><narrative>" + "x" * 5000 + "</narrative></description></result>\n"
    path = write_activities(tmp_path / "big.xml", *[activity_xml(f"XX-{n}", padding) for n in range(2000)])
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_iati([path], []))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 2000
    assert peak < 2_000_000  # well under the 10 MB file: one activity and one chunk at a time


# --- organisation refs --------------------------------------------------------------------------------------

def test_registration_agency_codelist():
    agencies = registration_agencies()
    assert len(agencies) == 539
    assert agencies["GB-CHC"] == "active" and agencies["XI-BRIDGE"] == "withdrawn"
    assert "US-GOV" not in agencies and "XT-IATI" not in agencies


@pytest.mark.parametrize("ref,expected", [
    # registry identifiers (survey §5)
    ("GB-CHC-1081769", ("registry", "GB-CHC", "1081769", None)),
    ("XM-DAC-3-1", ("registry", "XM-DAC", "3-1", None)),
    ("XI-IATI-EC_ECHO", ("registry", "XI-IATI", "EC_ECHO", None)),
    ("DK-CVR-20700211", ("registry", "DK-CVR", "20700211", None)),
    ("NO-BRC-977538319", ("registry", "NO-BRC", "977538319", None)),
    ("XI-BRIDGE-4178346469", ("registry", "XI-BRIDGE", "4178346469", None)),
    # repaired
    ("GB-CHC-GB-CHC-1081769", ("registry", "GB-CHC", "1081769", "doubled prefix 'GB-CHC-' removed")),
    ("US-EIN-US-EIN-13-2702768", ("registry", "US-EIN", "13-2702768", "doubled prefix 'US-EIN-' removed")),
    ("GB-GOV-1 ", ("registry", "GB-GOV", "1", "surrounding whitespace removed")),
    # generic DAC channel categories
    ("22000", ("dac-category", None, "22000", None)),
    ("21000", ("dac-category", None, "21000", None)),
    # the parts of a sector (the IATI bulk gives 11001 to Swedish agencies and Italian embassy offices alike,
    # 61009 to a Finnish consultancy and a ministry of finance), each end of each range
    *((code, ("dac-category", None, code, None)) for code in ("11001", "11004", "12001", "12004", "60000", "61009",
                                                              "62003", "63099")),
    # one body's code, and codes a publisher keeps for one body (UNDP's 12711 "UNDP Funding Windows")
    *((code, ("other", None, code, None)) for code in ("41114", "21016", "12711", "11363", "11005", "12005", "64001",
                                                        "60100", "10003")),
    # placeholders
    ("N/A", ("placeholder", None, "N/A", None)),
    ("No Identifier", ("placeholder", None, "No Identifier", None)),
    ("Not available", ("placeholder", None, "Not available", None)),
    ("#", ("placeholder", None, "#", None)),
    (";", ("placeholder", None, ";", None)),
    ("Excluded", ("placeholder", None, "Excluded", None)),
    ("-", ("placeholder", None, "-", None)),
    ("DUMMY CONTRACT", ("placeholder", None, "DUMMY CONTRACT", None)),
    ("DUMMY01", ("placeholder", None, "DUMMY01", None)),
    ("GB-CHC-n/a", ("placeholder", None, "GB-CHC-n/a", None)),
    ("GB-CHC-Exempt Charity", ("placeholder", None, "GB-CHC-Exempt Charity", None)),
    # labels pasted into the ref
    ("DK-CVR-DK-CVR\u00a0|\u00a0Danish Central Busine", ("pasted-label", "DK-CVR", None, None)),
    ("XM-DAC-XM-DAC\u00a0|\u00a0OECD Development Assi", ("pasted-label", "XM-DAC", None, None)),
    ("70-Private Sector", ("type-label", None, "70-Private Sector", None)),
    # names as refs
    ("Innovations for Poverty Action (IPA)", ("name", None, "Innovations for Poverty Action (IPA)", None)),
    ("Danish Refugee Council", ("name", None, "Danish Refugee Council", None)),
    # other stable refs without a registry prefix
    ("SE-0", ("other", None, "SE-0", None)),
    ("DAC-1601", ("other", None, "DAC-1601", None)),
    ("41AAA", ("other", None, "41AAA", None)),
    ("46004", ("other", None, "46004", None)),
    ("US-GOV-1", ("other", None, "US-GOV-1", None)),
    ("KR-GOV-051", ("other", None, "KR-GOV-051", None)),
    ("XT-IATI-EC_INTPA", ("other", None, "XT-IATI-EC_INTPA", None)),
    # nothing
    (None, ("empty", None, None, None)),
    ("", ("empty", None, None, None)),
    ("\u00a0 ", ("empty", None, None, None)),
])
def test_classify_ref(ref, expected):
    assert tuple(classify_ref(ref)) == expected


def test_classify_ref_on_fixture_refs(fixture_run):
    kinds = Counter(classify_ref(po.ref).kind for a in fixture_run[0] for po in a.participating_orgs)
    # 24 participating-orgs: 4 without a ref, one 22000, one pasted DK-CVR label, FI-3 (Finland's MFA,
    # no registry prefix), the rest registry refs
    assert kinds == {"registry": 17, "empty": 4, "dac-category": 1, "pasted-label": 1, "other": 1}


# --- the whole real bulk (opt-in) ---------------------------------------------------------------------------

@pytest.mark.real
@pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not REAL.is_dir(),
                    reason="set NGOGRAPH_REAL=1 and provide ../shared/datasets/iati-covid-bulk")
def test_real_covid_bulk_totals():
    problems = []
    c = Counter()
    roles = Counter()
    for a in read_iati([REAL], problems):
        c["activities"] += 1
        c["participating_orgs"] += len(a.participating_orgs)
        c["transactions"] += len(a.transactions)
        c["budgets"] += len(a.budgets)
        roles.update(po.role_raw for po in a.participating_orgs)
    skipped = Counter(message.split(" skipped")[0] for _, message in problems)
    # survey.md §1: 13,200 activities, 45,808 participating-orgs, 77,475 transactions, 38,473 budgets
    assert c["activities"] == 13_200
    assert c["participating_orgs"] == 45_808
    assert c["transactions"] + skipped["transaction"] == 77_475 and skipped["transaction"] == 21
    assert c["budgets"] == 38_473
    assert roles == {"1": 16_887, "4": 13_771, "2": 8_236, "3": 6_905, "FUNDING": 6, "IMPLEMENTING": 3}
    assert [loc for loc, msg in problems if msg.startswith("not XML: ")] == [f"{REAL / 'dportal_140.xml.gz'}:1"]
