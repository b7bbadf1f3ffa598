"""Records stage (ngograph/records/check.py): what the whole-module mutation run of issue 14
(mut-core3) found loose. Each data folder is built in ``tmp_path`` (the helpers of
tests/test_check_mutation.py); nothing is read at import time."""

from __future__ import annotations

import pytest

from ngograph.records.check import Records, canonical_problems
from ngograph.sources.yamlio import Node
from test_check_mutation import FILES, make_data, problems


def test_canonical_problems_sorts_concepts_and_countries():
    p = Node(id="p", countries=["LV", "DK"], subjects=["youth", "health"])
    assert canonical_problems(p, "project") == [
        "countries not sorted: LV, DK",
        "subjects not sorted: youth, health",
    ]
    assert canonical_problems(Node(id="p", countries=["DK", "LV"], subjects=["health", "youth"]), "project") == []


def test_records_lists_by_their_file_names():
    records = Records()
    records.by_type["project"]["p1"] = "P"
    assert records.projects == {"p1": "P"} and records.organisations == {} and records.funding_schemes == {}
    with pytest.raises(AttributeError) as err:
        records.project  # the record type is not a list name
    assert err.value.args == ("project",)
    assert not hasattr(records, "nothing")


def test_scheme_label_problem_names_the_label_line(tmp_path):
    concepts = "schemes:\n  theme:\n    concepts:\n      health: {en: health}\n      youth: {en: youth}\n" \
               "    label: {xx: Themes}\n"
    assert problems(make_data(tmp_path, concepts_yaml=concepts)) == [
        "data/concepts.yaml:6: scheme 'theme': label: 'xx' is not an ISO 639 language code (e.g. en, lv, lt)"]


def test_country_that_is_a_list_of_two(tmp_path):
    places = FILES["places.yaml"].replace("country: LV", "country: [LV, DK]")
    assert problems(make_data(tmp_path, places_yaml=places)) == [
        "data/places.yaml:5: place 'riga': country: a list is not an ISO 3166-1 alpha-2 country code (e.g. LV, DK)"]
