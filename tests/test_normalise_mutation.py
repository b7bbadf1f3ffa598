"""ngograph.reconcile.normalise: the name keys at the edges the mutation run of the formerly cached
functions found untested (issue 14): acronyms of 2 and 10 letters and not 11, legal forms taken off
the end of a name of three words, two forms in a row, a name that is a whole legal form spelling."""

from __future__ import annotations

import pytest

from ngograph.reconcile.normalise import name_key


@pytest.mark.parametrize("name, key, legal, acronyms", [
    ("Foo Bar Ltd", "foo bar", "Ltd", ()),
    ("Foo Bar AS Ltd", "foo bar", "Ltd", ()),
    ("GmbH & Co KG", "co kg", "GmbH", ()),
    ("Alpha Beta Gamma KG", "alpha beta gamma kg", None, ("abgk",)),
    ("Foo (ABCDEFGHIJ)", "foo", None, ("abcdefghij",)),
    ("Foo (ABCDEFGHIJK)", "foo abcdefghijk", None, ()),
    ("Foo (AB)", "foo", None, ("ab",)),
    ("ABCDEFGHIJ", "abcdefghij", None, ("abcdefghij",)),
    ("ABCDEFGHIJK", "abcdefghijk", None, ()),
    ("AB", "ab", None, ("ab",)),
    ("A", "a", None, ()),
    ("Community Interest Company", "community interest company", None, ("cic",)),
    ("Eingetragener Verein", "eingetragener verein", None, ()),
    ("Alpha Beta Interest Company", "alpha beta interest company", None, ("abic",)),
])
def test_name_key_edges(name, key, legal, acronyms):
    k = name_key(name)
    assert (k.key, k.legal_form, k.acronyms) == (key, legal, acronyms)


def test_a_bracketed_code_of_the_organisations_own_country_is_no_place():
    assert name_key("Foo (UK)", "UK").places == frozenset() and name_key("Foo (UK)", "GB").places == frozenset()
    assert name_key("Foo (UK)", "NO").places == {"united kingdom"}
