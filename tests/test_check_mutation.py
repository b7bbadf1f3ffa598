"""Records stage (ngograph/records/check.py) on a tiny data folder: each test pins one
behaviour that a mutation run showed was not pinned (issue 14, part B).

Every data folder is built here in ``tmp_path`` (no module- or session-scoped fixture, no
data read at import time), so mutmut credits every test to the functions it runs."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from ngograph.config import PROJECT_ROOT
from ngograph.errors import DataError
from ngograph.records.check import PartialDate, _Checker, Records, canonical_problems, load_records, parse_date
from ngograph.sources.yamlio import Node

ROLES = PROJECT_ROOT / "data" / "vocab" / "roles.ttl"

FILES = {
    "sources.yaml": "sources:\n  - id: s1\n    file: a.pdf\n    language: en\n",
    "organisations.yaml": (
        "organisations:\n"
        "  - id: org-a\n    name: {en: A}\n    type: ngo\n    sources: [s1]\n"
        "  - id: org-b\n    name: {en: B}\n    type: government\n    sources: [s1]\n"
        "funding_schemes: []\n"
    ),
    "places.yaml": "places:\n  - id: riga\n    name: {en: Riga}\n    type: city\n    country: LV\n    sources: [s1]\n",
    "country-groups.yaml": "country_groups: []\n",
    "concepts.yaml": ("schemes:\n  theme:\n    label: {en: Themes}\n    concepts:\n"
                      "      health: {en: health}\n      youth: {en: youth}\n"),
    "projects/p.yaml": (
        "source: s1\n"
        "projects:\n"
        "  - id: p1\n    name: {en: P}\n    start: 2019-10\n    budget: {amount: 1000.50, currency: EUR}\n"
        "    participants: {partner: [org-a, org-b]}\n    subjects: [health]\n"
    ),
}


def make_data(tmp_path, **changes):
    """A valid data folder; ``changes`` maps a file (``projects__q_yaml`` for projects/q.yaml)
    to new text, or to ``None`` to leave the file out."""
    data = tmp_path / "data"
    (data / "vocab").mkdir(parents=True)
    (data / "projects").mkdir()
    shutil.copy(ROLES, data / "vocab" / "roles.ttl")
    files = dict(FILES)
    for key, text in changes.items():
        files[key.replace("__", "/").replace("_yaml", ".yaml").replace("_yml", ".yml")] = text
    for name, text in files.items():
        if text is None:
            continue
        path = data / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return data


def problems(data) -> list[str]:
    with pytest.raises(DataError) as err:
        load_records(data)
    return [f"{loc}: {msg}" if loc else msg for loc, msg in err.value.problems]


def test_valid_folder_reads_and_normalises(tmp_path):
    records = load_records(make_data(tmp_path))
    assert records.counts() == {"source": 1, "organisation": 2, "funding_scheme": 0, "place": 1,
                                "country_group": 0, "programme": 0, "project": 1, "event": 0, "result": 0}
    p1 = records.projects["p1"]
    assert p1["start"] == PartialDate("2019-10", "month")
    assert p1["budget"] == {"amount": Decimal("1000.50"), "currency": "EUR"}
    assert isinstance(p1["budget"]["amount"], Decimal)
    assert p1["participants"] == {"partner": ["org-a", "org-b"]}
    assert p1["_source"] == "s1"
    assert records.concepts == {"theme": {"health": {"en": "health"}, "youth": {"en": "youth"}}}
    assert records.scheme_labels == {"theme": {"en": "Themes"}}
    assert str(records.concepts_loc[("theme", "youth")]) == "data/concepts.yaml:6"
    assert [p.name for p in records.files] == ["concepts.yaml", "sources.yaml", "organisations.yaml",
                                               "places.yaml", "country-groups.yaml", "p.yaml"]
    assert records.roles["partner"] == "https://w3id.org/ngograph/vocab/role/partner"
    assert records.consortium_roles == {"lead-partner", "partner", "implementer", "associated"}
    assert records.funding_roles == {"funder", "co-funder", "administering-body", "accountable"}
    assert [p.name for p in records.vocab_files] == ["roles.ttl"]
    assert records.organisations is records.by_type["organisation"]
    with pytest.raises(AttributeError):
        records.nothing  # noqa: B018


def test_duplicate_id_does_not_stop_the_list(tmp_path):
    # `continue` -> `break` after the duplicate would drop org-c and its unknown reference
    orgs = FILES["organisations.yaml"].replace(
        "funding_schemes", "  - id: org-a\n    name: {en: A2}\n    type: ngo\n    sources: [s1]\n"
                           "  - id: org-c\n    name: {en: C}\n    type: ngo\n    sources: [s9]\nfunding_schemes")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:10: duplicate organisation id 'org-a' (first at data/organisations.yaml:2)",
        "data/organisations.yaml:17: organisation 'org-c': sources: unknown source 's9'",
    ]


def test_item_that_is_not_a_mapping_does_not_stop_the_list(tmp_path):
    places = FILES["places.yaml"] + "  - just text\n  - id: vilnius\n    name: {en: Vilnius}\n    type: town\n" \
                                    "    country: LT\n    sources: [s1]\n"
    assert problems(make_data(tmp_path, places_yaml=places)) == [
        "data/places.yaml:7: places[2]: expected a mapping of fields, found text 'just text'",
        "data/places.yaml:10: place 'vilnius': type: 'town' is not one of city, region",
    ]


def test_record_without_id_is_checked_but_not_stored(tmp_path):
    places = FILES["places.yaml"] + "  - name: {en: Nowhere}\n    type: city\n    country: LV\n    sources: [s1]\n"
    assert problems(make_data(tmp_path, places_yaml=places)) == [
        "data/places.yaml:7: places[2]: missing required field 'id'"]


def test_malformed_file_does_not_stop_the_files(tmp_path):
    # a broken project file, then one with a problem: both are reported, and nothing is
    # "unknown" because the broken file could not be read
    data = make_data(tmp_path, projects__a_yaml="source: s1\nprojects: [\n",
                     projects__b_yaml="source: s1\nprojects:\n  - id: p2\n    start: 2019-13\n")
    assert problems(data) == [
        "data/projects/a.yaml:3: invalid YAML: expected the node content, but found '<stream end>'",
        "data/projects/b.yaml:4: project 'p2': start: impossible date '2019-13': month must be in 1..12",
    ]


def test_unread_file_silences_unknown_references_of_its_types(tmp_path):
    data = make_data(tmp_path, sources_yaml=b"sources:\n  - id: s1\n    file: \xff.pdf\n")
    assert problems(data) == ["data/sources.yaml:3: not UTF-8 text (byte 0xff): save the file as UTF-8"]


def test_file_that_is_not_a_mapping(tmp_path):
    assert problems(make_data(tmp_path, organisations_yaml="- id: org-a\n")) == [
        "data/organisations.yaml:1: expected a mapping with organisations, funding_schemes"]


def test_unknown_top_level_keys_are_refused(tmp_path):
    data = make_data(tmp_path, places_yaml=FILES["places.yaml"] + "cities: []\n",
                     projects__p_yaml=FILES["projects/p.yaml"] + "people: []\n")
    assert problems(data) == [
        "data/places.yaml:7: unknown top-level list 'cities' (expected: places)",
        "data/projects/p.yaml:9: unknown top-level list 'people' (expected: programmes, projects, events, results)",
    ]


def test_source_is_only_a_top_level_key_of_project_files(tmp_path):
    data = make_data(tmp_path, places_yaml="source: s1\n" + FILES["places.yaml"])
    assert problems(data) == ["data/places.yaml:1: unknown top-level list 'source' (expected: places)"]


def test_project_file_needs_a_known_source(tmp_path):
    no_source = FILES["projects/p.yaml"].replace("source: s1\n", "")
    assert problems(make_data(tmp_path, projects__p_yaml=no_source)) == [
        "data/projects/p.yaml:1: a project file needs 'source:' naming the document its facts come from"]
    other = FILES["projects/p.yaml"].replace("source: s1", "source: s2")
    assert problems(make_data(tmp_path / "x", projects__p_yaml=other)) == [
        "data/projects/p.yaml:1: source: unknown source 's2'"]


def test_top_level_list_that_is_not_a_list(tmp_path):
    data = make_data(tmp_path, places_yaml="places: {id: riga}\n",
                     projects__p_yaml=FILES["projects/p.yaml"].replace("[org-a, org-b]", "[org-a]"))
    assert problems(data) == ["data/places.yaml:1: 'places' must be a list"]


@pytest.mark.parametrize("code,ok", [("en", True), ("lv", True), ("fil", True), ("ltg", True),
                                     ("xx", False), ("zzz", False), ("english", False), ("EN", False),
                                     ("e", False)])
def test_language_codes(tmp_path, code, ok):
    data = make_data(tmp_path, sources_yaml=FILES["sources.yaml"].replace("language: en", f"language: {code}"))
    if ok:
        assert load_records(data).by_type["source"]["s1"]["language"] == code
    else:
        assert problems(data) == [
            f"data/sources.yaml:4: source 's1': language: '{code}' is not an ISO 639 language code (e.g. en, lv, lt)"]


def test_invalid_language_in_a_name(tmp_path):
    orgs = FILES["organisations.yaml"].replace("{en: B}", "{en: B, qq: B}")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:7: organisation 'org-b': name: 'qq' is not an ISO 639 language code "
        "(e.g. en, lv, lt)"]


@pytest.mark.parametrize("amount,message", [
    (".inf", "'.inf' is not a number: write it in base-10 digits, with a point before any decimals "
             "(e.g. 1000.50)"),
    ("1_000.5", "'1_000.5' is not a number: write it in base-10 digits, with a point before any decimals "
                "(e.g. 1000.50)"),
    ("'12'", "'12' is not a number: write it in base-10 digits, with a point before any decimals "
             "(e.g. 1000.50)"),
    ("true", "true is not a number"),
    ("[1]", "a list is not a number"),
])
def test_amounts_that_are_not_numbers(tmp_path, amount, message):
    project = FILES["projects/p.yaml"].replace("amount: 1000.50", f"amount: {amount}")
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        f"data/projects/p.yaml:6: project 'p1': budget: amount: {message}"]


def test_whole_amount_is_a_decimal(tmp_path):
    project = FILES["projects/p.yaml"].replace("amount: 1000.50", "amount: 0444550")
    amount = load_records(make_data(tmp_path, projects__p_yaml=project)).projects["p1"]["budget"]["amount"]
    assert amount == Decimal(444550) and type(amount) is Decimal


def test_non_text_key(tmp_path):
    orgs = FILES["organisations.yaml"].replace("{en: B}", "{en: B, 1: B}")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:7: invalid YAML: keys must be text, found the number 1"]


def test_concepts_without_schemes(tmp_path):
    # the project's concept reference is not reported: concepts.yaml was read, but has no schemes
    assert problems(make_data(tmp_path, concepts_yaml="themes: {}\n")) == [
        "data/concepts.yaml:1: concepts.yaml needs a top-level 'schemes' mapping",
        "data/projects/p.yaml:8: project 'p1': subjects: unknown theme concept 'health' (add it to concepts.yaml)",
    ]


def test_unreadable_concepts_silence_concept_references(tmp_path):
    assert problems(make_data(tmp_path, concepts_yaml="schemes: [\n")) == [
        "data/concepts.yaml:2: invalid YAML: expected the node content, but found '<stream end>'"]


def test_concepts_file_is_optional(tmp_path):
    project = FILES["projects/p.yaml"].replace("    subjects: [health]\n", "")
    records = load_records(make_data(tmp_path, concepts_yaml=None, projects__p_yaml=project))
    assert records.concepts == {} and [p.name for p in records.files][0] == "sources.yaml"


def test_bad_schemes_and_concepts(tmp_path):
    concepts = ("schemes:\n  Bad_Scheme:\n    concepts: {a: {en: a}}\n  nolist: {label: {en: x}}\n"
                "  theme:\n    label: {}\n    concepts:\n      health: {en: health}\n      Bad: {en: bad}\n"
                "      empty: {}\n      youth: {en: youth}\n")
    assert problems(make_data(tmp_path, concepts_yaml=concepts)) == [
        "data/concepts.yaml:2: scheme 'Bad_Scheme' needs an id-like name and a 'concepts' mapping",
        "data/concepts.yaml:4: scheme 'nolist' needs an id-like name and a 'concepts' mapping",
        "data/concepts.yaml:6: scheme 'theme': label: needs at least one language, e.g. {en: ...}",
        "data/concepts.yaml:9: concept 'Bad' is not a valid id",
        "data/concepts.yaml:10: concept theme/empty: needs at least one language, e.g. {en: ...}",
    ]


def test_unclaimed_yaml_and_hidden_files(tmp_path):
    data = make_data(tmp_path)
    (data / "extra.yml").write_text("a: 1\n")
    (data / "projects" / "notes.txt").write_text("x")
    (data / ".hidden.yaml").write_text("a: [\n")
    (data / ".git").mkdir()
    (data / ".git" / "x.yaml").write_text("a: [\n")
    (data / "projects" / ".draft.yaml").write_text("a: [\n")
    (data / "sub").mkdir()
    (data / "sub" / "Z.YAML").write_text("a: 1\n")
    assert problems(data) == [
        "data/extra.yml:1: ngograph does not read this file: records go in sources.yaml, organisations.yaml, "
        "places.yaml, country-groups.yaml, concepts.yaml or projects/<name>.yaml",
        "data/sub/Z.YAML:1: ngograph does not read this file: records go in sources.yaml, organisations.yaml, "
        "places.yaml, country-groups.yaml, concepts.yaml or projects/<name>.yaml",
    ]


def test_yml_project_files_are_read_in_name_order(tmp_path):
    q = "source: s1\nprojects:\n  - id: p0\n"
    records = load_records(make_data(tmp_path, projects__q_yml=q, projects__a_yaml=q.replace("p0", "p00")))
    assert list(records.projects) == ["p00", "p1", "p0"]


def test_missing_file_is_one_problem(tmp_path):
    assert problems(make_data(tmp_path, places_yaml=None,
                              projects__p_yaml=FILES["projects/p.yaml"].replace("[org-a, org-b]", "[org-a]"))) == [
        "data/places.yaml does not exist"]


def test_data_folder_that_is_not_a_folder(tmp_path):
    with pytest.raises(DataError) as err:
        load_records(tmp_path / "nope")
    assert err.value.problems == [(None, f"data folder {tmp_path / 'nope'} does not exist (set --data or "
                                         "NGOGRAPH_DATA; ngograph build --example builds the shipped example)")]
    (tmp_path / "file").write_text("")
    with pytest.raises(DataError) as err:
        load_records(tmp_path / "file")
    assert err.value.problems == [(None, f"data folder {tmp_path / 'file'} is not a folder (set --data or "
                                         "NGOGRAPH_DATA; ngograph build --example builds the shipped example)")]


@pytest.mark.parametrize("roles,message", [
    (None, "data/vocab/roles.ttl does not exist: the participation roles are needed to read projects "
            "and participations"),
    ("@prefix x: <http://e.org/> .\nx:a x:b x:c .\n",
     "data/vocab/roles.ttl:1: defines no participation roles (concepts with skos:notation and skos:broader)"),
    ("@prefix x: <http://e.org/> .\n\nx:a x:b .\n", "data/vocab/roles.ttl:3: cannot parse Turtle: "),
])
def test_broken_roles(tmp_path, roles, message):
    data = make_data(tmp_path)
    if roles is None:
        (data / "vocab" / "roles.ttl").unlink()
    else:
        (data / "vocab" / "roles.ttl").write_text(roles)
    [found] = problems(data)
    assert found.startswith(message)


def test_roles_without_broader_are_not_roles(tmp_path):
    data = make_data(tmp_path)
    ttl = (data / "vocab" / "roles.ttl").read_text()
    (data / "vocab" / "roles.ttl").write_text(
        ttl + '\n<https://e.org/r> <http://www.w3.org/2004/02/skos/core#notation> "loose" .\n')
    records = load_records(data)
    assert "loose" not in records.roles and len(records.roles) == 8


def test_participants_roles(tmp_path):
    project = FILES["projects/p.yaml"].replace(
        "{partner: [org-a, org-b]}", "{boss: [org-a], funder: [org-a], administering-body: [org-b], "
                                     "partner: [org-a, org-a]}")
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        "data/projects/p.yaml:7: project 'p1': participants: funders are listed under grants, not participants",
        "data/projects/p.yaml:7: project 'p1': participants: partner: 'org-a' is listed twice",
        "data/projects/p.yaml:7: project 'p1': participants: unknown role 'boss' (roles: accountable, "
        "administering-body, associated, co-funder, funder, implementer, lead-partner, partner)",
    ]


def test_grants_and_together(tmp_path):
    project = FILES["projects/p.yaml"] + (
        "    grants:\n      - {funder: org-a, role: funder, amount: 5}\n      - just text\n"
        "      - {funder: org-b, role: co-funder, amount: 5, currency: EUR, share: 50.0}\n")
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        "data/projects/p.yaml:10: project 'p1': grants[1]: amount and currency go together: give both or neither",
        "data/projects/p.yaml:11: project 'p1': grants[2]: expected a mapping of fields, found text 'just text'",
    ]
    ok = FILES["projects/p.yaml"] + "    grants:\n      - {funder: org-b, role: co-funder, share: 50.0}\n"
    grants = load_records(make_data(tmp_path / "ok", projects__p_yaml=ok)).projects["p1"]["grants"]
    assert grants == [{"funder": "org-b", "role": "co-funder", "share": Decimal("50.0")}]


@pytest.mark.parametrize("field,value,message", [
    ("identifier", "0123456", None),
    ("identifier", "'  '", "identifier: is empty"),
    ("identifier", "[a]", "identifier: a list is not text"),
    ("countries", "[LV, lv]", None),  # pycountry reads codes in either case (both mint LVA)
    ("countries", "[LVA]", "countries: 'LVA' is not an ISO 3166-1 alpha-2 country code (e.g. LV, DK)"),
    ("countries", "[XX]", "countries: 'XX' is not an ISO 3166-1 alpha-2 country code (e.g. LV, DK)"),
    ("countries", "LV", "countries: expected a list, found text 'LV'"),
    ("places", "[riga, riga]", "places: 'riga' is listed twice"),
    ("end", "2019", None),
    ("end", "2019-02-29", "end: impossible date '2019-02-29': day is out of range for month"),
    ("end", "--02-29", "end: not a date: '--02-29' (write YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("end", "[2019]", "end: not a date: a list (write YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("alt_name", "{en: [X, Y]}", None),
    ("alt_name", "{en: X}", "alt_name: expected a list, found text 'X'"),
    ("name", "{}", "name: needs at least one language, e.g. {en: ...}"),
    ("name", "P", "name: expected a mapping, found text 'P'"),
    ("translated_name", "{en: ~}", "translated_name: is empty"),
    ("visited_types", "[ministry]", None),
])
def test_project_field_values(tmp_path, field, value, message):
    concepts = FILES["concepts.yaml"] + "  body-type:\n    label: {en: Bodies}\n    concepts:\n      ministry: {en: m}\n"
    project = FILES["projects/p.yaml"] + f"    {field}: {value}\n"
    if field == "name":
        project = project.replace("    name: {en: P}\n", "")
    data = make_data(tmp_path, projects__p_yaml=project, concepts_yaml=concepts)
    if message is None:
        assert load_records(data).projects["p1"][field] is not None
    else:
        [found] = problems(data)
        assert found.endswith(f": project 'p1': {message}")


def test_text_kinds_keep_what_is_written(tmp_path):
    project = FILES["projects/p.yaml"] + "    identifier: 0123456\n    countries: [LV]\n    alt_name: {en: [12]}\n"
    p1 = load_records(make_data(tmp_path, projects__p_yaml=project)).projects["p1"]
    assert p1["identifier"] == "0123456" and p1["countries"] == ["LV"]


def test_events_and_results(tmp_path):
    concepts = FILES["concepts.yaml"] + (
        "  event-type:\n    label: {en: Events}\n    concepts:\n      camp: {en: camp}\n"
        "  result-type:\n    label: {en: Results}\n    concepts:\n      people: {en: people}\n")
    project = FILES["projects/p.yaml"] + (
        "events:\n  - id: e1\n    type: camp\n    of: [p1]\n    start: --08-15\n    end: --08\n    online: false\n"
        "  - id: e2\n    type: camp\n    of: [p1]\n    online: 'no'\n    start: --02-30\n    inferred_start: 2020\n"
        "results:\n  - id: r1\n    of: [p1]\n    type: people\n    value: 12\n    planned: true\n"
        "  - id: r2\n    of: [p9]\n    type: people\n    value: 1.5\n    min: true\n")
    assert problems(make_data(tmp_path, projects__p_yaml=project, concepts_yaml=concepts)) == [
        "data/projects/p.yaml:16: event 'e2': inferred_start and inference go together: give both or neither",
        "data/projects/p.yaml:19: event 'e2': online: 'no' is not true or false",
        "data/projects/p.yaml:20: event 'e2': start: impossible date '--02-30': day is out of range for month",
        "data/projects/p.yaml:29: result 'r2': of: unknown project 'p9'",
        "data/projects/p.yaml:31: result 'r2': value: the number 1.5 is not a whole number",
        "data/projects/p.yaml:32: result 'r2': min: true is not a whole number",
    ]
    fixed = project.replace("    online: 'no'\n    start: --02-30\n    inferred_start: 2020\n", "") \
                   .replace("[p9]", "[p1]").replace("    value: 1.5\n    min: true\n", "")
    records = load_records(make_data(tmp_path / "ok", projects__p_yaml=fixed, concepts_yaml=concepts))
    e1 = records.events["e1"]
    assert (e1["start"], e1["end"], e1["online"]) == (PartialDate("--08-15", "month-day"),
                                                       PartialDate("--08", "month-only"), False)
    assert records.results["r1"]["value"] == 12 and records.results["r1"]["planned"] is True


def test_unknown_field_and_url_and_id(tmp_path):
    orgs = FILES["organisations.yaml"].replace(
        "    type: government\n",
        "    type: government\n    website: ftp://b.org\n    colour: red\n    part_of: org-a\n").replace(
        "id: org-a", "id: Org_A")
    assert problems(make_data(tmp_path, organisations_yaml=orgs)) == [
        "data/organisations.yaml:2: organisation 'Org_A': id: 'Org_A' is not a valid id (lower-case letters, "
        "digits and single hyphens)",
        "data/organisations.yaml:9: organisation 'org-b': website: 'ftp://b.org' is not an http(s) URL",
        "data/organisations.yaml:10: organisations[2]: unknown field 'colour' (fields: id, name, translated_name, "
        "alt_name, country, type, website, part_of, member_of, linked_to, location, sources)",
        "data/organisations.yaml:11: organisation 'org-b': part_of: unknown organisation 'org-a'",
        "data/projects/p.yaml:7: project 'p1': participants: partner: unknown organisation 'org-a'",
    ]


def test_personal_data_in_text(tmp_path):
    orgs = FILES["organisations.yaml"].replace("{en: B}", "{en: 'B, info@b.org'}")
    [found] = problems(make_data(tmp_path, organisations_yaml=orgs))
    assert found.startswith("data/organisations.yaml:7: organisation 'org-b': name: holds ")
    assert found.endswith(": the graph names organisations, never contact persons; leave contact details out")


def test_problems_from_all_files_at_once(tmp_path):
    data = make_data(tmp_path, places_yaml=FILES["places.yaml"].replace("LV", "ZZ"),
                     sources_yaml=FILES["sources.yaml"].replace("a.pdf", "''"))
    assert problems(data) == [
        "data/places.yaml:5: place 'riga': country: 'ZZ' is not an ISO 3166-1 alpha-2 country code (e.g. LV, DK)",
        "data/sources.yaml:3: source 's1': file: is empty",
    ]


def test_parse_date():
    assert parse_date(2021) == PartialDate("2021", "year")
    assert parse_date("2021-03-04") == PartialDate("2021-03-04", "day")
    assert parse_date("--02-29", yearless=True) == PartialDate("--02-29", "month-day")
    with pytest.raises(ValueError, match=r"^not a date: true \(write YYYY, YYYY-MM or YYYY-MM-DD\)$"):
        parse_date(True)
    with pytest.raises(ValueError, match=r"^not a date: '--08x' \(write YYYY, YYYY-MM or YYYY-MM-DD, --MM-DD or "
                                         r"--MM \(printed without a year\)\)$"):
        parse_date("--08x", yearless=True)
    with pytest.raises(ValueError, match=r"^not a date: '--08' \(write YYYY, YYYY-MM or YYYY-MM-DD\)$"):
        parse_date("--08")


def test_checker_value_kinds():
    checker = _Checker(Records(roles={"partner": "x"}))
    with pytest.raises(ValueError, match=r"^'x' is not an ISO 4217 currency code \(e.g. EUR, DKK\)$"):
        checker.value("x", "currency", None, None, "w")
    with pytest.raises(ValueError, match=r"^'7' is not one of a, b$"):
        checker.value(7, "enum", ("a", "b"), None, "w")


def test_canonical_problems():
    n = Node(id="x", sources=["b", "a"], name={"en": "Cafe\u0301"}, type="ngo", _source="s")
    n.loc, n.key_locs = None, {}
    assert canonical_problems(n, "organisation") == [
        "fields out of order: id, sources, name, type (canonical: id, name, type, sources)",
        "sources not sorted: b, a",
        "text 'Cafe\u0301' is not NFC-normalised",
    ]
    p = Node(id="p", participants={"partner": ["b", "a"], "lead-partner": ["a"]}, alt_name={"en": [" y"]})
    assert canonical_problems(p, "project") == [
        "fields out of order: id, participants, alt_name (canonical: id, alt_name, participants)",
        "participants.partner not sorted",
        "text ' y' has surrounding spaces",
    ]
    assert canonical_problems(Node(id="x", name={"en": "X"}, type="ngo"), "organisation") == []


def test_record_type_in_messages_is_in_words(tmp_path):
    orgs = FILES["organisations.yaml"].replace("funding_schemes: []\n", "funding_schemes:\n  - id: fs1\n"
                                                                      "    name: {en: F}\n")
    groups = "country_groups:\n  - id: nordic\n    name: {en: Nordic}\n    countries: [XX]\n"
    assert problems(make_data(tmp_path, organisations_yaml=orgs, **{"country-groups.yaml": groups})) == [
        "data/country-groups.yaml:4: country group 'nordic': countries: 'XX' is not an ISO 3166-1 alpha-2 "
        "country code (e.g. LV, DK)",
        "data/organisations.yaml:11: funding scheme 'fs1': missing required field 'sources'",
    ]


def test_role_problems_name_the_role_line(tmp_path):
    project = FILES["projects/p.yaml"].replace(
        "    participants: {partner: [org-a, org-b]}\n",
        "    participants:\n      partner: [org-a, org-b]\n      boss: [org-a]\n      lead-partner: [org-z]\n"
        "    grants:\n      - {funder: org-a, role: funder, scheme: fs9}\n")
    assert problems(make_data(tmp_path, projects__p_yaml=project)) == [
        "data/projects/p.yaml:9: project 'p1': participants: unknown role 'boss' (roles: accountable, "
        "administering-body, associated, co-funder, funder, implementer, lead-partner, partner)",
        "data/projects/p.yaml:10: project 'p1': participants: lead-partner: unknown organisation 'org-z'",
        "data/projects/p.yaml:12: project 'p1': grants[1]: scheme: unknown funding scheme 'fs9'",
    ]
