"""Stage: publish. The statistics of the dataset description, counted per graph and kept.

The description (:mod:`ngograph.publish.describe`) gives the published graph's distinct triples,
typed entities, entities per class, predicates and name languages. The published graph is the union
of the curated graph and every imported graph, and counting over the union costs seconds per
million triples, each time a build or an import remakes the description (CORDIS and IATI: 15 s of
CPU, half of a build). So each graph is counted on its own, and what an imported graph's counts
are is kept in the description graph beside its *stamp*, the generation that every write of the
graph draws anew (:func:`ngograph.store.embedded.generation`; an import, a reconciliation that
changed): a build counts only the curated graph, an import only its own.

The union is not the sum. A triple, a typed subject or a class member that two graphs both state
counts once; only a subject that two graphs describe can be stated twice, so the sums are corrected
from the statements of those *shared* subjects alone, read across graphs. Every subject of the
curated graph is taken as shared (it is small); which subjects two imported graphs share is found by
the engine (:func:`ngograph.store.embedded.shared_subjects`) and kept per pair of stamps; their
corrections are kept per subject, and only the subjects a graph whose stamp changed describes (now,
or at its old stamp) are read again.

What is kept are nodes of the description graph under ``urn:ngograph:description:`` with a JSON
``rdf:value`` (:data:`KEPT`); no dump carries them (:func:`ngograph.publish.describe.description_graph`).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from ngograph.queries.library import load_query
from ngograph.rdf.namespaces import RDF
from ngograph.store.embedded import (DESCRIPTION_GRAPH, graph_statements, keep_for_graph, keep_json, kept_for_graph,
                                     kept_json, kept_node, published_graphs, shared_subjects,
                                     written_lines)

__all__ = ["KEPT", "GraphCounts", "Totals", "totals", "kept_quads", "published_statements", "published_counts",
           "kept_statements"]

#: The prefix of the description graph's nodes that keep counts (never dumped).
KEPT = "urn:ngograph:description:"
_GRAPH, _PAIR, _FIX = f"{KEPT}graph:", f"{KEPT}pair:", f"{KEPT}shared:"
#: Where the correction for the subjects imported graphs share is kept, with the stamps it was made at.
_AMONG = ox.NamedNode(f"{_FIX}among")
_TYPE = ox.NamedNode(str(RDF.type))


@dataclass
class GraphCounts:
    """One graph's statements, typed subjects, subjects per class (IRI), predicates and name languages."""

    triples: int
    entities: int
    classes: dict[str, int]
    predicates: set[str]
    languages: set[str]

    def to_json(self) -> dict:
        return {"triples": self.triples, "entities": self.entities, "classes": self.classes,
                "predicates": sorted(self.predicates), "languages": sorted(self.languages)}

    @classmethod
    def from_json(cls, d: dict) -> GraphCounts:
        return cls(int(d["triples"]), int(d["entities"]), {k: int(v) for k, v in d["classes"].items()},
                   set(d["predicates"]), set(d["languages"]))


@dataclass
class Correction:
    """What the sums of the graphs' counts overcount for some shared subjects: triples stated again,
    typed subjects counted again, and class members counted again, by class."""

    triples: int = 0
    entities: int = 0
    classes: dict[str, int] = field(default_factory=dict)

    def add(self, store: ox.Store, subject, graphs, sign: int = 1) -> None:
        """Add (``sign`` -1: take off) what the sums over ``graphs`` overcount for ``subject``."""
        stated, typed = [], {}  # typed: class -> the graphs that type the subject with it
        for q in store.quads_for_pattern(subject, None, None, None):
            if q.graph_name in graphs:
                stated.append((q.predicate, q.object))
                if q.predicate == _TYPE:
                    typed.setdefault(q.object, set()).add(q.graph_name)
        self.triples += sign * (len(stated) - len(set(stated)))
        if typed:
            self.entities += sign * (len(set().union(*typed.values())) - 1)
        for cls, where in typed.items():
            if isinstance(cls, ox.NamedNode) and len(where) > 1:
                self.classes[cls.value] = self.classes.get(cls.value, 0) + sign * (len(where) - 1)

    def plus(self, other: Correction) -> None:
        """Add ``other``'s counts to these."""
        self.triples += other.triples
        self.entities += other.entities
        for cls, n in other.classes.items():
            self.classes[cls] = self.classes.get(cls, 0) + n

    def to_json(self) -> dict:
        return {"triples": self.triples, "entities": self.entities, "classes": self.classes}

    @classmethod
    def from_json(cls, d: dict) -> Correction:
        return cls(int(d["triples"]), int(d["entities"]), {k: int(v) for k, v in d["classes"].items()})


