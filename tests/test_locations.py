"""Locations looked up when asked (store/embedded.py ``Locations``) give what ``read_locations`` reads
all at once: on hand-made quads with a curated and an imported location for one resource, and on a
store built from the seeds with a CORDIS fixture imported."""

from pathlib import Path

import pyoxigraph as ox

from ngograph.cli import main
from ngograph.rdf.namespaces import NGO
from ngograph.store.embedded import BUILD_GRAPH, Locations, open_store, read_locations

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
DATA = Path(__file__).resolve().parent.parent / "data"
E = "https://example.org/"


def test_hand_made_curated_wins_then_the_record():
    s = ox.Store()
    a, b, g = ox.NamedNode(f"{E}a"), ox.NamedNode(f"{E}b"), ox.NamedNode(f"{E}dataset/g")
    record, curated = ox.NamedNode(str(NGO.sourceRecord)), ox.NamedNode(str(NGO.curatedAt))
    s.extend([ox.Quad(a, record, ox.Literal("x.csv:row 2"), g), ox.Quad(a, curated, ox.Literal("data/p.yaml:4"), BUILD_GRAPH),
              ox.Quad(b, record, ox.Literal("x.csv:row 3"), g), ox.Quad(b, record, ox.Literal("ignored"), BUILD_GRAPH)])
    where = Locations(s)
    assert where.get(f"{E}a") == "data/p.yaml:4"
    assert where.get(f"{E}b") == "x.csv:row 3"  # a record in the build graph is not a location
    assert where.get(f"{E}c") is None and where.get(f"{E}c", "") == ""
    assert where.get("not an IRI", "-") == "-"


def test_equal_to_read_locations_on_a_built_store_with_an_import(tmp_path):
    files = [FIXTURES / "cordis" / "h2020.csv"]
    assert files[0].is_file()
    store = tmp_path / "store"
    assert main(["build", "--data", str(DATA), "--store", str(store)]) == 0
    assert main(["import", "cordis", *map(str, files), "--quiet", "--no-reconcile", "--store", str(store)]) == 0
    with open_store(store) as s:
        every = read_locations(s)
        assert any(v.startswith("data/") for v in every.values()) and any("row" in v for v in every.values())
        where = Locations(s)
        assert {k: where.get(k) for k in every} == every
        subjects = {q.subject.value for q in s.quads_for_pattern(None, None, None, None) if isinstance(q.subject, ox.NamedNode)}
        assert all(where.get(k) is None for k in subjects - set(every))
