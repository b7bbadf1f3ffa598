"""Benchmark the IATI reader on the real covid bulk against a bare ElementTree walk.

Both read the same files (default ``../shared/datasets/iati-covid-bulk``: 133 gzipped files,
13,200 activities), each run in a fresh Python process so that its peak RSS
(``resource.getrusage(...).ru_maxrss``) is its own:

- baseline: ``xml.etree.ElementTree.iterparse`` over every file, counting ``iati-activity``
  end events and clearing each activity (no records, no safety: the floor for any reader);
- reader: ``ngograph.sources.iati.read_iati`` over the folder, consuming every record and
  counting activities, participating-orgs, transactions and budgets.

Reports CPU and wall seconds (best of ``--repeat`` runs), the reader/baseline CPU ratio, the
peak RSS of each, and the reader's peak RSS after a quarter, half and all of the activities
(flat memory: those three should be about equal).

    python benchmarks/read_iati.py
    python benchmarks/read_iati.py --path ../shared/datasets/iati-covid-bulk --repeat 3
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ngograph.sources.iati import read_iati  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "datasets" / "iati-covid-bulk"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def baseline(folder: Path) -> dict:
    files = sorted(glob.glob(str(folder / "*.xml")) + glob.glob(str(folder / "*.xml.gz")))
    start, cpu = time.perf_counter(), time.process_time()
    activities = 0
    for path in files:
        try:
            with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as fh:
                for _event, element in ET.iterparse(fh, events=("end",)):
                    if element.tag == "iati-activity":
                        activities += 1
                        element.clear()
        except ET.ParseError:
            pass
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - start, "files": len(files),
            "activities": activities, "peak_mb": peak_mb()}


def reader(folder: Path, expected: int = 13_200) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    problems: list = []
    counts = {"activities": 0, "participating_orgs": 0, "transactions": 0, "budgets": 0}
    checkpoints = {}
    for activity in read_iati([folder], problems):
        counts["activities"] += 1
        counts["participating_orgs"] += len(activity.participating_orgs)
        counts["transactions"] += len(activity.transactions)
        counts["budgets"] += len(activity.budgets)
        if counts["activities"] in (expected // 4, expected // 2):
            checkpoints[counts["activities"]] = round(peak_mb(), 1)
    checkpoints[counts["activities"]] = round(peak_mb(), 1)
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - start, **counts,
            "problems": len(problems), "peak_mb": peak_mb(), "peak_mb_after": checkpoints}


def run_child(kind: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--path", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", type=Path, default=DEFAULT_PATH, help="folder of IATI .xml/.xml.gz files")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best CPU time is reported")
    ap.add_argument("--child", choices=["baseline", "reader"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps((baseline if args.child == "baseline" else reader)(args.path)))
        return 0
    if not args.path.is_dir():
        print(f"{args.path}: no such folder (give --path)", file=sys.stderr)
        return 2
    results = {}
    for kind in ("baseline", "reader"):
        runs = [run_child(kind, args.path) for _ in range(args.repeat)]
        results[kind] = min(runs, key=lambda r: r["cpu"])
    base, ours = results["baseline"], results["reader"]
    print(f"files: {base['files']}  activities: baseline {base['activities']}, reader {ours['activities']}")
    print(f"reader records: {ours['participating_orgs']} participating-orgs, {ours['transactions']} transactions, "
          f"{ours['budgets']} budgets, {ours['problems']} problems")
    print(f"{'':10} {'cpu s':>7} {'wall s':>7} {'peak RSS MB':>12}")
    for kind in ("baseline", "reader"):
        r = results[kind]
        print(f"{kind:10} {r['cpu']:7.2f} {r['wall']:7.2f} {r['peak_mb']:12.1f}")
    print(f"ratio reader/baseline: cpu {ours['cpu'] / base['cpu']:.2f}, wall {ours['wall'] / base['wall']:.2f}")
    print("reader peak RSS after n activities (MB):",
          ", ".join(f"{n}: {mb}" for n, mb in sorted(ours["peak_mb_after"].items(), key=lambda kv: int(kv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
