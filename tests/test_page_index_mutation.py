"""The page index (ngograph/publish/page_index.py): behaviours a mutation run showed were not
pinned (issue 14). One tiny hand-made store: the data in an imported source's named graph (and
a little in the default graph), decoys in the description graph, which no page may show; rows
checked against values written out by hand."""

from __future__ import annotations

import pickle
import sys

import pyoxigraph as ox
import pytest

from ngograph.publish import page_index
from ngograph.publish.page_index import PageIndex
from ngograph.publish.pages import _KINDS
from ngograph.rdf.namespaces import DCTERMS, NGO, RDF, RDFS, SCHEMA, SKOS
from ngograph.store.backends import Embedded
from ngograph.store.embedded import DESCRIPTION_GRAPH

E = "https://e.org/"
IMP = f"<{E}dataset/imp>"  # an imported source's graph: published
DESC = f"<{DESCRIPTION_GRAPH.value}>"  # never published
DEFAULT = ""
LEAD, MEMBER, BARE = (f"{E}role/{x}" for x in ("lead", "member", "bare"))


def iri(path: str) -> str:
    return E + path


class Quads:
    """N-Quads lines written by hand: ``add(s, p, o)`` with IRIs as strings, literals as N-Triples text."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, s: str, p, o: str, graph: str = IMP) -> None:
        s = s if s.startswith("_:") else f"<{s}>"
        o = o if o.startswith(('"', "_:")) else f"<{o}>"
        self.lines.append(f"{s} <{p}> {o} {graph} .")

    def part(self, name: str, org: str | None, project: str | None, *roles: str) -> None:
        p = iri(f"participation/{name}")
        self.add(p, RDF.type, str(NGO.Participation))
        if org:
            self.add(p, NGO.participant, org)
        if project:
            self.add(p, NGO.inProject, project)
        for role in roles:
            self.add(p, NGO.role, role)

    def thing(self, path: str, cls, *labels: str) -> str:
        s = iri(path)
        self.add(s, RDF.type, str(cls))
        for label in labels:
            self.add(s, RDFS.label, f'"{label}"')
        return s


def data() -> bytes:
    q = Quads()
    for role, code in ((LEAD, "lead"), (MEMBER, "member")):
        q.add(role, SKOS.notation, f'"{code}"')
    for i, code in enumerate("abcd"):
        q.add(iri(f"role/r{i}"), SKOS.notation, f'"{code}"')
    for c in ("lv", "ee", "fi", "se"):
        q.add(iri(f"country/{c}"), SKOS.notation, f'"{c.upper()}"')

    # partners of p1: roles, names, organisation IRIs and countries in different orders
    p1 = q.thing("project/p1", SCHEMA.Project, "Alpha project")
    z = q.thing("organisation/z", SCHEMA.Organization, "Zeta")
    q.add(z, SCHEMA.addressCountry, iri("country/lv"))
    a = q.thing("organisation/a", SCHEMA.Organization, "Beta")
    q.add(a, SCHEMA.addressCountry, iri("country/ee"))
    m = q.thing("organisation/m", SCHEMA.Organization, "Alpha")
    for c in ("se", "ee", "lv", "fi"):
        q.add(m, SCHEMA.addressCountry, iri(f"country/{c}"))
    nn = q.thing("organisation/nn", SCHEMA.Organization, "Nn")
    q.add(nn, SCHEMA.addressCountry, iri("country/xx"))  # a country without a notation
    unnamed = q.thing("organisation/unnamed", SCHEMA.Organization)
    q.part("z", z, p1, LEAD)
    for name, org in (("a", a), ("m", m), ("nn", nn), ("unnamed", unnamed)):
        q.part(name, org, p1, MEMBER)
    for s in ("s4", "s2", "s3", "s1"):
        q.part(s, q.thing(f"organisation/{s}", SCHEMA.Organization, "Same"), p1, MEMBER)
    q.part("bare", q.thing("organisation/q", SCHEMA.Organization, "Q"), p1, BARE)  # a role without a notation
    q.part("nobody", None, p1, LEAD)  # a participation naming no organisation
    q.thing("project/empty", SCHEMA.Project, "Empty")

    # projects of o: starts, IRIs, titles, roles and ends in different orders
    o = q.thing("organisation/o", SCHEMA.Organization, "Oh")
    p2 = q.thing("project/p2", SCHEMA.Project, "Two")
    q.add(p2, SCHEMA.startDate, '"2020"')
    q.add(p2, SCHEMA.endDate, '"2021"')
    p4, p5 = q.thing("project/p4", SCHEMA.Project, "Zzz"), q.thing("project/p5", SCHEMA.Project, "Aaa")
    for p in (p4, p5):
        q.add(p, SCHEMA.startDate, '"2019"')
    p6 = q.thing("project/p6", SCHEMA.Project, "T3", "T1", "T4", "T2")
    q.add(p6, SCHEMA.startDate, '"2022"')
    p7 = q.thing("project/p7", SCHEMA.Project, "Seven")
    q.add(p7, SCHEMA.startDate, '"2023"')
    p8 = q.thing("project/p8", SCHEMA.Project, "Eight")
    q.add(p8, SCHEMA.startDate, '"2024"')
    for end in ("2027", "2025", "2028", "2026"):
        q.add(p8, SCHEMA.endDate, f'"{end}"')
    q.part("o2", o, p2, LEAD)
    q.part("o4", o, p4, MEMBER)
    q.part("o5", o, p5, MEMBER)
    q.part("o6", o, p6, MEMBER)
    q.part("o7", o, p7, iri("role/r2"), iri("role/r0"), iri("role/r3"), iri("role/r1"))
    q.part("o8", o, p8, MEMBER)
    q.part("o9", o, q.thing("project/p9", SCHEMA.Project, "Nine"))  # no role
    q.part("o10", o, q.thing("project/p10", SCHEMA.Project, "Ten"), BARE)  # a role without a notation
    q.part("o11", o, None, LEAD)  # in no project
    # a start that is an empty text sorts after no start
    oe = q.thing("organisation/oe", SCHEMA.Organization, "Oe")
    q.part("oe1", oe, q.thing("project/pe-b", SCHEMA.Project, "No start"), LEAD)
    pea = q.thing("project/pe-a", SCHEMA.Project, "Empty start")
    q.add(pea, SCHEMA.startDate, '""')
    q.part("oe2", oe, pea, LEAD)

    # the neighbourhood of h: zz shares two projects, n01..n12 one each (named in reverse)
    h = q.thing("organisation/h", SCHEMA.Organization, "Aitch")
    zz = q.thing("organisation/zz", SCHEMA.Organization, "Zz")
    for n in (1, 2, 3):
        q.part(f"h{n}", h, iri(f"project/n{n}"), MEMBER)
    q.part("zz1", zz, iri("project/n1"), MEMBER)
    q.part("zz2", zz, iri("project/n2"), MEMBER)
    for i in range(1, 13):
        q.part(f"n{i:02d}", q.thing(f"organisation/n{i:02d}", SCHEMA.Organization, f"Partner {13 - i:02d}"),
               iri("project/n3"), MEMBER)
    q.part("n3-nobody", None, iri("project/n3"), MEMBER)  # in n3, naming no organisation
    q.part("h-nowhere", h, None, MEMBER)  # h in no project
    q.thing("organisation/lonely", SCHEMA.Organization, "Lonely")  # in no project
    # the neighbourhood of h2: one partner with more names than a table shows
    h2 = q.thing("organisation/h2", SCHEMA.Organization, "Aitch two")
    w = q.thing("organisation/w", SCHEMA.Organization, *(f"W{i:03d}" for i in range(201)))
    q.part("hw", h2, iri("project/w"), MEMBER)
    q.part("w", w, iri("project/w"), MEMBER)

    # labels: English preferred labels only, French ones never; a decoy label in the description graph
    for i in range(1, 6):
        q.add(iri(f"concept/en{i}"), SKOS.prefLabel, f'"English {i}"@{"en-GB" if i % 2 else "en"}')
        q.add(iri(f"concept/fr{i}"), SKOS.prefLabel, f'"Français {i}"@fr')
    q.add(iri("concept/en1"), RDFS.label, '"Decoy"', DESC)
    q.add(iri("concept/plain"), SKOS.prefLabel, '"No language"')
    q.add(iri("concept/titled"), DCTERMS.title, '"A title"')
    q.add(iri("concept/ranked"), RDFS.label, '"b"')
    q.add(iri("concept/ranked"), RDFS.label, '"a"')
    q.add(iri("concept/ranked"), SKOS.prefLabel, '"P"@en')

    # types: an unknown class, several classes at once, a blank node
    q.add(iri("thing/u1"), RDF.type, "urn:x:Other")
    for s, cls in (("thing/u2", SCHEMA.Project), ("thing/u3", SCHEMA.Organization)):
        for c in ("urn:x:Other1", str(cls), "urn:x:Other2", "urn:x:Other3"):
            q.add(iri(s), RDF.type, c)
    q.add("_:b1", RDF.type, str(SCHEMA.Event))

    # statements pointing at t: nine named ones (s1 also in the default graph), a blank node, a decoy
    t = q.thing("organisation/t", SCHEMA.Organization, "Tee")
    for i in range(1, 10):
        q.add(q.thing(f"thing/s{i}", SCHEMA.Event, f"S{i}"), "urn:x:p", t)
    q.add(iri("thing/s1"), "urn:x:p", t, DEFAULT)
    q.add("_:b2", "urn:x:p", t)
    q.add(iri("thing/decoy"), "urn:x:p", t, DESC)
    # a statement in both graphs, then another: tA's duplicate is s1, tB's is s2 (whichever the store lists first)
    for target, dup in (("organisation/ta", "thing/s1"), ("organisation/tb", "thing/s2")):
        q.add(iri(dup), "urn:x:p", iri(target), DEFAULT)
        for s in ("thing/s1", "thing/s2"):
            q.add(iri(s), "urn:x:p", iri(target))
    pp = q.thing("project/pp", SCHEMA.Project)  # no label: its participations are named by their organisation
    q.part("x1", t, None)  # an unnamed participation of t in no project
    q.part("x2", None, pp)  # an unnamed participation in pp of no organisation
    q.part("x3", t, pp)
    q.add(iri("participation/x3"), RDFS.label, '"Part three"@en')
    q.add(iri("participation/x3"), "urn:x:note", '"plain"')
    q.add(iri("participation/x3"), "urn:x:p", iri("thing/u1"))
    q.add(iri("participation/x3"), "urn:x:note", '"decoy"', DESC)
    return ("\n".join(q.lines) + "\n").encode()


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(data(), ox.RdfFormat.N_QUADS)
    return s


@pytest.fixture(scope="module")
def index(store):
    return PageIndex(Embedded(store, fixed=True))


def table(rows, *columns):
    return [tuple(r[c] for c in columns) for r in rows]


def test_partners_sorted_by_role_name_organisation_country(index):
    rows = index.partners(iri("project/p1"))
    org = iri("organisation/")
    assert table(rows, "organisation", "name", "role", "country") == [
        (org + "z", "Zeta", "lead", "LV"),
        (org + "m", "Alpha", "member", "EE"), (org + "m", "Alpha", "member", "FI"),
        (org + "m", "Alpha", "member", "LV"), (org + "m", "Alpha", "member", "SE"),
        (org + "a", "Beta", "member", "EE"),
        (org + "nn", "Nn", "member", None),  # its country has no notation
        (org + "s1", "Same", "member", None), (org + "s2", "Same", "member", None),
        (org + "s3", "Same", "member", None), (org + "s4", "Same", "member", None),
    ]  # no row for the unnamed organisation, the role without a notation, the participation of nobody
    assert rows.truncated is False
    assert list(index.partners(iri("project/empty"))) == []


def test_projects_sorted_by_start_project_title_role_end(index):
    rows = index.projects(iri("organisation/o"))
    p = iri("project/")
    assert table(rows, "project", "title", "role", "start", "end") == [
        (p + "p4", "Zzz", "member", "2019", None), (p + "p5", "Aaa", "member", "2019", None),
        (p + "p2", "Two", "lead", "2020", "2021"),
        (p + "p6", "T1", "member", "2022", None), (p + "p6", "T2", "member", "2022", None),
        (p + "p6", "T3", "member", "2022", None), (p + "p6", "T4", "member", "2022", None),
        (p + "p7", "Seven", "a", "2023", None), (p + "p7", "Seven", "b", "2023", None),
        (p + "p7", "Seven", "c", "2023", None), (p + "p7", "Seven", "d", "2023", None),
        (p + "p8", "Eight", "member", "2024", "2025"), (p + "p8", "Eight", "member", "2024", "2026"),
        (p + "p8", "Eight", "member", "2024", "2027"), (p + "p8", "Eight", "member", "2024", "2028"),
    ]  # p9 (no role), p10 (a role without a notation) and the participation in no project give none
    assert table(index.projects(iri("organisation/oe")), "project", "start") == [
        (p + "pe-b", None), (p + "pe-a", "")]  # no start first, then the empty text
    assert list(index.projects(iri("organisation/lonely"))) == []


def test_neighbourhood_keeps_the_twelve_sharing_most(index):
    rows = index.neighbourhood(iri("organisation/h"))
    # zz shares two projects; of the twelve sharing one, the first eleven by IRI, then ordered by name
    assert table(rows, "partner", "name", "projects") == [(iri("organisation/zz"), "Zz", 2)] + [
        (iri(f"organisation/n{i:02d}"), f"Partner {13 - i:02d}", 1) for i in range(11, 0, -1)]
    assert list(index.neighbourhood(iri("organisation/lonely"))) == []
    many = index.neighbourhood(iri("organisation/h2"))  # every name of the partner: no limit on the rows
    assert len(many) == 201 and many.truncated is False
    assert [r["name"] for r in many][:2] == ["W000", "W001"]


def test_members_are_kept_and_name_no_one_twice(index):
    n3 = iri("project/n3")
    members = index.members(n3)
    assert sorted(members) == [iri("organisation/h"), *(iri(f"organisation/n{i:02d}") for i in range(1, 13))]
    assert index.members(n3) is members  # kept, not made again
    assert index.members(iri("project/empty")) == ()


def test_labels_english_preferred_labels_and_decoys(index):
    for i in range(1, 6):
        assert index.label(iri(f"concept/en{i}")) == f"English {i}"  # not the description graph's "Decoy"
        assert index.label(iri(f"concept/fr{i}")) is None
    assert index.label(iri("concept/plain")) is None
    assert index.label(iri("concept/titled")) == "A title"
    assert index.index_label(iri("concept/ranked")) == (1, "a")  # the first label in code-point order
    assert index.index_label(iri("concept/en2")) == (2, "English 2")
    assert index.index_label(iri("concept/titled")) == (3, "A title")
    assert index.index_label(iri("concept/nothing")) is None


def test_kinds_of_unknown_several_and_blank_resources(index, store):
    other = len(_KINDS)
    assert index.kinds[iri("thing/u1")] == other and index.kind(iri("thing/u1")) == "resource"
    assert index.kind(iri("thing/u2")) == "project" and index.kind(iri("thing/u3")) == "organisation"
    blank = next(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None)
                 if isinstance(q.subject, ox.BlankNode))
    assert index.kind(f"_:{blank.value}") == "event"
    assert iri("thing/decoy") not in index.kinds and iri("concept/en1") not in index.kinds


def test_in_rows_named_each_once_without_decoys(index):
    rows = index.in_rows(iri("organisation/t"))
    assert sorted((r["s"], r["p"], r["label"]) for r in rows) == sorted(
        [(iri(f"thing/s{i}"), "urn:x:p", f"S{i}") for i in range(1, 10)]
        + [(iri("participation/x1"), str(NGO.participant), None),  # in no project: no name
           (iri("participation/x3"), str(NGO.participant), "Part three")])
    rows = index.in_rows(iri("project/pp"))
    assert sorted((r["s"], r["label"]) for r in rows) == [
        (iri("participation/x2"), None),  # of no organisation: no name
        (iri("participation/x3"), "Part three")]  # its own label, not its organisation's


def test_a_statement_in_two_graphs_stops_no_other(index):
    for target in ("organisation/ta", "organisation/tb"):
        assert sorted(r["s"] for r in index.in_rows(iri(target))) == [iri("thing/s1"), iri("thing/s2")]


def test_in_rows_stop_at_the_limit(index, monkeypatch):
    monkeypatch.setattr(page_index, "MAX_INCOMING", 3)
    assert len(index.in_rows(iri("organisation/t"))) == 3


def test_out_rows_labels_languages_and_no_decoys(index):
    rows = {(r["p"], r["value"]): r for r in index.out_rows(iri("participation/x3"))}
    assert (str(NGO.participant), iri("organisation/t")) in rows
    assert rows[(str(NGO.participant), iri("organisation/t"))]["label"] == "Tee"
    assert rows[(str(RDFS.label), "Part three")]["lang"] == "en"
    assert rows[("urn:x:note", "plain")]["lang"] == ""
    assert rows[("urn:x:p", iri("thing/u1"))]["described"] is True  # typed, of a class no page kind has
    assert ("urn:x:note", "decoy") not in rows
    assert len(rows) == 6  # type, participant, project, label, note, link; the description graph's left out


def test_progress_messages(store):
    heard = []
    index = PageIndex(Embedded(store, fixed=True), heard.append)
    assert heard == [f"{len(index.kinds)} typed resources",
                     f"{len(index.names)} labels, {len(index.pref_en)} English preferred labels, "
                     f"{len(index.titles)} titles",
                     f"{len(index.in_project)} participations"]
    assert len(index.pref_en) == 6  # en1..en5 and ranked


def test_rows_truncated_past_the_limit():
    rows = [("b",), ("a",), ("c",)]
    cut = PageIndex._rows(["x"], rows, lambda r: r, 2)
    assert list(cut) == [{"x": "a"}, {"x": "b"}] and cut.truncated is True
    whole = PageIndex._rows(["x"], rows, lambda r: r, 3)
    assert len(whole) == 3 and whole.truncated is False
    assert PageIndex._rows(["x"], rows, lambda r: r, None).truncated is False


def test_saved_tables_and_country_pairs_are_loaded(store, tmp_path):
    index = PageIndex(Embedded(store, fixed=True))
    index.save(tmp_path / "plain")
    other = ox.Store()  # loaded into the backend of another store: the tables are the saved ones
    loaded = PageIndex.load(Embedded(other, fixed=True), tmp_path / "plain")
    assert loaded.label(iri("concept/en1")) == "English 1" and loaded.shared == {}
    index.shared["country-pairs"] = {"LV": [("EE", 2)]}
    index.save(tmp_path / "pairs")
    assert PageIndex.load(Embedded(other, fixed=True), tmp_path / "pairs").shared == {
        "country-pairs": {"LV": [("EE", 2)]}}


def test_an_index_of_another_format_or_python_is_refused(store, tmp_path):
    backend = Embedded(store, fixed=True)
    for name, head in (("version", (1, (2, 7))), ("format", (2, sys.version_info[:2]))):
        (tmp_path / name).write_bytes(pickle.dumps((*head, [{}] * len(PageIndex.TABLES), None)))
        with pytest.raises(ValueError, match=f"^{tmp_path / name}: not a page index of this version$"):
            PageIndex.load(backend, tmp_path / name)
    (tmp_path / "bad").write_bytes(b"\x00")
    with pytest.raises(ValueError, match=f"^{tmp_path / 'bad'}: not a page index \\("):
        PageIndex.load(backend, tmp_path / "bad")
