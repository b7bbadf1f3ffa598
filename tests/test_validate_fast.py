"""The fast engine (ngograph/validate/fast.py) gives pySHACL's report: on every shape fixture, on
the cases of the SPARQL targets, on imported excerpts of real sources with faults injected, and
through `ngograph validate --engine`. pySHACL is the reference."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import XSD

from ngograph.cli import main
from ngograph.errors import ShapesError
from ngograph.store.embedded import open_store, published_graphs
from ngograph.store.imports import import_source
from ngograph.validate.fast import validate_store
from ngograph.validate.shacl import load_shapes, validate_graph

from conftest import FIXTURES
from test_shapes import INVALID, VALID, context
from test_shapes_speed import CASES

BASE = "https://w3id.org/ngograph/id/"
SOURCES = FIXTURES / "sources"


def results_set(report) -> set[tuple]:
    """Every result as (focus, path, value, severity, source shape, component, message); a blank node
    focus as "_:" (each engine names blank nodes its own way)."""
    return {(r.focus if r.focus.startswith("http") else "_:", r.path, r.value, r.severity, r.shape, r.component,
             r.message) for r in report.results}


def both(graph: Graph) -> tuple[set, set]:
    """pySHACL's and the fast engine's results on ``graph``, both read from one pyoxigraph store
    (as `ngograph validate` reads it: same lexical forms on both sides)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, lenient=True)
    data = Graph(bind_namespaces="none")
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    shapes = _shapes()
    reference = validate_graph(data, shapes=shapes)
    fast = validate_store(store, shapes=shapes)
    return results_set(reference), results_set(fast)


_SHAPES: list = []


def _shapes() -> Graph:
    if not _SHAPES:
        _SHAPES.append(load_shapes())
    return _SHAPES[0]


def with_context(path) -> Graph:
    g = Graph()
    g += context()
    if path is not None:
        g.parse(path, format="turtle")
    return g


def test_language_tags_of_text_properties_only_on_both_engines():
    """ngosh:LanguageTagShape: an ill-formed tag on each text property is reported, on another property not,
    by both engines alike (the store loaded leniently, as pySHACL would read a file)."""
    g = with_context(FIXTURES / "shapes" / "invalid" / "language-tag-ill-formed.ttl")
    g.parse(format="turtle", data="""
        @prefix ex: <https://example.org/id/> . @prefix ngo: <https://w3id.org/ngograph/def#> .
        @prefix dct: <http://purl.org/dc/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix schema: <https://schema.org/> .
        ex:p-bad ngo:note "Piezīme"@lv-lv-lv ; schema:keywords "atslēga"@lv-lv-lv ; skos:altLabel "P"@lv-lv-lv ;
            rdfs:comment "Komentārs"@lv-lv-lv ; schema:alternateName "Cits"@lv-lv-lv ; skos:hiddenLabel "X"@lv-lv-lv ;
            dct:alternative "Y"@lv-lv-lv ; dct:description "Z"@lv-lv-lv ; schema:description "W"@lv-lv-lv ; rdfs:label "L"@lv-lv-lv .""")
    reference, fast = both(g)
    assert fast == reference
    tags = {(focus.rsplit("/", 1)[1], path) for focus, path, _, _, shape, _, _ in reference if shape == "ngosh:LanguageTagShape"}
    assert tags == {("o-bad", "schema:name"), ("d-bad", "dct:title")} | {("p-bad", p) for p in (
        "skos:prefLabel", "skos:altLabel", "rdfs:comment", "schema:alternateName", "skos:hiddenLabel", "dct:alternative",
        "dct:description", "schema:description", "rdfs:label")}


def test_fixture_globs_found_files():
    assert len(VALID) >= 4 and len(INVALID) >= 20


@pytest.mark.parametrize("path", [None, *VALID, *INVALID], ids=lambda p: p.stem if p else "context")
def test_shape_fixture_gives_the_reference_report(path):
    reference, fast = both(with_context(path))
    assert fast == reference
    assert (path is None or "valid" == path.parent.name) == (not reference)


def test_sparql_target_cases_give_the_reference_report():
    reference, fast = both(Graph().parse(data=CASES, format="turtle"))
    assert fast == reference
    assert ("https://example.org/id/project-f2", "", "", "Warning", "ngosh:FundingShareSumShape",
            "sh:SPARQLConstraintComponent",
            "the funding shares of the project's grants sum to 101 %, over 100") in reference


# ---------------------------------------------------------------- real records with faults injected

NGO = "https://w3id.org/ngograph/def#"
SCHEMA = "https://schema.org/"
XSD_NS = str(XSD)
IMPORTS = [("iati", SOURCES / "iati" / "dportal15_nordic_ngos.xml"), ("cordis", SOURCES / "cordis" / "h2020.csv"),
           ("360giving", SOURCES / "giving360" / "ocf2.json"),
           ("forskningsradet", SOURCES / "forskningsradet" / "dataset.csv")]


