"""The embedded store is replaced atomically: readers see the old graph or the new one."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from ngograph.store.embedded import open_store, read_graph, read_locations, triple_count, write_store
from ngograph.errors import StoreError

A = b"<https://example.org/a> <https://example.org/p> \"1\" .\n"
B = b"<https://example.org/b> <https://example.org/p> \"2\" .\n<https://example.org/c> <https://example.org/p> \"3\" .\n"
META = b"<https://example.org/b> <https://w3id.org/ngograph/def#curatedAt> \"data/x.yaml:7\" .\n"


def test_write_then_replace(tmp_path):
    store = tmp_path / "store"
    first = write_store(store, A)
    assert triple_count(store) == 1
    second = write_store(store, B, META)
    assert triple_count(store) == 2
    assert read_locations(store) == {"https://example.org/b": "data/x.yaml:7"}
    assert store.is_symlink() and store.resolve() == second.resolve()
    assert not first.exists(), "the replaced store is removed"
    assert len(read_graph(store)) == 2  # the build graph is not part of the published graph


def test_failed_write_leaves_old_store(tmp_path):
    store = tmp_path / "store"
    write_store(store, A)
    target = os.readlink(store)
    with pytest.raises(SyntaxError):
        write_store(store, b"<https://example.org/broken> <p> .\n")
    assert os.readlink(store) == target
    assert triple_count(store) == 1
    assert os.listdir(tmp_path / "stores") == [os.path.basename(target)], "no half-built store left"


def test_missing_store_names_the_fix(tmp_path):
    with pytest.raises(StoreError, match="run `ngograph build` first"):
        open_store(tmp_path / "nothing")


def test_refuses_to_replace_a_plain_directory(tmp_path):
    (tmp_path / "store").mkdir()
    with pytest.raises(StoreError, match="not an ngograph store link"):
        write_store(tmp_path / "store", A)
    assert not (tmp_path / "stores").exists(), "refused before anything is written"


def _batches_then(error):
    yield b'<https://example.org/a> <https://example.org/p> "loaded" .\n'
    raise error


@pytest.mark.parametrize("batches", [
    lambda: _batches_then(ValueError("the reader failed")),  # the producer fails while the loader works
    lambda: iter([b"<https://example.org/a> <https://example.org/p> not N-Triples .\n"]),  # the loader fails
], ids=["reader-fails", "loader-fails"])
def test_an_import_that_fails_on_either_side_leaves_the_store_as_it_was(tmp_path, batches):
    from ngograph.store.embedded import write_graph

    link = tmp_path / "store"
    write_store(link, b'<https://example.org/a> <https://example.org/p> "curated" .\n')
    before = os.readlink(link)
    with pytest.raises((ValueError, SyntaxError)):
        write_graph(link, ox.NamedNode("https://example.org/dataset/x"), batches())
    assert os.readlink(link) == before and triple_count(link) == 1
    assert [p.name for p in (tmp_path / "stores").iterdir()] == [os.path.basename(before)]
