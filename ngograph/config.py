"""All paths and settings in one place. Nothing is created at import time.

Each setting is layered: an explicit argument wins, then an environment variable
(``NGOGRAPH_...``), then the default.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ngograph.errors import ConfigError

__all__ = ["PROJECT_ROOT", "DEFAULT_BASE", "data_dir", "store_path", "base_iri", "is_iri", "seeds_dir"]

#: The checkout, for the tests, benchmarks and doctests that read it; ngograph itself never reads
#: beside the package: the files it ships (ontology, queries, vocabularies, example) come from
#: :mod:`ngograph.resources`.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "https://w3id.org/ngograph/id/"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The curated data folder (user data): argument, then ``NGOGRAPH_DATA``, then ``data/`` in the working
    directory (in the checkout: the project's ``data/``). ``ngograph build --example`` reads the shipped
    example instead (:data:`ngograph.resources.EXAMPLE_DIR`)."""
    return Path(explicit or os.environ.get("NGOGRAPH_DATA") or "data")


def store_path(explicit: str | os.PathLike | None = None) -> Path:
    """The embedded store: argument, then ``NGOGRAPH_STORE``, then ``.ngograph/store`` in the working directory."""
    return Path(explicit or os.environ.get("NGOGRAPH_STORE") or Path(".ngograph") / "store")


def seeds_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The seed documents: argument, then ``NGOGRAPH_SEEDS``, then ``../shared/seeds`` beside the project."""
    return Path(explicit or os.environ.get("NGOGRAPH_SEEDS") or PROJECT_ROOT.parent / "shared" / "seeds")


_BASE_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")


def base_iri(explicit: str | None = None) -> str:
    """The base under which data IRIs are minted: argument, then ``NGOGRAPH_BASE``, then
    :data:`DEFAULT_BASE`.

    >>> base_iri("https://example.org/ngo/")
    'https://example.org/ngo/'
    >>> base_iri("example.org")
    Traceback (most recent call last):
    ...
    ngograph.errors.ConfigError: base IRI 'example.org' must be an http(s) IRI ending in '/' or '#', e.g. --base https://example.org/ngograph/id/
    """
    value = explicit or os.environ.get("NGOGRAPH_BASE") or DEFAULT_BASE
    if not _BASE_RE.match(value) or not is_iri(value):
        raise ConfigError(
            f"base IRI {value!r} must be an http(s) IRI ending in '/' or '#', "
            "e.g. --base https://example.org/ngograph/id/"
        )
    return value


def is_iri(value: str) -> bool:
    """Whether ``value`` is an IRI (RFC 3987), as the store checks one: a base (imported IRIs are minted under it
    and loaded without the store's own check, :func:`ngograph.store.embedded.write_graph`), a source's web address.

    >>> is_iri("https://example.org/id/"), is_iri("https://example.org/[id]/"), is_iri("https://a.example/%zz")
    (True, False, False)
    """
    import pyoxigraph as ox  # here: the command line imports no engine before a verb runs (tests/test_wheel.py)

    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def endpoint_auth(user: str | None) -> tuple[str, str] | None:
    """The ``(user, password)`` for a SPARQL endpoint that asks for them: the user from
    ``--user``, the password only from ``NGOGRAPH_ENDPOINT_PASSWORD`` (never an argument,
    which every user of the machine can read in the process list); None without a user.

    >>> endpoint_auth(None) is None
    True
    """
    if not user:
        return None
    password = os.environ.get("NGOGRAPH_ENDPOINT_PASSWORD")
    if not password:
        raise ConfigError(f"--user {user}: set the endpoint password in the environment variable "
                          "NGOGRAPH_ENDPOINT_PASSWORD (it is never taken as an argument)")
    return user, password
