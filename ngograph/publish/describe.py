"""Stage: publish. The dataset describes itself: VoID and DCAT-AP 3 triples about the graph.

The description is made from the store it describes and kept in the store's named graph
:data:`~ngograph.store.embedded.DESCRIPTION_GRAPH` (not part of the published graph that
queries see); every build and import remakes it before the new store is swapped in
(:func:`describe_store` is their ``finish`` step), and every export adds it to the dump.

What it says (IRIs under the base, ``{base}catalog``, ``{base}dataset``, ...):

- a ``dcat:Catalog`` holding one ``dcat:Dataset`` + ``void:Dataset``: title and description in
  English, the languages of the names in the data, licence (CC BY 4.0 where every source is; else
  only the rights statement, and an imported subset keeps its own), publisher, issued (kept from the first description) and modified, version
  (:data:`ngograph.__version__`), triples, entities, entities per class (``void:classPartition``),
  example resources, the vocabularies used, the ontology it conforms to (with its licence), the
  SPARQL endpoint (a ``dcat:DataService``) and one ``dcat:Distribution`` per dump format;
- one ``void:subset`` per source: the curated records and each imported source dataset (the
  named graph's own IRI), with its triples, licence or rights statement, origin
  (``dct:source``) and a distribution of its own (the N-Quads dump of ``--source NAME``).

Public locations derive from the base IRI: with ``https://w3id.org/ngograph/id/`` the SPARQL
endpoint is ``https://w3id.org/ngograph/sparql`` and the dumps are under
``https://w3id.org/ngograph/dumps/`` (:func:`public_root`).
"""

from __future__ import annotations

import hashlib
import re
import time

import pycountry
import pyshacl
import pyoxigraph as ox
from rdflib import Graph, URIRef

from ngograph import __version__
from ngograph.config import base_iri
from ngograph.resources import DCAT_AP_SHAPES_FILE, ONTOLOGY_FILE
from ngograph.queries.library import load_query
from ngograph.rdf.namespaces import (CONTEXT_PREFIXES, DCAT, DCAT_VERSION, DCTERMS, EU_AUTHORITY, EU_COUNTRY, FOAF,
                                     OWL, PROV, NGO, ORG, RDF, RDFS, SCHEMA, VOCAB, VOID, XSD)
from ngograph.rdf.serialize import FORMATS, MEDIA_TYPES
from ngograph.rdf.sparql import inline_bindings
from ngograph.publish.statistics import kept_quads, totals
from ngograph.store.embedded import CURATED, DESCRIPTION_GRAPH, graph_size, published_graphs, source_name

__all__ = ["CC_BY", "DUMP_FORMATS", "public_root", "dump_name", "description_quads", "describe_store",
           "description_graph", "check_dcat_ap", "as_graph"]

#: The data's licence.
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
ONTOLOGY_IRI = "https://w3id.org/ngograph/def"
#: The node of the description graph that keeps the data's :func:`fingerprint` (never dumped).
STATE = ox.NamedNode("urn:ngograph:description:state")
#: the classes whose first resource is the dataset's void:exampleResource
EXAMPLE_CLASSES = (SCHEMA.Project, ORG.FormalOrganization, NGO.Participation, SCHEMA.MonetaryGrant, SCHEMA.Event,
                   SCHEMA.Place)

#: The EU file-type authority code of each dump format.
DUMP_FORMATS = {"turtle": "RDF_TURTLE", "ntriples": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML",
                "nquads": "RDF_N_QUADS"}

_TITLE = "ngograph: a knowledge graph of cross-border NGO cooperation"
_DESCRIPTION = ("Which organisations work together across the Nordic, Baltic and Eastern Partnership countries, in "
                "which projects, in which roles and with whose money: projects, partner organisations, countries, "
                "funders, grants, places, events and target groups as RDF, curated from project documents and "
                "imported from open funding data (IATI, CORDIS, Interreg, 360Giving, the Research Council of "
                "Norway). Organisations only: the graph names no person.")
