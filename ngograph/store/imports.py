"""Importing a source into the store: read -> records -> triples -> one named graph.

Each import is a *source dataset*: its files, read by the source's reader, mapped onto
:mod:`ngograph.records.types`, turned into triples by :class:`ngograph.rdf.emit.Emitter`
and written as the named graph ``{base}dataset/{name}`` (the graph's IRI is the dataset's:
its description is in the graph). Importing the same source under the same name again replaces that
graph (same keys, same IRIs, no duplicates; a name another source's import holds is refused); everything else in
the store is carried over.
The store is replaced atomically (:func:`ngograph.store.embedded.write_graph`), so an import
that fails or is killed leaves the store as it was and readers keep working.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

import pyoxigraph as ox

from ngograph import __version__
from ngograph.config import base_iri, data_dir
from ngograph.errors import ConfigError, SourceError
from ngograph.rdf.emit import Emitter, Roles, literal
from ngograph.rdf.namespaces import DCAT, DCTERMS, NGO, PROV, RDF, RDFS, SPDX, XSD
from ngograph.records.personal import redact
from ngograph.records.types import Organisation, Project, Record, Text
from ngograph.resources import vocab_dir
from ngograph.runtime import collector_paused
from ngograph.sources.cordis import read_cordis
from ngograph.sources.cordis_records import cordis_records
from ngograph.sources.forskningsradet import read_forskningsradet
from ngograph.sources.forskningsradet_records import forskningsradet_records
from ngograph.sources.giving360 import read_giving360
from ngograph.sources.giving360_records import giving360_records
from ngograph.sources.iati import iati_files, read_iati
from ngograph.sources.iati_records import iati_records
from ngograph.sources.interreg import read_interreg
from ngograph.sources.interreg_records import interreg_records
from ngograph.sources.table import read_table_set
from ngograph.sources.table_records import table_records
from ngograph.sources.tabular import expand, mis_decoded
from ngograph.textclip import LONE_SURROGATE, shown_path
from ngograph.store.embedded import (CURATED, LOAD_BATCH, graph_size, named_graphs, open_store, source_name,
                                     write_graph)

__all__ = ["SOURCES", "ImportSummary", "reasons", "dataset_iri", "import_source", "list_imports", "drop_import"]

@dataclass(frozen=True)
class _Source:
    title: str
    files: Callable[[list[Path], list], Iterator[Path]]
    read: Callable[[list[Path], list], object]  # the reader: files -> source records
    to_records: Callable[[object, list], Iterator[Record]]  # the mapper: source records -> common records
    licence: str | None = None
    description: str | None = None  # English; what a reader of the graph must know about the source
    origin: str | None = None  # where the source's data are published (dct:source)
    rights: str | None = None  # English; the terms of reuse where no licence is stated (dct:rights)

    def records(self, paths: list[Path], problems: list) -> Iterator[Record]:
        """The common records of the files ``paths``; problems go to ``problems``."""
        return self.to_records(self.read(paths, problems), problems)


def _forskningsradet_files(paths: list[Path], problems: list) -> Iterator[Path]:
    return (p for p in expand(paths, (".csv", ".csv.gz")) if not p.name.startswith("fields."))


#: The sources ``ngograph import`` reads, by name.
SOURCES = {
    "iati": _Source("IATI activity files", iati_files, read_iati, iati_records,
                    origin="https://iatistandard.org/",
                    rights="Each IATI publisher's own open licence (mostly CC BY 4.0, ODC-BY or PDDL), stated with its "
                           "files in the IATI Registry."),
    "cordis": _Source("CORDIS tables", lambda paths, problems: expand(paths, (".csv", ".csv.gz")), read_cordis,
                      cordis_records,
                      "https://creativecommons.org/licenses/by/4.0/", origin="https://cordis.europa.eu/",
                      rights="(c) European Union; reuse authorised under the Commission's reuse policy (CC BY 4.0)."),
    "interreg": _Source("Interreg Sweden partner file", lambda paths, problems: expand(paths, (".json", ".json.gz")),
                        read_interreg, interreg_records, None,
                        "The Swedish partners of Interreg 2021-2027 projects (Tillväxtverket's dashboard "
                        "\"Svenska partners i Interreg\"). The file lists ONLY Swedish partners: the foreign partners "
                        "of the same projects, and the lead partner of most projects, are absent, so no consortium "
                        "here is complete and a project without a lead partner may well have one. The amounts are "
                        "each partner's EU funding (ERDF) in euro, without national co-financing.",
                        origin="https://tillvaxtverket.se/",
                        rights="No licence stated; the data are the Swedish Agency for Economic and Regional Growth's "
                               "(Tillväxtverket) public programme data."),
    # 360Giving publishers usually license CC BY 4.0, but these files state no licence: none claimed.
    "360giving": _Source("360Giving grant files",
                         lambda paths, problems: expand(paths, (".json", ".csv", ".json.gz", ".csv.gz")),
                         read_giving360, giving360_records, origin="https://www.threesixtygiving.org/",
                         rights="No licence stated in these files; 360Giving publishers usually license their data "
                                "CC BY 4.0 (not verified per file)."),
    # No licence is stated in the Research Council's repository (NLOD 2.0 likely, not verified): none claimed.
    "forskningsradet": _Source("Research Council of Norway: EU grants to Norwegian organisations",
                               _forskningsradet_files, read_forskningsradet,
                               forskningsradet_records, origin="https://github.com/Forskningsradet/open-data",
                               rights="No licence stated (Norwegian public-sector open data is usually NLOD 2.0; "
                                      "not verified)."),
    # every CSV file named or in a folder named: the reader reads the template's and reports the others
    "table": _Source("Spreadsheet template (docs/template.md)", lambda paths, problems: expand(paths, (".csv",)),
                     read_table_set, table_records,
                     rights="No licence stated in the files: the data are under the terms of whoever filled in the "
                            "spreadsheet; ask them before reuse."),
}


@dataclass
class ImportSummary:
    """What an import read and wrote: records per type, the countries named, problems
    ``(location, message)``, names that look mis-decoded ``(location, name)`` (kept as written),
    the files with their sizes and SHA-256, the triples written and the seconds taken."""

    name: str
    graph: str
    counts: Counter = field(default_factory=Counter)
    countries: set[str] = field(default_factory=set)
    problems: list[tuple[str, str]] = field(default_factory=list)
    mis_decoded: list[tuple[str, str]] = field(default_factory=list)
    files: list[tuple[str, int, str]] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0


#: A dataset's name (``import --name``): the last segment of its IRI, as written
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def dataset_iri(base: str, name: str) -> ox.NamedNode:
    """The IRI of an imported source dataset, which is also its named graph."""
    return ox.NamedNode(f"{base}dataset/{name}")


def _earlier_source(store: ox.Store, graph: ox.NamedNode) -> str | None:
    """The source (a key of :data:`SOURCES`) whose files are imported as ``graph`` in the store, read off the
    dataset's title; None where there is no such graph, or a title of no source known."""
    titles = [q.object.value for q in store.quads_for_pattern(graph, ox.NamedNode(str(DCTERMS.title)), None, graph)]
    return next((key for key, spec in SOURCES.items() for title in titles if title.startswith(f"{spec.title}: ")),
                None)


