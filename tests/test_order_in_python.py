"""A query's final ORDER BY of variables is applied by the embedded backend, not by Oxigraph
(store/backends.py): the rows must come out exactly as the engine's own sort gives them."""

from decimal import Decimal

import pyoxigraph as ox
import pytest

from ngograph.config import DEFAULT_BASE
from ngograph.errors import QueryError
from ngograph.queries.library import QUERIES_DIR, bind_params, load_query
from ngograph.rdf.sparql import final_order, inline_bindings
from ngograph.store import backends
from ngograph.store.backends import Embedded, _column_keys, _from_ox, _select_store
from ngograph.store.embedded import open_store, published_graphs, query_dataset

INT = "http://www.w3.org/2001/XMLSchema#integer"
DOUBLE = "http://www.w3.org/2001/XMLSchema#double"

FILES = sorted(QUERIES_DIR.rglob("*.rq"))


@pytest.fixture(scope="module")
def ordered() -> list:
    """The library's queries that end in an ORDER BY of variables. Found here, not at import time of
    this module: that would run before mutmut applies a mutant of ``final_order`` (issue 14)."""
    return [f for f in FILES if final_order(f.read_text(encoding="utf-8"))]


def test_the_library_has_queries_sorted_here(ordered):
    assert FILES and len(ordered) >= 15  # the glob found the library, most of it ends in ORDER BY ?var


def engine_rows(store: ox.Store, text: str, bindings: dict, graphs) -> list[list]:
    solutions = store.query(inline_bindings(text, bindings), **query_dataset(graphs))
    return [[_from_ox(sol[i]) for i in range(len(solutions.variables))] for sol in solutions]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(QUERIES_DIR)))
def test_every_library_query_gives_the_engines_order(path, ordered, seed_store):
    if path not in ordered:
        pytest.skip("no final ORDER BY of variables: the engine sorts")
    q = load_query(path)
    try:
        bindings = bind_params(q, {}, DEFAULT_BASE)
    except QueryError:
        pytest.skip("a parameter without a default")
    with open_store(seed_store) as s:
        graphs = published_graphs(s.store, None)
        ours = _select_store(s.store, q.text, bindings, None)
        assert [[r[v] for v in ours.variables] for r in ours] == engine_rows(s.store, q.text, bindings, graphs)


def runnable(paths):
    """(path, query, its parameters' defaults) of each query of ``paths`` that runs without parameters given."""
    for path in paths:
        q = load_query(path)
        try:
            yield path, q, bind_params(q, {}, DEFAULT_BASE)
        except QueryError:
            continue


def test_the_seed_queries_are_not_empty(ordered, seed_store):
    """The comparison above is not vacuous: most sorted library queries return rows on the seeds."""
    backend = Embedded(seed_store)
    sizes = {path.name: len(backend.select(q.text, bindings)) for path, q, bindings in runnable(ordered)}
    assert sum(1 for n in sizes.values() if n > 1) >= 12, sizes


