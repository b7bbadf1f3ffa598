"""The fast paths of the published pages (issue 12 §7): the server's answers kept per store and
dropped when a build or import swaps the store, the one-listing backend, the partner
neighbourhood cut before naming, and the page polish (each name once with its kinds, a
participation named by its project or organisation)."""

from __future__ import annotations

import time

import anyio

import ngograph.publish.site as site_module
import ngograph.store.backends as backends

from ngograph.publish.pages import Paths, page_model, render_page, resource_page
from ngograph.publish.serve import make_app
from ngograph.publish.site import write_site
from ngograph.rdf.namespaces import NGO, RDF, RDFS, SCHEMA, SKOS
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

from conftest import BASE

PROJECT, OTHER = BASE + "project/p", BASE + "project/q"
ORG_A, ORG_B, ORG_C = BASE + "organisation/a", BASE + "organisation/b", BASE + "organisation/c"


def nt(title: str) -> bytes:
    """Two projects, three organisations; a in p and q, b in p and q, c in p."""
    lines = [f'<{PROJECT}> <{RDF.type}> <{SCHEMA.Project}> .', f'<{PROJECT}> <{RDFS.label}> "{title}"@en .',
             f'<{OTHER}> <{RDF.type}> <{SCHEMA.Project}> .', f'<{OTHER}> <{RDFS.label}> "Quay"@en .']
    for org, name in ((ORG_A, "Org A"), (ORG_B, "Org B"), (ORG_C, "Org C")):
        lines += [f'<{org}> <{RDF.type}> <{SCHEMA.Organization}> .', f'<{org}> <{RDFS.label}> "{name}" .']
    for n, (org, project) in enumerate([(ORG_A, PROJECT), (ORG_B, PROJECT), (ORG_C, PROJECT), (ORG_A, OTHER),
                                        (ORG_B, OTHER)]):
        part = f"{BASE}participation/x{n}"
        lines += [f"<{part}> <{RDF.type}> <{NGO.Participation}> .", f"<{part}> <{NGO.participant}> <{org}> .",
                  f"<{part}> <{NGO.inProject}> <{project}> ."]
    return ("\n".join(lines) + "\n").encode()


def get(app, path: str, accept: str = "text/html") -> tuple[int, bytes]:
    """One GET through the ASGI app, in this process."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"accept", accept.encode())], "client": ("127.0.0.1", 1),
             "server": ("testserver", 80)}
    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_answers_are_kept_per_store_and_a_swap_drops_them(tmp_path):
    link = tmp_path / "store"
    write_store(link, nt("Old bridges"))
    app = make_app(link, base=BASE)
    holder = app.state.holder
    try:
        status, first = get(app, "/id/project/p")
        assert status == 200 and b"Old bridges" in first
        answers = holder._current[1]["answers"]
        assert answers.get((PROJECT, "html")) == (True, first)  # kept for this store
        assert get(app, "/id/project/p") == (200, first)
        assert get(app, "/id/project/nothing")[0] == 404
        assert answers.get((BASE + "project/nothing", "html")) == (True, None)  # unknown, also kept
        write_store(link, nt("New bridges"))  # what build and import do: a new store, the link moved
        seen = []
        for _ in range(200):  # the server opens the new store in the background; the old one answers meanwhile
            status, body = get(app, "/id/project/p")
            seen.append((status, b"Old bridges" in body, b"New bridges" in body))
            if seen[-1][2]:
                break
            time.sleep(0.05)
        assert seen[-1] == (200, False, True)
        assert set(seen) <= {(200, True, False), (200, False, True)}  # the old page or the new, never a mix
        assert holder._current[1]["answers"].get((PROJECT, "html"))[1] != first
    finally:
        holder.close()


def test_the_backend_of_a_read_only_store_lists_its_graphs_once(tmp_path, monkeypatch):
    write_store(tmp_path / "store", nt("Bridges"))
    calls = []
    real = backends.published_graphs
    monkeypatch.setattr(backends, "published_graphs", lambda *a, **k: calls.append(1) or real(*a, **k))
    fixed, plain = Embedded(tmp_path / "store", fixed=True), Embedded(tmp_path / "store")
    for backend in (fixed, plain):
        for _ in range(3):
            assert backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 25}]  # 4 + 3 * 2 + 5 * 3
    assert len(calls) == 1 + 3


def test_partner_neighbourhood_and_participations_named(tmp_path):
    write_store(tmp_path / "store", nt("Bridges"))
    paths = Paths(BASE)
    backend = Embedded(tmp_path / "store", fixed=True)
    org = resource_page(backend, ORG_A, paths)
    assert [f.label for f in org.pointing] == ["Its participations"]
    assert [(v.text, v.href) for v in org.pointing[0].values] == [("Bridges", "../participation/x0.html"),
                                                                    ("Quay", "../participation/x3.html")]
    html = render_page(org)
    assert html.index(">Org B<") < html.index(">Org C<")  # b shares two projects with a, c one
    assert 'stroke-width="6.0"' in html and 'stroke-width="3.5"' in html  # 1 + 5 * 2/2 and 1 + 5 * 1/2
    project = resource_page(backend, PROJECT, paths)
    assert [f.label for f in project.pointing] == ["Participations in it"]
    assert [v.text for v in project.pointing[0].values] == ["Org A", "Org B", "Org C"]


def test_names_table_shows_each_name_once_with_its_kinds():
    def row(p, value, lang):
        return {"p": str(p), "value": value, "datatype": "", "lang": lang, "label": None, "described": False}

    out = [{**row(RDF.type, str(SCHEMA.Project), ""), "lang": None},
           row(RDFS.label, "Bridges", "en"), row(SCHEMA.name, "Bridges", "en"), row(SKOS.prefLabel, "Bridges", "en"),
           row(SCHEMA.name, "Tilti", "lv"), row(SKOS.altLabel, "Bridges", "en-t-lv")]
    page = page_model(PROJECT, out, [], Paths(BASE))
    assert [(v.text, v.lang, v.note) for v in page.names] == [
        ("Bridges", "en", "display label, name, preferred label"),
        ("Bridges", "en-t-lv", "other name (our translation)"),
        ("Tilti", "lv", "name")]
    html = render_page(page)
    assert html.count('<td lang="en">Bridges</td>') == 1
    assert "<td>display label, name, preferred label</td>" in html


def test_the_site_read_in_batches_is_the_site_read_page_by_page(seed_store, tmp_path, monkeypatch):
    # the query engine of the site (engine="queries"; the page index is compared with it in test_page_index.py)
    batched = tmp_path / "batched"
    n = write_site(seed_store, batched, Paths(BASE), workers=1, engine="queries")
    monkeypatch.setattr(site_module, "resource_pages", lambda backend, iris, paths, shared: (
        (iri, resource_page(backend, iri, paths, shared)) for iri in iris))
    single = tmp_path / "single"
    assert write_site(seed_store, single, Paths(BASE), workers=1, engine="queries") == n > 1000
    files = sorted(p.relative_to(batched) for p in batched.rglob("*") if p.is_file())
    assert len(files) > 4 * 1000
    assert files == sorted(p.relative_to(single) for p in single.rglob("*") if p.is_file())
    different = [f for f in files if (batched / f).read_bytes() != (single / f).read_bytes()]
    assert different == []
