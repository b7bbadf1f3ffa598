"""A graph copied from the current store into a new one (store/embedded.py _copy_graph): the dump streamed through a
pipe into the loader. Every quad arrives; an error on either side is raised, and neither side is left waiting."""

import threading

import pyoxigraph as ox
import pytest

from ngograph.store import embedded

E = "https://example.org/"
G = ox.NamedNode(f"{E}g")


def _lines(n: int, tag: str = "v") -> bytes:
    return b"".join(f'<{E}s{i}> <{E}p> "{tag}{i}" .\n'.encode() for i in range(n))


def test_every_quad_of_a_graph_larger_than_a_batch_and_the_pipe_arrives(monkeypatch):
    monkeypatch.setattr(embedded, "LOAD_BATCH", 1000)  # 25 batches; the pipe (64 KB) fills many times over
    old, new = ox.Store(), ox.Store()
    old.bulk_load(_lines(25_000), ox.RdfFormat.N_TRIPLES, to_graph=G)
    old.add(ox.Quad(ox.NamedNode(f"{E}x"), ox.NamedNode(f"{E}p"), ox.Literal("in another graph")))
    embedded._copy_graph(old, new, G)
    assert set(new) == set(old.quads_for_pattern(None, None, None, G)) and len(new) == 25_000


class _Dumps:
    """An old store whose dump writes ``data`` and then raises ``error`` (if any)."""

    def __init__(self, data: bytes, error: BaseException | None = None):
        self.data, self.error = data, error

    def dump(self, out, fmt, from_graph=None):
        assert fmt == ox.RdfFormat.N_TRIPLES and from_graph == G
        out.write(self.data)
        if self.error is not None:
            raise self.error


def test_a_dump_that_fails_is_raised_after_what_came_before_it_is_loaded():
    new = ox.Store()
    with pytest.raises(OSError, match="the disk"):
        embedded._copy_graph(_Dumps(_lines(10), OSError("the disk")), new, G)
    assert len(new) == 10  # loaded, in a store the caller removes (write_graph: nothing is swapped in)
    assert not [t for t in threading.enumerate() if t.name == "ngograph-dump"]


def test_a_load_that_fails_ends_a_dump_still_writing(monkeypatch):
    """Text the loader refuses at once, then megabytes more: the dump, blocked on the full pipe, ends with a broken
    pipe when the loader stops reading; the loader's error is raised, not the dump's."""
    monkeypatch.setattr(embedded, "LOAD_BATCH", 10)
    bad = b"this is not N-Triples\n" + _lines(200_000)
    with pytest.raises(SyntaxError):
        embedded._copy_graph(_Dumps(bad), ox.Store(), G)
    assert not [t for t in threading.enumerate() if t.name == "ngograph-dump"]


def test_a_dump_that_fails_mid_line_is_the_error_raised_not_the_loaders():
    """The dump writes half a line and fails: the loader stops on the line cut short, but the dump's error is the one
    raised (the loader's is its context)."""
    cut = _lines(5) + b'<https://example.org/s5> <https://example.org/p> "v'
    with pytest.raises(OSError, match="the disk") as raised:
        embedded._copy_graph(_Dumps(cut, OSError("the disk")), ox.Store(), G)
    assert isinstance(raised.value.__context__, SyntaxError)


def test_an_interrupt_while_loading_ends_the_dump_and_is_raised(monkeypatch):
    """Ctrl-C in the loader's thread (the caller's) while the dump still has megabytes to write: the reading end is
    closed, the dump ends with a broken pipe, and KeyboardInterrupt is what the caller gets."""
    def interrupted(store, graph, batches, lenient=False):
        next(iter(batches))
        assert [t.name for t in threading.enumerate() if t.name == "ngograph-dump" and t.is_alive()] == ["ngograph-dump"]
        raise KeyboardInterrupt

    monkeypatch.setattr(embedded, "_load_behind", interrupted)
    monkeypatch.setattr(embedded, "LOAD_BATCH", 10)  # the first batch is read; the dump, blocked on the pipe, waits
    with pytest.raises(KeyboardInterrupt):
        embedded._copy_graph(_Dumps(_lines(200_000)), ox.Store(), G)
    assert not [t for t in threading.enumerate() if t.name == "ngograph-dump"]


def test_no_thread_for_the_dump_closes_the_pipe_and_says_why(monkeypatch):
    """The thread for the dump cannot start (too many threads): that error is raised, and both ends of the pipe are
    closed (no descriptor is left open)."""
    import os

    def refused(self):
        raise RuntimeError("can't start new thread")

    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(threading.Thread, "start", refused)
    with pytest.raises(RuntimeError, match="can't start new thread"):
        embedded._copy_graph(_Dumps(_lines(3)), ox.Store(), G)
    monkeypatch.undo()
    assert len(os.listdir("/proc/self/fd")) == before


def test_an_interrupt_as_the_dump_starts_leaves_no_thread_and_no_descriptor(monkeypatch):
    """Ctrl-C just after the dump's thread started (before the caller reads): both ends of the pipe are closed, so the
    dump, megabytes from its end, stops at once; no thread and no descriptor is left behind."""
    import os

    real_start = threading.Thread.start

    def started_then_interrupted(self):
        real_start(self)
        raise KeyboardInterrupt

    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(threading.Thread, "start", started_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        embedded._copy_graph(_Dumps(_lines(200_000)), ox.Store(), G)
    monkeypatch.undo()
    for t in [t for t in threading.enumerate() if t.name == "ngograph-dump"]:
        t.join(timeout=10)
        assert not t.is_alive()
    assert len(os.listdir("/proc/self/fd")) == before
