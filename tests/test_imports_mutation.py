"""Mutation survivors of ngograph/store/imports.py (tools/mutation.py, issue 14): the dataset description
(``_describe``), what ``import_source`` reads, counts and refuses, ``list_imports`` and ``drop_import``,
``reasons``, ``relative_to_read`` and the Research Council's file filter. Tiny spreadsheet-template files
written in tmp_path, real stores, every value written out by hand."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph import __version__
from ngograph.config import data_dir
from ngograph.errors import ConfigError, DataError, Location, SourceError
from ngograph.rdf.emit import Emitter, Roles
from ngograph.resources import vocab_dir
from ngograph.store import imports
from ngograph.store.embedded import GENERATIONS_GRAPH, graph_size, named_graphs, open_store, write_graph, write_store
from ngograph.store.imports import (ImportSummary, _describe, _forskningsradet_files, _Source, drop_import,
                                    import_source, list_imports, reasons, relative_to_read)

BASE = "https://e.org/id/"
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SEED = b'<https://e.org/a> <https://e.org/p> "curated" .\n'
ORGS = ("name,id,name_lang,translated_name,alt_names,country,type,identifier_scheme,identifier,website\n"
        "Example Fund,example-fund,en,,,SE,international,,,\n"
        "Flygtningehj\u00c3\u00a6lp,flygt,da,,,,ngo,,,\n")  # no country; UTF-8 read as Windows-1252
PROJECTS = ("id,name,name_lang,translated_name,alt_names,start,end,budget_amount,budget_currency,countries,"
            "identifier_scheme,identifier,programme,programme_name\n"
            "care,Care,en,,,2020-03,2021-02-28,,,LV;LT,,,,\n")
PARTICIPATIONS = ("project,organisation,role,contribution_amount,contribution_currency,budget_amount,budget_currency\n"
                  "care,flygt,partner,,,,\n")  # a record without names

D = f"<{BASE}dataset/x>"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
NGO = "https://w3id.org/ngograph/def#"


@pytest.fixture()
def store(tmp_path) -> Path:
    """A store holding one curated triple."""
    write_store(tmp_path / "store", SEED)
    return tmp_path / "store"


@pytest.fixture()
def src(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "organisations.csv").write_text(ORGS, encoding="utf-8")
    (folder / "projects.csv").write_text(PROJECTS, encoding="utf-8")
    (folder / "participations.csv").write_text(PARTICIPATIONS, encoding="utf-8")
    return folder


def quads(link: Path) -> list[tuple[str, str, str, str]]:
    with open_store(link) as s:
        return sorted((q.subject.value, q.predicate.value, q.object.value,
                       q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "") for q in s)


# --- _describe ------------------------------------------------------------------------------------------------

def _described(source: _Source, files: list) -> list[str]:
    em = Emitter(BASE, f"{BASE}dataset/x", Roles.read(vocab_dir(data_dir(None)) / "roles.ttl"))
    summary = ImportSummary("x", f"{BASE}dataset/x", files=files)
    _describe(em, summary, source)
    return sorted(em.take().decode().splitlines())


def _common(lines: list[str], title: str) -> list[str]:
    """Check and take out the lines every description has: type, title, import time, software."""
    (when,) = [line for line in lines if "generatedAtTime" in line]
    m = re.fullmatch(rf'{D} <http://www.w3.org/ns/prov#generatedAtTime> '
                     rf'"(\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"\^\^<{XSD}dateTime> \.', when)
    assert m, when
    assert abs(time.mktime(time.strptime(m[1], "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime())) < 60
    rest = [line for line in lines if line != when]
    common = [f"{D} {TYPE} <{NGO}SourceDataset> .", f'{D} <{DCT}title> "{title}: x"@en .',
              f'{D} <{NGO}importedWith> "ngograph {__version__}" .']
    for line in common:
        rest.remove(line)
    return rest


def test_describe_writes_every_statement_of_a_source_with_licence_description_origin_and_rights():
    source = _Source("T", None, None, None, licence="https://e.org/licence", description="What to know",
                     origin="https://e.org/origin", rights="Ask first")
    lines = _described(source, [("a.csv", 12, "ab" * 32), ("b.csv", 0, "cd" * 32)])
    f1, c1, f2, c2 = (f"<{BASE}dataset/x/file/1>", f"<{BASE}dataset/x/file/1/checksum>",
                      f"<{BASE}dataset/x/file/2>", f"<{BASE}dataset/x/file/2/checksum>")
    rights = f"<{BASE}dataset/x/rights>"
    assert _common(lines, "T") == sorted([
        f"{D} <{DCT}license> <https://e.org/licence> .",
        f'{D} <{DCT}description> "What to know"@en .',
        f"{D} <{DCT}source> <https://e.org/origin> .",
        f"{D} <{DCT}rights> {rights} .",
        f"{rights} {TYPE} <{DCT}RightsStatement> .",
        f'{rights} <http://www.w3.org/2000/01/rdf-schema#label> "Ask first"@en .',
        f"{D} <{DCAT}distribution> {f1} .", f"{D} <{DCAT}distribution> {f2} .",
        f"{f1} {TYPE} <{DCAT}Distribution> .", f"{f2} {TYPE} <{DCAT}Distribution> .",
        f"{f1} {TYPE} <{NGO}SourceFile> .", f"{f2} {TYPE} <{NGO}SourceFile> .",
        f'{f1} <{DCT}title> "a.csv" .', f'{f2} <{DCT}title> "b.csv" .',
        f'{f1} <{DCAT}byteSize> "12"^^<{XSD}nonNegativeInteger> .',
        f'{f2} <{DCAT}byteSize> "0"^^<{XSD}nonNegativeInteger> .',
        f"{f1} <{SPDX}checksum> {c1} .", f"{f2} <{SPDX}checksum> {c2} .",
        f"{c1} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .",
        f"{c2} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .",
        f'{c1} <{SPDX}checksumValue> "{"ab" * 32}"^^<{XSD}hexBinary> .',
        f'{c2} <{SPDX}checksumValue> "{"cd" * 32}"^^<{XSD}hexBinary> .',
    ])


def test_describe_leaves_out_what_a_source_does_not_state():
    assert _common(_described(_Source("Plain", None, None, None), []), "Plain") == []


# --- import_source --------------------------------------------------------------------------------------------

def test_an_import_summary_counts_records_countries_mis_decoded_names_files_and_triples(store, src):
    before = quads(store)
    summary = import_source(store, "table", [src], BASE, name="mine")
    assert (summary.name, summary.graph) == ("mine", f"{BASE}dataset/mine")
    assert dict(summary.counts) == {"Organisation": 2, "Project": 1, "Participation": 1}
    assert summary.countries == {"SE", "LV", "LT"}  # the organisation without a country adds none
    assert summary.mis_decoded == [("organisations.csv:row 2", "Flygtningehj\u00c3\u00a6lp")]
    names = ("organisations.csv", "participations.csv", "projects.csv")
    assert summary.files == [(name, len(data), hashlib.sha256(data).hexdigest())
                             for name in names for data in [(src / name).read_bytes()]]
    with open_store(store) as s:
        assert summary.triples == graph_size(s.store, ox.NamedNode(summary.graph)) > 30
    assert 0 < summary.seconds < 60
    after = quads(store)
    assert [q for q in after if q[3] not in (summary.graph, GENERATIONS_GRAPH.value)] == before  # the rest kept
    assert [q[2] for q in after if q[1] == f"{NGO}sourceRecord" and q[3] == summary.graph] == [
        "organisations.csv:row 1", "organisations.csv:row 2", "participations.csv:row 1",
        "projects.csv:row 1"]


def test_the_name_defaults_to_the_source_and_finish_sees_the_new_store(store, src):
    seen = []
    summary = import_source(store, "table", [src], BASE, finish=lambda s: seen.append(
        (len(s), sorted(g.value for g in s.named_graphs()))))
    assert (summary.name, summary.graph) == ("table", f"{BASE}dataset/table")
    # the curated graph's statement, the source's, its generation and the lines written beside it
    assert seen == [(1 + summary.triples + 2, [f"{BASE}dataset/table", GENERATIONS_GRAPH.value])]


def test_progress_is_called_every_ten_thousand_records_and_batches_are_flushed_as_they_fill(store, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.setattr(imports, "LOAD_BATCH", 1000)  # flushed about every 100 organisations
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "organisations.csv").write_text(ORGS.splitlines(keepends=True)[0] + "".join(
        f"Org {n},o{n},en,,,,ngo,,,\n" for n in range(10_000)), encoding="utf-8")
    called, noted = [], []
    monkeypatch.setattr(imports, "_note", lambda record, summary: noted.append(record))
    summary = import_source(store, "table", [folder], BASE, progress=lambda n: called.append((n, len(noted))))
    assert called == [(10_000, 10_000)]  # after the 10,000th record
    with open_store(store) as s:
        assert summary.triples == graph_size(s.store, ox.NamedNode(summary.graph)) > 10_000


def test_locations_are_written_relative_to_the_folder_read(store, tmp_path):
    """IATI locations carry the path given; the graph keeps it from the folder read on (relative_to_read)."""
    folder = tmp_path / "deep" / "iati"
    folder.mkdir(parents=True)
    (folder / "a.xml").write_bytes((FIXTURES / "iati" / "globalgiving_no_currency.xml").read_bytes())
    summary = import_source(store, "iati", [folder], BASE)
    records = {q[2] for q in quads(store) if q[1] == f"{NGO}sourceRecord" and q[3] == summary.graph}
    assert records and all(re.fullmatch(r"a\.xml:\d+", r) for r in records), sorted(records)[:3]


def test_the_roles_of_the_data_folder_are_read_as_the_build_reads_them(store, src, tmp_path):
    data = tmp_path / "mydata"
    (data / "vocab").mkdir(parents=True)
    (data / "vocab" / "roles.ttl").write_text("@prefix s: <https://e.org/> .\ns:a s:b s:c .\nnot turtle <\n",
                                             encoding="utf-8")
    before = quads(store)
    with pytest.raises(DataError) as e:
        import_source(store, "table", [src], BASE, data=data)
    roles = data / "vocab" / "roles.ttl"
    assert e.value.problems == [(Location(str(roles), 3), "cannot parse Turtle: expected directive or statement")]
    roles.unlink()
    with pytest.raises(DataError) as e:
        import_source(store, "table", [src], BASE, data=data)
    assert e.value.problems == [(None, f"{roles} does not exist: the participation roles are needed to read projects "
                                       "and participations")]
    assert quads(store) == before


def test_refusals_name_the_fix_and_leave_the_store_as_it_was(store, src, tmp_path):
    before = quads(store)
    with pytest.raises(ConfigError) as e:
        import_source(store, "nope", [src], BASE)
    assert str(e.value) == ("unknown source 'nope': choose one of iati, cordis, interreg, 360giving, forskningsradet, "
                            "table")
    with pytest.raises(ConfigError) as e:
        import_source(store, "table", [src], BASE, name="curated")
    assert str(e.value) == "--name curated is the curated data's name (--source curated): choose another"
    with pytest.raises(ConfigError) as e:
        import_source(store, "table", [src, tmp_path / "missing"], BASE)
    assert str(e.value) == f"{tmp_path / 'missing'}: no such file or folder"
    with pytest.raises(ConfigError) as e:  # an empty name is no name: it was read as the source's
        import_source(store, "table", [src], BASE, name="")
    assert str(e.value).startswith("--name '' is not a dataset name: use letters")
    assert quads(store) == before and named_graphs(store) == []


def test_a_file_named_twice_is_read_once(store, src):
    """The folder and a file in it, and that file again by another path: each file once (its records were counted
    twice, its problems said twice)."""
    once = import_source(store, "table", [src], BASE, name="once")
    twice = import_source(store, "table", [src, src / "projects.csv", src / ".." / src.name / "projects.csv"], BASE,
                          name="twice")
    assert dict(twice.counts) == dict(once.counts) and len(twice.problems) == len(once.problems)
    assert [f[0] for f in twice.files] == [f[0] for f in once.files]


def test_an_import_of_nothing_is_refused_naming_the_import_to_drop_and_the_store_is_unchanged(store, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "a.xml").write_text('<iati-activities version="2.03"></iati-activities>\n', encoding="utf-8")
    before = quads(store)
    with pytest.raises(SourceError) as e:
        import_source(store, "iati", [tmp_path / "empty"], BASE, name="mine")
    assert e.value.problems == [(str(tmp_path / "empty"), (
        "no iati record could be read from 1 file(s): nothing is imported, the store is unchanged "
        "(`ngograph import --drop mine` removes an earlier import named mine)"))]
    assert quads(store) == before


# --- list_imports, drop_import --------------------------------------------------------------------------------

def test_list_imports_lists_source_graphs_only_with_their_files_sorted_and_import_time(store, src, tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    (one / "projects.csv").write_text(PROJECTS, encoding="utf-8")
    import_source(store, "table", [src], BASE, name="b")
    import_source(store, "table", [one], BASE, name="a")
    # a graph with no import time of its own, and one (listed first) that is not an import's but says things of c
    c, when = f"<{BASE}dataset/c>", "<http://www.w3.org/ns/prov#generatedAtTime>"
    write_graph(store, ox.NamedNode(f"{BASE}dataset/c"), [f"<{BASE}dataset/c/file/1> <{DCT}title> \"z.csv\" .\n"
                                                            f"{c} <{DCT}title> \"C\" .\n"
                                                            f"<https://e.org/x> {when} \"2001\" .\n".encode()])
    other = f"{c} {when} \"1999\" .\n<{BASE}dataset/c/file/2> <{DCT}title> \"w.csv\" .\n"
    write_graph(store, ox.NamedNode("https://e.org/aaa"), [other.encode()])
    rows = list_imports(store)
    assert [(r["name"], r["graph"], r["files"]) for r in rows] == [
        ("a", f"{BASE}dataset/a", ["projects.csv"]),
        ("b", f"{BASE}dataset/b", ["organisations.csv", "participations.csv", "projects.csv"]),
        ("c", f"{BASE}dataset/c", ["z.csv"])]
    with open_store(store) as s:
        assert [r["triples"] for r in rows] == [graph_size(s.store, ox.NamedNode(r["graph"])) for r in rows]
    assert rows[2]["triples"] == 3 and rows[2]["imported"] == ""
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["imported"]) for r in rows[:2])


def test_drop_import_removes_that_graph_only_and_names_the_imports_there_are(store, src):
    with pytest.raises(ConfigError) as e:
        drop_import(store, "b")
    assert str(e.value) == f"no imported source named 'b' in {store} (imported: none)"
    import_source(store, "table", [src], BASE, name="a")
    import_source(store, "table", [src], BASE, name="b")
    kept = [q for q in quads(store) if q[3] != f"{BASE}dataset/b" and q[0] != f"{BASE}dataset/b"
            and f'"graph": "{BASE}dataset/b"' not in q[2]]  # b's generation and the lines written into it go
    seen = []
    assert drop_import(store, "b", finish=lambda s: seen.append(sorted(g.value for g in s.named_graphs()))) == \
        f"{BASE}dataset/b"
    assert seen == [[f"{BASE}dataset/a", GENERATIONS_GRAPH.value]]
    assert quads(store) == kept
    import_source(store, "table", [src], BASE, name="c")
    with pytest.raises(ConfigError) as e:
        drop_import(store, "b")
    assert str(e.value) == f"no imported source named 'b' in {store} (imported: a, c)"


# --- reasons, relative_to_read, _forskningsradet_files ----------------------------------------------------------

def test_reasons_leave_out_quoted_values_and_numbers():
    got = reasons([("a:1", 'name "X 1" is too long'), ("a:2", "amount 1,5 or 2.25 of 3"),
                   ("a:3", "amount 7 or 8 of 9"), ("a:4", "name 'Y' is too long"), ("a:5", "plain")])
    assert got == {"name '…' is too long": 2, "amount N or N of N": 2, "plain": 1}


def test_reasons_keep_the_number_of_a_standard():
    """The CORDIS summary said "read as Namibia (ISO N-N NA)"; a standard's number is no value."""
    got = reasons([("t:row 5", "country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value"),
                   ("t:row 8", "country 'NA' read as Namibia (ISO 3166-1 NA), not as a missing value"),
                   ("t:row 9", "'XX' is not an ISO 4217 currency code, 12 of ISO 3166"),
                   ("t:row 10", "ISO3 4 and 'ISO 5'")])
    assert got == {"country '…' read as Namibia (ISO 3166-1 NA), not as a missing value": 2,
                   "'…' is not an ISO 4217 currency code, N of ISO 3166": 1, "ISO3 N and '…'": 1}  # ISO3: a name's digit, kept


