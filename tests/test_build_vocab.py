"""rdf/build.py on a tiny reference vocabulary written here: its triples as they are, the line each
subject is located at (counted by hand below), the file's display name, a parse error, and the build
metadata's N-Triples."""

from __future__ import annotations

import pytest

from ngograph.errors import DataError, Location
from ngograph.rdf.build import Built, build_graph
from ngograph.rdf.namespaces import NGO
from ngograph.records.check import Records

BASE = "https://example.org/ngo/"

# line numbers, counted by hand:        1 comment, 2-3 prefixes, 4 empty
VOCAB = """\
# a tiny scheme
@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/v> a skos:ConceptScheme ;
    skos:prefLabel "V"@en .
#gamma is described further down
ex:alpha a skos:Concept ;
    skos:inScheme <https://example.org/v> .
  ex:indented a skos:Concept .
<https://example.org/h#beta> a skos:Concept .
ex:alpha skos:notation "a" .
ex:gamma a skos:Concept .
[] skos:note "a blank node" .
ex:delta a skos:Concept . ex:epsilon a skos:Concept .
ex:TAX a skos:Concept
.
<https://example.org/v/@prefix> a skos:Concept .
"""
#: subject -> the line its description starts on (1 where no line opens with its local name)
EXPECTED = {
    "https://example.org/v": 5,
    "https://example.org/v/alpha": 8,       # its first line, not the second at 12
    "https://example.org/v/indented": 1,    # indented: not an opening line
    "https://example.org/h#beta": 11,
    "https://example.org/v/gamma": 13,      # the comment at 7 that starts with its name does not count
    "https://example.org/v/delta": 15,
    "https://example.org/v/epsilon": 1,     # second on its line
    "https://example.org/v/TAX": 16,        # a name ending in X (not stripped with the ">")
    "https://example.org/v/@prefix": 18,    # not the @prefix lines' 2 and 3
}


def vocab_file(tmp_path, text=VOCAB, name="tiny.ttl"):
    folder = tmp_path / "data" / "vocab"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def build(*paths):
    return build_graph(Records(vocab_files=list(paths)), BASE)


def test_each_subject_located_at_the_line_its_description_starts(tmp_path):
    built = build(vocab_file(tmp_path))
    assert built.locations == {iri: Location("data/vocab/tiny.ttl", line) for iri, line in EXPECTED.items()}


def test_the_vocabulary_triples_as_they_are(tmp_path):
    built = build(vocab_file(tmp_path))
    lines = built.vocab_nt.decode().splitlines()
    assert len(lines) == 13            # 2 + 3 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 (hand count of VOCAB's triples)
    assert '<https://example.org/v/alpha> <http://www.w3.org/2004/02/skos/core#notation> "a" .' in lines
    assert sum(line.startswith("_:") for line in lines) == 1
    # the published graph holds them too (no curated record here: nothing else)
    assert sorted(built.nt.decode().splitlines()) == sorted(lines)
    assert len(built.graph) == 13


def test_two_vocabularies_in_order(tmp_path):
    first = vocab_file(tmp_path, "<https://example.org/a/one> a <https://example.org/C> .\n", "a.ttl")
    second = vocab_file(tmp_path, "\n\n<https://example.org/b/two> a <https://example.org/C> .\n", "b.ttl")
    built = build(first, second)
    assert built.vocab_nt.decode().splitlines() == [
        "<https://example.org/a/one> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/C> .",
        "<https://example.org/b/two> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/C> .",
    ]
    assert built.locations == {"https://example.org/a/one": Location("data/vocab/a.ttl", 1),
                               "https://example.org/b/two": Location("data/vocab/b.ttl", 3)}


def test_a_vocabulary_that_is_not_turtle_names_its_file_at_line_1(tmp_path):
    path = vocab_file(tmp_path, "@prefix ex: <https://example.org/> .\nex:a ex:b .\n", "broken.ttl")
    with pytest.raises(DataError) as caught:
        build(path)
    ((location, message),) = caught.value.problems
    assert location == Location("data/vocab/broken.ttl", 1)
    assert message.startswith("cannot parse Turtle: ")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_locations_nt_sorted_one_line_per_resource():
    built = Built(b"", {"https://example.org/b": Location("data/x.yaml", 12),
                        "https://example.org/a": Location("data/vocab/y.ttl", 3)})
    assert built.locations_nt() == (
        f'<https://example.org/a> <{NGO.curatedAt}> "data/vocab/y.ttl:3" .\n'
        f'<https://example.org/b> <{NGO.curatedAt}> "data/x.yaml:12" .\n').encode()
    assert Built(b"").locations_nt() == b""


def test_the_graph_is_parsed_once():
    built = Built(b"<https://example.org/a> <https://example.org/p> \"x\" .\n")
    assert built.graph is built.graph
    assert len(built.graph) == 1