@pytest.fixture(scope="module")
def imported(tmp_path_factory, built) -> set:
    """The triples of four imported excerpts of real sources and the reference vocabularies."""
    from ngograph.store.embedded import write_store

    for _source, path in IMPORTS:
        assert path.is_file(), path
    link = tmp_path_factory.mktemp("imports") / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    for source, path in IMPORTS:
        import_source(link, source, [path], BASE)
    with open_store(link) as s:
        graphs = published_graphs(s.store, [source for source, _ in IMPORTS])
        return {q.triple for g in graphs for q in s.quads_for_pattern(None, None, None, g)}


def _subjects(triples: set, predicate: str, obj=None) -> list:
    p = ox.NamedNode(predicate)
    return sorted({t.subject for t in triples if t.predicate == p and (obj is None or t.object == obj)}, key=str)


def _replace(triples: set, subject, predicate: str, new_objects) -> None:
    p = ox.NamedNode(predicate)
    triples -= {t for t in triples if t.subject == subject and t.predicate == p}
    triples |= {ox.Triple(subject, p, o) for o in new_objects}


def inject(triples: set, rng: random.Random, per_kind: int = 2) -> set[tuple[str, str, str]]:
    """Faults in ``per_kind`` records chosen by ``rng`` for each kind; the (focus, shape, component)
    each must give."""
    typ = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    expected = set()

    def pick(candidates):
        assert candidates, "no record to break"
        return rng.sample(candidates, min(per_kind, len(candidates)))

    amounts = _subjects(triples, typ, ox.NamedNode(SCHEMA + "MonetaryAmount"))
    for a in pick(amounts):  # wrong datatype: the amount as a string
        (value,) = [t.object for t in triples if t.subject == a and t.predicate.value == SCHEMA + "value"]
        _replace(triples, a, SCHEMA + "value", [ox.Literal(value.value)])
        expected.add((a.value, "ngosh:MonetaryAmountShape > schema:value", "sh:DatatypeConstraintComponent"))
    for a in pick([a for a in amounts if a not in {ox.NamedNode(e[0]) for e in expected}]):  # unknown currency
        _replace(triples, a, SCHEMA + "currency", [ox.Literal("EUROS")])
        expected.add((a.value, "ngosh:MonetaryAmountShape > schema:currency", "sh:InConstraintComponent"))
    projects = _subjects(triples, SCHEMA + "name")
    projects = [p for p in projects if ox.Triple(p, ox.NamedNode(typ), ox.NamedNode(SCHEMA + "Project")) in triples]
    for p in pick(projects):  # missing name
        _replace(triples, p, SCHEMA + "name", [])
        expected.add((p.value, "ngosh:ProjectCompletenessShape > schema:name", "sh:MinCountConstraintComponent"))
    for pa in pick(_subjects(triples, NGO + "participant")):  # dangling reference
        _replace(triples, pa, NGO + "participant", [ox.NamedNode(BASE + f"organisation/missing-{rng.randrange(10**6)}")])
        expected.add((pa.value, "ngosh:ParticipationShape > ngo:participant", "sh:ClassConstraintComponent"))
    grants = _subjects(triples, typ, ox.NamedNode(SCHEMA + "MonetaryGrant"))
    for g in pick(grants):  # share over 100 %
        _replace(triples, g, NGO + "fundingShare", [ox.Literal("150.0", datatype=ox.NamedNode(XSD_NS + "decimal"))])
        expected.add((g.value, "ngosh:GrantShape > ngo:fundingShare", "sh:MaxInclusiveConstraintComponent"))
    starts = _subjects(triples, SCHEMA + "startDate")
    for s in pick(starts):  # a date as a plain string
        _replace(triples, s, SCHEMA + "startDate", [ox.Literal("2019-01-01")])
        expected.add((s.value, "ngosh:StartDateShape > schema:startDate", "sh:NodeConstraintComponent"))
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_real_records_with_faults_give_the_reference_report(imported, seed):
    triples = set(imported)
    expected = inject(triples, random.Random(seed))
    assert len(expected) >= 10
    graph = Graph(bind_namespaces="none")
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    graph.parse(data=nt, format="nt")
    reference, fast = both(graph)
    assert fast == reference
    got = {(focus, shape, component) for focus, _p, _v, _s, shape, component, _m in reference}
    assert expected <= got


# ---------------------------------------------------------------- what the engine refuses, and the command

UNSUPPORTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ngosh: <https://w3id.org/ngograph/shapes#> .
@prefix schema: <https://schema.org/> .
ngosh:NameLengthShape a sh:NodeShape ;
    sh:targetClass schema:Project ;
    sh:property [ sh:path schema:name ; sh:maxLength 200 ] .
