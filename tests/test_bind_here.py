"""`#+ bind ?name` in a query: the parameter bound inside a sub-SELECT too, with the same result."""

from __future__ import annotations

import itertools

import pytest
from rdflib import Literal, URIRef

from ngograph.queries.library import Query, bind_params, load_query, run
from ngograph.rdf.sparql import inline_bindings
from ngograph.store.backends import Embedded

GROUPS = ["baltic", "eastern-partnership", "nordic", "russia", "visegrad"]


def test_only_a_marker_comment_of_a_bound_name_is_replaced():
    text = ('SELECT ?r WHERE { { SELECT ?r ?s WHERE {\n'
            '    #+ bind ?r\n'
            '    #+ bind ?s\n'
            '    # #+ bind ?r is what the line above says\n'
            '    #+ bind ?rr\n'
            '    ?r <https://e.org/#+ bind ?r> "#+ bind ?r" ; ?p ?s } } }')
    bound = inline_bindings(text, {"r": URIRef("https://e.org/a")})
    assert bound == ('SELECT ?r WHERE { VALUES ?r { <https://e.org/a> }\n'
                     ' { SELECT ?r ?s WHERE {\n'
                     '    VALUES ?r { <https://e.org/a> }\n'
                     '    #+ bind ?s\n'
                     '    # #+ bind ?r is what the line above says\n'
                     '    #+ bind ?rr\n'
                     '    ?r <https://e.org/#+ bind ?r> "#+ bind ?r" ; ?p ?s } } }')
    assert inline_bindings(text, {}) == text
    # a list of values binds each, in both places
    two = inline_bindings(text, {"r": [Literal("a"), Literal("b")]})
    assert two.count('VALUES ?r { "a" "b" }') == 2


def test_bridging_organisations_binds_both_groups_in_its_sub_selects():
    q = load_query("bridging-organisations")
    text = inline_bindings(q.text, bind_params(q, {}))
    # at the top, in the sub-SELECT that counts the partners and in the one that finds the organisation itself
    assert text.count('VALUES ?group_a { "nordic" }') == 3
    assert text.count('VALUES ?group_b { "eastern-partnership" }') == 3
    assert "\n#+ bind" not in text.replace(" ", "")


@pytest.mark.parametrize("group_a,group_b", list(itertools.product(GROUPS, GROUPS)))
def test_bridging_organisations_gives_the_rows_it_gives_without_the_markers(seed_store, group_a, group_b):
    q = load_query("bridging-organisations")
    plain = Query(q.name, q.text.replace("#+ bind", "# bind"), params=q.params)
    params = {"group_a": group_a, "group_b": group_b}
    backend = Embedded(seed_store)
    hinted, unhinted = run(q, backend, params, max_rows=None), run(plain, backend, params, max_rows=None)
    assert hinted.variables == unhinted.variables
    assert list(hinted) == list(unhinted)


def test_the_seeds_bridge_some_groups(seed_store):
    found = {(a, b) for a, b in itertools.product(GROUPS, GROUPS)
             if run(load_query("bridging-organisations"), Embedded(seed_store), {"group_a": a, "group_b": b})}
    assert len(found) >= 2  # else the comparison above compares empty results only
