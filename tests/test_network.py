"""Networks from the seed graph, checked against counts written out by hand, and every
measure on tiny graphs with values computed by hand (and against networkx or igraph)."""

from __future__ import annotations

import networkx as nx
import pytest

from ngograph.net import measures as A
from ngograph.store.backends import Embedded
from ngograph.net.graphs import bipartite_graph, copartnership_graph, country_graph, fetch, funder_graph


@pytest.fixture(scope="module")
def data(seed_store):
    return fetch(Embedded(seed_store))


def test_fetch_reads_the_same_rows_from_rdflib(data, seed_graph):
    """network/participations groups each organisation's participations into lines that ``fetch``
    splits: the rows are the same whichever engine groups them, a row per participation."""
    from ngograph.store.backends import InMemory

    other = fetch(InMemory(seed_graph))
    assert other.rows == data.rows and len(data.rows) == 55
    assert {(r["project"], r["organisation"], r["role"], r["funding"]) for r in data.rows} >= {
        ("social-rights-advocacy-phase-3", "nordic-council-of-ministers", "co-funder", True),
        ("social-rights-advocacy-phase-3", "eapn-latvia", "lead-partner", False)}


# ------------------------------------------------------------------ the seed networks by hand

def test_copartnership_graph_of_the_seeds(data):
    G = copartnership_graph(data)
    # members: seed 000 13, seed 001 4 (three societies + the Daugavpils branch), 002 1, 003 5
    assert G.number_of_nodes() == 23
    # C(13,2) = 78 pairs sharing the three phases, C(4,2) = 6 and C(5,2) = 10 sharing one project
    assert G.number_of_edges() == 78 + 6 + 10
    assert G.edges["eapn-latvia", "interakcia"]["weight"] == 3
    assert G.edges["eapn-latvia", "interakcia"]["projects"] == (
        "social-rights-advocacy-phase-1 social-rights-advocacy-phase-2 social-rights-advocacy-phase-3")
    assert G.edges["danish-red-cross", "belarus-red-cross"]["weight"] == 1
    assert "lv-state-chancellery" not in G  # administering bodies are not partners
    # our English translation is not the label: the name the source prints is
    assert G.nodes["iic"] == {"label": "Biedrība “Izglītības iniciatīvu centrs”", "country": "LV", "type": "ngo"}
    assert G.nodes["odense-aftenskole"]["label"] == "Odense Aftenskole"  # no English name: the original


def test_funders_on_request(data):
    G = copartnership_graph(data, include_funders=True)
    # + NCM with 13 partners of seed 000 (weight 3) and 4 of seed 001, ministry-NLIF, EU with 5
    assert G.number_of_nodes() == 26 and G.number_of_edges() == 94 + 13 + 4 + 1 + 5
    assert G.edges["nordic-council-of-ministers", "eapn-latvia"]["weight"] == 3
    assert G.nodes["nordic-council-of-ministers"]["country"] == ""


def test_country_graph_of_the_seeds(data):
    G = country_graph(data)
    assert sorted(G) == ["BY", "DK", "EE", "LT", "LV", "NO", "PL", "RU", "SE"]
    assert G.number_of_edges() == 36  # seed 000 joins all nine countries
    assert G.edges["NO", "SE"]["weight"] == 3
    assert G.edges["DK", "LV"]["weight"] == 4 and G.edges["BY", "LV"]["weight"] == 4
    # pairs per project: LV has 2 members in seed 000 (EAPN-Latvia, Women's Rights Institute), DK 2, RU 2, BY 1;
    # seed 001: LV 2 (Latvian Red Cross and its branch), DK 1, BY 1
    assert G.edges["DK", "LV"]["pairs"] == 3 * 4 + 2
    assert G.edges["BY", "LV"]["pairs"] == 3 * 2 + 2
    assert G.edges["LV", "RU"]["pairs"] == 3 * 4
    assert G.nodes["LV"]["organisations"] == 2 + 2 + 5  # 000, 001, 003 (implementer and four partners)


def test_bipartite_and_funder_graphs(data):
    B = bipartite_graph(data)
    projects = {n for n, d in B.nodes(data=True) if d["bipartite"] == 1}
    assert len(projects) == 6  # seed 004 names no organisation
    assert B.number_of_edges() == 55  # one per participation
    assert B.edges["organisation/eapn-latvia", "project/social-rights-advocacy-phase-1"]["role"] == "lead-partner"
    F = funder_graph(data)
    assert F.edges["nordic-council-of-ministers", "interakcia"]["weight"] == 3
    assert F.edges["european-union", "iic"]["weight"] == 1
    assert F.nodes["european-union"]["role"] == "funder"


