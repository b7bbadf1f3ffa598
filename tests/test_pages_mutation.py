"""The page model (ngograph/publish/pages.py): behaviours a mutation run showed were not pinned
(issue 14). Rows of ``site/resource-out`` and ``site/resource-in`` written by hand, and a tiny
store for what is read through the library's queries; every expected value written out by hand."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.publish import pages
from ngograph.publish.pages import (MAX_SHOWN, Page, Paths, QueryReader, Value, bars_svg, json_indented, make_page,
                                    neighbourhood_svg, page_kind, page_model, rdf_bytes, relative, render, render_page,
                                    resource_page, resource_pages)
from ngograph.rdf.namespaces import DCTERMS, NGO, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from ngograph.store.backends import Embedded

B = "https://e.org/id/"
P = B + "project/p"
VOCAB = "https://w3id.org/ngograph/vocab/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"


def out(p, value, *, datatype="", lang=None, label=None, described=False) -> dict:
    """One row of site/resource-out: an IRI when neither datatype nor language is given."""
    return {"p": str(p), "value": value, "datatype": datatype, "lang": lang, "label": label, "described": described}


def inc(s, p, label=None) -> dict:
    """One row of site/resource-in."""
    return {"s": s, "p": str(p), "label": label}


def texts(values) -> list[tuple]:
    return [(v.text, v.href, v.lang, v.note) for v in values]


# ---------------------------------------------------------------------------- paths

def test_paths_of_each_prefix_and_refused_segments():
    assert Paths(B).base == B
    assert Paths(B).prefixes == [(B, "id/"), (VOCAB, "vocab/"), (COUNTRY, "country/")]
    assert Paths(B).path(B + "project/p") == "id/project/p"
    assert Paths(B).path(VOCAB + "role/lead") == "vocab/role/lead"
    assert Paths(B).path(COUNTRY + "LVA") == "country/LVA"
    assert Paths(B).path(B) is None  # the base itself has no page
    assert Paths(B).path(B + "a/./b") is None
    assert Paths(B).path(B + "a/%2E%2E/b") is None  # ".." escaped
    assert Paths(B).path(B + "a/..") is None
    assert Paths(B).path(B + "a//b") is None  # an empty segment
    assert Paths(B).path(B + "a b") is None
    assert Paths(B).path(B + "x.y/z") == "id/x.y/z"
    assert Paths(B).path("https://other.org/id/x") is None
    # the first prefix that matches decides: an IRI under the base with a bad segment is refused
    assert Paths("https://w3id.org/ngograph/").path(VOCAB + "a/../b") is None


_SEGMENT_CHARS = "Aa9._~%!$&'()*+,;=:@-/ \n#?"


def _path_by_segments(paths: Paths, iri: str) -> str | None:
    """Paths.path as it read before its one-pattern form: every segment checked and decoded on its own."""
    for prefix, root in paths.prefixes:
        if iri.startswith(prefix) and len(iri) > len(prefix):
            rest = iri[len(prefix):]
            ok = all(re.fullmatch(r"[A-Za-z0-9._~%!$&'()*+,;=:@-]+", s) and pages.unquote(s) not in (".", "..")
                     for s in rest.split("/"))
            return root + rest if ok else None
    return None


@given(st.text(alphabet=_SEGMENT_CHARS, max_size=12), st.sampled_from([B, VOCAB, COUNTRY, "https://other.org/"]))
@settings(max_examples=400, deadline=None)
def test_the_page_path_is_the_segment_by_segment_check(rest, prefix):
    assert Paths(B).path(prefix + rest) == _path_by_segments(Paths(B), prefix + rest)


def test_a_segment_of_dots_escaped_or_not_and_a_line_end_are_refused():
    for rest in (".", "..", "a/.", "%2e", "%2E%2e/a", "a/%2e%2E", "a\n", "a/b\n"):
        assert Paths(B).path(B + rest) is None, rest
    for rest in ("...", "a.b", "%2E%2E%2E", "a%2Fb", "~x"):
        assert Paths(B).path(B + rest) == "id/" + rest


def test_iris_of_paths_and_back():
    assert Paths(B).iri("id/project/p") == P
    assert Paths(B).iri("vocab/role/lead") == VOCAB + "role/lead"
    assert Paths(B).iri("country/LVA") == COUNTRY + "LVA"
    assert Paths(B).iri("id/") is None
    assert Paths(B).iri("id") is None
    assert Paths(B).iri("other/x") is None
    assert Paths(B).iri("id/a/../b") is None  # a path that maps to no page of its IRI


def test_file_names_and_links():
    assert Paths.file("id/a%20b/c%2fd%2Fe") == "id/a b/c%2Fd%2Fe"
    assert Paths.file("id/x") == "id/x"
    assert Paths(B).href(B + "organisation/o", "id/project/p") == "../organisation/o.html"
    assert Paths(B).href(B + "organisation/o", "id/project/p", "ttl") == "../organisation/o.ttl"
    assert Paths(B).href("https://other.org/x", "id/project/p") is None
    assert relative("a/b/c.html", "a/b/d") == "c.html"
    assert relative("a/x/c.html", "a/b/d") == "../x/c.html"
    assert relative("c.html", "a/b/d") == "../../c.html"
    assert relative("a/b/c/d.html", "a/x") == "b/c/d.html"
    assert relative("x.html", "index") == "x.html"


# ---------------------------------------------------------------------------- words and kinds

@pytest.mark.parametrize("types,kind", [
    ([NGO.SourceDocument, SCHEMA.Project], "source"), ([NGO.SourceDataset], "source"),
    ([NGO.Programme], "project"), ([ORG_ := "http://www.w3.org/ns/org#FormalOrganization"], "organisation"),
    ([SCHEMA.FundingScheme], "grant"), ([SCHEMA.MonetaryGrant], "grant"), ([SCHEMA.Event], "event"),
    ([NGO.Participation], "participation"), ([NGO.Result], "result"), ([SCHEMA.Place], "place"),
    ([SKOS.ConceptScheme], "concept"), ([SKOS.Collection], "concept"), ([SKOS.Concept], "concept"),
    (["urn:x:Other"], "resource"), ([], "resource"),
])
def test_page_kind_of_each_class(types, kind):
    assert page_kind([str(t) for t in types]) == kind


def test_words_and_short_names():
    assert pages._words("https://e.org/def#plannedStartDate") == "has the planned start date"
    assert pages._words("https://e.org/def/budgetEUR2/") == "has the budget eur2"
    assert pages._words("https://e.org/a9Bc") == "has the a9 bc"
    assert pages._short(str(SCHEMA.Project)) == "schema:Project"
    assert pages._short(str(SCHEMA)) == "schema.org"  # the namespace alone: its last segment
    assert pages._short("https://other.org/a/b%20c/") == "b c"
    assert pages._short("https://other.org/a#x") == "x"
    assert pages._short("/") == "/"


def test_terms_of_rows():
    assert pages._term("https://e.org/x", True, None, None) == ox.NamedNode("https://e.org/x")
    assert pages._term("x", False, str(RDF.langString), "lv") == ox.Literal("x", language="lv")
    assert pages._term("2", False, str(XSD.integer), None) == ox.Literal("2", datatype=ox.NamedNode(str(XSD.integer)))
    assert pages._term("s", False, str(XSD.string), None) == ox.Literal("s")
    assert pages._term("s", False, "", None) == ox.Literal("s")


# ---------------------------------------------------------------------------- the model

def test_page_model_of_a_project_by_hand():
    rows = [
        out(RDF.type, str(SCHEMA.Project), described=True),
        out(RDF.type, str(SCHEMA.Project), described=True),  # the same statement again (one row per label)
        out(SCHEMA.name, "Tilti", lang="lv"),
        out(SKOS.prefLabel, "Bridges", lang="en-t-lv"),  # our translation: never the title
        out(DCTERMS.title, "Bridges", lang="en"),
        out(SCHEMA.name, "Bridges", lang="en"),
        out(SCHEMA.startDate, "2020-01-01", datatype=str(XSD.date)),
        out(SCHEMA.description, "plain", datatype=str(XSD.string)),
        out(SCHEMA.member, B + "organisation/o", label="Org O", described=True),
        out(SCHEMA.member, B + "organisation/u", described=False),  # no page: an absolute link
        out(SCHEMA.funder, "urn:x:f", label=None),  # not http: no link at all
        out("https://e.org/def#plannedEnd", "2021", datatype=str(XSD.gYear)),
        out(PROV.wasDerivedFrom, B + "dataset/cordis", label="CORDIS", described=True),
        out(PROV.wasDerivedFrom, "https://other.org/doc", label=None),
        out(NGO.sourceRecord, "row 5", datatype=str(XSD.string)),
        out(NGO.sourceFile, "f.csv", datatype=str(XSD.string)),
    ]
    incoming = [inc(B + "organisation/z", SCHEMA.funder, "Zed"), inc(B + "organisation/a", SCHEMA.funder),
                inc("https://other.org/q", "urn:x:likes", "Q")]
    page = page_model(P, rows, incoming, Paths(B))
    assert (page.iri, page.path, page.kind, page.name) == (P, "id/project/p", "project", "p")
    assert (page.title, page.title_lang) == ("Bridges", "en")  # the dct:title, the first English title
    assert texts(page.names) == [("Bridges", None, "en", "name, title"),
                                 ("Bridges", None, "en-t-lv", "preferred label (our translation)"),
                                 ("Tilti", None, "lv", "name")]
    assert [(f.label, texts(f.values), f.more) for f in page.facts] == [
        ("is a", [("schema:Project", "https://schema.org/Project", None, "")], 0),
        ("has as partner", [("Org O", "../organisation/o.html", None, ""), ("u", B + "organisation/u", None, "")], 0),
        ("has the planned end", [("2021", None, None, "xsd:gYear")], 0),
        ("is described as", [("plain", None, None, "")], 0),
        ("is funded by", [("urn:x:f", None, None, "")], 0),
        ("started", [("2020-01-01", None, None, "xsd:date")], 0),
    ]
    assert texts(page.provenance) == [("CORDIS", "../dataset/cordis.html", None, "imported dataset"),
                                      ("doc", "https://other.org/doc", None, "curated from the source document"),
                                      ("row 5", None, None, "source record"), ("f.csv", None, None, "source file")]
    assert [(f.label, texts(f.values), f.more) for f in page.pointing] == [
        ("Funded by it", [("Zed", "../organisation/z.html", None, ""), ("a", "../organisation/a.html", None, "")], 0),
        ("Linked by urn:x:likes", [("Q", "https://other.org/q", None, "")], 0)]
    assert len(page.triples) == 15 + 3
    assert page.triples[0] == ox.Triple(ox.NamedNode(P), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.Project)))
    assert page.triples[1] == ox.Triple(ox.NamedNode(P), ox.NamedNode(str(SCHEMA.name)), ox.Literal("Tilti", language="lv"))
    assert page.triples[-1] == ox.Triple(ox.NamedNode("https://other.org/q"), ox.NamedNode("urn:x:likes"), ox.NamedNode(P))
    assert page.schema_org == {
        "@context": {"@vocab": "https://schema.org/"}, "@id": P, "@type": ["Project"], "name": "Bridges", "url": P,
        "description": "plain", "funder": {"@id": "urn:x:f"},
        "member": [{"@id": B + "organisation/o", "name": "Org O"}, {"@id": B + "organisation/u"}],
        "startDate": "2020-01-01"}
    assert (page.tables, page.figure, page.figure_caption) == ([], None, "")


def test_titles_in_order_of_preference():
    def title(*rows):
        page = page_model(P, [out(RDF.type, "urn:x:T"), *rows], [], Paths(B))
        return page.title, page.title_lang

    assert title() == ("p", None)  # the IRI's last segment
    assert title(out(SCHEMA.name, "Tilti", lang="lv")) == ("Tilti", "lv")  # any name when no English title
    assert title(out(SCHEMA.name, "Tilti", lang="lv"), out(SCHEMA.name, "Bridges", lang="en-GB")) == ("Bridges", "en-GB")
    assert title(out(SCHEMA.name, "No language", datatype=str(XSD.string))) == ("No language", None)
    assert title(out(SCHEMA.name, "A", lang="en"), out(SCHEMA.name, "B", lang="en")) == ("A", "en")  # the first
    assert title(out(SCHEMA.name, "A", lang="en"), out(RDFS.label, "L", lang="lv")) == ("L", "lv")  # the label wins
    assert title(out(RDFS.label, "L1", datatype=str(XSD.string)), out(RDFS.label, "L2", datatype=str(XSD.string))) == ("L2", None)  # the last label
    assert title(out(SKOS.altLabel, "Alt", lang="en")) == ("Alt", "en")  # not a title: the first name
    assert title(out(SKOS.altLabel, "Alt", lang="en"), out(SCHEMA.name, "T", lang="en-t-lv")) == ("Alt", "en")
    assert title(out(SCHEMA.name, B + "x")) == ("p", None)  # an IRI is no name


def test_names_are_literals_only_and_distinct():
    page = page_model(P, [out(SCHEMA.name, B + "thing/n", label="N", described=True),
                          out(RDFS.label, "L", lang="en"), out(SKOS.altLabel, "L", lang="en"),
                          out(SKOS.prefLabel, "L", lang="en"), out(RDFS.label, "L", lang="en", label="dup")], [], Paths(B))
    assert texts(page.names) == [("L", None, "en", "display label, other name, preferred label")]
    assert [(f.label, texts(f.values)) for f in page.facts] == [("has the name", [("N", "../thing/n.html", None, "")])]
    assert page.kind == "resource" and page.title == "L"


def test_facts_past_max_shown_are_counted():
    rows = [out(SCHEMA.member, B + f"organisation/o{i:03d}") for i in range(MAX_SHOWN + 3)]
    rows += [out(SCHEMA.funder, B + f"organisation/f{i:03d}") for i in range(MAX_SHOWN)]
    incoming = [inc(B + f"thing/s{i:03d}", SCHEMA.member, f"S{MAX_SHOWN + 1 - i:03d}") for i in range(MAX_SHOWN + 2)]
    page = page_model(P, rows, incoming, Paths(B))
    assert [(f.label, len(f.values), f.more) for f in page.facts] == [("has as partner", MAX_SHOWN, 3),
                                                                      ("is funded by", MAX_SHOWN, 0)]
    assert page.facts[0].values[-1].text == f"o{MAX_SHOWN - 1:03d}"
    (pointing,) = page.pointing
    assert (pointing.label, len(pointing.values), pointing.more) == ("Projects with it as a partner", MAX_SHOWN, 2)
    assert [v.text for v in pointing.values[:2]] == ["S000", "S001"]  # sorted by text
    assert pointing.values[-1].text == f"S{MAX_SHOWN - 1:03d}"


def test_types_first_then_facts_by_phrase_pointing_by_predicate():
    rows = [out(SCHEMA.startDate, "2020"), out("https://e.org/aaa", "x"), out(RDF.type, "urn:x:T"), out(SCHEMA.endDate, "2021")]
    incoming = [inc(B + "a", "urn:x:z"), inc(B + "b", str(SCHEMA.member)), inc(B + "c", "urn:x:a")]
    page = page_model(P, [{**r, "datatype": str(XSD.string)} if r["p"] != str(RDF.type) else r for r in rows],
                      incoming, Paths(B))
    assert [f.label for f in page.facts] == ["is a", "ended", "has the aaa", "started"]
    assert [f.label for f in page.pointing] == ["Projects with it as a partner", "Linked by urn:x:a", "Linked by urn:x:z"]


def test_no_page_without_statements_or_path():
    assert page_model(P, [], [inc(B + "a", "urn:x:p")], Paths(B)) is None
    assert page_model("https://other.org/x", [out(RDF.type, "urn:x:T")], [], Paths(B)) is None


def test_values_of_literals_and_iris():
    def value(**row):
        r = {"p": "urn:x:p", "datatype": "", "lang": None, "label": None, "described": False, **row}
        is_iri = not r["datatype"] and not r["lang"]
        return texts([pages._value(r, is_iri, Paths(B), "id/project/p")])[0]

    assert value(value="5", datatype=str(XSD.integer)) == ("5", None, None, "xsd:integer")
    assert value(value="s", datatype=str(XSD.string)) == ("s", None, None, "")
    assert value(value="s", lang="lv", datatype=str(RDF.langString)) == ("s", None, "lv", "")
    assert value(value="s", datatype="urn:x:dt") == ("s", None, None, "")  # not an xsd type: no note
    assert value(value="s", datatype="http://www.w3.org/2001/XMLSchema#") == ("s", None, None, "")  # "xsd:" alone
    assert value(value=B + "organisation/o", described=True) == ("o", "../organisation/o.html", None, "")
    assert value(value=B + "organisation/o", label="O") == ("O", B + "organisation/o", None, "")
    assert value(value="http://other.org/o", described=True) == ("o", "http://other.org/o", None, "")
    assert value(value="mailto:x") == ("mailto:x", None, None, "")
    assert value(value="xhttp://o") == ("o", None, None, "")


def test_provenance_notes():
    v = Value("T", "h")
    base_dataset = {"value": B + "dataset/x"}
    assert texts([pages._provenance(str(PROV.wasDerivedFrom), v, base_dataset, Paths(B))]) == [("T", "h", None, "imported dataset")]
    assert texts([pages._provenance(str(PROV.wasDerivedFrom), v, {"value": B + "datasetx"}, Paths(B))]) == [
        ("T", "h", None, "curated from the source document")]
    assert texts([pages._provenance(str(NGO.sourceRecord), v, base_dataset, Paths(B))]) == [("T", None, None, "source record")]
    assert texts([pages._provenance(str(NGO.sourceFile), v, base_dataset, Paths(B))]) == [("T", None, None, "source file")]


def test_schema_org_types_and_properties():
    doc = pages._schema_org(P, "T", [str(SCHEMA.Place), "urn:x:T", str(SCHEMA.Country)],
                            {"name": ["N"], "a": ["x", "y"], "b": ["z"]})
    assert doc == {"@context": {"@vocab": "https://schema.org/"}, "@id": P, "@type": ["Country", "Place"], "name": "T",
                   "url": P, "a": ["x", "y"], "b": "z"}
    assert list(doc) == ["@context", "@id", "@type", "name", "url", "a", "b"]
    for kind_type, expected in ((NGO.Participation, "Thing"), (SKOS.Concept, "DefinedTerm"),
                                (NGO.SourceDocument, "Dataset"), (NGO.Programme, "Project")):
        assert pages._schema_org(P, "T", [str(kind_type)], {})["@type"] == [expected]


# ---------------------------------------------------------------------------- read from a tiny store

O = B + "organisation/"
LVA, EST, FIN = COUNTRY + "LVA", COUNTRY + "EST", COUNTRY + "FIN"


def nt() -> bytes:
    """Projects p (members a, b, c, d) and q (a, b); a in Latvia, b in Estonia, c (no name) in Finland
    (a country without an English name), d in a Sweden that is no schema:Country (no page code)."""
    t = []

    def add(s, p, o):
        o = o if o.startswith('"') else f"<{o}>"
        t.append(f"<{s}> <{p}> {o} .")

    for c, code, name in ((LVA, "LV", '"Latvia"@en'), (EST, "EE", '"Estonia"@en'), (FIN, "FI", None)):
        add(c, RDF.type, str(SCHEMA.Country))
        add(c, SKOS.notation, f'"{code}"')
        if name:
            add(c, SKOS.prefLabel, name)
    add(B + "country/se", SKOS.notation, '"SE"')
    for role in ("lead", "member"):
        add(B + f"role/{role}", SKOS.notation, f'"{role}"')
    for org, name, country in (("a", "Org A", LVA), ("b", "Org B", EST), ("c", None, FIN), ("d", "Org D", B + "country/se")):
        add(O + org, RDF.type, str(SCHEMA.Organization))
        if name:
            add(O + org, RDFS.label, f'"{name}"')
        add(O + org, SCHEMA.addressCountry, country)
    for proj, title, members in (("p", "Bridges", "abcd"), ("q", "Quay", "ab")):
        add(B + f"project/{proj}", RDF.type, str(SCHEMA.Project))
        add(B + f"project/{proj}", RDFS.label, f'"{title}"@en')
        for m in members:
            add(B + f"project/{proj}", SCHEMA.member, O + m)
            part = B + f"participation/{proj}-{m}"
            add(part, RDF.type, str(NGO.Participation))
            add(part, NGO.inProject, B + f"project/{proj}")
            add(part, NGO.participant, O + m)
            add(part, NGO.role, B + ("role/lead" if m == "a" else "role/member"))
    add(B + "project/q", SCHEMA.startDate, '"2020"')
    return ("\n".join(t) + "\n").encode()


@pytest.fixture()
def backend():
    store = ox.Store()
    store.load(nt(), ox.RdfFormat.N_TRIPLES)
    return Embedded(store, fixed=True)


def test_reader_rows_by_hand(backend):
    reader = QueryReader(backend)
    assert reader.backend is backend and reader.shared == {}
    shared = {"x": 1}
    assert QueryReader(backend, shared).shared is shared
    empty: dict = {}
    assert QueryReader(backend, empty).shared is empty
    rows = reader.out_rows(O + "a")
    assert sorted((r["p"], r["value"], r["label"]) for r in rows) == [
        (str(RDF.type), str(SCHEMA.Organization), None), (str(RDFS.label), "Org A", None),
        (str(SCHEMA.addressCountry), LVA, "Latvia")]
    assert sorted((r["s"], r["p"], r["label"]) for r in reader.in_rows(O + "a")) == [
        (B + "participation/p-a", str(NGO.participant), "Bridges"), (B + "participation/q-a", str(NGO.participant), "Quay"),
        (B + "project/p", str(SCHEMA.member), "Bridges"), (B + "project/q", str(SCHEMA.member), "Quay")]
    assert [(r["name"], r["role"], r["country"]) for r in reader.partners(B + "project/p")] == [
        ("Org A", "lead", "LV"), ("Org B", "member", "EE"), ("Org D", "member", "SE")]
    assert [(r["title"], r["role"], r["start"]) for r in reader.projects(O + "a")] == [
        ("Bridges", "lead", None), ("Quay", "lead", "2020")]
    assert [(r["partner"], r["name"], r["projects"]) for r in reader.neighbourhood(O + "a")] == [
        (O + "b", "Org B", 2), (O + "c", None, 1), (O + "d", "Org D", 1)]
    pairs, countries = reader.country_pairs()
    assert pairs == {"EE": [("LV", 2), ("FI", 1), ("SE", 1)], "LV": [("EE", 2), ("FI", 1), ("SE", 1)],
                     "FI": [("EE", 1), ("LV", 1), ("SE", 1)], "SE": [("EE", 1), ("FI", 1), ("LV", 1)]}
    assert countries == {"LV": (LVA, "Latvia"), "EE": (EST, "Estonia"), "FI": (FIN, "FI")}
    assert reader.shared["country-pairs"] == (pairs, countries)


def test_reader_cuts_at_the_limits(backend, monkeypatch):
    monkeypatch.setattr(pages, "MAX_SHOWN", 2)
    monkeypatch.setattr(pages, "MAX_INCOMING", 3)
    reader = QueryReader(backend)
    assert len(reader.in_rows(O + "a")) == 3
    partners = reader.partners(B + "project/p")
    assert len(partners) == 2 and partners.truncated
    projects = reader.projects(O + "a")
    assert len(projects) == 2 and not projects.truncated
    assert len(reader.out_rows(B + "project/p")) == 2 + 4
    page = make_page(reader, B + "project/p", Paths(B))
    assert page.tables[0].caption == "Partners (the first 2)"


def test_country_pairs_are_read_once_per_shared_dict(backend):
    shared = {"country-pairs": ({"LV": [("EE", 9)]}, {"EE": (EST, "Eesti")})}
    page = resource_page(backend, LVA, Paths(B), shared)
    assert "Eesti" in str(page.figure) and ">9</text>" in str(page.figure)


def test_project_page_with_its_partner_table(backend):
    page = resource_page(backend, B + "project/p", Paths(B))
    (table,) = page.tables
    assert (table.caption, table.columns) == ("Partners", ["organisation", "role", "country"])
    assert [texts(row) for row in table.rows] == [
        [("Org A", "../organisation/a.html", None, ""), ("lead", None, None, ""), ("LV", None, None, "")],
        [("Org B", "../organisation/b.html", None, ""), ("member", None, None, ""), ("EE", None, None, "")],
        [("Org D", "../organisation/d.html", None, ""), ("member", None, None, ""), ("SE", None, None, "")]]
    assert (page.figure, page.figure_caption) == (None, "")
    assert page.title == "Bridges" and page.kind == "project"


def test_organisation_page_with_its_projects_and_neighbourhood(backend):
    page = resource_page(backend, O + "a", Paths(B))
    (table,) = page.tables
    assert (table.caption, table.columns) == ("Projects", ["project", "role", "start", "end"])
    assert [texts(row) for row in table.rows] == [
        [("Bridges", "../project/p.html", None, ""), ("lead", None, None, ""), ("", None, None, ""), ("", None, None, "")],
        [("Quay", "../project/q.html", None, ""), ("lead", None, None, ""), ("2020", None, None, ""), ("", None, None, "")]]
    assert page.figure_caption == ("Partner neighbourhood: the organisations sharing most projects with this one "
                                   "(line width: shared projects).")
    svg = str(page.figure)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-90 0 540 360" width="540" height="360" '
                          'role="img" aria-label="Partners of Org A">')
    assert '<circle cx="180.0" cy="180.0" r="9" fill="#c52"><title>Org A</title></circle>' in svg
    assert '<a href="b.html"><title>Org B: 2 shared projects</title>' in svg
    assert '<a href="c.html"><title>c: 1 shared project</title>' in svg
    assert '<a href="d.html"><title>Org D: 1 shared project</title>' in svg


def test_organisation_without_projects_or_label():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(O + "z"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.Organization))))
    page = resource_page(Embedded(store, fixed=True), O + "z", Paths(B))
    assert (page.tables, page.figure, page.figure_caption, page.title) == ([], None, "", "z")


def test_organisation_figure_titled_by_its_label_else_its_iri():
    class Reader:
        def __init__(self, label):
            self.rows = [out(RDF.type, str(SCHEMA.Organization))]
            if label:
                self.rows.append(out(RDFS.label, label, lang="lv"))

        def out_rows(self, iri):
            return self.rows

        def in_rows(self, iri):
            return []

        def projects(self, iri):
            return []

        def neighbourhood(self, iri):
            return [{"partner": O + "b", "name": None, "projects": 3}]

    assert 'aria-label="Partners of Tilts"' in str(make_page(Reader("Tilts"), O + "a", Paths(B)).figure)
    assert 'aria-label="Partners of a"' in str(make_page(Reader(None), O + "a", Paths(B)).figure)


def test_country_page_with_its_bars(backend):
    page = resource_page(backend, LVA, Paths(B))
    assert page.tables == []
    assert page.figure_caption == ("Projects with members in this country and in another (library query "
                                   "country-pairs), for the 15 countries with the most.")
    assert str(page.figure) == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 70" width="420" height="70" role="img" '
        'aria-label="Joint projects by partner country">'
        '<a href="EST.html"><text x="144" y="18" text-anchor="end" font-size="12">Estonia</text>'
        '<rect x="150" y="7" width="230.0" height="14" fill="#2a7"/><text x="384.0" y="18" font-size="12">2</text></a>'
        '<a href="FIN.html"><text x="144" y="38" text-anchor="end" font-size="12">FI</text>'
        '<rect x="150" y="27" width="115.0" height="14" fill="#2a7"/><text x="269.0" y="38" font-size="12">1</text></a>'
        '<text x="144" y="58" text-anchor="end" font-size="12">SE</text>'
        '<rect x="150" y="47" width="115.0" height="14" fill="#2a7"/><text x="269.0" y="58" font-size="12">1</text>'
        '</svg>')


def test_country_bars_are_the_15_largest():
    class Reader:
        def out_rows(self, iri):
            return [out(RDF.type, str(SCHEMA.Country)), out(SKOS.notation, "LV", datatype=str(XSD.string))]

        def in_rows(self, iri):
            return []

        def country_pairs(self):
            return {"LV": [(f"C{i:02d}", i) for i in range(20)], "EE": [("X", 1)]}, {}

    svg = str(make_page(Reader(), LVA, Paths(B)).figure)
    assert svg.count("<rect") == 15
    assert ">C19</text>" in svg and ">C05</text>" in svg and ">C04</text>" not in svg
    assert svg.index(">C19<") < svg.index(">C18<")


def test_country_without_pairs_has_no_figure():
    class Reader:
        def out_rows(self, iri):
            return [out(RDF.type, str(SCHEMA.Country))]

        def in_rows(self, iri):
            return []

        def country_pairs(self):
            return {"LV": [("EE", 1)]}, {}

    page = make_page(Reader(), LVA, Paths(B))
    assert (page.figure, page.figure_caption) == (None, "")


def test_make_page_refuses_unknown_resources(backend):
    assert make_page(QueryReader(backend), "https://other.org/x", Paths(B)) is None
    assert make_page(QueryReader(backend), B + "project/none", Paths(B)) is None
    assert resource_page(backend, B + "project/none", Paths(B)) is None
    given = [out(RDF.type, str(SCHEMA.Event))]
    page = make_page(QueryReader(backend), B + "project/p", Paths(B), out_rows=given)
    assert page.kind == "event" and len(page.triples) == 1 + 4  # the rows given, the pointing ones read


def test_resource_pages_read_the_statements_of_all_at_once(backend):
    iris = [B + "project/q", "https://other.org/x", B + "project/none", B + "project/q", O + "c"]
    got = list(resource_pages(backend, iris, Paths(B)))
    assert [iri for iri, _ in got] == iris
    assert [page and (page.title, len(page.triples)) for _, page in got] == [
        ("Quay", 5 + 2), None, None, ("Quay", 5 + 2), ("c", 2 + 2)]
    assert list(resource_pages(backend, ["https://other.org/x"], Paths(B))) == [("https://other.org/x", None)]
    shared: dict = {}
    ((_, page),) = resource_pages(backend, [LVA], Paths(B), shared)  # the country pairs kept for the next pages
    assert page.kind == "country" and shared["country-pairs"][1]["LV"] == (LVA, "Latvia")


# ---------------------------------------------------------------------------- figures and output

def test_neighbourhood_figure_by_hand():
    partners = [(Value("Top", "t.html"), 5), (Value("Right & co"), 2), (Value("B" * 30, "b.html"), 1),
                (Value("Left", "l.html"), 0)]
    assert str(neighbourhood_svg("Me & you", partners)) == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-90 0 540 360" width="540" height="360" role="img" '
        'aria-label="Partners of Me &amp; you">'
        '<line x1="180.0" y1="180.0" x2="180.0" y2="70.0" stroke="#8aa" stroke-width="6.0"/>'
        '<line x1="180.0" y1="180.0" x2="290.0" y2="180.0" stroke="#8aa" stroke-width="3.0"/>'
        '<line x1="180.0" y1="180.0" x2="180.0" y2="290.0" stroke="#8aa" stroke-width="2.0"/>'
        '<line x1="180.0" y1="180.0" x2="70.0" y2="180.0" stroke="#8aa" stroke-width="1.0"/>'
        '<circle cx="180.0" cy="180.0" r="9" fill="#c52"><title>Me &amp; you</title></circle>'
        '<a href="t.html"><title>Top: 5 shared projects</title><circle cx="180.0" cy="70.0" r="6" fill="#2a7"/>'
        '<text x="180.0" y="62.0" text-anchor="middle" font-size="11">Top</text></a>'
        '<g><title>Right &amp; co: 2 shared projects</title><circle cx="290.0" cy="180.0" r="6" fill="#2a7"/>'
        '<text x="298.0" y="184.0" text-anchor="start" font-size="11">Right &amp; co</text></g>'
        '<a href="b.html"><title>' + "B" * 30 + ': 1 shared project</title><circle cx="180.0" cy="290.0" r="6" fill="#2a7"/>'
        '<text x="180.0" y="306.0" text-anchor="middle" font-size="11">' + "B" * 27 + '…</text></a>'
        '<a href="l.html"><title>Left: 0 shared projects</title><circle cx="70.0" cy="180.0" r="6" fill="#2a7"/>'
        '<text x="62.0" y="184.0" text-anchor="end" font-size="11">Left</text></a>'
        '</svg>')


def test_neighbourhood_figure_of_a_small_size_and_no_shared_projects():
    svg = str(neighbourhood_svg("X", [(Value("A", "a.html"), 0)], size=200))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-90 0 380 200" width="380" height="200" ')
    assert '<line x1="100.0" y1="100.0" x2="100.0" y2="70.0" stroke="#8aa" stroke-width="1.0"/>' in svg
    assert '<circle cx="100.0" cy="100.0" r="9" fill="#c52">' in svg
    # twelve partners, every 30 degrees from the top, clockwise: the label's anchor and offset by the angle
    # (cos > 0.2 start, < -0.2 end; sin > 0.5 below the point, < -0.5 above; at +-30 degrees sin is 0.5 give
    # or take the last bit of a float: 4 below 0.5, 8 above)
    svg = str(neighbourhood_svg("X", [(Value(str(i)), 1) for i in range(12)]))
    assert re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" font-size="11">\d+</text>', svg) == [
        ("180.0", "62.0", "middle"), ("243.0", "76.7", "start"), ("283.3", "129.0", "start"), ("298.0", "184.0", "start"),
        ("283.3", "239.0", "start"), ("243.0", "291.3", "start"), ("180.0", "306.0", "middle"),
        ("117.0", "291.3", "end"), ("76.7", "251.0", "end"), ("62.0", "184.0", "end"), ("76.7", "117.0", "end"),
        ("117.0", "76.7", "end")]


def test_bars_by_hand():
    svg = str(bars_svg([(Value("A" * 30, "a.html"), 0), (Value("<b>"), 0)], width=240))
    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 50" width="240" height="50" role="img" '
        'aria-label="Joint projects by partner country">'
        '<a href="a.html"><text x="144" y="18" text-anchor="end" font-size="12">' + "A" * 24 + '</text>'
        '<rect x="150" y="7" width="0.0" height="14" fill="#2a7"/><text x="154.0" y="18" font-size="12">0</text></a>'
        '<text x="144" y="38" text-anchor="end" font-size="12">&lt;b&gt;</text>'
        '<rect x="150" y="27" width="0.0" height="14" fill="#2a7"/><text x="154.0" y="38" font-size="12">0</text>'
        '</svg>')
    svg = str(bars_svg([(Value("A"), 4), (Value("B"), 1)], width=240))  # bars 240 - 150 - 40 = 50 wide at most
    assert '<rect x="150" y="7" width="50.0"' in svg and '<rect x="150" y="27" width="12.5"' in svg


def tiny_page() -> Page:
    rows = [out(RDF.type, str(SCHEMA.Project), described=True), out(RDFS.label, "Bridges & co", lang="en"),
            out(SCHEMA.startDate, "2020", datatype=str(XSD.gYear))]
    return page_model(P, rows, [inc(O + "a", SCHEMA.member, "Org A")], Paths(B))


def test_rdf_files_by_hand():
    page = tiny_page()
    assert rdf_bytes(page, "nt").decode() == (
        f'<{O}a> <https://schema.org/member> <{P}> .\n'
        f'<{P}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Project> .\n'
        f'<{P}> <http://www.w3.org/2000/01/rdf-schema#label> "Bridges & co"@en .\n'
        f'<{P}> <https://schema.org/startDate> "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
    ttl = rdf_bytes(page, "ttl").decode()
    assert "@prefix schema: <https://schema.org/> .\n" in ttl
    assert f"<{P}> a schema:Project ;\n" in ttl
    assert 'schema:startDate "2020"^^xsd:gYear' in ttl
    xml = rdf_bytes(page, "rdf").decode()
    assert 'xmlns:schema="https://schema.org/"' in xml and "<schema:Project" in xml
    text = rdf_bytes(page, "jsonld").decode()
    doc = json.loads(text)
    assert doc["@context"] == pages._context()["@context"]
    assert text.startswith('{\n "@context": {\n  ')
    assert text.endswith("\n}\n")
    assert sorted(k for k in doc if k != "@context") == ["@graph"]
    assert text.index('"@context"') < text.index('"@graph"')
    graph = json.dumps(doc["@graph"], sort_keys=True)
    assert "Bridges & co" in graph and "2020" in graph


def test_sorted_triples_once_each_in_text_order():
    a, b = (ox.Triple(ox.NamedNode(P), ox.NamedNode("urn:x:p"), ox.Literal(x)) for x in "ba")
    page = Page(iri=P, path="id/project/p", kind="project", title="t", title_lang=None, triples=[a, b, a])
    assert page.sorted_triples() == [b, a]
    page.triples.append(ox.Triple(ox.NamedNode(P), ox.NamedNode("urn:x:a"), ox.Literal("c")))
    assert page.sorted_triples() == [b, a]  # sorted once


@pytest.mark.parametrize("value,text", [
    ({"b": [1, 2.5, True, None, False], "a": {"x": "é\n<"}, "c": [], "d": {}, "e": (1,)},
     '{\n "a": {\n  "x": "é\\n<"\n },\n "b": [\n  1,\n  2.5,\n  true,\n  null,\n  false\n ],\n "c": [],\n "d": {},\n'
     ' "e": [\n  1\n ]\n}'),
    ([[["x"]]], '[\n [\n  [\n   "x"\n  ]\n ]\n]'),
    ({"k": {"a": 1, "b": 2}}, '{\n "k": {\n  "a": 1,\n  "b": 2\n }\n}'),
    (12345678901234567890, "12345678901234567890"), (-0.5, "-0.5"), ("a\"b", '"a\\"b"'),
])
def test_json_indented_by_hand(value, text):
    assert json_indented(value) == text
    assert json_indented(value) == json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


def test_json_indented_one_level_in():
    assert json_indented({"a": [1]}, 1) == '{\n  "a": [\n   1\n  ]\n }'


def test_rendered_pages_find_their_way_back():
    html = render("list.html", "id/project/x", title="T", intro="", groups=[])
    assert '<link rel="stylesheet" href="../../style.css">' in html
    assert render("list.html", "index", title="T", intro="", groups=[]).count('href="style.css"') == 1
    page = tiny_page()
    html = render_page(page)
    assert '<link rel="stylesheet" href="../../style.css">' in html
    assert '<link rel="alternate" type="text/turtle" href="p.ttl">' in html
    assert '<link rel="alternate" type="application/ld+json" href="p.jsonld">' in html
    assert '<link rel="alternate" type="application/n-triples" href="p.nt">' in html
    assert "p.rdf" not in html
    assert '<h1 lang="en">Bridges &amp; co</h1>' in html
    assert f'<link rel="canonical" href="{P}">' in html
    assert '"name": "Bridges \\u0026 co"' not in html and '"name": "Bridges & co"' in html
    assert '<p class="kind">Project</p>' in html
    only = render_page(page, ("rdf",))
    assert '<link rel="alternate" type="application/rdf+xml" href="p.rdf">' in only and "p.ttl" not in only


def test_schema_org_script_escapes_tags():
    rows = [out(RDF.type, str(SCHEMA.Project)), out(SCHEMA.name, "</script>", lang="en")]
    html = render_page(page_model(P, rows, [], Paths(B)))
    assert '"name": "\\u003c/script>"' in html
    assert html.count("</script>") == 1


def test_a_pages_jsonld_holds_each_literal_as_the_store_does():
    """rdflib's terms rewrote lexical forms on the way to JSON-LD: a ``Z`` time zone as ``+00:00``, a date's time
    zone dropped (another value), ``01`` as ``1``, a boolean ``1`` as ``true``. The page's JSON-LD, read back, holds
    the page's own triples, and every lexical form as written."""
    forms = [("2020-01-01T00:00:00Z", XSD.dateTime), ("2020-01-01Z", XSD.date), ("01", XSD.integer),
             ("1", XSD.boolean), ("310000", XSD.decimal), ("2.50", XSD.decimal)]
    page = Page(iri=P, path="id/project/p", kind="project", title="t", title_lang=None, triples=[
        ox.Triple(ox.NamedNode(P), ox.NamedNode(f"urn:x:p{i}"), ox.Literal(text, datatype=ox.NamedNode(str(dt))))
        for i, (text, dt) in enumerate(forms)])
    text = rdf_bytes(page, "jsonld").decode()
    values = {node["@value"] for value in json.loads(text)["@graph"][0].values() if isinstance(value, dict)
              for node in [value]}
    assert values == {form for form, _ in forms}
    back, ref = ox.Store(), ox.Store()  # a store holds each value once: "01" and "1" as one integer
    back.load(text.encode(), ox.RdfFormat.JSON_LD)
    ref.load(rdf_bytes(page, "nt"), ox.RdfFormat.N_TRIPLES)
    assert len(back) == len(forms) and set(map(str, back)) == set(map(str, ref))
