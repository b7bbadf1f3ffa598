"""Read IATI activity XML 2.0x files into plain records, one per ``iati-activity``.

The reader mirrors the source: each :class:`Activity` holds the fields of one ``iati-activity``
(attribute and element names in snake_case), each part of it (participating-org, budget,
transaction ...) with its own location ``"file:line"`` (the line of its start tag). It maps
nothing onto the ngograph model: no IRIs, no triples, only the codes IATI itself defines,
with the 1.x spellings read into their 2.0x codes (``FUNDING`` -> ``"1"``, transaction ``D`` -> ``"3"``).

Use::

    problems = []
    for activity in read_iati(["bulk/"], problems):
        ...
    # problems: [("bulk/dportal_140.xml.gz:1", "not XML: not well-formed (invalid token) at column 0;
    #              the file is skipped"), ...]

Without a ``problems`` list the problems are gathered and raised as one
:class:`~ngograph.errors.SourceError` after the last activity has been yielded. A damaged file
raises :class:`~ngograph.errors.DamagedFile` where the damage shows, with or without a list.

Input
    ``.xml`` and ``.xml.gz`` files (gzip recognised by its magic number), and folders of them
    (their ``*.xml`` and ``*.xml.gz`` files, not sub-folders, in sorted order).

Safety and memory
    XML is parsed by defusedxml's expat SAX driver with DTDs, entity declarations and external
    references forbidden: a file with a ``<!DOCTYPE`` is refused at that line before anything in
    it is expanded (billion laughs, XXE). The file is fed in chunks of up to 64 KiB (``read1``: the
    data of a gzip stream cut short are fed before its error, so a damage's line is where the data end;
    ``read`` lost the last chunk with the error and was slower). Each direct child of
    the current activity (a transaction, a participating-org ...) is built as a small tree, turned
    into its record when it ends and dropped, so memory is bounded by the records of the largest
    activity, never by the file size. Children the records do not need are skipped unbuilt:
    ``contact-info`` (personal data), ``result``, ``location``, ``document-link`` ...

What refuses the whole run (:class:`~ngograph.errors.DamagedFile`, one ``file:line``)
    - a damaged file: a corrupt or truncated gzip stream, XML that ends early (the file ends inside
      a tag, an element or before the root element is closed: expat's error at the end of the
      input), or XML that is not well-formed after the root element's start tag. Such a file is
      part of an activity file, never all of it: importing the activities before the damage would
      drop the rest unsaid. The activities of the chunks before it have been yielded.

What becomes a problem (``(location, message)``; the rest of the run goes on)
    - a file of another kind: not XML at all (the first markup is not an element; ``dportal_140.xml.gz``
      holds JSON), empty, or with a DTD / entity / external reference, or one that cannot be opened:
      one problem for the file, nothing read from it;
    - a legacy IATI 1.x file (root ``@version`` below 2, or no 2.0x version anywhere and a first
      activity without an ``iati-identifier``): one problem for the file, nothing read from it;
    - an activity without an ``iati-identifier``: skipped;
    - inside an activity, an element whose date or number cannot be read (a transaction date that
      is not a date, a value that is not a number, a percentage ``"abc"``), or that lacks what it
      is for (an activity-date without ``@iso-date`` or of an unknown type, a transaction without
      a date, a transaction or budget without a value, a country, region or sector without a
      code): that element skipped, the activity kept;
    - a code IATI does not define where the reader normalises codes (role ``donor``, transaction
      type ``X``, organisation type ``N/A``): the element kept with the code ``None`` and the text
      as written in the ``*_raw`` field; a transaction without any transaction-type likewise;
    - a second ``reporting-org``: skipped, the first kept;
    - a value without ``@currency`` in an activity without ``@default-currency``: kept, currency ``None``.

Text is kept as written (mojibake included); narrative texts are trimmed at the ends and empty
narratives dropped. Dates are the ISO text as written, checked to be real calendar dates
(``YYYY-MM-DD``, optionally with a time and zone). Numbers are :class:`~decimal.Decimal`, so
``"33.30"`` stays ``33.30``. Other codes (sector, country, budget type, description type ...) are
the strings as written. d-portal's per-activity version is read from the attribute
``iati-activities:version`` (the parser does not resolve namespaces; d-portal always writes that
prefix). Identifiers are not checked for uniqueness across files: that is the records stage's work.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from ngograph.errors import DamagedFile, SourceError
from ngograph.records.types import out_of_range
from ngograph.resources import package_file

__all__ = ["Narrative", "OrgRef", "ParticipatingOrg", "Description", "ActivityDate", "RecipientCountry",
           "RecipientRegion", "Sector", "Budget", "Transaction", "Activity", "RefClass", "read_iati",
           "iati_files", "classify_ref", "registration_agencies", "ROLE_CODES", "TRANSACTION_TYPE_CODES",
           "ACTIVITY_DATE_TYPE_CODES", "ORGANISATION_TYPE_CODES", "SECTOR_VOCABULARY_1X"]

#: Bytes read from a file per parser feed.
CHUNK = 1 << 16

# --- codes: IATI 2.03 codelists, with the 1.0x spellings that still occur in 2.0x files -----------

#: OrganisationRole: 2.0x codes and the 1.0x names (any case).
ROLE_CODES = {"1": "1", "2": "2", "3": "3", "4": "4",
              "funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}

#: TransactionType: 2.0x codes 1-13 and the 1.0x letters (C commitment -> 2 ... CG credit guarantee -> 10).
TRANSACTION_TYPE_CODES = {**{str(n): str(n) for n in range(1, 14)},
                          "IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                          "QP": "8", "QS": "9", "CG": "10"}

#: ActivityDateType: 2.0x codes and the 1.0x names (any case: ``START-ACTUAL`` occurs).
ACTIVITY_DATE_TYPE_CODES = {"1": "1", "2": "2", "3": "3", "4": "4",
                            "start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}

#: OrganisationType: codes and their names (any case: ``Multilateral`` occurs as a type).
ORGANISATION_TYPE_CODES = {
    **{c: c for c in ("10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73",
                      "80", "90")},
    "government": "10", "local government": "11", "other public sector": "15", "international ngo": "21",
    "national ngo": "22", "regional ngo": "23", "partner country based ngo": "24",
    "public private partnership": "30", "multilateral": "40", "foundation": "60", "private sector": "70",
    "private sector in provider country": "71", "private sector in aid recipient country": "72",
    "private sector in third country": "73", "academic, training and research": "80", "other": "90",
}

#: SectorVocabulary 1.0x names -> 2.0x codes (``DAC`` 5-digit purpose codes, ``DAC-3`` 3-digit).
SECTOR_VOCABULARY_1X = {"DAC": "1", "DAC-3": "2"}

# Children of iati-activity that are read; every other subtree is skipped unbuilt (contact-info above all).
_KEPT = frozenset({"iati-identifier", "reporting-org", "title", "description", "activity-status",
                   "activity-date", "participating-org", "recipient-country", "recipient-region", "sector",
                   "budget", "transaction"})
_XML_LANG = "xml:lang"
_DPORTAL_VERSION = "iati-activities:version"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
                   r"(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?")
_VERSION = re.compile(r"\s*([0-9]+)(?:\.|\s*$)")


# --- records ---------------------------------------------------------------------------------------

class Narrative(NamedTuple):
    """One ``narrative``: its text (trimmed) and language (its ``@xml:lang``, else the activity's;
    lower-cased; ``None`` when neither is given)."""

    text: str
    lang: str | None


@dataclass(slots=True)
class OrgRef:
    """An organisation as ``reporting-org``, ``provider-org`` or ``receiver-org`` gives it.

    ``ref`` is ``@ref`` exactly as written (``None`` if absent; see :func:`classify_ref`);
    ``type`` the OrganisationType code (``type_raw`` as written); ``activity_id`` is
    ``@provider-activity-id`` / ``@receiver-activity-id`` (``None`` for the reporting-org).
    """

    location: str
    ref: str | None
    type: str | None
    type_raw: str | None
    activity_id: str | None
    narratives: list[Narrative]


@dataclass(slots=True)
class ParticipatingOrg:
    """One ``participating-org``; ``position`` is its 1-based place among them in the activity."""

    location: str
    position: int
    role: str | None
    role_raw: str | None
    type: str | None
    type_raw: str | None
    ref: str | None
    activity_id: str | None
    crs_channel_code: str | None
    narratives: list[Narrative]


@dataclass(slots=True)
class Description:
    """One ``description`` with its ``@type`` as written (1 general, 2 objectives, 3 target groups, 4 other)."""

    location: str
    type: str | None
    narratives: list[Narrative]


@dataclass(slots=True)
class ActivityDate:
    """One ``activity-date``: ``type`` 1-4 (planned start, actual start, planned end, actual end)."""

    location: str
    type: str
    type_raw: str
    iso_date: str


@dataclass(slots=True)
class RecipientCountry:
    location: str
    code: str
    percentage: Decimal | None


@dataclass(slots=True)
class RecipientRegion:
    """``vocabulary`` is ``@vocabulary``, ``"1"`` (OECD DAC) when absent."""

    location: str
    code: str
    vocabulary: str
    percentage: Decimal | None


@dataclass(slots=True)
class Sector:
    """``vocabulary`` is ``@vocabulary`` (``"1"`` when absent; 1.x ``DAC`` -> 1, ``DAC-3`` -> 2),
    ``vocabulary_raw`` as written."""

    location: str
    code: str
    vocabulary: str
    vocabulary_raw: str | None
    percentage: Decimal | None


@dataclass(slots=True)
class Budget:
    """One ``budget``; ``currency`` is ``value/@currency``, else the activity's default currency."""

    location: str
    position: int
    type: str | None
    status: str | None
    period_start: str | None
    period_end: str | None
    value: Decimal
    currency: str | None
    value_date: str | None


