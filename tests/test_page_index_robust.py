"""The page index with values marshal could not write, and a server whose new store cannot be
opened (the review of the page index: a Decimal notation broke the site's workers; a failed
swap left the server stuck on the old store without a word)."""

from __future__ import annotations

import time
from decimal import Decimal

import ngograph.publish.serve as serve_module
from ngograph.publish.page_index import PageIndex
from ngograph.publish.serve import make_app
from ngograph.rdf.namespaces import SKOS
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

from conftest import BASE
from test_page_index import tiny_nt
from test_serve_perf_paths import get

CODE = BASE + "concept/sector-1-1"


def test_a_decimal_value_is_saved_and_loaded(tmp_path):
    nt = tiny_nt() + f'<{CODE}> <{SKOS.notation}> "1.10"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'.encode()
    write_store(tmp_path / "store", nt)
    index = PageIndex(Embedded(tmp_path / "store", fixed=True))
    assert Decimal("1.10") in [v for table in PageIndex.TABLES for v in _values(getattr(index, table))]
    index.save(tmp_path / "index")
    loaded = PageIndex.load(index.backend, tmp_path / "index")
    for name in PageIndex.TABLES:
        assert getattr(loaded, name) == getattr(index, name), name


def _values(table):
    """Every value held in a table (dicts, lists, tuples, sets nested)."""
    stack = [table]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack += list(x.keys()) + list(x.values())
        elif isinstance(x, (list, tuple, set, frozenset)):
            stack += list(x)
        else:
            yield x


def wait_until(condition, seconds=20.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_new_store_that_cannot_be_opened_leaves_the_old_one_answering(tmp_path, capfd, monkeypatch):
    link = tmp_path / "store"
    write_store(link, tiny_nt("Old bridges"))
    app = make_app(link, base=BASE)
    holder = app.state.holder
    try:
        prepare, opened = holder._prepare, []

        def broken(store, cache):
            opened.append(store)
            raise KeyError("a page index that cannot be read")

        holder._prepare = broken
        write_store(link, tiny_nt("New bridges"))
        assert b"Old bridges" in get(app, "/id/project/p")[1]  # starts opening the new store in the background
        assert wait_until(lambda: holder._failed is not None and not holder._opening)
        err = capfd.readouterr().err
        assert "ngograph serve: cannot open the new store" in err and "KeyError" in err
        assert "the previous one keeps answering" in err and "Traceback" not in err
        assert len(opened) == 1
        for _ in range(3):  # within the retry delay nothing is tried again, and the old store answers
            status, body = get(app, "/id/project/p")
            assert status == 200 and b"Old bridges" in body
        assert len(opened) == 1
        monkeypatch.setattr(serve_module, "_RETRY", 0.0)
        holder._prepare = prepare
        get(app, "/id/project/p")
        assert wait_until(lambda: b"New bridges" in get(app, "/id/project/p")[1])
    finally:
        holder.close()


def test_an_error_while_the_index_is_read_does_not_wait_for_the_scans_not_started(monkeypatch):
    import pyoxigraph as ox
    store = ox.Store()
    store.load(tiny_nt(), ox.RdfFormat.N_TRIPLES)
    started = []
    real_scan = PageIndex._scan

    def slow_scan(self, predicate):
        started.append(predicate)
        time.sleep(0.3)
        return real_scan(self, predicate)

    def failing(self, predicate, english=False):
        for _ in range(1000):  # both threads at work before the error (at most 10 s)
            if len(started) >= 2:
                break
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(PageIndex, "_scan", slow_scan)
    monkeypatch.setattr(PageIndex, "_values", failing)
    try:
        PageIndex(Embedded(store, fixed=True))
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the error was lost")
    assert len(started) == 2  # the two running finish; the other four never start
