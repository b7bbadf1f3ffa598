"""Generated code and data stay in step with what they are generated from."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import ngograph.rdf.namespaces as ns
from ngograph.resources import ONTOLOGY_FILE
from ngograph.rdf.serialize import serialize
from ngograph.rdf.nsgen import NGO_NS, render
from ngograph.rdf.refdata import countries_graph, country_iri

from conftest import DATA


def test_namespaces_module_is_generated_from_the_ontology():
    assert Path(ns.__file__).read_text(encoding="utf-8") == render(ONTOLOGY_FILE), \
        "run `python -m ngograph.rdf.nsgen` after editing the ontology"


def test_every_ontology_term_has_label_and_comment():
    g = Graph().parse(ONTOLOGY_FILE)
    terms = {s for s in g.subjects(RDF.type, None) if str(s).startswith(NGO_NS)}
    assert len(terms) == 62  # 19 + 5 for the seed facts + 33 for real sources + 5 for reconciliation
    for t in terms:
        assert g.value(t, RDFS.label) is not None and g.value(t, RDFS.label).language == "en", t
        assert g.value(t, RDFS.comment) is not None, t
        assert getattr(ns.NGO, str(t)[len(NGO_NS):]) == t
    onto = URIRef("https://w3id.org/ngograph/def")
    assert g.value(onto, OWL.versionIRI) is not None
    assert g.value(onto, URIRef("http://purl.org/dc/terms/license")) is not None


def test_strict_namespaces_refuse_misspelt_terms():
    with pytest.raises(AttributeError):
        ns.SCHEMA.MonetaryGrnt
    with pytest.raises(AttributeError):
        ns.NGO.inProjekt


def test_countries_file_is_regenerated_identically():
    generated = serialize(countries_graph(DATA / "reference" / "country-wikidata.tsv"))
    committed = (DATA / "vocab" / "countries.ttl").read_bytes()
    assert committed.split(b"\n", 1)[1] == generated, "run `ngograph refdata`"


def test_country_table_by_hand():
    g = Graph().parse(DATA / "vocab" / "countries.ttl")
    lv, by = country_iri("LV"), country_iri("BY")
    assert str(lv) == "http://publications.europa.eu/resource/authority/country/LVA"
    assert g.value(lv, ns.SKOS.notation) == Literal("LV")
    labels = set(g.objects(lv, ns.SKOS.prefLabel))
    assert {Literal("Latvia", lang="en"), Literal("Latvija", lang="lv")} <= labels
    assert g.value(lv, ns.SKOS.exactMatch) == ns.WIKIDATA.Q211
    assert Literal("Беларусь", lang="be") in set(g.objects(by, ns.SKOS.prefLabel))
    assert len(set(g.subjects(RDF.type, ns.SCHEMA.Country))) == 250  # ISO 3166-1 and Kosovo (XK)
    with pytest.raises(KeyError):
        country_iri("XX")
