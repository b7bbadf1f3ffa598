"""The SPARQL targets of ontology/shapes.ttl change only the speed of validation, never its result.

Seven shapes whose only constraint is a SPARQL query pick their focus nodes with one SHACL-AF SPARQL
target over the whole graph instead of a class or subjects-of target, and the same-name query is
written so that rdflib looks the name up first; the language tags are read in a sub-SELECT of the
text properties' statements, and their classes tested on the ill-formed tags only. tests/fixtures/shapes/reference-shapes.ttl is
ontology/shapes.ttl as it was before (validated as before, pySHACL's advanced mode off): on a graph
with a case that fails each changed shape and cases that just miss, both give the same report.
"""

from __future__ import annotations

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH

from ngograph.rdf.sparql import query_words
from ngograph.resources import ONTOLOGY_FILE
from ngograph.validate.shacl import _shape_name, load_shapes, shacl_results

from conftest import FIXTURES

REFERENCE_SHAPES = FIXTURES / "shapes" / "reference-shapes.ttl"
NGOSH = "https://w3id.org/ngograph/shapes#"
EX = "https://example.org/id/"

CASES = """
@prefix ex: <https://example.org/id/> .
@prefix ngo: <https://w3id.org/ngograph/def#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# same name: org-a and org-b share "Red Cross"@en; org-0 (an instance of a subclass of a subclass of
# org:FormalOrganization) shares "Rotes Kreuz"@de with org-b. Misses: the name in lower case, in another
# language, on a project, and on org-z, which is not typed org:FormalOrganization itself.
ex:org-a a org:FormalOrganization , schema:Organization ; schema:name "Red Cross"@en .
ex:org-b a org:FormalOrganization , schema:Organization ; schema:name "Red Cross"@en , "Rotes Kreuz"@de .
ex:org-c a org:FormalOrganization , schema:Organization ; schema:name "red cross"@en .
ex:org-d a org:FormalOrganization , schema:Organization ; schema:name "Red Cross"@de .
ex:org-0 a ngo:InternationalNetwork ; schema:name "Rotes Kreuz"@de .
ex:org-z a ngo:InternationalNetwork ; schema:name "Red Cross"@en .
ex:project-x a schema:Project ; schema:name "Red Cross"@en .

# translated names: t2 has no original, t3 shows the translation as its label. Misses: t1 (original there),
# t5 (the same in upper case), place-t4 (a translated label but no schema:name, so not a focus node).
ex:project-t1 a schema:Project ; schema:name "Rīga"@lv , "Riga"@en-t-lv .
ex:project-t2 a schema:Project ; schema:name "Riga"@en-t-lv .
ex:project-t3 a schema:Project ; schema:name "Tartu"@et ; rdfs:label "Tartu"@en-t-et .
ex:place-t4 rdfs:label "Tartu"@en-t-et .
ex:project-t5 schema:name "Riga"@EN-T-LV , "Rīga"@LV .

# dated outside the project's period (2020-03-01 to 2021): pa-early, e-late, t-late. Misses: a year that is
# a prefix of the start, a day in the end year, a date without a year, the project itself (no parent).
ex:project-p a schema:Project ; schema:startDate "2020-03-01"^^xsd:date ; schema:endDate "2021"^^xsd:gYear .
ex:pa-early ngo:inProject ex:project-p ; schema:startDate "2020-02"^^xsd:gYearMonth .
ex:pa-prefix ngo:inProject ex:project-p ; schema:startDate "2020"^^xsd:gYear .
ex:e-late ngo:eventOf ex:project-p ; schema:endDate "2022-01-01"^^xsd:date .
ex:e-inside ngo:eventOf ex:project-p ; schema:startDate "2021-12-31"^^xsd:date .
ex:e-noyear ngo:eventOf ex:project-p ; schema:startDate "--01-01"^^xsd:gMonthDay .
ex:t-late ngo:transactionOf ex:project-p ; ngo:transactionDate "2022-01-01"^^xsd:date .

# allocations: project-b's places sum to 101, project-d's DAC sectors to 110. Misses: exactly 100.5,
# and 120 split over two schemes.
ex:se a schema:Place . ex:no a schema:Place .
ex:s1 skos:inScheme ex:dac . ex:s3 skos:inScheme ex:dac . ex:s2 skos:inScheme ex:other .
ex:project-a ngo:allocation ex:al1 , ex:al2 .
ex:al1 ngo:percentage 60.0 ; ngo:allocatedTo ex:se .
ex:al2 ngo:percentage 40.5 ; ngo:allocatedTo ex:no .
ex:project-b ngo:allocation ex:bl1 , ex:bl2 .
ex:bl1 ngo:percentage 60.0 ; ngo:allocatedTo ex:se .
ex:bl2 ngo:percentage 41.0 ; ngo:allocatedTo ex:no .
ex:project-c ngo:allocation ex:cl1 , ex:cl2 .
ex:cl1 ngo:percentage 60.0 ; ngo:allocatedTo ex:s1 .
ex:cl2 ngo:percentage 60.0 ; ngo:allocatedTo ex:s2 .
ex:project-d ngo:allocation ex:dl1 , ex:dl2 .
ex:dl1 ngo:percentage 60.0 ; ngo:allocatedTo ex:s1 .
ex:dl2 ngo:percentage 50.0 ; ngo:allocatedTo ex:s3 .

# funding shares: project-f2's sum to 101. Misses: exactly 100, and f3's 120 (f3 is not a schema:Project).
ex:project-f1 a schema:Project . ex:project-f2 a schema:Project .
ex:g1 schema:fundedItem ex:project-f1 ; ngo:fundingShare 50.0 .
ex:g2 schema:fundedItem ex:project-f1 ; ngo:fundingShare 50.0 .
ex:g3 schema:fundedItem ex:project-f2 ; ngo:fundingShare 60.0 .
ex:g4 schema:fundedItem ex:project-f2 ; ngo:fundingShare 41.0 .
ex:g5 schema:fundedItem ex:project-f3 ; ngo:fundingShare 60.0 .
ex:g6 schema:fundedItem ex:project-f3 ; ngo:fundingShare 60.0 .

# grants over budget: grant-over (over the total cost), grant-n (over the only SEK budget). Misses: equal
# to the total cost, in another currency, over an untyped budget that is not the only one in EUR.
ex:project-m a schema:Project ; ngo:budget ex:b-total , ex:b-other .
ex:b-total schema:value 900.0 ; schema:currency "EUR" ;
    ngo:budgetType <https://w3id.org/ngograph/vocab/budget-type/total-cost> .
ex:b-other schema:value 100.0 ; schema:currency "EUR" .
ex:grant-over a schema:MonetaryGrant ; schema:fundedItem ex:project-m ; schema:amount ex:m1 .
ex:m1 schema:value 1000.0 ; schema:currency "EUR" .
ex:grant-equal a schema:MonetaryGrant ; schema:fundedItem ex:project-m ; schema:amount ex:m2 .
ex:m2 schema:value 900.0 ; schema:currency "EUR" .
ex:grant-sek a schema:MonetaryGrant ; schema:fundedItem ex:project-m ; schema:amount ex:m3 .
ex:m3 schema:value 1000.0 ; schema:currency "SEK" .
ex:project-n a schema:Project ; ngo:budget ex:b-n .
ex:b-n schema:value 500.0 ; schema:currency "SEK" .
ex:grant-n a schema:MonetaryGrant ; schema:fundedItem ex:project-n ; schema:amount ex:m4 .
ex:m4 schema:value 600.0 ; schema:currency "SEK" .

# language tags: project-x's alternative name is reported, its note (not a text property) is not; org-0's title (an
# instance of a subclass of a subclass of org:FormalOrganization) is reported. Misses: the label of place-t4, of
# none of the seven classes; a well-formed tag.
ex:project-x schema:alternateName "Sarkanais Krusts"@lv-lv-lv ; ngo:note "piezīme"@lv-lv-lv .
ex:org-0 dct:title "Rotes Kreuz e.V."@de-de-de ; rdfs:comment "Verein"@de-DE .
ex:place-t4 rdfs:comment "Tartu"@et-et-et .
"""

