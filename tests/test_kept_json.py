"""What a stage keeps as JSON beside a graph (:func:`ngograph.store.embedded.keep_json`, :func:`kept_json`):
the text written (keys sorted, non-ASCII text as it is), and what is read back, from rdf:value only."""

from __future__ import annotations

import pyoxigraph as ox

from ngograph.store.embedded import VALUE, keep_json, kept_json

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