@dataclass(slots=True)
class Transaction:
    """One ``transaction``; ``type`` is the TransactionType code 1-13 (``type_raw`` as written, from
    ``transaction-type/@code`` or, failing that, its text); ``currency`` is ``value/@currency``,
    else the activity's default currency (``currency_is_default`` then true)."""

    location: str
    position: int
    type: str | None
    type_raw: str | None
    date: str
    value: Decimal
    currency: str | None
    currency_is_default: bool
    value_date: str | None
    provider_org: OrgRef | None
    receiver_org: OrgRef | None


@dataclass(slots=True)
class Activity:
    """One ``iati-activity``.

    ``iati_identifier`` is the identifier as written, trimmed at the ends only. ``version`` is the
    IATI version of the activity (its own ``@version`` or d-portal's ``iati-activities:version``,
    else the file's). ``xml_lang`` is the default language of its narratives (lower-cased).
    ``last_updated`` is ``@last-updated-datetime`` as written. Lists keep document order.
    """

    location: str
    iati_identifier: str
    version: str | None
    default_currency: str | None
    xml_lang: str | None
    last_updated: str | None
    hierarchy: str | None
    humanitarian: str | None
    reporting_org: OrgRef | None
    title: list[Narrative]
    descriptions: list[Description]
    activity_status: str | None
    activity_dates: list[ActivityDate]
    participating_orgs: list[ParticipatingOrg]
    recipient_countries: list[RecipientCountry]
    recipient_regions: list[RecipientRegion]
    sectors: list[Sector]
    budgets: list[Budget]
    transactions: list[Transaction]


