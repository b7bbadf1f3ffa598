"""What the table and JSON readers share: opening files, numbering rows, reading numbers,
dates and country codes the way these sources write them, and collecting problems.

Locations are strings:

- ``"file:row N"`` for CSV, where N is the 1-based DATA row (the header is not counted, and
  a row whose quoted cell holds line breaks is still one row);
- ``"file#/json/pointer"`` for JSON (RFC 6901, 0-based array indexes), e.g.
  ``"baring.json#/grants/6"``.

``file`` is the file's name without its folder. Readers report bad input as
``(location, message)`` pairs appended to a ``problems`` list the caller passes in, and go on
with the next record or file; a record that is kept despite a problem also carries the
message in its own ``problems`` tuple. Without a list the reading is strict: the first
problem raises :class:`~ngograph.errors.SourceError`.

A damaged file raises :class:`~ngograph.errors.DamagedFile` with or without a list, at the row or
item where the damage shows (the records before it have been yielded; an import refuses them all):
a corrupt or truncated gzip stream; a CSV quote opened and never closed (csv.reader would read the
rest of the file as one cell: see :func:`_unclosed`), or a CSV the csv module cannot read; JSON
that ends early or is not JSON after its top-level array or object began. A file that is not the
source's kind from its first character (not a JSON array, say) is a problem for the file, as is one
that cannot be opened.

Nothing here knows a source: the source modules (cordis, forskningsradet, giving360,
interreg) name the columns and say which rules apply.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as _dt
import gzip
import io
import json
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import pycountry

from ngograph.errors import DamagedFile, SourceError
from ngograph.records.types import out_of_range
from ngograph.sources.yamlio import Dec
from ngograph.textclip import without_surrogates

__all__ = ["mis_decoded", "Problems", "Number", "SourceDate", "Column", "parse_number", "parse_date", "parse_int",
           "parse_bool", "country_code", "currency_codes", "snake_case", "open_text", "read_table",
           "iter_json_array", "report", "kept", "header_of", "expand", "location_of", "CONTROL_CHARS", "MISSING_NA"]

Problems = list[tuple[str, str]]

#: C0 control characters other than TAB, LF and CR, and DEL: kept as written, reported per file.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The missing-value markers of R's write_csv (CORDIS eunets table): empty or ``NA``.
MISSING_NA = frozenset({"", "NA"})

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long objectives and descriptions are real


_MIS_DECODED = re.compile(r"[\uff61-\uff9f\ufffd]|Ã[\u0080-\u00bf]|â€")


def mis_decoded(text: str) -> str | None:
    """The first sign that ``text`` was decoded with the wrong encoding (mojibake): a
    replacement character, half-width katakana, or UTF-8 read as Windows-1252 (``Ã¸`` for
    ``ø``, ``â€`` for a dash or quote); None when there is none. Such text is kept as the source
    wrote it, and reported.

    >>> mis_decoded("Direction g\ufffdn\ufffdrale"), mis_decoded("FlygtningehjÃ¦lp"), mis_decoded("Røde Kors")
    ('\ufffd', 'Ã¦', None)
    """
    m = _MIS_DECODED.search(text)
    return m[0] if m else None


def report(problems: Problems | None, location: str, message: str) -> None:
    """Append one problem to ``problems``; without a list (strict reading) raise it.

    >>> found = []
    >>> report(found, "x.csv", "empty file")
    >>> found
    [('x.csv', 'empty file')]
    >>> report(None, "x.csv", "empty file")
    Traceback (most recent call last):
    ...
    ngograph.errors.SourceError: x.csv: empty file
    """
    if problems is None:
        raise SourceError([(location, message)])
    problems.append((location, message))


def location_of(path: str | Path, row: int | None = None, pointer: str | None = None) -> str:
    """A record's location: ``name:row N`` (1-based data row) or ``name#/pointer``.

    >>> location_of("/data/h2020.csv.gz", row=13718), location_of("baring.json", pointer="/grants/6")
    ('h2020.csv.gz:row 13718', 'baring.json#/grants/6')
    """
    name = Path(path).name
    if row is not None:
        return f"{name}:row {row}"
    if pointer is not None:
        return f"{name}#{pointer}"
    return name


# ---------------------------------------------------------------------------- values

class Number(Dec):
    """A decimal number that keeps the text it was written as, even when that text uses a
    decimal comma (``"825357,5"``) or float noise (``"329852.49999966"``).

    >>> n = parse_number("825357,5")
    >>> n, n.text
    (Decimal('825357.5'), '825357,5')
    >>> parse_number("329852.49999966").text
    '329852.49999966'
    """

    def __new__(cls, text: str, value: str | None = None):
        number = Decimal.__new__(cls, text if value is None else value)
        number.text = text
        return number

    def __reduce__(self):
        return type(self), (self.text, str(Decimal(self)))


_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class OutOfRange(ValueError):
    """A number that is one, but too large (10^15 or more) or too fine for the store: not text in a number's place."""
