"""An import that reads no record is refused (exit 2) and leaves the store as it was: an empty
folder, or files none of which the reader can read, must not replace an earlier import of
the same name by an empty graph (`ngograph import --drop NAME` is how an import is removed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ngograph.cli import main
from ngograph.store.embedded import write_store
from ngograph.store.imports import SHOWN_PROBLEMS, _nothing_read, list_imports

SOURCES = Path(__file__).parent / "fixtures" / "sources"
SEED = b'<https://w3id.org/ngograph/id/project/x> <http://www.w3.org/2000/01/rdf-schema#label> "curated" .\n'
#: one readable fixture per source, and a file named as the source's kind that its reader cannot read
CASES = {
    # (not a damaged one: a file cut off refuses the import by itself, tests/test_damaged_sources.py)
    "iati": ("iati/dportal15_nordic_ngos.xml", "broken.xml", '{"result": [], "duration": 3.357}'),
    "cordis": ("cordis/h2020.csv", "broken.csv", "a;b;c\n1;2;3\n"),
    "360giving": ("giving360/baring.json", "broken.json", "[1, 2, 3]"),
    "interreg": ("interreg/rawdata_2026.json", "broken.json", "{}"),
    "forskningsradet": ("forskningsradet/dataset.csv", "broken.csv", "a;b;c\n1;2;3\n"),
}


def test_fixture_files_are_there():
    for fixture, _, _ in CASES.values():
        assert (SOURCES / fixture).is_file(), fixture


@pytest.fixture()
def store(tmp_path) -> Path:
    link = tmp_path / "store"
    write_store(link, SEED)
    return link


def _import(store: Path, source: str, *paths: Path) -> int:
    return main(["import", source, *map(str, paths), "--store", str(store), "--quiet", "--no-reconcile"])


@pytest.mark.parametrize("source", sorted(CASES))
def test_an_empty_folder_or_unreadable_files_keep_the_earlier_import(source, store, tmp_path, capsys):
    fixture, broken_name, broken_text = CASES[source]
    assert _import(store, source, SOURCES / fixture) == 0
    (before,) = list_imports(store)
    assert before["triples"] > 20
    target = os.readlink(store)
    capsys.readouterr()

    empty = tmp_path / "downloads"
    empty.mkdir()
    assert _import(store, source, empty) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"ngograph import: {empty}: no {source} record could be read from 0 file(s): nothing is imported, "
                   f"the store is unchanged (`ngograph import --drop {source}` removes an earlier import named "
                   f"{source})"]

    broken = tmp_path / broken_name
    broken.write_text(broken_text, encoding="utf-8")
    assert _import(store, source, broken) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("ngograph import: ") and f"{broken.name}" in err[0]  # the reader's problem, naming the file
    assert err[-1].startswith(f"{broken}: no {source} record could be read from 1 file(s): nothing is imported")

    assert list_imports(store) == [before] and os.readlink(store) == target


def test_a_first_import_of_nothing_writes_no_graph(store, tmp_path, capsys):
    target = os.readlink(store)
    assert _import(store, "iati", SOURCES / "iati" / "billion_laughs.xml", SOURCES / "iati" / "xxe_external_entity.xml") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3
    assert err[0].startswith("ngograph import: ") and "billion_laughs.xml:2: refused: the file has a DTD" in err[0]
    assert "xxe_external_entity.xml:" in err[1] and "DTD" in err[1]
    assert "no iati record could be read from 2 file(s)" in err[2]
    assert list_imports(store) == [] and os.readlink(store) == target


def test_one_readable_file_among_unreadable_ones_is_imported(store, capsys):
    assert _import(store, "iati", SOURCES / "iati" / "billion_laughs.xml",
                   SOURCES / "iati" / "dportal15_nordic_ngos.xml") == 0
    (row,) = list_imports(store)
    assert row["name"] == "iati" and len(row["files"]) == 2
    assert "billion_laughs.xml" in capsys.readouterr().err


def test_the_refusal_lists_the_first_fifty_problems_and_every_path():
    problems = [(f"a.xml:{i}", "not XML") for i in range(1, 53)]
    error = _nothing_read("iati", "aid", [Path("downloads"), Path("more.xml")], 1, problems)
    assert SHOWN_PROBLEMS == 50
    assert error.problems == [*problems[:50], ("...", "and 2 more problem(s)"),
                              ("downloads, more.xml", "no iati record could be read from 1 file(s): nothing is imported, "
                                                      "the store is unchanged (`ngograph import --drop aid` removes an "
                                                      "earlier import named aid)")]
    assert _nothing_read("iati", "aid", [Path("x")], 0, problems[:50]).problems[-2] == problems[49]


def test_the_list_takes_the_counts_the_description_keeps(store, capsys, monkeypatch):
    from ngograph.publish import statistics

    assert main(["import", "iati", str(SOURCES / "iati" / "dportal15_nordic_ngos.xml"), "--store", str(store),
                 "--quiet", "--no-reconcile"]) == 0
    (counted,) = list_imports(store)  # the engine counts the graph
    capsys.readouterr()

    def no_count(*args):
        raise AssertionError("counted again")

    assert list_imports(store, lambda s, graphs: dict.fromkeys(graphs, 7))[0]["triples"] == 7  # the counts given
    monkeypatch.setattr(statistics, "graph_statements", no_count)
    assert list_imports(store, statistics.kept_statements) == [counted]
    assert main(["import", "--list", "--store", str(store)]) == 0
    assert capsys.readouterr().out.startswith(f"iati             {counted['triples']:>10,} triples  imported ")


def test_the_counts_of_triples_say_what_they_count(tmp_path, capsys):
    # the import's table gives the graph's triples, as the list does; the summary of a source names the vocabularies'
    vocab = b'<https://w3id.org/ngograph/vocab/x> <http://www.w3.org/2004/02/skos/core#notation> "X" .\n' \
            b'<https://w3id.org/ngograph/vocab/y> <http://www.w3.org/2004/02/skos/core#notation> "Y" .\n'
    store = tmp_path / "store"
    write_store(store, SEED + vocab, vocab_nt=vocab)
    assert main(["import", "iati", str(SOURCES / "iati" / "dportal15_nordic_ngos.xml"), "--store", str(store),
                 "--no-reconcile"]) == 0
    (listed,) = list_imports(store)
    out = capsys.readouterr().out.splitlines()
    (line,) = [row for row in out if row.startswith("triples")]
    written = int(line.split("(")[1].split()[0].replace(",", ""))
    assert line == (f"triples            {listed['triples']:,} in the graph ({written:,} written: a triple written twice "
                    "is stored once)") and written >= listed["triples"] > 100
    assert main(["summary", "--store", str(store), "--source", "iati"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].split() == ["triples", str(listed["triples"] + 2)]
    assert err.splitlines()[0] == "summary: the triples include the 2 of the reference vocabularies (countries, codelists)"
    for sources in ([], ["--source", "curated"]):  # the vocabularies are part of the curated graph: nothing to say
        assert main(["summary", "--store", str(store), *sources]) == 0
        assert "reference vocabularies" not in capsys.readouterr().err
