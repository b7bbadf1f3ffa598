"""The fast engine's work on two worker threads: its checks handed over a few at a time (``_as_done``), so that a
batch of locations or the quality checks, submitted to the same threads, waits for one check and not for all; and
``ngograph validate`` running the checks, the look-ups of locations and the quality checks on those two threads."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox
import pytest

import ngograph.validate.fast as fast
import ngograph.validate.shacl as shacl
from ngograph.runtime import WORKER_THREADS, worker_threads
from ngograph.store.embedded import Locations, write_graph, write_store

from conftest import run_cli as run


def _done(fn, *args) -> Future:
    """A future already done: the work runs as it is submitted."""
    future: Future = Future()
    future.set_result(fn(*args))
    return future


@pytest.mark.parametrize("ahead", [1, 2, 3])
def test_at_most_ahead_tasks_are_submitted_and_the_next_once_the_caller_is_done(ahead):
    events = []

    def submit(fn, *args):
        events.append(("submit", args[0]))
        return _done(fn, *args)

    out = []
    for task, result in fast._as_done(submit, [5, 1, 4, 2, 3], lambda n: (divmod, n, 2), ahead):
        events.append(("yield", task))
        out.append((task, result))
    assert sorted(out) == [(n, divmod(n, 2)) for n in range(1, 6)]
    assert [task for what, task in events if what == "submit"] == [5, 1, 4, 2, 3]  # in the order given
    in_flight = 0
    for what, _ in events:  # a task counts from its submission to the caller's turn with it
        in_flight += 1 if what == "submit" else -1
        assert 0 <= in_flight <= ahead
    assert events[:ahead] == [("submit", n) for n in [5, 1, 4, 2, 3][:ahead]]  # the first `ahead` at once


def test_other_work_submitted_meanwhile_runs_before_the_checks_not_yet_submitted():
    """On one worker thread: a task another thread submits while a check runs starts right after that check, before
    the checks not yet handed over."""
    started, release = [], threading.Event()

    def work(n):
        started.append(n)
        if n == 0:
            assert release.wait(5)
        return n

    with ThreadPoolExecutor(max_workers=1) as pool:
        def meanwhile():
            while started != [0]:
                time.sleep(0.001)
            other.append(pool.submit(work, "other"))  # while check 0 runs
            release.set()

        other: list[Future] = []
        helper = threading.Thread(target=meanwhile)
        helper.start()
        results = list(fast._as_done(pool.submit, [0, 1, 2], lambda n: (work, n), 1))
        helper.join()
        assert other[0].result() == "other"
    assert results == [(0, 0), (1, 1), (2, 2)] and started == [0, "other", 1, 2]


def test_each_task_is_handed_over_as_soon_as_it_is_done_not_with_the_others():
    """Two at a time: the quick one comes while the slow one still runs (it waits for the caller to have the quick one)."""
    handed = threading.Event()

    def work(name):
        return name if name == "quick" else handed.wait(5)

    out = []
    with worker_threads() as submit:
        for task, result in fast._as_done(submit, ["slow", "quick"], lambda name: (work, name), 2):
            out.append((task, result))
            handed.set()
    assert out == [("quick", "quick"), ("slow", True)]  # the slow one released by the caller, not by its time-out


BASE = "https://w3id.org/ngograph/id/"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
Q = f"<{BASE}project/iati/q>"
IMPORTED = (f'{Q} {TYPE} <https://schema.org/Project> .\n{Q} <https://schema.org/name> "Project Q"@en .\n'
            f'{Q} <https://w3id.org/ngograph/def#sourceRecord> "activities.xml:line 7" .\n')


def test_validate_runs_the_checks_the_locations_and_the_quality_checks_on_two_worker_threads(tmp_path, capsys,
                                                                                            monkeypatch):
    path = tmp_path / "store"
    write_store(path, b"")
    write_graph(path, ox.NamedNode(BASE + "dataset/iati"), [IMPORTED.encode()])
    threads: dict[str, set] = {"checks": set(), "locations": set(), "quality checks": set()}

    def on(kind, real):
        def recorded(*args, **kwargs):
            threads[kind].add(threading.current_thread())
            return real(*args, **kwargs)
        return recorded

    monkeypatch.setattr(fast, "_run", on("checks", fast._run))
    monkeypatch.setattr(fast, "_PREFETCH_BATCH", 1)
    monkeypatch.setattr(Locations, "prefetch", on("locations", Locations.prefetch))
    monkeypatch.setattr(shacl, "qc_results", on("quality checks", shacl.qc_results))
    code, out, _ = run(capsys, "validate", "--store", path, "--fresh", "--severity", "info")
    assert code == 1 and "activities.xml:line 7: project/iati/q: the project has no budget" in out
    assert all(threads.values())
    workers = {t for kind in ("checks", "quality checks") for t in threads[kind]}
    main = threading.main_thread()
    assert main not in workers and len(workers) <= WORKER_THREADS == 2
    assert threads["locations"] - {main} and threads["locations"] - {main} <= workers  # batches beside the checks
