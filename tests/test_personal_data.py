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
from ngograph.records.personal import NAME_REMOVED, REMOVED, personal_data, redact

from conftest import BASE, DATA

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
def test_scanner_finds_national_phone_numbers_when_asked_or_after_a_label(text):
    """A bare national form could be an identifier; after a phone label it is a number, found always."""
    bare = text.removeprefix("tālr.: ")
    assert personal_data(f"no. {bare}, fax", national=True) == ["phone number"]
    assert personal_data(f"no. {bare}, fax") == []
    for label in ("tel. ", "Tel.: ", "tālr. ", "tālrunis ", "telefonas ", "tlf. ", "phone: ", "mob. ", "fax "):
        assert personal_data(f"{label}{bare}, fax") == ["phone number"], label
        assert personal_data(f"{label}{bare}, fax", national=True) == ["phone number"], label


@pytest.mark.parametrize("text", ["Hotel 2019 12 31", "mobility 2020-2021", "Telefonica 600000", "tel. 12345", "fax"])
def test_a_label_without_a_number_or_inside_a_word_is_no_phone_number(text):
    assert personal_data(text) == []


@pytest.mark.parametrize("text", ["+371 " + "67123456", "00371 " + "67123456", "tel. " + "67123456"])
def test_each_form_is_found_by_its_own_mark(text):
    """A number with a plus and no 00, with 00 and no plus, after a label with neither: each found on its own (the
    quick test for where a form can be must not need another form's mark)."""
    assert personal_data(f"Kontakts {text}") == ["phone number"]
    assert redact(f"Kontakts {text}") == (f"Kontakts {text[:5] if text.startswith('tel') else ''}{REMOVED}",
                                          ["phone number"])


def test_redact_takes_out_addresses_and_numbers_and_keeps_the_rest():
    text = f"Danish Red Cross, tālr.: {LV_LANDLINE}; e-pasts: {EMAILS[0]}, {INTERNATIONAL[0]}, grant {LV_MOBILE}"
    assert redact(text) == (f"Danish Red Cross, tālr.: {REMOVED}; e-pasts: {REMOVED}, {REMOVED}, grant {LV_MOBILE}",
                            ["phone number", "e-mail address", "phone number"])
    assert redact(NOT_PERSONAL[0]) == (NOT_PERSONAL[0], [])


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_scanner_leaves_dates_amounts_coordinates_and_identifiers_alone(text):
    assert personal_data(text, national=True) == []


@pytest.mark.parametrize("text, names", [
    ("Dr. Ana said so", ["Dr. Ana"]),  # a lower-case word ends the name
    ("Dr. Ana Maria de", ["Dr. Ana Maria"]),  # a particle at the end is no part of it
    ("Sra. Ana de la Cruz", ["Sra. Ana de la Cruz"]),  # between two capitalised words it is
    ("Mr. Li", ["Mr. Li"]), ("Ms. is here", []), ("Dr. de Vries", ["Dr. de Vries"]), ("Dr. de la", []),
    ("Dr. Ana said Mr. Li and Mrs Olsen", ["Dr. Ana", "Mr. Li", "Mrs Olsen"]),  # the search goes on after each
    ("Mr.  Li", []), ("Dr Kongo, Sr. Program Manager, Prof", []),  # two spaces; DR Congo; senior; a title alone
    ("Dr. Ana del Río", ["Dr. Ana del Río"]), ("Mr. Jan van der Berg", ["Mr. Jan van der Berg"]),  # del, der: whole
    ("Prof. Dr. Hans Müller", ["Prof. Dr. Hans Müller"]), ("Dr. Ahmed al-Hassan", ["Dr. Ahmed al-Hassan"]),
    ("Dr. Ahmed bin-al-Rashid", ["Dr. Ahmed bin-al-Rashid"]), ("Dr. Ahmed well-known", ["Dr. Ahmed"]),
    ("Mr. Smith-jones", ["Mr. Smith-jones"]), ("Mr. X", ["Mr. X"]),  # capitalised at its start; one letter
    ("Dr. Reddy's Foundation", []), ("the Mr Price Foundation", []), ("Riverside Dr. Suite 200", []),  # no people
    ("Dr. Mr", []),  # titles alone
    ("Dr. Ana Lee During the visit", ["Dr. Ana Lee"]), ("Mr. Li And the team", ["Mr. Li"]),  # a word that ends a name
    ("Dr. And", ["Dr. And"]), ("Dr. Ana Lee And", ["Dr. Ana Lee"]),  # ... but not as the first word after the title
    ("Mr. Will Lastname visited", ["Mr. Will Lastname"]), ("Prof. Firstname Said", ["Prof. Firstname Said"]),  # names too
    ("Dr. Or Cohen", ["Dr. Or Cohen"]), ("Ms. To Thi Ha", ["Ms. To Thi Ha"]), ("Dr. Ana Will Lastname", ["Dr. Ana Will Lastname"]),
    ("Dr. Kim In Sook", ["Dr. Kim In Sook"]), ("Dr. Nguyen The Anh", ["Dr. Nguyen The Anh"]),
    ("Mr. Firstname Has", ["Mr. Firstname Has"]), ("Dr. Ana Lee In December", ["Dr. Ana Lee In December"]),
    ("Report by Dr. Ana Lee Or Mr. Li Wei.", ["Dr. Ana Lee Or", "Mr. Li Wei"]),  # a title ends a name: both found
    ("Dr. Ana Lee Thanks Mr Li", ["Dr. Ana Lee Thanks", "Mr Li"]),
])
def test_titled_names(text, names):
    """A person's name after a title, as imports take it out of descriptions: the titles and the capitalised words
    after them."""
    from ngograph.records.personal import _titled_names

    assert [text[a:b] for a, b in _titled_names(text)] == names
    kept, kinds = redact(text, names=True)
    assert kinds == ["person's name"] * len(names) and kept.count(NAME_REMOVED) == len(names)
    assert personal_data(text, names=True) == kinds
    assert redact(text) == (text, []) and personal_data(text) == []  # in a name or a title: "Dr. Reddy's" is kept


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


