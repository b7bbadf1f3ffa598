"""Read CORDIS tables as they are written: typed records that mirror CORDIS's own columns.

Layouts, recognised by their header row (comma or semicolon, sniffed; ``.csv`` or ``.csv.gz``):

- the processed H2020 participation table (eunets ``h2020.csv.gz``): one
  :class:`CordisParticipation` per row (rcn, PIC, role, activity type, EC contribution,
  country, project dates and costs); R's ``NA`` is a missing value in every column but
  ``country``, where it is Namibia (read so and reported);
- its ``programme_parts.csv.gz``: :class:`CordisProgrammePart` (rcn -> H2020 pillar code);
- the official project table (``project.csv``; H2020 and Horizon Europe): :class:`CordisProject`;
- the official organisation table (``organization.csv``): :class:`CordisOrganisation`, one per
  row, i.e. per organisation AND project; ``order`` is kept, so a PIC listed twice in one
  project (a participant that is also a third party) stays two records;
- the project link tables ``topics``, ``legalBasis`` and ``euroSciVoc``: :class:`CordisProjectTerm`.

Every record carries its ``location`` (``"file:row N"``, N the 1-based data row) and the
``problems`` it was kept with. Numbers are :class:`~ngograph.sources.tabular.Number`
(Decimals that keep the text as written: ``totalCost`` ``"468163,75"`` has a decimal comma,
``"2253128.8525"`` float noise); dates are :class:`~ngograph.sources.tabular.SourceDate`;
identifiers (rcn, grant id, PIC, VAT) stay text. Countries: ``country`` is the ISO code
(``UK`` -> GB, ``EL`` -> GR, ``XK`` kept), ``country_as_written`` the cell. Roles and activity
types are kept as CORDIS writes them (coordinator, participant, partner, thirdParty,
internationalPartner, associatedPartner; HES, REC, PRC, PUB, OTH); an unknown one is kept and
reported.

>>> from pathlib import Path
>>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures" / "sources" / "cordis"
>>> found = []
>>> rows = list(read_cordis(fixtures / "h2020.csv.gz", found))
>>> len(rows), rows[0].location, rows[0].rcn, rows[0].role, rows[0].total_cost
(14, 'h2020.csv.gz:row 1', '231469', 'coordinator', None)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ngograph.sources.tabular import (MISSING_NA, Column, Number, Problems, SourceDate, country_code, expand,
                                      header_of, kept, parse_bool, parse_date, parse_int, parse_number, read_table,
                                      report)

__all__ = ["CordisParticipation", "CordisProgrammePart", "CordisProject", "CordisOrganisation", "CordisProjectTerm",
           "read_cordis", "read_participations", "read_programme_parts", "read_projects", "read_organisations",
           "read_project_terms", "ROLES", "ACTIVITY_TYPES"]

#: The roles CORDIS writes (H2020 and Horizon Europe).
ROLES = frozenset({"coordinator", "participant", "partner", "thirdParty", "internationalPartner",
                   "associatedPartner"})
#: CORDIS activity types: higher or secondary education, research organisation, private for-profit,
#: public body, other.
ACTIVITY_TYPES = frozenset({"HES", "REC", "PRC", "PUB", "OTH"})

_NA = MISSING_NA


@dataclass(frozen=True, slots=True)
class CordisParticipation:
    """One row of the processed H2020 participation table: an organisation (PIC) in a project (rcn).

    ``rcn`` is CORDIS's record number of the PROJECT (not its grant id). ``type`` is the
    activity type. ``contribution`` is the EC contribution to this participant (EUR);
    ``max_contribution`` and ``total_cost`` are the project's. ``nunique`` is kept as written:
    it counts the project's distinct countries, not its participants.
    """

    location: str
    rcn: str
    role: str | None
    pic: str
    type: str | None
    contribution: Number | None
    country: str | None
    country_as_written: str | None
    start_date: SourceDate | None
    end_date: SourceDate | None
    max_contribution: Number | None
    total_cost: Number | None
    start_year: int | None
    end_year: int | None
    duration: int | None
    group: str | None
    nunique: int | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CordisProgrammePart:
    """One row of ``programme_parts``: a project (rcn) and an H2020 programme part (``SC4``, ``ERC``...)."""

    location: str
    rcn: str
    programme_part: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CordisProject:
    """One row of the official CORDIS project table (H2020 ``project.csv``, Horizon Europe alike).

    ``id`` is the grant id (the project id Forskningsrådet uses, ``grant_doi`` 10.3030/{id});
    ``rcn`` the project's record number. ``legal_basis`` and ``topics`` are codes
    (``H2020-EU.3.4.``); ``nature`` exists in H2020 files only.
    """

    location: str
    id: str
    acronym: str | None
    status: str | None
    title: str | None
    start_date: SourceDate | None
    end_date: SourceDate | None
    total_cost: Number | None
    ec_max_contribution: Number | None
    legal_basis: str | None
    topics: str | None
    ec_signature_date: SourceDate | None
    framework_programme: str | None
    master_call: str | None
    sub_call: str | None
    funding_scheme: str | None
    nature: str | None
    objective: str | None
    content_update_date: SourceDate | None
    rcn: str | None
    grant_doi: str | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CordisOrganisation:
    """One row of the official CORDIS organisation table: an organisation (PIC
    ``organisation_id``) in a project (``project_id``, the grant id) with its ``role`` and
    ``order`` (unique per project; the same PIC may come twice with two orders).

    ``rcn`` here is the ORGANISATION's record number. ``ec_contribution``,
    ``net_ec_contribution`` and ``total_cost`` are this participant's (EUR). ``geolocation`` is
    the cell as written (``"lat,lon"``), ``latitude``/``longitude`` its numbers. ``nuts_code``
    is kept as written (Horizon Europe sometimes puts a bare country code there). ``active``
    exists in some H2020 extracts only.
    """

    location: str
    project_id: str
    project_acronym: str | None
    organisation_id: str
    vat_number: str | None
    name: str | None
    short_name: str | None
    sme: bool | None
    activity_type: str | None
    street: str | None
    post_code: str | None
    city: str | None
    country: str | None
    country_as_written: str | None
    nuts_code: str | None
    geolocation: str | None
    latitude: Number | None
    longitude: Number | None
    organization_url: str | None
    contact_form: str | None
    content_update_date: SourceDate | None
    rcn: str | None
    order: int | None
    role: str | None
    ec_contribution: Number | None
    net_ec_contribution: Number | None
    total_cost: Number | None
    end_of_participation: bool | None
    active: bool | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CordisProjectTerm:
    """One row of a project link table: ``scheme`` ``topic`` (topics.csv: code, title),
    ``legalBasis`` (code, title, ``unique_programme_part``) or ``euroSciVoc`` (code, title,
    ``path`` such as ``/natural sciences/biological sciences/...``)."""

    location: str
    scheme: str
    project_id: str
    code: str
    title: str | None
    path: str | None = None
    unique_programme_part: bool | None = None
    problems: tuple[str, ...] = ()


def _country(fields: dict, notes: list[str]) -> None:
    written = fields["country"]
    fields["country_as_written"] = written
    if written is not None:
        fields["country"], note = country_code(written)
        if note:
            notes.append(note)


def _known(fields: dict, notes: list[str], field: str, allowed: frozenset[str], what: str) -> None:
    if fields[field] is not None and fields[field] not in allowed:
        notes.append(f"{what} {fields[field]!r} is not one CORDIS uses: kept as written")


_PARTICIPATION = [
    Column("rcn", "rcn"), Column("role", "role", missing=_NA), Column("pic", "pic"),
    Column("type", "type", missing=_NA), Column("contribution", "contribution", parse_number, missing=_NA),
    Column("country", "country"), Column("start_date", "start_date", parse_date, missing=_NA),
    Column("end_date", "end_date", parse_date, missing=_NA),
    Column("max_contribution", "max_contribution", parse_number, missing=_NA),
    Column("total_cost", "total_cost", parse_number, missing=_NA),
    Column("start_year", "start_year", parse_int, False, _NA), Column("end_year", "end_year", parse_int, False, _NA),
    Column("duration", "duration", parse_int, False, _NA), Column("group", "group", None, False, _NA),
    Column("nunique", "nunique", parse_int, False, _NA),
]


def read_participations(path: str | Path, problems: Problems | None = None) -> Iterator[CordisParticipation]:
    """The rows of the processed H2020 participation table (``h2020.csv`` / ``.csv.gz``)."""
    for loc, fields, notes in read_table(path, _PARTICIPATION, problems):
        _country(fields, notes)
        _known(fields, notes, "role", ROLES, "role")
        _known(fields, notes, "type", ACTIVITY_TYPES, "activity type")
        yield CordisParticipation(loc, problems=kept(problems, loc, notes), **fields)


_PROGRAMME_PARTS = [Column("rcn", "rcn"), Column("programme_part", "programme_part")]


def read_programme_parts(path: str | Path, problems: Problems | None = None) -> Iterator[CordisProgrammePart]:
    """The rows of ``programme_parts.csv[.gz]`` (rcn, programme_part)."""
    for loc, fields, notes in read_table(path, _PROGRAMME_PARTS, problems):
        yield CordisProgrammePart(loc, problems=kept(problems, loc, notes), **fields)


def _money(text: str) -> Number:
    return parse_number(text, decimal_comma=True)


_PROJECT = [
    Column("id", "id"), Column("acronym", "acronym"), Column("status", "status"), Column("title", "title"),
    Column("startDate", "start_date", parse_date), Column("endDate", "end_date", parse_date),
    Column("totalCost", "total_cost", _money), Column("ecMaxContribution", "ec_max_contribution", _money),
    Column("legalBasis", "legal_basis"), Column("topics", "topics", required=False),
    Column("ecSignatureDate", "ec_signature_date", parse_date, False),
    Column("frameworkProgramme", "framework_programme"), Column("masterCall", "master_call", required=False),
    Column("subCall", "sub_call", required=False), Column("fundingScheme", "funding_scheme"),
    Column("nature", "nature", required=False), Column("objective", "objective", required=False),
    Column("contentUpdateDate", "content_update_date", parse_date, False), Column("rcn", "rcn"),
    Column("grantDoi", "grant_doi", required=False),
]


def read_projects(path: str | Path, problems: Problems | None = None) -> Iterator[CordisProject]:
    """The rows of an official CORDIS project table (H2020 or Horizon Europe ``project.csv``)."""
    for loc, fields, notes in read_table(path, _PROJECT, problems):
        yield CordisProject(loc, problems=kept(problems, loc, notes), **fields)


_ORGANISATION = [
    Column("projectID", "project_id"), Column("projectAcronym", "project_acronym", required=False),
    Column("organisationID", "organisation_id"), Column("vatNumber", "vat_number", required=False),
    Column("name", "name"), Column("shortName", "short_name", required=False),
    Column("SME", "sme", parse_bool, False), Column("activityType", "activity_type"),
    Column("street", "street", required=False), Column("postCode", "post_code", required=False),
    Column("city", "city", required=False), Column("country", "country"),
    Column("nutsCode", "nuts_code", required=False), Column("geolocation", "geolocation", required=False),
    Column("organizationURL", "organization_url", required=False),
    Column("contactForm", "contact_form", required=False),
    Column("contentUpdateDate", "content_update_date", parse_date, False), Column("rcn", "rcn", required=False),
    Column("order", "order", parse_int), Column("role", "role"),
    Column("ecContribution", "ec_contribution", _money), Column("netEcContribution", "net_ec_contribution", _money, False),
    Column("totalCost", "total_cost", _money, False),
    Column("endOfParticipation", "end_of_participation", parse_bool, False),
    Column("active", "active", parse_bool, False),
]


def _geolocation(fields: dict, notes: list[str]) -> None:
    fields["latitude"] = fields["longitude"] = None
    if (text := fields["geolocation"]) is not None:
        try:
            lat, lon = (parse_number(part.strip(), decimal_comma=False) for part in text.split(","))
        except ValueError:
            notes.append(f"geolocation {text!r} is not 'latitude,longitude': kept as text only")
            return
        if abs(lat) > 90 or abs(lon) > 180:
            notes.append(f"geolocation {text!r} is outside -90..90, -180..180: kept as text only")
            return
        fields["latitude"], fields["longitude"] = lat, lon


def read_organisations(path: str | Path, problems: Problems | None = None) -> Iterator[CordisOrganisation]:
    """The rows of an official CORDIS organisation table (H2020 or Horizon Europe ``organization.csv``)."""
    for loc, fields, notes in read_table(path, _ORGANISATION, problems):
        _country(fields, notes)
        _known(fields, notes, "role", ROLES, "role")
        _known(fields, notes, "activity_type", ACTIVITY_TYPES, "activity type")
        _geolocation(fields, notes)
        yield CordisOrganisation(loc, problems=kept(problems, loc, notes), **fields)


_TERMS = {
    "topic": [Column("projectID", "project_id"), Column("topic", "code"), Column("title", "title", required=False)],
    "legalBasis": [Column("projectID", "project_id"), Column("legalBasis", "code"),
                   Column("title", "title", required=False),
                   Column("uniqueProgrammePart", "unique_programme_part", parse_bool, False)],
    "euroSciVoc": [Column("projectID", "project_id"), Column("euroSciVocCode", "code"),
                   Column("euroSciVocTitle", "title", required=False),
                   Column("euroSciVocPath", "path", required=False)],
}


def read_project_terms(path: str | Path, scheme: str, problems: Problems | None = None) -> Iterator[CordisProjectTerm]:
    """The rows of a project link table; ``scheme`` is ``topic``, ``legalBasis`` or ``euroSciVoc``."""
    for loc, fields, notes in read_table(path, _TERMS[scheme], problems):
        yield CordisProjectTerm(loc, scheme, problems=kept(problems, loc, notes), **fields)


def _layout(header: list[str]) -> str | None:
    """Which CORDIS table a header row belongs to.

    >>> _layout(["rcn", "role", "pic", "type"]), _layout(["projectID", "topic", "title"])
    ('participations', 'topic')
    """
    h = set(header)
    if {"rcn", "pic", "role"} <= h:
        return "participations"
    if {"rcn", "programme_part"} <= h:
        return "programme_parts"
    if {"projectID", "organisationID"} <= h:
        return "organisations"
    if {"id", "acronym", "frameworkProgramme"} <= h:
        return "projects"
    if {"projectID", "euroSciVocCode"} <= h:
        return "euroSciVoc"
    if {"projectID", "legalBasis"} <= h:
        return "legalBasis"
    if {"projectID", "topic"} <= h:
        return "topic"
    return None


def read_cordis(paths: str | Path | Iterable[str | Path], problems: Problems | None = None) -> Iterator[object]:
    """Every record of the CORDIS files named (folders: their ``.csv`` and ``.csv.gz`` files),
    each file read by the layout its header row shows; a file of no known layout (webLink,
    say) is reported and skipped."""
    for path in expand(paths, (".csv", ".csv.gz")):
        header = header_of(path)
        layout = _layout(header) if header else None
        if layout == "participations":
            yield from read_participations(path, problems)
        elif layout == "programme_parts":
            yield from read_programme_parts(path, problems)
        elif layout == "organisations":
            yield from read_organisations(path, problems)
        elif layout == "projects":
            yield from read_projects(path, problems)
        elif layout is not None:
            yield from read_project_terms(path, layout, problems)
        else:
            why = "cannot be read or is empty" if header is None else f"header {header[:4]!r}... is no CORDIS table this reader knows"
            report(problems, path.name, f"not read: {why}")
