"""Shared fixtures. Tests are hermetic: they read the repository's own data/ and
fixtures, write only under pytest's tmp_path, and never touch the network."""

from __future__ import annotations

import shutil
from itertools import combinations
from pathlib import Path

import pytest

from ngograph.rdf.build import build_graph
from ngograph.config import PROJECT_ROOT
from ngograph.net.measures import ROLES
from ngograph.records.check import load_records

DATA = PROJECT_ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://w3id.org/ngograph/id/"


def run_cli(capsys, *argv):
    """``ngograph ARGV`` run in this process (so that mutation tests see it): its exit code, stdout and stderr."""
    from ngograph.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def members_nt(members: dict[str, list[str]], countries: dict[str, list[str]], codes: dict[str, str],
               canonical: dict[str, str] | None = None, unnamed: frozenset[str] = frozenset()) -> bytes:
    """N-Triples of projects and their members, by local name: project -> members (``schema:member``),
    organisation -> country nodes (``schema:addressCountry``), country node -> code (``skos:notation``), merged node
    -> its canonical node (``ngo:canonicalOrganisation``); every organisation but the ``unnamed`` labelled with its
    name in upper case. The tiny stores of the queries that pair members."""
    canonical = canonical or {}
    o = lambda name: f"<{BASE}organisation/{name}>"  # noqa: E731
    lines = [f"<{BASE}project/{p}> <https://schema.org/member> {o(m)} ." for p, ms in members.items() for m in ms]
    for name in ({m for ms in members.values() for m in ms} | set(countries) | set(canonical.values())) - unnamed:
        lines.append(f'{o(name)} <http://www.w3.org/2000/01/rdf-schema#label> "{name.upper()}" .')
    lines += [f"{o(name)} <https://schema.org/addressCountry> <{BASE}country/{c}> ."
              for name, cs in countries.items() for c in cs]
    lines += [f'<{BASE}country/{c}> <http://www.w3.org/2004/02/skos/core#notation> "{code}" .' for c, code in codes.items()]
    lines += [f"{o(n)} <https://w3id.org/ngograph/def#canonicalOrganisation> {o(c)} ." for n, c in canonical.items()]
    return ("\n".join(lines) + "\n").encode()


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


def walked_roles(G, group: dict) -> dict:
    """Gould-Fernandez roles of an undirected graph by walking every pair of each node's neighbours (the definition,
    as brokerage_roles counted them before it counted with set intersections)."""
    out = {}
    for b in G:
        roles = dict.fromkeys(ROLES, 0)
        open_pairs = 0
        if b in group:
            nbrs = [n for n in G[b] if n in group and n != b]
            for a, c in combinations(nbrs, 2):
                if G.has_edge(a, c):
                    continue
                open_pairs += 1
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    roles["coordinator"] += 1
                elif ga == gc:
                    roles["itinerant"] += 1
                elif gb in (ga, gc):
                    roles["representative"] += 1
                    roles["gatekeeper"] += 1
                else:
                    roles["liaison"] += 1
        out[b] = {**roles, "total": open_pairs}  # the open pairs b brokers, each once
    return out
