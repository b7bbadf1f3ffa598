"""ngograph.net.graphs pinned down on hand-made participations with counts computed by hand
(issue 14): an organisation with two roles in one project, keep_projects both ways, chained
filters, funder role edges, the node attributes of every builder, the periods of the timeline,
and fetch on a tiny graph in memory."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph

from ngograph.net import graphs as N
from ngograph.net.graphs import NetworkData
from ngograph.store.backends import InMemory


def row(project, org, country="LV", role="partner", funding=False, label=None, kind="ngo", start=None, end=None):
    return dict(project=project, organisation=org, role=role, funding=funding, label=label if label is not None
                else org.upper(), country=country, type=kind, start=start, end=end)


def consortium():
    """p1: a (LV, lead and partner), b (DK), f funds; p2: a, b, c (EE); p3: c, d (no country), g co-funds,
    m administers (funding, not a funder); p4: e alone."""
    return NetworkData([
        row("p1", "a", role="lead-partner"), row("p1", "a"), row("p1", "b", "DK"),
        row("p1", "f", "", "funder", True, kind="international"),
        row("p2", "a"), row("p2", "b", "DK"), row("p2", "c", "EE"),
        row("p3", "c", "EE"), row("p3", "d", ""), row("p3", "g", "NO", "co-funder", True, kind="government"),
        row("p3", "m", "LV", "administrator", True, kind="government"),
        row("p4", "e", "SE"),
    ], groups={"Nordic": {"DK", "NO", "SE"}, "Baltic": {"EE", "LV", "LT"}, "Arctic": {"NO", "SE"}})


# ------------------------------------------------------------------ ids and years

def test_short_id_and_year():
    assert N.short_id("https://w3id.org/ngograph/id/organisation/a/") == "a"
    assert N.short_id("https://w3id.org/ngograph/id/project/cordis/101/x") == "cordis/101/x"
    assert N.short_id("https://example.org/other/thing") == "thing"
    assert N.short_id("https://example.org/other/thing/") == "thing"
    assert N._year("2018-08") == 2018 and N._year(2019) == 2019
    assert N._year(None) is None and N._year("") is None


# ------------------------------------------------------------------ NetworkData

def test_organisations_and_members():
    data = consortium()
    orgs = data.organisations()
    assert orgs["a"] == {"label": "A", "country": "LV", "type": "ngo"}
    assert orgs["d"] == {"label": "D", "country": "", "type": "ngo"}
    assert sorted(orgs) == ["a", "b", "c", "d", "e", "f", "g", "m"]
    bare = NetworkData([dict(row("p", "x", country=None, label="", kind=None))]).organisations()
    assert bare == {"x": {"label": "x", "country": "", "type": ""}}
    assert data.members() == {"p1": {"a", "b"}, "p2": {"a", "b", "c"}, "p3": {"c", "d"}, "p4": {"e"}}
    assert data.members(True) == {"p1": {"a", "b", "f"}, "p2": {"a", "b", "c"}, "p3": {"c", "d", "g"},
                                  "p4": {"e"}}


def test_periods_from_projects_and_from_rows():
    data = NetworkData([row("p1", "a", start=2015, end=2016), row("p2", "a", start=2017)],
                       projects={"p1": {"label": "", "start_date": "2018-08", "end_date": "", "last_activity": "2020"},
                                 "p3": {"label": "", "start_date": "2019", "end_date": "2021-02",
                                        "last_activity": "2022"},
                                 "p4": {"label": "", "start_date": "", "end_date": "", "last_activity": ""}})
    # the stated period wins over a row's; no end: the last activity; rows give theirs for unlisted projects
    assert data.periods() == {"p1": (2018, 2020), "p3": (2019, 2021), "p4": (None, None), "p2": (2017, None)}


def test_filters_by_period_funder_theme_and_chained():
    rows = [row("p1", "a", start=2015, end=2016), row("p1", "b", start=2015, end=2016),
            row("p2", "a", start=2017, end=None), row("p2", "c", start=2017, end=None),
            row("p3", "b", start=2019, end=2020), row("p4", "d")]
    facets = {"p1": {"funder": {"eu"}, "theme": {"health"}}, "p2": {"funder": {"eu", "ncm"}, "theme": {"youth"}},
              "p3": {"funder": {"ncm"}, "theme": {"health"}}, "p4": {"funder": {"eu"}, "theme": {"health"}}}
    data = NetworkData(rows, facets)
    assert data.filter() is data
    kept = lambda d: sorted({r["project"] for r in d.rows})  # noqa: E731
    assert kept(data.filter(start=2016)) == ["p1", "p2", "p3"]       # p1 ends in 2016; p2 (no end) active in 2017
    assert kept(data.filter(start=2017)) == ["p2", "p3"]
    assert kept(data.filter(start=2018)) == ["p3"]                   # p2 without an end: its start year only
    assert kept(data.filter(end=2016)) == ["p1"]
    assert kept(data.filter(end=2017)) == ["p1", "p2"]
    assert kept(data.filter(start=2016, end=2017)) == ["p1", "p2"]
    assert kept(data.filter(funder="eu")) == ["p1", "p2", "p4"]       # p4 has no dates: kept without a period
    assert kept(data.filter(theme="health")) == ["p1", "p3", "p4"]
    assert kept(data.filter(funder="eu", theme="health")) == ["p1", "p4"]
    chained = data.filter(funder="eu").filter(start=2016).filter(theme="youth")
    assert kept(chained) == ["p2"]
    assert chained.facets == {"p2": facets["p2"]}
    assert data.filter(funder="nobody").rows == []
    # the kept projects keep their records and the country groups
    listed = NetworkData(rows, facets, {"g": {"LV"}},
                         projects={"p1": {"label": "P1", "start_date": "2015", "end_date": "2016",
                                          "last_activity": ""},
                                   "p3": {"label": "P3", "start_date": "2019", "end_date": "2020",
                                          "last_activity": ""}})
    f = listed.filter(start=2019)
    assert f.projects == {"p3": listed.projects["p3"]} and f.groups == {"g": {"LV"}}
    assert kept(f) == ["p3"]  # p2 (from its rows: 2017, no end) ends before 2019


def test_filters_go_on_after_a_project_they_drop():
    # an undated project first, then one too late, then one that is kept
    data = NetworkData([row("q0", "a"), row("q1", "a", start=2019, end=2020), row("q2", "b", start=2010, end=2011)],
                       {"q1": {"funder": {"eu"}, "theme": {"health"}}, "q2": {"funder": {"eu"}, "theme": {"youth"}}})
    assert {r["project"] for r in data.filter(end=2015).rows} == {"q2"}
    assert {r["project"] for r in data.filter(start=2010).rows} == {"q1", "q2"}
    assert {r["project"] for r in data.filter(theme="youth").rows} == {"q2"}   # q0 has no facets at all
    assert {r["project"] for r in data.filter(funder="eu").rows} == {"q1", "q2"}


def test_facets_and_projects_loaded_once_and_on_first_use():
    calls = []

    def load(part):
        calls.append(part)
        return {"p1": {"funder": {"eu"}, "theme": set()}} if part == "facets" else {
            "p1": {"label": "", "start_date": "2018", "end_date": "2019", "last_activity": ""}}

    data = NetworkData([row("p1", "a"), row("p2", "b", start=2018, end=2018)], load=load)
    assert calls == []
    assert data.facets == {"p1": {"funder": {"eu"}, "theme": set()}} and data.facets is data.facets
    assert data.projects["p1"]["start_date"] == "2018" and data.projects is data.projects
    assert calls == ["facets", "projects"]
    f = data.filter(funder="eu")
    assert [r["project"] for r in f.rows] == ["p1"] and f.facets == {"p1": {"funder": {"eu"}, "theme": set()}}
    g = data.filter(start=2018)
    assert sorted(r["project"] for r in g.rows) == ["p1", "p2"]
    assert NetworkData([]).facets == {} and NetworkData([]).projects == {}
    fresh = NetworkData([row("p1", "a"), row("p2", "b", start=2018, end=2018)], load=load)
    calls.clear()
    later = fresh.filter(start=2019)
    assert calls == ["projects"]  # a period filter reads no facets
    assert later.facets == {"p1": {"funder": {"eu"}, "theme": set()}}  # loads after filtering


# ------------------------------------------------------------------ graphs

def test_copartnership_with_and_without_project_lists():
    data = consortium()
    for keep in (True, False):
        G = N.copartnership_graph(data, keep_projects=keep)
        assert sorted(G) == ["a", "b", "c", "d", "e"]          # e has no partner but takes part
        # a-b share p1 and p2 (a counted once in p1 though it has two roles); a-c, b-c p2; c-d p3
        assert sorted(G.edges(data="weight")) == [("a", "b", 2), ("a", "c", 1), ("b", "c", 1), ("c", "d", 1)]
        assert G.nodes["b"] == {"label": "B", "country": "DK", "type": "ngo"}
        assert G.graph["kind"] == "organisations"
        if keep:
            assert G.edges["a", "b"]["projects"] == "p1 p2" and G.edges["c", "d"]["projects"] == "p3"
        else:
            assert "projects" not in G.edges["a", "b"]
    F = N.copartnership_graph(data, include_funders=True)
    assert sorted(F) == ["a", "b", "c", "d", "e", "f", "g"]     # the administrator m is no funder
    assert F.edges["a", "f"]["weight"] == 1 and F.edges["d", "g"]["projects"] == "p3"
    assert F.nodes["f"] == {"label": "F", "country": "", "type": "international"}


def test_project_lists_kept_up_to_the_limit(monkeypatch):
    assert N.PROJECT_LISTS_UP_TO == 5000
    data = consortium()
    monkeypatch.setattr(N, "PROJECT_LISTS_UP_TO", 5)          # five organisations: lists kept
    assert N.copartnership_graph(data).edges["a", "b"]["projects"] == "p1 p2"
    monkeypatch.setattr(N, "PROJECT_LISTS_UP_TO", 4)
    G = N.copartnership_graph(data)
    assert "projects" not in G.edges["a", "b"] and G.edges["a", "b"]["weight"] == 2


def test_shared_projects_is_the_upper_triangle():
    a, b, w = N.shared_projects({"p1": {"z", "x"}, "p2": {"y", "x", "z"}, "p3": {"y", "z"}, "p4": {"x"}},
                                ["x", "y", "z"])
    assert (a.tolist(), b.tolist(), w.tolist()) == ([0, 0, 1], [1, 2, 2], [1, 2, 2])
    a, b, w = N.shared_projects({"p": {"w", "z"}, "q": {"x", "y"}}, ["w", "x", "y", "z"])
    assert (a.tolist(), b.tolist(), w.tolist()) == ([0, 1], [3, 2], [1, 1])  # by the first index
    a, b, w = N.shared_projects({"p1": {"x"}}, ["x", "y"])
    assert a.tolist() == [] and w.tolist() == []


def test_bipartite_two_roles_in_one_project_and_attributes():
    B = N.bipartite_graph(consortium())
    assert B.graph["kind"] == "bipartite"
    assert B.edges["organisation/a", "project/p1"]["role"] == "lead-partner partner"
    assert B.edges["organisation/m", "project/p3"]["role"] == "administrator"
    assert B.nodes["organisation/a"] == {"bipartite": 0, "label": "A", "country": "LV", "type": "ngo"}
    assert B.nodes["project/p3"] == {"bipartite": 1, "label": "p3", "country": "", "type": "project"}
    assert B.number_of_edges() == 11                              # 12 rows, a's two roles in p1 one edge
    assert B.number_of_nodes() == 8 + 4
    M = N.bipartite_graph(consortium(), include_funders=False)
    assert "organisation/f" not in M and "organisation/m" not in M and M.number_of_edges() == 8
    assert N.bipartite_graph(NetworkData([])).number_of_nodes() == 0


def test_country_graph_weights_pairs_and_attributes():
    C = N.country_graph(consortium())
    assert C.graph["kind"] == "countries"
    # p1: LV-DK (a, b); p2: LV-DK, LV-EE, DK-EE; p3: c (EE) and d (none): no tie; funders left out
    assert sorted(C.edges(data=True)) == [("DK", "EE", {"weight": 1, "pairs": 1}),
                                          ("DK", "LV", {"weight": 2, "pairs": 2}),
                                          ("EE", "LV", {"weight": 1, "pairs": 1})]
    assert sorted(C) == ["DK", "EE", "LV", "SE"]
    assert C.nodes["DK"] == {"label": "Denmark", "country": "DK", "type": "country", "organisations": 1}
    assert C.nodes["EE"]["organisations"] == 1 and C.nodes["SE"]["organisations"] == 1
    F = N.country_graph(consortium(), include_funders=True)
    assert F.edges["EE", "NO"] == {"weight": 1, "pairs": 1} and F.nodes["NO"]["label"] == "Norway"
    # two organisations of one country in a project: pairs multiply, weight counts the project once
    two = NetworkData([row("p", "a"), row("p", "b"), row("p", "c", "DK"), row("p", "d", "DK"), row("p", "e", "DK"),
                       row("q", "a"), row("q", "c", "DK")])
    T = N.country_graph(two)
    assert T.edges["DK", "LV"] == {"weight": 2, "pairs": 2 * 3 + 1}
    assert T.nodes["LV"]["organisations"] == 2 and T.nodes["DK"]["organisations"] == 3
    X = N.country_graph(NetworkData([row("p", "a", "XK")]))
    assert X.nodes["XK"]["label"] == "Kosovo"
    Z = N.country_graph(NetworkData([row("p", "a", "QQ")]))
    assert Z.nodes["QQ"]["label"] == "QQ"                        # no English name: the code


def test_funder_graph_roles_and_weights():
    data = consortium()
    F = N.funder_graph(data)
    assert F.graph["kind"] == "funders"
    # f funds p1 (members a, b); g co-funds p3 (members c, d); m administers: not a funder
    assert sorted(F.edges(data="weight")) == [("f", "a", 1), ("f", "b", 1), ("g", "c", 1), ("g", "d", 1)]
    assert F.nodes["f"] == {"role": "funder", "label": "F", "country": "", "type": "international"}
    assert F.nodes["g"]["role"] == "funder" and F.nodes["a"]["role"] == "member"
    assert F.nodes["c"] == {"role": "member", "label": "C", "country": "EE", "type": "ngo"}
    more = NetworkData(data.rows + [row("p2", "f", "", "funder", True, kind="international")])
    assert N.funder_graph(more).edges["f", "a"]["weight"] == 2 and N.funder_graph(more).edges["f", "c"]["weight"] == 1
    lone = NetworkData([row("p", "f", "", "funder", True)])
    assert list(N.funder_graph(lone).nodes) == ["f"]
    # a funder that is a member of a project it funds has no tie to itself; a member that funds another project
    # keeps both roles (its role was the last project's)
    both = NetworkData(data.rows + [row("p1", "f"), row("p9", "a", "", "funder", True), row("p9", "c", "EE")])
    B2 = N.funder_graph(both)
    assert nx.number_of_selfloops(B2) == 0 and not B2.has_edge("f", "f")
    assert sorted(B2.edges(data="weight")) == [("a", "c", 1), ("f", "a", 1), ("f", "b", 1), ("g", "c", 1),
                                               ("g", "d", 1)]
    assert (B2.nodes["a"]["role"], B2.nodes["f"]["role"], B2.nodes["c"]["role"]) == (
        "funder and member", "funder", "member")
    # two funders of one project are not tied as funder and member; a funder that is a member keeps its ties to the
    # members after it (b funds and takes part in q with a and c: b-a and b-c)
    two = N.funder_graph(NetworkData([row("q", "a"), row("q", "b"), row("q", "c"), row("q", "b", "", "funder", True),
                                      row("q", "z", "", "co-funder", True)]))
    assert sorted((*sorted((u, v)), w) for u, v, w in two.edges(data="weight")) == [
        ("a", "b", 1), ("a", "z", 1), ("b", "c", 1), ("b", "z", 1), ("c", "z", 1)]
    assert (two.nodes["b"]["role"], two.nodes["z"]["role"]) == ("funder and member", "funder")


def test_country_groups_first_by_name():
    assert N.country_groups(consortium()) == {"NO": "Arctic", "SE": "Arctic", "EE": "Baltic", "LT": "Baltic",
                                              "LV": "Baltic", "DK": "Nordic"}


# ------------------------------------------------------------------ fetch from a graph

TTL = """
@prefix schema: <https://schema.org/> . @prefix ngo: <https://w3id.org/ngograph/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/ngograph/id/> . @prefix role: <https://w3id.org/ngograph/vocab/role/> .

