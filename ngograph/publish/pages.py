"""Stage: publish. The page model of a resource, shared by the static site (:mod:`.site`) and the
server (:mod:`.serve`): one function, :func:`page_model`, turns a resource's statements (read from
the store with ``queries/site/*.rq``) into what its HTML page shows and what its RDF files hold;
:func:`render_page` writes the HTML from the templates in ``templates/``.

Where pages live: an IRI under the base (``https://w3id.org/ngograph/id/``) has the path
``id/...``, one of our vocabularies (``https://w3id.org/ngograph/vocab/``) ``vocab/...`` and an EU
country ``country/...`` (:class:`Paths`). The page of ``id/project/x`` is ``id/project/x.html``, its
RDF ``id/project/x.ttl``, ``.jsonld``, ``.nt`` (and ``.rdf`` from the server). Links between pages
are relative, so the same HTML works from any folder, any static host and the server.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

import jinja2
import pyoxigraph as ox
from markupsafe import Markup
from rdflib import URIRef

from ngograph.config import base_iri
from ngograph.queries.library import load_query, run
from ngograph.rdf.context import load_context
from ngograph.rdf.compact import compact_document, oxigraph_term
from ngograph.rdf.serialize import rdfxml_bytes
from ngograph.rdf.namespaces import (DCTERMS, EU_COUNTRY, NGO, ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, VOCAB,
                                     XSD)

__all__ = ["RDF_FORMATS", "Paths", "Value", "Fact", "Page", "page_model", "resource_page", "resource_pages", "rdf_bytes",
           "render_page", "render", "templates", "page_kind", "KIND_LABELS", "QueryReader", "make_page"]

#: The RDF files of a page: extension -> (media type, pyoxigraph format). The site writes the first three.
RDF_FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}

#: Statements that point at a resource, shown (and put in its RDF) at most.
MAX_INCOMING = 1000
#: Values of one fact or one list of pointing resources shown on a page; the rest are counted.
MAX_SHOWN = 200

_SAFE_SEGMENT = r"[A-Za-z0-9._~%!$&'()*+,;=:@-]+"
#: A page path's part after its root: one or more segments of URL characters that need no escape, or escapes.
_SAFE_PATH = re.compile(f"{_SAFE_SEGMENT}(?:/{_SAFE_SEGMENT})*")


class Paths:
    """Where the page of an IRI lives, relative to the site's root, and back.

    >>> paths = Paths("https://w3id.org/ngograph/id/")
    >>> paths.path("https://w3id.org/ngograph/id/project/x"), paths.path("https://example.org/x")
    ('id/project/x', None)
    >>> paths.iri("country/LVA")
    'http://publications.europa.eu/resource/authority/country/LVA'
    >>> paths.href("https://w3id.org/ngograph/id/organisation/y", "id/project/x")
    '../organisation/y.html'
    >>> paths.file("id/organisation/dk-cvr/1%20HP"), paths.file("id/project/iati/XI-EC-2016%2F375")
    ('id/organisation/dk-cvr/1 HP', 'id/project/iati/XI-EC-2016%2F375')
    """

    def __init__(self, base: str | None = None):
        self.base = base_iri(base)
        self.prefixes = [(self.base, "id/"), (str(VOCAB), "vocab/"), (str(EU_COUNTRY), "country/")]

    def path(self, iri: str) -> str | None:
        """The page path of ``iri`` (``id/project/x``), None for an IRI without a page here."""
        for prefix, root in self.prefixes:
            if iri.startswith(prefix) and len(iri) > len(prefix):
                rest = iri[len(prefix):]
                if _SAFE_PATH.fullmatch(rest) is None:
                    return None
                # a segment . or .. (%2E escapes it): only where a dot or an escape is (3.3x as fast on the
                # 871,897 IRIs of the imported store as decoding every segment)
                if ("." in rest or "%" in rest) and any(unquote(s) in (".", "..") for s in rest.split("/")):
                    return None
                return root + rest
        return None

    def iri(self, path: str) -> str | None:
        """The IRI of the page path ``path``, None when it is not one of ours."""
        for prefix, root in self.prefixes:
            if path.startswith(root) and len(path) > len(root):
                iri = prefix + path[len(root):]
                return iri if self.path(iri) == path else None
        return None

    @staticmethod
    def file(path: str) -> str:
        """The file name of a page path on disk: percent-escapes decoded, as a web server decodes a URL,
        except an escaped slash (``%2F``, a key that holds a slash), kept as it is written."""
        return "%2F".join(unquote(part) for part in re.split("%2[Ff]", path))

    def href(self, iri: str, here: str, ext: str = "html") -> str | None:
        """A link from the page at ``here`` to the page of ``iri``, relative; None without a page."""
        target = self.path(iri)
        return None if target is None else relative(f"{target}.{ext}", here)


def relative(target: str, here: str) -> str:
    """A link from the page at path ``here`` to the site path ``target``.

    >>> relative("countries.html", "id/project/x"), relative("id/a.html", "index")
    ('../../countries.html', 'id/a.html')
    >>> relative("id/organisation/y.html", "id/project/x"), relative("country/LVA.html", "id/project/x")
    ('../organisation/y.html', '../../country/LVA.html')
    """
    folder = target.split("/")
    name = folder.pop()
    up = here.split("/")[:-1]
    same = 0
    while same < min(len(folder), len(up)) and folder[same] == up[same]:
        same += 1
    return "/".join([".."] * (len(up) - same) + folder[same:] + [name])


# ---------------------------------------------------------------------------- the model

@dataclass
class Value:
    """One value shown on a page: text, a link (relative for our pages, absolute else), a language."""

    text: str
    href: str | None = None
    lang: str | None = None
    note: str = ""


@dataclass
class Fact:
    """A statement in words: ``label`` (a verb phrase) and its values; ``more`` values not shown."""

    label: str
    values: list[Value]
    more: int = 0


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Value]]


@dataclass
class Page:
    """What the page of one resource shows and what its RDF files hold."""

    iri: str
    path: str
    kind: str
    title: str
    title_lang: str | None
    names: list[Value] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    pointing: list[Fact] = field(default_factory=list)
    provenance: list[Value] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figure: Markup | None = None
    figure_caption: str = ""
    triples: list = field(default_factory=list)
    schema_org: dict = field(default_factory=dict)
    _sorted: list | None = field(default=None, repr=False, compare=False)

    def sorted_triples(self) -> list:
        """The page's statements, each once, in the order of their N-Triples text (sorted once per page)."""
        if self._sorted is None:
            self._sorted = sorted(set(self.triples), key=str)
        return self._sorted

    @property
    def name(self) -> str:
        """The last segment of the path: the RDF files' names (``x.ttl``) are relative to the page."""
        return self.path.rsplit("/", 1)[-1]


