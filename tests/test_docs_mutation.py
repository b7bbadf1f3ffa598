"""Mutation tests of ngograph/publish/docs.py (issue 14): every piece of the vocabulary documentation
on a tiny hand-made graph, with the exact words, links and files expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from ngograph import __version__
from ngograph.cli import main
from ngograph.errors import ConfigError, DataError, Location
from ngograph.publish import docs as D
from ngograph.publish.docs import Link, Term

NGO = "https://w3id.org/ngograph/def#"
SCHEMA = "https://schema.org/"
SHAPES = "https://w3id.org/ngograph/shapes#"
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
@prefix ngo: <https://w3id.org/ngograph/def#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ngosh: <https://w3id.org/ngograph/shapes#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
"""


def graph(ttl: str) -> Graph:
    return Graph().parse(data=PREFIXES + ttl, format="turtle")


def test_short_and_local():
    assert D._short(NGO + "budget") == "ngo:budget"
    assert D._short(SHAPES + "ProjectShape") == "ngosh:ProjectShape"  # the longest namespace wins over none
    assert D._short("https://w3id.org/ngograph/vocab/role/partner") == "vocab:role/partner"
    assert D._short(NGO) == NGO  # the namespace itself has no local part
    assert D._short("https://example.org/x") == "https://example.org/x"
    assert D._local("https://e.org/a/b/") == "b"
    assert D._local("https://e.org/a#") == "a"
    assert D._local("https://e.org/a#b/c") == "c"


def test_linker():
    link = D._Linker()
    link.add(NGO + "A", "index.html#A")
    assert link.pages == {NGO + "A": "index.html#A"}
    assert link(Literal("Partner", lang="en")) == "Partner @en"
    assert link(Literal("7")) == "7"
    assert link(BNode()) == "(an unnamed node)"
    assert link(URIRef(NGO + "A")) == Link("ngo:A", "index.html#A")
    assert link(URIRef(NGO + "A"), 2) == Link("ngo:A", "../../index.html#A")
    assert link(URIRef("https://e.org/x"), 1) == Link("https://e.org/x", "https://e.org/x")


def test_text_prefers_the_language_then_the_first():
    g = graph('ngo:s rdfs:label "b"@lv , "a"@lv , "z"@en , "y" . ngo:t rdfs:label "b"@lv , "a"@de .')
    s, t = URIRef(NGO + "s"), URIRef(NGO + "t")
    assert D._text(g, s, D.RDFS.label) == "z"
    assert D._text(g, s, D.RDFS.label, "lv") == "a"
    assert D._text(g, t, D.RDFS.label) == "a"  # no English: the first of all
    assert D._text(g, URIRef(NGO + "u"), D.RDFS.label) == ""


@pytest.mark.parametrize("low,high,words", [
    (None, None, None), (1, 1, "exactly 1 value"), (2, 2, "exactly 2 values"), (0, 0, "exactly 0 values"),
    (None, 0, "no value"), (1, None, "at least 1 value"), (2, None, "at least 2 values"),
    (0, 1, "at most 1 value"), (None, 3, "at most 3 values"), (2, 5, "at least 2 values and at most 5 values"),
    (Literal(1), Literal(4), "at least 1 value and at most 4 values")])
def test_count(low, high, words):
    assert D._count(low, high) == words


def test_paths():
    g = graph("""
    ngo:inv sh:path [ sh:inversePath ngo:a ] .
    ngo:seq sh:path ( ngo:a [ sh:inversePath ngo:b ] ) .
    ngo:alt sh:path [ sh:alternativePath ( ngo:a ngo:b ) ] .
    ngo:star sh:path [ sh:zeroOrMorePath ngo:a ] .
    ngo:plus sh:path [ sh:oneOrMorePath ngo:a ] .
    ngo:odd sh:path [ rdfs:label "x" ] .
    """)
    said = {name: D._path(g, g.value(URIRef(NGO + name), D.SH.path), None)
            for name in ("inv", "seq", "alt", "star", "plus", "odd")}
    assert said == {"inv": "^ngo:a (inverse)", "seq": "ngo:a / ^ngo:b (inverse)", "alt": "(ngo:a / ngo:b)or",
                    "star": "(ngo:a)*", "plus": "(ngo:a)+", "odd": "(a path)"}
    assert D._path(g, URIRef(SCHEMA + "name"), None) == "schema:name"