_CURATED_DESCRIPTION = ("Facts curated by hand from the project pages and reports of the organisations; every "
                        "resource is derived from its source document (prov:wasDerivedFrom).")


def public_root(base: str) -> str:
    """The public site root for the data base IRI: the base without a last ``id/`` step.

    >>> public_root("https://w3id.org/ngograph/id/"), public_root("https://example.org/kg/")
    ('https://w3id.org/ngograph/', 'https://example.org/kg/')
    """
    return base[:-3] if base.endswith("/id/") else base


def dump_name(fmt: str, source: str | None = None, gzip: bool = True) -> str:
    """The file name of a published dump: ``ngograph.nt.gz``, ``ngograph-iati.nq.gz``.

    >>> dump_name("ntriples"), dump_name("nquads", "iati"), dump_name("turtle", gzip=False)
    ('ngograph.nt.gz', 'ngograph-iati.nq.gz', 'ngograph.ttl')
    """
    return f"ngograph{'-' + source if source else ''}.{FORMATS[fmt]}{'.gz' if gzip else ''}"


def _rows(store: ox.Store, name: str, graphs, **bindings) -> list:
    """The rows of a library query on ``store``'s ``graphs``, with ``bindings`` (rdflib terms) in a VALUES block."""
    return list(store.query(inline_bindings(load_query(name).text, bindings), default_graph=graphs))


def _examples(store: ox.Store, graphs) -> dict:
    """The example candidates of each class of :data:`EXAMPLE_CLASSES`, by class."""
    return {cls: _rows(store, "describe/examples", graphs, **{"class": URIRef(str(cls))}) for cls in EXAMPLE_CLASSES}


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _text(value: str, lang: str | None = "en") -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value, datatype) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(datatype)))


def _language(tag: str) -> ox.NamedNode | None:
    """The EU language authority IRI of a BCP 47 tag's primary language, or None (und, mul, unknown).

    >>> _language("lv").value, _language("en-t-lv").value, _language("und")
    ('http://publications.europa.eu/resource/authority/language/LAV', 'http://publications.europa.eu/resource/authority/language/ENG', None)
    """
    primary = tag.split("-")[0].lower()
    if primary in ("und", "mul", "zxx", "mis") or not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    lang = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else pycountry.languages.get(alpha_3=primary)
    return _iri(f"{EU_AUTHORITY}language/{lang.alpha_3.upper()}") if lang else None


def _namespace(iri: str) -> str | None:
    """The namespace of ``iri`` among the prefixes we know (the longest that matches)."""
    found = [ns for ns in CONTEXT_PREFIXES.values() if iri.startswith(ns)]
    return max(found, key=len) if found else None


def _ontology_licence() -> str | None:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return next((str(o) for o in g.objects(URIRef(ONTOLOGY_IRI), DCTERMS.license)), None)


