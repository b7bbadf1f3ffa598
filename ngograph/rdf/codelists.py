"""The IATI codelists as SKOS vocabularies: ``data/vocab/iati-*.ttl``, generated, never typed by hand.

An importer writes a source's code as the concept ``https://w3id.org/ngograph/vocab/{scheme}/{code}``
(:func:`concept_path`); this module gives those concepts their labels. It reads the IATI codelist
XML files copied unchanged under ``data/reference/iati-codelists/`` (``SOURCE.tsv`` there names the
repository, commit and git blob of each, and the licence) and writes one concept scheme per codelist
(:data:`IATI_CODELISTS`):

- a concept per code: ``skos:notation`` the code as IATI writes it, ``skos:prefLabel`` in English and
  in every other language the codelist gives (French for most), ``skos:inScheme`` and
  ``skos:topConceptOf`` its scheme;
- ``skos:definition`` from the codelist's descriptions, except for the codelists IATI replicates from
  another body (Sector, SectorCategory, Region: OECD DAC), whose descriptions the IATI licence does
  not cover;
- a DAC 5-digit purpose code (``iati-sector-1``) is ``skos:broader`` its 3-digit category
  (``iati-sector-2``), as the codelist's ``<category>`` says;
- a withdrawn code is kept (old activities use it) with ``owl:deprecated true`` and a history note;
- the scheme has ``dct:source`` the codelist's page on iatistandard.org, ``prov:wasDerivedFrom`` the
  copied file at its commit on GitHub, ``dct:license`` and the attribution IATI asks for.

The output is deterministic (:func:`ngograph.rdf.serialize.write_turtle`); regenerate with
``ngograph refdata``; a test fails while a committed file differs.

>>> concept_path("iati-sector-1", "15150"), concept_path("cordis-role", "third party")
('iati-sector-1/15150', 'cordis-role/third%20party')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from defusedxml import ElementTree
from rdflib import Graph, Literal, URIRef

from ngograph.errors import DataError
from ngograph.fsutil import atomic_write_bytes, read_tsv
from ngograph.rdf.namespaces import DCTERMS, OWL, PROV, RDF, SKOS, VOCAB
from ngograph.rdf.serialize import serialize

__all__ = ["CodelistSpec", "Codelist", "CodelistItem", "IATI_CODELISTS", "IATI_LICENCE", "concept_path", "scheme_path",
           "read_codelist", "read_sources", "codelist_graph", "codelist_turtle", "write_codelists"]

#: The licence of the IATI codelists (IATI-Guidance ``en/license.rst``) and the attribution it asks for.
IATI_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IATI_ATTRIBUTION = "IATI Standard (http://iatistandard.org/)"
_PAGE = "https://iatistandard.org/en/iati-standard/203/codelists/{}/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class CodelistSpec:
    """One IATI codelist and the scheme it becomes.

    ``category_scheme``: the scheme of the codes in the items' ``<category>`` (the concept's
    ``skos:broader``), for a codelist whose items have categories.
    """

    file: str
    scheme: str
    label: str
    category_scheme: str | None = None

    @property
    def page(self) -> str:
        """The codelist's page in the IATI Standard reference."""
        return _PAGE.format(self.file.removesuffix(".xml").lower())


#: The IATI codelists ngograph ships, with the scheme slugs the IATI reader writes.
IATI_CODELISTS = (
    CodelistSpec("OrganisationRole.xml", "iati-organisation-role", "IATI Organisation Role codelist"),
    CodelistSpec("OrganisationType.xml", "iati-organisation-type", "IATI Organisation Type codelist"),
    CodelistSpec("ActivityStatus.xml", "iati-activity-status", "IATI Activity Status codelist"),
    CodelistSpec("BudgetType.xml", "iati-budget-type", "IATI Budget Type codelist"),
    CodelistSpec("BudgetStatus.xml", "iati-budget-status", "IATI Budget Status codelist"),
    CodelistSpec("TransactionType.xml", "iati-transaction-type", "IATI Transaction Type codelist"),
    CodelistSpec("Sector.xml", "iati-sector-1",
                 "OECD DAC 5-digit purpose codes (IATI Sector codelist, sector vocabulary 1)", "iati-sector-2"),
    CodelistSpec("SectorCategory.xml", "iati-sector-2",
                 "OECD DAC 3-digit sector categories (IATI SectorCategory codelist, sector vocabulary 2)"),
    CodelistSpec("Region.xml", "iati-region-1", "OECD DAC regions (IATI Region codelist, region vocabulary 1)"),
)


