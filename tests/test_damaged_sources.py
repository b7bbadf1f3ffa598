"""A damaged source file refuses the whole import: one line naming the file and where the damage shows,
exit code 2, the store as it was (no graph written, nothing recorded). Damaged: a gzip stream cut off or
corrupt, XML or JSON cut off or broken after its start, a CSV quote opened and never closed. Importing what
could be read of such a file exited 0 and recorded the file with its SHA-256 as imported.

A file of another kind (IATI 1.x, a ``.xml.gz`` holding JSON) is still one problem for the file, and the
rest goes on. Every file here is made from the fixtures of tests/fixtures/sources/.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import zlib
from pathlib import Path

import pytest

from ngograph.cli import main
from ngograph.store.embedded import write_store

SOURCES = Path(__file__).parent / "fixtures" / "sources"
SEED = b'<https://w3id.org/ngograph/id/project/x> <http://www.w3.org/2000/01/rdf-schema#label> "curated" .\n'
REFUSED = "the file is damaged; nothing is imported, the store is unchanged"


def _import(store: Path, source: str, *paths: Path, name: str = "kept") -> int:
    return main(["import", source, *map(str, paths), "--store", str(store), "--name", name, "--quiet",
                 "--no-reconcile"])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store with the curated seed and one Interreg import named ``kept``, which a damaged Interreg import must not
    replace (damaged files of other sources are imported under their source's name: ``kept`` is refused to them)."""
    link = tmp_path_factory.mktemp("damaged") / "store"
    write_store(link, SEED)
    assert _import(link, "interreg", SOURCES / "interreg" / "rawdata_2026.json") == 0
    return link