role:partner skos:notation "partner" .
role:funder skos:notation "funder" ; skos:broader role:funding-and-administration .
id:country\\/LV skos:notation "LV" . id:country\\/DK skos:notation "DK" .
id:group\\/baltic a skos:Collection ; skos:notation "Baltic" ; skos:member id:country\\/LV .
id:group\\/nordic a skos:Collection ; skos:notation "Nordic" ; skos:member id:country\\/DK, id:country\\/LV .

id:organisation\\/a a schema:NGO ; rdfs:label "Beta", "Alpha" ; schema:addressCountry id:country\\/LV .
id:organisation\\/b schema:addressCountry id:country\\/DK .
id:organisation\\/f a ngo:InternationalOrganization ; rdfs:label "Fund", "Fonds" .
id:organisation\\/b2 ngo:canonicalOrganisation id:organisation\\/b ; rdfs:label "Bee" .

id:project\\/p1 a schema:Project ; rdfs:label "P one", "P first" ; schema:startDate "2018-08"^^xsd:gYearMonth ;
    schema:endDate "2019"^^xsd:gYear, "2020"^^xsd:gYear ; schema:funder id:organisation\\/f ;
    dct:subject id:theme\\/health .
id:theme\\/health skos:notation "health/care" .
id:project\\/p2 a schema:Project .
id:event\\/e ngo:eventOf id:project\\/p2 ; schema:startDate "2021-03"^^xsd:gYearMonth .