def fingerprint(store: ox.Store, sizes: dict[str, int] | None = None) -> str:
    """A SHA-256 that changes when the published graph does: of the curated graph's statements as
    the store dumps them (an on-disk store lists them in the order of its index keys, made from
    the terms alone, so the same data give the same value however they were loaded; a test checks
    it), and of each imported graph's IRI, import time and size (an imported graph changes only by
    a new import, which stamps a new time, or a drop). Dumping every statement instead would cost
    about 20 s per million triples; this costs what the curated graph does. ``sizes`` (graph IRI -> triples, as
    :func:`ngograph.publish.statistics.totals` gives them) spares counting them again.

    >>> import tempfile
    >>> s = ox.Store(tempfile.mkdtemp())
    >>> fingerprint(s)[:16]
    'e3b0c44298fc1c14'
    """
    digest = _Digest()
    store.dump(digest, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    for g, size in (sizes if sizes is not None else _graph_sizes(store)).items():
        stamps = sorted(q.object.value
                        for q in store.quads_for_pattern(_iri(g), _iri(str(PROV.generatedAtTime)), None, _iri(g)))
        digest.write(f"<{g}> {' '.join(stamps)} {size}\n".encode())
    return digest.sha256.hexdigest()


def _graph_sizes(store: ox.Store) -> dict[str, int]:
    """The triples of each imported graph of the published graph, by graph IRI, in its order."""
    return {g.value: graph_size(store, g) for g in published_graphs(store) or [] if isinstance(g, ox.NamedNode)}


class _Digest:
    """A file-like SHA-256 for pyoxigraph's serialiser to write into."""

    def __init__(self):
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        return len(data)

    def flush(self) -> None:
        pass


def _previous(store: ox.Store, subject: ox.NamedNode, predicate) -> ox.Literal | None:
    return next((q.object for q in store.quads_for_pattern(subject, _iri(str(predicate)), None, DESCRIPTION_GRAPH)),
                None)


def description_quads(store: ox.Store, base: str, *, now: str | None = None) -> list[ox.Quad]:
    """The description of the published graph of ``store`` (an open pyoxigraph store), as quads
    in :data:`DESCRIPTION_GRAPH`. ``now`` (an ``xsd:dateTime``) is the modification time
    (default: the clock) when the data changed since the store's previous description (see
    :func:`fingerprint`, kept in the description graph as :data:`STATE`'s ``rdf:value``, which
    no dump carries); else the previous one is kept, so that a rebuild of the same data gives
    the same dumps. The issue time is kept from the first description."""
    counted = totals(store)
    sizes = {g: n for g, n in counted.sizes.items() if g}  # the imported graphs, in the order of published_graphs
    digest = fingerprint(store, sizes)
    same = (prev := _previous(store, STATE, RDF.value)) is not None and prev.value == digest
    dataset = _iri(f"{base}dataset")
    modified = _previous(store, dataset, DCTERMS.modified) if same else None
    modified = modified or _typed(now or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), XSD.dateTime)
    root = public_root(base)
    graphs = published_graphs(store)
    g = DESCRIPTION_GRAPH
    out: list[ox.Quad] = [ox.Quad(STATE, _iri(str(RDF.value)), _text(digest, None), g), *counted.kept]

    def add(s, p, o) -> None:
        out.append(ox.Quad(s, _iri(str(p)), o, g))

    catalog, publisher = _iri(f"{base}catalog"), _iri(f"{base}publisher")
    service, licence, rights = _iri(f"{base}sparql-service"), _iri(CC_BY), _iri(f"{base}dataset/rights")
    sources = [row for row in (_rows(store, "describe/source-datasets", None) if graphs else [])
               if source_name(row["dataset"].value) is not None]
    # What holds every source is under CC BY only where every source is: a source under other terms, or none
    # stated (360Giving's files, each IATI publisher's own licence), leaves the whole with its rights statement
    # only (DCAT-AP: dct:license is *the* licence a distribution is available under).
    whole = licence if all(row["licence"] is not None and row["licence"].value == CC_BY for row in sources) else None
    issued = _previous(store, dataset, DCTERMS.issued) or modified

    # the catalogue, its publisher and the licence
    add(catalog, RDF.type, _iri(str(DCAT.Catalog)))
    add(catalog, DCTERMS.title, _text(f"{_TITLE} (catalogue)"))
    add(catalog, DCTERMS.description, _text("The catalogue of the ngograph dataset, its dumps and its SPARQL endpoint."))
    add(catalog, DCTERMS.publisher, publisher)
    add(catalog, DCTERMS.license, licence)
    add(catalog, DCTERMS.modified, modified)
    add(catalog, DCAT.dataset, dataset)
    add(catalog, DCAT.service, service)
    add(catalog, FOAF.homepage, _iri(root))
    add(publisher, RDF.type, _iri(str(FOAF.Agent)))
    add(publisher, RDF.type, _iri(str(FOAF.Organization)))
    add(publisher, FOAF.name, _text("The ngograph project"))
    add(publisher, FOAF.homepage, _iri(root))
    add(licence, RDF.type, _iri(str(DCTERMS.LicenseDocument)))
    add(licence, RDFS.label, _text("Creative Commons Attribution 4.0 International (CC BY 4.0)"))

    # the dataset
    for t in (DCAT.Dataset, VOID.Dataset):
        add(dataset, RDF.type, _iri(str(t)))
    add(dataset, DCTERMS.title, _text(_TITLE))
    add(dataset, DCTERMS.description, _text(_DESCRIPTION))
    add(dataset, DCTERMS.publisher, publisher)
    if whole is not None:
        add(dataset, DCTERMS.license, whole)
    add(dataset, DCTERMS.rights, rights)
    add(rights, RDF.type, _iri(str(DCTERMS.RightsStatement)))
    add(rights, RDFS.label,
        _text("The curated data are CC BY 4.0; each imported source keeps its own licence or terms (its void:subset). "
              "The whole, and a dump of all sources, is under CC BY 4.0 only where every source is."))
    add(dataset, DCTERMS.issued, issued)
    add(dataset, DCTERMS.modified, modified)
    add(dataset, DCAT_VERSION, _text(__version__, None))
    add(dataset, OWL.versionInfo, _text(__version__, None))
    add(dataset, DCAT.theme, _iri(f"{EU_AUTHORITY}data-theme/SOCI"))
    for keyword in ("NGO", "cross-border cooperation", "partnership network", "grants", "linked open data"):
        add(dataset, DCAT.keyword, _text(keyword))
    add(dataset, DCAT.landingPage, _iri(root))
    add(dataset, FOAF.homepage, _iri(root))
    # VoID's uriSpace would say every entity's IRI starts with the base: the concepts and countries do not
    add(dataset, VOID.uriRegexPattern, _text(entity_pattern(base), None))
    add(dataset, VOID.sparqlEndpoint, _iri(f"{root}sparql"))
    add(dataset, DCTERMS.conformsTo, _iri(ONTOLOGY_IRI))
    ontology_licence = _ontology_licence()
    add(_iri(ONTOLOGY_IRI), RDF.type, _iri(str(OWL.Ontology)))
    if ontology_licence:
        add(_iri(ONTOLOGY_IRI), DCTERMS.license, _iri(ontology_licence))
    examples = _examples(store, graphs)
    add(dataset, VOID.triples, _typed(counted.triples, XSD.integer))
    add(dataset, VOID.entities, _typed(counted.entities, XSD.integer))
    for cls, entities in sorted(counted.classes.items()):
        cls_node = _iri(cls)
        ns = _namespace(cls)
        prefix = next((k for k, v in CONTEXT_PREFIXES.items() if v == ns), "class") if ns else "class"
        local = re.sub(r"[^A-Za-z0-9_-]", "-", cls[len(ns):] if ns else cls)
        part = _iri(f"{base}dataset/class/{prefix}-{local}")
        add(dataset, VOID.classPartition, part)
        add(part, VOID["class"], cls_node)
        add(part, VOID.entities, _typed(entities, XSD.integer))
    for cls in EXAMPLE_CLASSES:
        candidates = [row["s"].value for row in examples[cls]]
        if candidates:
            add(dataset, VOID.exampleResource, _iri(min(candidates)))
    languages = {_language(tag) for tag in counted.languages} - {None}
    for lang in sorted(languages, key=lambda n: n.value):
        add(dataset, DCTERMS.language, lang)
        add(lang, RDF.type, _iri(str(DCTERMS.LinguisticSystem)))
    vocabularies = {_namespace(p) for p in counted.predicates}
    vocabularies |= {_namespace(q.object.value) for q in out if q.predicate.value == str(VOID["class"])}
    for ns in sorted(vocabularies - {None}):
        add(dataset, VOID.vocabulary, _iri(ns))

    # the SPARQL endpoint
    add(service, RDF.type, _iri(str(DCAT.DataService)))
    add(service, DCTERMS.title, _text("ngograph SPARQL endpoint"))
    add(service, DCAT.endpointURL, _iri(f"{root}sparql"))
    add(service, DCTERMS.conformsTo, _iri("https://www.w3.org/TR/sparql11-protocol/"))
    add(service, DCAT.servesDataset, dataset)
    if whole is not None:
        add(service, DCTERMS.license, whole)
    else:
        add(service, DCTERMS.rights, rights)

    # one distribution per dump format
    for fmt in DUMP_FORMATS:
        _distribution(add, base, root, dataset, fmt, None, whole, rights)

    # the subsets: the curated records, then each imported source
    curated = _iri(f"{base}dataset/{CURATED}")
    _subset(add, dataset, curated, "Curated records", _CURATED_DESCRIPTION, publisher)
    add(curated, DCTERMS.license, licence)
    add(curated, VOID.triples, _typed(counted.sizes[""], XSD.integer))
    _distribution(add, base, root, curated, "nquads", CURATED, licence)
    origins: dict[str, ox.NamedNode] = {}
    for row in sources:
        node = row["dataset"]
        name = source_name(node.value)
        imported = row["imported"].value[:10] if row["imported"] else "an unknown date"
        text = row["description"].value if row["description"] else \
            f"{row['title'].value}, imported with ngograph on {imported}."
        _subset(add, dataset, node, row["title"].value, text, None)
        add(node, VOID.triples, _typed(sizes[node.value] if node.value in sizes else graph_size(store, node), XSD.integer))
        subset_licence = _iri(row["licence"].value) if row["licence"] else None
        if subset_licence is not None:
            add(node, DCTERMS.license, subset_licence)
            add(subset_licence, RDF.type, _iri(str(DCTERMS.LicenseDocument)))
        if row["origin"]:
            add(node, DCTERMS.source, row["origin"])
        subset_rights = None
        if row["rights"]:
            subset_rights = _iri(f"{node.value}/rights")
            add(node, DCTERMS.rights, subset_rights)
            add(subset_rights, RDF.type, _iri(str(DCTERMS.RightsStatement)))
            add(subset_rights, RDFS.label, row["rights"])
        _distribution(add, base, root, node, "nquads", name, subset_licence, subset_rights)
        origins[node.value] = row["origin"] or _iri(root)
    # the files an import read are distributions too: a harvester needs an access URL for each (the
    # source's origin, else our landing page)
    for row in _rows(store, "describe/source-files", None) if graphs else []:
        if row["dataset"].value in origins:
            add(row["file"], DCAT.accessURL, origins[row["dataset"].value])
    return sorted(set(out), key=str)


