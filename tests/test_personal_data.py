"""No personal data: no e-mail address or phone number in data/ or in any export, and a
record that carries one is refused with its file and line. People and contact properties in
the graph are refused by ngosh:NoPeopleShape (its fixtures run in tests/test_shapes.py).

No real address, number or name is written here: the test strings are assembled from
synthetic parts in the shapes the seeds print them."""

from __future__ import annotations

import pytest

from ngograph.cli import main
from ngograph.publish.export import export_store
from ngograph.rdf.serialize import FORMATS
from ngograph.records.personal import personal_data

from conftest import DATA

# synthetic parts: an address at a reserved domain, digits that are nobody's number
AT, USER, DOMAIN = "@", "office.contact", "example.org"
LV_LANDLINE, LV_MOBILE, DIGITS = "6" + "7" + "0" * 6, "2" + "9" + "0" * 6, "0" * 7
EMAILS = [USER + AT + DOMAIN, "a-b" + AT + "sub.example.lv", "e-pasts: x" + AT + DOMAIN]
INTERNATIONAL = ["+ 371 " + LV_LANDLINE, "+371 " + LV_LANDLINE[:4] + " " + LV_LANDLINE[4:], "+370 (5) 2" + "0" * 6,
                 "(+371) " + LV_MOBILE, "00371 " + LV_LANDLINE, "+45 33 " + "00 00 00", "+44 (0) 20 " + DIGITS]
NATIONAL = ["tālr.: " + LV_LANDLINE, LV_MOBILE, "67 00 00 00", "8 5 2" + "0" * 6, "8 612 " + "0" * 5, "8" + "6" + DIGITS]
NOT_PERSONAL = ["2017 09 01 – 2017 12 31", "2017-09-01", "20190101", "444550", "597654.00", "56.9496\t24.1052",
                "1DP/1.5.2.2.2/12/APIA/SIF/176", "Q1234567", "000_d0c08a81ad6a7d61.txt", "https://example.org/a/" + LV_MOBILE,
                "12345678901234", "Interfolk – Institute for Civil Society", "+5", "partners@",
                "<actual value=\"0.0000000000\">", "15150 100 + 15160 100"]


@pytest.mark.parametrize("text", EMAILS)
def test_scanner_finds_email_addresses(text):
    assert personal_data(text) == ["e-mail address"]
    assert personal_data(f"Contact: {text}, then more words", national=True) == ["e-mail address"]


@pytest.mark.parametrize("text", INTERNATIONAL)
def test_scanner_finds_international_phone_numbers(text):
    assert personal_data(f"Phone: {text}.") == ["phone number"]
    assert personal_data(f"Phone: {text}.", national=True) == ["phone number"]


@pytest.mark.parametrize("text", NATIONAL)
def test_scanner_finds_national_phone_numbers_only_when_asked(text):
    assert personal_data(f"tel. {text}, fax", national=True) == ["phone number"]
    assert personal_data(f"tel. {text}, fax") == []


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_scanner_leaves_dates_amounts_coordinates_and_identifiers_alone(text):
    assert personal_data(text, national=True) == []


def test_scanner_reports_each_find_in_order():
    text = f"E-mail: {EMAILS[0]}, Phone: {INTERNATIONAL[0]}; tālr.: {LV_LANDLINE}"
    assert personal_data(text, national=True) == ["e-mail address", "phone number", "phone number"]


def data_files():
    return sorted(p for p in DATA.rglob("*") if p.is_file())


def test_data_files_found():
    assert len(data_files()) > 10
    assert {"organisations.yaml", "seed-003.yaml", "countries.ttl"} <= {p.name for p in data_files()}


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_no_email_or_phone_in_data(path):
    assert personal_data(path.read_text(encoding="utf-8"), national=True) == [], path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_email_or_phone_in_exports(seed_store, tmp_path, fmt):
    path, triples = export_store(seed_store, tmp_path / f"export.{FORMATS[fmt]}", fmt)
    text = path.read_text(encoding="utf-8")
    assert triples > 500 and any(f in text for f in ("schema:Organization", "<https://schema.org/Organization>",
                                                      '"https://schema.org/Organization"'))  # RDF/XML
    assert personal_data(text, national=True) == []


NAME = "    name: {en: Danish Red Cross}"


@pytest.mark.parametrize("new,kind", [
    pytest.param("    name: {en: 'Danish Red Cross, " + EMAILS[0] + "'}", "e-mail address", id="email-in-name"),
    pytest.param("    name: {en: 'Danish Red Cross " + INTERNATIONAL[0] + "'}", "phone number", id="phone-in-name"),
    pytest.param(NAME + "\n    alt_name: {en: ['" + INTERNATIONAL[1] + "']}", "phone number", id="phone-in-alt-name"),
])
def test_build_refuses_contact_details_in_records(data_copy, tmp_path, capsys, new, kind):
    f = data_copy / "organisations.yaml"
    text = f.read_text(encoding="utf-8")
    assert NAME in text
    f.write_text(text.replace(NAME, new, 1), encoding="utf-8")
    line = next(n for n, t in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
                if not t.lstrip().startswith("#") and ("+" in t or AT in t))
    store = tmp_path / "store"
    code = main(["build", "--data", str(data_copy), "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"data/organisations.yaml:{line}" in err and f"holds {kind}" in err and "never contact persons" in err
    assert "Traceback" not in err
    assert not store.exists()
