"""The records every source reader yields and the RDF stage turns into triples.

A reader (IATI, CORDIS, 360Giving, Interreg, Forskningsrådet, the spreadsheet template)
maps its own rows onto these types; :mod:`ngograph.rdf.emit` is the one place that turns
them into triples. A record names the resources it refers to by their *keys*: tuples of
path segments under the base IRI (``("project", "iati", "SE-0-SE-6-1234")``), minted from
source identifiers, never from names, so that importing the same files again mints the
same IRIs. Every record carries its ``location`` in the source (``file:line``,
``file:row N``, ``file#/json/pointer``).

Codes of the sources' own vocabularies are :class:`Code` values (scheme slug + code); the
RDF stage turns them into concepts of ``https://w3id.org/ngograph/vocab/{scheme}/{code}``.

>>> p = Project(("project", "iati", "XM-1"), "a.xml:3", names=[Text("Water", "en")])
>>> p.key[-1], p.names[0].lang
('XM-1', 'en')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from ngograph.config import is_iri

__all__ = ["Key", "Text", "Code", "Identifier", "Money", "Allocation", "Organisation", "Project",
           "Participation", "Grant", "Transaction", "Source", "FundingScheme", "Place", "Programme", "Event", "Result",
           "Concept", "CountryGroup", "Record", "web_address", "AMOUNT_LIMIT", "out_of_range"]

#: Amounts of this size or more are refused by every reader: no amount is (the largest IATI budget is about
#: 10^11), and the store's decimals stop near 10^20 ("1e400" was stored as a 401-digit decimal that validation then
#: called negative).
AMOUNT_LIMIT = Decimal(10) ** 15


def out_of_range(amount: Decimal) -> bool:
    """Whether every reader refuses ``amount``: :data:`AMOUNT_LIMIT` or more, either way.

    >>> out_of_range(Decimal("-1e15")), out_of_range(Decimal("999999999999999.99"))
    (True, False)
    """
    return not -AMOUNT_LIMIT < amount < AMOUNT_LIMIT

_WEB_ADDRESS = re.compile(r'https?://[^\x00-\x20<>"{}|\\^`\x7f]+')


def web_address(text: str | None) -> str | None:
    """``text`` when it is an http(s) address that is also a valid IRI, else None.

    >>> web_address("https://www.redcross.lv/"), web_address("www.redcross.lv"), web_address("http://a b")
    ('https://www.redcross.lv/', None, None)
    >>> web_address("https://a.example/%zz"), web_address("https://a.example/[x]")
    (None, None)
    """
    return text if text and _WEB_ADDRESS.fullmatch(text) and is_iri(text) else None


#: A resource key: path segments under the base IRI, e.g. ``("organisation", "gb-chc", "1081769")``.
Key = tuple[str, ...]


class Text(NamedTuple):
    """A text as the source writes it, with its BCP 47 language tag (``und`` when unknown)."""

    text: str
    lang: str = "und"


class Code(NamedTuple):
    """A code of a source's own vocabulary: ``Code("iati-sector-1", "15150")``."""

    scheme: str
    code: str


class Identifier(NamedTuple):
    """An identifier with its scheme: an org-id.guide prefix (``GB-CHC``, ``XI-PIC``) or one of
    ngograph's codes for non-organisation schemes (``IATI-ACTIVITY``, ``CORDIS-PROJECT``); the
    scheme is empty when the source does not say it (a plain ``schema:identifier`` string)."""

    scheme: str
    value: str


@dataclass(slots=True)
class Money:
    """An amount. ``value`` may be negative only for budgets and transactions (the shapes say so)."""

    value: Decimal
    currency: str | None
    value_date: str | None = None
    type: Code | None = None
    status: Code | None = None
    start: str | None = None
    end: str | None = None
    location: object = None  # where the amount is written, when it has a place of its own (curated YAML)
    #: its place among the source's amounts of its kind (an IATI budget's among the activity's budgets, counting
    #: those left out), so that its IRI does not change when an earlier one is left out; else the list's order
    position: int | None = None


@dataclass(slots=True)
class Allocation:
    """The share of a project going to one country (alpha-2), region or sector (a :class:`Code`)."""

    to: Code | str
    percentage: Decimal | None


