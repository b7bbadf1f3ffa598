"""Issue 8, the store and written files: the quality checks gate the build; old and abandoned
stores are removed, never from under a reader; unusable store and output paths give one line
and exit code 2; written files follow the umask."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ngograph import cli
from ngograph.cli import main
from ngograph.errors import ConfigError, StoreError
from ngograph.publish.export import export_store
from ngograph.publish.describe import description_graph
from ngograph.fsutil import atomic_write_bytes
from ngograph.store.embedded import LOCK_NAME, open_store, read_graph, triple_count, write_store

A = b'<https://example.org/a> <https://example.org/p> "1" .\n'
B = A + b'<https://example.org/b> <https://example.org/p> "2" .\n'
C = B + b'<https://example.org/c> <https://example.org/p> "3" .\n'

def _stores(link: Path) -> list[str]:
    return sorted(os.listdir(link.parent / "stores"))


def _last_line(err: str) -> str:
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


# ---------------------------------------------------------------------------- item 1: QC gate

def test_build_refuses_a_graph_with_quality_check_violations(data_copy, tmp_path, capsys, monkeypatch):
    from rdflib import URIRef

    import ngograph.rdf.build as build
    from ngograph.records.check import load_records
    from ngograph.validate.shacl import validate_graph

    store = tmp_path / "store"
    assert main(["build", "--data", str(data_copy), "--store", str(store)]) == 0
    before, count = os.readlink(store), triple_count(store)
    real_build = build.build_graph

    def build_with_a_stray_member(records, base):  # a schema:member shortcut with no participation behind it
        built = real_build(records, base)
        stray = f"<{base}project/red-cross-family-inclusion> <https://schema.org/member> <{base}organisation/b-creative> .\n"
        return build.Built(built.nt + stray.encode(), built.locations)

    monkeypatch.setattr(build, "build_graph", build_with_a_stray_member)
    built = build.build_graph(load_records(data_copy), "https://w3id.org/ngograph/id/")
    assert validate_graph(built.graph, built.locations).conforms, "the fixture passes SHACL"
    capsys.readouterr()

    assert main(["build", "--data", str(data_copy), "--store", str(store)]) == 1
    out, err = capsys.readouterr()
    assert "qc:member-shortcut-violation" in out and "missing=participation" in out
    assert "seed-001.yaml:5: project/red-cross-family-inclusion:" in out
    assert "organisation=" in out and "b-creative" in out
    assert "1 violation(s)" in out
    assert "store at" in err and "is unchanged" in err
    assert os.readlink(store) == before and triple_count(store) == count
    assert _stores(store) == [os.path.basename(before)], "nothing half-written"


TWIN = """  - id: b-creative-twin
    name: {en: b-Creative Cultural Association}
    country: DK
    type: ngo
    sources: [seed-000]
"""


def test_two_organisations_with_one_name_are_a_warning_not_a_failure(data_copy, tmp_path, capsys):
    """Real registries have homonyms: the same-name check is a SHACL warning, no longer a QC violation. (The twin
    is in another country: in one, reconciliation merges the two, and one organisation has no homonym.)"""
    orgs = data_copy / "organisations.yaml"
    text = orgs.read_text(encoding="utf-8")
    orgs.write_text(text.replace("  - id: belarus-red-cross\n", TWIN + "  - id: belarus-red-cross\n", 1), encoding="utf-8")
    store = tmp_path / "store"
    assert main(["build", "--data", str(data_copy), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["validate", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "ngosh:OrganisationSameNameShape" in out
    line = text.splitlines().index("  - id: b-creative") + 1
    assert f"organisations.yaml:{line}: organisation/b-creative" in out and "b-creative-twin" in out


# ---------------------------------------------------------------------------- item 2: clean-up

def test_default_build_leaves_exactly_one_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NGOGRAPH_STORE", raising=False)
    assert main(["build", "--example"]) == 0  # no data/ in the working folder: the shipped example
    assert main(["build", "--example"]) == 0
    link = Path(".ngograph/store")
    assert _stores(link) == [os.path.basename(os.readlink(link))]


def test_store_from_before_the_locks_is_removed(tmp_path):
    link = tmp_path / "store"
    legacy = tmp_path / "stores" / "store-20200101T000000-0123abcd"
    legacy.mkdir(parents=True)
    (legacy / "CURRENT").write_text("MANIFEST-000001\n")  # no lock file: left by an older ngograph
    other = tmp_path / "stores" / "other-20200101T000000-0123abcd"  # another link's store: not ours
    other.mkdir()
    new = write_store(link, A)
    assert _stores(link) == sorted([new.name, other.name])


def test_reader_in_this_process_keeps_its_store(tmp_path):
    link = tmp_path / "store"
    first = write_store(link, A)
    held = open_store(link)
    second = write_store(link, B)
    assert first.exists() and len(held) == 1, "a build does not remove a store that is open"
    held.close()
    third = write_store(link, C)
    assert _stores(link) == [third.name], "closed: removed by the next build"
    assert not second.exists()


READER = """
import sys
import pyoxigraph as ox
from ngograph.store.embedded import open_store
store = open_store(sys.argv[1])
count = lambda: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
print(count(), flush=True)
sys.stdin.readline()
print(count(), flush=True)
"""


def test_reader_process_survives_a_rebuild(tmp_path):
    link = tmp_path / "store"
    old = write_store(link, A)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(link)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "1"
        new = write_store(link, B)
        assert old.exists(), "the reader's store stays while it is open"
        assert triple_count(link) == 2, "new readers see the new graph"
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1", "the reader still reads the old graph"
        assert reader.wait(timeout=30) == 0
    finally:
        reader.kill()
        reader.wait()
    last = write_store(link, C)
    assert not old.exists() and not new.exists()
    assert _stores(link) == [last.name]


KILLED = """
import sys, time, types
import pyoxigraph as ox
import ngograph.store.embedded as st

