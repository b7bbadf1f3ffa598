"""Stage: publish. What every page of one store needs, read once: :class:`PageIndex`.

A page made by the library's queries (:class:`~ngograph.publish.pages.QueryReader`) costs a few
queries that each look up the labels of the linked resources, whether they have a page, and
an organisation's or a project's table: 18 ms of the store's time per page on the CORDIS import,
30 ms for an organisation. The index reads those in one pass over a few predicates (labels,
types, participations, canonical organisations, countries, dates) into dictionaries, and then
gives the same rows as the queries from memory: a page costs its own statements (an index
look-up of the store per graph) plus dictionary look-ups.

An index belongs to one opened store (one generation of it): the server builds one per store it
opens, so that a build or import that swaps the store swaps the index with it; the site builds
one per process.

Where the queries' answer depends on the order the store yields rows (a resource with two
rdfs:labels), the index takes the first in the store's order, as the queries' first row does;
where a query orders rows only partly (``ORDER BY ?role ?name``), the index breaks the ties by
the remaining columns.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import URIRef

from ngograph.publish.pages import _KINDS, MAX_INCOMING, MAX_SHOWN, _country_pairs, _query
from ngograph.rdf.namespaces import DCTERMS, NGO, RDF, RDFS, SCHEMA, SKOS
from ngograph.rdf.sparql import inline_bindings
from ngograph.runtime import worker_threads
from ngograph.store.backends import Embedded, Rows, to_python

__all__ = ["PageIndex"]

_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_PARTICIPANT, _IN_PROJECT = str(NGO.participant), str(NGO.inProject)
#: The version of the tables :meth:`PageIndex.save` writes.
_FORMAT = 1


def _py(term):
    """A term as the backends give it in rows (:func:`~ngograph.store.backends.to_python`)."""
    if isinstance(term, ox.Literal):
        if term.language or term.datatype == _XSD_STRING:
            return term.value
        return to_python("literal", term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _key(value) -> tuple:
    """A sort key for a value of a row as SPARQL's ORDER BY puts it: unbound first."""
    return (0, "") if value is None else (1, str(value))


