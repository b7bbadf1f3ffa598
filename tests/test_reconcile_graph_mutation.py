"""Issue 14: tests that kill the mutants of ngograph/reconcile/graph.py (the reconciliation written
into the store): each input is a tiny store or result built here, each expected value written by hand.

- read_organisations: which graphs are read (curated first, then each dataset; another named graph
  never), the label before the other names, identifiers with and without a scheme, the node of an
  IATI ref, which notations are countries, a node in several graphs, a backend holding the store;
- reconcile_triples: the whole N-Triples text of a small result (grouping, IRIs, literals);
- _reconciled / _stored; decisions_path / pending_path;
- reconcile_store: the summary field by field, the sources, the decisions, the review queue, the
  graph written, kept when it would state the same, dropped when nothing merges, ``finish``.
"""

from __future__ import annotations

import csv
import re
import time

import pyoxigraph as ox
import pytest

from ngograph import __version__
from ngograph.errors import ConfigError
from ngograph.rdf.namespaces import DCTERMS, NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from ngograph.reconcile.graph import (RECONCILE_GRAPH, _reconciled, _stored, decisions_path, pending_path,
                                      read_organisations, reconcile_store, reconcile_triples)
from ngograph.reconcile.match import Merge, OrgRecord, Result
from ngograph.store.backends import Embedded
from ngograph.store.embedded import GENERATIONS_GRAPH, open_store, write_graph, write_store

B = "https://e.org/id/"
C = "https://e.org/country/"


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri if iri.startswith(("http", "urn:")) else B + iri)


def _q(s, p, o, g=None) -> ox.Quad:
    return ox.Quad(_nn(s), ox.NamedNode(str(p)), o, g or ox.DefaultGraph())


def _org(node, g=None) -> ox.Quad:
    return _q(node, RDF.type, ox.NamedNode(str(ORG.FormalOrganization)), g)


# ---------------------------------------------------------------- read_organisations

@pytest.fixture
def mem():
    """An in-memory store. Curated (default graph): the country notations "DK" and "LV" (countries),
    "DNK" (three letters), "1A" (not letters), "dk" (lower case; its concept also has a prefLabel
    "LO"), none of the three a country; organisation a with a name, a schemed and a bare identifier,
    in DK. Dataset iati: a again (a label, a name, the label again as an alternative label, the same
    schemed identifier, in LV), two nodes of IATI refs, three nodes in the non-countries. Dataset
    cordis: a again (the bare identifier again). The reconciliation graph (not a dataset) holds an
    organisation that is never read."""
    s = ox.Store()
    iati, cordis = _nn("dataset/iati"), _nn("dataset/cordis")
    for code, notation in (("DK", "DK"), ("LV", "LV"), ("DNK", "DNK"), ("1A", "1A"), ("lo", "dk")):
        s.add(_q(C + code, SKOS.notation, ox.Literal(notation)))
    s.add(_q(C + "lo", SKOS.prefLabel, ox.Literal("LO")))
    a, pv = "organisation/a", "organisation/a/id"
    s.add(_org(a))
    s.add(_q(a, SCHEMA.name, ox.Literal("Zed Name")))
    s.add(_q(a, SCHEMA.identifier, _nn(pv)))
    s.add(_q(pv, SCHEMA.propertyID, ox.Literal("DK-CVR")))
    s.add(_q(pv, SCHEMA.value, ox.Literal("20699310")))
    s.add(_q(a, SCHEMA.identifier, ox.Literal("21016")))
    s.add(_q(a, SCHEMA.addressCountry, ox.NamedNode(C + "DK")))
    s.add(_org(a, iati))
    s.add(_q(a, RDFS.label, ox.Literal("Alpha Label"), iati))  # the label comes first, from whichever graph
    s.add(_q(a, SCHEMA.name, ox.Literal("Middle Name"), iati))
    s.add(_q(a, SKOS.altLabel, ox.Literal("Alpha Label"), iati))  # the label again: one name
    s.add(_q(a, SCHEMA.identifier, _nn(pv), iati))
    s.add(_q(pv, SCHEMA.propertyID, ox.Literal("DK-CVR"), iati))
    s.add(_q(pv, SCHEMA.value, ox.Literal("20699310"), iati))
    s.add(_q(a, SCHEMA.addressCountry, ox.NamedNode(C + "LV"), iati))  # the curated graph's country is kept
    s.add(_org(a, cordis))
    s.add(_q(a, SCHEMA.identifier, ox.Literal("21016"), cordis))
    for node, name in (("organisation/iati-ref/GB-CHC%20123", "Ref One"),
                       ("organisation/iati-ref/a%20b/organisation/iati-ref/c%2Fd", "Ref Two")):  # after the last marker
        s.add(_org(node, iati))
        s.add(_q(node, RDFS.label, ox.Literal(name), iati))
    for code in ("DNK", "1A", "lo"):
        s.add(_org(f"organisation/in-{code}", iati))
        s.add(_q(f"organisation/in-{code}", SCHEMA.addressCountry, ox.NamedNode(C + code), iati))
    s.add(_org("organisation/ghost", RECONCILE_GRAPH))
    s.add(_q("organisation/ghost", RDFS.label, ox.Literal("Ghost"), RECONCILE_GRAPH))
    return s


