"""The static site (`ngograph site`): every link resolves, every page's RDF holds the resource's
statements, the pages name what they should, no personal data, and the site in a real headless
browser."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Graph, URIRef

import ngograph.publish.site as site_module
from ngograph.cli import main
from ngograph.publish.pages import Paths
from ngograph.publish.site import write_site
from ngograph.records.personal import personal_data
from ngograph.store.embedded import write_store

from conftest import BASE
from test_serve import ESCAPED_NT

PROJECT = "project/red-cross-family-inclusion"
ORGANISATION = "organisation/latvian-red-cross"
PARTNERS = {"danish-red-cross", "latvian-red-cross", "belarus-red-cross", "latvian-red-cross-daugavpils"}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.title, self._in_title = [], "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def site(tmp_path_factory, seed_store) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    n = write_site(seed_store, out, Paths(BASE))
    assert n > 1000  # 159 resources of ours, the vocabularies' concepts and the countries
    return out


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_every_link_of_every_page_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 1000
    checked = 0
    for page in pages:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                assert parts.scheme in ("http", "https"), (page, link)
                continue
            # the 404 page's links start from the host's root: it is given at any missing path
            start = site if link.startswith("/") else page.parent
            assert link.startswith("/") == (page.name == "404.html" and page.parent == site), (page, link)
            target = (start / unquote(parts.path).lstrip("/")).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to {link}, which is missing"
            checked += 1
    assert checked > 10_000


def test_index_pages_link_to_the_resources(site):
    assert {p.name for p in site.glob("*.html")} == {"index.html", "countries.html", "funders.html", "years.html",
                                                       "sources.html", "search.html", "404.html"}
    funders = parse(site / "funders.html").links
    assert "id/organisation/nordic-council-of-ministers.html" in funders
    years = (site / "years.html").read_text()
    assert "<h2 id=\"g1\">2021</h2>" in years  # social-rights-advocacy-phase-3 starts in 2021, the latest
    countries = parse(site / "countries.html").links
    assert "country/LVA.html" in countries and "country/BLR.html" in countries
    assert "id/source/seed-001.html" in parse(site / "sources.html").links
    index = (site / "search-index.js").read_text()
    assert index.startswith("window.NGOGRAPH_INDEX = [")
    assert '["Latvian Red Cross","id/organisation/latvian-red-cross","organisation"]' in index


def test_project_page_names_its_partners_and_provenance(site):
    page = site / "id" / f"{PROJECT}.html"
    html = page.read_text()
    links = parse(page)
    assert links.title.startswith("Social integration and meaningful participation of disadvantaged families")
    partners = {Path(link).stem for link in links.links if link.startswith("../organisation/")}
    assert PARTNERS <= partners
    assert '<a href="../source/seed-001.html">' in html and "curated from the source document" in html
    for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples")):
        assert f'<link rel="alternate" type="{media}" href="red-cross-family-inclusion.{ext}">' in html
    assert '<script type="application/ld+json">' in html and '"@type": [\n  "Project"\n ]' in html


def test_organisation_page_has_its_partner_figure(site):
    html = (site / "id" / f"{ORGANISATION}.html").read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    for partner in PARTNERS - {"latvian-red-cross"}:
        assert f'<a href="{partner}.html"><title>' in html
    assert '<a href="../../country/LVA.html">Latvia</a>' in html


def test_country_page_has_names_in_every_language_and_a_figure(site):
    html = (site / "country" / "LVA.html").read_text()
    assert '<td lang="lv">Latvija</td>' in html
    assert 'aria-label="Joint projects by partner country"' in html
    assert '<a href="BLR.html">' in html  # Latvian and Belarusian organisations share projects


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_page_rdf_holds_the_resources_statements(site, seed_graph, ext, fmt):
    for name in (PROJECT, ORGANISATION):
        g = Graph()
        g.parse(site / "id" / f"{name}.{ext}", format=fmt)
        subject = URIRef(BASE + name)
        stated = set(seed_graph.triples((subject, None, None)))
        assert len(stated) > 5
        assert stated <= set(g), name
        assert set(seed_graph.triples((None, None, subject))) <= set(g), name


def test_no_personal_data_in_any_page(site):
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 4000
    for path in files:
        assert personal_data(path.read_text(encoding="utf-8")) == [], path


def test_site_command_replaces_the_folder(tmp_path, seed_store, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    assert main(["site", "--store", str(seed_store), "--output", str(out)]) == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left
    assert "resource pages" in capsys.readouterr().err


def test_site_command_without_a_store_says_how_to_build_one(tmp_path, capsys):
    assert main(["site", "--store", str(tmp_path / "none"), "--output", str(tmp_path / "site")]) == 2
    assert "run `ngograph build` first" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args: str) -> str:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args], capture_output=True,
                          text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
@pytest.mark.parametrize("name,title,partner", [
    (PROJECT, "Social integration and meaningful participation", "../organisation/danish-red-cross.html"),
    (ORGANISATION, "Latvian Red Cross", "belarus-red-cross.html"),
])
def test_pages_in_a_real_browser(site, tmp_path, name, title, partner):
    page = site / "id" / f"{name}.html"
    dom = chromium("--dump-dom", page.as_uri())
    assert f"<title>{title}" in dom
    assert f'href="{partner}"' in dom
    shot = tmp_path / "page.png"
    chromium("--window-size=1100,1400", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_the_404_page_at_a_missing_path_deep_in_the_site(site):
    """As GitHub Pages serves the site: a path with no file gets 404.html, at that path. The browser loads the style
    sheet through the page's root-based link and finds the links home."""
    import http.server
    import threading
    from functools import partial

    asked: list[tuple[str, int]] = []

    class Host(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_request(self, code="-", size="-"):
            asked.append((self.path, int(code)))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Host, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dom = chromium("--dump-dom", f"http://127.0.0.1:{server.server_port}/id/project/no/such/page")
    finally:
        server.shutdown()
        server.server_close()
    assert "<title>Not found · ngograph</title>" in dom and 'href="/countries.html"' in dom
    assert ("/id/project/no/such/page", 404) in asked and ("/style.css", 200) in asked, asked


def test_worker_processes_write_the_same_site(site, tmp_path, seed_store, monkeypatch):
    monkeypatch.setattr(site_module, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(site_module, "_CHUNK", 400)
    seen = []
    n = write_site(seed_store, tmp_path / "site", Paths(BASE), progress=lambda done, total: seen.append(done),
                   workers=2)
    assert n == len(list(site.rglob("*.ttl")))
    assert seen == [400, 800, n]  # every resource has a page: three tasks of at most 400
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file())
    for name in files[::50]:
        assert (site / name).read_bytes() == (tmp_path / "site" / name).read_bytes(), name


def test_percent_escapes_in_file_names(tmp_path):
    write_store(tmp_path / "store", ESCAPED_NT)
    assert write_site(tmp_path / "store", tmp_path / "site", Paths(BASE)) == 2
    assert (tmp_path / "site" / "id" / "organisation" / "dk-cvr" / "1 HP.html").is_file()  # as a server decodes %20
    assert (tmp_path / "site" / "id" / "project" / "iati" / "XI-EC-2016%2F375.ttl").is_file()  # a slash stays escaped
