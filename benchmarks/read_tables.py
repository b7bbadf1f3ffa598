"""Benchmark the table and JSON readers (CORDIS, Forskningsrådet, 360Giving, Interreg) against
the bare standard library on the same files: ``csv.DictReader`` / ``json.load``.

Each measurement runs in a fresh Python process, so that its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own. Records are consumed one by one and
not kept, as an importer would. ``--scale N`` also reads the CORDIS participation table
repeated N times (a temporary .csv.gz) to show that the CSV reader's memory stays flat.

    python benchmarks/read_tables.py                       # ../shared/datasets
    python benchmarks/read_tables.py --datasets DIR --repeat 3 --scale 5
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ngograph.config import PROJECT_ROOT  # noqa: E402
from ngograph.sources.cordis import read_cordis  # noqa: E402
from ngograph.sources.forskningsradet import read_forskningsradet  # noqa: E402
from ngograph.sources.giving360 import read_giving360  # noqa: E402
from ngograph.sources.interreg import read_interreg  # noqa: E402
from ngograph.sources.tabular import expand  # noqa: E402

SOURCES = {
    # name: (reader, paths under the datasets folder, CSV delimiter of the baseline)
    "cordis-participations": (read_cordis, ["cordis-h2020/h2020.csv.gz"], ","),
    "cordis-official": (read_cordis, ["cordis-h2020-sample", "cordis-horizon-europe-sample"], ","),
    "forskningsradet": (read_forskningsradet, ["forskningsradet-norway/dataset.csv"], ";"),
    "360giving": (read_giving360, ["360giving"], ","),
    "interreg": (read_interreg, ["interreg-sweden"], ","),
}


def baseline(paths: list[Path], delimiter: str) -> int:
    """Rows of every file with csv.DictReader (gzip when .gz) or items with json.load."""
    n = 0
    for path in expand(paths, (".csv", ".csv.gz", ".json")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as f:
            if ".json" in path.name:
                data = json.load(f)
                n += len(data["grants"] if isinstance(data, dict) else data)
            else:
                n += sum(1 for _ in csv.DictReader(f, delimiter=delimiter))
    return n


def one(kind: str, source: str, paths: list[str]) -> None:
    """Run one measurement and print ``records seconds peak_rss_mb problems`` (child process)."""
    reader, _, delimiter = SOURCES[source]
    start = time.perf_counter()
    problems: list = []
    if kind == "baseline":
        n = baseline([Path(p) for p in paths], delimiter)
    else:
        n = sum(1 for _ in reader([Path(p) for p in paths], problems))
    seconds = time.perf_counter() - start
    print(n, f"{seconds:.3f}", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", len(problems))


def measure(kind: str, source: str, paths: list[str], repeat: int) -> tuple[int, float, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--one", kind, source, *paths], check=True,
                             capture_output=True, text=True).stdout.split()
        runs.append((int(out[0]), float(out[1]), float(out[2])))
    return runs[0][0], statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def scaled_copy(source: Path, times: int, folder: Path) -> Path:
    """The participation table with its data rows repeated ``times`` times, gzip'ed."""
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        header, body = f.readline(), f.read()
    target = folder / f"h2020x{times}.csv.gz"
    with gzip.open(target, "wt", encoding="utf-8", newline="", compresslevel=1) as out:
        out.write(header)
        for _ in range(times):
            out.write(body)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=PROJECT_ROOT.parent / "shared" / "datasets")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median time, max RSS)")
    parser.add_argument("--scale", type=int, default=0, help="also read h2020.csv.gz repeated N times")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        one(args.one[0], args.one[1], args.one[2:])
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(name, [str(args.datasets / p) for p in SOURCES[name][1]]) for name in SOURCES]
        if args.scale:
            big = scaled_copy(args.datasets / "cordis-h2020" / "h2020.csv.gz", args.scale, Path(tmp))
            jobs.append(("cordis-participations", [str(big)]))
        for name, paths in jobs:
            label = name if not paths[0].endswith(f"x{args.scale}.csv.gz") else f"{name} x{args.scale}"
            n_base, t_base, rss_base = measure("baseline", name, paths, args.repeat)
            n, t, rss = measure("reader", name, paths, args.repeat)
            rows.append((label, n, n_base, t, t_base, rss, rss_base))
    print(f"{'source':<30}{'records':>9}{'baseline':>9}{'reader s':>10}{'stdlib s':>10}{'ratio':>7}"
          f"{'reader MB':>11}{'stdlib MB':>11}")
    for label, n, n_base, t, t_base, rss, rss_base in rows:
        print(f"{label:<30}{n:>9}{n_base:>9}{t:>10.2f}{t_base:>10.2f}{t / t_base:>7.1f}{rss:>11.0f}{rss_base:>11.0f}")


if __name__ == "__main__":
    main()
