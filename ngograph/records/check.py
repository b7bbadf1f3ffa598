"""Stage 1, records: read the curated YAML in ``data/`` and check every record.

The data folder holds

- ``sources.yaml``: the documents facts are curated from;
- ``organisations.yaml``: organisations and funding schemes;
- ``places.yaml``: cities and regions;
- ``concepts.yaml``: SKOS schemes (event types, target groups, themes, activities, result types);
- ``projects/*.yaml`` (or ``.yml``): one file per source document, with its programmes, projects,
  events and results;
- ``vocab/*.ttl``: reference vocabularies in Turtle (participation roles, countries, ...).

:func:`load_records` returns a :class:`Records` with every value checked and normalised
(dates as :class:`PartialDate`, amounts as :class:`~decimal.Decimal`) and every reference
resolved, or raises :class:`~ngograph.errors.DataError` listing all problems, each with
its ``file:line``. Numbers are read in base 10 (``amount: 0444550`` is 444550, ``0x6C886`` is
refused) and text fields keep what is written (``identifier: 0123456`` stays ``"0123456"``); see
:mod:`ngograph.sources.yamlio`. A YAML file under ``data/`` that none of the above claims is refused, not
skipped. Range rules (amount >= 0, end not before start) are the SHACL shapes'
business, so that they are reported the same way for every source of data.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pycountry
from rdflib import Graph

from ngograph.errors import DataError, Location
from ngograph.rdf.namespaces import SKOS, VOCAB
from ngograph.records.personal import personal_data
from ngograph.resources import vocab_dir
from ngograph.sources.yamlio import Items, Node, describe, file_problem, load_yaml, number_fix, written
from ngograph.textclip import LONE_SURROGATE, shown_path

__all__ = ["PartialDate", "Records", "load_records", "parse_date", "canonical_problems", "SPECS"]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
URL_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date at the precision the source gives: a year, a month or a day.

    >>> parse_date("2018-08")
    PartialDate(text='2018-08', precision='month')
    >>> parse_date(2021).precision
    'year'
    >>> parse_date("2019-02-30")
    Traceback (most recent call last):
    ...
    ValueError: impossible date '2019-02-30': day is out of range for month
    >>> parse_date("--08-15", yearless=True)
    PartialDate(text='--08-15', precision='month-day')
    """

    text: str
    precision: str  # "year" | "month" | "day"; without a year: "month-day" | "month-only"


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEARLESS_RE = re.compile(r"^--(\d{2})(?:-(\d{2}))?$")


def parse_date(value, *, yearless: bool = False) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a bare year may be a YAML integer); with
    ``yearless``, also a day and month or a month the source prints without a year (``--MM-DD``, ``--MM``)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if yearless and isinstance(text, str) and (m := _YEARLESS_RE.match(text)):
        month, day = m.groups()
        try:
            _dt.date(2000, int(month), int(day or 1))  # a leap year: --02-29 is a printable date
        except ValueError as exc:
            raise ValueError(f"impossible date {text!r}: {exc}") from None
        return PartialDate(text, "month-day" if day else "month-only")
    if not isinstance(text, str) or not (m := _DATE_RE.match(text)):
        shown = repr(value) if isinstance(value, str) else describe(value)
        hint = ", --MM-DD or --MM (printed without a year)" if yearless else ""
        raise ValueError(f"not a date: {shown} (write YYYY, YYYY-MM or YYYY-MM-DD{hint})")
    year, month, day = m.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}: {exc}") from None
    return PartialDate(text, "day" if day else "month" if month else "year")


# ---------------------------------------------------------------------------- specs
# A spec lists a record type's fields in their canonical order: (name, kind, required, arg).
# kinds: id, text, langmap, langlist, lang, date (arg "yearless": may lack the year), decimal, count, bool, url, country,
# countries, enum (arg: allowed values), ref / refs (arg: record type), concepts (arg: scheme),
# money, participants, grants.

