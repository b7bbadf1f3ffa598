"""The static site writer (ngograph/publish/site.py): behaviours a mutation run showed were not
pinned (issue 14): the resource listing and its labels, the index pages and the search index,
the files written per page, and the folder swap. One tiny store written by hand; every
expected value written out by hand."""

from __future__ import annotations

import json
import os
import shutil
import time

import pyoxigraph as ox
import pytest

import ngograph.publish.site as site_module
from ngograph.errors import ConfigError
from ngograph.publish.describe import describe_store, description_graph
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import Paths, make_page, rdf_bytes, render, render_page
from ngograph.publish.site import (SITE_FORMATS, STATIC_FILES, description_answer, index_pages, resource_index, static_file,
                                   write_site)
from ngograph.rdf.namespaces import DCTERMS, NGO, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from ngograph.resources import package_file
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

B = "https://e.org/id/"
LVA, EST = ("http://publications.europa.eu/resource/authority/country/" + c for c in ("LVA", "EST"))


def nt() -> bytes:
    t = []

    def add(s, p, o):
        o = o if o.startswith('"') else f"<{o}>"
        t.append(f"<{s}> <{p}> {o} .")

    def thing(path, cls, label=None):
        add(B + path, RDF.type, str(cls))
        if label:
            add(B + path, RDFS.label, f'"{label}"')
        return B + path

    p1 = thing("project/p1", SCHEMA.Project, "Bridges")
    add(p1, SCHEMA.startDate, f'"2020-05-01"^^<{XSD.date}>')
    p2 = thing("project/p2", SCHEMA.Project, "Alpha")
    add(p2, SCHEMA.startDate, '"2020"')
    p3 = thing("project/p3", SCHEMA.Project, "Zed")
    add(p3, SCHEMA.startDate, '"2018"')
    p4 = thing("project/p4", SCHEMA.Project)  # no label
    add(p4, SCHEMA.startDate, '"2019"')
    f1 = thing("organisation/f1", SCHEMA.Organization, "Fund A")
    f2 = thing("organisation/f2", SCHEMA.Organization, "Fund B")
    add(p1, SCHEMA.funder, f1)
    add(p2, SCHEMA.funder, f1)
    g = thing("grant/g", SCHEMA.MonetaryGrant)
    add(g, SCHEMA.funder, f2)
    add(g, SCHEMA.fundedItem, p3)
    o1 = thing("organisation/o1", SCHEMA.Organization)
    add(o1, SKOS.prefLabel, '"Org One"@en')
    add(o1, SKOS.prefLabel, '"Org Eins"@de')
    add(o1, SCHEMA.addressCountry, LVA)
    x = thing("participation/x", NGO.Participation)
    add(x, NGO.participant, o1)
    add(x, NGO.inProject, p1)
    o2 = thing("organisation/o2", SCHEMA.Organization)
    for label in ("b", "a"):
        add(o2, RDFS.label, f'"{label}"')
    add(o2, DCTERMS.title, '"T"')
    add(o2, SKOS.prefLabel, '"P"@en')
    o3 = thing("organisation/o3", SCHEMA.Organization)
    add(o3, SCHEMA.addressCountry, EST)
    for c, code, name in ((LVA, "LV", '"Latvia"@en'), (EST, "EE", None)):
        add(c, RDF.type, str(SCHEMA.Country))
        add(c, SKOS.notation, f'"{code}"')
        if name:
            add(c, SKOS.prefLabel, name)
    s1 = thing("source/s1", NGO.SourceDocument)
    add(s1, DCTERMS.title, '"Doc one"')
    s2 = thing("dataset/s2", NGO.SourceDataset)
    add(p2, PROV.wasDerivedFrom, s2)
    add(o1, PROV.wasDerivedFrom, s1)
    add(p1, PROV.wasDerivedFrom, s1)
    c = thing("concept/c", SKOS.Concept)
    add(c, DCTERMS.title, '"Concept T"')
    add(c, SKOS.prefLabel, '"Begriff"@de')
    add("https://other.org/x", RDF.type, str(SCHEMA.Project))  # no page here
    add("https://other.org/x", RDFS.label, '"Other"')
    return ("\n".join(t) + "\n").encode()


