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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from operator import itemgetter

import networkx as nx
import numpy as np
from scipy import sparse

from ngograph.errors import DataError

__all__ = ["NetworkData", "fetch", "bipartite_graph", "copartnership_graph", "country_graph", "funder_graph",
           "country_groups", "short_id", "shared_projects", "PROJECT_LISTS_UP_TO"]


#: The rows' order: project, organisation, role.
_ROW_ORDER = itemgetter("project", "organisation", "role")

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


class NetworkData:
    """Participation rows, organisations and projects: the input of every graph builder.

    ``rows``: dicts with ``project``, ``organisation`` (short ids), ``role``, ``funding``
    (true for funders and administering bodies), and the organisation's ``label``,
    ``country`` and ``type``. ``projects``: every project, also one without participations, as
    ``{project: {"label", "start_date", "end_date", "last_activity"}}`` (dates as the source
    gives them, e.g. ``2018-08``, or ``""``; ``last_activity`` is the latest date of the
    project's events). ``facets``: ``{project: {"funder": {...}, "theme": {...}}}``.
    ``groups``: ``{group: {country, ...}}``.

    Read from a store by :func:`fetch`, ``projects`` and ``facets`` are read on first use:
    a network of every organisation needs neither. Rows made by hand may carry ``start``
    and ``end`` (years) for a project that ``projects`` does not list.
    """

    def __init__(self, rows: list[dict], facets: dict | None = None, groups: dict | None = None,
                 projects: dict | None = None, *, load: Callable[[str], dict] | None = None):
        self.rows = rows
        self.groups = groups if groups is not None else {}
        self._facets, self._projects, self._load = facets, projects, load

    @property
    def facets(self) -> dict[str, dict[str, set]]:
        if self._facets is None:
            self._facets = self._load("facets") if self._load else {}
        return self._facets

    @property
    def projects(self) -> dict[str, dict[str, str]]:
        if self._projects is None:
            self._projects = self._load("projects") if self._load else {}
        return self._projects

    def periods(self) -> dict[str, tuple[int | None, int | None]]:
        """``{project: (start year, end year)}``: the stated period, a project without an end
        active until its last activity; rows made by hand give theirs for other projects."""
        dates = {p: (_year(v["start_date"]), _year(v["end_date"] or v.get("last_activity")))
                 for p, v in self.projects.items()}
        for r in self.rows:
            if r["project"] not in dates:
                dates[r["project"]] = (r.get("start"), r.get("end"))
        return dates

    def filter(self, *, start: int | None = None, end: int | None = None, funder: str | None = None,
               theme: str | None = None) -> "NetworkData":
        """Keep the projects active in ``[start, end]`` (years; a project without dates is
        dropped by a period filter; one without an end is active until its last known
        activity, as in the ``projects-active-in-year`` query, and one whose end comes before its start in its
        start year), funded by ``funder`` (an id)
        and on ``theme`` (a notation). No filter: the same data."""
        if start is None and end is None and funder is None and theme is None:
            return self
        keep = set()
        for project, (p_start, p_end) in self.periods().items():
            # no end: active in its start year; an end before the start (a source's slip): the same
            p_end = p_start if p_end is None or (p_start is not None and p_end < p_start) else p_end
            if (start is not None or end is not None) and p_start is None:
                continue
            if start is not None and p_end < start:
                continue
            if end is not None and p_start > end:
                continue
            f = self.facets.get(project, {}) if funder is not None or theme is not None else {}
            if funder is not None and funder not in f.get("funder", set()):
                continue
            if theme is not None and theme not in f.get("theme", set()):
                continue
            keep.add(project)
        return NetworkData([r for r in self.rows if r["project"] in keep],
                           {p: v for p, v in self.facets.items() if p in keep} if self._facets is not None else None,
                           self.groups, {p: v for p, v in self.projects.items() if p in keep}, load=self._load)

    def organisations(self) -> dict[str, dict]:
        """``{organisation: {"label", "country", "type"}}``."""
        out = {}
        for r in self.rows:
            if r["organisation"] not in out:
                out[r["organisation"]] = {"label": r["label"] or r["organisation"], "country": r["country"] or "",
                                          "type": r["type"] or ""}
        return out

    def members(self, include_funders: bool = False) -> dict[str, set[str]]:
        """``{project: {organisation, ...}}``: consortium members, plus funders if asked."""
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.rows:
            if not r["funding"] or (include_funders and r["role"] in ("funder", "co-funder")):
                out[r["project"]].add(r["organisation"])
        return dict(out)


class _ShortIds(dict):
    """``short_id`` of each IRI, computed once per IRI (a network reads each many times)."""

    def __missing__(self, iri: str) -> str:
        self[iri] = value = short_id(iri)
        return value


