"""Stage 2, build: the curated data as one graph, written by the same emitter as every import.

:func:`build_graph` turns the checked records of ``data/`` into common records
(:func:`ngograph.sources.curated.curated_records`), has :class:`ngograph.rdf.emit.Emitter` write
them, and adds the reference vocabularies of ``data/vocab/*.ttl`` as they are. Every IRI is
minted deterministically from record ids under one base (see :func:`ngograph.config.base_iri`):
``{base}project/{id}``, ``{base}organisation/{id}``,
``{base}participation/{project}/{role}/{organisation}``, ... No blank nodes, so that two builds
of the same data give the same triples.

The result is the graph as N-Triples and as an rdflib Graph (for pySHACL), and beside it where
each resource was curated (``{IRI: Location}``) for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ngograph.errors import DataError, Location
from ngograph.rdf.emit import Emitter, Roles, literal
from ngograph.rdf.namespaces import NGO
from ngograph.records.check import Records
from ngograph.records.types import CountryGroup
from ngograph.sources.curated import curated_records

__all__ = ["Built", "build_graph"]


@dataclass
class Built:
    """The result of a build: the published graph (N-Triples, and parsed), the record
    location of each resource, and the reference data on their own, as N-Triples: the vocabularies
    (``data/vocab/*.ttl``) and the country groups (``data/country-groups.yaml``), also in ``nt``."""

    nt: bytes
    locations: dict[str, Location] = field(default_factory=dict)
    vocab_nt: bytes = b""
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib Graph (parsed once, when first asked for)."""
        if self._graph is None:
            self._graph = Graph(bind_namespaces="none")
            self._graph.parse(data=self.nt, format="nt")
        return self._graph

    def locations_nt(self) -> bytes:
        """The build metadata as N-Triples ``<resource> ngo:curatedAt "file:line"``."""
        return "".join(f"<{iri}> <{NGO.curatedAt}> {literal(str(loc))} .\n"
                       for iri, loc in sorted(self.locations.items())).encode()


def _vocab(path: Path, em: Emitter) -> str:
    """A reference vocabulary as it is, each subject located at the line its description starts;
    returns its N-Triples."""
    display = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        raise DataError([(Location(display, 1), f"cannot parse Turtle: {exc}")]) from None
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    em.lines.append(text)
    # where each subject's description starts: the first line opening with its local name
    starts: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line[0].isspace() and not line.startswith(("@", "#")):
            token = line.split()[0].rstrip(">")
            starts.setdefault(re.split(r"[:/#\\]", token)[-1], n)
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            local = re.split(r"[/#]", t.subject.value)[-1]
            em.at(f"<{t.subject.value}>", Location(display, starts.get(local, 1)))
    return text


def build_graph(records: Records, base: str) -> Built:
    """The published graph of ``records`` with IRIs minted under ``base``."""
    em = Emitter(base, None, Roles(records.roles, records.consortium_roles))
    vocab = [_vocab(path, em) for path in records.vocab_files]
    for record in curated_records(records):
        start = len(em.lines)
        em.emit(record)
        if isinstance(record, CountryGroup):  # reference data as well: `--source cordis` still has the groups
            vocab.extend(em.lines[start:])
    return Built(em.take(), em.locations, "".join(vocab).encode())