_NUMBER_COMMA = re.compile(r"([-+]?[0-9]+),([0-9]+)")


def _parse_number(text: str, *, decimal_comma: bool = True) -> Number:
    """A number as written: digits with an optional point or (when allowed) one comma before the
    decimals; no thousands separators, no spaces.

    >>> parse_number("0.0"), parse_number("-12"), parse_number("2253128.8525").text
    (Decimal('0.0'), Decimal('-12'), '2253128.8525')
    >>> parse_number("1.000,50")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '1.000,50'
    >>> for text in ("1e400", "1e-19"):
    ...     try:
    ...         parse_number(text)
    ...     except OutOfRange as exc:
    ...         print(exc)
    out of range: '1e400' (10^15 or more)
    out of range: '1e-19' (finer than 10^-18)
    >>> parse_number("1.50000000000000000000"), parse_number("0.0000000000000000000")  # zeros are no precision
    (Decimal('1.50000000000000000000'), Decimal('0E-19'))
    """
    if _NUMBER.fullmatch(text):
        number = Number(text)
    elif decimal_comma and (m := _NUMBER_COMMA.fullmatch(text)):
        number = Number(text, f"{m[1]}.{m[2]}")
    else:
        raise ValueError(f"not a number: {text!r}")
    if out_of_range(number):
        raise OutOfRange(f"out of range: {text!r} (10^15 or more)")
    if number.normalize().as_tuple().exponent < -18:  # the store's decimals have 18 digits after the point
        raise OutOfRange(f"out of range: {text!r} (finer than 10^-18)")
    return number


# tables repeat a project's amounts on each of its rows
parse_number = lru_cache(maxsize=1 << 16)(_parse_number)


def _parse_int(text: str) -> int:
    """A whole number in base-10 digits.

    >>> parse_int("36"), parse_int("007")
    (36, 7)
    """
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


parse_int = lru_cache(maxsize=1 << 12)(_parse_int)


_BOOLS = {"true": True, "false": False, "ja": True, "nej": False, "yes": True, "no": False}


def parse_bool(text: str) -> bool:
    """``True``/``False`` (CORDIS), ``Ja``/``Nej`` (Interreg), ``Yes``/``No``, any case.

    >>> parse_bool("True"), parse_bool("Nej")
    (True, False)
    """
    try:
        return _BOOLS[text.lower()]
    except KeyError:
        raise ValueError(f"not a yes/no value: {text!r}") from None


@dataclass(frozen=True, slots=True)
class SourceDate:
    """A date or date-time at the precision the source gives.

    ``text`` is the value as written, ``iso`` the same value in ISO 8601 at that precision
    (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|+hh:mm]``),
    ``precision`` one of ``year``, ``month``, ``day``, ``datetime``.

    >>> parse_date("17/03/2014")
    SourceDate(text='17/03/2014', iso='2014-03-17', precision='day')
    >>> parse_date("08/2013").iso, parse_date("04.05.2015 00:00").iso
    ('2013-08', '2015-05-04T00:00')
    >>> parse_date("2014-07-16 13:50:00.000000").iso, parse_date("19 April 2013").iso
    ('2014-07-16T13:50:00.000000', '2013-04-19')
    """

    text: str
    iso: str
    precision: str

    @property
    def date(self) -> _dt.date:
        """The first day the value covers (a month's first day, a year's 1 January).

        >>> parse_date("2019-02").date
        datetime.date(2019, 2, 1)
        """
        y, m, d = self.iso[:4], self.iso[5:7] or "1", self.iso[8:10] or "1"
        return _dt.date(int(y), int(m), int(d))


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_TIME = r"(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?"
_DATE_FORMS = [
    # (pattern, order of year, month, day groups; has time)
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "ymd"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ]" + _TIME + r"(Z|[-+]\d{2}:\d{2})?"), "ymdT"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}) " + _TIME), "dmyT"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) " + _TIME), "dmyT"),
    (re.compile(r"(\d{1,2})/(\d{4})"), "my"),
    (re.compile(r"(\d{4})-(\d{2})"), "ym"),
    (re.compile(r"(\d{4})"), "y"),
    (re.compile(r"(\d{1,2}) ([A-Za-z]+) (\d{4})"), "dMy"),
]