EXPECTED = [
    OrgRecord(B + "organisation/a", "cordis,curated,iati", ["Alpha Label", "Zed Name", "Middle Name"],
              [("DK-CVR", "20699310"), (None, "21016")], "DK"),
    OrgRecord(B + "organisation/iati-ref/GB-CHC%20123", "iati", ["Ref One"], [(None, "GB-CHC 123")], None),
    OrgRecord(B + "organisation/iati-ref/a%20b/organisation/iati-ref/c%2Fd", "iati", ["Ref Two"], [(None, "c/d")],
              None),
    OrgRecord(B + "organisation/in-1A", "iati", [], [], None),
    OrgRecord(B + "organisation/in-DNK", "iati", [], [], None),
    OrgRecord(B + "organisation/in-lo", "iati", [], [], None),
]


def _sorted_names(records):
    # the names of one graph come in the engine's order: compare the label, then the rest as a set
    return [(r.iri, r.source, r.names[:1], sorted(r.names[1:]), r.identifiers, r.country) for r in records]


def test_read_organisations_field_by_field(mem):
    records = read_organisations(mem)
    assert _sorted_names(records) == _sorted_names(EXPECTED)
    assert [r.iri for r in records] == [r.iri for r in EXPECTED]  # sorted by IRI
    # "Zed Name" (curated) is read before "Middle Name" (iati): the graphs are read curated first
    assert records[0].names == ["Alpha Label", "Zed Name", "Middle Name"]


def test_read_organisations_of_some_sources(mem):
    assert [(r.iri[len(B):], r.source, r.names, r.country) for r in read_organisations(mem, ["cordis"])] == [
        ("organisation/a", "cordis", [], None)]
    assert read_organisations(mem, ["cordis"])[0].identifiers == [(None, "21016")]
    assert [(r.iri[len(B):], r.source, r.names, r.identifiers, r.country)
            for r in read_organisations(mem, ["curated"])] == [
        ("organisation/a", "curated", ["Zed Name"], [("DK-CVR", "20699310"), (None, "21016")], "DK")]
    iati = read_organisations(mem, ["iati"])
    assert [r.iri for r in iati] == [r.iri for r in EXPECTED]
    assert (iati[0].source, iati[0].names, iati[0].identifiers, iati[0].country) == (
        "iati", ["Alpha Label", "Middle Name"], [("DK-CVR", "20699310")], "LV")


def test_read_organisations_refuses_a_source_the_store_does_not_hold(mem):
    with pytest.raises(ConfigError, match=r"^unknown source\(s\) 'nope' \(--source\): the store holds "
                                          r"curated, cordis, iati$"):
        read_organisations(mem, ["iati", "nope"])


