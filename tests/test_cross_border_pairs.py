"""``cross-border-pairs`` keeps each pair of members once, oriented by their countries' codes (not by
comparing IRIs, which the engine must look up), and only where the codes differ: on tiny hand-made stores, every
way a pair can fall."""

from __future__ import annotations

import pytest

from ngograph.queries.library import run
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

from conftest import members_nt

def store(tmp_path, members: dict[str, list[str]], countries: dict[str, list[str]], codes: dict[str, str]) -> Embedded:
    """Projects -> members, members -> country nodes, country nodes -> codes (:func:`conftest.members_nt`)."""
    write_store(tmp_path / "store", members_nt(members, countries, codes))
    return Embedded(tmp_path / "store")


def pairs(backend) -> list[tuple]:
    return [(r["organisationA"].rsplit("/", 1)[1], r["countryA"], r["organisationB"].rsplit("/", 1)[1], r["countryB"],
             r["sharedProjects"]) for r in run("cross-border-pairs", backend)]


def test_a_pair_is_oriented_by_country_code_whichever_iri_comes_first(tmp_path):
    # z (DK) sorts after a (LV) by IRI, but its country code first; m (EE) between them; both share p and q
    b = store(tmp_path, {"p": ["a", "z", "m"], "q": ["a", "z"]}, {"a": ["lv"], "z": ["dk"], "m": ["ee"]},
              {"lv": "LV", "dk": "DK", "ee": "EE"})
    assert pairs(b) == [("z", "DK", "a", "LV", 2), ("z", "DK", "m", "EE", 1), ("m", "EE", "a", "LV", 1)]


def test_members_of_one_country_are_no_pair_and_a_member_is_never_its_own_partner(tmp_path):
    b = store(tmp_path, {"p": ["a", "b", "c"]}, {"a": ["lv"], "b": ["lv"], "c": ["dk"]}, {"lv": "LV", "dk": "DK"})
    assert pairs(b) == [("c", "DK", "a", "LV", 1), ("c", "DK", "b", "LV", 1)]


@pytest.mark.parametrize("first, second", [("a", "b"), ("b", "a")])
def test_two_country_nodes_of_one_code_are_one_country(tmp_path, first, second):
    # a's and b's countries are two nodes that both say LV: one country, as country-pairs counts them; no pair
    b = store(tmp_path, {"p": [first, second, "c"]}, {first: ["lv1"], second: ["lv2"], "c": ["dk"]},
              {"lv1": "LV", "lv2": "LV", "dk": "DK"})
    assert pairs(b) == [("c", "DK", "a", "LV", 1), ("c", "DK", "b", "LV", 1)]
    assert [(r["countryA"], r["countryB"]) for r in run("country-pairs", b)] == [("DK", "LV")]


def test_a_member_of_two_countries_pairs_once_per_cross_border_combination(tmp_path):
    # a is in LV and DK, b in DK: only (LV, DK) crosses a border, oriented DK first
    b = store(tmp_path, {"p": ["a", "b"]}, {"a": ["lv", "dk"], "b": ["dk"]}, {"lv": "LV", "dk": "DK"})
    assert pairs(b) == [("b", "DK", "a", "LV", 1)]
