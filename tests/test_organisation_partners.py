"""``organisation-partners``: the partners of one organisation, each with its country's code, the number of
projects they share and whether the two are in different countries. On tiny hand-made stores, and checked against
an independent count in Python and against ``cross-border-pairs`` (its cross-border rows are that query's pairs
that name the organisation) on random ones."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from ngograph.queries.library import run
from ngograph.store.backends import Embedded, InMemory

from conftest import BASE, members_nt

CODES = {"lv1": "LV", "lv2": "LV", "dk": "DK", "ee": "EE"}  # two country nodes of one code: one country


def graph(members: dict[str, list[str]], countries: dict[str, list[str]], canonical: dict[str, str],
          unnamed: frozenset[str] = frozenset()) -> tuple[Embedded, InMemory]:
    """The triples of :func:`conftest.members_nt` (country nodes of :data:`CODES`) in the embedded store and in an
    rdflib graph."""
    data = members_nt(members, countries, CODES, canonical, unnamed)
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    return Embedded(store), InMemory(Graph().parse(data=data.decode(), format="nt"))


def partners(backend, organisation: str) -> list[tuple]:
    """The rows as (partner, country, shared projects, cross-border), in the query's order."""
    rows = run("organisation-partners", backend, {"organisation": f"organisation/{organisation}"})
    assert all(r["organisation"] == f"{BASE}organisation/{organisation}" for r in rows)  # the IRI given, merged or not
    return [(r["partner"].rsplit("/", 1)[1], r["country"], r["sharedProjects"], r["crossBorder"]) for r in rows]


def both(backends, organisation: str) -> list[tuple]:
    """:func:`partners` on the embedded store, the same on rdflib."""
    embedded, rdflib = backends
    rows = partners(embedded, organisation)
    assert partners(rdflib, organisation) == rows
    return rows


def test_a_partner_of_each_country_and_one_of_none():
    # a is in LV and DK (a code other than DK: cross-border with b), b in DK, c in no country
    b = graph({"p": ["a", "b"], "q": ["a", "c"]}, {"a": ["lv1", "dk"], "b": ["dk"]}, {})
    assert both(b, "a") == [("c", None, 1, None), ("b", "DK", 1, True)]  # an unknown country sorts first
    # from b, a is a partner twice: in DK, b's own country, and in LV
    assert both(b, "b") == [("a", "DK", 1, False), ("a", "LV", 1, True)]
    assert both(b, "c") == [("a", "DK", 1, None), ("a", "LV", 1, None)]


def test_two_country_nodes_of_one_code_are_one_country():
    b = graph({"p": ["a", "b", "c"]}, {"a": ["lv1"], "b": ["lv2", "lv1"], "c": ["dk"]}, {})
    assert both(b, "a") == [("c", "DK", 1, True), ("b", "LV", 1, False)]
    assert both(b, "b") == [("c", "DK", 1, True), ("a", "LV", 1, False)]


def test_most_shared_projects_first_and_a_project_counted_once():
    # b's merged node b2 is in p beside b, and in q alone: b shares p and q with a, once each
    b = graph({"p": ["a", "b", "b2", "c"], "q": ["a", "b2"]}, {"a": ["ee"], "b": ["dk"], "b2": ["lv1"], "c": ["dk"]},
              {"b2": "b"})
    assert both(b, "a") == [("b", "DK", 2, True), ("c", "DK", 1, True)]
    # asked of the merged node: the canonical node's partners, its country (DK, not b2's LV), never itself
    assert both(b, "b2") == both(b, "b") == [("a", "EE", 2, True), ("c", "DK", 1, False)]


def test_no_partner_no_row():
    # a member alone in its project, an organisation in no project, an IRI the store does not hold (rdflib gives a
    # group of no rows one empty row, which the labels and countries would have filled)
    b = graph({"p": ["a"], "q": ["b", "c"]}, {"a": ["dk"], "b": ["dk"], "c": ["lv1"], "d": ["ee"]}, {})
    assert both(b, "a") == both(b, "d") == both(b, "nobody") == []


