"""Mutation tests of ngograph.validate.shacl.shacl_results, the call of pySHACL: what it is asked besides the graphs.

Warnings and infos leave the report graph conforming (``sh:conforms true``, as ngograph's own Report says); the
shapes graph's owl:imports are not followed (nothing is read that the caller did not give); the shapes graph is not
validated against SHACL's own shapes first (meta-SHACL: a shape it would refuse, ``sh:closed "yes"``, still runs)."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH, XSD

from ngograph.validate.shacl import shacl_results

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n"
DATA = Graph().parse(data=PREFIXES + "ex:a a ex:Thing . ex:b a ex:Other .", format="turtle")
SHAPES = PREFIXES + """
ex:W a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] .
ex:I a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Info ] .
"""


def _results(report: Graph) -> list:
    return sorted(str(report.value(r, SH.resultSeverity)) for r in report.subjects(RDF.type, SH.ValidationResult))


def test_warnings_and_infos_leave_the_report_conforming():
    report = shacl_results(DATA, Graph().parse(data=SHAPES, format="turtle"), ontology=None)
    assert _results(report) == [str(SH.Info), str(SH.Warning)]
    assert list(report.objects(None, SH.conforms)) == [Literal(True)]
    violation = SHAPES + "ex:V a sh:NodeShape ; sh:targetClass ex:Other ; sh:property [ sh:path ex:r ; sh:minCount 1 ] ."
    report = shacl_results(DATA, Graph().parse(data=violation, format="turtle"), ontology=None)
    assert list(report.objects(None, SH.conforms)) == [Literal(False)] and len(_results(report)) == 3


def test_the_shapes_owl_imports_are_not_followed(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(PREFIXES + "ex:E a sh:NodeShape ; sh:targetClass ex:Other ; "
                                "sh:property [ sh:path ex:z ; sh:minCount 1 ] .", encoding="utf-8")
    shapes = Graph().parse(data=SHAPES + f"<https://example.org/shapes> a <http://www.w3.org/2002/07/owl#Ontology> ; "
                                         f"<http://www.w3.org/2002/07/owl#imports> <{extra.as_uri()}> .", format="turtle")
    assert _results(shacl_results(DATA, shapes, ontology=None)) == [str(SH.Info), str(SH.Warning)]  # not ex:E's


def test_the_shapes_graph_is_not_checked_against_shacls_own_shapes():
    shapes = Graph().parse(data=SHAPES + 'ex:C a sh:NodeShape ; sh:targetClass ex:Other ; sh:closed "yes" ; '
                                         'sh:property [ sh:path ex:z ; sh:minCount 1 ] .', format="turtle")
    assert (None, SH.closed, Literal("yes")) in shapes and (None, SH.closed, Literal(True, datatype=XSD.boolean)) not in shapes
    # ex:b lacks ex:z, and the closed shape refuses its rdf:type
    assert _results(shacl_results(DATA, shapes, ontology=None)) == [str(SH.Info), *[str(SH.Violation)] * 2,
                                                                     str(SH.Warning)]
