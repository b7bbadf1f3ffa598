"""The fast engine equals pySHACL on random records (issue 14, part B): small random graphs
built from the shapes' own vocabulary (their target classes, paths, datatypes, sh:in values),
with faults drawn in (wrong datatypes, unknown codes, missing or repeated values, wrong classes).
Only well-formed literals are drawn: ill-formed ones are a documented difference of the engines."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from test_validate_fast import _shapes, both

EX = "https://example.org/id/"
SCHEMA = "https://schema.org/"
NGO = "https://w3id.org/ngograph/def#"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The terms the shapes use, read once when the first example runs (not at import)."""
    shapes = _shapes()
    in_values = set()
    for lst in shapes.objects(None, SH["in"]):
        in_values.update(Collection(shapes, lst))
    class_paths = {}
    for shape, cls in shapes.subject_objects(SH.targetClass):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef) and path != RDF.type:
                class_paths.setdefault(cls, set()).add(path)
    return {
        "class_paths": {c: sorted(ps) for c, ps in class_paths.items()},
        "classes": sorted({o for o in shapes.objects(None, SH.targetClass)} | {o for o in shapes.objects(None, SH["class"])}),
        "paths": sorted({o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef) and o != RDF.type}),
        "in": sorted(in_values, key=str),
    }


LITERALS = [
    Literal("a name", lang="en"), Literal("nosaukums", lang="lv"), Literal("plain"), Literal(""),
    Literal("12.5", datatype=XSD.decimal), Literal("-3", datatype=XSD.decimal), Literal("0", datatype=XSD.decimal),
    Literal("150", datatype=XSD.decimal), Literal("7", datatype=XSD.integer), Literal("-1", datatype=XSD.integer),
    Literal("2", datatype=XSD.nonNegativeInteger), Literal("2021", datatype=XSD.gYear),
    Literal("2021-02", datatype=XSD.gYearMonth), Literal("2021-02-03", datatype=XSD.date),
    Literal("2020-01-01", datatype=XSD.date), Literal("2021-02-03T10:00:00", datatype=XSD.dateTime),
    Literal("--08-15", datatype=XSD.gMonthDay), Literal("--08", datatype=XSD.gMonth),
    Literal("true", datatype=XSD.boolean), Literal("false", datatype=XSD.boolean), Literal("EUR"),
    Literal("EUROS"), Literal("https://e.org/x", datatype=XSD.anyURI), Literal("someone@example.org"),
]


@st.composite
def graphs(draw) -> Graph:
    voc = vocabulary()
    nodes = [URIRef(f"{EX}n{i}") for i in range(draw(st.integers(1, 5)))]
    objects = st.one_of(st.sampled_from(nodes), st.sampled_from(LITERALS), st.sampled_from(voc["in"]),
                        st.sampled_from(voc["classes"]), st.just(BNode("b0")))
    g = Graph()
    for node in nodes:
        for cls in draw(st.lists(st.sampled_from(voc["classes"]), min_size=1, max_size=2, unique=True)):
            g.add((node, RDF.type, cls))
        own = [p for c in g.objects(node, RDF.type) for p in voc["class_paths"].get(c, ())] or voc["paths"]
        paths = st.one_of(st.sampled_from(own), st.sampled_from(voc["paths"]))  # mostly its shapes' paths
        for path, obj in draw(st.lists(st.tuples(paths, objects), max_size=10)):
            g.add((node, path, obj))
    return g


def test_vocabulary_is_not_empty():
    voc = vocabulary()
    assert len(voc["classes"]) >= 15 and len(voc["paths"]) >= 50 and URIRef(SCHEMA + "Project") in voc["classes"]
    assert URIRef(NGO + "fundingShare") in voc["paths"] and voc["in"]
    assert URIRef(SCHEMA + "currency") in voc["class_paths"][URIRef(SCHEMA + "MonetaryAmount")]


def test_a_hand_made_fault_is_found_by_both():
    g = Graph()
    a = URIRef(EX + "a")
    g.add((a, RDF.type, URIRef(SCHEMA + "MonetaryAmount")))
    g.add((a, URIRef(SCHEMA + "value"), Literal("5")))
    g.add((a, URIRef(SCHEMA + "currency"), Literal("EUROS")))
    reference, fast = both(g)
    assert fast == reference
    assert {(r[0], r[4], r[5]) for r in reference} >= {
        (EX + "a", "ngosh:MonetaryAmountShape > schema:value", "sh:DatatypeConstraintComponent"),
        (EX + "a", "ngosh:MonetaryAmountShape > schema:currency", "sh:InConstraintComponent")}


_RANGES = {"sh:MinInclusiveConstraintComponent", "sh:MaxInclusiveConstraintComponent",
           "sh:MinExclusiveConstraintComponent", "sh:MaxExclusiveConstraintComponent"}


def comparable(results: set) -> set:
    """The results without the known difference this test found: a range (sh:maxInclusive ...)
    on a value of another datatype (``ngo:percentage "2021"^^xsd:gYear``, which also fails
    sh:datatype) is a result for the fast engine (SPARQL: not comparable, so not within the range)
    and none for pySHACL."""
    mistyped = {(r[0], r[1], r[2]) for r in results if r[5] == "sh:DatatypeConstraintComponent"}
    return {r for r in results if not (r[5] in _RANGES and (r[0], r[1], r[2]) in mistyped)}


def test_known_difference_range_on_another_datatype():
    g = Graph()
    n0 = URIRef(EX + "n0")
    g.add((n0, RDF.type, URIRef(NGO + "Allocation")))
    g.add((n0, URIRef(NGO + "percentage"), Literal("2021", datatype=XSD.gYear)))
    reference, fast = both(g)
    assert fast - reference == {(EX + "n0", "ngo:percentage", "2021", "Violation",
                                 "ngosh:AllocationShape > ngo:percentage", "sh:MaxInclusiveConstraintComponent",
                                 "a percentage is one decimal from 0 to 100")}
    assert comparable(fast) == comparable(reference)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(graph=graphs())
def test_fast_engine_equals_pyshacl_on_random_records(graph):
    reference, fast = both(graph)
    assert comparable(fast) == comparable(reference)
