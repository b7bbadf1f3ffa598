"""Mutation tests of ngograph/publish/export.py (issue 14): the byte counter, the sorted lines with
their runs on disk, the streaming of N-Triples / N-Quads in blocks, and the sidecar, on tiny stores."""

from __future__ import annotations

import hashlib
import json
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph import __version__
from ngograph.publish import export as E
from ngograph.rdf import serialize as S
from ngograph.store.embedded import DESCRIPTION_GRAPH

G = "https://e.org/dataset/src"
T1 = b"<urn:a> <urn:p> <urn:b> ."
T2 = b"<urn:c> <urn:p> <urn:d> ."


class Recorder:
    """A sink that keeps every write."""

    def __init__(self):
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.writes.append(bytes(data))
        return len(data)


def test_sidecar_path():
    assert E.sidecar_path(Path("d/ngograph.nt.gz")) == Path("d/ngograph.nt.gz.meta.json")
    assert E.sidecar_path("x.ttl") == Path("x.ttl.meta.json")


def test_sink_counts_hashes_and_writes():
    class File(Recorder):
        flushed = 0

        def write(self, data):
            super().write(data)
            return 1000 + len(data)

        def flush(self):
            self.flushed += 1

    fh = File()
    sink = E._Sink(fh)
    assert sink.size == 0 and sink.fh is fh
    assert sink.write(b"abc") == 1003 and sink.write(b"de") == 1002
    sink.flush()
    assert (fh.writes, fh.flushed, sink.size) == ([b"abc", b"de"], 1, 5)
    assert sink.sha256.hexdigest() == hashlib.sha256(b"abcde").hexdigest()


def test_sorted_lines_join_chunks_and_add_the_graph(tmp_path):
    lines = E._SortedLines(tmp_path)
    assert (lines.scratch, lines.lines, lines.held, lines.runs, lines.tail, lines.suffix) == (tmp_path, [], 0, [], b"", b"")
    assert lines.write(T2 + b"\n" + T1[:10]) == len(T2) + 11
    assert lines.tail == T1[:10] and lines.lines == [T2 + b"\n"]
    assert lines.write(bytearray(T1[10:] + b"\n")) == len(T1) - 10 + 1
    assert lines.tail == b"" and lines.lines == [T2 + b"\n", T1 + b"\n"]
    assert lines.held == 2 * (len(T1) + 1 + 40)
    lines.suffix = f" <{G}>".encode()
    lines.add([T1, b""])
    assert lines.lines[-1] == f"<urn:a> <urn:p> <urn:b> <{G}> .\n".encode()
    assert lines.held == 2 * (len(T1) + 1 + 40) + len(T1) + len(G) + 3 + 1 + 40
    lines.flush()
    with ExitStack() as stack:
        assert list(lines.sorted(stack)) == [T1 + b"\n", f"<urn:a> <urn:p> <urn:b> <{G}> .\n".encode(), T2 + b"\n"]


def test_sorted_lines_spill_at_the_cap(tmp_path, monkeypatch):
    size = len(T1) + 1 + 40
    monkeypatch.setattr(E, "_RUN_BYTES", size)
    lines = E._SortedLines(tmp_path)
    lines.add([T1])  # exactly the cap: held in memory
    assert lines.runs == [] and lines.held == size
    lines.add([T2])  # over it: both lines go to a sorted run beside the output
    [run] = lines.runs
    assert Path(run).parent == tmp_path and Path(run).name.startswith(".export.") and run.endswith(".run")
    assert sorted(p.name for p in tmp_path.iterdir()) == [Path(run).name]
    assert Path(run).read_bytes() == T1 + b"\n" + T2 + b"\n"
    assert (lines.lines, lines.held) == ([], 0)
    lines.add([T2])
    lines.add([T1])  # a second run, repeating both lines
    lines.add([b"<urn:0> <urn:p> <urn:b> ."])  # left in memory: spilled by sorted()
    assert len(lines.runs) == 2
    with ExitStack() as stack:
        got = list(lines.sorted(stack))
        assert len(list(tmp_path.iterdir())) == 3
    assert got == [b"<urn:0> <urn:p> <urn:b> .\n", T1 + b"\n", T2 + b"\n"]
    assert list(tmp_path.iterdir()) == []  # the runs removed