@dataclass(slots=True)
class Organisation:
    """An organisation as one source describes it. ``types`` holds what the source says it is
    (``ngo``, ``government``, ``intergovernmental``, ``network``, ``international``): never
    guessed from a name."""

    key: Key
    location: str
    names: list[Text] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    country: str | None = None
    kinds: list[Code] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    url: str | None = None
    labels: list[Text] = field(default_factory=list)
    alt_names: list[Text] = field(default_factory=list)
    part_of: Key | None = None
    member_of: list[Key] = field(default_factory=list)
    linked_to: list[Key] = field(default_factory=list)
    seat: Key | None = None
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Project:
    """A project (an IATI activity, a CORDIS grant agreement, an Interreg project).

    ``start``/``end`` are what :data:`schema:startDate`/``endDate`` get: the actual date when
    the source gives one, else the planned one; the four IATI dates are kept as well."""

    key: Key
    location: str
    names: list[Text] = field(default_factory=list)
    alt_names: list[Text] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    planned_start: str | None = None
    actual_start: str | None = None
    planned_end: str | None = None
    actual_end: str | None = None
    status: Code | None = None
    budgets: list[Money] = field(default_factory=list)
    subjects: list[Code] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    part_of: Key | None = None
    attributed_to: Key | None = None
    labels: list[Text] = field(default_factory=list)
    places: list[Key | str] = field(default_factory=list)
    audiences: list[Code] = field(default_factory=list)
    activities: list[Code] = field(default_factory=list)
    visited: list[Key | Code] = field(default_factory=list)
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Participation:
    """One organisation in one project in one role, at its ``position`` among the source's rows
    (two rows the source lists apart stay apart). ``role`` is the notation of an ngograph role."""

    key: Key
    location: str
    project: Key
    organisation: Key
    role: str
    source_role: Code | None = None
    position: int | None = None
    contribution: Money | None = None
    budget: Money | None = None
    activity: Key | None = None
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Grant:
    """Money from a funder to a project or to an organisation (core funding)."""

    key: Key
    location: str
    funder: Key
    funded: Key
    identifiers: list[Identifier] = field(default_factory=list)
    names: list[Text] = field(default_factory=list)
    amount: Money | None = None
    disbursed: Money | None = None
    award_date: str | None = None
    start: str | None = None
    end: str | None = None
    share: Decimal | None = None
    scheme: Key | None = None
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Transaction:
    """One reported money flow of a project (IATI transaction)."""

    key: Key
    location: str
    project: Key
    amount: Money
    type: Code | None = None
    date: str | None = None
    provider: Key | None = None
    receiver: Key | None = None
    provider_activity: Key | None = None
    receiver_activity: Key | None = None
    position: int | None = None


@dataclass(slots=True)
class Source:
    """A document facts are curated from (a project page): its file, language and titles."""

    key: Key
    location: object
    file: str
    language: str
    titles: list[Text] = field(default_factory=list)
    publisher: Key | None = None


@dataclass(slots=True)
class FundingScheme:
    """A funding scheme (a funder's programme of grants), possibly part of a larger one."""

    key: Key
    location: object
    names: list[Text] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    alt_names: list[Text] = field(default_factory=list)
    part_of: Key | None = None
    operator: Key | None = None
    administered_by: list[Key] = field(default_factory=list)
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Place:
    """A city or region (``kind``) in a country (alpha-2), possibly within another place."""

    key: Key
    location: object
    kind: str
    country: str
    names: list[Text] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    within: Key | None = None
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Programme:
    """A series of projects (phases) run by the same partnership."""

    key: Key
    location: object
    names: list[Text] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    alt_names: list[Text] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """A meeting, visit or conference of one or more projects. Dates may lack a year
    (``--08-15``, ``--08``) when the source prints none; ``inferred_start`` is a dated guess
    with its ``inference`` basis."""

    key: Key
    location: object
    type: Code
    of: list[Key] = field(default_factory=list)
    names: list[Text] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)
    place: Key | None = None
    start: str | None = None
    end: str | None = None
    online: bool = False
    status: str | None = None  # "scheduled" | "rescheduled"
    inferred_start: str | None = None
    inference: Code | None = None
    visited: list[Key | Code] = field(default_factory=list)
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Result:
    """What projects achieved or plan: a type, a count (``value``, or at least ``minimum``),
    where and for whom."""

    key: Key
    location: object
    type: Code
    status: Code
    planned: bool
    of: list[Key] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    value: int | None = None
    minimum: int | None = None
    places: list[Key | str] = field(default_factory=list)
    audiences: list[Code] = field(default_factory=list)
    sources: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Concept:
    """A concept of one of our own schemes, with its labels; ``scheme_labels`` label its scheme."""

    code: Code
    location: object
    labels: list[Text] = field(default_factory=list)
    scheme_labels: list[Text] = field(default_factory=list)
    audience: bool = False  # a target group: also a schema:Audience


@dataclass(slots=True)
class CountryGroup:
    """A named group of countries (Nordic, Baltic, ...): a SKOS collection of country concepts."""

    code: Code
    location: object
    labels: list[Text] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


Record = (Organisation | Project | Participation | Grant | Transaction | Source | FundingScheme | Place | Programme
          | Event | Result | Concept | CountryGroup)
