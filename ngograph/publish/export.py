"""Stage: export. The published graph as a dump in five RDF formats, deterministic (prefixes
bound, triples sorted, no blank nodes: a diff of a data change is reviewable), written
atomically (temporary file + rename: a killed export leaves the previous file as it was),
optionally gzipped, each with a JSON sidecar (``<file>.meta.json``: statements, bytes, SHA-256).

Every dump holds the dataset's own description (:mod:`ngograph.publish.describe`; in the N-Quads
dump as its own named graph). Every format is streamed, so that memory stays flat whatever the store's
size: the store's serialiser writes N-Triples, whose distinct lines are sorted in runs on disk; N-Triples
and N-Quads are those lines; Turtle and RDF/XML are the store's serialiser again, reading them (a subject's
lines are together: its statements are grouped); JSON-LD is compacted with our context one subject at a time
(:func:`ngograph.rdf.compact.compact_nodes`), nodes in the order of the lines. Each term is written as the store
holds it: rdflib, which wrote these three formats before, rewrote some lexical forms (``"310000"`` as
``310000.0``, a ``Z`` time zone as ``+00:00``) and held the whole graph in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby, islice
from pathlib import Path

import pyoxigraph as ox

from ngograph import __version__
from ngograph.fsutil import atomic_write_bytes, atomic_writer
from ngograph.publish.describe import description_graph
from ngograph.publish.statistics import kept_statements
from ngograph.rdf.compact import compact_nodes, oxigraph_term
from ngograph.rdf.context import load_context
from ngograph.rdf.namespaces import CONTEXT_PREFIXES, PREFIXES
from ngograph.rdf.serialize import MEDIA_TYPES, format_name, write_rdfxml
from ngograph.store.embedded import DESCRIPTION_GRAPH, open_store, published_graphs

__all__ = ["export_store", "sidecar_path", "SIDECAR_SUFFIX"]

SIDECAR_SUFFIX = ".meta.json"
#: Prefixes bound in Turtle and RDF/XML dumps: the usual ones and the vocabularies of the description. Not the base
#: of our concept schemes (``vocab:``): a concept's local name holds a ``/``, which Turtle escapes (``vocab:theme\/x``).
_SYNTAX_PREFIXES = {**PREFIXES, **{k: CONTEXT_PREFIXES[k] for k in ("void", "foaf")}}
_RUN_BYTES = 128 << 20  # lines held in memory before a sorted run goes to disk
_LINES = 10_000  # sorted lines handed on at a time, to the file or to the store's parser
_BLOCK = 1 << 16


def sidecar_path(output: Path) -> Path:
    """The sidecar of a dump: ``ngograph.nt.gz`` -> ``ngograph.nt.gz.meta.json``."""
    return Path(output).with_name(Path(output).name + SIDECAR_SUFFIX)


class _Sink:
    """Counts and hashes the bytes on their way to the file."""

    def __init__(self, fh):
        self.fh, self.sha256, self.size = fh, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.fh.write(data)

    def flush(self) -> None:
        self.fh.flush()


class _SortedLines:
    """Collects N-Triples / N-Quads text (as pyoxigraph's serialiser writes it, in chunks),
    appending ``suffix`` (a graph name) to every statement, and gives the distinct lines back
    sorted: in memory when they fit, else merged from sorted runs in ``scratch``."""

    def __init__(self, scratch: Path, progress: Callable[[int], None] | None = None):
        self.scratch, self.lines, self.held, self.runs, self.tail = scratch, [], 0, [], b""
        self.suffix = b""
        self.read, self.progress = 0, progress  # the statements read so far, told to ``progress`` as they come

    def remove_runs(self) -> None:
        """Remove the runs written so far (an export stopped while the store was dumped leaves none behind)."""
        for name in self.runs:
            Path(name).unlink(missing_ok=True)

    def write(self, data: bytes) -> int:
        n = len(data)
        *complete, self.tail = (self.tail + bytes(data)).split(b"\n")
        self.add(complete)
        return n

    def flush(self) -> None:
        pass

    def add(self, lines: Iterable[bytes]) -> None:
        for line in lines:
            if line:
                line = line[:-2] + self.suffix + b" .\n" if self.suffix else line + b"\n"
                self.lines.append(line)
                self.held += len(line) + 40
                self.read += 1
        if self.held > _RUN_BYTES:
            self._spill()
        if self.progress is not None:
            self.progress(self.read)

    def _spill(self) -> None:
        fd, name = tempfile.mkstemp(prefix=".export.", suffix=".run", dir=self.scratch)
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(sorted(set(self.lines)))
        self.runs.append(name)
        self.lines, self.held = [], 0

    def sorted(self, stack: ExitStack) -> Iterator[bytes]:
        if not self.runs:
            yield from sorted(set(self.lines))
            return
        self._spill()
        stack.callback(self.remove_runs)
        files = [stack.enter_context(open(name, "rb")) for name in self.runs]
        last = None
        for line in heapq.merge(*files):
            if line != last:
                yield line
                last = line


def _sorted(store: ox.Store, fmt: str, sources, description: list[ox.Quad], scratch: Path,
            stack: ExitStack, progress: Callable[[str, int, int], None] | None = None) -> Iterator[bytes]:
    """The distinct N-Quads lines (``nquads``) or N-Triples lines (every other format) of the published graph and
    its description, sorted (in runs on disk beyond :data:`_RUN_BYTES`; ``stack`` removes them). ``progress("read",
    statements read, statements)`` is told as the store is read, then ``progress("write", lines, at most)`` every
    :data:`_LINES` sorted lines handed on, and at the end with the distinct lines as the total."""
    graphs = published_graphs(store, sources) or [ox.DefaultGraph()]
    told = None
    if progress is not None:
        total = sum(kept_statements(store, graphs).values()) + len(description)
        told = lambda n: progress("read", n, total)  # noqa: E731
    lines = _SortedLines(scratch, told)
    stack.callback(lines.remove_runs)
    for g in graphs:
        named = fmt == "nquads" and not isinstance(g, ox.DefaultGraph)
        lines.suffix = f" <{g.value}>".encode() if named else b""
        store.dump(lines, ox.RdfFormat.N_TRIPLES, from_graph=g)
        if lines.tail:
            lines.write(b"\n")
    lines.suffix = b""
    lines.add((str(q if fmt == "nquads" else q.triple) + " .").encode() for q in description)
    if progress is None:
        return lines.sorted(stack)
    return _told(lines.sorted(stack), lambda n, last: progress("write", n, n if last else lines.read))


def _told(lines: Iterator[bytes], progress: Callable[[int, bool], None]) -> Iterator[bytes]:
    """``lines``, telling ``progress(handed on, whether that was the last)`` every :data:`_LINES` of them and at
    the end.

    >>> told = []
    >>> list(_told(iter([b"a", b"b"]), lambda n, last: told.append((n, last)))), told
    ([b'a', b'b'], [(2, True)])
    """
    n = 0
    for n, line in enumerate(lines, 1):
        yield line
        if n % _LINES == 0:
            progress(n, False)
    progress(n, True)


def _write_lines(lines: Iterator[bytes], sink) -> int:
    """Write N-Triples / N-Quads ``lines`` as they are, :data:`_LINES` at a time; the lines written."""
    n = 0
    block = []
    for line in lines:
        block.append(line)
        n += 1
        if len(block) >= _LINES:
            sink.write(b"".join(block))
            block = []
    sink.write(b"".join(block))
    return n


class _LineFile(io.RawIOBase):
    """Sorted N-Triples ``lines`` as a binary file for the store's parser, :data:`_LINES` at a time; counts them."""

    def __init__(self, lines: Iterator[bytes]):
        self.lines, self.count, self.block, self.at = lines, 0, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.at == len(self.block):
            taken = list(islice(self.lines, _LINES))
            self.count += len(taken)
            self.block, self.at = b"".join(taken), 0
        n = min(len(buffer), len(self.block) - self.at)
        buffer[:n] = self.block[self.at:self.at + n]
        self.at += n
        return n


def _triples(lines: _LineFile) -> Iterator[ox.Triple]:
    return ox.parse(io.BufferedReader(lines, _BLOCK), ox.RdfFormat.N_TRIPLES)


def _write_syntax(lines: Iterator[bytes], fmt: str, sink) -> int:
    """Write sorted N-Triples ``lines`` as Turtle or RDF/XML through the store's serialiser, which streams:
    each subject's statements are together (the lines are sorted), with :data:`_SYNTAX_PREFIXES`; the triples.
    RDF/XML by :func:`ngograph.rdf.serialize.write_rdfxml`, which refuses what XML cannot hold."""
    source = _LineFile(lines)
    if fmt == "rdfxml":
        write_rdfxml(_triples(source), sink, _SYNTAX_PREFIXES)
    else:
        ox.serialize(_triples(source), sink, ox.RdfFormat.TURTLE, prefixes=_SYNTAX_PREFIXES)
    return source.count


def _write_jsonld(lines: Iterator[bytes], sink) -> int:
    """Write sorted N-Triples ``lines`` as JSON-LD compacted with our context, one node at a time in the order
    of the lines (a subject's lines are together), laid out as ``json.dumps(indent=1, sort_keys=True)``
    lays out the whole document; the triples."""
    source = _LineFile(lines)
    context = load_context()

    def dumped(value, depth: int) -> bytes:  # a JSON string holds no line break: each one is layout
        text = json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True)
        return text.replace("\n", "\n" + " " * depth).encode()

    subjects = ((oxigraph_term(s)[1], [(t.predicate.value, oxigraph_term(t.object)) for t in group])
                for s, group in groupby(_triples(source), key=lambda t: t.subject))
    sink.write(b'{\n "@context": ' + dumped(context["@context"], 1) + b',\n "@graph": [')
    first = True
    for node in compact_nodes(subjects, context):
        sink.write((b"\n  " if first else b",\n  ") + dumped(node, 2))
        first = False
    sink.write(b"]\n}\n" if first else b"\n ]\n}\n")
    return source.count