def test_relative_to_read_without_files_keeps_locations_and_with_files_cuts_the_common_folder(tmp_path):
    assert relative_to_read([])("/home/me/a.xml:1") == "/home/me/a.xml:1"
    where = relative_to_read([tmp_path / "a" / "x.csv"])
    assert where(f"{tmp_path / 'a' / 'x.csv'}:row 3") == "x.csv:row 3"
    assert where(f"{tmp_path / 'b.csv'}:row 3") == f"{tmp_path / 'b.csv'}:row 3"
    where = relative_to_read([tmp_path / "a" / "x.csv", tmp_path / "b" / "y.csv", tmp_path / "a" / "x.csv.gz"])
    assert [where(f"{tmp_path / p}#/1") for p in ("b/y.csv", "a/x.csv.gz", "a/x.csv", "b/y.csv")] == [
        "b/y.csv#/1", "a/x.csv.gz#/1", "a/x.csv#/1", "b/y.csv#/1"]


def test_the_research_councils_files_are_its_csv_files_but_the_field_lists(tmp_path):
    for name in ("fields.csv", "fields.2024.csv.gz", "grants.csv", "more.csv.gz", "notes.txt", "myfields.csv"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert sorted(p.name for p in _forskningsradet_files([tmp_path], [])) == [
        "grants.csv", "more.csv.gz", "myfields.csv"]


def test_files_named_relatively_and_absolutely_together_are_imported(store, src, tmp_path, monkeypatch):
    """A folder named relatively beside a file named by its absolute path: ``relative_to_read`` took the common
    folder of both as written and failed with "Can't mix absolute and relative paths" (a traceback)."""
    (tmp_path / "elsewhere").mkdir()
    (src / "projects.csv").rename(tmp_path / "elsewhere" / "projects.csv")
    monkeypatch.chdir(tmp_path)
    summary = import_source(store, "table", [Path("elsewhere"), src / "organisations.csv"], BASE)
    assert dict(summary.counts) == {"Organisation": 2, "Project": 1}
    where = relative_to_read([Path("elsewhere/projects.csv"), src / "organisations.csv"])
    assert where("elsewhere/projects.csv:row 1") == "elsewhere/projects.csv:row 1"
    assert where(f"{src / 'organisations.csv'}:row 2") == "src/organisations.csv:row 2"
    where = relative_to_read([Path("elsewhere/../elsewhere/projects.csv")])
    assert where("elsewhere/../elsewhere/projects.csv:row 1") == "projects.csv:row 1"


def test_every_source_states_a_licence_or_its_rights():
    """DCAT-AP: a harvester needs the terms of each subset and its dump; the spreadsheet template's had neither."""
    from ngograph.store.imports import SOURCES

    assert len(SOURCES) == 6
    assert [name for name, source in SOURCES.items() if not (source.licence or source.rights)] == []
