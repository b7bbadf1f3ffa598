"""Stage: store. The embedded pyoxigraph store on disk, written atomically.

A build never changes the store in place. It loads the new graph into a fresh RocksDB
directory under ``.ngograph/stores/`` and then points the ``store`` symlink at it with one
``rename``: readers see the old graph or the new one, never a mix, and a build that fails
leaves the old store as it was.

The published graph is the store's default graph. The named graph :data:`BUILD_GRAPH`
holds build metadata (which file and line each resource was curated from), so that
validation can point a user at the record to fix.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ngograph.errors import StoreError
from ngograph.namespaces import NGO

__all__ = ["BUILD_GRAPH", "write_store", "open_store", "read_graph", "read_locations", "triple_count"]

BUILD_GRAPH = ox.NamedNode("urn:ngograph:graph:build")


def write_store(path: Path, data_nt: bytes, build_nt: bytes = b"") -> Path:
    """Replace the store at ``path`` by one holding ``data_nt`` (N-Triples, default graph)
    and ``build_nt`` (N-Triples, :data:`BUILD_GRAPH`). Atomic: on any error the previous
    store is untouched and the half-built one removed."""
    path = Path(path)
    stores = path.parent / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    new = stores / f"{path.name}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    try:
        store = ox.Store(str(new))
        store.bulk_load(data_nt, ox.RdfFormat.N_TRIPLES)
        if build_nt:
            store.bulk_load(build_nt, ox.RdfFormat.N_TRIPLES, to_graph=BUILD_GRAPH)
        store.flush()
        del store
        _swap(path, new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return new


def _swap(path: Path, new: Path) -> None:
    old = path.resolve() if path.is_symlink() else None
    if path.exists() and not path.is_symlink():
        raise StoreError(f"{path} is a directory, not an ngograph store link; move it away or choose --store")
    link = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.link"
    os.symlink(os.path.relpath(new, path.parent), link)
    os.replace(link, path)  # the atomic step
    if old is not None and old != new.resolve() and old.parent == new.parent:
        shutil.rmtree(old, ignore_errors=True)


def open_store(path: Path) -> ox.Store:
    """Open the store read-only; :class:`StoreError` with a fix when there is none."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"no store at {path}: run `ngograph build` first (or set --store / NGOGRAPH_STORE)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from None


def read_graph(path: Path) -> Graph:
    """The published (default) graph of the store as an rdflib Graph (for pySHACL and export)."""
    store = open_store(path)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    g = Graph(bind_namespaces="none")
    g.parse(data=data, format="nt")
    return g


def read_locations(path: Path) -> dict[str, str]:
    """``{resource IRI: "file:line"}`` from the build graph."""
    store = open_store(path)
    return {q.subject.value: q.object.value
            for q in store.quads_for_pattern(None, ox.NamedNode(str(NGO.curatedAt)), None, BUILD_GRAPH)}


def triple_count(path: Path) -> int:
    """Triples in the published graph."""
    store = open_store(path)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