@dataclass
class Totals:
    """The published graph's counts (:func:`totals`), each graph's statements by IRI (the curated
    graph under ``""``), and the description-graph quads that keep the imported graphs' counts."""

    triples: int
    entities: int
    classes: dict[str, int]
    predicates: set[str]
    languages: set[str]
    sizes: dict[str, int] = field(default_factory=dict)
    kept: list[ox.Quad] = field(default_factory=list)


def _rows(store: ox.Store, name: str, graph) -> list:
    return list(store.query(load_query(name).text, default_graph=[graph]))


#: The queries of a graph's counts, each run on one graph at a time; the first gives its statements too.
_PARTS = ("describe/predicates", "describe/entities", "describe/class-partitions", "describe/languages")


def _statements(predicates: list) -> int:
    """A graph's statements: the sum of its predicates' (the rows of ``describe/predicates``)."""
    return sum(int(r["statements"].value) for r in predicates)


def _graph_counts(rows: dict) -> GraphCounts:
    """A graph's counts from the rows of :data:`_PARTS` by query name."""
    return GraphCounts(
        triples=_statements(rows["describe/predicates"]),
        entities=int(rows["describe/entities"][0]["entities"].value),
        classes={r["class"].value: int(r["entities"].value) for r in rows["describe/class-partitions"]},
        predicates={r["p"].value for r in rows["describe/predicates"]},
        languages={r["lang"].value for r in rows["describe/languages"]})


def _kept_counts(store: ox.Store, graphs: list) -> tuple[dict, dict]:
    """The stamps of the named graphs among ``graphs`` (graph -> generation or None), and the counts
    kept for those whose stamp is unchanged since they were counted (graph -> :class:`GraphCounts`)."""
    stamps: dict = {}
    counts: dict = {}
    for g in graphs:
        if isinstance(g, ox.NamedNode):
            stamps[g], kept = kept_for_graph(store, _GRAPH, g, DESCRIPTION_GRAPH)
            if kept is not None and "counts" in kept:
                counts[g] = GraphCounts.from_json(kept["counts"])
    return stamps, counts


def published_statements(store: ox.Store, sources: Iterable[str] | None = None) -> int:
    """The statements of the published graph, or of that of ``sources`` (see
    :func:`~ngograph.store.embedded.published_graphs`), a triple that two graphs state counted once
    per graph, as ``COUNT(*)`` over the union of the graphs counts them: the sum of each graph's
    statements, taken from the counts the description keeps for an imported graph that has not changed
    since (every build and import keeps them), else counted by the engine. Counting the 5.4 million
    statements of the curated, CORDIS and IATI graphs took the engine 3.8 s.

    >>> a, p, g = (ox.NamedNode(f"https://example.org/{n}") for n in "apg")
    >>> s = ox.Store()
    >>> s.extend([ox.Quad(a, p, ox.Literal("1")), ox.Quad(a, p, ox.Literal("1"), g), ox.Quad(a, p, ox.Literal("2"), g)])
    >>> published_statements(s), published_statements(ox.Store())
    (3, 0)
    """
    return sum(published_counts(store, sources).values())


def published_counts(store: ox.Store, sources: Iterable[str] | None = None) -> dict:
    """The statements of each graph that :func:`published_statements` sums (graph -> statements), for a caller that
    also says what they are made of (``summary --source``: the reference vocabularies, the merges)."""
    return kept_statements(store, published_graphs(store, sources) or [ox.DefaultGraph()])


def kept_statements(store: ox.Store, graphs: list) -> dict:
    """The statements of each of ``graphs`` (graph -> statements): the count the description keeps for an imported
    graph that has not changed since, else counted by the engine (2.4 s for the 3 million of CORDIS)."""
    _, counts = _kept_counts(store, graphs)
    return {g: counts[g].triples if g in counts else graph_statements(store, g) for g in graphs}


