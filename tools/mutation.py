"""Mutation testing of chosen modules with mutmut (``make mutation``; not part of ``make test`` or CI).

    python tools/mutation.py [--tests TEST ...] [--mutants NAME ...] [--max-children N] [--keep] MODULE ...
    python tools/mutation.py --report MODULE ...

MODULE is a file (``ngograph/net/measures.py``) or a folder of them (``ngograph/net``).
Without ``--tests`` the tests are every ``tests/*.py`` that names a module (its dotted name,
e.g. ``ngograph.net.measures``, or ``from ngograph.net import measures``) plus the modules'
own doctests. The settings of ``[tool.mutmut]`` in pyproject.toml apply (``process_isolation =
"forkserver"``: the default fork mode deadlocks here and reports false time-outs); this script
adds what mutmut does not do:

- a call made while a module- or session-scoped fixture is set up is credited to every test
  that uses the fixture (mutmut credits it to the first such test only, so the mutant would be
  checked by that one test);
- the caches of the mutated modules (``f = lru_cache(...)(_f)``: mutmut gives a decorated function no
  mutants, hence this form) are emptied before each test while the tests are matched to the
  functions they call: a data loader cached after its first call (``legal_forms()``) was credited to
  the first test that called it only, and its mutants checked by that one test;
- a call into a mutated module while the tests are collected (data loaded at import time of a
  test module) is reported: it runs before any mutant is applied, so it checks nothing;
- the doctests of mutmut's copies of each function are left out (the original's doctest still runs);
- the package's linked folders (``ngograph/resources/queries`` -> ``../../queries``...) are linked
  in ``mutants/`` too (mutmut copies files only, and the copy would ship no queries or shapes);
- ``mutants/`` is made afresh (``--keep`` reuses the previous results);
- a table per module: mutants, killed, timeout (the tests did not end: an endless loop,
  detected), survived, equivalent (listed in tests/mutation-equivalents.txt), other (no
  tests, suspicious), score = (killed + timeout) / (mutants - equivalent).

Depends on mutmut's internals (``mutmut.state``, the pytest runner), hence mutmut is pinned exactly.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from mutmut import __main__ as mutmut_main
from mutmut.configuration import config as mutmut_config
from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.trampoline import get_mutant_under_test
from mutmut.runners.harness import PytestRunner
from mutmut.state import state
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation-equivalents.txt"
IMPORT_TIME_CALLS = ROOT / "mutants" / "import-time-calls.json"


def module_files(modules: list[str]) -> list[str]:
    """The .py files of ``modules`` (files or folders), relative to the repository, sorted."""
    out = set()
    for m in modules:
        path = (ROOT / m).resolve()
        if path.is_dir():
            out.update(str(p.relative_to(ROOT)) for p in path.rglob("*.py"))
        elif path.suffix == ".py" and path.is_file():
            out.add(str(path.relative_to(ROOT)))
        else:
            sys.exit(f"mutation: {m}: not a .py file or a folder of the repository")
    return sorted(out)


def dotted(path: str) -> str:
    """``ngograph/net/measures.py`` -> ``ngograph.net.measures``."""
    return path[:-3].replace("/", ".").removesuffix(".__init__")


def default_tests(files: list[str]) -> list[str]:
    """The test files that name one of ``files``' modules, and the modules themselves (doctests)."""
    patterns = []
    for f in files:
        package, _, name = dotted(f).rpartition(".")
        patterns.append(re.escape(dotted(f)) + r"\b")
        patterns.append(rf"from {re.escape(package)} import [^\n]*\b{re.escape(name)}\b")
    wanted = re.compile("|".join(patterns))
    tests = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").glob("test_*.py"))
             if wanted.search(p.read_text(encoding="utf-8"))]
    return tests + files


def equivalents() -> dict[str, str]:
    """``{mutant name: why}`` from tests/mutation-equivalents.txt (``#`` starts a comment line)."""
    out = {}
    if EQUIVALENTS.exists():
        for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                name, _, why = line.strip().partition(" ")
                out[name] = why.strip()
    return out


def clear_caches(modules: list[str]) -> None:
    """Empty the caches (``functools.lru_cache``/``cache`` wrappers) held by the ``modules`` (dotted names)."""
    for name in modules:
        for value in list(vars(importlib.import_module(name)).values()):
            if callable(getattr(value, "cache_clear", None)) and callable(getattr(value, "cache_info", None)):
                value.cache_clear()


class FixtureCredit:
    """A pytest plugin for mutmut's runs: see the module docstring. ``modules``: the mutated modules
    (dotted names), whose caches are emptied before each test of the run that matches tests to functions."""

    def __init__(self, modules: list[str] = ()):
        self.calls: dict[object, set[str]] = {}
        self.modules = list(modules)

    def pytest_collection_modifyitems(self, session, config, items):
        """Leave out the doctests of mutmut's copies of each function (``x_NAME__mutmut_3``...): each has
        the original's docstring, so each example would run once per mutant of its function."""
        copies = [item for item in items if "__mutmut_" in item.nodeid]
        if copies:
            items[:] = [item for item in items if "__mutmut_" not in item.nodeid]
            config.hook.pytest_deselected(items=copies)

    @staticmethod
    def _stats_run() -> bool:
        return get_mutant_under_test() == "stats"

    def pytest_collection(self, session):
        state()._stats.clear()

    def pytest_collection_finish(self, session):
        if self._stats_run():
            IMPORT_TIME_CALLS.write_text(json.dumps(sorted(state()._stats)), encoding="utf-8")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.scope == "function" or not self._stats_run():
            yield
            return
        outer = set(state()._stats)
        state()._stats.clear()
        try:
            yield
        finally:
            self.calls.setdefault(fixturedef, set()).update(state()._stats)
            state()._stats.update(outer)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        if self._stats_run():
            clear_caches(self.modules)  # before the fixtures: a cached call they make is credited to them
        yield
        if not self._stats_run():
            return
        for defs in getattr(item, "_fixtureinfo").name2fixturedefs.values():
            for fixturedef in defs:
                state()._stats.update(self.calls.get(fixturedef, ()))