def test_sorted_lines_in_memory_are_distinct(tmp_path):
    lines = E._SortedLines(tmp_path)
    lines.add([T2, T1, T2])
    with ExitStack() as stack:
        assert list(lines.sorted(stack)) == [T1 + b"\n", T2 + b"\n"]
    assert list(tmp_path.iterdir()) == []


def store_with(default: list[bytes], named: list[bytes]) -> ox.Store:
    s = ox.Store()
    s.load(b"\n".join(default) + b"\n", ox.RdfFormat.N_TRIPLES)
    if named:
        s.load(b"\n".join(named) + b"\n", ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(G))
    return s


DESC = [ox.Quad(ox.NamedNode("urn:ds"), ox.NamedNode("urn:title"), ox.Literal("D"), DESCRIPTION_GRAPH)]


def test_stream_ntriples_and_nquads(tmp_path):
    s = store_with([T2], [T1, T2])
    sink = Recorder()
    assert E._stream(s, "ntriples", None, DESC, sink, tmp_path) == 3
    assert sink.writes == [T1 + b"\n" + T2 + b"\n" + b'<urn:ds> <urn:title> "D" .\n']
    sink = Recorder()
    assert E._stream(s, "nquads", None, DESC, sink, tmp_path) == 4
    assert b"".join(sink.writes).decode().splitlines() == [
        f"<urn:a> <urn:p> <urn:b> <{G}> .", T2.decode(), f"<urn:c> <urn:p> <urn:d> <{G}> .",
        f'<urn:ds> <urn:title> "D" <{DESCRIPTION_GRAPH.value}> .']
    sink = Recorder()
    assert E._stream(s, "nquads", ["src"], [], sink, tmp_path) == 2  # that source only
    assert b"".join(sink.writes).decode().splitlines() == [f"<urn:a> <urn:p> <urn:b> <{G}> .",
                                                           f"<urn:c> <urn:p> <urn:d> <{G}> ."]
    sink = Recorder()
    assert E._stream(store_with([T2], []), "nquads", None, [], sink, tmp_path) == 1  # the default graph alone
    assert sink.writes == [T2 + b"\n"]


def test_stream_writes_blocks_of_ten_thousand(tmp_path):
    triples = [f"<urn:s{i:05d}> <urn:p> <urn:o> .".encode() for i in range(10_001)]
    sink = Recorder()
    assert E._stream(store_with(triples, []), "ntriples", None, [], sink, tmp_path) == 10_001
    assert [w.count(b"\n") for w in sink.writes] == [10_000, 1]
    assert b"".join(sink.writes) == b"".join(t + b"\n" for t in triples)
    sink = Recorder()
    E._stream(store_with(triples[:10_000], []), "ntriples", None, [], sink, tmp_path)
    assert [w.count(b"\n") for w in sink.writes] == [10_000, 0]


def test_stream_ends_a_last_line_without_a_newline(tmp_path, monkeypatch):
    class Store:
        def dump(self, output, fmt, *, from_graph):
            assert fmt == ox.RdfFormat.N_TRIPLES
            output.write(T2 + b"\n" + T1)  # no final newline

    monkeypatch.setattr(E, "published_graphs", lambda store, sources: [ox.NamedNode(G), ox.DefaultGraph()])
    sink = Recorder()
    assert E._stream(Store(), "nquads", None, [], sink, tmp_path) == 4
    assert b"".join(sink.writes).decode().splitlines() == [
        T1.decode(), f"<urn:a> <urn:p> <urn:b> <{G}> .", T2.decode(), f"<urn:c> <urn:p> <urn:d> <{G}> ."]