def _no_other_source(source: str, name: str, graph: ox.NamedNode, path: Path) -> Callable[[ox.Store], None]:
    """A check of the store before an import writes ``graph`` (run under the writer lock, so that two imports
    cannot both find the name free): the dataset ``name`` is no other source's import, which it would replace
    without a word."""
    def check(store: ox.Store) -> None:
        earlier = _earlier_source(store, graph)
        if earlier not in (None, source):
            raise ConfigError(f"the dataset name {name} is an import of {earlier} files in {path}: importing {source} "
                              f"files under that name would replace them; import them under another name (--name "
                              f"NAME), or remove the {earlier} import first (`ngograph import --drop {name} --store "
                              f"{path}`)")
    return check


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _describe(em: Emitter, summary: ImportSummary, source: _Source) -> None:
    """The dataset description: title, import time, software, files with size and checksum."""
    d = em.dataset
    em.triple(d, RDF.type, f"<{NGO.SourceDataset}>")
    em.triple(d, DCTERMS.title, literal(f"{source.title}: {summary.name}", "en"))
    em.triple(d, PROV.generatedAtTime, literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                               datatype=str(XSD.dateTime)))
    em.triple(d, NGO.importedWith, literal(f"ngograph {__version__}"))
    if source.licence:
        em.triple(d, DCTERMS.license, f"<{source.licence}>")
    if source.description:
        em.triple(d, DCTERMS.description, literal(source.description, "en"))
    if source.origin:
        em.triple(d, DCTERMS.source, f"<{source.origin}>")
    if source.rights:
        rights = f"{d[:-1]}/rights>"
        em.triple(d, DCTERMS.rights, rights)
        em.triple(rights, RDF.type, f"<{DCTERMS.RightsStatement}>")
        em.triple(rights, RDFS.label, literal(source.rights, "en"))
    for n, (name, size, digest) in enumerate(summary.files, 1):
        f, c = f"{d[:-1]}/file/{n}>", f"{d[:-1]}/file/{n}/checksum>"
        em.triple(d, DCAT.distribution, f)
        em.triple(f, RDF.type, f"<{DCAT.Distribution}>")
        em.triple(f, RDF.type, f"<{NGO.SourceFile}>")
        em.triple(f, DCTERMS.title, literal(name))
        em.triple(f, DCAT.byteSize, literal(str(size), datatype=str(XSD.nonNegativeInteger)))
        em.triple(f, SPDX.checksum, c)
        em.triple(c, SPDX.algorithm, f"<{SPDX.checksumAlgorithm_sha256}>")
        em.triple(c, SPDX.checksumValue, literal(digest, datatype=str(XSD.hexBinary)))


