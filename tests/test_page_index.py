"""The page index (issue 12 §7): what every page needs, read once per store
(:class:`ngograph.publish.page_index.PageIndex`), gives the rows the site's queries give, on every
resource of the seeds and on a tiny graph checked by hand; the site written from it is the site
written by the queries, byte for byte; the server's pages are the site's; a store swap brings a
new index."""

from __future__ import annotations

import json
import time

import pytest

import ngograph.publish.site as site_module
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import Paths, QueryReader, json_indented, make_page, rdf_bytes, render_page
from ngograph.publish.serve import make_app
from ngograph.publish.site import SITE_FORMATS, resource_index, write_site
from ngograph.rdf.namespaces import NGO, RDF, RDFS, SCHEMA, SKOS
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

from conftest import BASE
from test_serve_perf_paths import get

P, Q, R = (BASE + f"project/{x}" for x in "pqr")
A, A2, B, C = (BASE + f"organisation/{x}" for x in ("a", "a2", "b", "c"))
LV, DK = BASE + "country/lv", BASE + "country/dk"
COORDINATOR, PARTNER = BASE + "role/coordinator", BASE + "role/partner"


def tiny_nt(title: str = "Bridges") -> bytes:
    """Projects p, q, r; organisations a (in Latvia), b (in Denmark), c (nowhere), and a2, a node
    reconciled with a. p: a coordinates, b and c are partners; q: a and b; r: a2 and c."""
    lines = [f'<{P}> <{RDF.type}> <{SCHEMA.Project}> .', f'<{P}> <{RDFS.label}> "{title}"@en .',
             f'<{P}> <{SCHEMA.startDate}> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
             f'<{Q}> <{RDF.type}> <{SCHEMA.Project}> .', f'<{Q}> <{RDFS.label}> "Quay"@en .',
             f'<{Q}> <{SCHEMA.startDate}> "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
             f'<{R}> <{RDF.type}> <{SCHEMA.Project}> .', f'<{R}> <{RDFS.label}> "Roads"@en .',
             f'<{A2}> <{RDF.type}> <{SCHEMA.Organization}> .', f'<{A2}> <{NGO.canonicalOrganisation}> <{A}> .']
    for country, code in ((LV, "LV"), (DK, "DK")):
        lines += [f'<{country}> <{RDF.type}> <{SCHEMA.Country}> .', f'<{country}> <{SKOS.notation}> "{code}" .']
    for role, code in ((COORDINATOR, "coordinator"), (PARTNER, "partner")):
        lines += [f'<{role}> <{RDF.type}> <{SKOS.Concept}> .', f'<{role}> <{SKOS.notation}> "{code}" .']
    for org, name, country in ((A, "Org A", LV), (B, "Org B", DK), (C, "Org C", None)):
        lines += [f'<{org}> <{RDF.type}> <{SCHEMA.Organization}> .', f'<{org}> <{RDFS.label}> "{name}" .']
        if country:
            lines.append(f'<{org}> <{SCHEMA.addressCountry}> <{country}> .')
    for n, (org, project, role) in enumerate([(A, P, COORDINATOR), (B, P, PARTNER), (C, P, PARTNER), (A, Q, PARTNER),
                                              (B, Q, PARTNER), (A2, R, PARTNER), (C, R, PARTNER)]):
        part = f"{BASE}participation/x{n}"
        lines += [f"<{part}> <{RDF.type}> <{NGO.Participation}> .", f"<{part}> <{NGO.participant}> <{org}> .",
                  f"<{part}> <{NGO.inProject}> <{project}> .", f"<{part}> <{NGO.role}> <{role}> ."]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    store = tmp_path_factory.mktemp("tiny") / "store"
    write_store(store, tiny_nt())
    backend = Embedded(store, fixed=True)
    return PageIndex(backend), QueryReader(backend)


