"""The quality-check queries (queries/qc/*-violation.rq) find each kind of broken shortcut on the seed
graph with one fault added, and nothing else; the member shortcuts' check and the funders' check each equal the set
differences they stand for on random graphs (both were rewritten as hashed sub-SELECTs grouped by pair, since
their FILTER NOT EXISTS took over 90 s on the CORDIS import)."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ngograph.queries.library import run
from ngograph.rdf.namespaces import NGO, SCHEMA
from ngograph.store.backends import Embedded, InMemory

from conftest import BASE

P004 = URIRef(f"{BASE}project/ngo-state-interaction-vulnerable-groups")
IIC = URIRef(f"{BASE}organisation/iic")


def _rows(name: str, g: Graph) -> list[tuple[str, str]]:
    return sorted((str(r["project"]), str(r[next(k for k in r if k != "project")])) for r in run(f"qc/{name}", InMemory(g)))


def _copy(seed_graph) -> Graph:
    g = Graph()
    g += seed_graph
    return g


def _backend(g: Graph, engine: str):
    """``g`` on rdflib, or on pyoxigraph (the store's engine) with the graph loaded."""
    if engine == "rdflib":
        return InMemory(g)
    store = ox.Store()
    store.load(g.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    return Embedded(store)


def _shortcuts(g: Graph, engine: str = "rdflib") -> list[tuple[str, str, str]]:
    """The member shortcut check's rows on ``engine`` (:func:`_backend`)."""
    return sorted((str(r["project"]), str(r["organisation"]), str(r["missing"]))
                  for r in run("qc/member-shortcut-violation", _backend(g, engine)))


def test_a_participation_without_its_member_shortcut_and_a_member_without_a_participation(seed_graph):
    g = _copy(seed_graph)
    assert _shortcuts(g) == []
    members = sorted(g.subject_objects(SCHEMA.member))
    project, organisation = members[0]
    g.remove((project, SCHEMA.member, organisation))
    assert _shortcuts(g) == [(str(project), str(organisation), "member")]
    g.add((P004, SCHEMA.member, IIC))
    both = sorted([(str(project), str(organisation), "member"), (str(P004), str(IIC), "participation")])
    assert _shortcuts(g) == both and _shortcuts(g, "pyoxigraph") == both


ROLE = "https://w3id.org/ngograph/vocab/role/"
PROJECTS, ORGANISATIONS = [URIRef(f"{BASE}project/p{i}") for i in range(3)], [URIRef(f"{BASE}organisation/o{i}") for i in range(3)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(["partner", "coordinator", "funder", None])),
                max_size=8),
       st.sets(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=6))
def test_the_shortcut_check_is_the_two_set_differences(participations, members):
    """Random participations (a role under consortium or not, or none; one pair taking part twice) and members, on
    rdflib and on pyoxigraph: the rows are the pairs only the members state (missing participation) and those only the
    participations state (missing member), each once, as counted here in Python."""
    g = Graph()
    for role, broader in (("partner", "consortium"), ("coordinator", "consortium"), ("funder", "funding-and-administration")):
        g.add((URIRef(ROLE + role), SKOS.broader, URIRef(ROLE + broader)))
    for n, (p, o, role) in enumerate(participations):
        x = URIRef(f"{BASE}participation/x{n}")
        g.add((x, NGO.inProject, PROJECTS[p]))
        g.add((x, NGO.participant, ORGANISATIONS[o]))
        if role is not None:  # a participation without a role is no consortium participation
            g.add((x, NGO.role, URIRef(ROLE + role)))
    for p, o in members:
        g.add((PROJECTS[p], SCHEMA.member, ORGANISATIONS[o]))
    taking_part = {(p, o) for p, o, role in participations if role in ("partner", "coordinator")}
    expected = sorted([(str(PROJECTS[p]), str(ORGANISATIONS[o]), "participation") for p, o in members - taking_part]
                      + [(str(PROJECTS[p]), str(ORGANISATIONS[o]), "member") for p, o in taking_part - members])
    assert _shortcuts(g) == expected and _shortcuts(g, "pyoxigraph") == expected


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


FUNDING_ROLES = ["funder", "co-funder", "administering-body", "partner", None]


@settings(max_examples=80, deadline=None)
@given(st.sets(st.integers(0, 2)), st.sets(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=5),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()), max_size=5),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(FUNDING_ROLES)), max_size=6),
       st.booleans(), st.booleans())
def test_the_funder_check_is_the_set_differences(typed, shortcuts, grants, participations, funder_under,
                                                  co_funder_under):
    """Random projects (typed schema:Project or not), funder shortcuts, grants (typed schema:MonetaryGrant or not; two to
    one pair), participations (a role, or none) and a role vocabulary where funder and co-funder may or may not be under
    funding and administration, on rdflib and on pyoxigraph: the rows are each once the pairs, as counted here in Python,
    of a shortcut on a typed project with no typed grant behind it and no funder or co-funder participation, and of a
    typed grant to a typed project whose funder takes no part under funding and administration."""
    g = Graph()
    under = {"administering-body": "funding-and-administration", "partner": "consortium"}
    if funder_under:
        under["funder"] = "funding-and-administration"
    if co_funder_under:
        under["co-funder"] = "funding-and-administration"
    for role, broader in under.items():
        g.add((URIRef(ROLE + role), SKOS.broader, URIRef(ROLE + broader)))
    for p in typed:
        g.add((PROJECTS[p], RDF.type, SCHEMA.Project))
    for p, o in shortcuts:
        g.add((PROJECTS[p], SCHEMA.funder, ORGANISATIONS[o]))
    for n, (p, o, grant_typed) in enumerate(grants):
        grant = URIRef(f"{BASE}grant/g{n}")
        g.add((grant, SCHEMA.funder, ORGANISATIONS[o]))
        g.add((grant, SCHEMA.fundedItem, PROJECTS[p]))
        if grant_typed:
            g.add((grant, RDF.type, SCHEMA.MonetaryGrant))
    for n, (p, o, role) in enumerate(participations):
        x = URIRef(f"{BASE}participation/x{n}")
        g.add((x, NGO.inProject, PROJECTS[p]))
        g.add((x, NGO.participant, ORGANISATIONS[o]))
        if role is not None:
            g.add((x, NGO.role, URIRef(ROLE + role)))
    granted = {(p, o) for p, o, grant_typed in grants if grant_typed}
    funding = {(p, o) for p, o, role in participations if role in ("funder", "co-funder")}
    taking_part = {(p, o) for p, o, role in participations if under.get(role) == "funding-and-administration"}
    broken = {(p, o) for p, o in shortcuts if p in typed} - granted - funding
    broken |= {(p, o) for p, o in granted if p in typed} - taking_part
    expected = sorted((str(PROJECTS[p]), str(ORGANISATIONS[o])) for p, o in broken)
    for engine in ("rdflib", "pyoxigraph"):
        rows = [(str(r["project"]), str(r["funder"])) for r in run("qc/funder-without-grant-violation", _backend(g, engine))]
        assert rows == expected, engine
