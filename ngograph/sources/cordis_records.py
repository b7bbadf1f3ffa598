"""CORDIS rows (:mod:`ngograph.sources.cordis`) as ngograph records.

- The official project and organisation tables (H2020, Horizon Europe) key a project by its
  grant id, ``project/cordis/{id}``, and a participation by project, PIC and the row's
  ``order``: ``participation/cordis/{id}/{pic}/{order}`` (a PIC listed twice stays twice).
- The processed H2020 participation table has no grant id, only the record number:
  ``project/cordis-rcn/{rcn}`` and ``participation/cordis-rcn/{rcn}/{pic}/{role}``. The two
  keys are not guessed together (``rcn`` and ``id`` are different numbers).
- An organisation is ``organisation/xi-pic/{pic}`` with its PIC as identifier; a Norwegian
  VAT number ``NO{9 digits}MVA`` also gives its organisation number (``NO-BRC``), which
  Forskningsrådet and IATI use. CORDIS never says "NGO": no organisation is typed
  ``schema:NGO`` here; the activity type (HES, REC, PRC, PUB, OTH) is its classification.
- A project that organisation rows name but no project row read describes is made from those rows
  (its grant id and acronym) and reported.
- The EU's contribution is a grant from the European Commission to the project, with a
  funder participation for the Commission; each participant's EC contribution is its
  ``ngo:contribution``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ngograph.records.types import (Code, Grant, Identifier, Key, Money, Organisation, Participation, Project,
                                    Record, Text, web_address)
from ngograph.sources.cordis import CordisOrganisation, CordisParticipation, CordisProject

__all__ = ["ROLES", "EUROPEAN_COMMISSION", "cordis_records"]

#: CORDIS role -> ngograph role notation (the same table maps data/vocab/cordis-role.ttl onto ours).
ROLES = {"coordinator": "lead-partner", "participant": "partner", "partner": "associated",
         "thirdParty": "partner", "internationalPartner": "associated", "associatedPartner": "associated"}

#: The funder of every CORDIS grant.
EUROPEAN_COMMISSION: Key = ("organisation", "cordis", "european-commission")

_NO_VAT = re.compile(r"^NO(\d{9})(MVA)?$")


def _day(d) -> str | None:
    return d.iso if d is not None else None


class _Collector:
    """Projects and organisations of one import, each kept once (the first row that names it);
    later rows add what the first lacked (names, identifiers)."""

    def __init__(self):
        self.orgs: dict[Key, Organisation] = {}
        self.projects: dict[Key, Project] = {}
        self.grants: list[Record] = []
        self.seen: dict[Key, tuple] = {}  # organisation -> the country and kind a participation row last gave it
        self.named: dict[Key, tuple[str, str | None]] = {}  # project -> the first organisation row naming it, acronym

    def organisation(self, key: Key, location: str, pic: str, country: str | None, kind: str | None,
                     name: str | None = None, short: str | None = None, vat: str | None = None,
                     url: str | None = None) -> None:
        org = self.orgs.get(key)
        if org is None:
            org = self.orgs[key] = Organisation(key, location, identifiers=[Identifier("XI-PIC", pic)],
                                                country=country)
        if name and Text(name) not in org.names:
            org.names.append(Text(name))
        if short and Text(short) not in org.names:
            org.names.append(Text(short))
        if kind and Code("cordis-activity-type", kind) not in org.kinds:
            org.kinds.append(Code("cordis-activity-type", kind))
        if vat and (m := _NO_VAT.match(vat.replace(" ", ""))) and Identifier("NO-BRC", m[1]) not in org.identifiers:
            org.identifiers.append(Identifier("NO-BRC", m[1]))
        if org.url is None and web_address(url):
            org.url = url
        if org.country is None:
            org.country = country

    def grant(self, project: Key, location: str, amount, award_date: str | None = None) -> Iterator[Record]:
        gkey = ("grant", *project[1:])
        yield Grant(gkey, location, EUROPEAN_COMMISSION, project,
                    amount=Money(amount, "EUR") if amount is not None else None, award_date=award_date)
        yield Participation(("participation", *project[1:], "funder"), location, project, EUROPEAN_COMMISSION,
                            "funder")

    def participation_row(self, r: CordisParticipation, problems) -> Iterator[Record]:
        pkey: Key = ("project", "cordis-rcn", r.rcn)
        if pkey not in self.projects:
            p = self.projects[pkey] = Project(pkey, r.location, identifiers=[Identifier("CORDIS-RCN", r.rcn)],
                                              start=_day(r.start_date), end=_day(r.end_date))
            if r.total_cost is not None:
                p.budgets.append(Money(r.total_cost, "EUR"))
            yield from self.grant(pkey, r.location, r.max_contribution)
        okey: Key = ("organisation", "xi-pic", r.pic)
        if self.seen.get(okey) != (r.country, r.type):  # the same again changes nothing (1.5 s of 145,000 rows)
            self.seen[okey] = (r.country, r.type)
            self.organisation(okey, r.location, r.pic, r.country, r.type)
        if r.role not in ROLES:
            problems.append((r.location, f"role {r.role!r} is not a CORDIS role; the participation is left out"))
            return
        yield Participation(("participation", "cordis-rcn", r.rcn, r.pic, r.role), r.location, pkey, okey,
                            ROLES[r.role], Code("cordis-role", r.role),
                            contribution=Money(r.contribution, "EUR") if r.contribution is not None else None)

    def project_row(self, r: CordisProject) -> Iterator[Record]:
        pkey: Key = ("project", "cordis", r.id)
        ids = [Identifier("CORDIS-PROJECT", r.id)] + ([Identifier("CORDIS-RCN", r.rcn)] if r.rcn else [])
        p = Project(pkey, r.location, names=[Text(r.title, "en")] if r.title else [],
                    alt_names=[Text(r.acronym)] if r.acronym else [],
                    descriptions=[Text(r.objective, "en")] if r.objective else [], identifiers=ids,
                    start=_day(r.start_date), end=_day(r.end_date),
                    status=Code("cordis-status", r.status) if r.status else None)
        if r.total_cost is not None:
            p.budgets.append(Money(r.total_cost, "EUR"))
        if r.legal_basis:
            p.subjects.append(Code("cordis-programme", r.legal_basis))
        self.projects[pkey] = p
        yield from self.grant(pkey, r.location, r.ec_max_contribution, _day(r.ec_signature_date))

    def organisation_row(self, r: CordisOrganisation, problems) -> Iterator[Record]:
        okey: Key = ("organisation", "xi-pic", r.organisation_id)
        self.organisation(okey, r.location, r.organisation_id, r.country, r.activity_type, r.name, r.short_name,
                          r.vat_number, r.organization_url)
        if r.role not in ROLES:
            problems.append((r.location, f"role {r.role!r} is not a CORDIS role; the participation is left out"))
            return
        pkey: Key = ("project", "cordis", r.project_id)
        if pkey not in self.named:
            self.named[pkey] = (r.location, r.project_acronym)
        order = str(r.order) if r.order is not None else r.location.rsplit(" ", 1)[-1]
        yield Participation(("participation", "cordis", r.project_id, r.organisation_id, order), r.location,
                            pkey, okey, ROLES[r.role], Code("cordis-role", r.role), r.order,
                            contribution=Money(r.ec_contribution, "EUR") if r.ec_contribution is not None else None,
                            budget=Money(r.total_cost, "EUR") if r.total_cost is not None else None)


#: The columns that key each kind of row (their field, their title): a row without one is left out.
_KEYS = {CordisProject: (("id", "id"),), CordisOrganisation: (("project_id", "projectID"), ("organisation_id", "organisationID")),
         CordisParticipation: (("rcn", "rcn"), ("pic", "pic"))}
#: The amounts of each kind of row that a source never writes below zero, and the dates that bound a period.
_AMOUNTS = {CordisProject: (("total_cost", "totalCost"), ("ec_max_contribution", "ecMaxContribution")),
            CordisOrganisation: (("ec_contribution", "ecContribution"), ("total_cost", "totalCost")),
            CordisParticipation: (("contribution", "contribution"), ("max_contribution", "max_contribution"),
                                  ("total_cost", "total_cost"))}
_PERIODS = {CordisProject: ("start_date", "end_date", "startDate", "endDate"),
            CordisParticipation: ("start_date", "end_date", "start_date", "end_date")}


def _checked(r, problems: list[tuple[str, str]]) -> bool:
    """Whether the row ``r`` has its keys (else it is left out, and said: an empty project id minted no IRI and
    ended the import in a traceback); a negative amount and a period that ends before it starts are kept as written
    and said (validate reports them: the import said nothing)."""
    kind = type(r)
    missing = [title for field, title in _KEYS.get(kind, ()) if getattr(r, field) is None]
    if missing:
        problems.append((r.location, f"no {' and no '.join(missing)}: the row is left out"))
        return False
    for field, title in _AMOUNTS.get(kind, ()):
        if (amount := getattr(r, field)) is not None and amount < 0:
            problems.append((r.location, f"{title} {amount.text!r} is negative: kept as written"))
    if kind in _PERIODS:
        start, end, first, last = _PERIODS[kind]
        a, b = getattr(r, start), getattr(r, end)
        # the texts first: ISO texts compare as the first days of their periods do, and making two dates of each of
        # 145,000 rows took 0.4 s of the import
        if a is not None and b is not None and b.iso < a.iso and b.date < a.date:
            problems.append((r.location, f"{last} {b.text!r} is before {first} {a.text!r}: kept as written"))
    return True


def cordis_records(rows: Iterable[object], problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The records of CORDIS rows (any of the reader's layouts); projects and organisations
    last, each once. Programme parts and topic tables are not mapped yet (reported once)."""
    c = _Collector()
    skipped: dict[str, int] = {}
    first = None
    for r in rows:
        first = first or r.location
        if not _checked(r, problems):
            continue
        if isinstance(r, CordisParticipation):
            yield from c.participation_row(r, problems)
        elif isinstance(r, CordisProject):
            yield from c.project_row(r)
        elif isinstance(r, CordisOrganisation):
            yield from c.organisation_row(r, problems)
        else:
            name = type(r).__name__
            if name not in skipped:
                problems.append((r.location, f"{name} rows are not imported yet (left out)"))
            skipped[name] = skipped.get(name, 0) + 1
    if c.projects:  # the funder of their grants; a file of no project (or no row) names no funder
        yield Organisation(EUROPEAN_COMMISSION, first, names=[Text("European Commission", "en")],
                           types={"intergovernmental"})
    yield from c.projects.values()
    yield from _unlisted_projects(c, problems)
    yield from c.orgs.values()


def _unlisted_projects(c: _Collector, problems: list[tuple[str, str]]) -> Iterator[Project]:
    """The projects that organisation rows name but no project row read describes (an organisation table
    imported without its project table, or cut apart from it: cordis-h2020-sample's two files share no
    project): each made from what the rows say, its grant id and acronym, and reported, so that no
    participation points to a resource the graph does not describe."""
    for pkey, (location, acronym) in c.named.items():
        if pkey in c.projects:
            continue
        problems.append((location, f"project {pkey[2]!r} is in no project table read: it is described by its "
                                   "grant id and acronym only"))
        yield Project(pkey, location, alt_names=[Text(acronym)] if acronym else [],
                      identifiers=[Identifier("CORDIS-PROJECT", pkey[2])])