def test_export_store_sidecar_of_a_plain_dump(tmp_path):
    from ngograph.store.embedded import write_store

    store = write_store(tmp_path / "store", T1 + b"\n")
    out = tmp_path / "d" / "x.ttl"
    out.parent.mkdir()
    path, n = E.export_store(store, out)
    assert path == out
    meta = json.loads(E.sidecar_path(out).read_text(encoding="utf-8"))
    data = out.read_bytes()
    assert meta == {"file": "x.ttl", "format": "turtle", "media_type": "text/turtle", "compression": None,
                    "triples": n, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "sources": "all",
                    "description_graph": DESCRIPTION_GRAPH.value, "ngograph_version": __version__}
    assert E.sidecar_path(out).read_text(encoding="utf-8").endswith("}\n")
    assert "@prefix void: <http://rdfs.org/ns/void#> ." in data.decode()  # the description's vocabularies bound
    path, n = E.export_store(store, tmp_path / "x.nq", "nq", ["curated"])
    meta = json.loads(E.sidecar_path(path).read_text(encoding="utf-8"))
    assert meta["quads"] == n and "triples" not in meta and meta["sources"] == ["curated"]
    assert meta["format"] == "nquads" and meta["media_type"] == "application/n-quads"
    assert T1.decode() + "\n" in path.read_text(encoding="utf-8")


def test_gzip_header_names_no_file_and_the_sidecar_is_indented(tmp_path):
    from ngograph.store.embedded import write_store

    store = write_store(tmp_path / "store", T1 + b"\n")
    path, _ = E.export_store(store, tmp_path / "x.nt.gz", "nt", gzip_output=True)
    head = path.read_bytes()[:10]
    assert head[:3] == b"\x1f\x8b\x08" and head[3] == 0 and head[4:8] == b"\0\0\0\0"  # no FNAME flag, mtime 0
    assert E.sidecar_path(path).read_text(encoding="utf-8").startswith('{\n  "file": "x.nt.gz",\n  "format": ')


def test_turtle_export_of_one_source(tmp_path):
    from ngograph.store.embedded import write_graph, write_store

    store = tmp_path / "store"
    write_store(store, T1 + b"\n")
    write_graph(store, ox.NamedNode(G), [T2 + b"\n"])
    from rdflib import Graph

    def subjects(path):
        return {str(s) for s in Graph().parse(path, format="turtle").subjects() if str(s).startswith("urn:")}

    assert subjects(E.export_store(store, tmp_path / "src.ttl", "turtle", ["src"])[0]) == {"urn:c"}
    assert subjects(E.export_store(store, tmp_path / "all.ttl", "turtle")[0]) == {"urn:a", "urn:c"}


def test_xml_text_writes_a_carriage_return_as_a_reference_and_counts_what_it_was_given():
    sink = Recorder()
    xml = S._XmlText(sink)
    assert xml.write(b"<a>x\r\ny\r</a>") == 12
    assert xml.write(memoryview(b"\r")) == 1
    assert sink.writes == [b"<a>x&#13;\ny&#13;</a>", b"&#13;"]
    xml.flush()


@pytest.mark.parametrize("writes,message", [
    ([b"\x07"], "U+0007 of a literal (after '…')"),  # nothing before it
    ([b"<schema:name>ab\x1fc"], "U+001F of a literal (after '<schema:name>ab')"),
    ([b"<a>hello", b"wor\x0b"], "U+000B of a literal (after '<a>hellowor')"),  # the text of the write before
    ([b"<a>x\xef\xbf", b"\xbe"], "U+FFFE of a literal (after '<a>x')"),  # a character cut between two writes
    ([b"<a>" + b"y" * 58 + b"\xef\xbf\xbf"], "U+FFFF of a literal (after '<a>" + "y" * 58 + "')"),
    ([b"<a>" + b"y" * 59 + b"\x00"], "U+0000 of a literal (after '…>" + "y" * 59 + "')"),  # the last 60 characters
    ([b"<a>" + "ā".encode() * 200, b"\x0c"], "U+000C of a literal (after '…" + "ā" * 60 + "')"),
    ([b"<a>z" + b"y" * 300, b"\x0e"], "(after '…" + "y" * 60 + "')"),  # no element start in what is kept
    # what is kept of the write before starts in the middle of a character
    ([b"<a>" + "ā".encode() * 100 + b"z", b"\x0f"], "(after '…" + "ā" * 59 + "z')"),
])
def test_xml_text_refuses_what_xml_cannot_hold_naming_the_text_before(writes, message):
    from ngograph.errors import ConfigError

    sink = Recorder()
    xml = S._XmlText(sink)
    with pytest.raises(ConfigError) as exc:
        for data in writes:
            xml.write(data)
    assert message in str(exc.value) and str(exc.value).startswith("RDF/XML cannot hold the character U+")
    assert str(exc.value).endswith("): export as Turtle, N-Triples, N-Quads or JSON-LD")
    assert b"".join(sink.writes) == b"".join(writes[:-1])  # nothing of the refused write


