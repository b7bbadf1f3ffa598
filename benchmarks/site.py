"""Speed of ``ngograph site`` (issue 12, section 7: 50,000 resources in < 60 s), on a store of
your own: the page index (what every page needs, read once: the listing of every resource with a
page comes from it), then the pages of N resources (every k-th) written as the site writes them,
in one process and in ``--workers`` processes, and, with ``--compare``, the same pages by the
library's queries (``write_site(engine="queries")``). Wall time and CPU time (this process and
its workers) are reported: on a shared machine the CPU time is the figure that does not depend on the load.

    python benchmarks/site.py --store .ngograph/store --resources 5000 --compare
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ngograph.publish.site as site_module  # noqa: E402
from ngograph.publish.page_index import PageIndex  # noqa: E402
from ngograph.publish.pages import Paths  # noqa: E402
from ngograph.store.backends import Embedded  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn):
    wall, used = time.perf_counter(), cpu()
    result = fn()
    return result, time.perf_counter() - wall, cpu() - used


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--resources", type=int, default=50_000, help="pages to write (default 50,000)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="a second run with this many processes (default: one per core)")
    p.add_argument("--compare", action="store_true", help="also by the library's queries, page by page (many times slower)")
    args = p.parse_args(argv)
    paths = Paths()
    backend = Embedded(args.store, fixed=True)
    page_index, wall, used = timed(lambda: PageIndex(backend))
    index = site_module.resource_index(backend, paths, page_index)
    print(f"page index: {len(index)} resources with a page in {wall:.1f} s wall, {used:.1f} s CPU "
          f"({1e6 * used / max(1, len(index)):.0f} us CPU per resource)")
    chosen = index[:: max(1, len(index) // args.resources)][: args.resources]  # spread over the store's kinds
    work = Path(tempfile.mkdtemp(prefix="ngograph-site-bench-"))
    try:
        runs = [("index", 1)] + ([("index", args.workers)] if args.workers > 1 else []) \
            + ([("queries", 1)] if args.compare else [])
        for engine, workers in runs:
            n, wall, used = timed(lambda: site_module.write_site(args.store, work / f"{len(os.listdir(work))}", paths,
                                                                  workers=workers, engine=engine,
                                                                  select=lambda listing: chosen))
            print(f"site ({engine}, {workers} process(es)): {n} pages in {wall:.1f} s wall ({n / wall:.0f} pages/s), "
                  f"{used:.1f} s CPU ({1000 * used / n:.2f} ms CPU per page, ~{2 * n / used:.0f} pages/s on 2 idle "
                  f"cores: 50,000 pages in ~{50_000 * used / n / 2:.0f} s), the page index read again included")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
