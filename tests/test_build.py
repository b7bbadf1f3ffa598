"""The seed graph: facts checked with SPARQL against values written out by hand from the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import BNode, Literal, URIRef

from ngograph.rdf.build import build_graph
from ngograph.rdf.serialize import serialize
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, SCHEMA, SKOS, XSD
from ngograph.records.check import load_records

from conftest import BASE, DATA

INIT_NS = {"schema": SCHEMA._NS, "ngo": NGO._NS, "org": ORG._NS, "skos": SKOS._NS, "dct": DCTERMS._NS,
           "prov": PROV._NS, "xsd": XSD._NS}


def iri(kind, rid):
    return URIRef(f"{BASE}{kind}/{rid}")


def rows(graph, query, **bindings):
    return [tuple(r) for r in graph.query(query, initNs=INIT_NS, initBindings=bindings)]


def test_counts(seed_graph):
    count = lambda cls: len(set(seed_graph.subjects(RDF.type, cls)))  # noqa: E731
    assert count(SCHEMA.Project) == 7          # 3 phases + 001 + 002 + 003 + 004
    assert count(ORG.FormalOrganization) == 30       # 28 + the network EAPN-Latvia belongs to + the Parliament visited
    assert count(NGO.Participation) == 55      # 3 x (13 + NCM) + 5 + 2 + 6
    assert count(SCHEMA.MonetaryGrant) == 6
    assert count(SCHEMA.Event) == 14
    assert count(NGO.Programme) == 1


def test_no_blank_nodes(seed_graph):
    assert not any(isinstance(t, BNode) for triple in seed_graph for t in triple)


def test_build_is_deterministic(records):
    again = build_graph(load_records(DATA), BASE)
    assert serialize(again.graph, "ntriples") == serialize(build_graph(records, BASE).graph, "ntriples")


def test_base_is_configurable(records):
    g = build_graph(records, "https://example.org/ngo/").graph
    assert (URIRef("https://example.org/ngo/project/red-cross-family-inclusion"), RDF.type, SCHEMA.Project) in g
    assert not any(str(s).startswith(BASE) for s in g.subjects())


def test_dates_at_source_precision(seed_graph):
    p1, p2, p002 = iri("project", "social-rights-advocacy-phase-1"), iri("project", "social-rights-advocacy-phase-3"), \
        iri("project", "nlif-institutional-strengthening-2017")
    assert seed_graph.value(p1, SCHEMA.startDate) == Literal("2018-08", datatype=XSD.gYearMonth)
    assert seed_graph.value(p2, SCHEMA.startDate) == Literal("2021", datatype=XSD.gYear)
    assert seed_graph.value(p002, SCHEMA.endDate) == Literal("2017-12-31", datatype=XSD.date)


def test_partners_of_phase_1_with_roles_and_countries(seed_graph):
    got = rows(seed_graph, """
        SELECT ?notation ?code WHERE {
          ?x ngo:inProject ?p ; ngo:participant ?o ; ngo:role ?r .
          ?r skos:notation ?notation .
          OPTIONAL { ?o schema:addressCountry/skos:notation ?code }
        }""", p=iri("project", "social-rights-advocacy-phase-1"))
    got = sorted((str(r), str(c) if c else "") for r, c in got)
    assert got == sorted([("lead-partner", "LV"), ("co-funder", "")] + [("partner", c) for c in
                         ["LV", "RU", "RU", "PL", "EE", "LT", "DK", "DK", "NO", "NO", "SE", "BY"]])


def test_member_and_funder_shortcuts(seed_graph):
    p = iri("project", "minority-participation-coalition")
    members = set(seed_graph.objects(p, SCHEMA.member))
    assert len(members) == 5  # implementer + 4 partners; administering bodies and funders are not members
    assert iri("organisation", "lv-state-chancellery") not in members
    assert set(seed_graph.objects(p, SCHEMA.funder)) == {iri("organisation", "european-union")}


def test_money(seed_graph):
    [(value, currency)] = rows(seed_graph, """
        SELECT ?v ?c WHERE { ?g schema:fundedItem ?p ; schema:funder ?f ; schema:amount [ schema:value ?v ; schema:currency ?c ] }""",
        p=iri("project", "social-rights-advocacy-phase-2"), f=iri("organisation", "nordic-council-of-ministers"))
    assert (value.toPython(), str(currency)) == (Decimal("411000"), "DKK")
    assert value.datatype == XSD.decimal
    [(share,)] = rows(seed_graph, "SELECT ?s WHERE { ?g schema:fundedItem ?p ; ngo:fundingShare ?s }",
                      p=iri("project", "minority-participation-coalition"))
    assert share.toPython() == Decimal("92.07")
    budget = seed_graph.value(iri("project", "social-rights-advocacy-phase-1"), NGO.budget)
    assert seed_graph.value(budget, SCHEMA.value).toPython() == Decimal("444550")


def test_multilingual_names(seed_graph):
    p = iri("project", "minority-participation-coalition")
    langs = {lit.language for lit in seed_graph.objects(p, SCHEMA.name)}
    assert langs == {"lv", "en-t-lv"}  # the English name is our translation from Latvian
    iic = iri("organisation", "iic")
    assert Literal("IIC", lang="lv") in set(seed_graph.objects(iic, SKOS.altLabel))


def test_branch_and_places(seed_graph):
    branch = iri("organisation", "latvian-red-cross-daugavpils")
    assert seed_graph.value(branch, ORG.subOrganizationOf) == iri("organisation", "latvian-red-cross")
    grodno = iri("place", "grodno")
    assert seed_graph.value(grodno, SCHEMA.containedInPlace) == iri("place", "grodno-region")
    assert seed_graph.value(grodno, SCHEMA.addressCountry) == URIRef(
        "http://publications.europa.eu/resource/authority/country/BLR")


def test_events_by_city(seed_graph):
    got = rows(seed_graph, """
        SELECT ?city ?date WHERE {
          ?e ngo:eventType ?t ; ngo:eventOf ?p ; schema:location/schema:name ?city .
          FILTER(LANG(?city) = "en")
          OPTIONAL { ?e schema:startDate ?date }
        }""", t=URIRef("https://w3id.org/ngograph/vocab/event-type/conference"))
    assert sorted((str(c), str(d)) for c, d in got) == [("Minsk", "2019-10"), ("Riga", "2019-10")]


@pytest.mark.parametrize("cls", [SCHEMA.Project, ORG.FormalOrganization, NGO.Participation,
                                 SCHEMA.MonetaryGrant, SCHEMA.Event, NGO.Result, NGO.Programme, SCHEMA.City,
                                 SCHEMA.FundingScheme])
def test_every_fact_carries_provenance(seed_graph, cls):
    subjects = set(seed_graph.subjects(RDF.type, cls))
    assert subjects
    for s in subjects:
        sources = set(seed_graph.objects(s, PROV.wasDerivedFrom))
        assert sources and all((src, RDF.type, NGO.SourceDocument) in seed_graph for src in sources), s


def test_roles_map_to_iati(seed_graph):
    got = rows(seed_graph, """
        SELECT ?role ?code WHERE { ?r skos:notation ?role ; skos:exactMatch|skos:closeMatch ?i .
                                   ?i skos:notation ?code ; skos:inScheme <https://w3id.org/ngograph/vocab/iati-organisation-role> }""")
    mapping = {str(r): str(c) for r, c in got}
    assert mapping == {"accountable": "2", "partner": "4", "implementer": "4", "associated": "4",
                       "funder": "1", "co-funder": "1", "administering-body": "3"}


def test_locations_name_record_lines(built):
    loc = built.locations[str(iri("project", "red-cross-family-inclusion"))]
    assert (loc.file, loc.line) == ("data/projects/seed-001.yaml", 5)
    part = built.locations[f"{BASE}participation/social-rights-advocacy-phase-1/lead-partner/eapn-latvia"]
    assert part.file == "data/projects/seed-000.yaml"
    assert "eapn-latvia" in (DATA / "projects" / "seed-000.yaml").read_text().splitlines()[part.line - 1]


def test_organisation_relations(seed_graph):
    eapn_lv, eapn = iri("organisation", "eapn-latvia"), iri("organisation", "european-anti-poverty-network")
    assert (eapn_lv, ORG.memberOf, eapn) in seed_graph
    assert (iri("organisation", "interakcia"), ORG.linkedTo, eapn_lv) in seed_graph  # the cooperation agreement
    assert (eapn, RDF.type, NGO.InternationalOrganization) in seed_graph
