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

__all__ = ["Key", "Text", "Code", "Identifier", "Money", "Allocation", "Organisation", "Project",
           "Participation", "Grant", "Transaction", "Programme", "Record", "web_address"]

_WEB_ADDRESS = re.compile(r'https?://[^\x00-\x20<>"{}|\\^`\x7f]+')


def web_address(text: str | None) -> str | None:
    """``text`` when it is an http(s) address that is also a valid IRI, else None.

    >>> web_address("https://www.redcross.lv/"), web_address("www.redcross.lv"), web_address("http://a b")
    ('https://www.redcross.lv/', None, None)
    """
    return text if text and _WEB_ADDRESS.fullmatch(text) else None


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
    ngograph's codes for non-organisation schemes (``IATI-ACTIVITY``, ``CORDIS-PROJECT``)."""

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
    alt_names: list[Text] = field(default_factory=list)


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
class Programme:
    """A series of projects (phases) run under one name by the same partnership; ``parts`` are
    the keys of its phases (each phase's :attr:`Project.part_of` is the programme's key)."""

    key: Key
    location: str
    names: list[Text] = field(default_factory=list)
    parts: list[Key] = field(default_factory=list)


Record = Organisation | Project | Participation | Grant | Transaction | Programme
