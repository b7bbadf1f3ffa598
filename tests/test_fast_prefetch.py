"""The fast engine looks up the locations of the results found so far in batches on its worker threads while its
checks run (a batch when it is full, and whatever is waiting once a thread of the pool has no check left to start),
and the rest after them: the same results, every focus node asked for, each handed over once."""

from __future__ import annotations

import threading

import pyoxigraph as ox

import pytest

import ngograph.validate.fast as fast
from ngograph.store.embedded import PREFETCH_FROM


E = "https://example.org/"
DATA = f"""
@prefix schema: <https://schema.org/> .
<{E}a> a schema:MonetaryAmount ; schema:value -5.0 ; schema:currency "EUROS" .
<{E}b> a schema:MonetaryAmount ; schema:currency "EUR" .
<{E}c> a schema:MonetaryAmount ; schema:value 3 ; schema:currency "NOK", "SEK" .
""".encode()


class _Asked:
    """Locations that remember each prefetch: the resources asked and the thread that asked."""

    def __init__(self, known: dict[str, str]):
        self.known, self.prefetched = known, []

    def prefetch(self, iris):
        self.prefetched.append((threading.current_thread() is threading.main_thread(), list(iris)))

    def get(self, iri, default=None):
        return self.known.get(iri, default)


def _validated(batch: int, monkeypatch, threads: int | None = None):
    monkeypatch.setattr(fast, "_PREFETCH_BATCH", batch)
    if threads is not None:  # one thread: the checks end in order, and how the batches fall is certain
        monkeypatch.setattr(fast, "_THREADS", threads)
    store = ox.Store()
    store.load(DATA, ox.RdfFormat.TURTLE)
    known = {f"{E}a": "x.csv:row 2", f"{E}b": "x.csv:row 3", f"{E}c": "x.csv:row 4"}
    asked = _Asked(known)
    report = fast.validate_store(store, locations=asked)
    assert report.results == fast.validate_store(store, locations=known).results
    focus = {r.focus for r in report.results}
    assert focus == {f"{E}a", f"{E}b", f"{E}c"} and {r.location for r in report.results} == set(known.values())
    return focus, asked.prefetched


def _early_then_all(focus, prefetched) -> list[list[str]]:
    """The batches handed over beside the checks, once each check is done: at least one, none on the main thread,
    each focus node in at most one of them; and the last hand-over, on the main thread, asks for all."""
    *early, (last_on_main, last) = prefetched
    assert early and not any(on_main for on_main, _ in early)  # on a worker thread
    handed = [iri for _, batch in early for iri in batch]
    assert len(handed) == len(set(handed)) and set(handed) <= focus  # each focus node handed over once
    assert last_on_main and set(last) == focus  # located() asks for all; Locations skips those already found
    return [batch for _, batch in early]


def test_locations_looked_up_in_batches_beside_the_checks_then_the_rest(monkeypatch):
    _early_then_all(*_validated(1, monkeypatch))


@pytest.mark.parametrize("batch", [3, 4])
def test_on_two_threads_the_batches_hand_each_focus_node_over_once_whatever_the_order(batch, monkeypatch):
    # how the checks of two threads end decides whether the last ones drain a part of a batch: any split will do
    _early_then_all(*_validated(batch, monkeypatch))


def test_a_batch_as_large_as_the_results_is_looked_up_once_they_are_all_found(monkeypatch):
    focus, prefetched = _validated(3, monkeypatch, threads=1)  # three focus nodes: one batch, asked beside the checks
    assert [sorted(batch) for batch in _early_then_all(focus, prefetched)] == [sorted(focus)]


def test_fewer_results_than_a_batch_are_looked_up_beside_the_last_check_then_after_the_checks(monkeypatch):
    focus, prefetched = _validated(4, monkeypatch, threads=1)  # three focus nodes
    # once a thread of the pool has no check left to start, the results found so far are handed over all the same:
    # on one thread, that is after the last check, with all three
    assert [sorted(batch) for batch in _early_then_all(focus, prefetched)] == [sorted(focus)]


def test_no_results_no_look_up_beside_the_checks(monkeypatch):
    monkeypatch.setattr(fast, "_PREFETCH_BATCH", 4)
    store = ox.Store()
    store.load(f"<{E}a> a <https://schema.org/MonetaryAmount> ; <https://schema.org/value> 5.0 ; "
               f'<https://schema.org/currency> "EUR" .'.encode(), ox.RdfFormat.TURTLE)
    asked = _Asked({})
    assert fast.validate_store(store, locations=asked).results == []
    assert [(on_main, list(iris)) for on_main, iris in asked.prefetched] == [(True, [])]


def test_an_error_of_a_look_up_beside_the_checks_reaches_the_caller(monkeypatch):
    monkeypatch.setattr(fast, "_PREFETCH_BATCH", 1)
    store = ox.Store()
    store.load(DATA, ox.RdfFormat.TURTLE)

    class Broken(_Asked):
        def prefetch(self, iris):
            if threading.current_thread() is not threading.main_thread():
                raise OSError("the store went away")

    with pytest.raises(OSError, match="went away"):
        fast.validate_store(store, locations=Broken({}))


def test_a_batch_is_large_enough_for_locations_to_look_it_up():
    assert fast._PREFETCH_BATCH >= PREFETCH_FROM