def test_partner_table_by_hand(tiny):
    index, queries = tiny
    expected = [{"project": P, "organisation": A, "name": "Org A", "role": "coordinator", "country": "LV"},
                {"project": P, "organisation": B, "name": "Org B", "role": "partner", "country": "DK"},
                {"project": P, "organisation": C, "name": "Org C", "role": "partner", "country": None}]
    assert list(index.partners(P)) == expected == list(queries.partners(P))
    # r's partner a2 is the node of a: named and placed as a
    assert [(r["organisation"], r["name"]) for r in index.partners(R)] == [(A, "Org A"), (C, "Org C")]
    assert not index.partners(P).truncated


def test_projects_and_partner_neighbourhood_by_hand(tiny):
    index, queries = tiny
    rows = index.projects(A)  # a's own and those of a2; by start: r (none) first, then 2019 before 2020-01-01
    assert [(r["project"], r["title"], r["role"], r["start"]) for r in rows] == [
        (R, "Roads", "partner", None), (Q, "Quay", "partner", "2019"), (P, "Bridges", "coordinator", "2020-01-01")]
    assert list(rows) == list(queries.projects(A))
    # b shares p and q with a, c shares p and r (through a2): two each, the tie by IRI
    neighbours = index.neighbourhood(A)
    assert [(r["partner"], r["name"], r["projects"]) for r in neighbours] == [(B, "Org B", 2), (C, "Org C", 2)]
    assert list(neighbours) == list(queries.neighbourhood(A))
    assert [(r["partner"], r["projects"]) for r in index.neighbourhood(C)] == [(A, 2), (B, 1)]


def test_labels_kinds_and_links_by_hand(tiny):
    index, _ = tiny
    assert index.label(P) == "Bridges" and index.label(BASE + "participation/x0") is None
    assert (index.kind(P), index.kind(A), index.kind(LV), index.kind(BASE + "nothing")) == (
        "project", "organisation", "country", "resource")
    # a participation pointing at a project is named by its organisation, at an organisation by its project
    assert {r["s"]: r["label"] for r in index.in_rows(P)} == {
        BASE + "participation/x0": "Org A", BASE + "participation/x1": "Org B", BASE + "participation/x2": "Org C"}
    assert {r["label"] for r in index.in_rows(A)} == {"Bridges", "Quay", None}  # a2 points at a: no label
    out = {(r["p"], r["value"]): (r["label"], r["described"]) for r in index.out_rows(A)}
    assert out[(str(SCHEMA.addressCountry), LV)] == (None, True)
    assert out[(str(RDFS.label), "Org A")] == (None, False)


def test_saved_and_loaded_index_is_the_same(tiny, tmp_path):
    index, _ = tiny
    index.save(tmp_path / "index")
    loaded = PageIndex.load(index.backend, tmp_path / "index")
    for name in PageIndex.TABLES:
        assert getattr(loaded, name) == getattr(index, name), name
    assert list(loaded.neighbourhood(A)) == list(index.neighbourhood(A))
    (tmp_path / "bad").write_bytes(b"\x00")
    with pytest.raises(ValueError):
        PageIndex.load(index.backend, tmp_path / "bad")


def test_every_seed_resource_reads_the_same_as_by_queries(seed_store):
    backend = Embedded(seed_store, fixed=True)
    index, queries, paths = PageIndex(backend), QueryReader(backend), Paths(BASE)
    listing = resource_index(backend, paths)
    assert listing == resource_index(backend, paths, index)
    assert len(listing) > 1000
    kinds = {}
    for iri, _, kind in listing:
        kinds[kind] = kinds.get(kind, 0) + 1
        assert sorted(map(str, index.in_rows(iri))) == sorted(map(str, queries.in_rows(iri))), iri
        if kind == "project":
            assert list(index.partners(iri)) == list(queries.partners(iri)), iri
        if kind == "organisation":
            assert list(index.projects(iri)) == list(queries.projects(iri)), iri
            assert list(index.neighbourhood(iri)) == list(queries.neighbourhood(iri)), iri
        fast, slow = make_page(index, iri, paths), make_page(queries, iri, paths)
        assert render_page(fast) == render_page(slow), iri
        for ext in SITE_FORMATS:
            assert rdf_bytes(fast, ext) == rdf_bytes(slow, ext), (iri, ext)
    assert kinds["project"] >= 8 and kinds["organisation"] >= 30 and kinds["country"] >= 200