class Slow:
    read_only = staticmethod(ox.Store.read_only)

    def __init__(self, path):
        self.store = ox.Store(path)
    def bulk_load(self, *args, **kwargs):
        self.store.bulk_load(*args, **kwargs)
        print("loading", flush=True)
        time.sleep(120)

st.ox = types.SimpleNamespace(Store=Slow, RdfFormat=ox.RdfFormat, DefaultGraph=ox.DefaultGraph)
st.write_store(sys.argv[1], sys.stdin.buffer.read())
"""


def test_killed_build_leaves_nothing_after_the_next_build(tmp_path):
    link = tmp_path / "store"
    write_store(link, A)
    builder = subprocess.Popen([sys.executable, "-c", KILLED, str(link)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    try:
        builder.stdin.write(B)
        builder.stdin.close()
        assert builder.stdout.readline().strip() == b"loading"
        assert len(_stores(link)) == 2, "the half-written store is there"
        before = os.readlink(link)
        assert triple_count(link) == 1
    finally:
        builder.send_signal(signal.SIGKILL)
        builder.wait()
    assert os.readlink(link) == before, "the killed build did not touch the link"
    last = write_store(link, C)
    assert _stores(link) == [last.name]
    assert sorted(os.listdir(last)).count(LOCK_NAME) == 1


# ---------------------------------------------------------------------------- item 3: one line, exit 2

@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, a location nobody can write")
def test_unwritable_store_location_is_one_line(capsys):
    with pytest.raises(StoreError, match=r"cannot write the store at /proc/x: .*choose a writable --store"):
        write_store(Path("/proc/x"), A)
    assert main(["build", "--store", "/proc/x"]) == 2
    assert _last_line(capsys.readouterr().err).startswith("ngograph build: cannot write the store at /proc/x:")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="permission bits do not stop root")
def test_store_in_a_folder_without_write_permission(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StoreError, match="Permission denied"):
        write_store(locked / "store", A)


def test_store_path_under_a_regular_file(tmp_path):
    (tmp_path / "somefile").write_text("x")
    with pytest.raises(StoreError, match=r"cannot write the store at .*somefile/store: Not a directory"):
        write_store(tmp_path / "somefile" / "store", A)
    with pytest.raises(StoreError, match=r"somefile is a file, not an ngograph store link"):
        write_store(tmp_path / "somefile", A)


def test_corrupt_store_is_one_line(tmp_path, capsys):
    link = tmp_path / "store"
    write_store(link, A)
    (link / "CURRENT").write_bytes(b"\x00garbage")
    with pytest.raises(StoreError, match="cannot open the store at .*Corruption"):
        read_graph(link)
    for verb in (["summary"], ["validate"], ["export", "--output", str(tmp_path / "x.ttl")]):
        assert main([*verb, "--store", str(link)]) == 2
        line = _last_line(capsys.readouterr().err)
        assert line.startswith(f"ngograph {verb[0]}: cannot open the store at {link}: Corruption")
    assert not (tmp_path / "x.ttl").exists()


def test_export_output_that_is_a_folder_or_under_a_file(tmp_path, capsys):
    link = tmp_path / "store"
    write_store(link, A)
    assert main(["export", "--store", str(link), "--output", str(tmp_path)]) == 2
    assert _last_line(capsys.readouterr().err) == \
        f"ngograph export: {tmp_path} is a folder: give a file name to write, e.g. {tmp_path / 'name.ext'}"
    (tmp_path / "somefile").write_text("x")
    target = tmp_path / "somefile" / "x.ttl"
    assert main(["export", "--store", str(link), "--output", str(target)]) == 2
    assert _last_line(capsys.readouterr().err) == f"ngograph export: {target}: a file stands where a folder is needed"
    assert sorted(os.listdir(tmp_path)) == [".store.writer", "somefile", "store", "stores"]


def test_main_turns_os_errors_into_one_line_but_not_bugs(monkeypatch, capsys):
    def denied(args):
        raise PermissionError(13, "Permission denied", "/srv/out.ttl")

    monkeypatch.setattr(cli, "cmd_summary", denied)
    assert main(["summary"]) == 2
    assert capsys.readouterr().err == "ngograph summary: /srv/out.ttl: Permission denied\n"

    def bug(args):
        raise ValueError("a real bug")

    monkeypatch.setattr(cli, "cmd_summary", bug)
    with pytest.raises(ValueError, match="a real bug"):
        main(["summary"])


def test_atomic_write_refuses_a_folder(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        atomic_write_bytes(tmp_path, b"x")


# ---------------------------------------------------------------------------- item 4: the umask

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path, umask, mode):
    link = tmp_path / "store"
    write_store(link, A)
    old = os.umask(umask)
    try:
        written = atomic_write_bytes(tmp_path / "figure.png", b"png")
        exported, n = export_store(link, tmp_path / "out" / "graph.ttl")
        (tmp_path / "again.nt").write_bytes(b"")
        os.chmod(tmp_path / "again.nt", 0o600)  # an existing file is replaced by one with the usual mode
        replaced = atomic_write_bytes(tmp_path / "again.nt", b"x")
    finally:
        os.umask(old)
    with open_store(link) as s:
        assert n == 1 + len(description_graph(s.store))  # the triple and the dataset's description
    assert [oct(p.stat().st_mode & 0o777) for p in (written, exported, replaced)] == [oct(mode)] * 3