def _subset(add, dataset, node, title: str, description: str, publisher) -> None:
    add(dataset, VOID.subset, node)
    for t in (DCAT.Dataset, VOID.Dataset):
        add(node, RDF.type, _iri(str(t)))
    add(node, DCTERMS.title, _text(title))
    add(node, DCTERMS.description, _text(description))
    add(node, DCTERMS.isPartOf, dataset)
    if publisher is not None:
        add(node, DCTERMS.publisher, publisher)


def _distribution(add, base: str, root: str, dataset, fmt: str, source: str | None, licence, rights=None) -> None:
    """A gzipped dump of ``dataset`` in ``fmt`` (written by ``ngograph export --gzip``), under ``licence``,
    else under the terms the ``rights`` statement gives (when one is given)."""
    name = dump_name(fmt, source)
    d, url = _iri(f"{base}distribution/{name}"), _iri(f"{root}dumps/{name}")
    add(dataset, DCAT.distribution, d)
    add(dataset, VOID.dataDump, url)
    add(d, RDF.type, _iri(str(DCAT.Distribution)))
    add(d, DCTERMS.title, _text(f"{'All sources' if source is None else source}, {fmt}, gzipped"))
    add(d, DCAT.accessURL, url)
    add(d, DCAT.downloadURL, url)
    file_type, media_type = (_iri(f"{EU_AUTHORITY}file-type/{DUMP_FORMATS[fmt]}"),
                             _iri(f"http://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"))
    add(d, DCTERMS.format, file_type)
    add(file_type, RDF.type, _iri(str(DCTERMS.MediaTypeOrExtent)))
    add(d, DCAT.mediaType, media_type)
    add(media_type, RDF.type, _iri(str(DCTERMS.MediaType)))
    add(d, DCAT.compressFormat, _iri("http://www.iana.org/assignments/media-types/application/gzip"))
    if licence is not None:
        add(d, DCTERMS.license, licence)
    elif rights is not None:
        add(d, DCTERMS.rights, rights)


