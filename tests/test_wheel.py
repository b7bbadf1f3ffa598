"""The wheel works outside the repository (issue 15).

One module-scoped fixture copies the project's packaging inputs into tmp_path, runs ``python -m build``
(an sdist, then the wheel built from that sdist), installs the wheel into a clean venv in tmp_path and
runs the pipeline there with the working directory in tmp_path, far from the checkout: nothing of the
checkout is on the path, so every resource must come from the installed package. pip may use its cache
or the package index to install the dependencies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from ngograph import __version__
from ngograph.config import PROJECT_ROOT
from ngograph.queries.library import list_queries
from ngograph.resources import (CONTEXT_FILE, EXAMPLE_DIR, ONTOLOGY_FILE, QUERIES_DIR, reference_dir, resource,
                                vocab_dir)

#: What a build needs of the checkout: the package (with its resource links), the files they point to.
SOURCES = ["pyproject.toml", "README.md", "CHANGELOG.md", "ngograph", "ontology", "queries", "data"]
#: Modules the command line must not import before a verb runs (`ngograph --help` starts fast).
HEAVY = {"rdflib", "pyoxigraph", "pyshacl", "matplotlib", "networkx", "scipy", "jinja2", "yaml", "pyld"}


def _run(cmd, cwd, env, expect=0):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == expect, f"{cmd}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(dist folder, venv bin folder, working folder, environment) of the wheel installed in a clean venv."""
    root = tmp_path_factory.mktemp("wheel")
    src, dist, work = root / "src", root / "dist", root / "work"
    src.mkdir()
    for name in SOURCES:
        path = PROJECT_ROOT / name
        if path.is_dir():  # the links stay links, as in a fresh checkout
            shutil.copytree(path, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NGOGRAPH_", "PYTHON", "VIRTUAL_ENV"))}
    env["MPLBACKEND"] = "Agg"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)], root, env)
    _run([sys.executable, "-m", "venv", str(root / "venv")], root, env)
    bin_dir = root / "venv" / "bin"
    (wheel,) = dist.glob("*.whl")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-compile", str(wheel)], root, env)
    work.mkdir()
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    _run(["ngograph", "build", "--example"], work, env)
    return dist, bin_dir, work, env


def test_sdist_and_wheel_carry_the_resources_as_files(installed):
    dist = installed[0]
    (sdist,) = dist.glob(f"ngograph-{__version__}.tar.gz")
    (wheel,) = dist.glob(f"ngograph-{__version__}-py3-none-any.whl")
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for rel in ["ngograph/resources/ontology/ngograph.ttl", "ngograph/resources/ontology/shapes.ttl",
                "ngograph/resources/ontology/context.jsonld", "ngograph/resources/queries/summary.rq",
                "ngograph/resources/queries/qc/funder-without-grant-violation.rq", "ngograph/resources/vocab/roles.ttl",
                "ngograph/resources/reference/europe-countries.geojson",
                "ngograph/resources/example/projects/seed-000.yaml", "ngograph/publish/templates/docs/ontology.html"]:
        assert rel in names, rel
        assert members[rel].isfile(), rel  # a file, not a link into a checkout the user does not have
    # exactly the checkout's queries, vocabularies and seed projects, and no user data (reconcile decisions)
    assert sum(n.startswith("ngograph/resources/queries/") for n in names) == len(list(QUERIES_DIR.rglob("*.rq")))
    assert sum(n.startswith("ngograph/resources/vocab/") for n in names) == len(list(vocab_dir().glob("*.ttl"))) == 20
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("ngograph/resources/example/projects/")) == \
        [f"seed-00{i}.yaml" for i in range(5)]
    assert not [n for n in names if n.endswith(".csv")]


