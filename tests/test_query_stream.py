"""Streamed query rows: the same rows as a collected query, in chunks, with the row cap and the
time-out kept, in this process and in the worker process the command line uses."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from ngograph import cli
from ngograph.queries.library import run, stream
from ngograph.store import backends
from ngograph.store.backends import Embedded, InMemory
from ngograph.store.embedded import write_store

# 7 organisations, each a member of project p: the query below gives one row per organisation
_NT = "".join(f"<https://w3id.org/ngograph/id/project/p> <https://schema.org/member> "
              f"<https://w3id.org/ngograph/id/organisation/o{i}> .\n" for i in range(7))
_QUERY = "SELECT ?o WHERE { ?p <https://schema.org/member> ?o } ORDER BY ?o"


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    write_store(path, _NT.encode())
    return path


@pytest.fixture
def chunk_of_3(monkeypatch):
    monkeypatch.setattr(backends, "CHUNK", 3)


def _sizes(chunks):
    chunks = list(chunks)
    return [len(c) for c in chunks], [c.truncated for c in chunks], [r["o"][-2:] for c in chunks for r in c]


ALL = ["o0", "o1", "o2", "o3", "o4", "o5", "o6"]


@pytest.mark.parametrize("worker", [False, True], ids=["here", "worker"])
def test_rows_come_in_chunks(store, chunk_of_3, worker):
    limits = {"timeout": 60} if worker else {}
    assert _sizes(Embedded(store).stream(_QUERY, **limits)) == ([3, 3, 1], [False] * 3, ALL)


@pytest.mark.parametrize("worker", [False, True], ids=["here", "worker"])
@pytest.mark.parametrize("cap,sizes,truncated", [
    (5, [3, 2], [False, True]),  # stopped in the second chunk
    (6, [3, 3], [False, True]),  # stopped at a chunk's end: still marked, a seventh row exists
    (7, [3, 3, 1], [False, False, False]),  # the cap is the row count: nothing cut off
    (0, [0], [True]),
])
def test_the_row_cap_marks_the_last_chunk(store, chunk_of_3, worker, cap, sizes, truncated):
    limits = {"timeout": 60} if worker else {}
    got = _sizes(Embedded(store).stream(_QUERY, max_rows=cap, **limits))
    assert got == (sizes, truncated, ALL[:cap])


def test_a_multiple_of_the_chunk_ends_with_an_empty_chunk_or_none(tmp_path, chunk_of_3):
    path = tmp_path / "store"
    write_store(path, "".join(_NT.splitlines(keepends=True)[:6]).encode())
    sizes, truncated, names = _sizes(Embedded(path).stream(_QUERY))
    assert sum(sizes) == 6 and sizes[:2] == [3, 3] and not any(truncated) and names == ALL[:6]


def test_streamed_rows_equal_collected_rows(seed_store):
    collected = run("organisation-projects", Embedded(seed_store), max_rows=None)
    streamed = [r for chunk in stream("organisation-projects", Embedded(seed_store), max_rows=None) for r in chunk]
    assert streamed == list(collected) and len(streamed) == 3


def test_other_backends_give_one_chunk(seed_graph):
    chunks = list(stream("organisation-projects", InMemory(seed_graph)))
    assert [len(c) for c in chunks] == [3]


def test_the_worker_stops_at_the_timeout_while_streaming(store, monkeypatch):
    monkeypatch.setattr(backends, "CHUNK", 1)
    slow = "SELECT ?o ?n WHERE { ?p <https://schema.org/member> ?o . VALUES ?a {1 2 3 4 5 6 7 8 9 10} " \
           "VALUES ?b {1 2 3 4 5 6 7 8 9 10} VALUES ?c {1 2 3 4 5 6 7 8 9 10} VALUES ?d {1 2 3 4 5 6 7 8 9 10} " \
           "VALUES ?e {1 2 3 4 5 6 7 8 9 10} VALUES ?f {1 2 3 4 5 6 7 8 9 10} VALUES ?g {1 2 3 4 5 6 7 8 9 10} " \
           "BIND (?a + ?b + ?c + ?d + ?e + ?f + ?g AS ?n) } ORDER BY DESC(?n)"
    with pytest.raises(backends.QueryTimeout):
        list(Embedded(store).stream(slow, timeout=0.5))


def test_a_consumer_that_stops_early_stops_the_worker(store, chunk_of_3):
    chunks = Embedded(store).stream(_QUERY, timeout=60)
    assert len(next(chunks)) == 3
    chunks.close()  # kills and reaps the worker: no process is left behind
    assert list(chunks) == []


def test_cli_csv_is_written_chunk_by_chunk(seed_store, capsys, monkeypatch):
    monkeypatch.setattr(backends, "CHUNK", 1)
    assert cli.main(["query", "organisation-projects", "--store", str(seed_store), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["organisation", "project", "title", "role", "start", "end"]  # one header
    assert len(rows) == 1 + 3 and sum(r == rows[0] for r in rows) == 1
    assert "query: 3 row(s)" in err


def test_cli_csv_reports_the_cap(seed_store, capsys, monkeypatch):
    monkeypatch.setattr(backends, "CHUNK", 2)
    assert cli.main(["query", "organisation-projects", "--store", str(seed_store), "--format", "tsv",
                     "--max-rows", "2"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 + 2
    assert "stopped at 2 rows" in err and "query: 2 row(s)" in err


def test_store_terms_convert_as_before():
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1.50", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal"))))
    s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/q"), ox.Literal("true", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean"))))
    s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/r"), ox.Literal("tekst", language="lv")))
    s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/s"), ox.Literal("2019-10", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#gYearMonth"))))
    [row] = Embedded(s).select("SELECT ?a ?d ?b ?l ?m ?none WHERE { ?a <http://e/p> ?d ; <http://e/q> ?b ; "
                               "<http://e/r> ?l ; <http://e/s> ?m OPTIONAL { ?a <http://e/none> ?none } }")
    from decimal import Decimal
    assert row == {"a": "http://e/a", "d": Decimal("1.50"), "b": True, "l": "tekst", "m": "2019-10", "none": None}
