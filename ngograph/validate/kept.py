"""Stage 3, validate: the report of a store, kept in the store's folder so that asking again is instant.

A store folder that ngograph wrote never changes: every build, import and reconciliation writes a new
folder and swaps the store link over to it (:mod:`ngograph.store.embedded`). The results of validating
one such folder are therefore the same every time, as long as the shapes, the ontology, the quality checks
and the code that runs them are the same. ``ngograph validate`` keeps them in the folder, one gzipped JSON
file per way of asking (:func:`report_key`: the engine, the inference, the sources), and reads them back
the next time it is asked the same way: the imported store's 140,300 results took 16-20 s to find and take
under a second to read. The file goes when the folder goes (an old store is removed whole). A kept
report that cannot be read (cut short, written by another version) is found again, never trusted.

The key also holds a digest of every file of the package (its code, shapes, ontology and queries), so
a changed shape or a new version of ngograph validates afresh.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson

from ngograph.fsutil import atomic_writer
from ngograph.validate.shacl import _FIELDS, _ORDER, Result

__all__ = ["report_key", "kept_file", "read_kept", "keep"]

#: The layout of a kept report; a file of another layout is not read.
FORMAT = 1
_LIBRARIES = ("pyoxigraph", "pyshacl", "rdflib", "owlrl")  # owlrl: pySHACL's inference


#: The package folder: its code, and the resources it links to.
_PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def _package_digest(root: Path = _PACKAGE) -> str:
    """sha256 of every file under ``root`` (links followed: the package's resources are links to the shapes,
    the ontology and the queries), by relative path and content; caches and compiled files left out."""
    digest = hashlib.sha256()
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(folder, name)
            if name.endswith((".pyc", ".pyo")) or not path.is_file():  # a dangling link (an editor's lock), a pipe
                continue
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def report_key(engine: str, inference: str = "none", sources: Iterable[str] | None = None) -> str:
    """The name of a report made by ``engine`` with ``inference`` on the ``sources`` (None or empty: all):
    a sha256 over them, the versions of the libraries that validate and the package's digest.

    >>> a = report_key("fast")
    >>> len(a), a == report_key("fast", "none", []), a == report_key("pyshacl")
    (64, True, False)
    >>> report_key("fast", sources=["b", "a", "a"]) == report_key("fast", sources=["a", "b"])
    True
    """
    asked = {"format": FORMAT, "engine": engine, "inference": inference, "sources": sorted(set(sources or ())),
             "libraries": {name: _version(name) for name in _LIBRARIES}, "package": _package_digest(),
             "python": "%d.%d" % sys.version_info[:2]}  # its re runs pySHACL's sh:pattern
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


def kept_file(directory: Path, key: str) -> Path:
    """Where the report ``key`` of the store folder ``directory`` is kept."""
    return Path(directory) / f"validation-{key}.json.gz"


def read_kept(path: Path, key: str) -> list[Result] | None:
    """The results kept at ``path`` for ``key``, or None when there are none or they cannot be read
    (missing, cut short, another layout or key): the caller then validates.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "r.json.gz"
    >>> r = Result("Warning", "ngosh:S", "a.yaml:3", "https://e.org/a", "sh:X", "m")
    >>> keep(p, "k", [r]); read_kept(p, "k") == [r], read_kept(p, "other"), read_kept(p.with_name("none"), "k")
    (True, None, None)
    """
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            kept = json.load(fh)
        if kept["format"] != FORMAT or kept["key"] != key:
            return None
        rows = kept["results"]
        if type(rows) is not list or not all(type(row) is list and len(row) == len(_FIELDS)
                                              and all(type(v) is str for v in row) for row in rows):
            return None
        return [Result(*row) for row in rows]
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError):  # gzip, JSON and layout errors alike
        return None


def keep(path: Path, key: str, results: Iterable[Result]) -> None:
    """Write ``results`` to ``path`` for ``key``, atomically (a reader finds all of them or none);
    an :class:`OSError` when the folder cannot be written."""
    path = Path(path)
    if not path.parent.is_dir():  # the store's folder went: nothing to keep (and no folder made again)
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))
    rows = list(map(_ORDER, results))  # a result's fields in their order (a tuple: JSON's array), as read_kept reads them
    # orjson writes the JSON that json reads, in a tenth of the time (117,000 results: 0.02 s against 0.16 s)
    with atomic_writer(Path(path)) as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as fh:
        fh.write(orjson.dumps({"format": FORMAT, "key": key, "results": rows}))
