"""Read 360Giving grant files, JSON and CSV, into one record type: :class:`GivingGrant`.

Three shapes reach the same record (``layout`` says which):

- ``standard``: the 360Giving JSON ``{"grants": [...]}`` with the standard nested keys
  (``recipientOrganization[]``, ``fundingOrganization[]``, ``plannedDates[]``,
  ``beneficiaryLocation[]``, ``grantProgramme[]`` ...), in all its vintages (the three OCF
  files differ only in extra keys). Non-standard keys some publishers add are mapped where their
  meaning is plain (dulverton ``Project Start Date``/``Project End Date`` and baring
  ``Planned Dates: {"Duration months": ...}`` -> ``planned_dates``) and otherwise kept as written
  in ``extra`` (``IMPACT``, ``Website``, ``Open Call?``, ``Grant Programme`` ...);
- ``flat``: the flat non-standard keys of an aggregated file (stack.json: ``RecipientOrgIdentifier``,
  ``FundingOrgName``, ``File``, ``Publisher`` ...). Such a file repeats grants of the funders' own
  files: every grant is yielded, with its ``id`` for de-duplication (the mapper keeps one and
  reports each repeat it leaves out);
- ``csv``: the 360Giving CSV column titles (``Recipient Org:Identifier``, ``Amount Awarded``,
  ``Planned Dates:Duration (months)`` ...); unknown columns go to ``extra``.

Values are kept as written, typed where the standard types them: amounts are
:class:`~ngograph.sources.tabular.Number` (JSON ``70667.0`` keeps that text), dates
:class:`~ngograph.sources.tabular.SourceDate` at their precision (``17/03/2014`` day,
``08/2013`` month, ``19 April 2013``, ISO, ``2014-07-16 13:50:00.000000``). A value of the
wrong kind becomes None with a problem. Countries: ``address_country`` as written and
``address_country_code`` only for an ISO 3166-1 code (``UK`` -> GB) or one of the UK names of
:data:`COUNTRY_NAMES`; any other name (``ISRAEL``, ``COMMONWEALTH``, ``London``) is reported, not
guessed. Identifiers (``DUMMY01``, ``360G-ocf-org:06849183``, charity numbers such as
``SCO 08158``) are kept as written for the model to judge.

Column-shifted records (a CSV-to-JSON conversion that broke on commas: free text as the funder
identifier, an identifier as the funder name, text as the currency, a date as the amount) are
yielded with ``shifted=True`` and one problem naming their JSON pointer: do not trust their
values.

>>> from pathlib import Path
>>> folder = Path(__file__).parents[2] / "tests" / "fixtures" / "sources" / "giving360"
>>> grants = list(read_giving360(folder / "nominet.json", []))
>>> g = grants[0]
>>> g.location, g.award_date.iso, g.recipient_organization[0].company_number, g.amount_awarded.text
('nominet.json#/grants/0', '2013-08', '2050843', '70667.0')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ngograph.records.types import out_of_range
from ngograph.sources.tabular import (Column, Number, OutOfRange, Problems, SourceDate, country_code, currency_codes, expand,
                                      iter_json_array, kept, location_of, mis_decoded, parse_date, parse_number,
                                      read_table, report)

__all__ = ["GivingGrant", "GivingOrganisation", "GivingPlannedDates", "GivingLocation", "GivingProgramme",
           "read_giving360", "read_grants_json", "read_grants_csv", "COUNTRY_NAMES", "CSV_COLUMNS"]

#: Names 360Giving publishers write instead of a country code, read as that code (an explicit
#: table: nothing else is guessed).
COUNTRY_NAMES = {"England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
                 "United Kingdom": "GB", "UNITED KINGDOM": "GB"}


@dataclass(frozen=True, slots=True)
class GivingOrganisation:
    """A recipient or funding organisation as the grant describes it (360Giving Organization)."""

    id: str | None = None
    name: str | None = None
    charity_number: str | None = None
    company_number: str | None = None
    alternate_name: str | None = None
    street_address: str | None = None
    address_locality: str | None = None
    address_region: str | None = None
    postal_code: str | None = None
    address_country: str | None = None
    address_country_code: str | None = None
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class GivingPlannedDates:
    """Planned start and end dates and duration in months (``duration``)."""

    start_date: SourceDate | None = None
    end_date: SourceDate | None = None
    duration: int | None = None


@dataclass(frozen=True, slots=True)
class GivingLocation:
    """A beneficiary location: name, country code as written and checked, geographic code."""

    name: str | None = None
    country_code: str | None = None
    geo_code: str | None = None
    geo_code_type: str | None = None


@dataclass(frozen=True, slots=True)
class GivingProgramme:
    """A grant programme of the funder."""

    code: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class GivingGrant:
    """One grant, from a funder to a recipient organisation (360Giving has no consortia).

    ``id`` is the 360Giving grant id (the same id may come from several files: de-duplicate on
    it). ``related_activity`` holds the ids of related grants (Wolfson: the parent grant).
    ``file`` and ``publisher`` come from an aggregated file's ``File``/``Publisher`` keys.
    """

    location: str
    layout: str
    id: str | None
    title: str | None = None
    description: str | None = None
    currency: str | None = None
    amount_awarded: Number | None = None
    amount_disbursed: Number | None = None
    amount_applied_for: Number | None = None
    award_date: SourceDate | None = None
    date_modified: SourceDate | None = None
    planned_dates: tuple[GivingPlannedDates, ...] = ()
    recipient_organization: tuple[GivingOrganisation, ...] = ()
    funding_organization: tuple[GivingOrganisation, ...] = ()
    beneficiary_location: tuple[GivingLocation, ...] = ()
    grant_programme: tuple[GivingProgramme, ...] = ()
    related_activity: tuple[str, ...] = ()
    url: str | None = None
    data_source: str | None = None
    from_open_call: str | None = None
    file: str | None = None
    publisher: str | None = None
    extra: dict = field(default_factory=dict)
    shifted: bool = False
    problems: tuple[str, ...] = ()


_ORG_KEYS = {"id": "id", "name": "name", "charityNumber": "charity_number", "companyNumber": "company_number",
             "alternateName": "alternate_name", "streetAddress": "street_address",
             "addressLocality": "address_locality", "addressRegion": "address_region", "postalCode": "postal_code",
             "addressCountry": "address_country", "description": "description", "url": "url"}
_LOCATION_KEYS = {"name": "name", "countryCode": "country_code", "geoCode": "geo_code", "geoCodeType": "geo_code_type"}
_PROGRAMME_KEYS = {"code": "code", "title": "title"}
_TEXT_KEYS = {"id": "id", "title": "title", "description": "description", "currency": "currency", "url": "url",
              "dataSource": "data_source", "fromOpenCall": "from_open_call"}
_AMOUNT_KEYS = {"amountAwarded": "amount_awarded", "amountDisbursed": "amount_disbursed",
                "amountAppliedFor": "amount_applied_for"}
_DATE_KEYS = {"awardDate": "award_date", "dateModified": "date_modified"}
_LIST_KEYS = {"plannedDates", "recipientOrganization", "fundingOrganization", "beneficiaryLocation",
              "grantProgramme", "relatedActivity"}
_FLAT_KEYS = {"RecipientOrgIdentifier": ("recipientOrganization", "id"), "RecipientOrgName": ("recipientOrganization", "name"),
              "FundingOrgIdentifier": ("fundingOrganization", "id"), "FundingOrgName": ("fundingOrganization", "name")}
_STANDARD_KEYS = set(_TEXT_KEYS) | set(_AMOUNT_KEYS) | set(_DATE_KEYS) | _LIST_KEYS
#: Non-standard keys with a plain standard meaning -> the plannedDates key they fill.
_PLANNED_KEYS = {"Project Start Date": "startDate", "Project End Date": "endDate", "Planned Dates": "duration"}
_DURATION = re.compile(r"(\d+)(?: months?)?")


class _Builder:
    """Turns one grant object (standard keys, already normalised from the flat or CSV shape)
    into a :class:`GivingGrant`, collecting notes about values it could not read."""

    def __init__(self):
        self.notes: list[str] = []

    def text(self, value, where: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, Number)) and not isinstance(value, bool):
            return str(value) if not isinstance(value, Number) else value.text
        self.notes.append(f"{where}: expected text, found {type(value).__name__}; read as missing")
        return None

    def amount(self, value, where: str) -> Number | None:
        if value is None or value == "":
            return None
        number, too_large = None, False
        if isinstance(value, Number):
            number = value
        elif isinstance(value, int) and not isinstance(value, bool):
            number = Number(str(value))
        elif isinstance(value, str):
            try:
                number = parse_number(value.strip(), decimal_comma=False)
            except OutOfRange:
                too_large = True
            except ValueError:
                pass
        if number is not None:  # a JSON number is not read by parse_number: its range tested here, as every reader's
            too_large = out_of_range(number)
            if not too_large:
                return number
        written = value.text if isinstance(value, Number) else str(value)
        shown = repr(written) if len(written) <= 58 else f"{repr(written)[:57]}…"
        self.notes.append(f"{where}: {shown} is not an amount" + (" (10^15 or more)" if too_large else "")
                          + "; read as missing")
        return None

    def date(self, value, where: str) -> SourceDate | None:
        text = self.text(value, where)
        if text is None:
            return None
        try:
            return parse_date(text.strip())
        except ValueError as exc:
            self.notes.append(f"{where}: {exc}; read as missing")
            return None

    def objects(self, value, where: str) -> list[tuple[str, dict]]:
        """A list of objects (a single object is read as a list of one)."""
        if value is None:
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.notes.append(f"{where}: expected a list of objects, found {type(value).__name__}; not read")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{where}/{i}", item))
            else:
                self.notes.append(f"{where}/{i}: expected an object, found {type(item).__name__}; not read")
        return found

    def record(self, obj: dict, keys: dict[str, str], where: str) -> dict:
        return {name: self.text(obj.get(key), f"{where}/{key}") for key, name in keys.items()}

    def country(self, text: str | None, where: str) -> str | None:
        if text is None:
            return None
        # a code as ISO writes it (``gb`` is GB, as the table template reads it); a name as written
        code, note = country_code(text.upper() if len(text) == 2 else text, COUNTRY_NAMES)
        if code is None:  # the message quotes the value as written
            note = country_code(text, COUNTRY_NAMES)[1]
        if note:
            self.notes.append(f"{where}: {note}")
        return code

    def organisation(self, obj: dict, where: str) -> GivingOrganisation:
        values = self.record(obj, _ORG_KEYS, where)
        values["address_country_code"] = self.country(values["address_country"], f"{where}/addressCountry")
        return GivingOrganisation(**values)

    def planned(self, obj: dict, where: str) -> GivingPlannedDates:
        duration = self.text(obj.get("duration"), f"{where}/duration")
        months = None
        if duration is not None:
            if m := _DURATION.fullmatch(duration.strip()):
                months = int(m[1])
            else:
                self.notes.append(f"{where}/duration: {duration!r} is not a number of months; read as missing")
        return GivingPlannedDates(self.date(obj.get("startDate"), f"{where}/startDate"),
                                  self.date(obj.get("endDate"), f"{where}/endDate"), months)

    def location(self, obj: dict, where: str) -> GivingLocation:
        values = self.record(obj, _LOCATION_KEYS, where)
        if values["country_code"] is not None:
            code = self.country(values["country_code"], f"{where}/countryCode")
            values["country_code"] = code
        return GivingLocation(**values)

    def grant(self, obj: dict, location: str, layout: str, extra: dict, file: str | None,
              publisher: str | None) -> GivingGrant:
        values: dict = {name: self.text(obj.get(key), f"/{key}") for key, name in _TEXT_KEYS.items()}
        values.update({name: self.amount(obj.get(key), f"/{key}") for key, name in _AMOUNT_KEYS.items()})
        values.update({name: self.date(obj.get(key), f"/{key}") for key, name in _DATE_KEYS.items()})
        values["planned_dates"] = tuple(self.planned(o, w) for w, o in self.objects(obj.get("plannedDates"), "/plannedDates"))
        for key, name in (("recipientOrganization", "recipient_organization"),
                          ("fundingOrganization", "funding_organization")):
            values[name] = tuple(self.organisation(o, w) for w, o in self.objects(obj.get(key), f"/{key}"))
        values["beneficiary_location"] = tuple(self.location(o, w) for w, o in
                                               self.objects(obj.get("beneficiaryLocation"), "/beneficiaryLocation"))
        values["grant_programme"] = tuple(GivingProgramme(**self.record(o, _PROGRAMME_KEYS, w)) for w, o in
                                          self.objects(obj.get("grantProgramme"), "/grantProgramme"))
        related = obj.get("relatedActivity")
        related = [related] if isinstance(related, str) else related or []
        values["related_activity"] = tuple(t for i, r in enumerate(related) if (t := self.text(r, f"/relatedActivity/{i}")))
        if values["id"] is None:
            self.notes.append("no grant id")
        currency = values["currency"]
        if currency is not None and currency not in currency_codes():
            self.notes.append(f"/currency: {currency[:40]!r} is not an ISO 4217 currency code; kept as written")
        for key in ("title", "description"):
            if values[key] and (bad := mis_decoded(values[key])):
                self.notes.append(f"/{key}: holds {bad!r}, likely mis-decoded text; kept as written")
        shifted = _shift_reasons(obj, values)
        if shifted:
            self.notes.append("columns shifted in the source (" + "; ".join(shifted) + "): its values are not where "
                              "its keys say")
        return GivingGrant(location, layout, file=file, publisher=publisher, extra=extra, shifted=bool(shifted),
                           problems=(), **values)


_ORG_ID_LIKE = re.compile(r"[A-Z]{2}|[A-Z]{2,}-[A-Z]{2,}-\S+")


def _is_number(value) -> bool:
    """A JSON number, or a text that is one (however large): not another column's text in an amount's place."""
    if isinstance(value, (int, Number)):
        return True
    try:
        parse_number(str(value).strip(), decimal_comma=False)
    except OutOfRange:
        return True
    except ValueError:
        return False
    return True


def _shift_reasons(obj: dict, values: dict) -> list[str]:
    """Why a grant looks column-shifted (values of one key under another), or [] when it does not.

    Signs: a funder identifier that is free text (spaces, quotes, a web address), a funder name
    that is an identifier or a country code, a currency that is not three capitals, an amount or
    award date that is not one.
    """
    reasons = []
    for funder in values["funding_organization"]:
        if funder.id and (re.search(r"\s|\"|^(?:https?://|www\.)", funder.id)):
            reasons.append(f"funder identifier {funder.id[:50]!r} is free text")
        if funder.name and _ORG_ID_LIKE.fullmatch(funder.name):
            reasons.append(f"funder name {funder.name!r} is an identifier or a country code")
    if values["currency"] is not None and not re.fullmatch(r"[A-Z]{3}", values["currency"]):
        reasons.append("currency is not a currency code")
    if obj.get("amountAwarded") not in (None, "") and values["amount_awarded"] is None and \
            not _is_number(obj["amountAwarded"]):  # a number out of range is no shifted text
        reasons.append("amountAwarded is not an amount")
    if obj.get("awardDate") not in (None, "") and values["award_date"] is None:
        reasons.append("awardDate is not a date")
    return reasons


def _standardise(raw: dict) -> tuple[dict, dict, str, str | None, str | None]:
    """A grant object in the standard shape, the keys left as ``extra``, the layout, File, Publisher.

    Standard keys are taken first; a non-standard key whose meaning is plain then fills the
    standard place only where the grant leaves it empty (else it stays in ``extra``).
    """
    obj: dict = {k: v for k, v in raw.items() if k in _STANDARD_KEYS}
    extra: dict = {}
    layout = "flat" if any(k in raw for k in _FLAT_KEYS) else "standard"
    for key, value in raw.items():
        if key in _STANDARD_KEYS or key in ("File", "Publisher"):
            continue
        if key in _FLAT_KEYS:
            target, sub = _FLAT_KEYS[key]
            place = obj.setdefault(target, [{}])
        elif key in _PLANNED_KEYS and (key != "Planned Dates" or isinstance(value, dict) and len(value) == 1):
            sub = _PLANNED_KEYS[key]
            value = value["Duration months"] if key == "Planned Dates" else value
            place = obj.setdefault("plannedDates", [{}])
        else:
            extra[key] = value
            continue
        if isinstance(place, list) and place and isinstance(place[0], dict) and sub not in place[0]:
            place[0][sub] = value
        else:
            extra[key] = value
    file, publisher = raw.get("File"), raw.get("Publisher")
    return obj, extra, layout, file if isinstance(file, str) else None, publisher if isinstance(publisher, str) else None


def read_grants_json(path: str | Path, problems: Problems | None = None) -> Iterator[GivingGrant]:
    """The grants of a 360Giving JSON file (``{"grants": [...]}``; standard or flat keys),
    read one at a time."""
    name = Path(path).name
    for pointer, raw in iter_json_array(path, "grants", problems):
        loc = location_of(name, pointer=pointer)
        if not isinstance(raw, dict):
            report(problems, loc, f"a grant must be a JSON object, found {type(raw).__name__}: skipped")
            continue
        obj, extra, layout, file, publisher = _standardise(raw)
        builder = _Builder()
        grant = builder.grant(obj, loc, layout, extra, file, publisher)
        notes = [f"{pointer}{n}" if n.startswith("/") else n for n in builder.notes]
        yield _with_problems(grant, kept(problems, loc, notes))


def _with_problems(grant: GivingGrant, problems: tuple[str, ...]) -> GivingGrant:
    if not problems:
        return grant
    values = {name: getattr(grant, name) for name in GivingGrant.__dataclass_fields__}
    values["problems"] = problems
    return GivingGrant(**values)


#: 360Giving CSV column titles -> (standard key, sub-key or None).
CSV_COLUMNS = {
    "Identifier": ("id", None), "Title": ("title", None), "Description": ("description", None),
    "Currency": ("currency", None), "Amount Applied For": ("amountAppliedFor", None),
    "Amount Awarded": ("amountAwarded", None), "Amount Disbursed": ("amountDisbursed", None),
    "Award Date": ("awardDate", None), "URL": ("url", None), "Last modified": ("dateModified", None),
    "Last Modified": ("dateModified", None), "Data Source": ("dataSource", None),
    "From an open call?": ("fromOpenCall", None), "From An Open Call?": ("fromOpenCall", None),
    "Related Activity:Identifier": ("relatedActivity", None),
    "Planned Dates:Start Date": ("plannedDates", "startDate"), "Planned Dates:End Date": ("plannedDates", "endDate"),
    "Planned Dates:Duration (months)": ("plannedDates", "duration"),
    "Funding Org:Identifier": ("fundingOrganization", "id"), "Funding Org:Name": ("fundingOrganization", "name"),
    "Recipient Org:Identifier": ("recipientOrganization", "id"), "Recipient Org:Name": ("recipientOrganization", "name"),
    "Recipient Org:Charity Number": ("recipientOrganization", "charityNumber"),
    "Recipient Org:Company Number": ("recipientOrganization", "companyNumber"),
    "Recipient Org:Alternate Name": ("recipientOrganization", "alternateName"),
    "Recipient Org:Street Address": ("recipientOrganization", "streetAddress"),
    "Recipient Org:City": ("recipientOrganization", "addressLocality"),
    "Recipient Org:County": ("recipientOrganization", "addressRegion"),
    "Recipient Org:Postal Code": ("recipientOrganization", "postalCode"),
    "Recipient Org:Country": ("recipientOrganization", "addressCountry"),
    "Recipient Org:Description": ("recipientOrganization", "description"),
    "Recipient Org:Web Address": ("recipientOrganization", "url"),
    "Beneficiary Location:Name": ("beneficiaryLocation", "name"),
    "Beneficiary Location:Country Code": ("beneficiaryLocation", "countryCode"),
    "Beneficiary Location:Geographic Code": ("beneficiaryLocation", "geoCode"),
    "Beneficiary Location:Geographic Code Type": ("beneficiaryLocation", "geoCodeType"),
    "Grant Programme:Code": ("grantProgramme", "code"), "Grant Programme:Title": ("grantProgramme", "title"),
}
_CSV = [Column(title, title, required=(title == "Identifier")) for title in CSV_COLUMNS]


def read_grants_csv(path: str | Path, problems: Problems | None = None) -> Iterator[GivingGrant]:
    """The grants of a 360Giving CSV file (one per row; quoted cells may hold line breaks)."""
    for loc, cells, notes in read_table(path, _CSV, problems, extra=True):
        extra = cells.pop("extra")
        obj: dict = {}
        for title, text in cells.items():
            if text is None:
                continue
            key, sub = CSV_COLUMNS[title]
            if sub is None:
                obj[key] = text
            else:
                obj.setdefault(key, [{}])[0][sub] = text
        builder = _Builder()
        grant = builder.grant(obj, loc, "csv", extra, None, None)
        yield _with_problems(grant, kept(problems, loc, notes + [_csv_note(n) for n in builder.notes]))


_STANDARD_TO_CSV = {(key, sub): title for title, (key, sub) in reversed(list(CSV_COLUMNS.items()))}


def _csv_note(note: str) -> str:
    """A builder note about ``/recipientOrganization/0/addressCountry`` in the CSV's words."""
    if m := re.match(r"/(\w+)(?:/0/(\w+))?: ", note):
        title = _STANDARD_TO_CSV.get((m[1], m[2]))
        if title:
            return f"{title}: {note[m.end():]}"
    return note


def read_giving360(paths: str | Path | Iterable[str | Path], problems: Problems | None = None) -> Iterator[GivingGrant]:
    """Every grant of the 360Giving files named (folders: their ``.json`` and ``.csv`` files).

    A grant id may come again in another file (an aggregate such as stack.json repeats the funders'
    own files): every grant is yielded as read, and which one is kept is the mapper's choice
    (:func:`ngograph.sources.giving360_records.giving360_records`, which reports each one it leaves
    out). Grants are read one at a time.
    """
    for path in expand(paths, (".json", ".csv", ".json.gz", ".csv.gz")):
        reader = read_grants_csv if ".csv" in path.name else read_grants_json
        yield from reader(path, problems)