KIND_LABELS = {"project": "Project", "organisation": "Organisation", "country": "Country", "grant": "Grant",
               "event": "Event", "place": "Place", "concept": "Concept", "source": "Source",
               "participation": "Participation", "result": "Result", "resource": "Resource"}

_KINDS = [  # first match wins
    ("source", (NGO.SourceDocument, NGO.SourceDataset)),
    ("project", (SCHEMA.Project, NGO.Programme)),
    ("organisation", (SCHEMA.Organization, ORG.FormalOrganization)),
    ("country", (SCHEMA.Country,)),
    ("grant", (SCHEMA.MonetaryGrant, SCHEMA.FundingScheme)),
    ("event", (SCHEMA.Event,)),
    ("participation", (NGO.Participation,)),
    ("result", (NGO.Result,)),
    ("place", (SCHEMA.Place,)),
    ("concept", (SKOS.Concept, SKOS.ConceptScheme, SKOS.Collection)),
]


def page_kind(types) -> str:
    """The kind of page for a resource of these rdf:types.

    >>> page_kind([str(SCHEMA.Country), str(SCHEMA.Place)])
    'country'
    """
    types = set(map(str, types))
    return next((kind for kind, classes in _KINDS if types & set(map(str, classes))), "resource")


#: Predicates whose literals are a resource's names, shown as a table of languages.
_NAMES = {str(SCHEMA.name): "name", str(SKOS.prefLabel): "preferred label", str(SKOS.altLabel): "other name",
          str(RDFS.label): "display label", str(DCTERMS.title): "title"}

