"""IRI minting and term forms of the emitter (ngograph/rdf/emit.py): behaviours a mutation
run showed were not pinned (issue 14, part B). Values are written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.rdf.emit import Emitter, Roles, date_literal, date_parts, literal, mint_path
from ngograph.records.types import Code, Identifier, Money, Text

XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://e.org/"


@pytest.mark.parametrize("key,path", [
    (("project", "iati", "DK-1"), "project/iati/DK-1"),
    (("a", "x.y_z~-0"), "a/x.y_z~-0"),
    (("a", "b c"), "a/b%20c"),
    (("a", "b/c"), "a/b%2Fc"),
    (("a", "?#[]@!$&'()*+,;=%"), "a/%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"),
    (("a", "  padded \t\n\r\u00a0"), "a/padded"),
    (("a", "\u00a0x y\u00a0"), "a/x%20y"),
    (("a", "X y X"), "a/X%20y%20X"),
    (("a", "Cafe\u0301"), "a/Caf%C3%A9"),
    (("a", "Caf\u00e9"), "a/Caf%C3%A9"),
    (("a", "Ūdens"), "a/%C5%AAdens"),
    (("a", "x\u2003"), "a/x%E2%80%83"),  # only the listed spaces are trimmed
    (("a", ""), "a/"),
    (("a",), "a"),
    ((), ""),
])
def test_mint_path(key, path):
    assert mint_path(key) == path


def test_minted_paths_never_collide():
    keys = [("a", "b/c"), ("a/b", "c"), ("a", "b", "c"), ("a", "b%2Fc"), ("a", "b c"), ("a", "b+c")]
    assert len({mint_path(k) for k in keys}) == len(keys)


def test_emitter_iri_is_base_plus_path():
    em = Emitter(BASE, None, Roles({}, set()))
    assert em.iri(("organisation", "x", "A B")) == "<https://e.org/organisation/x/A%20B>"
    ox.NamedNode(em.iri(("organisation", "x", "A B"))[1:-1])  # a valid IRI


@pytest.mark.parametrize("value", ["https://e.org/a?b=c#d", "http://x.org/Ūdens", "urn:isbn:1", "https://e.org/X"])
def test_checked_iri_accepts(value):
    assert Emitter.checked_iri(value) == f"<{value}>"


@pytest.mark.parametrize("value", ["not an iri", "https://e.org/a b", "https://e.org/<a>", 'https://e.org/"',
                                   "https://e.org/{a}", "https://e.org/a|b", "https://e.org/a^b",
                                   "https://e.org/a`b", "https://e.org/a\\b", "relative/path"])
def test_checked_iri_refuses(value):
    with pytest.raises(ValueError):
        Emitter.checked_iri(value)


def test_lang_is_checked_normalised_and_cached():
    em = Emitter(BASE, None, Roles({}, set()))
    assert em.lang("EN-gb") == "en-gb"
    assert em.lang("EN-gb") == "en-gb" and em._langs == {"EN-gb": "en-gb"}
    with pytest.raises(ValueError):
        em.lang("not a tag")


def test_country_and_concept_terms():
    em = Emitter(BASE, None, Roles({}, set()))
    assert em.country("LV") == "<http://publications.europa.eu/resource/authority/country/LVA>"
    assert em.country("LV") == "<http://publications.europa.eu/resource/authority/country/LVA>"
    assert em._countries == {"LV": "<http://publications.europa.eu/resource/authority/country/LVA>"}
    assert em.concept(Code("iati-sector-1", "151 50/x")) == "<https://w3id.org/ngograph/vocab/iati-sector-1/151%2050%2Fx>"
    assert em.concepts == {Code("iati-sector-1", "151 50/x")}


@pytest.mark.parametrize("text,parts", [
    ("2021", ("2021", XSD + "gYear")),
    ("2021-02", ("2021-02", XSD + "gYearMonth")),
    ("2021-02-03", ("2021-02-03", XSD + "date")),
    ("2021-02-03T10:00", ("2021-02-03T10:00:00", XSD + "dateTime")),
    ("2021-02-03T10:00:05", ("2021-02-03T10:00:05", XSD + "dateTime")),
    ("2021-02-03T10:00:05.25Z", ("2021-02-03T10:00:05.25Z", XSD + "dateTime")),
    ("2021-02-03T10:00+02:00", ("2021-02-03T10:00+02:00", XSD + "dateTime")),
    ("--08-15", ("--08-15", XSD + "gMonthDay")),
    ("--08", ("--08", XSD + "gMonth")),
])
def test_date_parts(text, parts):
    assert date_parts(text) == parts


@pytest.mark.parametrize("text", ["21", "2021-2", "2021/02", "x2021", "2021-02-03T10", "--8", "--08-1",
                                  "2021-02-03 10:00", "2021-02-03T10:00:00+0200", "--08-15x", "2021x"])
def test_date_parts_refuses(text):
    with pytest.raises(ValueError, match="not a date"):
        date_parts(text)


def test_date_literal():
    lit = date_literal("2021-02-03T10:00")
    assert (lit.value, lit.datatype.value) == ("2021-02-03T10:00:00", XSD + "dateTime")


def test_literal_forms():
    assert literal("a") == '"a"'
    assert literal("a", "en") == '"a"@en'
    assert literal("a", None, XSD + "decimal") == f'"a"^^<{XSD}decimal>'
    assert literal("a", "en", XSD + "decimal") == '"a"@en'
    assert literal('back\\slash "q"\nnew\rret\ttab') == '"back\\\\slash \\"q\\"\\nnew\\rret\ttab"'
    assert literal("", "") == '""'
    # each character that needs an escape is found on its own
    assert [literal(c) for c in ("a\\b", 'a"b', "a\nb", "a\rb", "a\tb")] == [
        '"a\\\\b"', '"a\\"b"', '"a\\nb"', '"a\\rb"', '"a\tb"']


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab\\"\n\r\t é')) | st.characters(blacklist_categories=("Cs",))))
def test_literal_parses_back_to_its_text(text):
    line = f"<https://e.org/s> <https://e.org/p> {literal(text, 'en')} .\n"
    (quad,) = ox.parse(line.encode(), ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == text and quad.object.language == "en"


def test_text_label_and_numbers():
    em = Emitter(BASE, None, Roles({}, set()))
    s = em.iri(("o", "1"))
    em.text(s, "name", [Text("A", "EN"), Text("B", None), Text("C")])
    em.label(s, [Text("Nom", "fr"), Text("Name", "en")])
    em.label(s, [Text("Nom", "fr"), Text("Navn", "no")])
    em.label(s, [])
    assert em.take().decode().splitlines() == [
        '<https://e.org/o/1> <https://schema.org/name> "A"@en .',
        '<https://e.org/o/1> <https://schema.org/name> "B"@und .',
        '<https://e.org/o/1> <https://schema.org/name> "C"@und .',
        '<https://e.org/o/1> <http://www.w3.org/2000/01/rdf-schema#label> "Name"@en .',
        '<https://e.org/o/1> <http://www.w3.org/2000/01/rdf-schema#label> "Nom"@fr .',
    ]
    assert em.take() == b""
    assert em.integer(Decimal("12")) == f'"12"^^<{XSD}integer>'
    assert em.decimal(Decimal("1E+3")) == f'"1000"^^<{XSD}decimal>'
    assert em.decimal(Decimal("-0.50")) == f'"-0.50"^^<{XSD}decimal>'


def test_identifier_nodes_are_minted_under_their_owner():
    em = Emitter(BASE, None, Roles({}, set()))
    s = em.iri(("organisation", "x", "1"))
    em.identifiers(s, [Identifier("GB-CHC", "12 34/5"), Identifier("", "plain")])
    node = "<https://e.org/organisation/x/1/id/GB-CHC/12%2034%2F5>"
    assert em.take().decode().splitlines() == [
        f"<https://e.org/organisation/x/1> <https://schema.org/identifier> {node} .",
        f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/PropertyValue> .",
        f'{node} <https://schema.org/propertyID> "GB-CHC" .',
        f'{node} <https://schema.org/value> "12 34/5" .',
        '<https://e.org/organisation/x/1> <https://schema.org/identifier> "plain" .',
    ]


def test_money_node_and_provenance():
    em = Emitter(BASE, "https://e.org/dataset/d", Roles({}, set()))
    s = em.iri(("project", "d", "1"))
    em.money(s, "budget", Money(Decimal("10.5"), None, value_date="2020-01", type=Code("iati-budget-type", "1")),
             "budget/0")
    em.resource(s, "file.xml#/1", [("source", "s")])
    p, m, ngo = "<https://e.org/project/d/1>", "<https://e.org/project/d/1/budget/0>", "https://w3id.org/ngograph/def#"
    assert em.take().decode().splitlines() == [
        f"{p} <{ngo}budget> {m} .",
        f"{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/MonetaryAmount> .",
        f'{m} <https://schema.org/value> "10.5"^^<{XSD}decimal> .',
        f'{m} <{ngo}valueDate> "2020-01"^^<{XSD}gYearMonth> .',
        f"{m} <{ngo}budgetType> <https://w3id.org/ngograph/vocab/iati-budget-type/1> .",
        f"{p} <http://www.w3.org/ns/prov#wasDerivedFrom> <https://e.org/source/s> .",
        f"{p} <http://www.w3.org/ns/prov#wasDerivedFrom> <https://e.org/dataset/d> .",
        f'{p} <{ngo}sourceRecord> "file.xml#/1" .',
    ]
    assert em.locations == {}


def test_curated_locations_first_wins():
    em = Emitter(BASE, None, Roles({}, set()))
    s = em.iri(("o", "1"))
    em.resource(s, "a.yaml:1")
    em.at(s, "a.yaml:9")
    em.at(em.iri(("o", "2")), None)
    assert em.locations == {"https://e.org/o/1": "a.yaml:1"}
    assert em.take() == b""