def entity_pattern(base: str) -> str:
    """The regular expression (XPath's ``fn:matches``, as VoID's ``uriRegexPattern``) that every entity IRI of the dataset
    matches: the resources under ``base``, our concepts, and the EU country authority's countries and table.

    >>> import re
    >>> p = entity_pattern("https://w3id.org/ngograph/id/")
    >>> [bool(re.match(p, iri)) for iri in ("https://w3id.org/ngograph/id/project/x",
    ...     "https://w3id.org/ngograph/vocab/theme/x", "http://publications.europa.eu/resource/authority/country/LVA",
    ...     "http://publications.europa.eu/resource/authority/country", "https://w3id.org/ngograph/idx",
    ...     "https://schema.org/Project")]
    [True, True, True, True, False, False]
    """
    return "^(" + "|".join(map(_xpath_escaped, (base, str(VOCAB)))) + "|" + _xpath_escaped(str(EU_COUNTRY)[:-1]) + "(/|$))"


def _xpath_escaped(text: str) -> str:
    """``text`` as a regular expression of XPath (``fn:matches``) that matches it alone: only the characters that are
    special there escaped (Python's ``re.escape`` also escapes ``~``, ``#`` or a space, which XPath refuses).

    >>> print(_xpath_escaped("https://e.org/~ngo/a.b#x y"))
    https://e\\.org/~ngo/a\\.b#x y
    """
    return re.sub(r"([\\.?*+(){}\[\]|^$-])", r"\\\1", text)