def test_read_organisations_of_a_backend_or_an_open_store(mem, tmp_path):
    # anything holding the store as .store (a backend, an open store) is read as that store
    assert _sorted_names(read_organisations(Embedded(mem))) == _sorted_names(EXPECTED)
    path = tmp_path / "store"
    write_store(path, b"")
    write_graph(path, _nn("dataset/x"), [f'<{B}o> <{RDF.type}> <{ORG.FormalOrganization}> .\n'
                                         f'<{B}o> <{RDFS.label}> "O" .\n'.encode()])
    with open_store(path) as s:
        assert read_organisations(s) == [OrgRecord(B + "o", "x", ["O"], [], None)]


# ---------------------------------------------------------------- reconcile_triples, _reconciled, _stored

E = "https://e.org/"
D = f"<{XSD.decimal}>"


def _result():
    # b and c merge into a by one identifier (two merges, one Reconciliation); e into d by name
    return Result({f"{E}c": f"{E}a", f"{E}e": f"{E}d", f"{E}b": f"{E}a"},
                  [Merge(f"{E}a", f"{E}b", "identifier", 100.0, "same identifier X-1"),
                   Merge(f"{E}d", f"{E}e", "name", 97.0, "similar names 'x' ~ 'y'"),
                   Merge(f"{E}b", f"{E}c", "identifier", 100.0, "same identifier X-1")], [])


def test_reconcile_triples_whole_text():
    # the Reconciliation's IRI: sha1 of "canonical reason why", 16 hex digits
    # sha1("https://e.org/a identifier same identifier X-1") = a460bb7db28d9a12...
    # sha1("https://e.org/d name similar names 'x' ~ 'y'") = 21c2c912fad71dcc...
    r1, r2 = f"<{E}reconciliation/a460bb7db28d9a12>", f"<{E}reconciliation/21c2c912fad71dcc>"
    expected = (
        f"<{E}b> <{NGO.canonicalOrganisation}> <{E}a> .\n"
        f"<{E}c> <{NGO.canonicalOrganisation}> <{E}a> .\n"
        f"<{E}e> <{NGO.canonicalOrganisation}> <{E}d> .\n"
        f"{r1} <{RDF.type}> <{NGO.Reconciliation}> .\n"
        f"{r1} <{NGO.reconciles}> <{E}a> .\n"
        f"{r1} <{NGO.reconciles}> <{E}b> .\n"
        f"{r1} <{NGO.reconciles}> <{E}c> .\n"
        f'{r1} <{NGO.reconciliationBasis}> "identifier" .\n'
        f'{r1} <{NGO.matchScore}> "100.0"^^{D} .\n'
        f'{r1} <{DCTERMS.description}> "same identifier X-1"@en .\n'
        f"{r2} <{RDF.type}> <{NGO.Reconciliation}> .\n"
        f"{r2} <{NGO.reconciles}> <{E}d> .\n"
        f"{r2} <{NGO.reconciles}> <{E}e> .\n"
        f'{r2} <{NGO.reconciliationBasis}> "name" .\n'
        f'{r2} <{NGO.matchScore}> "97.0"^^{D} .\n'
        f"{r2} <{DCTERMS.description}> \"similar names 'x' ~ 'y'\"@en .\n"
        f'<urn:ngograph:graph:reconcile> <{PROV.generatedAtTime}> "2026-01-02T03:04:05Z"^^<{XSD.dateTime}> .\n'
        f'<urn:ngograph:graph:reconcile> <{PROV.wasGeneratedBy}> "ngograph {__version__} reconcile" .\n')
    assert reconcile_triples(_result(), E, "2026-01-02T03:04:05Z").decode("utf-8") == expected


def test_reconcile_triples_of_nothing_and_the_time_now():
    assert reconcile_triples(Result({}, [], []), E, "2026-01-02T03:04:05Z") == b""
    before = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    nt = reconcile_triples(Result({f"{E}b": f"{E}a"}, [], []), E).decode()
    after = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    stamp = re.fullmatch(rf'<{E}b> <{NGO.canonicalOrganisation}> <{E}a> \.\n'
                         rf'<urn:ngograph:graph:reconcile> <{PROV.generatedAtTime}> '
                         rf'"(\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"\^\^<{XSD.dateTime}> \.\n'
                         rf'<urn:ngograph:graph:reconcile> <{PROV.wasGeneratedBy}> "ngograph [^"]+ reconcile" \.\n', nt)
    assert stamp and before <= stamp[1] <= after