SPECS: dict[str, list[tuple[str, str, bool, object]]] = {
    "source": [
        ("id", "id", True, None), ("file", "text", True, None), ("title", "langmap", False, None),
        ("language", "lang", True, None), ("publisher", "ref", False, "organisation"),
    ],
    "organisation": [
        ("id", "id", True, None), ("name", "langmap", True, None), ("translated_name", "langmap", False, None),
        ("alt_name", "langlist", False, None),
        ("country", "country", False, None), ("type", "enum", True, ("ngo", "government", "international")),
        ("website", "url", False, None), ("part_of", "ref", False, "organisation"),
        ("member_of", "refs", False, "organisation"), ("linked_to", "refs", False, "organisation"),
        ("location", "ref", False, "place"), ("sources", "refs", True, "source"),
    ],
    "funding_scheme": [
        ("id", "id", True, None), ("name", "langmap", True, None), ("translated_name", "langmap", False, None),
        ("alt_name", "langlist", False, None), ("part_of", "ref", False, "funding_scheme"),
        ("operator", "ref", False, "organisation"), ("administered_by", "refs", False, "organisation"),
        ("sources", "refs", True, "source"),
    ],
    "place": [
        ("id", "id", True, None), ("name", "langmap", True, None), ("type", "enum", True, ("city", "region")),
        ("country", "country", True, None), ("within", "ref", False, "place"),
        ("sources", "refs", True, "source"),
    ],
    "country_group": [
        ("id", "id", True, None), ("name", "langmap", True, None), ("countries", "countries", True, None),
    ],
    "programme": [
        ("id", "id", True, None), ("name", "langmap", True, None), ("translated_name", "langmap", False, None),
        ("alt_name", "langlist", False, None),
        ("start", "date", False, None), ("end", "date", False, None),
    ],
    "project": [
        ("id", "id", True, None), ("part_of", "ref", False, "programme"), ("name", "langmap", False, None),
        ("translated_name", "langmap", False, None), ("alt_name", "langlist", False, None),
        ("identifier", "text", False, None),
        ("start", "date", False, None), ("end", "date", False, None), ("budget", "money", False, None),
        ("places", "refs", False, "place"), ("countries", "countries", False, None),
        ("participants", "participants", False, None), ("grants", "grants", False, None),
        ("audience", "concepts", False, "target-group"), ("subjects", "concepts", False, "theme"),
        ("activities", "concepts", False, "activity"), ("visited", "refs", False, "organisation"),
        ("visited_types", "concepts", False, "body-type"),
    ],
    "grant": [
        ("funder", "ref", True, "organisation"), ("role", "enum", True, ("funder", "co-funder")),
        ("amount", "decimal", False, None), ("currency", "currency", False, None),
        ("share", "decimal", False, None), ("scheme", "ref", False, "funding_scheme"),
    ],
    "money": [("amount", "decimal", True, None), ("currency", "currency", True, None)],
    "event": [
        ("id", "id", True, None), ("type", "concept", True, "event-type"), ("of", "refs", True, "project"),
        ("name", "langmap", False, None), ("translated_name", "langmap", False, None), ("place", "ref", False, "place"),
        ("start", "date", False, "yearless"), ("end", "date", False, "yearless"), ("online", "bool", False, None),
        ("status", "enum", False, ("scheduled", "rescheduled")), ("inferred_start", "date", False, None),
        ("inference", "concept", False, "inference-basis"), ("visited", "refs", False, "organisation"),
        ("visited_types", "concepts", False, "body-type"),
    ],
    "result": [
        ("id", "id", True, None), ("of", "refs", True, "project"), ("type", "concept", True, "result-type"),
        ("description", "langmap", False, None),
        ("value", "count", False, None), ("min", "count", False, None), ("place", "ref", False, "place"),
        ("countries", "countries", False, None), ("audience", "concepts", False, "target-group"),
        ("planned", "bool", False, None), ("status", "concept", False, "achievement-status"),
    ],
}

