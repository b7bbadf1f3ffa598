"""Stage 3, validate: run the SHACL shapes over the graph with pySHACL.

No inference unless asked for, no ``owl:imports`` fetched, nothing read from the network.
:func:`validate_graph` returns a :class:`Report` whose results each name the curated
record (file and line) of the resource they concern, so a user knows what to fix.

Only violations make a graph non-conforming; warnings and infos are reported beside them.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from rdflib import BNode, Graph, URIRef, plugin
from rdflib import term as rdflib_term
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor

from ngograph.resources import ONTOLOGY_FILE, SHAPES_FILE
from ngograph.errors import ShapesError
from ngograph.rdf.namespaces import PREFIXES
from ngograph.runtime import worker_threads
from ngograph.textclip import one_line

__all__ = ["Result", "Report", "load_shapes", "shacl_results", "validate_graph", "qc_results", "with_quality_checks", "located", "sorted_located", "sorted_results", "SEVERITIES"]

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, order=True)
class Result:
    """One SHACL result, made readable."""

    severity: str          # Violation | Warning | Info
    shape: str             # e.g. "ngosh:ProjectShape > schema:name"
    location: str          # "data/projects/seed-000.yaml:12", or "" when no record is known
    focus: str             # IRI of the resource
    component: str         # e.g. "sh:MinCountConstraintComponent"
    message: str
    value: str = ""
    path: str = ""         # the result path, e.g. "schema:name", "^ngo:inProject", "schema:amount/schema:value"


#: A result's fields in their order: :func:`sorted_results` sorts by them as the dataclass's own order does, as one
#: key per result (the 140,000 results of the imported store were compared 2.2 million times through ``__lt__``).
_FIELDS = tuple(f.name for f in fields(Result))
_ORDER = attrgetter(*_FIELDS)
_LOCATION = _FIELDS.index("location")


def sorted_results(results: Iterable[Result]) -> list[Result]:
    """``results`` in the order of their fields (severity, shape, location, focus...), as ``sorted`` orders them.

    >>> a, b = Result("Warning", "s", "", "https://e.org/a", "sh:X", "m"), Result("Info", "s", "", "https://e.org/b", "sh:X", "m")
    >>> sorted_results([a, b]) == sorted([a, b]) == [b, a]
    True
    """
    return sorted(results, key=_ORDER)


@dataclass
class Report:
    """The outcome of a validation. ``conforms`` is true when there is no violation."""

    results: list[Result] = field(default_factory=list)
    #: IRIs under this base are shown relative to it (``project/x``) in :meth:`render`.
    base: str = ""

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        c = Counter(r.severity for r in self.results)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def by_severity(self, severity: str) -> list[Result]:
        return [r for r in self.results if r.severity == severity]

    def render(self, max_per_group: int | None = None, shown: tuple[str, ...] = SEVERITIES) -> str:
        """Text grouped by severity, then shape, then the record's place (:func:`natural_key`: line 9 before line
        10); each line names the record's file and line. Results of a severity not in ``shown`` are counted in
        the last line, not listed.

        >>> r = Report([Result("Warning", "ngosh:S", "a.yaml:3", "urn:x", "sh:C", "m")])
        >>> print(r.render(shown=("Violation",)))
        The graph conforms: 0 violation(s), 1 warning(s), 0 info(s). Not shown: 1 warning(s).
        """
        lines = []
        for sev in (s for s in SEVERITIES if s in shown):
            group = sorted(self.by_severity(sev), key=lambda r: (r.shape, natural_key(r.location), r.focus))
            if not group:
                continue
            lines.append(f"{sev.upper()}S ({len(group)})")
            shapes: dict[str, list[Result]] = {}
            for r in group:
                shapes.setdefault(r.shape, []).append(r)
            for shape, results in shapes.items():
                lines.append(f"  {shape} [{results[0].component}] ({len(results)})")
                for r in results[:max_per_group]:
                    where = r.location or "(no record location)"
                    value = f" value {r.value}" if r.value else ""
                    focus = r.focus[len(self.base):] if self.base and r.focus.startswith(self.base) else _short(r.focus)
                    # one line per result, whatever the data holds (a line break, a terminal's escape sequence)
                    lines.append(one_line(f"    {where}: {focus}{value}: {r.message}"))
                if max_per_group is not None and len(results) > max_per_group:
                    lines.append(f"    ... and {len(results) - max_per_group} more")
        c = self.counts()
        verdict = "conforms" if self.conforms else "does NOT conform"
        hidden = ", ".join(f"{c[sev]} {sev.lower()}(s)" for sev in SEVERITIES if sev not in shown and c[sev])
        lines.append(f"The graph {verdict}: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s)."
                     + (f" Not shown: {hidden}." if hidden else ""))
        return "\n".join(lines)


_NUMBERS = re.compile(r"([0-9]+)")


def natural_key(text: str) -> tuple:
    """``text`` as a sort key that orders the numbers in it by their value: a file's line 9 before its line 10,
    ``dportal_2.xml.gz`` before ``dportal_10.xml.gz`` (as text, ``:10`` sorts before ``:9``).

    >>> sorted(["f.csv:row 10", "f.csv:row 9", "d_10.xml:1", "d_2.xml:30", "", "f.csv:row 9a"], key=natural_key)
    ['', 'd_2.xml:30', 'd_10.xml:1', 'f.csv:row 9', 'f.csv:row 9a', 'f.csv:row 10']
    >>> natural_key("d_2.xml:30"), natural_key("f.csv:row 9a")
    (('d_', 2, '.xml:', 30, ''), ('f.csv:row ', 9, 'a'))
    """
    # A record's place ends in its line or row: the key of the rest, the file's, is made once (a report of the imported
    # store places its 117,000 results in a few hundred files: 0.12 s, here 0.05 s).
    head = text.rstrip(_DIGITS)
    if len(head) == len(text):
        return _split_key(text)
    return _split_key(head) + (int(text[len(head):]), "")


_DIGITS = "0123456789"


@lru_cache(maxsize=4096)
def _split_key(text: str) -> tuple:
    """:func:`natural_key` of any text: the text between the numbers, and each number as an int."""
    parts: list = _NUMBERS.split(text)  # text, number, text, ... : the numbers at the odd places
    parts[1::2] = map(int, parts[1::2])
    return tuple(parts)


_SHORT = {**PREFIXES, "ngosh": "https://w3id.org/ngograph/shapes#", "sh": str(SH)}


# the namespaces, longest first (the first that a text starts with is then the longest), each with its first prefix
_LONGEST_FIRST = sorted({ns: p for p, ns in reversed(_SHORT.items())}.items(), key=lambda item: -len(item[0]))


def _short(term) -> str:
    """``term`` as prefix:name with the longest namespace it starts with (the first prefix of that namespace),
    else its text; ``[]`` for a blank node.

    >>> _short(URIRef("https://w3id.org/ngograph/def#role")), _short(URIRef("https://e.org/x")), _short(BNode("b"))
    ('ngo:role', 'https://e.org/x', '[]')
    """
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    for ns, prefix in _LONGEST_FIRST:
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """The shapes graph; :class:`ShapesError` when it cannot be read."""
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types; all mean the same here
        raise ShapesError(f"cannot load the SHACL shapes {path}: {exc}") from None
    return g


def _load_ontology(path: Path) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:
        raise ShapesError(f"cannot load the ontology {path}: {exc}") from None
    return g


def _path_text(shapes: Graph, path) -> str:
    """A SHACL path in short SPARQL-like syntax: ``schema:name``, ``^ngo:inProject``, ``schema:amount/schema:value``."""
    if not isinstance(path, BNode):
        return _short(path)
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_text(shapes, inverse)}"
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path_text(shapes, p) for p in Collection(shapes, path))
    return "(path)"


def _shape_name(shapes: Graph, shape) -> str:
    if isinstance(shape, URIRef):
        return _short(shape)
    parent = shapes.value(predicate=SH.property, object=shape)
    path = shapes.value(shape, SH.path)
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        path_text = f"^{_short(inverse)}" if inverse is not None else "(path)"
    else:
        path_text = _short(path) if path is not None else ""
    owner = _short(parent) if isinstance(parent, URIRef) else "[]"
    return f"{owner} > {path_text}" if path_text else owner


@lru_cache(maxsize=256)
def _translated_query(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


class CachingSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each distinct query text once.

    pySHACL runs a SPARQL constraint once per focus node, passing the same text each time; rdflib
    parses it anew every time, which costs more than evaluating it (about 10 ms against 1 ms on
    the seed graph). A parsed query is reusable with other bindings (that is what rdflib's
    ``prepareQuery`` is for), so the results are the same, only faster.
    """

    def query(self, strOrQuery, initBindings={}, initNs=None, base=None, DEBUG=False):  # noqa: B006, N803
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _translated_query(strOrQuery, base, namespaces)
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