def test_reconcile_triples_time_is_utc_in_any_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kathmandu")  # UTC+05:45: the local time is never the UTC time
    time.tzset()
    try:
        before = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        stamp = _stored(reconcile_triples(Result({f"{E}b": f"{E}a"}, [], []), E)).quads_for_pattern(
            None, ox.NamedNode(str(PROV.generatedAtTime)), None)
        after = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        assert before <= next(stamp).object.value <= after
    finally:
        monkeypatch.undo()
        time.tzset()


def test_stored_and_reconciled():
    nt = reconcile_triples(_result(), E, "2026-01-02T03:04:05Z")
    store = _stored(nt)
    assert len(store) == 18
    scores = sorted((q.object.value, q.object.datatype.value) for q in store
                    if q.predicate.value == str(NGO.matchScore))
    assert scores == [("100", str(XSD.decimal)), ("97", str(XSD.decimal))]
    triples = _reconciled(store)
    assert len(triples) == 17  # all but the generation time
    assert not [t for t in triples if t[1].value == str(PROV.generatedAtTime)]
    assert (ox.NamedNode(f"{E}b"), ox.NamedNode(str(NGO.canonicalOrganisation)), ox.NamedNode(f"{E}a")) in triples
    assert _reconciled(_stored(b"")) == set()


def test_decisions_and_pending_paths(tmp_path):
    assert decisions_path(tmp_path) == tmp_path / "reconcile" / "decisions.csv"
    assert pending_path(tmp_path) == tmp_path / "reconcile" / "pending.csv"


# ---------------------------------------------------------------- reconcile_store

def _store_org(node, name, country, ident=None):
    o = f"<{B}{node}>"
    lines = [f"{o} <{RDF.type}> <{ORG.FormalOrganization}> .", f'{o} <{RDFS.label}> "{name}" .',
             f"{o} <{SCHEMA.addressCountry}> <{C}{country}> ."]
    if ident:
        lines += [f"{o} <{SCHEMA.identifier}> <{B}{node}/id> .", f'<{B}{node}/id> <{SCHEMA.propertyID}> "{ident[0]}" .',
                  f'<{B}{node}/id> <{SCHEMA.value}> "{ident[1]}" .']
    return "".join(line + "\n" for line in lines)


@pytest.fixture
def disk(tmp_path):
    """A store on disk. Curated: the country DK. Dataset s1: p (DK-CVR 1) and q (the same number);
    dataset s2: r, named as q, and t, a name scoring 92 against them (for review)."""
    path = tmp_path / "store"
    write_store(path, f'<{C}DK> <{SKOS.notation}> "DK" .\n'.encode())
    write_graph(path, _nn("dataset/s1"), [(_store_org("organisation/p", "Green House", "DK", ("DK-CVR", "1"))
                                           + _store_org("organisation/q", "Green House Org", "DK", ("DK-CVR", "1"))
                                           ).encode()])
    write_graph(path, _nn("dataset/s2"), [(_store_org("organisation/r", "Green House Org", "DK")
                                           + _store_org("organisation/t", "Green House Org 2", "DK")).encode()])
    return path


def _graph(path):
    with open_store(path) as s:
        return (path.resolve(), sorted(str(q) for q in s.quads_for_pattern(None, None, None, RECONCILE_GRAPH)),
                sorted(str(q) for q in s.quads_for_pattern(RECONCILE_GRAPH, None, None, GENERATIONS_GRAPH)))


def _links(path):
    with open_store(path) as s:
        return sorted((q.subject.value[len(B):], q.object.value[len(B):])
                      for q in s.quads_for_pattern(None, ox.NamedNode(str(NGO.canonicalOrganisation)), None,
                                                   RECONCILE_GRAPH))


def _pending(data):
    with open(data / "reconcile" / "pending.csv", encoding="utf-8") as fh:
        return [(p["left"], p["right"], p["left_name"], p["right_source"]) for p in csv.DictReader(fh)]


