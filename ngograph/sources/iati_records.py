"""IATI activities (:mod:`ngograph.sources.iati`) as ngograph records
(:mod:`ngograph.records.types`). The mapping table is in docs/sources.md; in short:

- an activity is a project ``project/iati/{iati-identifier}``; ``schema:startDate`` is the
  actual start (activity-date type 2) when given, else the planned start (1); the end likewise
  (4, else 3); all four are kept;
- a participating-org is a participation ``participation/iati/{id}/{position}`` (two entries
  of one organisation stay two), its role mapped by :data:`ROLES`; only Implementing makes an
  organisation a consortium member. IATI does not rank funders or implementers, so no
  co-funder, lead partner or partner is invented;
- an organisation with a registry identifier is ``organisation/{scheme}/{id}`` (``gb-chc``,
  ``dk-cvr``, ``xm-dac``...); one with another stable ref (``SE-0``, ``41AAA``) is
  ``organisation/iati-ref/{ref}``; one with no usable ref (none, ``N/A``, a generic DAC
  channel code such as ``21000``, a pasted label) is local to its activity:
  ``organisation/iati/{id}/name/{name}`` (one name said twice in one activity is one
  organisation), else ``organisation/iati/{id}/{position}``; names never merge organisations
  across activities here (that is reconciliation's job);
- an organisation is ``schema:NGO`` only when IATI's type says so (21-24), government for
  10-15, intergovernmental for 40 (multilateral); the type is kept as ``org:classification``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pycountry

from ngograph.records.types import (Allocation, Code, Identifier, Key, Money, Organisation, Participation, Project,
                                    Record, Text, Transaction)
from ngograph.sources.iati import Activity, Narrative, OrgRef, classify_ref

__all__ = ["ROLES", "ORG_TYPES", "activity_records", "iati_records"]

#: IATI OrganisationRole code -> ngograph role notation.
ROLES = {"1": "funder", "2": "accountable", "3": "administering-body", "4": "implementer"}

#: IATI OrganisationType codes -> what the organisation is (Organisation.types).
ORG_TYPES = {"10": "government", "11": "government", "15": "government", "21": "ngo", "22": "ngo", "23": "ngo",
             "24": "ngo", "40": "intergovernmental"}

_DATE_FIELDS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
_USABLE = {"registry", "other"}


def _texts(narratives: list[Narrative]) -> list[Text]:
    return [Text(n.text, n.lang or "und") for n in narratives]


def _country_of(scheme: str) -> str | None:
    """The country of a national registry prefix (``DK-CVR`` -> ``DK``, Kosovo's ``XK-COA`` -> ``XK``); none for
    the international ones (``XI-``, ``XM-``, ``XR-``, ``ZZ-``...), whose first letters name no country."""
    return _country(scheme[:2])


def _country(code: str) -> str | None:
    code = code.strip().upper()
    return code if code == "XK" or pycountry.countries.get(alpha_2=code) else None


class _Orgs:
    """Organisations of one import, merged by key: the first name seen is the display label,
    every name, identifier and kind (IATI organisation type code) is kept. What the organisation is
    (government, NGO, intergovernmental: :data:`ORG_TYPES`) is what most of its records say
    (:meth:`settle`): ECHO's files give UN agencies type 21, an international NGO, where hundreds of
    other records give 40."""

    def __init__(self):
        self.by_key: dict[Key, Organisation] = {}
        self.typed: dict[Key, Counter] = {}  # organisation -> records per type (ORG_TYPES' values)

    def get(self, ref: str | None, local: Key, location: str, names: list[Text], type_code: str | None) -> Key:
        kind = classify_ref(ref)
        if kind.kind == "registry":
            key: Key = ("organisation", kind.scheme.lower(), kind.value)
            ids = [Identifier(kind.scheme, kind.value)]
        elif kind.kind == "other":
            key, ids = ("organisation", "iati-ref", kind.value), []
        elif names:  # the same name twice in one activity is the same organisation
            key, ids = (*local[:3], "name", names[0].text), []
        else:
            key, ids = local, []
        org = self.by_key.get(key)
        if org is None:
            org = self.by_key[key] = Organisation(key, location, identifiers=ids,
                                                  country=_country_of(kind.scheme) if ids else None)
        for name in names:
            if name not in org.names:
                org.names.append(name)
        if type_code:
            code = Code("iati-organisation-type", type_code)
            if code not in org.kinds:
                org.kinds.append(code)
            if type_code in ORG_TYPES:
                self.typed.setdefault(key, Counter())[ORG_TYPES[type_code]] += 1
        return key

    def settle(self, problems: list[tuple[str, str]]) -> None:
        """Give each organisation the type most of its records give (all of them on a tie); where records
        disagree, one problem at the organisation's first record says what each said and what was kept."""
        for key, counts in self.typed.items():
            org, most = self.by_key[key], max(counts.values())
            kept = sorted(t for t, n in counts.items() if n == most)
            org.types.update(kept)
            if len(counts) > 1:
                said = ", ".join(f"{t} in {n}" for t, n in sorted(counts.items(), key=lambda c: (-c[1], c[0])))
                name = org.names[0].text if org.names else key[-1]
                problems.append((org.location, f"organisation {name!r}: its records' IATI organisation types say "
                                               f"{said} record(s); taken as {' and '.join(kept)}"))

    def ref(self, org: OrgRef | None, local: Key) -> Key | None:
        if org is None:
            return None
        return self.get(org.ref, local, org.location, _texts(org.narratives), org.type)


def activity_records(a: Activity, orgs: _Orgs, problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The records of one activity; organisations are collected in ``orgs`` (emitted at the end)."""
    ident = a.iati_identifier
    pkey: Key = ("project", "iati", ident)
    p = Project(pkey, a.location, names=_texts(a.title), identifiers=[Identifier("IATI-ACTIVITY", ident)])
    for d in a.descriptions:
        if d.type in (None, "1"):
            p.descriptions.extend(_texts(d.narratives))
    for d in a.activity_dates:
        if d.type in _DATE_FIELDS and getattr(p, _DATE_FIELDS[d.type]) is None:
            setattr(p, _DATE_FIELDS[d.type], d.iso_date)
    p.start = p.actual_start or p.planned_start
    p.end = p.actual_end or p.planned_end
    if a.activity_status:
        p.status = Code("iati-activity-status", a.activity_status)
    for b in a.budgets:
        p.budgets.append(Money(b.value, b.currency, b.value_date,
                               Code("iati-budget-type", b.type) if b.type else None,
                               Code("iati-budget-status", b.status) if b.status else None,
                               b.period_start, b.period_end, position=b.position))
    for c in a.recipient_countries:
        cc = _country(c.code)
        if cc is None and (three := pycountry.countries.get(alpha_3=c.code.strip().upper())) is not None:
            cc = three.alpha_2  # 31 of the IATI bulk's (MWI, KEN, ...): each names one country
            problems.append((c.location, f"recipient-country {c.code!r} is an ISO 3166-1 alpha-3 code: read as {cc}"))
        if cc is None:
            problems.append((c.location, f"recipient-country {c.code!r} is not an ISO 3166-1 alpha-2 code; left out"))
            continue
        p.countries.append(cc)
        p.allocations.append(Allocation(cc, c.percentage))
    for r in a.recipient_regions:
        p.allocations.append(Allocation(Code(f"iati-region-{r.vocabulary}", r.code), r.percentage))
    for s in a.sectors:
        code = Code(f"iati-sector-{s.vocabulary}", s.code)
        p.subjects.append(code)
        p.allocations.append(Allocation(code, s.percentage))
    if a.reporting_org is not None:
        p.attributed_to = orgs.ref(a.reporting_org, ("organisation", "iati", ident, "reporting-org"))
    yield p
    for po in a.participating_orgs:
        if po.role not in ROLES:  # left out with its organisation, which would stand unlinked
            problems.append((po.location, f"participating-org role {po.role_raw!r} is not an IATI "
                                          "OrganisationRole (1-4); the participation is left out"))
            continue
        okey = orgs.get(po.ref, ("organisation", "iati", ident, str(po.position)), po.location,
                        _texts(po.narratives), po.type)
        yield Participation(("participation", "iati", ident, str(po.position)), po.location, pkey, okey,
                            ROLES[po.role], Code("iati-organisation-role", po.role), po.position,
                            activity=("project", "iati", po.activity_id) if po.activity_id else None)
    for t in a.transactions:
        local = ("transaction", "iati", ident, str(t.position))
        yield Transaction(
            local, t.location, pkey, Money(t.value, t.currency, t.value_date),
            Code("iati-transaction-type", t.type) if t.type else None, t.date,
            orgs.ref(t.provider_org, ("organisation", "iati", ident, "transaction", str(t.position), "provider")),
            orgs.ref(t.receiver_org, ("organisation", "iati", ident, "transaction", str(t.position), "receiver")),
            ("project", "iati", t.provider_org.activity_id) if t.provider_org and t.provider_org.activity_id else None,
            ("project", "iati", t.receiver_org.activity_id) if t.receiver_org and t.receiver_org.activity_id else None,
            t.position)


def iati_records(activities: Iterable[Activity], problems: list[tuple[str, str]]) -> Iterator[Record]:
    """Every record of the activities, the organisations last (merged over all activities).
    An activity identifier seen twice keeps its first activity; the second is reported."""
    orgs, seen = _Orgs(), {}
    for a in activities:
        if a.iati_identifier in seen:
            problems.append((a.location, f"iati-identifier {a.iati_identifier!r} already read at "
                                         f"{seen[a.iati_identifier]}; this activity is left out"))
            continue
        seen[a.iati_identifier] = a.location
        yield from activity_records(a, orgs, problems)
    orgs.settle(problems)
    yield from orgs.by_key.values()
