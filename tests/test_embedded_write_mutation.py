"""Mutation survivors of the write path of ngograph/store/embedded.py (tools/mutation.py, issue 14): ``_replace``,
``_remove_new_store``, ``_swap``, ``_check_link``, ``write_graph``, ``write_store``, ``_load_behind``, ``_copy_graph``,
``_copy_graphs``, ``small_beside``, ``quads_at_most`` and ``_clean``. The atomicity that keeps data from being lost:
a ``fill`` or ``finish`` that fails leaves the link, the store folders and the content as they were, with no
``.new`` folder, and lets the next writer in; a checkpoint and a fresh copy give the same content; the writer
lock; what a clean-up removes and what it leaves. Real stores in tmp_path; the failing ``finish`` functions are
the caller's."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import threading
import time

import pyoxigraph as ox
import pytest

from ngograph.errors import StoreError
from ngograph.store import embedded
from ngograph.store.embedded import (BUILD_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH, LOCK_NAME, VOCAB_GRAPH,
                                     _clean, _load_behind, open_store, quads_at_most, small_beside,
                                     write_graph, write_store)

E = "https://example.org/"
P = ox.NamedNode(f"{E}p")
G, H = ox.NamedNode(f"{E}dataset/g"), ox.NamedNode(f"{E}dataset/h")
STORE_NAME = r"store-\d{8}T\d{6}-[0-9a-f]{8}"


def line(n: int, s: str = "s") -> bytes:
    return f"<{E}{s}{n}> <{E}p> \"{n}\" .\n".encode()


def lines(ns, s: str = "s") -> bytes:
    return b"".join(line(n, s) for n in ns)


def content(link) -> list[tuple[str, str, str, str]]:
    """Every quad of the store but the generations' values: (graph or "", subject, predicate, object), sorted."""
    with open_store(link) as s:
        return sorted((q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "",
                       q.subject.value, q.predicate.value, q.object.value)
                      for q in s if q.graph_name != GENERATIONS_GRAPH)


def generations(link) -> dict[str, str]:
    with open_store(link) as s:
        found = [(q.subject.value, q.object.value) for q in s.quads_for_pattern(None, None, None, GENERATIONS_GRAPH)
                 if not q.subject.value.startswith(embedded._WRITTEN)]  # the lines written: test_embedded_mutation3
    assert len(found) == len(dict(found)), "one generation a graph"
    return dict(found)


def quad(graph, n: int, s: str = "s") -> tuple[str, str, str, str]:
    return (graph.value if graph is not None else "", f"{E}{s}{n}", f"{E}p", str(n))


def state(link) -> tuple:
    """What a failed write must leave as it was: the link's target, every entry beside the link and in stores/."""
    return (os.readlink(link), sorted(os.listdir(link.parent)), sorted(os.listdir(link.parent / "stores")))


# --- quads_at_most, small_beside -------------------------------------------------------------------------------

def test_quads_at_most_counts_every_graph_up_to_the_limit():
    s = ox.Store()
    s.extend([ox.Quad(ox.NamedNode(f"{E}a"), P, ox.Literal(str(n)), g)
              for n, g in enumerate([None, None, G, H, BUILD_GRAPH])])
    assert [quads_at_most(s, limit) for limit in (100, 6, 5, 4, 1, 0, -3)] == [5, 5, 5, 4, 1, 0, 0]
    assert quads_at_most(s, 2.7) == 2
    assert quads_at_most(ox.Store(), 10) == 0


@pytest.mark.parametrize("n,rest,small", [(0, 0, True), (0, 5, True), (1, 15, False), (1, 16, True),
                                          (2, 30, False), (2, 31, True), (3, 0, False)])
def test_small_beside_weighs_the_graph_against_fifteen_times_its_size(n, rest, small):
    s = ox.Store()
    s.extend([ox.Quad(ox.NamedNode(f"{E}g{i}"), P, ox.Literal("1"), G) for i in range(n)])
    # the rest in every kind of graph: default, another source, the store's own
    others = [None, H, BUILD_GRAPH]
    s.extend([ox.Quad(ox.NamedNode(f"{E}r{i}"), P, ox.Literal("1"), others[i % 3]) for i in range(rest)])
    assert small_beside(s, G) is small