# --- parsing: a small tree per activity --------------------------------------------------------------

@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict  # expat's attributes, name -> value
    line: int
    children: list = field(default_factory=list)
    parts: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def first(self, tag: str) -> _Node | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None


class _Refused(Exception):
    """The file is not read further (not IATI 2.0x); the message says why, ``line`` where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _Handler(ContentHandler):
    """Builds each direct child of an ``iati-activity`` as a small :class:`_Node` tree and hands it to
    the :class:`_Converter` as soon as it ends, so an activity is never held as a tree; finished
    activity records wait in :attr:`done`."""

    def __init__(self, converter: _Converter):
        super().__init__()
        self.convert = converter
        self.root: _Node | None = None
        self.activity: _Node | None = None
        self.stack: list[_Node] = []
        self.skip = 0
        self.done: list[Activity] = []
        self.expat = None  # the expat parser, once :class:`_Parser` has made it

    def line(self) -> int:
        """The line expat has reached (where the element being handled starts; 1 before any is read)."""
        return self.expat.CurrentLineNumber if self.expat is not None else 1

    def startElement(self, name, attrs):  # noqa: N802
        if self.skip:
            self.skip += 1
        elif self.stack:
            node = _Node(name, attrs, self.line())
            self.stack[-1].children.append(node)
            self.stack.append(node)
        elif self.activity is not None:
            if name in _KEPT:
                self.stack.append(_Node(name, attrs, self.line()))
            else:
                self.skip = 1
        elif name == "iati-activity":
            self.activity = _Node(name, attrs, self.line())
            self.root = self.root or self.activity  # a file of one bare activity has no iati-activities
            self.convert.begin(self.activity, self.root)
        elif self.root is None:
            self.root = _Node(name, attrs, self.line())
            if name != "iati-activities":
                raise _Refused(f"not an IATI activity file: the root element is <{name}>, not <iati-activities>")
            if _major(attrs.get("version")) == 1:
                raise _Refused(f"IATI 1.x is not imported (version {attrs.get('version')!r}): file skipped")
        else:
            self.skip = 1

    def endElement(self, name):  # noqa: N802
        if self.skip:
            self.skip -= 1
        elif self.stack:
            node = self.stack.pop()
            if not self.stack:
                self.convert.child(node)
        elif self.activity is not None:
            self.activity = None
            activity = self.convert.end()
            if activity is not None:
                self.done.append(activity)

    def characters(self, content):
        if self.stack and not self.skip:
            self.stack[-1].parts.append(content)


class _Parser(DefusedExpatParser):
    """defusedxml's expat SAX driver (its refusals of DTDs, entities and external references kept), with
    text handed over in whole runs (not line by line) and the elements' starts and ends bound straight to
    the handler: SAX's wrappers (an ``AttributesImpl`` per element, a locator) took a tenth of an IATI
    import (3.8 of 41 s)."""

    def reset(self):
        super().reset()
        expat, handler = self._parser, self._cont_handler
        expat.buffer_text = True
        expat.StartElementHandler = handler.startElement  # (name, attributes as a dict)
        expat.EndElementHandler = handler.endElement
        handler.expat = expat


def _major(version: str | None) -> int | None:
    match = _VERSION.match(version or "")
    return int(match.group(1)) if match else None


# --- files ---------------------------------------------------------------------------------------------

def iati_files(paths: Iterable[str | Path], problems: list[tuple[str, str]]) -> Iterator[Path]:
    """The files to read: each path given, and the ``*.xml`` / ``*.xml.gz`` files of each folder given
    (sorted by name). A path that does not exist is a problem."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.iterdir()
                              if p.is_file() and p.name.lower().endswith((".xml", ".xml.gz")))
        elif path.exists():
            yield path
        else:
            problems.append((str(path), "no such file or folder"))


