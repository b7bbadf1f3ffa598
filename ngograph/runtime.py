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
new alternating): `validate` 18.8 -> 16.3 s wall on average, peak memory 825 -> 630 MB. The
environment variable ``NGOGRAPH_ALLOCATOR`` chooses: ``system`` (glibc's), or the path of another
shared library; unset, mimalloc if found, else glibc's, without a word.

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
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

from ngograph.errors import ConfigError

__all__ = ["collector_paused", "allocator_library", "preload_allocator", "ALLOCATOR_ENV"]

#: The environment variable that chooses the command's allocator: ``system``, or a shared library's path.
ALLOCATOR_ENV = "NGOGRAPH_ALLOCATOR"
#: Set in the command started again with the allocator: the ``LD_PRELOAD`` it had before, given back to its children.
_PRELOADED = "NGOGRAPH_PRELOADED"
#: mimalloc's shared library, as Debian's libmimalloc2.0 (and most distributions) install it.
MIMALLOC = "libmimalloc.so.2"


def _library_folders() -> list[Path]:
    """Where the dynamic loader finds libraries without a configured path: the multiarch folder first."""
    arch = sysconfig.get_config_var("MULTIARCH")
    return [Path(p) for p in (f"/usr/lib/{arch}" if arch else None, "/usr/lib64", "/usr/lib", "/usr/local/lib") if p]


def allocator_library(environ: MutableMapping[str, str], folders: list[Path] | None = None) -> str | None:
    """The shared library the command preloads as its allocator: the path in ``NGOGRAPH_ALLOCATOR``,
    none for ``system``, else mimalloc in one of the library ``folders``, else none.

    >>> allocator_library({"NGOGRAPH_ALLOCATOR": "system"}), allocator_library({}, folders=[])
    (None, None)
    >>> allocator_library({"NGOGRAPH_ALLOCATOR": "/nowhere/libx.so"})
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: NGOGRAPH_ALLOCATOR=/nowhere/libx.so: no such file (write the path of a shared library, e.g. /usr/lib/x86_64-linux-gnu/libmimalloc.so.2, or system for the C library's allocator)
    """
    choice = environ.get(ALLOCATOR_ENV, "").strip()
    if choice == "system":
        return None
    if choice:
        if not Path(choice).is_file():
            raise ConfigError(f"{ALLOCATOR_ENV}={choice}: no such file (write the path of a shared library, e.g. "
                              f"/usr/lib/x86_64-linux-gnu/{MIMALLOC}, or system for the C library's allocator)")
        return choice
    found = (f / MIMALLOC for f in (_library_folders() if folders is None else folders))
    return next((str(p) for p in found if p.is_file()), None)


def preload_allocator(environ: MutableMapping[str, str] | None = None,
                      execve: Callable[[str, list[str], dict], None] = os.execve) -> None:
    """Start this process again (``execve``: the same process id, arguments and open files) with the
    allocator of :func:`allocator_library` in ``LD_PRELOAD``, before anything is read or written.
    In the process started again, give its ``LD_PRELOAD`` back as it was, so that the processes it
    starts (query workers, servers) are not given the library by surprise; they start with it
    only if they call this too. Nothing happens off Linux, without a library, or when starting
    again fails (the command then runs on the C library's allocator).

    >>> env = {"NGOGRAPH_ALLOCATOR": "system"}
    >>> preload_allocator(env, execve=None)   # nothing to preload: no exec
    >>> env = {"NGOGRAPH_PRELOADED": "", "LD_PRELOAD": "/usr/lib/libmimalloc.so.2"}
    >>> preload_allocator(env, execve=None)   # the process started again: its environment as it was
    >>> env
    {}
    """
    environ = os.environ if environ is None else environ
    if _PRELOADED in environ:
        before = environ.pop(_PRELOADED)
        if before:
            environ["LD_PRELOAD"] = before
        else:
            environ.pop("LD_PRELOAD", None)
        return
    if not sys.platform.startswith("linux"):
        return
    library = allocator_library(environ)
    if library is None:
        return
    before = environ.get("LD_PRELOAD", "")
    env = {**environ, _PRELOADED: before, "LD_PRELOAD": " ".join(filter(None, (library, before)))}
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        execve(sys.executable, list(sys.orig_argv), env)
    except OSError:
        return


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and resume it after (if it was running:
    nested blocks leave it to the outer one).

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
        gc.enable()
