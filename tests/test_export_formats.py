"""Dumps: five formats, deterministic, atomic (a real export process killed mid-write), gzip,
sidecars, the description in every dump, N-Quads keeps the source graphs, JSON-LD read back
offline by rdflib and pyld with our own context."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.resources import CONTEXT_FILE
from ngograph.publish import export as export_mod
from ngograph.publish.describe import STATE, describe_store, description_graph
from ngograph.publish.export import export_store, sidecar_path
from ngograph.rdf.context import render_context
from ngograph.rdf.serialize import FORMATS, format_name, refuse_network, serialize, to_jsonld
from ngograph.publish.statistics import KEPT
from ngograph.store.embedded import DESCRIPTION_GRAPH, open_store, write_graph, write_store

BASE = "https://w3id.org/ngograph/id/"
NOW = "2026-01-02T03:04:05Z"
P, O, SRC = f"<{BASE}project/p>", f"<{BASE}organisation/o>", f"<{BASE}dataset/src>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
NAME = "<https://schema.org/name>"
CURATED_NT = (f'{P} {TYPE} <https://schema.org/Project> .\n'
              f'{P} {NAME} "Projekts"@lv .\n'
              f'{P} {NAME} "Project"@en .\n')
SOURCE_NT = (f'{O} {TYPE} <http://www.w3.org/ns/org#FormalOrganization> .\n'
             f'{O} {NAME} "Org"@en .\n'
             f'{SRC} {TYPE} <https://w3id.org/ngograph/def#SourceDataset> .\n'
             f'{SRC} <http://purl.org/dc/terms/title> "Src"@en .\n'
             f'{P} {TYPE} <https://schema.org/Project> .\n')  # stated by both graphs
DATA = Graph().parse(data=CURATED_NT + SOURCE_NT, format="nt")  # 7 distinct triples


def make_store(path: Path) -> Path:
    finish = partial(describe_store, base=BASE, now=NOW)
    write_store(path, CURATED_NT.encode(), finish=finish)
    write_graph(path, ox.NamedNode(f"{BASE}dataset/src"), [SOURCE_NT.encode()], finish)
    return path


@pytest.fixture
def store(tmp_path) -> Path:
    return make_store(tmp_path / "store")


def description(store_path: Path) -> Graph:
    """The description a dump carries: the description graph without its state node."""
    s = ox.Store.read_only(str(Path(os.path.realpath(store_path))))
    nt = "".join(f"{q.triple} .\n" for q in s.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH)
                 if q.subject != STATE and not q.subject.value.startswith(KEPT))  # the state and the kept counts
    assert len(nt) < sum(len(f"{q.triple} .\n") for q in s.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH))
    return Graph().parse(data=nt, format="nt")


def test_data_fixture_has_seven_distinct_triples():
    assert len(DATA) == 7


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"),
                                          ("rdfxml", "xml"), ("nquads", "nquads")])
def test_every_format_holds_the_data_and_the_description(store, tmp_path, fmt, parse_as):
    path, n = export_store(store, tmp_path / f"out.{FORMATS[fmt]}", fmt)
    got = Dataset() if fmt == "nquads" else Graph()
    got.parse(path, format=parse_as)
    triples = Graph()
    for s, p, o, *_ in (got.quads() if fmt == "nquads" else got):
        triples.add((s, p, o))
    desc = description(store)
    assert len(desc) > 100
    expected = DATA + desc
    assert isomorphic(triples, expected)
    # the description repeats one triple of the data (the source's title); the project's type is in two graphs
    assert len(expected) == len(DATA) + len(desc) - 1
    assert n == (3 + 5 + len(desc) if fmt == "nquads" else len(expected))


def test_nquads_keeps_the_source_graphs(store, tmp_path):
    path, n = export_store(store, tmp_path / "out.nq", "nq")
    by_graph: dict[str, set[str]] = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(str(q.graph_name), set()).add(f"{q.triple} .")
    assert sorted(by_graph) == sorted(["DEFAULT", SRC, f"<{DESCRIPTION_GRAPH.value}>"])
    assert by_graph["DEFAULT"] == set(CURATED_NT.splitlines())
    assert by_graph[SRC] == set(SOURCE_NT.splitlines())
    assert len(by_graph[f"<{DESCRIPTION_GRAPH.value}>"]) == len(description(store))
    assert n == path.read_text(encoding="utf-8").count("\n") == 8 + len(description(store))


def test_short_names_and_unknown_format():
    assert [format_name(n) for n in ("ttl", "nt", "TURTLE", "nq")] == ["turtle", "ntriples", "turtle", "nquads"]
    with pytest.raises(Exception, match="unknown RDF format 'csv'"):
        format_name("csv")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_are_deterministic(store, tmp_path, fmt):
    a, _ = export_store(store, tmp_path / "a" / "x", fmt, gzip_output=True)
    b, _ = export_store(store, tmp_path / "b" / "x", fmt, gzip_output=True)
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()) == export_store(store, tmp_path / "plain", fmt)[0].read_bytes()


def test_nt_lines_are_sorted_and_distinct(store, tmp_path):
    path, n = export_store(store, tmp_path / "x.nt", "nt")
    lines = path.read_bytes().splitlines()
    assert lines == sorted(set(lines)) and len(lines) == n
    assert lines.count(f"{P} {TYPE} <https://schema.org/Project> .".encode()) == 1  # stated twice, dumped once


def test_sorting_in_runs_on_disk_gives_the_same_file(store, tmp_path, monkeypatch):
    expected = export_store(store, tmp_path / "mem.nq", "nquads")[0].read_bytes()
    monkeypatch.setattr(export_mod, "_RUN_BYTES", 2000)  # a run every few lines
    out = tmp_path / "runs" / "x.nq"
    assert export_store(store, out, "nquads")[0].read_bytes() == expected
    assert sorted(p.name for p in out.parent.iterdir()) == ["x.nq", "x.nq.meta.json"]  # runs removed


def test_sidecar(store, tmp_path):
    path, n = export_store(store, tmp_path / "ngograph.nt.gz", "nt", gzip_output=True)
    meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    data = path.read_bytes()
    assert meta == {"file": "ngograph.nt.gz", "format": "ntriples", "media_type": "application/n-triples",
                    "compression": "gzip", "triples": n, "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(), "sources": "all",
                    "description_graph": "urn:ngograph:graph:description", "ngograph_version": "0.1.0"}
    assert sidecar_path(path).name == "ngograph.nt.gz.meta.json"


def test_source_option_keeps_that_source_only(store, tmp_path):
    path, n = export_store(store, tmp_path / "x.nq", "nquads", ["src"])
    text = path.read_text(encoding="utf-8")
    assert '"Projekts"@lv' not in text and '"Org"@en' in text
    assert json.loads(sidecar_path(path).read_text())["sources"] == ["src"]


def test_jsonld_is_compacted_with_our_context_and_read_back_offline(store, tmp_path):
    path, _ = export_store(store, tmp_path / "x.jsonld", "jsonld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"] == json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    project = next(n for n in doc["@graph"] if n["@id"] == "ngoid:project/p")
    assert project == {"@id": "ngoid:project/p", "@type": "schema:Project",
                       "schema:name": [{"@language": "en", "@value": "Project"}, {"@language": "lv", "@value": "Projekts"}]}
    source = next(n for n in doc["@graph"] if n["@id"] == "ngoid:dataset/src")
    assert "SourceDataset" in source["@type"]  # a term of our ontology
    expected = DATA + description(store)
    by_rdflib = Graph().parse(path, format="json-ld")
    by_pyld = Graph().parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": refuse_network}),
                            format="nquads")
    assert isomorphic(by_rdflib, expected) and isomorphic(by_pyld, expected)


def test_pyld_loader_refuses_the_network():
    doc = {"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a", "name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(doc, {"documentLoader": refuse_network})


def test_one_pass_compaction_equals_pyld(seed_graph):
    sample = Graph()
    for i, t in enumerate(sorted(seed_graph)):
        if i % 12 == 0:
            sample.add(t)
    assert len(sample) > 500
    nq = "".join(sorted(sample.serialize(format="nt").splitlines(keepends=True)))
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    ref = jsonld.compact(jsonld.from_rdf(nq, {"format": "application/n-quads"}), context,
                         {"documentLoader": refuse_network})

    def canon(doc):
        nodes = doc.get("@graph", [doc])
        return sorted(({k: sorted(v, key=json.dumps) if isinstance(v, list) else v for k, v in n.items()
                        if k != "@context"} for n in nodes), key=lambda n: n["@id"])

    assert canon(to_jsonld(sample)) == canon(ref)


def test_context_file_is_generated_from_the_ontology():
    assert json.loads(CONTEXT_FILE.read_text(encoding="utf-8")) == render_context(), \
        "run: python -m ngograph.rdf.context"
    ctx = render_context()["@context"]
    assert ctx["inProject"] == {"@id": "ngo:inProject", "@type": "@id"} and ctx["Participation"] == "ngo:Participation"
    assert ctx["role"] == {"@id": "ngo:role", "@type": "@id"} and ctx["vocab"] == "https://w3id.org/ngograph/vocab/"


def test_rdfxml_is_deterministic_whatever_the_insertion_order():
    triples = sorted(DATA)
    a, b = Graph(), Graph()
    for t in triples:
        a.add(t)
    for t in reversed(triples):
        b.add(t)
    assert serialize(a, "rdfxml") == serialize(b, "rdfxml")
    assert isomorphic(Graph().parse(data=serialize(a, "rdfxml"), format="xml"), DATA)


def test_cli_export_with_short_name_and_gzip(store, tmp_path, capsys):
    out = tmp_path / "dumps" / "ngograph.nt.gz"
    assert main(["export", "--store", str(store), "--format", "nt", "--gzip", "--output", str(out)]) == 0
    err = capsys.readouterr().err
    n = json.loads(sidecar_path(out).read_text())["triples"]
    assert f"export: {n} triples as ntriples (gzip) to {out}" in err
    assert gzip.decompress(out.read_bytes()).count(b"\n") == n


def test_cli_refuses_an_unknown_format(store, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--store", str(store), "--format", "csv", "--output", str(tmp_path / "x")])
    assert exc.value.code == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err


_SLOW_EXPORT = """
import sys, time
from ngograph.publish import export
from ngograph.cli import main
write = export._Sink.write
def slow(self, data):
    for i in range(0, len(data), 1024):  # 1 KiB every 20 ms: the export takes about a second
        write(self, data[i:i + 1024])
        self.fh.flush()
        time.sleep(0.02)
    return len(data)
