"""Every SHACL shape has valid and invalid fixtures; each invalid fixture must fail on the
constraint component it targets, at the focus node it names, with the severity it names."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ngograph.resources import SHAPES_FILE
from ngograph.validate.shacl import load_shapes, validate_graph

from conftest import DATA, FIXTURES

XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
SHAPES_DIR = FIXTURES / "shapes"
VALID = sorted((SHAPES_DIR / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_DIR / "invalid").glob("*.ttl"))
PREFIXES = {
    "ex": "https://example.org/id/", "sh": str(SH), "ngosh": "https://w3id.org/ngograph/shapes#",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "vocab": "https://w3id.org/ngograph/vocab/",
}


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def header(path: Path, key: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"^# {key}: (.*)$", path.read_text(), re.M)]


@lru_cache(maxsize=1)
def context() -> Graph:
    g = Graph()
    g.parse(SHAPES_DIR / "context.ttl", format="turtle")
    for vocab in sorted((DATA / "vocab").glob("*.ttl")):
        g.parse(vocab, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return load_shapes()


def results_with(path: Path | None):
    g = Graph()
    g += context()
    if path is not None:
        g.parse(path, format="turtle")
    return validate_graph(g, shapes=shapes()).results


def test_fixture_globs_found_files():
    assert len(VALID) >= 4 and len(INVALID) >= 20


def test_context_alone_gives_no_result():
    assert results_with(None) == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_gives_no_result(path):
    assert results_with(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fails_on_its_constraint(path):
    expectations = header(path, "expect")
    assert expectations, f"{path.name} has no '# expect:' line"
    shape = header(path, "shape")[0]
    got = {(r.severity, r.component, r.focus, r.shape.split(" > ")[0]) for r in results_with(path)}
    for line in expectations:
        severity, component, focus = line.split()
        assert (severity, component, expand(focus), shape) in got, f"{path.name}: expected {line} from {shape}, got {sorted(got)}"


def test_every_targeted_shape_has_valid_and_invalid_fixtures():
    g = Graph().parse(SHAPES_FILE)
    targeted = set()
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
        targeted |= {s for s in g.subjects(pred, None)}
    names = {"ngosh:" + str(s).rsplit("#", 1)[1] for s in targeted}
    in_invalid = {s for p in INVALID for s in header(p, "shape")}
    in_valid = {s for p in VALID for line in header(p, "shapes") for s in line.split()}
    assert names - in_invalid == set(), "shapes without an invalid fixture"
    assert names - in_valid == set(), "shapes without a valid fixture"
    assert len(names) >= 15


def currencies_in_shapes() -> set[str]:
    g = Graph().parse(SHAPES_FILE)
    amount = URIRef("https://w3id.org/ngograph/shapes#MonetaryAmountShape")
    (prop,) = [p for p in g.objects(amount, SH.property)
               if g.value(p, SH.path) == URIRef("https://schema.org/currency")]
    return {str(c) for c in Collection(g, g.value(prop, SH["in"]))}


def test_currency_list_is_pycountrys_iso_4217():
    """The sh:in list of MonetaryAmountShape is the active ISO 4217 list as pycountry ships it:
    regenerate it from pycountry when this fails."""
    codes = currencies_in_shapes()
    assert codes == {c.alpha_3 for c in pycountry.currencies}
    assert {"EUR", "DKK", "XDR"} <= codes and "EUROS" not in codes


@pytest.mark.parametrize("code, ok", [("XDR", True), ("NOK", True), ("EUROS", False), ("eur", False), ("ABC", False)])
def test_currency_codes_accepted_and_refused(code, ok):
    g = Graph()
    g.add((URIRef("https://example.org/id/a"), RDF.type, URIRef("https://schema.org/MonetaryAmount")))
    g.add((URIRef("https://example.org/id/a"), URIRef("https://schema.org/value"), Literal("1.0", datatype=XSD_DECIMAL)))
    g.add((URIRef("https://example.org/id/a"), URIRef("https://schema.org/currency"), Literal(code)))
    results = validate_graph(g, shapes=shapes()).results
    assert (results == []) is ok, results


def test_sparql_constraints_parse_each_query_once():
    """pySHACL runs a SPARQL constraint per focus node; each distinct text is parsed once, with the same results."""
    from ngograph.validate.shacl import _translated_query

    invalid = SHAPES_DIR / "invalid" / "dated-outside-project.ttl"
    first = results_with(invalid)
    _translated_query.cache_clear()
    assert results_with(invalid) == first
    info = _translated_query.cache_info()
    # parsed once each (every miss kept), and parsed texts used again (a constraint run for a second focus node)
    assert info.hits > 0 and info.misses == info.currsize > 0


def test_language_tags_are_checked_on_text_properties_only(tmp_path):
    """ngosh:LanguageTagShape tests the properties that hold tagged text (names, labels, titles,
    descriptions), as its comment says: the same ill-formed tag on another property is not its business."""
    body = (SHAPES_DIR / "invalid" / "language-tag-ill-formed.ttl").read_text().split("ex:o-bad a")[0]
    path = tmp_path / "tags.ttl"
    path.write_text(body + 'ex:o-notes a org:FormalOrganization , schema:Organization ; rdfs:label "O"@en ;\n'
                    '    schema:name "O"@en ; ngo:note "Piezīme"@lv-lv-lv ; dct:description "Apraksts"@lv-lv-lv ;\n'
                    '    schema:addressCountry country:LVA ; prov:wasDerivedFrom ex:source .\n')
    got = {(r.focus, r.path) for r in results_with(path) if r.shape == "ngosh:LanguageTagShape"}
    assert got == {(expand("ex:o-notes"), "dct:description")}


def test_the_store_refuses_an_ill_formed_language_tag_on_any_property(tmp_path):
    """What the README promises beside the shape's scope: a graph written into the store with an ill-formed
    tag on any property fails as a whole and leaves the store as it was."""
    import pyoxigraph as ox

    from ngograph.store.embedded import open_store, triple_count, write_graph

    store, graph = tmp_path / "store", ox.NamedNode("https://example.org/graph/g")
    write_graph(store, graph, [b'<https://example.org/id/a> <https://example.org/p> "x"@lv .\n'])
    with pytest.raises(SyntaxError, match="subtag"):
        write_graph(store, graph, [b'<https://example.org/id/a> <https://example.org/note> "y"@lv-lv-lv .\n'])
    with open_store(store) as s:
        assert triple_count(s) == 1


def test_shapes_whose_query_pyshacl_refuses_raise_a_shapes_error_not_a_traceback_of_ours():
    """pySHACL returns a ValidationFailure in place of its report when a SPARQL constraint's first nested
    SELECT does not select $this: one clear error naming what it refuses."""
    from ngograph.errors import ShapesError

    shapes = Graph().parse(format="turtle", data='''
@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/a> ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:select """
        SELECT $this WHERE { { SELECT ?v WHERE { ?x <https://example.org/p> ?v } } }""" ] .
''')
    data = Graph().parse(format="turtle", data="<https://example.org/a> <https://example.org/p> 1 .")
    with pytest.raises(ShapesError, match=r"^pySHACL stopped without a report: .*pre-bound variables.*\$this"):
        validate_graph(data, shapes=shapes, ontology=None)