#: Fields that must be given together.
TOGETHER = {"grant": [("amount", "currency")], "event": [("inferred_start", "inference")]}

#: Top-level lists of each data file, and the record type of their items.
FILE_LISTS = {
    "sources.yaml": {"sources": "source"},
    "organisations.yaml": {"organisations": "organisation", "funding_schemes": "funding_scheme"},
    "places.yaml": {"places": "place"},
    "country-groups.yaml": {"country_groups": "country_group"},
    "projects/*.yaml": {"programmes": "programme", "projects": "project", "events": "event", "results": "result"},
}
_LIST_TYPES = {name: rtype for lists in FILE_LISTS.values() for name, rtype in lists.items()}
RECORD_TYPES = ("source", "organisation", "funding_scheme", "place", "country_group", "programme", "project",
                "event", "result")


@dataclass
class Records:
    """Every checked record, by type and id. ``roles`` maps role notations to their IRIs and
    ``consortium_roles`` holds the notations whose holders are a project's members."""

    by_type: dict[str, dict[str, Node]] = field(default_factory=lambda: {t: {} for t in RECORD_TYPES})
    concepts: dict[str, dict[str, Node]] = field(default_factory=dict)
    scheme_labels: dict[str, Node] = field(default_factory=dict)
    concepts_loc: dict[tuple[str, str], Location] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    consortium_roles: set[str] = field(default_factory=set)
    funding_roles: set[str] = field(default_factory=set)
    vocab_files: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __getattr__(self, name):
        # records.projects, records.organisations, ...: the top-level list names of the files
        if name in _LIST_TYPES:
            return self.by_type[_LIST_TYPES[name]]
        raise AttributeError(name)

    def counts(self) -> dict[str, int]:
        return {t: len(v) for t, v in self.by_type.items()}


#: Field kinds whose values are text, read exactly as written in the file (``identifier: 0123456``).
_TEXT_KINDS = frozenset({"id", "text", "url", "lang", "date", "enum", "country", "currency", "ref", "concept"})


def _shown(value) -> str:
    """A value for a message: text quoted as written, anything else in users' words."""
    return repr(value) if isinstance(value, str) else describe(value)