def test_xml_text_keeps_two_hundred_bytes_for_the_next_write():
    xml = S._XmlText(Recorder())
    xml.write(b"a" * 150)
    xml.write(b"b" * 100)
    assert xml.tail == b"a" * 100 + b"b" * 100


def test_line_file_reads_ten_thousand_lines_at_a_time():
    taken = []

    def lines():
        for i in range(25_000):
            taken.append(i)
            yield b"<urn:s> <urn:p> <urn:o> .\n"

    f = E._LineFile(lines())
    buffer = bytearray(10)
    assert f.readinto(buffer) == 10 and bytes(buffer) == b"<urn:s> <u"
    assert len(taken) == 10_000 and f.count == 10_000 and f.readable()
    rest = bytearray(1 << 20)
    n = f.readinto(rest)
    assert n == 10_000 * 26 - 10  # the rest of the block, not more
    assert f.readinto(rest) == 10_000 * 26 and f.readinto(rest) == 5_000 * 26 and f.readinto(rest) == 0
    assert f.count == 25_000


def test_element_names_are_checked_once_each_and_only_iris_as_classes():
    from ngograph.errors import ConfigError

    p, s, t = ox.NamedNode("https://schema.org/name"), ox.NamedNode("urn:s"), ox.NamedNode(str(S._RDF_TYPE.value))
    lit = ox.Triple(s, t, ox.Literal("x"))  # a literal class: no element for it
    node = ox.Triple(s, t, ox.BlankNode("b"))
    ok = [ox.Triple(s, p, ox.Literal("x")), lit, node, ox.Triple(s, t, ox.NamedNode("https://schema.org/Project"))]
    assert list(S._element_names(ok)) == ok
    with pytest.raises(ConfigError, match=r"the class <urn:x:1> \(of <urn:s>\) as an XML element: export as Turtle, "
                                          r"N-Triples, N-Quads or JSON-LD$"):
        list(S._element_names([ox.Triple(s, t, ox.NamedNode("urn:x:1"))]))
    with pytest.raises(ConfigError, match=r"the predicate <http://e.org/p\(1\)> \(of <urn:s>\)"):
        list(S._element_names([ox.Triple(s, ox.NamedNode("http://e.org/p(1)"), ox.Literal("x"))]))


def test_rdfxml_bytes_binds_the_prefixes_given():
    t = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("https://schema.org/name"), ox.Literal("x"))
    bound = S.rdfxml_bytes([t], {"schema": "https://schema.org/"})
    assert b'xmlns:schema="https://schema.org/"' in bound and b"<schema:name>x</schema:name>" in bound
    assert b"xmlns:schema=" not in S.rdfxml_bytes([t]) and bound.endswith(b"</rdf:RDF>\n")


def test_told_counts_the_lines_handed_on_every_block_and_at_the_end(monkeypatch):
    monkeypatch.setattr(E, "_LINES", 2)
    told = []
    assert list(E._told(iter([b"a", b"b", b"c", b"d", b"e"]), lambda n, last: told.append((n, last)))) == \
        [b"a", b"b", b"c", b"d", b"e"]
    assert told == [(2, False), (4, False), (5, True)]
    told.clear()
    assert list(E._told(iter([]), lambda n, last: told.append((n, last)))) == [] and told == [(0, True)]