def describe_store(store: ox.Store, base: str | None = None, now: str | None = None) -> None:
    """Replace the description in ``store`` (writable) by a new one: the ``finish`` step of
    builds and imports (:func:`ngograph.store.embedded.write_store`). ``now`` as for
    :func:`description_quads`."""
    quads = description_quads(store, base or base_iri(), now=now)
    store.remove_graph(DESCRIPTION_GRAPH)
    store.extend(quads)


def as_graph(quads: list[ox.Quad]) -> Graph:
    """The triples of pyoxigraph ``quads`` as an rdflib graph."""
    return Graph().parse(data="".join(f"{q.triple} .\n" for q in quads), format="nt")


def check_dcat_ap(data: Graph | list[ox.Quad]) -> tuple[bool, str]:
    """Validate a description, or a whole dump read into an rdflib graph, with the shapes of what
    a DCAT-AP 3 harvester needs (``ontology/dcat-ap-shapes.ttl``): ``(conforms, pySHACL's report text)``."""
    graph = data if isinstance(data, Graph) else as_graph(data)
    shapes = Graph().parse(DCAT_AP_SHAPES_FILE, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, meta_shacl=False, do_owl_imports=False)
    return conforms, text


def description_graph(store: ox.Store, base: str | None = None) -> list[ox.Quad]:
    """The store's description as dumps carry it: the stored one, or (for a store built before
    descriptions) one made now; without :data:`STATE`."""
    quads = list(store.quads_for_pattern(None, None, None, DESCRIPTION_GRAPH)) \
        or description_quads(store, base or base_iri())
    return kept_quads(quads)
