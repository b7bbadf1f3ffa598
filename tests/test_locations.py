"""Locations looked up when asked (store/embedded.py ``Locations``) give what ``read_locations`` reads
all at once: on hand-made quads with a curated and an imported location for one resource, and on a
store built from the seeds with a CORDIS fixture imported."""

from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_a_resource_minted_under_an_imported_record_takes_its_location():
    """An import writes a project's allocations and a transaction's amount in the record of the project or the
    transaction: one or two path segments up. Not a curated resource's (a source's concept is not written in its
    scheme's file), and not three segments up."""
    s = ox.Store()
    record, curated, g = ox.NamedNode(str(NGO.sourceRecord)), ox.NamedNode(str(NGO.curatedAt)), ox.NamedNode(f"{E}dataset/g")
    s.extend([ox.Quad(ox.NamedNode(f"{E}project/iati/X"), record, ox.Literal("a.xml:3"), g),
              ox.Quad(ox.NamedNode(f"{E}transaction/iati/X/1"), record, ox.Literal("a.xml:40"), g),
              ox.Quad(ox.NamedNode(f"{E}vocab/sector"), curated, ox.Literal("data/vocab/sector.ttl:2"), BUILD_GRAPH)])
    where = Locations(s)
    assert where.get(f"{E}project/iati/X/allocation/5") == "a.xml:3"
    assert where.get(f"{E}transaction/iati/X/1/amount") == "a.xml:40"
    assert where.get(f"{E}project/iati/X/a/b/c") is None  # three segments up: not its record
    assert where.get(f"{E}vocab/sector/400") is None and where.get(f"{E}vocab/sector") == "data/vocab/sector.ttl:2"
    assert where.get("https://example.org") is None and where.get("urn:x", "-") == "-"
    b = ox.BlankNode("b1")  # a blank node is looked up by its id
    s.add(ox.Quad(b, record, ox.Literal("a.xml:9"), g))
    assert Locations(s).get("b1") == "a.xml:9"


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
        records = {q.subject.value: q.object.value for q in s.quads_for_pattern(None, RECORD, None, None)
                   if q.graph_name != BUILD_GRAPH}

        def minted_under(k: str) -> str | None:  # the import record one or two segments up, else none
            return records.get(k.rsplit("/", 1)[0]) or records.get(k.rsplit("/", 2)[0])

        nested = {k: where.get(k) for k in subjects - set(every)}
        assert nested == {k: minted_under(k) for k in nested}
        assert any(v is not None for v in nested.values()) and any(v is None for v in nested.values())


# ------------------------------------------------------------------ many at once (Locations.prefetch)

RECORD, CURATED = ox.NamedNode(str(NGO.sourceRecord)), ox.NamedNode(str(NGO.curatedAt))


def _hand_made() -> ox.Store:
    """a: curated and a record; b: one record (and one in the build graph, not a location); c: two records in two
    graphs; d: curated twice; e: a record in the default graph; f: nothing; a blank node with a record."""
    s = ox.Store()
    g, h = ox.NamedNode(f"{E}dataset/g"), ox.NamedNode(f"{E}dataset/h")
    n = {x: ox.NamedNode(f"{E}{x}") for x in "abcdef"}
    s.extend([ox.Quad(n["a"], RECORD, ox.Literal("x.csv:row 2"), g), ox.Quad(n["a"], CURATED, ox.Literal("p.yaml:4"), BUILD_GRAPH),
              ox.Quad(n["b"], RECORD, ox.Literal("x.csv:row 3"), g), ox.Quad(n["b"], RECORD, ox.Literal("no"), BUILD_GRAPH),
              ox.Quad(n["c"], RECORD, ox.Literal("x.csv:row 4"), g), ox.Quad(n["c"], RECORD, ox.Literal("y.xml:9"), h),
              ox.Quad(n["d"], CURATED, ox.Literal("p.yaml:1"), BUILD_GRAPH),
              ox.Quad(n["d"], CURATED, ox.Literal("q.yaml:2"), BUILD_GRAPH),
              ox.Quad(n["e"], RECORD, ox.Literal("z.json#/0"), ox.DefaultGraph()),
              ox.Quad(ox.BlankNode("k"), RECORD, ox.Literal("x.csv:row 5"), g)])
    return s