def _state(store: Path, capsys) -> tuple[str, str]:
    """What the store holds, as ``ngograph import --list`` prints it, and the folder its link names."""
    capsys.readouterr()
    assert main(["import", "--list", "--store", str(store)]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("kept ")
    return listed, os.readlink(store)


def _refused(store: Path, capsys, source: str, *paths: Path, name: str | None = None) -> str:
    """Import ``paths`` as ``name`` (by default over the earlier import, for interreg files; under the source's own
    name, for others, since the earlier import's name is refused to another source): exit 2, one line on stderr
    (returned), nothing on stdout, the store unchanged."""
    if name is None:
        name = "kept" if source == "interreg" else source
    before = _state(store, capsys)
    assert _import(store, source, *paths, name=name) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    assert _state(store, capsys) == before
    return err.rstrip("\n")


def _cut_gzip(text: bytes) -> bytes:
    """``text`` gzipped with no end: a stream whose data end after ``text`` (a download cut off there)."""
    packer = zlib.compressobj(wbits=31)
    return packer.compress(text) + packer.flush(zlib.Z_SYNC_FLUSH)


def _lines(path: Path, n: int) -> bytes:
    """The first ``n`` lines of a file."""
    return b"".join(path.read_bytes().splitlines(keepends=True)[:n])


# ---------------------------------------------------------------------------- IATI

NORDIC = SOURCES / "iati" / "dportal15_nordic_ngos.xml"


def test_iati_gzip_cut_off(store, tmp_path, capsys):
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(_cut_gzip(_lines(NORDIC, 60)))  # the first activity whole, the second begun
    assert _refused(store, capsys, "iati", SOURCES / "iati" / "globalgiving_no_currency.xml", cut) == (
        f"ngograph import: {cut}:61: corrupt gzip data (Compressed file ended before the end-of-stream marker was "
        f"reached): {REFUSED}")


def test_iati_gzip_half_of_its_bytes(store, tmp_path, capsys):
    """The reviewer's case: the first half of a gzip file's bytes."""
    data = gzip.compress(NORDIC.read_bytes())
    half = tmp_path / "half.xml.gz"
    half.write_bytes(data[:len(data) // 2])
    err = _refused(store, capsys, "iati", half, name="t3")  # a new name: no dataset recorded either
    decompressed = zlib.decompressobj(wbits=31).decompress(half.read_bytes())
    assert 0 < len(decompressed) < len(NORDIC.read_bytes())
    line = decompressed.count(b"\n") + 1
    assert err == (f"ngograph import: {half}:{line}: corrupt gzip data (Compressed file "
                   f"ended before the end-of-stream marker was reached): {REFUSED}")  # the line the data end in


def test_iati_gzip_with_a_bad_checksum(store, tmp_path, capsys):
    data = gzip.compress(NORDIC.read_bytes())
    bad = tmp_path / "crc.xml.gz"
    bad.write_bytes(data[:-8] + bytes(8))
    crc = zlib.crc32(NORDIC.read_bytes())
    assert _refused(store, capsys, "iati", bad) == (
        f"ngograph import: {bad}:147: corrupt gzip data (CRC check failed 0x0 != 0x{crc:x}): {REFUSED}")


def test_iati_xml_cut_off_inside_a_tag(store, tmp_path, capsys):
    cut = tmp_path / "cut.xml"
    cut.write_bytes(_lines(NORDIC, 60) + b"  <transaction-da")
    assert _refused(store, capsys, "iati", cut) == (
        f"ngograph import: {cut}:61: the XML ends early (unclosed token at column 2): {REFUSED}")


def test_iati_xml_cut_off_between_elements(store, tmp_path, capsys):
    cut = tmp_path / "cut.xml"
    cut.write_bytes(_lines(NORDIC, 113))  # two activities whole, the root element never closed
    assert _refused(store, capsys, "iati", cut) == (
        f"ngograph import: {cut}:114: the XML ends early (no element found at column 0): {REFUSED}")


def test_iati_xml_broken_after_its_start(store, tmp_path, capsys):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(_lines(NORDIC, 46) + b"<<\n" + b"".join(NORDIC.read_bytes().splitlines(keepends=True)[46:]))
    assert _refused(store, capsys, "iati", broken) == (
        f"ngograph import: {broken}:47: not well-formed XML (not well-formed (invalid token) at column 1) after the "
        f"document's start: {REFUSED}")


def test_iati_files_of_another_kind_are_still_one_line_each(tmp_path, capsys):
    """Not damaged: a .xml.gz holding JSON and an IATI 1.x file are skipped with a line each, the rest imported."""
    link = tmp_path / "store"
    write_store(link, SEED)
    files = [SOURCES / "iati" / name for name in ("dportal_140.xml.gz", "legacy_dfid_out_v1.xml",
                                                  "globalgiving_no_currency.xml")]
    assert _import(link, "iati", *files, name="iati") == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"{files[0]}:1: not XML: not well-formed (invalid token) at column 0; the file is skipped",
        f"{files[1]}:2: IATI 1.x is not imported (version '1.0'): file skipped"]


# ---------------------------------------------------------------------------- JSON

def test_interreg_json_cut_off(store, tmp_path, capsys):
    """The reviewer's case: the first 4,000 bytes of the partner file (one line of JSON)."""
    raw = tmp_path / "raw.json"
    raw.write_bytes((SOURCES / "interreg" / "rawdata_2026.json").read_bytes()[:4000])
    assert _refused(store, capsys, "interreg", raw) == (
        "ngograph import: raw.json#/7: the JSON ends early (Expecting property name enclosed in double quotes at "
        f"line 1 column 3968): {REFUSED}")


def test_giving360_json_cut_off_inside_a_string(store, tmp_path, capsys):
    cut = tmp_path / "baring.json"
    cut.write_bytes(_lines(SOURCES / "giving360" / "baring.json", 60) + b'            "title": "The Fo')
    assert _refused(store, capsys, "360giving", SOURCES / "giving360" / "nominet.json", cut) == (
        f"ngograph import: baring.json#/grants/1: the JSON ends early (Unterminated string starting at line 61 column "
        f"22): {REFUSED}")


def test_json_with_nan_after_its_start(store, tmp_path, capsys):
    """Not JSON further on: the items after it would be lost unsaid, as with a file cut off."""
    text = (SOURCES / "interreg" / "rawdata_2026.json").read_text(encoding="utf-8")
    bad = tmp_path / "nan.json"
    bad.write_text(text[:-1] + ", NaN]", encoding="utf-8")
    count = len(json.loads(text))  # the partner rows before the NaN
    assert _refused(store, capsys, "interreg", bad) == (
        f"ngograph import: nan.json#/{count}: not readable as JSON (NaN is not a JSON number at line 1 column "
        f"{len(text) + 2}): {REFUSED}")


# ---------------------------------------------------------------------------- CSV

def test_table_csv_quote_never_closed(store, tmp_path, capsys):
    """The reviewer's case: a quote opened at the end of a row swallowed the rest of organisations.csv into one cell."""
    folder = tmp_path / "tbl"
    shutil.copytree(SOURCES / "table" / "good", folder)
    orgs = folder / "organisations.csv"
    lines = orgs.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + ',"unterminated\n'
    orgs.write_text("".join(lines), encoding="utf-8")
    assert _refused(store, capsys, "table", folder) == (
        f"ngograph import: organisations.csv:row 1: a quote opened in this row (line 2) is never closed: lines 2-4, "
        f"to the end of the file, would be read as one row: {REFUSED}")


def test_csv_quote_never_closed_on_the_last_line(store, tmp_path, capsys):
    data = tmp_path / "dataset.csv"
    text = (SOURCES / "forskningsradet" / "dataset.csv").read_text(encoding="utf-8")
    data.write_text(text.rstrip("\r\n") + ';"\n', encoding="utf-8")
    rows = len(text.rstrip("\r\n").splitlines()) - 1
    assert _refused(store, capsys, "forskningsradet", data) == (
        f"ngograph import: dataset.csv:row {rows}: a quote opened in this row (line {rows + 1}, the last) is never "
        f"closed: {REFUSED}")


@pytest.mark.parametrize("source, text, where, kind", [
    # the JSON reader asks for 64 KiB of text at a time: the damage shows before the first item is whole
    ("360giving", _lines(SOURCES / "giving360" / "baring.json", 60), "baring.json.gz", "JSON"),
    ("forskningsradet", _lines(SOURCES / "forskningsradet" / "dataset.csv", 8), "dataset.csv.gz:row 8", "CSV"),
    # CORDIS reads each file's header to know its table: a file cut off there is damaged, not "not read"
    ("cordis", (SOURCES / "cordis" / "h2020.csv").read_bytes()[:40], "h2020.csv.gz", "CSV"),
])
def test_json_and_csv_gzip_cut_off(store, tmp_path, capsys, source, text, where, kind):
    cut = tmp_path / where.split(":")[0]
    cut.write_bytes(_cut_gzip(text))
    assert _refused(store, capsys, source, cut) == (
        f"ngograph import: {where}: not readable as {kind} (corrupt gzip data: Compressed file ended before the "
        f"end-of-stream marker was reached): {REFUSED}")


def test_a_closed_multi_line_cell_at_the_end_of_the_file_is_no_damage(tmp_path):
    """The last row's quoted cell, closed, with or without a final line break: read as it is."""
    from ngograph.sources.tabular import Column, read_table

    for end in ("", "\n", "\r\n"):
        path = tmp_path / "t.csv"
        path.write_text(f'id,name\n1,"a\nb"{end}', encoding="utf-8", newline="")
        problems: list = []
        assert [fields for _, fields, _ in read_table(path, [Column("id", "id"), Column("name", "name")],
                                                      problems)] == [{"id": "1", "name": "a\nb"}]
        assert problems == []
