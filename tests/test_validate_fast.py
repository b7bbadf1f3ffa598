"""The fast engine (ngograph/validate/fast.py) gives pySHACL's report: on every shape fixture, on
the cases of the SPARQL targets, on imported excerpts of real sources with faults injected, and
through `ngograph validate --engine`. pySHACL is the reference."""

from __future__ import annotations

import random
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from ngograph.cli import main
from ngograph.errors import ShapesError
from ngograph.store.embedded import open_store, published_graphs, read_graph
from ngograph.store.imports import import_source
from ngograph.validate.fast import validate_store
from ngograph.validate.shacl import load_shapes, validate_graph

from conftest import DATA, FIXTURES
from test_shapes import INVALID, VALID, context
from test_shapes_speed import CASES

BASE = "https://w3id.org/ngograph/id/"
SOURCES = FIXTURES / "sources"


def results_set(report) -> set[tuple]:
    """Every result as (focus, path, value, severity, source shape, component, message); a blank node
    focus as "_:" (each engine names blank nodes its own way)."""
    return {(r.focus if r.focus.startswith("http") else "_:", r.path, r.value, r.severity, r.shape, r.component,
             r.message) for r in report.results}


def both(graph: Graph) -> tuple[set, set]:
    """pySHACL's and the fast engine's results on ``graph``, both read from one pyoxigraph store
    (as `ngograph validate` reads it: same lexical forms on both sides)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, lenient=True)
    data = Graph(bind_namespaces="none")
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    shapes = _shapes()
    reference = validate_graph(data, shapes=shapes)
    fast = validate_store(store, shapes=shapes)
    return results_set(reference), results_set(fast)


_SHAPES: list = []


def _shapes() -> Graph:
    if not _SHAPES:
        _SHAPES.append(load_shapes())
    return _SHAPES[0]


def with_context(path) -> Graph:
    g = Graph()
    g += context()
    if path is not None:
        g.parse(path, format="turtle")
    return g


def test_fixture_globs_found_files():
    assert len(VALID) >= 4 and len(INVALID) >= 20


@pytest.mark.parametrize("path", [None, *VALID, *INVALID], ids=lambda p: p.stem if p else "context")
def test_shape_fixture_gives_the_reference_report(path):
    reference, fast = both(with_context(path))
    assert fast == reference
    assert (path is None or "valid" == path.parent.name) == (not reference)


def test_sparql_target_cases_give_the_reference_report():
    reference, fast = both(Graph().parse(data=CASES, format="turtle"))
    assert fast == reference
    assert ("https://example.org/id/project-f2", "", "", "Warning", "ngosh:FundingShareSumShape",
            "sh:SPARQLConstraintComponent",
            "the funding shares of the project's grants sum to 101.0 %, over 100") in reference