def test_filters(data):
    # phase 2 has no end date: it is active until its last dated event, in 2021
    assert {r["project"] for r in data.filter(start=2021).rows} == {"social-rights-advocacy-phase-2",
                                                                    "social-rights-advocacy-phase-3"}
    assert {r["project"] for r in data.filter(start=2013, end=2013).rows} == {"minority-participation-coalition"}
    assert {r["project"] for r in data.filter(funder="nordic-council-of-ministers").rows} == {
        "social-rights-advocacy-phase-1", "social-rights-advocacy-phase-2", "social-rights-advocacy-phase-3",
        "red-cross-family-inclusion"}
    assert {r["project"] for r in data.filter(theme="minority-rights").rows} == {"minority-participation-coalition"}
    G = copartnership_graph(data.filter(start=2019, end=2019))
    assert G.edges["eapn-latvia", "interakcia"]["weight"] == 2  # phases 1 and 2 ran in 2019


def test_graphml_round_trip_keeps_every_attribute(data, tmp_path):
    for G in (copartnership_graph(data), country_graph(data), bipartite_graph(data), funder_graph(data)):
        path = tmp_path / "g.graphml"
        nx.write_graphml(G, path)
        H = nx.read_graphml(path)
        assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
        assert {tuple(sorted((a, b))): d for a, b, d in H.edges(data=True)} == \
               {tuple(sorted((a, b))): d for a, b, d in G.edges(data=True)}


def test_brokers_of_the_seed_network(data):
    G = copartnership_graph(data)
    roles = A.brokerage_roles(G, "country")
    # the Latvian Red Cross ties the Danish and Belarusian societies (a DK-LV-BY liaison) and reaches IIC's coalition
    # only through no one: seed 003 is a separate component
    assert roles["latvian-red-cross"]["liaison"] == 0  # DRC and BRC are tied directly: no open path
    cuts = A.bridges_and_cut_points(G)
    assert cuts == {"bridges": [], "articulation_points": []}  # every component is a clique
    assert len(set(A.communities(G).values())) == 4  # the three partnerships and NLIF alone


# ------------------------------------------------------------------ measures on tiny graphs, by hand

def kite():
    return nx.krackhardt_kite_graph()


def test_betweenness_exact_by_hand_and_on_igraph():
    G = nx.path_graph(5)
    # node 1 lies on the paths 0-2, 0-3, 0-4: 3 of C(4,2) = 6 pairs -> 0.5
    assert A.betweenness(G)[1] == pytest.approx(0.5)
    K = kite()
    ref = nx.betweenness_centrality(K)
    assert A.betweenness(K, engine="igraph") == pytest.approx(ref, abs=1e-9)
    assert A.betweenness(K)[7] == pytest.approx(0.389, abs=1e-3)  # Krackhardt's "Heather": 14 of 36 pairs


def test_sampled_betweenness_engines_agree_on_average():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)
    exact = nx.betweenness_centrality(G)
    for engine in ("networkx", "igraph"):
        est = A.betweenness(G, k=200, engine=engine)
        top_exact = sorted(exact, key=exact.get, reverse=True)[:20]
        top_est = sorted(est, key=est.get, reverse=True)[:20]
        assert len(set(top_exact) & set(top_est)) >= 14, engine
        assert sum(est.values()) == pytest.approx(sum(exact.values()), rel=0.1), engine


def test_pagerank_eigenvector_closeness_by_hand():
    S = nx.star_graph(4)
    # p0 = 0.03 + 3.4 p1, p1 = 0.03 + 0.2125 p0  ->  p0 = 0.132 / 0.2775
    assert A.pagerank(S, weight=None)[0] == pytest.approx(0.132 / 0.2775, abs=1e-4)
    assert A.pagerank(S, weight=None, engine="igraph")[0] == pytest.approx(0.132 / 0.2775, abs=1e-4)
    assert A.eigenvector(S, weight=None)[0] == pytest.approx(2 ** -0.5, abs=1e-6)
    assert A.closeness(nx.path_graph(5))[0] == pytest.approx(4 / 10)


def test_cross_border_share_and_ei_on_a_weighted_graph():
    G = nx.Graph()
    G.add_edge("a", "b", weight=3)  # LV-LV
    G.add_edge("a", "c", weight=1)  # LV-DK
    G.add_edge("c", "d", weight=2)  # DK-DK
    nx.set_node_attributes(G, {"a": "LV", "b": "LV", "c": "DK", "d": "DK"}, "country")
    assert A.cross_border_share(G)["a"] == pytest.approx(0.5)
    assert A.cross_border_share(G, weight="weight")["a"] == pytest.approx(0.25)
    assert A.ei_index(G, weight="weight")["c"] == pytest.approx((1 - 2) / 3)
    assert A.group_ei_index(G) == {"DK": 0.0, "LV": 0.0, "*": pytest.approx(-1 / 3)}