def _use_caching_sparql_processor() -> None:
    """Make rdflib's "sparql" processor the caching one (process-wide, idempotent)."""
    if plugin.get("sparql", Processor) is not CachingSPARQLProcessor:
        plugin.register("sparql", Processor, __name__, "CachingSPARQLProcessor")


def shacl_results(data: Graph, shapes: Graph, ontology: Path | None = ONTOLOGY_FILE,
                  inference: str = "none") -> Graph:
    """pySHACL's validation report graph of ``data`` (the raw ``sh:ValidationReport``).

    Advanced mode is on for the SHACL-AF SPARQL targets (``sh:target [ a sh:SPARQLTarget ]``):
    a shape whose constraint is a SPARQL query picks with one query over the graph the few nodes
    that can fail it, instead of running the query once for every node of a class. A query that pySHACL
    refuses (its checks of pre-bound variables), as any failure it gives in place of a report, raises
    :class:`~ngograph.errors.ShapesError`.
    """
    from pyshacl import validate as _pyshacl_validate  # here: the fast engine's path does not wait for its import

    ont = _load_ontology(ontology) if ontology is not None else None
    _use_caching_sparql_processor()
    with _lexical_conversions_kept() if inference != "none" else nullcontext():
        _conforms, results_graph, _text = _pyshacl_validate(
            data, shacl_graph=shapes, ont_graph=ont, inference=inference,
            abort_on_first=False, allow_infos=True, allow_warnings=True,
            meta_shacl=False, advanced=True, do_owl_imports=False,
        )
    if not isinstance(results_graph, Graph):  # pySHACL returns a failure in place of the report (a query it refuses)
        raise ShapesError(f"pySHACL stopped without a report: {one_line(str(results_graph))}")
    return results_graph