def scheme_path(scheme: str) -> str:
    """The path of a concept scheme under ``https://w3id.org/ngograph/vocab/``: its name percent-encoded
    outside the RFC 3986 unreserved characters, as a code is. Our scheme names are unchanged by it, but a
    source names some schemes itself (an IATI ``@vocabulary="9 9"`` makes ``iati-sector-9 9``).

    >>> scheme_path("iati-sector-1"), scheme_path("iati-sector-9 9>")
    ('iati-sector-1', 'iati-sector-9%209%3E')
    """
    return quote(scheme, safe="-._~")


def concept_path(scheme: str, code: str) -> str:
    """The path of a source code's concept under ``https://w3id.org/ngograph/vocab/``: the scheme
    (:func:`scheme_path`) and the code percent-encoded outside the RFC 3986 unreserved characters (see
    the module docstring)."""
    return f"{scheme_path(scheme)}/{quote(code, safe='-._~')}"


def _concept(scheme: str, code: str) -> URIRef:
    return URIRef(f"{VOCAB}{concept_path(scheme, code)}")


@dataclass
class CodelistItem:
    """One code: its names and descriptions by language, category, status and withdrawal date."""

    code: str
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    category: str | None = None
    status: str | None = None
    withdrawal_date: str | None = None


@dataclass
class Codelist:
    """An IATI codelist file: its name, whether IATI replicates it from another body, its items."""

    name: str
    replicated: bool
    description: dict[str, str]
    items: list[CodelistItem]


def _text(elem) -> str:
    return " ".join((elem.text or "").split())


def _narratives(parent, default_lang: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if parent is None:
        return out
    for n in parent.findall("narrative"):
        lang, text = n.get(_XML_LANG, default_lang), _text(n)
        if out.get(lang, text) != text:  # the same text said twice (BudgetType 1) is one
            raise DataError([(None, f"{where}: two different {lang!r} narratives")])
        if text:
            out[lang] = text
    return out


def read_codelist(path: Path) -> Codelist:
    """Read an IATI codelist XML file (DTDs and entities refused)."""
    root = ElementTree.parse(path).getroot()
    lang = root.get(_XML_LANG, "en")
    meta = root.find("metadata")
    category = _narratives(meta.find("category"), lang, path.name) if meta is not None else {}
    items, seen = [], set()
    for it in root.find("codelist-items").findall("codelist-item"):
        code = _text(it.find("code"))
        where = f"{path.name}: code {code!r}"
        if not code or code in seen:
            raise DataError([(None, f"{where}: empty or repeated code")])
        seen.add(code)
        cat = it.find("category")
        items.append(CodelistItem(code, _narratives(it.find("name"), lang, where),
                                  _narratives(it.find("description"), lang, where),
                                  _text(cat) if cat is not None else None, it.get("status"),
                                  it.get("withdrawal-date")))
        if "en" not in items[-1].names:
            raise DataError([(None, f"{where}: no English name")])
    return Codelist(root.get("name"), category.get("en") == "Replicated",
                    _narratives(meta.find("description"), lang, path.name) if meta is not None else {}, items)


def read_sources(folder: Path) -> dict[str, dict[str, str]]:
    """``SOURCE.tsv`` of the codelist folder: file name -> repository, commit, path, blob."""
    return {row["file"]: row for row in read_tsv(Path(folder) / "SOURCE.tsv")}


def codelist_graph(spec: CodelistSpec, codelist: Codelist, source: dict[str, str],
                   categories: set[str] | None = None) -> Graph:
    """The concept scheme of one codelist. ``categories``: the codes of the category scheme, to
    check that every ``<category>`` names one."""
    g = Graph(bind_namespaces="none")
    scheme = VOCAB[spec.scheme]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(spec.label, lang="en")))
    if not codelist.replicated:
        for lang, text in codelist.description.items():
            g.add((scheme, DCTERMS.description, Literal(text, lang=lang)))
    g.add((scheme, DCTERMS.source, URIRef(spec.page)))
    g.add((scheme, PROV.wasDerivedFrom,
           URIRef(f"https://github.com/{source['repository']}/blob/{source['commit']}/{source['path']}")))
    g.add((scheme, DCTERMS.license, IATI_LICENCE))
    g.add((scheme, DCTERMS.bibliographicCitation, Literal(IATI_ATTRIBUTION)))
    for item in codelist.items:
        c = _concept(spec.scheme, item.code)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, c))
        g.add((c, SKOS.notation, Literal(item.code)))
        for lang, text in item.names.items():
            g.add((c, SKOS.prefLabel, Literal(text, lang=lang)))
        if not codelist.replicated:
            for lang, text in item.descriptions.items():
                g.add((c, SKOS.definition, Literal(text, lang=lang)))
        if item.category is not None:
            if spec.category_scheme is None or (categories is not None and item.category not in categories):
                raise DataError([(None, f"{spec.file}: code {item.code!r} has category {item.category!r}, "
                                        "which no category scheme defines")])
            g.add((c, SKOS.broader, _concept(spec.category_scheme, item.category)))
        if item.status == "withdrawn":
            g.add((c, OWL.deprecated, Literal(True)))
            when = f" on {item.withdrawal_date}" if item.withdrawal_date else ""
            g.add((c, SKOS.historyNote, Literal(f"Withdrawn from the IATI {codelist.name} codelist{when}.",
                                                lang="en")))
    return g


