"""The statements of the published graph (``ngograph summary``'s triples) from the counts the description
keeps per graph: hand-counted on tiny stores, the kept counts used only while a graph's stamp is unchanged, and
after a real build and import the same number as ``COUNT(*)`` over the union of the graphs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.publish import statistics
from ngograph.publish.statistics import published_statements, totals
from ngograph.store.backends import Embedded
from ngograph.store.embedded import GENERATIONS_GRAPH, VOCAB_GRAPH

from test_statistics_mutation import A, B, VALUE, X, two_imports

ROOT = Path(__file__).resolve().parent.parent
IATI = ROOT / "tests" / "fixtures" / "sources" / "iati" / "dportal15_nordic_ngos.xml"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PROJECTS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://schema.org/Project> }"
#: the activities of the IATI fixture, counted with ElementTree
ACTIVITIES = len(ET.parse(IATI).getroot().findall("iati-activity"))


def test_the_fixture_is_there():
    assert IATI.is_file() and ACTIVITIES > 0


def test_each_graph_counted_once_per_graph_and_sources_kept_apart():
    store = two_imports()  # 1 curated statement; 4 in a (its records, its import time), 4 in b; two restated
    assert published_statements(store) == 9
    assert (published_statements(store, ["curated"]), published_statements(store, ["a"]),
            published_statements(store, ["a", "b"]), published_statements(store, ["curated", "b"])) == (1, 4, 8, 5)
    assert published_statements(ox.Store()) == 0


def test_the_reference_vocabularies_count_with_a_source_alone():
    store = two_imports()
    store.add(ox.Quad(X, VALUE, ox.Literal("vocabulary"), VOCAB_GRAPH))
    assert published_statements(store, ["a"]) == 5  # the query of --source a sees the vocabularies too
    assert published_statements(store, ["curated"]) == 1  # the curated graph already holds them


def _keep(store: ox.Store, graph: ox.NamedNode, triples: int) -> None:
    """Keep the counts of a description, with ``triples`` said for ``graph``."""
    for q in totals(store).kept:
        value = json.loads(q.object.value)
        if value.get("graph") == graph.value:
            value["counts"]["triples"] = triples
            q = ox.Quad(q.subject, q.predicate, ox.Literal(json.dumps(value, sort_keys=True)), q.graph_name)
        store.add(q)


def test_a_kept_count_is_read_while_the_graph_is_unchanged(monkeypatch):
    store = two_imports()
    _keep(store, A, 1000)  # a kept count no engine would give: seen only if read
    counted = []
    real = statistics.graph_statements
    monkeypatch.setattr(statistics, "graph_statements", lambda s, g: counted.append(g) or real(s, g))
    assert published_statements(store) == 1 + 1000 + 4
    assert counted == [ox.DefaultGraph()]  # a and b from their kept counts
    # a written again (a new generation): its kept count is stale, and it is counted
    store.remove(ox.Quad(A, VALUE, ox.Literal("gen a"), GENERATIONS_GRAPH))
    store.add(ox.Quad(A, VALUE, ox.Literal("gen a2"), GENERATIONS_GRAPH))
    counted.clear()
    assert published_statements(store) == 9 and counted == [ox.DefaultGraph(), A]


def test_a_graph_without_a_generation_is_counted():
    store = two_imports()
    _keep(store, B, 1000)
    store.remove(ox.Quad(B, VALUE, ox.Literal("gen b"), GENERATIONS_GRAPH))
    assert published_statements(store) == 9


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("statements") / "store"
    assert main(["build", "--store", str(store)]) == 0
    assert main(["import", "iati", str(IATI), "--store", str(store), "--quiet", "--no-reconcile"]) == 0
    return store


def _summary(capsys, *args: str) -> dict[str, int]:
    assert main(["summary", *args]) == 0
    return {k: int(v) for k, v in (line.split() for line in capsys.readouterr().out.splitlines())}


@pytest.mark.parametrize("sources", [[], ["curated"], ["iati"]], ids=["all", "curated", "iati"])
def test_summary_gives_what_count_star_over_the_union_gives(built, capsys, monkeypatch, sources):
    counted = []
    real = statistics.graph_statements
    monkeypatch.setattr(statistics, "graph_statements", lambda s, g: counted.append(g) or real(s, g))
    flags = [a for name in sources for a in ("--source", name)]
    summary = _summary(capsys, "--store", str(built), *flags)
    [row] = Embedded(built, sources=sources or None).select(COUNT_ALL)
    assert summary["triples"] == int(row["n"]) > 100
    # the counts of the query are those of the sources asked for too: the curated data has 7 projects
    [row] = Embedded(built, sources=sources or None).select(PROJECTS)
    assert summary["projects"] == int(row["n"]) == {"all": 7 + ACTIVITIES, "curated": 7, "iati": ACTIVITIES}[
        "+".join(sources) or "all"]
    # the imported graph's statements from the kept counts, never counted again
    assert all(not (isinstance(g, ox.NamedNode) and g.value.endswith("/dataset/iati")) for g in counted)