def test_a_chain_of_merges_is_followed_one_step_as_cross_border_pairs_follows_it():
    # w -> y -> x: w's projects make y's partners (as cross-border-pairs pairs them), y's projects x's
    b = graph({"p": ["w", "b"], "q": ["y", "c"], "r": ["x", "d"]}, {"x": ["dk"], "y": ["lv1"], "w": ["ee"], "b": ["ee"],
                                                                   "c": ["ee"], "d": ["ee"]}, {"w": "y", "y": "x"})
    assert both(b, "w") == [("b", "EE", 1, True)]  # y's country, LV
    assert both(b, "y") == [("c", "EE", 1, True), ("d", "EE", 1, True)]  # asked of y: x's, y stands for x
    assert both(b, "x") == both(b, "y")
    assert both(b, "c") == [("x", "DK", 1, True)]


def test_a_partner_without_a_name_is_a_partner():
    # cross-border-pairs needs both names (every organisation has one where the data conform): here b has none
    b = graph({"p": ["a", "b"]}, {"a": ["dk"], "b": ["lv1"]}, {}, unnamed=frozenset({"b"}))
    rows = run("organisation-partners", b[0], {"organisation": "organisation/a"})
    assert [(r["partner"].rsplit("/", 1)[1], r["name"], r["crossBorder"]) for r in rows] == [("b", None, True)]
    assert list(run("cross-border-pairs", b[0])) == []


def expected(members, countries, canonical, organisation) -> set[tuple]:
    """The rows of :func:`partners`, counted here from the same facts: a node stands for its canonical node, one
    step; a partner in a country is cross-border when the organisation has a code other than the partner's."""
    canon = lambda node: canonical.get(node, node)  # noqa: E731
    codes = lambda node: {CODES[c] for c in countries.get(node, [])}  # noqa: E731
    me = canon(organisation)
    shared: dict[str, set[str]] = {}
    for project, nodes in members.items():
        if any(canon(n) == me for n in nodes):
            for n in nodes:
                if canon(n) != me:
                    shared.setdefault(canon(n), set()).add(project)
    rows = set()
    for partner, projects in shared.items():
        for code in codes(partner) or {None}:
            cross = None if code is None or not codes(me) else any(own != code for own in codes(me))
            rows.add((partner, code, len(projects), cross))
    return rows


ORGS = ["a", "b", "c", "d", "e"]


@st.composite
def facts(draw):
    members = draw(st.dictionaries(st.sampled_from(["p", "q", "r", "s"]),
                                   st.lists(st.sampled_from(ORGS), min_size=1, max_size=4), min_size=1))
    # most organisations in a country (else few pairs cross a border), some in two or none
    least = draw(st.lists(st.sampled_from([0, 1, 1, 1]), min_size=len(ORGS), max_size=len(ORGS)))
    countries = {o: draw(st.lists(st.sampled_from(sorted(CODES)), min_size=n, max_size=2)) for o, n in zip(ORGS, least)}
    # a node merged into one before it in ORGS: chains (e -> c -> a) but no cycle
    canonical = {}
    for i, node in enumerate(ORGS[1:], start=1):
        target = draw(st.sampled_from([None, None, *ORGS[:i]]))
        if target is not None:
            canonical[node] = target
    unnamed = draw(st.frozensets(st.sampled_from(ORGS), max_size=2))
    return members, countries, canonical, unnamed


@settings(max_examples=50, deadline=None)
@given(facts())
def test_partners_are_those_counted_here_and_the_cross_border_pairs_that_name_the_organisation(case):
    members, countries, canonical, unnamed = case
    backends = graph(members, countries, canonical, unnamed)
    pairs = [(r["organisationA"].rsplit("/", 1)[1], r["countryA"], r["organisationB"].rsplit("/", 1)[1],
              r["countryB"], r["sharedProjects"]) for r in run("cross-border-pairs", backends[0])]
    for organisation in ORGS:
        rows = both(backends, organisation)
        assert len(rows) == len(set(rows))
        assert set(rows) == expected(members, countries, canonical, organisation)
        # cross-border-pairs: the pairs of two named organisations
        me = canonical.get(organisation, organisation)
        named = {(b, cb, n) for a, _, b, cb, n in pairs if a == me} | {(a, ca, n) for a, ca, b, _, n in pairs if b == me}
        listed = {(p, c, n) for p, c, n, cross in rows if cross and p not in unnamed} if me not in unnamed else set()
        assert listed == named
        # most shared projects first
        assert [n for _, _, n, _ in rows] == sorted((n for _, _, n, _ in rows), reverse=True)