class _Checker:
    """Walks records against :data:`SPECS`, normalising values and collecting problems."""

    def __init__(self, records: Records):
        self.records = records
        self.problems: list[tuple[Location | None, str]] = []
        self.refs: list[tuple[str, str, Location, str]] = []  # (type, id, where, what)

    def problem(self, loc, msg):
        self.problems.append((loc, msg))

    def record(self, node, rtype: str, context: str, loc: Location) -> Node | None:
        if not isinstance(node, Node):
            self.problem(loc, f"{context}: expected a mapping of fields, found {describe(node)}")
            return None
        spec = SPECS[rtype]
        names = [f[0] for f in spec]
        for key in node:
            if key not in names:
                self.problem(node.where(key), f"{context}: unknown field {key!r} (fields: {', '.join(names)})")
        label = f"{rtype.replace('_', ' ')} {node.get('id')!r}" if "id" in node else context
        for a, b in TOGETHER.get(rtype, ()):
            if (node.get(a) is None) != (node.get(b) is None):
                self.problem(node.loc, f"{label}: {a} and {b} go together: give both or neither")
        for name, kind, required, arg in spec:
            if name not in node or node[name] is None:
                if required:
                    self.problem(node.loc, f"{label}: missing required field {name!r}")
                node.pop(name, None)
                continue
            try:
                node[name] = self.value(node[name], kind, arg, node.where(name), f"{label}: {name}")
            except ValueError as exc:
                self.problem(node.where(name), f"{label}: {name}: {exc}")
                node.pop(name, None)
        return node

    def value(self, value, kind, arg, loc, what):  # noqa: C901 - one dispatch table
        if kind in _TEXT_KINDS:
            value = written(value)  # text as it stands in the file: `0123456`, not 123456 or octal
        if kind == "id":
            if not isinstance(value, str) or not ID_RE.match(value):
                raise ValueError(f"{_shown(value)} is not a valid id (lower-case letters, digits and single hyphens)")
            return value
        if kind == "text":
            return self.text(value)
        if kind == "url":
            if not isinstance(value, str) or not URL_RE.match(value):
                raise ValueError(f"{_shown(value)} is not an http(s) URL")
            return value
        if kind == "lang":
            return self.lang(value)
        if kind == "langmap":
            m = self.mapping(value)
            if not m:
                raise ValueError("needs at least one language, e.g. {en: ...}")
            return {self.lang(k): self.text(v) for k, v in m.items()}
        if kind == "langlist":
            m = self.mapping(value)
            return {self.lang(k): [self.text(v) for v in self.seq(vs)] for k, vs in m.items()}
        if kind == "date":
            return parse_date(value, yearless=arg == "yearless")
        if kind == "decimal":
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
                fix = f": {number_fix(value)}" if isinstance(value, str) else ""
                raise ValueError(f"{_shown(value)} is not a number{fix}")
            return Decimal(value)
        if kind == "count":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{_shown(value)} is not a whole number")
            return int(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"{_shown(value)} is not true or false")
            return value
        if kind == "enum":
            if value not in arg:
                raise ValueError(f"{_shown(value)} is not one of {', '.join(arg)}")
            return value
        if kind == "country":
            return self.country(value)
        if kind == "countries":
            items = self.seq(value)
            for i, v in enumerate(items):
                items[i] = self.country(v)
            return items
        if kind == "currency":
            if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value) is None:
                raise ValueError(f"{_shown(value)} is not an ISO 4217 currency code (e.g. EUR, DKK)")
            return value
        if kind == "ref":
            self.refs.append((arg, value, loc, what))
            return value
        if kind == "refs":
            items = self.seq(value)
            for i, v in enumerate(items):
                v = items[i] = written(v)
                self.refs.append((arg, v, items.where(i), what))
                if v in items[:i]:
                    self.problem(items.where(i), f"{what}: {v!r} is listed twice")
            return items
        if kind == "concept":
            self.refs.append((f"concept:{arg}", value, loc, what))
            return value
        if kind == "concepts":
            items = self.seq(value)
            for i, v in enumerate(items):
                v = items[i] = written(v)
                self.refs.append((f"concept:{arg}", v, items.where(i), what))
            return items
        if kind == "money":
            return self.record(self.mapping(value), "money", what, loc)
        if kind == "grants":
            items = self.seq(value)
            grants = (self.record(g, "grant", f"{what}[{i + 1}]", items.where(i)) for i, g in enumerate(items))
            return [g for g in grants if g is not None]
        if kind == "participants":
            m = self.mapping(value)
            out = {}
            for role, orgs in m.items():
                if role not in self.records.roles:
                    self.problem(m.where(role), f"{what}: unknown role {role!r} (roles: {', '.join(sorted(self.records.roles))})")
                    continue
                if role in self.records.funding_roles - {"administering-body"}:
                    self.problem(m.where(role), f"{what}: funders are listed under grants, not participants")
                    continue
                out[role] = self.value(orgs, "refs", "organisation", m.where(role), f"{what}: {role}")
            return out
        raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover

    @staticmethod
    def text(value):
        value = written(value)
        if value is None:
            raise ValueError("is empty")
        if not isinstance(value, str):
            raise ValueError(f"{describe(value)} is not text")
        if not value.strip():
            raise ValueError("is empty")
        if found := personal_data(value):
            raise ValueError(f"holds {' and '.join(dict.fromkeys(found))}: the graph names organisations, "
                             "never contact persons; leave contact details out")
        return value

    @staticmethod
    def lang(value):
        value = written(value)
        if not isinstance(value, str) or not LANG_RE.match(value) or (
                pycountry.languages.get(alpha_2=value) is None and pycountry.languages.get(alpha_3=value) is None):
            raise ValueError(f"{_shown(value)} is not an ISO 639 language code (e.g. en, lv, lt)")
        return value

    @staticmethod
    def country(value):
        value = written(value)
        if not isinstance(value, str) or len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
            raise ValueError(f"{_shown(value)} is not an ISO 3166-1 alpha-2 country code (e.g. LV, DK)")
        return value

    @staticmethod
    def mapping(value) -> Node:
        if not isinstance(value, Node):
            raise ValueError(f"expected a mapping, found {describe(value)}")
        return value

    @staticmethod
    def seq(value) -> Items:
        if not isinstance(value, Items):
            raise ValueError(f"expected a list, found {describe(value)}")
        return value


