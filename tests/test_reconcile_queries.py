"""The member-based library queries count a reconciled organisation once: two nodes of one
organisation (``ngo:canonicalOrganisation``) in one project are one partner."""

from __future__ import annotations

import pytest

from ngograph.queries.library import run
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

from conftest import members_nt

def _nt() -> bytes:
    # project p: a (LV) with b and b2 (DK), b2 the same organisation as b; country concepts with notations
    return members_nt({"p": ["a", "b", "b2"]}, {"a": ["LV"], "b": ["DK"], "b2": ["DK"]}, {"LV": "LV", "DK": "DK"},
                      {"b2": "b"})


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    path = tmp_path_factory.mktemp("reconciled") / "store"
    write_store(path, _nt())
    return Embedded(path)


def test_cross_border_pairs_pair_the_canonical_node_once(backend):
    rows = run("cross-border-pairs", backend)
    assert [(r["organisationA"].rsplit("/", 1)[1], r["organisationB"].rsplit("/", 1)[1], r["sharedProjects"])
            for r in rows] == [("b", "a", 1)]  # b's country (DK) before a's (LV)


def test_country_pairs_count_the_project_once(backend):
    assert [(r["countryA"], r["countryB"], r["jointProjects"]) for r in run("country-pairs", backend)] == [("DK", "LV", 1)]
