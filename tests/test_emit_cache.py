"""The cache of encoded IRI segments in rdf/emit.py: same IRIs as without it, memory bounded."""

import pytest

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
