"""ngograph.reconcile.normalise: its data loaders (legal_forms.tsv, generic_names.txt, the country
names) read from tiny hand-written files, each table compared in full with the one written out by
hand (issue 14: the mutants of these loaders survived, or were checked by one test only while the
loaders' results were cached). The module's caches are emptied before and after each test."""

from __future__ import annotations

import pytest

from ngograph.reconcile import normalise
from ngograph.reconcile.normalise import (_country_code, _country_names, _generic, _legal_form_index, fold,
                                          is_generic, legal_forms, name_key, needs_country)

LEGAL = """\
# a comment line, then the header
form\tspellings
Ltd\tltd|limited
CIC\tcommunity interest company|cic
e.V.\teingetragener verein|e v
"""

GENERIC = """\
# a comment ~not a pattern @not words
unknown
  private sector\t

~.*\\bredacted\\b.*
~n a
@ministry government
@agency
#@commented
"""


def _clear() -> None:
    for cached in (legal_forms, _legal_form_index, _generic, name_key, fold, _country_names, _country_code,
                   normalise._skeleton_word):
        cached.cache_clear()


@pytest.fixture
def files(tmp_path, monkeypatch):
    """Point the loaders at ``legal.tsv`` and ``generic.txt`` in tmp_path (written by the test)."""
    legal, generic = tmp_path / "legal.tsv", tmp_path / "generic.txt"
    legal.write_text(LEGAL, encoding="utf-8")
    generic.write_text(GENERIC, encoding="utf-8")
    monkeypatch.setattr(normalise, "LEGAL_FORMS_FILE", legal)
    monkeypatch.setattr(normalise, "GENERIC_NAMES_FILE", generic)
    _clear()
    yield legal, generic
    _clear()


def test_legal_forms_every_spelling_as_words_longest_first(files):
    assert legal_forms() == [
        (("community", "interest", "company"), "CIC"),
        (("eingetragener", "verein"), "e.V."), (("e", "v"), "e.V."),
        (("ltd",), "Ltd"), (("limited",), "Ltd"), (("cic",), "CIC"),
    ]


def test_legal_form_index_by_first_and_last_word(files):
    first, last = _legal_form_index()
    assert first == {
        "community": [(("community", "interest", "company"), "CIC")],
        "eingetragener": [(("eingetragener", "verein"), "e.V.")], "e": [(("e", "v"), "e.V.")],
        "ltd": [(("ltd",), "Ltd")], "limited": [(("limited",), "Ltd")], "cic": [(("cic",), "CIC")],
    }
    assert last == {
        "company": [(("community", "interest", "company"), "CIC")],
        "verein": [(("eingetragener", "verein"), "e.V.")], "v": [(("e", "v"), "e.V.")],
        "ltd": [(("ltd",), "Ltd")], "limited": [(("limited",), "Ltd")], "cic": [(("cic",), "CIC")],
    }
    assert type(first) is dict and type(last) is dict  # a missing word is a KeyError, not a new entry


def test_name_keys_use_the_files_forms(files):
    assert [(k.key, k.legal_form) for k in map(name_key, [
        "Green House Limited", "Community Interest Company Green House", "Green House e.V.", "Green House GmbH",
        "Green House Ltd CIC"])] == [
        ("green house", "Ltd"), ("green house", "CIC"), ("green house", "e.V."), ("green house gmbh", None),
        ("green house", "CIC")]


def test_generic_names_patterns_and_public_words(files):
    names, pattern, words = _generic()
    assert names == {"unknown", "private sector"}
    assert pattern.pattern == "|".join([r".*\bredacted\b.*", "n a"])
    assert words == {"ministry", "government", "agency"}
    assert [is_generic(k) for k in ("unknown", "private sector", "text redacted here", "n a", "n a x", "x")] == [
        True, True, True, True, False, False]
    assert [needs_country(k) for k in ("ministry of health", "health agency", "agency of mali", "commented")] == [
        True, True, False, False]


def test_no_patterns_match_nothing(files):
    files[1].write_text("unknown\n@ministry\n", encoding="utf-8")
    names, pattern, words = _generic()
    assert (names, pattern.pattern, words) == ({"unknown"}, "(?!)", {"ministry"})
    assert not is_generic("") and not is_generic("x")


def test_country_names_from_each_of_pycountrys_names():
    _clear()
    names = _country_names()
    # name, common name and official name of Bolivia; the name and official name of Latvia
    assert {"bolivia plurinational state of", "bolivia", "plurinational state of bolivia", "latvia",
            "republic of latvia"} <= names
    assert all(n == fold(n) for n in names) and "" not in names and "none" not in names
