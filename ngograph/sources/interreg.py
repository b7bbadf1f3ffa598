"""Read the Interreg Sweden partner file (``rawdata*.json``, "Svenska partners i Interreg"
2021-2027): one :class:`InterregPartner` per array item, i.e. per Swedish partner in a project.

The file is a JSON array of flat objects with Swedish keys, kept as the field names (snake
case, ASCII-folded: ``projektår`` -> ``projektar``). Only Swedish partners are listed: the foreign
partners, and the lead partner of most projects, are absent.

Keys and awkward cases:

- The file has no project id (its ``id`` is a row number of the dashboard, not an identifier).
  A project is named by programme + project name, but that name key merges different projects
  (a feasibility study and the regular project that followed it carry one name). The key this
  reader exposes is :attr:`InterregPartner.project_key` = (``program``, ``projektnamn``,
  ``projekttyp``, ``startdatum`` as written); ``name_key`` is (``program``, ``projektnamn``).
  Every name key that covers more than one project key is reported once per file, with the
  JSON pointers of its rows.
- ``nuts3`` and ``nuts2`` hold region NAMES (``Skåne län``, ``Sydsverige``), not NUTS codes, and
  are kept as written.
- A row whose ``slutdatum`` is before its ``startdatum`` is yielded with
  ``ends_before_start=True`` and reported.
- A row without ``organisationsnamn`` is yielded and reported (its organisation has no key).
  Rows that share project key, organisation name and role are reported once per file (none in
  the 2026 file), as a participation keyed on them would merge them.
- ``land`` (``Sverige``) is kept, with ``land_code`` SE from an explicit table.
- ``partnerbudget`` (EUR) is a :class:`~ngograph.sources.tabular.Number` keeping the JSON text.

>>> from pathlib import Path
>>> fixture = Path(__file__).parents[2] / "tests" / "fixtures" / "sources" / "interreg" / "rawdata_2026.json"
>>> rows = list(read_interreg(fixture, []))
>>> r = rows[10]
>>> r.location, r.organisationsroll, r.ends_before_start, r.startdatum.iso, r.slutdatum.iso
('rawdata_2026.json#/10', 'PP', True, '2023-09-01', '2023-08-31')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ngograph.sources.tabular import (Number, Problems, SourceDate, country_code, expand, iter_json_array, kept,
                                      location_of, parse_bool, parse_date, parse_number, report, snake_case)

__all__ = ["InterregPartner", "read_interreg", "KEYS", "ROLES", "COUNTRY_NAMES"]

#: The keys of every item, in file order.
KEYS = ("id", "program", "projekttyp", "startdatum", "slutdatum", "projektnamn", "organisationsnamn",
        "organisationsagande", "organisationstyp", "organisationsroll", "nuts3", "nuts2", "partnerbudget",
        "politisktmal", "specifiktmal", "projektår", "land", "aktiv", "strand_kod", "strand_namn")
#: Lead partner, project partner, associated partner.
ROLES = frozenset({"LP", "PP", "AP"})
#: Country names the file writes, read as ISO codes (an explicit table).
COUNTRY_NAMES = {"Sverige": "SE"}


@dataclass(frozen=True, slots=True)
class InterregPartner:
    """One partner of one Interreg project (the fields are the file's keys; see the module docstring).

    ``organisationsroll``: LP lead partner, PP project partner, AP associated partner.
    ``strand_kod``: A cross-border, B transnational, C interregional. ``politisktmal`` /
    ``specifiktmal``: policy objective (PO1..PO6, ISO) and specific objective (RSO1.1 ...).
    """

    location: str
    id: int | None
    program: str | None
    projekttyp: str | None
    startdatum: SourceDate | None
    slutdatum: SourceDate | None
    projektnamn: str | None
    organisationsnamn: str | None
    organisationsagande: str | None
    organisationstyp: str | None
    organisationsroll: str | None
    nuts3: str | None
    nuts2: str | None
    partnerbudget: Number | None
    politisktmal: str | None
    specifiktmal: str | None
    projektar: int | None
    land: str | None
    land_code: str | None
    aktiv: bool | None
    strand_kod: str | None
    strand_namn: str | None
    ends_before_start: bool = False
    problems: tuple[str, ...] = ()

    @property
    def name_key(self) -> tuple[str | None, str | None]:
        """(programme, project name): the file's own key, which merges some projects."""
        return self.program, self.projektnamn

    @property
    def project_key(self) -> tuple[str | None, str | None, str | None, str | None]:
        """(programme, project name, project type, start date as written): one project."""
        return self.program, self.projektnamn, self.projekttyp, self.startdatum.text if self.startdatum else None


def _value(key: str, value, notes: list[str]):
    """One item value, typed; a value of the wrong kind becomes None with a note."""
    if value is None or value == "":
        return None
    try:
        if key in ("id", "projektår"):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            raise ValueError(f"not a whole number: {value!r}")
        if key == "partnerbudget":
            if isinstance(value, Number):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                return Number(str(value))
            if isinstance(value, str):
                return parse_number(value, decimal_comma=False)
            raise ValueError(f"not a number: {value!r}")
        if not isinstance(value, str):
            raise ValueError(f"not text: {value!r}")
        if key in ("startdatum", "slutdatum"):
            return parse_date(value)
        if key == "aktiv":
            return parse_bool(value)
        return value
    except ValueError as exc:
        notes.append(f"{key}: {exc}; read as missing")
        return None


def read_interreg(paths: str | Path | Iterable[str | Path], problems: Problems | None = None) -> Iterator[InterregPartner]:
    """Every partner row of the Interreg Sweden files named (folders: their ``.json`` files)."""
    for path in expand(paths, (".json", ".json.gz")):
        name = Path(path).name
        projects: dict[tuple, dict[tuple, list[str]]] = defaultdict(lambda: defaultdict(list))
        partners: dict[tuple, list[str]] = defaultdict(list)
        for pointer, item in iter_json_array(path, None, problems):
            loc = location_of(name, pointer=pointer)
            if not isinstance(item, dict):
                report(problems, loc, f"a partner row must be a JSON object, found {type(item).__name__}: skipped")
                continue
            notes: list[str] = []
            if missing := [k for k in KEYS if k not in item]:
                notes.append(f"key(s) absent: {', '.join(missing)}")
            if unknown := [k for k in item if k not in KEYS]:
                notes.append(f"key(s) not read: {', '.join(unknown)}")
            fields = {snake_case(k): _value(k, item.get(k), notes) for k in KEYS}
            fields["land_code"] = None
            if fields["land"] is not None:
                fields["land_code"], note = country_code(fields["land"], COUNTRY_NAMES)
                if note:
                    notes.append(f"land: {note}")
            if fields["organisationsnamn"] is None:
                notes.append("no organisationsnamn (organisation name): the organisation is known by this row only")
            if fields["organisationsroll"] is not None and fields["organisationsroll"] not in ROLES:
                notes.append(f"organisationsroll {fields['organisationsroll']!r} is not LP, PP or AP: kept as written")
            start, end = fields["startdatum"], fields["slutdatum"]
            before = bool(start and end and end.date < start.date)  # flagged; the mapper says what it does with it
            partner = InterregPartner(loc, ends_before_start=before, problems=kept(problems, loc, notes), **fields)
            projects[partner.name_key][partner.project_key].append(pointer)
            if partner.organisationsnamn is not None:
                partners[(*partner.project_key, partner.organisationsnamn, partner.organisationsroll)].append(pointer)
            yield partner
        for (program, project), keys in projects.items():
            if len(keys) > 1:
                parts = "; ".join(f"{k[2]} from {k[3]} ({', '.join(p)})" for k, p in keys.items())
                report(problems, name, f"{program} / {project!r}: one name, {len(keys)} projects by "
                                       f"(projekttyp, startdatum): {parts}")
        for key, pointers in partners.items():
            if len(pointers) > 1:
                report(problems, name, f"{key[4]!r} is {key[5]} twice in {key[0]} / {key[1]!r} ({', '.join(pointers)}): "
                                       "a key of project, organisation name and role would merge these rows")
