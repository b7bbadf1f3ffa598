"""Source readers and their record mappers pinned down on tiny hand-made files (issue 14): every
field of every record compared with values read off the rows by hand, the problems by their
whole text. Files are written under tmp_path; the header of each source is the fixture's."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ngograph.errors import DamagedFile
from ngograph.records.types import Code, Identifier, Money, Organisation, Participation, Project, Text
from ngograph.sources.forskningsradet import read_forskningsradet
from ngograph.sources.forskningsradet_records import forskningsradet_records
from ngograph.sources.interreg import KEYS, read_interreg
from ngograph.sources.interreg_records import interreg_records
from ngograph.sources.tabular import (SourceDate, country_code, currency_codes, location_of, mis_decoded, parse_bool,
                                      parse_date, parse_int, parse_number, snake_case)

from conftest import FIXTURES

SOURCES = FIXTURES / "sources"


# ------------------------------------------------------------------ Forskningsrådet

def _forskningsradet_csv(tmp_path, rows: list[dict]) -> str:
    fixture = SOURCES / "forskningsradet" / "dataset.csv"
    assert fixture.is_file()
    header = fixture.read_text(encoding="utf-8").splitlines()[0].split(";")
    lines = [";".join(header)] + [";".join(row.get(h, "") for h in header) for row in rows]
    path = tmp_path / "data set.csv"  # a space in the name: the row number is after the last one
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fr_row(**fields) -> dict:
    row = {"Rammeprogram": "H2020", "Prosjektnr": "101", "Prosjektkortnavn": "ACR", "Prosjektnavn": "A project",
           "Kontraktstatus": "SIGNED", "Kontrakt startdato": "01.06.2020 00:00",
           "Kontrakt sluttdato": "31.05.2024 10:30", "Program kode (H2020)": "EU.3.4.",
           "Organisasjonsnummer": "970141669", "Organisasjonsnavn": "Org AS", "Kortnavn": "ORG",
           "Organisasjon rolle": "COORDINATOR", "Deltakernr": "11", "Innvilget beløp organisasjon EUR": "1000.5"}
    row.update(fields)
    return row


def test_forskningsradet_records_field_by_field(tmp_path):
    path = _forskningsradet_csv(tmp_path, [
        _fr_row(),
        _fr_row(**{"Organisasjonsnummer": "", "Organisasjonsnavn": "Lab", "Kortnavn": "ukjent",
                   "Organisasjon rolle": "PARTICIPANT", "Deltakernr": "12", "Innvilget beløp organisasjon EUR": "0"}),
        _fr_row(**{"Prosjektnr": "102", "Prosjektnavn": "", "Prosjektkortnavn": "", "Kontraktstatus": "",
                   "Program kode (H2020)": "EURATOM", "Kontrakt startdato": "", "Organisasjonsnavn": "ukjent",
                   "Kortnavn": "ORG2", "Organisasjon rolle": "PARTICIPANT", "Deltakernr": "",
                   "Innvilget beløp organisasjon EUR": ""}),
        _fr_row(**{"Prosjektnr": "", "Deltakernr": "5"}),
        _fr_row(**{"Prosjektnr": "102", "Organisasjon rolle": "PARTNER", "Deltakernr": "4"}),
    ])
    problems: list = []
    records = list(forskningsradet_records(read_forskningsradet(path, []), problems))
    org1 = ("organisation", "no-brc", "970141669")
    p101, p102 = ("project", "cordis", "101"), ("project", "cordis", "102")
    local = ("organisation", "forskningsradet", "101", "12")
    assert records == [
        Participation(("participation", "forskningsradet", "101", "11"), "data set.csv:row 1", p101, org1,
                      "lead-partner", Code("forskningsradet-role", "COORDINATOR"), 11, contribution=Money(Decimal("1000.5"), "EUR")),
        Participation(("participation", "forskningsradet", "101", "12"), "data set.csv:row 2", p101, local, "partner",
                      Code("forskningsradet-role", "PARTICIPANT"), 12, contribution=Money(Decimal("0"), "EUR")),
        Participation(("participation", "forskningsradet", "102", "3"), "data set.csv:row 3", p102, org1, "partner",
                      Code("forskningsradet-role", "PARTICIPANT"), None, contribution=None),
        Project(p101, "data set.csv:row 1", names=[Text("A project", "en")], alt_names=[Text("ACR")],
                identifiers=[Identifier("CORDIS-PROJECT", "101")], start="2020-06-01", end="2024-05-31T10:30",
                status=Code("cordis-status", "SIGNED"), subjects=[Code("cordis-programme", "H2020-EU.3.4.")]),
        Project(p102, "data set.csv:row 3", identifiers=[Identifier("CORDIS-PROJECT", "102")], end="2024-05-31T10:30"),
        Organisation(org1, "data set.csv:row 1", names=[Text("Org AS", "nb"), Text("ORG"), Text("ORG2")],
                     identifiers=[Identifier("NO-BRC", "970141669")], country="NO"),
        Organisation(local, "data set.csv:row 2", names=[Text("Lab", "nb")], country="NO"),
    ]
    assert problems == [
        ("data set.csv:row 4", "no Prosjektnr: the row is left out"),
        ("data set.csv:row 5", "Organisasjon rolle 'PARTNER' is not COORDINATOR or PARTICIPANT; the participation is "
                               "left out")]


# ------------------------------------------------------------------ Interreg Sweden

def _ir_item(**fields) -> dict:
    item = dict.fromkeys(KEYS, "")
    item.update({"id": 1, "program": "Prog", "projekttyp": "Regular", "startdatum": "2023-01-01",
                 "slutdatum": "2025-12-31", "projektnamn": "Proj", "organisationsnamn": "Org A",
                 "organisationstyp": "NGO", "organisationsroll": "LP", "partnerbudget": 1000, "politisktmal": "PO1",
                 "specifiktmal": "RSO1.1", "projektår": 2023, "land": "Sverige", "aktiv": "true"})
    item.update(fields)
    return item


def test_interreg_records_field_by_field(tmp_path):
    path = tmp_path / "rawdata.json"
    path.write_text(json.dumps([
        _ir_item(),
        _ir_item(organisationsnamn="Org B", organisationstyp="Enterprise", organisationsroll="PP", land="",
                 partnerbudget="250.5", slutdatum="2026-01-01", specifiktmal="RSO1.2"),
        _ir_item(organisationsroll="AP", organisationstyp="Local public authority", partnerbudget=""),
        _ir_item(organisationsnamn="", organisationstyp="", organisationsroll="PP", politisktmal=""),
        _ir_item(organisationsroll="XX"),
        _ir_item(slutdatum="2022-12-31"),
        _ir_item(projekttyp=""),
        _ir_item(organisationsnamn="Org B", organisationstyp="Enterprise", organisationsroll="AP"),
        _ir_item(projekttyp="Small", slutdatum="", politisktmal="", specifiktmal="", partnerbudget=""),
    ]), encoding="utf-8")
    problems: list = []
    records = list(interreg_records(read_interreg(path, []), problems))
    project = ("Prog", "Proj", "Regular", "2023-01-01")
    pkey = ("project", "interreg", *project)
    small = ("project", "interreg", "Prog", "Proj", "Small", "2023-01-01")
    a, b = ("organisation", "interreg", "Prog", "Org A"), ("organisation", "interreg", "Prog", "Org B")
    row = ("organisation", "interreg", "Prog", "row", "rawdata.json#/3")

    def part(local, loc, org, role, code, budget=None):
        return Participation(("participation", "interreg", *project, *local), f"rawdata.json#/{loc}", pkey, org, role,
                             Code("interreg-partner-role", code), contribution=budget)

    assert records == [
        part(("Org A", "LP"), 0, a, "lead-partner", "LP", Money(Decimal("1000"), "EUR")),
        part(("Org B", "PP"), 1, b, "partner", "PP", Money(Decimal("250.5"), "EUR")),
        part(("Org A", "AP"), 2, a, "associated", "AP"),
        part(("row", "rawdata.json#/3"), 3, row, "partner", "PP", Money(Decimal("1000"), "EUR")),
        part(("Org B", "AP"), 7, b, "associated", "AP", Money(Decimal("1000"), "EUR")),
        Participation(("participation", "interreg", "Prog", "Proj", "Small", "2023-01-01", "Org A", "LP"),
                      "rawdata.json#/8", small, a, "lead-partner", Code("interreg-partner-role", "LP")),
        Project(pkey, "rawdata.json#/0", names=[Text("Proj")], start="2023-01-01", end="2025-12-31",
                subjects=[Code("interreg-policy-objective", "PO1"), Code("interreg-specific-objective", "RSO1.1"),
                          Code("interreg-specific-objective", "RSO1.2")]),
        Project(small, "rawdata.json#/8", names=[Text("Proj")], start="2023-01-01"),
        Organisation(a, "rawdata.json#/0", names=[Text("Org A")], country="SE",
                     kinds=[Code("interreg-organisation-type", "NGO"),
                            Code("interreg-organisation-type", "Local public authority")], types={"ngo", "government"}),
        Organisation(b, "rawdata.json#/1", names=[Text("Org B")], country="SE",
                     kinds=[Code("interreg-organisation-type", "Enterprise")]),
        Organisation(row, "rawdata.json#/3", country="SE"),
    ]
    assert [str(r.contribution.value.text) for r in records[:2]] == ["1000", "250.5"]
    assert problems == [
        ("rawdata.json#/1", "slutdatum 2026-01-01 differs from 2025-12-31 at rawdata.json#/0: the first is kept"),
        ("rawdata.json#/4", "organisationsroll 'XX' is not LP, PP or AP: the row is left out"),
        ("rawdata.json#/5", "slutdatum 2022-12-31 is before startdatum 2023-01-01: the row is left out "
                            "(a project cannot end before it starts)"),
        ("rawdata.json#/6", "no program, projektnamn, projekttyp or startdatum: the project has no key; the row is "
                            "left out")]


def test_read_interreg_awkward_items_and_file_reports(tmp_path):
    folder = tmp_path / "interreg"
    folder.mkdir()
    other = dict(_ir_item(), extra=1, more=2)
    del other["nuts2"], other["nuts3"]
    items = [
        5,
        other,
        _ir_item(id="7", partnerbudget="1,5", organisationstyp=7, land="Norge", slutdatum="2023-01-01"),
        _ir_item(id=True, projektår=False, partnerbudget=[1], startdatum="2024-01-01", organisationsnamn="Org B",
                 land=""),
        _ir_item(projekttyp="Small", organisationsnamn="Org B"),
        _ir_item(organisationsnamn="Org B"),
    ]
    import gzip

    with gzip.open(folder / "rawdata.json.gz", "wt", encoding="utf-8") as f:
        json.dump(items, f)
    (folder / "notes.txt").write_text("not read", encoding="utf-8")
    problems: list = []
    rows = list(read_interreg(folder, problems))
    assert [r.location for r in rows] == [f"rawdata.json.gz#/{i}" for i in range(1, 6)]
    r1, r2, r3, r4, r5 = rows
    assert r1.problems == ("key(s) absent: nuts3, nuts2", "key(s) not read: extra, more") and r1.nuts2 is None
    assert r2.problems == ("id: not a whole number: '7'; read as missing", "organisationstyp: not text: 7; read as "
                           "missing", "partnerbudget: not a number: '1,5'; read as missing",
                           "land: country 'Norge' is not an ISO 3166-1 code: kept as written, no code given")
    assert (r2.id, r2.partnerbudget, r2.land, r2.land_code, r2.ends_before_start) == (None, None, "Norge", None, False)
    assert r3.problems == ("id: not a whole number: True; read as missing",
                           "partnerbudget: not a number: [1]; read as missing",
                           "projektår: not a whole number: False; read as missing")
    assert r3.land is None and r3.land_code is None
    assert (r4.id, r4.projektar, r4.land_code, r4.aktiv, r4.partnerbudget) == (1, 2023, "SE", True, Decimal("1000"))
    assert rows[0].land_code == "SE" and r5.nuts3 is None and r5.problems == ()
    assert problems[0] == ("rawdata.json.gz#/0", "a partner row must be a JSON object, found int: skipped")
    assert problems[-2:] == [
        ("rawdata.json.gz", "Prog / 'Proj': one name, 3 projects by (projekttyp, startdatum): Regular from 2023-01-01 "
                            "(/1, /2, /5); Regular from 2024-01-01 (/3); Small from 2023-01-01 (/4)"),
        ("rawdata.json.gz", "'Org A' is LP twice in Prog / 'Proj' (/1, /2): a key of project, organisation name and "
                            "role would merge these rows")]
    assert len(problems) == 1 + 2 + 4 + 3 + 2


def test_read_interreg_refuses_a_file_broken_after_its_start(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([_ir_item()])[:-1] + ", NaN]", encoding="utf-8")
    problems: list = []
    rows: list = []
    with pytest.raises(DamagedFile) as err:
        rows.extend(read_interreg(tmp_path / "a.json", problems))
    assert [r.location for r in rows] == ["a.json#/0"] and problems == []
    column = len(json.dumps([_ir_item()])[:-1] + ", ") + 1
    assert err.value.problems == [("a.json#/1", f"not readable as JSON (NaN is not a JSON number at line 1 column "
                                                f"{column}): the file is damaged; nothing is imported, the store is "
                                                "unchanged")]


def test_open_text_counts_bad_bytes(tmp_path):
    from ngograph.sources.tabular import open_text

    (tmp_path / "bad.csv").write_bytes(b"a\xff\xfeb\nc\xffd\n")
    with open_text(tmp_path / "bad.csv") as stream:
        assert stream.read() == "a\ufffd\ufffdb\nc\ufffdd\n"
        assert stream.bad_bytes() == 3


def test_orgnr_valid():
    from ngograph.sources.forskningsradet import orgnr_valid

    assert orgnr_valid("970141669") and orgnr_valid("919303808")
    assert not orgnr_valid("9701416690") and not orgnr_valid("97014166a") and not orgnr_valid("97014166")
    assert not orgnr_valid("\uff19\uff17\uff10\uff11\uff14\uff11\uff16\uff16\uff19")  # full-width digits
    assert not orgnr_valid("970141668") and not orgnr_valid("")


# ------------------------------------------------------------------ tabular: the cell parsers

@pytest.mark.parametrize("text, comma, value, written", [
    ("0", True, "0", "0"), ("-12", True, "-12", "-12"), ("+3.50", True, "3.50", "+3.50"), ("1e3", True, "1E+3", "1e3"),
    ("2.5E-2", True, "0.025", "2.5E-2"), ("825357,5", True, "825357.5", "825357,5"), ("-1,25", True, "-1.25", "-1,25"),
])
def test_parse_number(text, comma, value, written):
    n = parse_number(text, decimal_comma=comma)
    assert n == Decimal(value) and n.text == written


@pytest.mark.parametrize("text, comma", [("1,5", False), ("1.000,50", True), ("1 000", True), ("", True),
                                         ("1,", True), (",5", True), ("1.", True), ("12a", True), ("1,2,3", True)])
def test_parse_number_refuses(text, comma):
    with pytest.raises(ValueError) as err:
        parse_number(text, decimal_comma=comma)
    assert str(err.value) == f"not a number: {text!r}"


def test_parse_int_and_bool():
    assert (parse_int("0"), parse_int("36"), parse_int("007")) == (0, 36, 7)
    for text in ("", "-1", "1.0", "١٢", "3 "):
        with pytest.raises(ValueError) as err:
            parse_int(text)
        assert str(err.value) == f"not a whole number: {text!r}"
    assert [parse_bool(t) for t in ("true", "FALSE", "Ja", "nej", "yes", "No")] == [True, False, True, False, True, False]
    with pytest.raises(ValueError) as err:
        parse_bool("maybe")
    assert str(err.value) == "not a yes/no value: 'maybe'"


@pytest.mark.parametrize("text, iso, precision", [
    ("2019-02-28", "2019-02-28", "day"), ("2019-02", "2019-02", "month"), ("2019", "2019", "year"),
    ("2014-07-16T13:50", "2014-07-16T13:50", "datetime"), ("2014-07-16 13:50:05", "2014-07-16T13:50:05", "datetime"),
    ("2014-07-16T13:50:05.25+02:00", "2014-07-16T13:50:05.25+02:00", "datetime"),
    ("2014-07-16T00:00:00Z", "2014-07-16T00:00:00Z", "datetime"),
    ("4.5.2015", "2015-05-04", "day"), ("04.05.2015 23:59", "2015-05-04T23:59", "datetime"),
    ("7/3/2014", "2014-03-07", "day"), ("17/03/2014 08:05:09", "2014-03-17T08:05:09", "datetime"),
    ("8/2013", "2013-08", "month"), ("12/2013", "2013-12", "month"),
    ("19 April 2013", "2013-04-19", "day"), ("1 sep 2013", "2013-09-01", "day"), ("31 December 1999", "1999-12-31", "day"),
])
def test_parse_date(text, iso, precision):
    assert parse_date(text) == SourceDate(text, iso, precision)


@pytest.mark.parametrize("text, message", [
    ("2019-13-01", "impossible date '2019-13-01': month must be in 1..12"),
    ("2019-02-29", "impossible date '2019-02-29': day is out of range for month"),
    ("13/2013", "impossible date '13/2013': month must be in 1..12"),
    ("2019-00", "impossible date '2019-00': month must be in 1..12"),
    ("0000", "impossible date '0000': year 0 is out of range"),
    ("01.01.2015 24:00", "impossible date '01.01.2015 24:00': hour must be in 0..23"),
    ("2015-01-01T10:60", "impossible date '2015-01-01T10:60': minute must be in 0..59"),
    ("2015-01-01T10:00:61", "impossible date '2015-01-01T10:00:61': second must be in 0..59"),
    ("19 Avril 2013", "not a date: '19 Avril 2013'"), ("20190101", "not a date: '20190101'"),
    ("2019-1-01", "not a date: '2019-1-01'"), ("", "not a date: ''"),
])
def test_parse_date_refuses(text, message):
    with pytest.raises(ValueError) as err:
        parse_date(text)
    assert str(err.value) == message


def test_source_date_first_day():
    import datetime as dt

    assert [parse_date(t).date for t in ("2019", "2019-02", "2019-02-03", "2019-02-03T10:00")] == [
        dt.date(2019, 1, 1), dt.date(2019, 2, 1), dt.date(2019, 2, 3), dt.date(2019, 2, 3)]


def test_country_code_and_currencies():
    assert country_code("EL") == ("GR", None) and country_code("UK") == ("GB", None)
    assert country_code("SE") == ("SE", None) and country_code("XK") == ("XK", None)
    assert country_code("NA") == ("NA", "country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value")
    assert country_code("Sverige", {"Sverige": "SE"}) == ("SE", None)
    assert country_code("SWE") == (None, "country 'SWE' is not an ISO 3166-1 code: kept as written, no code given")
    assert country_code("Norge", {"Sverige": "SE"})[0] is None and country_code("se")[0] is None
    assert country_code("XX") == (None, "country 'XX' is not an ISO 3166-1 code: kept as written, no code given")
    codes = currency_codes()
    assert {"EUR", "NOK", "SEK", "GBP", "USD"} <= codes and "DKR" not in codes and "GB" not in codes
    assert len(codes) > 150


def test_names_locations_and_mis_decoding():
    assert snake_case("Søknadsfrist") == "soknadsfrist"
    assert snake_case("  Æble--Øst  ") == "aeble_ost"
    assert snake_case("recipientOrgID") == "recipient_org_id"
    assert snake_case("ß đ Ł") == "ss_d_l"
    assert snake_case("Xtra data X") == "xtra_data_x" and snake_case("_a_") == "a"
    assert location_of("/x/y/h2020.csv", row=3) == "h2020.csv:row 3"
    assert location_of("a.json", pointer="/0") == "a.json#/0"
    assert location_of("a.json") == "a.json"
    assert mis_decoded("Tr\u00f8ndelag") is None and mis_decoded("TrÃ¸ndelag") == "Ã¸"
    assert mis_decoded("a\u2013b") is None and mis_decoded("aâ€“b") == "â€" and mis_decoded("ｱ") == "ｱ"


# ------------------------------------------------------------------ tabular: files, delimiters, JSON streaming

def test_header_of_sniffs_the_delimiter_outside_quotes(tmp_path):
    from ngograph.sources.tabular import header_of

    cases = {'a;"b,c,d";e': ["a", "b,c,d", "e"], "a,b;c,d": ["a", "b;c", "d"], "a\tb\tc;d": ["a", "b", "c;d"],
             "a\tb": ["a", "b"], "a": ["a"], 'x;"y;z"': ["x", "y;z"]}
    for i, (line, header) in enumerate(cases.items()):
        path = tmp_path / f"h{i}.csv"
        path.write_text(line + "\n1\n", encoding="utf-8")
        assert header_of(path) == header, line
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert header_of(tmp_path / "empty.csv") is None and header_of(tmp_path / "missing.csv") is None


JSON_TEXT = ('  [ {"name": "a long name that crosses many chunk boundaries \\\\u00e6 \\" quoted",'
             ' "n": 123456789012, "x": 1.5e10, "ok": true, "no": false, "none": null},'
             ' 7 , -0.25 , "short" , [ [ 1 , 2 ] , { } ] , 1234567890123456789 ]  ')


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 64, 1 << 16])
def test_json_stream_reads_values_cut_at_any_chunk_boundary(chunk):
    import io

    from ngograph.sources.tabular import _JsonStream

    js = _JsonStream(io.StringIO(JSON_TEXT), json.JSONDecoder(), chunk)
    js.expect("[")
    values = []
    while True:
        values.append(js.value())
        if js.peek() == "]":
            js.expect("]")
            break
        js.expect(",")
    assert values == json.loads(JSON_TEXT)
    assert js.peek() == ""
    with pytest.raises(ValueError) as err:
        js.expect(",")
    assert str(err.value) == "expected ',', found 'the end of the file'"


@pytest.mark.parametrize("text, message", [
    ('{"a": 1}', "expected '[', found '{' at line 1 column 1"),
    ('', "expected '[', found 'the end of the file' at line 1 column 1"),
    ('\n\n  <html>', "expected '[', found '<' at line 3 column 3"),
])
def test_iter_json_array_skips_a_file_that_is_not_a_json_array(tmp_path, text, message):
    from ngograph.sources.tabular import iter_json_array

    (tmp_path / "j.json").write_text(text, encoding="utf-8")
    problems: list = []
    assert list(iter_json_array(tmp_path / "j.json", None, problems)) == []
    assert problems == [("j.json", f"not JSON of the shape read here, an array ({message}): the file is skipped")]


@pytest.mark.parametrize("text, where, message, count", [
    ('[{"a": 1}', "j.json#/0", "the JSON ends early (expected ',', found 'the end of the file' at line 1 "
                               "column 10)", 1),
    ('[{"a": 1}\n\n', "j.json#/0", "the JSON ends early (expected ',', found 'the end of the file' at line 3 "
                                    "column 1)", 1),
    ('[{"a": 1} {"b": 2}]', "j.json#/0", "not readable as JSON (expected ',', found '{' at line 1 column 11)", 1),
    ('[1, "unterminated', "j.json#/1", "the JSON ends early (Unterminated string starting at line 1 column 5)", 1),
    ('[1,\n {"a": ', "j.json#/1", "the JSON ends early (Expecting value at line 2 column 8)", 1),
    ('[1, Infinity]', "j.json#/1", "not readable as JSON (Infinity is not a JSON number at line 1 column 5)", 1),
])
def test_iter_json_array_refuses_a_file_broken_after_its_start(tmp_path, text, where, message, count):
    from ngograph.sources.tabular import iter_json_array

    (tmp_path / "j.json").write_text(text, encoding="utf-8")
    problems: list = []
    items: list = []
    with pytest.raises(DamagedFile) as err:
        items.extend(iter_json_array(tmp_path / "j.json", None, problems))
    assert len(items) == count and problems == []
    assert err.value.problems == [(where, f"{message}: the file is damaged; nothing is imported, the store is "
                                          "unchanged")]


_ITEMS = [json.dumps({"k": "x" * 30})] * 40
_BROKEN = '{"k": "x", "n": NaN}'


@pytest.mark.parametrize("text, place", [
    ("[\n" + ",\n".join("  " + item for item in _ITEMS) + ",\n  " + _BROKEN + "]", "line 42 column 3"),
    ("[" + ", ".join(_ITEMS) + ", " + _BROKEN + "]", f"line 1 column {1 + len(', '.join(_ITEMS)) + 2 + 1}"),
    ("[1,\n" + ", ".join(_ITEMS) + ", " + _BROKEN + "]", f"line 2 column {len(', '.join(_ITEMS)) + 2 + 1}"),
])
def test_a_json_position_counts_the_lines_and_columns_of_text_already_dropped(tmp_path, monkeypatch, text, place):
    """The reader keeps only the text of the next item: a damage's line and column count what went before."""
    from ngograph.sources.tabular import _JsonStream, iter_json_array

    (tmp_path / "j.json").write_text(text, encoding="utf-8")
    monkeypatch.setattr(_JsonStream.__init__, "__defaults__", (64,))  # small chunks: the lines read leave the buffer
    with pytest.raises(DamagedFile) as err:
        list(iter_json_array(tmp_path / "j.json", None, []))
    assert err.value.problems[0][0] == f"j.json#/{40 + text.startswith('[1,')}"
    assert f"(NaN is not a JSON number at {place})" in err.value.problems[0][1]


