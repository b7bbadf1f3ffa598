"""Forskningsrådet rows (:mod:`ngograph.sources.forskningsradet`) as ngograph records
(:mod:`ngograph.records.types`). The mapping table is in docs/sources.md; in short:

- ``Prosjektnr`` is the H2020 grant id, so a project is ``project/cordis/{Prosjektnr}`` with
  the identifier ``CORDIS-PROJECT``: the same node as the CORDIS official-table project, each
  source's statements in its own graph. Title (``en``), acronym, contract start and end
  (written ``dd.mm.yyyy 00:00``: kept as the day), contract status (the CORDIS status scheme)
  and programme (``EU.3.4.`` -> CORDIS legal basis ``H2020-EU.3.4.``) are the project's,
  taken from its first row;
- an organisation is ``organisation/no-brc/{Organisasjonsnummer}`` with its ``NO-BRC``
  identifier and country NO (every row is a Norwegian organisation); a row without a number
  has an organisation local to its participation,
  ``organisation/forskningsradet/{Prosjektnr}/{Deltakernr}`` (reported by the reader);
- a row is a participation ``participation/forskningsradet/{Prosjektnr}/{Deltakernr}`` (the
  same organisation twice in one project stays twice), COORDINATOR -> lead-partner,
  PARTICIPANT -> partner (:data:`ROLES`), the source role kept, ``Deltakernr`` as position and
  the granted amount as its EUR contribution, as written (``329852.49999966``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ngograph.records.types import Code, Identifier, Key, Money, Organisation, Participation, Project, Record, Text
from ngograph.sources.forskningsradet import ForskningsradetParticipation
from ngograph.sources.tabular import SourceDate

__all__ = ["ROLES", "forskningsradet_records"]

#: ``Organisasjon rolle`` -> ngograph role notation (data/vocab/roles.ttl maps the concepts the same way).
ROLES = {"COORDINATOR": "lead-partner", "PARTICIPANT": "partner"}

_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})T00:00(?::00(?:\.0+)?)?")
_PROGRAMME = re.compile(r"EU(\.[0-9A-Za-z]+)+\.?")


def _day(d: SourceDate | None) -> str | None:
    """A contract date: the day when the time is midnight (as everywhere in the file), else as written.

    >>> from ngograph.sources.tabular import parse_date
    >>> _day(parse_date("04.05.2015 00:00")), _day(parse_date("04.05.2015 10:30")), _day(None)
    ('2015-05-04', '2015-05-04T10:30', None)
    """
    if d is None:
        return None
    m = _MIDNIGHT.fullmatch(d.iso)
    return m[1] if m else d.iso


def _project(r: ForskningsradetParticipation) -> Project:
    p = Project(("project", "cordis", r.prosjektnr), r.location,
                names=[Text(r.prosjektnavn, "en")] if r.prosjektnavn else [],
                alt_names=[Text(r.prosjektkortnavn)] if r.prosjektkortnavn else [],
                identifiers=[Identifier("CORDIS-PROJECT", r.prosjektnr)],
                start=_day(r.kontrakt_startdato), end=_day(r.kontrakt_sluttdato),
                status=Code("cordis-status", r.kontraktstatus) if r.kontraktstatus else None)
    if r.program_kode_h2020 and _PROGRAMME.fullmatch(r.program_kode_h2020):
        p.subjects.append(Code("cordis-programme", f"H2020-{r.program_kode_h2020}"))
    return p


def forskningsradet_records(rows: Iterable[ForskningsradetParticipation],
                            problems: list[tuple[str, str]]) -> Iterator[Record]:
    """The participations of the rows, then the projects and organisations, each once (from the
    first row that names it; later rows add names an organisation lacked)."""
    projects: dict[Key, Project] = {}
    orgs: dict[Key, Organisation] = {}
    for r in rows:
        if r.prosjektnr is None:
            problems.append((r.location, "no Prosjektnr: the row is left out"))
            continue
        pkey: Key = ("project", "cordis", r.prosjektnr)
        if pkey not in projects:
            projects[pkey] = _project(r)
        position = str(r.deltakernr) if r.deltakernr is not None else r.location.rsplit(" ", 1)[-1]
        if r.organisasjonsnummer:
            okey: Key = ("organisation", "no-brc", r.organisasjonsnummer)
            ids = [Identifier("NO-BRC", r.organisasjonsnummer)]
        else:
            okey, ids = ("organisation", "forskningsradet", r.prosjektnr, position), []
        org = orgs.get(okey)
        if org is None:
            org = orgs[okey] = Organisation(okey, r.location, identifiers=ids, country="NO")
        for name in (Text(r.organisasjonsnavn, "nb") if r.organisasjonsnavn else None,
                     Text(r.kortnavn) if r.kortnavn else None):
            if name and name not in org.names:
                org.names.append(name)
        if r.organisasjon_rolle not in ROLES:
            problems.append((r.location, f"Organisasjon rolle {r.organisasjon_rolle!r} is not COORDINATOR or "
                                         "PARTICIPANT; the participation is left out"))
            continue
        amount = r.innvilget_belop_organisasjon_eur
        yield Participation(("participation", "forskningsradet", r.prosjektnr, position), r.location, pkey, okey,
                            ROLES[r.organisasjon_rolle], Code("forskningsradet-role", r.organisasjon_rolle),
                            r.deltakernr, contribution=Money(amount, "EUR") if amount is not None else None)
    yield from projects.values()
    yield from orgs.values()
