"""The fast engine's speed-ups change the time of `ngograph validate`, never its report.

- a property of a shape with few focus nodes beside the triples of its path is looked up per focus
  node (:class:`ngograph.validate.fast._FewFocusNodes`): forced on every shape, every fixture gives
  pySHACL's report, and the choice itself is counted by hand on a small store;
- a sequence path becomes one hashed sub-SELECT per step (:meth:`_Compiler.pairs`);
- a SPARQL target runs only once its constraint has found a row;
- ngosh:OrganisationSameNameShape reports once per organisation and name (not once per pair), naming
  the last organisation of that name.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ngograph.validate.fast import _FewFocusNodes, validate_store
from ngograph.validate.shacl import load_shapes

from test_shapes import INVALID, VALID
from test_shapes_speed import CASES
from test_validate_fast import both, results_set, with_context

EX = "https://example.org/id/"
PREFIXES = """
@prefix ex: <https://example.org/id/> .
@prefix ngo: <https://w3id.org/ngograph/def#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load((PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE)
    return store


# ---------------------------------------------------------------- looked up per focus node

@pytest.fixture
def always_looked_up(monkeypatch):
    monkeypatch.setattr(_FewFocusNodes, "__call__", lambda self, shape, prop: True)


def test_fixture_globs_found_files():
    assert len(VALID) >= 4 and len(INVALID) >= 20


@pytest.mark.parametrize("path", [None, *VALID, *INVALID], ids=lambda p: p.stem if p else "context")
def test_every_fixture_looked_up_gives_the_reference_report(always_looked_up, path):
    reference, fast_results = both(with_context(path))
    assert fast_results == reference
    assert (path is None or "valid" == path.parent.name) == (not reference)


def test_sparql_target_cases_looked_up_give_the_reference_report(always_looked_up):
    reference, fast_results = both(Graph().parse(data=CASES, format="turtle"))
    assert fast_results == reference and len(reference) >= 12


# One programme (one focus node of ProgrammeShape) beside 12 prov:wasDerivedFrom triples (of projects):
# looked up. ex:prog has no prov:wasDerivedFrom of its own, which the projects' triples must not hide.
FEW = """
ex:prog a ngo:Programme ; schema:name "Prog"@en ; <http://purl.org/dc/terms/hasPart> ex:p0 .
ex:doc a ngo:SourceDocument .
""" + "".join(f"ex:p{i} a schema:Project ; prov:wasDerivedFrom ex:doc .\n" for i in range(12))


def test_the_choice_counts_focus_nodes_and_path_triples():
    shapes = load_shapes()
    store = _store(FEW)
    few = _FewFocusNodes(store, {}, shapes, {})
    ngosh = "https://w3id.org/ngograph/shapes#"
    programme = URIRef(ngosh + "ProgrammeShape")
    props = {str(shapes.value(p, SH.path)): p for p in shapes.objects(programme, SH.property)}
    assert few.focus_count(programme) == 1
    # 12 wasDerivedFrom triples >= 10 x 1 + 1: looked up; 1 dct:hasPart triple: hashed
    assert few(programme, props["http://www.w3.org/ns/prov#wasDerivedFrom"]) is True
    assert few(programme, props["http://purl.org/dc/terms/hasPart"]) is False
    # with ratio 12, 12 triples are not enough (12 x 1 + 1 = 13 is the least that is)
    assert _FewFocusNodes(store, {}, shapes, {}, ratio=12)(programme, props["http://www.w3.org/ns/prov#wasDerivedFrom"]) is False
    # 12 projects are more than most=11 focus nodes: always hashed
    project = URIRef(ngosh + "ProjectShape")
    derived = next(p for p in shapes.objects(project, SH.property)
                   if str(shapes.value(p, SH.path)) == "http://www.w3.org/ns/prov#wasDerivedFrom")
    assert _FewFocusNodes(store, {}, shapes, {}, most=11)(project, derived) is False
    assert _FewFocusNodes(store, {}, shapes, {}, most=12).focus_count(project) == 12
    # a SPARQL target is never counted as few
    assert few.focus_count(URIRef(ngosh + "GrantOverBudgetShape")) > few.most


