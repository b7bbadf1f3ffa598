"""Where `ngograph validate` spends its time: seconds per SHACL shape on a store's graph.

    python benchmarks/validate_shapes.py STORE [--shapes ontology/shapes.ttl] [--top 25]

Reads the store's published graph (as `ngograph validate` does), then runs the project's
:func:`ngograph.validate.shacl.validate_graph` once with pySHACL's ``Shape.validate`` and its
SPARQL-based constraint (``sh:sparql``) wrapped in timers. For each shape that pySHACL evaluates
from its own targets it prints the wall seconds spent in it (its property shapes and the shapes it
reaches through sh:node and sh:or included), the part of them spent in its ``sh:sparql``
constraints, its number of focus nodes and of results; then the total. ``--shapes`` times another
shapes file (e.g. tests/fixtures/shapes/reference-shapes.ttl, the shapes before the SPARQL targets);
``--compare OTHER`` then also validates with OTHER, prints its total and the ratio, and exits 1 unless
both reports are the same.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.shape import Shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ngograph.store.embedded import read_graph  # noqa: E402
from ngograph.validate.shacl import SHAPES_FILE, load_shapes, validate_graph  # noqa: E402


def timed_validation(graph, shapes):
    """Validate ``graph``; return the report, {shape: seconds}, {shape: sparql seconds}, {shape: focus nodes}."""
    seconds: dict = defaultdict(float)
    sparql_seconds: dict = defaultdict(float)
    focus_count: dict = {}
    depth = [0]
    shape_validate = Shape.validate
    sparql_evaluate = SPARQLBasedConstraint.evaluate

    def validate(self, executor, target_graph, focus=None, _evaluation_path=None):
        top = focus is None and depth[0] == 0
        depth[0] += 1
        start = time.perf_counter()
        try:
            return shape_validate(self, executor, target_graph, focus, _evaluation_path)
        finally:
            depth[0] -= 1
            if top:
                seconds[self.node] += time.perf_counter() - start
                focus_count[self.node] = len(self.focus_nodes(target_graph))

    def evaluate(self, executor, target_graph, focus_value_nodes, _evaluation_path):
        start = time.perf_counter()
        try:
            return sparql_evaluate(self, executor, target_graph, focus_value_nodes, _evaluation_path)
        finally:
            owner = _evaluation_path[0].node if _evaluation_path else self.shape.node
            sparql_seconds[owner] += time.perf_counter() - start

    Shape.validate, SPARQLBasedConstraint.evaluate = validate, evaluate
    try:
        report = validate_graph(graph, shapes=shapes)
    finally:
        Shape.validate, SPARQLBasedConstraint.evaluate = shape_validate, sparql_evaluate
    return report, seconds, sparql_seconds, focus_count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="an embedded store (e.g. .ngograph/store after `ngograph import ...`)")
    parser.add_argument("--shapes", default=str(SHAPES_FILE), help="the shapes file (default: ontology/shapes.ttl)")
    parser.add_argument("--top", type=int, default=25, help="how many shapes to list, slowest first")
    parser.add_argument("--compare", metavar="OTHER", help="validate with these shapes too: time and same report?")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    graph = read_graph(Path(args.store))
    read = time.perf_counter() - start
    shapes = load_shapes(Path(args.shapes))
    start = time.perf_counter()
    report, seconds, sparql_seconds, focus_count = timed_validation(graph, shapes)
    total = time.perf_counter() - start
    results = Counter(r.shape.split(" > ")[0] for r in report.results)

    print(f"{args.store}: {len(graph)} triples read in {read:.1f} s; shapes {args.shapes}")
    print(f"{'shape':42} {'seconds':>8} {'sh:sparql':>9} {'focus':>7} {'results':>7}")
    for node, s in sorted(seconds.items(), key=lambda kv: -kv[1])[:args.top]:
        name = str(node).rsplit("#", 1)[-1]
        print(f"{name:42} {s:8.2f} {sparql_seconds.get(node, 0.0):9.2f} {focus_count.get(node, 0):7d} "
              f"{results.get('ngosh:' + name, 0):7d}")
    print(f"{'all shapes (validate_graph)':42} {total:8.2f} {sum(sparql_seconds.values()):9.2f} "
          f"{'':7} {len(report.results):7d}")
    if not args.compare:
        return 0
    start = time.perf_counter()
    other = validate_graph(graph, shapes=load_shapes(Path(args.compare)))
    other_total = time.perf_counter() - start
    same = other.results == report.results
    print(f"{args.compare}: {other_total:.2f} s, {len(other.results)} results; ratio {other_total / total:.1f}; "
          f"{'the same report' if same else 'REPORTS DIFFER'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
