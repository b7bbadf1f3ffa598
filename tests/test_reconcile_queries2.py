"""Every library query that lists organisations shows a reconciled organisation once, as its
canonical node: partners of a project, projects of an organisation (those of every node
reconciled with it), an organisation's partners, funders and their portfolios, the site's
indexes, the networks' funder facet. One tiny reconciled store: b2 is b, f2 is f."""

from __future__ import annotations

import pytest

from ngograph.queries.library import run
from ngograph.store.backends import Embedded
from ngograph.store.embedded import write_store

ID = "https://w3id.org/ngograph/id/"
S, NGO, SKOS = "https://schema.org/", "https://w3id.org/ngograph/def#", "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE, RDFS_LABEL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#FormalOrganization"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
ROLE = f"{ID}role/partner"


def o(name: str) -> str:
    return f"{ID}organisation/{name}"


def p(name: str) -> str:
    return f"{ID}project/{name}"


def _nt() -> str:
    """Projects p (a, b, b2) and q (a, b2); b2 reconciled to b. Funders f (of p, a grant of 100 EUR,
    budget 200) and f2 (of q, a grant of 50 EUR, budget 100); f2 reconciled to f."""
    lines = [f'<{ROLE}> <{SKOS}notation> "partner" .']
    for org, country in (("a", "LV"), ("b", "DK"), ("b2", "DK"), ("f", None), ("f2", None)):
        lines += [f"<{o(org)}> <{RDF_TYPE}> <{ORG}> .", f'<{o(org)}> <{RDFS_LABEL}> "{org.upper()}" .']
        if country:
            lines.append(f"<{o(org)}> <{S}addressCountry> <{ID}country/{country}> .")
    for c in ("LV", "DK"):
        lines += [f'<{ID}country/{c}> <{SKOS}notation> "{c}" .', f'<{ID}country/{c}> <{SKOS}prefLabel> "{c} land"@en .']
    for project, members, funder, amount, budget in (("p", ("a", "b", "b2"), "f", 100, 200), ("q", ("a", "b2"), "f2", 50, 100)):
        lines += [f"<{p(project)}> <{RDF_TYPE}> <{S}Project> .", f'<{p(project)}> <{RDFS_LABEL}> "{project.upper()}" .',
                  f'<{p(project)}> <{S}startDate> "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
                  f"<{p(project)}> <{S}funder> <{o(funder)}> ."]
        for m in members:
            x = f"<{ID}participation/{project}/{m}>"
            lines += [f"{x} <{NGO}inProject> <{p(project)}> .", f"{x} <{NGO}participant> <{o(m)}> .",
                      f"{x} <{NGO}role> <{ROLE}> .", f"<{p(project)}> <{S}member> <{o(m)}> ."]
        g, ga, pb = f"<{ID}grant/{project}>", f"<{ID}grant/{project}/amount>", f"<{ID}project/{project}/budget>"
        lines += [f"{g} <{RDF_TYPE}> <{S}MonetaryGrant> .", f"{g} <{S}funder> <{o(funder)}> .",
                  f"{g} <{S}fundedItem> <{p(project)}> .", f"{g} <{S}amount> {ga} .",
                  f'{ga} <{S}value> "{amount}"^^<{XSD_DECIMAL}> .', f'{ga} <{S}currency> "EUR" .',
                  f"<{p(project)}> <{NGO}budget> {pb} .", f'{pb} <{S}value> "{budget}"^^<{XSD_DECIMAL}> .',
                  f'{pb} <{S}currency> "EUR" .']
    lines += [f"<{o('b2')}> <{NGO}canonicalOrganisation> <{o('b')}> .",
              f"<{o('f2')}> <{NGO}canonicalOrganisation> <{o('f')}> ."]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    path = tmp_path_factory.mktemp("reconciled2") / "store"
    write_store(path, _nt().encode())
    return Embedded(path)


def _short(iri):
    return iri.rsplit("/", 1)[1] if iri else iri


def test_project_partners_list_the_canonical_node_once(backend):
    rows = run("project-partners", backend, {"project": p("p")})
    assert sorted((_short(r["organisation"]), r["name"], r["role"], r["country"]) for r in rows) == [
        ("a", "A", "partner", "LV"), ("b", "B", "partner", "DK")]
    rows = run("project-partners", backend, {"project": p("q")})  # b2 alone in q: shown as b
    assert sorted((_short(r["organisation"]), r["name"]) for r in rows) == [("a", "A"), ("b", "B")]


@pytest.mark.parametrize("given", ["b", "b2"])
def test_organisation_projects_of_every_reconciled_node(backend, given):
    rows = run("organisation-projects", backend, {"organisation": o(given)})
    assert sorted((_short(r["organisation"]), _short(r["project"]), r["title"], r["role"]) for r in rows) == [
        (given, "p", "P", "partner"), (given, "q", "Q", "partner")]


def test_organisation_projects_of_an_unmerged_node(backend):
    rows = run("organisation-projects", backend, {"organisation": o("a")})
    assert sorted(_short(r["project"]) for r in rows) == ["p", "q"]


def test_partner_neighbourhood_counts_a_reconciled_partner_once(backend):
    rows = run("site/partner-neighbourhood", backend, {"organisation": o("a")})
    assert [(_short(r["partner"]), r["name"], r["projects"]) for r in rows] == [("b", "B", 2)]
    rows = run("site/partner-neighbourhood", backend, {"organisation": o("b2")})  # b2 is b: a, never b itself
    assert [(_short(r["partner"]), r["projects"]) for r in rows] == [("a", 2)]


def test_funder_portfolios_join_a_reconciled_funder(backend):
    rows = run("funder-portfolios", backend)
    assert [(_short(r["funder"]), r["name"], r["currency"], r["projects"], float(r["total"])) for r in rows] == [
        ("f", "F", "EUR", 2, 150.0)]


def test_cofunding_rate_names_the_canonical_funder(backend):
    rows = run("cofunding-rate", backend)
    assert [(_short(r["project"]), _short(r["funder"]), float(r["ratePercent"])) for r in rows] == [
        ("p", "f", 50.0), ("q", "f", 50.0)]


def test_site_index_funders(backend):
    rows = run("site/index-funders", backend)
    assert [(_short(r["funder"]), r["name"], r["projects"]) for r in rows] == [("f", "F", 2)]


def test_site_index_countries_counts_an_organisation_once(backend):
    rows = run("site/index-countries", backend)
    assert [(r["code"], r["organisations"], r["projects"]) for r in rows] == [("DK", 1, 2), ("LV", 1, 2)]


def test_summary_counts_organisations_and_funders_once(backend):
    [row] = run("summary", backend)
    assert (row["organisations"], row["funders"], row["projects"], row["participations"]) == (3, 1, 2, 0)


def test_network_funder_facet_is_the_canonical_funder(backend):
    rows = [r for r in run("network/project-facets", backend) if "/project/" in r["project"]]  # grants have funders too
    assert [(_short(r["project"]), r["facet"], _short(r["value"])) for r in rows] == [("p", "funder", "f"), ("q", "funder", "f")]


def test_organisations_per_country_and_lead_partners_count_once(backend):
    rows = run("organisations-per-country", backend)
    assert sorted((r["country"], r["organisations"]) for r in rows) == [("DK", 1), ("LV", 1)]
