"""Spreadsheet template rows (:mod:`ngograph.sources.table`) as ngograph records
(:mod:`ngograph.records.types`). The mapping is the "in the graph" column of docs/template.md;
in short:

- a project is ``project/table/{id}``: its name in ``name_lang`` (the display label), the
  sender's translation as a name tagged ``en-t-{name_lang}`` (transformed content, never the
  label), other names ``und``; an identifier without a scheme gets the scheme code
  ``TABLE-PROJECT``. Projects with the same ``programme`` are the phases of the programme
  ``programme/table/{programme}``, named ``programme_name`` in the first phase's language;
- an organisation with a registry identifier is ``organisation/{scheme}/{identifier}``, the
  scheme lower-cased as IATI, CORDIS and 360Giving mint it (so the same organisation from
  another source is the same node), else ``organisation/table/{id}``. Two rows with one
  registry identifier are one organisation, described by the first (the second is reported);
- a participation is ``participation/table/{project}/{organisation}/{row}`` with its row as
  ``ngo:position``: the same organisation twice in one project stays two participations;
- a grant is ``grant/table/{id}`` (its identifier, the funder's number, with the scheme code
  ``TABLE-GRANT``); a grant to a project also makes its funder a ``funder`` or ``co-funder``
  participation, ``participation/table/{project}/{funder}/grant/{id}``; a grant to an
  organisation is core funding, with no participation.

>>> from collections import Counter
>>> from pathlib import Path
>>> from ngograph.sources.table import read_table_set
>>> records = list(table_records(read_table_set([Path(__file__).parents[2] / "examples"]), []))
>>> sorted(Counter(type(r).__name__ for r in records).items())
[('Grant', 6), ('Organisation', 26), ('Participation', 55), ('Programme', 1), ('Project', 6)]
"""

from __future__ import annotations

from collections.abc import Iterator

from ngograph.errors import SourceError
from ngograph.records.types import (Grant, Identifier, Key, Money, Organisation, Participation, Programme, Project,
                                    Record, Text)
from ngograph.sources.table import TableOrganisation, TableProject, TableSet

__all__ = ["PROJECT_SCHEME", "GRANT_SCHEME", "table_records"]

#: The scheme code of a project identifier given without a scheme.
PROJECT_SCHEME = "TABLE-PROJECT"
#: The scheme code of a grant's identifier (the funder's number for it).
GRANT_SCHEME = "TABLE-GRANT"


def _names(r: TableProject | TableOrganisation) -> list[Text]:
    names = [Text(r.name, r.name_lang)]
    if r.translated_name:
        names.append(Text(r.translated_name, f"en-t-{r.name_lang}"))
    return names


def _money(amount, currency: str | None) -> Money | None:
    return Money(amount, currency) if amount is not None else None


def _organisations(table: TableSet, problems: list[tuple[str, str]]) -> tuple[dict[str, Key], list[Organisation]]:
    """The key of every organisation id, and the organisations, one per key."""
    keys: dict[str, Key] = {}
    by_key: dict[Key, Organisation] = {}
    for r in table.organisations:
        if r.identifier is not None:
            key: Key = ("organisation", r.identifier_scheme.lower(), r.identifier)
            ids = [Identifier(r.identifier_scheme, r.identifier)]
        else:
            key, ids = ("organisation", "table", r.id), []
        keys[r.id] = key
        if key in by_key:
            problems.append((r.location, f"identifier {r.identifier_scheme} {r.identifier} is the identifier of "
                                         f"{by_key[key].location} already: one organisation, described by that row"))
            continue
        by_key[key] = Organisation(key, r.location, names=_names(r), identifiers=ids, country=r.country,
                                   types={r.type} if r.type else set(), url=r.website,
                                   alt_names=[Text(a) for a in r.alt_names])
    return keys, list(by_key.values())


def _projects(table: TableSet, problems: list[tuple[str, str]]) -> tuple[list[Project], list[Programme]]:
    """The projects and the programmes their phases make up."""
    projects: list[Project] = []
    programmes: dict[str, Programme] = {}
    for r in table.projects:
        key: Key = ("project", "table", r.id)
        p = Project(key, r.location, names=_names(r), alt_names=[Text(a) for a in r.alt_names],
                    start=r.start.iso if r.start else None, end=r.end.iso if r.end else None,
                    countries=list(r.countries))
        if r.identifier is not None:
            p.identifiers.append(Identifier(r.identifier_scheme or PROJECT_SCHEME, r.identifier))
        if (budget := _money(r.budget_amount, r.budget_currency)) is not None:
            p.budgets.append(budget)
        if r.programme is not None:
            prog = programmes.setdefault(r.programme, Programme(("programme", "table", r.programme), r.location))
            if r.programme_name is not None:
                if not prog.names:
                    prog.names.append(Text(r.programme_name, r.name_lang))
                elif r.programme_name != prog.names[0].text:
                    problems.append((r.location, f"programme_name {r.programme_name!r} differs from "
                                                 f"{prog.names[0].text!r} of the programme's first named phase: "
                                                 "the first is kept"))
            p.part_of = prog.key
        projects.append(p)
    for pid, prog in list(programmes.items()):
        if not prog.names:
            problems.append((prog.location, f"programme {pid!r} has no programme_name on any phase: its phases are "
                                            "not linked to a programme"))
            del programmes[pid]
            for p in projects:
                if p.part_of == prog.key:
                    p.part_of = None
    return projects, list(programmes.values())


def table_records(table: TableSet, problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The records of one template file set: organisations, projects, programmes, participations, grants.

    Raises :class:`~ngograph.errors.SourceError` (every problem, and that nothing is imported)
    when the set holds no project and no organisation that can be imported.
    """
    if not (table.projects or table.organisations):
        raise SourceError([*problems, ("table", "no project or organisation could be read: nothing is imported")])
    org_keys, orgs = _organisations(table, problems)
    projects, programmes = _projects(table, problems)
    yield from orgs
    yield from projects
    yield from programmes
    for r in table.participations:
        yield Participation(("participation", "table", r.project, r.organisation, str(r.row)), r.location,
                            ("project", "table", r.project), org_keys[r.organisation], r.role, position=r.row,
                            contribution=_money(r.contribution_amount, r.contribution_currency),
                            budget=_money(r.budget_amount, r.budget_currency))
    for g in table.grants:
        funder = org_keys[g.funder]
        funded: Key = ("project", "table", g.funded) if g.funds_project else org_keys[g.funded]
        yield Grant(("grant", "table", g.id), g.location, funder, funded,
                    identifiers=[Identifier(GRANT_SCHEME, g.identifier)] if g.identifier is not None else [],
                    amount=_money(g.amount, g.currency), award_date=g.award_date.iso if g.award_date else None,
                    start=g.start.iso if g.start else None, end=g.end.iso if g.end else None, share=g.share)
        if g.funds_project:
            yield Participation(("participation", "table", g.funded, g.funder, "grant", g.id), g.location, funded,
                                funder, g.role)
