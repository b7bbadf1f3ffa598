"""triple_count (store/embedded.py): distinct triples over graphs that share subjects, both ways of
finding the shared subjects (look-ups and hashed joins) against a brute-force count."""

import itertools

import pyoxigraph as ox
import pytest

from ngograph.store import embedded
from ngograph.store.embedded import triple_count

E = "https://example.org/"
G = {n: ox.NamedNode(f"{E}graph/{n}") for n in ("small", "middle", "large")}


def quads() -> list[ox.Quad]:
    """Subject a in the default graph and the large graph; b in the small and the middle graph;
    c in all three named graphs; the same (b, p, 1) and (c, p, 1) stated again; d only in the large one."""
    p, q = ox.NamedNode(f"{E}p"), ox.NamedNode(f"{E}q")
    a, b, c, d = (ox.NamedNode(f"{E}{x}") for x in "abcd")
    one, two = ox.Literal("1"), ox.Literal("2")
    out = [ox.Quad(a, p, one), ox.Quad(a, p, one, G["large"]), ox.Quad(a, q, two, G["large"]),
           ox.Quad(b, p, one, G["small"]), ox.Quad(b, p, one, G["middle"]), ox.Quad(b, q, two, G["middle"]),
           ox.Quad(c, p, one, G["small"]), ox.Quad(c, p, one, G["middle"]), ox.Quad(c, p, one, G["large"]),
           ox.Quad(c, q, two, G["large"])]
    out += [ox.Quad(d, p, ox.Literal(str(n)), G["large"]) for n in range(6)]
    out += [ox.Quad(ox.NamedNode(f"{E}m{n}"), p, one, G["middle"]) for n in range(3)]
    return out


@pytest.fixture
def store_path(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    store.extend(quads())
    store.flush()
    del store
    return tmp_path / "store"


def brute_force() -> int:
    return len({(q.subject, q.predicate, q.object) for q in quads()})


@pytest.mark.parametrize("lookup_cost", [0.0, 1e9], ids=["look-ups", "hashed"])
def test_distinct_triples_either_way(store_path, monkeypatch, lookup_cost):
    monkeypatch.setattr(embedded, "_LOOKUP_COST", lookup_cost)
    assert brute_force() == 15  # 19 statements; (a p 1) x2, (b p 1) x2, (c p 1) x3: 4 stated again
    assert len(quads()) == 19
    assert triple_count(store_path) == 15


def test_both_queries_run_where_the_sizes_say(store_path, monkeypatch):
    used = []
    real = embedded.load_query
    monkeypatch.setattr(embedded, "load_query", lambda name: used.append(name) or real(name))
    monkeypatch.setattr(embedded, "_LOOKUP_COST", 2.0)  # small: 2 x 2 < (6 + 10) x 0.5; middle: 6 x 2 > 10 x 0.5
    assert triple_count(store_path) == 15
    assert [n for n in used if n.startswith("store/shared")] == ["store/shared-subjects-lookup",
                                                                  "store/shared-subjects-hashed"]
