"""Stage: query. The SPARQL library and its one loader.

Every query lives in ``queries/*.rq`` with a header of ``#+`` lines::

    #+ summary: Organisations taking part in a project, with their role and country.
    #+ param: project iri = project/social-rights-advocacy-phase-1 -- the project
    #+ tags: projects, partners, roles

A query that needs longer than ``ngograph query``'s 30 s on a store of millions of triples says how long it
may run by default: ``#+ timeout: 120`` (seconds; ``--timeout`` still decides when given).

A parameter is ``NAME TYPE [= DEFAULT] -- description`` with TYPE one of ``iri``,
``string``, ``integer``, ``decimal``, ``date``; a relative IRI is resolved against the
base IRI. Parameters are bound to the SPARQL variable of the same name, never formatted
into the query text: a ``VALUES`` block at the head of the WHERE group, and in place of each
comment line ``#+ bind ?name`` (inside a sub-SELECT that binds the variable in every row,
which then computes its rows for that value only; see
:func:`~ngograph.rdf.sparql.inline_bindings`). Quality checks that must return no row live in
``queries/qc/*-violation.rq``.

On the read path a query may not reach outside the store: ``SERVICE``, ``LOAD``, any
update and ``FROM`` / ``FROM NAMED`` are refused.

>>> q = load_query("project-partners")
>>> q.name, [p.name for p in q.params], q.params[0].type
('project-partners', ['project'], 'iri')
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ngograph.config import base_iri
from ngograph.errors import QueryError
from ngograph.rdf.sparql import check_read_only
from ngograph.resources import QUERIES_DIR
from ngograph.textclip import display_width, one_line, pad

__all__ = ["QUERIES_DIR", "Param", "Query", "QueryError", "load_query", "list_queries", "qc_queries",
           "bind_params", "run", "format_rows", "TABLE_CELL"]

_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(iri|string|integer|decimal|date)(?:\s*=\s*(\S+))?(?:\s+--\s+(.*))?$")
_SECONDS = re.compile(r"0*[1-9][0-9]{0,5}")
_TYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "date": XSD.date, "string": XSD.string}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Query:
    """One query of the library (or a user's file)."""

    name: str
    text: str
    path: Path | None = None
    summary: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    meta: dict = field(default_factory=dict, compare=False)
    timeout: float | None = None  # seconds the query may run unless told otherwise (its ``#+ timeout:`` header)


def _parse(text: str, name: str, path: Path | None) -> Query:
    meta: dict[str, str] = {}
    params = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path or name}:{n}: bad parameter header {value!r} "
                                 "(write: NAME TYPE [= DEFAULT] -- description)")
            params.append(Param(pm.group(1), pm.group(2), pm.group(3), pm.group(4) or ""))
        else:
            if key == "timeout" and not _SECONDS.fullmatch(value):
                raise QueryError(f"{path or name}:{n}: bad timeout header {value!r} (write: a whole number of seconds "
                                 "above 0, e.g. #+ timeout: 120)")
            meta[key] = value
    tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
    timeout = float(meta["timeout"]) if "timeout" in meta else None
    return Query(name, text, path, meta.get("summary", ""), tags, tuple(params), meta, timeout)


def load_query(name_or_path: str | Path) -> Query:
    """A library query by name (``project-partners``, ``qc/funder-without-grant-violation``)
    or any ``.rq`` file by path."""
    path = Path(name_or_path)
    if path.suffix != ".rq" or not path.is_file():
        candidate = QUERIES_DIR / f"{name_or_path}.rq"
        if not candidate.is_file():
            known = ", ".join(q.name for q in list_queries())
            if path.is_file():  # README.md: a file, but no query
                raise QueryError(f"{path}: not a query file (a query file's name ends in .rq), nor one of the "
                                 f"library ({known})")
            raise QueryError(f"no query {str(name_or_path)!r}: not a file, nor one of the library ({known})")
        path = candidate
    name = path.relative_to(QUERIES_DIR).with_suffix("").as_posix() if path.is_relative_to(QUERIES_DIR) else path.stem
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: not a text file (byte 0x{exc.object[exc.start]:02x} at offset {exc.start} is not "
                         "UTF-8); a .rq file holds SPARQL text") from None
    except OSError as exc:
        raise QueryError(f"cannot read {path}: {exc.strerror}") from None
    return _parse(text, name, path)


