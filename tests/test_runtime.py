"""The collector pause of ngograph/runtime.py: the import and the validator run with the cyclic collector
paused and leave it as they found it, also when they fail; the validation command with what it made in the oldest generation."""

from __future__ import annotations

import gc

import pytest

from ngograph.runtime import collector_paused


def test_the_collector_is_paused_inside_and_resumed_after_an_error():
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with collector_paused():
            assert not gc.isenabled()
            raise KeyError("x")
    assert gc.isenabled()


def _generations(objects: list) -> list[int]:
    """The generation of the collector each of ``objects`` is in (3: frozen)."""
    where = {id(o): n for n in range(3) for o in gc.get_objects(generation=n)}
    return [where.get(id(o), 3) for o in objects]


def test_a_promoting_pause_resumes_with_what_the_block_made_in_the_oldest_generation():
    """Left in the youngest generation, the objects made while the collector was paused were all walked at the next
    allocation after it: in the oldest, the collector walks them only in a full collection. Only where asked (a command
    that ends soon after); a plain pause leaves them young, and a promoting one leaves frozen objects frozen."""
    with collector_paused(promote=True):
        made = [[n] for n in range(1000)]
    assert set(_generations(made)) == {2} and gc.isenabled() and gc.get_freeze_count() == 0
    gc.collect()  # the generations' counts at naught: no collection of the middle one moves the block's objects on
    with collector_paused():
        young = [[n] for n in range(1000)]
    assert 2 not in _generations(young[-10:])
    gc.collect()
    gc.freeze()
    try:
        with collector_paused(promote=True):
            after = [[n] for n in range(1000)]
        assert gc.get_freeze_count() > 0 and 2 not in _generations(after[-10:])
    finally:
        gc.unfreeze()


def test_a_nested_pause_leaves_the_resuming_to_the_outer_one():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_validation_and_import_run_with_the_collector_paused(tmp_path, monkeypatch):
    import ngograph.store.imports as imports
    import ngograph.validate.fast as fast

    seen = []
    monkeypatch.setattr(imports, "write_graph", lambda *a, **k: seen.append(("import", gc.isenabled())))
    monkeypatch.setattr(fast, "compile_shapes", lambda *a, **k: seen.append(("validate", gc.isenabled())) or 1 / 0)
    f = tmp_path / "h2020.csv"
    f.write_text("rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,total_cost\n"
                 "1,coordinator,9,REC,1,DE,2020-01-01,2021-01-01,2,3\n", encoding="utf-8")
    imports.import_source(tmp_path / "store", "cordis", [f], "https://example.org/id/")
    import pyoxigraph as ox
    with pytest.raises(ZeroDivisionError):
        fast.validate_store(ox.Store())
    assert seen == [("import", False), ("validate", False)] and gc.isenabled()