# --- write_graph: a checkpoint or a fresh copy, the same content ------------------------------------------------

def _seeded(tmp_path):
    link = tmp_path / "store"
    write_store(link, lines(range(3), "d"), build_nt=lines([1], "b"), vocab_nt=lines([1], "v"))
    write_graph(link, G, [lines(range(2), "g")])
    write_graph(link, H, [lines(range(2), "h")])
    raw = ox.Store(str(link.resolve()))  # a description, as a build's finish step writes it
    raw.add(ox.Quad(ox.NamedNode(f"{E}x"), P, ox.Literal("described"), DESCRIPTION_GRAPH))
    raw.flush()
    del raw
    return link


@pytest.mark.parametrize("remove_cost", [0, 10**6], ids=["checkpoint", "fresh-copy"])
def test_replacing_a_graph_in_a_checkpoint_or_a_fresh_copy_gives_the_same_content(tmp_path, monkeypatch, remove_cost):
    monkeypatch.setattr(embedded, "_REMOVE_COST", remove_cost)
    monkeypatch.setattr(embedded, "LOAD_BATCH", 2)  # the copy loads 2 lines at a time
    link = _seeded(tmp_path)
    gens = generations(link)
    with open_store(link) as s:
        assert small_beside(s.store, G) is (remove_cost == 0)
    write_graph(link, G, iter([line(7, "g"), line(8, "g")]))
    assert content(link) == sorted([
        *(quad(None, n, "d") for n in range(3)), quad(BUILD_GRAPH, 1, "b"), quad(VOCAB_GRAPH, 1, "v"),
        quad(G, 7, "g"), quad(G, 8, "g"), quad(H, 0, "h"), quad(H, 1, "h"),
        (DESCRIPTION_GRAPH.value, f"{E}x", f"{E}p", "described")])
    now = generations(link)
    assert sorted(now) == [G.value, H.value] and now[H.value] == gens[H.value] and now[G.value] != gens[G.value]
    assert [n for n in os.listdir(link.parent / "stores") if n.startswith(".")] == []  # no copy file left
    write_graph(link, H, None)  # dropped, generation and all
    assert [q for q in content(link) if q[0] == H.value] == [] and sorted(generations(link)) == [G.value]


@pytest.mark.parametrize("remove_cost, batches, compacted", [
    (0, [line(7, "g"), line(8, "g")], False),  # two lines into a checkpoint: as many as one batch holds
    (0, [line(7, "g"), line(8, "g"), line(9, "g")], True),  # three: more than one batch
    (10**6, [line(7, "g")], True),  # the rest of the store copied in batches
], ids=["one-batch", "more-batches", "fresh-copy"])
def test_a_write_of_more_than_one_batch_or_a_copy_is_compacted_after_finish(tmp_path, monkeypatch, remove_cost,
                                                                          batches, compacted):
    """Compacted at the end, after the caller's ``finish`` wrote into the new store, once, with the content kept."""
    monkeypatch.setattr(embedded, "_REMOVE_COST", remove_cost)
    monkeypatch.setattr(embedded, "LOAD_BATCH", 2)
    link = _seeded(tmp_path)
    before = [q for q in content(link) if q[0] != G.value and q[0] != GENERATIONS_GRAPH.value]
    calls = []
    real = embedded._compact

    def compact(store):
        calls.append(("compact", len(store)))
        real(store)

    monkeypatch.setattr(embedded, "_compact", compact)
    write_graph(link, G, iter(batches), lambda store: calls.append(("finish", len(store))))
    finished = [n for what, n in calls if what == "finish"]
    assert calls == [("finish", finished[0])] + ([("compact", finished[0])] if compacted else [])
    after = content(link)
    assert [q for q in after if q[0] == G.value] == sorted(quad(G, n, "g") for n in range(7, 7 + len(batches)))
    assert [q for q in after if q[0] != G.value and q[0] != GENERATIONS_GRAPH.value] == before