class PageIndex:
    """The labels, kinds, participations and tables of every resource of a store, read once.

    ``backend`` is an :class:`~ngograph.store.backends.Embedded` of a store that does not
    change while the index is used (``fixed=True``); its published graphs are the index's.
    Its methods answer as :class:`~ngograph.publish.pages.QueryReader`'s, from memory.
    ``progress(message)`` hears of each step (the server prints them).
    """

    #: The tables read from the store, in the order :meth:`save` writes them.
    TABLES = ("kinds", "names", "pref_en", "titles", "in_project", "participant", "role", "canonical", "notation",
              "address", "start", "end")

    def __init__(self, backend: Embedded, progress: Callable[[str], None] | None = None, *, tables: dict | None = None):
        self.backend = backend
        self.store = backend.store
        self.graphs = backend.graphs() or [ox.DefaultGraph()]
        self.shared: dict = {}
        if tables is None:
            tables = self._read(progress or (lambda message: None))
        #: ``{IRI: rank}`` of every typed resource (the resources the store describes), the rank
        #: that of its kind of page (``pages._KINDS``), the first that matches one of its types.
        self.kinds: dict[str, int] = tables["kinds"]
        #: Every rdfs:label, English skos:prefLabel and dct:title of each resource, in the store's order.
        self.names, self.pref_en, self.titles = tables["names"], tables["pref_en"], tables["titles"]
        self.in_project, self.participant, self.role = tables["in_project"], tables["participant"], tables["role"]
        self.canonical, self.notation, self.address = tables["canonical"], tables["notation"], tables["address"]
        self.start, self.end = tables["start"], tables["end"]
        self.parts_of_project = self._reverse(self.in_project)
        self.parts_of_node = self._reverse(self.participant)
        self.nodes_of = self._reverse(self.canonical)
        self._members: dict[str, tuple[str, ...]] = {}

    def _read(self, say: Callable[[str], None]) -> dict:
        """The tables, from the store: one scan of each predicate the pages need. The scans of IRIs run
        on worker threads (:func:`~ngograph.runtime.worker_threads`) while this one reads the values and turns the scanned rows into
        tables: the store's engine lets go of the GIL while it scans (the CORDIS and IATI imports:
        16.7-20.9 s on one thread, 11.0-11.5 s on two, for 130-170 MB more)."""
        with worker_threads() as submit:
            scans = {p: submit(self._scan, p) for p in (RDF.type, NGO.inProject, NGO.participant, NGO.role,
                                                        NGO.canonicalOrganisation, SCHEMA.addressCountry)}
            values = {name: self._values(predicate, english) for name, predicate, english in (
                ("names", RDFS.label, False), ("pref_en", SKOS.prefLabel, True), ("titles", DCTERMS.title, False),
                ("notation", SKOS.notation, False), ("start", SCHEMA.startDate, False), ("end", SCHEMA.endDate, False))}
            kinds: dict[str, int] = {}
            ranks = {str(c): rank for rank, (_, classes) in enumerate(_KINDS) for c in classes}
            other = len(_KINDS)
            for s, o in self._iris(scans.pop(RDF.type).result()):
                rank = ranks.get(o, other)
                if rank < kinds.get(s, other + 1):
                    kinds[s] = rank
            say(f"{len(kinds)} typed resources")
            tables = {"kinds": kinds, **values}
            say(f"{len(tables['names'])} labels, {len(tables['pref_en'])} English preferred labels, "
                f"{len(tables['titles'])} titles")
            for name, predicate in (("in_project", NGO.inProject), ("participant", NGO.participant), ("role", NGO.role),
                                    ("canonical", NGO.canonicalOrganisation), ("address", SCHEMA.addressCountry)):
                tables[name] = self._links(scans.pop(predicate).result())
        say(f"{len(tables['in_project'])} participations")
        return tables

    def save(self, path) -> None:
        """Write the tables to ``path`` (:mod:`pickle`, for the site's worker processes, from a
        folder only this user can open: values may be ``Decimal``, which :mod:`marshal` cannot
        write; :meth:`load` reads it), with the country pairs when they were asked for."""
        with open(path, "wb") as f:
            pickle.dump((_FORMAT, sys.version_info[:2], [getattr(self, name) for name in self.TABLES],
                         self.shared.get("country-pairs")), f, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, backend: Embedded, path) -> PageIndex:
        """The index of ``backend``'s store from the tables :meth:`save` wrote."""
        try:
            with open(path, "rb") as f:
                form, version, tables, pairs = pickle.load(f)
        except Exception as exc:  # noqa: BLE001 - whatever a damaged file makes pickle raise: one message
            raise ValueError(f"{path}: not a page index ({exc})") from None
        if form != _FORMAT or tuple(version) != sys.version_info[:2]:
            raise ValueError(f"{path}: not a page index of this version")
        index = cls(backend, tables=dict(zip(cls.TABLES, tables)))
        if pairs is not None:
            index.shared["country-pairs"] = pairs
        return index

    # ------------------------------------------------------------------ reading

    def _scan(self, predicate) -> bytes:
        """Every statement with ``predicate`` whose object is an IRI, as the store writes the rows of
        ``site/links`` in TSV (a third faster than a statement at a time)."""
        text = inline_bindings(_query("site/links").text, {"predicate": URIRef(str(predicate))})
        return self.store.query(text, default_graph=self.graphs).serialize(format=ox.QueryResultsFormat.TSV)

    @staticmethod
    def _iris(data: bytes):
        """``(subject, object)`` of the rows of a :meth:`_scan`."""
        intern = sys.intern  # one string per IRI, shared by every table (a participation's IRI is in four)
        for line in data.decode("utf-8").split("\n")[1:]:
            if line:
                s, o = line.split("\t")
                yield intern(s[1:-1] if s.startswith("<") else s), intern(o[1:-1])

    def _links(self, data: bytes) -> dict[str, list]:
        out: dict[str, list] = {}
        for s, o in self._iris(data):
            out.setdefault(s, []).append(o)
        return out

    def _values(self, predicate, english: bool = False) -> dict[str, list]:
        """The objects of ``predicate`` by subject, graph by graph as a query sees them, as rows hold them."""
        out: dict[str, list] = {}
        p = ox.NamedNode(str(predicate))
        for g in self.graphs:
            for q in self.store.quads_for_pattern(None, p, None, g):
                o = q.object
                if english and not (isinstance(o, ox.Literal) and (o.language or "").lower().split("-")[0] == "en"):
                    continue
                out.setdefault(sys.intern(q.subject.value), []).append(_py(o))
        return out

    @staticmethod
    def _reverse(values: dict[str, list]) -> dict[str, list]:
        out: dict[str, list] = {}
        for s, objects in values.items():
            for o in objects:
                out.setdefault(o, []).append(s)
        return out

    # ------------------------------------------------------------------ what pages need

    def label(self, iri: str) -> str | None:
        """The display label: the first rdfs:label, else English skos:prefLabel, else dct:title
        (``COALESCE`` in ``queries/site/resource-out.rq``)."""
        for values in (self.names, self.pref_en, self.titles):
            found = values.get(iri)
            if found:
                return found[0]
        return None

    def index_label(self, iri: str) -> tuple[int, str] | None:
        """``(rank, label)`` of the site's index (:func:`~ngograph.publish.site.resource_index`): the
        first in code-point order of the rdfs:labels (rank 1), else English preferred labels, else titles."""
        for rank, values in enumerate((self.names, self.pref_en, self.titles), 1):
            found = values.get(iri)
            if found:
                return rank, min(map(str, found))
        return None

    def kind(self, iri: str) -> str:
        """The kind of page of ``iri`` (:func:`~ngograph.publish.pages.page_kind` of its types)."""
        rank = self.kinds.get(iri, len(_KINDS))
        return _KINDS[rank][0] if rank < len(_KINDS) else "resource"

    def out_rows(self, iri: str) -> list[dict]:
        """The statements about ``iri`` as the rows of ``site/resource-out``."""
        rows = []
        subject = ox.NamedNode(iri)
        for g in self.graphs:
            for q in self.store.quads_for_pattern(subject, None, None, g):
                o = q.object
                if isinstance(o, ox.NamedNode):
                    rows.append({"p": q.predicate.value, "value": o.value, "datatype": "", "lang": None,
                                 "label": self.label(o.value), "described": o.value in self.kinds})
                elif isinstance(o, ox.Literal):
                    rows.append({"p": q.predicate.value, "value": o.value, "datatype": o.datatype.value,
                                 "lang": o.language or "", "label": None, "described": False})
        return rows

    def in_rows(self, iri: str) -> list[dict]:
        """The statements pointing at ``iri`` (at most :data:`~ngograph.publish.pages.MAX_INCOMING`)
        as the rows of ``site/resource-in``: each once, also when two graphs state it."""
        rows, seen = [], set()
        target = ox.NamedNode(iri)
        for g in self.graphs:
            for q in self.store.quads_for_pattern(None, None, target, g):
                if not isinstance(q.subject, ox.NamedNode):
                    continue
                s, p = q.subject.value, q.predicate.value
                if (s, p) in seen:
                    continue
                seen.add((s, p))
                label = self.label(s)
                if label is None and p == _PARTICIPANT:  # a participation: named by its project
                    label = next((self.names[x][0] for x in self.in_project.get(s, ()) if x in self.names), None)
                elif label is None and p == _IN_PROJECT:  # ... or by its organisation
                    label = next((self.names[x][0] for x in self.participant.get(s, ()) if x in self.names), None)
                rows.append({"s": s, "p": p, "label": label})
                if len(rows) >= MAX_INCOMING:
                    return rows
        return rows

    def _canonical(self, node: str) -> list[str]:
        return self.canonical.get(node) or [node]

    def _nodes(self, canonical: str) -> list[str]:
        """The canonical node and every node reconciled with it (``ngo:canonicalOrganisation?``)."""
        return list(dict.fromkeys([canonical, *self.nodes_of.get(canonical, ())]))

    @staticmethod
    def _rows(keys: list[str], rows, sort_key, limit: int | None = MAX_SHOWN) -> Rows:
        ordered = sorted(rows, key=sort_key)
        truncated = limit is not None and len(ordered) > limit
        return Rows([dict(zip(keys, r)) for r in ordered[:limit]], keys, truncated)

    def partners(self, project: str) -> Rows:
        """The rows of ``project-partners``: each partner (as its canonical node) with its role and country."""
        rows = set()
        for part in self.parts_of_project.get(project, ()):
            roles = [n for r in self.role.get(part, ()) for n in self.notation.get(r, ())]
            for node in self.participant.get(part, ()) if roles else ():
                for organisation in self._canonical(node):
                    countries = [n for c in self.address.get(organisation, ()) for n in self.notation.get(c, ())]
                    for name in self.names.get(organisation, ()):
                        rows.update((project, organisation, name, role, country)
                                    for role in roles for country in countries or [None])
        return self._rows(["project", "organisation", "name", "role", "country"], rows,
                          lambda r: (_key(r[3]), _key(r[2]), r[1], _key(r[4])))

    def projects(self, organisation: str) -> Rows:
        """The rows of ``organisation-projects``: the projects of every node reconciled with it."""
        rows = set()
        for canonical in self._canonical(organisation):
            for node in self._nodes(canonical):
                for part in self.parts_of_node.get(node, ()):
                    roles = [n for r in self.role.get(part, ()) for n in self.notation.get(r, ())]
                    for project in self.in_project.get(part, ()) if roles else ():
                        rows.update((organisation, project, title, role, start, end) for role in roles
                                    for title in self.names.get(project) or [None]
                                    for start in self.start.get(project) or [None]
                                    for end in self.end.get(project) or [None])
        return self._rows(["organisation", "project", "title", "role", "start", "end"], rows,
                          lambda r: (_key(r[4]), r[1], _key(r[2]), _key(r[3]), _key(r[5])))

    def members(self, project: str) -> tuple[str, ...]:
        """The organisations taking part in ``project`` as their canonical nodes, each once
        (kept: an organisation page asks for those of each of its projects)."""
        found = self._members.get(project)
        if found is None:
            found = self._members[project] = tuple(dict.fromkeys(
                partner for part in self.parts_of_project.get(project, ())
                for other in self.participant.get(part, ()) for partner in self._canonical(other)))
        return found

    def neighbourhood(self, organisation: str) -> Rows:
        """The rows of ``site/partner-neighbourhood``: the 12 organisations sharing most projects, named."""
        shared: dict[str, set] = {}
        for canonical in self._canonical(organisation):
            projects = {project for node in self._nodes(canonical) for part in self.parts_of_node.get(node, ())
                        for project in self.in_project.get(part, ())}
            for project in projects:
                for partner in self.members(project):
                    if partner != canonical:
                        shared.setdefault(partner, set()).add(project)
        top = sorted(((partner, len(projects)) for partner, projects in shared.items()), key=lambda t: (-t[1], t[0]))[:12]
        rows = [(partner, name, n) for partner, n in top for name in self.names.get(partner) or [None]]
        return self._rows(["partner", "name", "projects"], rows, lambda r: (-r[2], _key(r[1]), r[0]), None)

    def country_pairs(self):
        """The library's country-pairs for every country (one query, run at the first country page)."""
        return _country_pairs(self.backend, self.shared)