def import_source(store: Path, source: str, paths: Iterable[str | Path], base: str, *, name: str | None = None,
                  data: Path | None = None, progress: Callable[[int], None] | None = None,
                  finish: Callable[[ox.Store], None] | None = None) -> ImportSummary:
    """Import the files ``paths`` of ``source`` (a key of :data:`SOURCES`) into the store as
    the dataset ``name`` (default: the source's name); return what was read and written.

    Problems in single records (a missing identifier, an unreadable date, a file that is not
    of the source's kind) are collected in the summary and the rest goes on; the store is
    replaced only at the end, atomically. A damaged file (cut off, broken after its start, a CSV
    quote never closed) raises :class:`~ngograph.errors.DamagedFile` from its reader and nothing is
    written: the store is left as it was. An import that reads no record at all raises
    :class:`~ngograph.errors.SourceError` and leaves the store as it was (it would replace an
    earlier import of the same name by an empty graph). The roles come from ``data``/vocab/roles.ttl (the
    data folder of :func:`ngograph.config.data_dir`). ``progress(n)`` is called with the number of
    records mapped so far, every 10,000 records. ``finish(new store)`` runs before the store is
    replaced (the CLI passes :func:`ngograph.publish.describe.describe_store`).
    """
    if source not in SOURCES:
        raise ConfigError(f"unknown source {source!r}: choose one of {', '.join(SOURCES)}")
    base = base_iri(base)  # checked here too: the batches are loaded without the store's check (trusted)
    spec = SOURCES[source]
    t0 = time.perf_counter()
    name = source if name is None else name  # --name '' is refused below, not read as no name
    if not _NAME.fullmatch(name):
        raise ConfigError(f"--name '{shown_path(name)}' is not a dataset name: use letters, digits, '.', '_' and '-', "
                          "starting with a letter or digit (it ends the dataset's IRI, .../dataset/NAME)")
    if name == CURATED:
        raise ConfigError(f"--name {CURATED} is the curated data's name (--source {CURATED}): choose another")
    graph = dataset_iri(base, name)
    summary = ImportSummary(name, graph.value)
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise ConfigError(f"{p}: no such file or folder")
    # a file named twice (a.xml a.xml, or a folder and a file in it) is read once: twice, its records were counted
    # twice and its problems said twice
    once: dict[Path, Path] = {}
    for f in spec.files(paths, []):
        once.setdefault(f.resolve(), f)  # the first spelling, where it comes
    files = list(once.values())
    summary.files = [(f.name, f.stat().st_size, _sha256(f)) for f in files]  # a name's lone surrogate: Emitter.take
    where = relative_to_read(files)
    # the path the graph names (relative to the folder read): a folder above it may have any name
    summary.problems += [(shown_path(f), "the file's name is not UTF-8: each byte that is not is written as "
                                         "U+FFFD in the graph") for f in files if LONE_SURROGATE.search(where(str(f)))]
    em = Emitter(base, graph.value, Roles.read(vocab_dir(data_dir(data)) / "roles.ttl"), where=where)

    def batches() -> Iterator[bytes]:
        n = 0
        for n, record in enumerate(spec.records(files, summary.problems), 1):
            _redact(record, summary.problems)
            em.emit(record)
            _note(record, summary)
            if progress is not None and n % 10_000 == 0:
                progress(n)
            if len(em.lines) >= LOAD_BATCH:
                yield _flush(em, summary)
        if n == 0:  # an import of nothing would replace an earlier import of the same name by an empty graph
            raise _nothing_read(source, name, paths, len(files), summary.problems)
        em.concept_triples()
        _describe(em, summary, spec)
        yield _flush(em, summary)

    with collector_paused():
        write_graph(store, graph, batches(), finish, trusted=True,  # every IRI minted or checked by the Emitter
                    check=_no_other_source(source, name, graph, store))
    summary.seconds = time.perf_counter() - t0
    return summary