def _name_problem(display: str) -> str | None:
    """Why a data file's name cannot be used, or None: the graph says where each record and term is written, as
    UTF-8 text, which no lone surrogate (a byte of a file name that is not UTF-8) has a form in.

    >>> _name_problem("data/projects/x\\udcff.yaml"), _name_problem("data/projects/Fundación.yaml")
    ('data/projects/x\\\\xff.yaml has a name that is not UTF-8: rename it', None)
    """
    return f"{shown_path(display)} has a name that is not UTF-8: rename it" if LONE_SURROGATE.search(display) else None


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def read_turtle(path: Path, display: str, needed: str = "") -> Graph:
    """The Turtle file ``path`` as an rdflib Graph, or a :class:`DataError` naming it as ``display``:
    at the line of a syntax error, or why it is not a readable file (and then ``needed``, what it is
    needed for)."""
    if why := file_problem(path):
        raise DataError([(None, f"{display} {why}" + (f": {needed}" if needed else ""))])
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types; all mean the same here
        line = getattr(exc, "lines", 0) + 1  # notation3.BadSyntax counts the lines before the error
        why = getattr(exc, "_why", None) or " ".join(str(exc).split())
        raise DataError([(Location(display, line), f"cannot parse Turtle: {why}")]) from None
    return g


def read_roles(path: Path) -> Records:
    """The participation roles of ``path`` (``data/vocab/roles.ttl``, named as given in problems)
    in an otherwise empty :class:`Records`: what an import maps the sources' roles with
    (:meth:`ngograph.rdf.emit.Roles.read`)."""
    records = Records()
    _load_roles(records, Path(path), shown_path(path))
    return records


def _load_roles(records: Records, path: Path, display: str) -> None:
    """Read the participation roles; raise :class:`DataError` at once if they cannot be read,
    so that no project reports an "unknown role" that only the broken vocabulary caused."""
    g = read_turtle(path, display, "the participation roles are needed to read projects and participations")
    consortium, funding = VOCAB["role/consortium"], VOCAB["role/funding-and-administration"]
    for concept, notation in g.subject_objects(SKOS.notation):
        broader = g.value(concept, SKOS.broader)
        if broader is None:
            continue
        records.roles[str(notation)] = str(concept)
        if broader == consortium:
            records.consortium_roles.add(str(notation))
        elif broader == funding:
            records.funding_roles.add(str(notation))
    if not records.roles:
        raise DataError([(Location(display, 1), "defines no participation roles (concepts with skos:notation "
                                                "and skos:broader)")])


_WHERE = ("records go in sources.yaml, organisations.yaml, places.yaml, country-groups.yaml, concepts.yaml "
          "or projects/<name>.yaml")