#: Predicates in plain words, the resource being the subject; others get their local name in words.
_PHRASES = {
    RDF.type: "is a", SCHEMA.startDate: "started", SCHEMA.endDate: "ended", SCHEMA.member: "has as partner",
    SCHEMA.funder: "is funded by", SCHEMA.audience: "is for", DCTERMS.subject: "is about",
    NGO.activityType: "does", SCHEMA.location: "takes place in", SCHEMA.addressCountry: "is based in",
    SCHEMA.identifier: "is identified as", NGO.budget: "has the budget", DCTERMS.isPartOf: "is part of",
    NGO.inProject: "is a participation in", NGO.participant: "of", NGO.role: "in the role",
    NGO.sourceRole: "in the source's role", SCHEMA.fundedItem: "funds", SCHEMA.amount: "amounts to",
    ORG.subOrganizationOf: "is a branch of", SKOS.inScheme: "belongs to the scheme", SKOS.broader: "is narrower than",
    SKOS.notation: "has the code", SKOS.exactMatch: "is the same as", SKOS.closeMatch: "is close to",
    SKOS.broadMatch: "is narrower than", SKOS.topConceptOf: "is a top concept of", SCHEMA.containedInPlace: "lies in",
    NGO.eventOf: "is an event of", NGO.eventType: "is of the kind", DCTERMS.language: "is written in",
    SCHEMA.value: "is", SCHEMA.currency: "in the currency", SKOS.definition: "is defined as",
    SCHEMA.description: "is described as", NGO.visited: "visited",
}
_PHRASES = {str(k): v for k, v in _PHRASES.items()}

#: Headings for the resources that point at a resource, by predicate.
_INVERSE = {
    SCHEMA.member: "Projects with it as a partner", SCHEMA.funder: "Funded by it", SCHEMA.addressCountry: "Based here",
    NGO.participant: "Its participations", NGO.inProject: "Participations in it", PROV.wasDerivedFrom: "Derived from it",
    SCHEMA.location: "Taking place here", DCTERMS.subject: "About it", SCHEMA.audience: "For it",
    SKOS.inScheme: "In this scheme", SCHEMA.fundedItem: "Grants funding it", ORG.subOrganizationOf: "Its branches",
    DCTERMS.isPartOf: "Its parts", SKOS.broader: "Narrower concepts", NGO.role: "Participations in this role",
    NGO.eventOf: "Its events", SCHEMA.containedInPlace: "Places within it", SKOS.topConceptOf: "Its top concepts",
}
_INVERSE = {str(k): v for k, v in _INVERSE.items()}

#: IRIs compared on every row, as strings once (an rdflib namespace attribute costs a look-up each time).
_TYPE, _LABEL, _NOTATION, _SCHEMA = str(RDF.type), str(RDFS.label), str(SKOS.notation), str(SCHEMA)
_TITLES = (str(SKOS.prefLabel), str(SCHEMA.name), str(DCTERMS.title))
_PLAIN = (str(XSD.string), str(RDF.langString))
_DERIVED, _RECORD = str(PROV.wasDerivedFrom), str(NGO.sourceRecord)

#: Shown in the provenance, not among the facts.
_PROVENANCE = {str(PROV.wasDerivedFrom), str(NGO.sourceRecord), str(NGO.sourceFile)}


def _words(iri: str) -> str:
    """A predicate's local name in words.

    >>> _words("https://w3id.org/ngograph/def#plannedStartDate")
    'has the planned start date'
    """
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    return "has the " + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()