_INFERENCE = threading.Lock()


@contextmanager
def _lexical_conversions_kept():
    """rdflib's conversions of literals to Python values (one table for the whole process) as they were
    before the block. Inference runs owlrl, which puts its own in that table and leaves several there:
    afterwards every new ``"--08-15"^^xsd:gMonthDay`` and ``"--08"^^xsd:gMonth`` was ill-typed, so that
    pySHACL failed the seed graph's recurring dates in any later build or validation of the same
    process (a notebook, the test suite)."""
    table = rdflib_term._toPythonMapping
    with _INFERENCE:  # one inference at a time: a second would keep the first's conversions
        kept = dict(table)
        try:
            yield
        finally:  # key by key: the table is never empty for another thread's literals
            for datatype in set(table) - set(kept):
                del table[datatype]
            table.update(kept)


def as_locations(locations):
    """``locations`` ready to be asked ``get(IRI text, default)``: a dict of IRI -> "file:line" (keys and values
    made text), None (no locations), or an object that looks them up when asked
    (:class:`ngograph.store.embedded.Locations`), as it is.

    >>> as_locations({URIRef("https://e.org/a"): "x.yaml:3"}), as_locations(None)
    ({'https://e.org/a': 'x.yaml:3'}, {})
    """
    if locations is None:
        return {}
    if isinstance(locations, dict):
        return {str(k): str(v) for k, v in locations.items()}
    return locations


def located(results: Iterable[Result], locations) -> list[Result]:
    """``results`` with the location of each focus node from ``locations`` (see :func:`as_locations`),
    looked up for all of them at once where ``locations`` can (``prefetch``, as
    :class:`ngograph.store.embedded.Locations` does): the 140,000 results of the imported store
    spent half their time being located one at a time.

    >>> r = Result("Violation", "s", "", "https://e.org/a", "sh:X", "m")
    >>> [x.location for x in located([r], {"https://e.org/a": "x.yaml:3"})]
    ['x.yaml:3']
    """
    return [Result(*values) for values in _located_fields(map(_ORDER, results), locations)]


def sorted_located(rows: Iterable[tuple], locations) -> list[Result]:
    """The results whose fields, in order, are the tuples ``rows``, each once, located as by :func:`located` (a
    location in a tuple is replaced) and in the order of :func:`sorted_results`. Each result is made once, after the tuples
    are sorted as they are: on the imported store (117,000 results), a result made, made again with its location
    and sorted by its fields took 0.5 s after the checks, these 0.2 s.

    >>> a = ("Warning", "s", "", "https://e.org/a", "sh:X", "m", "", "")
    >>> [(r.severity, r.location) for r in sorted_located([a, ("Info",) + a[1:], a], {"https://e.org/a": "x.yaml:3"})]
    [('Info', 'x.yaml:3'), ('Warning', 'x.yaml:3')]
    """
    return [Result(*values) for values in sorted(_located_fields(set(rows), locations))]