def _data_files(data: Path) -> tuple[list[Path], list[Path]]:
    """The record files under ``data`` (``projects/`` may hold ``.yaml`` and ``.yml``), and the
    YAML files no loader reads, which are refused rather than skipped. Hidden files are ignored."""
    top = [data / name for name in FILE_LISTS if "/" not in name]
    projects = sorted(p for p in (data / "projects").glob("*") if p.suffix in (".yaml", ".yml")
                      and not p.name.startswith("."))
    claimed = {*top, *projects, data / "concepts.yaml"}
    unclaimed = []
    for folder, dirs, names in os.walk(data):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        unclaimed += [Path(folder) / n for n in sorted(names) if Path(n).suffix.lower() in (".yaml", ".yml")
                      and not n.startswith(".") and Path(folder) / n not in claimed]
    return [*top, *projects], unclaimed


def _read_doc(path: Path, data: Path, checker: _Checker, records: Records, lists) -> Node | None:
    """One data file as a mapping with ``lists`` at the top, or ``None`` after noting why it cannot be read."""
    display = _display(path, data)
    if why := file_problem(path):
        checker.problem(None, f"{display} {why}")
        return None
    if why := _name_problem(display):
        checker.problem(None, why)
        return None
    records.files.append(path)
    try:
        doc = load_yaml(path, display)
    except DataError as exc:
        checker.problems.extend(exc.problems)
        return None
    if not isinstance(doc, Node):
        checker.problem(Location(display, 1), f"expected a mapping with {', '.join(lists)}")
        return None
    return doc


def _read_concepts(doc: Node, checker: _Checker, records: Records) -> None:
    schemes = doc.get("schemes")
    if not isinstance(schemes, Node):
        checker.problem(doc.loc, "concepts.yaml needs a top-level 'schemes' mapping")
        return
    for scheme, body in schemes.items():
        if not ID_RE.match(scheme) or not isinstance(body, Node) or not isinstance(body.get("concepts"), Node):
            checker.problem(schemes.where(scheme), f"scheme {scheme!r} needs an id-like name and a 'concepts' mapping")
            continue
        try:
            records.scheme_labels[scheme] = checker.value(body.get("label"), "langmap", None, body.where("label"), scheme)
        except ValueError as exc:
            checker.problem(body.where("label"), f"scheme {scheme!r}: label: {exc}")
        records.concepts[scheme] = {}
        for cid, labels in body["concepts"].items():
            loc = body["concepts"].where(cid)
            if not ID_RE.match(cid):
                checker.problem(loc, f"concept {cid!r} is not a valid id")
                continue
            try:
                records.concepts[scheme][cid] = checker.value(labels, "langmap", None, loc, cid)
                records.concepts_loc[(scheme, cid)] = loc
            except ValueError as exc:
                checker.problem(loc, f"concept {scheme}/{cid}: {exc}")


