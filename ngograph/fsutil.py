"""Writing files so that a reader never sees half of one: write a temporary file beside
the target, then rename it over the target. The file gets the mode any new file gets
(0666 less the umask: 0644 under umask 022), not a private 0600. And the one reader of the
tab-separated reference tables (``#`` comment lines, then a header row)."""

from __future__ import annotations

import csv
import errno
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ngograph.errors import ConfigError

__all__ = ["atomic_writer", "atomic_write_bytes", "read_tsv"]


def read_tsv(path: Path) -> list[dict[str, str]]:
    r"""The rows of a tab-separated table as dicts keyed by its header; lines starting with ``#``
    are comments.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("# a note\ncode\tname\nLV\tLatvia\n", encoding="utf-8")
    >>> read_tsv(p)
    [{'code': 'LV', 'name': 'Latvia'}]
    """
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside ``target``, created like any file (the umask applies)."""
    while True:
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:  # pragma: no cover - a clash of 32 random bits
            continue


@contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``target`` through, atomically: the data go to a temporary file
    beside it, which replaces ``target`` when the block ends without an error (and is removed
    when it raises). A process killed meanwhile leaves ``target`` as it was. :class:`ConfigError`
    when ``target`` is a folder; an :class:`OSError` naming ``target`` when it cannot be written.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.txt"
    >>> with atomic_writer(p) as fh:
    ...     _ = fh.write(b"one"); p.exists()
    False
    >>> p.read_bytes()
    b'one'
    """
    target = Path(target)
    if target.is_dir():
        raise ConfigError(f"{target} is a folder: give a file name to write, e.g. {target / 'name.ext'}")
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_beside(target)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, FileExistsError) and tmp is None:  # mkdir met a file on the way
            raise NotADirectoryError(errno.ENOTDIR, "a file stands where a folder is needed", str(target)) from None
        if isinstance(exc, OSError) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(target)) from None  # name the target, not the temporary file
        raise


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (:func:`atomic_writer`); on any error the old file is untouched.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sub" / "f.txt"
    >>> _ = atomic_write_bytes(p, b"one"); p.read_bytes()
    b'one'
    >>> atomic_write_bytes(p.parent, b"two")
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: ... is a folder: give a file name to write, e.g. .../sub/name.ext
    """
    with atomic_writer(target) as fh:
        fh.write(data)
    return Path(target)
