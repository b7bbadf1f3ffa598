"""What a query's dataset holds: the published graphs only. `GRAPH ?g` names the imported
sources (and the reconciliation), never the store's own graphs (the build record, the description
with its kept counts, the generations), through the embedded backend and through `ngograph serve`."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from test_serve import get, ngograph_serve

from ngograph.store.backends import Embedded
from ngograph.store.embedded import (BUILD_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH, named_graphs,
                                     write_graph, write_store)
from ngograph.store.imports import import_source

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "iati"
BASE = "https://w3id.org/ngograph/id/"
IATI = f"{BASE}dataset/iati"
SEED = b'<https://w3id.org/ngograph/id/project/x> <http://www.w3.org/2000/01/rdf-schema#label> "curated" .\n'
OWN = b'<urn:ngograph:description:graph:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "{}" .\n'
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
LABELS = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    link = tmp_path_factory.mktemp("dataset") / "store"
    write_store(link, SEED, b'<urn:x:a> <urn:x:location> "data/x.yaml:1" .\n')
    import_source(link, "iati", [FIXTURES / "dportal15_nordic_ngos.xml"], BASE)
    write_graph(link, DESCRIPTION_GRAPH, [OWN])
    held = set(named_graphs(link))
    # the store holds its own graphs beside the source: without them the test could not fail
    assert {IATI, BUILD_GRAPH.value, DESCRIPTION_GRAPH.value, GENERATIONS_GRAPH.value} <= held
    return link


def _values(rows) -> list[str]:
    return [str(next(iter(row.values()))) for row in rows]


def test_graph_names_only_the_imported_sources(store):
    assert _values(Embedded(store).select(GRAPHS)) == [IATI]
    # the default graph is still the union of the curated data and the source
    labels = _values(Embedded(store).select(LABELS))
    assert "curated" in labels and len(labels) > 1


def test_a_query_of_the_curated_source_names_no_graph(store):
    assert _values(Embedded(store, sources=["curated"]).select(GRAPHS)) == []
    assert _values(Embedded(store, sources=["iati"]).select(GRAPHS)) == [IATI]


def test_a_store_without_imports_names_no_graph(tmp_path):
    link = tmp_path / "store"
    write_store(link, SEED, b'<urn:x:a> <urn:x:location> "data/x.yaml:1" .\n')
    assert BUILD_GRAPH.value in named_graphs(link)
    assert _values(Embedded(link).select(GRAPHS)) == []
    assert _values(Embedded(link).select(LABELS)) == ["curated"]


def test_the_sparql_endpoint_hides_the_stores_own_graphs(store, tmp_path):
    with ngograph_serve(store, tmp_path / "log") as (url, _):
        status, _, body = get(f"{url}/sparql?query={urllib.parse.quote(GRAPHS)}", "application/sparql-results+json")
        assert status == 200
        assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [IATI]
        kept = "ASK { GRAPH ?g { <urn:ngograph:description:graph:x> ?p ?o } }"
        status, _, body = get(f"{url}/sparql?query={urllib.parse.quote(kept)}", "application/sparql-results+json")
        assert status == 200 and json.loads(body)["boolean"] is False
