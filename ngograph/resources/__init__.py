"""The files ngograph ships, in one place: every resource is read through this module.

Package resources (read-only; in the wheel, read with :mod:`importlib.resources`):

- ``ontology/``: the ontology (:data:`ONTOLOGY_FILE`), the SHACL shapes (:data:`SHAPES_FILE`), the
  DCAT-AP shapes of the description (:data:`DCAT_AP_SHAPES_FILE`) and the JSON-LD context
  (:data:`CONTEXT_FILE`);
- ``queries/``: the SPARQL library (:data:`QUERIES_DIR`);
- ``vocab/``: the reference vocabularies every build loads (roles, countries, the sources' codes);
- ``reference/``: the reference tables (map positions and outlines, the generators' inputs);
- ``example/``: the example data set, the five curated seed projects (``ngograph build --example``).

User data is the curated data folder (``--data`` / ``NGOGRAPH_DATA``, default ``data/`` in the working
directory, :func:`ngograph.config.data_dir`): its YAML records, and ``reconcile/decisions.csv`` (the
user's review decisions) and ``reconcile/pending.csv`` (the review queue ngograph writes). A data folder
may carry its own ``vocab/`` or ``reference/``, which then replace the shipped ones
(:func:`vocab_dir`, :func:`reference_dir`): the checkout's ``data/`` does, and they are the very files
the package ships.

In the repository the resources stay in their top-level folders (``ontology/``, ``queries/``,
``data/vocab/``, ``data/reference/``, ``data/*.yaml``); this package folder holds relative symlinks to
them. setuptools copies the files behind the links into the sdist and the wheel (package data), and an
editable install (``pip install -e .``) reads them through the links, so both installs read the same
files by the same code (no second lookup beside the package). Nothing is read at import time.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ngograph.errors import ConfigError

__all__ = ["ONTOLOGY_FILE", "SHAPES_FILE", "CONTEXT_FILE", "DCAT_AP_SHAPES_FILE", "QUERIES_DIR", "EXAMPLE_DIR",
           "resource", "vocab_dir", "reference_dir", "package_file"]


def resource(*parts: str) -> Path:
    """The path of a shipped resource (``resource("ontology", "shapes.ttl")``), symlinks resolved.

    >>> resource("ontology", "ngograph.ttl").name
    'ngograph.ttl'
    """
    return package_file(__name__, *parts)


def package_file(package: str, *parts: str) -> Path:
    """A data file of one of ngograph's packages (``package_file("ngograph.reconcile", "legal_forms.tsv")``).

    Installed packages are folders (pip unpacks wheels), so the resource is a real file; a zipped
    install is refused with one line rather than read half."""
    return _root(package).joinpath(*parts).resolve()


def _root(package: str) -> Path:
    root = files(package)
    if not isinstance(root, Path):
        raise ConfigError(f"{package}: installed as {type(root).__name__}, not as files; reinstall ngograph with pip")
    return root


ONTOLOGY_FILE = resource("ontology", "ngograph.ttl")
SHAPES_FILE = resource("ontology", "shapes.ttl")
#: The JSON-LD context of our namespaces and terms, read from disk (never fetched).
CONTEXT_FILE = resource("ontology", "context.jsonld")
#: SHACL shapes of what a DCAT-AP 3 harvester needs of the dataset description.
DCAT_AP_SHAPES_FILE = resource("ontology", "dcat-ap-shapes.ttl")
#: The SPARQL library: ``queries/*.rq`` (``network/``, ``describe/``, ``qc/`` ... below).
QUERIES_DIR = resource("queries")
#: The example data set: the five curated seed projects, a data folder (``ngograph build --example``).
#: Not resolved: its files are links into the checkout's data/, whose other folders are not the example's.
EXAMPLE_DIR = _root(__name__) / "example"


def vocab_dir(data: str | Path | None = None) -> Path:
    """The reference vocabularies: ``vocab/`` of the data folder ``data`` where it has one, else the shipped ones.

    >>> vocab_dir("/nonexistent") == resource("vocab")
    True
    """
    return _own_or_shipped(data, "vocab")


def reference_dir(data: str | Path | None = None) -> Path:
    """The reference tables: ``reference/`` of the data folder ``data`` where it has one, else the shipped ones.

    >>> (reference_dir() / "country-positions.tsv").is_file()
    True
    """
    return _own_or_shipped(data, "reference")


def _own_or_shipped(data, name: str) -> Path:
    own = Path(data) / name if data is not None else None
    return own if own is not None and own.is_dir() else resource(name)
