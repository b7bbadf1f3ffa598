"""The one error hierarchy of ngograph. Errors are raised, never printed and swallowed;
the command line turns them into a message and an exit code."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["install_hint", "Location", "NgographError", "DataError", "StoreError", "ShapesError", "ConfigError",
           "QueryError", "QuerySyntaxError", "QueryTimeout", "EndpointError", "SourceError", "DamagedFile"]


def install_hint(extra: str) -> str:
    """How to add an extra in a checkout or with the wheel (ngograph is not on PyPI yet: README, Installing).

    >>> install_hint("serve")
    "pip install -e '.[serve]' in a checkout, pip install 'dist/ngograph-*.whl[serve]' with the wheel"
    """
    return f"pip install -e '.[{extra}]' in a checkout, pip install 'dist/ngograph-*.whl[{extra}]' with the wheel"


@dataclass(frozen=True, order=True)
class Location:
    """Where a record, or one value of it, stands: a file and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class NgographError(Exception):
    """Base class of every error ngograph raises on purpose."""

    exit_code = 2


class ConfigError(NgographError):
    """A setting (argument, environment variable) is wrong; the message says how to fix it."""


class DataError(NgographError):
    """The curated data cannot be read: each problem names its file and line.

    ``problems`` is a list of ``(Location | None, message)``, sorted by location.
    """

    def __init__(self, problems: list[tuple[Location | None, str]]):
        self.problems = sorted(problems, key=lambda p: (p[0] is None, p[0] or Location("", 0), p[1]))
        super().__init__(self.render())

    #: Problems shown by :meth:`render`; the rest are counted.
    max_shown = 50

    def render(self) -> str:
        """The problems one per line, the first :attr:`max_shown` of them and a count of the rest.

        >>> print(DataError([(Location("x.yaml", n), "bad") for n in range(1, 53)]).render().splitlines()[-2:])
        ['x.yaml:50: bad', '... and 2 more problem(s), not shown: fix these first']
        """
        lines = [f"{loc}: {msg}" if loc else msg for loc, msg in self.problems[:self.max_shown]]
        if len(self.problems) > self.max_shown:
            lines.append(f"... and {len(self.problems) - self.max_shown} more problem(s), not shown: fix these first")
        head = f"{len(self.problems)} problem(s) in the data:" if len(self.problems) > 1 else ""
        return "\n".join([head, *lines] if head else lines)


class SourceError(NgographError):
    """A source file cannot be read: each problem names its file and record."""

    def __init__(self, problems: list[tuple[str, str]]):
        #: ``(location, message)`` pairs; a location is "file:line", "file:row N" or "file#/json/pointer".
        self.problems = list(problems)
        super().__init__("\n".join(f"{loc}: {msg}" for loc, msg in self.problems))


class DamagedFile(SourceError):
    """A source file is damaged: it ends early (a truncated gzip, XML or JSON cut off mid-document, a CSV
    quote opened and never closed) or breaks off after its start. Raised whether or not the reader
    collects problems: reading it further, or importing what was read before the damage, would import
    part of a file as if it were all of it. The import refuses, the store is left as it was.

    >>> print(DamagedFile("a.csv:row 3", "a quoted cell is never closed"))
    a.csv:row 3: a quoted cell is never closed: the file is damaged; nothing is imported, the store is unchanged
    """

    def __init__(self, location: str, what: str):
        super().__init__([(location, f"{what}: the file is damaged; nothing is imported, the store is unchanged")])


class ShapesError(NgographError):
    """The SHACL shapes or the ontology cannot be loaded."""


class StoreError(NgographError):
    """The embedded store is missing, locked or cannot be written."""


class QueryError(NgographError):
    """A query cannot be run as asked: unknown name, bad parameter, refused keyword, or an
    engine that cannot run it."""


class QuerySyntaxError(QueryError):
    """A query's text is not SPARQL (the command names the query's file)."""


class QueryTimeout(NgographError):
    """A query ran longer than its timeout."""

    exit_code = 3


class EndpointError(NgographError):
    """A remote endpoint did not answer, or answered something that is not SPARQL results."""