MIXED = """
<urn:r1> <urn:k> "b" . <urn:r1> <urn:n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:r2> <urn:k> <urn:z> . <urn:r2> <urn:n> "10"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:r3> <urn:k> "a" . <urn:r3> <urn:n> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<urn:r4> <urn:n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:r5> <urn:k> _:b1 . <urn:r5> <urn:n> "10"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:r6> <urn:k> <urn:a> . <urn:r6> <urn:n> "9"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:r7> <urn:k> "a" . <urn:r7> <urn:n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""


@pytest.fixture
def mixed():
    store = ox.Store()
    store.load(MIXED.encode(), ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("order, expected", [
    # unbound, blank node, IRIs, then literals; ties keep the engine's order
    ("?k ?r", ["urn:r4", "urn:r5", "urn:r6", "urn:r2", "urn:r3", "urn:r7", "urn:r1"]),
    ("DESC(?n) ?r", ["urn:r2", "urn:r5", "urn:r6", "urn:r3", "urn:r1", "urn:r4", "urn:r7"]),  # 10 > 9 > 2.5 > 2
    ("?n DESC(?r)", ["urn:r7", "urn:r4", "urn:r1", "urn:r3", "urn:r6", "urn:r5", "urn:r2"]),
    ("ASC(?k) DESC(?n) ?r", ["urn:r4", "urn:r5", "urn:r6", "urn:r2", "urn:r3", "urn:r7", "urn:r1"]),
])
def test_mixed_terms_sort_as_the_engine_sorts(mixed, order, expected):
    text = f"SELECT ?r ?k ?n WHERE {{ ?r <urn:n> ?n OPTIONAL {{ ?r <urn:k> ?k }} }} ORDER BY {order}"
    ours = _select_store(mixed, text, None, None, graphs=None)
    assert [r["r"] for r in ours] == expected
    assert [[r[v] for v in ours.variables] for r in ours] == engine_rows(mixed, text, {}, None)


def test_a_key_the_query_does_not_return_is_left_to_the_engine(mixed):
    text = "SELECT ?r WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n) ?r"
    assert [r["r"] for r in _select_store(mixed, text, None, None, graphs=None)] == \
        ["urn:r2", "urn:r5", "urn:r6", "urn:r3", "urn:r1", "urn:r4", "urn:r7"]


def test_streamed_rows_are_sorted_too(mixed):
    text = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY ?n ?r"
    chunks = list(Embedded(mixed).stream(text))
    assert [r["r"] for chunk in chunks for r in chunk] == ["urn:r1", "urn:r4", "urn:r7", "urn:r3", "urn:r6", "urn:r2",
                                                          "urn:r5"]


def test_a_limit_after_the_order_leaves_it_to_the_engine():
    assert final_order("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 2") is None
    assert final_order("SELECT * { ?s ?p ?o } ORDER BY ?s OFFSET 2") is None
    assert final_order("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s } }") is None
    assert final_order("SELECT * { ?s ?p ?o } # ORDER BY ?s") is None
    assert final_order('SELECT * { ?s ?p "ORDER BY ?s" }') is None
    assert final_order("select * { ?s ?p ?o } order by desc( ?o )\n\n") == ("select * { ?s ?p ?o } ", [("o", True)])


COLUMNS = """
<urn:r1> <urn:v> "b" . <urn:r2> <urn:v> 10 . <urn:r3> <urn:v> "a"@en . <urn:r4> <urn:v> 2.5 .
<urn:r5> <urn:w> "b" . <urn:r6> <urn:w> "a"@en . <urn:r7> <urn:w> "B" . <urn:r8> <urn:w> "c" .
<urn:r1> <urn:x> <urn:b> . <urn:r2> <urn:x> <urn:a> . <urn:r3> <urn:x> "a" .
"""


@pytest.mark.parametrize("p, expected", [
    ("v", ["urn:r4", "urn:r2", "urn:r3", "urn:r1"]),  # numbers and text in one column: the numbers first
    ("w", ["urn:r7", "urn:r6", "urn:r5", "urn:r8"]),  # text alone (with a language or not): by the text
    ("x", ["urn:r2", "urn:r1", "urn:r3"]),  # IRIs and text: the IRIs first
])
def test_a_column_of_one_kind_or_of_several_sorts_as_the_engine_sorts(p, expected):
    store = ox.Store()
    store.load(COLUMNS.encode(), ox.RdfFormat.TURTLE)
    for direction, rows in (("ASC", expected), ("DESC", expected[::-1])):
        text = f"SELECT ?v ?r WHERE {{ ?r <urn:{p}> ?v }} ORDER BY {direction}(?v)"
        ours = _select_store(store, text, None, None, graphs=None)
        assert [r["r"] for r in ours] == rows
        assert [[r[v] for v in ours.variables] for r in ours] == engine_rows(store, text, {}, None)


def test_a_column_of_one_kind_is_sorted_by_its_values_themselves():
    """The keys of a column of IRIs, of text literals or of numbers are its values (no tuple per row);
    any other column gets :func:`_order_key`'s tuples."""
    iri, text, number = ox.NamedNode("urn:a"), ox.Literal("a", language="en"), ox.Literal("2", datatype=ox.NamedNode(INT))
    values = [["urn:a"], ["b"], [2], [Decimal("2.5")], [2.5]]
    assert _column_keys([(iri,), (iri,)], values[:2], 0) == ["urn:a", "b"]
    assert _column_keys([(text,), (text,)], values[:2], 0) == ["urn:a", "b"]
    assert _column_keys([(number,)] * 3, values[2:], 0) == [2, Decimal("2.5"), 2.5]
    assert _column_keys([(text,), (number,)], [["a"], [2]], 0) == [(3, 1, "a"), (3, 0, 2)]
    assert _column_keys([(iri,), (text,)], [["urn:a"], ["a"]], 0) == [(2, "urn:a"), (3, 1, "a")]
    assert _column_keys([(number,)] * 2, [[2.5], [float("nan")]], 0) == [(0, 2.5), (1,)]  # a NaN after the numbers
    nan = ox.Literal("NaN", datatype=ox.NamedNode(DOUBLE))
    assert _column_keys([(nan,), (text,)], [[float("nan")], ["a"]], 0) == [(3, 0.5), (3, 1, "a")]




