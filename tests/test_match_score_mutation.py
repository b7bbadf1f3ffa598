"""`reconcile.match._score` on hand-made name keys: the rules its mutation run showed were not
pinned (a conflicting pair does not end the search, the "two words swapped" rule and its bounds,
a public body on one side, the length bound of an acronym, a key with a space is no acronym)."""

from __future__ import annotations

import pytest

from ngograph.reconcile.match import ACRONYM, _score
from ngograph.reconcile.normalise import NameKey


def key(text: str, skeleton: str | None = None, *, acronyms=(), places=(), numbers=(), public=False) -> NameKey:
    return NameKey(text, skeleton or text, None, tuple(acronyms), frozenset(places), frozenset(numbers), public)


def test_a_pair_naming_other_countries_does_not_end_the_search():
    latvia = key("red cross", places={"latvia"})
    estonia = key("red cross", places={"estonia"})
    assert _score([latvia], [estonia, latvia]) == (100.0, "names 'red cross' ~ 'red cross'")
    assert _score([latvia], [estonia]) == (0.0, "")


def test_three_words_in_another_order_are_sure_two_are_not():
    # the swap rule looks at names of fewer than three words (fewer than two spaces)
    three = _score([key("alpha betta gamma")], [key("gamma alpha betta")])
    assert three == (100.0, "names 'alpha betta gamma' ~ 'gamma alpha betta'")
    four = _score([key("alpha betta gamma delta")], [key("delta alpha betta gamma")])
    assert four == (100.0, "names 'alpha betta gamma delta' ~ 'delta alpha betta gamma'")
    two = _score([key("redcross societies")], [key("societies redcross")])
    assert two == (100.0, "unsure names 'redcross societies' ~ 'societies redcross'")
    one_three = _score([key("alpha betta gamma")], [key("alphabetta gamma")])
    assert one_three == (99.0, "names 'alpha betta gamma' ~ 'alphabetta gamma'")  # written together: not swapped


def test_a_one_word_pair_is_unsure_below_a_ratio_of_75_only():
    assert _score([key("abcdefgh")], [key("abcdefxy")]) == (75.0, "names 'abcdefgh' ~ 'abcdefxy'")
    low = _score([key("abcdefgh")], [key("abcdexyz")])
    assert low[1] == "unsure names 'abcdefgh' ~ 'abcdexyz'" and low[0] < 75


@pytest.mark.parametrize(("a_public", "b_public"), [(True, False), (False, True), (True, True)])
def test_a_public_body_on_either_side(a_public, b_public):
    a, b = key("ministry of health", public=a_public), key("ministry of health", public=b_public)
    assert _score([a], [b]) == (100.0, "public body: names 'ministry of health' ~ 'ministry of health'")


def test_no_public_body():
    assert _score([key("ministry of health")], [key("ministry of health")]) == (
        100.0, "names 'ministry of health' ~ 'ministry of health'")


def test_an_acronym_of_up_to_ten_letters_either_way():
    long_a = key("kommunenes sentralforbund", acronyms=("abcdefghij", "abcdefghijk"))
    ten, eleven = key("abcdefghij"), key("abcdefghijk")
    assert _score([long_a], [ten]) == (ACRONYM, "acronym 'kommunenes sentralforbund' ~ 'abcdefghij'")
    assert _score([ten], [long_a]) == (ACRONYM, "acronym 'abcdefghij' ~ 'kommunenes sentralforbund'")
    assert _score([long_a], [eleven])[0] < ACRONYM
    assert _score([eleven], [long_a])[0] < ACRONYM


def test_a_key_with_a_space_is_no_acronym():
    named = key("kommunenes sentralforbund", acronyms=("ks ab",))
    spaced = key("ks ab")
    assert _score([named], [spaced])[0] < ACRONYM
    assert _score([spaced], [named])[0] < ACRONYM


def test_a_number_on_one_side_only_is_no_conflict():
    squadron = key("squadron", numbers={"136"})
    assert _score([squadron], [key("squadron")]) == (100.0, "names 'squadron' ~ 'squadron'")
    assert _score([key("squadron")], [squadron]) == (100.0, "names 'squadron' ~ 'squadron'")
    assert _score([squadron], [key("squadron", numbers={"1333"})]) == (0.0, "")


def test_any_score_above_nothing_counts():
    # token_sort_ratio of these is 1.0 (one letter of 200 in common): the least score kept
    best, why = _score([key("a", "a" + "b" * 99)], [key("c", "a" + "c" * 99)])
    assert round(best, 6) == 1.0 and why == "unsure names 'a' ~ 'c'"


def test_a_name_score_of_exactly_the_acronym_score_stays_a_name_score():
    long_name = key("long name", "abcdefghijklmnopqrstuvwxy", acronyms=("ab",))
    short = key("ab", "abcdefghijklmnopqrstuvXYZ")  # 22 of 25 letters alike: 88.0
    assert _score([long_name], [short]) == (ACRONYM, "names 'long name' ~ 'ab'")


def test_a_score_below_one_is_nothing():
    # one letter of 300 in common: 0.67, under the cutoff of 1.0 (names of up to 200 characters are compared)
    assert _score([key("a", "a" + "b" * 149)], [key("c", "a" + "c" * 149)]) == (0.0, "")
