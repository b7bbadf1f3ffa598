"""The 360Giving reader on grants cut from the real files (tests/fixtures/sources/giving360; see
/work/notes/sources/giving360/FIXTURES.md). Counts are checked against an independent count made
here with json and csv, and against the hand counts of FIXTURES.md."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.config import PROJECT_ROOT
from ngograph.errors import DamagedFile
from ngograph.sources.giving360 import GivingGrant, read_giving360, read_grants_csv, read_grants_json

FIX = Path(__file__).parent / "fixtures" / "sources" / "giving360"
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
REAL = pytest.mark.skipif(os.environ.get("NGOGRAPH_REAL") != "1" or not DATASETS.is_dir(),
                          reason="opt-in: NGOGRAPH_REAL=1 and ../shared/datasets")
JSON_FILES = ["baring", "dulverton", "nominet", "ocf1", "ocf2", "ocf3", "stack", "wolfson"]
CSV_FILE = FIX / "IndigoTrust_360giving.csv"


def raw_grants(stem: str) -> list[dict]:
    return json.loads((FIX / f"{stem}.json").read_text(encoding="utf-8"))["grants"]


def raw_csv() -> list[dict]:
    with open(CSV_FILE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_fixture_files_exist():
    assert sorted(p.stem for p in FIX.glob("*.json")) == JSON_FILES
    assert CSV_FILE.is_file()


@pytest.mark.parametrize("stem,count,total", [
    ("baring", 3, "140000.0"), ("dulverton", 4, "51000.0"), ("nominet", 3, "220567.0"), ("ocf1", 2, "3914.0"),
    ("ocf2", 3, "4442.67"), ("ocf3", 2, "4500.0"), ("wolfson", 4, "1740000.0")])
def test_standard_files(stem, count, total):
    grants = list(read_grants_json(FIX / f"{stem}.json", []))
    raw = raw_grants(stem)
    assert len(grants) == len(raw) == count
    assert [g.id for g in grants] == [r["id"] for r in raw]
    assert [g.location for g in grants] == [f"{stem}.json#/grants/{i}" for i in range(count)]
    assert {g.layout for g in grants} == {"standard"}
    assert sum(g.amount_awarded for g in grants) == Decimal(total)
    assert [g.amount_awarded.text for g in grants] == [repr(r["amountAwarded"]) for r in raw]
    assert all(len(g.recipient_organization) == 1 and len(g.funding_organization) == 1 for g in grants)
    assert not any(g.shifted for g in grants)


def test_dates_at_their_precision():
    nominet = list(read_grants_json(FIX / "nominet.json", []))
    assert [g.award_date.precision for g in nominet] == ["month"] * 3
    assert nominet[0].planned_dates[0].start_date.text == raw_grants("nominet")[0]["plannedDates"][0]["startDate"]
    assert nominet[0].planned_dates[0].start_date.precision == "day"
    baring = list(read_grants_json(FIX / "baring.json", []))
    assert baring[0].award_date.precision == "day" and baring[0].date_modified.iso.endswith("Z")
    assert [p.duration for g in baring for p in g.planned_dates] == [12, 12, 12]  # `Planned Dates` object
    assert baring[2].planned_dates[0].start_date.iso == "2015-03-02" and baring[2].planned_dates[0].end_date is None
    dulverton = list(read_grants_json(FIX / "dulverton.json", []))
    assert all(g.planned_dates[0].start_date and g.planned_dates[0].end_date for g in dulverton)
    assert "Project Start Date" not in dulverton[0].extra and dulverton[0].extra.get("Website")


def test_countries_reported_not_guessed():
    problems = []
    wolfson = list(read_grants_json(FIX / "wolfson.json", problems))
    assert [g.recipient_organization[0].address_country_code for g in wolfson] == ["GB", None, None, "GB"]
    assert [g.recipient_organization[0].address_country for g in wolfson] == ["UK", "ISRAEL", "COMMONWEALTH", "UK"]
    assert problems == [
        ("wolfson.json#/grants/1", "/grants/1/recipientOrganization/0/addressCountry: country 'ISRAEL' is not an "
                                   "ISO 3166-1 code: kept as written, no code given"),
        ("wolfson.json#/grants/2", "/grants/2/recipientOrganization/0/addressCountry: country 'COMMONWEALTH' is not "
                                   "an ISO 3166-1 code: kept as written, no code given")]
    child = wolfson[3]
    assert child.amount_awarded == 0 and child.related_activity == ("360G-wolfson-19837",)
    assert child.extra["Related Activity Description"] == "Parent Grant"
    problems = []
    dulverton = list(read_grants_json(FIX / "dulverton.json", problems))
    assert [g.recipient_organization[0].address_country_code for g in dulverton] == [None, "GB", None, None]
    assert [loc for loc, _ in problems] == [f"dulverton.json#/grants/{i}" for i in (0, 2, 3)]


def test_flat_stack_file_and_shifted_records():
    problems = []
    grants = list(read_grants_json(FIX / "stack.json", problems))
    raw = raw_grants("stack")
    assert len(grants) == len(raw) == 9
    assert {g.layout for g in grants} == {"flat"}
    assert [g.location for g in grants if g.shifted] == ["stack.json#/grants/3", "stack.json#/grants/5"]
    shifted = grants[3]
    assert shifted.amount_awarded is None and shifted.award_date is None
    assert shifted.funding_organization[0].id == raw[3]["FundingOrgIdentifier"]  # kept as written
    assert any("columns shifted" in p for p in shifted.problems)
    valid = [g for g in grants if not g.shifted]
    assert Counter(g.currency for g in valid) == {"GBP": 6, "USD": 1}
    assert sum(g.recipient_organization[0].id == "DUMMY01" for g in grants) == 3
    assert {g.file for g in grants} == {r["File"] for r in raw} and all(g.publisher for g in grants)
    dates = {g.id: g.award_date for g in valid}
    assert dates["360G-baringfoundation-20130059"].iso == "2014-03-17"
    assert dates["360G-nominettrust-10"].precision == "month"
    assert any(d.precision == "datetime" for d in dates.values())
    assert {loc for loc, _ in problems} == {"stack.json#/grants/3", "stack.json#/grants/5"}


def test_csv_file():
    problems = []
    grants = list(read_grants_csv(CSV_FILE, problems))
    raw = raw_csv()
    assert len(grants) == len(raw) == 12
    assert [g.id for g in grants] == [r["Identifier"] for r in raw]
    assert [g.location for g in grants] == [f"IndigoTrust_360giving.csv:row {n}" for n in range(1, 13)]
    assert sum(g.amount_awarded for g in grants) == Decimal("375289.73")
    assert len({g.recipient_organization[0].id for g in grants}) == len({r["Recipient Org:Identifier"]
                                                                        for r in raw}) == 10
    assert len({g.funding_organization[0].id for g in grants}) == 1
    assert {g.award_date.precision for g in grants} == {"datetime"}
    assert sum("\n" in (g.description or "") + (g.recipient_organization[0].street_address or "")
               + (g.recipient_organization[0].alternate_name or "") for g in grants) >= 3
    assert sum(g.planned_dates[0].duration is None for g in grants) == sum(
        r["Planned Dates:Duration (months)"] == "Undefined" for r in raw) == 1
    assert {b.country_code for g in grants for b in g.beneficiary_location} >= {"GB", "ZA", "US"}
    assert grants[0].extra == {k: v for k, v in raw[0].items() if k == "Internal Organisation ID" and v}
    assert all(loc.startswith("IndigoTrust_360giving.csv:row ") for loc, _ in problems)
    assert any(m.startswith("Recipient Org:Country: country 'USA'") for _, m in problems)


def test_whole_folder_ids_for_deduplication():
    problems = []
    grants = list(read_giving360(FIX, problems))
    assert len(grants) == sum(len(raw_grants(s)) for s in JSON_FILES) + len(raw_csv()) == 42
    assert len({g.id for g in grants}) == 40
    assert not [p for p in problems if "already" in p[1]]  # the mapper's to report
    assert all(isinstance(g, GivingGrant) for g in grants)


def test_json_of_another_shape_is_reported_and_the_rest_goes_on(tmp_path):
    (tmp_path / "a.json").write_text('{"grants": [{"id": "x-1", "amountAwarded": 5}, 7]}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"other": 1}', encoding="utf-8")
    (tmp_path / "c.json").write_text('[1, 2]', encoding="utf-8")
    # valid JSON whose grants are no array: reported, not damaged (it refused the whole folder)
    (tmp_path / "d.json").write_text('{"grants": {"a": 1}}', encoding="utf-8")
    (tmp_path / "e.json").write_text('{"x": [], "grants": null}', encoding="utf-8")
    # an amount of 5,001 digits: said at its grant (Python's int() refused it, which made the file damaged)
    (tmp_path / "f.json").write_text('{"grants": [{"id": "x-2", "amountAwarded": 1' + "0" * 5000 + '}], "n": 1}',
                                     encoding="utf-8")
    # after the array: a publisher's statistics read as they are (NaN), a DOS end-of-file mark; "grants" again: said
    (tmp_path / "h.json").write_text('{"grants": [{"id": "x-3"}],"stats": {"mean": NaN, "n": 1' + "0" * 5000 + '},'
                                     '"grants": [{"id": "x-4"}]}\x1a', encoding="utf-8")  # no space after a comma
    problems = []
    grants = list(read_giving360([tmp_path, FIX / "ocf1.json"], problems))
    assert [g.id for g in grants] == ["x-1", "x-2", "x-3"] + [r["id"] for r in raw_grants("ocf1")]
    assert problems.pop(6) == ("h.json", "'grants' stands twice in the top-level object: the second array is not read")
    assert grants[0].amount_awarded == 5 and grants[1].amount_awarded is None
    where = [loc for loc, _ in problems]
    assert where == ["a.json#/grants/1", "b.json", "c.json", "d.json", "e.json", "f.json#/grants/0"]
    assert problems[3:5] == [("d.json", "'grants' in the top-level object is not an array: the file is skipped"),
                             ("e.json", "'grants' in the top-level object is not an array: the file is skipped")]
    assert problems[5][1] == ("/grants/0/amountAwarded: '" + "1" + "0" * 55 + "… is "
                              "not an amount (10^15 or more); read as missing")  # only that: no shifted columns
    (tmp_path / "g.csv").write_text("Identifier,Title,Amount Awarded,Currency\n360G-g,T,2000000000000000,GBP\n",
                                    encoding="utf-8")  # out of range as text: the grant kept, its amount left out
    problems = []
    (grant,) = list(read_giving360([tmp_path / "g.csv"], problems))
    assert (grant.id, grant.amount_awarded, grant.shifted) == ("360G-g", None, False)
    assert [m for _, m in problems] == ["Amount Awarded: '2000000000000000' is not an amount (10^15 or more); read as "
                                        "missing"]


@pytest.mark.parametrize("text, where, why", [
    ('{"grants": [{"id": "x-1", "amountAwarded": 5}, 7, {"id": "x-2"', "a.json#/grants/2",
     "the JSON ends early (Expecting ',' delimiter at line 1 column 63)"),
    ('{"grants": [{"id": "y", "amountAwarded": NaN}]}', "a.json#/grants/0",
     "not readable as JSON (NaN is not a JSON number at line 1 column 13)"),
    ('{"grants": [' + "[" * 100_000 + "]" * 100_000 + "]}", "a.json#/grants/0",
     "not readable as JSON (nested deeper than the reader can follow, in the item at line 1 column 13)"),
    # two files run together: the second was lost without a word
    ('{"grants": [{"id": "x-1"}]}\n{"grants": [{"id": "x-2"}]}', "a.json",
     "not readable as JSON ('{' after the end of the top-level value at line 2 column 1)"),
    ('{"grants": [], "meta": {"a": [1]}} ,', "a.json",
     "not readable as JSON (',' after the end of the top-level value at line 1 column 36)"),
    ('{"grants": [{"id": "x-1"}], "meta": 1', "a.json",
     "the JSON ends early (expected '}', found 'the end of the file' at line 1 column 38)"),
    ('{"grants": []}\x1a{', "a.json",  # the DOS mark allowed, and nothing after it
     "not readable as JSON ('{' after the end of the top-level value at line 1 column 16)"),
])
def test_json_broken_after_its_start_is_a_damaged_file(tmp_path, text, where, why):
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    with pytest.raises(DamagedFile) as err:
        list(read_giving360([FIX / "ocf1.json", tmp_path / "a.json"], []))
    assert err.value.problems == [(where, f"{why}: the file is damaged; nothing is imported, the store is unchanged")]


@pytest.mark.real
@REAL
def test_real_360giving_totals():
    """Totals of the survey (notes/sources/giving360/counts.json)."""
    problems = []
    grants = list(read_giving360(DATASETS / "360giving", problems))
    assert len(grants) == 9_100 and len({g.id for g in grants}) == 5_948
    by_file = Counter(g.location.split("#")[0].split(":row")[0] for g in grants)
    assert by_file == {"baring.json": 53, "dulverton.json": 1_860, "nominet.json": 270, "ocf1.json": 156,
                       "ocf2.json": 98, "ocf3.json": 70, "stack.json": 5_945, "wolfson.json": 379,
                       "IndigoTrust_360giving.csv": 269}
    shifted = [g.location for g in grants if g.shifted]
    assert shifted == [f"stack.json#/grants/{i}" for i in (2723, 3003, 3005, 3020, 3041, 3045, 3114, 3142, 3153,
                                                            3235, 3253)]
    assert sum("columns shifted" in m for _, m in problems) == 11
    assert sum(g.award_date is not None and g.award_date.precision == "month" for g in grants) == 270 + 267


def test_what_is_a_number_in_an_amounts_place():
    """A number, or a text that is one however large; not a decimal comma or other text (shifted columns)."""
    from ngograph.sources.giving360 import _is_number
    from ngograph.sources.tabular import Number

    assert [_is_number(v) for v in (5, Number("5.5"), "5", " 12.5 ", "2000000000000000", "1,5", "Space to Imagine",
                                    "")] == [True, True, True, True, True, False, False, False]


def test_an_amounts_range_and_how_a_refused_one_is_shown():
    """Under 10^15 either way kept, 10^15 refused (a JSON number's range is tested here, not by parse_number); a
    refused value shown as written ("1e20", not "1E+20"), whole up to 58 characters."""
    from ngograph.sources.giving360 import _Builder
    from ngograph.sources.tabular import Number

    b = _Builder()
    assert [b.amount(v, "/a") for v in (999999999999999, -999999999999999)] == [999999999999999, -999999999999999]
    assert [b.amount(v, "/a") for v in (10 ** 15, -10 ** 15, Number("1e20"), "x" * 58, "x" * 59)] == [None] * 5
    assert b.notes == ["/a: '1000000000000000' is not an amount (10^15 or more); read as missing",
                       "/a: '-1000000000000000' is not an amount (10^15 or more); read as missing",
                       "/a: '1e20' is not an amount (10^15 or more); read as missing",
                       f"/a: {'x' * 58!r} is not an amount; read as missing",
                       f"/a: '{'x' * 56}… is not an amount; read as missing"]