#: Problems shown of an import's (by the CLI after an import, and before the refusal of an import of nothing).
SHOWN_PROBLEMS = 50


def _nothing_read(source: str, name: str, paths: list[Path], files: int, problems: list) -> SourceError:
    """The refusal of an import that read no record: its problems (the first
    :data:`SHOWN_PROBLEMS`), then one line naming what was read; the store is left as it was.

    >>> error = _nothing_read("iati", "aid", [Path("downloads")], 0, [("a.xml:1", "not XML")] * 51)
    >>> [loc for loc, _ in error.problems].count("a.xml:1"), error.problems[-2]
    (50, ('...', 'and 1 more problem(s)'))
    >>> print(error.problems[-1][1])
    no iati record could be read from 0 file(s): nothing is imported, the store is unchanged (`ngograph import --drop aid` removes an earlier import named aid)
    """
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > len(shown):
        shown.append(("...", f"and {len(problems) - len(shown)} more problem(s)"))
    where = ", ".join(str(p) for p in paths)
    return SourceError([*shown, (where, f"no {source} record could be read from {files} file(s): nothing is imported, "
                                        f"the store is unchanged (`ngograph import --drop {name}` removes an earlier "
                                        f"import named {name})")])


def relative_to_read(files: list[Path]) -> Callable[[str], str]:
    """A record's location (``path:line``, ``path:row N``, ``path#/pointer``) with the path made
    relative to the folder the files were read from (their common folder), as the graph keeps
    it: the dataset description lists the files by name, and a local path says nothing to the
    graph's users (it named the importer's home folder in every dump).

    >>> where = relative_to_read([Path("/home/me/iati/a.xml"), Path("/home/me/iati/sub/b.xml")])
    >>> where("/home/me/iati/a.xml:12"), where("/home/me/iati/sub/b.xml:3"), where("elsewhere:1")
    ('a.xml:12', 'sub/b.xml:3', 'elsewhere:1')
    """
    if not files:
        return str
    full = [Path(os.path.abspath(f)) for f in files]  # files named relatively and absolutely together
    root = Path(os.path.commonpath([f.parent for f in full]))
    prefixes = sorted(((str(f), g.relative_to(root).as_posix()) for f, g in zip(files, full)),
                      key=lambda p: -len(p[0]))
    last = [prefixes[0]]

    def where(location: str) -> str:
        for path, short in (*last, *prefixes):
            if location.startswith(path):
                last[0] = (path, short)
                return short + location[len(path):]
        return location

    return where


def _note(record: Record, summary: ImportSummary) -> None:
    """Count the record, the countries it names and its names that look mis-decoded."""
    summary.counts[type(record).__name__] += 1
    if isinstance(record, Organisation) and record.country:
        summary.countries.add(record.country)
    elif isinstance(record, Project):
        summary.countries.update(record.countries)
    for name in getattr(record, "names", ()):
        if mis_decoded(name.text):
            summary.mis_decoded.append((str(record.location), name.text))


def _redact(record: Record, problems: list) -> None:
    """Take the e-mail addresses and phone numbers out of every text of ``record`` (names, titles,
    descriptions), and the titled names of people out of its descriptions: the graph names organisations, never
    people, and third-party sources print contact persons (an IATI description ends in an official's e-mail address,
    others name "Dr." so-and-so; in a name, "Dr. Reddy's Foundation" is an organisation). The rest of the text is
    kept; each text changed is a problem at the record, so the summary counts them."""
    kind = type(record)
    for name in _TEXT_FIELDS[kind] if kind in _TEXT_FIELDS else _text_fields(kind):
        texts = getattr(record, name)
        for i, text in enumerate(texts):
            kept, found = redact(text.text, names=name == "descriptions")
            if found:
                texts[i] = Text(kept, text.lang)
                problems.append((record.location, f"{name}: {' and '.join(dict.fromkeys(found))} taken out "
                                                  "(the graph names no people)"))


#: The fields of each record type that hold texts (``list[Text]``).
_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _text_fields(kind: type) -> tuple[str, ...]:
    _TEXT_FIELDS[kind] = names = tuple(f.name for f in fields(kind) if f.type == "list[Text]")
    return names