def test_constraints_in_words():
    g = graph("""
    ngo:N sh:minCount 1 ; sh:maxCount 2 ; sh:class schema:Project ; sh:datatype xsd:string ; sh:node ngo:Other ;
      sh:hasValue "v" ; sh:pattern "^a" ; sh:minInclusive 1 ; sh:maxInclusive 9 ; sh:minExclusive 0 ;
      sh:maxExclusive 10 ; sh:nodeKind sh:IRI ; sh:uniqueLang true ; sh:in ( ngo:a "b" ) ;
      sh:languageIn ( "en" "lv" ) .
    ngo:K sh:nodeKind sh:BlankNodeOrIRI ; sh:uniqueLang false ; sh:class schema:B , schema:A .
    ngo:L sh:nodeKind sh:Literal .
    ngo:H sh:hasValue 10 , 9 .
    ngo:O sh:or ( [ sh:class schema:A ] [ ] ) ; sh:not [ sh:datatype xsd:date ] , ngo:Other .
    ngo:Q1 sh:qualifiedValueShape ngo:Q ; sh:qualifiedMinCount 1 .
    ngo:Q2 sh:qualifiedValueShape ngo:Q .
    ngo:Q3 sh:qualifiedValueShape [ sh:class schema:B ] ; sh:qualifiedMaxCount 2 .
    ngo:S sh:sparql [ sh:message "two names"@en ] .
    ngo:T sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
    ngo:P sh:path schema:name ; sh:minCount 1 .
    ngo:E sh:path schema:name .
    """)
    said = lambda name, subject="x": D._constraints(g, URIRef(NGO + name), subject)  # noqa: E731
    assert said("N") == [
        "at least 1 value and at most 2 values", "x is an instance of schema:Project",
        "x is a literal of type xsd:string", "x conforms to ngo:Other", "one value is “v”",
        "x matches the regular expression “^a”", "x is at least “1”", "x is at most “9”", "x is more than “0”",
        "x is less than “10”", "x is an IRI", "at most one value per language", "x is one of ngo:a, “b”",
        "x has a language tag among “en”, “lv”"]
    assert said("K") == ["x is an instance of schema:A", "x is an instance of schema:B", "x is BlankNodeOrIRI"]
    assert said("L") == ["x is a literal"]
    assert said("H") == ["one value is “10”", "one value is “9”"]  # sorted by text
    assert said("O") == ["x satisfies one of: (x is an instance of schema:A) | ((no constraint))",
                         "x must not satisfy: x is a literal of type xsd:date", "x must not satisfy: ngo:Other"] \
        or said("O") == ["x satisfies one of: (x is an instance of schema:A) | ((no constraint))",
                         "x must not satisfy: ngo:Other", "x must not satisfy: x is a literal of type xsd:date"]
    assert said("Q1") == ["at least 1 value conforming to ngo:Q"]
    assert said("Q2") == ["values conforming to ngo:Q"]
    assert said("Q3") == ["at most 2 values such that it is an instance of schema:B"]
    assert said("S") == ["a SPARQL query finds the offending nodes: “two names”"]
    assert said("T") == ["a SPARQL query finds the offending nodes"]
    assert said("P", "each value") == ["schema:name: at least 1 value"]
    assert said("E") == ["schema:name"]
    assert said("Nothing") == []


def test_a_blank_node_shape_is_said_with_its_path():
    g = graph('ngo:x sh:not [ sh:path schema:name ; sh:maxCount 0 ] , [ sh:path schema:url ] .')
    assert sorted(D._constraints(g, URIRef(NGO + "x"), "the node")) == [
        "the node must not satisfy: schema:name: no value", "the node must not satisfy: schema:url"]


U_SHAPE = """
ngosh:U a sh:NodeShape ; sh:targetClass schema:B , schema:A ; sh:targetSubjectsOf schema:name ;
  sh:targetObjectsOf schema:member ; sh:targetNode ngo:n ; sh:target [ rdfs:comment "the roots"@en ] ;
  sh:severity sh:Warning ; sh:nodeKind sh:IRI ; sh:message "an IRI"@en ; rdfs:comment "U checks"@en ;
  sh:property [ sh:path schema:z ] , [ sh:path schema:y ; sh:minCount 1 ; sh:severity sh:Violation ] ,
              [ sh:path schema:x ; sh:maxCount 1 ] , [ sh:path schema:w ; sh:severity sh:Info ; sh:message "w"@en ] .
ngosh:V a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ] , [ rdfs:comment "roots" ; sh:select "SELECT ?this WHERE { }" ] ; sh:nodeKind sh:IRI ; sh:severity sh:Nonsense ;
  sh:property [ sh:path schema:v ; sh:message "v!"@en ] .
[] a sh:NodeShape ; sh:targetClass schema:C .
"""


