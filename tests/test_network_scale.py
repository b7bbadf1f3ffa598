"""Networks at scale: the sparse co-partnership weights against the pairwise count, checked by
hypothesis, and what a network reads from the store (projects and facets only when needed)."""

from __future__ import annotations

import threading
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.net.graphs import NetworkData, copartnership_graph, fetch, shared_projects
from ngograph.store.backends import Embedded

ORGS = [f"o{i}" for i in range(12)]


def _rows(members: dict[str, set[str]]) -> list[dict]:
    return [dict(project=p, organisation=o, role="partner", funding=False, label=o, country="LV", type="ngo")
            for p, ms in members.items() for o in sorted(ms)]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f"p{i}" for i in range(15)]),
                       st.sets(st.sampled_from(ORGS), min_size=1, max_size=8), max_size=15))
def test_sparse_weights_equal_the_pairwise_count(members):
    data = NetworkData(_rows(members))
    with_lists = copartnership_graph(data, keep_projects=True)
    sparse = copartnership_graph(data, keep_projects=False)
    assert sorted(sparse.nodes(data=True)) == sorted(with_lists.nodes(data=True))
    assert sorted(sparse.edges(data="weight")) == sorted(with_lists.edges(data="weight"))
    for a, b, d in with_lists.edges(data=True):  # the lists count what they list
        assert d["weight"] == len(d["projects"].split()) == sum({a, b} <= ms for ms in members.values())


def test_shared_projects_by_hand():
    # p1: x y z; p2: x y; p3: z alone -> x-y 2, x-z 1, y-z 1; w takes part nowhere
    a, b, w = shared_projects({"p1": {"x", "y", "z"}, "p2": {"x", "y"}, "p3": {"z"}}, ["w", "x", "y", "z"])
    assert list(zip(a.tolist(), b.tolist(), w.tolist())) == [(1, 2, 2), (1, 3, 1), (2, 3, 1)]


def test_project_lists_by_default_only_up_to_the_limit(monkeypatch):
    from ngograph.net import graphs

    data = NetworkData(_rows({"p1": {"o1", "o2", "o3"}}))
    assert "projects" in copartnership_graph(data).edges["o1", "o2"]
    monkeypatch.setattr(graphs, "PROJECT_LISTS_UP_TO", 2)
    G = copartnership_graph(data)
    assert G.edges["o1", "o2"] == {"weight": 1}
    assert copartnership_graph(data, keep_projects=True).edges["o1", "o2"]["projects"] == "p1"


class _Counting(Embedded):
    """The embedded backend, remembering which network queries ran."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ran: list[str] = []
        self.threads: list[int] = []

    def select(self, text, *args, **kwargs):
        self.ran.append(text.split("\n", 1)[0])
        self.threads.append(threading.get_ident())
        return super().select(text, *args, **kwargs)


@pytest.fixture
def counting(seed_store):
    return _Counting(seed_store)


def _ran(backend) -> list[str]:
    return ["projects" if "stated period" in t else "facets" if "funders and themes" in t
            else "participations" if "Every participation" in t else "organisations" if "takes part" in t
            else "groups" if "Country groups" in t else t for t in backend.ran]


def test_a_whole_network_reads_no_project_dates_or_facets(counting):
    data = fetch(counting)
    G = copartnership_graph(data)
    assert G.number_of_nodes() == 23  # as tests/test_network.py counts by hand
    assert data.filter() is data
    assert sorted(_ran(counting)) == ["groups", "organisations", "participations"]


def test_the_organisations_are_read_in_a_thread_of_their_own(counting, seed_store):
    """On the embedded store, whose engine lets go of the GIL, beside the participations; rdflib holds it:
    one thread there."""
    fetch(counting)
    thread = dict(zip(_ran(counting), counting.threads))
    assert thread["groups"] == thread["participations"] == threading.get_ident() != thread["organisations"]

    class CountingRdflib(_Counting):
        name = "rdflib"

    plain = CountingRdflib(seed_store)
    assert fetch(plain).rows == fetch(counting).rows
    assert set(plain.threads) == {threading.get_ident()}
    assert sorted(_ran(plain)) == ["groups", "organisations", "participations"]


def test_a_period_reads_the_projects_once_and_a_funder_the_facets(counting):
    data = fetch(counting)
    data.filter(start=2021)
    data.filter(start=2013, end=2013)
    assert _ran(counting).count("projects") == 1 and "facets" not in _ran(counting)
    kept = data.filter(funder="nordic-council-of-ministers")
    assert _ran(counting).count("facets") == 1
    assert {r["project"] for r in kept.rows} == {"social-rights-advocacy-phase-1", "social-rights-advocacy-phase-2",
                                                 "social-rights-advocacy-phase-3", "red-cross-family-inclusion"}


def test_rows_carry_the_organisations_attributes(counting):
    rows = fetch(counting).rows
    assert rows == sorted(rows, key=lambda r: (r["project"], r["organisation"], r["role"]))
    iic = {(r["label"], r["country"], r["type"]) for r in rows if r["organisation"] == "iic"}
    assert iic == {("Biedrība “Izglītības iniciatīvu centrs”", "LV", "ngo")}
    assert len(rows) == 55  # one per participation (tests/test_queries.py counts 55)


def test_two_labels_in_two_graphs_keep_the_first_and_a_participation_in_both_is_one(tmp_path):
    from ngograph.store.embedded import write_graph, write_store
    import pyoxigraph as ox

    ngo, schema = "https://w3id.org/ngograph/def#", "https://schema.org/"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#label"
    nt = (f"<http://e/x> <{ngo}inProject> <http://e/project/p> .\n<http://e/x> <{ngo}participant> <http://e/organisation/o> .\n"
          f"<http://e/x> <{ngo}role> <http://e/r> .\n<http://e/r> <http://www.w3.org/2004/02/skos/core#notation> \"partner\" .\n"
          f"<http://e/organisation/o> <{rdfs}> \"Zeta\" .\n<http://e/project/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{schema}Project> .\n")
    store = tmp_path / "store"
    write_store(store, nt.encode())
    participation = "".join(line + "\n" for line in nt.splitlines()[:3]).encode()
    write_graph(store, ox.NamedNode("https://w3id.org/ngograph/id/dataset/other"),
                [f"<http://e/organisation/o> <{rdfs}> \"Alpha\" .\n".encode(), participation])
    [row] = fetch(Embedded(store)).rows  # the participation, stated in both graphs, once
    assert (row["organisation"], row["label"], row["role"]) == ("o", "Alpha", "partner")
