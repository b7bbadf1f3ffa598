"""Text that is not Unicode: a lone surrogate (half of a UTF-16 pair) from a JSON or YAML escape, or a file name that
is not UTF-8 (Python reads each such byte as a surrogate). No UTF-8 file and no RDF literal can hold one, and each
used to end an import with a UnicodeEncodeError traceback. Now an import writes U+FFFD and names the record or file
as a problem; curated YAML is refused with its file:line, since its author can write the character."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.errors import DataError
from ngograph.rdf.emit import Emitter
from ngograph.sources.yamlio import load_yaml
from ngograph.store.embedded import named_graphs, open_store, source_name

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BARING = FIXTURES / "giving360" / "baring.json"
CORDIS = FIXTURES / "cordis" / "h2020.csv"


def _graph_text(store: Path) -> str:
    with open_store(store) as s:
        (graph,) = [g for g in named_graphs(s) if source_name(g)]
        return s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)).decode()


def _import(source: str, folder: Path, store: Path, capsys) -> tuple[int, str, str]:
    code = main(["import", source, str(folder), "--no-reconcile", "--store", str(store)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_lone_surrogate_in_json_is_read_as_u_fffd_and_named(tmp_path, capsys):
    text = BARING.read_text(encoding="utf-8")
    name, ident = '"Comic Relief Limited"', '"360G-baringfoundation-20130071"'
    assert name in text and ident in text
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "baring.json").write_text(text.replace(name, '"Comic \\ud800Relief Limited"')
                                        .replace(ident, '"360G-baring\\udc00-20130071"'), encoding="utf-8")
    code, out, err = _import("360giving", folder, tmp_path / "store", capsys)
    assert code == 0
    assert "baring.json#/grants/0: 2 lone surrogate(s)" in err and "each read as U+FFFD" in err
    graph = _graph_text(tmp_path / "store")
    assert '"Comic \ufffdRelief Limited"' in graph
    assert "360G-baring%EF%BF%BD-20130071" in graph  # U+FFFD in the minted IRI, percent-encoded
    assert "\\ud800" not in graph and "Comic Relief Limited" not in graph


def test_a_surrogate_pair_escaped_in_json_is_one_character_and_no_problem(tmp_path, capsys):
    text = BARING.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "baring.json").write_text(text.replace('"Comic Relief Limited"', '"Comic Relief \\ud83d\\ude00"'),
                                        encoding="utf-8")
    code, out, err = _import("360giving", folder, tmp_path / "store", capsys)
    assert code == 0 and "lone surrogate" not in err
    assert '"Comic Relief \U0001F600"' in _graph_text(tmp_path / "store")


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_a_file_name_that_is_not_utf8_is_written_with_u_fffd_and_named(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORDIS, os.path.join(os.fsencode(folder), b"h2020-\xff.csv"))
    code, out, err = _import("cordis", folder, tmp_path / "store", capsys)
    assert code == 0
    assert f"{folder}/h2020-\\xff.csv: the file's name is not UTF-8: each byte that is not is written as U+FFFD in " \
           "the graph\n" in err
    graph = _graph_text(tmp_path / "store")
    assert '"h2020-\ufffd.csv"' in graph  # the file's title in the dataset description
    assert '"h2020-\ufffd.csv:row 2"' in graph  # a record's location
    assert "import: cordis as cordis" in err and "triples" in out


def test_the_emitter_writes_u_fffd_for_a_lone_surrogate():
    em = Emitter("https://example.org/", "https://example.org/dataset/x", None)
    em.add("<https://example.org/a>", "name", '"x\udcffy"')
    em.add("<https://example.org/a>", "name", '"ok"')
    assert em.take().decode() == ('<https://example.org/a> <https://schema.org/name> "x\ufffdy" .\n'
                                  '<https://example.org/a> <https://schema.org/name> "ok" .\n')
    assert em.take() == b""


def test_a_lone_surrogate_in_curated_yaml_is_refused_at_its_line(tmp_path):
    path = tmp_path / "organisations.yaml"
    path.write_text('- id: a\n  name: "Tiltai \\ud800"\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_yaml(path)
    message = str(caught.value)
    assert message == (f"{path}:2: invalid YAML: the text holds \\ud800, half of a UTF-16 surrogate pair and not a "
                       "character: write the character itself (or both halves of its pair)")


def test_an_escaped_surrogate_pair_in_curated_yaml_is_one_character(tmp_path):
    path = tmp_path / "organisations.yaml"
    path.write_text('- id: a\n  name: "Tiltai \\ud83d\\ude00"\n  note: plain\n', encoding="utf-8")
    (item,) = load_yaml(path)
    assert item["name"] == "Tiltai \U0001F600" and item["note"] == "plain"


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_a_curated_file_name_that_is_not_utf8_is_refused_by_build(data_copy, tmp_path, capsys):
    """The graph keeps where each curated record is written: a name no UTF-8 text holds is one line, exit 2."""
    projects = os.fsencode(data_copy / "projects")
    os.rename(os.path.join(projects, b"seed-000.yaml"), os.path.join(projects, b"x\xff.yaml"))
    code = main(["build", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == ["ngograph build: data/projects/x\\xff.yaml has a name that is not UTF-8: rename it"]
    assert not (tmp_path / "store").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_an_interreg_file_name_that_is_not_utf8_mints_its_keys_with_u_fffd(tmp_path, capsys):
    """Interreg's row keys hold the record's location: minted percent-encoded, U+FFFD for the byte."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "interreg" / "rawdata_2026.json", os.path.join(os.fsencode(folder), b"r\xff.json"))
    code, out, err = _import("interreg", folder, tmp_path / "store", capsys)
    assert code == 0 and "r\\xff.json: the file's name is not UTF-8" in err
    assert "r%EF%BF%BD.json" in _graph_text(tmp_path / "store")


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_a_folder_name_that_is_not_utf8_is_no_problem(tmp_path, capsys):
    """The graph names the files relative to the folder read: a folder above them may have any name."""
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"in\xff")))
    folder.mkdir()
    shutil.copy(CORDIS, folder / "h2020.csv")
    code, out, err = _import("cordis", folder, tmp_path / "store", capsys)
    assert code == 0 and "not UTF-8" not in err
    assert "\ufffd" not in _graph_text(tmp_path / "store")


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_a_vocabulary_file_name_that_is_not_utf8_is_refused_by_build(data_copy, tmp_path, capsys):
    vocab = os.fsencode(data_copy / "vocab")
    with open(os.path.join(vocab, b"tiny\xff.ttl"), "w", encoding="utf-8") as fh:
        fh.write('<https://example.org/v/r> <http://www.w3.org/2004/02/skos/core#prefLabel> "Riga"@lv .\n')
    code = main(["build", "--data", str(data_copy), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == ["ngograph build: data/vocab/tiny\\xff.ttl has a name that is not UTF-8: rename it"]


@pytest.mark.parametrize("name", ["x\udcff", "a b", "-x", ".x", "a/b", "a#b"])
def test_a_dataset_name_that_cannot_end_an_iri_is_refused(name, tmp_path, capsys):
    code = main(["import", "cordis", str(CORDIS), f"--name={name}", "--quiet", "--no-reconcile",
                 "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err.strip().splitlines()
    shown = name.replace("\udcff", "\\xff")
    assert code == 2 and err == [
        f"ngograph import: --name '{shown}' is not a dataset name: use letters, digits, '.', '_' and '-', starting "
        "with a letter or digit (it ends the dataset's IRI, .../dataset/NAME)"]
    assert not (tmp_path / "store").exists()


def test_streams_print_a_lone_surrogate_escaped_and_fail_on_anything_else():
    """The command line's error handler on a strict stream: a file name's byte as \\xff, another half as \\ud800,
    and a character the stream's encoding lacks an error as before (an ASCII terminal does not get changed data)."""
    import io

    from ngograph.textclip import SURROGATES_ESCAPED

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors=SURROGATES_ESCAPED)
    stream.write("a\udcffb\ud800c\udc7f \udc80\udcfe\udd00")
    stream.flush()
    assert raw.getvalue() == b"a\\xffb\\ud800c\\udc7f \\x80\\xfe\\udd00"
    with pytest.raises(UnicodeDecodeError):  # only what a stream writes is escaped
        b"\xff".decode("utf-8", SURROGATES_ESCAPED)
    with pytest.raises(UnicodeEncodeError):
        stream.write("\u00c5")
        stream.flush()


def test_the_command_line_prints_a_lone_surrogate_escaped(tmp_path, capsys, monkeypatch):
    """main() sets the handler on a strict stdout: a location holding a file name's byte is printed, not a
    UnicodeEncodeError half-way through the output; a stream that is not strict is left as it is."""
    import io

    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8", errors="strict"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace"))
    assert main(["import", "cordis", str(CORDIS), "--name=a b", "--store", str(tmp_path / "store")]) == 2
    sys.stdout.write("h2020-\udcff.csv:row 2\n")
    sys.stdout.flush()
    assert raw.getvalue() == b"h2020-\\xff.csv:row 2\n"
    assert sys.stderr.errors == "replace"


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_stdout_under_a_c_locale_shows_a_file_names_byte_escaped(tmp_path):
    """Under a C locale Python writes a lone surrogate back as its byte (surrogateescape): the import summary's
    line naming a mis-decoded name's location was no longer UTF-8. Now it shows \\xff, and stdout is UTF-8."""
    import subprocess

    import ngograph

    text = (FIXTURES / "giving360" / "nominet.json").read_text(encoding="utf-8")
    assert "Aardman Animations" in text
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"g\xff.json"), "w", encoding="utf-8") as fh:
        fh.write(text.replace("Aardman Animations", "Flygtningehj\u00c3\u00a6lp", 1))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    env.update(LC_ALL="C", LANG="C", PYTHONPATH=str(Path(ngograph.__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, "-m", "ngograph", "import", "360giving", str(folder), "--no-reconcile",
                           "--store", str(tmp_path / "store")], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("utf-8")  # strict: every byte UTF-8
    assert "g\\xff.json#/grants/0" in out


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems")
def test_a_data_folder_whose_name_is_not_utf8_is_refused_in_one_line(data_copy, tmp_path, capsys):
    """Every curated location starts with the data folder's name: one line about the folder, not one per file."""
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"d\xff")))
    data_copy.rename(folder)
    code = main(["build", "--data", str(folder), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == ["ngograph build: data folder d\\xff has a name that is not UTF-8: rename it"]


def test_the_streams_main_sets_up(monkeypatch):
    """stdout becomes UTF-8 (unless it is already, however spelled); a strict or surrogateescape stream escapes
    lone surrogates; stderr keeps its encoding and a handler other than those; a stream that cannot be reconfigured
    (a notebook's), or that says nothing of its encoding or errors, is left as it is."""
    import io

    from ngograph.cli import _utf8_streams
    from ngograph.textclip import SURROGATES_ESCAPED

    def stream(encoding, errors):
        return io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors=errors)

    def set_up(out, err):
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        _utf8_streams()
        return out, err

    out, err = set_up(stream("ascii", "strict"), stream("ascii", "strict"))
    assert (out.encoding, out.errors, err.encoding, err.errors) == ("utf-8", SURROGATES_ESCAPED, "ascii",
                                                                    SURROGATES_ESCAPED)
    out, err = set_up(stream("utf8", "surrogateescape"), stream("latin-1", "backslashreplace"))
    assert (out.encoding, out.errors, err.encoding, err.errors) == ("utf8", SURROGATES_ESCAPED, "latin-1",
                                                                    "backslashreplace")

    class Silent:  # reconfigure, but no encoding and no errors to read
        def __init__(self):
            self.calls = []

        def reconfigure(self, **changes):
            self.calls.append(changes)

    class Notebook:  # no reconfigure at all
        encoding, errors = "ascii", "strict"

    out, err = set_up(Notebook(), stream("latin-1", "strict"))
    assert (err.encoding, err.errors) == ("latin-1", SURROGATES_ESCAPED)
    out, err = set_up(Silent(), Silent())
    assert out.calls == [] and err.calls == []