def test_version_from_the_installed_package(installed):
    _, bin_dir, work, env = installed
    assert _run(["ngograph", "--version"], work, env).stdout == f"ngograph {__version__}\n"
    where = _run([str(bin_dir / "python"), "-c", "import ngograph.resources as r; print(r.ONTOLOGY_FILE)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent)  # read from the venv, not the checkout


def test_the_command_line_imports_no_stage_before_a_verb_runs(installed):
    _, bin_dir, work, env = installed
    code = "import sys, ngograph.cli; print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))"
    assert _run([str(bin_dir / "python"), "-c", code, *sorted(HEAVY)], work, env).stdout == "[]\n"
    assert "build" in _run(["ngograph", "--help"], work, env).stdout


def test_build_example_then_validate(installed):
    _, _, work, env = installed
    assert (work / ".ngograph" / "store").is_symlink()  # the default store, in the working folder
    done = _run(["ngograph", "validate", "--severity", "violation"], work, env)
    assert "conforms" in done.stdout + done.stderr


def test_query_list_and_a_library_query(installed):
    _, _, work, env = installed
    listed = _run(["ngograph", "query", "--list"], work, env).stdout
    names = [line.split()[0] for line in listed.splitlines() if line and not line.startswith(" ")]
    assert names == [q.name for q in list_queries()] and "country-pairs" in names
    rows = list(csv.DictReader(io.StringIO(_run(["ngograph", "query", "summary", "--format", "csv"], work, env).stdout)))
    # the example's headline counts (seven projects in the five seed files), as the checkout's data/ gives them
    assert [{k: v for k, v in row.items() if k != "triples"} for row in rows] == [
        {"projects": "7", "organisations": "30", "countries": "9", "funders": "3", "participations": "55", "events": "14"}]


def test_network_plot_and_export(installed):
    _, _, work, env = installed
    _run(["ngograph", "network", "--kind", "countries", "--output", "countries.graphml"], work, env)
    G = nx.read_graphml(work / "countries.graphml")
    assert G.number_of_nodes() > 2 and all(len(n) == 2 for n in G)  # ISO alpha-2 country codes
    _run(["ngograph", "plot", "--figure", "map", "--output", "map.png"], work, env)  # reads the shipped reference
    assert (work / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _run(["ngograph", "export", "--format", "ntriples", "--output", "dump.nt"], work, env)
    dump = (work / "dump.nt").read_text(encoding="utf-8")
    assert f'<http://www.w3.org/ns/dcat#version> "{__version__}"' in dump  # the description, in the dump
    meta = json.loads((work / "dump.nt.meta.json").read_text(encoding="utf-8"))
    assert meta["ngograph_version"] == __version__


def test_a_missing_extra_is_named_in_one_line(installed):
    _, _, work, env = installed
    done = _run(["ngograph", "serve"], work, env, expect=2)
    assert done.stdout == "" and re.fullmatch(
        r"ngograph serve: ngograph serve needs the serve extra \((anyio|starlette|uvicorn) is missing\): "
        r"pip install -e '\.\[serve\]' in a checkout, pip install 'dist/ngograph-\*\.whl\[serve\]' with the wheel\n",
        done.stderr), done.stderr


# ---------------------------------------------------------------------------- the checkout (editable install)

def test_resources_in_the_checkout_are_its_top_level_files():
    assert ONTOLOGY_FILE == PROJECT_ROOT / "ontology" / "ngograph.ttl"
    assert CONTEXT_FILE == PROJECT_ROOT / "ontology" / "context.jsonld"
    assert QUERIES_DIR == PROJECT_ROOT / "queries"
    assert resource("vocab") == vocab_dir() == PROJECT_ROOT / "data" / "vocab"
    assert reference_dir() == PROJECT_ROOT / "data" / "reference"
    example = sorted(p.name for p in (EXAMPLE_DIR / "projects").glob("*.yaml"))
    assert example == sorted(p.name for p in (PROJECT_ROOT / "data" / "projects").glob("*.yaml")) and len(example) == 5


def test_a_data_folder_with_its_own_vocab_or_reference_uses_it(tmp_path):
    (tmp_path / "vocab").mkdir()
    assert vocab_dir(tmp_path) == tmp_path / "vocab" and reference_dir(tmp_path) == resource("reference")