def _short(iri: str) -> str:
    """A compact name of an IRI with no label: its prefixed name, or its last segment."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return unquote(re.split(r"[#/]", iri.rstrip("/#"))[-1]) or iri


def _term(value: str, is_iri: bool, datatype: str | None, lang: str | None):
    if is_iri:
        return ox.NamedNode(value)
    if lang:
        return ox.Literal(value, language=lang)
    if datatype and datatype != _PLAIN[0]:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def page_model(iri: str, out_rows, in_rows, paths: Paths, *, tables: list[Table] = (), figure: Markup | None = None,
               figure_caption: str = "", in_total: int | None = None) -> Page | None:
    """The page of ``iri`` from its statements: ``out_rows`` of ``queries/site/resource-out.rq``,
    ``in_rows`` of ``queries/site/resource-in.rq``; None when the store says nothing about it.
    ``tables`` and ``figure`` are the kind's extras (:func:`resource_page` reads them).

    >>> paths = Paths("https://w3id.org/ngograph/id/")
    >>> iri = "https://w3id.org/ngograph/id/project/p"
    >>> out = [{"p": str(RDF.type), "value": str(SCHEMA.Project), "datatype": "", "lang": None, "label": None,
    ...         "described": False},
    ...        {"p": str(RDFS.label), "value": "Bridges", "datatype": "", "lang": "en", "label": None,
    ...         "described": False}]
    >>> page = page_model(iri, out, [], paths)
    >>> page.kind, page.title, page.path, len(page.triples)
    ('project', 'Bridges', 'id/project/p', 2)
    >>> [(f.label, [v.text for v in f.values]) for f in page.facts]
    [('is a', ['schema:Project'])]
    """
    path = paths.path(iri)
    if path is None or not out_rows:
        return None
    subject = ox.NamedNode(iri)
    triples, seen = [], set()
    types, names, facts, provenance, schema = [], [], {}, [], {}
    title = title_lang = None
    for row in out_rows:
        is_iri = not row["datatype"] and not row["lang"]
        key = (row["p"], row["value"], is_iri, row["datatype"], row["lang"])
        if key in seen:  # one row per label of the object
            continue
        seen.add(key)
        triples.append(ox.Triple(subject, ox.NamedNode(row["p"]),
                                 _term(row["value"], is_iri, row["datatype"], row["lang"] or None)))
        p = row["p"]
        if p == _TYPE:
            types.append(row["value"])
        if p in _NAMES and not is_iri:
            translated = "-t-" in (row["lang"] or "")
            names.append(Value(row["value"], lang=row["lang"] or None,
                               note=_NAMES[p] + (" (our translation)" if translated else "")))
            if p == _LABEL or (title is None and p in _TITLES
                                        and not translated and (row["lang"] or "en").startswith("en")):
                title, title_lang = row["value"], row["lang"] or None
            continue
        value = _value(row, is_iri, paths, path)
        if p in _PROVENANCE:
            provenance.append(_provenance(p, value, row, paths))
            continue
        facts.setdefault(p, []).append(value)
        if p.startswith(_SCHEMA) and p != _TYPE:
            schema.setdefault(p[len(str(SCHEMA)):], []).append(
                {"@id": row["value"], **({"name": row["label"]} if row["label"] else {})} if is_iri else row["value"])
    if title is None:  # no English title: the first name, in its language, else the IRI's last segment
        first = next(iter(names), None)
        title, title_lang = (first.text, first.lang) if first is not None else (_short(iri), None)
    kind = page_kind(types)
    pointing: dict[str, list[Value]] = {}
    for row in in_rows:
        triples.append(ox.Triple(ox.NamedNode(row["s"]), ox.NamedNode(row["p"]), subject))
        href = paths.href(row["s"], path) or row["s"]
        pointing.setdefault(row["p"], []).append(Value(row["label"] or _short(row["s"]), href))
    return Page(
        iri=iri, path=path, kind=kind, title=title, title_lang=title_lang, names=_distinct_names(names),
        facts=[Fact(_PHRASES.get(p) or _words(p), vs[:MAX_SHOWN], max(0, len(vs) - MAX_SHOWN))
               for p, vs in sorted(facts.items(), key=lambda kv: (kv[0] != _TYPE, _PHRASES.get(kv[0]) or _words(kv[0])))],
        pointing=[Fact(_INVERSE.get(p) or f"Linked by {_short(p)}", sorted(vs, key=lambda v: v.text)[:MAX_SHOWN],
                       max(0, len(vs) - MAX_SHOWN)) for p, vs in sorted(pointing.items())],
        provenance=provenance, tables=list(tables), figure=figure, figure_caption=figure_caption, triples=triples,
        schema_org=_schema_org(iri, title, types, schema))


def _distinct_names(names: list[Value]) -> list[Value]:
    """Each distinct name (text and language) once, with its kinds: a title that is the display
    label, the name and the preferred label is one row, "display label, name, preferred label".

    >>> rows = _distinct_names([Value("Bridges", "", "en", "name"), Value("Bridges", "", "en", "display label"),
    ...                         Value("Tilti", "", "lv", "name"), Value("Bridges", "", None, "title")])
    >>> [(v.text, v.lang, v.note) for v in rows]
    [('Bridges', None, 'title'), ('Bridges', 'en', 'display label, name'), ('Tilti', 'lv', 'name')]
    """
    kinds: dict[tuple[str, str], list[str]] = {}
    for v in names:
        notes = kinds.setdefault((v.lang or "", v.text), [])
        if v.note not in notes:
            notes.append(v.note)
    return [Value(text, lang=lang or None, note=", ".join(sorted(notes))) for (lang, text), notes in sorted(kinds.items())]


def _value(row, is_iri: bool, paths: Paths, here: str) -> Value:
    if not is_iri:
        lang = row["lang"] or None
        text = row["value"]
        if row["datatype"] and row["datatype"] not in _PLAIN:
            dt = _short(row["datatype"])
            if dt.startswith("xsd:") and dt[4:] not in ("string",):
                return Value(text, lang=lang, note=dt)
        return Value(text, lang=lang)
    href = paths.href(row["value"], here) if row["described"] else None
    text = row["label"] or _short(row["value"])
    return Value(text, href or (row["value"] if re.match(r"^https?://", row["value"]) else None))


def _provenance(p: str, value: Value, row, paths: Paths) -> Value:
    if p == _DERIVED:
        imported = row["value"].startswith(paths.base + "dataset/")
        return Value(value.text, value.href, note="imported dataset" if imported else "curated from the source document")
    if p == _RECORD:
        return Value(value.text, note="source record")
    return Value(value.text, note="source file")


_SCHEMA_TYPES = {"project": "Project", "organisation": "Organization", "country": "Country", "grant": "MonetaryGrant",
                 "event": "Event", "place": "Place", "source": "Dataset", "concept": "DefinedTerm"}


def _schema_org(iri: str, title: str, types, properties: dict) -> dict:
    """The page's schema.org description for search engines, self-contained (no remote context)."""
    own = sorted(t[len(str(SCHEMA)):] for t in types if t.startswith(str(SCHEMA)))
    doc = {"@context": {"@vocab": str(SCHEMA)}, "@id": iri, "@type": own or [_SCHEMA_TYPES.get(page_kind(types), "Thing")],
           "name": title, "url": iri}
    for key, values in sorted(properties.items()):
        if key not in ("name",):
            doc[key] = values[0] if len(values) == 1 else values
    return doc