def site_files(root):
    files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert files
    return files


@pytest.fixture(scope="module")
def sites(seed_store, tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    n = write_site(seed_store, root / "queries", Paths(BASE), workers=1, engine="queries")
    assert write_site(seed_store, root / "index", Paths(BASE), workers=1) == n > 1000
    return root


def test_site_from_the_index_is_the_site_from_the_queries(sites):
    files = site_files(sites / "queries")
    assert len(files) > 4 * 1000
    assert files == site_files(sites / "index")
    assert [f for f in files if (sites / "queries" / f).read_bytes() != (sites / "index" / f).read_bytes()] == []


def test_worker_processes_load_the_parents_index(sites, seed_store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(site_module, "_CHUNK", 500)
    write_site(seed_store, tmp_path / "site", Paths(BASE), workers=2)
    files = site_files(sites / "index")
    assert files == site_files(tmp_path / "site")
    assert [f for f in files if (sites / "index" / f).read_bytes() != (tmp_path / "site" / f).read_bytes()] == []
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the index file handed to the workers is gone


def test_server_pages_are_the_sites_pages(sites, seed_store):
    app = make_app(seed_store, base=BASE)
    paths = Paths(BASE)
    try:
        listing = resource_index(Embedded(seed_store, fixed=True), paths)
        assert len(listing) > 1000
        for n, (iri, _, _) in enumerate(listing):
            path = paths.path(iri)  # as the IRI writes it (%20 kept); the site's file name decoded
            status, body = get(app, f"/{path}")
            assert (status, body) == (200, (sites / "index" / f"{Paths.file(path)}.html").read_bytes()), iri
            if n % 25 == 0:
                for ext in SITE_FORMATS:
                    status, body = get(app, f"/{path}.{ext}")
                    assert (status, body) == (200, (sites / "index" / f"{Paths.file(path)}.{ext}").read_bytes()), (iri, ext)
    finally:
        app.state.holder.close()


def test_a_store_swap_brings_a_new_index(tmp_path):
    link = tmp_path / "store"
    write_store(link, tiny_nt("Old bridges"))
    app = make_app(link, base=BASE)
    holder = app.state.holder
    try:
        old = holder._current[1]["index"]
        assert old.label(P) == "Old bridges"
        assert b"Old bridges" in get(app, "/id/project/p")[1]
        write_store(link, tiny_nt("New bridges"))
        seen = []
        for _ in range(200):  # the new store's index is read in the background; the old store answers meanwhile
            status, body = get(app, "/id/organisation/a")  # a's projects table names p
            seen.append((status, b"Old bridges" in body, b"New bridges" in body))
            if seen[-1][2]:
                break
            time.sleep(0.05)
        assert seen[-1] == (200, False, True)
        assert set(seen) <= {(200, True, False), (200, False, True)}
        new = holder._current[1]["index"]
        assert new is not old and new.label(P) == "New bridges" and old.label(P) == "Old bridges"
    finally:
        holder.close()


@pytest.mark.parametrize("value", [
    {"@context": {"@vocab": "https://schema.org/"}, "name": "Tilti \u2013 \"bridges\" <b>", "n": [1, 2.5, -3],
     "flags": [True, False, None], "empty": {}, "none": [], "nested": [{"b": 1, "a": [{}]}]},
    [], {}, "x", 7,
])
def test_json_indented_is_json_dumps_indent_1(value):
    assert json_indented(value) == json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