_FOCUS = _FIELDS.index("focus")


def _located_fields(rows: Iterable[tuple], locations) -> list[tuple]:
    """Each tuple of a result's fields in order, with the location of its focus node (:func:`located`)."""
    rows = list(rows)
    locations = as_locations(locations)
    prefetch = getattr(locations, "prefetch", None)
    if prefetch is not None:
        prefetch({r[_FOCUS] for r in rows})
    get = locations.get
    return [(*r[:_LOCATION], get(r[_FOCUS], ""), *r[_LOCATION + 1:]) for r in rows]


def validate_graph(data: Graph, locations: dict | None = None, *, shapes: Graph | None = None,
                   ontology: Path | None = ONTOLOGY_FILE, inference: str = "none") -> Report:
    """Validate ``data`` against the shapes; ``locations`` maps resource IRIs to ``file:line``.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ...   @prefix schema: <https://schema.org/> .
    ...   <https://example.org/a> a schema:MonetaryAmount ; schema:value -5.0 ; schema:currency "EUROS" .
    ... ''', format="turtle")
    >>> report = validate_graph(g, {"https://example.org/a": "data/x.yaml:3"})
    >>> report.conforms, [(r.location, r.component) for r in report.results]
    (False, [('data/x.yaml:3', 'sh:InConstraintComponent')])
    """
    shapes = shapes if shapes is not None else load_shapes()
    return report_of(shacl_results(data, shapes, ontology, inference), shapes, locations)


def report_of(results_graph: Graph, shapes: Graph, locations: dict | None = None) -> Report:
    """The :class:`Report` of a pySHACL report graph (``sh:ValidationReport``) made with
    ``shapes``; ``locations`` as for :func:`validate_graph`."""
    report = Report()
    for node in results_graph.subjects(SH.resultSeverity, None):
        sev = str(results_graph.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = results_graph.value(node, SH.focusNode)
        value = results_graph.value(node, SH.value)
        messages = [str(m) for m in results_graph.objects(node, SH.resultMessage)]
        report.results.append(Result(
            severity=sev,
            shape=_shape_name(shapes, results_graph.value(node, SH.sourceShape)),
            location="",
            focus=str(focus),
            component=_short(results_graph.value(node, SH.sourceConstraintComponent)),
            message="; ".join(sorted(messages)) or "(no message)",
            value=_short(value) if value is not None and not isinstance(value, BNode) and value != focus else "",
            path=_path_text(results_graph, path) if (path := results_graph.value(node, SH.resultPath)) is not None else "",
        ))
    # pySHACL repeats a result once per duplicate language, row...
    report.results = sorted_located(map(_ORDER, report.results), locations)
    return report


def with_quality_checks(validate: Callable[[], Report], backend, locations=None,
                        submit: Callable[..., Future] | None = None) -> Report:
    """The report ``validate()`` makes, with the quality checks' results (:func:`qc_results` on
    ``backend``) after its own; the checks run meanwhile, on a worker thread of ``submit`` (those the validation
    runs its own work on, :func:`ngograph.runtime.worker_threads`), else on worker threads of their own: on the embedded
    store, whose engine lets go of the GIL, they took 8 s of the imported store's validation on their own after the
    shapes' checks.

    >>> from rdflib import Graph
    >>> from ngograph.store.backends import InMemory
    >>> with_quality_checks(Report, InMemory(Graph())).results
    []
    """
    with nullcontext(submit) if submit is not None else worker_threads() as submit:
        checks = submit(qc_results, backend, locations)
        report = validate()
        report.results += checks.result()
    return report


def qc_results(backend, locations: dict | None = None) -> list[Result]:
    """The quality checks ``queries/qc/*-violation.rq`` on a backend: each row is a violation.
    ``locations`` maps resource IRIs to ``file:line``, as for :func:`validate_graph`."""
    from ngograph.queries.library import qc_queries, run

    out = []
    for q in qc_queries():
        for row in run(q, backend):
            focus = str(next(iter(row.values()), ""))
            detail = ", ".join(f"{k}={_short(v) if isinstance(v, str) else v}" for k, v in row.items())
            out.append(Result("Violation", f"qc:{q.name.split('/', 1)[-1]}", "", focus,
                              "SPARQL quality check", f"{q.summary.split('. Must')[0]} ({detail})"))
    return located(out, locations)
