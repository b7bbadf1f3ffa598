"""The SPARQL text helpers of ngograph/rdf/sparql.py and a query's dataset (``query_dataset`` in
ngograph/store/embedded.py): behaviours a mutation run showed were not pinned (issue 14). The
read path's refusals, terms that cannot break out of the query, parameters inlined at the
WHERE group and at ``#+ bind ?name``, the final ORDER BY. Tiny texts, exact expected strings."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ngograph.errors import QueryError
from ngograph.rdf.sparql import _where_open, check_read_only, final_order, inline_bindings, mask_query, nt_term
from ngograph.store.embedded import BUILD_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH, VOCAB_GRAPH, query_dataset

REFUSAL = "is not allowed on the read path (queries run on the store's own data: no SERVICE, LOAD, FROM or updates)"
A, B = URIRef("https://e.org/a"), URIRef("https://e.org/b")


# ------------------------------------------------------------------ mask_query

def test_masking_blanks_comments_strings_and_iris_keeping_the_length():
    text = "SELECT ?s # FROM\n{ ?s <urn:x> 'a' , \"b\" }"
    assert mask_query(text) == "SELECT ?s       \n{ ?s" + " " * 13 + "," + " " * 5 + "}"


# ------------------------------------------------------------------ check_read_only

@pytest.mark.parametrize("text,word", [
    ("select * { service <urn:s> { ?s ?p ?o } }", "SERVICE"),
    ("load <urn:x>", "LOAD"),
    ("Clear All", "CLEAR"),
    ("SELECT * FROM NAMED <urn:g> { ?s ?p ?o }", "FROM"),
    # a keyword after a prefixed name's end, and after a triple's dot with no space, is a keyword
    ("SELECT * { ?s ?p ex:o. SERVICE <urn:s> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { ?s ?p ?o .service <urn:s> { ?s ?p ?o } }", "SERVICE"),
])
def test_the_refusal_names_the_keyword_in_capitals(text, word):
    with pytest.raises(QueryError) as info:
        check_read_only(text)
    assert str(info.value) == f"refused: {word} {REFUSAL}"


def test_a_read_only_query_passes():
    assert check_read_only('SELECT ?from WHERE { ?s <urn:load> "DELETE" } # DROP') is None


@pytest.mark.parametrize("name", ["tg:people-with-disabilities", "bt:home-for-people-with-disabilities",
                                  "ex:auto-load", "ex:a.drop", "my-ns.v2:x-from-y", ":service-desk"])
def test_keywords_inside_a_prefixed_name_are_part_of_the_name(name):
    """The project's own vocabulary has such names (vocab/target-group/people-with-disabilities)."""
    assert check_read_only(f"SELECT ?p WHERE {{ ?p <urn:audience> {name} }}") is None


# ------------------------------------------------------------------ nt_term

def test_terms_in_ntriples_syntax():
    assert nt_term(A) == "<https://e.org/a>"
    assert nt_term(Literal("x", lang="fr")) == '"x"@fr'
    assert nt_term(Literal("5", datatype=XSD.integer)) == '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert nt_term(Literal('a"b')) == '"a\\"b"'
    assert nt_term(ox.NamedNode("https://e.org/a")) == "<https://e.org/a>"  # a store's IRI, checked when made


@pytest.mark.parametrize("iri", ["https://e.org/a b", "https://e.org/a>", "https://e.org/{x}", "https://e.org/a\\b"])
def test_an_iri_that_could_break_out_is_refused(iri):
    with pytest.raises(ValueError) as info:
        nt_term(URIRef(iri))
    assert str(info.value) == f"not a valid IRI: {iri!r}"


def test_a_store_node_that_could_break_out_is_refused():
    """A store loaded leniently keeps an IRI that pyoxigraph would refuse to make: bound, it is refused."""
    store = ox.Store()
    store.bulk_load(b'<http://a/s> <http://a/p> <http://a/x\\u003E } DROP {> .\n', ox.RdfFormat.N_TRIPLES, lenient=True)
    node = next(iter(store)).object
    with pytest.raises(ValueError) as info:
        nt_term(node)
    assert str(info.value) == "not a valid IRI: 'http://a/x> } DROP {'"