export._Sink.write = slow
sys.exit(main(sys.argv[1:]))
"""


def test_export_killed_mid_write_leaves_the_previous_file(store, tmp_path):
    out = tmp_path / "dump.nt"
    export_store(store, out, "nt")
    before, sidecar_before = out.read_bytes(), sidecar_path(out).read_bytes()
    assert len(before) > 20_000  # > 20 slow chunks: the kill lands mid-write
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_EXPORT, "export", "--store", str(store), "--format", "nt",
                             "--output", str(out)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            temps = [p for p in tmp_path.iterdir() if p.name.startswith(".dump.nt.") and p.name.endswith(".tmp")]
            if temps and temps[0].stat().st_size > 0:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.01)
        else:
            pytest.fail("the export never started writing")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert temps[0].exists() and 0 < temps[0].stat().st_size  # it was killed half-way
    assert out.read_bytes() == before and sidecar_path(out).read_bytes() == sidecar_before
    assert Graph().parse(out, format="nt")  # still a whole file


def test_exports_are_the_same_in_processes_with_other_hash_seeds(store, tmp_path):
    """Set and dict orders change with the hash seed: no dump may depend on them."""
    script = ("import sys; from pathlib import Path; from ngograph.publish.export import export_store\n"
              "for f in ('turtle', 'ntriples', 'jsonld', 'rdfxml', 'nquads'):\n"
              "    export_store(Path(sys.argv[1]), Path(sys.argv[2]) / f, f)\n")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-c", script, str(store), str(out)], check=True, capture_output=True,
                       env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)})
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert len(outs[0]) == 10 and outs[0] == outs[1]


# Lexical forms rdflib rewrites when it reads them (a decimal without a fraction, a UTC time zone written Z), an
# IRI whose local part holds "/", "%" and "(", escapes and a script subtag: each dump keeps them as the store holds
# them (the store itself writes the integer 007 as 7 and the tag sr-Latn as sr-latn).
EXACT_NT = (f'{P} <https://w3id.org/ngograph/def#amount> "310000"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
            f'{P} <http://purl.org/dc/terms/modified> "2024-05-06T07:08:09Z"'
            f'^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
            f'{P} <https://schema.org/position> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            f'{P} <https://schema.org/about> <https://w3id.org/ngograph/vocab/theme/a%2Fb(c)> .\n'
            f'{P} <https://schema.org/description> "line one\\nline \\"two\\""@sr-Latn .\n')


@pytest.mark.parametrize("fmt", ["turtle", "rdfxml", "jsonld"])
def test_every_dump_keeps_each_term_as_the_store_holds_it(tmp_path, fmt):
    store = tmp_path / "store"
    write_store(store, (CURATED_NT + EXACT_NT).encode(), finish=partial(describe_store, base=BASE, now=NOW))
    held = set(export_store(store, tmp_path / "x.nt", "nt")[0].read_text(encoding="utf-8").splitlines())
    assert {'"310000"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"2024-05-06T07:08:09Z"^^',
            '<https://w3id.org/ngograph/vocab/theme/a%2Fb(c)>', '"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"line one\\nline \\"two\\""@sr-latn'} <= {part for line in held for part in (
                line.split(" ", 2)[2][:-2], line.split(" ", 2)[2][:-2].split("<http://www")[0])}
    path, n = export_store(store, tmp_path / f"x.{FORMATS[fmt]}", fmt)
    oxfmt = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    got = {f"{t} ." for t in ox.parse(path=str(path), format=oxfmt)}  # JSON-LD: its context is in the file
    assert got == held and n == len(held)


def test_jsonld_dump_is_laid_out_as_json_dumps_lays_out_the_document(store, tmp_path):
    text = export_store(store, tmp_path / "x.jsonld", "jsonld")[0].read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    text = _dump(tmp_path / "lv", f'{P} {NAME} "Ģimeņu atbalsts"@lv .\n', "jsonld").read_text(encoding="utf-8")
    assert '"@value": "Ģimeņu atbalsts"' in text  # as written, not escaped
    ids = [node["@id"] for node in json.loads(text)["@graph"]]
    assert len(ids) == len(set(ids)) > 5  # each subject once: its lines were together


def test_syntax_dumps_stream_across_blocks_of_lines(tmp_path):
    """12,000 subjects: the sorted lines reach the parser in blocks of 10,000; every subject is whole once."""
    nt = "".join(f"<{BASE}project/p{i:05d}> {NAME} \"P {i}\"@en .\n<{BASE}project/p{i:05d}> {TYPE} "
                 f"<https://schema.org/Project> .\n" for i in range(12_000))
    store = tmp_path / "store"
    write_store(store, nt.encode(), finish=partial(describe_store, base=BASE, now=NOW))
    lines = export_store(store, tmp_path / "x.nt", "nt")[1]
    assert 24_000 < lines < 24_500  # and the description
    for fmt in ("jsonld", "turtle"):
        path, n = export_store(store, tmp_path / f"x.{FORMATS[fmt]}", fmt)
        assert n == lines
        if fmt == "jsonld":
            nodes = [n for n in json.loads(path.read_text(encoding="utf-8"))["@graph"] if "project/p" in n["@id"]]
            assert len(nodes) == 12_000 and nodes[0] == {"@id": "ngoid:project/p00000", "@type": "schema:Project",
                                                         "schema:name": {"@language": "en", "@value": "P 0"}}
        else:
            text = path.read_text(encoding="utf-8")
            assert text.count(" a schema:Project ;\n\tschema:name ") == 12_000


def test_empty_graph_dumps_as_json_dumps_writes_it(tmp_path):
    sink = export_mod._Sink(open(tmp_path / "x", "wb"))
    assert export_mod._write_jsonld(iter([]), sink) == 0
    sink.fh.close()
    text = (tmp_path / "x").read_text(encoding="utf-8")
    assert json.loads(text)["@graph"] == [] and text.endswith(' "@graph": []\n}\n')
    assert text == json.dumps(json.loads(text), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _dump(tmp_path, nt: str, fmt: str) -> Path:
    store = tmp_path / "store"
    write_store(store, nt.encode(), finish=partial(describe_store, base=BASE, now=NOW))
    return export_store(store, tmp_path / f"x.{FORMATS[fmt]}", fmt)[0]


@pytest.mark.parametrize("triple,what", [
    ('<urn:s> <http://e.org/p/1> "x" .', "predicate <http://e.org/p/1>"),
    ('<urn:s> <https://schema.org/> "x" .', "predicate <https://schema.org/>"),
    (f'<urn:s> {TYPE} <http://e.org/C/1> .', "class <http://e.org/C/1>")])
def test_rdfxml_refuses_an_element_name_it_cannot_write(tmp_path, capsys, triple, what):
    """The store's serialiser would write an element with an empty name (``<oxprefix:``): no XML reader reads it."""
    store = tmp_path / "store"
    write_store(store, (CURATED_NT + triple + "\n").encode(), finish=partial(describe_store, base=BASE, now=NOW))
    out = tmp_path / "out" / "x.rdf"
    assert main(["export", "--store", str(store), "--format", "rdfxml", "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"RDF/XML cannot name the {what} (of <urn:s>) as an XML element" in err and "Turtle" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.parent.exists() or list(out.parent.iterdir()) == []  # nothing written, no temporary file left
    assert _dump(tmp_path / "t", CURATED_NT + triple + "\n", "turtle").exists()  # the other formats can


def test_rdfxml_keeps_a_carriage_return_and_refuses_what_xml_cannot_hold(tmp_path):
    path = _dump(tmp_path / "a", f'{P} <https://schema.org/description> "a\\r\\nb\\rc" .\n', "rdfxml")
    text = path.read_bytes()
    assert b"a&#13;\nb&#13;c" in text and b"\r" not in text and text.endswith(b"</rdf:RDF>\n")
    read = Graph().parse(path, format="xml")  # an XML reader: a raw CR would come back as a line feed
    assert Literal("a\r\nb\rc") in set(read.objects())
    for char in ("\\u0007", "\\uFFFE"):
        with pytest.raises(Exception, match=f"RDF/XML cannot hold the character U\\+{char[2:].upper()} of a literal "
                                            r"\(after '<schema:description>a'\)"):
            _dump(tmp_path / char[2:], f'{P} <https://schema.org/description> "a{char}b" .\n', "rdfxml")


def test_jsonld_writes_a_blank_node_subject_as_a_blank_node(tmp_path):
    path = _dump(tmp_path, f'_:b1 {NAME} "x" .\n{P} <https://schema.org/about> _:b1 .\n', "jsonld")
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.JSON_LD))
    named = [t for t in triples if t.predicate == ox.NamedNode(NAME[1:-1])]
    about = [t for t in triples if t.predicate.value == "https://schema.org/about"]
    assert len(named) == len(about) == 1 and isinstance(named[0].subject, ox.BlankNode)
    assert named[0].subject == about[0].object  # the same blank node


