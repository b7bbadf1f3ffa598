"""Interreg Sweden partner rows (:mod:`ngograph.sources.interreg`) as ngograph records
(:mod:`ngograph.records.types`). The mapping table is in docs/sources.md; in short:

- the file has no identifiers, so every key is made of the source's values as written (the
  emitter percent-encodes each segment): a project is
  ``project/interreg/{program}/{projektnamn}/{projekttyp}/{startdatum}`` (the reader's
  :attr:`~ngograph.sources.interreg.InterregPartner.project_key`: programme and name alone
  merge a feasibility study with the project that followed it);
- an organisation is ``organisation/interreg/{program}/{organisationsnamn}``: one name in one
  programme is one organisation, the same name in two programmes two (reconciliation merges
  them later; names never merge organisations across sources here). A row without a name has
  an organisation of its own, ``organisation/interreg/{program}/row/{location}``;
- a row is a participation ``participation/interreg/{project key}/{organisationsnamn}/{role}``
  (``.../row/{location}`` without a name); LP, PP, AP are lead-partner, partner, associated,
  with the source role kept; ``partnerbudget`` is the partner's EU funding (ERDF) in EUR,
  its ``ngo:contribution`` (the dashboard this file feeds calls it "EU-medel (ERDF)", without
  national co-financing);
- an organisation is ``schema:NGO`` only when ``organisationstyp`` is ``NGO`` (not "Interest
  groups including NGOs", which mixes NGOs with other associations), intergovernmental for
  "International governmental organisation", government for the public authorities; the type
  is kept as ``org:classification``;
- a row that ends before it starts is left out with a problem (its project would violate the
  period shape); the file lists only Swedish partners, so no project's consortium is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ngograph.records.types import Code, Key, Money, Organisation, Participation, Project, Record, Text
from ngograph.sources.interreg import InterregPartner

__all__ = ["ROLES", "ORG_TYPES", "CURRENCY", "interreg_records"]

#: Interreg partner role (data/vocab/interreg-partner-role.ttl) -> ngograph role notation.
ROLES = {"LP": "lead-partner", "PP": "partner", "AP": "associated"}

#: ``organisationstyp`` values that say what the organisation is (Organisation.types); the
#: others (universities, enterprises, "Interest groups including NGOs", ...) say nothing of that.
ORG_TYPES = {"NGO": "ngo", "International governmental organisation": "intergovernmental",
             "Local public authority": "government", "Regional public authority": "government",
             "National public authority": "government", "national, regional and local authorities": "government"}

#: The file gives no currency; Interreg programmes account in euro and the dashboard shows €.
CURRENCY = "EUR"


class _Collector:
    """Projects and organisations of one import, each kept once (the first row that names it);
    later rows add kinds and types the first lacked."""

    def __init__(self):
        self.projects: dict[Key, Project] = {}
        self.orgs: dict[Key, Organisation] = {}

    def project(self, r: InterregPartner, problems: list[tuple[str, str]]) -> Key:
        key: Key = ("project", "interreg", *r.project_key)
        p = self.projects.get(key)
        end = r.slutdatum.iso if r.slutdatum else None
        if p is None:
            p = self.projects[key] = Project(key, r.location, names=[Text(r.projektnamn)], start=r.startdatum.iso,
                                             end=end)
        elif end != p.end:
            problems.append((r.location, f"slutdatum {end or '(none)'} differs from {p.end or '(none)'} at {p.location}: "
                                         "the first is kept"))
        for scheme, code in (("interreg-policy-objective", r.politisktmal),
                             ("interreg-specific-objective", r.specifiktmal)):
            if code and Code(scheme, code) not in p.subjects:
                p.subjects.append(Code(scheme, code))
        return key

    def organisation(self, r: InterregPartner) -> Key:
        name = r.organisationsnamn
        key: Key = ("organisation", "interreg", r.program, name) if name is not None else \
            ("organisation", "interreg", r.program, "row", r.location)
        org = self.orgs.get(key)
        if org is None:
            org = self.orgs[key] = Organisation(key, r.location, names=[Text(name)] if name else [],
                                                country=r.land_code)
        if r.organisationstyp:
            code = Code("interreg-organisation-type", r.organisationstyp)
            if code not in org.kinds:
                org.kinds.append(code)
            if r.organisationstyp in ORG_TYPES:
                org.types.add(ORG_TYPES[r.organisationstyp])
        if org.country is None:
            org.country = r.land_code
        return key


def _left_out(r: InterregPartner) -> str | None:
    """Why a row cannot be mapped, or None."""
    if None in r.project_key:
        return "no program, projektnamn, projekttyp or startdatum: the project has no key; the row is left out"
    if r.ends_before_start:
        return (f"slutdatum {r.slutdatum.text} is before startdatum {r.startdatum.text}: the row is left out "
                "(a project cannot end before it starts)")
    if r.organisationsroll not in ROLES:
        return f"organisationsroll {r.organisationsroll!r} is not LP, PP or AP: the row is left out"
    return None


def interreg_records(rows: Iterable[InterregPartner], problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The records of Interreg partner rows: a participation per row, then the projects and
    organisations, each once."""
    c = _Collector()
    for r in rows:
        if (why := _left_out(r)) is not None:
            problems.append((r.location, why))
            continue
        pkey = c.project(r, problems)
        okey = c.organisation(r)
        local = (r.organisationsnamn, r.organisationsroll) if r.organisationsnamn is not None else ("row", r.location)
        budget = Money(r.partnerbudget, CURRENCY) if r.partnerbudget is not None else None
        yield Participation(("participation", "interreg", *r.project_key, *local), r.location, pkey, okey,
                            ROLES[r.organisationsroll], Code("interreg-partner-role", r.organisationsroll),
                            contribution=budget)
    yield from c.projects.values()
    yield from c.orgs.values()