# ---------------------------------------------------------------------------- reading the store

@lru_cache(maxsize=None)
def _query(name: str):
    """A library query, read once (a server asks for the same few on every page)."""
    return load_query(name)


def _country_pairs(backend, shared: dict) -> tuple[dict[str, list[tuple[str, int]]], dict[str, tuple[str, str]]]:
    """``({alpha-2: [(partner alpha-2, joint projects)]}, {alpha-2: (IRI, name)})``: the library's
    country-pairs for every country at once (one query, kept in ``shared``, instead of one per page)."""
    if "country-pairs" not in shared:
        pairs: dict[str, list[tuple[str, int]]] = {}
        for r in run(_query("country-pairs"), backend, max_rows=None):
            pairs.setdefault(r["countryA"], []).append((r["countryB"], r["jointProjects"]))
            pairs.setdefault(r["countryB"], []).append((r["countryA"], r["jointProjects"]))
        countries = {r["code"]: (r["country"], r["name"] or r["code"])
                     for r in run(_query("site/country-codes"), backend, max_rows=None)}
        shared["country-pairs"] = pairs, countries
    return shared["country-pairs"]


class QueryReader:
    """What a page needs, read from the store by the library's queries (``queries/site/*.rq``,
    ``project-partners``, ``organisation-projects``, ``country-pairs``), a few queries per page:
    the reference that :class:`~ngograph.publish.page_index.PageIndex` answers from memory.
    ``shared`` keeps what many pages share (the country pairs): give the same dict for every
    page of one store."""

    def __init__(self, backend, shared: dict | None = None):
        self.backend = backend
        self.shared = shared if shared is not None else {}

    def out_rows(self, iri: str) -> list[dict]:
        """The rows of ``site/resource-out`` for ``iri``: its statements, each object labelled."""
        return run(_query("site/resource-out"), self.backend, {"resource": iri}, max_rows=None)

    def in_rows(self, iri: str) -> list[dict]:
        """The rows of ``site/resource-in`` (at most :data:`MAX_INCOMING`): the statements pointing at ``iri``."""
        return run(_query("site/resource-in"), self.backend, {"resource": iri}, max_rows=MAX_INCOMING)

    def partners(self, project: str):
        """The rows of ``project-partners`` (at most :data:`MAX_SHOWN`, marked truncated past it)."""
        return run(_query("project-partners"), self.backend, {"project": project}, max_rows=MAX_SHOWN)

    def projects(self, organisation: str):
        """The rows of ``organisation-projects`` (at most :data:`MAX_SHOWN`, marked truncated past it)."""
        return run(_query("organisation-projects"), self.backend, {"organisation": organisation}, max_rows=MAX_SHOWN)

    def neighbourhood(self, organisation: str):
        """The rows of ``site/partner-neighbourhood``: the 12 partners sharing most projects, named."""
        return run(_query("site/partner-neighbourhood"), self.backend, {"organisation": organisation})

    def country_pairs(self):
        """:func:`_country_pairs` of this store."""
        return _country_pairs(self.backend, self.shared)