INDEX = [  # by IRI: "http:" before "https:"
    ("http://publications.europa.eu/resource/authority/country/EST", "", "country"),
    ("http://publications.europa.eu/resource/authority/country/LVA", "Latvia", "country"),
    (B + "concept/c", "Concept T", "concept"),
    (B + "dataset/s2", "", "source"),
    (B + "grant/g", "", "grant"),
    (B + "organisation/f1", "Fund A", "organisation"),
    (B + "organisation/f2", "Fund B", "organisation"),
    (B + "organisation/o1", "Org One", "organisation"),
    (B + "organisation/o2", "a", "organisation"),
    (B + "organisation/o3", "", "organisation"),
    (B + "participation/x", "", "participation"),
    (B + "project/p1", "Bridges", "project"),
    (B + "project/p2", "Alpha", "project"),
    (B + "project/p3", "Zed", "project"),
    (B + "project/p4", "", "project"),
    (B + "source/s1", "Doc one", "source"),
]


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "db" / "store"  # the store's own files beside it, in a folder of their own
    write_store(path, nt(), finish=lambda s: describe_store(s, B))  # kept: the same bytes whenever it is read
    return path


@pytest.fixture()
def backend():
    store = ox.Store()
    store.load(nt(), ox.RdfFormat.N_TRIPLES)
    return Embedded(store, fixed=True)


def test_static_files():
    assert STATIC_FILES == {"style.css": "text/css", "search.js": "text/javascript"}
    for name in STATIC_FILES:
        assert static_file(name) == package_file("ngograph.publish", "templates", name).read_bytes()
        assert len(static_file(name)) > 100


def test_resource_index_by_queries_and_by_the_page_index(backend):
    assert resource_index(backend, Paths(B)) == INDEX
    assert resource_index(backend, Paths(B), PageIndex(backend)) == INDEX
    other = Paths("https://other.org/")
    assert resource_index(backend, other) == INDEX[:2] + [("https://other.org/x", "Other", "project")]


def test_items_of_the_index_pages():
    assert site_module._item(B + "project/p1", "Bridges", Paths(B), "years", "n") == {
        "href": "id/project/p1.html", "text": "Bridges", "note": "n"}
    assert site_module._item(B + "project/p1", "", Paths(B), "years") == {
        "href": "id/project/p1.html", "text": B + "project/p1", "note": ""}
    assert site_module._item("https://other.org/x", "X", Paths(B), "years") is None


def main(html: bytes) -> str:
    """The main part of a page, as rendered."""
    return html.decode().split("<main>\n", 1)[1].split("</main>", 1)[0].strip("\n")


