"""Extraction quality: ``ngograph extract`` on the test pages, scored per field against their
expected records; and on the seed pages (../shared/seeds, when present) against the curated
records of data/projects.

    .venv/bin/python benchmarks/extraction.py              # the table of precision, recall, F1
    .venv/bin/python benchmarks/extraction.py --pages      # and each page's misses and extras

Fields: organisations (with role and country), funders, amounts (with currency), periods
(exact start and end), places; see ngograph/extract/evaluate.py. Targets (issue 13):
organisations F1 >= 0.8, funders F1 >= 0.9, periods exact >= 0.9 (the periods' recall).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from ngograph import cli  # noqa: E402
from ngograph.config import PROJECT_ROOT, seeds_dir  # noqa: E402
from ngograph.extract.evaluate import FIELDS, facts, score  # noqa: E402
from ngograph.records.check import load_records  # noqa: E402

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "extract"


def test_set(seeds: Path | None) -> list[tuple[str, Path, dict]]:
    """``(set name, page, expected records)`` of the fixtures and, when present, the seeds."""
    out = []
    pages = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html"))
    assert pages, f"no test pages in {FIXTURES}"
    for page in pages:  # h-*: written after the rules, never tuned on ("held-out")
        out.append(("held" if page.name.startswith("h-") else "pages", page, yaml.safe_load(page.with_name(page.stem + ".expected.yaml").read_text())))
    if seeds and seeds.is_dir():
        for page in sorted(seeds.glob("*.txt")):
            number = re.match(r"\d+", page.name)
            curated = PROJECT_ROOT / "data" / "projects" / f"seed-{number.group()}.yaml" if number else None
            if curated and curated.is_file():
                out.append(("seeds", page, yaml.load(curated.read_text(), Loader=yaml.BaseLoader)))
    return out


def run(page: Path, out_dir: Path, data: Path) -> dict:
    out = out_dir / (page.stem + ".json")
    code = cli.main(["extract", str(page), "--format", "json", "--output", str(out),
                     "--data", str(data), "--store", str(out_dir / "no-store")])
    assert code == 0, page
    return json.loads(out.read_text())["draft"]


def _normal(records: dict) -> dict:
    """Curated YAML read as strings (BaseLoader): numbers back to numbers where the scorer compares them."""
    for p in records.get("projects") or []:
        for g in p.get("grants") or []:
            for k in ("amount", "share"):
                if k in g:
                    g[k] = float(g[k])
        if p.get("budget"):
            p["budget"]["amount"] = float(p["budget"]["amount"])
    return records


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", action="store_true", help="print each page's misses and extras")
    ap.add_argument("--seeds", default=None, help="seed folder (default: ../shared/seeds)")
    ap.add_argument("--data", default=str(PROJECT_ROOT / "data"),
                    help="the curated data whose organisations the drafts link to (default: data/)")
    args = ap.parse_args(argv)
    curated = {k: dict(v) for k, v in load_records(PROJECT_ROOT / "data").organisations.items()}
    items = test_set(seeds_dir(args.seeds))
    by_set: dict[str, list] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        for name, page, expected in items:
            expected = _normal(expected)
            found = run(page, Path(tmp), Path(args.data))
            by_set.setdefault(name, []).append((expected, found))
            by_set.setdefault("all", []).append((expected, found))
            if args.pages:
                fe, ff = facts(expected, curated), facts(found, curated)
                for f in FIELDS:
                    miss, extra = fe[f] - ff[f], ff[f] - fe[f]
                    if miss or extra:
                        print(f"{page.name:28} {f:13} missed {sorted(map(str, miss))} extra {sorted(map(str, extra))}")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"\n{len(items)} pages ({sum(1 for i in items if i[0] == 'pages')} test pages, "
          f"{sum(1 for i in items if i[0] == 'held')} held-out pages, "
          f"{sum(1 for i in items if i[0] == 'seeds')} seeds); {wall:.1f} s wall, {cpu:.1f} s CPU\n")
    print(f"| set   | field         |  P    |  R    |  F1   | tp | fp | fn |")
    print(f"|-------|---------------|-------|-------|-------|----|----|----|")
    for name in ("pages", "held", "seeds", "all"):
        if name not in by_set:
            continue
        for f, s in score(by_set[name], curated).items():
            print(f"| {name:5} | {f:13} | {s.precision:.2f}  | {s.recall:.2f}  | {s.f1:.2f}  | {s.tp:2} | {s.fp:2} | {s.fn:2} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
