"""The dataset describes itself: VoID and DCAT-AP 3 in the store's description graph, remade by
every build and import, with what a catalogue harvester needs (checked with SHACL)."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.publish.describe import CC_BY, STATE, check_dcat_ap, describe_store, description_graph, fingerprint
from ngograph.store.embedded import DESCRIPTION_GRAPH, open_store, read_graph, triple_count, write_graph, write_store
from ngograph.publish.export import export_store
from ngograph.store.imports import drop_import, import_source

BASE = "https://w3id.org/ngograph/id/"
T1, T2 = "2026-01-02T03:04:05Z", "2026-02-03T04:05:06Z"
ID = URIRef(BASE)
DATASET, CATALOG = URIRef(f"{BASE}dataset"), URIRef(f"{BASE}catalog")
P, O1, O2 = f"<{BASE}project/p>", f"<{BASE}organisation/o1>", f"<{BASE}organisation/o2>"
SRC, SRC2 = f"<{BASE}dataset/cordis-x>", f"<{BASE}dataset/nolicence>"
A, NAME, LABEL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://schema.org/name>", \
    "<http://www.w3.org/2000/01/rdf-schema#label>"
TITLE = "<http://purl.org/dc/terms/title>"
CURATED = (f"{P} {A} <https://schema.org/Project> .\n{P} {NAME} \"Projekts\"@lv .\n{P} {NAME} \"Project\"@en .\n"
           f"{O1} {A} <http://www.w3.org/ns/org#FormalOrganization> .\n{O1} {A} <https://schema.org/Organization> .\n"
           f"{O1} {NAME} \"Org\"@en .\n")
CORDIS = (f"{O2} {A} <http://www.w3.org/ns/org#FormalOrganization> .\n{O2} {LABEL} \"Norsk\"@nb .\n"
          f"{SRC} {A} <https://w3id.org/ngograph/def#SourceDataset> .\n{SRC} {TITLE} \"CORDIS tables: cordis-x\"@en .\n"
          f"{SRC} <http://purl.org/dc/terms/license> <{CC_BY}> .\n"
          f"{SRC} <http://purl.org/dc/terms/source> <https://cordis.europa.eu/> .\n")
RIGHTS = f"<{BASE}dataset/nolicence/rights>"
NOLICENCE = (f"{SRC2} {A} <https://w3id.org/ngograph/def#SourceDataset> .\n{SRC2} {TITLE} \"X\"@en .\n"
             f"{SRC2} <http://purl.org/dc/terms/rights> {RIGHTS} .\n{RIGHTS} {LABEL} \"No licence stated.\"@en .\n")
IATI_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "sources" / "iati" / "dportal15_nordic_ngos.xml"


def make_store(path: Path, now: str = T1, curated: str = CURATED) -> Path:
    finish = partial(describe_store, base=BASE, now=now)
    write_store(path, curated.encode(), finish=finish)
    write_graph(path, ox.NamedNode(f"{BASE}dataset/cordis-x"), [CORDIS.encode()], finish)
    write_graph(path, ox.NamedNode(f"{BASE}dataset/nolicence"), [NOLICENCE.encode()], finish)
    return path


def described(path: Path) -> Graph:
    with open_store(path) as s:
        nt = "".join(f"{q.triple} .\n" for q in s.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH))
    return Graph().parse(data=nt, format="nt")


@pytest.fixture
def store(tmp_path) -> Path:
    return make_store(tmp_path / "store")


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def test_counts_of_the_dataset(store):
    g = described(store)
    assert g.value(DATASET, VOID.triples) == integer(16) == integer(triple_count(store))  # 6 + 6 + 4
    assert g.value(DATASET, VOID.entities) == integer(5)  # P, O1, O2 and the two source datasets
    partitions = {str(g.value(p, VOID["class"])): g.value(p, VOID.entities).toPython()
                  for p in g.objects(DATASET, VOID.classPartition)}
    assert partitions == {"https://schema.org/Project": 1, "http://www.w3.org/ns/org#FormalOrganization": 2,
                          "https://schema.org/Organization": 1, "https://w3id.org/ngograph/def#SourceDataset": 2}
    assert set(g.objects(DATASET, VOID.exampleResource)) == {URIRef(f"{BASE}project/p"),
                                                             URIRef(f"{BASE}organisation/o1")}


def test_languages_vocabularies_and_locations(store):
    g = described(store)
    eu = "http://publications.europa.eu/resource/authority/language/"
    assert set(g.objects(DATASET, DCTERMS.language)) == {URIRef(eu + c) for c in ("ENG", "LAV", "NOB")}
    assert {str(v) for v in g.objects(DATASET, VOID.vocabulary)} == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "https://schema.org/", "http://www.w3.org/ns/org#",
        "http://www.w3.org/2000/01/rdf-schema#", "http://purl.org/dc/terms/", "https://w3id.org/ngograph/def#"}
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/ngograph/sparql")
    service = g.value(CATALOG, DCAT.service)
    assert g.value(service, DCAT.endpointURL) == URIRef("https://w3id.org/ngograph/sparql")
    dumps = {str(g.value(d, DCAT.accessURL)) for d in g.objects(DATASET, DCAT.distribution)}
    assert dumps == {f"https://w3id.org/ngograph/dumps/ngograph.{e}.gz" for e in ("ttl", "nt", "jsonld", "rdf", "nq")}
    assert set(map(str, g.objects(DATASET, VOID.dataDump))) == dumps


def test_title_licence_publisher_version_and_dates(store):
    g = described(store)
    assert g.value(DATASET, DCTERMS.title).language == "en"
    assert g.value(DATASET, DCTERMS.description).language == "en"
    # a source with no licence stated (the store's "nolicence"): the whole is not CC BY, only its rights statement
    # says what holds; the catalogue (our metadata) is
    assert g.value(DATASET, DCTERMS.license) is None and g.value(CATALOG, DCTERMS.license) == URIRef(CC_BY)
    rights = URIRef(f"{BASE}dataset/rights")
    assert g.value(DATASET, DCTERMS.rights) == rights and "only where every source is" in str(g.value(rights, RDFS.label))
    service = g.value(CATALOG, DCAT.service)
    assert (g.value(service, DCTERMS.license), g.value(service, DCTERMS.rights)) == (None, rights)
    whole = [d for d in g.objects(DATASET, DCAT.distribution)]
    assert len(whole) == 5 and all(g.value(d, DCTERMS.license) is None and g.value(d, DCTERMS.rights) == rights
                                   for d in whole)
    publisher = g.value(DATASET, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in g and str(g.value(publisher, FOAF.name)) == "The ngograph project"
    assert str(g.value(DATASET, URIRef("http://www.w3.org/ns/dcat#version"))) == "0.1.0"
    assert g.value(DATASET, DCTERMS.issued) == g.value(DATASET, DCTERMS.modified) == Literal(T1, datatype=XSD.dateTime)
    assert g.value(URIRef("https://w3id.org/ngograph/def"), DCTERMS.license) == URIRef(CC_BY)  # the ontology's own


def test_the_whole_is_cc_by_where_every_source_is(tmp_path):
    path = tmp_path / "store"
    finish = partial(describe_store, base=BASE, now=T1)
    write_store(path, CURATED.encode(), finish=finish)
    write_graph(path, ox.NamedNode(f"{BASE}dataset/cordis-x"), [CORDIS.encode()], finish)
    g = described(path)
    service = g.value(CATALOG, DCAT.service)
    assert g.value(DATASET, DCTERMS.license) == g.value(service, DCTERMS.license) == URIRef(CC_BY)
    whole = [d for d in g.objects(DATASET, DCAT.distribution)]
    assert len(whole) == 5 and all(g.value(d, DCTERMS.license) == URIRef(CC_BY) and g.value(d, DCTERMS.rights) is None
                                   for d in whole)


def test_one_subset_per_source_with_its_licence_and_origin(store):
    g = described(store)
    subsets = {str(s): g.value(s, VOID.triples).toPython() for s in g.objects(DATASET, VOID.subset)}
    assert subsets == {f"{BASE}dataset/curated": 6, f"{BASE}dataset/cordis-x": 6, f"{BASE}dataset/nolicence": 4}
    cordis, nolicence = URIRef(f"{BASE}dataset/cordis-x"), URIRef(f"{BASE}dataset/nolicence")
    assert g.value(cordis, DCTERMS.license) == URIRef(CC_BY)
    assert g.value(cordis, DCTERMS.source) == URIRef("https://cordis.europa.eu/")
    assert str(g.value(cordis, DCTERMS.title)) == "CORDIS tables: cordis-x"
    assert g.value(nolicence, DCTERMS.license) is None
    assert str(g.value(g.value(nolicence, DCTERMS.rights), RDFS.label)) == "No licence stated."
    dist = g.value(cordis, DCAT.distribution)
    assert str(g.value(dist, DCAT.downloadURL)) == "https://w3id.org/ngograph/dumps/ngograph-cordis-x.nq.gz"
    assert g.value(dist, DCTERMS.license) == URIRef(CC_BY)
    assert g.value(g.value(nolicence, DCAT.distribution), DCTERMS.license) is None
    # the dump of a source without a licence points to its rights statement, as the source does (it had neither)
    assert g.value(g.value(nolicence, DCAT.distribution), DCTERMS.rights) == g.value(nolicence, DCTERMS.rights)
    assert g.value(dist, DCTERMS.rights) is None  # a licence: no rights statement beside it


def test_dates_move_only_when_the_data_change(tmp_path):
    path = make_store(tmp_path / "store")
    make_store(path, now=T2)  # the same data again
    g = described(path)
    assert g.value(DATASET, DCTERMS.modified) == Literal(T1, datatype=XSD.dateTime)
    make_store(path, now=T2, curated=CURATED.replace('"Org"@en', '"Org."@en'))
    g = described(path)
    assert g.value(DATASET, DCTERMS.modified) == Literal(T2, datatype=XSD.dateTime)
    assert g.value(DATASET, DCTERMS.issued) == Literal(T1, datatype=XSD.dateTime)


def test_fingerprint_ignores_load_order_and_sees_changes(tmp_path):
    quads = [ox.Quad(ox.NamedNode(f"https://example.org/{i % 7}"), ox.NamedNode(f"https://example.org/p{i % 3}"),
                     ox.Literal(f"v{i}", language="en")) for i in range(500)]
    stores = []
    for name, order in (("a", quads), ("b", quads[::-1]), ("c", quads[:-1])):
        s = ox.Store(str(tmp_path / name))
        for k in range(0, len(order), 100):  # loaded in five batches
            s.bulk_load("".join(f"{q.triple} .\n" for q in order[k:k + 100]).encode(), ox.RdfFormat.N_TRIPLES)
        stores.append(s)
    a, b, c = map(fingerprint, stores)
    assert a == b != c


def test_the_description_is_not_in_the_published_graph_nor_dumped_state(store):
    assert (CATALOG, RDF.type, DCAT.Catalog) not in read_graph(store)
    with open_store(store) as s:
        dumped = description_graph(s.store)
        assert not any(q.subject == STATE for q in dumped)
        assert any(q.subject == STATE for q in s.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH))


def test_import_and_drop_remake_the_description(store):
    finish = partial(describe_store, base=BASE, now=T2)
    import_source(store, "iati", [IATI_FIXTURE], BASE, name="nordic", finish=finish)
    g = described(store)
    nordic = URIRef(f"{BASE}dataset/nordic")
    assert (DATASET, VOID.subset, nordic) in g
    assert g.value(nordic, DCTERMS.source) == URIRef("https://iatistandard.org/")
    assert "IATI publisher's own open licence" in str(g.value(g.value(nordic, DCTERMS.rights), RDFS.label))
    assert g.value(DATASET, DCTERMS.modified) == Literal(T2, datatype=XSD.dateTime)
    drop_import(store, "nordic", finish=finish)
    g = described(store)
    assert (DATASET, VOID.subset, nordic) not in g and len(list(g.objects(DATASET, VOID.subset))) == 3


def test_dcat_ap_mandatory_properties_are_there(store):
    with open_store(store) as s:
        quads = description_graph(s.store)
    conforms, report = check_dcat_ap(quads)
    assert conforms, report
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    access = ox.NamedNode("http://www.w3.org/ns/dcat#accessURL")
    broken = [q for q in quads if not (q.subject.value == str(DATASET) and q.predicate == title)
              and not (q.predicate == access and q.subject.value.endswith("ngograph.ttl.gz"))]
    assert len(broken) == len(quads) - 2
    conforms, report = check_dcat_ap(broken)
    assert not conforms
    assert "Results (2)" in report
    assert f"<{DATASET}>->dcterms:title" in report or f"<{DATASET}>->dct:title" in report, report
    assert "ngograph.ttl.gz>->dcat:accessURL" in report


def test_a_whole_dump_with_an_import_is_what_harvesters_accept(store, tmp_path):
    import_source(store, "iati", [IATI_FIXTURE], BASE, name="nordic", finish=partial(describe_store, base=BASE, now=T2))
    path, _ = export_store(store, tmp_path / "all.nt", "nt")
    dump = Graph().parse(path, format="nt")
    files = list(dump.objects(URIRef(f"{BASE}dataset/nordic"), DCAT.distribution))
    assert len(files) == 2  # the file read, and the N-Quads dump of the subset
    file = next(f for f in files if "/file/" in str(f))
    assert dump.value(file, DCAT.accessURL) == URIRef("https://iatistandard.org/")  # the source's origin
    conforms, report = check_dcat_ap(dump)
    assert conforms, report


def test_cli_build_writes_a_description_harvesters_accept(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    assert "with the dataset's description" in capsys.readouterr().err
    g = described(store)
    seed_triples = triple_count(store)
    assert g.value(DATASET, VOID.triples) == integer(seed_triples)
    assert {str(s) for s in g.objects(DATASET, VOID.subset)} == {f"{BASE}dataset/curated"}
    assert g.value(URIRef(f"{BASE}dataset/curated"), VOID.triples) == integer(seed_triples)
    with open_store(store) as s:
        assert check_dcat_ap(description_graph(s.store))[0]
    assert os.path.islink(store)


def test_every_entity_matches_the_datasets_uri_pattern(seed_store):
    """VoID's uriSpace said every entity's IRI starts with the base; 1,041 of the seeds' 1,200 (our concepts and the
    EU authority's countries) do not. The uriRegexPattern covers them all, and nothing else of what is typed."""
    import re

    from ngograph.publish.describe import description_quads

    with open_store(seed_store) as s:
        quads = description_quads(s.store, BASE)  # made now: the session's seed store may keep an older one
        typed = {row["s"].value for row in s.query("SELECT DISTINCT ?s WHERE { ?s a ?t FILTER isIRI(?s) }")}
    dataset = ox.NamedNode(f"{BASE}dataset")
    said = {q.predicate.value: q.object.value for q in quads if q.subject == dataset}
    assert str(VOID.uriSpace) not in said
    pattern = said[str(VOID.uriRegexPattern)]
    assert len(typed) > 1000
    assert [iri for iri in typed if not re.match(pattern, iri)] == []
    assert sum(1 for iri in typed if not iri.startswith(BASE)) > 1000  # what uriSpace left out
    assert not re.match(pattern, "https://schema.org/Project") and not re.match(pattern, BASE[:-1] + "x/a")