def list_queries() -> list[Query]:
    """The library, sorted by name (quality checks excluded)."""
    return [load_query(p) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def qc_queries() -> list[Query]:
    """The quality checks: ``queries/qc/*-violation.rq``; each must return no row."""
    return [load_query(p) for p in sorted((QUERIES_DIR / "qc").glob("*-violation.rq"))]


# ---------------------------------------------------------------------------- safety

# ---------------------------------------------------------------------------- parameters

def _term(param: Param, value: str, base: str):
    if param.type == "iri":
        if not re.match(r"^[a-zA-Z][\w+.-]*:", value):
            value = base + value
        if re.search(r'[\x00-\x20<>"{}|^`\\]', value):
            raise QueryError(f"parameter {param.name}: {value!r} is not a valid IRI")
        return URIRef(value)
    if param.type == "integer":
        if not re.match(r"^[+-]?\d+$", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(value, datatype=XSD.integer)
    if param.type == "decimal":
        try:
            if Decimal(value).is_finite():  # NaN and Infinity are no xsd:decimal: bound, every comparison fails
                return Literal(value, datatype=XSD.decimal)
        except ArithmeticError:
            pass
        raise QueryError(f"parameter {param.name}: {value!r} is not a decimal")
    if param.type == "date":  # the emitter (and the readers it imports: 0.1 s) only for a date
        from ngograph.rdf.emit import date_parts
        from ngograph.records.check import parse_date

        try:
            d = parse_date(value)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name}: {exc}") from None
        lexical, datatype = date_parts(d.text)
        return Literal(lexical, datatype=URIRef(datatype))
    return Literal(value)  # string: any text, bound as a value, never parsed as SPARQL


def bind_params(query: Query, given: dict[str, object], base: str | None = None) -> dict:
    """RDF terms for the query's parameters: the given values, else the defaults.

    >>> q = load_query("projects-by-theme")
    >>> bind_params(q, {"theme": 'x" } ; DROP ALL ; #'})["theme"]
    rdflib.term.Literal('x" } ; DROP ALL ; #')
    """
    base = base or base_iri()
    declared = {p.name: p for p in query.params}
    unknown = set(given) - set(declared)
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
                         f"parameters: {', '.join(declared) or 'none'}")
    out = {}
    for name, p in declared.items():
        value = given.get(name, p.default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs --param {name}=... ({p.type}: {p.description})")
        out[name] = _term(p, str(value), base)
    return out


# ---------------------------------------------------------------------------- running

def run(q: Query | str, backend, params: dict | None = None, *, timeout: float | None = None,
        max_rows: int | None = 100_000, base: str | None = None, max_memory: int | None = None):
    """Run a library query (or :class:`Query`) on a backend; return :class:`~ngograph.store.backends.Rows`.

    ``timeout`` (seconds) stops a query that runs longer (:class:`~ngograph.errors.QueryTimeout`);
    ``max_memory`` (bytes) stops one on the embedded store that needs more memory. With
    either, an embedded query runs in a worker process (tens of ms on the command line,
    about 0.5 s in a process with threads); with neither, the default in Python, it runs
    right here (about 1 ms). ``ngograph query`` sets both. ``max_rows`` caps the rows returned.
    """
    q, bindings = _prepare(q, params, base)
    return backend.select(q.text, bindings, timeout=timeout, max_rows=max_rows, max_memory=max_memory)


def stream(q: Query | str, backend, params: dict | None = None, *, timeout: float | None = None,
           max_rows: int | None = 100_000, base: str | None = None, max_memory: int | None = None):
    """:func:`run`, with the rows in chunks as the embedded store yields them (an iterator of
    :class:`~ngograph.store.backends.Rows`, the last marked truncated when ``max_rows`` stopped
    the query): a query of a million rows is written out without holding them all.

    >>> from rdflib import Graph
    >>> from ngograph.store.backends import InMemory
    >>> [len(chunk) for chunk in stream("summary", InMemory(Graph()))]
    [1]
    """
    q, bindings = _prepare(q, params, base)
    return backend.stream(q.text, bindings, timeout=timeout, max_rows=max_rows, max_memory=max_memory)


def _prepare(q: Query | str, params: dict | None, base: str | None) -> tuple[Query, dict]:
    q = q if isinstance(q, Query) else load_query(q)
    check_read_only(q.text)
    return q, bind_params(q, params or {}, base)


# ---------------------------------------------------------------------------- output

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: The most characters of a value that a table shows; csv, tsv and json give every value whole. Every row of a table is
#: padded to its widest cell: one IATI organisation name of 1,900 characters made the 50,000 rows of
#: organisation-identities on the imported store a table of 6 GB, written in 25 s.
TABLE_CELL = 60

def format_rows(rows, fmt: str = "table", shorten: dict[str, str] | None = None, *, header: bool = True) -> str:
    """Rows as text: ``table`` (aligned, IRIs shortened, each value on one line and cut at :data:`TABLE_CELL`
    characters: :func:`ngograph.textclip.one_line`), ``csv``, ``tsv`` or ``json`` (every value whole);
    ``header=False`` leaves out the csv/tsv header line (for the chunks after the first).

    >>> from ngograph.store.backends import Rows
    >>> print(format_rows(Rows([{"a": 1, "b": "x"}], ["a", "b"]), "csv"), end="")
    a,b
    1,x
    """
    variables = getattr(rows, "variables", None) or (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps([{v: (float(r[v]) if isinstance(r[v], Decimal) else r[v]) for v in variables} for r in rows],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if header:
            w.writerow(variables)
        for r in rows:
            w.writerow([_cell(r[v]) for v in variables])
        return buf.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (table, csv, tsv, json)")

    def short(value):
        text = _cell(value)
        for prefix, ns in (shorten or {}).items():
            if text.startswith(ns):
                return one_line(f"{prefix}:{text[len(ns):]}" if prefix else text[len(ns):], TABLE_CELL)
        return one_line(text, TABLE_CELL)

    cells = [[short(r[v]) for v in variables] for r in rows]
    # aligned by the columns a terminal gives each cell: a Chinese name takes two per character, a combining accent none
    widths = [max([display_width(v)] + [display_width(c[i]) for c in cells]) for i, v in enumerate(variables)]
    lines = ["  ".join(pad(v, w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