def test_a_graph_written_into_an_empty_store_folder_and_the_default_graph_copied(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "_REMOVE_COST", 10**6)
    link = tmp_path / "deep" / "er" / "store"  # no folder yet: made for the lock and the stores
    write_graph(str(link), G, [line(1, "g")])  # a path as text
    assert content(link) == [quad(G, 1, "g")] and list(generations(link)) == [G.value]
    write_graph(link, G, [line(2, "g")])  # a fresh store: nothing else to copy
    assert content(link) == [quad(G, 2, "g")]
    write_graph(link, H, [line(1, "h")])
    write_graph(link, G, [line(3, "g")])  # copied: h stays
    assert content(link) == [quad(G, 3, "g"), quad(H, 1, "h")]


# --- write_store: the curated graphs replaced, the rest carried over ------------------------------------------

def test_a_build_without_imports_replaces_the_curated_graphs_and_carries_the_description(tmp_path):
    link = tmp_path / "store"
    write_store(link, lines([1], "d"), build_nt=lines([1], "b"), vocab_nt=lines([1], "v"))
    raw = ox.Store(str(link.resolve()))
    raw.add(ox.Quad(ox.NamedNode(f"{E}x"), P, ox.Literal("described"), DESCRIPTION_GRAPH))
    raw.flush()
    del raw
    write_store(link, lines([2], "d"), build_nt=lines([2], "b"))  # no vocabularies this time
    assert content(link) == sorted([quad(None, 2, "d"), quad(BUILD_GRAPH, 2, "b"),
                                    (DESCRIPTION_GRAPH.value, f"{E}x", f"{E}p", "described")])
    assert generations(link) == {}
    write_store(link, lines([3], "d"), vocab_nt=lines([3], "v"))
    assert content(link) == sorted([quad(None, 3, "d"), quad(VOCAB_GRAPH, 3, "v"),
                                    (DESCRIPTION_GRAPH.value, f"{E}x", f"{E}p", "described")])


def test_a_build_with_imports_replaces_the_curated_graphs_in_a_checkpoint(tmp_path):
    link = _seeded(tmp_path)
    gens = generations(link)
    write_store(link, lines([5], "d"), build_nt=lines([5], "b"), vocab_nt=lines([5], "v"))
    assert content(link) == sorted([
        quad(None, 5, "d"), quad(BUILD_GRAPH, 5, "b"), quad(VOCAB_GRAPH, 5, "v"),
        quad(G, 0, "g"), quad(G, 1, "g"), quad(H, 0, "h"), quad(H, 1, "h"),
        (DESCRIPTION_GRAPH.value, f"{E}x", f"{E}p", "described")])
    assert generations(link) == gens
    write_store(link, lines([6], "d"))  # without build and vocabulary graphs: the old ones go
    assert [q for q in content(link) if q[0] in ("", BUILD_GRAPH.value, VOCAB_GRAPH.value)] == [quad(None, 6, "d")]


# --- _replace: the new store, the link, the lock, and failures ----------------------------------------------

def test_a_write_names_the_store_by_time_links_it_relatively_and_leaves_one_store(tmp_path):
    link = tmp_path / "store"
    first = write_store(link, line(1))
    assert re.fullmatch(STORE_NAME, first.name) and first.parent == tmp_path / "stores"
    assert os.readlink(link) == f"stores/{first.name}"
    second = write_store(link, line(2))
    assert re.fullmatch(STORE_NAME, second.name) and second != first
    assert os.readlink(link) == f"stores/{second.name}"
    assert sorted(os.listdir(tmp_path)) == [".store.writer", "store", "stores"]  # no .link left
    assert os.listdir(tmp_path / "stores") == [second.name] and LOCK_NAME in os.listdir(second)


