"""Shared fixtures. Tests are hermetic: they read the repository's own data/ and
fixtures, write only under pytest's tmp_path, and never touch the network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ngograph.rdf.build import build_graph
from ngograph.config import PROJECT_ROOT
from ngograph.records.check import load_records

DATA = PROJECT_ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://w3id.org/ngograph/id/"


@pytest.fixture(scope="session")
def records():
    return load_records(DATA)


@pytest.fixture(scope="session")
def built(records):
    return build_graph(records, BASE)


@pytest.fixture(scope="session")
def seed_graph(built):
    return built.graph


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, built):
    """The seed graph in an embedded store on disk, built once per session."""
    from ngograph.store.embedded import write_store

    path = tmp_path_factory.mktemp("store") / "store"
    write_store(path, built.nt, built.locations_nt())
    return path