def test_read_table_awkward_rows_field_by_field(tmp_path):
    from ngograph.sources.tabular import Column, read_table

    columns = [Column("id", "id"), Column("n", "n", parse_int), Column("when", "when", parse_date, required=False),
               Column("name", "name", missing=frozenset({"", "ukjent"})), Column("gone", "gone", required=False)]
    text = ("id;n;name;when;other;m\n"  # a column read that stands twice: tests/test_source_cordis.py
            "a;1;ukjent;2020-01;x;2\n"
            "b;x;Bee\x01;2020-13;;3\n"
            "\n"
            "c;4\n"
            "d;5;D\x01\x02;;y;6;surplus\n"
            "e;7;E;2021;z;8\n")
    (tmp_path / "t.csv").write_bytes(text.encode("utf-8") + b"f;9;F\xff;;;10\n")
    problems: list = []
    rows = list(read_table(tmp_path / "t.csv", columns, problems))
    assert [(loc, f["id"], f["n"], f["name"], f["when"].iso if f["when"] else None, f["gone"], notes)
            for loc, f, notes in rows] == [
        ("t.csv:row 1", "a", 1, None, "2020-01", None, []),
        ("t.csv:row 2", "b", None, "Bee\x01", None, None, ["n: not a whole number: 'x'; read as missing",
                                                           "when: impossible date '2020-13': month must be in 1..12; "
                                                           "read as missing"]),
        ("t.csv:row 4", "c", 4, None, None, None, ["2 cells where the header has 6: missing cells read as empty"]),
        ("t.csv:row 5", "d", 5, "D\x01\x02", None, None, ["7 cells where the header has 6: surplus cells dropped"]),
        ("t.csv:row 6", "e", 7, "E", "2021", None, []),
        ("t.csv:row 7", "f", 9, "F\ufffd", None, None, []),
    ]
    assert problems == [
        ("t.csv", "column(s) not read: 'other', 'm'"),
        ("t.csv:row 3", "empty line skipped"),
        ("t.csv", "2 cell(s) of column 'name' hold the control character U+0001, kept as written (first at row 2)"),
        ("t.csv", "1 cell(s) of column 'name' hold the control character U+0002, kept as written (first at row 5)"),
        ("t.csv", "1 byte(s) are not UTF-8: each read as U+FFFD"),
    ]