def _parse_date(text: str) -> SourceDate:
    """Read a date in the forms these sources use: ISO (date, ``YYYY-MM``, ``YYYY``, date-time
    with ``T`` or a space, optional fraction and zone), ``dd.mm.yyyy[ HH:MM]``,
    ``dd/mm/yyyy[ HH:MM[:SS]]`` (day first, as UK and Norwegian files write it), ``mm/yyyy``
    (a month, not a made-up day) and ``d Month yyyy``.

    >>> parse_date("2019-02-30")
    Traceback (most recent call last):
    ...
    ValueError: impossible date '2019-02-30': day is out of range for month
    >>> parse_date("GBP")
    Traceback (most recent call last):
    ...
    ValueError: not a date: 'GBP'
    """
    for pattern, order in _DATE_FORMS:
        if m := pattern.fullmatch(text):
            break
    else:
        raise ValueError(f"not a date: {text!r}")
    g = m.groups()
    if order.startswith("ymd"):
        y, mo, d = g[0], g[1], g[2]
    elif order.startswith("dmy"):
        d, mo, y = g[0], g[1], g[2]
    elif order == "my":
        mo, y, d = g[0], g[1], None
    elif order == "ym":
        y, mo, d = g[0], g[1], None
    elif order == "y":
        y, mo, d = g[0], None, None
    else:  # d Month yyyy
        if g[1].lower() not in _MONTHS:
            raise ValueError(f"not a date: {text!r}")
        d, mo, y = g[0], str(_MONTHS[g[1].lower()]), g[2]
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
        if order.endswith("T"):
            _dt.time(int(g[3]), int(g[4]), int(g[5] or 0))
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}: {exc}") from None
    if d is None:
        return SourceDate(text, f"{y}-{int(mo):02d}" if mo else y, "month" if mo else "year")
    iso = f"{y}-{int(mo):02d}-{int(d):02d}"
    if not order.endswith("T"):
        return SourceDate(text, iso, "day")
    hh, mm, ss, frac = g[3], g[4], g[5], g[6]
    zone = g[7] if order == "ymdT" else None
    iso += f"T{hh}:{mm}" + (f":{ss}" if ss else "") + (frac or "") + (zone or "")
    return SourceDate(text, iso, "datetime")


# a project's dates repeat on each of its rows; SourceDate is immutable
parse_date = lru_cache(maxsize=1 << 14)(_parse_date)


def _iso_countries_uncached() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


_iso_countries = cache(_iso_countries_uncached)


#: EU/CORDIS codes that are not ISO 3166-1 and the ISO code they stand for.
EU_COUNTRY_CODES = {"UK": "GB", "EL": "GR"}
#: User-assigned codes the model accepts as they are.
ACCEPTED_CODES = frozenset({"XK"})


def country_code(text: str, names: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """The ISO 3166-1 alpha-2 code of a country cell, and a message when it needs one.

    ``UK`` -> GB and ``EL`` -> GR (EU style), ``XK`` (Kosovo) kept; ``NA`` in a country column
    is Namibia, which is read so and reported (R writes ``NA`` for missing values elsewhere).
    ``names`` is an explicit table of names a source writes instead of codes (never guessed).

    >>> country_code("UK"), country_code("XK"), country_code("NA")[0]
    (('GB', None), ('XK', None), 'NA')
    >>> country_code("ISRAEL")
    (None, "country 'ISRAEL' is not an ISO 3166-1 code: kept as written, no code given")
    """
    if text in EU_COUNTRY_CODES:
        return EU_COUNTRY_CODES[text], None
    if text == "NA":
        return "NA", "country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value"
    if text in ACCEPTED_CODES or (len(text) == 2 and text in _iso_countries()):
        return text, None
    if names and text in names:
        return names[text], None
    return None, f"country {text!r} is not an ISO 3166-1 code: kept as written, no code given"


def _currency_codes() -> frozenset[str]:
    """The ISO 4217 alphabetic currency codes.

    >>> "DKK" in currency_codes(), "DKR" in currency_codes()
    (True, False)
    """
    return frozenset(c.alpha_3 for c in pycountry.currencies)


currency_codes = cache(_currency_codes)


_FOLD = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ß": "ss", "đ": "d"})


def snake_case(name: str) -> str:
    """A source's column or key name as a Python field name (ASCII, lower case, underscores).

    >>> snake_case("Innvilget beløp organisasjon EUR"), snake_case("amountAwarded")
    ('innvilget_belop_organisasjon_eur', 'amount_awarded')
    >>> snake_case("Recipient Org:Charity Number"), snake_case("projektår"), snake_case("organisationID")
    ('recipient_org_charity_number', 'projektar', 'organisation_id')
    >>> snake_case("FoU sektorkode"), snake_case("Programnivå 1 (H2020)")
    ('fou_sektorkode', 'programniva_1_h2020')
    """
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z][A-Za-z])", "_", name.translate(_FOLD))  # not FoU -> fo_u
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


