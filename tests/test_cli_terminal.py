"""The commands with a progress bar, run on a real pseudo-terminal (tests otherwise run without one, so a bar is
never drawn there): `ngograph import` raised TypeError on every terminal (a tqdm bar without a total has no truth
value), unseen because no test had a terminal."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import FIXTURES

IATI = FIXTURES / "sources" / "iati"


def on_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run ``ngograph ARGS`` with stderr on a pseudo-terminal 100 columns wide (stdout on a pipe); its exit
    code, stdout and what the terminal showed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "ngograph", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, cwd=cwd)
    os.close(slave)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=300)
    os.close(master)
    return proc.returncode, out.decode(), shown.decode(errors="replace")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    assert sorted(IATI.glob("*.xml*")), IATI
    cwd = tmp_path_factory.mktemp("terminal")
    code, out, shown = on_terminal(["import", "iati", str(IATI), "--store", str(cwd / "store")], cwd)
    return cwd, code, out, shown


def test_import_draws_its_bar_on_a_terminal(imported):
    _, code, out, shown = imported
    assert code == 0, shown
    assert "Traceback" not in shown and "import iati:" in shown and " records" in shown
    assert "projects" in out  # the summary table on stdout


def test_validate_draws_its_checks_on_a_terminal(imported):
    cwd, _, _, _ = imported
    code, out, shown = on_terminal(["validate", "--store", str(cwd / "store"), "--fresh"], cwd)
    assert code in (0, 1), shown
    assert "Traceback" not in shown and "validate: 100%" in shown and " checks" in shown
    assert "The graph" in out
    code, out, shown = on_terminal(["validate", "--store", str(cwd / "store")], cwd)  # the kept report: no bar
    assert code in (0, 1) and "checks" not in shown and "The graph" in out


def test_site_draws_its_pages_on_a_terminal(imported):
    cwd, _, _, _ = imported
    code, _, shown = on_terminal(["site", "--store", str(cwd / "store"), "--output", str(cwd / "site")], cwd)
    assert code == 0, shown
    assert "Traceback" not in shown and "site: 100%" in shown and " pages" in shown
    assert (cwd / "site" / "index.html").is_file()


def test_export_draws_its_two_phases_on_a_terminal(imported):
    cwd, _, _, _ = imported
    code, _, shown = on_terminal(["export", "--store", str(cwd / "store"), "--output", str(cwd / "x.ttl")], cwd)
    assert code == 0, shown
    assert "Traceback" not in shown and "export: read: 100%" in shown and "export: write: 100%" in shown
    assert (cwd / "x.ttl").stat().st_size > 0


def test_export_and_validate_bars_in_process(imported, monkeypatch, capsys):
    """The same bars in this process (where a mutation run's mutants are), stderr taken for a terminal: each phase's
    bar is drawn, closed before the next, and none is left open."""
    from ngograph.cli import main

    cwd, _, _, _ = imported
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["export", "--store", str(cwd / "store"), "--format", "nt", "--output", str(cwd / "y.nt")]) == 0
    err = capsys.readouterr().err
    assert err.index("export: read: 100%") < err.index("export: write: ") < err.index("export: write: 100%")
    assert " statements/s]" in err and " records" not in err
    last = err.rstrip().splitlines()[-1]
    assert last.startswith(f"export: {len((cwd / 'y.nt').read_bytes().splitlines())} triples")
    assert re.search(r" \([0-9.]+ (ms|s)\)$", last), last  # the time it took
    assert main(["validate", "--store", str(cwd / "store"), "--fresh"]) in (0, 1)
    err = capsys.readouterr().err
    assert "validate: 100%" in err and " checks" in err and err.rstrip().splitlines()[-1].startswith("validate: the store")