def test_brokerage_directed_by_hand():
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "b"), ("b", "e")])
    g = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 1}
    r = A.brokerage_roles(D, g)["b"]
    # a->b->c: 1,1,2 representative; a->b->e: 1,1,1 coordinator; d->b->c: 2,1,2 itinerant; d->b->e: 2,1,1 gatekeeper
    assert r == {"coordinator": 1, "itinerant": 1, "representative": 1, "gatekeeper": 1, "liaison": 0, "total": 4}
    D.add_edge("a", "c")  # closes a->b->c
    assert A.brokerage_roles(D, g)["b"]["representative"] == 0


def test_communities_repeat_with_a_seed():
    G = nx.karate_club_graph()
    assert A.communities(G, seed=7) == A.communities(G, seed=7)
    c = A.communities(G, engine="igraph", seed=7)
    assert 2 <= len(set(c.values())) <= 6


def test_measures_by_window(data):
    per_year = A.measures_by_window(data, "degree", start=2018, end=2021)
    assert per_year["2018-2018"]["eapn-latvia"] == 12      # phase 1
    assert per_year["2020-2020"]["eapn-latvia"] == 12      # phase 2: no end date, events until 2021
    assert per_year["2021-2021"]["eapn-latvia"] == 12      # phase 3
    assert per_year["2018-2018"]["danish-red-cross"] == 3


def test_the_nordic_council_brokers_between_the_partnerships(data):
    from ngograph.net.graphs import country_groups

    G = copartnership_graph(data, include_funders=True)
    groups = country_groups(data)
    roles = A.brokerage_roles(G, {n: groups.get(G.nodes[n]["country"], "") for n in G})
    ncm = roles["nordic-council-of-ministers"]
    # 13 seed-000 members x 4 seed-001 members = 52 open pairs through the Council (group "international").
    # Same group on both ends (itinerant): Baltic 4 x 2 (Latvian Red Cross, its branch) + Nordic 5 x 1 (Danish RC)
    # + Eastern Partnership 1 x 1 (Interakcia, Belarus RC) = 14; all others liaison: 38.
    assert ncm == {"coordinator": 0, "itinerant": 14, "representative": 0, "gatekeeper": 0, "liaison": 38, "total": 52}
    # only the Council joins two cliques; the ministry-NLIF tie is a bridge, the EU sits inside IIC's clique
    assert A.bridges_and_cut_points(G) == {"bridges": [("lt-ministry-social-security-labour", "nlif")],
                                           "articulation_points": ["nordic-council-of-ministers"]}


def test_figures_render(data, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ngograph.net import plot as P

    G = copartnership_graph(data, include_funders=True)
    axes = [P.plot_network(G, size_by=A.betweenness(G)), P.plot_country_matrix(country_graph(data)),
            P.plot_country_map(country_graph(data)), P.plot_timeline(data),
            P.plot_brokerage(A.brokerage_roles(G), labels=dict(G.nodes(data="label")))]
    for i, ax in enumerate(axes):
        png, svg = P.save(ax, tmp_path / f"fig{i}")
        assert png.stat().st_size > 10_000 and svg.read_text().startswith("<?xml")
        plt.close(ax.figure)
    _, ax = plt.subplots()
    assert P.plot_country_matrix(country_graph(data), ax=ax) is ax
    labels = {t.get_text() for t in ax.get_xticklabels()}
    assert labels == {"BY", "DK", "EE", "LT", "LV", "NO", "PL", "RU", "SE"}
    plt.close("all")


def test_last_activity_is_the_latest_event_by_the_last_day_it_may_mean():
    """"2021" (a year) ends after "2021-02"; an event printed without a year ("--08") is no known time."""
    from rdflib import Graph

    from ngograph.store.backends import InMemory

    g = Graph().parse(format="turtle", data="""
        @prefix schema: <https://schema.org/> . @prefix ngo: <https://w3id.org/ngograph/def#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <https://w3id.org/ngograph/id/> .
        ex:project\\/p a schema:Project ; schema:startDate "2019"^^xsd:gYear .
        ex:event\\/a ngo:eventOf ex:project\\/p ; schema:startDate "2021-02"^^xsd:gYearMonth .
        ex:event\\/b ngo:eventOf ex:project\\/p ; schema:startDate "2021"^^xsd:gYear .
        ex:event\\/c ngo:eventOf ex:project\\/p ; schema:startDate "--08"^^xsd:gMonth .
    """)
    data = fetch(InMemory(g))
    assert data.projects["p"]["last_activity"] == "2021"
    assert "p" in data.filter(start=2021).projects and "p" not in data.filter(start=2022).projects