@pytest.mark.filterwarnings("ignore:.*does not look like a valid URI")
def test_a_datatype_that_could_break_out_is_refused():
    evil = "urn:a> } ; DROP ALL ; { <urn:b"
    with pytest.raises(ValueError) as info:
        nt_term(Literal("x", datatype=URIRef(evil)))
    assert str(info.value) == f"not a valid IRI: {evil!r}"
    with pytest.raises(ValueError):
        inline_bindings("SELECT * WHERE { ?a ?p ?o }", {"a": Literal("x", datatype=URIRef(evil))})


@pytest.mark.parametrize("term", ["https://e.org/a", BNode("b0"), 5, ox.BlankNode("b0"), ox.Literal("x")])
def test_only_iris_and_literals_are_bound(term):
    with pytest.raises(TypeError) as info:
        nt_term(term)
    assert str(info.value) == f"cannot bind {term!r}"


# ------------------------------------------------------------------ _where_open, inline_bindings

@pytest.mark.parametrize("text,at", [
    ("SELECT * WHERE { ?s ?p ?o }", 16),
    ("select * where\n  { ?s ?p ?o }", 18),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 30),   # the WHERE group, not the template's brace
    ("construct { ?s ?p ?o } where { ?s ?p ?o }", 30),
    ("SELECT * { { ?s ?p ?o } }", 10),                    # no WHERE: the first brace
    ("# WHERE {\nSELECT * { ?s ?p ?o }", 20),            # WHERE in a comment is not the group
    ('SELECT * { ?s ?p "WHERE {" }', 10),
    ("{ ?s ?p ?o }", 1),
])
def test_the_where_group_opens_after_its_brace(text, at):
    assert _where_open(text) == at


def test_a_query_without_a_group_cannot_be_bound():
    with pytest.raises(QueryError) as info:
        inline_bindings("DESCRIBE <urn:x>", {"x": A})
    assert str(info.value) == "cannot find the query's WHERE group to bind parameters"


def test_no_bindings_leave_the_text_as_it_is():
    text = "SELECT * WHERE {\n#+ bind ?r\n?r ?p ?o }"
    assert inline_bindings(text, {}) == text


def test_each_parameter_gets_its_values_block_in_order():
    text = "SELECT * WHERE { ?a ?p ?b }"
    assert inline_bindings(text, {"a": A, "b": [Literal("x"), Literal("y", lang="en")], "c": [B]}) == (
        'SELECT * WHERE { VALUES ?a { <https://e.org/a> } VALUES ?b { "x" "y"@en } VALUES ?c { <https://e.org/b> }\n'
        " ?a ?p ?b }")


def test_markers_are_replaced_only_when_the_whole_comment_is_one_of_a_bound_name():
    text = ("SELECT * WHERE { { SELECT ?a WHERE {\n"
            "#+ bind ?a  \t\n"
            "#+ bind ?b\n"
            "#+ bind ?a and more\n"
            "# bind ?a\n"
            "?a ?p '#+ bind ?a' } } }")
    assert inline_bindings(text, {"a": A}) == (
        "SELECT * WHERE { VALUES ?a { <https://e.org/a> }\n"
        " { SELECT ?a WHERE {\n"
        "VALUES ?a { <https://e.org/a> }\n"
        "#+ bind ?b\n"
        "#+ bind ?a and more\n"
        "# bind ?a\n"
        "?a ?p '#+ bind ?a' } } }")


def test_a_marker_binds_the_list_of_values_too():
    text = "SELECT * WHERE { { SELECT ?a WHERE {\n#+ bind ?a\n?a ?p ?o } } }"
    assert inline_bindings(text, {"a": [A, B]}) == (
        "SELECT * WHERE { VALUES ?a { <https://e.org/a> <https://e.org/b> }\n"
        " { SELECT ?a WHERE {\nVALUES ?a { <https://e.org/a> <https://e.org/b> }\n?a ?p ?o } } }")


