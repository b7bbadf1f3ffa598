"""The strict YAML reader (ngograph/sources/yamlio.py): what the whole-module mutation run of
issue 14 (mut-core3) found loose. Every file is written in ``tmp_path``; nothing is read at import."""

from __future__ import annotations

import pytest

from ngograph.errors import DataError, Location
from ngograph.sources.yamlio import MAX_DEPTH, load_yaml


def refused(tmp_path, text: str) -> tuple[Location, str]:
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_yaml(p, "x.yaml")
    [problem] = err.value.problems
    return problem


@pytest.mark.parametrize("text,line,message", [
    # a tagged value that is not what its tag says is reported at its own line, not at line 1
    ("a: 1\nb: 2\nc: !!int 0x10\n", 3,
     "invalid YAML: '0x10' is not a number: write it in base-10 digits, with a point before any decimals "
     "(e.g. 1000.50)"),
    ("a: 1\nb: !!float 1,5\n", 2, "invalid YAML: '1,5' is not a number: write 1.5, not 1,5: numbers use a point "
                                  "before decimals"),
    ("a: 1\nb:\n  - x\n  - !!bool yes\n", 4, "invalid YAML: 'yes' is not true or false"),
    ("a: 1\nb: 2\nc: !!bool 'no'\n", 3, "invalid YAML: 'no' is not true or false"),
])
def test_tagged_value_refused_at_its_line(tmp_path, text, line, message):
    assert refused(tmp_path, text) == (Location("x.yaml", line), message)


def test_nesting_limit_counts_mappings_whose_keys_come_first(tmp_path):
    # each mapping reads its key before its value: the key's node must not reset the depth
    deepest_ok = "{k: " * (MAX_DEPTH - 2) + "1" + "}" * (MAX_DEPTH - 2)  # with the top mapping: 64 nodes deep
    p = tmp_path / "ok.yaml"
    p.write_text(f"a: {deepest_ok}\n", encoding="utf-8")
    inner = load_yaml(p)["a"]
    for _ in range(MAX_DEPTH - 3):
        inner = inner["k"]
    assert inner == {"k": 1}
    too_deep = "{k: " * (MAX_DEPTH - 1) + "1" + "}" * (MAX_DEPTH - 1)
    assert refused(tmp_path, f"x: 1\na: {too_deep}\n") == (
        Location("x.yaml", 2), f"invalid YAML: nested more than {MAX_DEPTH} levels deep")


def test_line_of_a_bad_byte_or_character_counts_a_leading_blank_line(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_bytes(b"\na: caf\xe9\n")
    with pytest.raises(DataError) as err:
        load_yaml(p, "x.yaml")
    assert err.value.problems == [(Location("x.yaml", 2), "not UTF-8 text (byte 0xe9): save the file as UTF-8")]
    assert refused(tmp_path, "\na: b\x07\n") == (
        Location("x.yaml", 2), "invalid YAML: character U+0007 is not allowed (a control character)")