# ---------------------------------------------------------------- imported sources: contact details taken out

def test_imports_take_contact_details_out_of_every_text_and_report_each(tmp_path, built):
    """Third-party sources print contact persons (an IATI description ending in an official's address): an import
    keeps the record and its text, with each address and number taken out and reported at the record."""
    from conftest import FIXTURES
    from ngograph.store.embedded import write_store
    from ngograph.store.imports import import_source

    contact = f"Contact: Dr. Firstname Lastname, {EMAILS[0]}, tel. {INTERNATIONAL[5]}"  # a title names a person
    iati = tmp_path / "iati.xml"
    text = (FIXTURES / "sources" / "iati" / "dportal15_nordic_ngos.xml").read_text(encoding="utf-8")
    assert text.count("COVID-19: Do not leave deaf people behind!") == 2  # the title and the description
    iati.write_text(text.replace("COVID-19: Do not leave deaf people behind!", "COVID-19: Do not leave deaf people "
                                 f"behind! {contact}"), encoding="utf-8")
    giving = tmp_path / "baring.json"
    text = (FIXTURES / "sources" / "giving360" / "baring.json").read_text(encoding="utf-8")
    assert text.count('"name": "Comic Relief Limited"') == 1
    giving.write_text(text.replace('"name": "Comic Relief Limited"', f'"name": "Comic Relief Limited, tālr.: {LV_LANDLINE}"')
                      .replace('"title": "Climate Change"', f'"title": "Climate Change {EMAILS[1]}"'), encoding="utf-8")
    link = tmp_path / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    summaries = [import_source(link, "iati", [iati], BASE), import_source(link, "360giving", [giving], BASE)]
    assert sorted((loc.removeprefix(f"{tmp_path}/"), msg) for s in summaries for loc, msg in s.problems
                  if "taken out" in msg) == [
        ("baring.json#/grants/0", "names: phone number taken out (the graph names no people)"),  # the recipient
        ("baring.json#/grants/1", "names: e-mail address taken out (the graph names no people)"),  # the grant's title
        ("iati.xml:3", "descriptions: person's name and e-mail address and phone number taken out (the graph names no "
                       "people)"),
        ("iati.xml:3", "names: e-mail address and phone number taken out (the graph names no people)"),  # the title
    ]
    path, _ = export_store(link, tmp_path / "all.nt", "nt")
    exported = path.read_text(encoding="utf-8")
    # national=False: a Danish CVR number (25191501) has the shape of a Latvian mobile number
    assert personal_data(exported) == [] and LV_LANDLINE not in exported and EMAILS[1] not in exported
    # the text kept with its language (the narrative's xml:lang)
    assert exported.count(f'"COVID-19: Do not leave deaf people behind! Contact: {NAME_REMOVED}, {REMOVED}, '
                          f'tel. {REMOVED}"@da') == 1  # the description; in the title (a name) the titled name is kept
    assert exported.count(f'"COVID-19: Do not leave deaf people behind! Contact: Dr. Firstname Lastname, {REMOVED}, '
                          f'tel. {REMOVED}"@da') == 2
    assert f'"Comic Relief Limited, t\\u0101lr.: {REMOVED}"' in exported or f'"Comic Relief Limited, tālr.: {REMOVED}"' in exported
