"""Reconciliation in the store: the graph it writes, the review queue and the decisions, the
query organisation-identities, networks that count a reconciled organisation once, the CLI."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.net.graphs import fetch
from ngograph.queries.library import load_query, run
from ngograph.rdf.namespaces import NGO, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from ngograph.reconcile.graph import RECONCILE_GRAPH, read_organisations, reconcile_store
from ngograph.store.backends import Embedded
from ngograph.store.embedded import open_store, write_graph, write_store

BASE = "https://example.org/id/"
ROLE = "https://example.org/role/partner"


def _org(iri, name, country=None, ident=None, other_name=None):
    o = f"<{BASE}{iri}>"
    dataset = f"<{BASE}dataset/{'iati' if '/iati/' in iri or '/dk-cvr/' in iri else 'cordis'}>"
    lines = [f"{o} <{RDF.type}> <{ORG.FormalOrganization}> .", f'{o} <{SCHEMA.name}> "{name}" .',
             f'{o} <{RDFS.label}> "{name}" .', f"{o} <{PROV.wasDerivedFrom}> {dataset} .",
             f"{dataset} <{RDF.type}> <{NGO.SourceDataset}> ."]
    if other_name:
        lines.append(f'{o} <{SCHEMA.name}> "{other_name}"@da .')
    if country:
        lines.append(f"{o} <{SCHEMA.addressCountry}> <https://example.org/country/{country}> .")
    if ident:
        pv = f"<{BASE}{iri}/id>"
        lines += [f"{o} <{SCHEMA.identifier}> {pv} .", f'{pv} <{SCHEMA.propertyID}> "{ident[0]}" .',
                  f'{pv} <{SCHEMA.value}> "{ident[1]}" .']
    return lines


def _participation(project, n, org):
    x = f"<{BASE}participation/{project}/{n}>"
    return [f"{x} <{NGO.inProject}> <{BASE}project/{project}> .", f"{x} <{NGO.participant}> <{BASE}{org}> .",
            f"{x} <{NGO.role}> <{ROLE}> .", f"<{BASE}project/{project}> <{RDF.type}> <{SCHEMA.Project}> ."]


def _nt(lines):
    return "".join(line + "\n" for line in lines).encode()


@pytest.fixture
def store(tmp_path):
    """Curated: the countries and the role. iati: the Danish Refugee Council with its CVR
    number and its names in English and Danish, and a Latvian NGO, in one project; cordis: the
    same two as CORDIS writes them (upper case, diacritics flattened), and a look-alike."""
    path = tmp_path / "store"
    curated = [f'<https://example.org/country/{c}> <{SKOS.notation}> "{c}" .' for c in ("DK", "LV")]
    curated.append(f'<{ROLE}> <{SKOS.notation}> "partner" .')
    write_store(path, _nt(curated))
    iati = (_org("organisation/dk-cvr/20699310", "Danish Refugee Council", "DK", ("DK-CVR", "20699310"),
                 "Dansk Flygtningehjælp")
            + _org("organisation/iati/p1/name/zb", "Biedrība „Zaļā brīvība”", "LV")
            + _participation("p1", 1, "organisation/dk-cvr/20699310")
            + _participation("p1", 2, "organisation/iati/p1/name/zb"))
    cordis = (_org("organisation/xi-pic/1", "DANSK FLYGTNINGEHJAELP", "DK", ("XI-PIC", "1"))
              + _org("organisation/xi-pic/2", "BIEDRIBA ZALA BRIVIBA", "LV", ("XI-PIC", "2"))
              + _org("organisation/xi-pic/3", "BIEDRIBA ZALA BRIVIBA 2", "LV")
              + _participation("p2", 1, "organisation/xi-pic/1") + _participation("p2", 2, "organisation/xi-pic/2"))
    write_graph(path, ox.NamedNode(f"{BASE}dataset/iati"), [_nt(iati)])
    write_graph(path, ox.NamedNode(f"{BASE}dataset/cordis"), [_nt(cordis)])
    return path


def _organisations(store):
    return {r["organisation"] for r in fetch(Embedded(store)).rows}


def test_read_organisations(store):
    with open_store(store) as s:
        records = {r.iri[len(BASE):]: r for r in read_organisations(s)}
        assert sorted(records) == ["organisation/dk-cvr/20699310", "organisation/iati/p1/name/zb",
                                   "organisation/xi-pic/1", "organisation/xi-pic/2", "organisation/xi-pic/3"]
        assert records["organisation/xi-pic/1"].identifiers == [("XI-PIC", "1")]
        assert records["organisation/xi-pic/1"].country == "DK" and records["organisation/xi-pic/1"].source == "cordis"
        assert [r.iri for r in read_organisations(s, ["iati"])] == [f"{BASE}organisation/dk-cvr/20699310",
                                                                   f"{BASE}organisation/iati/p1/name/zb"]


def test_reconcile_writes_the_graph_and_networks_count_once(store, tmp_path):
    data = tmp_path / "data"
    assert _organisations(store) == {"dk-cvr/20699310", "iati/p1/name/zb", "xi-pic/1", "xi-pic/2"}
    summary = reconcile_store(store, BASE, data=data)
    assert (summary.records, summary.merged, summary.clusters, dict(summary.merges)) == (5, 2, 2, {"name": 2})
    with open_store(store) as s:
        links = {(q.subject.value[len(BASE):], q.object.value[len(BASE):])
                 for q in s.quads_for_pattern(None, ox.NamedNode(str(NGO.canonicalOrganisation)), None, RECONCILE_GRAPH)}
        bases = sorted(q.object.value for q in s.quads_for_pattern(None, ox.NamedNode(str(NGO.reconciliationBasis)),
                                                                   None, RECONCILE_GRAPH))
    # a node with a registry identifier is canonical, the first IRI among those
    assert links == {("organisation/xi-pic/1", "organisation/dk-cvr/20699310"),
                     ("organisation/iati/p1/name/zb", "organisation/xi-pic/2")}
    assert bases == ["name", "name"]
    # the network: two organisations, not four; the two projects share them both
    assert _organisations(store) == {"dk-cvr/20699310", "xi-pic/2"}
    # the review queue: 'zala brivib 2' ~ 'zala brivib' scores 92, between the thresholds
    with open(data / "reconcile" / "pending.csv", encoding="utf-8") as fh:
        pending = list(csv.DictReader(fh))
    assert [(p["left"], p["right"], p["left_source"], p["right_source"], p["decision"]) for p in pending] == [
        ("organisation/xi-pic/2", "organisation/xi-pic/3", "cordis", "cordis", "")]  # canonical nodes


def test_organisation_identities(store, tmp_path):
    reconcile_store(store, BASE, data=tmp_path / "data")
    rows = [(r["organisation"], r["source"], r["identifier"], r["name"])
            for r in run(load_query("organisation-identities"), Embedded(store), max_rows=None)]
    drc = f"{BASE}organisation/dk-cvr/20699310"
    assert sorted(r for r in rows if r[0] == drc) == [  # the query returns its rows unsorted
        (drc, "cordis", "XI-PIC-1", "DANSK FLYGTNINGEHJAELP"),
        (drc, "iati", "DK-CVR-20699310", "Danish Refugee Council")]
    assert len({r[0] for r in rows}) == 3  # the DRC, the Latvian NGO and its look-alike under review


def test_decisions_are_applied_again_and_undo_a_merge(store, tmp_path):
    data = tmp_path / "data"
    (data / "reconcile").mkdir(parents=True)
    decisions = data / "reconcile" / "decisions.csv"
    decisions.write_text("left,right,decision\n"
                         "organisation/iati/p1/name/zb,organisation/xi-pic/3,accept\n"
                         "organisation/dk-cvr/20699310,organisation/xi-pic/1,reject\n", encoding="utf-8")
    summary = reconcile_store(store, BASE, data=data)
    assert dict(summary.merges) == {"curator": 1, "name": 1} and summary.pending == 0
    assert _organisations(store) == {"dk-cvr/20699310", "xi-pic/1", "xi-pic/2"}
    decisions.write_text("left,right,decision\n", encoding="utf-8")  # one edit, and a rebuild undoes it
    assert dict(reconcile_store(store, BASE, data=data).merges) == {"name": 2}
    assert len(_organisations(store)) == 2


def test_cli_reconcile_and_a_bad_decision(store, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()  # reconcile writes its queue into a data folder, and makes none
    assert main(["reconcile", "--store", str(store), "--data", str(data), "--base", BASE, "--source", "cordis"]) == 0
    assert "3 organisation nodes, 0 merged" in capsys.readouterr().err  # cordis alone: nothing to merge
    (data / "reconcile" / "decisions.csv").write_text("left,right,decision\na,b,maybe\n", encoding="utf-8")
    assert main(["reconcile", "--store", str(store), "--data", str(data), "--base", BASE]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"ngograph reconcile: {data / 'reconcile' / 'decisions.csv'}:2: decision 'maybe' is not accept, reject or empty"
