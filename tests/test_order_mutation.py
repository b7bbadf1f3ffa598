"""The final ORDER BY applied in Python (``final_order`` in ngograph/rdf/sparql.py, ``_solutions``
and ``_order_key`` in ngograph/store/backends.py): behaviours a mutation run showed were not
pinned (issue 14). The engine must get the query without its final ORDER BY; the graphs, the
named sources and the bound parameters reach the engine on both paths (sorted here, or left to
the engine when the query sorts by a variable it does not return). Tiny stores, rows by hand."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from ngograph.store import backends
from ngograph.store.backends import _select_store

INT = "http://www.w3.org/2001/XMLSchema#integer"
A, B = "https://e.org/dataset/a", "https://e.org/dataset/b"

# r1..r3 in source a, r4 in source b: every statement in a named graph (an import), none in the default graph
QUADS = f"""
<urn:r1> <urn:n> "2"^^<{INT}> <{A}> .
<urn:r2> <urn:n> "10"^^<{INT}> <{A}> .
<urn:r3> <urn:n> "7"^^<{INT}> <{A}> .
<urn:r4> <urn:n> "5"^^<{INT}> <{B}> .
"""


@pytest.fixture
def store():
    s = ox.Store()
    s.load(QUADS.encode(), ox.RdfFormat.N_QUADS)
    return s


@pytest.fixture
def sent(monkeypatch):
    """The texts of the queries the engine is given (``_query_store`` spied on)."""
    texts = []
    query_store = backends._query_store

    def spy(store, text, bindings, graphs):
        texts.append(text)
        return query_store(store, text, bindings, graphs)

    monkeypatch.setattr(backends, "_query_store", spy)
    return texts


def rows(result, variable="r"):
    return [r[variable] for r in result]


def test_the_engine_gets_the_query_without_its_final_order(store, sent):
    text = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, text, None, None)) == ["urn:r2", "urn:r3", "urn:r4", "urn:r1"]
    assert sent == ["SELECT ?r ?n WHERE { ?r <urn:n> ?n } "]


def test_a_key_not_returned_sends_the_whole_query_once_more(store, sent):
    text = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, text, None, None)) == ["urn:r2", "urn:r3", "urn:r4", "urn:r1"]
    assert sent == ["SELECT ?r WHERE { ?r <urn:n> ?n } ", text]


def test_the_published_graphs_are_queried_on_both_paths(store):
    # the statements are in named graphs only: the store's default graph alone gives no row
    returned = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY ?n"
    assert rows(_select_store(store, returned, None, None)) == ["urn:r1", "urn:r4", "urn:r3", "urn:r2"]
    not_returned = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY ?n"
    assert rows(_select_store(store, not_returned, None, None)) == ["urn:r1", "urn:r4", "urn:r3", "urn:r2"]


def test_named_sources_are_kept_on_both_paths(store):
    returned = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, returned, None, None, ["a"])) == ["urn:r2", "urn:r3", "urn:r1"]
    assert rows(_select_store(store, returned, None, None, ["b"])) == ["urn:r4"]
    not_returned = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, not_returned, None, None, ["a"])) == ["urn:r2", "urn:r3", "urn:r1"]


def test_bound_parameters_are_kept_on_both_paths(store):
    bindings = {"r": [URIRef("urn:r1"), URIRef("urn:r2"), URIRef("urn:r4")]}
    returned = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, returned, bindings, None)) == ["urn:r2", "urn:r4", "urn:r1"]
    not_returned = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n)"
    assert rows(_select_store(store, not_returned, bindings, None)) == ["urn:r2", "urn:r4", "urn:r1"]
    assert rows(_select_store(store, not_returned, {"r": URIRef("urn:r3")}, None)) == ["urn:r3"]