def resource_pages(backend, iris: list[str], paths: Paths, shared: dict | None = None):
    """``(iri, page or None)`` for each of ``iris``, in order: :func:`resource_page`, with the
    statements about all of them read by one query (``site/resource-out`` bound to every IRI)
    instead of one per resource. The statements pointing at each are still read one resource at a
    time: a code list's concept has hundreds of thousands, of which a page shows the first
    :data:`MAX_INCOMING`, and only a query of its own can stop there."""
    ours = [iri for iri in dict.fromkeys(iris) if paths.path(iri) is not None]
    out_rows: dict[str, list] = {}
    if ours:
        for row in backend.select(_query("site/resource-out").text, {"resource": [URIRef(iri) for iri in ours]}):
            out_rows.setdefault(row["resource"], []).append(row)
    for iri in iris:
        yield iri, resource_page(backend, iri, paths, shared, out_rows=out_rows.get(iri, []))


def resource_page(backend, iri: str, paths: Paths, shared: dict | None = None, *, out_rows=None) -> Page | None:
    """Read ``iri``'s statements and its kind's extras from ``backend`` by the library's queries
    (:class:`QueryReader`) and make its page (None when unknown). ``shared`` keeps what many pages
    need from one store (the country pairs): give the same dict for every page of one store.
    ``out_rows``: the rows of ``site/resource-out`` for ``iri`` when already read (:func:`resource_pages`)."""
    return make_page(QueryReader(backend, shared), iri, paths, out_rows=out_rows)


