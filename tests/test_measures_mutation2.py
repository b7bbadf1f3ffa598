"""ngograph.net.measures: the engine choice, pinned where the whole-module mutation run of
issue 14 (mut-core3) found it loose. Tiny graphs, values by hand; the engine that ran is
asserted by making the other one raise."""

from __future__ import annotations

import sys

import networkx as nx
import pytest

from ngograph.errors import ConfigError
from ngograph.net import measures as A


@pytest.fixture
def only_networkx(monkeypatch):
    """The conversion to igraph raises: whatever returns came from networkx."""
    def refuse(*args, **kwargs):
        raise AssertionError("igraph ran where networkx was asked for")

    monkeypatch.setattr(A, "_igraph", refuse)


def test_networkx_asked_for_runs_networkx_above_large(monkeypatch, only_networkx):
    # above LARGE "auto" would pick igraph: "networkx" must still mean networkx
    monkeypatch.setattr(A, "LARGE", 3)
    G = nx.path_graph(5)
    assert A._use_igraph(G, "networkx") is False
    assert A._use_igraph(G, "auto") is True
    # the middle of a path of five lies on 4 of the 6 pairs; its neighbours on 3
    assert A.betweenness(G, engine="networkx") == pytest.approx({0: 0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0})
    assert A.pagerank(nx.star_graph(2), weight=None, engine="networkx")[0] == pytest.approx(0.486486, abs=1e-5)
    assert A.communities(nx.barbell_graph(3, 0), engine="networkx") == {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}


def test_igraph_asked_for_without_igraph_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "igraph", None)  # not installed
    with pytest.raises(ConfigError) as err:
        A._use_igraph(nx.path_graph(3), "igraph")
    assert str(err.value) == ("engine='igraph' needs the fast extra (igraph is missing): "
                              "pip install -e '.[fast]' in a checkout, pip install 'dist/ngograph-*.whl[fast]' with the wheel")
    assert isinstance(err.value.__cause__, ImportError)
    with pytest.raises(ConfigError):
        A.betweenness(nx.path_graph(3), engine="igraph")