#: The shapes that pick their focus nodes with a SPARQL target.
CHANGED = {"OrganisationSameNameShape", "TranslatedNameShape", "WithinProjectPeriodShape",
           "AllocationSumShape", "FundingShareSumShape", "GrantOverBudgetShape", "LanguageTagShape"}


def _canonical(g: Graph, term, depth: int = 0):
    """A term of the results graph, blank nodes (paths, values) replaced by what they hold."""
    if isinstance(term, BNode) and depth < 5:
        return frozenset((str(p), _canonical(g, o, depth + 1)) for p, o in g.predicate_objects(term))
    return term


def report_set(results: Graph, shapes: Graph) -> set[tuple]:
    """Every result as (focus, path, value, messages, severity, source shape, constraint component)."""
    return {(results.value(r, SH.focusNode), _canonical(results, results.value(r, SH.resultPath)),
             _canonical(results, results.value(r, SH.value)),
             tuple(sorted(str(m) for m in results.objects(r, SH.resultMessage))),
             results.value(r, SH.resultSeverity), _shape_name(shapes, results.value(r, SH.sourceShape)),
             results.value(r, SH.sourceConstraintComponent))
            for r in results.subjects(SH.resultSeverity, None)}


def test_sparql_targets_give_the_reference_report():
    data = Graph().parse(data=CASES, format="turtle")
    shapes = load_shapes()
    new = report_set(shacl_results(data, shapes), shapes)

    reference_shapes = load_shapes(REFERENCE_SHAPES)
    _conforms, reference_results, _text = pyshacl_validate(
        data, shacl_graph=reference_shapes, ont_graph=Graph().parse(ONTOLOGY_FILE), inference="none",
        abort_on_first=False, allow_infos=True, allow_warnings=True,
        meta_shacl=False, advanced=False, do_owl_imports=False)
    reference = report_set(reference_results, reference_shapes)

    assert new == reference
    changed = {(shape.split(":", 1)[1], str(focus)[len(EX):]) for focus, _p, _v, _m, _s, shape, _c in new
               if shape.split(":", 1)[-1] in CHANGED}
    assert changed == {
        ("OrganisationSameNameShape", "org-a"), ("OrganisationSameNameShape", "org-0"),
        ("TranslatedNameShape", "project-t2"), ("TranslatedNameShape", "project-t3"),
        ("WithinProjectPeriodShape", "pa-early"), ("WithinProjectPeriodShape", "e-late"),
        ("WithinProjectPeriodShape", "t-late"),
        ("AllocationSumShape", "project-b"), ("AllocationSumShape", "project-d"),
        ("FundingShareSumShape", "project-f2"),
        ("GrantOverBudgetShape", "grant-over"), ("GrantOverBudgetShape", "grant-n"),
        ("LanguageTagShape", "project-x"), ("LanguageTagShape", "org-0"),
    }
    same_name = {(str(focus)[len(EX):], value) for focus, _p, value, _m, _s, shape, _c in new
                 if shape == "ngosh:OrganisationSameNameShape"}
    assert same_name == {("org-a", Literal("Red Cross", lang="en")), ("org-0", Literal("Rotes Kreuz", lang="de"))}


