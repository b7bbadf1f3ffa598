"""``ngograph reconcile --source NAME`` matches only the named sources' organisations and keeps the
merges and the pairs to review that involve another source's organisations as they were.

The bug it guards (a reviewer's steps: ``build``, ``import table examples/``, ``reconcile --source
curated``): the reconciliation graph and pending.csv were rewritten with what was found among the
curated organisations alone, so every merge with an imported organisation was lost and every query
counted the merged organisations twice until a plain ``ngograph reconcile``.

The store, built here: curated (the default graph) the Latvian Green Movement and the Nordic Peace
Institute; the dataset ``table`` the Latvian Green Movement again (the same normalised name: a merge
across the sources), the Peace Institute as "Nordisk Peace Institute" (scores 93, between the
thresholds: a pair to review across the sources), and the Baltic Youth Forum three times: "BALTIC
YOUTH FORUM" (a merge within table) and "Baltic Youth Forum Riga" (scores 88: a pair within table).
"""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.queries.library import run
from ngograph.rdf.namespaces import NGO, ORG, RDF, RDFS, SCHEMA, SKOS
from ngograph.reconcile.graph import RECONCILE_GRAPH, _reconciled
from ngograph.store.backends import Embedded
from ngograph.store.embedded import open_store, write_graph, write_store

BASE = "https://example.org/id/"
TABLE = ox.NamedNode(f"{BASE}dataset/table")
CURATED = [("green", "Latvian Green Movement", "LV"), ("peace", "Nordic Peace Institute", "DK")]
IMPORTED = [("table/green", "LATVIAN GREEN MOVEMENT", "LV"), ("table/peace", "Nordisk Peace Institute", "DK"),
            ("table/youth", "Baltic Youth Forum", "LV"), ("table/youth-caps", "BALTIC YOUTH FORUM", "LV"),
            ("table/youth-riga", "Baltic Youth Forum Riga", "LV")]


def _nt(orgs, extra=()) -> bytes:
    lines = list(extra)
    for key, name, country in orgs:
        o = f"<{BASE}organisation/{key}>"
        lines += [f"{o} <{RDF.type}> <{ORG.FormalOrganization}> .", f'{o} <{RDFS.label}> "{name}" .',
                  f"{o} <{SCHEMA.addressCountry}> <https://example.org/country/{country}> ."]
    return "".join(line + "\n" for line in lines).encode()


@pytest.fixture
def store(tmp_path):
    """The curated graph and the table import, not reconciled yet (as ``import --no-reconcile`` leaves it)."""
    path = tmp_path / "store"
    write_store(path, _nt(CURATED, [f'<https://example.org/country/{c}> <{SKOS.notation}> "{c}" .'
                                    for c in ("DK", "LV")]))
    write_graph(path, TABLE, [_nt(IMPORTED)])
    return path


def _reconcile(store, data, capsys, *sources) -> str:
    args = ["reconcile", "--store", str(store), "--data", str(data), "--base", BASE]
    assert main(args + [a for s in sources for a in ("--source", s)]) == 0
    return capsys.readouterr().err.split(": ", 1)[1].rsplit(" (", 1)[0]  # the log line but the time


def _links(store) -> set[tuple[str, str]]:
    with open_store(store) as s:
        return {(q.subject.value[len(BASE):], q.object.value[len(BASE):]) for q in
                s.quads_for_pattern(None, ox.NamedNode(str(NGO.canonicalOrganisation)), None, RECONCILE_GRAPH)}


def _graph(store) -> set:
    with open_store(store) as s:
        return _reconciled(s.quads_for_pattern(None, None, None, RECONCILE_GRAPH))


def _pending(data) -> list[tuple[str, str, str, str, str]]:
    with open(data / "reconcile" / "pending.csv", encoding="utf-8") as fh:
        return [(r["left"], r["right"], r["score"], r["left_source"], r["right_source"]) for r in csv.DictReader(fh)]


def _organisations(store) -> int:
    return int(run("summary", Embedded(store))[0]["organisations"])


ACROSS = ("organisation/peace", "organisation/table/peace", "92.7", "curated", "table")
WITHIN = ("organisation/table/youth", "organisation/table/youth-riga", "87.8", "table", "table")