def make_page(reader, iri: str, paths: Paths, *, out_rows=None) -> Page | None:
    """The page of ``iri`` (None when unknown) from what ``reader`` gives: :class:`QueryReader`
    (queries) or :class:`~ngograph.publish.page_index.PageIndex` (memory), the same rows either way."""
    if paths.path(iri) is None:
        return None
    if out_rows is None:
        out_rows = reader.out_rows(iri)
    if not out_rows:
        return None
    in_rows = reader.in_rows(iri)
    types = [r["value"] for r in out_rows if r["p"] == _TYPE]
    kind = page_kind(types)
    extras: dict = {}
    here = paths.path(iri)
    if kind == "project":
        rows = reader.partners(iri)
        if rows:
            extras["tables"] = [Table("Partners" + (f" (the first {MAX_SHOWN})" if rows.truncated else ""), ["organisation", "role", "country"],
                                      [[_link(r["organisation"], r["name"], paths, here), Value(r["role"] or ""),
                                        Value(r["country"] or "")] for r in rows])]
    elif kind == "organisation":
        rows = reader.projects(iri)
        if rows:
            extras["tables"] = [Table("Projects" + (f" (the first {MAX_SHOWN})" if rows.truncated else ""), ["project", "role", "start", "end"],
                                      [[_link(r["project"], r["title"], paths, here), Value(r["role"] or ""),
                                        Value(str(r["start"] or "")), Value(str(r["end"] or ""))] for r in rows])]
        partners = reader.neighbourhood(iri)
        if partners:
            title = next((r["value"] for r in out_rows if r["p"] == _LABEL), _short(iri))
            extras["figure"] = neighbourhood_svg(title, [(_link(r["partner"], r["name"], paths, here), r["projects"])
                                                         for r in partners])
            extras["figure_caption"] = "Partner neighbourhood: the organisations sharing most projects with this one " \
                                       "(line width: shared projects)."
    elif kind == "country":
        code = next((r["value"] for r in out_rows if r["p"] == _NOTATION), None)
        pairs, countries = reader.country_pairs()
        bars = sorted(pairs.get(code, []), key=lambda pair: (-pair[1], pair[0]))[:15]
        if bars:
            extras["figure"] = bars_svg([(_link(*countries.get(other, (None, other)), paths, here), n)
                                         for other, n in bars])
            extras["figure_caption"] = "Projects with members in this country and in another (library query " \
                                       "country-pairs), for the 15 countries with the most."
    return page_model(iri, out_rows, in_rows, paths, **extras)


def _link(iri: str | None, label: str | None, paths: Paths, here: str) -> Value:
    if iri is None:
        return Value(label or "")
    return Value(label or _short(iri), paths.href(iri, here) or iri)


# ---------------------------------------------------------------------------- figures (small SVG)

def neighbourhood_svg(title: str, partners: list[tuple[Value, int]], size: int = 360) -> Markup:
    """An organisation in the middle, its partners on a circle, each a link; line width by shared projects."""
    c = size / 2
    r = size / 2 - 70
    most = max(n for _, n in partners) or 1
    lines, nodes = [], []
    for i, (v, n) in enumerate(partners):
        a = 2 * math.pi * i / len(partners) - math.pi / 2
        x, y = c + r * math.cos(a), c + r * math.sin(a)
        lines.append(f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#8aa" '
                     f'stroke-width="{1 + 5 * n / most:.1f}"/>')
        anchor = "start" if math.cos(a) > 0.2 else "end" if math.cos(a) < -0.2 else "middle"
        dy = 16 if math.sin(a) > 0.5 else -8 if math.sin(a) < -0.5 else 4
        dx = 8 if anchor == "start" else -8 if anchor == "end" else 0
        label = jinja2.filters.do_truncate(jinja2.Environment(), v.text, 28, True, "…", 0)
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#2a7"/>'
                f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" font-size="11">'
                f'{Markup.escape(label)}</text>')
        tip = Markup.escape(f"{v.text}: {n} shared project{'s' if n != 1 else ''}")
        nodes.append(f'<a href="{Markup.escape(v.href)}"><title>{tip}</title>{node}</a>' if v.href else
                     f'<g><title>{tip}</title>{node}</g>')
    centre = f'<circle cx="{c}" cy="{c}" r="9" fill="#c52"><title>{Markup.escape(title)}</title></circle>'
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-90 0 {size + 180} {size}" width="{size + 180}" height="{size}" '
                  f'role="img" aria-label="{Markup.escape("Partners of " + title)}">'
                  + "".join(lines) + centre + "".join(nodes) + "</svg>")