def test_read_table_extra_columns_layout_and_empty_files(tmp_path):
    from ngograph.sources.tabular import Column, read_table

    columns = [Column("id", "id"), Column("n", "n", required=False)]
    (tmp_path / "x.csv").write_text("id,other,more\na,1,\nb,,2\n", encoding="utf-8")
    problems: list = []
    rows = list(read_table(tmp_path / "x.csv", columns, problems, extra=True))
    assert [(f["id"], f["n"], f["extra"]) for _, f, _ in rows] == [("a", None, {"other": "1"}), ("b", None, {"more": "2"})]
    assert problems == []
    (tmp_path / "y.csv").write_text("a|b\n1|2\n", encoding="utf-8")
    assert list(read_table(tmp_path / "y.csv", columns, problems, delimiter="|")) == []
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    assert list(read_table(tmp_path / "e.csv", columns, problems)) == []
    assert list(read_table(tmp_path / "missing.csv", columns, problems)) == []
    assert problems == [("y.csv", "not the expected layout: column(s) 'id' missing (the header has 2 columns, "
                                  "delimiter '|')"),
                        ("e.csv", "empty file: no header row"),
                        ("missing.csv", "cannot be read: No such file or directory")]


def test_iter_json_array_under_a_key(tmp_path):
    from ngograph.sources.tabular import iter_json_array

    cases = {
        "a.json": ('{"meta": {"x": [1, 2]}, "license": "y", "a/b~c": [1, {"k": 2}], "after": 1}', "a/b~c",
                   [("/a~1b~0c/0", 1), ("/a~1b~0c/1", {"k": 2})], []),
        "b.json": ('{"meta": 1, "other": []}', "grants", [], [("b.json", "no 'grants' array in the top-level object")]),
        "c.json": ('{"grants": []}', "grants", [], []),
        "e.json": ('[]', None, [], []),
        "f.json": ('[1]', None, [("/0", 1)], []),
        "h.json": ('{"meta":1,"x":{"y":2},"grants":[3,4]}', "grants", [("/grants/0", 3), ("/grants/1", 4)], []),
    }
    for name, (text, key, items, reported) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        problems: list = []
        assert list(iter_json_array(tmp_path / name, key, problems)) == items, name
        assert [p for p in problems if "Expecting value" not in p[1]] == [p for p in reported if "Expecting" not in p[1]]
        assert len(problems) == len(reported), name
    (tmp_path / "g.json").write_bytes(b'{"grants": ["\xff"]}')
    problems = []
    assert list(iter_json_array(tmp_path / "g.json", "grants", problems)) == [("/grants/0", "\ufffd")]
    assert problems == [("g.json", "1 byte(s) are not UTF-8: each read as U+FFFD")]
    problems = []
    assert list(iter_json_array(tmp_path / "missing.json", None, problems)) == []
    assert problems == [("missing.json", "cannot be read: No such file or directory")]
    (tmp_path / "d.json").write_text('{"grants": [1, }', encoding="utf-8")
    with pytest.raises(DamagedFile) as err:
        list(iter_json_array(tmp_path / "d.json", "grants", []))
    assert err.value.problems == [("d.json#/grants/1", "not readable as JSON (Expecting value at line 1 column 16): "
                                                       "the file is damaged; nothing is imported, the store is "
                                                       "unchanged")]
    (tmp_path / "i.json").write_text('{"meta": 1, "gra', encoding="utf-8")
    with pytest.raises(DamagedFile) as err:
        list(iter_json_array(tmp_path / "i.json", "grants", []))
    assert err.value.problems == [("i.json", "the JSON ends early (Unterminated string starting at line 1 column 13): "
                                             "the file is damaged; nothing is imported, the store is unchanged")]
    problems = []
    (tmp_path / "j.json").write_text('[{"grants": []}]', encoding="utf-8")
    assert list(iter_json_array(tmp_path / "j.json", "grants", problems)) == []
    assert problems == [("j.json", "not JSON of the shape read here, an object with a 'grants' array (expected '{', "
                                   "found '[' at line 1 column 1): the file is skipped")]