def test_source_keeps_the_merges_and_pairs_of_other_sources(store, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)  # reconcile writes its queue into a data folder, and makes none
    # --source table matches the table's organisations alone: its merge and its pair are found, the
    # Latvian Green Movement and the Peace Institute across the sources are neither merged nor queued
    assert _reconcile(store, data, capsys, "table") == (
        "5 organisation nodes, 1 merged into 1 organisations (merges: 1 by name), 1 pair(s) to review in "
        f"{data / 'reconcile' / 'pending.csv'}; kept 0 merge(s) and 0 pair(s) to review involving other sources")
    assert _links(store) == {("organisation/table/youth-caps", "organisation/table/youth")}
    assert _pending(data) == [WITHIN]
    assert _organisations(store) == 6  # 7 nodes, one merged

    # every source: the merge and the pair across the sources too; the curated node is canonical
    assert _reconcile(store, data, capsys).startswith(
        "7 organisation nodes, 2 merged into 2 organisations (merges: 2 by name), 2 pair(s) to review in ")
    everything = _graph(store)
    assert _links(store) == {("organisation/table/youth-caps", "organisation/table/youth"),
                             ("organisation/table/green", "organisation/green")}
    assert _pending(data) == [ACROSS, WITHIN]
    assert _organisations(store) == 5

    # the reviewer's steps: --source curated finds nothing among the two curated organisations, and
    # keeps both merges (one across, one within table) and both pairs, which involve table's nodes
    assert _reconcile(store, data, capsys, "curated") == (
        "2 organisation nodes, 0 merged into 0 organisations (merges: none), 0 pair(s) to review in "
        f"{data / 'reconcile' / 'pending.csv'}; kept 2 merge(s) and 2 pair(s) to review involving other sources")
    assert _graph(store) == everything
    assert _pending(data) == [ACROSS, WITHIN]
    assert _organisations(store) == 5  # was 7: both merges lost

    # --source table: the merge and the pair within table found again, those across kept
    assert _reconcile(store, data, capsys, "table").endswith(
        "; kept 1 merge(s) and 1 pair(s) to review involving other sources")
    assert _graph(store) == everything
    assert _pending(data) == [ACROSS, WITHIN]


def test_source_decides_again_the_merges_among_its_organisations(store, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)  # reconcile writes its queue into a data folder, and makes none
    _reconcile(store, data, capsys)
    (data / "reconcile" / "decisions.csv").write_text(
        "left,right,decision\norganisation/table/youth,organisation/table/youth-caps,reject\n"
        "organisation/peace,organisation/table/peace,accept\n", encoding="utf-8")
    # --source table: the merge within table is undone (the curator's reject), the merge across kept; the
    # decision across the sources is not applied (table/peace is matched, peace is not) and its pair is kept;
    # the youth forum in capitals, now apart, is a second pair with the one of Riga (88 too)
    assert _reconcile(store, data, capsys, "table").startswith(
        "5 organisation nodes, 0 merged into 0 organisations (merges: none), 2 pair(s) to review in ")
    assert _links(store) == {("organisation/table/green", "organisation/green")}
    assert _pending(data) == [ACROSS, WITHIN, ("organisation/table/youth-caps", *WITHIN[1:])]
    # a plain reconcile applies both
    _reconcile(store, data, capsys)
    assert _links(store) == {("organisation/table/green", "organisation/green"),
                             ("organisation/table/peace", "organisation/peace")}


def test_source_chooses_the_canonical_node_among_every_source(store, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)  # reconcile writes its queue into a data folder, and makes none
    _reconcile(store, data, capsys)
    # a second Latvian Green Movement imported into table, not reconciled yet
    write_graph(store, TABLE, [_nt(IMPORTED + [("table/green-2", "Latvian Green Movement", "LV")])])
    # --source table merges it with table/green (canonical among table's nodes); with the merge kept
    # across the sources, the cluster's canonical node is the curated one, as a plain reconcile has it
    assert _reconcile(store, data, capsys, "table").startswith(
        "6 organisation nodes, 2 merged into 2 organisations (merges: 2 by name), 1 pair(s) to review in ")
    assert _links(store) == {("organisation/table/youth-caps", "organisation/table/youth"),
                             ("organisation/table/green", "organisation/green"),
                             ("organisation/table/green-2", "organisation/green")}
    after = _graph(store)
    _reconcile(store, data, capsys)
    assert _graph(store) == after  # a plain reconcile states the same: one ngo:Reconciliation of the three
    assert _organisations(store) == 5


def test_source_leaves_out_what_is_gone_or_now_one_cluster(store, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)  # reconcile writes its queue into a data folder, and makes none
    peace2 = ("table/peace-2", "Nordic Peace Institute", "DK")
    write_graph(store, TABLE, [_nt(IMPORTED + [peace2])])
    _reconcile(store, data, capsys)
    # table/peace-2 merges with the curated peace by name; table/peace is queued against that cluster
    assert _links(store) == {("organisation/table/youth-caps", "organisation/table/youth"),
                             ("organisation/table/green", "organisation/green"),
                             ("organisation/table/peace-2", "organisation/peace")}
    assert _pending(data) == [ACROSS, WITHIN]
    # table imported again without its Latvian Green Movement (not reconciled), and a curator's accept within table
    write_graph(store, TABLE, [_nt([o for o in IMPORTED if o[0] != "table/green"] + [peace2])])
    (data / "reconcile" / "decisions.csv").write_text(
        "left,right,decision\norganisation/table/peace,organisation/table/peace-2,accept\n", encoding="utf-8")
    # --source table: the merge with a node gone is left out; the accept joins table/peace to the peace
    # cluster kept across the sources, so the queued pair across is now one cluster and is left out too
    assert _reconcile(store, data, capsys, "table") == (
        "5 organisation nodes, 2 merged into 2 organisations (merges: 1 by curator, 1 by name), 1 pair(s) to review "
        f"in {data / 'reconcile' / 'pending.csv'}; kept 1 merge(s) and 0 pair(s) to review involving other sources")
    assert _links(store) == {("organisation/table/youth-caps", "organisation/table/youth"),
                             ("organisation/table/peace", "organisation/peace"),
                             ("organisation/table/peace-2", "organisation/peace")}
    assert _pending(data) == [WITHIN]
