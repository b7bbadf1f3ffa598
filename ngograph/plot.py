"""Stage: plot. Figures of partnership networks with matplotlib.

Every function takes the data first and ``ax=None`` (a new figure when None) and returns
the Axes, so figures compose in notebooks and tests close them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib
import networkx as nx

from ngograph.config import PROJECT_ROOT

__all__ = ["component_layout", "plot_network", "plot_country_matrix", "plot_country_map", "plot_timeline", "plot_brokerage",
           "country_colours", "save"]

CENTROIDS_FILE = PROJECT_ROOT / "data" / "reference" / "country-positions.tsv"


def _axes(ax, size=(9, 7)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def country_colours(countries) -> dict[str, tuple]:
    """A stable colour per country (tab20, by sorted code); grey for no country."""
    cmap = matplotlib.colormaps["tab20"]
    codes = sorted({c for c in countries if c})
    out = {c: cmap(i % 20) for i, c in enumerate(codes)}
    out[""] = (0.6, 0.6, 0.6, 1.0)
    return out


def component_layout(G: nx.Graph, *, seed: int = 42) -> dict:
    """Positions that keep components apart and readable: each connected component laid out
    on its own (on a circle by community and country up to 40 nodes, Kamada-Kawai up to 300,
    spring above), scaled by the square root of its size; the largest on the left, the others
    packed in columns beside it."""
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    pos: dict = {}
    x, y, col_width = None, None, 0.0
    top = 0.0
    for i, comp in enumerate(comps):
        H = G.subgraph(comp)
        r = max(0.6, 1.25 * len(comp) ** 0.5)
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        elif len(comp) <= 40:
            # small components on a circle, grouped by community and then country: every label has room
            parts = nx.community.louvain_communities(H, seed=seed)
            rank = {n: i for i, part in enumerate(sorted(parts, key=lambda p: (-len(p), min(map(str, p))))) for n in part}
            order = sorted(comp, key=lambda n: (rank[n], G.nodes[n].get("country", ""), str(n)))
            local = nx.circular_layout(order)
        elif len(comp) <= 300:
            local = nx.kamada_kawai_layout(H, weight=None)
        else:
            local = nx.spring_layout(H, weight=None, seed=seed)
        if i == 0:
            cx, cy = 0.0, 0.0
            top, x, y = r, r * 2.2, r
        else:
            if y - 2 * r < -top:
                x, y, col_width = x + col_width * 2 + 1.5, top, 0.0
            cx, cy = x + r, y - r
            y -= 2 * r + 1.5
            col_width = max(col_width, r)
        for n, (px, py) in local.items():
            pos[n] = (cx + px * r, cy + py * r)
    return pos


def plot_network(G: nx.Graph, *, ax=None, size_by: dict | None = None, top: int = 10, seed: int = 42,
                 title: str | None = None):
    """The organisation network coloured by country, node size by ``size_by`` (a measure dict,
    default weighted degree), the ``top`` nodes labelled, edge width by weight."""
    ax = _axes(ax, (12, 8))
    if G.number_of_nodes() == 0:
        ax.set_axis_off()
        return ax
    size_by = size_by if size_by is not None else dict(G.degree(weight="weight"))
    pos = component_layout(G, seed=seed)
    colours = country_colours(d.get("country", "") for _, d in G.nodes(data=True))
    values = [size_by.get(n, 0) or 0 for n in G]
    vmax = max(values) or 1
    sizes = [40 + 600 * (v / vmax) for v in values]
    weights = [d.get("weight", 1) for _, _, d in G.edges(data=True)]
    wmax = max(weights, default=1)
    nx.draw_networkx_edges(G, pos, ax=ax, width=[0.3 + 2.0 * w / wmax for w in weights], alpha=0.2, edge_color="#555")
    nx.draw_networkx_nodes(G, pos, ax=ax, node_size=sizes, linewidths=0.6, edgecolors="white",
                           node_color=[colours[G.nodes[n].get("country", "")] for n in G])
    strength = dict(G.degree(weight="weight"))
    ranked = sorted(G, key=lambda n: (-(size_by.get(n, 0) or 0), -strength[n], str(n)))[:top]
    centre = {}
    for comp in nx.connected_components(G):
        xs, ys = zip(*(pos[n] for n in comp))
        for n in comp:
            centre[n] = (sum(xs) / len(xs), sum(ys) / len(ys))
    for n in ranked:
        (x, y), (cx, cy) = pos[n], centre[n]
        dx, dy = x - cx, y - cy
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        label = G.nodes[n].get("label", str(n))
        label = label if len(label) <= 30 else label[:29] + "…"
        ax.annotate(label, (x, y), xytext=(14 * dx / norm, 14 * dy / norm), textcoords="offset points",
                    ha="left" if dx >= 0 else "right", va="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    from matplotlib.lines import Line2D

    present = {G.nodes[n].get("country", "") for n in G}
    handles = [Line2D([], [], marker="o", ls="", color=colours[c], label=c or "international", markersize=7)
               for c in sorted(present, key=lambda c: (c == "", c))]
    ax.legend(handles=handles, title="country", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_title(title or "Partnership network (size: weighted degree; labels: top organisations)", fontsize=11)
    ax.margins(0.12)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    return ax


def plot_country_matrix(G: nx.Graph, *, ax=None, weight: str = "weight", title: str | None = None):
    """Country x country matrix of joint projects (the country graph's ``weight``)."""
    import numpy as np

    ax = _axes(ax, (7.5, 6.5))
    countries = sorted(G)
    index = {c: i for i, c in enumerate(countries)}
    m = np.zeros((len(countries), len(countries)), dtype=int)
    for a, b, d in G.edges(data=True):
        m[index[a], index[b]] = m[index[b], index[a]] = d.get(weight, 1)
    im = ax.imshow(m, cmap="Blues", vmin=0)
    ax.set_xticks(range(len(countries)), countries, fontsize=9)
    ax.set_yticks(range(len(countries)), countries, fontsize=9)
    for i in range(len(countries)):
        for j in range(len(countries)):
            if m[i, j]:
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if m[i, j] > m.max() * 0.6 else "black")
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="joint projects")
    ax.set_title(title or "Joint projects by country pair", fontsize=11)
    return ax


