"""Reading the curated YAML (issue 8): YAML 1.1 readings, unclaimed files, links, encodings,
deep nesting, record errors in users' words, a broken roles vocabulary, thousands of problems.

Each case runs through the real loader on a copy of data/ with one hand-made change; one case
per group also runs through ``ngograph build`` and expects exit code 2 and a single line."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from ngograph.cli import main
from ngograph.errors import DataError, Location
from ngograph.records.check import load_records

PHASE_1 = "social-rights-advocacy-phase-1"
COALITION = "minority-participation-coalition"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_records(data)
    return [f"{loc}: {msg}" if loc else msg for loc, msg in err.value.problems]


def build_fails(data: Path, tmp_path: Path, capsys) -> str:
    """``ngograph build`` on ``data``: exit code 2, nothing on stdout, one line on stderr."""
    code = main(["build", "--data", str(data), "--store", str(tmp_path / "store")])
    out = capsys.readouterr()
    assert code == 2, out.err
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert not (tmp_path / "store").exists()
    return lines[0]


def assert_one_problem(data: Path, tmp_path: Path, capsys, expected: str) -> None:
    """The loader reports exactly ``expected``, and so does ``ngograph build`` in its one line."""
    assert problems(data) == [expected]
    assert build_fails(data, tmp_path, capsys) == f"ngograph build: {expected}"


# ---------------------------------------------------------------------------- 1. numbers in base 10

def test_leading_zero_amount_is_read_in_base_10(data_copy):
    replace(data_copy / "projects" / "seed-000.yaml", "amount: 444550, currency: DKK", "amount: 0444550, currency: DKK")
    assert load_records(data_copy).projects[PHASE_1]["budget"]["amount"] == Decimal(444550)  # not octal 149864


@pytest.mark.parametrize("written", ["0123456", "0x6C886", "7:24:35:50", "1_000", "yes", "off", "true", "1.50",
                                     "0o17", "1.5e+3", ".inf", "2012-09-01"])
def test_identifier_is_text_as_written(data_copy, written):
    replace(data_copy / "projects" / "seed-003.yaml", "identifier: 1DP/1.5.2.2.2/12/APIA/SIF/176",
            f"identifier: {written}")
    assert load_records(data_copy).projects[COALITION]["identifier"] == written


@pytest.mark.parametrize("written", ["0x6C886", "7:24:35:50", "0o17", "0b101", "1_000", "1.5e+3", ".inf", ".nan"])
def test_amount_in_another_base_is_refused(data_copy, written):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "budget: {amount: 444550, currency: DKK}", f"budget: {{amount: {written}, currency: DKK}}")
    assert problems(data_copy) == [
        f"data/projects/seed-000.yaml:{line_of(f, written)}: project {PHASE_1!r}: budget: amount: {written!r} is "
        "not a number: write it in base-10 digits, with a point before any decimals (e.g. 1000.50)"]


@pytest.mark.parametrize("tagged", ["!!int 0x6C886", "!!int 0444550_0", "!!float 7:24:35:50", "!!bool yes"])
def test_explicit_tags_get_no_yaml_1_1_reading(data_copy, tagged):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "budget: {amount: 444550, currency: DKK}", f"budget: {{amount: {tagged}, currency: DKK}}")
    [problem] = problems(data_copy)
    assert problem.startswith(f"data/projects/seed-000.yaml:{line_of(f, tagged)}: invalid YAML: ")
    assert "is not a number" in problem or "is not true or false" in problem


def test_hex_amount_through_build(data_copy, tmp_path, capsys):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "amount: 444550, currency: DKK", "amount: 0x6C886, currency: DKK")
    line = build_fails(data_copy, tmp_path, capsys)
    assert line == (f"ngograph build: data/projects/seed-000.yaml:{line_of(f, '0x6C886')}: project {PHASE_1!r}: "
                    "budget: amount: '0x6C886' is not a number: write it in base-10 digits, with a point before "
                    "any decimals (e.g. 1000.50)")


# ---------------------------------------------------------------------------- 2. thousands separators

def test_thousands_separator_in_flow_mapping_says_what_to_write(data_copy, tmp_path, capsys):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "amount: 444550, currency: DKK", "amount: 1,000.50, currency: DKK")
    expected = (f"data/projects/seed-000.yaml:{line_of(f, '1,000.50')}: invalid YAML: write 1000.50, not 1,000.50: "
                "numbers take no thousands separators and use a point before decimals "
                "(inside { } a comma separates fields)")
    assert_one_problem(data_copy, tmp_path, capsys, expected)


def test_thousands_separator_in_block_mapping_says_what_to_write(data_copy):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "    budget: {amount: 444550, currency: DKK}\n",
            "    budget:\n      amount: 444,550\n      currency: DKK\n")
    assert problems(data_copy) == [
        f"data/projects/seed-000.yaml:{line_of(f, '444,550')}: project {PHASE_1!r}: budget: amount: '444,550' is "
        "not a number: write 444550, not 444,550: numbers take no thousands separators and use a point before decimals"]


def test_decimal_comma_says_what_to_write(data_copy):
    f = data_copy / "projects" / "seed-003.yaml"
    replace(f, "share: 92.07,", "share: 92,07,")
    assert problems(data_copy) == [
        f"data/projects/seed-003.yaml:{line_of(f, '92,07')}: invalid YAML: write 92.07, not 92,07: numbers use a "
        "point before decimals (inside { } a comma separates fields)"]


# ---------------------------------------------------------------------------- 3. files no loader reads

def test_yml_in_projects_is_read(data_copy):
    (data_copy / "projects" / "seed-004.yaml").rename(data_copy / "projects" / "seed-004.yml")
    records = load_records(data_copy)
    assert "ngo-state-interaction-vulnerable-groups" in records.projects
    assert data_copy / "projects" / "seed-004.yml" in records.files


@pytest.mark.parametrize("name", ["new.yml", "my-projects.yaml", "projects/drafts/next.yaml", "vocab/roles.yaml"])
def test_unclaimed_yaml_is_refused(data_copy, name):
    path = data_copy / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("projects:\n  - id: forgotten\n", encoding="utf-8")
    assert problems(data_copy) == [
        f"data/{name}:1: ngograph does not read this file: records go in sources.yaml, organisations.yaml, "
        "places.yaml, country-groups.yaml, concepts.yaml or projects/<name>.yaml"]


def test_unclaimed_yaml_through_build(data_copy, tmp_path, capsys):
    (data_copy / "new.yml").write_text("projects: []\n", encoding="utf-8")
    assert build_fails(data_copy, tmp_path, capsys).startswith(
        "ngograph build: data/new.yml:1: ngograph does not read this file: records go in")


# ---------------------------------------------------------------------------- 4. deep nesting

@pytest.mark.parametrize("nested", ["[" * 400 + "]" * 400, "{a: " * 400 + "1" + "}" * 400,
                                    "".join(f"\n{'  ' * i}- " for i in range(1, 401)) + "x"])
def test_deep_nesting_is_one_error(data_copy, nested):
    f = data_copy / "projects" / "deep.yaml"
    f.write_text(f"source: seed-004\nresults: {nested}\n", encoding="utf-8")
    [problem] = problems(data_copy)
    assert problem.startswith("data/projects/deep.yaml:")
    assert problem.endswith("invalid YAML: nested more than 64 levels deep")


def test_deep_nesting_through_build(data_copy, tmp_path, capsys):
    (data_copy / "projects" / "deep.yaml").write_text("results: " + "[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    assert build_fails(data_copy, tmp_path, capsys) == (
        "ngograph build: data/projects/deep.yaml:1: invalid YAML: nested more than 64 levels deep")


# ---------------------------------------------------------------------------- 5. record errors in users' words

@pytest.mark.parametrize("item,found", [("just-a-name", "text 'just-a-name'"), ("[a, b]", "a list"),
                                        ("42", "the number 42"), ("", "nothing")])
def test_record_that_is_not_a_mapping_has_its_line(data_copy, item, found):
    f = data_copy / "projects" / "seed-004.yaml"
    replace(f, "results:\n", f"results:\n  - {item}\n")
    assert problems(data_copy) == [
        f"data/projects/seed-004.yaml:{line_of(f, 'results:') + 1}: results[1]: expected a mapping of fields, "
        f"found {found}"]


def test_grant_that_is_not_a_mapping_has_its_line(data_copy, tmp_path, capsys):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, "      - {funder: nordic-council-of-ministers, role: co-funder, amount: 310000, currency: DKK}",
            "      - nordic-council-of-ministers")
    expected = (f"data/projects/seed-000.yaml:{line_of(f, '- nordic-council-of-ministers')}: project {PHASE_1!r}: "
                "grants[1]: expected a mapping of fields, found text 'nordic-council-of-ministers'")
    assert_one_problem(data_copy, tmp_path, capsys, expected)


@pytest.mark.parametrize("old,new,message", [
    ("budget: {amount: 444550, currency: DKK}", "budget: 444550",
     "budget: expected a mapping, found the number 444550"),
    ("name: {en: Empowering NGOs for efficient social rights’ advocacy}", "name: {en: [social rights]}",
     "name: a list is not text"),
    ("audience: [ngos, older-people, people-with-disabilities, vulnerable-groups, women, youth]",
     "audience: {ngos: youth}", "audience: expected a list, found a mapping"),
    ("name: {en: Empowering NGOs for efficient social rights’ advocacy}", "name: {en: }", "name: is empty"),
])
def test_value_errors_in_users_words(data_copy, old, new, message):
    f = data_copy / "projects" / "seed-000.yaml"
    replace(f, old, new)
    [problem] = problems(data_copy)
    assert problem == f"data/projects/seed-000.yaml:{line_of(f, new)}: project {PHASE_1!r}: {message}"


def test_true_in_a_text_field_is_text(data_copy):
    replace(data_copy / "projects" / "seed-000.yaml",
            "name: {en: Empowering NGOs for efficient social rights’ advocacy}", "name: {en: true, no: off}")
    assert load_records(data_copy).projects[PHASE_1]["name"] == {"en": "true", "no": "off"}


# ---------------------------------------------------------------------------- 6. links, encodings, shapes of files

def test_symlink_loop_is_called_a_loop(data_copy, tmp_path, capsys):
    (data_copy / "sources.yaml").unlink()
    (data_copy / "sources.yaml").symlink_to("sources.yaml")
    assert problems(data_copy) == ["data/sources.yaml is a symbolic link loop"]
    assert build_fails(data_copy, tmp_path, capsys) == "ngograph build: data/sources.yaml is a symbolic link loop"


def test_symlink_loop_among_projects(data_copy):
    (data_copy / "projects" / "a.yaml").symlink_to("b.yaml")
    (data_copy / "projects" / "b.yaml").symlink_to("a.yaml")
    assert problems(data_copy) == ["data/projects/a.yaml is a symbolic link loop",
                                   "data/projects/b.yaml is a symbolic link loop"]


def test_dangling_link_and_folder(data_copy):
    (data_copy / "projects" / "gone.yaml").symlink_to("nowhere.yaml")
    (data_copy / "places.yaml").unlink()
    (data_copy / "places.yaml").mkdir()
    assert problems(data_copy) == ["data/places.yaml is a folder, not a file",
                                   "data/projects/gone.yaml is a symbolic link to a file that does not exist"]


def test_concepts_loop_is_not_skipped(data_copy):
    (data_copy / "concepts.yaml").unlink()
    (data_copy / "concepts.yaml").symlink_to("concepts.yaml")
    assert problems(data_copy) == ["data/concepts.yaml is a symbolic link loop"]  # and no "unknown concept"


def test_non_utf8_names_the_line(data_copy, tmp_path, capsys):
    f = data_copy / "places.yaml"
    raw = f.read_bytes()
    assert b"Bergen" in raw
    f.write_bytes(raw.replace(b"Bergen", "Bergen".encode("utf-8") + b"\xe6", 1))  # a Latin-1 æ
    line = raw[:raw.index(b"Bergen")].count(b"\n") + 1
    expected = f"data/places.yaml:{line}: not UTF-8 text (byte 0xe6): save the file as UTF-8"
    assert_one_problem(data_copy, tmp_path, capsys, expected)


def test_control_character_names_the_line(data_copy, tmp_path, capsys):
    f = data_copy / "places.yaml"
    replace(f, "{en: Bergen}", "{en: Ber\x07gen}")
    expected = (f"data/places.yaml:{line_of(f, 'Ber')}: invalid YAML: character U+0007 is not allowed "
                "(a control character)")
    assert_one_problem(data_copy, tmp_path, capsys, expected)


def test_data_folder_loop(tmp_path):
    (tmp_path / "data").symlink_to("data")
    assert problems(tmp_path / "data") == [
        f"data folder {tmp_path / 'data'} is a symbolic link loop (set --data or NGOGRAPH_DATA; ngograph build --example builds the shipped example)"]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", ""])
def test_file_that_is_not_a_mapping(data_copy, text):
    (data_copy / "sources.yaml").write_text(text, encoding="utf-8")
    assert problems(data_copy) == ["data/sources.yaml:1: expected a mapping with sources"]  # no "unknown source"


# ---------------------------------------------------------------------------- 7. broken roles vocabulary

def test_broken_roles_reports_its_parse_error_only(data_copy, tmp_path, capsys):
    f = data_copy / "vocab" / "roles.ttl"
    lines = f.read_text(encoding="utf-8").count("\n")
    with f.open("a", encoding="utf-8") as out:
        out.write("role:broken skos:notation ;; .\n")
    expected = f"data/vocab/roles.ttl:{lines + 1}: cannot parse Turtle: objectList expected"
    assert_one_problem(data_copy, tmp_path, capsys, expected)


def test_roles_without_roles_is_one_error(data_copy):
    (data_copy / "vocab" / "roles.ttl").write_text("# nothing here\n", encoding="utf-8")
    assert problems(data_copy) == [
        "data/vocab/roles.ttl:1: defines no participation roles (concepts with skos:notation and skos:broader)"]


def test_roles_loop_is_one_error(data_copy):
    (data_copy / "vocab" / "roles.ttl").unlink()
    (data_copy / "vocab" / "roles.ttl").symlink_to("roles.ttl")
    assert problems(data_copy) == [
        "data/vocab/roles.ttl is a symbolic link loop: the participation roles are needed to read projects "
        "and participations"]


# ---------------------------------------------------------------------------- 8. thousands of problems

def test_thousands_of_problems_show_the_first_50_and_a_count(data_copy, tmp_path, capsys):
    f = data_copy / "projects" / "many.yaml"
    f.write_text("source: seed-004\nprojects:\n" + "".join(f"  - id: Bad_{n}\n" for n in range(3000)),
                 encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_records(data_copy)
    assert len(err.value.problems) == 3000
    lines = err.value.render().splitlines()
    assert len(lines) == 52
    assert lines[0] == "3000 problem(s) in the data:"
    assert lines[1] == ("data/projects/many.yaml:3: project 'Bad_0': id: 'Bad_0' is not a valid id "
                        "(lower-case letters, digits and single hyphens)")
    assert lines[-1] == "... and 2950 more problem(s), not shown: fix these first"
    code = main(["build", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    assert code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 52


def test_render_shows_everything_up_to_50():
    error = DataError([(Location("x.yaml", n), "bad") for n in range(1, 51)])
    assert error.render().splitlines()[-1] == "x.yaml:50: bad"
    assert len(error.render().splitlines()) == 51
    assert str(DataError([(Location("x.yaml", 1), "bad")])) == "x.yaml:1: bad"


def test_records_dir_is_not_the_projects_name(tmp_path, data_copy):
    # a data folder that happens to be called "projects" is still read by its file names
    moved = tmp_path / "projects"
    os.rename(data_copy, moved)
    assert "ngo-state-interaction-vulnerable-groups" in load_records(moved).projects