def test_the_new_store_is_a_hidden_new_folder_locked_while_it_is_filled(tmp_path):
    link = tmp_path / "store"
    current = write_store(link, line(1))
    seen = []

    def finish(store: ox.Store) -> None:
        (work,) = [d for d in (tmp_path / "stores").iterdir() if d != current]
        fd = os.open(work / LOCK_NAME, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # the writer holds it exclusively
        finally:
            os.close(fd)
        seen.append((work.name, len(store)))

    new = write_store(link, lines([1, 2]), finish=finish)
    ((name, size),) = seen
    assert re.fullmatch(rf"\.{STORE_NAME}\.new", name) and name == f".{new.name}.new" and size == 2
    fd = os.open(new / LOCK_NAME, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released once written
    finally:
        os.close(fd)


class Refused(Exception):
    pass


@pytest.mark.parametrize("write", ["store-finish", "graph-finish", "graph-batches", "store-checkpoint-finish"])
def test_a_failing_fill_or_finish_leaves_everything_as_it_was_and_the_next_writer_in(tmp_path, write):
    link = _seeded(tmp_path) if write == "store-checkpoint-finish" else tmp_path / "store"
    if write != "store-checkpoint-finish":
        write_store(link, line(1, "d"))
        write_graph(link, G, [line(1, "g")])
    before, quads, gens = state(link), content(link), generations(link)

    def refuse(store):
        assert len(store) > 0  # called with the new store, filled
        raise Refused("no")

    def batches():
        yield line(2, "g")
        raise Refused("no")

    with pytest.raises(Refused):
        if write.startswith("store"):
            write_store(link, line(2, "d"), finish=refuse)
        elif write == "graph-finish":
            write_graph(link, G, [line(2, "g")], finish=refuse)
        else:
            write_graph(link, G, batches())
    assert state(link) == before and content(link) == quads and generations(link) == gens
    assert not any(n.endswith(".new") for n in os.listdir(link.parent / "stores"))
    write_graph(link, H, [line(1, "h")])  # the writer lock was let go
    assert quad(H, 1, "h") in content(link)


def test_an_os_error_is_one_line_naming_the_store_and_other_errors_pass_unchanged(tmp_path):
    link = tmp_path / "store"
    write_store(link, line(1))
    before = state(link)

    def full(store):
        raise OSError(errno.ENOSPC, "No space left on device", "/somewhere/else")

    with pytest.raises(StoreError) as e:
        write_store(link, line(2), finish=full)
    assert str(e.value) == (f"cannot write the store at {link}: No space left on device (/somewhere/else); "
                            "choose a writable --store")
    assert e.value.__cause__ is None and e.value.__suppress_context__

    def refused(store):
        raise StoreError("refused as it is")

    with pytest.raises(StoreError, match="^refused as it is$"):
        write_store(link, line(2), finish=refused)
    assert state(link) == before and content(link) == [quad(None, 1)]


def test_a_second_writer_is_refused_while_one_holds_the_writer_lock(tmp_path):
    link = tmp_path / "store"
    write_store(link, line(1))
    before = state(link)
    fd = os.open(tmp_path / ".store.writer", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        for write in (lambda: write_store(link, line(2)), lambda: write_graph(link, G, [line(1, "g")])):
            with pytest.raises(StoreError) as e:
                write()
            assert str(e.value) == (f"another build or import is writing the store at {link}; "
                                    "run this again when it ends")
            assert state(link) == before
    finally:
        os.close(fd)
    write_store(link, line(2))
    assert content(link) == [quad(None, 2)]


def test_only_a_store_link_is_replaced(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as e:
        write_graph(tmp_path / "folder", G, [line(1)])
    assert str(e.value) == (f"{tmp_path / 'folder'} is a directory, not an ngograph store link; "
                            "move it away or choose --store")
    with pytest.raises(StoreError) as e:
        write_store(tmp_path / "file", line(1))
    assert str(e.value) == f"{tmp_path / 'file'} is a file, not an ngograph store link; move it away or choose --store"
    assert sorted(os.listdir(tmp_path)) == ["file", "folder"]  # refused before the writer lock is made


def test_a_store_replaced_under_a_reader_stays_until_the_reader_closes(tmp_path):
    link = tmp_path / "store"
    first = write_store(link, line(1))
    with open_store(link) as reader:
        second = write_store(link, line(2))
        assert sorted(os.listdir(tmp_path / "stores")) == sorted([first.name, second.name])
        assert len(reader) == 1
    third = write_store(link, line(3))
    assert os.listdir(tmp_path / "stores") == [third.name]


# --- _load_behind -----------------------------------------------------------------------------------------------

def test_two_loaders_load_behind_the_reader_into_the_graph_given(tmp_path):
    store = ox.Store()
    seen = []

    def batches():
        for n in range(6):
            seen.append(sorted(t.name for t in threading.enumerate() if t.name.startswith("ngograph-load-")))
            yield line(n)

    _load_behind(store, G, batches())
    _load_behind(store, ox.DefaultGraph(), iter([line(9)]))
    assert seen == [["ngograph-load-0", "ngograph-load-1"]] * 6
    assert sorted((q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", q.object.value)
                  for q in store) == [("", "9"), *((G.value, str(n)) for n in range(6))]
    assert not any(t.name.startswith("ngograph-load-") for t in threading.enumerate())


def test_at_most_one_batch_waits_beside_the_two_being_loaded():
    """Memory stays flat: while both loaders are busy the reader makes one batch more, which waits, and holds the
    next until a loader is free (4 batches made, not the whole source)."""
    release, loaded, pulled = threading.Event(), [], []

    class Busy:  # a store whose loads last until released
        def bulk_load(self, batch, fmt, to_graph=None, lenient=False):
            assert release.wait(10)
            loaded.append(batch)

    def batches():
        for n in range(10):
            pulled.append(n)
            yield line(n)

    worker = threading.Thread(target=_load_behind, args=(Busy(), G, batches()))
    worker.start()
    steady = 0
    while steady < 30:  # until the reader has made no batch for 0.3 s
        before = len(pulled)
        time.sleep(0.01)
        steady = steady + 1 if len(pulled) == before else 0
    assert len(pulled) == 4 and loaded == []
    release.set()
    worker.join(10)
    assert sorted(loaded) == [line(n) for n in range(10)]


def test_a_loader_that_fails_stops_the_reading_and_its_error_is_raised():
    pulled = []

    def endless():
        yield b"<not N-Triples\n"
        while True:
            pulled.append(1)
            yield line(len(pulled))

    with pytest.raises(SyntaxError):
        _load_behind(ox.Store(), G, endless())
    assert len(pulled) < 10**6


# --- _clean -----------------------------------------------------------------------------------------------------

def test_clean_removes_what_no_one_holds_of_this_link_and_leaves_everything_else(tmp_path):
    link = tmp_path / "store"
    current = write_store(link, line(1))
    stores = tmp_path / "stores"
    t = "20200101T000000-0123abcd"
    removed = [f"store-{t}", f".store-{t}.new", f".store-{t}.old", "store-20200101T000000-0123abce"]
    kept = [f"store-{t}.new", f".store-{t}", f"other-{t}", "store-2020-0123abcd", "store-20200101T000000-0123ABCD",
            "store-20200101T00000-0123abcd", f"store-{t}x", f"xstore-{t}"]
    for name in (*removed, *kept):
        (stores / name).mkdir()
    (stores / ".copy.abc.nt").write_text("x", encoding="utf-8")  # a killed writer's copy
    (stores / ".copy.abc.txt").write_text("x", encoding="utf-8")
    (stores / ".copy.dir.nt").mkdir()
    (stores / "store-20200101T000000-89abcdef").write_text("x", encoding="utf-8")  # a file, not a store
    (stores / "store-20200101T000000-89abcdee").symlink_to(stores / f"other-{t}")
    held = ["store-20200101T000000-0123abc0", ".store-20200101T000000-0123abc1.new"]
    fds = []
    for name in held:  # a reader, and a writer still writing
        (stores / name).mkdir()
        fd = os.open(stores / name / LOCK_NAME, os.O_RDONLY | os.O_CREAT, 0o666)
        fcntl.flock(fd, fcntl.LOCK_SH)
        fds.append(fd)
    try:
        _clean(link)
    finally:
        for fd in fds:
            os.close(fd)
    assert sorted(os.listdir(stores)) == sorted([
        current.name, *kept, *held, ".copy.abc.txt", ".copy.dir.nt", "store-20200101T000000-89abcdef",
        "store-20200101T000000-89abcdee"])
    assert (stores / current.name / LOCK_NAME).exists() and content(link) == [quad(None, 1)]
    _clean(link)  # let go: the reader's and the writer's are removed now
    assert not any((stores / name).exists() for name in held)


def _open_in(folder) -> list[str]:
    """The files of ``folder`` (or of any folder under it) this process has open."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}{os.sep}"):
            out.append(target)
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc/self/fd")
def test_a_failed_write_closes_the_unfinished_store_though_the_error_still_holds_its_frames(tmp_path):
    link = tmp_path / "store"
    write_store(link, line(1))

    def finish(store: ox.Store) -> None:
        kept = store  # noqa: F841 (a frame of the traceback that refers to the new store)
        raise Refused("no")

    with pytest.raises(Refused) as e:
        write_graph(link, G, [line(1, "g")], finish=finish)
    assert e.value.__traceback__ is not None  # the error is held, with its frames
    assert [p for p in _open_in(tmp_path / "stores") if ".new" in p] == []  # closed, not only removed
    assert not any(n.endswith(".new") for n in os.listdir(tmp_path / "stores"))


def test_a_stores_folder_that_cannot_be_made_is_one_line_naming_it(tmp_path):
    (tmp_path / "stores").write_text("x", encoding="utf-8")  # a file where the stores folder goes
    with pytest.raises(StoreError) as e:
        write_store(tmp_path / "store", line(1))
    assert str(e.value) == (f"cannot write the store at {tmp_path / 'store'}: File exists ({tmp_path / 'stores'}); "
                            "choose a writable --store")
    assert (tmp_path / "stores").read_text(encoding="utf-8") == "x" and not (tmp_path / "store").exists()


def _shared_files(old, new) -> int:
    """How many files of the store folder ``new`` are hard links to files of ``old`` (a checkpoint's are)."""
    def inodes(d):
        return {os.stat(d / f).st_ino for f in os.listdir(d) if (d / f).is_file() and f != LOCK_NAME}
    return len(inodes(old) & inodes(new))


def test_a_checkpoint_where_the_rest_stays_and_a_fresh_store_where_it_does_not(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "_REMOVE_COST", 10**6)  # g is never small beside the rest once written
    link = tmp_path / "store"
    write_store(link, line(1, "d"), build_nt=line(1, "b"))
    steps = {"build without imports": lambda: write_store(link, line(2, "d"), build_nt=line(2, "b")),
             "new graph": lambda: write_graph(link, G, [line(1, "g")]),
             "graph rewritten": lambda: write_graph(link, G, [line(2, "g")]),
             "build with an import": lambda: write_store(link, line(3, "d"), build_nt=line(3, "b"))}
    shared = {}
    for step, write in steps.items():
        with open_store(link) as reader:  # the old store stays while it is read
            shared[step] = _shared_files(reader.directory, write())
    assert {step: n > 0 for step, n in shared.items()} == {
        "build without imports": False, "new graph": True, "graph rewritten": False, "build with an import": True}
    assert content(link) == sorted([quad(None, 3, "d"), quad(BUILD_GRAPH, 3, "b"), quad(G, 2, "g")])


# --- the copies of graphs (_copy_graph) -----------------------------------------------------------------------------

def test_a_fresh_copy_loads_each_graph_in_batches_and_leaves_no_file(tmp_path, monkeypatch):
    """The copy of the rest of the store (replacing a graph that is most of it) is loaded ``LOAD_BATCH`` lines at a
    time, so that memory stays flat, and leniently (the store wrote it), writing no file beside the stores; the new
    graph's batches come as they were given."""
    monkeypatch.setattr(embedded, "_REMOVE_COST", 10**6)
    monkeypatch.setattr(embedded, "LOAD_BATCH", 2)
    link = _seeded(tmp_path)
    stores = link.parent / "stores"
    seen = []
    real = embedded._load_behind

    def load(store, graph, batches, lenient=False):
        batches = list(batches)
        seen.append((graph.value if isinstance(graph, ox.NamedNode) else "", [b.count(b"\n") for b in batches],
                     sum(n.startswith(".copy.") for n in os.listdir(stores)), lenient))
        return real(store, graph, iter(batches), lenient=lenient)

    monkeypatch.setattr(embedded, "_load_behind", load)
    write_graph(link, G, iter([line(7, "g"), line(8, "g"), line(9, "g")]))
    assert seen == [("", [2, 1], 0, True), (H.value, [2], 0, True), (BUILD_GRAPH.value, [1], 0, True),
                    (DESCRIPTION_GRAPH.value, [1], 0, True), (GENERATIONS_GRAPH.value, [2, 2], 0, True),  # with the lines written
                    (VOCAB_GRAPH.value, [1], 0, True), (G.value, [1, 1, 1], 0, False)]
    assert [n for n in os.listdir(stores) if n.startswith(".")] == []
