"""Stage 2, build: turn checked records into RDF.

Every IRI is minted deterministically from record ids under one base (see
:func:`ngograph.config.base_iri`): ``{base}project/{id}``, ``{base}organisation/{id}``,
``{base}participation/{project}/{role}/{organisation}``, ... No blank nodes, so that two
builds of the same data give the same triples.

:func:`build_graph` returns the published graph and, beside it, where each resource was
curated (``{IRI: Location}``) for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ngograph.errors import DataError, Location
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD
from ngograph.records.check import PartialDate, Records
from ngograph.rdf.refdata import country_iri

__all__ = ["Minter", "Built", "build_graph"]

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date,
               "month-day": XSD.gMonthDay, "month-only": XSD.gMonth}
_EVENT_STATUS = {"scheduled": SCHEMA.EventScheduled, "rescheduled": SCHEMA.EventRescheduled}
_ORG_TYPES = {"ngo": SCHEMA.NGO, "government": SCHEMA.GovernmentOrganization,
              "international": NGO.InternationalOrganization}
_PLACE_TYPES = {"city": SCHEMA.City, "region": SCHEMA.AdministrativeArea}
_ISO639 = "http://id.loc.gov/vocabulary/iso639-1/"


class Minter:
    """Mints the IRIs of data resources under one base.

    >>> m = Minter("https://example.org/id/")
    >>> str(m.project("p-1")), str(m.participation("p-1", "partner", "org-a"))
    ('https://example.org/id/project/p-1', 'https://example.org/id/participation/p-1/partner/org-a')
    """

    def __init__(self, base: str):
        self.base = base

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def source(self, rid): return self._iri("source", rid)
    def organisation(self, rid): return self._iri("organisation", rid)
    def funding_scheme(self, rid): return self._iri("funding-scheme", rid)
    def place(self, rid): return self._iri("place", rid)
    def programme(self, rid): return self._iri("programme", rid)
    def project(self, rid): return self._iri("project", rid)
    def event(self, rid): return self._iri("event", rid)
    def result(self, rid): return self._iri("result", rid)
    def participation(self, project, role, org): return self._iri("participation", project, role, org)
    def grant(self, project, funder): return self._iri("grant", project, funder)

    @staticmethod
    def concept(scheme, cid): return VOCAB[f"{scheme}/{cid}"]

    @staticmethod
    def scheme(scheme): return VOCAB[scheme]


@dataclass
class Built:
    """The result of a build: the published graph, the record location of each resource, and
    the reference vocabularies (``data/vocab/*.ttl``, also in ``graph``) on their own."""

    graph: Graph
    locations: dict[str, Location] = field(default_factory=dict)
    vocabularies: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))

    def locations_graph(self) -> Graph:
        """The build metadata as triples ``<resource> ngo:curatedAt "file:line"``."""
        g = Graph(bind_namespaces="none")
        for iri, loc in self.locations.items():
            g.add((URIRef(iri), NGO.curatedAt, Literal(str(loc))))
        return g


class _Builder:
    def __init__(self, records: Records, base: str):
        self.r = records
        self.m = Minter(base)
        self.g = Graph(bind_namespaces="none")
        self.vocabs = Graph(bind_namespaces="none")
        self.locs: dict[str, Location] = {}

    def add(self, s, p, o):
        self.g.add((s, p, o))

    def at(self, iri, loc):
        if loc is not None:
            self.locs.setdefault(str(iri), loc)

    def names(self, s, names, *, alt=None, translated=None, name_pred=SCHEMA.name):
        """Names per language, and one ``rdfs:label`` to display: the English name, else the first given.

        ``translated`` holds our translations of the name: each is a ``name_pred`` literal tagged as
        transformed content from the first (original) language, ``"..."@en-t-lv`` (RFC 6497), and is
        never a ``skos:prefLabel`` or the display label."""
        if names:
            lang = "en" if "en" in names else next(iter(names))
            self.add(s, RDFS.label, Literal(names[lang], lang=lang))
        for lang, text in (names or {}).items():
            self.add(s, name_pred, Literal(text, lang=lang))
            self.add(s, SKOS.prefLabel, Literal(text, lang=lang))
        original = next(iter(names)) if names else "und"
        for lang, text in (translated or {}).items():
            self.add(s, name_pred, Literal(text, lang=f"{lang}-t-{original}"))
        for lang, texts in (alt or {}).items():
            for text in texts:
                self.add(s, SKOS.altLabel, Literal(text, lang=lang))

    def visits(self, s, rec):
        """The bodies visited: named organisations and kinds of body."""
        for org in rec.get("visited", []):
            self.add(s, NGO.visited, self.m.organisation(org))
        for cid in rec.get("visited_types", []):
            self.add(s, NGO.visited, self.m.concept("body-type", cid))

    def dates(self, s, rec):
        for key, pred in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            d: PartialDate | None = rec.get(key)
            if d is not None:
                self.add(s, pred, Literal(d.text, datatype=_DATE_TYPES[d.precision]))

    def amount(self, s, value, currency):
        self.add(s, RDF.type, SCHEMA.MonetaryAmount)
        self.add(s, SCHEMA.value, Literal(value, datatype=XSD.decimal))
        if currency:
            self.add(s, SCHEMA.currency, Literal(currency))

    def derived(self, s, *sources):
        for src in sources:
            self.add(s, PROV.wasDerivedFrom, self.m.source(src))

    # ------------------------------------------------------------------ records

    def build(self) -> Built:
        for path in self.r.vocab_files:
            self.vocab(path)
        self.concepts()
        for rec in self.r.sources.values():
            self.source(rec)
        for rec in self.r.organisations.values():
            self.organisation(rec)
        for rec in self.r.funding_schemes.values():
            self.funding_scheme(rec)
        for rec in self.r.places.values():
            self.place(rec)
        for rec in self.r.country_groups.values():
            self.country_group(rec)
        for rec in self.r.programmes.values():
            self.programme(rec)
        for rec in self.r.projects.values():
            self.project(rec)
        for rec in self.r.events.values():
            self.event(rec)
        for rec in self.r.results.values():
            self.result(rec)
        return Built(self.g, self.locs, self.vocabs)

    def vocab(self, path: Path):
        display = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
        g = Graph(bind_namespaces="none")
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types; all mean the same here
            raise DataError([(Location(display, 1), f"cannot parse Turtle: {exc}")]) from None
        self.g += g
        self.vocabs += g
        # where each subject's description starts: the first line opening with its local name
        starts: dict[str, int] = {}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line and not line[0].isspace() and not line.startswith(("@", "#")):
                token = line.split()[0].rstrip(">")
                starts.setdefault(re.split(r"[:/#\\]", token)[-1], n)
        for s in set(g.subjects()):
            local = re.split(r"[/#]", str(s))[-1]
            self.at(s, Location(display, starts.get(local, 1)))

    def concepts(self):
        for scheme, concepts in self.r.concepts.items():
            siri = self.m.scheme(scheme)
            self.add(siri, RDF.type, SKOS.ConceptScheme)
            for lang, text in self.r.scheme_labels.get(scheme, {}).items():
                self.add(siri, SKOS.prefLabel, Literal(text, lang=lang))
            for cid, labels in concepts.items():
                c = self.m.concept(scheme, cid)
                self.add(c, RDF.type, SKOS.Concept)
                if scheme == "target-group":
                    self.add(c, RDF.type, SCHEMA.Audience)
                self.add(c, SKOS.inScheme, siri)
                self.add(c, SKOS.topConceptOf, siri)
                self.add(siri, SKOS.hasTopConcept, c)
                self.add(c, SKOS.notation, Literal(cid))
                for lang, text in labels.items():
                    self.add(c, SKOS.prefLabel, Literal(text, lang=lang))
                self.at(c, self.r.concepts_loc.get((scheme, cid)))

    def source(self, rec):
        s = self.m.source(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, NGO.SourceDocument)
        self.add(s, RDF.type, PROV.Entity)
        self.add(s, NGO.sourceFile, Literal(rec["file"]))
        self.add(s, DCTERMS.language, URIRef(_ISO639 + rec["language"]))
        for lang, text in rec.get("title", {}).items():
            self.add(s, DCTERMS.title, Literal(text, lang=lang))
        if "publisher" in rec:
            self.add(s, DCTERMS.publisher, self.m.organisation(rec["publisher"]))

    def organisation(self, rec):
        s = self.m.organisation(rec["id"])
        self.at(s, rec.loc)
        for t in (ORG.FormalOrganization, SCHEMA.Organization, _ORG_TYPES[rec["type"]]):
            self.add(s, RDF.type, t)
        self.names(s, rec["name"], alt=rec.get("alt_name"), translated=rec.get("translated_name"))
        if "country" in rec:
            self.add(s, SCHEMA.addressCountry, country_iri(rec["country"]))
        if "website" in rec:
            self.add(s, SCHEMA.url, URIRef(rec["website"]))
        if "part_of" in rec:
            self.add(s, ORG.subOrganizationOf, self.m.organisation(rec["part_of"]))
        for other in rec.get("member_of", []):
            self.add(s, ORG.memberOf, self.m.organisation(other))
        for other in rec.get("linked_to", []):
            self.add(s, ORG.linkedTo, self.m.organisation(other))
        if "location" in rec:
            self.add(s, SCHEMA.location, self.m.place(rec["location"]))
        self.derived(s, *rec["sources"])

    def funding_scheme(self, rec):
        s = self.m.funding_scheme(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, SCHEMA.FundingScheme)
        self.names(s, rec["name"], alt=rec.get("alt_name"), translated=rec.get("translated_name"))
        if "part_of" in rec:
            self.add(s, DCTERMS.isPartOf, self.m.funding_scheme(rec["part_of"]))
        if "operator" in rec:
            self.add(s, SCHEMA.parentOrganization, self.m.organisation(rec["operator"]))
        for org in rec.get("administered_by", []):
            self.add(s, NGO.administeredBy, self.m.organisation(org))
        self.derived(s, *rec["sources"])

    def place(self, rec):
        s = self.m.place(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, SCHEMA.Place)
        self.add(s, RDF.type, _PLACE_TYPES[rec["type"]])
        self.names(s, rec["name"])
        country = country_iri(rec["country"])
        self.add(s, SCHEMA.addressCountry, country)
        self.add(s, SCHEMA.containedInPlace, self.m.place(rec["within"]) if "within" in rec else country)
        self.derived(s, *rec["sources"])

    def country_group(self, rec):
        s = self.m.concept("country-group", rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, SKOS.Collection)
        self.add(s, SKOS.notation, Literal(rec["id"]))
        self.names(s, rec["name"], name_pred=SKOS.prefLabel)
        for code in rec["countries"]:
            self.add(s, SKOS.member, country_iri(code))

    def programme(self, rec):
        s = self.m.programme(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, NGO.Programme)
        self.names(s, rec["name"], alt=rec.get("alt_name"), translated=rec.get("translated_name"))
        self.dates(s, rec)
        self.derived(s, rec["_source"])

    def project(self, rec):
        pid = rec["id"]
        s = self.m.project(pid)
        self.at(s, rec.loc)
        self.add(s, RDF.type, SCHEMA.Project)
        self.names(s, rec.get("name"), alt=rec.get("alt_name"), translated=rec.get("translated_name"))
        if "identifier" in rec:
            self.add(s, SCHEMA.identifier, Literal(rec["identifier"]))
        self.dates(s, rec)
        if "part_of" in rec:
            programme = self.m.programme(rec["part_of"])
            self.add(s, DCTERMS.isPartOf, programme)
            self.add(programme, DCTERMS.hasPart, s)
        if "budget" in rec:
            b = URIRef(f"{s}/budget")
            self.at(b, rec.where("budget"))
            self.add(s, NGO.budget, b)
            self.amount(b, rec["budget"]["amount"], rec["budget"]["currency"])
        for place in rec.get("places", []):
            self.add(s, SCHEMA.location, self.m.place(place))
        for code in rec.get("countries", []):
            self.add(s, SCHEMA.location, country_iri(code))
        for key, pred, scheme in (("audience", SCHEMA.audience, "target-group"),
                                  ("subjects", DCTERMS.subject, "theme"),
                                  ("activities", NGO.activityType, "activity")):
            for cid in rec.get(key, []):
                self.add(s, pred, self.m.concept(scheme, cid))
        self.visits(s, rec)
        self.derived(s, rec["_source"])
        participants = rec.get("participants", {})
        for role, orgs in participants.items():
            for i, org in enumerate(orgs):
                self.participation(rec, role, org, orgs.where(i))
                if role in self.r.consortium_roles:
                    self.add(s, SCHEMA.member, self.m.organisation(org))
        for grant in rec.get("grants", []):
            self.grant(rec, grant)

    def participation(self, project, role, org, loc):
        p = self.m.participation(project["id"], role, org)
        self.at(p, loc)
        self.add(p, RDF.type, NGO.Participation)
        self.add(p, NGO.inProject, self.m.project(project["id"]))
        self.add(p, NGO.participant, self.m.organisation(org))
        self.add(p, NGO.role, URIRef(self.r.roles[role]))
        self.derived(p, project["_source"])

    def grant(self, project, rec):
        s = self.m.project(project["id"])
        g = self.m.grant(project["id"], rec["funder"])
        funder = self.m.organisation(rec["funder"])
        self.at(g, rec.loc)
        self.add(g, RDF.type, SCHEMA.MonetaryGrant)
        self.add(g, SCHEMA.funder, funder)
        self.add(g, SCHEMA.fundedItem, s)
        self.add(s, SCHEMA.funder, funder)
        if "amount" in rec:
            a = URIRef(f"{g}/amount")
            self.at(a, rec.where("amount"))
            self.add(g, SCHEMA.amount, a)
            self.amount(a, rec["amount"], rec.get("currency"))
        if "share" in rec:
            self.add(g, NGO.fundingShare, Literal(rec["share"], datatype=XSD.decimal))
        if "scheme" in rec:
            self.add(g, NGO.fundingScheme, self.m.funding_scheme(rec["scheme"]))
        self.derived(g, project["_source"])
        self.participation(project, rec["role"], rec["funder"], rec.loc)

    def event(self, rec):
        s = self.m.event(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, SCHEMA.Event)
        self.add(s, NGO.eventType, self.m.concept("event-type", rec["type"]))
        for pid in rec["of"]:
            self.add(s, NGO.eventOf, self.m.project(pid))
        self.names(s, rec.get("name"), translated=rec.get("translated_name"))
        if "place" in rec:
            self.add(s, SCHEMA.location, self.m.place(rec["place"]))
        self.dates(s, rec)
        if rec.get("online"):
            self.add(s, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode)
        if "status" in rec:
            self.add(s, SCHEMA.eventStatus, _EVENT_STATUS[rec["status"]])
        if "inferred_start" in rec:
            d = rec["inferred_start"]
            self.add(s, NGO.inferredStartDate, Literal(d.text, datatype=_DATE_TYPES[d.precision]))
            self.add(s, NGO.inferenceBasis, self.m.concept("inference-basis", rec["inference"]))
        self.visits(s, rec)
        self.derived(s, rec["_source"])

    def result(self, rec):
        s = self.m.result(rec["id"])
        self.at(s, rec.loc)
        self.add(s, RDF.type, NGO.Result)
        self.add(s, NGO.resultType, self.m.concept("result-type", rec["type"]))
        for pid in rec["of"]:
            self.add(s, NGO.resultOf, self.m.project(pid))
        for lang, text in rec.get("description", {}).items():
            self.add(s, SCHEMA.description, Literal(text, lang=lang))
        if "value" in rec:
            self.add(s, SCHEMA.value, Literal(rec["value"], datatype=XSD.integer))
        if "min" in rec:
            self.add(s, SCHEMA.minValue, Literal(rec["min"], datatype=XSD.integer))
        if "place" in rec:
            self.add(s, SCHEMA.location, self.m.place(rec["place"]))
        for code in rec.get("countries", []):
            self.add(s, SCHEMA.location, country_iri(code))
        for cid in rec.get("audience", []):
            self.add(s, SCHEMA.audience, self.m.concept("target-group", cid))
        planned = bool(rec.get("planned", False))
        self.add(s, NGO.planned, Literal(planned))
        status = rec.get("status", "planned" if planned else "achieved")
        self.add(s, NGO.achievementStatus, self.m.concept("achievement-status", status))
        self.derived(s, rec["_source"])


def build_graph(records: Records, base: str) -> Built:
    """The published graph of ``records`` with IRIs minted under ``base``."""
    return _Builder(records, base).build()