def test_a_tuple_of_names_binds_them_row_by_row_with_plain_integers():
    text = "SELECT * WHERE { ?r ?p ?o }"
    assert inline_bindings(text, {("n", "r"): [(0, A), (12, Literal("x"))], "o": B}) == (
        'SELECT * WHERE { VALUES (?n ?r) { (0 <https://e.org/a>) (12 "x") } VALUES ?o { <https://e.org/b> }\n'
        " ?r ?p ?o }")
    assert inline_bindings(text, {("n",): []}) == "SELECT * WHERE { VALUES (?n) {  }\n ?r ?p ?o }"
    with pytest.raises(TypeError):  # a bool is not a row's number
        inline_bindings(text, {("n", "r"): [(True, A)]})
    with pytest.raises(ValueError):
        inline_bindings(text, {("n", "r"): [(0, URIRef("urn:x> } DROP ALL {"))]})


@pytest.mark.parametrize("row", [(0,), (0, A, A)])
def test_a_row_with_more_or_fewer_values_than_names_is_refused(row):
    with pytest.raises(ValueError, match=r"values for the 2 variables n, r"):
        inline_bindings("SELECT * WHERE { ?r ?p ?o }", {("n", "r"): [(1, B), row]})


@pytest.mark.parametrize("names", [("n} DELETE {", "r"), ("n", ""), "r }", ""])
def test_a_name_that_is_not_a_variables_is_refused(names):
    with pytest.raises(ValueError, match="not a variable name"):
        inline_bindings("SELECT * WHERE { ?r ?p ?o }", {names: [(0, A)] if isinstance(names, tuple) else A})


def test_rows_bound_by_number_come_back_from_the_store():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(str(B)), ox.NamedNode("https://e.org/p"), ox.Literal("b")))
    text = inline_bindings("SELECT ?n ?o WHERE { ?r <https://e.org/p> ?o }", {("n", "r"): [(0, A), (1, B)]})
    assert [(r["n"], r["o"]) for r in store.query(text)] == [(ox.Literal(1), ox.Literal("b"))]


def test_a_bound_value_cannot_inject():
    text = "SELECT * WHERE { ?a ?p ?o }"
    assert inline_bindings(text, {"a": Literal('x" } ; DROP ALL ; #')}) == (
        'SELECT * WHERE { VALUES ?a { "x\\" } ; DROP ALL ; #" }\n ?a ?p ?o }')
    with pytest.raises(ValueError):
        inline_bindings(text, {"a": URIRef("urn:x> } DROP ALL {")})


# ------------------------------------------------------------------ final_order

@pytest.mark.parametrize("text,expected", [
    ("SELECT * { ?s ?p ?o } order by desc(?o) asc(?s) ?p", ("SELECT * { ?s ?p ?o } ", [("o", True), ("s", False),
                                                                                        ("p", False)])),
    ("SELECT * { ?s ?p ?o } ORDER BY $o\n\n", ("SELECT * { ?s ?p ?o } ", [("o", False)])),
    ("SELECT * { ?s ?p ?o }\nORDER BY DESC( ?o )# end\n", ("SELECT * { ?s ?p ?o }\n", [("o", True)])),
    ("\n SELECT * { ?s ?p ?o } ORDER BY ?o", ("\n SELECT * { ?s ?p ?o } ", [("o", False)])),
    ("SELECT * { ?s ?p ?o } ORDER BY ?o OFFSET 2", None),
    ('SELECT * { ?s ?p "ORDER BY ?s" }', None),
    ("SELECT * { ?s ?p ?o } ORDER BY STR(?o)", None),
    ("SELECT * { ?s ?p ?o }", None),
])
def test_the_final_order_and_its_keys(text, expected):
    assert final_order(text) == expected


# ------------------------------------------------------------------ query_dataset (ngograph/store/embedded.py)

def test_the_dataset_of_the_published_graphs_names_only_other_named_graphs():
    iati, cordis = ox.NamedNode("https://e.org/dataset/iati"), ox.NamedNode("https://e.org/dataset/cordis")
    graphs = [ox.DefaultGraph(), BUILD_GRAPH, iati, VOCAB_GRAPH, DESCRIPTION_GRAPH, GENERATIONS_GRAPH,
              ox.BlankNode("g"), cordis]
    assert query_dataset(graphs) == {"default_graph": graphs, "named_graphs": [iati, cordis]}
    assert query_dataset([]) == {"default_graph": [], "named_graphs": []}


def test_no_published_graphs_is_the_default_graph_only():
    assert query_dataset(None) == {"named_graphs": []}