def test_shape_sentences_of_every_kind():
    g = graph(U_SHAPE)
    u = D.shape_sentences(g, URIRef(SHAPES + "U"))
    assert u == {"targets": ["every schema:A", "every schema:B", "every subject of schema:name",
                             "every object of schema:member", "ngo:n", "the nodes a SPARQL query selects: the roots"],
                 "checks": ["the node is an IRI (warning: “an IRI”)", "schema:w (info: “w”)", "schema:x: at most 1 value (warning)",
                            "schema:y: at least 1 value", "schema:z (warning)"],
                 "severity": "warning", "comment": "U checks"}
    v = D.shape_sentences(g, URIRef(SHAPES + "V"))
    assert sorted(v.pop("targets")) == ["the nodes a SPARQL query selects",
                                        "the nodes a SPARQL query selects: roots"]  # the comment, not the query
    assert v == {"severity": "violation", "comment": "",
                 "checks": ["the node is an IRI", "schema:v (violation: “v!”)"]}


def test_shapes_of_files(tmp_path):
    path = tmp_path / "s.ttl"
    path.write_text(PREFIXES + U_SHAPE, encoding="utf-8")
    [(name, shapes)] = D._shapes([path])
    assert name == "s.ttl"
    assert [(s["iri"], s["anchor"], s["short"], s["severity"]) for s in shapes] == [
        (SHAPES + "U", "U", "ngosh:U", "warning"), (SHAPES + "V", "V", "ngosh:V", "violation")]
    assert shapes[0]["targets"][0] == "every schema:A" and shapes[0]["comment"] == "U checks"


def test_slug():
    assert D._slug("https://w3id.org/ngograph/vocab/Cordis_Role") == "cordis-role"
    assert D._slug("https://w3id.org/ngograph/vocab/role/") == "role"
    assert D._slug("https://e.org/a-b9") == "a-b9"
    assert D._slug("") == "scheme"


SCHEME_A = """
<https://e.org/roles> a skos:ConceptScheme ; skos:prefLabel "Rollen"@de , "Roles"@en ; dct:description "who does what"@en .
<https://e.org/roles/two> skos:inScheme <https://e.org/roles> ; skos:notation "2" ; skos:prefLabel "Two"@en .
<https://e.org/roles/one> skos:inScheme <https://e.org/roles> ; skos:notation "1" ; skos:prefLabel "One"@en .
<https://e.org/roles/zero> skos:inScheme <https://e.org/roles> ; skos:prefLabel "Zero"@en .
"""
SCHEME_B = """
<https://e.org/Kinds> a skos:ConceptScheme ; rdfs:label "Kinds"@en ; skos:definition "kinds of things"@en .
<https://e.org/kinds/k> skos:inScheme <https://e.org/Kinds> .
<https://e.org/Bare> a skos:ConceptScheme .
"""


def vocab_folder(root: Path) -> Path:
    vocab = root / "vocab"
    vocab.mkdir(parents=True)
    (vocab / "a.ttl").write_text(PREFIXES + SCHEME_A, encoding="utf-8")
    (vocab / "b.ttl").write_text(PREFIXES + SCHEME_B, encoding="utf-8")
    (vocab / "notes.txt").write_text("not Turtle", encoding="utf-8")
    return vocab


def test_schemes(tmp_path):
    link = D._Linker()
    schemes, g = D._schemes(vocab_folder(tmp_path), link)
    assert len(g) == 12 + 5  # a.ttl: 4 + 3 + 3 + 2 triples; b.ttl: 3 + 1 + 1
    assert [{k: v for k, v in s.items() if k != "node"} for s in schemes] == [
        {"iri": "https://e.org/Bare", "slug": "bare", "file": "b.ttl", "concepts": [], "label": "Bare",
         "description": ""},
        {"iri": "https://e.org/Kinds", "slug": "kinds", "file": "b.ttl", "concepts": [URIRef("https://e.org/kinds/k")],
         "label": "Kinds", "description": "kinds of things"},
        {"iri": "https://e.org/roles", "slug": "roles", "file": "a.ttl",
         "concepts": [URIRef(f"https://e.org/roles/{c}") for c in ("zero", "one", "two")], "label": "Roles",
         "description": "who does what"}]
    assert [s["node"] for s in schemes] == [URIRef(s["iri"]) for s in schemes]
    assert link.pages == {"https://e.org/Bare": "vocab/bare.html", "https://e.org/Kinds": "vocab/kinds.html",
                          "https://e.org/kinds/k": "vocab/kinds.html#k", "https://e.org/roles": "vocab/roles.html",
                          "https://e.org/roles/zero": "vocab/roles.html#zero",
                          "https://e.org/roles/one": "vocab/roles.html#one",
                          "https://e.org/roles/two": "vocab/roles.html#two"}


