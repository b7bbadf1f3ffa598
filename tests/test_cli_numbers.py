"""Whole-number options are checked when the command line is read: a number out of range is one
argparse error line and exit code 2, before any store is opened. Before, `analyze --k 0` ended
in a ZeroDivisionError traceback, `--k -5` in a ValueError traceback, `query --max-rows -5` in
"the embedded store cannot run the query: Indices for islice()...", `serve --port 99999999`
hung, `serve --port -1` failed in the server with exit code 3, and `validate --max-per-group -1`
printed one result fewer than it counted."""

from __future__ import annotations

import pytest

from ngograph.cli import _parser, main

CASES = [
    (["analyze", "--k", "0"], "analyze", "--k", "'0': the sampled sources are a whole number from 1, or all (exact)"),
    (["analyze", "--k", "-5"], "analyze", "--k", "'-5': the sampled sources are a whole number from 1, or all (exact)"),
    (["plot", "--figure", "network", "--output", "x", "--k", "0"], "plot", "--k",
     "'0': the sampled sources are a whole number from 1, or all (exact)"),
    (["plot", "--figure", "network", "--output", "x", "--max-nodes", "1"], "plot", "--max-nodes",
     "'1': the number of organisations drawn is a whole number from 2"),
    (["analyze", "--top", "-3"], "analyze", "--top", "'-3': the row cap is a whole number from 1"),
    (["query", "summary", "--max-rows", "-5"], "query", "--max-rows", "'-5': the row cap is a whole number from 1"),
    (["query", "summary", "--max-rows", "1e3"], "query", "--max-rows",
     "'1e3': the row cap is a whole number from 1"),
    (["validate", "--max-per-group", "-1"], "validate", "--max-per-group",
     "'-1': the results shown per shape is a whole number from 0"),
    (["plot", "--figure", "network", "--output", "x", "--top", "0"], "plot", "--top",
     "'0': the number of organisations is a whole number from 1"),
    (["site", "--workers", "0"], "site", "--workers", "'0': the number of processes is a whole number from 1"),
    (["serve", "--port", "99999999"], "serve", "--port", "'99999999': the port is a whole number from 1 to 65535"),
    (["serve", "--port", "-1"], "serve", "--port", "'-1': the port is a whole number from 1 to 65535"),
    (["serve", "--port", "65536"], "serve", "--port", "'65536': the port is a whole number from 1 to 65535"),
    (["serve", "--workers", "0"], "serve", "--workers", "'0': the number of processes is a whole number from 1"),
    (["serve", "--max-rows", "0"], "serve", "--max-rows", "'0': the row cap is a whole number from 1"),
    (["serve", "--cache", "-1"], "serve", "--cache", "'-1': the number of cached pages is a whole number from 0"),
]


@pytest.mark.parametrize(("argv", "command", "option", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_number_out_of_range_is_one_error_line(argv, command, option, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--store", str(tmp_path / "no-store")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == f"ngograph {command}: error: argument {option}: {message}"
    assert not (tmp_path / "no-store").exists()


@pytest.mark.parametrize(("argv", "option", "value"), [
    (["analyze", "--k", "1"], "k", 1), (["analyze", "--top", "1"], "top", 1),
    (["validate", "--max-per-group", "0"], "max_per_group", 0), (["serve", "--port", "1"], "port", 1),
    (["serve", "--port", "65535"], "port", 65535), (["serve", "--cache", "0"], "cache", 0),
    (["query", "summary", "--max-rows", "1"], "max_rows", 1)])
def test_the_bounds_themselves_are_accepted(argv, option, value):
    assert getattr(_parser().parse_args(argv), option) == value
