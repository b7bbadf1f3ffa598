"""The figures, as a reader sees them (issue 8, "Files and figures"): every node named, nothing
cut or clipped, legends beside what they explain, whole numbers on count scales, projects by
name with their open-ended phase and the undated ones noted; and ``plot --output`` writing what
it says. Agg backend; every figure is closed."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pytest
from matplotlib.legend import Legend
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.text import Text
from rdflib import Graph, Literal, URIRef

from ngograph.net import plot as P
from ngograph.store.backends import InMemory
from ngograph.cli import main
from ngograph.config import PROJECT_ROOT
from ngograph.errors import ConfigError
from ngograph.rdf.namespaces import NGO, RDF, RDFS, SCHEMA
from ngograph.resources import reference_dir
from ngograph.net.graphs import NetworkData, country_graph, fetch

MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-", ".svg": b"<?xml"}
BASE = "https://w3id.org/ngograph/id/"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _drawn(ax):
    ax.figure.canvas.draw()
    return ax.figure.canvas.get_renderer()


def _inside(inner, outer, slack=1.0) -> bool:
    return (inner.x0 >= outer.x0 - slack and inner.y0 >= outer.y0 - slack and inner.x1 <= outer.x1 + slack
            and inner.y1 <= outer.y1 + slack)


def _legends(ax) -> list[Legend]:
    return [a for a in ax.get_children() if isinstance(a, Legend)]


# ------------------------------------------------------------------------------ network

LONG = {"a": "Interfolk – Institute for Civil Society", "b": "Union of Women of the Kaliningrad Region",
        "c": "Association of National Cultural Societies of Jelgava", "d": "Nordic Council of Ministers",
        "e": "Eesti People to People", "f": "Latvian Red Cross Daugavpils City Branch", "g": "PSP-Fond"}


def _network():
    """Three components (a 4-clique with a hub, a pair, a lone node) and long names."""
    G = nx.Graph()
    for n, country in zip("abcdefg", ["DK", "RU", "LV", "", "EE", "LV", "RU"]):
        G.add_node(n, label=LONG[n], country=country)
    G.add_edges_from([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "a")], weight=1)
    G.add_edge("e", "f", weight=2)
    return G


def test_every_node_is_numbered_and_named_in_full_inside_the_figure():
    G = _network()
    ax = P.plot_network(G, size_by={"d": 1.0, "a": 0.5}, size_label="betweenness")
    r = _drawn(ax)
    fig_box = ax.figure.bbox
    numbers = {t.get_text(): t for t in ax.texts if (t.get_gid() or "").startswith("node-number-")}
    assert sorted(numbers, key=int) == [str(i) for i in range(1, 8)]
    for t in numbers.values():
        assert _inside(t.get_window_extent(r), fig_box), t.get_text()
    texts = [t for lg in _legends(ax) for t in lg.get_texts()]
    shown = " ".join(t.get_text().replace("\n", " ") for t in texts)
    for label in LONG.values():
        assert label in shown
    assert "…" not in shown
    for t in texts:
        assert _inside(t.get_window_extent(r), fig_box), t.get_text()
    # the key pairs each number with its node, and the number stands on that node
    key = {t.get_text().split(". ", 1)[0]: t.get_text().split(". ", 1)[1].replace("\n", " ") for t in texts
           if t.get_text()[:1].isdigit() and ". " in t.get_text()}
    for n in G:
        number = next(k for k, v in key.items() if v.startswith(LONG[n] + " ("))
        assert numbers[number].get_position() == pytest.approx(P.component_layout(G)[n])


def test_network_has_a_size_and_a_country_legend():
    ax = P.plot_network(_network(), size_by={"d": 1.0, "a": 0.5}, size_label="betweenness")
    texts = [t.get_text() for lg in _legends(ax) for t in lg.get_texts()]
    assert "size: betweenness" in texts and {"0", "0.5", "1"} <= set(texts)
    assert {"DK Denmark", "EE Estonia", "LV Latvia", "RU Russia", "no country"} <= set(texts)


def test_a_large_network_keys_only_the_top_nodes_numbered_by_rank():
    G = nx.path_graph(P.KEY_LIMIT + 5)
    nx.set_node_attributes(G, {n: f"org {n}" for n in G}, "label")
    size = {n: (n * 37) % 101 for n in G}  # the five highest: 30 (100), 60 (99), 19 (97), 49 (96), 8 (94)
    ax = P.plot_network(G, top=5, size_by=size)
    numbers = {t.get_text(): t.get_position() for t in ax.texts if (t.get_gid() or "").startswith("node-number-")}
    pos = P.component_layout(G)
    assert sorted(numbers) == ["1", "2", "3", "4", "5"]
    for i, n in enumerate([30, 60, 19, 49, 8], 1):
        assert tuple(numbers[str(i)]) == pytest.approx(tuple(pos[n]))
    key = [t.get_text() for lg in _legends(ax) if lg.get_title().get_text().startswith("key") for t in lg.get_texts()]
    assert key == [f"{i}. org {n} (no country)" for i, n in enumerate([30, 60, 19, 49, 8], 1)]


def test_a_network_over_the_limit_draws_its_top_nodes_and_their_ties():
    G = _network()  # weighted degrees: a 3, b 2, c 3, d 2, e 2, f 2, g 0
    ax = P.plot_network(G, limit=4, top=3)
    drawn = ax.collections[1].get_offsets()  # the nodes (after the edges)
    assert len(drawn) == 4
    # ranked by weighted degree, then name: a, c, then b, d (2 each, before e and f)
    assert len(ax.collections[0].get_paths()) == 5  # a-b, a-c, b-c, c-d, d-a: all five ties among a, b, c, d
    assert ax.get_title() == "Partnership network: the 4 of 7 organisations with the highest weighted degree"
    assert {t.get_text().split(". ")[1][:3] for lg in _legends(ax) for t in lg.get_texts()
            if t.get_text()[:1].isdigit() and ". " in t.get_text()} == {LONG[n][:3] for n in "abcd"}
    everything = P.plot_network(G, limit=None)
    assert len(everything.collections[1].get_offsets()) == 7 and everything.get_title().startswith("Partnership network (")
    assert len(P.plot_network(G, limit=7).collections[1].get_offsets()) == 7  # at the limit: all of them
    assert P.DRAWN_LIMIT == 150


# ------------------------------------------------------------------------------ brokerage

def test_brokerage_legend_stands_beside_the_bars():
    # as in the seeds: one broker, the liaison segment the largest
    roles = {"x": {"coordinator": 0, "itinerant": 14, "representative": 0, "gatekeeper": 0, "liaison": 38, "total": 52}}
    ax = P.plot_brokerage(roles, labels={"x": "Nordic Council of Ministers"})
    r = _drawn(ax)
    legend = ax.get_legend().get_window_extent(r)
    bars = [p.get_window_extent(r) for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
    assert len(bars) == 2  # the non-zero segments
    assert not any(legend.overlaps(b) for b in bars)
    assert _inside(legend, ax.figure.bbox)
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "liaison"


def test_country_colours_at_the_palettes_edge_and_by_nodes():
    """18 countries: each its own colour (the palette's 18); 19: the 17 with the most nodes, whatever their codes (Z
    first by nodes), the others "other countries"."""
    eighteen = P.country_colours([f"C{i:02d}" for i in range(18)])
    assert len({eighteen[f"C{i:02d}"] for i in range(18)}) == 18 and P.OTHER_COUNTRIES not in eighteen.values()
    codes = [f"C{i:02d}" for i in range(18)] + ["ZZ", "ZZ", "ZZ", "C17", "C17"]
    nineteen = P.country_colours(codes)
    own = [c for c in nineteen if c and nineteen[c] != P.OTHER_COUNTRIES]
    assert own == ["C00", "C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12", "C13",
                   "C14", "C17", "ZZ"]
    assert nineteen["C15"] == nineteen["C16"] == P.OTHER_COUNTRIES and len({nineteen[c] for c in own}) == 17


def test_brokerage_bars_by_hand():
    """The top brokers by total (ties by id), each role's segment where the last ended, in its own tab10 colour, the
    legend only for roles with a bar among those drawn, names wrapped at 32 characters, the first at the top."""
    import matplotlib

    from ngograph.net.measures import ROLES

    zero = dict.fromkeys(ROLES, 0)
    roles = {"d": {**zero, "liaison": 6, "total": 6},
             "a": {**zero, "coordinator": 1, "representative": 2, "gatekeeper": 2, "liaison": 3, "total": 6},
             "b": {**zero, "itinerant": 4, "total": 4},  # third: left out by top=2, its itinerant role with it
             "c": {**zero, "total": 0}}
    long = "Association of National Cultural Societies of Jelgava"
    ax = P.plot_brokerage(roles, labels={"a": long}, top=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Association of National Cultural\nSocieties of Jelgava", "d"]
    assert ax.yaxis_inverted() and list(ax.get_yticks()) == [0, 1]
    drawn = {c.get_label(): ([p.get_width() for p in c], [p.get_x() for p in c], c[0].get_facecolor()) for c in ax.containers}
    tab10 = matplotlib.colormaps["tab10"]
    # undirected: the two roles of one pair one segment, each bar as long as its total (6 and 6)
    assert drawn == {"coordinator": ([1, 0], [0, 0], tab10(0)), "representative / gatekeeper": ([2, 0], [1, 0], tab10(2)),
                     "liaison": ([3, 6], [3, 0], tab10(4))}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["coordinator", "representative / gatekeeper", "liaison"]
    assert ax.get_legend().get_title().get_text() == "role"
    assert ax.get_title() == "Brokerage roles (Gould & Fernandez 1989)"
    assert ax.get_xlabel().startswith("open two-paths brokered, by role\n(undirected")
    assert tuple(ax.figure.get_size_inches()) == (10, pytest.approx(1.8 + 0.45 * 2))
    three = P.plot_brokerage(roles, top=3, title="T")
    assert [t.get_text() for t in three.get_yticklabels()] == ["a", "d", "b"] and three.get_title() == "T"
    assert tuple(three.figure.get_size_inches()) == (10, pytest.approx(1.8 + 0.45 * 3))
    assert [t.get_text() for t in three.get_legend().get_texts()] == ["coordinator", "itinerant",
                                                                      "representative / gatekeeper", "liaison"]
    # directed: each role its own segment, a bar the sum of its roles
    directed = P.plot_brokerage({"a": {**zero, "representative": 2, "gatekeeper": 5, "liaison": 1, "total": 8}},
                                directed=True)
    assert {c.get_label(): ([p.get_width() for p in c], [p.get_x() for p in c]) for c in directed.containers} == {
        "representative": ([2], [0]), "gatekeeper": ([5], [2]), "liaison": ([1], [7])}
    assert directed.get_xlabel() == "open two-paths brokered, by role"
    plt_ticks = directed.xaxis.get_major_formatter()
    assert plt_ticks(12345678, 0) == "12,345,678"  # not "1e7" printed over the axis label
    # the text sizes and the legend's place, as drawn beside the bars; the whole axis label
    assert ax.get_xlabel() == ("open two-paths brokered, by role\n(undirected: a pair with one end in the broker's group "
                               "is both representative and gatekeeper, counted once)")
    assert (ax.xaxis.label.get_fontsize(), ax.title.get_fontsize(), ax.get_yticklabels()[0].get_fontsize()) == (9, 11, 8)
    legend = ax.get_legend()
    assert (legend._loc, legend.get_frame_on(), legend.get_texts()[0].get_fontsize()) == (2, False, 8)  # 2: upper left
    assert tuple(legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted()).bounds[:2]) == pytest.approx((1.01, 1.0))
    # a broker of one open two-path is drawn; an axes given is the one drawn on; a name wrapped at 32 characters
    import matplotlib.pyplot as plt
    fig, given = plt.subplots()
    one = P.plot_brokerage({"e": {**zero, "liaison": 1, "total": 1}}, labels={"e": "A" * 20 + " " + "B" * 12}, ax=given)
    assert one is given and [t.get_text() for t in one.get_yticklabels()] == ["A" * 20 + "\n" + "B" * 12]  # 33 > 32
    plt.close(fig)
    many = P.plot_brokerage({f"n{i:02d}": {**zero, "liaison": 20 - i, "total": 20 - i} for i in range(13)})
    assert len(many.get_yticklabels()) == 12  # the default top: twelve brokers
    plt.close(many.figure)
    none = P.plot_brokerage({"c": {**zero, "total": 0}})
    message = none.texts[0]
    assert (message.get_position(), message.get_ha(), message.get_va(), message.get_transform()) == (
        (0.5, 0.5), "center", "center", none.transAxes)
    assert not none.axison and none.texts[0].get_text().startswith("no open two-paths: every partnership here is a clique")
    assert none.get_title() == "Brokerage roles (Gould & Fernandez 1989)"
    assert tuple(none.figure.get_size_inches()) == (10, pytest.approx(1.8 + 0.45 * 2))
    import matplotlib.pyplot as plt
    for axes in (ax, three, none):
        plt.close(axes.figure)


# ------------------------------------------------------------------------------ matrix

@pytest.mark.parametrize("top", [1, 3, 30])
def test_matrix_colour_bar_counts_whole_projects(top):
    G = nx.Graph()
    G.add_edge("LV", "DK", weight=top)
    G.add_edge("LV", "EE", weight=1)
    ax = P.plot_country_matrix(G)
    _drawn(ax)
    bar = ax.figure.axes[-1]
    ticks = [t for t in bar.get_yticks() if bar.get_ylim()[0] <= t <= bar.get_ylim()[1]]
    assert len(ticks) >= 2 and all(t == int(t) for t in ticks), ticks
    assert max(ticks) <= top


def test_a_matrix_of_many_countries_keeps_the_busiest_and_says_what_it_leaves_out():
    G = nx.Graph()
    codes = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]  # AA .. BD
    for i, c in enumerate(codes):
        G.add_edge(c, "ZZ", weight=i + 1)  # ZZ meets everyone; AA has the fewest joint projects
    G.add_edge("AA", "AB", weight=500)  # ...unless one pair has many: AA and AB stay
    ax = P.plot_country_matrix(G, limit=5)
    _drawn(ax)
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert shown == ["AA", "AB", "BC", "BD", "ZZ"]  # the five with the most joint projects, in order
    notes = [t.get_text() for t in ax.texts if t.get_text().startswith("grey")]
    assert notes == ["grey: a country with itself (projects within one country are not counted here)\n"
                     "not shown: 26 more countries with fewer joint projects"]
    # the diagonal is grey, not the colour of 0 joint projects (Latvia-Latvia has 5 on the seeds: not counted here)
    diagonal = [p for p in ax.patches if (p.get_gid() or "").startswith("diagonal-")]
    assert len(diagonal) == 5 and all(p.get_facecolor()[:3] == pytest.approx((0.82, 0.82, 0.82)) for p in diagonal)
    assert [p.get_xy() for p in diagonal[:2]] == [(-0.5, -0.5), (0.5, 0.5)]
    assert "log scale" in ax.figure.axes[-1].get_ylabel()  # 500 joint projects: a log colour scale
    assert sorted(t.get_text() for t in ax.texts if t.get_text().isdigit()) == sorted(
        ["500", "500", "1", "1", "2", "2", "29", "29", "30", "30"])


# ------------------------------------------------------------------------------ map

def _countries():
    G = nx.Graph()
    for c, k in [("LV", 3), ("DK", 1), ("PL", 1)]:
        G.add_node(c, organisations=k)
    G.add_edge("LV", "DK", weight=4)
    G.add_edge("LV", "PL", weight=1)
    return G


def test_map_draws_country_outlines_and_legends():
    ax = P.plot_country_map(_countries())
    r = _drawn(ax)
    outlines = [p for p in ax.patches if isinstance(p, PathPatch)]
    assert len(outlines) > 40
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert -30 <= x0 < 12.6 and 24.1 < x1 <= 60 and 28 <= y0 < 52.2 and 57 < y1 <= 74
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"edge width", "1 joint project", "4 joint projects", "node size", "1 organisation", "3 organisations"} <= set(texts)
    assert _inside(ax.get_legend().get_window_extent(r), ax.figure.bbox)


def test_map_outlines_have_no_band_across_the_box():
    """Russia's ring crosses the antimeridian: clipped without unwrapping its longitudes, it drew land across the whole
    map at 65-71 degrees N (from -32 to 62 degrees E, the clipping box's edges)."""
    outlines = P._outlines(reference_dir() / P.OUTLINES_FILE)
    assert len(outlines) == 76
    spans = {}
    for code, path in outlines:
        for ring in path.to_polygons(closed_only=False):
            lons = [x for x, _ in ring]
            spans[code] = max(spans.get(code, 0.0), max(lons) - min(lons))
    assert max(spans.values()) < 94  # the box is 94 degrees wide: no ring from one edge to the other
    assert 30 < spans["RU"] < 40 and 10 < spans["NO"] < 30  # Russia from the Baltic (27 E) to the box's edge (62 E)


def test_map_keeps_large_countries_in_bounds_and_notes_countries_off_the_map():
    small = P.plot_country_map(_countries())
    assert sorted(small.collections[1].get_sizes()) == [180, 180, 300]  # 120 + 60 an organisation: LV 3, DK 1, PL 1
    G = _countries()
    G.nodes["LV"]["organisations"] = 3000
    for i, code in enumerate(["US", "BR", "ZZ", *(f"Q{c}" for c in "ABCDEFGHIJKLMNOPQRSTU")]):
        G.add_node(code, organisations=1)
    ax = P.plot_country_map(G)
    _drawn(ax)
    assert sorted(ax.collections[1].get_sizes()) == [120.3, 120.3, 1020]  # the largest at 120 + 900
    (note,) = [t.get_text() for t in ax.texts if t.get_gid() == "unplaced-note"]
    assert note == ("not on the map (no position): BR, QA, QB, QC, QD, QE, QF, QG, QH, QI, QJ, QK, QL, QM, QN, QO, QP, "
                    "QQ, QR, QS and 4 more")
    assert ax.get_title() == "Countries linked by joint projects"
    assert not [t for t in small.texts if t.get_gid() == "unplaced-note"]


def test_map_reads_the_reference_folder_it_is_given(tmp_path):
    with pytest.raises(ConfigError, match=r"reference/country-positions.tsv: missing"):
        P.plot_country_map(_countries(), reference=tmp_path / "reference")
    assert P.reference_dir(tmp_path / "data") == reference_dir()  # no reference/ of its own: the shipped tables
    (tmp_path / "data" / "reference").mkdir(parents=True)
    assert P.reference_dir(tmp_path / "data") == tmp_path / "data" / "reference"


def test_plot_map_follows_data(tmp_path, seed_store, capsys):
    (tmp_path / "data" / "reference").mkdir(parents=True)  # a reference/ of its own, without the map's tables
    out = tmp_path / "map.png"
    assert main(["plot", "--store", str(seed_store), "--data", str(tmp_path / "data"), "--figure", "map",
                 "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"ngograph plot: {tmp_path / 'data' / 'reference' / 'country-positions.tsv'}: missing; the map reads "
                   "it from reference/ in the data folder (--data or $NGOGRAPH_DATA)")
    assert not out.exists()
    assert main(["plot", "--store", str(seed_store), "--data", str(PROJECT_ROOT / "data"), "--figure", "map",
                 "--output", str(out)]) == 0
    assert out.read_bytes().startswith(MAGIC[".png"])
    out.unlink()
    (tmp_path / "data" / "reference").rmdir()  # none of its own: the tables ngograph ships
    assert main(["plot", "--store", str(seed_store), "--data", str(tmp_path / "data"), "--figure", "map",
                 "--output", str(out)]) == 0
    assert out.read_bytes().startswith(MAGIC[".png"])


# ------------------------------------------------------------------------------ timeline

def _tiny_graph() -> Graph:
    """Project P starts 2019-10 with no end; its events run to 2021-02. Project Q has no dates."""
    g = Graph()
    p, q, e1, e2 = (URIRef(BASE + x) for x in ("project/p", "project/q", "event/e1", "event/e2"))
    for project, label in [(p, "Equal opportunities – a way to social welfare"), (q, "Undated project")]:
        g.add((project, RDF.type, SCHEMA.Project))
        g.add((project, RDFS.label, Literal(label)))
    g.add((p, SCHEMA.startDate, Literal("2019-10")))
    g.add((e1, NGO.eventOf, p))
    g.add((e1, SCHEMA.startDate, Literal("2020-03")))
    g.add((e2, NGO.eventOf, p))
    g.add((e2, SCHEMA.startDate, Literal("2021-01")))
    g.add((e2, SCHEMA.endDate, Literal("2021-02")))
    return g


def test_fetch_reads_every_project_with_its_last_activity():
    data = fetch(InMemory(_tiny_graph()))
    assert data.rows == []
    assert data.projects == {
        "p": {"label": "Equal opportunities – a way to social welfare", "start_date": "2019-10", "end_date": "",
              "last_activity": "2021-02"},
        "q": {"label": "Undated project", "start_date": "", "end_date": "", "last_activity": ""}}
    assert set(data.filter(start=2019).projects) == {"p"}


def test_timeline_names_projects_draws_the_open_end_and_notes_the_undated():
    ax = P.plot_timeline(fetch(InMemory(_tiny_graph())))
    _drawn(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Equal opportunities – a way to social\nwelfare"]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    stated = [b for b in bars if not b.get_hatch()]
    open_part = [b for b in bars if b.get_hatch()]
    # the stated start period (October 2019), then the open-ended part to the end of February 2021
    assert [(round(b.get_x(), 3), round(b.get_x() + b.get_width(), 3)) for b in stated] == [(2019.75, 2019.833)]
    assert [(round(b.get_x(), 3), round(b.get_x() + b.get_width(), 3)) for b in open_part] == [(2019.833, 2021.167)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "no stated end: active until\nits last known activity\n(the dates of its events)" in legend
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "undated-note"]
    assert notes == ["not shown: 1 project without dates: Undated project"]


def test_a_timeline_over_the_limit_counts_the_projects_active_per_year():
    from ngograph.net.graphs import NetworkData

    projects = {f"p{i}": {"label": f"P{i}", "start_date": "2019-10", "end_date": "2020-12", "last_activity": ""}
                for i in range(150)}  # 2019 and 2020: 150 each
    projects["old"] = {"label": "Old", "start_date": "1900", "end_date": "1900", "last_activity": ""}  # under 1 %
    projects.update({f"late{i}": {"label": "Late", "start_date": "2021-06", "end_date": "", "last_activity": "2022-02"}
                     for i in range(2)})  # 2 of 150: over 1 %
    projects.update({f"u{i}": {"label": "A" + "x" * 69 if i == 0 else f"U{i}", "start_date": "", "end_date": "",
                               "last_activity": ""} for i in range(12)})
    ax = P.plot_timeline(NetworkData([], projects=projects), limit=100)
    _drawn(ax)
    heights = {round(b.get_x() + b.get_width() / 2): b.get_height() for b in ax.patches if isinstance(b, Rectangle)
               and b.get_height() > 0}
    assert heights == {2019: 150, 2020: 150, 2021: 2, 2022: 2}  # 1900 left out; "late" to its last activity
    assert ax.get_title() == "Projects active per year, by funder (153 projects)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["(no funder named)"]
    (note,) = [t.get_text() for t in ax.texts if t.get_gid() == "undated-note"]
    assert note.replace("\n", " ") == ("not shown: 12 projects without dates: A" + "x" * 58 + "\u2026; U1; U10; U11; "
                                       "U2; U3; U4; U5; U6; U7; and 2 more left out: the years 1900-2018, each with under 1 % "
                                       "of the projects of the busiest year")
    assert len(P.plot_timeline(NetworkData([], projects=projects), limit=153).get_yticklabels()) == 153  # at the limit: bars
    del projects["old"]
    (note,) = [t.get_text() for t in P.plot_timeline(NetworkData([], projects=projects), limit=100).texts
               if t.get_gid() == "undated-note"]
    assert "left out" not in note
    projects["far"] = {"label": "Far", "start_date": "2027", "end_date": "2027", "last_activity": ""}  # after a gap
    (note,) = [t.get_text() for t in P.plot_timeline(NetworkData([], projects=projects), limit=100).texts
               if t.get_gid() == "undated-note"]
    assert note.replace("\n", " ").endswith(" left out: the years 2023-2027, each with under 1 % of the projects of the "
                                            "busiest year")
    projects["far"]["start_date"] = projects["far"]["end_date"] = "2023"  # one year alone: "the year"
    (note,) = [t.get_text() for t in P.plot_timeline(NetworkData([], projects=projects), limit=100).texts
               if t.get_gid() == "undated-note"]
    assert note.replace("\n", " ").endswith(" left out: the year 2023, with under 1 % of the projects of the busiest year")


def test_dollars_in_names_are_drawn_as_text_not_formulas():
    from ngograph.net.graphs import NetworkData

    odd = "Cost $5 and \\frac{ $ x"  # two $: matplotlib's mathtext raised at drawing before
    projects = {"p": {"label": odd, "start_date": "2020", "end_date": "2021", "last_activity": ""},
                "q": {"label": "US$ 1 $x", "start_date": "", "end_date": "", "last_activity": ""}}
    for limit in (80, 0):  # a bar each, and the count per year
        ax = P.plot_timeline(NetworkData([], projects=projects), limit=limit)
        _drawn(ax)
        (note,) = [t for t in ax.texts if t.get_gid() == "undated-note"]
        assert "US$ 1 $x" in note.get_text().replace("\\$", "$")
    assert [t.get_text() for t in P.plot_timeline(NetworkData([], projects=projects)).get_yticklabels()] == [
        "Cost \\$5 and \\frac{ \\$ x"]
    G = nx.Graph([("a", "b")])
    G.nodes["a"]["label"], G.nodes["b"]["label"] = odd, "b"
    _drawn(P.plot_network(G))


def test_active_per_year_names_the_funders_with_most_projects():
    bars = [{"funder": f, "start": 2020.0, "end": 2021.0, "open_end": None} for f in ["b", "b", "a", "a", "c", "d"]]
    years, counts = P.active_per_year(bars, funders=2)
    assert years == [2020] and counts == {"a": [2], "b": [2], "other funders": [2]}
    assert P.active_per_year(bars, funders=4)[1] == {"a": [2], "b": [2], "c": [1], "d": [1]}  # no "other" when none
    assert P.active_per_year(bars, funders=1)[1] == {"a": [2], "other funders": [4]}  # a tie: the first by name
    assert P.active_per_year(bars[::-1], funders=3)[1] == {"a": [2], "b": [2], "c": [1], "other funders": [1]}
    most = [{"funder": f, "start": 2020.0, "end": 2021.0, "open_end": None} for f in ["z", "z", "z", "a"]]
    assert P.active_per_year(most, funders=1)[1] == {"z": [3], "other funders": [1]}  # by count before name


def test_active_per_year_counts_each_year_a_bar_reaches():
    def bar(start, end, open_end=None):
        return {"funder": "f", "start": start, "end": end, "open_end": open_end}

    assert P.active_per_year([bar(2020.0, 2022.0, 2021.0)]) == ([2020, 2021], {"f": [1, 1]})  # the later of the two
    assert P.active_per_year([bar(2020.5, 2019.0)]) == ([2020], {"f": [1]})  # an end before the start: its start year
    assert P.active_per_year([bar(2020.0, 2020.0)]) == ([2020], {"f": [1]})
    assert P.active_per_year([bar(2019.75, 2021.25)]) == ([2019, 2020, 2021], {"f": [1, 1, 1]})
    assert P.active_per_year([]) == ([], {})


def test_wrap_breaks_at_spaces_only():
    assert P._wrap("x" * 50, 10) == "x" * 50  # a long word is not cut
    assert P._wrap("Baltic-Nordic network", 8) == "Baltic-Nordic\nnetwork"  # nor broken at its hyphen
    assert P._wrap("a b", 1) == "a\nb" and P._wrap("", 5) == ""


def test_timeline_of_the_seeds_uses_names(seed_store):
    from ngograph.store.backends import Embedded

    data = fetch(Embedded(seed_store))
    ax = P.plot_timeline(data)
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    dated = sorted((p for p in data.projects.values() if p["start_date"]), key=lambda p: p["start_date"])
    assert len(labels) == 6 and labels == [p["label"] for p in dated]
    assert not set(labels) & set(data.projects)  # no id slugs
    undated = [p["label"] or pid for pid, p in data.projects.items() if not p["start_date"]]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "undated-note"] == [
        f"not shown: 1 project without dates: {undated[0]}"]


# ------------------------------------------------------------------------------ --output and empty figures

def test_output_paths():
    assert P.output_paths("figs/", "timeline") == [P.Path("figs/timeline.png"), P.Path("figs/timeline.svg")]
    assert P.output_paths("figs/net", "network") == [P.Path("figs/net.png"), P.Path("figs/net.svg")]
    assert P.output_paths("a.svg", "x") == [P.Path("a.svg")]
    with pytest.raises(ConfigError, match=r"--output a.jpg: unknown suffix '.jpg'"):
        P.output_paths("a.jpg", "x")


@pytest.mark.parametrize("output, files", [
    ("figs/", ["figs/timeline.png", "figs/timeline.svg"]),
    ("existing", ["existing/timeline.png", "existing/timeline.svg"]),
    ("t.pdf", ["t.pdf"]),
    ("t.svg", ["t.svg"]),
    ("t.png", ["t.png"]),
    ("t", ["t.png", "t.svg"]),
])
def test_plot_output_writes_what_it_says(tmp_path, seed_store, output, files):
    (tmp_path / "existing").mkdir()
    before = {p for p in tmp_path.rglob("*")}
    assert main(["plot", "--store", str(seed_store), "--figure", "timeline", "--output", f"{tmp_path}/{output}"]) == 0
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert sorted(str(p.relative_to(tmp_path)) for p in written) == files
    for name in files:
        assert (tmp_path / name).read_bytes().startswith(MAGIC[P.Path(name).suffix]), name
    if output.endswith(".svg"):
        assert b"<svg" in (tmp_path / output).read_bytes()[:2000]


def test_plot_refuses_an_unknown_suffix_before_drawing(tmp_path, seed_store, capsys):
    assert main(["plot", "--store", str(seed_store), "--figure", "network", "--output", str(tmp_path / "n.jpeg")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ngograph plot: --output {tmp_path / 'n.jpeg'}: unknown suffix '.jpeg'; use .png, .svg or .pdf, "
                   "or no suffix for PNG and SVG"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("figure, what", [("timeline", "project with dates"), ("network", "organisation"),
                                          ("matrix", "country"), ("map", "country"), ("brokerage", "organisation")])
def test_a_filter_that_leaves_nothing_says_so(tmp_path, seed_store, capsys, figure, what):
    assert main(["plot", "--store", str(seed_store), "--figure", figure, "--start", "2030",
                 "--output", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ngograph plot: the filters --start 2030 leave no {what} to draw; nothing written"]
    assert list(tmp_path.iterdir()) == []


def test_timeline_of_undated_projects_only_says_so():
    data = NetworkData([], projects={"q": {"label": "Q", "start_date": "", "end_date": "", "last_activity": ""}})
    assert P.timeline_projects(data) == ([], ["Q"])
    assert country_graph(data).number_of_nodes() == 0


def test_plot_output_under_a_file_is_one_line(tmp_path, seed_store, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["plot", "--store", str(seed_store), "--figure", "timeline",
                 "--output", str(tmp_path / "afile" / "t.png")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"ngograph plot: cannot write {tmp_path / 'afile' / 't.png'}: {tmp_path / 'afile'} is a file, not a folder"]


def test_a_network_of_many_countries_gives_no_two_the_same_colour():
    """23 countries shared tab20's 20 colours (Sweden's was Austria's); above 18 (tab20 without its greys) the 17 with the
    most nodes have their own, the others one colour under "N other countries"; none is grey but no country."""
    G = nx.path_graph(26)
    codes = [f"{a}{b}" for a, b in zip("ABCDEFGHIJKLMNOPQRSTUVWXY", "ZZZZZZZZZZZZZZZZZZZZZZZZZ")]  # 25 codes
    nx.set_node_attributes(G, {n: codes[n] if n < 25 else codes[0] for n in G} | {24: ""}, "country")
    ax = P.plot_network(G, limit=None)
    texts = [t.get_text() for lg in _legends(ax) for t in lg.get_texts()]
    # 24 countries (AZ twice), 17 of their own: AZ first (two nodes), then BZ...QZ by code
    listed = [t.split()[0] for t in texts if t.split() and len(t.split()[0]) == 2 and t.split()[0].endswith("Z")]
    assert listed == ["AZ", *[f"{c}Z" for c in "BCDEFGHIJKLMNOPQ"]]
    assert "7 other countries" in texts and "no country" in texts
    drawn = ax.collections[1].get_facecolors()
    colours = {G.nodes[n]["country"]: tuple(drawn[i]) for i, n in enumerate(G)}
    own = [colours[c] for c in codes[:17]]
    assert len(set(own)) == 17 and len({colours[c] for c in codes[17:24]}) == 1
    assert colours[codes[17]] == pytest.approx(P.OTHER_COUNTRIES) and colours[""] == pytest.approx(P.NO_COUNTRY)
    assert not any(r == g == b for r, g, b, _ in own)  # grey is no country's


def test_a_wide_map_keeps_its_legend_and_axis_labels_inside_the_figure():
    """The seeds' nine countries (Norway to Russia) at the saved resolution: laid out for an Axes of free aspect, the
    map's legend (its widest line, "with organisations here") and its latitude label were cut by 15 pixels at the
    figure's edges, once the map's aspect had shrunk the Axes."""
    G = nx.Graph()
    for code, n in {"NO": 2, "SE": 2, "EE": 3, "LV": 9, "DK": 3, "LT": 3, "BY": 2, "PL": 2, "RU": 2}.items():
        G.add_node(code, organisations=n, label=code)
    G.add_edges_from(((a, b) for a in G for b in G if a < b), weight=3)
    ax = P.plot_country_map(G)
    ax.figure.set_dpi(150)
    r = _drawn(ax)
    for artist in (ax.get_legend(), ax.yaxis.label, ax.xaxis.label, ax.title):
        assert _inside(artist.get_window_extent(r), ax.figure.bbox), artist
    (x0, x1), (y0, y1), box = ax.get_xlim(), ax.get_ylim(), ax.get_window_extent(r)
    # still a map: a degree of longitude is drawn cos(latitude) as long as a degree of latitude
    assert (box.width / (x1 - x0)) / (box.height / (y1 - y0)) == pytest.approx(math.cos(math.radians((y0 + y1) / 2)),
                                                                                rel=0.01)
