"""Records stage (ngograph/records/check.py): what the whole-module mutation run of issue 14
(mut-core3) found loose. Each data folder is built in ``tmp_path`` (the helpers of
tests/test_check_mutation.py); nothing is read at import time."""

from __future__ import annotations

import pytest

from ngograph.errors import DataError
from ngograph.records.check import Records, _Checker, canonical_problems, load_records, parse_date
from ngograph.sources.yamlio import Dec, Node
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


def test_personal_data_kinds_are_named_once_each_in_text_order(tmp_path):
    contact = "info" + "@" + "b.org, tel. + 99 " + "1234" + "5678, " + "desk" + "@" + "b.org"
    orgs = FILES["organisations.yaml"].replace("{en: B}", "{en: '" + contact + "'}")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:7: organisation 'org-b': name: holds e-mail address and phone number: the graph "
        "names organisations, never contact persons; leave contact details out"]


def test_an_empty_optional_field_is_dropped(tmp_path):
    orgs = FILES["organisations.yaml"].replace("    type: ngo\n", "    type: ngo\n    website:\n    country: ~\n")
    org = load_records(make_data(tmp_path, organisations_yaml=orgs)).organisations["org-a"]
    assert list(org) == ["id", "name", "type", "sources"]


def test_a_refused_value_is_dropped_from_the_record(tmp_path):
    name = Node(en="A")
    node = Node(id="Bad Id", name=name, type="club")
    for n in (name, node):
        n.loc, n.key_locs = None, {}
    checker = _Checker(Records())
    assert checker.record(node, "organisation", "organisations[1]", None) == {"name": {"en": "A"}}
    assert [msg for _, msg in checker.problems] == [
        "organisation 'Bad Id': id: 'Bad Id' is not a valid id (lower-case letters, digits and single hyphens)",
        "organisation 'Bad Id': type: 'club' is not one of ngo, government, international",
        "organisation 'Bad Id': missing required field 'sources'"]
    # so two records with the same refused id are not also reported as duplicates
    orgs = FILES["organisations.yaml"].replace("id: org-a", "id: Bad_Id").replace("id: org-b", "id: Bad_Id")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:2: organisation 'Bad_Id': id: 'Bad_Id' is not a valid id (lower-case letters, "
        "digits and single hyphens)",
        "data/organisations.yaml:6: organisation 'Bad_Id': id: 'Bad_Id' is not a valid id (lower-case letters, "
        "digits and single hyphens)",
        "data/projects/p.yaml:7: project 'p1': participants: partner: unknown organisation 'org-a'",
        "data/projects/p.yaml:7: project 'p1': participants: partner: unknown organisation 'org-b'"]


def test_a_decimal_is_not_a_year():
    # only a whole number is a bare year: 2021. is a decimal, though its digits read as 2021
    with pytest.raises(ValueError) as err:
        parse_date(Dec("2021."))
    assert str(err.value) == "not a date: the number 2021. (write YYYY, YYYY-MM or YYYY-MM-DD)"


def test_a_funder_among_participants_is_reported_at_its_role_line(tmp_path):
    project = FILES["projects/p.yaml"].replace(
        "    participants: {partner: [org-a, org-b]}\n",
        "    participants:\n      partner: [org-a]\n      funder: [org-b]\n")
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        "data/projects/p.yaml:9: project 'p1': participants: funders are listed under grants, not participants"]


@pytest.mark.parametrize("roles,message", [
    # rdflib's BadSyntax: its own line count and its short reason, not the whole str()
    (b"@prefix x: <http://e.org/> .\n\nx:a x:b .\n", "data/vocab/roles.ttl:3: cannot parse Turtle: objectList expected"),
    # an error without a line count (not UTF-8): line 1 and the error in one line
    (b"\xff\xfe x", "data/vocab/roles.ttl:1: cannot parse Turtle: 'utf-8' codec can't decode byte 0xff in "
                    "position 0: invalid start byte"),
])
def test_broken_roles_exact(tmp_path, roles, message):
    data = make_data(tmp_path)
    (data / "vocab" / "roles.ttl").write_bytes(roles)
    assert problems(data) == [message]


def test_concepts_file_that_is_not_a_mapping(tmp_path):
    project = FILES["projects/p.yaml"].replace("    subjects: [health]\n", "")
    assert problems(make_data(tmp_path, concepts_yaml="- theme\n", projects__p_yaml=project)) == [
        "data/concepts.yaml:1: expected a mapping with schemes"]


def test_unknown_source_of_a_project_file_is_reported_at_its_line(tmp_path):
    moved = FILES["projects/p.yaml"].replace("source: s1\n", "") + "source: s2\n"
    assert problems(make_data(tmp_path, projects__p_yaml=moved)) == [
        "data/projects/p.yaml:8: source: unknown source 's2'"]


def test_every_top_level_list_that_is_not_a_list_is_reported_at_its_line(tmp_path):
    project = FILES["projects/p.yaml"].replace("source: s1\n", "source: s1\nprogrammes: 5\n") + "events: {}\n"
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        "data/projects/p.yaml:2: 'programmes' must be a list",
        "data/projects/p.yaml:10: 'events' must be a list"]


def test_duplicate_funding_scheme_id_in_words(tmp_path):
    scheme = "  - id: fs1\n    name: {en: F}\n    sources: [s1]\n"
    orgs = FILES["organisations.yaml"].replace("funding_schemes: []\n", "funding_schemes:\n" + scheme * 2)
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:14: duplicate funding scheme id 'fs1' (first at data/organisations.yaml:11)"]


def test_references_after_one_into_an_unread_file_are_still_checked(tmp_path):
    # places.yaml cannot be read: the project's place reference is not reported, its partner still is
    project = FILES["projects/p.yaml"].replace("[org-a, org-b]", "[org-a, org-z]").replace(
        "    subjects: [health]\n", "    subjects: [health]\n    places: [riga]\n")
    assert problems(make_data(tmp_path, places_yaml="places: [\n", projects__p_yaml=project)) == [
        "data/places.yaml:2: invalid YAML: expected the node content, but found '<stream end>'",
        "data/projects/p.yaml:7: project 'p1': participants: partner: unknown organisation 'org-z'"]


def test_a_data_file_whose_name_is_not_utf8_is_named_and_not_read(tmp_path):
    data = make_data(tmp_path)
    (data / "projects" / "q\udcff.yaml").write_text("projects: [\n", encoding="utf-8")  # the name's byte 0xff
    assert problems(data) == ["data/projects/q\\xff.yaml has a name that is not UTF-8: rename it"]


def test_a_data_folder_or_vocabulary_file_whose_name_is_not_utf8_is_named(tmp_path):
    data = make_data(tmp_path)
    renamed = data.rename(tmp_path / "d\udcff")  # the folder's name holds the byte 0xff
    with pytest.raises(DataError) as err:
        load_records(renamed)
    assert err.value.problems == [(None, "data folder d\\xff has a name that is not UTF-8: rename it")]
    data = make_data(tmp_path / "second")
    (data / "vocab" / "x\udcff.ttl").write_text("", encoding="utf-8")
    assert problems(data) == ["data/vocab/x\\xff.ttl has a name that is not UTF-8: rename it"]
