"""The dataset's description (ngograph/publish/describe.py): behaviours a mutation run (a sample
of every 20th mutant of each function) showed were not pinned (issue 14). A tiny store, values
written out by hand."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID

from ngograph import __version__
from ngograph.publish.describe import STATE, _language, as_graph, description_graph, description_quads
from ngograph.store.embedded import DESCRIPTION_GRAPH

BASE = "https://w3id.org/ngograph/id/"
DATASET = URIRef(f"{BASE}dataset")
SRC = f"{BASE}dataset/cordis-x"
DATA = f"""<{BASE}project/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Project> .
<{SRC}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ngograph/def#SourceDataset> <{SRC}> .
<{SRC}> <http://purl.org/dc/terms/title> "CORDIS tables: cordis-x"@en <{SRC}> .
"""


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(DATA.encode(), ox.RdfFormat.N_QUADS)
    return s


@pytest.fixture(scope="module")
def described(store):
    return as_graph(description_quads(store, BASE, now="2026-01-02T03:04:05Z"))


def test_distribution_titles_name_their_source(described):
    def titles(dataset):
        return {str(described.value(d, DCTERMS.title)) for d in described.objects(dataset, DCAT.distribution)}

    assert titles(DATASET) == {f"All sources, {f}, gzipped" for f in ("turtle", "ntriples", "jsonld", "rdfxml",
                                                                       "nquads")}
    assert titles(URIRef(SRC)) == {"cordis-x, nquads, gzipped"}
    assert titles(URIRef(f"{BASE}dataset/curated")) == {"curated, nquads, gzipped"}


def test_version_keywords_service_and_curated_subset(described):
    assert described.value(DATASET, URIRef("http://www.w3.org/ns/dcat#version")) == Literal(__version__)
    assert described.value(DATASET, OWL.versionInfo) == Literal(__version__)
    assert set(described.objects(DATASET, DCAT.keyword)) == {
        Literal(k, lang="en") for k in ("NGO", "cross-border cooperation", "partnership network", "grants",
                                        "linked open data")}
    service = URIRef(f"{BASE}sparql-service")
    assert described.value(service, DCTERMS.conformsTo) == URIRef("https://www.w3.org/TR/sparql11-protocol/")
    assert described.value(URIRef(f"{BASE}dataset/curated"), DCTERMS.title) == Literal("Curated records", lang="en")


def test_the_clock_gives_an_xsd_datetime_in_utc(store):
    quads = description_quads(store, BASE)
    dates = {q.predicate.value: q.object for q in quads if q.subject.value == str(DATASET)
             and q.predicate.value in (str(DCTERMS.modified), str(DCTERMS.issued))}
    modified = dates[str(DCTERMS.modified)]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", modified.value)
    assert modified.datatype.value == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert dates[str(DCTERMS.issued)] == modified


def test_catalogue_text_class_partitions_and_a_source_without_a_date(described):
    assert described.value(URIRef(f"{BASE}catalog"), DCTERMS.description) == Literal(
        "The catalogue of the ngograph dataset, its dumps and its SPARQL endpoint.", lang="en")
    assert set(described.objects(DATASET, VOID.classPartition)) == {
        URIRef(f"{BASE}dataset/class/schema-Project"), URIRef(f"{BASE}dataset/class/ngo-SourceDataset")}
    assert described.value(URIRef(SRC), DCTERMS.description) == Literal(
        "CORDIS tables: cordis-x, imported with ngograph on an unknown date.", lang="en")


@pytest.mark.parametrize("tag", ["mul", "und", "zxx", "mis", "qq", "e1", "english"])
def test_languages_without_an_eu_authority_code(tag):
    assert _language(tag) is None


def test_a_store_without_a_description_is_described_on_demand(store):
    quads = description_graph(store, BASE)
    assert not any(q.subject == STATE for q in quads)
    assert ox.Quad(ox.NamedNode(str(DATASET)), ox.NamedNode(str(DCTERMS.title)),
                   ox.Literal("ngograph: a knowledge graph of cross-border NGO cooperation", language="en"),
                   DESCRIPTION_GRAPH) in quads
