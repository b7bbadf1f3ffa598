"""Records to triples, for imported sources: the one place that turns the records of
:mod:`ngograph.records.types` into RDF, whatever source they were read from.

Built for millions of triples: the triples are written as N-Triples text (a term is its
N-Triples form, a string; the predicates are formatted once), which the store's bulk loader
parses in native code. Making a pyoxigraph object per term and quad costs five times as
much. Every IRI is either minted here (percent-encoded, so always valid) or checked once
(:meth:`Emitter.checked_iri`); every language tag is checked once. Every resource gets
``prov:wasDerivedFrom`` its source dataset and ``ngo:sourceRecord`` its location there.

IRIs come from record keys: each segment NFC-normalised, trimmed and percent-encoded
outside the RFC 3986 unreserved characters, so the mapping is reversible and two
identifiers never collide (no slugs):

>>> mint_path(("project", "iati", "DK-CVR-1-Palestine, State of/91"))
'project/iati/DK-CVR-1-Palestine%2C%20State%20of%2F91'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ngograph.rdf.codelists import concept_path, scheme_path
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD
from ngograph.rdf.refdata import country_iri
from ngograph.records.check import read_roles
from ngograph.textclip import without_surrogates
from ngograph.records.types import (Code, Concept, CountryGroup, Event, FundingScheme, Grant, Identifier, Key,
                                    Money, Organisation, Participation, Place, Programme, Project, Record, Result,
                                    Source, Text, Transaction)

__all__ = ["mint_path", "date_parts", "date_literal", "literal", "Roles", "Emitter"]


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


_ENCODED: dict[str, str] = {}  # segments that needed encoding, by text: an IATI identifier recurs in every IRI of
# its activity (quote() was 6 % of an IATI import); emptied when it reaches _ENCODED_MAX, so memory stays bounded
_ENCODED_MAX = 100_000


def _unreserved(text: str) -> bool:
    """Whether ``text`` holds only characters an IRI segment keeps as they are (nothing to quote). Letters and
    digits alone are told by two str methods (0.15 µs) before the pattern (0.45 µs): CORDIS mints 2.4 million
    segments."""
    return (text.isalnum() and text.isascii()) or _UNRESERVED.fullmatch(text) is not None


def _segment(seg: str) -> str:
    if _unreserved(seg):  # most keys: nothing to normalise or encode
        return seg
    encoded = _ENCODED.get(seg)
    if encoded is None:
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.clear()
        encoded = _ENCODED[seg] = _quote(unicodedata.normalize("NFC", seg).strip(" \t\n\r\u00a0"))
    return encoded


def _quoted(text: str) -> str:
    """``quote(text, safe="-._~")``, without calling it for the texts it leaves as they are (most identifiers:
    315,000 calls, 0.5 s of a CORDIS import).

    >>> _quoted("999984059"), _quoted("XI-PIC"), _quoted("GB-CHC 12/3")
    ('999984059', 'XI-PIC', 'GB-CHC%2012%2F3')
    """
    return text if _unreserved(text) else _quote(text)


def _quote(text: str) -> str:
    """``text`` percent-encoded as UTF-8 for an IRI segment, a lone surrogate (which UTF-8 cannot hold: a file name
    that is not UTF-8, in a record's location) as U+FFFD.

    >>> _quote("a b/ä"), _quote("x\\udcff.json")
    ('a%20b%2F%C3%A4', 'x%EF%BF%BD.json')
    """
    return quote(without_surrogates(text)[0], safe="-._~")


def mint_path(key: Key) -> str:
    """The path of a key under the base IRI (see the module docstring)."""
    return "/".join(map(_segment, key))


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_YEARLESS = re.compile(r"^--\d{2}(-\d{2})?$")


def date_parts(text: str) -> tuple[str, str]:
    """``(lexical form, datatype IRI)`` of a date at the precision it is written in; a day and
    month or a month printed without a year (``--08-15``, ``--08``) is ``xsd:gMonthDay``/``gMonth``."""
    if _YEARLESS.match(text):
        return text, str(XSD.gMonthDay if len(text) == 7 else XSD.gMonth)
    if not _DATE.match(text):
        raise ValueError(f"not a date: {text!r}")
    if len(text) in _DATE_TYPES:
        return text, str(_DATE_TYPES[len(text)])
    if len(text) == 16:  # seconds are optional in the sources, not in xsd:dateTime
        text += ":00"
    return text, str(XSD.dateTime)


def date_literal(text: str) -> ox.Literal:
    """A date at the precision it is written in: ``xsd:gYear``, ``gYearMonth``, ``date`` or ``dateTime``.

    >>> date_literal("2021-02").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    >>> date_literal("2021-02-03T10:00").value
    '2021-02-03T10:00:00'
    """
    value, datatype = date_parts(text)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples form of a literal; ``lang`` must be a valid tag (see :meth:`Emitter.lang`).

    >>> print(literal('say "hi"\\n', "en"), literal("1.5", datatype=str(XSD.decimal)))
    "say \\"hi\\"\\n"@en "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>
    """
    # most texts have nothing to escape, and four scans for the four characters cost little; a text that has is
    # escaped by four replacements, the backslashes first (str.translate looks every character up: 0.4 ms for a
    # 4 kB IATI description, 24 times as long; 1.7 s of reading the IATI bulk)
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    else:
        body = text
    if lang:
        return f'"{body}"@{lang}'
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def _n(term) -> str:
    """The N-Triples form of an IRI we trust (a namespace term, a minted IRI)."""
    return f"<{term}>"


# predicates and classes, made once
A = _n(RDF.type)
_T = {name: _n(term) for name, term in {
    "Project": SCHEMA.Project, "Organization": SCHEMA.Organization, "FormalOrganization": ORG.FormalOrganization,
    "NGO": SCHEMA.NGO, "GovernmentOrganization": SCHEMA.GovernmentOrganization,
    "InternationalOrganization": NGO.InternationalOrganization,
    "IntergovernmentalOrganization": NGO.IntergovernmentalOrganization, "InternationalNetwork": NGO.InternationalNetwork,
    "Participation": NGO.Participation, "MonetaryGrant": SCHEMA.MonetaryGrant, "MonetaryAmount": SCHEMA.MonetaryAmount,
    "Transaction": NGO.Transaction, "Allocation": NGO.Allocation, "PropertyValue": SCHEMA.PropertyValue,
    "Concept": SKOS.Concept, "ConceptScheme": SKOS.ConceptScheme, "Collection": SKOS.Collection,
    "Audience": SCHEMA.Audience, "SourceDocument": NGO.SourceDocument, "Entity": PROV.Entity,
    "FundingScheme": SCHEMA.FundingScheme, "Place": SCHEMA.Place, "City": SCHEMA.City,
    "AdministrativeArea": SCHEMA.AdministrativeArea, "Programme": NGO.Programme, "Event": SCHEMA.Event,
    "Result": NGO.Result,
}.items()}
_P = {name: _n(term) for name, term in {
    "label": RDFS.label, "name": SCHEMA.name, "alternateName": SCHEMA.alternateName,
    "description": SCHEMA.description, "identifier": SCHEMA.identifier, "propertyID": SCHEMA.propertyID,
    "value": SCHEMA.value, "currency": SCHEMA.currency, "startDate": SCHEMA.startDate, "endDate": SCHEMA.endDate,
    "validFrom": SCHEMA.validFrom, "validThrough": SCHEMA.validThrough, "url": SCHEMA.url,
    "addressCountry": SCHEMA.addressCountry, "areaServed": SCHEMA.areaServed, "member": SCHEMA.member,
    "funder": SCHEMA.funder, "fundedItem": SCHEMA.fundedItem, "amount": SCHEMA.amount,
    "classification": ORG.classification, "subject": DCTERMS.subject, "isPartOf": DCTERMS.isPartOf,
    "wasDerivedFrom": PROV.wasDerivedFrom, "wasAttributedTo": PROV.wasAttributedTo,
    "inScheme": SKOS.inScheme, "notation": SKOS.notation,
    "sourceRecord": NGO.sourceRecord, "plannedStartDate": NGO.plannedStartDate, "actualStartDate": NGO.actualStartDate,
    "plannedEndDate": NGO.plannedEndDate, "actualEndDate": NGO.actualEndDate, "status": NGO.status,
    "budget": NGO.budget, "budgetType": NGO.budgetType, "budgetStatus": NGO.budgetStatus, "valueDate": NGO.valueDate,
    "allocation": NGO.allocation, "allocatedTo": NGO.allocatedTo, "percentage": NGO.percentage,
    "inProject": NGO.inProject, "participant": NGO.participant, "role": NGO.role, "sourceRole": NGO.sourceRole,
    "position": NGO.position, "contribution": NGO.contribution, "participantBudget": NGO.participantBudget,
    "participantActivity": NGO.participantActivity, "awardDate": NGO.awardDate,
    "amountDisbursed": NGO.amountDisbursed, "transactionOf": NGO.transactionOf,
    "transactionType": NGO.transactionType, "transactionDate": NGO.transactionDate, "provider": NGO.provider,
    "receiver": NGO.receiver, "providerActivity": NGO.providerActivity, "receiverActivity": NGO.receiverActivity,
    "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel, "topConceptOf": SKOS.topConceptOf,
    "hasTopConcept": SKOS.hasTopConcept, "member_": SKOS.member, "hasPart": DCTERMS.hasPart,
    "subOrganizationOf": ORG.subOrganizationOf, "memberOf": ORG.memberOf, "linkedTo": ORG.linkedTo,
    "location": SCHEMA.location, "audience": SCHEMA.audience, "activityType": NGO.activityType,
    "visited": NGO.visited, "fundingShare": NGO.fundingShare, "fundingScheme": NGO.fundingScheme,
    "sourceFile": NGO.sourceFile, "language": DCTERMS.language, "title": DCTERMS.title,
    "publisher": DCTERMS.publisher, "parentOrganization": SCHEMA.parentOrganization,
    "administeredBy": NGO.administeredBy, "containedInPlace": SCHEMA.containedInPlace,
    "eventType": NGO.eventType, "eventOf": NGO.eventOf, "eventAttendanceMode": SCHEMA.eventAttendanceMode,
    "eventStatus": SCHEMA.eventStatus, "inferredStartDate": NGO.inferredStartDate,
    "inferenceBasis": NGO.inferenceBasis, "resultType": NGO.resultType, "resultOf": NGO.resultOf,
    "minValue": SCHEMA.minValue, "planned": NGO.planned, "achievementStatus": NGO.achievementStatus,
}.items()}
_DECIMAL = str(XSD.decimal)
_INTEGER = str(XSD.integer)
_BOOLEAN = str(XSD.boolean)
_ISO639 = "http://id.loc.gov/vocabulary/iso639-1/"
_PLACE_TYPES = {"city": "City", "region": "AdministrativeArea"}
_EVENT_STATUS = {"scheduled": _n(SCHEMA.EventScheduled), "rescheduled": _n(SCHEMA.EventRescheduled)}
_ONLINE = _n(SCHEMA.OnlineEventAttendanceMode)
_ORG_TYPES = {"ngo": ("NGO",), "government": ("GovernmentOrganization",),
              "international": ("InternationalOrganization",),
              "intergovernmental": ("InternationalOrganization", "IntergovernmentalOrganization"),
              "network": ("InternationalOrganization", "InternationalNetwork")}


def _concept_iri(code: Code) -> str:
    """The N-Triples form of a concept of a scheme under ``VOCAB``."""
    return f"<{VOCAB}{concept_path(code.scheme, code.code)}>"


#: The roles whose holders pay for the project: ``schema:funder`` of it, as the funder of a grant to it is (the
#: administering body and the accountable organisation pay nothing).
FUNDER_ROLES = frozenset({"funder", "co-funder"})


class Roles:
    """The ngograph participation roles: ``iri`` maps each notation to its concept (N-Triples
    form), ``consortium`` holds the notations whose holders are ``schema:member`` of the project."""

    def __init__(self, iri: dict[str, str], consortium: set[str]):
        self.iri, self.consortium = {n: _n(c) for n, c in iri.items()}, set(consortium)

    @classmethod
    def read(cls, roles_ttl: Path) -> Roles:
        """The roles of ``data/vocab/roles.ttl`` (the concepts below a grouping concept), read as the
        build reads them (:func:`ngograph.records.check.read_roles`: a file that is missing or not Turtle
        is a :class:`~ngograph.errors.DataError` naming it)."""
        records = read_roles(roles_ttl)
        return cls(records.roles, records.consortium_roles)


class Emitter:
    """Collects the N-Triples lines of records (all in one graph, the caller's).

    Parameters
    ----------
    base : str
        The base IRI of minted resources.
    dataset : str or None
        The IRI of the imported source dataset: every resource is ``prov:wasDerivedFrom`` it and
        has its record's location as ``ngo:sourceRecord``. None for the curated data, whose
        locations (``file:line``, for messages) go to :attr:`locations` instead of the graph.
    roles : Roles
        The ngograph roles.
    where : callable, optional
        A record's location as the graph keeps it (default: as the reader wrote it); an import
        gives the files' paths relative to the folder they were read from, so that no local
        path reaches the graph.

    A term is its N-Triples form (a string); :meth:`take` hands over the lines collected so far.

    >>> em = Emitter("https://example.org/", "https://example.org/dataset/x", None)
    >>> em.add(em.iri(("project", "x", "1")), "name", literal("Ūdens", "lv"))
    >>> print(em.take().decode(), end="")
    <https://example.org/project/x/1> <https://schema.org/name> "Ūdens"@lv .
    """

    def __init__(self, base: str, dataset: str | None, roles: Roles, where: Callable[[str], str] = str):
        self.base, self.roles, self.where = base, roles, where
        self.dataset = _n(dataset) if dataset else None
        self.locations: dict[str, object] = {}  # IRI -> location, for the curated data
        self.lines: list[str] = []
        self.concepts: set[Code] = set()
        self._concept_iris: dict[Code, str] = {}  # the IRI of each concept used, made once (IATI: 270,000 uses)
        self._countries: dict[str, str] = {}
        self._langs: dict[str, str] = {}
        self._refs: dict[Key, str] = {}

    # ------------------------------------------------------------------ terms

    def take(self) -> bytes:
        """The lines collected since the last call, as UTF-8 N-Triples; the collection is emptied. A lone surrogate,
        which UTF-8 cannot hold (a file name that is not UTF-8, in a record's location), is written as U+FFFD."""
        lines, self.lines = self.lines, []
        text = "".join(lines)
        try:
            return text.encode()
        except UnicodeEncodeError:
            return without_surrogates(text)[0].encode()

    def iri(self, key: Key) -> str:
        return f"<{self.base}{mint_path(key)}>"

    def ref(self, key: Key) -> str:
        """The IRI of a record that others point to (a project, an organisation), minted once and kept:
        each CORDIS participation names its project and organisation again (350,000 IRIs minted again, 1 s of
        an import). The keeping is emptied at :data:`_ENCODED_MAX` keys, so memory stays bounded."""
        iri = self._refs.get(key)
        if iri is None:
            if len(self._refs) >= _ENCODED_MAX:
                self._refs.clear()
            iri = self._refs[key] = self.iri(key)
        return iri

    @staticmethod
    def checked_iri(value: str) -> str:
        """An IRI a source gave (a web address): :class:`ValueError` unless it is a valid IRI."""
        ox.NamedNode(value)  # validates (RFC 3987)
        if any(c in value for c in '<>"{}|^`\\ '):
            raise ValueError(f"not an IRI: {value!r}")
        return f"<{value}>"

    def lang(self, tag: str) -> str:
        """A language tag, checked (BCP 47) and normalised the store's way the first time it is seen."""
        if tag not in self._langs:
            self._langs[tag] = ox.Literal("", language=tag).language
        return self._langs[tag]

    def concept(self, code: Code) -> str:
        iri = self._concept_iris.get(code)
        if iri is None:
            self.concepts.add(code)
            iri = self._concept_iris[code] = _concept_iri(code)
        return iri

    def country(self, alpha2: str) -> str:
        if alpha2 not in self._countries:
            self._countries[alpha2] = _n(country_iri(alpha2))
        return self._countries[alpha2]

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {_P[p]} {o} .\n")

    def triple(self, s: str, p, o: str) -> None:
        """A triple with any predicate (a namespace term)."""
        self.lines.append(f"{s} <{p}> {o} .\n")

    def typed(self, s: str, *types: str) -> None:
        for t in types:
            self.lines.append(f"{s} {A} {_T[t]} .\n")

    def text(self, s: str, p: str, texts: list[Text]) -> None:
        for t in texts:
            self.add(s, p, literal(t.text, self.lang(t.lang or "und")))

    def date(self, s: str, p: str, value: str | None) -> None:
        if value:
            lexical, datatype = date_parts(value)
            self.add(s, p, literal(lexical, datatype=datatype))

    def integer(self, value: int) -> str:
        return f'"{int(value)}"^^<{_INTEGER}>'

    def decimal(self, value: Decimal) -> str:
        return f'"{format(value, "f")}"^^<{_DECIMAL}>'

    def resource(self, s: str, location, sources: list[Key] = ()) -> None:
        """Provenance: derived from the source dataset (or the curated source documents), and
        where the record is (in the graph for an import, in :attr:`locations` when curated)."""
        for key in sources:
            self.add(s, "wasDerivedFrom", self.iri(key))
        if self.dataset is None:
            self.at(s, location)
        else:
            self.add(s, "wasDerivedFrom", self.dataset)
            self.add(s, "sourceRecord", literal(self.where(str(location))))

    def at(self, s: str, location) -> None:
        """Remember where a curated resource is written (the first place wins)."""
        if location is not None and self.dataset is None:
            self.locations.setdefault(s[1:-1], location)

    def label(self, s: str, names: list[Text]) -> None:
        """One display label: the English name, else the first one."""
        if names:
            t = next((n for n in names if n.lang == "en"), names[0])
            self.add(s, "label", literal(t.text, self.lang(t.lang or "und")))

    def names(self, s: str, r) -> None:
        """The names of a record with ``names``, ``labels`` (official names, one per language:
        ``skos:prefLabel``) and maybe ``alt_names``: the display label is chosen among the
        labels, else among the names (never a translation: those are only in ``names``)."""
        self.label(s, r.labels or r.names)
        self.text(s, "name", r.names)
        self.text(s, "prefLabel", r.labels)
        self.text(s, "altLabel", getattr(r, "alt_names", ()))

    def identifiers(self, s: str, ids: list[Identifier]) -> None:
        for ident in ids:
            if not ident.scheme:  # the source does not say whose number it is
                self.add(s, "identifier", literal(ident.value))
                continue
            node = f"{s[:-1]}/id/{_quoted(ident.scheme)}/{_quoted(ident.value)}>"
            self.add(s, "identifier", node)
            self.typed(node, "PropertyValue")
            self.add(node, "propertyID", literal(ident.scheme))
            self.add(node, "value", literal(ident.value))

    def money(self, owner: str, p: str, money: Money, suffix: str) -> None:
        m = f"{owner[:-1]}/{suffix}>"
        self.at(m, money.location)
        self.add(owner, p, m)
        self.typed(m, "MonetaryAmount")
        self.add(m, "value", self.decimal(money.value))
        if money.currency:
            self.add(m, "currency", literal(money.currency))
        self.date(m, "valueDate", money.value_date)
        self.date(m, "validFrom", money.start)
        self.date(m, "validThrough", money.end)
        if money.type:
            self.add(m, "budgetType", self.concept(money.type))
        if money.status:
            self.add(m, "budgetStatus", self.concept(money.status))
    # ------------------------------------------------------------------ records

    def emit(self, record: Record) -> None:
        """Add the triples of one record."""
        getattr(self, _METHODS[type(record)])(record)

    def places(self, s: str, p: str, places: list[Key | str]) -> None:
        """Places by key, countries by alpha-2 code."""
        for place in places:
            self.add(s, p, self.country(place) if isinstance(place, str) else self.iri(place))

    def visits(self, s: str, visited: list[Key | Code]) -> None:
        """The bodies visited: named organisations (keys) and kinds of body (codes)."""
        for v in visited:
            self.add(s, "visited", self.concept(v) if isinstance(v, Code) else self.iri(v))

    def keys(self, s: str, p: str, keys: list[Key]) -> None:
        for key in keys:
            self.add(s, p, self.iri(key))

    def organisation(self, r: Organisation) -> None:
        s = self.iri(r.key)
        self.typed(s, "FormalOrganization", "Organization")
        for t in sorted(r.types):
            self.typed(s, *_ORG_TYPES[t])
        self.resource(s, r.location, r.sources)
        self.names(s, r)
        if not r.names and r.identifiers:  # known only by its identifier: display that
            self.add(s, "label", literal(f"{r.identifiers[0].scheme}-{r.identifiers[0].value}"))
        self.identifiers(s, r.identifiers)
        if r.country:
            self.add(s, "addressCountry", self.country(r.country))
        for kind in r.kinds:
            self.add(s, "classification", self.concept(kind))
        if r.url:
            self.add(s, "url", self.checked_iri(r.url))
        if r.part_of:
            self.add(s, "subOrganizationOf", self.iri(r.part_of))
        self.keys(s, "memberOf", r.member_of)
        self.keys(s, "linkedTo", r.linked_to)
        if r.seat:
            self.add(s, "location", self.iri(r.seat))

    def project(self, r: Project) -> None:
        s = self.iri(r.key)
        self.typed(s, "Project")
        self.resource(s, r.location, r.sources)
        self.names(s, r)
        self.text(s, "description", r.descriptions)
        self.identifiers(s, r.identifiers)
        for p, value in (("startDate", r.start), ("endDate", r.end), ("plannedStartDate", r.planned_start),
                         ("actualStartDate", r.actual_start), ("plannedEndDate", r.planned_end),
                         ("actualEndDate", r.actual_end)):
            self.date(s, p, value)
        if r.status:
            self.add(s, "status", self.concept(r.status))
        for n, budget in enumerate(r.budgets, 1):
            self.money(s, "budget", budget, f"budget/{n if budget.position is None else budget.position}")
        for p, codes in (("subject", r.subjects), ("audience", r.audiences), ("activityType", r.activities)):
            for code in codes:
                self.add(s, p, self.concept(code))
        for c in r.countries:
            self.add(s, "areaServed", self.country(c))
        self.places(s, "location", r.places)
        self.visits(s, r.visited)
        for n, a in enumerate(r.allocations, 1):
            node = f"{s[:-1]}/allocation/{n}>"
            self.add(s, "allocation", node)
            self.typed(node, "Allocation")
            self.add(node, "allocatedTo", self.country(a.to) if isinstance(a.to, str) else self.concept(a.to))
            if a.percentage is not None:
                self.add(node, "percentage", self.decimal(a.percentage))
        if r.part_of:
            whole = self.iri(r.part_of)
            self.add(s, "isPartOf", whole)
            self.add(whole, "hasPart", s)
        if r.attributed_to:
            self.add(s, "wasAttributedTo", self.iri(r.attributed_to))

    def participation(self, r: Participation) -> None:
        s = self.iri(r.key)
        project, org = self.ref(r.project), self.ref(r.organisation)
        self.typed(s, "Participation")
        self.resource(s, r.location, r.sources)
        self.add(s, "inProject", project)
        self.add(s, "participant", org)
        self.add(s, "role", self.roles.iri[r.role])
        if r.role in self.roles.consortium:
            self.add(project, "member", org)
        elif r.role in FUNDER_ROLES:  # an IATI Funding organisation funds the project as a grant's funder does
            self.add(project, "funder", org)
        if r.source_role:
            self.add(s, "sourceRole", self.concept(r.source_role))
        if r.position is not None:
            self.add(s, "position", self.integer(r.position))
        if r.contribution:
            self.money(s, "contribution", r.contribution, "contribution")
        if r.budget:
            self.money(s, "participantBudget", r.budget, "budget")
        if r.activity:
            self.add(s, "participantActivity", self.iri(r.activity))

    def grant(self, r: Grant) -> None:
        s = self.iri(r.key)
        funder, funded = self.ref(r.funder), self.ref(r.funded)
        self.typed(s, "MonetaryGrant")
        self.resource(s, r.location, r.sources)
        self.label(s, r.names)
        self.text(s, "name", r.names)
        self.identifiers(s, r.identifiers)
        self.add(s, "funder", funder)
        self.add(s, "fundedItem", funded)
        if r.funded[0] == "project":
            self.add(funded, "funder", funder)
        if r.amount:
            self.money(s, "amount", r.amount, "amount")
        if r.disbursed:
            self.money(s, "amountDisbursed", r.disbursed, "disbursed")
        if r.share is not None:
            self.add(s, "fundingShare", self.decimal(r.share))
        if r.scheme:
            self.add(s, "fundingScheme", self.iri(r.scheme))
        self.date(s, "awardDate", r.award_date)
        self.date(s, "startDate", r.start)
        self.date(s, "endDate", r.end)

    def transaction(self, r: Transaction) -> None:
        s = self.iri(r.key)
        self.typed(s, "Transaction")
        self.resource(s, r.location)
        self.add(s, "transactionOf", self.ref(r.project))
        self.money(s, "amount", r.amount, "amount")
        if r.type:
            self.add(s, "transactionType", self.concept(r.type))
        self.date(s, "transactionDate", r.date)
        for p, key in (("provider", r.provider), ("receiver", r.receiver), ("providerActivity", r.provider_activity),
                       ("receiverActivity", r.receiver_activity)):
            if key:
                self.add(s, p, self.ref(key))
        if r.position is not None:
            self.add(s, "position", self.integer(r.position))

    def source(self, r: Source) -> None:
        s = self.iri(r.key)
        self.typed(s, "SourceDocument", "Entity")
        self.at(s, r.location)
        self.add(s, "sourceFile", literal(r.file))
        self.add(s, "language", _n(_ISO639 + r.language))
        self.text(s, "title", r.titles)
        if r.publisher:
            self.add(s, "publisher", self.iri(r.publisher))

    def funding_scheme(self, r: FundingScheme) -> None:
        s = self.iri(r.key)
        self.typed(s, "FundingScheme")
        self.resource(s, r.location, r.sources)
        self.names(s, r)
        if r.part_of:
            self.add(s, "isPartOf", self.iri(r.part_of))
        if r.operator:
            self.add(s, "parentOrganization", self.iri(r.operator))
        self.keys(s, "administeredBy", r.administered_by)

    def place(self, r: Place) -> None:
        s = self.iri(r.key)
        self.typed(s, "Place", _PLACE_TYPES[r.kind])
        self.resource(s, r.location, r.sources)
        self.names(s, r)
        country = self.country(r.country)
        self.add(s, "addressCountry", country)
        self.add(s, "containedInPlace", self.iri(r.within) if r.within else country)

    def programme(self, r: Programme) -> None:
        s = self.iri(r.key)
        self.typed(s, "Programme")
        self.resource(s, r.location, r.sources)
        self.names(s, r)
        self.date(s, "startDate", r.start)
        self.date(s, "endDate", r.end)

    def event(self, r: Event) -> None:
        s = self.iri(r.key)
        self.typed(s, "Event")
        self.resource(s, r.location, r.sources)
        self.add(s, "eventType", self.concept(r.type))
        self.keys(s, "eventOf", r.of)
        self.names(s, r)
        if r.place:
            self.add(s, "location", self.iri(r.place))
        self.date(s, "startDate", r.start)
        self.date(s, "endDate", r.end)
        if r.online:
            self.add(s, "eventAttendanceMode", _ONLINE)
        if r.status:
            self.add(s, "eventStatus", _EVENT_STATUS[r.status])
        if r.inferred_start:
            self.date(s, "inferredStartDate", r.inferred_start)
            self.add(s, "inferenceBasis", self.concept(r.inference))
        self.visits(s, r.visited)

    def result(self, r: Result) -> None:
        s = self.iri(r.key)
        self.typed(s, "Result")
        self.resource(s, r.location, r.sources)
        self.add(s, "resultType", self.concept(r.type))
        self.keys(s, "resultOf", r.of)
        self.text(s, "description", r.descriptions)
        if r.value is not None:
            self.add(s, "value", self.integer(r.value))
        if r.minimum is not None:
            self.add(s, "minValue", self.integer(r.minimum))
        self.places(s, "location", r.places)
        for code in r.audiences:
            self.add(s, "audience", self.concept(code))
        self.add(s, "planned", f'"{str(r.planned).lower()}"^^<{_BOOLEAN}>')
        self.add(s, "achievementStatus", self.concept(r.status))

    def our_concept(self, r: Concept) -> None:
        """A concept of one of our schemes, fully described (the source codes get
        :meth:`concept_triples`)."""
        c, scheme = _concept_iri(r.code), _n(f"{VOCAB}{scheme_path(r.code.scheme)}")
        self.typed(scheme, "ConceptScheme")
        self.text(scheme, "prefLabel", r.scheme_labels)
        self.typed(c, "Concept", *(("Audience",) if r.audience else ()))
        self.at(c, r.location)
        self.add(c, "inScheme", scheme)
        self.add(c, "topConceptOf", scheme)
        self.add(scheme, "hasTopConcept", c)
        self.add(c, "notation", literal(r.code.code))
        self.text(c, "prefLabel", r.labels)

    def country_group(self, r: CountryGroup) -> None:
        s = _concept_iri(r.code)
        self.typed(s, "Collection")
        self.at(s, r.location)
        self.add(s, "notation", literal(r.code.code))
        self.label(s, r.labels)
        self.text(s, "prefLabel", r.labels)
        for c in r.countries:
            self.add(s, "member_", self.country(c))

    def concept_triples(self) -> None:
        """Declare every source concept used: a ``skos:Concept`` with its notation in its scheme.
        Labels come from the codelists under ``data/vocab/``."""
        for code in sorted(self.concepts):
            c = self.concept(code)
            scheme = _n(f"{VOCAB}{scheme_path(code.scheme)}")
            self.typed(c, "Concept")
            self.typed(scheme, "ConceptScheme")
            self.add(c, "inScheme", scheme)
            self.add(c, "notation", literal(code.code))


_METHODS = {Organisation: "organisation", Project: "project", Participation: "participation", Grant: "grant",
            Transaction: "transaction", Source: "source", FundingScheme: "funding_scheme", Place: "place",
            Programme: "programme", Event: "event", Result: "result", Concept: "our_concept",
            CountryGroup: "country_group"}
