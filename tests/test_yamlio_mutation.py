"""The strict YAML reader (ngograph/sources/yamlio.py): behaviours a mutation run showed were
not pinned (issue 14, part B). Every file is written in ``tmp_path``; nothing is read at import."""

from __future__ import annotations

import copy
import os
import pickle
from decimal import Decimal

import pytest

from ngograph.errors import DataError, Location
from ngograph.sources.yamlio import (MAX_DEPTH, Dec, Int, Items, Node, describe, file_problem, load_yaml,
                                     number_fix, written)


def load(tmp_path, text, name="x.yaml"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return load_yaml(p, "x.yaml")


def refused(tmp_path, text) -> str:
    with pytest.raises(DataError) as err:
        load(tmp_path, text)
    [(loc, msg)] = err.value.problems
    return f"{loc}: {msg}"


@pytest.mark.parametrize("text,value,kind", [
    ("0444550", 444550, Int), ("-12", -12, Int), ("+7", 7, Int),
    ("92.070", Decimal("92.070"), Dec), ("-.5", Decimal("-0.5"), Dec), ("3.", Decimal("3"), Dec),
    ("+1.25", Decimal("1.25"), Dec),
    ("true", True, bool), ("false", False, bool),
    ("~", None, type(None)), ("null", None, type(None)), ("Null", None, type(None)), ("NULL", None, type(None)),
    ("", None, type(None)),
    ("no", "no", str), ("yes", "yes", str), ("on", "on", str), ("True", "True", str), ("FALSE", "FALSE", str),
    ("nULL", "nULL", str), ("0x6C886", "0x6C886", str), ("1_000", "1_000", str), ("1_000.5", "1_000.5", str),
    (".inf", ".inf", str), ("-.inf", "-.inf", str), (".nan", ".nan", str), ("1e3", "1e3", str),
    ("7:24:35:50", "7:24:35:50", str), ("2019-02-30", "2019-02-30", str), ("12 monkeys", "12 monkeys", str),
    ("1.2.3", "1.2.3", str), ("'12'", "12", str), ("<<", "<<", str), ("=", "=", str),
])
def test_scalars_read_as_yaml_1_2_plain_types(tmp_path, text, value, kind):
    doc = load(tmp_path, f"v: {text}\n")
    assert doc == {"v": value}
    assert type(doc["v"]) is kind


def test_numbers_remember_their_text(tmp_path):
    doc = load(tmp_path, "a: 0123\nb: 1.50\nc: -0\n")
    assert [written(doc[k]) for k in "abc"] == ["0123", "1.50", "-0"]
    assert doc["a"].text == "0123" and doc["b"].text == "1.50"


def test_copies_and_pickles_keep_the_text():
    for value in (Int("0123"), Dec("1.50")):
        for twin in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
            assert type(twin) is type(value) and twin == value and twin.text == value.text


def test_written_and_describe():
    assert written(False) == "false" and written(True) == "true"
    assert written(5) == "5" and written(Decimal("2.50")) == "2.50"
    assert written(["a"]) == ["a"] and written("x") == "x"
    assert describe(False) == "false" and describe(True) == "true"
    assert describe(5) == "the number 5" and describe(Decimal("2.5")) == "the number 2.5"
    assert describe({}) == "a mapping" and describe([]) == "a list" and describe("") == "text ''"


@pytest.mark.parametrize("text,fix", [
    ("1,000", "write 1000, not 1,000: numbers take no thousands separators and use a point before decimals"),
    ("-12,345,678.9", "write -12345678.9, not -12,345,678.9: numbers take no thousands separators and use a "
                      "point before decimals"),
    ("92,07", "write 92.07, not 92,07: numbers use a point before decimals"),
    ("+1,5", "write +1.5, not +1,5: numbers use a point before decimals"),
    ("1234,567", "write 1234.567, not 1234,567: numbers use a point before decimals"),
    ("1,0000", "write 1.0000, not 1,0000: numbers use a point before decimals"),
    ("1,000x", "write it in base-10 digits, with a point before any decimals (e.g. 1000.50)"),
    ("x1,000", "write it in base-10 digits, with a point before any decimals (e.g. 1000.50)"),
    ("1,2,3", "write it in base-10 digits, with a point before any decimals (e.g. 1000.50)"),
])
def test_number_fix(text, fix):
    assert number_fix(text) == fix


@pytest.mark.parametrize("text,message", [
    ("a: !!int 0x10\n", "x.yaml:1: invalid YAML: '0x10' is not a number: write it in base-10 digits, with a point "
                        "before any decimals (e.g. 1000.50)"),
    ("a: !!float 1,5\n", "x.yaml:1: invalid YAML: '1,5' is not a number: write 1.5, not 1,5: numbers use a point "
                         "before decimals"),
    ("a: !!float .inf\n", "x.yaml:1: invalid YAML: '.inf' is not a number: write it in base-10 digits, with a "
                          "point before any decimals (e.g. 1000.50)"),
    ("a: !!bool yes\n", "x.yaml:1: invalid YAML: 'yes' is not true or false"),
    ("a: !!timestamp 2019-01-01\n", "x.yaml:1: invalid YAML: YAML tag refused (only plain YAML is accepted): "
                                    "could not determine a constructor for the tag "
                                    "'tag:yaml.org,2002:timestamp'"),
    ("a: 1\n1: b\n", "x.yaml:2: invalid YAML: keys must be text, found the number 1"),
    ("a: 1\ntrue: b\n", "x.yaml:2: invalid YAML: keys must be text, found true"),
    ("a: 1\n~: b\n", "x.yaml:2: invalid YAML: keys must be text, found nothing"),
    ("a: 1\n[x]: b\n", "x.yaml:2: invalid YAML: keys must be text, found a list"),
    ("x: {amount: 1,000.50}\n", "x.yaml:1: invalid YAML: write 1000.50, not 1,000.50: numbers take no thousands "
                                "separators and use a point before decimals (inside { } a comma separates fields)"),
    ("x: {share: 92,07}\n", "x.yaml:1: invalid YAML: write 92.07, not 92,07: numbers use a point before decimals "
                            "(inside { } a comma separates fields)"),
    ("x: {1: a}\n", "x.yaml:1: invalid YAML: keys must be text, found the number 1"),
    ("x: {a: b, 2: c}\n", "x.yaml:1: invalid YAML: keys must be text, found the number 2"),
    ("x:\n  amount: 1\n  000: 2\n", "x.yaml:3: invalid YAML: keys must be text, found the number 000"),
    # only inside { } does a comma split a number: a block mapping's number key is just a number key
    ("a: 1,000\n5: x\n", "x.yaml:2: invalid YAML: keys must be text, found the number 5"),
    ("5: x\nb: 1,5\n", "x.yaml:1: invalid YAML: keys must be text, found the number 5"),
    ("a: 1\nb:\n  c: 2\n  c: 3\n", "x.yaml:4: invalid YAML: duplicate key 'c'"),
    ("- a\n- &x b\n- *x\n", "x.yaml:3: invalid YAML: anchors and aliases are not allowed in ngograph data"),
    ("a: !!set {x}\n", "x.yaml:1: invalid YAML: YAML tag refused (only plain YAML is accepted): could not "
                       "determine a constructor for the tag 'tag:yaml.org,2002:set'"),
    ("x: 1\na: !!map [1]\n", "x.yaml:2: invalid YAML: expected a mapping, found sequence"),
    # the first problem in reading order: a nested mapping before the keys after it
    ("a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n", "x.yaml:3: invalid YAML: duplicate key 'b'"),
    ("a: 1\n---\nb: 2\n", "x.yaml:2: invalid YAML: but found another document"),
    ("a: b\x07\n", "x.yaml:1: invalid YAML: character U+0007 is not allowed (a control character)"),
    ("a: 1\nb: 2\nc: \x01\n", "x.yaml:3: invalid YAML: character U+0001 is not allowed (a control character)"),
])
def test_refused_with_line(tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_merge_key_is_text_not_a_merge(tmp_path):
    assert load(tmp_path, "a: {x: 1}\nb: {<<: y}\n") == {"a": {"x": 1}, "b": {"<<": "y"}}


def test_non_utf8_names_line_and_byte(tmp_path):
    assert refused(tmp_path, b"a: 1\nb: 2\nc: caf\xe9\n") == (
        "x.yaml:3: not UTF-8 text (byte 0xe9): save the file as UTF-8")
    assert refused(tmp_path, b"\xff") == "x.yaml:1: not UTF-8 text (byte 0xff): save the file as UTF-8"


def test_file_problems(tmp_path):
    assert file_problem(tmp_path) == "is a folder, not a file"
    assert file_problem(tmp_path / "none") == "does not exist"
    (tmp_path / "f").write_text("")
    assert file_problem(tmp_path / "f") is None
    os.symlink(tmp_path / "none", tmp_path / "dangling")
    assert file_problem(tmp_path / "dangling") == "is a symbolic link to a file that does not exist"
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    assert file_problem(tmp_path / "loop") == "is a symbolic link loop"
    assert file_problem(str(tmp_path / "f")) is None


def test_read_errors_name_the_file(tmp_path):
    for path, why in [(tmp_path / "none.yaml", "does not exist"), (tmp_path, "is a folder, not a file")]:
        with pytest.raises(DataError) as err:
            load_yaml(path, "shown.yaml")
        assert err.value.problems == [(Location("shown.yaml", 1), f"the file {why}")]
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    with pytest.raises(DataError) as err:
        load_yaml(tmp_path / "loop")
    assert err.value.problems == [(Location(str(tmp_path / "loop"), 1), "the file is a symbolic link loop")]


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    p = tmp_path / "x.yaml"
    p.write_text("a: 1\n")
    p.chmod(0)
    with pytest.raises(DataError) as err:
        load_yaml(p, "x.yaml")
    assert err.value.problems == [(Location("x.yaml", 1), "the file cannot be read: Permission denied")]


def test_display_name_defaults_to_the_path(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("a: [\n")
    with pytest.raises(DataError) as err:
        load_yaml(p)
    assert err.value.problems[0][0] == Location(str(p), 2)
    y = tmp_path / "y.yaml"
    y.write_text("a: {b: 1}\n")
    assert load_yaml(y)["a"].loc == Location(str(y), 1)


def test_locations_of_mappings_keys_and_items(tmp_path):
    doc = load(tmp_path, "top: 1\nlist:\n  - a\n  -\n    k: v\n    j: w\nempty: []\n")
    assert isinstance(doc, Node) and isinstance(doc["list"], Items)
    assert doc.loc == Location("x.yaml", 1)
    assert doc.key_locs == {"top": Location("x.yaml", 1), "list": Location("x.yaml", 2),
                            "empty": Location("x.yaml", 7)}
    assert doc.where("list") == Location("x.yaml", 2)
    assert doc.where("absent") == Location("x.yaml", 1)
    items = doc["list"]
    assert items.loc == Location("x.yaml", 3)
    assert items.item_locs == [Location("x.yaml", 3), Location("x.yaml", 5)]
    assert items.where(0) == Location("x.yaml", 3) and items.where(1) == Location("x.yaml", 5)
    assert items.where(2) == items.loc and items.where(9) == items.loc
    assert items[1].loc == Location("x.yaml", 5) and items[1].where("j") == Location("x.yaml", 6)
    assert doc["empty"] == [] and doc["empty"].item_locs == []


def test_top_level_that_is_not_a_mapping(tmp_path):
    assert load(tmp_path, "- a\n- b\n") == ["a", "b"]
    assert load(tmp_path, "just text\n") == "just text"
    assert load(tmp_path, "") is None


def test_nesting_limit(tmp_path):
    depth_ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    doc = load(tmp_path, f"a: {depth_ok}\n")
    inner = doc["a"]
    for _ in range(MAX_DEPTH - 2):
        inner = inner[0]
    assert inner == []
    assert refused(tmp_path, f"x: 1\ny: 2\na: [{depth_ok}]\n") == (
        f"x.yaml:3: invalid YAML: nested more than {MAX_DEPTH} levels deep")
    assert MAX_DEPTH == 64


def test_deep_nesting_does_not_leak_between_files(tmp_path):
    # the depth counter goes back down after each node: many siblings at depth 2 are fine
    text = "a:\n" + "".join(f"  k{i}: [[1]]\n" for i in range(100))
    assert len(load(tmp_path, text)["a"]) == 100
