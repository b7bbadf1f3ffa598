"""Read the spreadsheet template (docs/template.md): ``projects.csv``, ``organisations.csv``,
``participations.csv`` and ``grants.csv``, named one by one or as the folder that holds them.

Each data row becomes one typed row (:class:`TableProject`, :class:`TableOrganisation`,
:class:`TableParticipation`, :class:`TableGrant`) with its location ``file:row N`` (N the
1-based data row); :mod:`ngograph.sources.table_records` maps them onto the common records.

The template is strict where the sender can fix what they sent, and goes on with the rest:

- the header holds exactly the documented columns, in any order: a missing column is one
  problem naming the file and the column, and that file is not read; an unknown column is one
  problem, and its cells are not read;
- every cell is checked against its column: ISO dates at the precision known, plain
  non-negative decimals, ISO 4217 currencies, ISO 3166-1 alpha-2 countries, BCP 47 language
  tags, the documented roles and types. A bad cell is one problem naming ``file:row N`` and
  the column, and is read as missing; the row is left out only when the cell is required (an
  id, a name, its language, a reference, a role);
- a cell starting with ``=``, ``+``, ``-`` or ``@`` (a spreadsheet runs it as a formula), a
  cell holding an e-mail address or a phone number (the graph names no people) and a cell
  holding bytes that are not UTF-8 (a file saved in another encoding) are refused the same way;
- ids are unique within their file; a participation or grant naming a project or an
  organisation that projects.csv or organisations.csv does not hold is reported and left out.

>>> from pathlib import Path
>>> found = []
>>> t = read_table_set([Path(__file__).parents[2] / "examples"], found)
>>> len(t.projects), len(t.organisations), len(t.participations), len(t.grants), found
(6, 26, 49, 6, [])
>>> p = t.projects[4]
>>> p.location, p.name_lang, p.translated_name, p.start.iso, p.countries
('projects.csv:row 5', 'lt', 'NLIF institutional strengthening project', '2017-09-01', ('LT',))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ngograph.records.personal import personal_data
from ngograph.records.types import web_address
from ngograph.sources.tabular import (Column, Number, Problems, SourceDate, country_code, currency_codes, expand,
                                      header_of, kept, parse_date, parse_number, read_table, report)

__all__ = ["FILES", "COLUMNS", "CONSORTIUM_ROLES", "OTHER_ROLES", "FUNDER_ROLES", "ORGANISATION_TYPES",
           "TableProject", "TableOrganisation", "TableParticipation", "TableGrant", "TableSet",
           "template_files", "read_table_set"]

#: The files of the template, in the order they are read.
FILES = ("projects.csv", "organisations.csv", "participations.csv", "grants.csv")

#: Roles of participations.csv: the consortium, then the others (ngograph role notations).
CONSORTIUM_ROLES = ("lead-partner", "partner", "implementer", "associated")
OTHER_ROLES = ("administering-body", "accountable")
#: Roles of grants.csv.
FUNDER_ROLES = ("funder", "co-funder")
#: What an organisation is by its statutes (Organisation.types).
ORGANISATION_TYPES = ("ngo", "government", "intergovernmental", "network", "international")


# ---------------------------------------------------------------------------- cells

_FORMULA = ("=", "+", "-", "@")
_PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*",
                       re.I)
_SCHEME = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _cell(parse: Callable[[str], object]) -> Callable[[str], object]:
    """A column's reader: refuses formulas, bytes that were not UTF-8 and (in free text) personal
    data, trims, then ``parse``.

    >>> _cell(str)(" Interfolk "), _cell(_amount)("  ")
    ('Interfolk', None)
    >>> _cell(str)("-Interfolk")
    Traceback (most recent call last):
    ...
    ValueError: '-Interfolk' starts with '-', which a spreadsheet runs as a formula: write an amount without a sign, and put a leading dash of a name inside the text
    """
    def read(text: str):
        if (first := text.lstrip()[:1]) and first in _FORMULA:
            fix = "write the value itself" if first in "=@" else \
                "write an amount without a sign, and put a leading dash of a name inside the text"
            raise ValueError(f"{text[:40]!r} starts with {first!r}, which a spreadsheet runs as a formula: {fix}")
        if "\ufffd" in text:
            raise ValueError("holds bytes that are not UTF-8 (each shown as \ufffd): save the file as \"CSV UTF-8\"")
        if parse in _FREE_TEXT and (found := personal_data(text)):
            raise ValueError(f"holds what looks like personal data ({found[0]}): the graph names no people and keeps "
                             "no contact details")
        text = text.strip()
        return parse(text) if text else None
    return read


def _text(text: str) -> str:
    return text


def _list(text: str) -> tuple[str, ...]:
    """A ``;``-separated list, each value trimmed, empty values dropped."""
    return tuple(v.strip() for v in text.split(";") if v.strip())


def _language(text: str) -> str:
    if not _LANGUAGE.fullmatch(text):
        raise ValueError(f"{text!r} is not a BCP 47 language tag (en, lv, lt, da, no, sr-Latn)")
    return text


def _date(text: str) -> SourceDate:
    """An ISO date at the precision known: ``2021``, ``2018-08``, ``2017-09-01``.

    >>> _date("2018-08").iso
    '2018-08'
    >>> _date("01/09/2017")
    Traceback (most recent call last):
    ...
    ValueError: '01/09/2017' is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD
    """
    try:
        date = parse_date(text)
    except ValueError as exc:
        if "impossible" in str(exc):
            raise
        date = None
    if date is None or date.iso != text or date.precision == "datetime":
        raise ValueError(f"{text!r} is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return date


def _amount(text: str) -> Number:
    """A plain decimal: digits, a point before the decimals, no thousands separator.

    >>> _amount("92.07"), _amount("444550")
    (Decimal('92.07'), Decimal('444550'))
    >>> _amount("1,000.50")
    Traceback (most recent call last):
    ...
    ValueError: '1,000.50' is not a plain decimal: write digits with a point before the decimals and no thousands separator (444550, 92.07)
    """
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(f"{text!r} is not a plain decimal: write digits with a point before the decimals and no "
                         "thousands separator (444550, 92.07)")
    return parse_number(text, decimal_comma=False)


def _share(text: str) -> Number:
    share = _amount(text)
    if share > 100:
        raise ValueError(f"{text} is over 100 (a share in percent)")
    return share


def _currency(text: str) -> str:
    if text.upper() not in currency_codes():
        raise ValueError(f"{text!r} is not an ISO 4217 currency code (DKK, EUR)")
    return text.upper()


def _country(text: str) -> str:
    code, note = country_code(text.upper())
    if code is None:
        raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code (LV, NO; XK for Kosovo)")
    return code


def _countries(text: str) -> tuple[str, ...]:
    return tuple(_country(c) for c in _list(text))


def _scheme(text: str) -> str:
    if not _SCHEME.fullmatch(text.upper()):
        raise ValueError(f"{text!r} is not a scheme code: an org-id.guide prefix such as LV-RUR, NO-BRC, GB-CHC")
    return text.upper()


def _website(text: str) -> str:
    if web_address(text) is None:
        raise ValueError(f"{text!r} is not a web address (https://...)")
    return text


def _one_of(values: tuple[str, ...]) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in values:
            raise ValueError(f"{text!r} is not one of {', '.join(values)}")
        return text
    return read


def _role(text: str) -> str:
    if text in FUNDER_ROLES:
        raise ValueError(f"{text!r}: funders go in grants.csv, with the project as funded")
    return _one_of(CONSORTIUM_ROLES + OTHER_ROLES)(text)


#: Readers of free text, which alone could hold an e-mail address or a phone number (the others
#: refuse anything but a date, a number or a code).
_FREE_TEXT = frozenset({_text, _list, _website})

#: Each file's columns (docs/template.md) and how each cell is read.
COLUMNS: dict[str, dict[str, Callable[[str], object]]] = {
    "projects.csv": {
        "id": _text, "name": _text, "name_lang": _language, "translated_name": _text, "alt_names": _list,
        "start": _date, "end": _date, "budget_amount": _amount, "budget_currency": _currency, "countries": _countries,
        "identifier_scheme": _scheme, "identifier": _text, "programme": _text, "programme_name": _text},
    "organisations.csv": {
        "id": _text, "name": _text, "name_lang": _language, "translated_name": _text, "alt_names": _list,
        "country": _country, "type": _one_of(ORGANISATION_TYPES), "identifier_scheme": _scheme, "identifier": _text,
        "website": _website},
    "participations.csv": {
        "project": _text, "organisation": _text, "role": _role, "contribution_amount": _amount,
        "contribution_currency": _currency, "budget_amount": _amount, "budget_currency": _currency},
    "grants.csv": {
        "id": _text, "funder": _text, "funded": _text, "role": _one_of(FUNDER_ROLES), "amount": _amount,
        "currency": _currency, "share": _share, "award_date": _date, "start": _date, "end": _date,
        "identifier": _text},
}
#: Cells without which a row is left out.
_REQUIRED = {"projects.csv": ("id", "name", "name_lang"), "organisations.csv": ("id", "name", "name_lang"),
             "participations.csv": ("project", "organisation", "role"),
             "grants.csv": ("id", "funder", "funded", "role")}
#: Cells given both or neither.
_PAIRS = {"projects.csv": (("budget_amount", "budget_currency"),),
          "organisations.csv": (("identifier_scheme", "identifier"),),
          "participations.csv": (("contribution_amount", "contribution_currency"), ("budget_amount", "budget_currency")),
          "grants.csv": (("amount", "currency"),)}
_LISTS = ("alt_names", "countries")


# ---------------------------------------------------------------------------- rows

@dataclass(frozen=True, slots=True)
class _NamedRow:
    """What projects.csv and organisations.csv share: an id and names."""

    location: str
    id: str
    name: str
    name_lang: str
    translated_name: str | None = None
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableProject(_NamedRow):
    """One row of projects.csv (the fields are its columns)."""

    start: SourceDate | None = None
    end: SourceDate | None = None
    budget_amount: Number | None = None
    budget_currency: str | None = None
    countries: tuple[str, ...] = ()
    identifier_scheme: str | None = None
    identifier: str | None = None
    programme: str | None = None
    programme_name: str | None = None


@dataclass(frozen=True, slots=True)
class TableOrganisation(_NamedRow):
    """One row of organisations.csv; ``identifier_scheme`` is upper case (an org-id.guide prefix)."""

    country: str | None = None
    type: str | None = None
    identifier_scheme: str | None = None
    identifier: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class TableParticipation:
    """One row of participations.csv; ``row`` is its data row number (its position)."""

    location: str
    row: int
    project: str
    organisation: str
    role: str
    contribution_amount: Number | None = None
    contribution_currency: str | None = None
    budget_amount: Number | None = None
    budget_currency: str | None = None


@dataclass(frozen=True, slots=True)
class TableGrant:
    """One row of grants.csv; ``funds_project`` says whether ``funded`` is a project id (else an
    organisation id: core funding)."""

    location: str
    id: str
    funder: str
    funded: str
    role: str
    amount: Number | None = None
    currency: str | None = None
    share: Number | None = None
    award_date: SourceDate | None = None
    start: SourceDate | None = None
    end: SourceDate | None = None
    identifier: str | None = None
    funds_project: bool = True


@dataclass
class TableSet:
    """The rows of one template file set, references resolved."""

    projects: list[TableProject] = field(default_factory=list)
    organisations: list[TableOrganisation] = field(default_factory=list)
    participations: list[TableParticipation] = field(default_factory=list)
    grants: list[TableGrant] = field(default_factory=list)


_ROWS = {"projects.csv": TableProject, "organisations.csv": TableOrganisation,
         "participations.csv": TableParticipation, "grants.csv": TableGrant}
_MISSING = "; read as missing"


def _left_out(fields: dict, notes: list[str], column: str, why: str) -> None:
    """Mark ``column`` unusable: its note (when the cell was refused) or a new one ends in ``why``."""
    fields[column] = None
    for i, note in enumerate(notes):
        if note.startswith(f"{column}: ") and note.endswith(_MISSING):
            notes[i] = note[: -len(_MISSING)] + f"; {why}"
            return
    notes.append(f"{column}: {why}")


def _refused(notes: list[str], column: str) -> bool:
    return any(note.startswith(f"{column}: ") for note in notes)


def _before(end: SourceDate | None, start: SourceDate | None) -> bool:
    """Whether ``end`` is before ``start``, compared at the coarser precision.

    >>> _before(_date("2019"), _date("2019-10")), _before(_date("2019-09"), _date("2019-10-01"))
    (False, True)
    """
    if end is None or start is None:
        return False
    n = min(len(end.iso), len(start.iso))
    return end.iso[:n] < start.iso[:n]


def _check_row(name: str, fields: dict, notes: list[str]) -> bool:
    """The checks across the cells of one row; False when the row is left out."""
    keep = True
    for column in _REQUIRED[name]:
        if fields[column] is None:
            refused = _refused(notes, column)
            _left_out(fields, notes, column, "the row is left out" if refused else "empty, but required: "
                                                                               "the row is left out")
            keep = False
    for a, b in _PAIRS[name]:
        if (fields[a] is None) != (fields[b] is None):
            given, empty = (a, b) if fields[b] is None else (b, a)
            _left_out(fields, notes, empty, f"{given} is not read either (both or neither)" if _refused(notes, empty)
                      else f"empty while {given} is given (both or neither): {given} is not read")
            fields[given] = None
    if _before(fields.get("end"), fields.get("start")):
        _left_out(fields, notes, "end", f"{fields['end'].text} is before start {fields['start'].text}: not read")
    if name == "projects.csv":
        if fields["identifier_scheme"] is not None and fields["identifier"] is None:
            _left_out(fields, notes, "identifier_scheme", "given without identifier: not read")
        if fields["programme_name"] is not None and fields["programme"] is None:
            _left_out(fields, notes, "programme_name", "given without programme: not read")
    for column in _LISTS:
        if column in fields and fields[column] is None:
            fields[column] = ()
    return keep


def _read_file(name: str, path: Path, problems: Problems | None) -> list | None:
    """The rows of one template file that can be kept, or None when the file cannot be read."""
    columns = COLUMNS[name]
    header = header_of(path)
    if header is not None:
        for title in header:
            if title not in columns:
                report(problems, name, f"column {title!r} is not a column of {name} (docs/template.md): "
                                       "its cells are not read")
        missing = [title for title in columns if title not in header]
        for title in missing:
            report(problems, name, f"column {title!r} is missing: the header holds every column of {name} "
                                   "(docs/template.md; a column may be empty, not left out); the file is not read")
        if missing:
            return None
    spec = [Column(title, title, _cell(parse)) for title, parse in columns.items()]
    rows, read = [], False
    for location, fields, notes in read_table(path, spec, problems, extra=True):
        read = True
        fields.pop("extra")
        keep = _check_row(name, fields, notes)
        kept(problems, location, notes)
        if keep:
            if name == "participations.csv":
                fields["row"] = int(location.rsplit(" ", 1)[1])
            rows.append(_ROWS[name](location, **fields))
    return rows if read or header is not None else None


def _unique(rows: list, problems: Problems | None) -> list:
    """The rows whose id no earlier row of the file has; the others are reported."""
    first: dict[str, str] = {}
    out = []
    for r in rows:
        if r.id in first:
            report(problems, r.location, f"id {r.id!r} is the id of {first[r.id]} already: the row is left out")
        else:
            first[r.id] = r.location
            out.append(r)
    return out


# ---------------------------------------------------------------------------- the file set

def template_files(paths: str | Path | Iterable[str | Path], problems: Problems | None = None) -> dict[str, Path]:
    """The template's files among ``paths`` (files, and the ``.csv`` files of folders), by name.
    Any other CSV file, and a second file of one name, is reported and not read."""
    found: dict[str, Path] = {}
    for path in expand(paths, (".csv",)):
        if path.name not in FILES:
            report(problems, path.name, f"not a file of the template ({', '.join(FILES)}): not read")
        elif path.name in found:
            report(problems, str(path), f"a second {path.name} (the first is {found[path.name]}): not read")
        else:
            found[path.name] = path
    return found


def read_table_set(paths: str | Path | Iterable[str | Path], problems: Problems | None = None) -> TableSet:
    """Read the template files among ``paths``, check every cell and resolve the references.

    A file of the four that is not among ``paths`` is reported; its rows are simply absent. Rows
    that refer to a file that could not be read are left out with one problem for their file.
    """
    files = template_files(paths, problems)
    read: dict[str, list | None] = {}
    for name in FILES:
        if name in files:
            read[name] = _read_file(name, files[name], problems)
        else:
            report(problems, name, "not among the files named: none of its rows is read")
            read[name] = None
    out = TableSet()
    out.projects = _unique(read["projects.csv"] or [], problems)
    out.organisations = _unique(read["organisations.csv"] or [], problems)
    projects = {p.id for p in out.projects}
    orgs = {o.id for o in out.organisations}
    for name, refers in (("participations.csv", ("projects.csv", "organisations.csv")),
                         ("grants.csv", ("organisations.csv",))):
        unread = [f for f in refers if read[f] is None]
        if read[name] and unread:
            report(problems, name, f"its rows refer to {' and '.join(unread)}, which could not be read: "
                                   "none is imported")
            read[name] = []
    for r in read["participations.csv"] or []:
        why = [f"{column} {value!r} is not an id of {file}" for column, value, ids, file in (
            ("project", r.project, projects, "projects.csv"), ("organisation", r.organisation, orgs,
                                                               "organisations.csv")) if value not in ids]
        if why:
            report(problems, r.location, f"{'; '.join(why)}: the row is left out")
        else:
            out.participations.append(r)
    for g in _unique(read["grants.csv"] or [], problems):
        if (g2 := _resolve_grant(g, projects, orgs, problems)) is not None:
            out.grants.append(g2)
    return out


def _resolve_grant(g: TableGrant, projects: set[str], orgs: set[str], problems: Problems | None) -> TableGrant | None:
    """The grant with ``funds_project`` set, or None (reported) when its references do not resolve."""
    why = []
    if g.funder not in orgs:
        why.append(f"funder {g.funder!r} is not an id of organisations.csv")
    if g.funded in projects and g.funded in orgs:
        why.append(f"funded {g.funded!r} is the id of a project and of an organisation")
    elif g.funded not in projects and g.funded not in orgs:
        why.append(f"funded {g.funded!r} is neither a project id of projects.csv nor an organisation id of "
                   "organisations.csv")
    if why:
        report(problems, g.location, f"{'; '.join(why)}: the row is left out")
        return None
    if g.funded in projects:
        return g
    if g.share is not None:
        report(problems, g.location, f"share: a share of a project's budget, but {g.funded!r} is an organisation "
                                     "(core funding): not read")
    return replace(g, share=None, funds_project=False)