def test_no_scheme_files_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as err:
        D._schemes(tmp_path, D._Linker())
    assert str(err.value) == f"{tmp_path}: no .ttl files; give the data folder with its vocab/ (--data)"


def test_a_scheme_file_that_is_not_turtle_is_one_problem_at_its_line(tmp_path, capsys):
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "a.ttl").write_text("@prefix x: <https://e.org/> .\nx:a a x:S .\n", encoding="utf-8")
    (tmp_path / "vocab" / "b.ttl").write_text("@prefix x: <https://e.org/> .\n\nx:b x:c .\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        D._schemes(tmp_path / "vocab", D._Linker())
    assert err.value.problems == [(Location(str(tmp_path / "vocab" / "b.ttl"), 3), "cannot parse Turtle: objectList expected")]
    capsys.readouterr()
    assert main(["docs", "--data", str(tmp_path), "--output", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"ngograph docs: {tmp_path / 'vocab' / 'b.ttl'}:3: cannot parse Turtle: objectList expected\n"
    assert not (tmp_path / "out").exists()
    (tmp_path / "vocab" / "b.ttl").unlink()
    (tmp_path / "vocab" / "b.ttl").symlink_to(tmp_path / "gone.ttl")
    with pytest.raises(DataError) as err:
        D._schemes(tmp_path / "vocab", D._Linker())
    assert err.value.problems == [(None, f"{tmp_path / 'vocab' / 'b.ttl'} is a symbolic link to a file that does not "
                                         "exist")]


def test_concept():
    g = graph("""
    <https://e.org/c> skos:prefLabel "b"@lv , "a"@en , "z" ; skos:altLabel "y"@en , "x" ; skos:definition "a thing"@en ;
      skos:notation "N1" ; skos:broader <https://e.org/top> ; skos:exactMatch <https://e.org/m2> , <https://e.org/m1> ;
      skos:closeMatch <https://e.org/cm> ; skos:broadMatch <https://e.org/bm> ; skos:narrowMatch <https://e.org/nm> ;
      skos:note "n"@en ; skos:scopeNote "s"@en ; skos:historyNote "h"@en .
    <https://e.org/d> skos:inScheme <https://e.org/s> .
    """)
    link = D._Linker()
    link.add("https://e.org/top", "vocab/s.html#top")
    t = D._concept(g, URIRef("https://e.org/c"), link)
    assert t == Term("https://e.org/c", "c", "a", "a thing", "concept", [
        ("labels", ["z", "a @en", "b @lv"]), ("other labels", ["x", "y @en"]), ("notation", ["N1"]),
        ("broader", [Link("https://e.org/top", "../vocab/s.html#top")]),
        ("exact match", [Link("https://e.org/m1", "https://e.org/m1"), Link("https://e.org/m2", "https://e.org/m2")]),
        ("close match", [Link("https://e.org/cm", "https://e.org/cm")]),
        ("broad match", [Link("https://e.org/bm", "https://e.org/bm")]),
        ("narrow match", [Link("https://e.org/nm", "https://e.org/nm")]),
        ("note", ["n @en"]), ("scope note", ["s @en"]), ("history note", ["h @en"])])
    assert D._concept(g, URIRef("https://e.org/d"), link) == Term("https://e.org/d", "d", "d", "", "concept", [])


def test_concept_labels_sorted_by_language_then_text():
    g = graph("""
    <https://e.org/c> skos:prefLabel "z" , "a"@EN ; skos:altLabel 10 , 9 .
    """)
    t = D._concept(g, URIRef("https://e.org/c"), D._Linker())
    assert t.facts == [("labels", ["z", "a @EN"]), ("other labels", ["10", "9"])]  # by text: "10" before "9"


def test_ontology_terms():
    g = graph("""
    <https://w3id.org/ngograph/def#> a owl:Ontology .
    ngo:A a owl:Class ; rdfs:subClassOf ngo:B ; rdfs:label "A thing"@en ; rdfs:comment "the A"@en ;
      owl:equivalentClass schema:Thing ; rdfs:seeAlso <https://e.org/a> , 10 , 9 .
    ngo:B a owl:Class , owl:NamedIndividual .
    ngo:p a owl:ObjectProperty ; rdfs:domain ngo:A ; rdfs:range ngo:B ; owl:inverseOf ngo:q ;
      rdfs:subPropertyOf schema:about .
    ngo:q a owl:DatatypeProperty .
    ngo:r a owl:AnnotationProperty .
    ngo:x a skos:Concept ; rdfs:label "X"@en ; rdfs:comment "an x"@en .
    schema:Other a owl:Class .
    """)
    link = D._Linker()
    link.add(NGO + "B", "index.html#B")
    L = lambda local, href=None: Link(f"ngo:{local}", href or NGO + local)  # noqa: E731
    assert D._ontology_terms(g, link) == [
        ("Classes", [Term(NGO + "A", "A", "A thing", "the A", "class", [
            ("subclass of", [L("B", "index.html#B")]), ("equivalent to", [Link("schema:Thing", SCHEMA + "Thing")]),
            ("see also", ["10", "9", Link("https://e.org/a", "https://e.org/a")])]),
                     Term(NGO + "B", "B", "B", "", "class", [("also", ["owl:NamedIndividual"])])]),
        ("Object properties", [Term(NGO + "p", "p", "p", "", "object property", [
            ("subproperty of", [Link("schema:about", SCHEMA + "about")]), ("domain", [L("A")]),
            ("range", [L("B", "index.html#B")]), ("inverse of", [L("q")])])]),
        ("Datatype properties", [Term(NGO + "q", "q", "q", "", "datatype property", [])]),
        ("Annotation properties", [Term(NGO + "r", "r", "r", "", "annotation property", [])]),
        ("Other terms", [Term(NGO + "x", "x", "X", "an x", "term", [])])]


def test_ontology_terms_without_other_terms():
    sections = D._ontology_terms(graph("ngo:A a owl:Class ."), D._Linker())
    assert [title for title, _ in sections] == ["Classes", "Object properties", "Datatype properties",
                                                 "Annotation properties"]


def test_environment():
    env = D._env()
    assert env.globals["version"] == __version__
    assert env.tests["link"](Link("a", "b")) is True and env.tests["link"]("a") is False
    template = env.get_template("scheme.html")
    assert template.environment is env
    assert env.from_string("{% if x %}\n  <{{ x }}>\n{% endif %}\n").render(x="&") == "  <&amp;>\n"
    assert env.trim_blocks and env.lstrip_blocks and env.keep_trailing_newline
    assert env.autoescape("page.html") is True


def test_write_docs_on_a_small_vocabulary(tmp_path):
    data = tmp_path / "data"
    vocab_folder(data)
    out = tmp_path / "site" / "docs"
    written = D.write_docs(out, data)
    names = ["context.jsonld", "index.html", "ngograph.jsonld", "ngograph.nt", "ngograph.rdf", "ngograph.ttl",
             "shapes.html", "shapes.ttl", "vocab/bare.html", "vocab/index.html", "vocab/kinds.html", "vocab/roles.html"]
    assert written == [out / n for n in names]
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == names
    assert (out / "ngograph.ttl").read_bytes() == D.ONTOLOGY_FILE.read_bytes()
    assert (out / "shapes.ttl").read_bytes() == D.SHAPES_FILE.read_bytes()
    assert (out / "context.jsonld").read_bytes() == D.CONTEXT_FILE.read_bytes()
    roles = (out / "vocab" / "roles.html").read_text(encoding="utf-8")
    assert "<h1>Roles</h1>" in roles and "<p>who does what</p>" in roles
    assert "<p>3 concepts, from <code>data/vocab/a.ttl</code>.</p>" in roles
    assert roles.index('id="zero"') < roles.index('id="one"') < roles.index('id="two"')
    index = (out / "vocab" / "index.html").read_text(encoding="utf-8")
    assert 'href="../vocab/roles.html"' in index or 'href="roles.html"' in index
    onto = Graph().parse(D.ONTOLOGY_FILE, format="turtle")
    page = (out / "index.html").read_text(encoding="utf-8")
    o = URIRef(D.ONTOLOGY_IRI)
    for value in (onto.value(o, D.OWL.versionIRI), onto.value(o, D.DCTERMS.license), D._text(onto, o, D.DCTERMS.creator),
                  D._text(onto, o, D.RDFS.comment)[:40], D._text(onto, o, D.RDFS.label),
                  D._text(onto, o, D.OWL.versionInfo), D._text(onto, o, D.VANN.preferredNamespaceUri)):
        assert value and str(value) in page, value
    assert 'id="Participation"' in page
    shapes = (out / "shapes.html").read_text(encoding="utf-8")
    assert 'id="ProjectShape"' in shapes
    assert __version__ in page


def test_write_docs_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match=r"f is a file: give a folder to write the documentation into \(--output DIR\)"):
        D.write_docs(tmp_path / "f", tmp_path)
