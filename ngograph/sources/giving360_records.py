"""360Giving grants (:mod:`ngograph.sources.giving360`) as ngograph records
(:mod:`ngograph.records.types`). The mapping table is in docs/sources.md; in short:

- a grant is a :class:`~ngograph.records.types.Grant` ``grant/360g/{id}`` from the funding
  organisation to the recipient organisation (360Giving funds organisations, never a described
  project: the recipient is the funded item, core funding), with its id as ``360G-GRANT``,
  its title as name (``en``), the amount awarded and, when given, disbursed (with the currency),
  the award date and the planned dates as start and end;
- the same grant id read twice (stack.json aggregates the funders' own files) is one grant: a
  grant of a funder's own file (standard or CSV layout) wins over the flat aggregate's copy,
  whatever the file order; otherwise the first read is kept. The repeats are left out and
  counted once per file;
- an organisation with an org-id (a registry prefix of org-id.guide and a value: ``GB-CHC-1070468``)
  is ``organisation/{scheme}/{value}``; a ``360G-...`` id (a funder's own id for the
  organisation) is ``organisation/360g/{id}`` with the identifier ``360G``; a funder's own id
  that is neither (``NominetTrust``, ``E08000009``) likewise, since it names the publisher on
  every grant of its file. A recipient id that identifies nothing (``DUMMY01`` is shared by
  different organisations, ``Overseas``, a bare ``GB-REV``) never becomes a key: the recipient
  is local to its grant, ``organisation/360g-grant/{grant id}/recipient``;
- a numeric charity number gives a ``GB-CHC`` identifier (``SC`` + 6 digits: ``GB-SC``), a
  company number a ``GB-COH`` one (zero-padded to 8); other charity numbers (``SCO 08158``,
  ``Dutch registered8190``) are reported, not identifiers. An organisation is ``schema:NGO``
  when the source says it is a registered charity: a charity number read as one, or an org-id
  of a charity or non-profit register (:data:`CHARITY_REGISTERS`);
- the country is the ISO code the reader read from the address (``UK``, ``England`` -> GB),
  else the country of the org-id's registry (``GB-CHC`` -> GB); names the reader could not
  read as a country (``ISRAEL``, ``COMMONWEALTH``) are left out (the reader reports them);
- a grant whose columns the reader found shifted is left out with a problem; a planned end
  before the planned start (two Dulverton grants) is left out with a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pycountry

from ngograph.records.types import Grant, Identifier, Key, Money, Organisation, Record, Text, web_address
from ngograph.sources.giving360 import GivingGrant, GivingOrganisation
from ngograph.sources.iati import classify_ref, registration_agencies

__all__ = ["CHARITY_REGISTERS", "giving360_records", "organisation_key"]

#: org-id registries of charities and non-profits: an organisation registered there is an NGO by
#: the source's word.
CHARITY_REGISTERS = frozenset({"GB-CHC", "GB-SC", "GB-NIC", "ZA-NPO"})

_ORG_ID = re.compile(r"([A-Za-z]{2}-[A-Za-z0-9]+)-(.+)")
_DUMMY = re.compile(r".*dummy.*", re.I | re.S)
_CHARITY = re.compile(r"\d+")
_SCOTTISH = re.compile(r"SC\d{6}")
_COMPANY = re.compile(r"[A-Z]{0,2}\d{1,8}")
#: What a number of each register looks like; an org-id whose number does not (``GB-CHC-CA-99,314``, a Ghanaian
#: company's; ``GB-SC-SCO44652``, a letter O for a zero) gives no identifier of that register.
_REGISTER_NUMBER = {"GB-CHC": re.compile(r"\d+(?:-\d+)?"), "GB-SC": _SCOTTISH, "GB-NIC": re.compile(r"(?:NIC)?\d+"),
                    "GB-COH": _COMPANY}


def _org_id(text: str) -> tuple[str, str] | None:
    """``(scheme, value)`` of an org-id with a registry prefix, else None."""
    m = _ORG_ID.fullmatch(text)
    if m and m[1].upper() in registration_agencies():
        return m[1].upper(), m[2]
    return None


#: A UK charity's number as publishers mistype it after a charity register's prefix: a Scottish number with
#: spaces or a letter O (``SC 005792``, ``SCO 08158``), HMRC's reference of an exempt charity (``XR19598``,
#: ``XN 45384``), a number with spaces or a linked charity's ``/01``.
_UK_CHARITY_REFERENCE = re.compile(r"(?:SC\s*[O0]?[\d ]+|X[A-Z]?\s*\d[\d ]*|\d[\d ]*(?:\s*/\s*\d+)?)", re.I)


def _uk_charity_reference(ident: str) -> bool:
    """Whether the org-id ``ident`` is a UK charity register's prefix before a mistyped UK charity number.

    >>> [_uk_charity_reference(i) for i in ("GB-CHC-SC 005792", "GB-SC-SCO44652", "GB-CHC-XR19598", "GB-CHC-1062717/01")]
    [True, True, True, True]
    >>> [_uk_charity_reference(i) for i in ("GB-CHC-CA-99,314", "GB-CHC-IT/4002/09", "GB-CHC-IP28665R", "GB-COH-1 2")]
    [False, False, False, False]
    """
    found = _org_id(ident.strip())
    return found is not None and found[0] in ("GB-CHC", "GB-SC", "GB-NIC") and \
        _UK_CHARITY_REFERENCE.fullmatch(found[1].strip()) is not None


def _company(number: str) -> str:
    """A Companies House number at its 8 characters (``2050843`` -> ``02050843``)."""
    return number.zfill(8) if number.isdigit() else number


def organisation_key(org: GivingOrganisation, grant_id: str, role: str) -> tuple[Key, list[Identifier], str | None]:
    """The key of an organisation of a grant, its identifiers from the id, and why the id was not used.

    >>> organisation_key(GivingOrganisation("GB-CHC-1070468"), "g1", "recipient")[:2]
    (('organisation', 'gb-chc', '1070468'), [Identifier(scheme='GB-CHC', value='1070468')])
    >>> organisation_key(GivingOrganisation("DUMMY01"), "360G-x:1", "recipient")[0]
    ('organisation', '360g-grant', '360G-x:1', 'recipient')
    >>> organisation_key(GivingOrganisation("NominetTrust"), "g1", "funder")[0]
    ('organisation', '360g', 'NominetTrust')

    A placeholder after a register's prefix identifies nobody (``GB-CHC-n/a`` was 31 different charities); a
    number that is not the register's is kept as the organisation's key in this source, not as an identifier:

    >>> organisation_key(GivingOrganisation("GB-CHC-n/a"), "g1", "recipient")
    (('organisation', '360g-grant', 'g1', 'recipient'), [], "id 'GB-CHC-n/a' is a placeholder")
    >>> organisation_key(GivingOrganisation("GB-CHC-CA-99,314"), "g1", "recipient")
    (('organisation', '360g', 'GB-CHC-CA-99,314'), [], "'CA-99,314' is not a GB-CHC number: not an identifier")
    """
    ident = (org.id or "").strip()
    local: Key = ("organisation", "360g-grant", grant_id, role)
    if not ident:
        return local, [], "no organisation id"
    if _DUMMY.fullmatch(ident) or classify_ref(ident).kind == "placeholder":
        return local, [], f"id {ident!r} is a placeholder"
    if (found := _org_id(ident)) is not None:
        scheme, value = found
        if not any(c.isdigit() for c in value):  # "awaiting number", "Exempt", "IP"
            return local, [], f"id {ident!r} is a placeholder"
        if scheme in _REGISTER_NUMBER and not _REGISTER_NUMBER[scheme].fullmatch(value):
            return ("organisation", "360g", ident), [], f"{value!r} is not a {scheme} number: not an identifier"
        if scheme == "GB-COH":
            value = _company(value)
        return ("organisation", scheme.lower(), value), [Identifier(scheme, value)], None
    if ident.upper().startswith("360G-") or (role == "funder" and not re.search(r"\s", ident)):
        return ("organisation", "360g", ident), [Identifier("360G", ident)], None
    return local, [], f"id {ident!r} is neither an org-id nor a 360G id"


class _Orgs:
    """Organisations of one import, merged by key: the first name seen is the display label;
    every name, identifier and type is kept."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.by_key: dict[Key, Organisation] = {}
        self.problems = problems

    def get(self, org: GivingOrganisation, grant: GivingGrant, role: str) -> Key:
        key, ids, why = organisation_key(org, grant.id, role)
        if why:
            local = key[1] == "360g-grant"
            self.problems.append((grant.location, f"{role} {org.name or ''!r}: {why}; "
                                                  + ("the organisation is local to this grant" if local else
                                                     "the organisation is known by the id in this source only")))
        ngo = bool(ids) and ids[0].scheme in CHARITY_REGISTERS
        # a UK charity's number misfiled or mistyped under a charity register's prefix (GB-CHC-SC 005792, a
        # Scottish charity; GB-CHC-XR19598, HMRC's reference of an exempt charity): a charity all the same, in GB
        uk_charity = _uk_charity_reference(org.id or "")  # a register's own number too: an NGO in GB already
        ngo = ngo or uk_charity
        if org.charity_number:
            number = org.charity_number.strip()
            if _CHARITY.fullmatch(number):
                ids.append(Identifier("GB-CHC", number))
                ngo = True
            elif _SCOTTISH.fullmatch(number):
                ids.append(Identifier("GB-SC", number))
                ngo = True
            else:
                self.problems.append((grant.location, f"{role} charity number {number!r} is not a charity number; "
                                                      "not an identifier"))
        if org.company_number:
            number = org.company_number.strip()
            if _COMPANY.fullmatch(number):
                ids.append(Identifier("GB-COH", _company(number)))
            else:
                self.problems.append((grant.location, f"{role} company number {number!r} is not a company number; "
                                                      "not an identifier"))
        country = org.address_country_code
        if country is None and ids and (cc := ids[0].scheme[:2]) not in ("XI", "XM"):
            country = cc if pycountry.countries.get(alpha_2=cc) else None
        if country is None and uk_charity:
            country = "GB"
        o = self.by_key.get(key)
        if o is None:
            o = self.by_key[key] = Organisation(key, grant.location)
        for ident in ids:
            if ident not in o.identifiers:
                o.identifiers.append(ident)
        for name in (org.name, org.alternate_name):
            if name and Text(name) not in o.names:
                o.names.append(Text(name))
        if o.country is None:
            o.country = country
        if ngo:
            o.types.add("ngo")
        if o.url is None and web_address(org.url):
            o.url = org.url
        return key


