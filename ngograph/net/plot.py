"""Stage: plot. Figures of partnership networks with matplotlib.

Every function takes the data first and ``ax=None`` (a new figure when None) and returns
the Axes, so figures compose in notebooks and tests close them. Legends stand outside the
drawing, so they never hide a bar or a node. :func:`save` writes a figure as PNG and SVG, or
in the one format its suffix names.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from collections import Counter
from pathlib import Path

import matplotlib
import networkx as nx
from babel import Locale
from matplotlib.colors import BoundaryNorm, LogNorm, Normalize, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ngograph import config, resources
from ngograph.errors import ConfigError
from ngograph.fsutil import atomic_write_bytes
from ngograph.textclip import one_line

__all__ = ["component_layout", "plot_network", "plot_country_matrix", "plot_country_map", "plot_timeline", "plot_brokerage",
           "country_colours", "timeline_projects", "active_per_year", "reference_dir", "output_paths", "save", "FORMATS",
           "DRAWN_LIMIT", "TIMELINE_LIMIT"]

POSITIONS_FILE = "country-positions.tsv"
OUTLINES_FILE = "europe-countries.geojson"
FORMATS = (".png", ".svg", ".pdf")
#: graphs up to this size get every node numbered in the key; larger ones only the ``top`` nodes
KEY_LIMIT = 60
#: An organisation without a country (the data gives none: an intergovernmental body, and as often a funder or a
#: government whose record names no country), in the network's key and colour legend.
NO_COUNTRY_LABEL = "no country"
#: The most organisations :func:`plot_network` draws: the imported CORDIS network's 41,855 nodes and 800,000 ties
#: make a blot, and their spring layout had not finished after 15 minutes.
DRAWN_LIMIT = 150


def _axes(ax, size=(9, 7), layout: str = "constrained"):
    """``ax``, else the Axes of a new figure of ``size`` inches laid out by ``layout`` ("compressed" for an Axes of
    fixed aspect: "constrained" placed a map's legend and latitude label by the Axes before its aspect shrank it, and
    cut both at the figure's edges)."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size, layout=layout)
    return ax


def _wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, never cut, as matplotlib shows it to the letter:
    every ``$`` escaped (two of them in one figure text are read as a formula, and "US$ 5 ... $x" stopped the figure)
    and no control character (:func:`~ngograph.textclip.one_line`).

    >>> _wrap("Association of National Cultural Societies of Jelgava", 30)
    'Association of National\\nCultural Societies of Jelgava'
    >>> _wrap("Grants of US$ 5 and $x", 40)
    'Grants of US\\\\$ 5 and \\\\$x'
    """
    text = one_line(text).replace("$", r"\$")
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def reference_dir(data: str | Path | None = None) -> Path:
    """The reference tables: ``reference/`` in the curated data folder (``--data``,
    ``$NGOGRAPH_DATA``, else ``data/``) where it has one, else the tables ngograph ships."""
    return resources.reference_dir(config.data_dir(data))


def _reference_file(folder: Path | None, name: str) -> Path:
    path = (Path(folder) if folder is not None else reference_dir()) / name
    if not path.is_file():
        raise ConfigError(f"{path}: missing; the map reads it from reference/ in the data folder (--data or $NGOGRAPH_DATA)")
    return path


#: The colour of the countries beyond the 17 a figure tells apart, and of no country.
OTHER_COUNTRIES, NO_COUNTRY = (0.87, 0.80, 0.66, 1.0), (0.6, 0.6, 0.6, 1.0)


def country_colours(countries) -> dict[str, tuple]:
    """A colour per country of ``countries`` (one per node), no two alike: by code, tab20's dark colours
    first, then its light ones, its two greys left out (up to nine countries, nine hues); of more than 18 countries, the
    17 with the most nodes (then by code) have their own and the others share :data:`OTHER_COUNTRIES` (tab20 by index
    modulo 20 gave 23 countries 20 colours, Sweden Austria's); grey for no country, and for no country only.

    >>> c = country_colours(["LV", "DK", "LV", ""])
    >>> c["DK"] != c["LV"], c[""] == NO_COUNTRY
    (True, True)
    >>> many = country_colours([f"C{i:02d}" for i in range(25)] + ["C24"])
    >>> len({many[f"C{i:02d}"] for i in range(25)}), many["C24"] != OTHER_COUNTRIES, many["C23"] == OTHER_COUNTRIES
    (18, True, True)
    >>> [code for code, (r, g, b, _) in country_colours([f"C{i:02d}" for i in range(18)]).items() if code and r == g == b]
    []
    """
    cmap = matplotlib.colormaps["tab20"]
    # tab20 without its two greys (7th pair), which a country shared with no country's grey (Russia's, in a review)
    palette = [cmap(i) for i in (*range(0, 20, 2), *range(1, 20, 2)) if i not in (14, 15)]
    counts = Counter(c for c in countries if c)
    codes = sorted(counts)
    own = codes if len(codes) <= len(palette) else sorted(sorted(codes, key=lambda c: (-counts[c], c))[:len(palette) - 1])
    out = dict.fromkeys(codes, OTHER_COUNTRIES)
    out.update({c: palette[i] for i, c in enumerate(own)})
    out[""] = NO_COUNTRY
    return out


def _country_name(code: str) -> str:
    return Locale("en").territories.get(code, code) if code else NO_COUNTRY_LABEL


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
            top, x, y = r, r * 1.6, r
        else:
            if y - 2 * r < -top:
                x, y, col_width = x + col_width * 2 + 1.5, top, 0.0
            cx, cy = x + r, y - r
            y -= 2 * r + 0.8
            col_width = max(col_width, r)
        for n, (px, py) in local.items():
            pos[n] = (cx + px * r, cy + py * r)
    return pos


def _numbering(G: nx.Graph, pos: dict, chosen) -> dict:
    """``{node: 1..n}`` for the ``chosen`` nodes: component by component in layout order
    (largest first), clockwise from the top within each, so neighbours in the key are
    neighbours in the figure."""
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    chosen = set(chosen)
    out = {}
    for comp in comps:
        xs, ys = zip(*(pos[n] for n in comp))
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        clockwise = sorted(comp, key=lambda n: ((math.atan2(pos[n][0] - cx, pos[n][1] - cy)) % (2 * math.pi), str(n)))
        for n in clockwise:
            if n in chosen:
                out[n] = len(out) + 1
    return out


def _ink(colour) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = to_rgb(colour)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def _size_values(values: list[float]) -> list[float]:
    """Up to three round values spanning ``values`` for a size legend."""
    lo, hi = min(values), max(values)
    return sorted({float(f"{v:.2g}") for v in (lo, (lo + hi) / 2, hi)})


def _size_rows(markers: list[tuple[float, str]], pitch: float, **style) -> tuple[list, list[str]]:
    """A size legend's rows: a circle of each ``(diameter in points, text)``, with an empty row between two circles
    too large for the rows' ``pitch`` (points from one row's centre to the next), which drew them over each other.

    >>> handles, texts = _size_rows([(11.0, "3"), (32.0, "3899"), (33.0, "4000")], 16.0)
    >>> texts, [h.get_markersize() for h in handles]
    (['3', '', '3899', '', '', '4000'], [11.0, 0.0, 32.0, 0.0, 0.0, 33.0])
    """
    handles: list = []
    texts: list[str] = []
    for i, (diameter, text) in enumerate(markers):
        if i:
            gap = (markers[i - 1][0] + diameter) / 2  # from centre to centre, the two circles just touching
            for _ in range(max(0, math.ceil(gap / pitch) - 1)):
                handles.append(Line2D([], [], ls="", marker="", markersize=0.0))
                texts.append("")
        handles.append(Line2D([], [], ls="", marker="o", markersize=diameter, **style))
        texts.append(text)
    return handles, texts


def plot_network(G: nx.Graph, *, ax=None, size_by: dict | None = None, size_label: str | None = None,
                 top: int = 10, seed: int = 42, title: str | None = None, limit: int | None = DRAWN_LIMIT):
    """The organisation network coloured by country, node size by ``size_by`` (a measure dict,
    default weighted degree, named ``size_label`` in the legend, default "measure"), edge width by weight.

    Every node carries a number, and a key beside the figure gives each number its full name
    and country, numbered around the figure (graphs of more than :data:`KEY_LIMIT` nodes: only the ``top``
    nodes by ``size_by``, numbered by their rank, 1 the highest). Legends for colour (country) and node size stand on the other side. Of a graph of more than
    ``limit`` nodes (None: no limit) only the ``limit`` ranked highest by ``size_by`` are drawn, with the ties among
    them, and the title says so."""
    n_nodes = G.number_of_nodes()
    if n_nodes == 0:
        ax = _axes(ax)
        ax.set_axis_off()
        return ax
    size_label = size_label or ("weighted degree" if size_by is None else "measure")
    size_by = size_by if size_by is not None else dict(G.degree(weight="weight"))
    strength = dict(G.degree(weight="weight"))
    ranked = sorted(G, key=lambda n: (-(size_by.get(n, 0) or 0), -strength[n], str(n)))
    if limit is not None and n_nodes > limit:
        title = title or f"Partnership network: the {limit} of {n_nodes:,} organisations with the highest {size_label}"
        ranked = ranked[:limit]
        G, n_nodes = G.subgraph(ranked), limit
    keyed = ranked if n_nodes <= KEY_LIMIT else ranked[:top]
    values = [size_by.get(n, 0) or 0 for n in G]
    present = sorted({G.nodes[n].get("country", "") for n in G}, key=lambda c: (c == "", c))
    # the side legend's rows (countries, a gap, the size title and values) set the height too: the layout shrank the
    # network to a speck beside the 25 countries of the CORDIS network's top organisations
    rows = len(present) + 2 + len(_size_values(values))
    ax = _axes(ax, (14, max(5.5, 1.5 + 0.2 * (len(keyed) if len(keyed) <= 32 else len(keyed) / 2), 1.0 + 0.32 * rows)))
    pos = component_layout(G, seed=seed)
    colours = country_colours(d.get("country", "") for _, d in G.nodes(data=True))
    vmax = max(values) or 1

    def area(v):
        return 150 + 650 * (v / vmax)

    weights = [d.get("weight", 1) for _, _, d in G.edges(data=True)]
    wmax = max(weights, default=1)
    nx.draw_networkx_edges(G, pos, ax=ax, width=[0.3 + 2.0 * w / wmax for w in weights], alpha=0.2, edge_color="#555")
    node_colour = {n: colours[G.nodes[n].get("country", "")] for n in G}
    nx.draw_networkx_nodes(G, pos, ax=ax, node_size=[area(v) for v in values], linewidths=0.6, edgecolors="white",
                           node_color=[node_colour[n] for n in G])
    # every node keyed: numbered around the figure, neighbours in the key neighbours in it; only the top ones: by rank
    number = _numbering(G, pos, keyed) if len(keyed) == n_nodes else {n: i for i, n in enumerate(keyed, 1)}
    for n, i in number.items():
        ax.text(*pos[n], str(i), ha="center", va="center", fontsize=7, fontweight="bold", color=_ink(node_colour[n]),
                gid=f"node-number-{i}")
    key = [(i, n) for n, i in sorted(number.items(), key=lambda kv: kv[1])]
    blank = Line2D([], [], ls="", marker="")
    labels = [f"{i}. " + _wrap(f"{G.nodes[n].get('label', str(n))} ({G.nodes[n].get('country') or NO_COUNTRY_LABEL})", 50)
              for i, n in key]
    heading = "key" if len(key) == n_nodes else f"key (top {len(key)} of {n_nodes})"
    key_legend = ax.legend([blank] * len(key), labels, title=heading, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                           frameon=False, fontsize=8, handlelength=0, handletextpad=0, ncol=1 if len(key) <= 32 else 2,
                           alignment="left")
    ax.add_artist(key_legend)
    key_legend.set_clip_on(False)  # add_artist clips to the axes, which would hide it and keep it out of the layout
    shown = [c for c in present if colours[c] != OTHER_COUNTRIES]
    others = len(present) - len(shown)
    handles = [Line2D([], [], marker="o", ls="", color=colours[c], markersize=7) for c in shown]
    texts = [f"{c} {_country_name(c)}" if c else NO_COUNTRY_LABEL for c in shown]
    if others:
        handles.insert(len(shown) - ("" in shown), Line2D([], [], marker="o", ls="", color=OTHER_COUNTRIES, markersize=7))
        texts.insert(len(shown) - ("" in shown), f"{others} other countries")
        present = [*shown, "other"]
    handles.append(blank)
    texts.append("")
    handles.append(Line2D([], [], ls="", marker="", label=size_label))
    texts.append(f"size: {size_label}")
    sizes = _size_rows([(area(v) ** 0.5, f"{v:g}") for v in _size_values(values)], 8 * (1 + 1.5), color="#aaa")
    handles += sizes[0]
    texts += sizes[1]
    side = ax.legend(handles, texts, title="colour: country", loc="upper right", bbox_to_anchor=(0.0, 1.0), frameon=False,
                     fontsize=8, alignment="left", labelspacing=1.5, borderpad=0, handlelength=3.5)
    side.get_texts()[len(present) + 1].set_fontweight("bold")
    ax.set_title(title or f"Partnership network (size: {size_label}; numbers: see key)", fontsize=11)
    ax.margins(0.06)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    return ax


def plot_country_matrix(G: nx.Graph, *, ax=None, weight: str = "weight", title: str | None = None,
                        limit: int = 25):
    """Country x country matrix of joint projects (the country graph's ``weight``); the colour
    bar counts whole projects. With more than ``limit`` countries (real imports name 130 and
    more) only the ``limit`` with the most joint projects are drawn, a note under the matrix
    says how many are left out, and above a hundred projects a cell's colour is on a log scale
    (a few pairs with thousands would leave every other cell white)."""
    import numpy as np

    ax = _axes(ax, (7.5, 6.5))
    total = {c: sum(d.get(weight, 1) for *_, d in G.edges(c, data=True)) for c in G}
    shown = sorted(sorted(G, key=lambda c: (-total[c], c))[:limit])
    index = {c: i for i, c in enumerate(shown)}
    m = np.zeros((len(shown), len(shown)), dtype=int)
    for a, b, d in G.edges(data=True):
        if a in index and b in index:
            m[index[a], index[b]] = m[index[b], index[a]] = d.get(weight, 1)
    top = max(int(m.max()), 1)
    cmap = matplotlib.colormaps["Blues"]
    # one colour band per whole number of projects when there are few, so the bar reads in integers
    if top <= 12:
        norm = BoundaryNorm([k - 0.5 for k in range(top + 2)], cmap.N)
    elif top > 100:
        norm = LogNorm(vmin=1, vmax=top)
    else:
        norm = Normalize(vmin=0, vmax=top)
    shade = np.ma.masked_equal(m, 0) if isinstance(norm, LogNorm) else m
    cmap = cmap.with_extremes(bad=cmap(0.0))
    im = ax.imshow(shade, cmap=cmap, norm=norm)
    for i in range(len(shown)):  # a country with itself is no pair of this graph: grey, not the colour of 0
        ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, facecolor="0.82", edgecolor="none", gid=f"diagonal-{i}"))
    ax.set_xticks(range(len(shown)), shown, fontsize=9, rotation=90 if len(shown) > 12 else 0)
    ax.set_yticks(range(len(shown)), shown, fontsize=9)
    size = 8 if top < 100 and len(shown) <= 15 else 5.5
    for i in range(len(shown)):
        for j in range(len(shown)):
            if m[i, j]:
                ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=size,
                        color="white" if norm(m[i, j]) > 0.6 else "black")
    label = "joint projects (log scale)" if isinstance(norm, LogNorm) else "joint projects"
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.8, label=label)
    if top <= 12:
        bar.set_ticks(range(top + 1))
    elif not isinstance(norm, LogNorm):
        bar.set_ticks(MaxNLocator(integer=True))
    bar.minorticks_off()
    notes = ["grey: a country with itself (projects within one country are not counted here)"]
    if len(G) > len(shown):
        notes.append(f"not shown: {len(G) - len(shown)} more countries with fewer joint projects")
    ax.annotate("\n".join(notes), (0, -0.12 if len(shown) > 12 else -0.08), xycoords="axes fraction", fontsize=8,
                style="italic", color="0.3", va="top")
    ax.set_title(title or "Joint projects by country pair", fontsize=11)
    return ax


#: Capitals closer than this (degrees) get their labels pushed apart (Vienna and Bratislava: 0.7; Helsinki and
#: Tallinn: 0.8), by :data:`LABEL_PUSH` points away from the nearest one.
LABEL_NEAR, LABEL_PUSH = 1.5, 7.0
#: The map's land: a country with organisations in the graph, and one without.
LAND_WITH, LAND_WITHOUT = "#efe9dc", "#f7f7f5"


def label_offsets(pos: dict[str, tuple[float, float]], near: float = LABEL_NEAR) -> dict[str, tuple[float, float]]:
    """Where each country's label stands, in points from its node: on it (0, 0), or, when another node is within
    ``near`` degrees, pushed away from the nearest such node, rounded to the nearest of the eight directions, so that
    two labels never print over each other ("AT" and "SK" read "AŞK").

    >>> label_offsets({"AT": (16.37, 48.21), "SK": (17.11, 48.15), "FI": (24.94, 60.17), "EE": (24.75, 59.44),
    ...                "PT": (-9.14, 38.72)})
    {'AT': (-7.0, 0.0), 'SK': (7.0, 0.0), 'FI': (0.0, 7.0), 'EE': (0.0, -7.0), 'PT': (0.0, 0.0)}
    """
    out = {}
    for code, (x, y) in pos.items():
        others = [(math.dist((x, y), p), p) for c, p in pos.items() if c != code]
        distance, (ox_, oy) = min(others, default=(math.inf, (x, y)))
        if distance >= near:
            out[code] = (0.0, 0.0)
            continue
        angle = round(math.atan2(y - oy, x - ox_) / (math.pi / 4)) * (math.pi / 4)
        out[code] = (round(LABEL_PUSH * math.cos(angle), 1) + 0.0, round(LABEL_PUSH * math.sin(angle), 1) + 0.0)
    return out


def _positions(path: Path) -> dict[str, tuple[float, float]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {r["alpha2"]: (float(r["lon"]), float(r["lat"])) for r in rows}


def _outlines(path: Path) -> list[tuple[str, MplPath]]:
    """``[(alpha2, path)]``: each country of the GeoJSON as one matplotlib path (holes kept)."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: not a GeoJSON FeatureCollection ({exc})") from None
    out = []
    for f in features:
        geometry = f["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [ring for polygon in polygons for ring in polygon]
        out.append((f["properties"].get("alpha2", ""), MplPath.make_compound_path(*(MplPath(r, closed=True) for r in rings))))
    return out


def plot_country_map(G: nx.Graph, *, ax=None, weight: str = "weight", reference: str | Path | None = None,
                     title: str | None = None):
    """The country network on a map of Europe: country outlines (Natural Earth 1:50m, from
    ``reference/europe-countries.geojson``), nodes at the capitals (``reference/country-positions.tsv``),
    edge width by joint projects, node size by organisations, with a legend for both.
    ``reference``: the folder of those files (default: :func:`reference_dir`)."""
    ax = _axes(ax, (11, 7), "compressed")  # the aspect of a map is fixed
    known = _positions(_reference_file(reference, POSITIONS_FILE))
    outlines = _outlines(_reference_file(reference, OUTLINES_FILE))
    pos = {c: known[c] for c in G if c in known}
    H = G.subgraph(pos)
    for code, path in outlines:
        ax.add_patch(PathPatch(path, facecolor=LAND_WITH if code in pos else LAND_WITHOUT, edgecolor="#9a9a9a",
                               linewidth=0.5, zorder=0))
    ax.set_facecolor("#e8f1f8")
    weights = [d.get(weight, 1) for _, _, d in H.edges(data=True)]
    wmax = max(weights, default=1)

    def width(w):
        return 0.5 + 4 * w / wmax

    orgs = [H.nodes[c].get("organisations", 1) for c in H]
    # 60 points² an organisation up to 15 of them, then the largest country at 900 + 120: the imported store's 3,901
    # organisations of one country drew a circle over half of Europe
    per_org = 60 * min(1.0, 15 / max(*orgs, 1))

    def area(k):
        return 120 + per_org * k

    nx.draw_networkx_edges(H, pos, ax=ax, width=[width(w) for w in weights], alpha=0.45, edge_color="#1f5f8b")
    nx.draw_networkx_nodes(H, pos, ax=ax, node_size=[area(k) for k in orgs], node_color="#f4a261", edgecolors="#333",
                           linewidths=0.6)
    for code, (dx, dy) in label_offsets(pos).items():
        ax.annotate(code, pos[code], xytext=(dx, dy), textcoords="offset points", fontsize=8, fontweight="bold",
                    ha="center" if dx == 0 else "left" if dx > 0 else "right",
                    va="center" if dy == 0 else "bottom" if dy > 0 else "top", gid=f"country-label-{code}")
    lons = [p[0] for p in pos.values()] or [10.0, 30.0]
    lats = [p[1] for p in pos.values()] or [45.0, 60.0]
    mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_lon = max((max(lons) - min(lons)) / 2 + 4, 12)
    half_lat = max((max(lats) - min(lats)) / 2 + 2.5, 7)
    ax.set_xlim(max(mid_lon - half_lon, -30), min(mid_lon + half_lon, 60))
    ax.set_ylim(max(mid_lat - half_lat, 28), min(mid_lat + half_lat, 74))
    ax.set_aspect(1 / math.cos(math.radians(mid_lat)))
    ax.tick_params(left=True, bottom=True, labelleft=True, labelbottom=True, labelsize=8)
    ax.set_xlabel("longitude (°E)", fontsize=9)
    ax.set_ylabel("latitude (°N)", fontsize=9)
    wmin = min(weights, default=1)  # the legend's widths are those drawn: from the fewest joint projects of a tie
    edge_values = sorted({wmin, round((wmin + wmax) / 2), wmax}) if weights else []
    blank = Line2D([], [], ls="", marker="")
    handles, texts = [blank], ["edge width"]
    handles += [Line2D([], [], color="#1f5f8b", alpha=0.6, linewidth=width(w)) for w in edge_values]
    texts += [f"{w} joint project{'s' if w != 1 else ''}" for w in edge_values]
    handles += [blank, blank]
    texts += ["", "node size"]
    sizes = _size_rows([(area(k) ** 0.5, f"{k} organisation{'s' if k != 1 else ''}")
                        for k in sorted({min(orgs, default=1), max(orgs, default=1)})], 8 * (1 + 1.0),
                       color="#f4a261", markeredgecolor="#333")
    handles += sizes[0]
    texts += sizes[1]
    handles += [blank, blank, *(Patch(facecolor=c, edgecolor="#9a9a9a", linewidth=0.5) for c in (LAND_WITH, LAND_WITHOUT))]
    texts += ["", "country", "with organisations here", "without"]
    legend = ax.legend(handles, texts, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8,
                       labelspacing=1.0, handlelength=3)
    for i in (0, len(edge_values) + 2, len(texts) - 3):
        legend.get_texts()[i].set_fontweight("bold")
    missing = sorted(set(G) - set(pos))
    ax.set_title(title or "Countries linked by joint projects", fontsize=11)
    if missing:  # under the map, the first 20 (the imports name 170 countries, most outside Europe)
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        ax.annotate(f"not on the map (no position): {', '.join(missing[:20])}{more}", (0.0, 0.0),
                    xycoords="axes fraction", xytext=(0, -32), textcoords="offset points", va="top", fontsize=8,
                    style="italic", color="#444", gid="unplaced-note")
    ax.annotate("Outlines: Natural Earth 1:50m (public domain)", (1.0, 0.0), xycoords="axes fraction",
                xytext=(-3, 3), textcoords="offset points", ha="right", va="bottom", fontsize=6, color="#666")
    return ax


def _decimal_year(text: str, end: bool = False) -> float | None:
    """``2018-08`` -> 2018.583 (its start), or its end with ``end=True``; a day counts as its month.

    >>> round(_decimal_year("2018-08"), 3), round(_decimal_year("2018-08", end=True), 3), _decimal_year("2021", end=True)
    (2018.583, 2018.667, 2022.0)
    """
    if not text:
        return None
    parts = [int(p) for p in text.split("-")[:2]]
    year, month = parts[0], (parts[1] if len(parts) > 1 else None)
    if month is None:
        return year + (1.0 if end else 0.0)
    return year + (month - (0 if end else 1)) / 12


def timeline_projects(data) -> tuple[list[dict], list[str]]:
    """The bars of :func:`plot_timeline` and the names of the projects it cannot draw.

    Each bar: ``project``, ``label`` (the display name, else the id), ``funder`` (names, or
    ``"(no funder named)"``), ``start``/``end`` (decimal years; ``end`` is the end of the
    stated end, else of the start period) and ``open_end``: for a project without a stated
    end, the end of its last known activity when that is later, else None.

    >>> from ngograph.net.graphs import NetworkData
    >>> data = NetworkData([], projects={
    ...     "p": {"label": "Project P", "start_date": "2019-10", "end_date": "", "last_activity": "2021-02"},
    ...     "q": {"label": "", "start_date": "", "end_date": "", "last_activity": ""}})
    >>> bars, undated = timeline_projects(data)
    >>> [(b["label"], round(b["start"], 2), round(b["end"], 2), round(b["open_end"], 2)) for b in bars], undated
    ([('Project P', 2019.75, 2019.83, 2021.17)], ['q'])
    """
    projects: dict[str, dict] = {}
    for pid, p in data.projects.items():
        projects[pid] = {"label": p["label"] or pid, "start": p["start_date"], "end": p["end_date"],
                         "last": p.get("last_activity", ""), "funders": set()}
    for r in data.rows:
        p = projects.setdefault(r["project"], {"label": r["project"], "start": r.get("start_date", ""),
                                               "end": r.get("end_date", ""), "last": "", "funders": set()})
        if r["role"] in ("funder", "co-funder"):
            p["funders"].add(r["label"])
    bars, undated = [], []
    for pid, p in sorted(projects.items(), key=lambda kv: (kv[1]["start"], kv[0])):
        if not p["start"]:
            undated.append(p["label"])
            continue
        end = _decimal_year(p["end"] or p["start"], end=True)
        last = _decimal_year(p["last"], end=True) if not p["end"] and p["last"] else None
        bars.append({"project": pid, "label": p["label"], "funder": ", ".join(sorted(p["funders"])) or "(no funder named)",
                     "start": _decimal_year(p["start"]), "end": end,
                     "open_end": (max(last, end) if last else end) if not p["end"] else None})
    return bars, sorted(undated)


#: The most projects :func:`plot_timeline` draws as bars of their own; more are counted per year (the imported CORDIS
#: and IATI data hold 45,000 projects: a bar each made a figure thousands of inches tall, unfinished at 14 GB).
TIMELINE_LIMIT = 80
#: The funders a count per year names (the first seven colours of Set2; its eighth, grey, is the others).
TIMELINE_FUNDERS = 7
#: The projects without dates a timeline's note names (it counts them all).
NAMED_UNDATED = 10


def _undated_note(ax, undated: list[str], *more: str) -> None:
    """The note under a timeline of the projects it cannot draw (how many, and the first names, each cut at 60
    characters), and ``more`` lines, wrapped to the figure."""
    lines = list(more)
    if undated:
        n = len(undated)
        names = "; ".join(one_line(name, 60) for name in undated[:NAMED_UNDATED])
        lines.insert(0, f"not shown: {n:,} project{'s' if n != 1 else ''} without dates: {names}"
                        + (f"; and {n - NAMED_UNDATED:,} more" if n > NAMED_UNDATED else ""))
    if lines:
        ax.annotate("\n".join(_wrap(line, 150) for line in lines), (0.0, 0.0), xycoords="axes fraction",
                    xytext=(0, -40), textcoords="offset points", va="top", fontsize=8, style="italic", color="#444",
                    gid="undated-note")


def active_per_year(bars: list[dict], funders: int = TIMELINE_FUNDERS) -> tuple[list[int], dict[str, list[int]]]:
    """The years the ``bars`` of :func:`timeline_projects` span, and per funder the projects active in each year (a
    project counts in every year its bar, open end included, reaches into): the ``funders`` with the most projects
    by name, the others as "other funders".

    >>> bars = [{"funder": "EU", "start": 2019.5, "end": 2021.0, "open_end": None},
    ...         {"funder": "EU", "start": 2020.0, "end": 2020.25, "open_end": 2022.5},
    ...         {"funder": "Nordic", "start": 2021.0, "end": 2021.5, "open_end": None}]
    >>> active_per_year(bars, funders=1)
    ([2019, 2020, 2021, 2022], {'EU': [1, 2, 1, 1], 'other funders': [0, 0, 1, 0]})
    >>> active_per_year([{"funder": "EU", "start": 2020.5, "end": 2019.0, "open_end": None}]), active_per_year([])
    (([2020], {'EU': [1]}), ([], {}))
    """
    if not bars:
        return [], {}
    # a bar that ends before it starts (a source's slip) still counts in its start year
    reach = [(b["funder"], b["start"], max(b["end"], b["open_end"] or b["end"], math.floor(b["start"]) + 1))
             for b in bars]
    first, last = math.floor(min(r[1] for r in reach)), math.ceil(max(r[2] for r in reach)) - 1
    years = list(range(first, max(first, last) + 1))
    ranked = Counter(r[0] for r in reach).most_common()
    named = {f for f, _ in sorted(ranked, key=lambda kv: (-kv[1], kv[0]))[:funders]}
    counts = {f: [0] * len(years) for f in sorted(named)}
    if len(ranked) > len(named):
        counts["other funders"] = [0] * len(years)
    for funder, start, end in reach:
        row = counts[funder if funder in named else "other funders"]
        for i in range(math.floor(start) - first, min(math.ceil(end) - first, len(years))):
            row[i] += 1
    return years, counts


def _plot_active_per_year(bars: list[dict], undated: list[str], ax, title: str | None):
    """:func:`plot_timeline` for more than :data:`TIMELINE_LIMIT` projects: stacked bars of the projects active in
    each year, by funder."""
    years, counts = active_per_year(bars)
    # the years at either end with under 1 % of the busiest year's projects are left out, and said: a few sources date
    # projects 1900 or 2055, which left the rest a sliver of the axis
    totals = [sum(column) for column in zip(*counts.values())]
    kept = [i for i, total in enumerate(totals) if total * 100 >= max(totals)]
    lo, hi = kept[0], kept[-1] + 1
    cut = [f"{years[a]}-{years[b - 1]}" if b - a > 1 else str(years[a]) for a, b in ((0, lo), (hi, len(years))) if b > a]
    years, counts = years[lo:hi], {f: row[lo:hi] for f, row in counts.items()}
    ax = _axes(ax, (12, 6))
    cmap = matplotlib.colormaps["Set2"]
    bottom = [0] * len(years)
    for i, (funder, row) in enumerate(counts.items()):
        ax.bar(years, row, bottom=bottom, width=0.8, color="#bbb" if funder == "other funders" else cmap(i % 8),
               edgecolor="#333", linewidth=0.4, label=_wrap(funder, 40))
        bottom = [a + b for a, b in zip(bottom, row)]
    handles, labels = ax.get_legend_handles_labels()  # top to bottom as the bars stack
    ax.legend(handles[::-1], labels[::-1], title="funder", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False, alignment="left")
    ax.set_ylabel("projects active in the year", fontsize=9)
    ax.set_xlabel("year (a project counts in every year from its start to its end, or its last known activity)",
                  fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(totals[lo:hi]) * 1.06)  # the busiest year's bar clear of the frame
    ax.grid(axis="y", alpha=0.25)
    one = len(cut) == 1 and "-" not in cut[0]
    _undated_note(ax, undated, *([f"left out: the year{'' if one else 's'} {' and '.join(cut)}, "
                                  f"{'with' if one else 'each with'} under 1 % of the projects of the busiest year"]
                                 if cut else []))
    ax.set_title(title or f"Projects active per year, by funder ({len(bars):,} projects)", fontsize=11)
    return ax


def plot_timeline(data, *, ax=None, title: str | None = None, limit: int = TIMELINE_LIMIT):
    """Projects by name as bars from start to end at the precision the source gives (a
    month, a year), coloured by funder (``data``: NetworkData). A project without a stated
    end is active until its last known activity (the latest date of its events): that part
    is hatched and faded, with an arrow. Projects without dates are named in a note below. More than ``limit``
    projects are counted per year instead, by funder (:func:`active_per_year`)."""
    bars, undated = timeline_projects(data)
    if len(bars) > limit:
        return _plot_active_per_year(bars, undated, ax, title)
    lines = [_wrap(b["label"], 40) for b in bars]
    rows = sum(t.count("\n") + 1 for t in lines)
    ax = _axes(ax, (12, 1.7 + 0.22 * max(4, rows) + 0.2 * len(bars)))
    funders = sorted({b["funder"] for b in bars})
    cmap = matplotlib.colormaps["Set2"]
    colour = {f: cmap(i % 8) for i, f in enumerate(funders)}
    for i, b in enumerate(bars):
        c = colour[b["funder"]]
        ax.barh(i, b["end"] - b["start"], left=b["start"], height=0.6, color=c, edgecolor="#333", linewidth=0.5)
        if b["open_end"] is not None:
            ax.barh(i, b["open_end"] - b["end"], left=b["end"], height=0.6, color=c, alpha=0.45, hatch="///",
                    edgecolor="#555", linewidth=0)
            ax.plot([b["open_end"]], [i], marker=">", color="#333", markersize=6, ls="")
    ax.set_yticks(range(len(bars)), lines, fontsize=8.5)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    handles = [Patch(facecolor=colour[f], edgecolor="#333", linewidth=0.5, label=_wrap(f, 40)) for f in funders]
    if any(b["open_end"] is not None for b in bars):
        handles += [Patch(facecolor="#bbb", alpha=0.45, hatch="///", edgecolor="#555", linewidth=0,
                          label="no stated end: active until\nits last known activity\n(the dates of its events)"),
                    Line2D([], [], marker=">", color="#333", ls="", label="open end")]
    ax.legend(handles=handles, title="funder", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              alignment="left")
    ax.set_xlabel("year (bars from the start to the end the source states, at its precision)", fontsize=9)
    if bars:
        lo = min(b["start"] for b in bars)
        hi = max(max(b["end"], b["open_end"] or 0) for b in bars)
        ax.set_xlim(math.floor(lo), math.ceil(hi + 0.05))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", alpha=0.25)
    _undated_note(ax, undated)
    ax.set_title(title or "Projects over time, by funder", fontsize=11)
    return ax


def plot_brokerage(roles: dict, *, labels: dict | None = None, ax=None, top: int = 12, title: str | None = None,
                   directed: bool = False):
    """Stacked bars of Gould-Fernandez brokerage roles (:func:`~ngograph.net.measures.brokerage_roles`) for the
    ``top`` brokers by total; the legend stands beside the bars. Of an undirected graph (``directed`` False) every
    representative pair is a gatekeeper one too, and the total counts it once: one segment stands for both roles, so
    that each bar is as long as its total."""
    from ngograph.net.measures import ROLES

    ranked = [n for n in sorted(roles, key=lambda n: (-roles[n]["total"], str(n))) if roles[n]["total"] > 0][:top]
    ax = _axes(ax, (10, 1.8 + 0.45 * max(2, len(ranked))))
    if not ranked:
        ax.text(0.5, 0.5, "no open two-paths: every partnership here is a clique,\nso no organisation brokers between others",
                transform=ax.transAxes, ha="center", va="center")
        ax.set_axis_off()
    else:
        cmap = matplotlib.colormaps["tab10"]
        left = [0] * len(ranked)
        once = not directed  # drawn twice, the bars (ranked by total) were out of order: 29M drawn for 23M
        for i, role in enumerate(ROLES):
            if once and role == "gatekeeper":
                continue
            vals = [roles[n][role] for n in ranked]
            if not any(vals):  # no bar of this role: not in the legend either (its colour stays its own)
                continue
            label = "representative / gatekeeper" if once and role == "representative" else role
            ax.barh(range(len(ranked)), vals, left=left, color=cmap(i), label=label)
            left = [a + b for a, b in zip(left, vals)]
        names = [_wrap((labels or {}).get(n, str(n)), 32) for n in ranked]
        ax.set_yticks(range(len(ranked)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("open two-paths brokered, by role" + ("\n(undirected: a pair with one end in the broker's group "
                      "is both representative and gatekeeper, counted once)" if once else ""), fontsize=9)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))  # no "1e7" over the axis label
        ax.legend(title="role", fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or "Brokerage roles (Gould & Fernandez 1989)", fontsize=11)
    return ax


def output_paths(output: str | Path, name: str) -> list[Path]:
    """The files :func:`save` writes for ``--output``: a suffix of :data:`FORMATS` names the
    one format; no suffix gives PNG and SVG; an existing folder, or a name ending in ``/``,
    gets ``<name>.png`` and ``<name>.svg`` inside it. Any other suffix is refused.

    >>> [str(p) for p in output_paths("figs/network", "network")]
    ['figs/network.png', 'figs/network.svg']
    >>> [str(p) for p in output_paths("figs/", "timeline")], [str(p) for p in output_paths("map.PDF", "map")]
    (['figs/timeline.png', 'figs/timeline.svg'], ['map.PDF'])
    >>> output_paths("map.jpeg", "map")
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: --output map.jpeg: unknown suffix '.jpeg'; use .png, .svg or .pdf, or no suffix for PNG and SVG
    """
    text = str(output)
    path = Path(text)
    if text.endswith(("/", "\\")) or path.is_dir():
        return [path / f"{name}.png", path / f"{name}.svg"]
    if not path.suffix:
        return [path.with_suffix(".png"), path.with_suffix(".svg")]
    if path.suffix.lower() in FORMATS:
        return [path]
    raise ConfigError(f"--output {text}: unknown suffix {path.suffix!r}; use "
                      f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}, or no suffix for PNG and SVG")


def save(ax, path: str | Path, *, name: str = "figure") -> list[Path]:
    """Save the Axes' figure to the files :func:`output_paths` names (``name``: the file
    name inside a folder). All formats are drawn before the first file is written, and each
    file is replaced atomically."""
    out = []
    for target in output_paths(path, name):
        fmt = target.suffix.lower()[1:]
        metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
        buf = io.BytesIO()
        ax.figure.savefig(buf, format=fmt, dpi=150, metadata=metadata)
        out.append((target, buf.getvalue()))
    written = []
    for target, data in out:
        try:
            written.append(atomic_write_bytes(target, data))
        except (FileExistsError, NotADirectoryError):
            blocker = next(a for a in target.parents if a.exists() or a == a.parent)
            raise ConfigError(f"cannot write {target}: {blocker} is a file, not a folder") from None
        except OSError as exc:
            raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None
    return written