def bars_svg(bars: list[tuple[Value, int]], width: int = 420) -> Markup:
    """Horizontal bars, one per linked value, labelled with their counts."""
    row, left = 20, 150
    most = max(n for _, n in bars) or 1
    height = row * len(bars) + 10
    parts = []
    for i, (v, n) in enumerate(bars):
        y = 5 + i * row
        w = (width - left - 40) * n / most
        bar = (f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" font-size="12">{Markup.escape(v.text[:24])}</text>'
               f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="#2a7"/>'
               f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="12">{n}</text>')
        parts.append(f'<a href="{Markup.escape(v.href)}">{bar}</a>' if v.href else bar)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
                  f'height="{height}" role="img" aria-label="Joint projects by partner country">' + "".join(parts) + "</svg>")


# ---------------------------------------------------------------------------- output

def rdf_bytes(page: Page, ext: str) -> bytes:
    """The page's statements in the RDF format of the extension ``ext`` (:data:`RDF_FORMATS`); JSON-LD
    compacted with our context (``ontology/context.jsonld``), embedded in the document, by the dumps'
    one-pass compaction (:func:`ngograph.rdf.compact.compact_document`), each literal as the store holds it (rdflib's
    terms rewrote some: a ``Z`` time zone as ``+00:00``, a date's time zone dropped, ``01`` as ``1``)."""
    triples = page.sorted_triples()
    if ext == "jsonld":
        doc = compact_document(((oxigraph_term(t.subject)[1], t.predicate.value, oxigraph_term(t.object)) for t in triples),
                               _context())
        parts = [f"{_STRING(key)}: {_context_text() if key == '@context' else json_indented(value, 1)}"
                 for key, value in sorted(doc.items())]
        return ("{\n " + ",\n ".join(parts) + "\n}\n").encode("utf-8")
    if ext == "rdf":
        return rdfxml_bytes(triples, PREFIXES)
    return ox.serialize(triples, format=RDF_FORMATS[ext][1], prefixes=PREFIXES if ext == "ttl" else None)


_STRING = json.encoder.py_encode_basestring if json.encoder.c_encode_basestring is None else json.encoder.c_encode_basestring


def json_indented(value, _level: int = 0) -> str:
    """``json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)``, the same text several
    times faster: with ``indent`` the standard library encodes in Python, one call per value.

    >>> doc = {"b": [1, 2.5, True, None], "a": {"x": "é\\n<"}, "c": [], "d": {}}
    >>> json_indented(doc) == json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False)
    True
    """
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = "\n" + " " * (_level + 1)
        return "{" + inner + ("," + inner).join(_STRING(k) + ": " + json_indented(v, _level + 1)
                                                for k, v in sorted(value.items())) + "\n" + " " * _level + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + " " * (_level + 1)
        return "[" + inner + ("," + inner).join(json_indented(v, _level + 1) for v in value) + "\n" + " " * _level + "]"
    if value is None or kind is bool:
        return "null" if value is None else "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value)


@lru_cache(maxsize=1)
def _context() -> dict:
    """Our JSON-LD context, read once (the compaction does not change it)."""
    return load_context()


@lru_cache(maxsize=1)
def _context_text() -> str:
    """The context as every page's JSON-LD file embeds it (:func:`json_indented`, one level in), made once."""
    return json_indented(_context()["@context"], 1)


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The Jinja environment of the page templates (package data), HTML escaped automatically."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("ngograph.publish", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                             auto_reload=False)  # read once: no stat of the template files per page
    env.filters["jsonld"] = lambda doc: Markup(json_indented(doc).replace("<", "\\u003c"))
    env.globals["kinds"] = KIND_LABELS
    return env


def render(template: str, here: str, *, root: str | None = None, **context) -> str:
    """A template rendered for the page at site path ``here`` (``root`` is the way back to the site's root: relative,
    unless given)."""
    root = relative("index.html", here)[: -len("index.html")] if root is None else root
    return templates().get_template(template).render(root=root, here=here, **context)


def render_page(page: Page, formats=("ttl", "jsonld", "nt")) -> str:
    """The HTML page of ``page``, with alternate links to its RDF files in ``formats``."""
    return render("resource.html", page.path, page=page,
                  alternates=[(f"{page.name}.{ext}", RDF_FORMATS[ext][0]) for ext in formats])
