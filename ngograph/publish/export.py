"""Stage: export. The published graph as a dump in five RDF formats, deterministic (prefixes
bound, triples sorted, no blank nodes: a diff of a data change is reviewable), written
atomically (temporary file + rename: a killed export leaves the previous file as it was),
optionally gzipped, each with a JSON sidecar (``<file>.meta.json``: statements, bytes, SHA-256).

Every dump holds the dataset's own description (:mod:`ngograph.publish.describe`; in the N-Quads
dump as its own named graph). N-Triples and N-Quads are streamed from the store's serialiser
and sorted in runs on disk, so that memory stays flat whatever the store's size; Turtle,
JSON-LD and RDF/XML are made from an rdflib graph in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

from ngograph import __version__
from ngograph.fsutil import atomic_write_bytes, atomic_writer
from ngograph.publish.describe import as_graph, description_graph
from ngograph.rdf.namespaces import CONTEXT_PREFIXES
from ngograph.rdf.serialize import MEDIA_TYPES, format_name, serialize
from ngograph.store.embedded import DESCRIPTION_GRAPH, open_store, published_graphs, read_graph

__all__ = ["export_store", "sidecar_path", "SIDECAR_SUFFIX"]

SIDECAR_SUFFIX = ".meta.json"
#: Prefixes bound in dumps besides the usual ones: the vocabularies of the description.
_DUMP_PREFIXES = {k: CONTEXT_PREFIXES[k] for k in ("void", "foaf", "vocab")}
_RUN_BYTES = 128 << 20  # lines held in memory before a sorted run goes to disk
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

    def __init__(self, scratch: Path):
        self.scratch, self.lines, self.held, self.runs, self.tail = scratch, [], 0, [], b""
        self.suffix = b""

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
        if self.held > _RUN_BYTES:
            self._spill()

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
        for name in self.runs:
            stack.callback(os.unlink, name)
        files = [stack.enter_context(open(name, "rb")) for name in self.runs]
        last = None
        for line in heapq.merge(*files):
            if line != last:
                yield line
                last = line


def _stream(store: ox.Store, fmt: str, sources, description: list[ox.Quad], sink, scratch: Path) -> int:
    """Write the sorted N-Triples or N-Quads of the published graph and its description; the statements written."""
    lines = _SortedLines(scratch)
    for g in published_graphs(store, sources) or [ox.DefaultGraph()]:
        named = fmt == "nquads" and not isinstance(g, ox.DefaultGraph)
        lines.suffix = f" <{g.value}>".encode() if named else b""
        store.dump(lines, ox.RdfFormat.N_TRIPLES, from_graph=g)
        if lines.tail:
            lines.write(b"\n")
    lines.suffix = b""
    lines.add((str(q if fmt == "nquads" else q.triple) + " .").encode() for q in description)
    n = 0
    with ExitStack() as stack:
        block = []
        for line in lines.sorted(stack):
            block.append(line)
            n += 1
            if len(block) >= 10_000:
                sink.write(b"".join(block))
                block = []
        sink.write(b"".join(block))
    return n


def export_store(store_path: Path, output: Path, fmt: str = "turtle", sources: Iterable[str] | None = None, *,
                 gzip_output: bool = False) -> tuple[Path, int]:
    """Export the published graph of the store at ``store_path`` (only that of ``sources``
    when given: imported dataset names and ``curated``) with the dataset's description, in
    ``fmt`` (a name or short name of :data:`~ngograph.rdf.serialize.FORMATS`), gzipped when
    ``gzip_output``; write the sidecar; return the path written and the number of statements
    (triples, or quads for N-Quads)."""
    fmt = format_name(fmt)
    output = Path(output)
    sources = list(sources) if sources else None
    with open_store(store_path) as store, atomic_writer(output) as fh:
        sink = _Sink(fh)
        description = description_graph(store.store)
        target = gzip.GzipFile(filename="", mode="wb", fileobj=sink, mtime=0) if gzip_output else sink
        if fmt in ("ntriples", "nquads"):
            n = _stream(store.store, fmt, sources, description, target, output.parent)
        else:
            graph = read_graph(store, sources)
            graph += as_graph(description)
            n = len(graph)
            target.write(serialize(graph, fmt, prefixes=_DUMP_PREFIXES))
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