def test_read_forskningsradet_notes_and_folders(tmp_path):
    import gzip
    import shutil

    folder = tmp_path / "fr"
    folder.mkdir()
    path = _forskningsradet_csv(tmp_path, [
        _fr_row(), _fr_row(**{"Organisasjonsnummer": "970141668"}), _fr_row(**{"Organisasjonsnummer": ""}),
        _fr_row(**{"Prosjektnr": "", "Vurderingspanel": "A | B"}), _fr_row(**{"Organisasjonsnummer": "111111112"})])
    with open(path, "rb") as src, gzip.open(folder / "dataset.csv.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(path, folder / "fields.csv")
    shutil.copy(path, folder / "zz.csv")  # after fields.csv: read
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    problems: list = []
    rows = list(read_forskningsradet(folder, problems))
    assert [r.location for r in rows] == [f"{n}:row {i}" for n in ("dataset.csv.gz", "zz.csv") for i in range(1, 6)]
    rows = rows[:5]
    assert [r.problems for r in rows] == [
        (), ("Organisasjonsnummer '970141668' is not a valid Norwegian organisation number (9 digits, mod-11): kept as "
             "written",),
        ("no Organisasjonsnummer (organisation number): the organisation cannot be keyed",),
        ("no Prosjektnr (project id)",),
        ("Organisasjonsnummer '111111112' is not a valid Norwegian organisation number (9 digits, mod-11): kept as "
         "written",)]
    assert [r.vurderingspanel for r in rows] == [(), (), (), ("A", "B"), ()]
    assert len(problems) == 8


def test_read_table_lists_titles_with_commas_and_reports_a_corrupt_gzip_file(tmp_path):
    """A .gz file whose deflate stream is corrupt raised zlib.error through every reader (a traceback,
    not one line): found by this test, fixed in tabular (read_table, header_of, iter_json_array)."""
    from ngograph.sources.tabular import Column, header_of, iter_json_array, read_table

    columns = [Column("id", "id"), Column("a", "a"), Column("b", "b")]
    (tmp_path / "d.csv").write_text("id,a,a,b,b,x,y\n1,2,3,4,5,6,7\n", encoding="utf-8")
    problems: list = []
    assert list(read_table(tmp_path / "d.csv", columns, problems)) == []  # which a, which b: not known
    assert problems == [("d.csv", "not the expected layout: column title(s) 'a', 'b' stand more than once, and which "
                                  "to read is not known (the header has 7 columns, delimiter ',')")]
    (tmp_path / "d.csv").write_text("id,a,b,x,y,x\n1,2,3,4,5,6\n", encoding="utf-8")
    problems = []
    assert [f for _, f, _ in read_table(tmp_path / "d.csv", columns, problems)] == [{"id": "1", "a": "2", "b": "3"}]
    assert problems == [("d.csv", "column(s) not read: 'x', 'y', 'x'")]
    problems = []
    assert list(read_table(tmp_path / "d.csv", [*columns, Column("c", "c"), Column("e", "e")], problems)) == []
    assert problems[-1] == ("d.csv", "not the expected layout: column(s) 'c', 'e' missing (the header has 6 columns, "
                                     "delimiter ',')")
    (tmp_path / "bad.csv.gz").write_bytes(b"\x1f\x8b\x08\x00garbage that is no deflate stream")
    for read in (lambda path: list(read_table(path, columns, [])), header_of):
        with pytest.raises(DamagedFile) as err:
            read(tmp_path / "bad.csv.gz")
        [(where, message)] = err.value.problems
        assert where == "bad.csv.gz" and message.startswith("not readable as CSV (corrupt gzip data: ")
        assert message.endswith("): the file is damaged; nothing is imported, the store is unchanged")
    assert header_of(tmp_path / "missing.csv") is None
    (tmp_path / "bad.json.gz").write_bytes(b"\x1f\x8b\x08\x00garbage that is no deflate stream")
    with pytest.raises(DamagedFile) as err:
        list(iter_json_array(tmp_path / "bad.json.gz", None, []))
    [(where, message)] = err.value.problems
    assert where == "bad.json.gz" and message.startswith("not readable as JSON (corrupt gzip data: ")


class _Recording:
    """A text stream that remembers the size of every read."""

    def __init__(self, text: str):
        import io

        self.inner, self.sizes = io.StringIO(text), []

    def read(self, size=-1):
        self.sizes.append(size)
        return self.inner.read(size)


def test_json_stream_reads_a_chunk_at_a_time_and_doubles_for_a_long_value():
    from ngograph.sources.tabular import _JsonStream

    text = '[' + '"' + "x" * 100 + '"' + ", 1" * 100 + "]"  # a string that no 16-character chunk holds, then 100 ones
    stream = _Recording(text)
    js = _JsonStream(stream, json.JSONDecoder(), 16)
    js.expect("[")
    assert js.value() == "x" * 100
    assert stream.sizes == [16, 16, 32, 64]  # never the whole file: memory stays that of one value
    for _ in range(100):
        js.expect(",")
        assert js.value() == 1
    assert js.peek() == "]"
    assert len(stream.sizes) > 4 and set(stream.sizes[4:]) == {16}  # a chunk again once the long value is read


def test_iter_json_array_names_the_item_and_the_count_of_lone_surrogates(tmp_path):
    from ngograph.sources.tabular import iter_json_array

    (tmp_path / "j.json").write_text('{"grants": [{"a": "x\\ud800"}, {"b\\udc00": "\\udfff"}]}', encoding="utf-8")
    problems: list = []
    items = list(iter_json_array(tmp_path / "j.json", "grants", problems))
    assert items == [("/grants/0", {"a": "x\ufffd"}), ("/grants/1", {"b\ufffd": "\ufffd"})]
    text = "lone surrogate(s) (an escaped half of a surrogate pair, without the other): each read as U+FFFD"
    assert problems == [("j.json#/grants/0", f"1 {text}"), ("j.json#/grants/1", f"2 {text}")]


def test_a_number_takes_a_decimal_comma_by_default_and_survives_pickling():
    import pickle

    from ngograph.sources.tabular import Number, parse_number

    n = parse_number("825357,5")
    assert n == Decimal("825357.5") and n.text == "825357,5"
    back = pickle.loads(pickle.dumps(n))
    assert type(back) is Number and back == Decimal("825357.5") and back.text == "825357,5"
    noise = pickle.loads(pickle.dumps(Number("329852.49999966")))
    assert noise == Decimal("329852.49999966") and noise.text == "329852.49999966"


@pytest.mark.parametrize("text, refused", [
    ("999999999999999", None), ("-999999999999999", None), ("1000000000000000", "10^15 or more"),
    ("-1000000000000000", "10^15 or more"), ("1e-18", None), ("1e-19", "finer than 10^-18"),
    ("0.1000000000000000000000", None)])
def test_numbers_at_the_edges_of_their_range(text, refused):
    """Under 10^15 either way, and down to 10^-18 (trailing zeros are no precision); beyond: OutOfRange, said."""
    from ngograph.sources.tabular import OutOfRange, _parse_number

    if refused is None:
        assert _parse_number(text) == Decimal(text)
    else:
        with pytest.raises(OutOfRange) as err:
            _parse_number(text)
        assert str(err.value) == f"out of range: {text!r} ({refused})"


def test_a_cell_swallowed_a_row_when_one_of_its_lines_has_a_rows_delimiters():
    from ngograph.sources.tabular import _swallowed

    assert _swallowed(["1", "a, b, c, d\ne"], ",", 4)  # three commas on one line: a row's
    assert not _swallowed(["1", "a,b,c\nd"], ",", 4)  # two: a cell's own text
    assert not _swallowed(["1", "a,b\nc,d\ne,f"], ",", 4)  # counted line by line, not over the cell
    assert not _swallowed(["1,2,3,4"], ",", 4)  # no line break: no swallowed row


def test_json_whole_numbers_past_18_digits_are_numbers_of_their_own():
    from ngograph.sources.tabular import Number, _whole

    assert type(_whole("1" * 18)) is int and _whole("1" * 18) == int("1" * 18)
    assert type(_whole("1" * 19)) is Number and _whole("1" * 19).text == "1" * 19
