"""The cache of encoded IRI segments in rdf/emit.py: same IRIs as without it, memory bounded."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.rdf import emit


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    monkeypatch.setattr(emit, "_ENCODED", {})


def test_a_segment_that_needs_encoding_is_encoded_once_and_reused():
    key = ("project", "iati", "US-EIN-300108263-GGProj:19061")
    first = emit.mint_path(key)
    assert first == "project/iati/US-EIN-300108263-GGProj%3A19061"
    assert emit._ENCODED == {"US-EIN-300108263-GGProj:19061": "US-EIN-300108263-GGProj%3A19061"}
    assert emit.mint_path(key) == first


def test_plain_segments_are_not_cached():
    assert emit.mint_path(("organisation", "xi-pic", "999984059")) == "organisation/xi-pic/999984059"
    assert emit._ENCODED == {}


def test_composed_and_decomposed_forms_give_one_iri():
    composed, decomposed = "Å land", "A\u030a land"
    assert emit.mint_path(("x", composed)) == emit.mint_path(("x", decomposed)) == "x/%C3%85%20land"
    assert len(emit._ENCODED) == 2  # two texts, one encoding


def test_the_cache_is_emptied_at_its_bound(monkeypatch):
    monkeypatch.setattr(emit, "_ENCODED_MAX", 3)
    for n in range(3):
        emit.mint_path(("x", f"a b {n}"))
    assert len(emit._ENCODED) == 3
    assert emit.mint_path(("x", "a b 3")) == "x/a%20b%203"
    assert emit._ENCODED == {"a b 3": "a%20b%203"}


@pytest.mark.parametrize("segment,path", [
    ("Oresund2020", "Oresund2020"),  # ASCII letters and digits: as they are
    ("Öresund", "%C3%96resund"),  # a letter beyond ASCII is a letter to str.isalnum, and encoded
    ("x²", "x%C2%B2"), ("٣", "%D9%A3"),  # a digit beyond ASCII likewise
    ("H2020-EU.1.2~a_b", "H2020-EU.1.2~a_b"),  # the other unreserved characters: kept by the pattern
])
def test_a_segment_is_kept_only_when_every_character_is_unreserved_ascii(segment, path):
    assert emit.mint_path(("x", segment)) == f"x/{path}"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_the_letters_and_digits_shortcut_agrees_with_the_pattern(segment):
    kept = emit._UNRESERVED.fullmatch(segment) is not None
    if kept:
        assert emit._segment(segment) == segment
    elif segment.isalnum():  # letters or digits beyond ASCII: never left unencoded
        assert emit._segment(segment) != segment


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_quoted_is_quote_with_the_unreserved_characters_safe(text):
    from urllib.parse import quote
    assert emit._quoted(text) == quote(text, safe="-._~")


def test_a_referenced_iri_is_kept_and_the_keeping_is_bounded(monkeypatch):
    from ngograph.rdf.emit import Emitter, Roles
    monkeypatch.setattr(emit, "_ENCODED_MAX", 2)
    em = Emitter("https://e.org/", None, Roles({}, set()))
    keys = [("project", "iati", "A:1"), ("organisation", "xi-pic", "9"), ("project", "x", "é")]
    assert [em.ref(k) for k in keys] == [em.iri(k) for k in keys]
    assert list(em._refs) == [keys[2]]  # emptied when the third came
    assert em.ref(keys[2]) is em._refs[keys[2]]


def test_a_referenced_iri_is_minted_once():
    from ngograph.rdf.emit import Emitter, Roles
    em = Emitter("https://e.org/", None, Roles({}, set()))
    minted, mint = [], em.iri
    em.iri = lambda key: minted.append(key) or mint(key)
    key = ("organisation", "xi-pic", "9")
    assert em.ref(key) == em.ref(key) == "<https://e.org/organisation/xi-pic/9>"
    assert minted == [key]
