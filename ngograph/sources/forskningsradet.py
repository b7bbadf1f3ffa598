"""Read the Research Council of Norway's "Bevilgninger fra EU" table (H2020 grants to Norwegian
organisations): one :class:`ForskningsradetParticipation` per row.

The file is semicolon-delimited with CRLF line ends and Norwegian headers; the fields are the
44 headers in snake case, ASCII-folded (``Innvilget beløp organisasjon EUR`` ->
``innvilget_belop_organisasjon_eur``). What the rows hold and how it is read:

- ``prosjektnr`` is the H2020 grant id, the CORDIS project ``id`` (text);
- ``organisasjonsnummer`` the Norwegian organisation number (9 digits, Brønnøysund; a number
  that fails the mod-11 check is kept and reported; a row without one is kept and reported);
- ``deltakernr`` the participant number in the consortium (CORDIS ``order``): the same
  organisation twice in one project gives two rows with two numbers;
- dates ``dd.mm.yyyy HH:MM`` -> :class:`~ngograph.sources.tabular.SourceDate` (precision
  ``datetime``; every time in the file is 00:00);
- the amount keeps its float noise: ``innvilget_belop_organisasjon_eur.text`` is
  ``"329852.49999966"`` as written, and the value is that exact Decimal;
- ``ukjent`` ("unknown") is a missing value in the name and R&D-sector columns;
- ``vurderingspanel`` holds several panels joined by `` | ``: a tuple;
- the control character U+001A (the file's lossy spelling of ``ł`` in "Skłodowska") is kept
  as written and reported once per file with the number of cells.

Only Norwegian participants are listed; the country (NO) is implicit.

>>> from pathlib import Path
>>> fixture = Path(__file__).parents[2] / "tests" / "fixtures" / "sources" / "forskningsradet" / "dataset.csv"
>>> rows = list(read_forskningsradet(fixture, []))
>>> rows[8].prosjektnr, rows[8].organisasjonsnummer, rows[8].innvilget_belop_organisasjon_eur.text
('642420', '970141669', '994310.00999955')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ngograph.sources.tabular import (Column, Number, Problems, SourceDate, expand, kept, parse_date, parse_int,
                                      parse_number, read_table, snake_case)

__all__ = ["ForskningsradetParticipation", "read_forskningsradet", "HEADERS", "orgnr_valid"]

#: The 44 columns of dataset.csv, in file order.
HEADERS = (
    "Rammeprogram", "Traktat kode (H2020)", "Programområde kode (H2020)", "Programområde (H2020)",
    "Program kode (H2020)", "Programkortnavn (H2020)", "Program (H2020)", "Programnivå 1 kortnavn (H2020)",
    "Programnivå 1 kode (H2020)", "Programnivå 1 (H2020)", "Prosjektnr", "Prosjektkortnavn", "Prosjektnavn",
    "Utlysnings-id", "Overordnet utlysnings-id", "Topic kode", "Topic", "Søknadstype", "Søknadstypenavn",
    "Kontraktstatus", "Kontrakt signeringsdato", "Kontrakt startdato", "Kontrakt sluttdato", "Søknadsfrist",
    "Søknadsdato", "Varighet måneder", "Vurderingspanel", "Organisasjonsnummer", "Organisasjonsnavn", "Kortnavn",
    "Organisasjon rolle", "Organisasjon finansiell rolle", "Deltakernr", "FoU sektorkode", "FoU sektor",
    "FoU kategori", "Kontraktspart 1", "Kontraktspart 2", "Adresse kommunenummer", "Adresse kommune",
    "Adresse fylkenummer", "Adresse fylke", "Adresse landsdel", "Innvilget beløp organisasjon EUR",
)


@dataclass(frozen=True, slots=True)
class ForskningsradetParticipation:
    """One row: a Norwegian organisation's participation in an H2020 project (fields: the
    columns of :data:`HEADERS` in snake case; see the module docstring for their types)."""

    location: str
    rammeprogram: str | None
    traktat_kode_h2020: str | None
    programomrade_kode_h2020: str | None
    programomrade_h2020: str | None
    program_kode_h2020: str | None
    programkortnavn_h2020: str | None
    program_h2020: str | None
    programniva_1_kortnavn_h2020: str | None
    programniva_1_kode_h2020: str | None
    programniva_1_h2020: str | None
    prosjektnr: str
    prosjektkortnavn: str | None
    prosjektnavn: str | None
    utlysnings_id: str | None
    overordnet_utlysnings_id: str | None
    topic_kode: str | None
    topic: str | None
    soknadstype: str | None
    soknadstypenavn: str | None
    kontraktstatus: str | None
    kontrakt_signeringsdato: SourceDate | None
    kontrakt_startdato: SourceDate | None
    kontrakt_sluttdato: SourceDate | None
    soknadsfrist: SourceDate | None
    soknadsdato: SourceDate | None
    varighet_maneder: int | None
    vurderingspanel: tuple[str, ...]
    organisasjonsnummer: str | None
    organisasjonsnavn: str | None
    kortnavn: str | None
    organisasjon_rolle: str | None
    organisasjon_finansiell_rolle: str | None
    deltakernr: int | None
    fou_sektorkode: str | None
    fou_sektor: str | None
    fou_kategori: str | None
    kontraktspart_1: str | None
    kontraktspart_2: str | None
    adresse_kommunenummer: str | None
    adresse_kommune: str | None
    adresse_fylkenummer: str | None
    adresse_fylke: str | None
    adresse_landsdel: str | None
    innvilget_belop_organisasjon_eur: Number | None
    problems: tuple[str, ...] = ()


_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def orgnr_valid(number: str) -> bool:
    """Whether a Norwegian organisation number passes the Brønnøysund mod-11 check.

    >>> orgnr_valid("970141669"), orgnr_valid("970141668"), orgnr_valid("97014166")
    (True, False, False)
    """
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    rest = sum(int(d) * w for d, w in zip(number, _WEIGHTS)) % 11
    check = 0 if rest == 0 else 11 - rest
    return check != 10 and check == int(number[8])


def _panels(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(" | "))


_UKJENT = frozenset({"", "ukjent"})
_PARSE = {"Kontrakt signeringsdato": parse_date, "Kontrakt startdato": parse_date, "Kontrakt sluttdato": parse_date,
          "Søknadsfrist": parse_date, "Søknadsdato": parse_date, "Varighet måneder": parse_int,
          "Vurderingspanel": _panels, "Deltakernr": parse_int,
          "Innvilget beløp organisasjon EUR": lambda text: parse_number(text, decimal_comma=False)}
_UKJENT_COLUMNS = {"Organisasjonsnavn", "Kortnavn", "FoU sektorkode", "FoU sektor", "FoU kategori"}
_COLUMNS = [Column(h, snake_case(h), _PARSE.get(h), missing=_UKJENT if h in _UKJENT_COLUMNS else frozenset({""}))
            for h in HEADERS]


def read_forskningsradet(paths: str | Path | Iterable[str | Path],
                         problems: Problems | None = None) -> Iterator[ForskningsradetParticipation]:
    """Every row of the dataset.csv files named (folders: their ``.csv`` files but fields.csv)."""
    for path in expand(paths, (".csv", ".csv.gz")):
        if path.name.startswith("fields."):
            continue
        for loc, fields, notes in read_table(path, _COLUMNS, problems, delimiter=";"):
            number = fields["organisasjonsnummer"]
            if number is None:
                notes.append("no Organisasjonsnummer (organisation number): the organisation cannot be keyed")
            elif not orgnr_valid(number):
                notes.append(f"Organisasjonsnummer {number!r} is not a valid Norwegian organisation number "
                             "(9 digits, mod-11): kept as written")
            if fields["prosjektnr"] is None:
                notes.append("no Prosjektnr (project id)")
            fields["vurderingspanel"] = fields["vurderingspanel"] or ()
            yield ForskningsradetParticipation(loc, problems=kept(problems, loc, notes), **fields)