def fetch(backend) -> NetworkData:
    """Read the participations, organisations and country groups from a backend
    (:class:`~ngograph.store.backends.Embedded`, ``InMemory`` or ``Remote``), and the projects
    and their facets when first used; a backend made with ``sources=[...]`` gives the network
    of those sources only, e.g. ``fetch(Embedded(".ngograph/store", sources=["curated"]))``."""
    from ngograph.queries.library import load_query, run

    def select(name: str):
        return run(load_query(f"network/{name}"), backend, max_rows=None, timeout=None)

    groups: dict[str, set[str]] = defaultdict(set)
    for r in select("country-groups"):  # first, alone: it opens the store
        groups[r["group"]].add(r["country"])
    # The organisations in a thread of their own while the participations are read here: Oxigraph lets
    # go of the GIL while it evaluates (CORDIS: 8.2-9.0 s -> 6.6 s on two cores). rdflib's engine holds it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        organisations = pool.submit(select, "organisations") if backend.name != "rdflib" else None
        participations = select("participations")
        organisation_rows = organisations.result() if organisations is not None else select("organisations")
    ids = _ShortIds()
    orgs: dict[str, dict] = {}
    for r in organisation_rows:
        o = ids[r["organisation"]]
        label, country, kind = r["label"] or "", r["country"] or "", r["type"] or ""
        if o in orgs:  # two labels, countries or kinds in two graphs: the first in code-point order
            old = orgs[o]
            label, country, kind = (min(filter(None, (old[k], v)), default="")
                                    for k, v in (("label", label), ("country", country), ("type", kind)))
        orgs[o] = {"label": label, "country": country, "type": kind}
    no_attributes = {"label": "", "country": "", "type": ""}
    rows = []
    for r in participations:  # an organisation and its participations, a line each: "project funding role"
        if r["participations"] is None:  # Oxigraph gives a blank node no text, and so the organisation no lines (rdflib
            # and Virtuoso give it its label, a project like any other)
            raise DataError([(None, f"{r['organisation']} takes part in a project that is a blank node: the networks "
                                    "need every project named by an IRI")])
        o = ids[r["organisation"]]
        attrs = orgs.get(o, no_attributes)
        label, country, kind = attrs["label"] or o, attrs["country"], attrs["type"]
        for line in set(r["participations"].split("\n")):  # a line given twice (network/participations): one row
            project, funding, role = line.split(" ", 2)
            rows.append({"project": ids[project], "organisation": o, "role": role, "funding": funding == "1",
                         "label": label, "country": country, "type": kind})
    rows.sort(key=_ROW_ORDER)

    def load(part: str) -> dict:
        if part == "facets":
            facets: dict[str, dict[str, set]] = defaultdict(lambda: {"funder": set(), "theme": set()})
            for r in select("project-facets"):
                value = ids[r["value"]] if r["facet"] == "funder" else r["value"]
                facets[ids[r["project"]]][r["facet"]].add(value)
            return dict(facets)
        projects: dict[str, dict[str, str]] = {}
        for r in select("projects"):
            p = projects.setdefault(ids[r["project"]], {"label": "", "start_date": "", "end_date": "",
                                                        "last_activity": r["lastActivity"] or ""})
            for key, value, pick in (("label", r["label"], min), ("start_date", r["start"], min),
                                     ("end_date", r["end"], max)):
                if value:
                    p[key] = pick(p[key], str(value)) if p[key] else str(value)
        return dict(sorted(projects.items()))

    return NetworkData(rows, None, dict(groups), None, load=load)


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
    for r in sorted(data.rows, key=_ROW_ORDER):
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


#: Up to this many organisations a co-partnership edge lists its shared projects by default.
PROJECT_LISTS_UP_TO = 5000


