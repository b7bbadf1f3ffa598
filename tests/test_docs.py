"""`ngograph docs`: HTML documentation of the ontology, the shapes (in words) and the SKOS
schemes, every term anchored, every link resolving, nothing loaded from elsewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, SKOS

from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.resources import ONTOLOGY_FILE, SHAPES_FILE
from ngograph.publish.docs import shape_sentences, write_docs
from ngograph.rdf.nsgen import ontology_terms

VOCAB = PROJECT_ROOT / "data" / "vocab"


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    write_docs(out)
    return out


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.external = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        for key in ("src",) + (("href",) if tag == "link" and attrs.get("rel") == "stylesheet" else ()):
            if key in attrs:
                self.external.append(attrs[key])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def schemes() -> dict[str, list[str]]:
    files = sorted(VOCAB.glob("*.ttl"))
    assert len(files) >= 20
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return {str(s): [str(c) for c in g.subjects(SKOS.inScheme, s)] for s in g.subjects(RDF.type, SKOS.ConceptScheme)}


def test_files_written(docs):
    names = sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())
    slugs = sorted(re.split(r"[#/]", s)[-1] for s in schemes())
    assert len(slugs) == 20
    assert names == sorted(["index.html", "shapes.html", "vocab/index.html", "ngograph.ttl", "ngograph.nt",
                            "ngograph.jsonld", "ngograph.rdf", "shapes.ttl", "context.jsonld"]
                           + [f"vocab/{s}.html" for s in slugs])


def test_every_ontology_term_is_anchored_with_its_iri(docs):
    terms = ontology_terms()
    assert len(terms) > 50
    page = parse(docs / "index.html")
    text = (docs / "index.html").read_text(encoding="utf-8")
    for name, _ in terms:
        assert name in page.ids, name
        assert f"https://w3id.org/ngograph/def#{name}</div>" in text, name
    assert text.count('<section class="term"') == len(terms)
    participation = text[text.index('id="Participation"'):]
    participation = participation[:participation.index("</section>")]
    assert "An n-ary role node" in participation and "org:Membership" in participation


def test_every_shape_is_anchored_and_said_in_words(docs):
    g = Graph().parse(SHAPES_FILE, format="turtle")
    shapes = {str(s).split("#")[1] for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    assert len(shapes) > 40
    page = parse(docs / "shapes.html")
    assert shapes <= page.ids
    text = (docs / "shapes.html").read_text(encoding="utf-8")
    project = text[text.index('id="ProjectCompletenessShape"'):]
    project = project[:project.index("</section>")]
    assert "<li>schema:name: at least 1 value (warning: “the project has no name”)</li>" in project
    assert "applies to</dt><dd>every schema:Project</dd>" in project
    assert "<li>rdfs:label: at most 1 value (violation: “one display label: the English name, else the original”)</li>" \
        in text[text.index('id="ProjectShape"'):]


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
@prefix ngo: <https://w3id.org/ngograph/def#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ngosh: <https://w3id.org/ngograph/shapes#> .
ngosh:S a sh:NodeShape ; sh:targetClass ngo:Allocation ;
  sh:property [ sh:path [ sh:inversePath ngo:allocation ] ; sh:minCount 1 ; sh:maxCount 1 ; sh:class schema:Project ] ,
              [ sh:path ngo:percentage ; sh:maxCount 1 ; sh:datatype xsd:decimal ; sh:minInclusive 0 ;
                sh:severity sh:Info ; sh:message "a percentage"@en ] ,
              [ sh:path schema:status ; sh:in ( "a" "b" ) ] ,
              [ sh:path schema:date ; sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ] .
ngosh:T a sh:NodeShape ; sh:targetSubjectsOf schema:name ; sh:severity sh:Warning ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "two names"@en ; sh:select "SELECT $this WHERE { }" ] .
"""


def test_shape_sentences_on_a_small_shapes_graph():
    g = Graph().parse(data=SHAPES, format="turtle")
    s = shape_sentences(g, URIRef("https://w3id.org/ngograph/shapes#S"))
    assert s["targets"] == ["every ngo:Allocation"] and s["severity"] == "violation"
    assert s["checks"] == [
        "^ngo:allocation (inverse): exactly 1 value; each value is an instance of schema:Project",
        "ngo:percentage: at most 1 value; each value is a literal of type xsd:decimal; each value is at least “0” "
        "(info: “a percentage”)",
        "schema:date: each value satisfies one of: (each value is a literal of type xsd:date) | "
        "(each value is a literal of type xsd:gYear)",
        "schema:status: each value is one of “a”, “b”",
    ]
    t = shape_sentences(g, URIRef("https://w3id.org/ngograph/shapes#T"))
    assert t == {"targets": ["every subject of schema:name"], "severity": "warning", "comment": "",
                 "checks": ["a SPARQL query finds the offending nodes: “two names”"]}


def test_every_concept_is_anchored_on_its_scheme_page(docs):
    for scheme, concepts in schemes().items():
        slug = re.split(r"[#/]", scheme)[-1]
        page = parse(docs / "vocab" / f"{slug}.html")
        assert concepts and {re.split(r"[#/]", c)[-1] for c in concepts} <= page.ids, scheme
    role = (docs / "vocab" / "role.html").read_text(encoding="utf-8")
    partner = role[role.index('id="partner"'):]
    partner = partner[:partner.index("</section>")]
    assert "sadarbības partneris @lv" in partner
    assert '<a href="../vocab/cordis-role.html#participant">' in partner


def test_every_link_resolves_and_nothing_comes_from_elsewhere(docs):
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) == 23
    checked = 0
    for path in pages:
        page = parse(path)
        assert page.external == [], path
        for href in page.hrefs:
            if href.startswith(("http://", "https://")):
                continue
            target, anchor = urldefrag(href)
            file = (path.parent / target).resolve() if target else path
            assert file.is_file(), (path, href)
            if anchor:
                assert anchor in parse(file).ids, (path, href)
            checked += 1
    assert checked > 1000


def test_machine_readable_copies_are_the_ontology(docs):
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    for name, fmt in (("ngograph.jsonld", "json-ld"), ("ngograph.nt", "nt"), ("ngograph.rdf", "xml")):
        assert isomorphic(Graph().parse(docs / name, format=fmt), onto), name


def test_docs_are_deterministic_across_processes(tmp_path):
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "ngograph.cli", "docs", "--output", str(out)], check=True,
                       capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin",
                                                 "PYTHONPATH": str(PROJECT_ROOT)})
        digests.append({str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert len(digests[0]) == 29 and digests[0] == digests[1]


def test_cli_docs(tmp_path, capsys):
    assert main(["docs", "--output", str(tmp_path / "d")]) == 0
    assert "docs: 29 files in" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["docs", "--output", str(tmp_path / "file")]) == 2
    assert "is a file: give a folder" in capsys.readouterr().err