def test_looked_up_and_hashed_give_the_same_results_on_a_hand_checked_graph(monkeypatch):
    data = FEW + """
ex:prog2 a ngo:Programme ; schema:name "Prog 2" ; <http://purl.org/dc/terms/hasPart> ex:doc .
"""
    shapes = load_shapes()
    reports = []
    for choice in (True, False):
        monkeypatch.setattr(_FewFocusNodes, "__call__", lambda self, shape, prop, c=choice: c)
        reports.append(results_set(validate_store(_store(data), shapes=shapes)))
    assert reports[0] == reports[1]
    programme = {(focus[len(EX):], path, component) for focus, path, _v, _s, shape, component, _m in reports[0]
                 if shape.startswith("ngosh:ProgrammeShape")}
    assert programme == {
        ("prog", "prov:wasDerivedFrom", "sh:MinCountConstraintComponent"),
        ("prog2", "prov:wasDerivedFrom", "sh:MinCountConstraintComponent"),
        ("prog2", "schema:name", "sh:DatatypeConstraintComponent"),  # "Prog 2" has no language tag
        ("prog2", "dct:hasPart", "sh:ClassConstraintComponent"),  # ex:doc is no project
    }


# ---------------------------------------------------------------- a sequence path, hashed per step

SEQUENCE = """
ex:g1 a schema:MonetaryGrant ; schema:amount ex:a1 , ex:a2 .
ex:a1 schema:value -5.0 .
ex:a2 schema:value 7.0 .
ex:g2 a schema:MonetaryGrant ; schema:amount ex:a3 .
ex:a3 schema:value 0.0 .
ex:t1 a ngo:Transaction ; schema:amount ex:a4 .
ex:a4 schema:value -9.0 .
"""


@pytest.mark.parametrize("looked_up", [False, True])
def test_a_sequence_path_reports_the_negative_amount_of_a_grant_only(monkeypatch, looked_up):
    monkeypatch.setattr(_FewFocusNodes, "__call__", lambda self, shape, prop: looked_up)
    graph = Graph().parse(data=PREFIXES + SEQUENCE, format="turtle")
    reference, fast_results = both(graph)
    assert fast_results == reference
    negative = {(focus[len(EX):], value) for focus, _p, value, _s, shape, component, _m in fast_results
                if component == "sh:MinInclusiveConstraintComponent"}
    # g2's 0.0 is not negative; the transaction's -9.0 is no grant's amount
    assert negative == {("g1", "-5")}


# ---------------------------------------------------------------- a SPARQL target, run only when needed

class CountingStore:
    """A pyoxigraph store that records the queries it runs."""

    def __init__(self, store: ox.Store):
        self.store, self.texts = store, []

    def query(self, text, **kwargs):
        self.texts.append(text)
        return self.store.query(text, **kwargs)

    def quads_for_pattern(self, *args):
        return self.store.quads_for_pattern(*args)


OVER_BUDGET = """
ex:project-m a schema:Project ; ngo:budget ex:b .
ex:b schema:value 900.0 ; schema:currency "EUR" .
ex:grant a schema:MonetaryGrant ; schema:fundedItem ex:project-m ; schema:amount ex:m .
ex:m schema:value {value} ; schema:currency "EUR" .
"""


@pytest.mark.parametrize("value, runs", [("900.0", False), ("1000.0", True)])
def test_a_sparql_target_runs_only_once_its_constraint_finds_a_row(value, runs):
    store = CountingStore(_store(OVER_BUDGET.replace("{value}", value)))
    report = validate_store(store, shapes=load_shapes())
    over = [r for r in report.results if r.shape == "ngosh:GrantOverBudgetShape"]
    assert [r.focus for r in over] == ([EX + "grant"] if runs else [])
    # the target's query (the constraint's own, with its grants "as sh:targetClass would pick them")
    targets = [t for t in store.texts if "SELECT DISTINCT ?this WHERE" in t and "?budget" in t]
    assert bool(targets) == runs


# ---------------------------------------------------------------- same names: once per organisation