def test_a_graph_query_on_the_dataset_sees_neither_the_stores_own_graphs_nor_the_default_graph():
    store = ox.Store()
    g = ox.NamedNode("https://e.org/dataset/a")
    for graph, label in ((g, "a"), (BUILD_GRAPH, "build"), (ox.DefaultGraph(), "default")):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(label), graph))
    found = [s["g"].value for s in store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                 **query_dataset([ox.DefaultGraph(), g, BUILD_GRAPH]))]
    assert found == ["https://e.org/dataset/a"]
    labels = sorted(s["o"].value for s in store.query("SELECT ?o WHERE { ?s ?p ?o }", **query_dataset(None)))
    assert labels == ["default"]


# Ways a keyword hid from the check while Oxigraph still read it: an escaped # in a prefixed name (PN_LOCAL_ESC) or
# in an IRI (\u), a no-break space in an IRI (each taken for a comment that hid the rest of the line), a comment
# ended by a CR, a keyword glued to a number, a boolean or another keyword, FROM or SERVICE before a prefixed name.
_ESCAPE_ATTACKS = [
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?o) SERVICE ?nowhere { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\' AS ?o) SERVICE ?nowhere { ?s ?p ?o } BIND(ex:b\\' AS ?q) }",
    "PREFIX ex: <http://e/> SELECT (ex:a\\# AS ?z) (COUNT(*) AS ?n) FROM <urn:x:inside> WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://e/> SELECT (ex:a\\' AS ?z) ?o FROM <urn:x:inside> WHERE { ?s ?p ?o FILTER (?o != ex:b\\') }",
    "SELECT ?z { BIND(<urn:\\u0041#> AS ?x) SERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?o (<urn:\\u0041#> AS ?x) FROM <urn:x:inside> WHERE { ?s ?p ?o }",
    "SELECT ?z { BIND(<urn:a\u00a0#> AS ?x) SERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?z { BIND(<urn:a\u3000#> AS ?x) SERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?z { # a comment\rSERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?z { ?a ?b 7SERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?z { ?a ?b trueSERVICE ?nowhere { ?s ?p ?z } }",
    "SELECT ?z { ?a ?b 2e0SERVICE ?nowhere { ?s ?p ?z } }",
    "ASKFROM <urn:x:inside> { ?s ?p ?o }",
    "PREFIX : <urn:x:> SELECT * FROM:inside WHERE { ?s ?p ?o }",
    "PREFIX x: <urn:x:> SELECT * FROMx:inside WHERE { ?s ?p ?o }",
    "PREFIX : <urn:x:> SELECT * FROM NAMED:inside WHERE { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX : <urn:x:> SELECT * WHERE { SERVICE:nowhere { ?s ?p ?o } }",
]


@pytest.mark.parametrize("text", _ESCAPE_ATTACKS)
def test_no_keyword_hides_from_the_check(text):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("hidden"), ox.NamedNode("urn:x:inside")))
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for value, datatype in (("7", "integer"), ("true", "boolean"), ("2e0", "double")):  # ?a ?b 7 ... find a row
        store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal(value, datatype=ox.NamedNode(xsd + datatype))))
    try:  # the engine reads it as a query (so the check must see it): FROM reads the graph, SERVICE fails here
        result = store.query(text)
        rows = bool(result) if isinstance(result, ox.QueryBoolean) else list(result)
        assert rows and "SERVICE" not in text.upper()
    except SyntaxError:
        raise AssertionError(f"not a query Oxigraph runs: {text!r}") from None
    except (RuntimeError, OSError) as exc:  # a SERVICE of a variable, or of an IRI with no host: no network here
        assert "SERVICE" in text.upper(), exc
    with pytest.raises(QueryError, match="SERVICE|FROM"):
        check_read_only(text)


@pytest.mark.parametrize("name", ["ex:arrived\\-from\\-abroad", "ex:service\\.desk", "ex:a\\#from", "ex:from:service"])
def test_an_escaped_character_keeps_a_prefixed_name_whole(name):
    """Blanking the escape split the name, and its keyword was refused."""
    text = f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p {name} }}"
    assert list(ox.Store().query(text)) == []
    assert check_read_only(text) is None
