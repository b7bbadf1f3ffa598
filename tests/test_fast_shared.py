"""Shapes of several classes that test one path the same way share the search for its failing values
(ngograph/validate/fast.py, ``_Shared``): the values are looked for once, and where none fails no shape's own
query runs. The results stay pySHACL's (``both``)."""

from __future__ import annotations

import threading

import pytest

import ngograph.validate.fast as fast
from test_fast_mutation import CLASSES, EX, V, both, shapes_graph, store_of
from test_fast_mutation2 import _Ticks

TWO_SHAPES = ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] . "
              "ex:T a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:class ex:K ] .")


class _Counting:
    """A store that counts the queries it is given (by text) and hands them on."""

    def __init__(self, store):
        self.store, self.asked = store, []

    def query(self, text, **kwargs):
        self.asked.append(text)
        return self.store.query(text, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def _searches(store: _Counting) -> list[str]:
    """The queries of the failing values alone."""
    return [q for q in store.asked if "SELECT ?value WHERE { { SELECT ?value WHERE" in q and "?this" not in q]


def _own_queries(store: _Counting) -> list[str]:
    """The shapes' own queries of their focus nodes with a failing value: the values found again, or bound."""
    return [q for q in store.asked
            if "SELECT DISTINCT ?this ?value WHERE { { SELECT DISTINCT ?value WHERE { { SELECT ?value WHERE" in q
            or "SELECT DISTINCT ?this ?value WHERE { VALUES ?value {" in q]


def test_the_failing_values_of_one_path_are_looked_for_once_for_two_shapes():
    store = _Counting(store_of(CLASSES + "ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:p ex:k2 ."))
    assert fast.validate_store(store, shapes=shapes_graph(TWO_SHAPES), ontology=None).results == []
    assert len(_searches(store)) == 1  # one search, both shapes
    assert _own_queries(store) == []  # none failed: neither shape's own query ran


def test_a_failing_value_of_one_class_is_reported_for_that_class_only():
    data = CLASSES + "ex:a a ex:C ; ex:p ex:k4 . ex:b a ex:D ; ex:p ex:k1 . ex:c a ex:D ; ex:p ex:k3 ."
    assert both(TWO_SHAPES, data) == {V("ex:a", "Class", "ex:k4")}
    store = _Counting(store_of(data))
    fast.validate_store(store, shapes=shapes_graph(TWO_SHAPES), ontology=None)
    assert len(_searches(store)) == 1 and len(_own_queries(store)) == 2  # a value fails: each shape's query runs


def test_a_check_that_needs_not_run_is_profiled_for_its_search_or_wait(monkeypatch):
    monkeypatch.setattr(fast, "time", _Ticks())  # each check: 1 "second" in its worker, 1 in the calling thread
    profile: dict = {}
    fast.validate_store(store_of(CLASSES + "ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:p ex:k2 ."),
                        shapes=shapes_graph(TWO_SHAPES), ontology=None, profile=profile)
    assert profile == {(f"{EX}S > {EX}p", "sh:ClassConstraintComponent"): 2.0,
                       (f"{EX}T > {EX}p", "sh:ClassConstraintComponent"): 2.0}


def test_shapes_that_test_a_path_differently_do_not_share():
    shapes = TWO_SHAPES.replace("sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:class ex:K ]",
                                "sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:class ex:Other ]")
    data = CLASSES + "ex:a a ex:C ; ex:p ex:k1 . ex:b a ex:D ; ex:p ex:k1 ."  # only ex:D's test fails
    assert both(shapes, data) == {V("ex:b", "Class", "ex:k1")}
    store = _Counting(store_of(data))
    fast.validate_store(store, shapes=shapes_graph(shapes), ontology=None)
    assert len(_searches(store)) == 2


@pytest.mark.parametrize("name", [f"?_{x}{n}" for x in "vw" for n in range(6)])
def test_a_value_that_reads_like_a_variable_is_kept_as_it_is(name):
    """The search's text is the query that runs: a literal or an IRI holding "?_v1" stays as written, and a
    value that a renaming of the text could have made equal to it still fails."""
    shapes = ('ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:N ] . '
              'ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:in ( "?_v1" <https://example.org/x?_v3> ) ] .')
    expected = set() if name == "?_v1" else {V("ex:a", "Node", "ex:x"), V("ex:x", "In", name, "ex:q")}
    assert both(shapes, f'ex:a a ex:C ; ex:p ex:x . ex:x ex:q "{name}" .') == expected


def test_a_shared_value_is_computed_once_and_waited_for_by_the_others():
    shared, started, release, calls = fast._Shared(), threading.Event(), threading.Event(), []

    def compute():
        calls.append(threading.get_ident())
        started.set()
        release.wait(10)
        return "rows"

    got = []
    first = threading.Thread(target=lambda: got.append(shared.get("q", compute)))
    first.start()
    started.wait(10)
    second = threading.Thread(target=lambda: got.append(shared.get("q", lambda: calls.append("again") or "other")))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first
    release.set()
    first.join(10), second.join(10)
    assert got == ["rows", "rows"] and len(calls) == 1
    assert shared.get("r", lambda: "own") == "own"  # another key, computed on its own


def test_an_error_of_a_shared_computation_reaches_everyone_who_asks():
    shared, calls = fast._Shared(), []

    def broken():
        calls.append(1)
        raise OSError("store gone")

    for _ in range(2):
        with pytest.raises(OSError, match="store gone"):
            shared.get("q", broken)
    assert calls == [1]  # the error is kept, not computed again