def read_iati(paths: Iterable[str | Path], problems: list[tuple[str, str]] | None = None) -> Iterator[Activity]:
    """Yield one :class:`Activity` per ``iati-activity`` of the files and folders in ``paths``.

    Parameters
    ----------
    paths : iterable of str or Path
        ``.xml`` / ``.xml.gz`` files and folders of them, read in the order given (folders sorted).
    problems : list, optional
        Receives one ``(location, message)`` pair per problem, as it is found (see the module
        docstring for what becomes a problem). If omitted, the problems are raised as one
        :class:`~ngograph.errors.SourceError` after the last activity.

    Yields
    ------
    Activity
        In file order, then document order.

    Examples
    --------
    >>> from ngograph.config import PROJECT_ROOT
    >>> folder = PROJECT_ROOT / "tests" / "fixtures" / "sources" / "iati"
    >>> found = []
    >>> [a.iati_identifier for a in read_iati([folder / "globalgiving_no_currency.xml"], found)]
    ['US-EIN-300108263-GGProj:19061', 'US-EIN-300108263-GGProj:20536']
    >>> found
    []
    """
    sink: list[tuple[str, str]] = [] if problems is None else problems
    for path in iati_files(paths, sink):
        yield from _read_file(path, sink)
    if problems is None and sink:
        raise SourceError(sink)


