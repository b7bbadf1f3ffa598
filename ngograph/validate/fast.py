"""Stage 3, validate, the fast engine: the SHACL shapes compiled to SPARQL and run on the store.

pySHACL (:mod:`ngograph.validate.shacl`) needs the graph as an rdflib ``Graph`` and checks each
focus node in Python: about 30,000 triples a second, and gigabytes for a few million triples.
This engine reads the same shapes and turns every constraint of a targeted shape into one
SPARQL query over the pyoxigraph store (the published graphs as the default graph, no copy of
the data) that returns only the failing focus nodes and values; shapes reached through
``sh:node``, ``sh:or``, ``sh:not`` and ``sh:qualifiedValueShape`` become ``FILTER`` expressions.
SPARQL constraints and SHACL-AF SPARQL targets run as written, with the focus nodes joined in
instead of pre-bound one by one.

pySHACL is the reference: the results are the ones pySHACL gives with our settings (the
ontology mixed into the data graph, no inference, advanced mode): the same focus nodes,
paths, values, severities, source shapes and constraint components, and the same messages
(pySHACL's own generic messages where a shape has no ``sh:message``). ``rdfs:subClassOf``
(from the ontology and from the data) counts for ``sh:class``, ``sh:targetClass`` and the
``a/rdfs:subClassOf*`` paths of the SPARQL queries, as it does for pySHACL with the ontology
mixed in. A shape that uses anything this engine does not compile raises
:class:`~ngograph.errors.ShapesError` naming the shape; it is never skipped.

How the queries are written (Oxigraph on disk looks up a pattern per row of a nested loop, about
0.25 ms each on a busy machine, and that is where the time goes; scans joined by hash are cheap):
a value check joins the focus nodes to their values in a sub-SELECT of their own (hashed, not looked
up per focus node); sh:minCount 1, sh:hasValue, sh:class and sh:in (the listed terms as a VALUES block) are
anti-joins (MINUS), and checks that end in the same anti-join are one query (:func:`_merge`). The focus
nodes are not made distinct before a check whose results are (a DISTINCT of 194,000 monetary amounts first
cost a fifth to a third of each of their checks), except for a SPARQL constraint, whose own query may count
rows. A value constraint
that looks other triples up (sh:class, sh:node, sh:or, sh:not on the values of a path) is tested once
per distinct value of the path (GROUP BY: Oxigraph would push a FILTER under a DISTINCT), as
anti-joins where the nested shape has one constraint per sh:or member, and only the subjects of the
failing values are then tested as focus nodes (:meth:`_Compiler.failing_values`); any other value
constraint on a predicate path first looks for failing values among the path's distinct values, whoever's,
and joins the focus nodes to the path only if some fail (:meth:`_Compiler.values_failing`; not where the
shapes give the path two datatypes, whose values fail one of them); sh:maxCount and
sh:uniqueLang count over every subject of the path, then test the few kept (sh:maxCount only where the path
has more values than subjects, which is counted once for every shape); a qualified value shape
of one constraint is one hashed set of the conforming values; a sequence path is one hashed
sub-SELECT per step. A shape with a SPARQL target runs its constraint once, and its target only if
the constraint found a row, and not at all when the target is the constraint's own query projected to
``$this`` (:func:`_picks_own_rows`). Where a shape has few focus nodes beside the triples of a property's path
(one programme, 435,389 ``prov:wasDerivedFrom`` triples), hashing the path costs more than looking
each focus node's values up: :class:`_FewFocusNodes` counts both on the store (with a LIMIT) and
picks lookups (FILTER NOT EXISTS for sh:minCount and sh:hasValue). The failing values of one path
and constraint are looked for once for every shape that tests them (:class:`_Shared`: the identifiers of
grants, projects and organisations), and a shape's own query runs only if some fail, with those values bound
when they are a few IRIs (``_Check.probe``); a check may wait for a search another check started. Two
checks run at once, each query on one of two worker threads (pyoxigraph lets go of the GIL while it evaluates),
handed over one at a time as each is done (:func:`_as_done`); the rows become results in the calling thread, and
the locations of the results found so far are looked up in batches on the same worker threads
(``locations.prefetch``, which must therefore bear being called from another thread), as are the quality checks
of ``ngograph validate``.
``benchmarks/validate_fast.py`` shows which constraints dominate.

Known differences, all about ill-formed data: a literal of a datatype that is not xsd:string
or rdf:langString is checked against a lexical pattern (the forms rdflib reads) inside nested
shapes, where pySHACL asks rdflib; and the SPARQL constraints run on Oxigraph, not rdflib, so a
query must be well-defined SPARQL (rdflib orders "50000" after 40000.0, SPARQL gives an error).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from ngograph.resources import ONTOLOGY_FILE
from ngograph.errors import ShapesError
from ngograph.rdf.sparql import inline_bindings, query_words
from ngograph.rdf.terms import to_rdflib as _rdflib
from ngograph.runtime import WORKER_THREADS, collector_paused, worker_threads
from ngograph.store.embedded import published_graphs, query_dataset
from ngograph.validate.shacl import (Report, _load_ontology, _path_text, _shape_name, _short, load_shapes,
                                     sorted_located)

__all__ = ["CompiledShapes", "compile_shapes", "validate_store", "validate_published", "UNSUPPORTED_INFERENCE"]

#: What to tell a user who asks the fast engine for inference.
UNSUPPORTED_INFERENCE = "--inference {inference} needs --engine pyshacl (the fast engine validates without inference)"

#: sh:sparql, looked up once (an attribute of rdflib's SH namespace is looked up at every use: 0.5 s of the 140,000
#: results of the imported store)
_SPARQL = SH.sparql
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
_DESCRIPTIVE = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
                SH.property, SH.path, SH.flags, SH.deactivated, *_TARGETS}
_VALUE_PARAMS = (SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minInclusive, SH.maxInclusive,
                 SH.minExclusive, SH.maxExclusive, SH.languageIn, SH.node, SH["or"], SH["not"])
_FOCUS_PARAMS = (SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.qualifiedValueShape, SH.sparql)
_SUPPORTED = {*_DESCRIPTIVE, *_VALUE_PARAMS, *_FOCUS_PARAMS, SH.qualifiedMinCount}
_COMPONENT = {
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent", SH["in"]: "InConstraintComponent",
    SH.pattern: "PatternConstraintComponent", SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent", SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent", SH.languageIn: "LanguageInConstraintComponent",
    SH.node: "NodeConstraintComponent", SH["or"]: "OrConstraintComponent", SH["not"]: "NotConstraintComponent",
    SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent", SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.qualifiedValueShape: "QualifiedMinCountConstraintComponent", SH.sparql: "SPARQLConstraintComponent",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})", SH.IRIOrLiteral: "!isBlank({v})",
}
#: Lexical forms rdflib reads for the datatypes whose values it parses (others: any form matches).
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    XSD.dateTime: r"^-?[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
#: The datatypes of :data:`_LEXICAL` whose values the store reads as numbers.
_NUMERIC = {XSD.integer, XSD.decimal}
_SUBCLASS_PATH = re.compile(r"(?:\ba|rdf:type|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)\s*/\s*"
                            r"(?:rdfs:subClassOf|<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>)\*\s+"
                            r"(<[^>]+>|[A-Za-z][\w.-]*:[\w.-]*)")
_THIS = re.compile(r"\$this\b")
#: Checks handed to the worker threads at once (each query on one of them; the results are put together in this one).
_THREADS = WORKER_THREADS
#: The locations of the results are looked up in batches of at least this many focus nodes while the checks run (each
#: batch scans the store's 1.1M source records once, 0.5 s on the imported store; 111,121 focus nodes there). At least
#: ``ngograph.store.embedded.PREFETCH_FROM``, below which ``Locations.prefetch`` looks nothing up.
_PREFETCH_BATCH = 30_000


def _nt(term) -> str:
    """An rdflib term in SPARQL syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapesError(f"the fast engine cannot write {term!r} into a query")