SAME_NAMES = """
ex:org-a a org:FormalOrganization , schema:Organization ; schema:name "Recipient Government"@en .
ex:org-b a org:FormalOrganization , schema:Organization ; schema:name "Recipient Government"@en .
ex:org-c a org:FormalOrganization , schema:Organization ; schema:name "Recipient Government"@en .
ex:org-0 a ngo:InternationalNetwork ; schema:name "Recipient Government"@en .
ex:zz-project a schema:Project ; schema:name "Recipient Government"@en .
ex:org-d a org:FormalOrganization , schema:Organization ; schema:name "Recipient government"@en .
"""


def _same_names(turtle: str) -> set:
    """The same-name results of both validators on ``turtle`` (the same on both): (focus, value, message)."""
    reference, fast_results = both(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    assert fast_results == reference
    return {(focus[len(EX):], value, message) for focus, _p, value, _s, shape, _c, message in fast_results
            if shape == "ngosh:OrganisationSameNameShape"}


def test_same_name_is_reported_once_per_organisation_naming_the_last():
    same = _same_names(SAME_NAMES)
    # org-c is the last organisation typed org:FormalOrganization with the name (org-0 is typed with a
    # subclass only, so it is reported but never the last; zz-project is no organisation); org-d's name
    # differs in case: no result
    message = 'another organisation has the same name "Recipient Government": ' + EX + "org-c"
    assert same == {(org, "Recipient Government", message) for org in ("org-0", "org-a", "org-b")}


def test_same_name_compares_organisations_as_reconciled():
    """Two nodes that reconciliation merged (ngo:canonicalOrganisation) are one organisation: their shared name is
    no homonym (an import of the spreadsheet template gave 32 such warnings after merging 26 organisations); a
    third organisation with the name is still reported, and named as the last canonical one."""
    merged = SAME_NAMES + """
ex:org-b ngo:canonicalOrganisation ex:org-a .
ex:org-c ngo:canonicalOrganisation ex:org-a .
ex:x-1 a org:FormalOrganization ; schema:name "Solo"@en .
ex:x-2 a org:FormalOrganization ; schema:name "Solo"@en ; ngo:canonicalOrganisation ex:x-1 .
ex:t-1 a org:FormalOrganization ; schema:name "Twin"@en .
ex:t-2 a org:FormalOrganization ; schema:name "Twin"@en ; ngo:canonicalOrganisation ex:t-1 .
ex:t-3 a org:FormalOrganization ; schema:name "Twin"@en .
"""
    same = _same_names(merged)
    # org-a, org-b and org-c are one organisation, org-a; org-0 another with the name: reported, naming org-a, the
    # last of the two (by IRI); "Solo": one organisation, no result
    message = 'another organisation has the same name "Recipient Government": ' + EX + "org-a"
    # "Twin": t-1 (with t-2 merged into it) and t-3: one warning, on t-1, none on t-2 (it was warned too)
    twin = 'another organisation has the same name "Twin": ' + EX + "t-3"
    assert same == {("org-0", "Recipient Government", message), ("t-1", "Twin", twin)}


@pytest.mark.parametrize("turtle, nested", [
    ("", False),  # nothing fails: the first round's checks only
    # a source that is no source fails the grant's sh:node: the source shape's own checks run on it after
    ("ex:g a schema:MonetaryGrant ; prov:wasDerivedFrom ex:s .", True),
])
def test_progress_counts_each_check_once_and_the_nested_ones(turtle, nested):
    calls = []
    report = validate_store(_store(turtle), progress=lambda done, total: calls.append((done, total)))
    dones, totals = [d for d, _ in calls], [t for _, t in calls]
    assert dones == list(range(1, len(calls) + 1)) and dones[-1] == totals[-1]
    assert totals == sorted(totals) and (totals[-1] > totals[0]) is nested
    assert totals[0] == len(compile_check_count())
    assert any(r.component == "sh:NodeConstraintComponent" for r in report.results) is nested


def compile_check_count():
    from ngograph.validate.fast import compile_shapes
    return compile_shapes(load_shapes(), {}).checks
