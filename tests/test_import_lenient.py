"""Imports are loaded without the store's own check of IRIs and language tags (``write_graph(...,
trusted=True)``: the loader's lenient mode), because the Emitter mints or checks every one. What that
rests on is checked here: everything an import of each source's fixtures writes loads again with the
checks on, and a base IRI that is not an IRI is refused before anything is minted under it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ngograph.cli import main
from ngograph.store.embedded import named_graphs, open_store, source_name

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SOURCES = {
    "cordis": ["cordis/h2020.csv"],
    "iati": ["iati/bulk_awkward_mix.xml", "iati/dportal15_nordic_ngos.xml", "iati/dportal97_textual_codes.xml"],
    "360giving": ["giving360/stack.json", "giving360/ocf3.json", "giving360/IndigoTrust_360giving.csv"],
    "interreg": ["interreg/rawdata_2026.json"],
    "forskningsradet": ["forskningsradet/dataset.csv"],
}


@pytest.mark.parametrize("source", SOURCES)
def test_what_an_import_writes_loads_again_with_every_check(source, tmp_path):
    files = [FIXTURES / f for f in SOURCES[source]]
    assert files and all(f.is_file() for f in files)
    store = tmp_path / "store"
    assert main(["import", source, *map(str, files), "--quiet", "--no-reconcile", "--store", str(store)]) == 0
    with open_store(store) as s:
        graphs = [g for g in named_graphs(s) if source_name(g)]
        assert len(graphs) == 1
        text = s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graphs[0]))
        n = sum(1 for _ in s.quads_for_pattern(None, None, None, ox.NamedNode(graphs[0])))
    strict = ox.Store()
    strict.bulk_load(text, ox.RdfFormat.N_TRIPLES, lenient=False)  # raises on an invalid IRI or language tag
    assert n > 100 and len(strict) == n


@pytest.mark.parametrize("base", ["https://example.org/[id]/", "https://example.org/%zz/"])
def test_a_base_that_is_not_an_iri_is_refused_before_an_import(base, tmp_path, capsys):
    store = tmp_path / "store"
    code = main(["import", "cordis", str(FIXTURES / "cordis" / "h2020.csv"), "--quiet", "--no-reconcile",
                 "--store", str(store), "--base", base])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and base in err[0] and "must be an http(s) IRI" in err[0]
    assert not store.exists()


def test_only_trusted_batches_skip_the_stores_check(tmp_path):
    """``trusted`` is what leaves the check to the writer: an IRI with a space is refused in a batch that is not
    trusted (and the store stays as it was), and loaded as written in one that is: trust only what ngograph wrote."""
    from ngograph.store.embedded import write_graph

    store, g = tmp_path / "store", ox.NamedNode("https://w3id.org/ngograph/id/dataset/x")
    good = b'<urn:a> <urn:p> "1" .\n'
    bad = b'<urn:a> <urn:p> <http://a b> .\n'
    write_graph(store, g, [good])
    with pytest.raises(SyntaxError):
        write_graph(store, g, [bad])
    with open_store(store) as s:
        assert [q.object.value for q in s.quads_for_pattern(None, None, None, g)] == ["1"]
    write_graph(store, g, [bad], trusted=True)
    with open_store(store) as s:
        assert [q.object.value for q in s.quads_for_pattern(None, None, None, g)] == ["http://a b"]


ODD_VOCABULARIES = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XM-TEST-1</iati-identifier>
  <reporting-org ref="XM-TEST" type="21"><narrative>Test NGO</narrative></reporting-org>
  <title><narrative>Test</narrative></title>
  <participating-org ref="XM-TEST" role="4" type="21"><narrative>Test NGO</narrative></participating-org>
  <recipient-region code="B" vocabulary="r\\u003Ex" percentage="100"/>
  <sector vocabulary="9 9" code="A"/>
  <sector vocabulary="a/b" code="C/1"/>
 </iati-activity>
</iati-activities>
"""


def test_a_vocabulary_a_source_names_is_percent_encoded_in_its_scheme(tmp_path):
    """An IATI ``@vocabulary`` becomes part of a scheme's IRI: a space or an escape in it must not reach the store
    (a lenient load would take it, and every later copy of the store would fail on it)."""
    xml = tmp_path / "odd.xml"
    xml.write_text(ODD_VOCABULARIES, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["import", "iati", str(xml), "--quiet", "--no-reconcile", "--store", str(store)]) == 0
    with open_store(store) as s:
        g = ox.NamedNode([g for g in named_graphs(s) if source_name(g)][0])
        text = s.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        iris = {t.value for q in s.quads_for_pattern(None, None, None, g) for t in (q.subject, q.object)
                if isinstance(t, ox.NamedNode)}
    assert len(ox.Store().bulk_load(text, ox.RdfFormat.N_TRIPLES) or []) == 0  # loads with every check on
    assert {"https://w3id.org/ngograph/vocab/iati-sector-9%209/A", "https://w3id.org/ngograph/vocab/iati-sector-9%209",
            "https://w3id.org/ngograph/vocab/iati-region-r%5Cu003Ex/B",
            "https://w3id.org/ngograph/vocab/iati-sector-a%2Fb/C%2F1"} <= iris  # a slash is encoded too


def test_a_website_that_is_not_an_iri_is_a_problem_of_its_row_not_of_the_import(tmp_path, capsys):
    """A website the pattern lets through but RFC 3987 does not (a broken % escape) was taken by the records and
    then stopped the whole import at the Emitter's check; now its row is reported and the rest is imported."""
    import shutil

    good = FIXTURES / "table" / "good"
    files = sorted(good.glob("*.csv"))
    assert len(files) == 4
    folder = tmp_path / "table"
    shutil.copytree(good, folder)
    orgs = folder / "organisations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("https://eksempel.example/", "https://eksempel.example/%zz"),
                    encoding="utf-8")
    store = tmp_path / "store"
    code = main(["import", "table", str(folder), "--quiet", "--no-reconcile", "--store", str(store)])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    assert "organisations.csv:row 1: website: 'https://eksempel.example/%zz' is not a web address" in err
    with open_store(store) as s:
        assert len(s) > 50 and not any("%zz" in q.object.value for q in s.quads_for_pattern(None, None, None, None))


def test_the_base_comes_from_the_argument_then_the_environment_then_the_default(monkeypatch):
    from ngograph.config import DEFAULT_BASE, base_iri
    from ngograph.errors import ConfigError

    monkeypatch.delenv("NGOGRAPH_BASE", raising=False)
    assert base_iri() == DEFAULT_BASE
    monkeypatch.setenv("NGOGRAPH_BASE", "https://example.org/env/")
    assert base_iri() == "https://example.org/env/" and base_iri("https://example.org/arg/") == "https://example.org/arg/"
    monkeypatch.setenv("NGOGRAPH_BASE", "https://example.org/[env]/")
    with pytest.raises(ConfigError) as refused:
        base_iri()
    assert str(refused.value).endswith("must be an http(s) IRI ending in '/' or '#', "
                                       "e.g. --base https://example.org/ngograph/id/")