def test_reconciliation_runs_with_the_collector_paused_and_pyshacl_with_it_running(monkeypatch, tmp_path):
    """reconcile_store pauses the collector (2.8 of 8.5 s on the imported store); the pySHACL path does
    not: rdflib and pySHACL make cyclic garbage in proportion to the graph (paused, +54 % peak memory on
    44,000 quads), so the CLI leaves the collector to each command's own functions."""
    import ngograph.reconcile.graph as reconcile
    from ngograph import cli
    from ngograph.validate import shacl

    seen = []
    monkeypatch.setattr(reconcile, "read_decisions", lambda *a: seen.append(("reconcile", gc.isenabled())) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        reconcile.reconcile_store(tmp_path / "store", "https://example.org/id/")
    monkeypatch.setattr(shacl, "validate_graph", lambda *a, **k: seen.append(("pyshacl", gc.isenabled())) or 1 / 0)
    parser = cli._parser

    def spying_parser():
        p = parser()
        p._subparsers._group_actions[0].choices["validate"].set_defaults(func=lambda args: shacl.validate_graph(None))
        return p
    monkeypatch.setattr(cli, "_parser", spying_parser)
    with pytest.raises(ZeroDivisionError):
        cli.main(["validate", "--engine", "pyshacl"])
    assert seen == [("reconcile", False), ("pyshacl", True)] and gc.isenabled()


# ---------------------------------------------------------------- the command's allocator

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import ngograph.runtime as runtime  # noqa: E402
from ngograph.errors import ConfigError  # noqa: E402
from ngograph.runtime import ALLOCATOR_OPTIONS, MIMALLOC, allocator_library, preload_allocator  # noqa: E402

#: What the command started again adds to the environment beside LD_PRELOAD: mimalloc's options, and their names.
_OPTIONS = {"MIMALLOC_LARGE_OS_PAGES": "1", "MIMALLOC_DECOMMIT_DELAY": "1000", "MIMALLOC_PURGE_DELAY": "1000",
            "NGOGRAPH_ALLOCATOR_OPTIONS": "MIMALLOC_LARGE_OS_PAGES MIMALLOC_DECOMMIT_DELAY MIMALLOC_PURGE_DELAY"}


def _library(path: Path) -> Path:
    path.write_bytes(b"\x7fELF" + bytes(60))  # begins as a shared library does
    return path


@pytest.fixture(autouse=True)
def _a_command_with_huge_pages(monkeypatch):
    """The command line preload_allocator reads: a command that takes every option (not pytest's own arguments)."""
    monkeypatch.setattr(sys, "argv", ["ngograph", "import", "iati"])


@pytest.fixture
def fresh(monkeypatch):
    """preload_allocator as in a new process (it acts once per process), on Linux; returns the execs it asked for."""
    monkeypatch.setattr(runtime, "_DONE", False)
    monkeypatch.setattr(sys, "platform", "linux")
    execs = []

    def call(env):
        monkeypatch.setattr(runtime, "_DONE", False)
        preload_allocator(env, execve=lambda *a: execs.append(a))
        return execs
    return call


def test_the_allocator_is_the_one_named_else_mimalloc_in_the_first_folder_that_has_it(tmp_path, monkeypatch):
    first, second, empty = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (first, second, empty):
        folder.mkdir()
    _library(first / MIMALLOC)
    _library(second / MIMALLOC)
    (empty / MIMALLOC).write_text("not a library")
    other = _library(tmp_path / "libother.so")
    assert allocator_library({}, [empty, second, first]) == str(second / MIMALLOC)
    assert allocator_library({}, [empty]) is None
    assert allocator_library({"NGOGRAPH_ALLOCATOR": "system"}, [first]) is None
    assert allocator_library({"NGOGRAPH_ALLOCATOR": f" {other} "}, [first]) == str(other)
    monkeypatch.chdir(tmp_path)  # a relative path is made absolute: the loader would look for it elsewhere
    assert allocator_library({"NGOGRAPH_ALLOCATOR": "libother.so"}, []) == str(other)
    with pytest.raises(ConfigError, match=r"^NGOGRAPH_ALLOCATOR=/nowhere/lib\.so: not a shared library \(.*or system"):
        allocator_library({"NGOGRAPH_ALLOCATOR": "/nowhere/lib.so"}, [first])
    for wrong in (str(first), str(empty / MIMALLOC)):  # a folder, a file that is no library
        with pytest.raises(ConfigError, match="not a shared library"):
            allocator_library({"NGOGRAPH_ALLOCATOR": wrong}, [])
    spaced = tmp_path / "my dir"
    spaced.mkdir()
    for name in (str(_library(spaced / "lib.so")), str(_library(tmp_path / "a:b.so"))):
        with pytest.raises(ConfigError, match="a path with a space or a colon cannot be preloaded"):
            allocator_library({"NGOGRAPH_ALLOCATOR": name}, [])


def test_the_command_starts_again_once_with_the_library_preloaded_and_its_children_without_it(tmp_path, fresh):
    lib = _library(tmp_path / MIMALLOC)
    env = {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": "/x/other.so", "HOME": "/h"}
    execs = fresh(env)
    assert len(execs) == 1
    executable, argv, started = execs[0]
    assert executable == sys.executable and argv == list(sys.orig_argv)
    assert started == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": f"{lib} /x/other.so", "HOME": "/h",
                       "NGOGRAPH_PRELOADED": "/x/other.so", **_OPTIONS}
    assert env == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": "/x/other.so", "HOME": "/h"}  # not changed
    assert len(fresh(started)) == 1  # the process started again: no exec, its children's environment as it was
    assert started == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": "/x/other.so", "HOME": "/h"}
    alone = {"NGOGRAPH_ALLOCATOR": str(lib)}
    assert len(fresh(alone)) == 2
    assert execs[1][2] == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": str(lib), "NGOGRAPH_PRELOADED": "", **_OPTIONS}
    again = execs[1][2]
    assert len(fresh(again)) == 2 and again == {"NGOGRAPH_ALLOCATOR": str(lib)}


def test_once_per_process_and_not_when_the_library_is_preloaded_already(tmp_path, fresh, monkeypatch):
    lib = _library(tmp_path / MIMALLOC)
    env = {"NGOGRAPH_ALLOCATOR": str(lib)}
    execs = fresh(env)
    assert len(execs) == 1
    preload_allocator(env, execve=lambda *a: execs.append(a))  # a second call, in the same process
    assert len(execs) == 1
    mine = {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": f"/x/a.so {lib}"}  # the user's preload has it
    assert len(fresh(mine)) == 1 and mine == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": f"/x/a.so {lib}"}


def test_the_allocators_options_are_added_unless_set_and_taken_off_again_for_the_children(tmp_path, fresh):
    assert ALLOCATOR_OPTIONS == {"MIMALLOC_LARGE_OS_PAGES": "1", "MIMALLOC_DECOMMIT_DELAY": "1000",
                                 "MIMALLOC_PURGE_DELAY": "1000"}
    lib = _library(tmp_path / MIMALLOC)
    env = {"NGOGRAPH_ALLOCATOR": str(lib), "MIMALLOC_DECOMMIT_DELAY": "0", "mimalloc_purge_delay": "5"}  # the user's
    started = fresh(env)[0][2]
    assert started == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": str(lib), "NGOGRAPH_PRELOADED": "",
                       "MIMALLOC_DECOMMIT_DELAY": "0", "mimalloc_purge_delay": "5", "MIMALLOC_LARGE_OS_PAGES": "1",
                       "NGOGRAPH_ALLOCATOR_OPTIONS": "MIMALLOC_LARGE_OS_PAGES"}
    assert next(iter(started)) == "MIMALLOC_LARGE_OS_PAGES"  # first: mimalloc 2.0 reads 256 variables, no more
    fresh(started)
    assert started == env  # the user's own options stay for the children, the one added does not
    both = {"NGOGRAPH_ALLOCATOR": str(lib), **ALLOCATOR_OPTIONS}  # both set already: nothing added, no names
    assert fresh(both)[-1][2] == {**both, "LD_PRELOAD": str(lib), "NGOGRAPH_PRELOADED": ""}
    # a name the process did not add, or an option changed since, is left as it is
    odd = {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": str(lib), "NGOGRAPH_PRELOADED": "", "HOME": "/h",
           "MIMALLOC_LARGE_OS_PAGES": "0", "NGOGRAPH_ALLOCATOR_OPTIONS": "HOME MIMALLOC_LARGE_OS_PAGES"}
    fresh(odd)
    assert odd == {"NGOGRAPH_ALLOCATOR": str(lib), "HOME": "/h", "MIMALLOC_LARGE_OS_PAGES": "0"}
    system = {"NGOGRAPH_ALLOCATOR": "system", "NGOGRAPH_ALLOCATOR_OPTIONS": "MIMALLOC_LARGE_OS_PAGES",
              "MIMALLOC_LARGE_OS_PAGES": "1"}  # no library: a marker left by mistake goes, the option stays
    fresh(system)
    assert system == {"NGOGRAPH_ALLOCATOR": "system", "MIMALLOC_LARGE_OS_PAGES": "1"}


def test_validate_runs_without_huge_pages_and_its_children_without_the_options_added(tmp_path, fresh, monkeypatch):
    lib = _library(tmp_path / MIMALLOC)
    monkeypatch.setattr(sys, "argv", ["ngograph", "validate", "--fresh"])
    started = fresh({"NGOGRAPH_ALLOCATOR": str(lib)})[0][2]
    assert started == {"MIMALLOC_DECOMMIT_DELAY": "1000", "MIMALLOC_PURGE_DELAY": "1000", "NGOGRAPH_ALLOCATOR": str(lib),
                       "LD_PRELOAD": str(lib), "NGOGRAPH_PRELOADED": "",
                       "NGOGRAPH_ALLOCATOR_OPTIONS": "MIMALLOC_DECOMMIT_DELAY MIMALLOC_PURGE_DELAY"}
    fresh(started)
    assert started == {"NGOGRAPH_ALLOCATOR": str(lib)}
    given = fresh({"NGOGRAPH_ALLOCATOR": str(lib), "MIMALLOC_LARGE_OS_PAGES": "1"})[-1][2]  # the user's own: kept
    assert given["MIMALLOC_LARGE_OS_PAGES"] == "1" and given["NGOGRAPH_ALLOCATOR_OPTIONS"] == (
        "MIMALLOC_DECOMMIT_DELAY MIMALLOC_PURGE_DELAY")
    for command, huge in (("validate", False), ("import", True)):  # a benchmark's stage names its command
        monkeypatch.setattr(sys, "argv", ["bench.py", "/s/store", "--run", "import" if huge is False else "validate"])
        monkeypatch.setattr(runtime, "_DONE", False)
        execs = []
        preload_allocator({"NGOGRAPH_ALLOCATOR": str(lib)}, execve=lambda *a: execs.append(a), command=command)
        assert ("MIMALLOC_LARGE_OS_PAGES" in execs[0][2]) is huge, command
    for args, huge in ((["--version"], True), (["import", "validate"], True), ([], True),
                       (["-h", "validate"], False)):  # the command is the first word that is no option
        assert ("MIMALLOC_LARGE_OS_PAGES" in runtime.allocator_options(args)) is huge, args


def test_a_marker_left_by_mistake_is_not_trusted(tmp_path, fresh):
    lib = _library(tmp_path / MIMALLOC)
    env = {"NGOGRAPH_ALLOCATOR": str(lib), "NGOGRAPH_PRELOADED": "/oops.so", "LD_PRELOAD": "/x/a.so"}
    execs = fresh(env)  # the library is not preloaded: start again, with a marker of its own
    assert execs[0][2] == {"NGOGRAPH_ALLOCATOR": str(lib), "LD_PRELOAD": f"{lib} /x/a.so", "NGOGRAPH_PRELOADED": "/x/a.so",
                           **_OPTIONS}
    system = {"NGOGRAPH_ALLOCATOR": "system", "NGOGRAPH_PRELOADED": "/oops.so", "LD_PRELOAD": "/x/a.so"}
    assert len(fresh(system)) == 1 and system == {"NGOGRAPH_ALLOCATOR": "system", "LD_PRELOAD": "/x/a.so"}


def test_without_a_library_off_linux_or_when_exec_fails_the_command_runs_on(tmp_path, fresh, monkeypatch):
    lib = _library(tmp_path / MIMALLOC)
    assert fresh({"NGOGRAPH_ALLOCATOR": "system"}) == []
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(runtime, "_DONE", False)
    execs = []
    preload_allocator({"NGOGRAPH_ALLOCATOR": str(lib)}, execve=lambda *a: execs.append(a))
    assert execs == []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(runtime, "_DONE", False)

    def failing(*a):
        execs.append(a)
        raise PermissionError("noexec")
    env = {"NGOGRAPH_ALLOCATOR": str(lib)}
    assert preload_allocator(env, execve=failing) is None and len(execs) == 1 and env == {"NGOGRAPH_ALLOCATOR": str(lib)}


_PROBE = ("import os, subprocess, sys; from ngograph.runtime import preload_allocator; preload_allocator(); "
          "preload_allocator(); loaded = any('mimalloc' in line for line in open('/proc/self/maps')); "
          "child = subprocess.run([sys.executable, '-c', 'import os; print(os.environ.get(\"LD_PRELOAD\"))'], "
          "capture_output=True, text=True).stdout.strip(); print(loaded, os.getpid(), child, sys.stdin.read().strip())")
def test_a_real_process_runs_with_mimalloc_and_starts_its_children_without_it():
    # looked up here, not when the module is imported (mutation testing mutates only what runs inside tests)
    if not sys.platform.startswith("linux") or allocator_library({}) is None:
        pytest.skip(f"{MIMALLOC} is not installed (make run and make test install libmimalloc2.0)")
    env = {k: v for k, v in os.environ.items() if k not in ("NGOGRAPH_ALLOCATOR", "LD_PRELOAD", "NGOGRAPH_PRELOADED")
           and not k.upper().startswith(("MIMALLOC_", "NGOGRAPH_ALLOCATOR_"))}
    proc = subprocess.Popen([sys.executable, "-c", _PROBE], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    out, _ = proc.communicate("piped in\n", timeout=60)  # what is piped in is read after the start again
    loaded, pid, child, stdin = out.strip().split(maxsplit=3)
    assert (loaded, int(pid), child, stdin) == ("True", proc.pid, "None", "piped in")  # the same process
    # mimalloc read its options as it started (its own report, MIMALLOC_VERBOSE), even behind 300 other variables;
    # the child was not given them
    probe = ("import os, subprocess, sys; from ngograph.runtime import preload_allocator; preload_allocator(); "
             "print(subprocess.run([sys.executable, '-c', 'import os; print(sorted(k for k in os.environ "
             "if \"MIMALLOC_\" in k or \"NGOGRAPH_ALLOCATOR_\" in k))'], capture_output=True, text=True).stdout.strip())")
    crowded = {"MIMALLOC_VERBOSE": "1", **env, **{f"ZZ_FILLER_{n}": "x" for n in range(300)}}  # the report: read first
    done = subprocess.run([sys.executable, "-c", probe], env=crowded, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "['MIMALLOC_VERBOSE']"
    read = {line.split("'")[1]: line.rsplit(":", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("mimalloc: option '")}
    assert read["large_os_pages"] == "1" and "1000" in (read.get("decommit_delay"), read.get("purge_delay")), done.stderr
    # the real command: validate in small pages, import in huge ones
    command = str(Path(sys.executable).parent / "ngograph")
    for name, huge in (("validate", "0"), ("import", "1")):
        done = subprocess.run([command, name, "--help"], env={"MIMALLOC_VERBOSE": "1", **env}, capture_output=True,
                              text=True, timeout=60)
        read = {line.split("'")[1]: line.rsplit(":", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("mimalloc: option '")}
        assert done.returncode == 0 and read["large_os_pages"] == huge, (name, done.stderr)
    out = subprocess.run([sys.executable, "-c", _PROBE], env={**env, "NGOGRAPH_ALLOCATOR": "system"}, input="",
                         capture_output=True, text=True, timeout=60).stdout.split()
    assert out[0] == "False" and out[2] == "None"


def test_the_command_refuses_an_allocator_that_is_not_there_in_one_line(tmp_path):
    command = Path(sys.executable).parent / "ngograph"
    for setting, line in [("/nowhere/lib.so", "not a shared library (write the path of one, such as "
                           "libmimalloc.so.2, or system for the C library's allocator)"),
                          (str(_library(tmp_path / "a b.so")), "a path with a space or a colon cannot be preloaded")]:
        done = subprocess.run([str(command), "--version"], env={**os.environ, "NGOGRAPH_ALLOCATOR": setting},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.splitlines() == [f"ngograph: NGOGRAPH_ALLOCATOR={setting}: {line}"]
    for argv in ([str(command)], [sys.executable, "-m", "ngograph"]):
        done = subprocess.run([*argv, "--version"], env={**os.environ, "NGOGRAPH_ALLOCATOR": ""},
                              capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (0, "ngograph 0.1.0\n", "")


def test_the_library_folders_are_the_loaders_multiarch_first(monkeypatch, tmp_path, fresh):
    monkeypatch.setattr(runtime.sysconfig, "get_config_var", lambda name: {"MULTIARCH": "x-gnu"}.get(name))
    assert runtime._library_folders() == [Path("/usr/lib/x-gnu"), Path("/usr/lib64"), Path("/usr/lib"),
                                          Path("/usr/local/lib")]
    monkeypatch.setattr(runtime.sysconfig, "get_config_var", lambda name: None)
    assert runtime._library_folders() == [Path("/usr/lib64"), Path("/usr/lib"), Path("/usr/local/lib")]
    _library(tmp_path / MIMALLOC)
    monkeypatch.setattr(runtime, "_library_folders", lambda: [tmp_path])  # no folders given: the loader's
    assert allocator_library({}) == str(tmp_path / MIMALLOC)
    monkeypatch.setenv("LD_PRELOAD", "/x/a.so /x/b.so")  # no environment given: the process's
    monkeypatch.delenv("NGOGRAPH_ALLOCATOR", raising=False)
    monkeypatch.delenv("NGOGRAPH_PRELOADED", raising=False)
    monkeypatch.setattr(runtime, "_DONE", False)
    execs = []
    preload_allocator(execve=lambda *a: execs.append(a))
    assert execs[0][2]["LD_PRELOAD"] == f"{tmp_path / MIMALLOC} /x/a.so /x/b.so"
    assert execs[0][2]["NGOGRAPH_PRELOADED"] == "/x/a.so /x/b.so" and os.environ["LD_PRELOAD"] == "/x/a.so /x/b.so"


def test_the_entry_preloads_then_runs_the_command_and_refuses_a_wrong_setting_in_one_line(monkeypatch, capsys):
    import ngograph.__main__ as entry_module
    import ngograph.cli as cli

    calls = []
    monkeypatch.setattr(runtime, "preload_allocator", lambda: calls.append("preload"))
    monkeypatch.setattr(cli, "main", lambda: calls.append("main") or 3)
    with pytest.raises(SystemExit) as done:
        entry_module.entry()
    assert done.value.code == 3 and calls == ["preload", "main"]

    def wrong():
        raise ConfigError("NGOGRAPH_ALLOCATOR=x: not a shared library")
    monkeypatch.setattr(runtime, "preload_allocator", wrong)
    with pytest.raises(SystemExit) as done:
        entry_module.entry()
    assert done.value.code == 2 and calls == ["preload", "main"]
    assert capsys.readouterr().err == "ngograph: NGOGRAPH_ALLOCATOR=x: not a shared library\n"


def test_worker_threads_run_beside_and_an_error_cancels_what_has_not_started():
    import threading
    import time

    from ngograph.runtime import WORKER_THREADS, worker_threads
    started = []

    def slow(n):
        started.append((n, threading.current_thread().name))
        time.sleep(0.2)
        return n * n

    with worker_threads() as submit:
        assert [f.result() for f in [submit(slow, n) for n in range(3)]] == [0, 1, 4]
    assert threading.current_thread().name not in {name for _, name in started}
    started.clear()
    with pytest.raises(KeyboardInterrupt):
        with worker_threads() as submit:
            futures = [submit(slow, n) for n in range(6)]
            for _ in range(1000):  # both threads at work before the error (at most 10 s)
                if len(started) >= WORKER_THREADS:
                    break
                time.sleep(0.01)
            raise KeyboardInterrupt
    assert len(started) == WORKER_THREADS == 2  # the two running ended; the other four never started
    assert all(f.cancelled() for f in futures[WORKER_THREADS:])