def _term(text: str):
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def _text(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def totals(store: ox.Store, threads: int = 2) -> Totals:
    """The counts of the published graph of ``store`` (every source), from each graph's counts
    (kept ones reused where the graph's stamp is unchanged) corrected for the subjects two graphs
    share, and the quads that keep them for the next description. Queries run in ``threads``
    threads (the engine lets go of the GIL while it evaluates).

    >>> a, b, c, g, h = (ox.NamedNode(f"https://example.org/{n}") for n in "abcgh")
    >>> s = ox.Store()
    >>> s.extend([ox.Quad(a, _TYPE, c), ox.Quad(a, _TYPE, c, g), ox.Quad(b, _TYPE, c, g), ox.Quad(b, _TYPE, c, h)])
    >>> t = totals(s)
    >>> t.triples, t.entities, t.classes, sorted(t.sizes.values())
    (2, 2, {'https://example.org/c': 2}, [1, 1, 2])
    """
    graphs = published_graphs(store) or [ox.DefaultGraph()]
    stamps, counts = _kept_counts(store, graphs)
    todo = [g for g in graphs if g not in counts]
    # The searches for shared subjects take the named graphs in the order of their sizes. A graph written since it
    # was counted has the lines its writer loaded (about its statements): with those, the searches start at once,
    # the longest first, and every count beside them (CORDIS imported beside IATI: the description 4.4 -> 3.5 s);
    # without, once the count of its statements is done (each graph's predicates are counted first).
    counted = {g: counts[g].triples for g in counts}
    early = counted | {g: n for g in todo if (n := written_lines(store, g)) is not None}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        at_once = stamps.keys() <= early.keys()
        if at_once:
            pairs, searches = _searches(store, pool, stamps, early)
        parts = {(g, name): pool.submit(_rows, store, name, g) for name in _PARTS for g in todo}
        sizes = counted | {g: _statements(parts[g, _PARTS[0]].result()) for g in todo}
        if not at_once:
            pairs, searches = _searches(store, pool, stamps, sizes)
        for g, search in searches:
            pairs |= {(g, h): found for h, found in search.result().items()}
        for g in todo:
            counts[g] = _graph_counts({name: parts[g, name].result() for name in _PARTS})
    sizes = {g: sizes[g] for g in graphs}  # in the order of the graphs
    out = Totals(triples=sum(sizes.values()), entities=sum(c.entities for c in counts.values()), classes={},
                 predicates=set().union(*(c.predicates for c in counts.values())),
                 languages=set().union(*(c.languages for c in counts.values())),
                 sizes={("" if isinstance(g, ox.DefaultGraph) else g.value): n for g, n in sizes.items()})
    for c in counts.values():
        for cls, n in c.classes.items():
            out.classes[cls] = out.classes.get(cls, 0) + n
    # The corrections for the subjects the imported graphs share among themselves (those of a subject no changed
    # graph describes, kept), then those for the curated graph's subjects (which may be shared with any graph).
    shared = set().union(*pairs.values()) if pairs else set()
    among, quad = _among(store, pairs, shared, stamps)
    if quad is not None:
        out.kept.append(quad)
    fix = Correction.from_json(among.to_json())
    if ox.DefaultGraph() in graphs and len(graphs) > 1:
        for subject in {q.subject for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}:
            if subject in shared:
                fix.add(store, subject, stamps, -1)
            fix.add(store, subject, graphs)
    out.triples -= fix.triples
    out.entities -= fix.entities
    for cls, n in fix.classes.items():
        out.classes[cls] -= n
    for g, stamp in stamps.items():
        if stamp is not None:
            out.kept.append(keep_for_graph(_GRAPH, g, stamp, {"counts": counts[g].to_json()}, DESCRIPTION_GRAPH))
    for (g, h), found in pairs.items():
        if stamps[g] and stamps[h]:
            out.kept.append(keep_json(kept_node(_PAIR, g.value, h.value), {"stamps": [stamps[g], stamps[h]],
                                                                       "shared": sorted(map(_text, found))},
                                      DESCRIPTION_GRAPH))
    return out


def _searches(store: ox.Store, pool: ThreadPoolExecutor, stamps: dict, sizes: dict) -> tuple[dict, list]:
    """The subjects each pair of the named graphs of ``stamps`` shares: (the smaller graph, the larger) -> subjects,
    as kept where both stamps are unchanged (kept in either order: the order of the sizes may have changed), and
    the searches for the others started in ``pool``, the largest graphs' first (the longest): (graph, the future
    of :func:`~ngograph.store.embedded.shared_subjects` with the larger graphs it was not kept for)."""
    named = sorted(stamps, key=lambda g: (sizes[g], g.value))
    pairs: dict = {}
    searches = []
    for i, g in enumerate(named):
        new = []
        for h in named[i + 1:]:
            kept = _kept_pair(store, g.value, h.value, [stamps[g], stamps[h]]) if stamps[g] and stamps[h] else None
            if kept is not None:
                pairs[g, h] = kept
            else:
                new.append(h)
        if new:
            searches.append((g, new))
    return pairs, [(g, pool.submit(shared_subjects, store, g, new, sizes)) for g, new in reversed(searches)]


def _among(store: ox.Store, pairs: dict, shared: set, stamps: dict) -> tuple[Correction, ox.Quad | None]:
    """The correction for the subjects that the imported graphs share among themselves (``pairs``: (graph, graph)
    -> the subjects both describe, for every pair of ``stamps``' graphs; ``shared``: all of them), and the quad that
    keeps it for the next description (None where a graph has no stamp).

    A subject's correction depends only on the graphs that describe it. So what is kept is the stamps it was
    made at and the correction of each subject whose correction is not nothing, and only the subjects that a
    graph whose stamp changed describes, now or then, are read again: those of its pairs now, and those of
    its pairs as they were kept at the old stamps. CORDIS imported again beside IATI and the reconciliation
    graph: none of the 10,215 subjects those two share is read again (the description read 1,200 subjects, the
    curated graph's, where it read 11,415; its counts took 3.6 s, not 4.5 s). Where a kept pair of a changed
    graph is not found at its old stamps, every subject is read again."""
    now = {g.value: stamp for g, stamp in stamps.items()}
    # with a graph without a stamp (written before stamps were kept), what it shared before is unknown: all read again
    kept = kept_json(store, _AMONG, DESCRIPTION_GRAPH) if all(now.values()) else None
    old = kept.get("stamps") if isinstance(kept, dict) else None
    dirty, reuse = shared, {}
    if isinstance(old, dict) and isinstance(kept.get("subjects"), dict):
        changed = {g for g in old.keys() | now.keys() if old.get(g) != now.get(g)}
        then = _shared_then(store, changed & old.keys(), old)
        if then is not None:
            dirty = then.union(*(found for (g, h), found in pairs.items() if changed & {g.value, h.value}))
            reuse = kept["subjects"]
    among, subjects = Correction(), {}
    for subject in shared:
        text = _text(subject)
        if subject in dirty:
            own = Correction()
            own.add(store, subject, stamps)
        elif text in reuse:
            own = Correction.from_json(reuse[text])
        else:
            continue
        if own.triples or own.entities or own.classes:
            subjects[text] = own.to_json()
            among.plus(own)
    if not all(now.values()):
        return among, None
    return among, keep_json(_AMONG, {"stamps": now, "subjects": subjects, **among.to_json()}, DESCRIPTION_GRAPH)


def _shared_then(store: ox.Store, graphs: set, old: dict) -> set | None:
    """The subjects each of ``graphs`` shared with the other graphs of ``old`` (graph IRI -> stamp) at those stamps,
    from the pairs kept then (either order: a pair is kept in the order of the graphs' sizes then), or None where a
    pair was not kept."""
    found: set = set()
    for g in sorted(graphs):
        for h in sorted(old.keys() - {g}):
            then = _kept_pair(store, g, h, [old[g], old[h]])
            if then is None:
                return None
            found |= then
    return found


def _kept_pair(store: ox.Store, first: str, second: str, stamps: list) -> set | None:
    """The subjects the graphs ``first`` and ``second`` share as kept for them at ``stamps`` (their two stamps), in
    either order (a pair is kept in the order of the graphs' sizes when it was found, which may have changed), or
    None (nothing kept for them, kept at other stamps, or not what :func:`totals` keeps)."""
    for a, b, at in ((first, second, stamps), (second, first, stamps[::-1])):
        kept = kept_json(store, kept_node(_PAIR, a, b), DESCRIPTION_GRAPH)
        if isinstance(kept, dict) and kept.get("stamps") == at and isinstance(kept.get("shared"), list):
            return {_term(t) for t in kept["shared"]}
    return None


def kept_quads(quads) -> list:
    """``quads`` without the nodes that keep counts and state (:data:`KEPT`)."""
    return [q for q in quads if not q.subject.value.startswith(KEPT)]