def _read_file(path: Path, problems: list[tuple[str, str]]) -> Iterator[Activity]:
    name = str(path)
    handler = _Handler(_Converter(name, problems))
    parser = _Parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    read = 0
    stopped: tuple[str, str] | None = None  # (location, why reading stopped)
    ended = False  # the whole file has been fed: an XML error now is the document ending early
    try:
        with open(path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if raw.peek(2)[:2] == b"\x1f\x8b" else raw
            while chunk := stream.read1(CHUNK):
                parser.feed(chunk)
                read += len(handler.done)
                yield from _take(handler)
            ended = True
            parser.close()
        if handler.root is None:
            stopped = (name, "empty: no XML in the file")
    except _Refused as exc:
        stopped = (f"{name}:{exc.line or handler.line()}", str(exc))
    except SAXParseException as exc:
        where, why = f"{name}:{exc.getLineNumber()}", f"{exc.getMessage()} at column {exc.getColumnNumber()}"
        if ended:  # cut off: an element, a tag or the document left open at the end of the file
            raise DamagedFile(where, f"the XML ends early ({why})") from None
        if handler.root is not None:  # broken after the root element started: the rest would be lost unsaid
            raise DamagedFile(where, f"not well-formed XML ({why}) after the document's start") from None
        stopped = (where, f"not XML: {why}; the file is skipped")  # not XML at all (JSON, say): another kind of file
    except DefusedXmlException as exc:
        stopped = (f"{name}:{handler.line()}", f"refused: {_defused_reason(exc)}; DTDs, entities and external "
                                                f"references are never read (XML safety)")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # EOFError: the gzip stream ends early
        raise DamagedFile(f"{name}:{handler.line()}", f"corrupt gzip data ({exc})") from None
    except OSError as exc:
        stopped = (name, f"cannot be read: {exc.strerror or exc}")
    pending = _take(handler)  # activities that ended in the chunk where reading stopped
    if stopped:
        read += len(pending)
        problems.append((stopped[0], stopped[1] + (f"; the {read} activities before it were read" if read else "")))
    yield from pending


def _take(handler: _Handler) -> list[Activity]:
    done, handler.done = handler.done, []
    return done


def _defused_reason(exc: DefusedXmlException) -> str:
    kind = type(exc).__name__
    return {"DTDForbidden": "the file has a DTD (<!DOCTYPE ...>)",
            "EntitiesForbidden": f"the file declares an entity ({getattr(exc, 'name', '?')})",
            "ExternalReferenceForbidden": "the file refers to an external resource"}.get(kind, kind)


# --- converting one activity tree to records ----------------------------------------------------------

class _Skip(Exception):
    """The element being read cannot be used; the message says why."""


class _Converter:
    """Turns activity trees of one file into :class:`Activity` records, reporting per element."""

    def __init__(self, name: str, problems: list[tuple[str, str]]):
        self.name = name
        self.problems = problems
        self.first = True
        self.kept: list[tuple[str, str]] | None = None

    def where(self, node: _Node) -> str:
        return f"{self.name}:{node.line}"

    def problem(self, node: _Node, message: str) -> None:
        (self.problems if self.kept is None else self.kept).append((self.where(node), message))

    def begin(self, node: _Node, root: _Node | None) -> None:
        """Start an activity from its start tag; its children come through :meth:`child`."""
        attrs = node.attrs
        file_version = root.attrs.get("version") if root is not None else None
        lang = attrs.get(_XML_LANG)
        self.node = node
        self.lang = lang.strip().lower() or None if lang else None
        self.currency = attrs.get("default-currency") or None
        self.counts = Counter()
        self.kept = []  # problems of this activity, reported when it ends
        self.current = Activity(
            location=self.where(node), iati_identifier="",
            version=attrs.get("version") or attrs.get(_DPORTAL_VERSION) or file_version or None,
            default_currency=self.currency, xml_lang=self.lang,
            last_updated=attrs.get("last-updated-datetime"), hierarchy=attrs.get("hierarchy"),
            humanitarian=attrs.get("humanitarian"), reporting_org=None, title=[], descriptions=[],
            activity_status=None, activity_dates=[], participating_orgs=[], recipient_countries=[],
            recipient_regions=[], sectors=[], budgets=[], transactions=[])

    def end(self) -> Activity | None:
        """The finished activity, or ``None`` if it is skipped (with a problem)."""
        out, node, kept = self.current, self.node, self.kept
        self.current = self.node = self.kept = None
        if self.first:
            self.first = False
            if _major(out.version) is None and not out.iati_identifier:
                raise _Refused("IATI 1.x is not imported (no version 2.0x and no iati-identifier): file skipped",
                               node.line)
        if _major(out.version) == 1:
            self.problem(node, f"IATI 1.x activity (version {out.version!r}) is not imported: skipped")
        elif not out.iati_identifier:
            self.problem(node, "iati-activity without an iati-identifier: skipped")
        else:
            self.problems.extend(kept)
            return out
        return None

    def child(self, node: _Node) -> None:
        """Read one direct child of the current activity into it."""
        out, tag, lang = self.current, node.tag, self.lang
        position = self.counts[tag] = self.counts[tag] + 1
        try:
            if tag == "participating-org":
                out.participating_orgs.append(self.participating_org(node, position, lang))
            elif tag == "transaction":
                out.transactions.append(self.transaction(node, position, lang, self.currency))
            elif tag == "budget":
                out.budgets.append(self.budget(node, position, self.currency))
            elif tag == "title":
                out.title.extend(_narratives(node, lang))
            elif tag == "description":
                out.descriptions.append(Description(self.where(node), node.attrs.get("type"),
                                                    _narratives(node, lang)))
            elif tag == "activity-date":
                out.activity_dates.append(self.activity_date(node))
            elif tag == "sector":
                out.sectors.append(self.sector(node))
            elif tag == "recipient-country":
                out.recipient_countries.append(RecipientCountry(
                    self.where(node), self.code(node, "recipient-country"),
                    _number(node.attrs.get("percentage"), "percentage")))
            elif tag == "recipient-region":
                out.recipient_regions.append(RecipientRegion(
                    self.where(node), self.code(node, "recipient-region"), node.attrs.get("vocabulary") or "1",
                    _number(node.attrs.get("percentage"), "percentage")))
            elif tag == "activity-status":
                out.activity_status = node.attrs.get("code")
            elif tag == "iati-identifier":
                out.iati_identifier = out.iati_identifier or node.text
            elif tag == "reporting-org":
                if out.reporting_org is None:
                    out.reporting_org = self.org(node, None, lang, "reporting-org")
                else:
                    self.problem(node, "a second reporting-org: skipped (the first is kept)")
        except _Skip as exc:
            self.problem(node, f"{tag} skipped: {exc}")

    # elements

    def participating_org(self, node: _Node, position: int, lang: str | None) -> ParticipatingOrg:
        attrs = node.attrs
        role_raw = attrs.get("role")
        role = self.lookup(node, ROLE_CODES, role_raw, "participating-org role", "OrganisationRole", True)
        type_raw = attrs.get("type")
        kind = self.lookup(node, ORGANISATION_TYPE_CODES, type_raw, "participating-org type", "OrganisationType", True)
        return ParticipatingOrg(self.where(node), position, role, role_raw, kind, type_raw, attrs.get("ref"),
                                attrs.get("activity-id"), attrs.get("crs-channel-code"), _narratives(node, lang))

    def org(self, node: _Node, activity_id_attr: str | None, lang: str | None, what: str) -> OrgRef:
        attrs = node.attrs
        type_raw = attrs.get("type")
        kind = self.lookup(node, ORGANISATION_TYPE_CODES, type_raw, f"{what} type", "OrganisationType", True)
        return OrgRef(self.where(node), attrs.get("ref"), kind, type_raw,
                      attrs.get(activity_id_attr) if activity_id_attr else None, _narratives(node, lang))

    def activity_date(self, node: _Node) -> ActivityDate:
        type_raw = node.attrs.get("type")
        kind = ACTIVITY_DATE_TYPE_CODES.get((type_raw or "").strip().lower())
        if kind is None:
            raise _Skip(f"type {type_raw!r} is not an ActivityDateType code")
        iso = _date(node, "iso-date", "iso-date")
        if iso is None:
            raise _Skip("no @iso-date")
        return ActivityDate(self.where(node), kind, type_raw, iso)

    def sector(self, node: _Node) -> Sector:
        attrs = node.attrs
        raw = attrs.get("vocabulary")
        vocabulary = SECTOR_VOCABULARY_1X.get(raw, raw) if raw else "1"
        return Sector(self.where(node), self.code(node, "sector"), vocabulary, raw,
                      _number(attrs.get("percentage"), "percentage"))

    def budget(self, node: _Node, position: int, default_currency: str | None) -> Budget:
        start, end = node.first("period-start"), node.first("period-end")
        value, currency, _, value_date = self.value(node.first("value"), default_currency)
        return Budget(self.where(node), position, node.attrs.get("type"), node.attrs.get("status"),
                      _date(start, "iso-date", "period-start/@iso-date"),
                      _date(end, "iso-date", "period-end/@iso-date"), value, currency, value_date)

    def transaction(self, node: _Node, position: int, lang: str | None, default_currency: str | None) -> Transaction:
        type_node, date_node = node.first("transaction-type"), node.first("transaction-date")
        type_raw = None
        if type_node is not None:
            type_raw = type_node.attrs.get("code") or type_node.text or None
        kind = self.lookup(node, TRANSACTION_TYPE_CODES, type_raw, "transaction type", "TransactionType", False)
        if type_raw is None:
            self.problem(node, "transaction without transaction-type: kept, type left empty")
        when = _date(date_node, "iso-date", "transaction-date/@iso-date")
        if when is None:
            raise _Skip("no transaction-date/@iso-date")
        value, currency, is_default, value_date = self.value(node.first("value"), default_currency)
        provider, receiver = node.first("provider-org"), node.first("receiver-org")
        return Transaction(
            self.where(node), position, kind, type_raw, when, value, currency, is_default, value_date,
            self.org(provider, "provider-activity-id", lang, "provider-org") if provider is not None else None,
            self.org(receiver, "receiver-activity-id", lang, "receiver-org") if receiver is not None else None)

    # values

    def value(self, node: _Node | None, default_currency: str | None):
        """``(value, currency, currency_is_default, value_date)`` of a ``value`` element."""
        if node is None:
            raise _Skip("no value")
        text = node.text
        if not text:
            raise _Skip("empty value")
        amount = _number(text, "value")
        currency = node.attrs.get("currency") or None
        is_default = currency is None and default_currency is not None
        if currency is None:
            currency = default_currency
            if currency is None:
                self.problem(node, "value without @currency in an activity without @default-currency: "
                                   "currency unknown")
        return amount, currency, is_default, _date(node, "value-date", "@value-date")

    def code(self, node: _Node, what: str) -> str:
        code = (node.attrs.get("code") or "").strip()
        if not code:
            raise _Skip(f"{what} without @code")
        return code

    def lookup(self, node: _Node, table: dict[str, str], raw: str | None, what: str, codelist: str,
               fold: bool) -> str | None:
        """The code ``raw`` stands for in ``table`` (case-folded if ``fold``): ``None`` if absent or blank,
        ``None`` and a problem if unknown."""
        if raw is None or not raw.strip():
            return None
        key = raw.strip()
        code = table.get(key) or table.get(key.lower() if fold else key.upper())
        if code is None:
            self.problem(node, f"{what} {raw!r} is not an IATI {codelist} code: kept as written, code left empty")
        return code


def _number(text: str | None, what: str) -> Decimal | None:
    """``text`` as a Decimal (``None`` if absent); anything but plain decimal digits skips the element."""
    if text is None:
        return None
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise _Skip(f"{what} {text!r} is not a number")
    if out_of_range(value := Decimal(text)):  # as the tables' (a 401-digit value got in)
        raise _Skip(f"{what} {text!r} is out of range (10^15 or more)")
    return value


def _date(node: _Node | None, attr: str, what: str) -> str | None:
    """The ISO date in ``node``'s ``attr`` as written (``None`` if absent or blank); one that is not a
    calendar date skips the element."""
    text = node.attrs.get(attr) if node is not None else None
    if text is None or not text.strip():
        return None
    text = text.strip()
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise _Skip(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None
    return text


def _narratives(node: _Node, lang: str | None) -> list[Narrative]:
    out = []
    for child in node.children:
        if child.tag == "narrative":
            text = child.text
            if text:
                own = child.attrs.get(_XML_LANG)
                out.append(Narrative(text, own.strip().lower() or lang if own else lang))
    return out


# --- organisation refs ------------------------------------------------------------------------------------

class RefClass(NamedTuple):
    """What a participating-org (or provider/receiver) ``@ref`` is, from :func:`classify_ref`.

    ``kind`` is one of

    - ``"registry"``: an org-id with a prefix of the OrganisationRegistrationAgency codelist
      (active or withdrawn); ``scheme`` the prefix (``"GB-CHC"``), ``value`` the rest (``"1081769"``);
    - ``"other"``: a stable ref without a registry prefix (``SE-0``, ``DAC-1601``, ``41AAA``,
      ``US-GOV-1``, ``46004``); ``value`` the ref;
    - ``"dac-category"``: an OECD DAC channel category ``\\d\\d000`` (``22000`` "donor-country NGO"),
      which names a kind of organisation, not one;
    - ``"placeholder"``: ``N/A``, ``No Identifier``, ``Not available``, ``#``, ``;``, ``Excluded``,
      ``-``, ``DUMMY*``, ``XX-...``, ``...-n/a``, ``...Exempt...``;
    - ``"pasted-label"``: a codelist label pasted in (``DK-CVR-DK-CVR | Danish Central Busine``);
      ``scheme`` the prefix, ``value`` ``None``;
    - ``"type-label"``: an OrganisationType label (``70-Private Sector``);
    - ``"name"``: text with spaces inside (``Danish Refugee Council``): a name, not an identifier;
    - ``"empty"``: no ref, or only whitespace.

    ``repaired_note`` says what was repaired to get ``value``: surrounding whitespace removed, a
    doubled prefix (``GB-CHC-GB-CHC-1081769``) undone; ``None`` when the ref was used as written.
    """

    kind: str
    scheme: str | None
    value: str | None
    repaired_note: str | None


_PLACEHOLDER = re.compile(r"n/?a|none|null|dummy.*|unknown|not applicable|not available|no identifier|excluded"
                          r"|[-#;.0 ]+|xx-.*|.*-n/?a|.*exempt.*", re.I)
#: OECD DAC channel codes that name a kind of organisation, not one: the headings (``21000`` international
#: NGO), the public sector's parts (``11001`` central government in the donor country ... ``12004`` other
#: public entities in the recipient country) and the private sector's institutional sectors (``61009`` other
#: non-financial corporations, ``62003`` investment funds). The IATI bulk gives ``11001`` to Swedish agencies and
#: Italian embassy offices alike. A code of one body (``41114`` UNDP, ``21016`` ICRC) identifies it.
_DAC_CATEGORY = re.compile(r"[0-9]{2}000|1[12]00[1-4]|6[0-3]0[0-9]{2}")
_TYPE_LABEL = re.compile(r"[0-9]{2}-[A-Z][a-z].*")
_PREFIX = re.compile(r"([A-Za-z]{2}-[A-Za-z0-9]+)-(.+)")
_WHITESPACE = re.compile(r"\s")


@cache
def registration_agencies() -> dict[str, str]:
    """The OrganisationRegistrationAgency codes (``GB-CHC`` ...) and their status (active / withdrawn),
    from the codelist file committed beside this module (its header names the source commit).

    >>> registration_agencies()["XI-BRIDGE"]
    'withdrawn'
    """
    text = package_file(__package__, "iati_org_registration_agency.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {code: status for code, status, _name in rows[1:]}


def classify_ref(ref: str | None) -> RefClass:
    """Say what an organisation ``@ref`` is and which identifier it gives, if any.

    >>> classify_ref("GB-CHC-GB-CHC-1081769")
    RefClass(kind='registry', scheme='GB-CHC', value='1081769', repaired_note="doubled prefix 'GB-CHC-' removed")
    >>> classify_ref("XM-DAC-3-1")
    RefClass(kind='registry', scheme='XM-DAC', value='3-1', repaired_note=None)
    >>> classify_ref("22000").kind, classify_ref("N/A").kind, classify_ref("SE-0").kind, classify_ref("XI-BRIDGE-null").kind
    ('dac-category', 'placeholder', 'other', 'placeholder')
    >>> [classify_ref(code).kind for code in ("11001", "12004", "61009", "62003", "41114", "12711")]
    ['dac-category', 'dac-category', 'dac-category', 'dac-category', 'other', 'other']
    """
    if ref is None or not ref.strip():
        return RefClass("empty", None, None, None)
    text = ref.strip()
    note = "surrounding whitespace removed" if text != ref else None
    if "|" in text:
        match = _PREFIX.fullmatch(text)
        scheme = match.group(1).upper() if match and match.group(1).upper() in registration_agencies() else None
        return RefClass("pasted-label", scheme, None, None)
    if _PLACEHOLDER.fullmatch(text):
        return RefClass("placeholder", None, text, note)
    if _DAC_CATEGORY.fullmatch(text):
        return RefClass("dac-category", None, text, note)
    if _TYPE_LABEL.fullmatch(text):
        return RefClass("type-label", None, text, note)
    if _WHITESPACE.search(text):
        return RefClass("name", None, text, note)
    match = _PREFIX.fullmatch(text)
    if match and match.group(1).upper() in registration_agencies():
        scheme, value = match.group(1).upper(), match.group(2)
        doubled = scheme + "-"
        if value.upper().startswith(doubled) and len(value) > len(doubled):
            value = value[len(doubled):]
            note = "; ".join(filter(None, [note, f"doubled prefix {doubled!r} removed"]))
        if _PLACEHOLDER.fullmatch(value):  # a registry's prefix and no number: the IATI bulk's 234 XI-BRIDGE-null
            return RefClass("placeholder", None, text, note)  # implementers, each another GlobalGiving project's
        return RefClass("registry", scheme, value, note)
    return RefClass("other", None, text, note)
