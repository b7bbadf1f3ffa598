"""docs/commands.md is every command's help as the command line prints it, and every command's help
has an example that names the command."""

from __future__ import annotations

import argparse
import re
import sys

import pytest

from ngograph.cli import _parser, main
from ngograph.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import cli_reference  # noqa: E402

COMMANDS = ["build", "import", "reconcile", "validate", "export", "docs", "query", "push", "network", "analyze",
            "plot", "site", "serve", "summary", "extract", "refdata"]


def test_the_commands_are_the_ones_listed_here():
    assert list(cli_reference.commands()) == COMMANDS


#: argparse lays help out a little differently from one Python to the next; the file is written with the CI's.
WRITTEN_WITH = (3, 11)


@pytest.mark.skipif(sys.version_info[:2] != WRITTEN_WITH, reason="docs/commands.md is written with Python 3.11")
def test_docs_commands_md_is_up_to_date():
    assert cli_reference.TARGET.read_text(encoding="utf-8") == cli_reference.reference(), \
        "docs/commands.md differs from the commands' help: run python tools/cli_reference.py"
    assert cli_reference.main(["--check"]) == 0


def test_reference_holds_each_help_as_printed(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(cli_reference.WIDTH))
    text = cli_reference.reference()
    for verb in COMMANDS:
        with pytest.raises(SystemExit):
            main([verb, "--help"])
        printed = capsys.readouterr().out.rstrip()
        assert f"## ngograph {verb}\n\n```text\n{printed}\n```\n" in text


def test_check_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "commands.md"
    stale.write_text("# Commands\n", encoding="utf-8")
    monkeypatch.setattr(cli_reference, "TARGET", stale)
    monkeypatch.setattr(cli_reference, "ROOT", tmp_path)
    assert cli_reference.main(["--check"]) == 1
    assert "commands.md is out of date: run python tools/cli_reference.py" in capsys.readouterr().err
    assert cli_reference.main([]) == 0
    assert stale.read_text(encoding="utf-8") == cli_reference.reference()


@pytest.mark.parametrize("verb", COMMANDS)
def test_every_help_has_an_example_of_its_command(verb, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([verb, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    examples = out[out.index("example"):]
    assert f"ngograph {verb}" in examples


def _options():
    for verb, parser in cli_reference.commands().items():
        for action in parser._actions:
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
                yield verb, action


def test_every_default_is_the_one_the_help_states():
    """An option with a default says it in its help, "(default: X)", and X is the default the command uses.
    (One test over every option, not one per option: parameters made while the tests are collected would
    come from a parser built before mutmut applies a mutant.)"""
    wrong = []
    for verb, action in _options():
        stated = re.search(r"\(default:? ([^);]+)", action.help or "")
        text = stated.group(1).replace(",", "").split()[0] if stated else None
        if isinstance(action.default, (int, float)) and text is not None:
            ok = float(text) == action.default
        else:
            ok = text == action.default
        if not ok:
            wrong.append(f"ngograph {verb} {action.option_strings[0]}: default {action.default!r}, help says {text!r}")
    # the defaults a command applies itself (the option's own is None, so that a given one is told from the default)
    from ngograph import cli
    applied = {("plot", "size_by"): cli.PLOT_SIZE_BY, ("plot", "top"): cli.PLOT_TOP,
               ("plot", "max_nodes"): cli.PLOT_MAX_NODES, ("plot", "partition"): "country",
               ("analyze", "partition"): "country", ("query", "timeout"): f"{cli.QUERY_TIMEOUT:g}"}
    for (verb, dest), default in applied.items():
        action = next(a for a in cli_reference.commands()[verb]._actions if a.dest == dest)
        stated = re.search(r"\(default:? ([^);]+)", action.help or "")
        if action.default is not None or stated is None or stated.group(1).replace(",", "").split()[0] != str(default):
            wrong.append(f"ngograph {verb} --{dest}: applies {default!r}, help says {stated and stated.group(1)!r}")
    assert wrong == []
    assert len(list(_options())) + len(applied) >= 28  # the options with defaults on 2026-12-01: 28


def test_each_command_runs_its_own_function():
    for verb, parser in cli_reference.commands().items():
        func = parser.get_default("func")
        assert func.__name__ == f"cmd_{verb}", verb
    args = _parser().parse_args(["summary"])
    assert args.command == "summary"
