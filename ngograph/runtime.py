"""Process-wide settings for bulk work: the cyclic garbage collector paused while an import, a
validation or a reconciliation makes millions of objects that hold no reference cycles.

CPython's collector runs whenever allocations outnumber deallocations by 700, and every tenth and
hundredth run walks the older objects too, which are all the records, rows and results made so far.
Mapping the CORDIS participation table spent a third of its CPU there (5.5-6.1 s without the collector
against 7.5-9.9 s with it), the fast validator's calling thread a quarter, reconciliation a third; the
collector found 850 objects to free in the whole import. Reference counting frees the rest as it goes.

Only where it was measured to help, and never around rdflib or pySHACL: they make cyclic garbage in
proportion to the graph (with the collector paused, `validate --engine pyshacl` peaked 54 % higher on
44,000 quads). The pause is process-wide: two overlapping callers in two threads resume it when the
first ends, which costs the other speed, not correctness.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and resume it after (if it was running:
    nested blocks leave it to the outer one).

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