def test_reconcile_store_summary_graph_and_queue(disk, tmp_path):
    data, finished = tmp_path / "data", []

    def finish(new):
        finished.append(sorted(q.subject.value[len(B):] for q in new.quads_for_pattern(
            None, ox.NamedNode(str(NGO.canonicalOrganisation)), None, RECONCILE_GRAPH)))

    t0 = time.perf_counter()
    summary = reconcile_store(disk, B, data=data, finish=finish)
    elapsed = time.perf_counter() - t0
    # q joins p by identifier, r joins q by name (p canonical: the first IRI with a registry number);
    # t ~ r scores 92: for review, between the thresholds
    assert (summary.records, summary.merged, summary.clusters, dict(summary.merges), summary.pending,
            summary.triples) == (4, 2, 1, {"identifier": 1, "name": 1}, 1, 16)
    assert 0 <= summary.seconds <= elapsed
    assert _links(disk) == [("organisation/q", "organisation/p"), ("organisation/r", "organisation/p")]
    assert finished == [["organisation/q", "organisation/r"]]  # run once, on the new store
    with open_store(disk) as s:
        reconciliations = sorted(q.subject.value for q in s.quads_for_pattern(
            None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(NGO.Reconciliation)), RECONCILE_GRAPH))
    assert len(reconciliations) == 2 and all(re.fullmatch(rf"{B}reconciliation/[0-9a-f]{{16}}", r)
                                             for r in reconciliations)
    # the queue names the canonical node of r's cluster, shortened, with the names and sources
    assert _pending(data) == [("organisation/p", "organisation/t", "Green House", "s2")]


def test_reconcile_store_writes_only_what_changed_and_drops_an_empty_graph(disk, tmp_path):
    data = tmp_path / "data"
    reconcile_store(disk, B, data=data, queue=False)
    assert not (data / "reconcile" / "pending.csv").exists()
    first = _graph(disk)
    assert len(first[1]) == 16 and len(first[2]) == 1  # the graph, and its generation
    finished = []
    assert reconcile_store(disk, B, data=data, queue=False, finish=finished.append).merged == 2
    assert _graph(disk) == first and finished == []  # nothing written: the same store, the same time
    (data / "reconcile").mkdir(parents=True)
    (data / "reconcile" / "decisions.csv").write_text(
        "left,right,decision\norganisation/p,organisation/q,reject\norganisation/q,organisation/r,reject\n"
        "organisation/p,organisation/r,reject\n", encoding="utf-8")
    summary = reconcile_store(disk, B, data=data, queue=False)
    assert (summary.merged, summary.clusters, dict(summary.merges), summary.triples) == (0, 0, {}, 0)
    dropped = _graph(disk)
    assert dropped[0] != first[0] and dropped[1:] == ([], [])  # dropped, and no generation of it left
    with open_store(disk) as s:
        assert not s.contains_named_graph(RECONCILE_GRAPH)
    assert _graph(disk) == dropped  # nothing to drop again
    reconcile_store(disk, B, data=data, queue=False)
    assert _graph(disk) == dropped


def test_reconcile_store_applies_the_decisions_and_reads_the_sources_named(disk, tmp_path):
    data = tmp_path / "data"
    (data / "reconcile").mkdir(parents=True)
    (data / "reconcile" / "decisions.csv").write_text(
        "left,right,decision\norganisation/q,organisation/r,reject\norganisation/r,organisation/t,accept\n",
        encoding="utf-8")
    summary = reconcile_store(disk, B, data=data)
    assert (summary.records, summary.merged, summary.clusters, dict(summary.merges), summary.pending) == (
        4, 2, 2, {"identifier": 1, "curator": 1}, 0)
    assert _links(disk) == [("organisation/q", "organisation/p"), ("organisation/t", "organisation/r")]
    assert _pending(data) == []
    summary = reconcile_store(disk, B, data=data, sources=["s2"])
    assert (summary.records, summary.merged, dict(summary.merges), summary.pending, summary.kept) == (
        2, 1, {"curator": 1}, 0, 1)
    # s2's merge found again, s1's kept (tests/test_reconcile_source.py: the merges across sources)
    assert _links(disk) == [("organisation/q", "organisation/p"), ("organisation/t", "organisation/r")]
