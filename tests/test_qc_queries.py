"""The quality-check queries (queries/qc/*-violation.rq) find each kind of broken shortcut on the seed
graph with one fault added, and nothing else (they were rewritten as MINUS of hashed sub-SELECTs, since
their FILTER NOT EXISTS took over 90 s on the CORDIS import)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ngograph.queries.library import run
from ngograph.rdf.namespaces import SCHEMA
from ngograph.store.backends import InMemory

from conftest import BASE

P004 = URIRef(f"{BASE}project/ngo-state-interaction-vulnerable-groups")
IIC = URIRef(f"{BASE}organisation/iic")


def _rows(name: str, g: Graph) -> list[tuple[str, str]]:
    return sorted((str(r["project"]), str(r[next(k for k in r if k != "project")])) for r in run(f"qc/{name}", InMemory(g)))


def _copy(seed_graph) -> Graph:
    g = Graph()
    g += seed_graph
    return g


def test_a_participation_without_its_member_shortcut(seed_graph):
    g = _copy(seed_graph)
    members = sorted(g.subject_objects(SCHEMA.member))
    project, organisation = members[0]
    g.remove((project, SCHEMA.member, organisation))
    assert _rows("participation-without-member-violation", g) == [(str(project), str(organisation))]
    assert _rows("member-without-participation-violation", g) == []


def test_a_funder_without_a_grant_and_a_grant_without_a_funding_participation(seed_graph):
    g = _copy(seed_graph)
    assert _rows("funder-without-grant-violation", g) == []
    g.add((P004, SCHEMA.funder, IIC))  # a funder statement with no grant behind it
    assert _rows("funder-without-grant-violation", g) == [(str(P004), str(IIC))]
    grant = URIRef(f"{BASE}grant/test")
    g.add((grant, RDF.type, SCHEMA.MonetaryGrant))
    g.add((grant, SCHEMA.funder, IIC))
    g.add((grant, SCHEMA.fundedItem, P004))
    # now a grant whose funder takes no funding role in the project
    assert _rows("funder-without-grant-violation", g) == [(str(P004), str(IIC))]
