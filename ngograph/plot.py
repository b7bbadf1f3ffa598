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

__all__ = ["plot_network", "plot_country_matrix", "plot_country_map", "plot_timeline", "plot_brokerage",
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


def plot_network(G: nx.Graph, *, ax=None, size_by: dict | None = None, top: int = 10, seed: int = 42,
                 title: str | None = None):
    """The organisation network coloured by country, node size by ``size_by`` (a measure dict,
    default weighted degree), the ``top`` nodes labelled, edge width by weight."""
    ax = _axes(ax, (11, 8))
    if G.number_of_nodes() == 0:
        ax.set_axis_off()
        return ax
    size_by = size_by if size_by is not None else dict(G.degree(weight="weight"))
    pos = nx.spring_layout(G, weight="weight", seed=seed, k=1.6 / max(1, G.number_of_nodes()) ** 0.5)
    colours = country_colours(d.get("country", "") for _, d in G.nodes(data=True))
    values = [size_by.get(n, 0) or 0 for n in G]
    vmax = max(values) or 1
    sizes = [60 + 900 * (v / vmax) for v in values]
    weights = [d.get("weight", 1) for _, _, d in G.edges(data=True)]
    wmax = max(weights, default=1)
    nx.draw_networkx_edges(G, pos, ax=ax, width=[0.4 + 2.2 * w / wmax for w in weights], alpha=0.25, edge_color="#555")
    nx.draw_networkx_nodes(G, pos, ax=ax, node_size=sizes, linewidths=0.6, edgecolors="white",
                           node_color=[colours[G.nodes[n].get("country", "")] for n in G])
    ranked = sorted(G, key=lambda n: size_by.get(n, 0) or 0, reverse=True)[:top]
    for n in ranked:
        x, y = pos[n]
        label = G.nodes[n].get("label", str(n))
        label = label if len(label) <= 28 else label[:27] + "…"
        ax.annotate(label, (x, y), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75})
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color=colours[c], label=c or "international", markersize=7)
               for c in sorted(colours, key=lambda c: (c == "", c))
               if any(G.nodes[n].get("country", "") == c for n in G)]
    ax.legend(handles=handles, title="country", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_title(title or "Partnership network (size: weighted degree; labels: top organisations)", fontsize=11)
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
    ax = _axes(ax, (8, 7.5))
    known = _positions()
    pos = {c: known[c] for c in G if c in known}
    H = G.subgraph(pos)
    weights = [d.get(weight, 1) for _, _, d in H.edges(data=True)]
    wmax = max(weights, default=1)
    nx.draw_networkx_edges(H, pos, ax=ax, width=[0.5 + 4 * w / wmax for w in weights], alpha=0.35, edge_color="#1f5f8b")
    sizes = [120 + 60 * H.nodes[c].get("organisations", 1) for c in H]
    nx.draw_networkx_nodes(H, pos, ax=ax, node_size=sizes, node_color="#f4a261", edgecolors="#333", linewidths=0.6)
    nx.draw_networkx_labels(H, pos, ax=ax, font_size=8, font_weight="bold")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect(1.6)
    ax.margins(0.12)
    ax.grid(alpha=0.2)
    missing = sorted(set(G) - set(pos))
    ax.set_title((title or "Countries linked by joint projects") + (f"\n(no position for {', '.join(missing)})" if missing else ""),
                 fontsize=11)
    return ax


def plot_timeline(data, *, ax=None, title: str | None = None):
    """Projects as bars from start to end year, coloured by funder (``data``: NetworkData)."""
    ax = _axes(ax, (10, 5))
    projects = {}
    for r in data.rows:
        projects.setdefault(r["project"], {"start": r["start"], "end": r["end"], "funders": set()})
        if r["role"] in ("funder", "co-funder"):
            projects[r["project"]]["funders"].add(r["label"])
    dated = sorted((p for p in projects.items() if p[1]["start"] is not None), key=lambda p: (p[1]["start"], p[0]))
    funders = sorted({", ".join(sorted(v["funders"])) or "(no funder named)" for _, v in dated})
    cmap = matplotlib.colormaps["Set2"]
    colour = {f: cmap(i % 8) for i, f in enumerate(funders)}
    for i, (pid, v) in enumerate(dated):
        f = ", ".join(sorted(v["funders"])) or "(no funder named)"
        end = v["end"] if v["end"] is not None else v["start"]
        ax.barh(i, end - v["start"] + 1, left=v["start"], color=colour[f], edgecolor="#333", linewidth=0.5,
                hatch="//" if v["end"] is None else None)
        ax.text(v["start"] + 0.05, i, pid, va="center", fontsize=8)
    ax.set_yticks([])
    ax.invert_yaxis()
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colour[f], label=f) for f in funders], loc="lower right", fontsize=8, frameon=False)
    ax.set_xlabel("year (hatched: no end date stated)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title or "Projects over time, by funder", fontsize=11)
    return ax


def plot_brokerage(roles: dict, *, labels: dict | None = None, ax=None, top: int = 12, title: str | None = None):
    """Stacked bars of Gould-Fernandez brokerage roles for the ``top`` brokers."""
    from ngograph.analysis import ROLES

    ax = _axes(ax, (9, 5.5))
    ranked = [n for n in sorted(roles, key=lambda n: (-roles[n]["total"], str(n))) if roles[n]["total"] > 0][:top]
    cmap = matplotlib.colormaps["tab10"]
    left = [0] * len(ranked)
    for i, role in enumerate(ROLES):
        vals = [roles[n][role] for n in ranked]
        ax.barh(range(len(ranked)), vals, left=left, color=cmap(i), label=role)
        left = [a + b for a, b in zip(left, vals)]
    names = [(labels or {}).get(n, str(n)) for n in ranked]
    ax.set_yticks(range(len(ranked)), [n if len(n) <= 32 else n[:31] + "…" for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("open two-paths brokered")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    if not ranked:
        ax.text(0.5, 0.5, "no open two-paths: every partnership is a clique", transform=ax.transAxes, ha="center")
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
