"""Mutation tests of ``ngograph validate`` (ngograph/cli.py, cmd_validate): the refusal of inference by the fast
engine, its progress bar on a terminal, ``--source`` on both engines, and the records located by the pySHACL engine.

The store holds a curated project (no record) and an imported one (its record "activities.xml:line 7"): each of
them fails the same five shapes, so a report of one source has five results where the whole store has ten."""

from __future__ import annotations

import re
import sys

import pyoxigraph as ox
import pytest

from ngograph.store.embedded import write_graph, write_store

from conftest import run_cli as run

BASE = "https://w3id.org/ngograph/id/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
P, Q = f"<{BASE}project/p>", f"<{BASE}project/iati/q>"
CURATED = f'{P} {TYPE} <https://schema.org/Project> .\n{P} <https://schema.org/name> "Project P"@en .\n'
IMPORTED = (f'{Q} {TYPE} <https://schema.org/Project> .\n{Q} <https://schema.org/name> "Project Q"@en .\n'
            f'{Q} <https://w3id.org/ngograph/def#sourceRecord> "activities.xml:line 7" .\n')
CURATED_LINE = "    (no record location): project/p: the project has no budget\n"
IMPORTED_LINE = "    activities.xml:line 7: project/iati/q: the project has no budget\n"


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    write_store(path, CURATED.encode())
    write_graph(path, ox.NamedNode(BASE + "dataset/iati"), [IMPORTED.encode()])
    return path


def test_the_fast_engine_refuses_inference_naming_it(store, capsys):
    code, out, err = run(capsys, "validate", "--store", store, "--inference", "rdfs")
    assert (code, out) == (2, "")
    assert err == "ngograph validate: --inference rdfs needs --engine pyshacl (the fast engine validates without inference)\n"


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_source_keeps_that_sources_results_on_both_engines(store, capsys, engine):
    code, everything, _ = run(capsys, "validate", "--store", store, "--severity", "info", "--engine", engine, "--fresh")
    assert code == 1 and CURATED_LINE in everything and IMPORTED_LINE in everything  # located on both engines
    assert everything.rstrip().endswith("2 violation(s), 2 warning(s), 6 info(s).")
    code, imported, _ = run(capsys, "validate", "--store", store, "--severity", "info", "--engine", engine,
                            "--source", "iati")
    assert code == 1 and IMPORTED_LINE in imported and "project/p:" not in imported
    assert imported.rstrip().endswith("1 violation(s), 1 warning(s), 3 info(s).")
    code, curated, _ = run(capsys, "validate", "--store", store, "--severity", "info", "--engine", engine,
                           "--source", "curated")
    assert code == 1 and CURATED_LINE in curated and "project/iati/q" not in curated


def test_the_fast_engine_shows_its_checks_on_a_terminal(store, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run(capsys, "validate", "--store", store, "--fresh")
    assert code == 1 and out.rstrip().endswith("2 violation(s), 2 warning(s), 6 info(s).")
    # tqdm's last state of the bar: every check done of all of them, counted one by one (no k or M)
    done = re.findall(r"validate: 100%\|[^|]*\| (\d+)/(\d+) \[[^\]]*?(\d+\.\d\d) checks/s\]", err)
    assert done and done[-1][0] == done[-1][1] and int(done[-1][0]) > 100, err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    code, _, err = run(capsys, "validate", "--store", store, "--fresh")
    assert code == 1 and "checks/s" not in err  # no terminal, no bar