id:x1 ngo:inProject id:project\\/p1 ; ngo:participant id:organisation\\/a ; ngo:role role:partner .
id:x2 ngo:inProject id:project\\/p1 ; ngo:participant id:organisation\\/b2 ; ngo:role role:partner .
id:x3 ngo:inProject id:project\\/p1 ; ngo:participant id:organisation\\/f ; ngo:role role:funder .
id:x4 ngo:inProject id:project\\/p2 ; ngo:participant id:organisation\\/a ; ngo:role role:partner .
"""


def test_fetch_from_a_tiny_graph():
    data = N.fetch(InMemory(Graph().parse(data=TTL, format="turtle")))
    assert data.rows == [
        {"project": "p1", "organisation": "a", "role": "partner", "funding": False, "label": "Alpha",
         "country": "LV", "type": "ngo"},
        {"project": "p1", "organisation": "b", "role": "partner", "funding": False, "label": "b",
         "country": "DK", "type": ""},
        {"project": "p1", "organisation": "f", "role": "funder", "funding": True, "label": "Fonds",
         "country": "", "type": "international"},
        {"project": "p2", "organisation": "a", "role": "partner", "funding": False, "label": "Alpha",
         "country": "LV", "type": "ngo"}]
    assert data.groups == {"Baltic": {"LV"}, "Nordic": {"DK", "LV"}}
    assert data.facets == {"p1": {"funder": {"f"}, "theme": {"health/care"}}}
    assert data.projects == {"p1": {"label": "P first", "start_date": "2018-08", "end_date": "2020",
                                    "last_activity": ""},
                             "p2": {"label": "", "start_date": "", "end_date": "", "last_activity": "2021-03"}}
    assert data.periods() == {"p1": (2018, 2020), "p2": (None, 2021)}
    assert list(data.projects) == ["p1", "p2"]
    assert N.country_groups(data) == {"LV": "Baltic", "DK": "Nordic"}


def _oxigraph(ttl: str):
    from test_fast_mutation import store_of

    from ngograph.store.backends import Embedded

    return Embedded(store_of(ttl))


def test_fetch_splits_the_lines_of_each_organisation():
    """network/participations gives each organisation's participations as lines "project funding role": a role
    with a space stays whole, and the rows are rdflib's on Oxigraph too."""
    ttl = TTL + """
role:lead skos:notation "lead partner" .
id:x5 ngo:inProject id:project\\/p2 ; ngo:participant id:organisation\\/f ; ngo:role role:lead .
role:unnamed skos:notation "" .
id:x6 ngo:inProject id:project\\/p2 ; ngo:participant id:organisation\\/b ; ngo:role role:unnamed .
"""
    rows = N.fetch(InMemory(Graph().parse(data=ttl, format="turtle"))).rows
    assert rows == N.fetch(_oxigraph(ttl)).rows
    assert {"project": "p2", "organisation": "f", "role": "lead partner", "funding": False, "label": "Fonds",
            "country": "", "type": "international"} in rows
    assert {"project": "p2", "organisation": "b", "role": "", "funding": False, "label": "b", "country": "DK",
            "type": ""} in rows  # an empty notation: the line ends with the space before it
    assert len(rows) == 6