def reasons(problems: list[tuple[str, str]]) -> Counter:
    """Problems by reason: the message with its quoted values and numbers left out (the number
    of a standard, ``ISO 3166-1``, is kept), and a list in brackets of nothing else with them (examples drawn from
    the value, the rows or pointers it was found at: "(N, N)" said nothing).

    >>> reasons([("a:1", "no identifier"), ("a:7", "date '2020-13' is not a date"), ("b:2", "date '1' is not a date")])
    Counter({"date '…' is not a date": 2, 'no identifier': 1})
    >>> list(reasons([("a:9", "country 'NA' read as Namibia (ISO 3166-1 NA) in row 9")]))
    ["country '…' read as Namibia (ISO 3166-1 NA) in row N"]
    >>> list(reasons([("f:2", "IndigoTrust_360giving.csv row 12: control character U+001A in an alpha-2 code, IATI 2.x, "
    ...                       "slutdatum 2020-12-31, 1,5 million")]))
    ['IndigoTrust_360giving.csv row N: control character U+001A in an alpha-2 code, IATI 2.x, slutdatum N-N-N, N million']
    >>> list(reasons([("p.csv:row 1", "amount: '1,5' is not a decimal (15, 92.07); kept"), ("i.json", "two (/4, /9)")]))
    ["amount: '…' is not a decimal; kept", 'two']
    """
    return Counter(_LISTED.sub("", _VALUES.sub(_left_out, msg)) for _, msg in problems)


#: A standard's number, a quoted value, or a number standing alone: not a part of a name (``ocf1.json``,
#: ``IndigoTrust_360giving.csv``), a code point (``U+001A``), ``alpha-2`` or ``IATI 2.x``.
_VALUES = re.compile(r"ISO \d+(?:-\d+)?|'[^']*'|\"[^\"]*\"|(?<![\w+])(?<![A-Za-z]-)\d+(?:[.,]\d+)?(?!\w|\.[A-Za-z])")


#: A list in brackets of values left out and nothing else (" (N, N)", " (/N, /N)"), as :func:`_left_out` writes them.
_LISTED = re.compile(r" \((?:[/#]?N|'…')(?:, (?:[/#]?N|'…'))*\)")


def _left_out(m: re.Match) -> str:
    """What :func:`reasons` writes for a value: a standard's number as it is, ``'…'`` for a quoted one, ``N``."""
    return m[0] if m[0].startswith("ISO") else "'…'" if m[0][0] in "'\"" else "N"


def _flush(em: Emitter, summary: ImportSummary) -> bytes:
    summary.triples += len(em.lines)
    return em.take()


def list_imports(store: Path, statements: Callable[[ox.Store, list], dict] | None = None) -> list[dict]:
    """The imported source datasets in the store: name, graph, triples, import time, files. ``statements(store,
    graphs)`` gives the graphs' triples (graph -> count; e.g. :func:`ngograph.publish.statistics.kept_statements`,
    which reads the counts the description keeps), else the engine counts them (4 s for CORDIS and IATI)."""
    out = []
    with open_store(store) as s:
        graphs = [ox.NamedNode(g) for g in named_graphs(s) if source_name(g) is not None]
        sizes = statements(s.store, graphs) if statements is not None else {g: graph_size(s, g) for g in graphs}
        for node in graphs:
            g, name, triples = node.value, source_name(node.value), sizes[node]
            when = [q.object.value for q in s.quads_for_pattern(node, ox.NamedNode(str(PROV.generatedAtTime)),
                                                                 None, node)]
            files = [q.object.value for q in s.quads_for_pattern(None, ox.NamedNode(str(DCTERMS.title)), None, node)
                     if q.subject.value.startswith(f"{g}/file/")]
            out.append({"name": name, "graph": g, "triples": triples,
                        "imported": when[0] if when else "", "files": sorted(files)})
    return out


def drop_import(store: Path, name: str, finish: Callable[[ox.Store], None] | None = None) -> str:
    """Remove the imported dataset ``name`` from the store (atomically); return its graph IRI."""
    graphs = {source_name(g): g for g in named_graphs(store)}  # by name only: counting the graphs took 4 s
    graphs.pop(None, None)
    if name in graphs:
        write_graph(store, ox.NamedNode(graphs[name]), None, finish)
        return graphs[name]
    known = ", ".join(sorted(graphs)) or "none"
    raise ConfigError(f"no imported source named {name!r} in {store} (imported: {known})")
