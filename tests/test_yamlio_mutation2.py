"""The strict YAML reader (ngograph/sources/yamlio.py): what the whole-module mutation run of
issue 14 (mut-core3) found loose. Every file is written in ``tmp_path``; nothing is read at import."""

from __future__ import annotations

import pytest

from ngograph.errors import DataError, Location
from ngograph.sources.yamlio import load_yaml


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