def _header(spec: CodelistSpec, codelist: Codelist, source: dict[str, str]) -> str:
    lines = [
        f"GENERATED by `ngograph refdata` (ngograph/rdf/codelists.py) from "
        f"data/reference/iati-codelists/{spec.file}: do not edit by hand.",
        f"{spec.label}: {len(codelist.items)} codes, copied from {source['repository']} "
        f"{source['path']} at commit {source['commit']}.",
        f"Licence: CC BY 4.0, attribute as \"{IATI_ATTRIBUTION}\".",
    ]
    if codelist.replicated:
        lines.append("IATI replicates this codelist from the OECD DAC: the names only are kept, not the descriptions,"
                     " which the IATI licence does not cover.")
    return "".join(f"# {line}\n" for line in lines)


def codelist_turtle(spec: CodelistSpec, folder: Path) -> bytes:
    """The bytes of ``data/vocab/{scheme}.ttl`` for one codelist of ``folder``."""
    folder = Path(folder)
    codelist = read_codelist(folder / spec.file)
    categories = None
    if spec.category_scheme is not None:
        parent = next(s for s in IATI_CODELISTS if s.scheme == spec.category_scheme)
        categories = {item.code for item in read_codelist(folder / parent.file).items}
    source = read_sources(folder)[spec.file]
    prefixes = {spec.scheme: f"{VOCAB}{spec.scheme}/"}
    if spec.category_scheme:
        prefixes[spec.category_scheme] = f"{VOCAB}{spec.category_scheme}/"
    return serialize(codelist_graph(spec, codelist, source, categories), "turtle",
                     _header(spec, codelist, source), prefixes)


def write_codelists(data: Path) -> list[Path]:
    """Regenerate ``data/vocab/iati-*.ttl`` from ``data/reference/iati-codelists/``; return the paths."""
    folder = Path(data) / "reference" / "iati-codelists"
    paths = []
    for spec in IATI_CODELISTS:
        target = Path(data) / "vocab" / f"{spec.scheme}.ttl"
        paths.append(atomic_write_bytes(target, codelist_turtle(spec, folder)))
    return paths
