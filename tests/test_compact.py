"""JSON-LD compaction (ngograph/rdf/compact.py) on a tiny hand-written context: terms in vocabulary
position only, coerced terms only for IRIs, prefixes, blank nodes, value order, and the context's own
expansion rules."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from ngograph.rdf.compact import BLANK, IRI, LITERAL, compact_graph, compact_nodes, rdflib_term

S, N, D = "https://schema.org/", "https://w3id.org/ngograph/def#", "http://e.org/"
CONTEXT = {"@context": {"schema": S, "ngo": N, "ex": D, "odd": "x:/",
                        "name": "schema:name", "Project": "schema:Project", "dt": "ex:dt",
                        "role": {"@id": "ngo:role", "@type": "@id"}, "deep": "ex:a:b", "abs": "http://e.org/abs",
                        "http": "https://wrong.example/"}}
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def node(subject: str, *statements) -> dict:
    return next(compact_nodes([(subject, list(statements))], CONTEXT))


def test_a_term_names_a_key_or_a_class_but_an_iri_value_is_a_compact_iri():
    got = node(S + "name", (S + "name", (LITERAL, "x", None, None)), (TYPE, (IRI, S + "Project")),
               (D + "see", (IRI, S + "Project")))
    assert got == {"@id": "schema:name", "@type": "Project", "name": "x", "ex:see": {"@id": "schema:Project"}}


def test_a_coerced_term_only_for_an_iri_and_a_datatype_by_its_term():
    got = node(D + "s", (N + "role", (IRI, D + "lead")), (N + "role", (LITERAL, "lead", None, None)),
               (D + "v", (LITERAL, "5", None, D + "dt")), (D + "w", (LITERAL, "5", None, D + "other")))
    assert got == {"@id": "ex:s", "role": "ex:lead", "ngo:role": "lead", "ex:v": {"@type": "dt", "@value": "5"},
                   "ex:w": {"@type": "ex:other", "@value": "5"}}


def test_blank_nodes_stay_blank_nodes_and_a_literal_type_is_no_class():
    got = node("_:b1", (TYPE, (BLANK, "_:c")), (D + "p", (BLANK, "_:b2")), (TYPE, (LITERAL, "t", None, None)))
    assert got == {"@id": "_:b1", "@type": "_:c", "ex:p": {"@id": "_:b2"}, TYPE: "t"}
    g = Graph()
    g.add((BNode("b1"), URIRef(D + "p"), Literal("x")))
    assert compact_graph(g, CONTEXT)["@graph"] == [{"@id": "_:b1", "ex:p": "x"}]
    assert rdflib_term(BNode("b1")) == (BLANK, "_:b1")


def test_values_sorted_by_their_json_text_unescaped():
    got = node(D + "s", (D + "p", (LITERAL, "ābols", None, None)), (D + "p", (LITERAL, "zebra", None, None)),
               (D + "p", (LITERAL, "apple", None, None)))
    assert got["ex:p"] == ["apple", "zebra", "ābols"]  # escaped, "\\u0101bols" would come first


def test_compact_graph_embeds_the_context():
    g = Graph()
    g.add((URIRef(D + "s"), URIRef(S + "name"), Literal("x")))
    assert compact_graph(g, CONTEXT) == {"@context": CONTEXT["@context"], "@graph": [{"@id": "ex:s", "name": "x"}]}


def test_the_contexts_own_rules():
    # "x:/" is a prefix (its only ":" before the last character); "ex:a:b" expands at its first ":";
    # a value that starts "//" after its ":" is an absolute IRI, never a compact one (no prefix "http")
    got = node("x:/thing", (D + "a:b", (IRI, D + "abs")), (D + "abs", (LITERAL, "1", None, None)))
    assert got == {"@id": "odd:thing", "deep": {"@id": "ex:abs"}, "abs": "1"}
