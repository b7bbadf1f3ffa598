"""The `ngograph` command (and ``python -m ngograph``): :func:`ngograph.cli.main` in a process that runs on the
faster allocator (:func:`ngograph.runtime.preload_allocator`; ``NGOGRAPH_ALLOCATOR=system`` keeps the C
library's). Kept apart from :mod:`ngograph.cli` so that the process starts again before the command line's
modules are imported."""

from __future__ import annotations

import sys


def entry() -> None:
    from ngograph.errors import ConfigError
    from ngograph.runtime import preload_allocator

    try:
        preload_allocator()
    except ConfigError as exc:
        print(f"ngograph: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    from ngograph.cli import main

    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