# ---------------------------------------------------------------------------- files

class _BadBytes:
    """Counts bytes that are not valid in the file's encoding; each becomes U+FFFD."""

    count = 0

    @classmethod
    def handler(cls, error: UnicodeDecodeError):
        cls.count += error.end - error.start
        return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("ngograph-count", _BadBytes.handler)

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


@contextmanager
def open_text(path: str | Path):
    """Open a text file, gzip'ed or not (known by its first bytes, not its name), as UTF-8; a
    UTF-8 or UTF-16 byte-order mark is read and dropped. Bytes that are not UTF-8 become
    U+FFFD and are counted in ``stream.bad_bytes()`` for a per-file report. Newlines are
    left to the CSV parser (``newline=''``)."""
    with open(path, "rb") as file:
        raw = gzip.GzipFile(fileobj=file, mode="rb") if file.peek(2)[:2] == b"\x1f\x8b" else file
        with raw:
            head = raw.peek(4)[:4]
            encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), "utf-8")
            stream = io.TextIOWrapper(raw, encoding=encoding, errors="ngograph-count", newline="")
            start = _BadBytes.count
            stream.bad_bytes = lambda: _BadBytes.count - start
            yield stream


@dataclass(frozen=True, slots=True)
class Column:
    """One column a table reader knows: its title in the file, the record field it fills,
    how the text becomes a value (``parse``: raises ValueError with a message), whether the
    file must have it, and which texts mean "missing" (``None`` without calling ``parse``)."""

    title: str
    field: str
    parse: Callable[[str], object] | None = None
    required: bool = True
    missing: frozenset[str] = frozenset({""})