@dataclass
class _Check:
    """One query that returns the failing ``?this`` (and ``?value``) of one constraint of one shape."""

    shape: object            # the source shape's node in the shapes graph
    param: URIRef            # the constraint parameter (sh:minCount, sh:sparql...)
    query: str
    has_value: bool          # rows carry ?value
    sparql: object = None    # the sh:SPARQLConstraint node, for sh:sparql
    node: object = None      # the shape of sh:node, whose own results on a failing value pySHACL reports too
    body: str = ""           # the query without its prologue (to nest it)
    focus: str = ""          # a query of the focus nodes, when ``query`` runs over the whole graph
    values: str = ""         # a search first (the failing values alone, or whether a subject has two values), the key
                             # under which checks share it (_Shared): when it has no rows, ``query`` is not run
    anti: tuple = ()         # (?this or ?value, rows, an anti-join): the rows of a sh:minCount 1 or of ``values``
                             # before their anti-join, which checks that end in the same one share (_merge)
    merged: str = ""         # the query that finds this check's rows (a sh:minCount 1) or its failing values, tagged
                             # ?k, with those of other checks (_merge, _Shared)
    tag: int = 0             # this check's ?k in ``merged``
    probe: str = ""          # ``query`` without its search, to which _run binds the failing values ``values`` found
                             # (when they are few IRIs) as ?value


@dataclass
class CompiledShapes:
    """The shapes as queries, ready to run on any store (see :func:`compile_shapes`)."""

    shapes: Graph
    compiler: _Compiler
    checks: list[_Check] = field(default_factory=list)
    nested: dict = field(default_factory=dict)

    def checks_on(self, shape, parent: _Check) -> list[_Check]:
        """The checks of the shape ``shape`` (the sh:node of ``parent``) on the values that fail ``parent``."""
        body = parent.body
        if parent.has_value:  # rename consistently: the failing ?value becomes the nested ?this
            body = re.sub(r"\?value\b", "?_parent_value", re.sub(r"\?this\b", "?_parent_this", body))
            body = body.replace("?_parent_value", "?this")
        return self.compiler.checks(shape, f"{{ SELECT DISTINCT ?this WHERE {{ {{ {body} }} }} }}")

    @cached_property
    def pyshacl_shapes(self):
        """pySHACL's view of the shapes (its messages), made when a result first asks: pySHACL is imported here, not
        with this module, so that its import (0.16 s) runs beside the first checks, not before them."""
        from pyshacl.shapes_graph import ShapesGraph

        sg = ShapesGraph(self.shapes)
        _ = sg.shapes  # builds the shape cache lookup_shape_from_node reads
        return sg