def test_index_pages_by_hand(backend):
    pages = index_pages(backend, Paths(B))
    assert sorted(pages) == ["404.html", "countries.html", "funders.html", "index.html", "search-index.js",
                             "search.html", "search.js", "sources.html", "style.css", "years.html"]
    assert index_pages(backend, Paths(B), INDEX) == pages
    assert main(pages["countries.html"]) == (
        "<h1>Organisations by country</h1>\n<p>The countries where the organisations of the graph are based.</p>"
        "<section>\n<ul>"
        '<li><a href="country/EST.html">EE</a> <small>1 organisation(s), 0 project(s)</small></li>\n'
        '<li><a href="country/LVA.html">Latvia</a> <small>1 organisation(s), 1 project(s)</small></li>\n'
        "</ul>\n</section>")
    assert main(pages["funders.html"]) == (
        "<h1>Projects by funder</h1>\n<section>\n<ul>"
        '<li><a href="id/organisation/f1.html">Fund A</a> <small>2 project(s)</small></li>\n'
        '<li><a href="id/organisation/f2.html">Fund B</a> <small>1 project(s)</small></li>\n'
        "</ul>\n</section>")
    assert main(pages["years.html"]) == (
        "<h1>Projects by the year they started</h1>\n"
        '<section aria-labelledby="g1">\n<h2 id="g1">2020</h2><ul><li><a href="id/project/p2.html">Alpha</a></li>\n'
        '<li><a href="id/project/p1.html">Bridges</a></li>\n</ul>\n</section>\n'
        f'<section aria-labelledby="g2">\n<h2 id="g2">2019</h2><ul><li><a href="id/project/p4.html">{B}project/p4</a></li>\n'
        "</ul>\n</section>\n"
        '<section aria-labelledby="g3">\n<h2 id="g3">2018</h2><ul><li><a href="id/project/p3.html">Zed</a></li>\n'
        "</ul>\n</section>")
    assert main(pages["sources.html"]) == (
        "<h1>Resources by source</h1>\n"
        "<p>Every resource of the graph says which source document (curated) or dataset (imported) it comes from.</p>"
        "<section>\n<ul>"
        '<li><a href="id/dataset/s2.html">s2</a> <small>1 resource(s)</small></li>\n'
        '<li><a href="id/source/s1.html">Doc one</a> <small>2 resource(s)</small></li>\n'
        "</ul>\n</section>")
    assert main(pages["index.html"]) == (
        "<h1>ngograph: cross-border NGO cooperation</h1>\n"
        "<p>Which organisations work together across the Nordic, Baltic and Eastern Partnership countries, in which "
        "projects, in which roles, with whose money. Every page is also data: follow its RDF links.</p>"
        '<section aria-labelledby="g1">\n<h2 id="g1">Browse</h2><ul><li><a href="countries.html">by country</a></li>\n'
        '<li><a href="funders.html">by funder</a></li>\n<li><a href="years.html">by year</a></li>\n'
        '<li><a href="sources.html">by source</a></li>\n</ul>\n</section>\n'
        '<section aria-labelledby="g2">\n<h2 id="g2">What the graph holds</h2>'
        '<ul><li><a href="search.html">1 concept page(s)</a></li>\n'
        '<li><a href="search.html">2 country page(s)</a></li>\n<li><a href="search.html">1 grant page(s)</a></li>\n'
        '<li><a href="search.html">5 organisation page(s)</a></li>\n'
        '<li><a href="search.html">1 participation page(s)</a></li>\n'
        '<li><a href="search.html">4 project page(s)</a></li>\n<li><a href="search.html">2 source page(s)</a></li>\n'
        "</ul>\n</section>")
    assert '<link rel="stylesheet" href="style.css">' in pages["countries.html"].decode()
    assert pages["search.html"] == render("search.html", "search", title="Search").encode()
    # the page a static host gives at any missing path: every link from the host's root
    missing = pages["404.html"].decode()
    assert main(pages["404.html"]) == (
        "<h1>Not found</h1>\n<p>Nothing is published at this address. The pages of the graph are listed by country, funder, "
        "year and source, and the search finds organisations, projects and places by name.</p><section>\n<ul>"
        '<li><a href="/index.html">home</a></li>\n<li><a href="/countries.html">by country</a></li>\n'
        '<li><a href="/funders.html">by funder</a></li>\n<li><a href="/years.html">by year</a></li>\n'
        '<li><a href="/sources.html">by source</a></li>\n<li><a href="/search.html">search</a></li>\n</ul>\n</section>')
    assert '<link rel="stylesheet" href="/style.css">' in missing and 'action="/search.html"' in missing
    assert "<title>Not found · ngograph</title>" in missing
    assert pages["search-index.js"].decode() == (
        'window.NGOGRAPH_INDEX = [["Latvia","country/LVA","country"],["Concept T","id/concept/c","concept"],["Fund A","id/organisation/f1","organisation"],'
        '["Fund B","id/organisation/f2","organisation"],["Org One","id/organisation/o1","organisation"],'
        '["a","id/organisation/o2","organisation"],["Bridges","id/project/p1","project"],'
        '["Alpha","id/project/p2","project"],["Zed","id/project/p3","project"],["Doc one","id/source/s1","source"]];\n')
    for name in STATIC_FILES:
        assert pages[name] == static_file(name)


def test_a_source_without_title_or_slash_has_no_item_and_breaks_nothing():
    """A source named by an IRI with no slash and no title (a ``urn:``) is listed by the query, but has no
    page here: the sources page leaves it out, and the pages are made all the same."""
    store = ox.Store()
    store.load(f"<{B}project/p> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:source> .\n"
               "<urn:x:source> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
               "<https://w3id.org/ngograph/def#SourceDataset> .\n".encode(), ox.RdfFormat.N_TRIPLES)
    pages = index_pages(Embedded(store, fixed=True), Paths(B), [])
    assert "<li>" not in main(pages["sources.html"])


