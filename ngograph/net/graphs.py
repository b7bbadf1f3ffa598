"""Stage: network. From the graph to networkx, through SPARQL SELECTs over the store
(``queries/network/*.rq``), not by turning every triple into an edge.

- :func:`bipartite_graph`: organisations and projects, an edge per participation;
- :func:`copartnership_graph`: organisations, an edge per pair that shares projects
  (``weight`` = number of shared projects, ``projects`` = their ids); funders left out
  unless ``include_funders=True``;
- :func:`country_graph`: ISO 3166-1 alpha-2 codes, ``weight`` = number of projects with
  members in both countries, ``pairs`` = number of organisation pairs behind it;
- :func:`funder_graph`: funders and the organisations whose projects they fund.

Nodes carry ``label`` (English name, else the original), ``country`` (alpha-2, empty for
international bodies) and ``type``. Every builder takes a :class:`NetworkData` (from
:func:`fetch`), which can be filtered by period, funder and theme first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

__all__ = ["NetworkData", "fetch", "bipartite_graph", "copartnership_graph", "country_graph", "funder_graph",
           "country_groups", "short_id"]


_KIND = re.compile(r"/(?:project|organisation)/(.+)$")


def short_id(iri: str) -> str:
    """The id of a project or organisation IRI: the path after its kind, which is the record
    id of a curated record and the whole source key of an imported one (an Interreg project's
    key ends with its start date, shared by other projects); else the last segment.

    >>> short_id("https://w3id.org/ngograph/id/organisation/eapn-latvia")
    'eapn-latvia'
    >>> short_id("https://w3id.org/ngograph/id/project/interreg/Aurora/TAB/Regular/2023-09-01")
    'interreg/Aurora/TAB/Regular/2023-09-01'
    """
    m = _KIND.search(iri.rstrip("/"))
    return m.group(1) if m else iri.rstrip("/").rsplit("/", 1)[-1]


def _year(value) -> int | None:
    return int(str(value)[:4]) if value not in (None, "") else None


@dataclass
class NetworkData:
    """Participation rows and project facets, the input of every graph builder.

    ``rows``: dicts with ``project``, ``organisation`` (short ids), ``role``, ``funding``
    (true for funders and administering bodies), ``start``/``end`` (years or None),
    ``start_date``/``end_date`` (as the source gives them, e.g. ``2018-08``, or ``""``),
    ``label``, ``country``, ``type``. ``facets``: ``{project: {"funder": {...}, "theme": {...}}}``.
    ``projects``: every project, also one without participations, as ``{project: {"label",
    "start_date", "end_date", "last_activity"}}`` (dates as the source gives them, or ``""``;
    ``last_activity`` is the latest date of the project's events).
    """

    rows: list[dict]
    facets: dict[str, dict[str, set]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    projects: dict[str, dict[str, str]] = field(default_factory=dict)

    def filter(self, *, start: int | None = None, end: int | None = None, funder: str | None = None,
               theme: str | None = None) -> "NetworkData":
        """Keep the projects active in ``[start, end]`` (years; a project without dates is
        dropped by a period filter; one without an end is active until its last known
        activity, as in the ``projects-active-in-year`` query), funded by ``funder`` (an id)
        and on ``theme`` (a notation)."""
        keep = set()
        dates: dict[str, tuple] = {p: (_year(v["start_date"]), _year(v["end_date"] or v.get("last_activity")))
                                   for p, v in self.projects.items()}
        for r in self.rows:
            dates.setdefault(r["project"], (r["start"], r["end"]))
        for project, (p_start, p_end) in dates.items():
            p_end = p_end if p_end is not None else p_start
            if (start is not None or end is not None) and p_start is None:
                continue
            if start is not None and p_end < start:
                continue
            if end is not None and p_start > end:
                continue
            f = self.facets.get(project, {})
            if funder is not None and funder not in f.get("funder", set()):
                continue
            if theme is not None and theme not in f.get("theme", set()):
                continue
            keep.add(project)
        return NetworkData([r for r in self.rows if r["project"] in keep],
                           {p: v for p, v in self.facets.items() if p in keep}, self.groups,
                           {p: v for p, v in self.projects.items() if p in keep})

    def organisations(self) -> dict[str, dict]:
        """``{organisation: {"label", "country", "type"}}``."""
        out = {}
        for r in self.rows:
            out.setdefault(r["organisation"], {"label": r["label"] or r["organisation"],
                                               "country": r["country"] or "", "type": r["type"] or ""})
        return out

    def members(self, include_funders: bool = False) -> dict[str, set[str]]:
        """``{project: {organisation, ...}}``: consortium members, plus funders if asked."""
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.rows:
            if not r["funding"] or (include_funders and r["role"] in ("funder", "co-funder")):
                out[r["project"]].add(r["organisation"])
        return dict(out)


def fetch(backend) -> NetworkData:
    """Read the participations, project facets and country groups from a backend
    (:class:`~ngograph.store.backends.Embedded`, ``InMemory`` or ``Remote``); a backend made
    with ``sources=[...]`` gives the network of those sources only, e.g.
    ``fetch(Embedded(".ngograph/store", sources=["curated"]))``."""
    from ngograph.queries.library import load_query, run

    rows = []
    for r in run(load_query("network/participations"), backend, max_rows=None, timeout=None):
        rows.append({
            "project": short_id(r["project"]), "organisation": short_id(r["organisation"]), "role": r["role"],
            "funding": bool(r["funding"]), "start": _year(r["start"]), "end": _year(r["end"]),
            "start_date": r["start"] or "", "end_date": r["end"] or "",
            "label": r["label"] or short_id(r["organisation"]), "country": r["country"] or "", "type": r["type"] or "",
        })
    facets: dict[str, dict[str, set]] = defaultdict(lambda: {"funder": set(), "theme": set()})
    for r in run(load_query("network/project-facets"), backend, max_rows=None, timeout=None):
        value = short_id(r["value"]) if r["facet"] == "funder" else r["value"]
        facets[short_id(r["project"])][r["facet"]].add(value)
    groups: dict[str, set[str]] = defaultdict(set)
    for r in run(load_query("network/country-groups"), backend, max_rows=None, timeout=None):
        groups[r["group"]].add(r["country"])
    projects: dict[str, dict[str, str]] = {}
    for r in run(load_query("network/projects"), backend, max_rows=None, timeout=None):
        projects.setdefault(short_id(r["project"]), {
            "label": r["label"] or "", "start_date": r["start"] or "", "end_date": r["end"] or "",
            "last_activity": r["lastActivity"] or ""})
    return NetworkData(rows, dict(facets), dict(groups), projects)


def country_groups(data: NetworkData) -> dict[str, str]:
    """``{country: group}`` from the country groups (a country in several groups takes the first by name)."""
    out = {}
    for group in sorted(data.groups):
        for c in data.groups[group]:
            out.setdefault(c, group)
    return out


def _add_org_nodes(G: nx.Graph, data: NetworkData, nodes=None) -> None:
    orgs = data.organisations()
    for o in sorted(nodes if nodes is not None else orgs):
        G.add_node(o, **orgs[o])


def bipartite_graph(data: NetworkData, *, include_funders: bool = True) -> nx.Graph:
    """Organisations (``bipartite=0``) and projects (``bipartite=1``), an edge per
    participation with its ``role``. Node ids are ``organisation/ID`` and ``project/ID``."""
    G = nx.Graph(kind="bipartite")
    orgs = data.organisations()
    for r in sorted(data.rows, key=lambda r: (r["project"], r["organisation"], r["role"])):
        if r["funding"] and not include_funders:
            continue
        o, p = f"organisation/{r['organisation']}", f"project/{r['project']}"
        G.add_node(o, bipartite=0, **orgs[r["organisation"]])
        G.add_node(p, bipartite=1, label=r["project"], country="", type="project")
        if G.has_edge(o, p):
            G.edges[o, p]["role"] += f" {r['role']}"
        else:
            G.add_edge(o, p, role=r["role"])
    return G


def copartnership_graph(data: NetworkData, *, include_funders: bool = False, keep_projects: bool = True) -> nx.Graph:
    """Organisations linked by shared projects.

    Edge ``weight`` = number of shared projects; ``projects`` = their ids, space-separated
    (left out with ``keep_projects=False``, for very large graphs). Every organisation that
    takes part is a node, also one with no partner.

    >>> rows = [dict(project=p, organisation=o, role="partner", funding=False, start=2019, end=2020,
    ...              label=o.upper(), country=c, type="ngo")
    ...         for p, o, c in [("p1", "a", "LV"), ("p1", "b", "DK"), ("p2", "a", "LV"), ("p2", "b", "DK"),
    ...                         ("p2", "c", "LV")]]
    >>> G = copartnership_graph(NetworkData(rows))
    >>> sorted(G.edges(data="weight"))
    [('a', 'b', 2), ('a', 'c', 1), ('b', 'c', 1)]
    >>> G.edges["a", "b"]["projects"], G.nodes["b"]["country"]
    ('p1 p2', 'DK')
    """
    members = data.members(include_funders)
    G = nx.Graph(kind="organisations")
    _add_org_nodes(G, data, {o for ms in members.values() for o in ms})
    if keep_projects:
        shared: dict[tuple[str, str], list[str]] = defaultdict(list)
        for project in sorted(members):
            for a, b in combinations(sorted(members[project]), 2):
                shared[a, b].append(project)
        for (a, b), projects in shared.items():
            G.add_edge(a, b, weight=len(projects), projects=" ".join(projects))
    else:
        counts: Counter = Counter()
        for ms in members.values():
            counts.update(combinations(sorted(ms), 2))
        G.add_weighted_edges_from((a, b, w) for (a, b), w in counts.items())
    return G


def country_graph(data: NetworkData, *, include_funders: bool = False) -> nx.Graph:
    """Countries (alpha-2) linked by joint projects.

    Edge ``weight`` = number of projects with members in both countries; ``pairs`` = number
    of (organisation, organisation) pairs across the two countries in those projects, counted
    once per project. Node ``organisations`` = organisations in the country.

    >>> rows = [dict(project=p, organisation=o, role="partner", funding=False, start=None, end=None,
    ...              label=o, country=c, type="ngo")
    ...         for p, o, c in [("p1", "a", "LV"), ("p1", "b", "DK"), ("p1", "c", "DK"), ("p2", "a", "LV"), ("p2", "b", "DK")]]
    >>> G = country_graph(NetworkData(rows))
    >>> G.edges["DK", "LV"]["weight"], G.edges["DK", "LV"]["pairs"], G.nodes["DK"]["organisations"]
    (2, 3, 2)
    """
    members = data.members(include_funders)
    orgs = data.organisations()
    G = nx.Graph(kind="countries")
    per_country: dict[str, set] = defaultdict(set)
    for ms in members.values():
        for o in ms:
            if orgs[o]["country"]:
                per_country[orgs[o]["country"]].add(o)
    from babel import Locale

    names = Locale("en").territories
    for c in sorted(per_country):
        G.add_node(c, label=names.get(c, c), country=c, type="country", organisations=len(per_country[c]))
    weight: Counter = Counter()
    pairs: Counter = Counter()
    for ms in members.values():
        by_country: dict[str, int] = Counter(orgs[o]["country"] for o in ms if orgs[o]["country"])
        for a, b in combinations(sorted(by_country), 2):
            weight[a, b] += 1
            pairs[a, b] += by_country[a] * by_country[b]
    for (a, b), w in sorted(weight.items()):
        G.add_edge(a, b, weight=w, pairs=pairs[a, b])
    return G


def funder_graph(data: NetworkData) -> nx.Graph:
    """Funders linked to the consortium members of the projects they fund; ``weight`` =
    number of such projects. Funder nodes have ``type`` ``funder`` in ``role``."""
    G = nx.Graph(kind="funders")
    orgs = data.organisations()
    funders: dict[str, set] = defaultdict(set)
    for r in data.rows:
        if r["role"] in ("funder", "co-funder"):
            funders[r["project"]].add(r["organisation"])
    members = data.members(False)
    for project in sorted(funders):
        for f in sorted(funders[project]):
            G.add_node(f, role="funder", **orgs[f])
            for o in sorted(members.get(project, ())):
                G.add_node(o, role="member", **orgs[o])
                w = G.edges[f, o]["weight"] + 1 if G.has_edge(f, o) else 1
                G.add_edge(f, o, weight=w)
    return G