class _Lines:
    """Feeds a stream to csv.reader line by line, noting when a line holds control characters and
    when the stream has ended (``ended``: csv.reader asked for a line after the last)."""

    __slots__ = ("stream", "dirty", "ended")

    def __init__(self, stream):
        self.stream, self.dirty, self.ended = stream, False, False

    def __iter__(self):
        search = CONTROL_CHARS.search
        for line in self.stream:
            if search(line):
                self.dirty = True
            yield line
        self.ended = True


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of ``,`` ``;`` TAB outside quotes.

    >>> _sniff_delimiter('a;"b;c";d'), _sniff_delimiter("a,b"), _sniff_delimiter("a")
    (';', ',', ',')
    """
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(path: str | Path, columns: list[Column], problems: Problems | None, *, delimiter: str | None = None,
               extra: bool = False) -> Iterator[tuple[str, dict, list[str]]]:
    """Yield ``(location, fields, notes)`` for each data row of a CSV file, for the source
    module to build its record from (and to pass ``notes`` to :func:`kept`).

    The header row names the columns (matched exactly, after dropping a BOM); a required
    column that is absent stops the file with one problem, an optional one gives None, and a
    column no ``Column`` names is reported once (or, with ``extra=True``, passed in
    ``fields["extra"]`` as ``{title: text}`` for its non-empty cells). The delimiter is sniffed
    from the header line unless given. A row with fewer or more cells than the header is kept
    with a note (missing cells read as empty, surplus cells dropped). A cell whose text a
    column's ``parse`` refuses becomes None, with a note naming the column. Control characters
    (other than TAB/LF/CR) are kept as written and reported once per file and column with the
    number of cells, like bytes that are not UTF-8. Memory stays flat: one row at a time. A damaged
    file (a quote never closed, a corrupt gzip, what the csv module cannot read) raises
    :class:`~ngograph.errors.DamagedFile` naming the row.
    """
    name = Path(path).name
    row = None  # the data rows read, once the header is
    try:
        with open_text(path) as stream:
            lines = _Lines(stream)
            first = stream.readline()
            if not first:
                report(problems, name, "empty file: no header row")
                return
            delim = delimiter or _sniff_delimiter(first)
            header = next(csv.reader([first], delimiter=delim))
            index = {title: i for i, title in enumerate(header)}
            if len(index) < len(header):
                twice = sorted({t for t in header if header.count(t) > 1})
                read = [t for t in twice if t in {c.title for c in columns}]
                if read:  # the last of each was read: a renamed column became the key ("projectAcronym" -> "projectID")
                    report(problems, name, f"not the expected layout: column title(s) {', '.join(map(repr, read))} "
                                           f"stand more than once, and which to read is not known (the header has "
                                           f"{len(header)} columns, delimiter {delim!r})")
                    return
                if extra:  # else "column(s) not read" names them
                    report(problems, name, f"column title(s) {', '.join(map(repr, twice))} stand more than once: "
                                           "the last of each is read")
            absent = [c.title for c in columns if c.required and c.title not in index]
            if absent:
                report(problems, name, f"not the expected layout: column(s) {', '.join(map(repr, absent))} missing "
                                       f"(the header has {len(header)} columns, delimiter {delim!r})")
                return
            known = {c.title for c in columns}
            unknown = [(i, t) for i, t in enumerate(header) if t not in known]
            if unknown and not extra:
                report(problems, name, f"column(s) not read: {', '.join(repr(t) for _, t in unknown)}")
            plan = [(index.get(c.title), c.field, c.parse, c.missing) for c in columns]
            width = len(header)
            start_line = 2  # the file line the next row starts on
            controls: Counter[tuple[str, str]] = Counter()
            control_first: dict[tuple[str, str], int] = {}
            row = 0
            reader = csv.reader(lines, delimiter=delim)
            for cells in reader:
                row += 1
                loc = f"{name}:row {row}"
                if lines.ended:  # the row was ended by the end of the file, not by a line break: see _unclosed
                    raise _unclosed(loc, start_line, reader.line_num + 1)
                first_line, start_line = start_line, reader.line_num + 2  # the next row's first line (header: line 1)
                notes: list[str] = []
                if len(cells) != width:
                    if not cells:
                        report(problems, loc, "empty line skipped")
                        continue
                    if start_line - 1 > first_line and _swallowed(cells, delim, width):  # rows read into one cell
                        raise _stray_quote(loc, first_line, start_line - 1, len(cells), width)
                    notes.append(f"{len(cells)} cells where the header has {width}: "
                                 + ("missing cells read as empty" if len(cells) < width else "surplus cells dropped"))
                    cells = (cells + [""] * width)[:width]
                if lines.dirty:
                    lines.dirty = False
                    for title, cell in zip(header, cells):
                        for ch in set(CONTROL_CHARS.findall(cell)):
                            controls[(title, ch)] += 1
                            control_first.setdefault((title, ch), row)
                fields = {}
                for i, field, parse, missing in plan:
                    text = "" if i is None else cells[i]
                    if text in missing:
                        fields[field] = None
                    elif parse is None:
                        fields[field] = text
                    else:
                        try:
                            fields[field] = parse(text)
                        except ValueError as exc:
                            fields[field] = None
                            notes.append(f"{header[i]}: {exc}; read as missing")
                if extra:
                    fields["extra"] = {t: cells[i] for i, t in unknown if cells[i]}
                yield loc, fields, notes
            for (title, ch), n in sorted(controls.items()):
                report(problems, name, f"{n} cell(s) of column {title!r} hold the control character U+{ord(ch):04X}, "
                                       f"kept as written (first at row {control_first[(title, ch)]})")
            if bad := stream.bad_bytes():
                report(problems, name, f"{bad} byte(s) are not UTF-8: each read as U+FFFD")
    except (csv.Error, EOFError, gzip.BadGzipFile, zlib.error, UnicodeError) as exc:  # zlib: a corrupt .gz
        where = f"{name}:row {row + 1}" if row is not None else name  # BadGzipFile (CRC) is an OSError: first
        raise DamagedFile(where, f"not readable as CSV ({_reason(exc)})") from None
    except OSError as exc:
        report(problems, name, f"cannot be read: {exc.strerror or exc}")


def _swallowed(cells: list[str], delim: str, width: int) -> bool:
    r"""Whether a cell of a row holds a line with as many delimiters as a row has (a row of the file read into it
    after a stray quote), not a line break of its own text ("a\nb" in a short row is kept, with a note).

    >>> _swallowed(["2", "8,REC\n1,partner,9,REC,1,FR", "x"], ",", 6), _swallowed(["1", "a\nb"], ";", 3)
    (True, False)
    """
    return any(line.count(delim) >= width - 1 for cell in cells if "\n" in cell for line in cell.split("\n"))


def _stray_quote(location: str, start: int, end: int, cells: int, width: int) -> DamagedFile:
    """The refusal of a CSV row that runs over several lines with the wrong number of cells: a quote that a later
    one closes (a stray quote in a cell) reads the lines between into one cell, and their rows were lost without a
    word. Quoted line breaks in a row of the right width (CORDIS objectives) are kept.

    >>> print(_stray_quote("a.csv:row 2", 3, 6, 34, 44))
    a.csv:row 2: lines 3-6 read as one row of 34 cells where the header has 44: a quote in it is closed only on line 6 (the rows between would be lost): the file is damaged; nothing is imported, the store is unchanged
    """
    return DamagedFile(location, f"lines {start}-{end} read as one row of {cells} cells where the header has {width}: "
                                 f"a quote in it is closed only on line {end} (the rows between would be lost)")


def _unclosed(location: str, start: int, end: int) -> DamagedFile:
    """The refusal of a CSV row whose quoted cell is never closed.

    csv.reader reads a quote that is opened and never closed to the end of the file, as one cell
    holding every line after it (in strict mode it raises "unexpected end of data", but strict mode
    also refuses a stray quote inside a cell, which real files have). A row that ends there, not at a
    line break, is this case: :class:`_Lines` notes that the file ended before csv.reader gave the row.
    (A last row without a final line break ends at its own end of line, so it is not taken for one.)

    >>> print(_unclosed("a.csv:row 3", 4, 27))
    a.csv:row 3: a quote opened in this row (line 4) is never closed: lines 4-27, to the end of the file, would be read as one row: the file is damaged; nothing is imported, the store is unchanged
    >>> print(_unclosed("a.csv:row 26", 27, 27).problems[0][1].split(":")[0])
    a quote opened in this row (line 27, the last) is never closed
    """
    if start == end:
        return DamagedFile(location, f"a quote opened in this row (line {start}, the last) is never closed")
    return DamagedFile(location, f"a quote opened in this row (line {start}) is never closed: lines {start}-{end}, "
                                 "to the end of the file, would be read as one row")


def _reason(exc: Exception) -> str:
    """What a reader's exception says, as a phrase (a gzip stream ending early raises EOFError).

    >>> _reason(EOFError("Compressed file ended before the end-of-stream marker was reached"))
    'corrupt gzip data: Compressed file ended before the end-of-stream marker was reached'
    >>> _reason(__import__("zlib").error("Error -3 while decompressing data: invalid block type"))
    'corrupt gzip data: Error -3 while decompressing data: invalid block type'
    >>> _reason(csv.Error("field larger than field limit (131072)"))
    'field larger than field limit (131072)'
    """
    if isinstance(exc, (EOFError, gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip data: {exc}"
    return str(exc)


def kept(problems: Problems | None, location: str, notes: list[str]) -> tuple[str, ...]:
    """Report a kept record's notes and return them for its ``problems`` field."""
    for note in notes:
        report(problems, location, note)
    return tuple(notes)


