"""Process-wide settings for bulk work: the memory allocator of the command line, and the cyclic
garbage collector paused while an import, a validation or a reconciliation makes millions of
objects that hold no reference cycles.

**The allocator.** The store's engine (Oxigraph, in Rust, over RocksDB, in C++) allocates and frees
a small block for nearly every row it joins, from two threads at once; with glibc's allocator a
profile of the fast validator on the imported store found a sixth of the engine's time in malloc and
free, part of it waiting on the allocator's locks. `ngograph` (the command, not the library) therefore
runs with mimalloc where the machine has it (the Debian package libmimalloc2.0, which `make run`
and `make test` install): :func:`preload_allocator` starts the command again with the library in
``LD_PRELOAD`` (one exec, the same process id), so that every allocation of the engine and of Python
goes through it. Measured on the imported store (5.4M triples, 2 cores, three runs each, old and
new alternating): `validate` 18.8 -> 16.3 s wall on average, peak memory 825 -> 630 MB; the IATI import
23.7 -> 25.2 s, within this machine's noise (mimalloc gives memory back more often: more system time).

mimalloc runs with options of its own (:data:`ALLOCATOR_OPTIONS`, each unless the environment sets it). Its memory
comes in huge pages (2 MiB: the kernel's reserved pool, else transparent huge pages asked for with madvise, as
Debian's kernel allows), which mimalloc 2.0 keeps once it has them: a command holds its peak memory to its end (the
server's workers run on the C library's allocator, above). The rest of its memory is given back to the kernel a
second after it is freed, not 25 ms (``MIMALLOC_DECOMMIT_DELAY`` in mimalloc 2.0, ``MIMALLOC_PURGE_DELAY`` in 2.1
and later). With its defaults,
importing CORDIS beside IATI took 1.6M page faults and 8.6-9.8 s of system time (a fresh 4 KiB page for nearly every
block the loader wrote, the same memory given back and taken again); with these 150,000-165,000 and 5.7-5.9 s:
16.8-17.1 s wall against 18.7-19.0 s (two runs each, alternating; the delay alone: 18.5 s), peak memory 0.94 ->
1.1-1.16 GB. `validate` runs without huge pages (:data:`SMALL_PAGES`): run after a pause, as a user runs it, it
touches memory the machine has not given the process before, and zeroing whole huge pages of it cost 1.7-2.1 s of
system time, against 0.8-1.3 s in small pages (9.30-9.75 s wall, 9.58 on average, against 8.76-9.56, 9.20; five
runs each, alternating, 40 s apart); run again at once, the two were the same. The
environment variable ``NGOGRAPH_ALLOCATOR`` chooses: ``system`` (glibc's), or the path of another
shared library; unset, mimalloc if found, else glibc's, without a word. mimalloc reserves address
space ahead of use, so a query worker capped by ``--max-memory`` (an address-space limit) can use
about a fifth less of its cap before it is stopped (a review measured 207-256 of 300 MiB, against
288-298 with glibc's).

**The collector.**

CPython's collector runs whenever allocations outnumber deallocations by 700, and every tenth and
hundredth run walks the older objects too, which are all the records, rows and results made so far.
Mapping the CORDIS participation table spent a third of its CPU there (5.5-6.1 s without the collector
against 7.5-9.9 s with it), the fast validator's calling thread a quarter, reconciliation a third; the
collector found 850 objects to free in the whole import. Reference counting frees the rest as it goes.

Only where it was measured to help, and never around rdflib or pySHACL: they make cyclic garbage in
proportion to the graph (with the collector paused, `validate --engine pyshacl` peaked 54 % higher on
44,000 quads). The pause is process-wide: two overlapping callers in two threads resume it when the
first ends, which costs the other speed, not correctness.
"""

from __future__ import annotations

import gc
import os
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ngograph.errors import ConfigError

__all__ = ["collector_paused", "freed_here", "worker_threads", "allocator_library", "preload_allocator", "ALLOCATOR_ENV",
           "ALLOCATOR_OPTIONS", "SMALL_PAGES", "allocator_options"]