@pytest.mark.parametrize("order, expected", [
    ("?a ?b", ["urn:r1", "urn:r2", "urn:r3"]),
    ("DESC(?a) DESC(?b)", ["urn:r3", "urn:r2", "urn:r1"]),
])
def test_rows_with_a_nan_key_are_ordered_by_the_next_keys(order, expected):
    """Two NaN keys are equal for the sort (the engine's order and the one sort per key of before): the rows are
    then ordered by the next key, in the same direction as the NaN's (one sort of key tuples stopped at the NaN)."""
    store = ox.Store()
    store.load(f"""<urn:r2> <urn:a> "NaN"^^<{DOUBLE}> ; <urn:b> 2 . <urn:r1> <urn:a> "NaN"^^<{DOUBLE}> ; <urn:b> 1 .
                   <urn:r3> <urn:a> "NaN"^^<{DOUBLE}> ; <urn:b> 3 .""".encode(), ox.RdfFormat.TURTLE)
    text = f"SELECT ?r ?a ?b WHERE {{ ?r <urn:a> ?a ; <urn:b> ?b }} ORDER BY {order}"
    assert [r["r"] for r in _select_store(store, text, None, None, graphs=None)] == expected


@pytest.mark.parametrize("run", [1, 2, 3])
@pytest.mark.parametrize("cap", [1, 2, 4, 6, 7, 9])
def test_a_capped_query_keeps_the_first_rows_sorted_in_parts(mixed, monkeypatch, run, cap):
    """With a cap, the rows are sorted :data:`SORT_RUN` at a time beside the first ones found so far: the same
    rows and order as all of them sorted at once (ties in the engine's order), marked cut when there were more."""
    monkeypatch.setattr(backends, "SORT_RUN", run)
    for order in ("?k ?r", "DESC(?n) ?r", "?n DESC(?r)", "ASC(?k) DESC(?n) ?r", "?n"):
        text = f"SELECT ?r ?k ?n WHERE {{ ?r <urn:n> ?n OPTIONAL {{ ?r <urn:k> ?k }} }} ORDER BY {order}"
        every = [r["r"] for r in _select_store(mixed, text, None, None, graphs=None)]
        capped = _select_store(mixed, text, None, cap, graphs=None)
        assert len(every) == 7 and [r["r"] for r in capped] == every[:cap], order
        assert capped.truncated is (cap < 7)
        streamed = list(Embedded(mixed).stream(text, max_rows=cap))
        assert [r["r"] for chunk in streamed for r in chunk] == every[:cap] and streamed[-1].truncated is (cap < 7)