def test_prefetch_reads_the_single_ones_and_leaves_the_rest_to_get(monkeypatch):
    import ngograph.store.embedded as E_
    monkeypatch.setattr(E_, "PREFETCH_FROM", 1)
    s = _hand_made()
    iris = [f"{E}{x}" for x in "abcdef"] + ["k", "_:k", "not an IRI"]
    where = Locations(s)
    where.prefetch(iris)
    assert where._found == {f"{E}a": "p.yaml:4", f"{E}b": "x.csv:row 3", f"{E}e": "z.json#/0", f"{E}f": None}
    one_by_one = Locations(s)
    assert [where.get(i, "") for i in iris] == [one_by_one.get(i, "") for i in iris]
    assert [where.get(i, "") for i in iris[:6]] == ["p.yaml:4", "x.csv:row 3", one_by_one.get(f"{E}c"),
                                                     one_by_one.get(f"{E}d"), "z.json#/0", ""]
    assert where.get(f"{E}c") in ("x.csv:row 4", "y.xml:9") and where.get(f"{E}d") in ("p.yaml:1", "q.yaml:2")


def test_prefetch_reads_nothing_for_few_resources(monkeypatch):
    import ngograph.store.embedded as E_

    def refuse(*args):
        raise AssertionError("read at once")

    monkeypatch.setattr(Locations, "_look_up_many", refuse)
    where = Locations(_hand_made())
    where.prefetch([f"{E}{x}" for x in "abcdef"])  # 6 < PREFETCH_FROM
    assert where._found == {}
    monkeypatch.setattr(E_, "PREFETCH_FROM", 7)
    where.prefetch([f"{E}{x}" for x in "abcdef"] * 2)  # six resources, not twelve
    assert where._found == {}
    monkeypatch.setattr(E_, "PREFETCH_FROM", 6)
    try:
        where.prefetch([f"{E}{x}" for x in "abcdef"])
    except AssertionError as exc:
        assert "read at once" in str(exc)
    else:
        raise AssertionError("six resources at PREFETCH_FROM 6 were not read at once")
    assert E_.PREFETCH_FROM == 6 and where.get(f"{E}b") == "x.csv:row 3"
    where.prefetch([f"{E}b"] + [f"{E}{x}" for x in "acdef"])  # b is known: five left, fewer than six
    assert set(where._found) == {f"{E}b"}


def test_prefetch_threshold_is_five_thousand():
    import ngograph.store.embedded as E_
    assert E_.PREFETCH_FROM == 5000


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["record", "curated", "build-record"]),
                          st.integers(0, 2), st.integers(0, 3)), max_size=25))
def test_prefetch_then_get_equals_get_one_at_a_time(monkeypatch_quads):
    import ngograph.store.embedded as E_
    graphs = [ox.DefaultGraph(), ox.NamedNode(f"{E}dataset/g"), ox.NamedNode(f"{E}dataset/h")]
    s = ox.Store()
    for who, kind, graph, where in monkeypatch_quads:
        node = ox.NamedNode(f"{E}r{who}")
        if kind == "record":
            s.add(ox.Quad(node, RECORD, ox.Literal(f"f{where}.csv:row {where}"), graphs[graph]))
        else:
            s.add(ox.Quad(node, CURATED if kind == "curated" else RECORD, ox.Literal(f"p{where}.yaml:{where}"), BUILD_GRAPH))
    iris = [f"{E}r{i}" for i in range(8)]
    saved, E_.PREFETCH_FROM = E_.PREFETCH_FROM, 1
    try:
        many = Locations(s)
        many.prefetch(iris)
    finally:
        E_.PREFETCH_FROM = saved
    one = Locations(s)
    assert [many.get(i) for i in iris] == [one.get(i) for i in iris]


def test_prefetch_skips_the_known_and_reads_the_rest(monkeypatch):
    import ngograph.store.embedded as E_
    monkeypatch.setattr(E_, "PREFETCH_FROM", 1)
    where = Locations(_hand_made())
    assert where.get(f"{E}b") == "x.csv:row 3"
    where.prefetch([f"{E}b", f"{E}b", "not an IRI", f"{E}a", f"{E}e"])  # the known one first, then two to read
    assert where._found == {f"{E}b": "x.csv:row 3", f"{E}a": "p.yaml:4", f"{E}e": "z.json#/0"}


def test_prefetch_on_a_store_that_cannot_be_read_names_the_locations(monkeypatch):
    import pytest
    import ngograph.store.embedded as E_
    from ngograph.errors import StoreError

    def broken(self, store, resources):
        raise OSError("disk gone")

    monkeypatch.setattr(E_, "PREFETCH_FROM", 1)
    monkeypatch.setattr(Locations, "_look_up_many", broken)
    with pytest.raises(StoreError, match=r"^cannot read the locations from the store at .*: disk gone"):
        Locations(_hand_made()).prefetch([f"{E}a"])