#: The environment variable that chooses the command's allocator: ``system``, or a shared library's path.
ALLOCATOR_ENV = "NGOGRAPH_ALLOCATOR"
#: Set in the command started again with the allocator: the ``LD_PRELOAD`` it had before, given back to its children.
_PRELOADED = "NGOGRAPH_PRELOADED"
#: mimalloc's options for the command, each set unless the environment sets it (mimalloc reads them whatever their
#: case): memory in huge pages, and freed memory kept a second (milliseconds) before it is given back, by its name in
#: mimalloc 2.0 (DECOMMIT) and in 2.1 and later (PURGE; each version ignores the other's name).
ALLOCATOR_OPTIONS = {"MIMALLOC_LARGE_OS_PAGES": "1", "MIMALLOC_DECOMMIT_DELAY": "1000", "MIMALLOC_PURGE_DELAY": "1000"}
#: The commands whose :data:`ALLOCATOR_OPTIONS` leave huge pages out.
SMALL_PAGES = frozenset({"validate"})
#: Set beside :data:`_PRELOADED`: the names of the :data:`ALLOCATOR_OPTIONS` that were added, taken off again for the
#: children (the allocator reads its options as it starts).
_OPTIONS_ADDED = "NGOGRAPH_ALLOCATOR_OPTIONS"
#: mimalloc's shared library, as Debian's libmimalloc2.0 (and most distributions) install it.
MIMALLOC = "libmimalloc.so.2"
_ELF = b"\x7fELF"
#: Whether this process has been through :func:`preload_allocator` (a second call does nothing).
_DONE = False


def _library_folders() -> list[Path]:
    """Where the dynamic loader finds libraries without a configured path: the multiarch folder first."""
    arch = sysconfig.get_config_var("MULTIARCH")
    return [Path(p) for p in (f"/usr/lib/{arch}" if arch else None, "/usr/lib64", "/usr/lib", "/usr/local/lib") if p]