@pytest.mark.parametrize("seed", range(3))
def test_nan_keys_sort_as_the_engine_sorts_them_whole_or_in_parts(monkeypatch, seed):
    """Oxigraph puts NaN after every number (INF too) and before text, NaNs equal among themselves: ours too, in a
    column of numbers and in one of several kinds, all at once or capped and sorted a row at a time."""
    import random
    rng = random.Random(seed)
    store = ox.Store()
    values = ['"NaN"^^<%s>' % DOUBLE, '"INF"^^<%s>' % DOUBLE, '"-INF"^^<%s>' % DOUBLE, "2.5", "3", "1", '"NaN"^^<%s>' % DOUBLE]
    lines = [f"<urn:r{i}> <urn:a> {rng.choice(values)} ; <urn:b> {rng.randrange(3)} ; <urn:c> {v} ."
             for i, v in enumerate(rng.choices(values + ['"t"', "<urn:x>"], k=12))]
    store.load("\n".join(lines).encode(), ox.RdfFormat.TURTLE)
    for order in ("?a ?r", "DESC(?a) ?r", "?a DESC(?b) ?r", "DESC(?c) ?r", "?c ?a DESC(?r)"):
        text = f"SELECT ?r ?a ?b ?c WHERE {{ ?r <urn:a> ?a ; <urn:b> ?b ; <urn:c> ?c }} ORDER BY {order}"
        engine = [row[0] for row in engine_rows(store, text, {}, None)]
        assert [r["r"] for r in _select_store(store, text, None, None, graphs=None)] == engine, order
        for run in (1, 5):  # every row, sorted in runs written out and merged
            monkeypatch.setattr(backends, "SORT_RUN", run)
            assert [r["r"] for r in _select_store(store, text, None, None, graphs=None)] == engine, (order, run)
        monkeypatch.setattr(backends, "SORT_RUN", 1)
        for cap in (1, 4, 11):
            assert [r["r"] for r in _select_store(store, text, None, cap, graphs=None)] == engine[:cap], (order, cap)
        monkeypatch.undo()


def test_the_library_capped_and_sorted_in_parts_gives_its_first_rows(ordered, seed_store, monkeypatch):
    """Every sorted library query on the seeds, capped at a few rows and sorted two rows at a time: the first rows
    of the whole answer."""
    monkeypatch.setattr(backends, "SORT_RUN", 2)
    compared = 0
    with open_store(seed_store) as s:
        for path, q, bindings in runnable(ordered):
            every = _select_store(s.store, q.text, bindings, None)
            for cap in (1, 3, 5):
                capped = _select_store(s.store, q.text, bindings, cap)
                assert list(capped) == list(every)[:cap], (path.name, cap)
                compared += len(every) > cap
    assert compared >= 20


@pytest.mark.parametrize("run", [1, 3])
@pytest.mark.parametrize("cap", [1, 2, 5])
def test_a_capped_query_never_sorts_more_than_its_first_rows_and_a_run(mixed, monkeypatch, run, cap):
    """The rows held at once: at most the first ``cap + 1`` (one more tells that the rows were cut) and the next
    :data:`SORT_RUN`; with a larger cap or none, a run at a time (each run sorted, written out, and the runs merged)."""
    sizes = []
    real = backends._positions
    monkeypatch.setattr(backends, "_positions", lambda terms, rows, keys: sizes.append(len(rows)) or real(terms, rows, keys))
    monkeypatch.setattr(backends, "SORT_RUN", run)
    text = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY ?n ?r"
    _select_store(mixed, text, None, cap, graphs=None)
    assert len(sizes) > 1 and max(sizes) == (min(7, cap + 1 + run) if cap + 1 <= run else run), sizes
    assert sum(map(len, Embedded(mixed).stream(text, max_rows=cap))) == cap
    sizes.clear()
    _select_store(mixed, text, None, None, graphs=None)
    assert sizes == {1: [1] * 7, 3: [3, 3, 1]}[run]
    monkeypatch.setattr(backends, "SORT_RUN", 7)
    sizes.clear()
    _select_store(mixed, text, None, None, graphs=None)
    assert sizes == [7]  # fewer rows than a run: one sort, nothing written