def copartnership_graph(data: NetworkData, *, include_funders: bool = False,
                        keep_projects: bool | None = None) -> nx.Graph:
    """Organisations linked by shared projects.

    Edge ``weight`` = number of shared projects; ``projects`` = their ids, space-separated
    (by default only up to :data:`PROJECT_LISTS_UP_TO` organisations: the lists of a large
    graph outweigh the graph; ``keep_projects`` True or False decides). Every organisation that
    takes part is a node, also one with no partner. The weights are one sparse product of the
    organisation-project incidence matrix with its transpose, so a graph of 800,000 ties
    takes about a second.

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
    nodes = sorted({o for ms in members.values() for o in ms})
    G = nx.Graph(kind="organisations")
    _add_org_nodes(G, data, nodes)
    if keep_projects is None:
        keep_projects = len(nodes) <= PROJECT_LISTS_UP_TO
    if keep_projects:
        shared: dict[tuple[str, str], list[str]] = defaultdict(list)
        for project in sorted(members):
            for a, b in combinations(sorted(members[project]), 2):
                shared[a, b].append(project)
        for (a, b), projects in sorted(shared.items()):
            G.add_edge(a, b, weight=len(projects), projects=" ".join(projects))
    else:
        _add_pairs(G, nodes, *shared_projects(members, nodes))
    return G


def _add_pairs(G: nx.Graph, nodes: list[str], a, b, w) -> None:
    """Add the weighted edges ``nodes[a[k]] - nodes[b[k]]`` (``a < b``, sorted, each pair once; the
    nodes already in ``G``) to a fresh ``G`` as ``G.add_weighted_edges_from`` would, each node's
    neighbours at once: networkx's own adjacency (one attribute dict shared by both directions)
    with the neighbours in the same order, which the algorithms' ties follow. CORDIS, 796,670
    ties: 2.5 s through ``add_weighted_edges_from``, 1.0 s so.

    >>> G = nx.Graph(); G.add_nodes_from("xyz")
    >>> _add_pairs(G, ["x", "y", "z"], np.array([0, 0]), np.array([1, 2]), np.array([2, 1]))
    >>> sorted(G.edges(data="weight")), list(G.adj["z"]), G["x"]["y"] is G["y"]["x"]
    ([('x', 'y', 2), ('x', 'z', 1)], ['x'], True)
    """
    n, m = len(nodes), len(w)
    upper = sparse.csr_matrix((np.arange(1, m + 1), (a, b)), shape=(n, n))  # each pair's number + 1
    both = (upper + upper.T).tocsr()  # (a, b) and (b, a) carry the same number
    both.sort_indices()  # each row's neighbours in node order, as add_weighted_edges_from leaves them
    names = np.empty(n, dtype=object)
    names[:] = nodes
    data = np.empty(m, dtype=object)
    data[:] = [{"weight": x} for x in w.tolist()]
    neighbours, attrs, start = names[both.indices].tolist(), data[both.data - 1].tolist(), both.indptr.tolist()
    adj = G._adj
    for i, node in enumerate(nodes):
        if start[i] != start[i + 1]:
            adj[node].update(zip(neighbours[start[i]:start[i + 1]], attrs[start[i]:start[i + 1]]))
    nx._clear_cache(G)


def shared_projects(members: dict[str, set[str]], nodes: list[str]):
    """The pairs of ``nodes`` (their indices ``a < b``, sorted) that share projects, and how
    many, from ``members`` (``{project: {node, ...}}``): the upper triangle of B·Bᵀ, B the
    node-project incidence matrix.

    >>> a, b, w = shared_projects({"p1": {"x", "y"}, "p2": {"x", "y", "z"}}, ["x", "y", "z"])
    >>> list(zip(a.tolist(), b.tolist(), w.tolist()))
    [(0, 1, 2), (0, 2, 1), (1, 2, 1)]
    """
    index = {n: i for i, n in enumerate(nodes)}
    rows = np.fromiter((index[o] for ms in members.values() for o in ms), dtype=np.int64)
    cols = np.repeat(np.arange(len(members)), [len(ms) for ms in members.values()])
    B = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(nodes), len(members)))
    pairs = sparse.triu(B @ B.T, k=1).tocoo()
    order = np.lexsort((pairs.col, pairs.row))
    return pairs.row[order], pairs.col[order], pairs.data[order]


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
    number of such projects. A node's ``role`` is ``funder``, ``member`` or, for one that funds some
    projects and is a member funded in others, ``funder and member``. A funder that is a member of a
    project it funds has no tie to itself."""
    G = nx.Graph(kind="funders")
    orgs = data.organisations()
    funders: dict[str, set] = defaultdict(set)
    for r in data.rows:
        if r["role"] in ("funder", "co-funder"):
            funders[r["project"]].add(r["organisation"])
    members = data.members(False)
    roles: dict[str, set] = defaultdict(set)
    for project in sorted(funders):
        for f in sorted(funders[project]):
            G.add_node(f, **orgs[f])
            roles[f].add("funder")
            for o in sorted(members.get(project, ())):
                if o == f:
                    continue
                G.add_node(o, **orgs[o])
                roles[o].add("member")
                w = G.edges[f, o]["weight"] + 1 if G.has_edge(f, o) else 1
                G.add_edge(f, o, weight=w)
    for n in G:
        G.nodes[n]["role"] = " and ".join(sorted(roles[n]))  # "funder and member" when both
    return G