def test_a_shape_with_a_sparql_target_has_no_other_target():
    """pySHACL takes the union of a shape's targets: a class target beside the SPARQL one would undo it."""
    shapes = load_shapes()
    targeted = set(shapes.subjects(SH.target, None))
    assert {str(s)[len(NGOSH):] for s in targeted} == CHANGED
    other = {s for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
             for s in shapes.subjects(pred, None)}
    assert targeted & other == set()


def _alternative_paths(query: str) -> list[int]:
    """The positions (in words) of the property-path alternatives (``p|q``) of ``query``; ``||`` is an or."""
    words = query_words(query)
    return [i for i, w in enumerate(words)
            if w == "|" and (i == 0 or words[i - 1] != "|") and (i + 1 == len(words) or words[i + 1] != "|")]


def test_the_shapes_queries_name_no_alternative_path():
    """Oxigraph evaluates an alternative path 5x slower than the UNION of its parts (the within-period check's
    parent links on the imported store: 0.31 s against 0.06 s), which gives the same rows once a shape's results
    are put together; a shape's query names each predicate in a pattern of its own."""
    assert _alternative_paths("SELECT * { ?s <p>|^<q> ?o FILTER (?a || ?b) }") == [5]
    assert _alternative_paths('SELECT * { ?s <p> ?o FILTER (REGEX(?o, "a|b") || ?b) }') == []
    shapes = load_shapes()
    queries = list(shapes.objects(None, SH.select))
    assert len(queries) >= 10
    alternatives = [q for q in queries if _alternative_paths(str(q))]
    owners = {_shape_name(shapes, shape) for q in alternatives
              for node in shapes.subjects(SH.select, q) for shape in shapes.subjects(None, node)}
    assert (owners, len(alternatives)) == (set(), 0)
