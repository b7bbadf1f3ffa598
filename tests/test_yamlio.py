"""The strict YAML reader."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ngograph.errors import DataError
from ngograph.sources.yamlio import load_yaml


def load(tmp_path, text):
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    return load_yaml(p, "x.yaml")


def test_norway_is_not_false(tmp_path):
    doc = load(tmp_path, "name: {no: Velferdsalliansen}\nonline: true\nother: yes\n")
    assert doc == {"name": {"no": "Velferdsalliansen"}, "online": True, "other": "yes"}


def test_dates_stay_text_and_decimals_are_exact(tmp_path):
    doc = load(tmp_path, "start: 2019-10-01\nshare: 92.07\namount: 444550\n")
    assert doc == {"start": "2019-10-01", "share": Decimal("92.07"), "amount": 444550}


def test_lines_are_remembered(tmp_path):
    doc = load(tmp_path, "items:\n  - id: a\n  - id: b\n    x: 1\n")
    assert str(doc["items"].where(1)) == "x.yaml:3"
    assert str(doc["items"][1].where("x")) == "x.yaml:4"


@pytest.mark.parametrize("text,line,fragment", [
    ("a: !!python/object/apply:os.system [ls]\n", 1, "YAML tag refused"),
    ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    ("a: &x [1]\nb: *x\n", 2, "anchors and aliases are not allowed"),
    ("a: [1,\nb: 2\n", 3, "invalid YAML"),
    ("a:\n\tb: 1\n", 2, "invalid YAML"),
])
def test_refused(tmp_path, text, line, fragment):
    with pytest.raises(DataError) as err:
        load(tmp_path, text)
    [(loc, msg)] = err.value.problems
    assert (loc.file, loc.line) == ("x.yaml", line)
    assert fragment in msg