def _positions(path: Path = CENTROIDS_FILE) -> dict[str, tuple[float, float]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {r["alpha2"]: (float(r["lon"]), float(r["lat"])) for r in rows}


def plot_country_map(G: nx.Graph, *, ax=None, weight: str = "weight", title: str | None = None):
    """The country network on approximate geographic positions (capital cities, plain
    longitude/latitude): edge width by joint projects, node size by organisations."""
    ax = _axes(ax, (10, 6.5))
    known = _positions()
    pos = {c: known[c] for c in G if c in known}
    H = G.subgraph(pos)
    weights = [d.get(weight, 1) for _, _, d in H.edges(data=True)]
    wmax = max(weights, default=1)
    nx.draw_networkx_edges(H, pos, ax=ax, width=[0.5 + 4 * w / wmax for w in weights], alpha=0.35, edge_color="#1f5f8b")
    sizes = [120 + 60 * H.nodes[c].get("organisations", 1) for c in H]
    nx.draw_networkx_nodes(H, pos, ax=ax, node_size=sizes, node_color="#f4a261", edgecolors="#333", linewidths=0.6)
    nx.draw_networkx_labels(H, pos, ax=ax, font_size=8, font_weight="bold")
    ax.tick_params(left=True, bottom=True, labelleft=True, labelbottom=True)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_aspect(1.6)
    ax.margins(0.12)
    ax.grid(alpha=0.2)
    missing = sorted(set(G) - set(pos))
    ax.set_title((title or "Countries linked by joint projects") + (f"\n(no position for {', '.join(missing)})" if missing else ""),
                 fontsize=11)
    return ax


def _decimal_year(text: str, end: bool = False) -> float | None:
    """``2018-08`` -> 2018.583 (its start), or its end with ``end=True``."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], (parts[1] if len(parts) > 1 else None)
    if month is None:
        return year + (1.0 if end else 0.0)
    return year + (month - (0 if end else 1)) / 12


def plot_timeline(data, *, ax=None, title: str | None = None):
    """Projects as bars from start to end at the precision the source gives (a month, a
    year), coloured by funder (``data``: NetworkData). No stated end: a hatched bar to the end
    of the start period."""
    ax = _axes(ax, (11, 0.9 + 0.55 * max(3, len({r["project"] for r in data.rows}))))
    projects = {}
    for r in data.rows:
        projects.setdefault(r["project"], {"start": r.get("start_date", ""), "end": r.get("end_date", ""),
                                           "funders": set()})
        if r["role"] in ("funder", "co-funder"):
            projects[r["project"]]["funders"].add(r["label"])
    dated = sorted((p for p in projects.items() if p[1]["start"]), key=lambda p: (p[1]["start"], p[0]))
    funders = sorted({", ".join(sorted(v["funders"])) or "(no funder named)" for _, v in dated})
    cmap = matplotlib.colormaps["Set2"]
    colour = {f: cmap(i % 8) for i, f in enumerate(funders)}
    for i, (pid, v) in enumerate(dated):
        f = ", ".join(sorted(v["funders"])) or "(no funder named)"
        start = _decimal_year(v["start"])
        end = _decimal_year(v["end"] or v["start"], end=True)
        ax.barh(i, end - start, left=start, height=0.6, color=colour[f], edgecolor="#333", linewidth=0.5,
                hatch="//" if not v["end"] else None)
        ax.annotate(pid, (end, i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks([])
    ax.set_ylim(len(dated) - 0.5, -0.5)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colour[f], label=f) for f in funders], title="funder", loc="upper left",
              bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_xlabel("year (hatched: the source states no end)")
    lo = min((_decimal_year(v["start"]) for _, v in dated), default=0)
    hi = max((_decimal_year(v["end"] or v["start"], end=True) for _, v in dated), default=1)
    ax.set_xlim(int(lo), int(hi) + 2.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", alpha=0.25)
    ax.set_title(title or "Projects over time, by funder", fontsize=11)
    return ax


def plot_brokerage(roles: dict, *, labels: dict | None = None, ax=None, top: int = 12, title: str | None = None):
    """Stacked bars of Gould-Fernandez brokerage roles for the ``top`` brokers."""
    from ngograph.analysis import ROLES

    ranked = [n for n in sorted(roles, key=lambda n: (-roles[n]["total"], str(n))) if roles[n]["total"] > 0][:top]
    ax = _axes(ax, (9, 1.6 + 0.45 * max(2, len(ranked))))
    if not ranked:
        ax.text(0.5, 0.5, "no open two-paths: every partnership here is a clique,\nso no organisation brokers between others",
                transform=ax.transAxes, ha="center", va="center")
        ax.set_axis_off()
    else:
        cmap = matplotlib.colormaps["tab10"]
        left = [0] * len(ranked)
        for i, role in enumerate(ROLES):
            vals = [roles[n][role] for n in ranked]
            ax.barh(range(len(ranked)), vals, left=left, color=cmap(i), label=role)
            left = [a + b for a, b in zip(left, vals)]
        names = [(labels or {}).get(n, str(n)) for n in ranked]
        ax.set_yticks(range(len(ranked)), [n if len(n) <= 32 else n[:31] + "…" for n in names], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("open two-paths brokered (undirected: representative and gatekeeper count alike)")
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_title(title or "Brokerage roles (Gould & Fernandez 1989)", fontsize=11)
    return ax


def save(ax, path: Path) -> list[Path]:
    """Save the Axes' figure as PNG and SVG beside each other (``path`` without or with either suffix)."""
    from ngograph.fsutil import atomic_write_bytes
    import io

    path = Path(path)
    stem = path.with_suffix("") if path.suffix in (".png", ".svg") else path
    out = []
    for fmt in ("png", "svg"):
        buf = io.BytesIO()
        ax.figure.savefig(buf, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else None)
        out.append(atomic_write_bytes(stem.with_suffix(f".{fmt}"), buf.getvalue()))
    return out