def load_records(data: Path) -> Records:
    """Read and check every record under ``data``; raise :class:`DataError` on any problem."""
    data = Path(data)
    if not data.is_dir():
        why = file_problem(data) or "is not a folder"
        raise DataError([(None, f"data folder {data} {why} (set --data or NGOGRAPH_DATA; ngograph build --example builds the shipped example)")])
    if why := _name_problem(data.name):  # every location starts with it, and the engine cannot open it
        raise DataError([(None, f"data folder {why}")])
    records = Records()
    problems: list = []
    vocab = vocab_dir(data)
    roles = vocab / "roles.ttl"
    records.vocab_files = sorted(vocab.glob("*.ttl"))
    _load_roles(records, roles, _display(roles, data))
    checker = _Checker(records)
    checker.problems = problems
    for path in records.vocab_files:
        if why := _name_problem(_display(path, data)):
            checker.problem(None, why)
    files, unclaimed = _data_files(data)
    for path in unclaimed:
        checker.problem(Location(_display(path, data), 1), f"ngograph does not read this file: {_WHERE}")

    # concept schemes (concepts.yaml is optional); a file that cannot be read adds no "unknown" errors
    unread: set[str] = set()
    concepts_file = data / "concepts.yaml"
    if concepts_file.exists() or concepts_file.is_symlink():
        doc = _read_doc(concepts_file, data, checker, records, ["schemes"])
        if doc is None:
            unread.add("concept")
        else:
            _read_concepts(doc, checker, records)

    # record files
    seen: dict[tuple[str, str], Location] = {}
    for path in files:
        key = "projects/*.yaml" if path.parent == data / "projects" else path.name
        lists = FILE_LISTS[key]
        doc = _read_doc(path, data, checker, records, lists)
        if doc is None:
            unread.update(lists.values())
            continue
        source = None
        if key == "projects/*.yaml":
            source = doc.get("source")
            if source is None:
                checker.problem(doc.loc, "a project file needs 'source:' naming the document its facts come from")
            else:
                checker.refs.append(("source", source, doc.where("source"), "source"))
        for top in doc:
            if top not in lists and not (top == "source" and key == "projects/*.yaml"):
                checker.problem(doc.where(top), f"unknown top-level list {top!r} (expected: {', '.join(lists)})")
        for top, rtype in lists.items():
            if top not in doc:
                continue
            items = doc[top]
            if not isinstance(items, Items):
                checker.problem(doc.where(top), f"{top!r} must be a list")
                continue
            for i, item in enumerate(items):
                rec = checker.record(item, rtype, f"{top}[{i + 1}]", items.where(i))
                if rec is None or "id" not in rec:
                    continue
                rid = rec["id"]
                if (rtype, rid) in seen:
                    checker.problem(rec.loc, f"duplicate {rtype.replace('_', ' ')} id {rid!r} (first at {seen[(rtype, rid)]})")
                    continue
                seen[(rtype, rid)] = rec.loc
                if source is not None:
                    rec["_source"] = source
                records.by_type[rtype][rid] = rec

    # references
    for rtype, rid, loc, what in checker.refs:
        if rtype.split(":")[0] in unread:
            continue
        if rtype.startswith("concept:"):
            scheme = rtype.split(":", 1)[1]
            if rid not in records.concepts.get(scheme, {}):
                checker.problem(loc, f"{what}: unknown {scheme} concept {rid!r} (add it to concepts.yaml)")
        elif rid not in records.by_type[rtype]:
            checker.problem(loc, f"{what}: unknown {rtype.replace('_', ' ')} {rid!r}")
    if problems:
        raise DataError(problems)
    return records


# ---------------------------------------------------------------------------- canonical form

def canonical_problems(rec: Node, rtype: str) -> list[str]:
    """Ways in which a record departs from the canonical form: fields in spec order, id
    lists sorted, text NFC-normalised and without surrounding spaces.

    >>> from ngograph.sources.yamlio import Node
    >>> n = Node(id="x", type="ngo", name={"en": " X "}); n.loc = None; n.key_locs = {}
    >>> canonical_problems(n, "organisation")
    ['fields out of order: id, type, name (canonical: id, name, type)', "text ' X ' has surrounding spaces"]
    """
    out = []
    spec = SPECS[rtype]
    order = [f[0] for f in spec]
    keys = [k for k in rec if not k.startswith("_")]
    canon = [k for k in order if k in keys]
    if keys != canon:
        out.append(f"fields out of order: {', '.join(keys)} (canonical: {', '.join(canon)})")
    kinds = {f[0]: f[1] for f in spec}
    for k in keys:
        v = rec.get(k)
        if kinds.get(k) in ("refs", "concepts", "countries") and isinstance(v, list) and v != sorted(v):
            out.append(f"{k} not sorted: {', '.join(v)}")
        if kinds.get(k) == "participants" and isinstance(v, dict):
            for role, orgs in v.items():
                if list(orgs) != sorted(orgs):
                    out.append(f"{k}.{role} not sorted")
    for text in _texts(rec):
        if text != text.strip():
            out.append(f"text {text!r} has surrounding spaces")
        if unicodedata.normalize("NFC", text) != text:
            out.append(f"text {text!r} is not NFC-normalised")
    return out


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
