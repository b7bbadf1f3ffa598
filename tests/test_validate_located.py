"""Results located at once (validate.shacl.located) and the quality checks run beside the shapes'
(validate.shacl.with_quality_checks): the same results as one at a time and one after the other."""

from __future__ import annotations

import threading

import pytest
from rdflib import Graph

from ngograph.store.backends import InMemory
from ngograph.validate.shacl import Report, Result, located, qc_results, with_quality_checks

E = "https://example.org/"


def _result(focus: str, shape: str = "s") -> Result:
    return Result("Violation", shape, "", focus, "sh:X", "m")


class _Asked:
    """Locations that remember what they were asked, and how."""

    def __init__(self, known: dict[str, str]):
        self.known, self.prefetched, self.got = known, [], []

    def prefetch(self, iris):
        self.prefetched.append(set(iris))

    def get(self, iri, default=None):
        self.got.append(iri)
        return self.known.get(iri, default)


def test_located_asks_once_for_every_focus_node_then_each():
    results = [_result(f"{E}a"), _result(f"{E}b"), _result(f"{E}a", "t")]
    where = _Asked({f"{E}a": "x.yaml:3"})
    out = located(results, where)
    assert where.prefetched == [{f"{E}a", f"{E}b"}]
    assert sorted(where.got) == [f"{E}a", f"{E}a", f"{E}b"]
    assert [(r.focus, r.shape, r.location) for r in out] == [(f"{E}a", "s", "x.yaml:3"), (f"{E}b", "s", ""),
                                                             (f"{E}a", "t", "x.yaml:3")]
    assert [(r.severity, r.component, r.message) for r in out] == [("Violation", "sh:X", "m")] * 3


def test_located_with_a_dict_or_none():
    results = [_result(f"{E}a"), _result(f"{E}b")]
    assert [r.location for r in located(results, {f"{E}a": "x.yaml:3"})] == ["x.yaml:3", ""]
    assert [r.location for r in located(iter(results), None)] == ["", ""]


def test_a_location_already_set_is_replaced_by_the_lookup():
    r = Result("Violation", "s", "old.yaml:1", f"{E}a", "sh:X", "m")
    assert located([r], {f"{E}a": "new.yaml:2"})[0].location == "new.yaml:2"


class _Threads(InMemory):
    def __init__(self, graph):
        super().__init__(graph)
        self.threads = set()

    def select(self, *args, **kwargs):
        self.threads.add(threading.get_ident())
        return super().select(*args, **kwargs)


@pytest.fixture
def seeds(seed_store):
    from ngograph.store.embedded import open_store, read_graph

    with open_store(seed_store) as s:
        return read_graph(s)


def test_quality_checks_run_beside_and_come_after(seeds):
    backend = _Threads(seeds)
    own = Report([_result(f"{E}z")])
    ran_in = []

    def validate():
        ran_in.append(threading.get_ident())
        return own

    report = with_quality_checks(validate, backend, {f"{E}z": "z.yaml:1"})
    assert report is own and ran_in == [threading.get_ident()]
    assert backend.threads and threading.get_ident() not in backend.threads
    expected = qc_results(InMemory(seeds), {f"{E}z": "z.yaml:1"})
    assert report.results == [own.results[0]] + expected


def test_a_failing_validation_still_fails(seeds):
    def validate():
        raise RuntimeError("broken shapes")

    with pytest.raises(RuntimeError, match="broken shapes"):
        with_quality_checks(validate, InMemory(seeds))



def test_the_quality_checks_results_are_located():
    """A project with a funder and no grant from it breaks qc/funder-without-grant: its result names the record."""
    g = Graph().parse(data=f"""@prefix schema: <https://schema.org/> .
        <{E}p> a schema:Project ; schema:funder <{E}f> .""", format="turtle")
    report = with_quality_checks(Report, InMemory(g), {f"{E}p": "p.yaml:2"})
    assert [(r.shape, r.focus, r.location) for r in report.results] == [
        ("qc:funder-without-grant-violation", f"{E}p", "p.yaml:2")]


def test_a_rendered_result_is_one_line_whatever_its_value_and_location_hold():
    """Source data holds line breaks and terminal escape sequences: each result stays one line, and nothing of
    the data reaches the terminal as a control character."""
    r = Result("Warning", "ngosh:S > schema:name", "x\x1b[2J.csv:row 2", f"{E}a", "sh:X",
               "named \"a\nb\"", value="Fund\r\nación\x1b]0;t\x07\u202e")
    text = Report([r]).render()
    assert text.splitlines() == [
        "WARNINGS (1)",
        "  ngosh:S > schema:name [sh:X] (1)",
        f"    x\ufffd[2J.csv:row 2: {E}a value Fund  ación\ufffd]0;t\ufffd\ufffd: named \"a b\"",
        "The graph conforms: 0 violation(s), 1 warning(s), 0 info(s).",
    ]
