"""Benchmark the whole pipeline at real scale against the one a researcher writes by hand today.

ngograph: ``ngograph import`` -> the store -> ``validate`` (the default engine) -> the organisation
graph from the store (``fetch`` + ``copartnership_graph``) -> degree, PageRank, sampled betweenness.

The peer, in one Python process as a researcher would write it: the same data as N-Triples
(``ngograph export --format ntriples --source NAME``, not timed) -> ``rdflib.Graph.parse`` ->
``pyshacl.validate`` with our shapes and ontology -> a bipartite networkx graph from the
participation triples -> ``bipartite.weighted_projected_graph`` -> networkx degree, PageRank and
betweenness with the same ``k`` and seed.

Each ngograph stage runs in its own process and each peer stage is reported as it ends, with
wall time, CPU time (user + system, which a machine busy with other work inflates less) and
peak memory (RSS). The peer stops at ``--cap`` seconds; a stage it did not finish is "> cap".
Where both finish, the answers are compared: the same triples (rdflib's count against the
export's), the same validation results (focus, path, value, severity, source shape,
component), the same edges with the same weights, the same top-100 PageRank and betweenness.

    python benchmarks/scale.py --source cordis
    python benchmarks/scale.py --source iati --cap 1800
    python benchmarks/scale.py --source cordis --input ../shared/datasets/cordis-h2020/h2020.csv.gz --workdir /tmp/scale
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from child import run_measured  # noqa: E402 (benchmarks/, the script's own folder)

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
INPUTS = {"cordis": [DATASETS / "cordis-h2020" / "h2020.csv.gz"], "iati": [DATASETS / "iati-covid-bulk"]}
K, SEED, TOP = 500, 42, 100


# ---------------------------------------------------------------------------------------------
# the stages, each run as `python benchmarks/scale.py --stage NAME STORE SOURCE OUT` in its own process

def stage_validate(store: str, source: str, out: str) -> None:
    from ngograph.store.embedded import open_store
    from ngograph.validate.fast import validate_published
    with open_store(Path(store)) as s:
        report = validate_published(s, [source])
    _write(out, {"results": sorted({tuple(_result(r.focus, r.path, r.value, r.severity, r.shape, r.component))
                                    for r in report.results})})


def stage_network(store: str, source: str, out: str) -> None:
    from ngograph.net import measures as A
    from ngograph.net.graphs import copartnership_graph, fetch
    from ngograph.store.backends import Embedded
    times = {}
    t = time.perf_counter()
    G = copartnership_graph(fetch(Embedded(Path(store), sources=[source])))
    times["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    deg, pr, bt = A.degree(G), A.pagerank(G), A.betweenness(G, k=K, seed=SEED)
    times["measures"] = time.perf_counter() - t
    _write(out, {"edges": sorted([u, v, d["weight"]] if u < v else [v, u, d["weight"]] for u, v, d in G.edges(data=True)),
                 "nodes": G.number_of_nodes(), "degree": _top(deg), "pagerank": _top(pr), "betweenness": _top(bt),
                 "times": times})


def stage_peer(nt: str, source: str, out: str) -> None:
    """The hand-written pipeline; writes its answers after each stage, so a capped run keeps the finished ones."""
    import resource

    import networkx as nx
    import pyshacl
    from rdflib import Graph, Namespace, URIRef
    from ngograph.resources import ONTOLOGY_FILE, SHAPES_FILE
    from ngograph.net.graphs import short_id
    from ngograph.validate.shacl import report_of

    answers: dict = {"stages": {}}

    def done(stage: str, started: float, cpu0: float, **values) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        answers["stages"][stage] = {"wall": time.perf_counter() - started,
                                    "cpu": usage.ru_utime + usage.ru_stime - cpu0, "rss_mb": usage.ru_maxrss / 1024}
        answers.update(values)
        _write(out, answers)

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    t, c = time.perf_counter(), cpu()
    g = Graph()
    g.parse(nt, format="nt")
    done("load", t, c, triples=len(g))

    t, c = time.perf_counter(), cpu()
    shapes, ontology = Graph().parse(SHAPES_FILE), Graph().parse(ONTOLOGY_FILE)
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True, do_owl_imports=False)
    t_convert = time.perf_counter()  # into ngograph's readable results, to compare them (not timed)
    results = sorted({tuple(_result(r.focus, r.path, r.value, r.severity, r.shape, r.component))
                      for r in report_of(report, shapes).results})
    t += time.perf_counter() - t_convert
    done("validate", t, c, results=results)

    t, c = time.perf_counter(), cpu()
    NGO = Namespace("https://w3id.org/ngograph/def#")
    SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
    funding = set(g.subjects(SKOS.broader, URIRef("https://w3id.org/ngograph/vocab/role/funding-and-administration")))
    B = nx.Graph()
    for x, project in g.subject_objects(NGO.inProject):
        if g.value(x, NGO.role) in funding:
            continue
        B.add_edge(("o", short_id(str(g.value(x, NGO.participant)))), ("p", short_id(str(project))))
    orgs = [n for n in B if n[0] == "o"]
    P = nx.relabel_nodes(nx.bipartite.weighted_projected_graph(B, orgs), lambda n: n[1])
    done("graph", t, c, edges=sorted([u, v, d["weight"]] if u < v else [v, u, d["weight"]]
                                     for u, v, d in P.edges(data=True)), nodes=P.number_of_nodes())

    t, c = time.perf_counter(), cpu()
    deg = nx.degree_centrality(P)
    pr = nx.pagerank(P, weight="weight")
    done("degree+pagerank", t, c, degree=_top(deg), pagerank=_top(pr))
    t, c = time.perf_counter(), cpu()
    bt = nx.betweenness_centrality(P, k=min(K, len(P)), seed=SEED)
    done("betweenness", t, c, betweenness=_top(bt))


def _result(focus, path, value, severity, shape, component) -> list:
    return [focus, path, value, severity, shape, component]


def _top(values: dict) -> list:
    return [n for n, _ in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def _write(out: str, data: dict) -> None:
    tmp = f"{out}.tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, out)


# ---------------------------------------------------------------------------------------------
# the driver

def measured(label: str, cmd: list[str], cap: float | None = None) -> dict:
    """Run ``cmd`` (:func:`child.run_measured`) and print its line."""
    out = {"label": label, **run_measured(cmd, cap)}
    print(f"  {label:34} {out['wall']:8.1f} s wall {out['cpu']:8.1f} s CPU {out['rss_mb']:7.0f} MB"
          f"{'  (stopped at the cap)' if out['timed_out'] else ''}", flush=True)
    return out


def overlap(a: list, b: list) -> float:
    return len(set(a) & set(b)) / max(len(a), 1)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", choices=sorted(INPUTS), default="cordis", help="the dataset (default cordis)")
    p.add_argument("--input", nargs="+", type=Path, help="its files (default: those of ../shared/datasets)")
    p.add_argument("--cap", type=float, default=1200.0, help="time cap of the peer, all stages (s; default 1200)")
    p.add_argument("--workdir", type=Path, help="keep the store and files here (default: a temporary folder)")
    p.add_argument("--no-peer", action="store_true", help="only ngograph's pipeline")
    p.add_argument("--stage", nargs=4, metavar=("STAGE", "STORE", "SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.stage:
        stage, *rest = args.stage
        if stage != "peer":  # ngograph's stages run on the allocator the command runs on; the peer on the C library's
            from ngograph.runtime import preload_allocator
            preload_allocator(command=stage)  # with the options of the command the stage stands for
        {"validate": stage_validate, "network": stage_network, "peer": stage_peer}[stage](*rest)
        return 0
    inputs = args.input or INPUTS[args.source]
    if missing := [str(i) for i in inputs if not i.exists()]:
        print(f"scale.py: missing input {', '.join(missing)}: pass --input", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        return run(args, inputs, work)


def run(args, inputs: list[Path], work: Path) -> int:
    ngo, py, me = str(Path(sys.executable).with_name("ngograph")), sys.executable, str(Path(__file__).resolve())
    store = work / "store"
    subprocess.run([ngo, "build", "--store", str(store)], check=True, capture_output=True)
    print(f"ngograph ({args.source}: {', '.join(map(str, inputs))})")
    ours = [measured("import", [ngo, "import", "--store", str(store), args.source, *map(str, inputs), "--quiet",
                                "--no-reconcile"])]
    ours.append(measured("validate", [py, me, "--stage", "validate", str(store), args.source, str(work / "validate.json")]))
    ours.append(measured("graph + measures", [py, me, "--stage", "network", str(store), args.source,
                                              str(work / "network.json")]))
    network = json.loads((work / "network.json").read_text())
    print(f"    graph {network['times']['graph']:.1f} s, degree + PageRank + betweenness k={K} "
          f"{network['times']['measures']:.1f} s; {network['nodes']:,} organisations, {len(network['edges']):,} ties")
    total = {k: sum(s[k] for s in ours) for k in ("wall", "cpu")}
    print(f"  {'total':34} {total['wall']:8.1f} s wall {total['cpu']:8.1f} s CPU "
          f"{max(s['rss_mb'] for s in ours):7.0f} MB peak")
    if args.no_peer:
        return 0

    nt = work / f"{args.source}.nt"
    subprocess.run([ngo, "export", "--store", str(store), "--format", "ntriples", "--source", args.source,
                    "--output", str(nt)], check=True, capture_output=True)
    statements = json.loads(Path(f"{nt}.meta.json").read_text())
    print(f"peer: rdflib + pySHACL + networkx on {nt.name} (cap {args.cap:.0f} s)")
    peer_run = measured("peer, all stages", [py, me, "--stage", "peer", str(nt), args.source, str(work / "peer.json")],
                        cap=args.cap)
    peer = json.loads((work / "peer.json").read_text()) if (work / "peer.json").exists() else {"stages": {}}
    for stage, v in peer["stages"].items():
        print(f"    {stage:32} {v['wall']:8.1f} s wall {v['cpu']:8.1f} s CPU {v['rss_mb']:7.0f} MB")

    print("same answers")
    validate = json.loads((work / "validate.json").read_text())
    checks = [("triples", peer.get("triples"), statements.get("triples", statements.get("statements"))),
              ("validation results", peer.get("results"), validate["results"]),
              ("edges and weights", peer.get("edges"), network["edges"])]
    for label, theirs, mine in checks:
        print(f"  {label:24} " + ("not reached by the peer" if theirs is None else
                                  "same" if theirs == mine else f"DIFFERENT ({len(theirs) if isinstance(theirs, list) else theirs}"
                                  f" vs {len(mine) if isinstance(mine, list) else mine})"))
    for measure in ("degree", "pagerank", "betweenness"):
        if measure in peer:
            print(f"  top-{TOP} {measure:16} overlap {overlap(peer[measure], network[measure]):.2f}")

    print("ratio (peer / ngograph)")
    pairs = [("load vs import", "load", ours[0]), ("validate", "validate", ours[1]),
             ("graph + measures", ("graph", "degree+pagerank", "betweenness"), ours[2])]
    for label, stages, mine in pairs:
        stages = (stages,) if isinstance(stages, str) else stages
        if all(s in peer["stages"] for s in stages):
            theirs = sum(peer["stages"][s]["wall"] for s in stages), sum(peer["stages"][s]["cpu"] for s in stages)
            print(f"  {label:24} wall {theirs[0] / mine['wall']:6.1f}x  CPU {theirs[1] / mine['cpu']:6.1f}x")
        else:
            print(f"  {label:24} peer did not finish")
    if peer_run["timed_out"]:
        print(f"  end to end               > {args.cap / total['wall']:.1f}x wall (the peer stopped at the cap); "
              f"peer peak {peer_run['rss_mb']:.0f} MB")
    else:
        print(f"  end to end               wall {peer_run['wall'] / total['wall']:6.1f}x  CPU "
              f"{peer_run['cpu'] / total['cpu']:6.1f}x; peak memory {peer_run['rss_mb']:.0f} MB vs "
              f"{max(s['rss_mb'] for s in ours):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