def _money(value, currency: str | None) -> Money | None:
    return Money(value, currency) if value is not None else None


def grant_records(g: GivingGrant, orgs: _Orgs, problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The grant record of one 360Giving grant; its organisations are collected in ``orgs``."""
    if not g.funding_organization or not g.recipient_organization:
        missing = "funding" if not g.funding_organization else "recipient"
        problems.append((g.location, f"grant {g.id!r} names no {missing} organisation; left out"))
        return
    funder = orgs.get(g.funding_organization[0], g, "funder")
    recipient = orgs.get(g.recipient_organization[0], g, "recipient")
    planned = g.planned_dates[0] if g.planned_dates else None
    start, end = (planned.start_date, planned.end_date) if planned else (None, None)
    if start and end and end.date < start.date:
        problems.append((g.location, f"planned end {end.text!r} is before the start {start.text!r}: the end is "
                                     "left out"))
        end = None
    yield Grant(("grant", "360g", g.id), g.location, funder, recipient,
                identifiers=[Identifier("360G-GRANT", g.id)],
                names=[Text(g.title, "en")] if g.title else [],
                amount=_money(g.amount_awarded, g.currency), disbursed=_money(g.amount_disbursed, g.currency),
                award_date=g.award_date.iso if g.award_date else None,
                start=start.iso if start else None, end=end.iso if end else None)


def giving360_records(grants: Iterable[GivingGrant], problems: list[tuple[str, str]]) -> Iterator[Record]:
    """Every record of the grants, the organisations last (merged over all files).

    Grants of a flat aggregate (stack.json) are held back to the end, so that a grant both
    name is described by the funder's own file, whatever the order of the files."""
    orgs, seen = _Orgs(problems), {}  # grant id -> where the grant kept was read
    held: list[GivingGrant] = []

    def take(g: GivingGrant) -> Iterator[Record]:
        if g.id in seen:  # each one, so that the summary's count of what was left out adds up
            problems.append((g.location, f"grant {g.id!r} already read at {seen[g.id]}: this one is left out"))
            return
        seen[g.id] = g.location
        yield from grant_records(g, orgs, problems)

    for g in grants:
        if g.shifted:
            problems.append((g.location, f"grant {g.id!r}: columns shifted in the source; left out"))
        elif g.id is None:
            problems.append((g.location, "grant without an id; left out"))
        elif g.layout == "flat":
            held.append(g)
        else:
            yield from take(g)
    for g in held:
        yield from take(g)
    yield from orgs.by_key.values()
