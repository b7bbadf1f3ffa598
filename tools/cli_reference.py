"""Write docs/commands.md, the reference of every ``ngograph`` command: each command's ``--help``
as the command line prints it (100 columns wide), so that the options can be read, linked and
searched without installing ngograph. ``tests/test_cli_reference.py`` fails when the file and the
help differ; run this after changing a command:

    python tools/cli_reference.py            # rewrites docs/commands.md
    python tools/cli_reference.py --check    # exit 1 when docs/commands.md is out of date
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ngograph.cli import _parser, commands  # noqa: F401 (commands: the tests ask it here)
from ngograph.fsutil import atomic_write_bytes

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "commands.md"
WIDTH = 100

HEADER = """\
# Commands

Every `ngograph` command with its options, as `ngograph COMMAND --help` prints them. Written by
`python tools/cli_reference.py` from the command line's own definitions; a test fails when the two
differ. The README says which command to run when; docs/sources.md what each import reads.
"""


def _help(parser: argparse.ArgumentParser) -> str:
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)  # argparse wraps to the terminal's width, read from COLUMNS
    try:
        return parser.format_help()
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns


def reference() -> str:
    """docs/commands.md as it should read: the main help, then each command's, in the order of the main help."""
    parser = _parser()
    parts = [HEADER, "## ngograph\n", f"```text\n{_help(parser).rstrip()}\n```\n"]
    for name, sub in commands(parser).items():
        parts += [f"## ngograph {name}\n", f"```text\n{_help(sub).rstrip()}\n```\n"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python tools/cli_reference.py --check")
    ap.add_argument("--check", action="store_true", help="do not write: exit 1 when docs/commands.md differs")
    args = ap.parse_args(argv)
    text = reference()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python tools/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        atomic_write_bytes(TARGET, text.encode("utf-8"))
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