def test_search_index_keeps_non_ascii_and_names_the_kinds(backend):
    index = [(B + "project/p1", "Tiltų", "project"), (B + "participation/x", "Part", "participation"),
             (B + "event/e", "Ev", "event"), (B + "place/q", "Pl", "place"), (B + "result/r", "Re", "result")]
    js = index_pages(backend, Paths(B), index)["search-index.js"].decode()
    assert js == ('window.NGOGRAPH_INDEX = [["Tiltų","id/project/p1","project"],["Ev","id/event/e","event"],'
                  '["Pl","id/place/q","place"],["Re","id/result/r","result"]];\n')


def site_files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def expected_files(store) -> dict[str, bytes]:
    backend = Embedded(store, fixed=True)
    index = PageIndex(backend)
    out = {}
    for iri, _, _ in INDEX:
        page = make_page(index, iri, Paths(B))
        out[Paths.file(page.path) + ".html"] = render_page(page, SITE_FORMATS).encode()
        for ext in ("ttl", "jsonld", "nt"):
            out[f"{Paths.file(page.path)}.{ext}"] = rdf_bytes(page, ext)
    out.update(index_pages(backend, Paths(B), INDEX))
    # the description's resources without a page of their own (the dataset, the catalogue, its distributions...)
    triples = [q.triple for q in description_graph(backend.store, B)]
    for iri in {t.subject.value for t in triples if t.subject.value.startswith(B)}:
        stem = Paths.file(Paths(B).path(iri))
        if stem + ".html" not in out:
            out.update({f"{stem}.{ext}": description_answer(triples, Paths(B), iri, ext)
                        for ext in ("html", "ttl", "jsonld", "nt")})
    out[".well-known/void"] = description_answer(triples, Paths(B), None, "ttl")
    return out


@pytest.mark.parametrize("engine", ["index", "queries"])
def test_site_written_file_by_file(store, tmp_path, engine):
    seen = []
    n = write_site(store, tmp_path / "out" / "site", Paths(B), progress=lambda *a: seen.append(a), workers=1, engine=engine)
    assert n == 16
    assert site_files(tmp_path / "out" / "site") == expected_files(store)
    assert seen == [(16, 16)]
    assert sorted(os.listdir(tmp_path / "out")) == ["site"]


def _described(name: str) -> bool:
    """A file of the dataset description's resources (written with every site)."""
    return name.split("/")[1].split(".")[0] in ("catalog", "dataset", "distribution", "publisher", "sparql-service")


def test_progress_by_chunks_and_a_selection(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_CHUNK", 5)
    seen = []
    n = write_site(store, tmp_path / "site", Paths(B), lambda *a: seen.append(a), workers=1,
                   select=lambda index: [row for row in index if row[2] == "project"] + [(B + "project/none", "", "project")])
    assert n == 4  # the resource with no statements has no page
    assert seen == [(5, 5)]
    files = site_files(tmp_path / "site")
    assert sorted(f for f in files if f.startswith("id/") and not _described(f)) == [
        f"id/project/p{i}.{ext}" for i in range(1, 5) for ext in ("html", "jsonld", "nt", "ttl")]
    # the home page counts the resources listed (the one without a page too)
    assert b"5 project page(s)" in files["index.html"] and b"organisation page" not in files["index.html"]
    seen.clear()
    assert write_site(store, tmp_path / "site", Paths(B), lambda *a: seen.append(a), workers=1) == 16
    assert seen == [(5, 16), (10, 16), (15, 16), (16, 16)]


def test_worker_processes_write_the_same_files(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_CHUNK", 6)
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 16)
    seen = []
    assert write_site(store, tmp_path / "site", Paths(B), lambda *a: seen.append(a), workers=2) == 16
    assert seen == [(6, 16), (12, 16), (16, 16)]
    assert site_files(tmp_path / "site") == expected_files(store)
    assert write_site(store, tmp_path / "q", Paths(B), workers=2, engine="queries") == 16
    assert site_files(tmp_path / "q") == expected_files(store)


def test_one_process_below_the_threshold(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 17)

    class NoPool:
        def Pool(self, *args, **kwargs):
            raise AssertionError("no worker processes for 16 resources")

    monkeypatch.setattr(site_module.multiprocessing, "get_context", lambda method: NoPool())
    assert write_site(store, tmp_path / "site", Paths(B), workers=4) == 16
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 2)
    assert write_site(store, tmp_path / "site", Paths(B), workers=1) == 16
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert write_site(store, tmp_path / "site", Paths(B)) == 16  # no count of cores: one process


