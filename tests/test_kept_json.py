"""What a stage keeps as JSON beside a graph (:func:`ngograph.store.embedded.keep_json`, :func:`kept_json`):
the text written (keys sorted, non-ASCII text as it is), and what is read back, from rdf:value only; what is
kept for a named graph at one of its generations (:func:`keep_for_graph`, :func:`kept_for_graph`) is read back
only while that generation is the graph's, and at the node stores written before kept it at."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from ngograph.store.embedded import (GENERATIONS_GRAPH, VALUE, keep_for_graph, keep_json, kept_for_graph, kept_json,
                                     kept_node)

N, G = ox.NamedNode("urn:ngograph:kept:test:n"), ox.NamedNode("urn:ngograph:graph:test")


def test_the_text_kept_has_its_keys_sorted_and_its_text_as_it_is():
    quad = keep_json(N, {"rows": [["Latvijas Sarkanais Krusts", "Rīga"]], "graph": "g", "stamp": "s1"}, G)
    assert (quad.subject, quad.predicate, quad.graph_name) == (N, VALUE, G)
    assert quad.object.value == '{"graph": "g", "rows": [["Latvijas Sarkanais Krusts", "Rīga"]], "stamp": "s1"}'


def test_only_rdf_value_of_the_node_in_that_graph_is_read():
    s = ox.Store()
    s.add(ox.Quad(N, ox.NamedNode("urn:x:other"), ox.Literal('{"a": 1}'), G))  # JSON, but not kept by keep_json
    s.add(ox.Quad(N, VALUE, ox.Literal('{"a": 2}'), ox.NamedNode("urn:x:elsewhere")))
    assert kept_json(s, N, G) is None
    s.add(keep_json(N, {"a": 3}, G))
    assert kept_json(s, N, G) == {"a": 3}
    assert kept_json(s, ox.NamedNode("urn:x:nobody"), G) is None


P, A, B = "urn:ngograph:kept:test:", ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/b")


def _stamped(**stamps: str) -> ox.Store:
    s = ox.Store()
    for name, stamp in stamps.items():
        s.add(ox.Quad(ox.NamedNode(f"https://example.org/{name}"), VALUE, ox.Literal(stamp), GENERATIONS_GRAPH))
    return s


def test_the_kept_node_is_the_prefix_and_the_hash_that_stores_were_written_with():
    # what the description and reconciliation kept before these helpers stays readable: the same nodes
    assert kept_node(P, A.value).value == P + hashlib.sha256(b"https://example.org/a").hexdigest()[:32]
    assert kept_node(P, A.value, B.value).value == P + hashlib.sha256(
        b"https://example.org/a\nhttps://example.org/b").hexdigest()[:32]


def test_what_is_kept_for_a_graph_is_read_back_at_its_generation_only():
    s = _stamped(a="gen1")
    s.add(keep_for_graph(P, A, "gen1", {"rows": [["x", "Rīga"]]}, G))
    assert kept_for_graph(s, P, A, G) == ("gen1", {"graph": A.value, "stamp": "gen1", "rows": [["x", "Rīga"]]})
    assert kept_for_graph(s, P, A, ox.NamedNode("urn:x:other-own-graph")) == ("gen1", None)
    assert kept_for_graph(s, "urn:x:other-prefix:", A, G) == ("gen1", None)
    s.remove(ox.Quad(A, VALUE, ox.Literal("gen1"), GENERATIONS_GRAPH))
    s.add(ox.Quad(A, VALUE, ox.Literal("gen2"), GENERATIONS_GRAPH))  # the graph written again
    assert kept_for_graph(s, P, A, G) == ("gen2", None)


@pytest.mark.parametrize("text", ['{"graph": "https://example.org/b", "stamp": "gen1", "rows": []}',  # another graph's
                                  '{"stamp": "gen1", "rows": []}', '{"graph": "https://example.org/a", "rows": []}',
                                  '[1, 2]', '"gen1"', "{"])
def test_what_was_not_kept_for_this_graph_at_this_generation_is_not_read(text):
    s = _stamped(a="gen1")
    s.add(ox.Quad(kept_node(P, A.value), VALUE, ox.Literal(text), G))
    assert kept_for_graph(s, P, A, G) == ("gen1", None)


def test_no_generation_no_kept_value():
    s = _stamped()  # a graph written before generations were kept, and the default graph: nothing is read
    s.add(keep_for_graph(P, A, "gen1", {"rows": []}, G))
    assert kept_for_graph(s, P, A, G) == (None, None)
    assert kept_for_graph(s, P, ox.DefaultGraph(), G) == (None, None)


def test_the_graph_and_stamp_kept_are_the_graphs_whatever_the_value_says():
    quad = keep_for_graph(P, A, "gen1", {"graph": "https://example.org/b", "stamp": "old", "counts": 3}, G)
    assert (quad.subject, quad.graph_name) == (kept_node(P, A.value), G)
    assert quad.object.value == '{"counts": 3, "graph": "https://example.org/a", "stamp": "gen1"}'


def test_each_graph_is_read_at_its_own_generation():
    s = _stamped(a="gen-a", b="gen-b")
    s.add(keep_for_graph(P, A, "gen-a", {"rows": ["a"]}, G))
    s.add(keep_for_graph(P, B, "gen-b", {"rows": ["b"]}, G))
    assert kept_for_graph(s, P, A, G) == ("gen-a", {"graph": A.value, "stamp": "gen-a", "rows": ["a"]})
    assert kept_for_graph(s, P, B, G) == ("gen-b", {"graph": B.value, "stamp": "gen-b", "rows": ["b"]})