def _stream(store: ox.Store, fmt: str, sources, description: list[ox.Quad], sink, scratch: Path,
            progress: Callable[[str, int, int], None] | None = None) -> int:
    """Write the published graph and its description in ``fmt`` from its sorted lines (:func:`_sorted`), streamed
    whatever the store's size; the statements written (triples, or quads for N-Quads)."""
    with ExitStack() as stack:
        lines = _sorted(store, fmt, sources, description, scratch, stack, progress)
        if fmt in ("ntriples", "nquads"):
            return _write_lines(lines, sink)
        if fmt == "jsonld":
            return _write_jsonld(lines, sink)
        return _write_syntax(lines, fmt, sink)


def export_store(store_path: Path, output: Path, fmt: str = "turtle", sources: Iterable[str] | None = None, *,
                 gzip_output: bool = False, progress: Callable[[str, int, int], None] | None = None) -> tuple[Path, int]:
    """Export the published graph of the store at ``store_path`` (only that of ``sources``
    when given: imported dataset names and ``curated``) with the dataset's description, in
    ``fmt`` (a name or short name of :data:`~ngograph.rdf.serialize.FORMATS`), gzipped when
    ``gzip_output``; write the sidecar; return the path written and the number of statements
    (triples, or quads for N-Quads). ``progress(phase, done, total)``: see :func:`_sorted`."""
    fmt = format_name(fmt)
    output = Path(output)
    sources = list(sources) if sources else None
    with open_store(store_path) as store, atomic_writer(output) as fh:
        sink = _Sink(fh)
        description = description_graph(store.store)
        target = gzip.GzipFile(filename="", mode="wb", fileobj=sink, mtime=0) if gzip_output else sink
        n = _stream(store.store, fmt, sources, description, target, output.parent, progress)
        if gzip_output:
            target.close()
    meta = {"file": output.name, "format": fmt, "media_type": MEDIA_TYPES[fmt],
            "compression": "gzip" if gzip_output else None,
            "quads" if fmt == "nquads" else "triples": n,
            "bytes": sink.size, "sha256": sink.sha256.hexdigest(),
            "sources": sorted(sources) if sources else "all", "description_graph": DESCRIPTION_GRAPH.value,
            "ngograph_version": __version__}
    atomic_write_bytes(sidecar_path(output), (json.dumps(meta, indent=2) + "\n").encode())
    return output, n
