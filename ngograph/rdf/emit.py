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
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ngograph.rdf.codelists import concept_path
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD
from ngograph.rdf.refdata import country_iri
from ngograph.records.types import (Code, Grant, Identifier, Key, Money, Organisation, Participation, Programme,
                                    Project, Record, Text, Transaction)

__all__ = ["mint_path", "date_literal", "Roles", "Emitter"]


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def _segment(seg: str) -> str:
    if _UNRESERVED.fullmatch(seg):  # most keys: nothing to normalise or encode
        return seg
    return quote(unicodedata.normalize("NFC", seg).strip(" \t\n\r\u00a0"), safe="-._~")


def mint_path(key: Key) -> str:
    """The path of a key under the base IRI (see the module docstring)."""
    return "/".join(map(_segment, key))


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def _date(text: str) -> tuple[str, str]:
    """``(lexical form, datatype IRI)`` of a date at the precision it is written in."""
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
    value, datatype = _date(text)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples form of a literal; ``lang`` must be a valid tag (see :meth:`Emitter.lang`).

    >>> print(literal('say "hi"\\n', "en"), literal("1.5", datatype=str(XSD.decimal)))
    "say \\"hi\\"\\n"@en "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>
    """
    body = text.translate(_ESCAPE)
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
    "Concept": SKOS.Concept, "ConceptScheme": SKOS.ConceptScheme,
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
}.items()}
_DECIMAL = str(XSD.decimal)
_INTEGER = str(XSD.integer)
_ORG_TYPES = {"ngo": ("NGO",), "government": ("GovernmentOrganization",),
              "international": ("InternationalOrganization",),
              "intergovernmental": ("InternationalOrganization", "IntergovernmentalOrganization"),
              "network": ("InternationalOrganization", "InternationalNetwork")}


class Roles:
    """The ngograph participation roles (``data/vocab/roles.ttl``): notation -> IRI, and which
    are consortium roles (their holders are ``schema:member`` of the project)."""

    def __init__(self, roles_ttl: Path):
        iri, broader = {}, {}
        for t in ox.parse(path=str(roles_ttl), format=ox.RdfFormat.TURTLE):
            if t.predicate.value == str(SKOS.notation):
                iri[t.object.value] = t.subject
            elif t.predicate.value == str(SKOS.broader):
                broader[t.subject] = t.object.value
        consortium = str(VOCAB["role/consortium"])
        self.iri: dict[str, str] = {n: _n(s.value) for n, s in iri.items() if s in broader}
        self.consortium = {n for n, s in iri.items() if s in broader and broader[s] == consortium}


class Emitter:
    """Collects the N-Triples lines of a source's records (all in one graph, the caller's).

    Parameters
    ----------
    base : str
        The base IRI of minted resources.
    dataset : str
        The IRI of the source dataset (``prov:wasDerivedFrom`` of every resource).
    roles : Roles
        The ngograph roles.

    A term is its N-Triples form (a string); :meth:`take` hands over the lines collected so far.

    >>> em = Emitter("https://example.org/", "https://example.org/dataset/x", None)
    >>> em.add(em.iri(("project", "x", "1")), "name", literal("Ūdens", "lv"))
    >>> print(em.take().decode(), end="")
    <https://example.org/project/x/1> <https://schema.org/name> "Ūdens"@lv .
    """

    def __init__(self, base: str, dataset: str, roles: Roles):
        self.base, self.roles = base, roles
        self.dataset = _n(dataset)
        self.lines: list[str] = []
        self.concepts: set[Code] = set()
        self._countries: dict[str, str] = {}
        self._langs: dict[str, str] = {}

    # ------------------------------------------------------------------ terms

    def take(self) -> bytes:
        """The lines collected since the last call, as UTF-8 N-Triples; the collection is emptied."""
        lines, self.lines = self.lines, []
        return "".join(lines).encode()

    def iri(self, key: Key) -> str:
        return f"<{self.base}{mint_path(key)}>"

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
        self.concepts.add(code)
        return f"<{VOCAB}{concept_path(code.scheme, code.code)}>"

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
            lexical, datatype = _date(value)
            self.add(s, p, literal(lexical, datatype=datatype))

    def integer(self, value: int) -> str:
        return f'"{int(value)}"^^<{_INTEGER}>'

    def decimal(self, value: Decimal) -> str:
        return f'"{format(value, "f")}"^^<{_DECIMAL}>'

    def resource(self, s: str, location: str) -> None:
        self.add(s, "wasDerivedFrom", self.dataset)
        self.add(s, "sourceRecord", literal(location))

    def label(self, s: str, names: list[Text]) -> None:
        """One display label: the English name, else the first one."""
        if names:
            t = next((n for n in names if n.lang == "en"), names[0])
            self.add(s, "label", literal(t.text, self.lang(t.lang or "und")))

    def identifiers(self, s: str, ids: list[Identifier]) -> None:
        for ident in ids:
            node = f"{s[:-1]}/id/{quote(ident.scheme, safe='-._~')}/{quote(ident.value, safe='-._~')}>"
            self.add(s, "identifier", node)
            self.typed(node, "PropertyValue")
            self.add(node, "propertyID", literal(ident.scheme))
            self.add(node, "value", literal(ident.value))

    def money(self, owner: str, p: str, money: Money, suffix: str) -> None:
        m = f"{owner[:-1]}/{suffix}>"
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
        {Organisation: self.organisation, Project: self.project, Participation: self.participation,
         Grant: self.grant, Transaction: self.transaction, Programme: self.programme}[type(record)](record)

    def organisation(self, r: Organisation) -> None:
        s = self.iri(r.key)
        self.typed(s, "FormalOrganization", "Organization")
        for t in sorted(r.types):
            self.typed(s, *_ORG_TYPES[t])
        self.resource(s, r.location)
        self.label(s, r.names)
        if not r.names and r.identifiers:  # known only by its identifier: display that
            self.add(s, "label", literal(f"{r.identifiers[0].scheme}-{r.identifiers[0].value}"))
        self.text(s, "name", r.names)
        self.text(s, "alternateName", r.alt_names)
        self.identifiers(s, r.identifiers)
        if r.country:
            self.add(s, "addressCountry", self.country(r.country))
        for kind in r.kinds:
            self.add(s, "classification", self.concept(kind))
        if r.url:
            self.add(s, "url", self.checked_iri(r.url))

    def project(self, r: Project) -> None:
        s = self.iri(r.key)
        self.typed(s, "Project")
        self.resource(s, r.location)
        self.label(s, r.names)
        self.text(s, "name", r.names)
        self.text(s, "alternateName", r.alt_names)
        self.text(s, "description", r.descriptions)
        self.identifiers(s, r.identifiers)
        for p, value in (("startDate", r.start), ("endDate", r.end), ("plannedStartDate", r.planned_start),
                         ("actualStartDate", r.actual_start), ("plannedEndDate", r.planned_end),
                         ("actualEndDate", r.actual_end)):
            self.date(s, p, value)
        if r.status:
            self.add(s, "status", self.concept(r.status))
        for n, budget in enumerate(r.budgets, 1):
            self.money(s, "budget", budget, f"budget/{n}")
        for code in r.subjects:
            self.add(s, "subject", self.concept(code))
        for c in r.countries:
            self.add(s, "areaServed", self.country(c))
        for n, a in enumerate(r.allocations, 1):
            node = f"{s[:-1]}/allocation/{n}>"
            self.add(s, "allocation", node)
            self.typed(node, "Allocation")
            self.add(node, "allocatedTo", self.country(a.to) if isinstance(a.to, str) else self.concept(a.to))
            if a.percentage is not None:
                self.add(node, "percentage", self.decimal(a.percentage))
        if r.part_of:
            self.add(s, "isPartOf", self.iri(r.part_of))
        if r.attributed_to:
            self.add(s, "wasAttributedTo", self.iri(r.attributed_to))

    def participation(self, r: Participation) -> None:
        s = self.iri(r.key)
        project, org = self.iri(r.project), self.iri(r.organisation)
        self.typed(s, "Participation")
        self.resource(s, r.location)
        self.add(s, "inProject", project)
        self.add(s, "participant", org)
        self.add(s, "role", self.roles.iri[r.role])
        if r.role in self.roles.consortium:
            self.add(project, "member", org)
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
        funder, funded = self.iri(r.funder), self.iri(r.funded)
        self.typed(s, "MonetaryGrant")
        self.resource(s, r.location)
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
        self.date(s, "awardDate", r.award_date)
        self.date(s, "startDate", r.start)
        self.date(s, "endDate", r.end)
        if r.share is not None:
            self.triple(s, NGO.fundingShare, self.decimal(r.share))

    def transaction(self, r: Transaction) -> None:
        s = self.iri(r.key)
        self.typed(s, "Transaction")
        self.resource(s, r.location)
        self.add(s, "transactionOf", self.iri(r.project))
        self.money(s, "amount", r.amount, "amount")
        if r.type:
            self.add(s, "transactionType", self.concept(r.type))
        self.date(s, "transactionDate", r.date)
        for p, key in (("provider", r.provider), ("receiver", r.receiver), ("providerActivity", r.provider_activity),
                       ("receiverActivity", r.receiver_activity)):
            if key:
                self.add(s, p, self.iri(key))
        if r.position is not None:
            self.add(s, "position", self.integer(r.position))

    def programme(self, r: Programme) -> None:
        s = self.iri(r.key)
        self.triple(s, RDF.type, _n(NGO.Programme))
        self.resource(s, r.location)
        self.label(s, r.names)
        self.text(s, "name", r.names)
        for part in r.parts:
            self.triple(s, DCTERMS.hasPart, self.iri(part))

    def concept_triples(self) -> None:
        """Declare every source concept used: a ``skos:Concept`` with its notation in its scheme.
        Labels come from the codelists under ``data/vocab/``."""
        for code in sorted(self.concepts):
            c = self.concept(code)
            scheme = _n(f"{VOCAB}{code.scheme}")
            self.typed(c, "Concept")
            self.typed(scheme, "ConceptScheme")
            self.add(c, "inScheme", scheme)
            self.add(c, "notation", literal(code.code))