def test_the_runs_written_out_are_closed_whether_read_or_not(mixed, monkeypatch):
    """Rows beyond a run are sorted in unnamed temporary files: every one is closed once the rows are read, and when the
    reader stops early (a stream abandoned after its first chunk)."""
    import tempfile

    opened = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **kw: opened.append(real(*a, **kw)) or opened[-1])
    monkeypatch.setattr(backends, "SORT_RUN", 2)
    text = "SELECT ?r ?n WHERE { ?r <urn:n> ?n } ORDER BY DESC(?n) ?r"
    every = [r["r"] for r in _select_store(mixed, text, None, None, graphs=None)]
    assert len(opened) == 4 and all(f.closed for f in opened) and len(every) == 7
    opened.clear()
    chunks = backends._stream_store(mixed, text, None, None, size=2, graphs=None)
    assert [r["r"] for r in next(chunks)] == every[:2]
    assert len(opened) == 4 and not any(f.closed for f in opened)
    chunks.close()
    del chunks
    assert all(f.closed for f in opened)


def test_descending_keys_merge_as_they_sort():
    """The merge's key for a descending column: the other order, ties equal."""
    a, b = backends._Descending((3, 0, 1)), backends._Descending((3, 0, 2))
    assert b < a and not a < b and not a < backends._Descending((3, 0, 1))
    assert a == backends._Descending((3, 0, 1)) and not a == b
    assert sorted([(a, 1), (b, 2), (backends._Descending((3, 0, 1)), 0)]) == [(b, 2), (a, 0), (a, 1)]


def test_long_decimals_sort_descending_in_runs_as_the_engine_sorts_them(monkeypatch):
    """A decimal of 38 digits negated with ``-`` rounds to 28: three of them tied in the merge and came out in the
    engine's order of reading, not by value. Negated exactly, the runs merge as one sort and as the engine sorts."""
    store = ox.Store()
    values = ["12345678901234567890.123456789012345678", "12345678901234567890.123456789012345677",
              "12345678901234567890.123456789012345679", "2", "-12345678901234567890.123456789012345678"]
    store.load("\n".join(f'<urn:r{i}> <urn:a> "{v}"^^<http://www.w3.org/2001/XMLSchema#decimal> .'
                         for i, v in enumerate(values)).encode(), ox.RdfFormat.N_TRIPLES)
    for order in ("DESC(?a)", "?a"):
        text = f"SELECT ?r ?a WHERE {{ ?r <urn:a> ?a }} ORDER BY {order}"
        engine = [row[0] for row in engine_rows(store, text, {}, None)]
        assert engine[:3] == (["urn:r2", "urn:r0", "urn:r1"] if order == "DESC(?a)" else ["urn:r4", "urn:r3", "urn:r1"])
        monkeypatch.setattr(backends, "SORT_RUN", 1)
        assert [r["r"] for r in _select_store(store, text, None, None, graphs=None)] == engine, order
        monkeypatch.undo()


def test_a_run_that_cannot_be_written_is_closed(monkeypatch):
    """A disk that fills while a run is written: the error goes up, and the run's file is closed, not left open."""
    import tempfile

    opened = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **kw: opened.append(real(*a, **kw)) or opened[-1])

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backends.pickle, "dump", full)
    n = ox.NamedNode("urn:x")
    with pytest.raises(OSError, match="No space"):
        backends._spilled([(n,), (n,)], [["urn:x"], ["urn:x"]], [(0, False)])
    assert len(opened) == 1 and opened[0].closed
