"""Queries at the imported store's scale: a triple stated by two graphs counts once.

The store's query default graph is the curated graph plus every imported source's graph,
and Oxigraph joins over them as a bag: a triple the curated graph and an import both state
matched twice, so rows repeated and sums doubled. The tiny store here has the curated graph
and one import that restates three of its triples (the funder's label, the role's notation,
the country's notation), as the real imports restate reference data.

The opt-in ``real`` test compares every library query with its text at ``main`` on a store
holding the real imports (``NGOGRAPH_QSCALE_STORE``); ``benchmarks/queries.py --store``
times them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from ngograph.net.graphs import bipartite_graph, fetch
from ngograph.publish.statistics import published_statements
from ngograph.queries.library import run
from ngograph.rdf.namespaces import NGO, ORG, RDF, RDFS, SCHEMA, SKOS, VOCAB, XSD
from ngograph.rdf.serialize import serialize
from ngograph.store.backends import Embedded
from ngograph.store.embedded import triple_count

from conftest import BASE

P, O, F = URIRef(f"{BASE}project/p"), URIRef(f"{BASE}organisation/o"), URIRef(f"{BASE}organisation/f")
X, G, AMOUNT = URIRef(f"{BASE}participation/p/partner/o"), URIRef(f"{BASE}grant/p/f"), URIRef(f"{BASE}grant/p/f/amount")
DK = URIRef(f"{BASE}country/DK")
PARTNER = VOCAB["role/partner"]
IMPORT = ox.NamedNode(f"{BASE}dataset/test")


def _graph(*triples) -> Graph:
    g = Graph(bind_namespaces="none")
    for t in triples:
        g.add(t)
    return g


CURATED = _graph(
    (P, RDF.type, SCHEMA.Project), (P, RDFS.label, Literal("Project P", lang="en")),
    (P, SCHEMA.startDate, Literal("2020", datatype=XSD.gYear)),
    (O, RDF.type, ORG.FormalOrganization), (O, RDFS.label, Literal("Org O", lang="en")), (O, SCHEMA.addressCountry, DK),
    (F, RDF.type, ORG.FormalOrganization), (F, RDFS.label, Literal("Funder F", lang="en")),
    (DK, SKOS.notation, Literal("DK")),
    (PARTNER, SKOS.notation, Literal("partner")), (PARTNER, SKOS.broader, VOCAB["role/consortium"]),
    (X, RDF.type, NGO.Participation), (X, NGO.inProject, P), (X, NGO.participant, O), (X, NGO.role, PARTNER),
    (P, SCHEMA.member, O), (P, SCHEMA.funder, F),
    (G, RDF.type, SCHEMA.MonetaryGrant), (G, SCHEMA.funder, F), (G, SCHEMA.fundedItem, P), (G, SCHEMA.amount, AMOUNT),
    (AMOUNT, SCHEMA.value, Literal("100", datatype=XSD.decimal)), (AMOUNT, SCHEMA.currency, Literal("EUR")),
)
#: the import restates three curated triples and adds one of its own
RESTATED = _graph(
    (F, RDFS.label, Literal("Funder F", lang="en")), (PARTNER, SKOS.notation, Literal("partner")),
    (DK, SKOS.notation, Literal("DK")), (DK, RDF.type, SCHEMA.Country),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store directory with the curated graph as its default graph and one imported graph."""
    path = tmp_path_factory.mktemp("qscale") / "store"
    st = ox.Store(str(path))
    st.bulk_load(serialize(CURATED, "ntriples"), ox.RdfFormat.N_TRIPLES)
    st.bulk_load(serialize(RESTATED, "ntriples"), ox.RdfFormat.N_TRIPLES, to_graph=IMPORT)
    st.flush()
    del st
    return path


def test_the_fixture_states_three_triples_twice():
    assert (len(CURATED), len(RESTATED), len(set(CURATED) & set(RESTATED))) == (23, 4, 3)


def test_triple_count_counts_a_triple_stated_twice_once(store):
    assert triple_count(store) == 24  # 23 curated + 1 new; main's code said 27


def test_funder_total_is_not_doubled_by_a_label_stated_twice(store):
    rows = run("funder-portfolios", Embedded(store))
    assert [(r["funder"], r["name"], r["currency"], r["projects"], r["total"]) for r in rows] == [
        (str(F), "Funder F", "EUR", 1, Decimal("100"))]  # main: total 200


def test_project_partners_lists_a_partner_once(store):
    rows = run("project-partners", Embedded(store), {"project": str(P)})
    assert [(r["organisation"], r["role"], r["country"]) for r in rows] == [(str(O), "partner", "DK")]  # main: 2 rows


def test_network_edges_carry_the_role_once(store):
    data = fetch(Embedded(store))
    assert len(data.rows) == 1  # main: 2
    assert bipartite_graph(data).edges["organisation/o", "project/p"]["role"] == "partner"  # main: "partner partner"


def test_counts_stay_counts(store):
    backend = Embedded(store)
    assert [(r["country"], r["year"], r["projects"]) for r in run("projects-per-country-year", backend)] == [
        ("DK", 2020, 1)]
    summary = run("summary", backend)[0]
    assert (summary["projects"], summary["organisations"], summary["countries"], summary["funders"],
            summary["participations"]) == (1, 2, 1, 1, 1)
    assert "triples" not in summary
    assert published_statements(backend.store) == 27  # counted once per graph that states it, as `ngograph summary` does


@pytest.mark.real
def test_rewritten_queries_answer_as_before_on_the_real_store(tmp_path):
    """Every library and network query, run on the store at ``NGOGRAPH_QSCALE_STORE`` (one with the
    real imports), gives the rows its text at ``main`` gives on the same graph merged into one
    default graph, where no triple is stated twice (see benchmarks/queries.py)."""
    store = os.environ.get("NGOGRAPH_QSCALE_STORE")
    if not store:
        pytest.skip("set NGOGRAPH_QSCALE_STORE to a store with the real imports")
    bench = [sys.executable, str(Path(__file__).resolve().parent.parent / "benchmarks" / "queries.py"), "--store", store]
    subprocess.run([*bench, "--merge-into", str(tmp_path / "merged")], check=True, capture_output=True)
    done = subprocess.run([*bench, "--network", "--baseline", "main", "--baseline-store", str(tmp_path / "merged")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
