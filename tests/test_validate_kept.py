"""The report `ngograph validate` keeps in the store's folder: read back when asked again of the same store
the same way, found again after any change (a build, another engine or source, --fresh, a file that cannot
be read), never kept for a store folder some other program may change."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest

import ngograph.validate.kept as kept_module
from ngograph.cli import main

from conftest import DATA
from ngograph.store.embedded import snapshot, write_store
from ngograph.validate.kept import FORMAT, _package_digest, keep, kept_file, read_kept, report_key
from ngograph.validate.shacl import Result


def _validate(capsys, store, *extra) -> tuple[int, str, str]:
    code = main(["validate", "--store", str(store), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err.splitlines()[-1]


def _kept(link: Path) -> list[Path]:
    return sorted(Path(os.path.realpath(link)).glob("validation-*.json.gz"))


@pytest.fixture
def store(tmp_path, built) -> Path:
    link = tmp_path / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    return link


def test_asked_again_the_report_is_read_back_the_same(store, capsys):
    code, first, log = _validate(capsys, store)
    assert code == 0 and log.startswith("validate: the store's graph checked in ")
    files = _kept(store)
    assert [f.name for f in files] == [f"validation-{report_key('fast')}.json.gz"]
    code, again, log = _validate(capsys, store)
    assert code == 0 and again == first and "WARNINGS (2)" in again and "data/projects/seed-004.yaml:4" in again
    assert log.startswith("validate: the report kept in the store's folder read (--fresh: validate again) in ")
    # the severity and the number shown are applied to the kept report as to a fresh one
    _, kept_warnings, _ = _validate(capsys, store, "--severity", "warning", "--max-per-group", "1")
    _, fresh_warnings, log = _validate(capsys, store, "--severity", "warning", "--max-per-group", "1", "--fresh")
    assert kept_warnings == fresh_warnings and "INFOS" not in kept_warnings and "checked in" in log
    _, kept_all, _ = _validate(capsys, store, "--max-per-group", "1")
    assert "    ... and 3 more\n" in kept_all  # 4 projects have no budget
    assert len([line for line in kept_all.splitlines() if "the project has no budget" in line]) == 1


def test_the_kept_report_is_the_engines_results(store, capsys, built):
    from ngograph.store.embedded import Locations, open_store
    from ngograph.store.backends import Embedded
    from ngograph.validate.fast import validate_published
    from ngograph.validate.shacl import with_quality_checks

    _validate(capsys, store)
    with open_store(store) as s:
        locations = Locations(s)
        report = with_quality_checks(lambda: validate_published(s, None, locations), Embedded(s.store), locations)
    assert read_kept(_kept(store)[0], report_key("fast")) == report.results and len(report.results) == 11


def test_each_way_of_asking_has_its_own_report(store, capsys):
    _validate(capsys, store)
    _, _, log = _validate(capsys, store, "--engine", "pyshacl")
    assert "triples checked in" in log
    _, _, log = _validate(capsys, store, "--source", "curated")
    assert "checked in" in log
    assert len(_kept(store)) == 3
    _, _, log = _validate(capsys, store, "--source", "curated")
    assert "kept in the store's folder read" in log


def test_a_new_build_is_validated_afresh(store, capsys, built):
    _validate(capsys, store)
    old = Path(os.path.realpath(store))
    write_store(store, built.nt, built.locations_nt(), built.vocab_nt)
    assert Path(os.path.realpath(store)) != old and not old.exists()  # the old folder went, its report with it
    assert _kept(store) == []
    _, _, log = _validate(capsys, store)
    assert "checked in" in log and len(_kept(store)) == 1


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[:100]),  # cut short
    lambda p: p.write_bytes(b"not gzip"),
    lambda p: p.write_bytes(gzip.compress(b"[1, 2")),  # not JSON
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT + 1, "key": report_key("fast"),
                                                      "results": []}).encode())),
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT, "key": "another",
                                                      "results": []}).encode())),
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT, "key": report_key("fast"),
                                                      "results": [["Warning", "s", "", "f", "c"]]}).encode())),
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT, "key": report_key("fast"),
                                                      "results": [[1, 2, 3, 4, 5, 6, 7, 8]]}).encode())),
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT, "key": report_key("fast")}).encode())),
    lambda p: p.write_bytes(gzip.compress(json.dumps({"format": FORMAT, "key": report_key("fast"),
                                                      "results": {"Warning1": 1}}).encode())),  # a dict: its keys
    lambda p: p.write_bytes((lambda b: b[:30] + bytes(x ^ 0xFF for x in b[30:32]) + b[32:])(p.read_bytes())),  # zlib
])
def test_a_kept_report_that_cannot_be_read_is_found_again(store, capsys, damage):
    _, first, _ = _validate(capsys, store)
    damage(_kept(store)[0])
    code, again, log = _validate(capsys, store)
    assert code == 0 and again == first and "checked in" in log
    assert read_kept(_kept(store)[0], report_key("fast")) is not None  # written anew
    _, _, log = _validate(capsys, store)
    assert "kept in the store's folder read" in log


def test_fresh_validates_and_keeps_the_new_report(store, capsys):
    _validate(capsys, store)
    path = _kept(store)[0]
    keep(path, report_key("fast"), [Result("Violation", "ngosh:Made", "", "https://e.org/x", "sh:X", "up")])
    code, out, _ = _validate(capsys, store)
    assert code == 1 and "ngosh:Made" in out  # what is kept is read (whoever wrote it): --fresh is the way out
    code, out, log = _validate(capsys, store, "--fresh")
    assert code == 0 and "ngosh:Made" not in out and "checked in" in log
    code, out, _ = _validate(capsys, store)
    assert code == 0 and "ngosh:Made" not in out


def test_no_report_is_kept_for_a_store_folder_given_as_itself(store, capsys):
    folder = Path(os.path.realpath(store))
    _, _, log = _validate(capsys, folder)
    assert "checked in" in log and _kept(store) == []
    _, _, log = _validate(capsys, folder)
    assert "checked in" in log


def test_a_folder_that_cannot_be_written_costs_one_line_and_nothing_else(store, capsys, monkeypatch):
    def refuse(path, key, results):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(kept_module, "keep", refuse)
    for _ in range(2):  # nothing kept: found again
        assert main(["validate", "--store", str(store)]) == 0
        out, err = capsys.readouterr()
        assert "WARNINGS (2)" in out and "Traceback" not in err
        first, second = err.splitlines()[-2:]
        assert first.startswith("validate: the report is not kept in the store's folder: [Errno 13] Permission denied")
        assert second.startswith("validate: the store's graph checked in ")
    assert _kept(store) == []


def test_snapshot_is_a_folder_ngograph_swapped_in(store, tmp_path):
    folder = Path(os.path.realpath(store))
    assert snapshot(store, folder)
    assert not snapshot(folder, folder)  # the folder given as the store
    other = tmp_path / "elsewhere" / "stores" / folder.name
    assert not snapshot(store, other)  # the name, but not under the link's stores/
    assert not snapshot(store, folder.with_name(f".{folder.name}.new"))  # one being written
    assert not snapshot(store, folder.with_name(f"{folder.name}.old"))
    assert not snapshot(store, folder.with_name(f".{folder.name}"))  # a dot, no suffix: never a store
    assert not snapshot(tmp_path / "other", folder)  # another link's name


def test_the_key_names_engine_inference_sources_and_package():
    base = report_key("fast")
    assert len({base, report_key("pyshacl"), report_key("fast", "rdfs"), report_key("fast", sources=["cordis"]),
                report_key("fast", sources=["cordis", "iati"])}) == 5
    assert report_key("fast", "none", None) == base == report_key("fast", "none", ())


def test_the_package_digest_reads_every_file_but_caches(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "shapes.ttl").write_text("# shapes\n")
    (root / "sub" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    (root / "b.pyc").write_bytes(b"compiled")
    first = _package_digest.__wrapped__(root)
    (root / "sub" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled again")
    (root / "b.pyc").write_bytes(b"compiled again")
    assert _package_digest.__wrapped__(root) == first
    (root / "sub" / "shapes.ttl").write_text("# shapes, changed\n")
    changed = _package_digest.__wrapped__(root)
    assert changed != first
    (root / "sub" / "shapes.ttl").rename(root / "shapes.ttl")  # same content, another place
    assert _package_digest.__wrapped__(root) not in (first, changed)
    (root / "sub" / "queries.rq").write_text("ASK {}\n")
    before = _package_digest.__wrapped__(root)
    (root / "linked").symlink_to(root / "sub", target_is_directory=True)  # followed, as the resources are
    assert _package_digest.__wrapped__(root) != before
    linked = _package_digest.__wrapped__(root)
    (root / ".#shapes.ttl").symlink_to(root / "nowhere")  # an editor's lock: a dangling link
    os.mkfifo(root / "pipe")  # never read (it would wait for a writer)
    assert _package_digest.__wrapped__(root) == linked


def test_kept_file_lies_in_the_folder(tmp_path):
    assert kept_file(tmp_path, "k") == tmp_path / "validation-k.json.gz"


def test_the_key_is_the_sha256_of_what_was_asked(monkeypatch):
    import hashlib

    monkeypatch.setattr(kept_module, "_package_digest", lambda: "p0")
    monkeypatch.setattr(kept_module, "_version", lambda name: f"{name}-1")
    asked = ('{"engine": "fast", "format": 1, "inference": "rdfs", "libraries": {"owlrl": "owlrl-1", '
             '"pyoxigraph": "pyoxigraph-1", "pyshacl": "pyshacl-1", "rdflib": "rdflib-1"}, "package": "p0", '
             f'"python": "{sys.version_info[0]}.{sys.version_info[1]}", "sources": ["a", "b"]}}')
    assert report_key("fast", "rdfs", ["b", "a"]) == hashlib.sha256(asked.encode()).hexdigest()


def test_a_library_that_is_not_installed_has_version_question_mark():
    assert kept_module._version("ngograph-no-such-package") == "?"
    assert kept_module._version("pyoxigraph") == __import__("pyoxigraph").__version__


def test_a_kept_file_is_the_same_bytes_for_the_same_results(tmp_path):
    results = [Result("Warning", "ngosh:S", "a.yaml:3", "https://e.org/Rīga", "sh:X", "nav nosaukuma")]
    keep(tmp_path / "a.json.gz", "k", results)
    keep(tmp_path / "b.json.gz", "k", results)
    data = (tmp_path / "a.json.gz").read_bytes()
    assert data == (tmp_path / "b.json.gz").read_bytes() and data[4:8] == bytes(4)  # no time in the gzip header


def test_a_kept_report_reads_back_whatever_the_locale(tmp_path):
    from test_ascii_locale import run_ascii

    results = [Result("Warning", "ngosh:S", "a.yaml:3", "https://e.org/Rīga", "sh:X", "nav nosaukuma: Daugavpils")]
    path = tmp_path / "r.json.gz"
    keep(path, "k", results)
    assert read_kept(path, "k") == results
    out = run_ascii("import sys; from pathlib import Path; from ngograph.validate.kept import read_kept; "
                    "print(ascii(read_kept(Path(sys.argv[1]), 'k')[0].focus))", str(path))
    assert out == ascii("https://e.org/Rīga")


def test_pyshacl_is_asked_for_the_inference_the_user_asked(tmp_path, capsys):
    """RDFS inference types a subject of ngo:inProject (rdfs:domain ngo:Participation) as a participation,
    which then lacks its participant and role: results only with --inference rdfs."""
    link = tmp_path / "store"
    write_store(link, b"<https://example.org/x> <https://w3id.org/ngograph/def#inProject> <https://example.org/p> .\n")
    _, plain, _ = _validate(capsys, link, "--engine", "pyshacl")
    _, inferred, _ = _validate(capsys, link, "--engine", "pyshacl", "--inference", "rdfs")
    assert "ngosh:ParticipationShape" not in plain
    assert "ngosh:ParticipationShape > ngo:participant [sh:MinCountConstraintComponent] (1)" in inferred
    assert len(_kept(link)) == 2  # each inference its own report


def test_the_quality_checks_name_their_records_and_see_only_the_sources_asked(tmp_path, capsys, built):
    from ngograph.store.imports import import_source
    from test_cli import store_with_an_unfunded_funder
    from test_validate_fast import BASE, SOURCES

    link = tmp_path / "store"
    store_with_an_unfunded_funder(built, link)
    import_source(link, "cordis", [SOURCES / "cordis" / "h2020.csv"], BASE)
    code, out, _ = _validate(capsys, link)
    assert code == 1
    assert ("  qc:funder-without-grant-violation [SPARQL quality check] (1)\n    data/projects/seed-004.yaml:4: "
            "project/ngo-state-interaction-vulnerable-groups: ") in out
    code, out, _ = _validate(capsys, link, "--source", "cordis")
    assert code == 0 and "qc:" not in out


def test_inference_leaves_rdflibs_literal_conversions_as_they_were(capsys, tmp_path, built):
    from rdflib import Literal, XSD, term

    before = dict(term._toPythonMapping)
    test_pyshacl_is_asked_for_the_inference_the_user_asked(tmp_path, capsys)
    assert term._toPythonMapping == before
    assert not Literal("--08-15", datatype=XSD.gMonthDay).ill_typed and not Literal("--08", datatype=XSD.gMonth).ill_typed
    assert main(["build", "--data", str(DATA), "--store", str(tmp_path / "again")]) == 0  # the recurring dates conform


def test_a_new_graph_in_a_checkpoint_of_the_store_has_no_kept_report(store, capsys):
    from ngograph.store.imports import import_source
    from test_validate_fast import BASE, SOURCES

    _, before, _ = _validate(capsys, store)
    old = _kept(store)
    import_source(store, "cordis", [SOURCES / "cordis" / "h2020.csv"], BASE)  # a checkpoint (hard links) + the graph
    assert _kept(store) == [] and not old[0].exists()
    code, after, log = _validate(capsys, store)
    assert "checked in" in log and after != before and "h2020.csv:row 4" in after


def test_pyshacl_kept_report_is_its_fresh_one(store, capsys):
    _, fresh, _ = _validate(capsys, store, "--engine", "pyshacl")
    _, kept, log = _validate(capsys, store, "--engine", "pyshacl")
    assert kept == fresh and "kept in the store's folder read" in log and "WARNINGS (2)" in kept


def test_a_package_file_that_cannot_be_read_keeps_nothing_and_validates(store, capsys, monkeypatch):
    def unreadable():
        raise PermissionError(13, "Permission denied", "ontology/shapes.ttl")

    monkeypatch.setattr(kept_module, "_package_digest", unreadable)
    assert main(["validate", "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "WARNINGS (2)" in out and _kept(store) == []
    assert err.splitlines()[-2] == "validate: the report is not kept: [Errno 13] Permission denied: 'ontology/shapes.ttl'"


def test_a_folder_where_the_report_goes_costs_one_line(store, capsys):
    folder = kept_file(Path(os.path.realpath(store)), report_key("fast"))
    folder.mkdir()
    assert main(["validate", "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "WARNINGS (2)" in out and err.splitlines()[-2].startswith("validate: the report is not kept in the store's folder: ")
    assert folder.is_dir()


def test_nothing_is_kept_in_a_folder_that_went(tmp_path):
    with pytest.raises(FileNotFoundError) as gone:
        keep(tmp_path / "gone" / "validation-k.json.gz", "k", [])
    assert str(gone.value) == f"[Errno 2] no such folder: '{tmp_path / 'gone'}'"
    assert not (tmp_path / "gone").exists()