def test_the_site_replaces_the_old_folder(store, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "stale.html").write_text("old")
    write_site(store, tmp_path / "site", Paths(B), workers=1)
    assert not (tmp_path / "site" / "stale.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["db", "site"]


def test_the_site_keeps_the_documentation_and_the_dumps_published_into_it(store, tmp_path):
    """docs/publishing.md: `ngograph docs --output SITE/def`, `ngograph export --output SITE/dumps/FILE`, then
    `ngograph site --output SITE` (or again after a build) left no def/ and no dumps/."""
    site = tmp_path / "site"
    (site / "def" / "vocab").mkdir(parents=True)
    (site / "def" / "vocab" / "theme.html").write_text("scheme")
    (site / "dumps").mkdir()
    (site / "dumps" / "ngograph.nt.gz").write_bytes(b"\x1f\x8b dump")
    (site / "stale.html").write_text("old")
    (site / "id").mkdir()
    (site / "id" / "gone.html").write_text("a resource no longer in the store")
    write_site(store, site, Paths(B), workers=1)
    assert (site / "def" / "vocab" / "theme.html").read_text() == "scheme"
    assert (site / "dumps" / "ngograph.nt.gz").read_bytes() == b"\x1f\x8b dump"
    assert not (site / "stale.html").exists() and not (site / "id" / "gone.html").exists()
    assert (site / "index.html").exists()
    write_site(store, site, Paths(B), workers=1)  # again: still there, and nothing left beside the site
    assert (site / "dumps" / "ngograph.nt.gz").read_bytes() == b"\x1f\x8b dump"
    assert sorted(os.listdir(tmp_path)) == ["db", "site"]
    # a folder linked from elsewhere stays linked (it was dropped)
    (tmp_path / "db" / "elsewhere").mkdir()
    shutil.rmtree(site / "dumps")
    (site / "dumps").symlink_to(tmp_path / "db" / "elsewhere")
    write_site(store, site, Paths(B), workers=1)
    assert (site / "dumps").is_symlink() and os.readlink(site / "dumps") == str(tmp_path / "db" / "elsewhere")


def test_a_failed_site_leaves_the_old_one(store, tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("old")

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(site_module, "_write_pages", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        write_site(store, tmp_path / "site", Paths(B), workers=1)
    assert os.listdir(tmp_path / "site") == ["old.html"]
    assert sorted(os.listdir(tmp_path)) == ["db", "site"]


def test_refusals(store, tmp_path):
    with pytest.raises(ConfigError, match=r"^unknown site engine 'fast': index or queries$"):
        write_site(store, tmp_path / "site", Paths(B), engine="fast")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match=r"file is a file: give a folder for the site \(--output\)$"):
        write_site(store, tmp_path / "file", Paths(B))
    assert not (tmp_path / "site").exists()


def test_the_default_paths_are_the_default_base(store, tmp_path, monkeypatch):
    monkeypatch.setenv("NGOGRAPH_BASE", B)
    assert write_site(store, tmp_path / "site", workers=1) == 16


def test_write_pages_skips_resources_without_a_page(backend, tmp_path):
    index = PageIndex(backend)
    iris = [B + "project/p1", B + "project/none", "https://other.org/x", B + "project/p2"]
    assert site_module._write_pages(index, tmp_path / "a", Paths(B), iris) == 2
    assert site_module._write_pages(backend, tmp_path / "q", Paths(B), iris) == 2
    assert sorted(site_files(tmp_path / "a")) == [f"id/project/p{i}.{ext}" for i in (1, 2)
                                                  for ext in ("html", "jsonld", "nt", "ttl")]
    assert site_files(tmp_path / "q") == site_files(tmp_path / "a")
    page = make_page(index, B + "project/p1", Paths(B))
    assert (tmp_path / "a" / "id" / "project" / "p1.ttl").read_bytes() == rdf_bytes(page, "ttl")
    assert (tmp_path / "a" / "id" / "project" / "p1.html").read_text(encoding="utf-8") == render_page(page, SITE_FORMATS)


def test_worker_functions_in_this_process(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_worker_reader", None)
    iris = [B + "project/p1", B + "project/none"]
    site_module._worker_start(str(store), None)
    reader = site_module._worker_reader
    assert type(reader) is Embedded and reader.fixed and reader.path == store
    assert site_module._worker_pages(str(tmp_path / "q"), Paths(B), iris) == 1
    index = PageIndex(Embedded(store, fixed=True))
    index.save(tmp_path / "page.index")
    site_module._worker_start(str(store), str(tmp_path / "page.index"))
    assert type(site_module._worker_reader) is PageIndex
    assert site_module._worker_pages(str(tmp_path / "i"), Paths(B), iris) == 1
    assert site_files(tmp_path / "i") == site_files(tmp_path / "q")
    assert sorted(site_files(tmp_path / "i")) == [f"id/project/p1.{ext}" for ext in ("html", "jsonld", "nt", "ttl")]


def test_the_parents_index_file_is_removed(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 2)
    made = []
    real = site_module.tempfile.mkdtemp
    monkeypatch.setattr(site_module.tempfile, "mkdtemp", lambda **k: made.append(k) or real(dir=tmp_path / "tmp", **k))
    (tmp_path / "tmp").mkdir()
    assert write_site(store, tmp_path / "site", Paths(B), workers=2) == 16
    assert made == [{"prefix": "ngograph-site-"}]
    assert os.listdir(tmp_path / "tmp") == []


def test_the_parent_reads_the_country_pairs_once_for_the_workers(store, tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 2)
    calls = []
    real = PageIndex.country_pairs
    monkeypatch.setattr(PageIndex, "country_pairs", lambda self: calls.append(1) or real(self))  # this process only
    assert write_site(store, tmp_path / "site", Paths(B), workers=2) == 16
    assert calls == [1]
    calls.clear()
    write_site(store, tmp_path / "site", Paths(B), workers=2,
               select=lambda index: [row for row in index if row[2] != "country"])
    assert calls == []  # no country page: nothing to read


def test_an_error_after_the_swap_is_the_error_raised(store, tmp_path, monkeypatch):
    real = os.rename

    def rename(src, dst):  # the new site moved into place, then an interrupt
        real(src, dst)
        if str(src).endswith(".new"):
            raise KeyboardInterrupt

    monkeypatch.setattr(site_module.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):  # not a FileNotFoundError of the clean-up: the work folder is gone
        write_site(store, tmp_path / "site", Paths(B), workers=1)
    assert sorted(os.listdir(tmp_path)) == ["db", "site"]


def test_every_label_is_read_past_the_default_row_limit(backend, monkeypatch):
    monkeypatch.setitem(site_module.run.__kwdefaults__, "max_rows", 1)  # the library's default limit, made tiny
    assert resource_index(backend, Paths(B)) == INDEX
    pages = index_pages(backend, Paths(B), INDEX)
    assert [pages[name].count(b"<li><a href=") for name in ("countries.html", "funders.html", "years.html", "sources.html")] \
        == [2, 2, 4, 2]


def test_index_pages_take_the_resource_index_from_the_page_index_given():
    """With ``page_index``, the resource index is that index's (no query of the backend for it): here the index of
    another store, whose one project is the only entry of the search index."""
    other = ox.Store()
    other.load(f"<{B}project/only> <{RDF.type}> <{SCHEMA.Project}> .\n<{B}project/only> <{RDFS.label}> \"Only\" .\n"
               .encode(), ox.RdfFormat.N_TRIPLES)
    mine = ox.Store()
    mine.load(nt(), ox.RdfFormat.N_TRIPLES)
    pages = index_pages(Embedded(mine, fixed=True), Paths(B), page_index=PageIndex(Embedded(other, fixed=True)))
    assert pages["search-index.js"].decode() == 'window.NGOGRAPH_INDEX = [["Only","id/project/only","project"]];\n'


def test_index_pages_open_a_store_once_for_both_threads(store, monkeypatch):
    import ngograph.store.backends as backends
    opened = []
    real = backends.open_store
    monkeypatch.setattr(backends, "open_store", lambda path: opened.append(path) or real(path))
    for fixed in (False, True):  # opened by the store's property, or when the graphs are listed
        opened.clear()
        assert "countries.html" in index_pages(Embedded(store, fixed=fixed), Paths(B))
        assert len(opened) == 1


def test_an_error_while_the_index_is_made_does_not_wait_for_the_queries_not_started(backend, monkeypatch):
    started = []
    real_run = site_module.run

    def slow_run(*args, **kwargs):
        started.append(args[0])
        time.sleep(0.3)
        return real_run(*args, **kwargs)

    def failing(*args):
        for _ in range(1000):  # both threads at work before the error (at most 10 s)
            if len(started) >= 2:
                break
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(site_module, "run", slow_run)
    monkeypatch.setattr(site_module, "resource_index", failing)
    with pytest.raises(KeyboardInterrupt):
        index_pages(backend, Paths(B))
    assert len(started) == 2  # the two running finish; the other two never start


def test_the_footer_claims_cc_by_for_the_curated_data_only(store, tmp_path):
    """Every page said "Data under CC BY 4.0", also an imported organisation's whose source states other terms
    (each IATI publisher's own licence, none stated by 360Giving's files)."""
    write_site(store, tmp_path / "site", Paths(B), workers=1)
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        text = " ".join(page.read_text(encoding="utf-8").split())
        assert "Data under CC BY 4.0" not in text
        assert ("The curated data are under CC BY 4.0; imported data keep the licence or terms of their source"
                in text), page


def test_the_description_dereferences_on_the_static_site(store, tmp_path):
    """The dataset description names {base}dataset, {base}catalog, {base}distribution/... and VoID's well-known
    place: the server answered for them, the static site had no file (a w3id redirect led to a 404)."""
    import pyoxigraph as ox

    site = tmp_path / "site"
    write_site(store, site, Paths(B), workers=1)
    for name in ("id/dataset", "id/catalog", "id/publisher", "id/distribution/ngograph.nt.gz"):
        quads = list(ox.parse((site / f"{name}.ttl").read_bytes(), ox.RdfFormat.TURTLE))
        assert any(q.subject == ox.NamedNode(B + name[3:]) for q in quads), name
        assert (site / f"{name}.html").exists() and (site / f"{name}.jsonld").exists() and (site / f"{name}.nt").exists()
    void = [q.triple for q in ox.parse((site / ".well-known" / "void").read_bytes(), ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode(B + "dataset"), ox.NamedNode(str(RDF.type)),
                     ox.NamedNode("http://rdfs.org/ns/void#Dataset")) in void
    assert f'href="{B}dataset"' in (site / "id" / "catalog.html").read_text()  # the catalogue's dcat:dataset
    assert (site / "id" / "source" / "s1.html").read_bytes() != (site / "id" / "catalog.html").read_bytes()


def test_a_description_resource_page_and_files_by_hand():
    """What description_answer gives, written out: the whole description in each RDF format, and for a resource a
    page of what the description says of it (an IRI links to itself, a literal to the description's Turtle)."""
    import html
    import re

    import pyoxigraph as ox

    d, dist = ox.NamedNode(B + "dataset"), ox.NamedNode(B + "distribution/x.nt.gz")
    t = ox.NamedNode("http://purl.org/dc/terms/title")
    triples = [ox.Triple(d, t, ox.Literal("All <data>", language="en")),
               ox.Triple(d, ox.NamedNode("http://www.w3.org/ns/dcat#distribution"), dist),
               ox.Triple(dist, t, ox.Literal("x, nt"))]
    fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
            "rdf": ox.RdfFormat.RDF_XML}
    for ext, fmt in fmts.items():
        got = {q.triple for q in ox.parse(description_answer(triples, Paths(B), d.value, ext), fmt)}
        assert got == set(triples), ext
    assert description_answer(triples, Paths(B), None, "ttl") == description_answer(triples, Paths(B), d.value, "ttl")

    def items(page: bytes) -> list[tuple[str, str]]:
        return [(html.unescape(a), html.unescape(b))
                for a, b in re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', page.decode())]

    page = description_answer(triples, Paths(B), d.value, "html")
    assert f"<h1>{B}dataset</h1>" in page.decode() and 'href="../style.css"' in page.decode()
    assert items(page) == [("dataset.ttl", "http://purl.org/dc/terms/title: All <data>"),  # in statement order
                           (dist.value, f"http://www.w3.org/ns/dcat#distribution: {dist.value}")]
    assert description_answer(triples, Paths(B), None, "html") == page  # the well-known place shows the dataset
    other = description_answer(triples, Paths(B), dist.value, "html")
    assert items(other) == [("x.nt.gz.ttl", "http://purl.org/dc/terms/title: x, nt")]
    assert 'href="../../style.css"' in other.decode()
