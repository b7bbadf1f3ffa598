"""The embedded store is replaced atomically: readers see the old graph or the new one."""

from __future__ import annotations

import os

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
