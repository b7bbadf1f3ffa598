"""Stage: publish. The static site: one HTML page per resource with its RDF beside it (Turtle,
JSON-LD, N-Triples), index pages by country, funder, year and source, and a search that needs no
server (a prebuilt index). Any web host can serve the folder; ``docs/publishing.md`` has the
redirect rules that make the IRIs (``https://w3id.org/ngograph/id/...``) land on these pages.

The pages come from :mod:`ngograph.publish.pages`, as the server's do.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from ngograph.errors import ConfigError
from ngograph.publish.describe import description_graph
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import (KIND_LABELS, RDF_FORMATS, Paths, make_page, page_kind, render, render_page,
                                    rdf_bytes, resource_pages)
from ngograph.rdf.serialize import rdfxml_bytes
from ngograph.queries.library import run
from ngograph.resources import package_file
from ngograph.runtime import worker_threads
from ngograph.store.backends import Embedded
from ngograph.store.embedded import DESCRIPTION_GRAPH

__all__ = ["SITE_FORMATS", "STATIC_FILES", "NOT_FOUND_PAGE", "write_site", "index_pages", "resource_index", "static_file",
           "description_answer"]

#: The RDF files written beside each page.
SITE_FORMATS = ("ttl", "jsonld", "nt")
#: Files copied from the package's templates folder as they are.
STATIC_FILES = {"style.css": "text/css", "search.js": "text/javascript"}
#: The page a static host gives for a path the site has no file for (:func:`index_pages`).
NOT_FOUND_PAGE = "404.html"
#: Kinds of resources in the search index (participations and the like have no name of their own).
_SEARCHED = {"project", "organisation", "country", "grant", "event", "place", "source", "result", "concept"}


def static_file(name: str) -> bytes:
    """A static file of the site (:data:`STATIC_FILES`), from the package."""
    return package_file(__package__, "templates", name).read_bytes()


def resource_index(backend, paths: Paths, page_index: PageIndex | None = None) -> list[tuple[str, str, str]]:
    """``(iri, label, kind)`` of every resource that has a page, sorted by IRI: the label its
    rdfs:label, else an English skos:prefLabel, else a dct:title (the first in code-point order).
    From ``page_index`` when given (no query), else by the queries ``site/resources`` and ``site/labels``."""
    if page_index is not None:
        return sorted((iri, (page_index.index_label(iri) or (0, ""))[1], page_index.kind(iri))
                      for iri in page_index.kinds if paths.path(iri) is not None)
    types: dict[str, list[str]] = {}
    for row in run("site/resources", backend, max_rows=None):
        if row["resource"] in types or paths.path(row["resource"]) is not None:
            types.setdefault(row["resource"], []).append(row["type"])
    labels: dict[str, tuple[int, str]] = {}
    for row in run("site/labels", backend, max_rows=None):
        if row["resource"] in types:
            best = labels.get(row["resource"])
            key = (row["rank"], row["label"])
            if best is None or key < best:
                labels[row["resource"]] = key
    return sorted((iri, labels.get(iri, (0, ""))[1], page_kind(kinds)) for iri, kinds in types.items())


def _item(iri: str, text: str, paths: Paths, here: str, note: str = "") -> dict | None:
    href = paths.href(iri, here)
    return {"href": href, "text": text or iri, "note": note} if href else None


def index_pages(backend, paths: Paths, index: list[tuple[str, str, str]] | None = None,
                page_index: PageIndex | None = None) -> dict[str, bytes]:
    """The site's index pages and search index, ``{file name: bytes}``: the home page, countries,
    funders, years, sources, the search page and its index. ``index`` is :func:`resource_index`'s,
    made here (from ``page_index`` when given) if None.

    The four queries of the pages run on two threads of their own, while this one makes ``index``:
    the store's engine lets go of the GIL while it evaluates (the CORDIS and IATI imports, with the
    resource index: 7.3-8.4 s one after the other, 5.6-6.0 s so)."""
    if isinstance(backend, Embedded):  # the store opened and its graphs listed here, once, not by two threads at once
        _ = backend.store
        backend.graphs()
    with worker_threads() as submit:
        asked = {name: submit(partial(run, f"site/index-{name}", backend, max_rows=None))
                 for name in ("countries", "funders", "years", "sources")}
        index = resource_index(backend, paths, page_index) if index is None else index
        rows = {name: future.result() for name, future in asked.items()}
    pages: dict[str, str] = {}

    def page(name: str, title: str, groups: list[dict], intro: str = "") -> None:
        here = name[: -len(".html")]
        pages[name] = render("list.html", here, title=title, intro=intro,
                             groups=[{"name": g["name"], "items": [i for i in g["items"] if i]} for g in groups])

    countries = rows["countries"]
    page("countries.html", "Organisations by country", [{"name": "", "items": [
        _item(r["country"], r["name"] or r["code"], paths, "countries",
              f"{r['organisations']} organisation(s), {r['projects']} project(s)") for r in countries]}],
         "The countries where the organisations of the graph are based.")
    funders = rows["funders"]
    page("funders.html", "Projects by funder", [{"name": "", "items": [
        _item(r["funder"], r["name"], paths, "funders", f"{r['projects']} project(s)") for r in funders]}])
    years: dict[int, list] = {}
    for r in rows["years"]:
        years.setdefault(r["year"], []).append(_item(r["project"], r["name"], paths, "years"))
    page("years.html", "Projects by the year they started",
         [{"name": str(y), "items": items} for y, items in sorted(years.items(), reverse=True)])
    sources = rows["sources"]
    page("sources.html", "Resources by source", [{"name": "", "items": [
        _item(r["source"], r["title"] or r["source"].rsplit("/", 1)[-1], paths, "sources",
              f"{r['resources']} resource(s)") for r in sources]}],
         "Every resource of the graph says which source document (curated) or dataset (imported) it comes from.")
    counts: dict[str, int] = {}
    for _, _, kind in index:
        counts[kind] = counts.get(kind, 0) + 1
    page("index.html", "ngograph: cross-border NGO cooperation", [
        {"name": "Browse", "items": [{"href": "countries.html", "text": "by country", "note": ""},
                                     {"href": "funders.html", "text": "by funder", "note": ""},
                                     {"href": "years.html", "text": "by year", "note": ""},
                                     {"href": "sources.html", "text": "by source", "note": ""}]},
        {"name": "What the graph holds", "items": [
            {"href": "search.html", "text": f"{n} {KIND_LABELS[k].lower()} page(s)", "note": ""}
            for k, n in sorted(counts.items())]}],
         "Which organisations work together across the Nordic, Baltic and Eastern Partnership countries, in which "
         "projects, in which roles, with whose money. Every page is also data: follow its RDF links.")
    pages["search.html"] = render("search.html", "search", title="Search")
    # a static host (GitHub Pages, Netlify, Cloudflare Pages...) answers a path it has no file for with 404.html, at
    # that path: its links start from the host's root, where the site stands (docs/publishing.md), not from the page
    pages[NOT_FOUND_PAGE] = render("list.html", "404", root="/", title="Not found", intro=(
        "Nothing is published at this address. The pages of the graph are listed by country, funder, year and source, "
        "and the search finds organisations, projects and places by name."), groups=[{"name": "", "items": [
            {"href": f"/{name}.html", "text": text, "note": ""} for name, text in (
                ("index", "home"), ("countries", "by country"), ("funders", "by funder"), ("years", "by year"),
                ("sources", "by source"), ("search", "search"))]}])
    entries = [[label, paths.path(iri), KIND_LABELS[kind].lower()] for iri, label, kind in index
               if kind in _SEARCHED and label]
    out = {name: html.encode("utf-8") for name, html in pages.items()}
    out["search-index.js"] = ("window.NGOGRAPH_INDEX = " + json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
                              + ";\n").encode("utf-8")
    for name in STATIC_FILES:
        out[name] = static_file(name)
    return out


def _write_pages(reader, work: Path, paths: Paths, iris: list[str]) -> int:
    """Write the page and RDF files of each of ``iris`` under ``work``; return how many had a page.
    ``reader`` gives what the pages need: a :class:`~ngograph.publish.page_index.PageIndex`, or
    a backend, read by the library's queries (the statements of all of ``iris`` in one go:
    :func:`~ngograph.publish.pages.resource_pages`)."""
    made, n = set(), 0
    if isinstance(reader, PageIndex):
        pages = ((iri, make_page(reader, iri, paths)) for iri in iris)
    else:
        pages = resource_pages(reader, iris, paths, {})
    for _, page in pages:
        if page is None:
            continue
        target = work / Paths.file(page.path)
        if target.parent not in made:
            os.makedirs(target.parent, exist_ok=True)
            made.add(target.parent)
        target.with_name(target.name + ".html").write_text(render_page(page, SITE_FORMATS), encoding="utf-8")
        for ext in SITE_FORMATS:
            target.with_name(f"{target.name}.{ext}").write_bytes(rdf_bytes(page, ext))
        n += 1
    return n


_worker_reader = None


def _worker_start(store: str, index_file: str | None) -> None:
    global _worker_reader
    backend = Embedded(Path(store), fixed=True)
    _worker_reader = backend if index_file is None else PageIndex.load(backend, index_file)


def _worker_pages(work: str, paths: Paths, iris: list[str]) -> int:
    return _write_pages(_worker_reader, Path(work), paths, iris)


#: Resources per task of a worker process, and the fewest resources worth starting workers for.
_CHUNK, _PARALLEL_FROM = 200, 2000


#: The folders of a site that other commands write (docs/publishing.md): ``ngograph docs --output SITE/def``,
#: ``ngograph export --output SITE/dumps/FILE``. A new site keeps them.
PUBLISHED_BESIDE = ("def", "dumps")


def description_answer(triples: list, paths: Paths, iri: str | None, ext: str) -> bytes:
    """The answer for a resource of the dataset's description (``triples``: VoID and DCAT-AP, the catalogue, the
    dataset, its subsets and distributions, the publisher, the SPARQL service, the class partitions), or for the
    whole (``iri`` None: ``/.well-known/void``, VoID 7.2): the whole description in the RDF format ``ext``, or for
    ``html`` a page listing what it says of the resource. Its resources have no page of their own: the
    description is not part of the published graph (every dump carries it)."""
    if ext != "html":
        return rdfxml_bytes(triples) if ext == "rdf" else ox.serialize(triples, format=RDF_FORMATS[ext][1])
    shown = iri or f"{paths.base}dataset"
    items = [{"href": t.object.value if isinstance(t.object, ox.NamedNode) else f"{paths.path(shown).rsplit('/', 1)[-1]}.ttl",
              "text": f"{t.predicate.value}: {t.object.value}"}
             for t in sorted(triples, key=str) if t.subject.value == shown]
    return render("list.html", paths.path(shown) or "index.html", title=shown,
                  intro="What the dataset's description (VoID, DCAT-AP) says of this resource; the whole "
                        "description is its RDF (Turtle, JSON-LD, N-Triples beside this page).",
                  groups=[{"name": None, "items": items}]).encode("utf-8")


def _write_description(store: ox.Store, paths: Paths, work: Path) -> None:
    """The files of the description's resources that have no page of their own (the dataset, the catalogue, the
    distributions...: their IRIs dereference on a static site too), and ``.well-known/void`` (Turtle). Only of a
    store that keeps its description (every build and import writes one): one made now would differ by its time
    from one site to the next."""
    if next(store.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH), None) is None:
        return
    triples = [q.triple for q in description_graph(store, paths.base)]
    for iri in sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}):
        path = paths.path(iri)
        if path is None or (work / f"{path}.html").exists():  # another site's IRI, or a resource with a page
            continue
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        for ext in ("html", *SITE_FORMATS):
            target.with_name(f"{target.name}.{ext}").write_bytes(description_answer(triples, paths, iri, ext))
    (work / ".well-known").mkdir(exist_ok=True)
    (work / ".well-known" / "void").write_bytes(description_answer(triples, paths, None, "ttl"))


def _keep_published(old: Path, new: Path) -> None:
    """Give the site being written in ``new`` the folders of :data:`PUBLISHED_BESIDE` that the site at ``old`` has,
    as hard links (the old site stays whole until the new one takes its place; the dumps are not copied)."""
    for name in PUBLISHED_BESIDE:
        if (new / name).exists() or not (old / name).is_dir():
            continue
        if (old / name).is_symlink():  # a link to the folder elsewhere (the dumps on another disk): the same link
            os.symlink(os.readlink(old / name), new / name)
        else:
            shutil.copytree(old / name, new / name, symlinks=True, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    """A hard link, or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_site(store: Path, output: Path, paths: Paths | None = None,
               progress: Callable[[int, int], None] | None = None, workers: int | None = None, *,
               engine: str = "index", select: Callable[[list], list] | None = None) -> int:
    """Write the static site of the store at ``store`` into the folder ``output``; return the
    number of resource pages. The site is written into a new folder beside ``output`` that then
    takes its place: a site killed half-way leaves the previous one as it was. The folders other commands
    publish into the site (:data:`PUBLISHED_BESIDE`: the vocabulary's documentation, the dumps) are kept. Pages are made by
    ``workers`` processes (default: one per core) when there are many.

    ``engine``: ``index`` reads what the pages need once (:class:`~ngograph.publish.page_index.PageIndex`;
    the worker processes load the parent's), ``queries`` by the library's queries, page by page
    (the reference: the same bytes, many times slower). ``select`` picks the resources to write
    from the listing (a benchmark writes part of a big store)."""
    if engine not in ("index", "queries"):
        raise ConfigError(f"unknown site engine {engine!r}: index or queries")
    paths = paths or Paths()
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise ConfigError(f"{output} is a file: give a folder for the site (--output)")
    backend = Embedded(Path(store), fixed=True)
    page_index = PageIndex(backend) if engine == "index" else None
    index = resource_index(backend, paths, page_index)
    if select is not None:
        index = select(index)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.new")
    work.mkdir()
    index_file = None

    def write_index_pages() -> None:
        for name, data in index_pages(backend, paths, index).items():
            (work / name).write_bytes(data)

    try:
        iris = [iri for iri, _, _ in index]
        chunks = [iris[i:i + _CHUNK] for i in range(0, len(iris), _CHUNK)]
        workers = workers or os.cpu_count() or 1
        done = pages = 0
        if workers > 1 and len(iris) >= _PARALLEL_FROM:
            if page_index is not None:  # the workers load the parent's index: no second pass over the store
                if any(kind == "country" for _, _, kind in index):
                    page_index.country_pairs()  # one query for all the workers' country pages
                # in a folder of its own that only this user can open (the workers unpickle it)
                index_file = Path(tempfile.mkdtemp(prefix="ngograph-site-")) / "page.index"
                page_index.save(index_file)
            context = multiprocessing.get_context("spawn")  # the parent has the store's threads: no fork
            with context.Pool(workers, _worker_start, (str(store), index_file and str(index_file))) as pool:
                results = [pool.apply_async(_worker_pages, (str(work), paths, chunk)) for chunk in chunks]
                write_index_pages()  # while the workers write the resources' pages
                for chunk, result in zip(chunks, results):
                    pages += result.get()
                    done += len(chunk)
                    if progress is not None:
                        progress(done, len(iris))
        else:
            write_index_pages()
            for chunk in chunks:
                pages += _write_pages(page_index or backend, work, paths, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(iris))
        _write_description(backend.store, paths, work)
        old = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.old")
        if output.exists():
            _keep_published(output, work)
            os.rename(output, old)
        os.rename(work, output)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if index_file is not None:
            shutil.rmtree(index_file.parent, ignore_errors=True)
    return pages