def link_resources() -> None:
    """Recreate in ``mutants/`` the linked folders of the package (``ngograph/resources/queries`` ->
    ``../../queries``...): mutmut copies files only, and its copy of the package would ship no
    ontology, queries or vocabularies. The links are relative, so they point into ``mutants/``, where
    mutmut copies the folders of ``also_copy``."""
    for link in sorted((ROOT / "ngograph").rglob("*")):
        if link.is_symlink() and link.is_dir():  # linked files are copied (followed) by mutmut
            target = ROOT / "mutants" / link.relative_to(ROOT)
            if not target.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(os.readlink(link))


def run(files: list[str], tests: list[str], max_children: int | None, keep: bool, mutants: list[str]) -> None:
    os.chdir(ROOT)
    if not keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    link_resources()
    config = mutmut_config()
    config.only_mutate = files
    config.pytest_add_cli_args_test_selection = tests
    plugin = FixtureCredit([dotted(f) for f in files])
    execute = PytestRunner.execute_pytest

    def execute_with_plugin(self, params, **kwargs):
        kwargs["plugins"] = [*kwargs.get("plugins", []), plugin]
        return execute(self, params, **kwargs)

    PytestRunner.execute_pytest = execute_with_plugin
    print(f"mutation: mutating {' '.join(files)}\nmutation: tests {' '.join(tests)}", flush=True)
    try:
        mutmut_main._run(mutants, max_children)
    except SystemExit as e:
        if e.code not in (0, None):
            raise


def report(files: list[str]) -> int:
    """Print the table of results per module; 0 if every module was run."""
    os.chdir(ROOT)
    listed = equivalents()
    seen = set()
    print(f"{'module':40} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} {'equiv':>5} {'other':>5} "
          f"{'score':>6}")
    missing = 0
    survivors = []
    for f in files:
        data = SourceFileMutationData(path=f)
        data.load()
        unchecked = [n for n, code in data.exit_code_by_key.items() if code is None]
        for name in unchecked:
            del data.exit_code_by_key[name]
            seen.add(name)
        if unchecked:
            print(f"  {f}: {len(unchecked)} mutants not checked (left out of the counts)")
        if not data.exit_code_by_key:
            print(f"{f:40} not run")
            missing += 1
            continue
        counts = Counter()
        for name, code in sorted(data.exit_code_by_key.items()):
            status = status_by_exit_code[code]
            seen.add(name)
            if name in listed:
                if status == "killed":
                    print(f"  listed as equivalent but killed (remove it): {name}")
                    counts["killed"] += 1
                else:
                    counts["equivalent"] += 1
                continue
            counts[status if status in ("killed", "timeout", "survived") else "other"] += 1
            if status not in ("killed", "timeout"):
                survivors.append(f"{name}: {status}")
        total = len(data.exit_code_by_key)
        judged = total - counts["equivalent"]
        score = f"{100 * (counts['killed'] + counts['timeout']) / judged:.1f}%" if judged else "-"
        print(f"{f:40} {total:7} {counts['killed']:6} {counts['timeout']:7} {counts['survived']:8} "
              f"{counts['equivalent']:5} {counts['other']:5} {score:>6}")
    prefixes = tuple(dotted(f) + "." for f in files)
    for name in sorted(n for n in listed if n.startswith(prefixes) and n not in seen):
        print(f"  listed as equivalent but no such mutant (stale name): {name}")
    if survivors:
        print("not killed (`mutmut show NAME` prints the change):")
        print("\n".join(f"  {s}" for s in survivors))
    if IMPORT_TIME_CALLS.exists():
        calls = [c for c in json.loads(IMPORT_TIME_CALLS.read_text(encoding="utf-8")) if c.startswith(prefixes)]
        if calls:
            print("called while the tests were collected (import time: never mutated):", ", ".join(calls))
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", help="files or folders of ngograph/ to mutate")
    parser.add_argument("--tests", nargs="+", help="test files or node ids (default: those naming the modules)")
    parser.add_argument("--mutants", nargs="+", default=[],
                        help="only these mutants (names or globs, e.g. 'ngograph.net.measures.x_degree__mutmut_*')")
    parser.add_argument("--max-children", type=int, default=None, help="parallel workers (default: CPU count)")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and the results in it")
    parser.add_argument("--report", action="store_true", help="only print the table of the last run")
    args = parser.parse_args(argv)
    files = module_files(args.modules)
    if not args.report:
        run(files, args.tests or default_tests(files), args.max_children, args.keep, args.mutants)
    return report(files)


if __name__ == "__main__":
    sys.exit(main())