def test_a_project_that_is_a_blank_node_is_named():
    from ngograph.errors import DataError

    ttl = TTL + "[] ngo:inProject [] ; ngo:participant id:organisation\\/a ; ngo:role role:partner .\n"
    with pytest.raises(DataError, match=r"^https://w3id.org/ngograph/id/organisation/a takes part in a project that "
                                        r"is a blank node: the networks need every project named by an IRI$"):
        N.fetch(_oxigraph(ttl))


def test_short_ids_are_computed_once():
    ids = N._ShortIds()
    assert ids["https://w3id.org/ngograph/id/organisation/a"] == "a"
    assert dict(ids) == {"https://w3id.org/ngograph/id/organisation/a": "a"}


def test_graphml_keeps_the_attributes_written_out(tmp_path):
    """The round trip compared against attributes written out by hand, not the graph with itself."""
    G = N.copartnership_graph(consortium())
    nx.write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.nodes["d"] == {"label": "D", "country": "", "type": "ngo"}
    assert H.edges["a", "b"] == {"weight": 2, "projects": "p1 p2"}
    B = N.bipartite_graph(consortium())
    nx.write_graphml(B, tmp_path / "b.graphml")
    assert nx.read_graphml(tmp_path / "b.graphml").nodes["project/p4"] == {
        "bipartite": 1, "label": "p4", "country": "", "type": "project"}


@pytest.mark.parametrize("builder", [N.copartnership_graph, N.country_graph, N.bipartite_graph, N.funder_graph])
def test_builders_on_no_rows(builder):
    assert builder(NetworkData([])).number_of_nodes() == 0


def test_a_project_that_ends_before_it_starts_is_active_in_its_start_year():
    """A source's slip (45 projects of the imported store, e.g. start 2020-01-01, end 2019-12-31) fell out of every
    one-year window, while the timeline counted it in its start year."""
    data = NetworkData([row("p", "a", start=2020, end=2019), row("p", "b", "DK", start=2020, end=2019),
                        row("q", "a", start=2018, end=2021)])
    assert sorted({r["project"] for r in data.filter(start=2020, end=2020).rows}) == ["p", "q"]
    assert sorted({r["project"] for r in data.filter(start=2019, end=2019).rows}) == ["q"]
    assert sorted({r["project"] for r in data.filter(start=2021).rows}) == ["q"]
    assert sorted({r["project"] for r in data.filter(end=2019).rows}) == ["q"]
