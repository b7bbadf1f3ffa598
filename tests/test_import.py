"""`ngograph import`: IATI fixtures through records and the emitter into a named graph of the
store; counts against an independent ElementTree count, IRIs and values checked by hand
against tests/fixtures/sources/iati/FIXTURES.md, re-import, drop, atomicity with real processes."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from importing import assert_reimport_is_identical, select

from ngograph.cli import main
from ngograph.store import embedded
from ngograph.store.embedded import GENERATIONS_GRAPH, named_graphs, open_store, triple_count, write_store
from ngograph.store.imports import import_source, list_imports

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "iati"
BASE = "https://w3id.org/ngograph/id/"
GRAPH = f"{BASE}dataset/iati"
IMPORTABLE = ["bulk_awkward_mix.xml", "dportal15_nordic_ngos.xml", "dportal97_textual_codes.xml",
              "globalgiving_no_currency.xml"]
SEED = b'<https://w3id.org/ngograph/id/project/x> <http://www.w3.org/2000/01/rdf-schema#label> "curated" .\n'


def test_fixture_files_are_there():
    assert sorted(p.name for p in FIXTURES.glob("*.xml")) == sorted(
        [*IMPORTABLE, "billion_laughs.xml", "legacy_dfid_out_v1.xml", "xxe_external_entity.xml"])


def _et_counts() -> dict[str, int]:
    """An independent count of the importable fixtures with ElementTree."""
    counts = {"activities": 0, "participations": 0, "transactions": 0}
    for name in IMPORTABLE:
        root = ET.parse(FIXTURES / name).getroot()
        for a in root.iter("iati-activity"):
            counts["activities"] += 1
            counts["participations"] += len(a.findall("participating-org"))
            counts["transactions"] += len(a.findall("transaction"))
    return counts


@pytest.fixture()
def store(tmp_path) -> Path:
    link = tmp_path / "store"
    write_store(link, SEED)
    return link


@pytest.fixture()
def imported(store):
    return store, import_source(store, "iati", [FIXTURES], BASE)


def _select(link: Path, query: str) -> list[tuple]:
    return select(link, query, GRAPH)


def test_counts_match_an_independent_count(imported):
    store, summary = imported
    et = _et_counts()
    assert et == {"activities": 11, "participations": 24, "transactions": 64}  # FIXTURES.md
    assert summary.counts["Project"] == et["activities"]
    assert summary.counts["Participation"] == et["participations"]
    assert summary.counts["Transaction"] == et["transactions"]
    assert _select(store, "SELECT (COUNT(*) AS ?n) { ?p a <https://schema.org/Project> }") == [("11",)]


def test_bad_files_are_reported_and_the_rest_imported(imported):
    _, summary = imported
    files = {loc.split(":")[0].rsplit("/", 1)[-1] for loc, _ in summary.problems}
    assert files == {"billion_laughs.xml", "xxe_external_entity.xml", "legacy_dfid_out_v1.xml", "dportal_140.xml.gz"}
    assert len(summary.files) == 8 and all(len(sha) == 64 for _, _, sha in summary.files)


def test_iris_are_minted_from_identifiers_reversibly(imported):
    store, _ = imported
    projects = {p for (p,) in _select(store, "SELECT ?p { ?p a <https://schema.org/Project> }")}
    assert f"{BASE}project/iati/DK-CVR-36980214-Palestine%2C%20State%20of-1010306-91-CIV" in projects
    assert f"{BASE}project/iati/DK-CVR-14766383%20HP%20405-266" in projects
    ident = _select(store, f"""SELECT ?v {{ <{BASE}project/iati/DK-CVR-14766383%20HP%20405-266>
        <https://schema.org/identifier> [ <https://schema.org/propertyID> "IATI-ACTIVITY" ;
                                          <https://schema.org/value> ?v ] }}""")
    assert ident == [("DK-CVR-14766383 HP 405-266",)]


def test_start_is_the_actual_date_else_the_planned_one(imported):
    store, _ = imported
    rows = _select(store, f"""PREFIX schema: <https://schema.org/> PREFIX ngo: <https://w3id.org/ngograph/def#>
        SELECT ?s ?e ?pe ?ae {{ <{BASE}project/iati/NL-KVK-27378529-DSS220NA01> schema:startDate ?s ;
            schema:endDate ?e ; ngo:plannedEndDate ?pe ; ngo:actualEndDate ?ae }}""")
    assert rows == [("2020-05-07", "2020-10-12", "2020-07-10", "2020-10-12")]
    # a 1.x-style text date type in a 2.03 file: START-ACTUAL
    assert _select(store, f"""SELECT ?s {{ <{BASE}project/iati/XI-IATI-OFID-14604> <https://schema.org/startDate> ?s }}""") \
        == [("2020-07-06",)]


def test_one_organisation_in_three_roles_is_a_member_only_as_implementer(imported):
    store, _ = imported
    project = f"{BASE}project/iati/XI-IATI-EC_ECHO-ECHO%2FHTI%2FEDF%2F2020%2F01000"
    org = f"{BASE}organisation/xi-iati/EC_ECHO"
    rows = _select(store, f"""PREFIX ngo: <https://w3id.org/ngograph/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?role ?code {{ ?x ngo:inProject <{project}> ; ngo:participant <{org}> ;
            ngo:role ?role ; ngo:sourceRole ?code }}""")
    vocab = "https://w3id.org/ngograph/vocab/"
    assert rows == [(f"{vocab}role/{role}", f"{vocab}iati-organisation-role/{code}")
                    for role, code in (("administering-body", 3), ("funder", 1), ("implementer", 4))]
    assert _select(store, f"SELECT ?m {{ <{project}> <https://schema.org/member> ?m }}") == [(org,)]


def test_a_funding_organisation_is_the_projects_funder_not_a_member(imported):
    """IATI role 1 (Funding) is our funder: ``schema:funder`` of the project, as a grant's funder is, so that the
    summary, the funder filters and the funder network count the same funders; never ``schema:member``."""
    store, _ = imported
    funded = set()
    for name in IMPORTABLE:  # an independent count: activities and their Funding organisations, with ElementTree
        for a in ET.parse(FIXTURES / name).getroot().iter("iati-activity"):
            roles = [o.get("role").lower() for o in a.findall("participating-org")]
            funded.add((a.findtext("iati-identifier").strip(), roles.count("1") + roles.count("funding")))
    pairs = _select(store, "SELECT ?p ?f { ?p <https://schema.org/funder> ?f }")
    assert len(pairs) == sum(n for _, n in funded) == 11  # 9 by code, 2 as the text "FUNDING"
    project = f"{BASE}project/iati/XI-IATI-EC_ECHO-ECHO%2FHTI%2FEDF%2F2020%2F01000"
    assert (project, f"{BASE}organisation/xi-iati/EC_ECHO") in pairs  # also its implementer: the member
    members = set(_select(store, "SELECT ?p ?m { ?p <https://schema.org/member> ?m }"))
    funders_only = set(pairs) - {(project, f"{BASE}organisation/xi-iati/EC_ECHO")}
    assert not funders_only & members
    # the same funders in the summary, the funders' portfolios (no grant: a row with no currency) and the filters
    from ngograph.net.graphs import fetch
    from ngograph.queries.library import run
    from ngograph.store.backends import Embedded

    backend = Embedded(store, sources=["iati"])
    funders = {f for _, f in pairs}
    assert run("summary", backend)[0]["funders"] == len(funders)
    portfolios = run("funder-portfolios", backend)
    assert {r["funder"] for r in portfolios} == funders and all(r["currency"] is None for r in portfolios)
    assert sum(r["projects"] for r in portfolios) == len(set(pairs))
    facets = fetch(backend).facets
    assert sum(len(v["funder"]) for v in facets.values()) == len(set(pairs))  # what --funder filters by
    assert run("qc/funder-without-grant-violation", Embedded(store)) == []  # a funder's participation stands for it


def test_a_generic_dac_code_never_names_an_organisation(imported):
    store, _ = imported
    rows = _select(store, f"""PREFIX ngo: <https://w3id.org/ngograph/def#>
        SELECT ?o {{ ?x ngo:inProject <{BASE}project/iati/FI-3-2020-%202020000599> ; ngo:participant ?o ;
                     ngo:sourceRole <https://w3id.org/ngograph/vocab/iati-organisation-role/3> }}""")
    assert len(rows) == 1 and rows[0][0].startswith(f"{BASE}organisation/iati/FI-3-2020-%202020000599/name/")
    assert _select(store, f"SELECT ?p {{ <{BASE}organisation/xm-dac/22000> ?p ?o }}") == []


def test_negative_transactions_are_kept(imported):
    store, _ = imported
    rows = _select(store, f"""PREFIX ngo: <https://w3id.org/ngograph/def#> PREFIX schema: <https://schema.org/>
        SELECT ?v {{ ?t ngo:transactionOf <{BASE}project/iati/NL-KVK-27378529-DSS220NA01> ;
                       schema:amount/schema:value ?v FILTER (?v < 0) }}""")
    assert rows == [("-3600",), ("-3600",)]


def test_every_resource_names_its_dataset_and_record(imported):
    store, _ = imported
    missing = _select(store, f"""PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX ngo: <https://w3id.org/ngograph/def#>
        SELECT ?r {{ ?r ngo:sourceRecord ?loc FILTER NOT EXISTS {{ ?r prov:wasDerivedFrom <{GRAPH}> }} }}""")
    assert missing == []
    loc = _select(store, f"""SELECT ?l {{ <{BASE}project/iati/XI-IATI-OFID-14604>
        <https://w3id.org/ngograph/def#sourceRecord> ?l }}""")[0][0]
    file, line = loc.rsplit(":", 1)
    assert file == "dportal97_textual_codes.xml"  # relative to the folder imported: no local path in the graph
    assert "<iati-activity" in (FIXTURES / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


@pytest.mark.parametrize("remove_cost", [10**9, 0], ids=["copy-the-rest", "checkpoint-and-remove"])
def test_reimport_replaces_the_graph_and_build_keeps_it(imported, monkeypatch, remove_cost):
    monkeypatch.setattr(embedded, "_REMOVE_COST", remove_cost)  # both ways of replacing a graph
    monkeypatch.setattr(embedded, "LOAD_BATCH", 7)  # the copy loads the other graphs 7 lines at a time
    store, first = imported
    assert_reimport_is_identical(store, "iati", [FIXTURES], GRAPH)
    after = _select(store, "SELECT ?s ?p ?o { ?s ?p ?o }")
    # The build starts from a checkpoint (there is an import) and replaces only the curated graph.
    write_store(store, SEED.replace(b"curated", b"rebuilt"))
    assert GRAPH in named_graphs(store) and _select(store, "SELECT ?s ?p ?o { ?s ?p ?o }") == after
    assert triple_count(store) == len(after) + 1
    with open_store(store) as s:
        assert [q.object.value for q in s.quads_for_pattern(None, None, None, ox.DefaultGraph())] == ["rebuilt"]


def test_a_new_graph_is_written_into_a_checkpoint_of_the_store(store, monkeypatch):
    """The second import and the build after it copy nothing: they start from a checkpoint."""
    import_source(store, "iati", [FIXTURES], BASE)
    before = _select(store, "SELECT ?s ?p ?o { ?s ?p ?o }")

    def no_copy(*args):
        raise AssertionError("copied a graph")

    monkeypatch.setattr(embedded, "_copy_graph", no_copy)
    import_source(store, "cordis", [FIXTURES.parent / "cordis"], BASE, name="cordis")
    write_store(store, SEED)
    assert named_graphs(store) == [f"{BASE}dataset/cordis", GRAPH, GENERATIONS_GRAPH.value]
    assert _select(store, "SELECT ?s ?p ?o { ?s ?p ?o }") == before


def test_list_and_drop(imported, capsys):
    store, _ = imported
    (row,) = list_imports(store)
    assert (row["name"], row["graph"], len(row["files"])) == ("iati", GRAPH, 8)
    assert main(["import", "--drop", "iati", "--store", str(store)]) == 0
    assert list_imports(store) == [] and triple_count(store) == 1
    assert main(["import", "--drop", "iati", "--store", str(store)]) == 2
    assert "no imported source named 'iati'" in capsys.readouterr().err


def test_cli_summary_and_errors(store, capsys):
    assert main(["import", "iati", str(FIXTURES / "dportal15_nordic_ngos.xml"), "--name", "nordic",
                 "--store", str(store)]) == 0
    rows = _summary(capsys.readouterr().out)
    assert (rows["projects"], rows["participations"]) == ("3", "7")
    assert main(["import", "--store", str(store)]) == 2
    assert main(["import", "cordis-typo", str(FIXTURES), "--store", str(store)]) == 2
    assert "unknown source 'cordis-typo'" in capsys.readouterr().err
    assert main(["import", "iati", str(FIXTURES / "nothing.xml"), "--store", str(store)]) == 2


def _summary(out: str) -> dict[str, str]:
    return dict(line.split(None, 1) if "  " in line else (line, "") for line in out.splitlines()
                if line and not line.startswith(" "))


def test_summary_counts_countries_reasons_and_mis_decoded_names(store, capsys):
    assert main(["import", "iati", str(FIXTURES), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    # independent: recipient countries, and the countries of national registries in participating-org refs
    countries = set()
    for name in IMPORTABLE:
        for a in ET.parse(FIXTURES / name).getroot().iter("iati-activity"):
            countries |= {e.get("code") for e in a.findall("recipient-country")}
            countries |= {ref[:2] for e in a.iter() if (ref := e.get("ref") or "")[:6] in ("DK-CVR", "NL-KVK", "US-EIN")}
    assert len(countries) == 11  # 8 recipient countries + DK, NL, US
    assert _summary(out)["countries"] == str(len(countries))
    assert "2 x refused: the file has a DTD" in out  # billion_laughs.xml and xxe_external_entity.xml
    assert "mis-decoded names  1 (kept as written)" in out
    assert "'Direction g\ufffdn\ufffdrale de la protection civile" in out and "bulk_awkward_mix.xml:99" in out


KILLED = """
import sys, time
import ngograph.store.imports as imp
real = imp._flush
def slow(*args, **kwargs):
    batch = real(*args, **kwargs)
    print("filling", flush=True)
    time.sleep(120)
    return batch
imp._flush = slow
from ngograph.store.imports import import_source
import_source(sys.argv[1], "iati", [sys.argv[2]], sys.argv[3])
"""


def test_an_import_killed_midway_leaves_the_store_as_it_was(store):
    before = triple_count(store)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(store), str(FIXTURES), BASE], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"filling"
        with open_store(store) as reader:  # a reader keeps working during the import
            assert len(reader) == before
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert triple_count(store) == before and named_graphs(store) == []
    import_source(store, "iati", [FIXTURES], BASE)  # the next writer is not blocked by the dead one
    assert GRAPH in named_graphs(store)
    assert len([d for d in os.listdir(store.parent / "stores") if not d.startswith(".")]) == 1


def test_a_name_taken_by_another_source_is_refused(imported, capsys):
    """Under an IATI import's name, a spreadsheet import would have replaced the IATI data without a word: refused,
    the store unchanged; the same source under the same name still replaces its graph."""
    store, _ = imported
    before = triple_count(store)
    examples = Path(__file__).parent.parent / "examples"
    assert sorted(p.name for p in examples.glob("*.csv"))
    assert main(["import", "table", str(examples), "--name", "iati", "--store", str(store), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "the dataset name iati is an import of iati files" in err and "ngograph import --drop iati" in err
    assert triple_count(store) == before and [r["name"] for r in list_imports(store)] == ["iati"]
    assert main(["import", "table", str(examples), "--name", "mine", "--store", str(store), "--quiet"]) == 0
    assert main(["import", "iati", str(FIXTURES / "dportal15_nordic_ngos.xml"), "--store", str(store),
                 "--quiet"]) == 0
    assert sorted(r["name"] for r in list_imports(store)) == ["iati", "mine"]
    assert main(["import", "iati", str(FIXTURES / "dportal15_nordic_ngos.xml"), "--name", "mine",
                 "--store", str(store), "--quiet"]) == 2
    assert "the dataset name mine is an import of table files" in capsys.readouterr().err


def test_a_file_named_like_another_source_does_not_change_whose_import_it_is(store, tmp_path, capsys):
    """The source is read off the dataset's own title, not off any title in its graph: a spreadsheet file named
    "CORDIS tables: x.csv" (listed in the description by its name) does not make the import a CORDIS one."""
    folder = tmp_path / "sheets"
    shutil.copytree(Path(__file__).parent.parent / "examples", folder)
    (folder / "CORDIS tables: x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["import", "table", str(folder), "--name", "mine", "--store", str(store), "--quiet"]) == 0
    cordis = Path(__file__).parent / "fixtures" / "sources" / "cordis"
    assert sorted(cordis.glob("*.csv"))
    assert main(["import", "cordis", str(cordis), "--name", "mine", "--store", str(store), "--quiet"]) == 2
    assert "the dataset name mine is an import of table files" in capsys.readouterr().err


def test_the_store_is_checked_under_the_writer_lock_before_a_graph_is_written(store):
    """write_graph's ``check`` reads the current store inside the write, where no other write can come between; an
    error it raises leaves the store as it was. Where there is no store yet, there is nothing to check."""
    seen = []

    def check(current):
        fd = os.open(store.parent / f".{store.name}.writer", os.O_RDWR)
        try:  # another writer would wait here: the lock is held
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        seen.append(sum(1 for _ in current.quads_for_pattern(None, None, None)))
        raise embedded.ConfigError("refused")

    before = triple_count(store)
    with pytest.raises(embedded.ConfigError, match="refused"):
        embedded.write_graph(store, embedded.ox.NamedNode(GRAPH), [b""], check=check)
    assert seen == [before] and triple_count(store) == before and not list((store.parent / "stores").glob(".*new"))
    fresh = store.parent / "fresh"
    embedded.write_graph(fresh, embedded.ox.NamedNode(GRAPH), [SEED], check=check)
    assert triple_count(fresh) == 1