def header_of(path: str | Path) -> list[str] | None:
    """The header row of a CSV file (delimiter sniffed), or None when it cannot be read. A gzip
    file damaged before the end of its first line raises :class:`~ngograph.errors.DamagedFile`."""
    try:
        with open_text(path) as stream:
            first = stream.readline()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DamagedFile(Path(path).name, f"not readable as CSV ({_reason(exc)})") from None
    except (OSError, UnicodeError):
        return None
    return next(csv.reader([first], delimiter=_sniff_delimiter(first)), None) if first else None


def expand(paths, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The files named, and the files with one of ``suffixes`` in the folders named (sorted).

    >>> list(expand([], (".csv",)))
    []
    """
    for path in map(Path, [paths] if isinstance(paths, (str, Path)) else paths):
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(suffixes))
        else:
            yield path


# ---------------------------------------------------------------------------- JSON

_SPACE = re.compile(r"[ \t\n\r]*")
#: A \\u escape of a surrogate in JSON text: valid JSON, and Python's reader keeps a half without its pair as it is
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _JsonStream:
    """An incremental reader of one JSON text: enough of it in memory for the next value."""

    def __init__(self, stream, decoder: json.JSONDecoder, chunk: int = 1 << 16):
        self.stream, self.decoder, self.chunk = stream, decoder, chunk
        self.buf, self.pos, self.eof = "", 0, False
        self.escaped = False  # whether the last value's text escapes a surrogate
        self.lines, self.column = 0, 0  # line breaks in the text dropped from buf; characters after the last

    def _more(self, size: int) -> None:
        data = self.stream.read(size)
        self.eof = not data
        if breaks := self.buf.count("\n", 0, self.pos):
            self.lines += breaks
            self.column = self.pos - self.buf.rfind("\n", 0, self.pos) - 1
        else:
            self.column += self.pos
        self.buf = self.buf[self.pos:] + data
        self.pos = 0

    def place(self, pos: int) -> str:
        """``line L column C`` (1-based, in the file's text) of the position ``pos`` of the buffer.

        >>> js = _JsonStream(io.StringIO('[1,\\n 2, 3]'), json.JSONDecoder(), chunk=5)
        >>> js.peek(), js.expect("["), js.value(), js.expect(","), js.value(), js.place(js.pos)
        ('[', None, 1, None, 2, 'line 2 column 3')
        """
        if (last := self.buf.rfind("\n", 0, pos)) >= 0:
            line = self.lines + self.buf.count("\n", 0, pos) + 1
            return f"line {line} column {pos - last}"
        return f"line {self.lines + 1} column {self.column + pos + 1}"

    def stopped(self, exc: Exception) -> tuple[str, bool]:
        """Why and where reading stopped on ``exc``, and whether the text ends there (cut off)."""
        if isinstance(exc, json.JSONDecodeError):
            reason, pos = exc.msg, exc.pos
            cut = self.eof and (pos >= len(self.buf.rstrip()) or reason.startswith("Unterminated"))
        elif isinstance(exc, RecursionError):  # Python's decoder recurses per level of nesting
            reason, pos, cut = "nested deeper than the reader can follow, in the item", self.pos, False
        else:
            reason, pos = str(exc), self.pos
            cut = self.eof and self.pos >= len(self.buf)
        return f"{reason}{' ' if reason.endswith(' at') else ' at '}{self.place(pos)}", cut

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self._more(self.chunk)

    def expect(self, char: str) -> None:
        if (found := self.peek()) != char:
            raise ValueError(f"expected {char!r}, found {found or 'the end of the file'!r}")
        self.pos += 1

    def value(self):
        """Decode the next value, reading more of the file while it is incomplete (a value cut
        at the end of the buffer fails near that end, or as an unterminated string)."""
        self.peek()
        size = self.chunk
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated string")
                if self.eof or not cut:
                    raise
                self._more(size)
                size *= 2
                continue
            if end >= len(self.buf) - 8 and not self.eof:  # a number or literal may go on
                self._more(size)
                continue
            self.escaped = _SURROGATE_ESCAPE.search(self.buf, self.pos, end) is not None
            self.pos = end
            return obj


def _mended(value) -> tuple[object, int]:
    """A JSON value with each lone surrogate in its texts and keys made U+FFFD
    (:func:`~ngograph.textclip.without_surrogates`), and how many there were.

    >>> _mended({"name\\ud800": ["a\\udc00b", 1, None]})
    ({'name\ufffd': ['a\ufffdb', 1, None]}, 2)
    """
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        parts = [_mended(v) for v in value]
        return [v for v, _ in parts], sum(n for _, n in parts)
    if isinstance(value, dict):
        out, total = {}, 0
        for key, v in value.items():
            (key, a), (v, b) = without_surrogates(key), _mended(v)
            out[key] = v
            total += a + b
        return out, total
    return value, 0


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _whole(text: str) -> int | Number:
    """A JSON whole number: an ``int``, or a :class:`Number` past 18 digits (Python refuses to make an ``int`` of
    more than 4,300 digits, which made a file with one such amount damaged; the amount is out of range, said at its
    record)."""
    return int(text) if len(text) <= 18 else Number(text)


#: Reads the values after the array (a publisher's statistics with a NaN, a long number) as they are, unchecked.
_LENIENT = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)


def _ended(js: _JsonStream, key: str | None, name: str, problems: Problems | None) -> None:
    """Read to the end of the file after the array (the rest of the top-level object when it is under ``key``): a
    ValueError if anything follows the top-level value but a DOS end-of-file mark (two files run together: the
    second was lost without a word). The other keys' values are read leniently and left; ``key`` again is said (its
    second array is not read)."""
    if key is not None:
        js.decoder = _LENIENT
        while js.peek() == ",":
            js.pos += 1
            if js.value() == key:
                report(problems, name, f"{key!r} stands twice in the top-level object: the second array is not read")
            js.expect(":")
            js.value()
        js.expect("}")
    if js.peek() == "\x1a":  # the end-of-file mark of DOS tools
        js.pos += 1
    if (rest := js.peek()) != "":
        raise ValueError(f"{rest!r} after the end of the top-level value")


def iter_json_array(path: str | Path, key: str | None, problems: Problems | None, *,
                    parse_float: Callable[[str], object] = Number) -> Iterator[tuple[str, object]]:
    """Yield ``(pointer, value)`` for each item of a JSON file's array, one item in memory at a time.

    ``key=None`` reads a top-level array (pointers ``/0``, ``/1`` ...); ``key="grants"`` reads
    the array under that key of a top-level object (``/grants/0`` ...), skipping the other
    keys. Numbers with a fraction become :class:`Number` (the text as written kept), whole
    numbers ``int`` (:func:`_whole`); ``NaN`` and ``Infinity`` are refused. A file that is not of that shape (not
    ``[``, or not ``{`` with the key, or the key's value not an array) is reported and skipped. One that breaks off
    after that (ends early, is not JSON further on, holds ``NaN``, is a corrupt gzip, goes on after its top-level
    value) is damaged: it raises :class:`~ngograph.errors.DamagedFile` naming the item being read and the line and
    column in the file (the items before it have been yielded).
    """
    name = Path(path).name
    decoder = json.JSONDecoder(parse_float=parse_float, parse_int=_whole, parse_constant=_refuse_constant)
    index, prefix = -1, ""
    js = opened = None  # opened: the top-level object or array has begun (a break after it is damage)
    try:
        with open_text(path) as stream:
            js = _JsonStream(stream, decoder)
            if key is not None:
                js.expect("{")
                opened = True
                while True:
                    if js.peek() == "}":
                        report(problems, name, f"no {key!r} array in the top-level object")
                        return
                    found = js.value()
                    js.expect(":")
                    if found == key:
                        break
                    js.value()
                    if js.peek() == ",":
                        js.pos += 1
                prefix = "/" + key.replace("~", "~0").replace("/", "~1")
                if js.peek() != "[":  # JSON of another shape ({"grants": {...}}, null): not damaged
                    report(problems, name, f"{key!r} in the top-level object is not an array: the file is skipped")
                    return
            js.expect("[")
            opened = True
            if js.peek() == "]":
                js.pos += 1
                _ended(js, key, name, problems)
                return
            while True:
                index += 1
                item = js.value()
                if js.escaped:
                    item, lone = _mended(item)
                    if lone:
                        report(problems, f"{name}#{prefix}/{index}",
                               f"{lone} lone surrogate(s) (an escaped half of a surrogate pair, without the other): "
                               "each read as U+FFFD")
                yield f"{prefix}/{index}", item
                sep = js.peek()
                if sep == "]":
                    js.pos += 1
                    break
                js.expect(",")
            index = -1  # a break after the array is the file's, not its last item's
            _ended(js, key, name, problems)
            if bad := stream.bad_bytes():
                report(problems, name, f"{bad} byte(s) are not UTF-8: each read as U+FFFD")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:  # a damaged .gz (BadGzipFile is an OSError: first)
        where = f"{name}#{prefix}/{index}" if index >= 0 else name  # the item being read, else the file
        raise DamagedFile(where, f"not readable as JSON ({_reason(exc)})") from None
    except OSError as exc:
        report(problems, name, f"cannot be read: {exc.strerror or exc}")
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        why, cut = js.stopped(exc) if js is not None else (str(exc), False)
        if opened:  # a file of JSON that breaks off: what was read is part of it, never all of it
            raise DamagedFile(f"{name}#{prefix}/{index}" if index >= 0 else name,
                              f"the JSON ends early ({why})" if cut else f"not readable as JSON ({why})") from None
        shape = "an array" if key is None else f"an object with a {key!r} array"  # not this source's JSON
        report(problems, name, f"not JSON of the shape read here, {shape} ({why}): the file is skipped")