def test_runs_are_removed_when_the_export_stops_before_writing(store, tmp_path, monkeypatch):
    monkeypatch.setattr(export_mod, "_RUN_BYTES", 1000)
    spilled = []
    monkeypatch.setattr(export_mod._SortedLines, "_spill",
                        lambda self, spill=export_mod._SortedLines._spill: (spill(self), spilled.append(self.runs[-1])))

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(export_mod, "load_context", interrupted)
    out = tmp_path / "out" / "x.jsonld"
    out.parent.mkdir()
    with pytest.raises(KeyboardInterrupt):
        export_store(store, out, "jsonld")
    assert len(spilled) > 1 and not any(Path(name).exists() for name in spilled)
    assert {Path(name).parent for name in spilled} == {out.parent}  # beside the output, not in /tmp
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("fmt, run_bytes", [("nt", None), ("turtle", None), ("jsonld", None), ("nt", 2000)])
def test_progress_tells_the_statements_read_then_written(store, tmp_path, monkeypatch, fmt, run_bytes):
    """``progress("read", n, statements)`` as the store is read (a triple two graphs state counts twice there),
    then ``progress("write", n, at most)`` every _LINES sorted lines and once at the end with the total written;
    the file is the one written without progress, also sorted in runs on disk."""
    monkeypatch.setattr(export_mod, "_LINES", 2)
    if run_bytes:
        monkeypatch.setattr(export_mod, "_RUN_BYTES", run_bytes)
    plain = export_store(store, tmp_path / f"plain.{fmt}", fmt)[0].read_bytes()
    told = []
    path, n = export_store(store, tmp_path / f"told.{fmt}", fmt, progress=lambda *a: told.append(a))
    assert path.read_bytes() == plain
    read = [t for t in told if t[0] == "read"]
    written = [t for t in told if t[0] == "write"]
    assert told == read + written and read and written  # every read before any write
    with open_store(store) as s:
        description = len(description_graph(s.store))
    statements = 8 + description  # the curated graph's 3, the source's 5 (one stated by both), the description
    assert {t[2] for t in read} == {statements} and read[-1][1] == statements
    assert [d for _, d, _ in read] == sorted(d for _, d, _ in read)
    assert [d for _, d, _ in written] == list(range(2, n, 2)) + [n]
    # written once each: the project's type (both graphs state it) and the source's title (its description too)
    assert {t[2] for t in written[:-1]} == {statements} and written[-1][2] == n == statements - 2
