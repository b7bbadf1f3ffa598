"""Files we read are UTF-8 whatever the user's locale: each reader run in a child Python under an
ASCII locale (``LC_ALL=C``, no UTF-8 mode), on a file with non-ASCII text. Under the UTF-8 locale
the other tests run in, a reader that left out ``encoding="utf-8"`` would pass. Each test reads the
file in this process too and expects the same answer (which also tells mutmut, which only runs the
tests it saw call a function, that the test calls the reader)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ngograph
from ngograph.rdf.build import build_graph
from ngograph.reconcile.decisions import read_decisions
from ngograph.records.check import Records


def run_ascii(code: str, *args: str) -> str:
    """``code`` run by a child Python (the same ngograph package) under an ASCII locale; its stdout."""
    env = {**os.environ, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C", "LANG": "C",
           "PYTHONPATH": str(Path(ngograph.__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", "import locale; assert locale.getpreferredencoding(False) != "
                           "'utf-8', 'not an ASCII locale'\n" + code, *args],
                          env=env, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_vocabulary_is_located_line_by_line(tmp_path):
    folder = tmp_path / "data" / "vocab"
    folder.mkdir(parents=True)
    (folder / "tiny.ttl").write_text('@prefix ex: <https://example.org/v/> .\n# Rīga, Tartu\n\n'
                                     'ex:r ex:label "Rīga"@lv .\n', encoding="utf-8")
    out = run_ascii("import sys; from pathlib import Path; from ngograph.rdf.build import build_graph; "
                    "from ngograph.records.check import Records; "
                    "print(build_graph(Records(vocab_files=[Path(sys.argv[1])]), 'https://example.org/ngo/')"
                    ".locations)", str(folder / "tiny.ttl"))
    assert out == "{'https://example.org/v/r': Location(file='data/vocab/tiny.ttl', line=4)}"
    here = build_graph(Records(vocab_files=[folder / "tiny.ttl"]), "https://example.org/ngo/").locations
    assert out == str(here)


def test_reconciliation_decisions_are_read(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text("left,right,decision,why\norganisation/a,organisation/b,accept,both in Rīga\n", encoding="utf-8")
    out = run_ascii("import sys; from pathlib import Path; from ngograph.reconcile.decisions import read_decisions; "
                    "print(read_decisions(Path(sys.argv[1]), 'https://e.org/'))", str(path))
    assert out == "[('https://e.org/organisation/a', 'https://e.org/organisation/b', 'accept')]"
    assert out == str(read_decisions(path, "https://e.org/"))


def test_the_command_line_prints_utf8_whatever_the_locale(seed_store):
    """What ngograph prints is UTF-8 under an ASCII locale too, as what it reads is: a CSV, JSON or table of Latvian
    and Lithuanian names on stdout ended in a UnicodeEncodeError traceback (exit 1)."""
    env = {**os.environ, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C", "LANG": "C",
           "PYTHONPATH": str(Path(ngograph.__file__).resolve().parent.parent)}
    for fmt in ("csv", "json", "table"):
        done = subprocess.run([sys.executable, "-m", "ngograph", "query", "lead-partners", "--format", fmt,
                               "--store", str(seed_store)], env=env, capture_output=True)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        out = done.stdout.decode("utf-8")  # strict: every byte UTF-8
        assert "Izglītības iniciatīvu centrs" in out and "Nacionalinis lygybės ir įvairovės forumas" in out