def _is_library(path: Path) -> bool:
    """Whether ``path`` is a file that starts as a shared library does (ELF)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == _ELF
    except OSError:
        return False


def allocator_library(environ: MutableMapping[str, str], folders: list[Path] | None = None) -> str | None:
    """The shared library the command preloads as its allocator: the path in ``NGOGRAPH_ALLOCATOR`` (made
    absolute), none for ``system``, else mimalloc in one of the library ``folders``, else none.

    >>> allocator_library({"NGOGRAPH_ALLOCATOR": "system"}), allocator_library({}, folders=[])
    (None, None)
    >>> allocator_library({"NGOGRAPH_ALLOCATOR": "/nowhere/libx.so"})
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: NGOGRAPH_ALLOCATOR=/nowhere/libx.so: not a shared library (write the path of one, such as libmimalloc.so.2, or system for the C library's allocator)
    """
    choice = environ.get(ALLOCATOR_ENV, "").strip()
    if choice == "system":
        return None
    if choice:
        path = Path(choice).absolute()
        if any(c.isspace() or c == ":" for c in str(path)):  # the loader splits LD_PRELOAD there
            raise ConfigError(f"{ALLOCATOR_ENV}={choice}: a path with a space or a colon cannot be preloaded")
        if not _is_library(path):
            raise ConfigError(f"{ALLOCATOR_ENV}={choice}: not a shared library (write the path of one, such as "
                              f"{MIMALLOC}, or system for the C library's allocator)")
        return str(path)
    found = (f / MIMALLOC for f in (_library_folders() if folders is None else folders))
    return next((str(p) for p in found if _is_library(p)), None)


def allocator_options(args: list[str]) -> dict[str, str]:
    """The :data:`ALLOCATOR_OPTIONS` of the command line whose arguments (after the program) are ``args``: without huge
    pages for a command of :data:`SMALL_PAGES`.

    >>> sorted(allocator_options(["validate", "--fresh"]))
    ['MIMALLOC_DECOMMIT_DELAY', 'MIMALLOC_PURGE_DELAY']
    >>> allocator_options(["import", "iati"]) == ALLOCATOR_OPTIONS, allocator_options(["-h"]) == ALLOCATOR_OPTIONS
    (True, True)
    """
    command = next((arg for arg in args if not arg.startswith("-")), None)  # the global options take no value
    if command in SMALL_PAGES:
        return {name: value for name, value in ALLOCATOR_OPTIONS.items() if name != "MIMALLOC_LARGE_OS_PAGES"}
    return dict(ALLOCATOR_OPTIONS)


def preload_allocator(environ: MutableMapping[str, str] | None = None,
                      execve: Callable[[str, list[str], dict], None] = os.execve, command: str | None = None) -> None:
    """Start this process again (``execve``: the same process id, arguments and open files) with the
    allocator of :func:`allocator_library` in ``LD_PRELOAD``, before anything is read or written.
    Once per process: a second call does nothing. In the process started again, give its
    ``LD_PRELOAD`` back as it was, and take off the :data:`ALLOCATOR_OPTIONS` it added, so that the
    interpreters it starts (the betweenness workers, the server's workers, a query worker started beside
    threads) run on the C library's allocator; a process it forks (the query worker of a command, which
    has no threads) is a copy of it and keeps the library. Nothing happens off Linux, without a library,
    when the library is preloaded already, or when starting again fails (the command then runs on the C
    library's allocator). Its options are those of the command line (``sys.argv``: :func:`allocator_options`), or
    of ``command`` when given (a benchmark that runs a stage of the command in a script of its own).
    """
    global _DONE
    if _DONE:
        return
    _DONE = True
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return
    library = allocator_library(environ)
    preloaded = environ.get("LD_PRELOAD", "").split()
    before = environ.pop(_PRELOADED, None)
    added = environ.pop(_OPTIONS_ADDED, "").split()
    if library is None or library in preloaded:
        if before is not None and preloaded[:1] == [library]:  # the process started again: as it was
            if before:
                environ["LD_PRELOAD"] = before
            else:
                environ.pop("LD_PRELOAD", None)
            for name in added:
                if name in ALLOCATOR_OPTIONS and environ.get(name) == ALLOCATOR_OPTIONS[name]:
                    del environ[name]
        return
    previous = " ".join(preloaded)
    given = {name.upper() for name in environ}
    args = sys.argv[1:] if command is None else [command]
    options = {name: value for name, value in allocator_options(args).items() if name not in given}
    # first: mimalloc 2.0 reads only the first 256 variables of the environment
    env = {**options, **environ, _PRELOADED: previous, "LD_PRELOAD": " ".join(filter(None, (library, previous)))}
    if options:
        env[_OPTIONS_ADDED] = " ".join(options)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        execve(sys.executable, list(sys.orig_argv), env)
    except OSError:
        return


@contextmanager
def collector_paused(promote: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and resume it after (if it was running:
    nested blocks leave it to the outer one).

    With ``promote``, for a command that ends soon after (``ngograph validate``), what the block made (and every other
    object) is then in the oldest generation, which the collector walks seldom: resumed with it in the youngest, it
    walked all of it at the next allocation (0.07 s after the validation of the imported store). Cyclic garbage made in
    the block then waits for a full collection, which may never come in a process that runs on (a server, a notebook:
    not for them); nor when objects were frozen (``gc.freeze``) already, which this would undo.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if promote and not gc.get_freeze_count():
            gc.freeze()  # every object in the permanent generation, then all of them in the oldest: none walked
            gc.unfreeze()
        gc.enable()


def freed_here(work: Callable, *args):
    """``work(*args)``, for a worker thread: an error it raises is given on without the variables of its frames.
    The store's result iterators (pyoxigraph's ``QuerySolutions``, ``QueryTriples``) may only be freed on the thread
    that made them, and an error's frames are freed where it is caught, on another thread (the server's: a refused
    CONSTRUCT printed "RuntimeError: ... PyQueryTriples is unsendable, but is being dropped on another thread").

    >>> freed_here(divmod, 7, 2)
    (3, 1)
    """
    try:
        return work(*args)
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)
        raise


#: Threads of :func:`worker_threads` (the machines have 2 cores).
WORKER_THREADS = 2


@contextmanager
def worker_threads() -> Iterator[Callable[..., Future]]:
    """``submit(work, *args)``: ``work`` on one of :data:`WORKER_THREADS` threads beside the caller's own work (the
    store's engine lets go of the GIL while it evaluates), through :func:`freed_here`. An error or Ctrl-C in the
    block cancels what has not started; the block ends when what has started ends.

    >>> with worker_threads() as submit:
    ...     [f.result() for f in [submit(divmod, 7, 2), submit(pow, 2, 10)]]
    [(3, 1), 1024]
    """
    pool = ThreadPoolExecutor(max_workers=WORKER_THREADS)
    try:
        yield lambda work, *args: pool.submit(freed_here, work, *args)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown()
