"""Speed of ``ngograph site`` (issue 12, section 7: 50,000 resources in < 60 s), on a store of
your own: the listing of every resource with a page, then the pages of N of them (every k-th)
written as the site writes them (statements read in batches), and, with ``--compare``, the same
pages read one resource at a time. Wall time and CPU time (this process and its workers; one process unless --workers) are
reported: on a shared machine the CPU time is the figure that does not depend on the load.

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
from ngograph.publish.pages import Paths, resource_page  # noqa: E402
from ngograph.store.backends import Embedded  # noqa: E402


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn):
    wall, used = time.perf_counter(), cpu()
    result = fn()
    return result, time.perf_counter() - wall, cpu() - used


def one_by_one(backend, iris, paths, shared):
    return ((iri, resource_page(backend, iri, paths, shared)) for iri in iris)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--resources", type=int, default=50_000, help="pages to write (default 50,000)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="a last batched run with this many processes (default: one per core)")
    p.add_argument("--compare", action="store_true", help="also read the pages one resource at a time")
    args = p.parse_args(argv)
    paths = Paths()
    index, wall, used = timed(lambda: site_module.resource_index(Embedded(args.store, fixed=True), paths))
    print(f"listing: {len(index)} resources with a page in {wall:.1f} s wall, {used:.1f} s CPU "
          f"({1e6 * used / max(1, len(index)):.0f} us CPU per resource)")
    chosen = index[:: max(1, len(index) // args.resources)][: args.resources]  # spread over the store's kinds
    site_module.resource_index = lambda backend, paths: chosen
    work = Path(tempfile.mkdtemp(prefix="ngograph-site-bench-"))
    try:
        batched = site_module.resource_pages
        runs = [("batched", batched, 1)] + ([("one by one", one_by_one, 1)] if args.compare else []) \
            + ([("batched", batched, args.workers)] if args.workers > 1 else [])
        for name, reader, workers in runs:
            site_module.resource_pages = reader  # in this process: a spawned worker reads in batches
            n, wall, used = timed(lambda: site_module.write_site(args.store, work / f"{len(os.listdir(work))}", paths,
                                                                  workers=workers))
            print(f"site ({name}, {workers} process(es)): {n} pages in {wall:.1f} s wall ({n / wall:.0f} pages/s), "
                  f"{used:.1f} s CPU ({1000 * used / n:.2f} ms CPU per page, ~{2 * n / used:.0f} pages/s on 2 idle "
                  f"cores: 50,000 pages in ~{50_000 * used / n / 2:.0f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