class _Compiler:
    def __init__(self, shapes: Graph, classes: dict, lookup: Callable | None = None):
        self.g = shapes
        self.classes = classes  # class IRI -> its subclasses (itself included), as SPARQL terms
        self.lookup = lookup  # (shape, property shape) -> look the values up per focus node?
        self.fresh = count()
        self.prefixes = self._prefixes()

    # ------------------------------------------------------------------ helpers

    def name(self, shape) -> str:
        return _shape_name(self.g, shape)

    def fail(self, shape, what: str):
        raise ShapesError(f"the fast engine cannot compile {what} of the shape {self.name(shape)}; "
                          "use --engine pyshacl")

    def var(self) -> str:
        return f"?_v{next(self.fresh)}"

    @cached_property
    def datatypes(self) -> dict:
        """The sh:datatype values the shapes give each predicate path, by predicate."""
        found: dict = {}
        for prop, pred in self.g.subject_objects(SH.path):
            found.setdefault(pred, set()).update(self.g.objects(prop, SH.datatype))
        return found

    def one(self, shape, pred):
        values = list(self.g.objects(shape, pred))
        if len(values) != 1:
            self.fail(shape, f"{len(values)} values of {_short(pred)}")
        return values[0]

    def check_supported(self, shape) -> None:
        for pred in set(self.g.predicates(shape, None)):
            if str(pred).startswith(str(SH)) and pred not in _SUPPORTED:
                self.fail(shape, _short(pred))
        if (shape, SH.deactivated, None) in self.g and self.one(shape, SH.deactivated).toPython() is not False:
            self.fail(shape, "sh:deactivated")
        if (shape, SH.qualifiedValueShape, None) in self.g:
            for pred in (SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint):
                if (shape, pred, None) in self.g:
                    self.fail(shape, _short(pred))

    def path(self, shape, node=None) -> str:
        node = self.one(shape, SH.path) if node is None else node
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(shape, n) for n in Collection(self.g, node)) + ")"
        inverse = self.g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(shape, inverse)})"
        alternative = self.g.value(node, SH.alternativePath)
        if alternative is not None:
            return "(" + "|".join(self.path(shape, n) for n in Collection(self.g, alternative)) + ")"
        for pred, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = self.g.value(node, pred)
            if inner is not None:
                return f"({self.path(shape, inner)}){suffix}"
        self.fail(shape, "the path")

    def pairs(self, shape) -> str:
        """A pattern binding ``?this`` and ``?value`` along the path of ``shape``, in sub-SELECTs that
        Oxigraph joins by hash: one per step of a sequence of IRIs, where it would look each value
        of the first step up in the second (19 s against 1.9 s for the grants' amounts of the IATI
        bulk); the rows may repeat, so the queries that use it count distinct values.

        >>> c = _Compiler(Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
        ...     "<s> sh:path ( <a> <b> ) .", format="turtle", publicID="http://x/"), {})
        >>> c.pairs(URIRef("http://x/s"))
        '{ SELECT ?this ?_v0 WHERE { ?this <http://x/a> ?_v0 } } { SELECT ?_v0 ?value WHERE { ?_v0 <http://x/b> ?value } }'
        """
        node = self.one(shape, SH.path)
        steps = list(Collection(self.g, node)) if (node, RDF.first, None) in self.g else []
        if len(steps) > 1 and all(isinstance(step, URIRef) for step in steps):
            names = ["?this", *(self.var() for _ in steps[1:]), "?value"]
            return " ".join(f"{{ SELECT {a} {b} WHERE {{ {a} <{step}> {b} }} }}"
                            for a, b, step in zip(names, names[1:], steps))
        return f"{{ SELECT ?this ?value WHERE {{ ?this {self.path(shape)} ?value }} }}"

    def minus_class(self, v: str, cls) -> str:
        """A MINUS removing the rows whose ``v`` is an instance of ``cls`` (or of a subclass): the
        instances are listed once, where a FILTER EXISTS would look each value up."""
        t = self.var()
        return f"MINUS {{ {v} a {t} . VALUES {t} {{ {self.class_values(cls)} }} }}"

    def class_values(self, cls) -> str:
        return " ".join(self.classes.get(str(cls), [f"<{cls}>"]))

    def _prefixes(self) -> dict[str, str]:
        out = {}
        for decl in self.g.objects(None, SH.declare):
            out[str(self.g.value(decl, SH.prefix))] = str(self.g.value(decl, SH.namespace))
        return out

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))

    def user_query(self, shape, node) -> str:
        """The sh:select of a SPARQL constraint or target, ``a/rdfs:subClassOf* C`` made a list of classes."""
        text = str(self.one(node, SH.select))

        def classes(m: re.Match) -> str:
            term = m.group(1)
            if term.startswith("<"):
                iri = term[1:-1]
            else:
                prefix, local = term.split(":", 1)
                if prefix not in self.prefixes:
                    self.fail(shape, f"the prefix {prefix}: of its SPARQL query")
                iri = self.prefixes[prefix] + local
            v = self.var()
            return f"a {v} . VALUES {v} {{ {self.class_values(URIRef(iri))} }}"

        text = _SUBCLASS_PATH.sub(classes, text)
        if "subClassOf" in text:
            self.fail(shape, "an rdfs:subClassOf in its SPARQL query other than a/rdfs:subClassOf*")
        if re.search(r"\$(shapesGraph|currentShape)\b|\bSERVICE\b|\bLOAD\b", text, re.I):
            self.fail(shape, "a SPARQL query with $shapesGraph, $currentShape, SERVICE or LOAD")
        return text

    # ------------------------------------------------------------------ focus nodes

    def focus(self, shape, distinct: bool = True) -> str | None:
        """A group pattern binding ``?this`` to each focus node of ``shape`` (once; with ``distinct`` False, once
        per target and graph that picks it), None without targets."""
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            v = self.var()
            parts.append(f"?this a {v} . VALUES {v} {{ {self.class_values(cls)} }}")
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, URIRef(str(RDFS) + "Class")) in self.g:
            self.fail(shape, "an implicit class target")
        for pred in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this <{pred}> [] .")
        for pred in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"[] <{pred}> ?this .")
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(_nt(n) for n in nodes)} }}")
        for target in self.g.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in self.g:
                self.fail(shape, "a target that is not a sh:SPARQLTarget")
            body = _THIS.sub("?this", self.user_query(shape, target))
            parts.append(f"{{ {body} }}")
        if not parts:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT {'DISTINCT ' if distinct else ''}?this WHERE {{ {union} }} }}"

    def member(self, shape) -> str | None:
        """A FILTER expression true when ``?this`` is a focus node of ``shape``; None for a SPARQL target.

        A check that finds its few failing rows first tests them with it, instead of listing every
        focus node to join them (the focus nodes of a class are most of a big store's rows)."""
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            t = self.var()
            parts.append(f"EXISTS {{ ?this a {t} . VALUES {t} {{ {self.class_values(cls)} }} }}")
        for pred in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"EXISTS {{ ?this <{pred}> [] }}")
        for pred in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"EXISTS {{ [] <{pred}> ?this }}")
        parts.extend(f"sameTerm(?this, {_nt(n)})" for n in self.g.objects(shape, SH.targetNode))
        if (shape, SH.target, None) in self.g or not parts:
            return None
        return " || ".join(parts)

    def constraints(self, shape) -> list[tuple]:
        """The constraint parameters of ``shape`` with their values (sh:property included)."""
        return [(p, o) for p, o in sorted(self.g.predicate_objects(shape))
                if p in _VALUE_PARAMS or p in _FOCUS_PARAMS or p == SH.property]

    def failing(self, shape, param, value, v: str) -> str:
        """Operations that keep, of the rows binding ``v``, those whose ``v`` fails ``param value`` of
        ``shape``: anti-joins (MINUS) where they can be, the instances or triples listed once and
        hashed, instead of a lookup per row; else a FILTER."""
        if param == SH["class"]:
            return self.minus_class(v, value)
        if param == SH["in"]:  # the listed terms hashed once, instead of comparing each value to each of them
            return f"MINUS {{ VALUES {v} {{ {' '.join(_nt(m) for m in Collection(self.g, value))} }} }}"
        if param == SH.node:
            ops = self.shape_failing(value, v)
            if ops is not None:
                return ops
        if param == SH["or"]:
            members = list(Collection(self.g, value))
            ops = [self.shape_failing(m, v) for m in members]
            if members and None not in ops:  # fails every member: each member's anti-join in turn
                # the anti-joins first, then the tests of a value alone on the values they leave, through a BIND that
                # Oxigraph does not move a FILTER above: it would test every value of the path before the anti-joins,
                # reading each one's text (the identifiers of grants, projects and organisations, a PropertyValue or
                # a string: 0.30 s on the imported store's 81,368, 0.07 s after the anti-join)
                tests = [m for m, op in zip(members, ops) if op.startswith("FILTER")]
                if tests and len(tests) < len(members):
                    w = self.var()
                    ops = [op for op in ops if not op.startswith("FILTER")] + [f"BIND ({v} AS {w})"] + [
                        self.shape_failing(m, w) for m in tests]
                return " ".join(ops)
        return f"FILTER (!({self.value_ok(shape, param, value, v)}))"

    def single(self, shape, v: str) -> tuple | None:
        """``(param, value, pattern)`` of a shape with one constraint (through one sh:property), where
        ``pattern`` is the triple that a sh:minCount 1 or sh:hasValue asks ``v`` to have; None for a
        shape of several constraints."""
        self.check_supported(shape)
        constraints = self.constraints(shape)
        if len(constraints) != 1:
            return None
        ((param, value),) = constraints
        if param == SH.property:
            return self.single(value, v)
        pattern = None
        if (shape, SH.path, None) in self.g:
            if param == SH.minCount and int(value) == 1:
                pattern = f"{v} {self.path(shape)} []"
            elif param == SH.hasValue:
                pattern = f"{v} {self.path(shape)} {_nt(value)}"
            else:
                return None
        return param, value, pattern

    def shape_failing(self, shape, v: str) -> str | None:
        """:meth:`failing` for a whole shape that has one constraint (None otherwise)."""
        single = self.single(shape, v)
        if single is None:
            return None
        param, value, pattern = single
        if pattern is not None:
            return f"MINUS {{ {pattern} }}"
        return self.failing(shape, param, value, v) if param in _VALUE_PARAMS else None

    def conforming(self, shape, v: str) -> str | None:
        """A pattern binding ``v`` to the nodes that conform to ``shape``, for a shape of one
        sh:class, sh:hasValue or sh:minCount 1 (None otherwise)."""
        single = self.single(shape, v)
        if single is None:
            return None
        param, value, pattern = single
        if pattern is not None:
            return f"{pattern} ."
        if param == SH["class"]:
            t = self.var()
            return f"{v} a {t} . VALUES {t} {{ {self.class_values(value)} }}"
        return None

    # ------------------------------------------------------------------ conformance as FILTER expressions

    def value_ok(self, shape, param, value, v: str) -> str:
        """A SPARQL expression true when the term in ``v`` passes ``param value`` of ``shape``."""
        if param == SH["class"]:
            t = self.var()
            return f"EXISTS {{ {v} a {t} . VALUES {t} {{ {self.class_values(value)} }} }}"
        if param == SH.datatype:
            return self.datatype_ok(value, v)
        if param == SH.nodeKind:
            if value not in _NODE_KINDS:
                self.fail(shape, f"sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=v)
        if param == SH["in"]:
            members = list(Collection(self.g, value))
            if not members:
                return "false"
            return "(" + " || ".join(f"sameTerm({v}, {_nt(m)})" for m in members) + ")"
        if param == SH.pattern:
            # pySHACL honours the flags i and m, in either case, and no other (s, x, q)
            flags = "".join(f for f in "im" if f in str(self.g.value(shape, SH.flags) or "").lower())
            args = f"{_nt(Literal(str(value)))}" + (f", {_nt(Literal(flags))}" if flags else "")
            return f"COALESCE(!isBlank({v}) && REGEX(STR({v}), {args}), false)"
        if param in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            if not isinstance(value, Literal) or not isinstance(value.toPython(), (int, float)) or \
                    isinstance(value.toPython(), bool):
                self.fail(shape, f"{_short(param)} {value} (only numbers are compiled)")
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[param]
            return f"COALESCE(isNumeric({v}) && {v} {op} {_nt(value)}, false)"
        if param == SH.languageIn:
            langs = [str(m).lower() for m in Collection(self.g, value)]
            if "*" in langs:
                return f"COALESCE(LANG({v}) != \"\", false)"
            listed = ", ".join(_nt(Literal(lang)) for lang in langs)
            return (f"COALESCE(LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({listed}) || "
                    f"LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({listed})), false)")
        if param == SH.node:
            return self.conforms(value, v)
        if param == SH["or"]:
            members = list(Collection(self.g, value))
            return "(" + " || ".join(self.conforms(m, v) for m in members) + ")" if members else "false"
        if param == SH["not"]:
            return f"!({self.conforms(value, v)})"
        self.fail(shape, _short(param))

    def datatype_ok(self, dt, v: str) -> str:
        if dt == RDF.langString:
            return f"(isLiteral({v}) && LANG({v}) != \"\")"
        if dt == XSD.string:  # a language-tagged literal's DATATYPE is rdf:langString (SPARQL 1.1, 17.4.2.7): no LANG
            # test, which read each value's text (the 81,000 identifiers of the imported store: 0.77 -> 0.39 s)
            return f"(isLiteral({v}) && DATATYPE({v}) = <{XSD.string}>)"
        if dt == RDFS.Literal:
            return f"isLiteral({v})"
        ok = f"(isLiteral({v}) && DATATYPE({v}) = <{dt}>"
        if dt in _LEXICAL:
            lexical = f"REGEX(STR({v}), \"{_LEXICAL[dt]}\")"
            # a number the store read (isNumeric) has its canonical form as its text, which matches: only the others
            # are matched (the 309,000 amounts of the imported store: 0.52 -> 0.46 s)
            ok += f" && (isNumeric({v}) || {lexical})" if dt in _NUMERIC else f" && {lexical}"
        return ok + ")"

    def conforms(self, shape, v: str) -> str:
        """A SPARQL expression true when the term in ``v`` conforms to ``shape`` (every constraint,
        whatever its severity, as SHACL counts conformance)."""
        self.check_supported(shape)
        if (shape, SH.path, None) in self.g:  # a property shape in sh:or, sh:not...
            parts = self.property_ok(shape, v)
            return "(" + " && ".join(parts) + ")" if parts else "true"
        parts = []
        for param, value in sorted(self.g.predicate_objects(shape)):
            if param in _VALUE_PARAMS:
                parts.append(self.value_ok(shape, param, value, v))
            elif param == SH.hasValue:  # a node shape's value node is the term itself
                parts.append(f"sameTerm({v}, {_nt(value)})")
            elif param == SH.sparql:
                self.fail(shape, "a SPARQL constraint inside another shape")
            elif param in _FOCUS_PARAMS:  # pySHACL refuses them on a node shape; ignoring them would pass anything
                self.fail(shape, f"{_short(param)} on a node shape")
        for prop in self.g.objects(shape, SH.property):
            parts.extend(self.property_ok(prop, v))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def property_ok(self, prop, v: str) -> list[str]:
        self.check_supported(prop)
        path = self.path(prop)
        out = []
        for param, value in sorted(self.g.predicate_objects(prop)):
            y, z = self.var(), self.var()
            if param in _VALUE_PARAMS:
                out.append(f"NOT EXISTS {{ {v} {path} {y} . FILTER (!({self.value_ok(prop, param, value, y)})) }}")
            elif param == SH.minCount:
                n = int(value)
                if n > 1:
                    self.fail(prop, f"sh:minCount {n} inside another shape")
                out.append(f"EXISTS {{ {v} {path} {y} }}" if n == 1 else "true")
            elif param == SH.maxCount:
                n = int(value)
                if n == 0:
                    out.append(f"NOT EXISTS {{ {v} {path} {y} }}")
                elif n == 1:
                    out.append(f"NOT EXISTS {{ {v} {path} {y} . {v} {path} {z} . FILTER (!sameTerm({y}, {z})) }}")
                else:
                    self.fail(prop, f"sh:maxCount {n} inside another shape")
            elif param == SH.hasValue:
                out.append(f"EXISTS {{ {v} {path} {_nt(value)} }}")
            elif param == SH.uniqueLang:
                if value.toPython() is True:
                    out.append(f"NOT EXISTS {{ {v} {path} {y} . {v} {path} {z} . FILTER (!sameTerm({y}, {z}) "
                               f"&& LANG({y}) != \"\" && LCASE(LANG({y})) = LCASE(LANG({z}))) }}")
            elif param == SH.qualifiedValueShape:
                n = int(self.one(prop, SH.qualifiedMinCount))
                if n > 1:
                    self.fail(prop, f"sh:qualifiedMinCount {n} inside another shape")
                if n == 1:
                    out.append(f"EXISTS {{ {v} {path} {y} . FILTER ({self.conforms(value, y)}) }}")
            elif param == SH.sparql:
                self.fail(prop, "a SPARQL constraint inside another shape")
        return out

    def looks_up(self, shape, param, value) -> bool:
        """Whether ``param value`` tests a value by looking up other triples (sh:class, or a nested
        shape that does), not by the value alone (datatype, pattern, range...)."""
        return param == SH["class"] or "EXISTS" in self.value_ok(shape, param, value, "?value")

    def failing_values(self, prop, param, value, path: str, member: str) -> tuple[str, str, tuple]:
        """The query of the focus nodes (``member``) with a value on ``path`` that fails ``param value``,
        and the query of those failing values alone, written the same whichever shape asks, with its
        anti-join (:meth:`values_failing`).

        The failing values are found first, over every triple of the path, and only their subjects are
        tested as focus nodes. A constraint that looks other triples up (sh:class, sh:node, sh:or,
        sh:not) runs once per distinct value (a few code-list concepts or source datasets for
        hundreds of thousands of participations), as anti-joins where it can (:meth:`failing`).
        Shapes of several classes test one path the same way (the identifiers of grants, projects and
        organisations; five ``prov:wasDerivedFrom``): the failing values are found once for them all
        (:class:`_Shared`), and where there are none, as on valid data, no shape's query runs."""
        values, anti = self.values_failing(prop, param, value, path)
        # each failing value once before it is joined back: tested by an anti-join, a value comes once a triple
        # (5,000 participations of one missing project: 25 million rows, 20 s)
        query = (f"SELECT DISTINCT ?this ?value WHERE {{ {{ SELECT DISTINCT ?value WHERE {{ {{ {values} }} }} }} "
                 f"?this {path} ?value . FILTER ({member}) }}")
        return query, values, anti

    @staticmethod
    def probe(path: str, member: str) -> str:
        """The query of :meth:`failing_values` once its failing values are known, to be bound to ?value
        (:func:`ngograph.rdf.sparql.inline_bindings`): their subjects are looked up, where the query would find
        the values again (the 18 sources of concept schemes, failing the ``sh:node`` of five
        ``prov:wasDerivedFrom``: 0.11 s each on the imported store, 435,910 triples, against 0.001 s)."""
        return f"SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value . FILTER ({member}) }}"

    def values_failing(self, prop, param, value, path: str) -> tuple[str, tuple]:
        """The query of the distinct values on ``path``, whoever's, that fail ``param value``: none, and no
        focus node has one. Written the same whichever shape asks (the key of :class:`_Shared`). With it,
        where the test is an anti-join, ``("?value", the distinct values, the anti-join)`` (:func:`_merge`)."""
        # Its variables named afresh from ?_v0, so that every shape writes the same text; they are the
        # sub-SELECT's own, which projects only ?value, so names used around it cannot clash with them.
        saved, self.fresh = self.fresh, count()
        try:
            ops = self.failing(prop, param, value, "?value")
            s = self.var()  # GROUP BY, not DISTINCT: Oxigraph would push the FILTER under a DISTINCT, per triple
        finally:
            self.fresh = saved
        # Each distinct value tested once, where the test is a FILTER (the few currencies of 310,000 amounts). An
        # anti-join probes its hashed side once a row either way, and grouping the values first cost more than it
        # saved (identifiers, amounts: 3.1 -> 2.9 s for the anti-joins of the imported store); a failing value then
        # comes once a triple, and is made distinct where it is joined back (:meth:`failing_values`)
        anti = ops.startswith("MINUS")
        part = f"{{ SELECT ?value WHERE {{ {s} {path} ?value }}{'' if anti else ' GROUP BY ?value'} }}"
        return f"SELECT ?value WHERE {{ {part} {ops} }}", (("?value", part, ops) if anti else ())

    # ------------------------------------------------------------------ the checks of a targeted shape

    def checks(self, shape, focus: str | None = None) -> list[_Check]:
        """The checks of ``shape`` on its targets, or on the focus nodes of the pattern ``focus``."""
        self.check_supported(shape)
        member = None if focus else self.member(shape)
        # Each focus node once for the SPARQL constraints, whose own query may count rows; every other check
        # asks for distinct results, and a DISTINCT of the focus nodes first costs a fifth to a third of a
        # check on the imported store (194,000 monetary amounts).
        distinct = focus or self.focus(shape)
        focus = focus or self.focus(shape, distinct=False)
        if focus is None:
            return []
        out = []
        for param, value in sorted(self.g.predicate_objects(shape)):
            if param == SH["class"]:  # an anti-join: a lookup per focus node costs more on a store on disk
                out.append(_Check(shape, param, f"SELECT DISTINCT ?this WHERE {{ {focus} {self.minus_class('?this', value)} }}",
                                  False))
            elif param in _VALUE_PARAMS:  # a node shape's value node is its focus node
                ops = self.failing(shape, param, value, "?this")
                out.append(_Check(shape, param, f"SELECT DISTINCT ?this WHERE {{ {focus} {ops} }}",
                                  False, node=value if param == SH.node else None))
            elif param == SH.sparql:
                out.append(self.sparql_check(shape, value, distinct))
            elif param == SH.hasValue:  # a node shape's value node is its focus node
                out.append(_Check(shape, param, f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {_nt(value)})) }}",
                                  False))
            elif param in _FOCUS_PARAMS:
                self.fail(shape, f"{_short(param)} on a node shape")
        for prop in self.g.objects(shape, SH.property):
            lookup = member is not None and self.lookup is not None and self.lookup(shape, prop)
            out.extend(self.property_checks(prop, focus, None if lookup else member, lookup))
        return [self.with_prologue(c) for c in out]

    def with_prologue(self, check: _Check) -> _Check:
        check.body, check.query = check.query, self.prologue() + check.query
        if check.focus:
            check.focus = self.prologue() + check.focus
        if check.values:
            check.values = self.prologue() + check.values
        if check.probe:
            check.probe = self.prologue() + check.probe
        return check

    def sparql_check(self, shape, constraint, focus) -> _Check:
        if (constraint, SH.deactivated, None) in self.g:
            self.fail(shape, "a deactivated SPARQL constraint")
        text = _THIS.sub("?this", self.user_query(shape, constraint))
        # The target and the constraint compared as their shape writes them: made ready to run (user_query), each
        # ``a/rdfs:subClassOf*`` becomes a list of classes in a variable of its own, and one text written twice
        # would no longer read the same.
        written = _THIS.sub("?this", str(self.one(constraint, SH.select)))
        if any(_picks_own_rows(_THIS.sub("?this", str(self.one(target, SH.select))), written)
               for target in self.g.objects(shape, SH.target)
               if (target, RDF.type, SH.SPARQLTarget) in self.g and (target, SH.select, None) in self.g):
            # The target is the constraint's own query, projected to $this: every ?this of its rows is
            # a focus node, and listing them again cost 1-2 s a shape on the imported store.
            return _Check(shape, SH.sparql, text, True, sparql=constraint)
        if (shape, SH.target, None) in self.g:
            # A SPARQL target picks the few nodes the constraint's own query finds over the whole graph:
            # that query runs once, as a sub-SELECT joined to them (pre-binding ?this to each would look
            # up every pattern again per focus node: 174 s for the allocation sums of the IATI bulk).
            # Joined here, in Python: Oxigraph would run the sub-SELECT again for each focus node; and
            # the target runs only once the constraint has found a row (on valid data, never: the target
            # is mostly the constraint's own query again, 11 s of the grants over budget in the IATI bulk).
            return _Check(shape, SH.sparql, text, True, sparql=constraint,
                          focus=f"SELECT DISTINCT ?this WHERE {{ {focus} }}")
        m = re.search(r"\bWHERE\s*\{", text, re.I) or re.search(r"\{", text)
        if m is None:
            self.fail(shape, "its SPARQL query (no WHERE clause)")
        query = text[:m.end()] + f" {focus} " + text[m.end():]
        return _Check(shape, SH.sparql, query, True, sparql=constraint)

    def property_checks(self, prop, focus: str, member: str | None = None, lookup: bool = False) -> list[_Check]:
        """The checks of the property shape ``prop`` on the focus nodes ``focus``. ``lookup``: the focus
        nodes are few beside the triples of the path, so their values are looked up one focus node at a
        time (and a sh:minCount or sh:hasValue tested by FILTER NOT EXISTS) instead of hashing every
        triple of the path (:class:`_FewFocusNodes`)."""
        self.check_supported(prop)
        path = self.path(prop)
        # The values in a sub-SELECT of their own: Oxigraph then joins them to the focus nodes by hash,
        # where it would look each focus node's values up (27 s against 1.6 s for 42,233 allocations).
        values = f"{focus} ?this {path} ?value ." if lookup else f"{focus} {self.pairs(prop)}"
        absent = "FILTER NOT EXISTS" if lookup else "MINUS"
        # A value check first looks for failing values among the distinct values of a predicate path, whoever's
        # (the few currencies of 310,000 amounts: 0.1 s, where joining the amounts to their values took 0.5 s),
        # and runs only if some fail. Not along a longer path, which Oxigraph would follow triple by triple; not
        # for a few focus nodes, whose values are looked up (cheaper than all the path's); and not on a path that
        # the shapes give two datatypes (schema:value of amounts and of identifiers), whose values fail one of them.
        pred = self.g.value(prop, SH.path)
        early = not lookup and isinstance(pred, URIRef) and len(self.datatypes.get(pred, ())) < 2

        def first(param, value) -> tuple[str, tuple]:
            return self.values_failing(prop, param, value, path) if early else ("", ())

        out = []
        for param, value in sorted(self.g.predicate_objects(prop)):
            if param in _VALUE_PARAMS and member is not None and self.looks_up(prop, param, value):
                query, failing, anti = self.failing_values(prop, param, value, path, member)
                out.append(_Check(prop, param, query, True, node=value if param == SH.node else None, values=failing,
                                  anti=anti, probe=self.probe(path, member)))
            elif param == SH["class"]:
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {values} {self.minus_class('?value', value)} }}"
                out.append(_Check(prop, param, q, True))
            elif param == SH["in"]:
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {values} {self.failing(prop, param, value, '?value')} }}"
                failing, anti = first(param, value)
                out.append(_Check(prop, param, q, True, values=failing, anti=anti))
            elif param in _VALUE_PARAMS:
                ok = self.value_ok(prop, param, value, "?value")
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER (!({ok})) }}"
                failing, anti = first(param, value)
                out.append(_Check(prop, param, q, True, node=value if param == SH.node else None, values=failing,
                                  anti=anti))
            elif param == SH.minCount:
                n = int(value)
                if n == 1:
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} {absent} {{ ?this {path} ?value }} }}"
                    if not lookup:
                        lacking = ("?this", focus, f"MINUS {{ ?this {path} ?value }}")
                        out.append(_Check(prop, param, q, False, anti=lacking))
                        continue
                elif n > 1:
                    q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {{ SELECT ?this ?value WHERE {{ ?this {path} ?value }} }} }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")
                else:
                    continue
                out.append(_Check(prop, param, q, False))
            elif param == SH.maxCount:
                having = f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(value)})"
                if member is not None:  # counted for every subject of the path, then the few kept tested
                    q = (f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {path} ?value }} {having} }} "
                         f"FILTER ({member}) }}")
                    # and only if some subject has two values: as many values as subjects, none has (a third of
                    # the count per subject; once for every shape on the path)
                    twice = ("SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?s) WHERE "
                             f"{{ ?this {path} ?value }} }} FILTER (?n != ?s) }}") if int(value) > 0 else ""
                    out.append(_Check(prop, param, q, False, values=twice))
                else:
                    out.append(_Check(prop, param, f"SELECT ?this WHERE {{ {values} }} {having}", False))
            elif param == SH.hasValue:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} {absent} {{ ?this {path} {_nt(value)} }} }}"
                out.append(_Check(prop, param, q, False))
            elif param == SH.uniqueLang:
                if value.toPython() is True:
                    inner = values if member is None else f"?this {path} ?value"
                    q = (f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this WHERE {{ {inner} FILTER (LANG(?value) != \"\") }} "
                         "GROUP BY ?this (LCASE(LANG(?value)) AS ?lang) HAVING (COUNT(DISTINCT ?value) > 1) } "
                         + (f"FILTER ({member}) }}" if member is not None else "}"))
                    out.append(_Check(prop, param, q, False))
            elif param == SH.qualifiedValueShape:
                n = int(self.one(prop, SH.qualifiedMinCount))
                ok = self.conforms(value, "?value")
                conforming = self.conforming(value, "?value") if n == 1 else None
                if conforming is not None:  # the focus nodes with a conforming value, in one hashed set
                    q = (f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ SELECT ?this WHERE {{ "
                         f"{{ SELECT ?this ?value WHERE {{ ?this {path} ?value }} }} "
                         f"{{ SELECT ?value WHERE {{ {conforming} }} }} }} }} }}")
                elif n == 1:
                    q = (f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ SELECT ?this WHERE {{ "
                         f"{{ SELECT ?this ?value WHERE {{ ?this {path} ?value }} }} FILTER ({ok}) }} }} }}")
                else:
                    q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value . FILTER ({ok}) }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")
                out.append(_Check(prop, param, q, False))
            elif param == SH.sparql:
                self.fail(prop, "a SPARQL constraint on a property shape")
        return out


_HEAD = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?(?P<vars>[^{]*?)\s*WHERE\b", re.I)


def _picks_own_rows(target: str, constraint: str) -> bool:
    """Whether the SPARQL target ``target`` (``SELECT [DISTINCT] ?this WHERE ...``) picks every ?this
    of the rows of the SPARQL constraint ``constraint``: both the same query after their projection (the
    same words, :func:`~ngograph.rdf.sparql.query_words`; no LIMIT or OFFSET, under which two projections of one query may keep
    different rows), and the constraint's ?this its own, not computed. A text that differs in any other way
    is simply not recognised, and the target runs.

    >>> body = " WHERE { ?this <p> ?v } GROUP BY ?this ?k HAVING (SUM(?v) > 1)"
    >>> _picks_own_rows("SELECT ?this" + body, "SELECT ?this ?k (SUM(?v) AS ?t)" + body)
    True
    >>> _picks_own_rows("SELECT DISTINCT ?this" + body, "SELECT ?k (?x AS ?this)" + body)
    False
    >>> _picks_own_rows("SELECT ?this" + body + " LIMIT 5", "SELECT ?this" + body + " LIMIT 5")
    False
    >>> _picks_own_rows("SELECT ?this ?k" + body, "SELECT ?this" + body)
    False
    """
    t, c = _HEAD.match(target), _HEAD.match(constraint)
    if t is None or c is None or t.group("vars").split() != ["?this"] or "?this" not in c.group("vars").split() \
            or re.search(r"\bAS\s+\?this\b", c.group("vars"), re.I):
        return False
    tail = query_words(target[t.end():])
    return tail == query_words(constraint[c.end():]) and not any(re.fullmatch(r"LIMIT|OFFSET", w, re.I) for w in tail)


def _subclasses(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``{class: [its subclasses, itself included, as SPARQL IRIs]}`` from ``(sub, super)`` pairs.

    >>> _subclasses([("b", "a"), ("c", "b")])["a"]
    ['<a>', '<b>', '<c>']
    """
    children: dict[str, set[str]] = {}
    for sub, sup in pairs:
        children.setdefault(sup, set()).add(sub)
    out = {}
    for cls in children:
        seen, todo = {cls}, [cls]
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
        out[cls] = [f"<{c}>" for c in sorted(seen)]
    return out


def compile_shapes(shapes: Graph, classes: dict[str, list[str]], lookup: Callable | None = None) -> CompiledShapes:
    """Every targeted shape of ``shapes`` as queries; :class:`ShapesError` names a shape that uses
    something the fast engine does not compile. ``classes`` maps a class to its subclasses;
    ``lookup(shape, property_shape)``, when given, says whether the values of a property shape of a
    targeted shape are better looked up per focus node than hashed (:class:`_FewFocusNodes`)."""
    compiler = _Compiler(shapes, classes, lookup)
    compiled = CompiledShapes(shapes, compiler=compiler)
    shape_nodes = {s for pred in _TARGETS for s in shapes.subjects(pred, None)}
    for shape in sorted(shape_nodes, key=str):
        compiled.checks.extend(compiler.checks(shape))
    _merge(compiled.checks, compiler.prologue())
    return compiled


def _merge(checks: list[_Check], prologue: str) -> None:
    """Checks that end in the same anti-join, as one query: each check's rows tagged with its number ``?k``
    (a UNION), then the anti-join, whose right side is hashed once for all of them. The sh:minCount 1 checks of
    one path (the five shapes that ask for ``prov:wasDerivedFrom``: 2.2-2.4 s alone, 0.7-0.8 s together), and
    the searches for the failing values of paths tested by one anti-join (the five paths whose values must be
    monetary amounts: 2.2 s alone, 0.8 s together), each as its ``anti``.
    Each check keeps the rows of its tag: the focus nodes it reports, or whether its own query runs."""
    groups: dict[tuple[str, str], list[tuple[str, _Check]]] = {}
    for check in checks:
        if check.anti:
            var, part, rest = check.anti
            groups.setdefault((var, rest), []).append((part, check))
    for (var, rest), members in groups.items():
        parts = list(dict.fromkeys(part for part, _ in members))  # a search that checks share: one part
        if len(parts) < 2:
            continue
        union = " UNION ".join(f"{{ {part} BIND ({k} AS ?k) }}" for k, part in enumerate(parts))
        merged = f"{prologue}SELECT DISTINCT {var} ?k WHERE {{ {{ SELECT {var} ?k WHERE {{ {union} }} }} {rest} }}"
        for part, check in members:
            check.merged, check.tag = merged, parts.index(part)


class _FewFocusNodes:
    """Whether a targeted shape has so few focus nodes beside the triples of a property's path that
    its values are better looked up per focus node (about 40 us each on a store on disk) than hashed
    with every triple of the path (about 3 us a triple): ``prov:wasDerivedFrom`` has 435,389 triples
    in the IATI bulk, the one programme 1 (3.7 s hashed on a busy machine, ~0 looked up).

    Counted on the store with a LIMIT, so that counting never costs more than the choice saves: the
    focus nodes up to ``most`` (a shape with more is always hashed), the path's first predicate up to
    ``ratio`` times as many. A SPARQL target, or a path that is not an IRI, a sequence starting with
    one or an inverse IRI, is always hashed.
    """

    def __init__(self, store: ox.Store, kwargs: dict, shapes: Graph, classes: dict,
                 ratio: int = 10, most: int = 20000):
        self.store, self.kwargs, self.g, self.classes = store, kwargs, shapes, classes
        self.ratio, self.most = ratio, most
        self.focus_counts: dict = {}

    def count(self, pattern: str, cap: int) -> int:
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT * WHERE {{ {pattern} }} LIMIT {cap} }} }}",
                                **self.kwargs)
        return int(next(iter(rows))["n"].value)

    def focus_count(self, shape) -> int:
        """The focus nodes of ``shape``, up to ``most + 1`` (more than ``most`` for a SPARQL target)."""
        if shape not in self.focus_counts:
            cap = self.most + 1
            patterns = [f"?s a ?t . VALUES ?t {{ {' '.join(self.classes.get(str(c), [f'<{c}>']))} }}"
                        for c in self.g.objects(shape, SH.targetClass)]
            patterns += [f"?s <{p}> ?o" for p in self.g.objects(shape, SH.targetSubjectsOf)]
            patterns += [f"?o <{p}> ?s" for p in self.g.objects(shape, SH.targetObjectsOf)]
            n = len(list(self.g.objects(shape, SH.targetNode)))
            n += cap if (shape, SH.target, None) in self.g else 0
            for pattern in patterns:
                if n <= self.most:
                    n += self.count(pattern, cap - n)
            self.focus_counts[shape] = n
        return self.focus_counts[shape]

    def first_predicate(self, prop):
        """The predicate a lookup from a focus node starts with; None for other paths."""
        node = self.g.value(prop, SH.path)
        if (node, RDF.first, None) in self.g:
            node = self.g.value(node, RDF.first)
        inverse = self.g.value(node, SH.inversePath) if node is not None else None
        node = inverse if inverse is not None else node
        return node if isinstance(node, URIRef) else None

    def __call__(self, shape, prop) -> bool:
        predicate = self.first_predicate(prop)
        n = self.focus_count(shape)
        if predicate is None or n > self.most:
            return False
        cap = self.ratio * n + 1
        return self.count(f"?s <{predicate}> ?o", cap) >= cap


class _RdflibTerms(dict):
    """pyoxigraph term -> the rdflib term (:func:`~ngograph.rdf.terms.to_rdflib`), each made once: the results of
    several checks name the same nodes and values (140,300 results, 111,121 focus nodes on the imported store)."""

    def __missing__(self, term):
        self[term] = made = _rdflib(term)
        return made


class _Messages:
    """The result messages pySHACL gives: the shape's sh:message, the SPARQL constraint's messages
    with ``{?var}`` filled in, else pySHACL's generic message of the constraint component."""

    def __init__(self, compiled: CompiledShapes, data_ns: Graph, ontology: Graph, store: ox.Store, graphs: list | None):
        self.compiled, self.store = compiled, store
        self.data_ns, self.ontology = data_ns, ontology
        self.graphs = set(graphs) if graphs is not None else {ox.DefaultGraph()}
        self.components: dict = {}
        self.stated: dict = {}  # id of a check -> the messages its shape states
        self.described: set = set()

    @cached_property
    def datagraph(self) -> Graph:
        """The graph pySHACL's generic messages read: the data's prefixes, the ontology, and the blank nodes described
        (:meth:`describe`); made when a result first needs it."""
        from pyshacl.rdfutil.clone import mix_graphs

        return mix_graphs(self.data_ns, self.ontology)

    def describe(self, node) -> None:
        """Copy a blank node's triples (and those of the blank nodes it points to) into the message
        graph: pySHACL's generic messages print a blank node with what the data says about it."""
        if not isinstance(node, BNode) or node in self.described:
            return
        self.described.add(node)
        for q in self.store.quads_for_pattern(ox.BlankNode(str(node)), None, None, None):
            if q.graph_name in self.graphs:
                obj = _rdflib(q.object)
                self.datagraph.add((node, URIRef(q.predicate.value), obj))
                self.describe(obj)

    def own(self, check: _Check) -> list[str]:
        """The messages a check's shape states (with its SPARQL constraint's, for sh:sparql), read once per check."""
        if id(check) not in self.stated:
            messages = [str(m) for m in self.compiled.pyshacl_shapes.lookup_shape_from_node(check.shape).message]
            if check.param == SH.sparql:
                extra = [str(m) for m in self.compiled.shapes.objects(check.sparql, SH.message)]
                messages += [m for m in extra if m not in messages]
            self.stated[id(check)] = messages
        return self.stated[id(check)]

    def __call__(self, check: _Check, focus, value, bound: dict) -> list[str]:
        messages = self.own(check)
        if check.param == _SPARQL:
            return [_fill(m, bound) for m in messages]
        if messages:
            return list(messages)
        key = (check.shape, check.param)
        if key not in self.components:
            shape = self.compiled.pyshacl_shapes.lookup_shape_from_node(check.shape)
            from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP

            self.components[key] = CONSTRAINT_PARAMETERS_MAP[check.param](shape)
        self.describe(focus)
        self.describe(value)
        return [str(m) for m in self.components[key].make_generic_messages(self.datagraph, focus, value)]


def _fill(message: str, bound: dict) -> str:
    for var, val in bound.items():
        message = re.sub("{{[?$]{}}}".format(var), str(val), message)
    return message


class _Shared:
    """What several checks share, computed by the first check that asks and waited for by the others, by the
    text of its query: the failing values of a path (:meth:`_Compiler.failing_values`, as :func:`_few_iris`
    gives them), whether a subject has two values on a path, the rows of a merged query (:func:`_merge`)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._found: dict[str, Future] = {}

    def get(self, key: str, compute: Callable[[], object]):
        with self._lock:
            found = self._found.get(key)
            mine = found is None
            if mine:
                found = self._found[key] = Future()
        if mine:
            try:
                found.set_result(compute())
            except BaseException as exc:  # the others waiting get it too
                found.set_exception(exc)
        return found.result()


#: The failing values of a check (:attr:`_Check.probe`) are bound in its query when there are at most this many.
_PROBE_MOST = 1000


def _few_iris(terms: Iterable, most: int) -> list | bool:
    """The distinct ``terms``, in the order found, when there are at most ``most`` and each is an IRI (a blank node
    cannot be bound in a query; a literal is left to the query that finds it), an empty list when there are none;
    else True. The terms are read until the answer is known (an anti-join's failing value comes once a triple: the
    ``10 * most + 1``-th term ends the reading).

    >>> a, b = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/b")
    >>> _few_iris([a, b, a], 2), _few_iris([], 2), _few_iris([a, ox.Literal("x")], 2), _few_iris([a, b], 1)
    ([<NamedNode value=https://e.org/a>, <NamedNode value=https://e.org/b>], [], True, True)
    >>> _few_iris([a] * 10, 1), _few_iris([a] * 11, 1)
    ([<NamedNode value=https://e.org/a>], True)
    """
    seen: dict = {}
    for n, term in enumerate(terms):
        if type(term) is not ox.NamedNode or n >= 10 * most or (term not in seen and len(seen) >= most):
            return True
        seen[term] = None
    return list(seen)


def _as_done(submit: Callable[..., Future], tasks: list, work: Callable[[object], tuple], ahead: int) -> Iterator[tuple]:
    """Each of ``tasks`` with the result of its work (``work(task)``: the function and its arguments, handed to
    ``submit``), as each is done, with at most ``ahead`` submitted at a time: the next is submitted once the caller is
    done with the last one's result. Other work submitted meanwhile (a batch of locations, the quality checks) waits
    for one check, not for all of those not yet started; and while the caller turns a check's rows into results, one
    check runs beside it, not two (on 2 cores: the imported store validated in 8.2-9.3 s, 8.9 on average, against
    9.4-10.8 s, 10.1, with every check queued at once and the locations and quality checks on threads of their own,
    four runs each, alternating; those had held 20 % more memory, whose fresh pages the kernel zeroed).
    A task's result is let go of as the caller asks for the next one: the rows of a check are freed beside the checks
    still running, not all at once at the end (117,000 rows of pyoxigraph terms: 0.14 s after the checks).

    >>> from ngograph.runtime import worker_threads
    >>> with worker_threads() as submit:
    ...     sorted(_as_done(submit, [3, 1, 2], lambda n: (pow, 2, n), 2))
    [(1, 2), (2, 4), (3, 8)]
    """
    waiting, running = list(reversed(tasks)), {}
    while waiting or running:
        while waiting and len(running) < ahead:
            task = waiting.pop()
            running[submit(*work(task))] = task
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            result = future.result()
            yield running.pop(future), result
            del result
        del done, future


def _run(store: ox.Store, check: _Check, kwargs: dict, shared: _Shared | None = None) -> tuple[list[str], list, set | None, float]:
    """The variables and rows of one check, with a SPARQL target's focus nodes, listed only once the
    constraint has found a row (else None), and the seconds it took. Run in a pool of threads:
    pyoxigraph lets go of the GIL while it evaluates, so two checks run at once on two cores. A
    check whose failing values are shared with other checks (``check.values``) finds them in
    ``shared`` first, and has no rows when there are none (its seconds: the search, for the check
    that ran it, or the wait for it); a check in a merged query (``check.merged``) takes its rows, or
    its search's, from that query's, the same way. Failing values found and few are bound in the check's
    ``probe``, which looks their subjects up, where its own query would find them again."""
    start = time.perf_counter()
    failing = None  # the failing values (_few_iris), when they are looked for first
    if check.merged and shared is not None:
        rows = shared.get(check.merged, lambda: list(store.query(check.merged, **kwargs)))
        mine = [r for r in rows if int(r["k"].value) == check.tag]
        if not check.values:  # a sh:minCount 1: its rows
            return ["this", "k"], mine, None, time.perf_counter() - start
        if not mine:  # no failing value: its own query would find no row
            return [], [], None, time.perf_counter() - start
        failing = _few_iris((r[0] for r in mine), _PROBE_MOST)
    elif check.values and shared is not None:
        failing = shared.get(check.values, lambda: _few_iris((r[0] for r in store.query(check.values, **kwargs)),
                                                                  _PROBE_MOST))
        if not failing:
            return [], [], None, time.perf_counter() - start
    query = check.query
    if check.probe and type(failing) is list:
        query = inline_bindings(check.probe, {"value": failing})
    solutions = store.query(query, **kwargs)
    names = [v.value for v in solutions.variables]
    rows = list(solutions)
    focus_nodes = {r["this"] for r in store.query(check.focus, **kwargs)} if check.focus and rows else None
    return names, rows, focus_nodes, time.perf_counter() - start


def validate_store(store: ox.Store, graphs: list | None = None, locations: dict | None = None, *,
                   shapes: Graph | None = None, ontology: Path | None = ONTOLOGY_FILE,
                   namespaces: Iterable[tuple[str, str]] = (), profile: dict | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   submit: Callable[..., Future] | None = None) -> Report:
    """Validate the graphs ``graphs`` of the pyoxigraph ``store`` (their union; None: the default
    graph) against the shapes with the compiled queries, giving the report pySHACL gives on the
    same graph with the ontology mixed in (:func:`ngograph.validate.shacl.validate_graph`).

    ``namespaces`` are the data graph's prefixes as pySHACL would see them (they shape its
    generic messages); ``profile``, when given, receives ``{(shape, constraint): seconds}``;
    ``progress(done, total)`` is called as each check is done (the total grows by the checks of an
    ``sh:node`` shape on the values that fail its parent). The checks and the look-ups of the locations run on
    the worker threads of ``submit`` (:func:`ngograph.runtime.worker_threads`: a caller's other work on the
    store, such as the quality checks, shares them), else on worker threads of their own.

    >>> import pyoxigraph as ox
    >>> s = ox.Store()
    >>> s.load(b'<https://example.org/a> a <https://schema.org/MonetaryAmount> ; '
    ...        b'<https://schema.org/value> -5.0 ; <https://schema.org/currency> "EUROS" .', ox.RdfFormat.TURTLE)
    >>> report = validate_store(s, locations={"https://example.org/a": "data/x.yaml:3"})
    >>> report.conforms, [(r.location, r.component, r.value) for r in report.results]
    (False, [('data/x.yaml:3', 'sh:InConstraintComponent', 'EUROS')])
    """
    # the collector finds nothing to free here (ngograph.runtime); a block, not a decorator: mutmut gives a
    # decorated function no mutants
    with collector_paused():
        shapes = shapes if shapes is not None else load_shapes()
        ont = _load_ontology(ontology) if ontology is not None else Graph()
        kwargs = query_dataset(graphs)
        pairs = {(str(s), str(o)) for s, o in ont.subject_objects(RDFS.subClassOf)}
        pairs |= {(r["a"].value, r["b"].value) for r in store.query(
            f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b FILTER (isIRI(?a) && isIRI(?b)) }}", **kwargs)}
        compiled = compile_shapes(shapes, _subclasses(pairs), _FewFocusNodes(store, kwargs, shapes, _subclasses(pairs)))
        data_ns = Graph(bind_namespaces="none")
        for prefix, ns in namespaces:
            data_ns.bind(prefix, ns, override=True, replace=True)
        messages = _Messages(compiled, data_ns, ont, store, graphs)
        severities = {}
        path_texts: dict = {}  # path -> its text, made once (a check's results share one path)
        rdf = _RdflibTerms()
        found: set[tuple] = set()  # each result's fields in order (:class:`Result`), made results at the end
        # The SPARQL constraints first: they take longest (a check that starts last on one thread keeps the
        # other idle), and each check's rows become results as soon as it is done, whatever the order.
        pending = sorted(compiled.checks, key=lambda c: c.param != SH.sparql)
        # The locations of the results are looked up in batches on the worker threads while the checks run: on the
        # imported store, looked up after the checks, they took 4-6 s alone on one core.
        prefetch, prefetching = getattr(locations, "prefetch", None), None
        unasked: list[str] = []  # the focus nodes of results not yet handed to ``prefetch``
        asked: set[str] = set()

        def path_text(path) -> str:
            if path not in path_texts:
                path_texts[path] = _path_text(shapes, path) if path is not None else ""
            return path_texts[path]

        def ask(focus_text: str) -> None:
            """Hand a result's focus node to ``prefetch`` with the next batch, once."""
            if prefetch is not None and focus_text not in asked:
                asked.add(focus_text)
                unasked.append(focus_text)

        shared = _Shared()
        finished, total = 0, len(pending)
        with nullcontext(submit) if submit is not None else worker_threads() as submit:
            while pending:
                failing: dict = {}
                for check, (names, rows, focus_nodes, seconds) in _as_done(
                        submit, pending, lambda check: (_run, store, check, kwargs, shared), _THREADS):
                    start = time.perf_counter()
                    if check.shape not in severities:
                        sev = shapes.value(check.shape, SH.severity)
                        severities[check.shape] = str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"
                    component = f"sh:{_COMPONENT[check.param]}"
                    name = _shape_name(shapes, check.shape)
                    shape_path = shapes.value(check.shape, SH.path)
                    is_sparql = check.param == _SPARQL
                    seen = set()
                    # a check whose results differ only in their focus node (the shape states its message, no value
                    # is reported, no nested shape): its rows become results here, with none of the rdflib terms and
                    # messages below (81,000 of the imported store's 117,000 results; 1.2 s of CPU)
                    same = not is_sparql and check.node is None and (shape_path is None or not check.has_value)
                    stated = messages.own(check) if same else None
                    if stated:
                        head = (severities[check.shape], name, "")  # a result's fields before and after its focus node
                        tail = (component, "; ".join(sorted(stated)) or "(no message)", "", path_text(shape_path))
                        rest = []
                        for row in rows:
                            this = row["this"]
                            if this is None or focus_nodes is not None and this not in focus_nodes:
                                continue
                            if type(this) is not ox.NamedNode:  # a blank node or a literal: the rows below
                                rest.append(row)
                                continue
                            focus_text = this.value
                            if focus_text in seen:
                                continue
                            seen.add(focus_text)
                            ask(focus_text)
                            found.add((*head, focus_text, *tail))
                        rows = rest
                    for row in rows:
                        if row["this"] is None or focus_nodes is not None and row["this"] not in focus_nodes:
                            continue
                        bound = {n: rdf[row[n]] for n in names if row[n] is not None} if is_sparql else {}
                        focus = rdf[row["this"]]
                        value = rdf[row["value"]] if check.has_value and row["value"] is not None else None
                        path = shape_path
                        if is_sparql:
                            path = bound.get("path") or shape_path
                            if value is None and shape_path is None:
                                value = focus
                            key = tuple(sorted((k, str(v), type(v).__name__) for k, v in bound.items()))
                        elif shape_path is None:  # a node shape: the value node is the focus node
                            value = focus
                            key = (focus,)
                        else:
                            key = (focus, value)
                        if key in seen:
                            continue
                        seen.add(key)
                        if check.node is not None:  # pySHACL reports the node shape's own results on the value too
                            failing[id(check)] = check
                        texts = messages(check, focus, value, {**bound, "this": focus,
                                                               **({"value": value} if value is not None else {})})
                        focus_text = str(focus)
                        ask(focus_text)
                        found.add((
                            severities[check.shape], name, "", focus_text, component,
                            "; ".join(sorted(texts)) or "(no message)",
                            _short(value) if value is not None and not isinstance(value, BNode) and value != focus else "",
                            path_text(path),
                        ))
                    finished += 1
                    if progress is not None:
                        progress(finished, total)
                    if profile is not None:
                        key = (name, component)
                        profile[key] = profile.get(key, 0.0) + seconds + time.perf_counter() - start
                    # a batch as soon as it is full; and whatever is waiting once a thread of the pool has no check
                    # left to run (the last ~20,000 were looked up after the checks, alone: 0.5 s of the imported store)
                    draining = total - finished < _THREADS
                    if prefetch is not None and unasked and (len(unasked) >= _PREFETCH_BATCH or draining) \
                            and (prefetching is None or prefetching.done()):
                        if prefetching is not None:
                            prefetching.result()  # its error, if any, raised here
                        prefetching, unasked = submit(prefetch, unasked), []
                pending = [c for parent in failing.values() for c in compiled.checks_on(parent.node, parent)]
                total += len(pending)
            if prefetching is not None:
                prefetching.result()
        return Report(sorted_located(found, locations))  # the focus nodes not yet looked up, here


def validate_published(store, sources: Iterable[str] | None = None, locations: dict | None = None,
                       **kwargs) -> Report:
    """:func:`validate_store` on the published graphs of an open store (or of the ``sources`` named)."""
    raw = getattr(store, "store", store)
    return validate_store(raw, published_graphs(raw, sources), locations, **kwargs)