"""


def test_a_shape_the_engine_cannot_compile_fails_loudly_naming_it():
    with pytest.raises(ShapesError, match=r"sh:maxLength of the shape ngosh:NameLengthShape > schema:name.*--engine pyshacl"):
        validate_store(ox.Store(), shapes=Graph().parse(data=UNSUPPORTED, format="turtle"))


def test_cli_engines_print_the_same_report(seed_store, capsys):
    outputs = []
    for engine in ("fast", "pyshacl"):
        assert main(["validate", "--store", str(seed_store), "--engine", engine, "--severity", "warning", "--fresh"]) == 0
        out = capsys.readouterr()
        assert f"({engine} engine)" in out.err
        outputs.append(out.out)
    assert outputs[0] == outputs[1]
    assert "WARNINGS (2)" in outputs[0] and "INFOS" not in outputs[0]
    assert main(["validate", "--store", str(seed_store), "--severity", "info"]) == 0
    every = capsys.readouterr().out.splitlines()[-1]
    infos = int(every.split(", ")[-1].split()[0])
    assert infos > 0 and every.startswith("The graph conforms: 0 violation(s), 2 warning(s), ")
    # the last line counts what is not listed too, and says so
    assert outputs[0].splitlines()[-1] == f"{every} Not shown: {infos} info(s)."


def test_cli_fast_engine_refuses_inference(seed_store, capsys):
    assert main(["validate", "--store", str(seed_store), "--inference", "rdfs"]) == 2
    assert "--inference rdfs needs --engine pyshacl" in capsys.readouterr().err


def test_cli_source_works_with_both_engines(tmp_path, capsys, built):
    from ngograph.store.embedded import write_store

    link = tmp_path / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    import_source(link, "cordis", [SOURCES / "cordis" / "h2020.csv"], BASE)
    outputs = []
    for engine in ("fast", "pyshacl"):
        code = main(["validate", "--store", str(link), "--engine", engine, "--source", "cordis"])
        outputs.append((code, capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    code, out = outputs[0]
    assert code == 0 and "0 violation(s), 24 warning(s), 4 info(s)" in out
    assert "h2020.csv:row 4: project/cordis-rcn/194830: the project has no start date" in out
    assert "data/projects/" not in out  # the curated data is not checked


def test_statements_made_in_two_graphs_count_once_on_both_engines(tmp_path, capsys, built):
    """A statement that two graphs of the store make (a sector concept's scheme in the reference data and in
    an IATI import; the same files imported under two names) is one statement of the merged graph that
    pySHACL checks. Oxigraph 0.5 matches it once per graph in the union, which summed every allocation
    twice ("allocations to ...iati-sector-1 sum to 200 %"): the sum shapes count each statement once."""
    from ngograph.store.embedded import write_store

    link = tmp_path / "store"
    write_store(link, built.nt, built.locations_nt(), built.vocab_nt)
    iati = sorted((SOURCES / "iati").glob("*.xml"))
    assert iati
    import_source(link, "iati", iati, BASE, name="iati-a")
    reports = {}
    for imports in ("once", "twice"):
        if imports == "twice":
            import_source(link, "iati", iati, BASE, name="iati-b")
        for engine in ("fast", "pyshacl"):
            code = main(["validate", "--store", str(link), "--engine", engine, "--fresh", "--max-per-group", "10000"])
            reports[imports, engine] = (code, capsys.readouterr().out)
    assert len(set(reports.values())) == 1  # the same report on both engines, whether imported once or twice
    code, out = reports["once", "fast"]
    # dportal15_nordic_ngos.xml:3 (DK-CVR-14766383 HP 405-266) gives two sector-1 allocations of 100 % each
    sums = [line for line in out.splitlines() if "allocations to" in line]
    assert sums == ["    dportal15_nordic_ngos.xml:3: project/iati/DK-CVR-14766383%20HP%20405-266: the project's allocations "
                    "to https://w3id.org/ngograph/vocab/iati-sector-1 sum to 200 %, over 100"]


def test_a_string_datatype_fails_a_language_tagged_value_on_both_engines():
    """sh:datatype xsd:string is tested by DATATYPE alone (a language-tagged literal's is rdf:langString): "x"@en, a
    typed string and a number fail, a plain and an explicitly typed string pass, as pySHACL has it."""
    shapes = Graph().parse(format="turtle", data="""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/S> a sh:NodeShape ; sh:targetClass <https://example.org/C> ;
    sh:property [ sh:path <https://example.org/p> ; sh:datatype xsd:string ] .""")
    data = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/a> a <https://example.org/C> ; <https://example.org/p> "x"@en , "plain" , "typed"^^xsd:string .
<https://example.org/b> a <https://example.org/C> ; <https://example.org/p> "y"@lv-t-en , 5 , <https://example.org/n> ."""
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    fast = validate_store(store, shapes=shapes, ontology=None)
    assert results_set(fast) == results_set(validate_graph(Graph().parse(data=data, format="turtle"), shapes=shapes,
                                                           ontology=None))
    assert sorted((r.focus[-1], r.value) for r in fast.results) == [
        ("a", "x"), ("b", "5"), ("b", "https://example.org/n"), ("b", "y")]
