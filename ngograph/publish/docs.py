"""Stage: publish. HTML documentation of the vocabulary, generated from the Turtle.

``ngograph docs --output DIR`` writes, from ``ontology/ngograph.ttl``, ``ontology/shapes.ttl``
(and ``ontology/dcat-ap-shapes.ttl``) and the SKOS schemes of ``data/vocab/``:

- ``index.html``: the ontology, every class and property with its IRI, label, definition,
  super-classes and -properties, domain and range; the anchor of a term is its local name, so
  that ``https://w3id.org/ngograph/def#Participation`` lands on ``index.html#Participation``;
- ``shapes.html``: every SHACL shape, what it checks in words (targets, cardinalities, value
  classes and types, the SPARQL checks with their messages) and its severity, anchored by its
  local name (``https://w3id.org/ngograph/shapes#ProjectShape`` -> ``shapes.html#ProjectShape``);
- ``vocab/index.html`` and one page per concept scheme (``vocab/role.html``), every concept
  anchored by the last step of its IRI (``https://w3id.org/ngograph/vocab/role/partner`` ->
  ``vocab/role.html#partner``), with labels in every language, notation, definition, broader
  concepts and mappings;
- the machine-readable files beside them: ``ngograph.ttl``, ``ngograph.jsonld`` (compacted
  with our context), ``ngograph.nt``, ``ngograph.rdf``, ``shapes.ttl``, ``context.jsonld``.

pyLODE was not used: its releases since 3.4.2 need Python 3.12 (ngograph runs on 3.11), and it
describes neither SHACL shapes in words nor SKOS schemes beside the ontology. The pages are
self-contained (no script, font or style sheet from elsewhere) and deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from ngograph import __version__
from ngograph.config import data_dir
from ngograph.errors import ConfigError
from ngograph.fsutil import atomic_write_bytes
from ngograph.rdf.namespaces import CONTEXT_PREFIXES, DCTERMS, NGO, OWL, RDF, RDFS, SH, SKOS, VANN
from ngograph.rdf.serialize import serialize
from ngograph.records.check import read_turtle
from ngograph.resources import CONTEXT_FILE, DCAT_AP_SHAPES_FILE, ONTOLOGY_FILE, SHAPES_FILE, vocab_dir

__all__ = ["write_docs", "shape_sentences", "ONTOLOGY_IRI", "SHAPES_NS"]

ONTOLOGY_IRI = "https://w3id.org/ngograph/def"
SHAPES_NS = "https://w3id.org/ngograph/shapes#"
_DCAT_AP_NS = "https://w3id.org/ngograph/shapes/dcat-ap#"
_PREFIXES = {**CONTEXT_PREFIXES, "ngosh": SHAPES_NS, "apsh": _DCAT_AP_NS}


@dataclass
class Term:
    """One documented resource: its IRI, the anchor on its page, a label and facts to show."""

    iri: str
    anchor: str
    label: str
    comment: str = ""
    kind: str = ""
    facts: list[tuple[str, list]] = field(default_factory=list)  # (name, [links or text])


@dataclass
class Link:
    """A value shown as a link (``href``) with a short text."""

    text: str
    href: str


def _short(iri: str) -> str:
    """``iri`` as prefix:local where one of our prefixes fits.

    >>> _short("https://w3id.org/ngograph/def#budget"), _short("https://example.org/x")
    ('ngo:budget', 'https://example.org/x')
    """
    best = max((ns for ns in _PREFIXES.values() if iri.startswith(ns) and len(iri) > len(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(k for k, v in _PREFIXES.items() if v == best)
    return f"{prefix}:{iri[len(best):]}"


def _local(iri: str) -> str:
    """The last step of an IRI, for an anchor.

    >>> _local("https://w3id.org/ngograph/def#Participation"), _local("https://w3id.org/ngograph/vocab/role/partner")
    ('Participation', 'partner')
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


class _Linker:
    """Links to the documentation's own anchors for our terms, shapes and concepts; to the IRI otherwise."""

    def __init__(self):
        self.pages: dict[str, str] = {}  # IRI -> relative href from the site root

    def add(self, iri: str, href: str) -> None:
        self.pages[iri] = href

    def __call__(self, node, depth: int = 0) -> Link | str:
        if isinstance(node, Literal):
            return f"{node}" + (f" @{node.language}" if node.language else "")
        if isinstance(node, BNode):
            return "(an unnamed node)"
        iri = str(node)
        href = self.pages.get(iri)
        return Link(_short(iri), ("../" * depth + href) if href else iri)


def _text(g: Graph, s, p, lang: str = "en") -> str:
    values = list(g.objects(s, p))
    chosen = [v for v in values if isinstance(v, Literal) and v.language == lang] or values
    return str(sorted(chosen)[0]) if chosen else ""


# ---------------------------------------------------------------------------- the ontology

_KINDS = [(OWL.Class, "Classes", "class"), (OWL.ObjectProperty, "Object properties", "object property"),
          (OWL.DatatypeProperty, "Datatype properties", "datatype property"),
          (OWL.AnnotationProperty, "Annotation properties", "annotation property")]


def _ontology_terms(g: Graph, link: _Linker) -> list[tuple[str, list[Term]]]:
    ns = str(NGO._NS)
    seen: set[str] = set()
    sections = []
    for cls, title, kind in _KINDS:
        terms = []
        for s in sorted({s for s in g.subjects(RDF.type, cls) if str(s).startswith(ns)}, key=str):
            seen.add(str(s))
            facts = []
            for name, p in (("subclass of", RDFS.subClassOf), ("subproperty of", RDFS.subPropertyOf),
                            ("domain", RDFS.domain), ("range", RDFS.range), ("equivalent to", OWL.equivalentClass),
                            ("inverse of", OWL.inverseOf), ("see also", RDFS.seeAlso)):
                values = sorted(g.objects(s, p), key=str)
                if values:
                    facts.append((name, [link(v) for v in values]))
            types = sorted(_short(str(t)) for t in g.objects(s, RDF.type) if t != cls)
            if types:
                facts.append(("also", types))
            terms.append(Term(str(s), _local(str(s)), _text(g, s, RDFS.label) or _local(str(s)),
                              _text(g, s, RDFS.comment), kind, facts))
        sections.append((title, terms))
    rest = sorted({s for s in g.subjects(RDF.type, None) if str(s).startswith(ns) and str(s) not in seen
                   and str(s) != ns}, key=str)
    if rest:
        sections.append(("Other terms", [Term(str(s), _local(str(s)), _text(g, s, RDFS.label) or _local(str(s)),
                                              _text(g, s, RDFS.comment), "term") for s in rest]))
    return sections


# ---------------------------------------------------------------------------- the shapes in words

_NODE_KINDS = {"IRI": "an IRI", "Literal": "a literal", "BlankNode": "a blank node"}
_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def _path(g: Graph, path, link: _Linker) -> str:
    if isinstance(path, URIRef):
        return _short(str(path))
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path(g, inverse, link)} (inverse)"
    if (path, RDF.first, None) in g:
        return " / ".join(_path(g, p, link) for p in Collection(g, path))
    for p, word in ((SH.alternativePath, "or"), (SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+")):
        value = g.value(path, p)
        if value is not None:
            return f"({_path(g, value, link)}){word}"
    return "(a path)"


def _count(low, high) -> str | None:
    low, high = (int(low) if low is not None else None), (int(high) if high is not None else None)
    if low is not None and low == high:
        return f"exactly {low} value{'s' if low != 1 else ''}"
    if high == 0:
        return "no value"
    parts = []
    if low:
        parts.append(f"at least {low} value{'s' if low != 1 else ''}")
    if high is not None:
        parts.append(f"at most {high} value{'s' if high != 1 else ''}")
    return " and ".join(parts) or None


def _constraints(g: Graph, node, subject: str) -> list[str]:
    """What the constraints of ``node`` ask of ``subject`` ("each value", "the node"), in words."""
    words = []
    count = _count(g.value(node, SH.minCount), g.value(node, SH.maxCount))
    if count:
        words.append(count)
    for p, fmt in ((SH["class"], "{s} is an instance of {v}"), (SH.datatype, "{s} is a literal of type {v}"),
                   (SH.node, "{s} conforms to {v}"), (SH.hasValue, "one value is {v}"),
                   (SH.pattern, "{s} matches the regular expression {v}"), (SH.minInclusive, "{s} is at least {v}"),
                   (SH.maxInclusive, "{s} is at most {v}"), (SH.minExclusive, "{s} is more than {v}"),
                   (SH.maxExclusive, "{s} is less than {v}")):
        for v in sorted(g.objects(node, p), key=str):
            words.append(fmt.format(s=subject, v=_short(str(v)) if isinstance(v, URIRef) else f"“{v}”"))
    kind = g.value(node, SH.nodeKind)
    if kind is not None:
        name = _local(str(kind))
        words.append(f"{subject} is {_NODE_KINDS.get(name, name)}")
    if (node, SH.uniqueLang, Literal(True)) in g:
        words.append("at most one value per language")
    for lst, fmt in ((SH["in"], "{s} is one of {v}"), (SH.languageIn, "{s} has a language tag among {v}")):
        for head in g.objects(node, lst):
            words.append(fmt.format(s=subject, v=", ".join(_short(str(x)) if isinstance(x, URIRef) else f"“{x}”"
                                                         for x in Collection(g, head))))
    for head in g.objects(node, SH["or"]):
        options = ["; ".join(_constraints(g, alt, subject)) or "(no constraint)" for alt in Collection(g, head)]
        words.append(f"{subject} satisfies one of: " + " | ".join(f"({o})" for o in options))
    for alt in g.objects(node, SH["not"]):
        words.append(f"{subject} must not satisfy: " + ("; ".join(_constraints(g, alt, subject)) or _short(str(alt))))
    qualified = g.value(node, SH.qualifiedValueShape)
    if qualified is not None:
        low, high = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)
        if isinstance(qualified, URIRef):
            words.append(f"{_count(low, high) or 'values'} conforming to {_short(str(qualified))}")
        else:
            words.append(f"{_count(low, high) or 'values'} such that " + "; ".join(_constraints(g, qualified, "it")))
    for sparql in g.objects(node, SH.sparql):
        message = _text(g, sparql, SH.message)
        words.append(f"a SPARQL query finds the offending nodes: “{message}”" if message
                     else "a SPARQL query finds the offending nodes")
    if isinstance(node, BNode) or (node, SH.path, None) in g:  # a property shape nested in an or/not
        path = g.value(node, SH.path)
        if path is not None:
            words = [f"{_path(g, path, None)}: " + "; ".join(words)] if words else [_path(g, path, None)]
    return words


def shape_sentences(g: Graph, shape) -> dict:
    """What ``shape`` (a node of the shapes graph ``g``) checks, in words: ``targets``,
    ``checks`` (one sentence per property shape or node constraint), ``severity`` and ``comment``.

    >>> g = Graph().parse(data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
    ... <https://w3id.org/ngograph/shapes#S> a sh:NodeShape ; sh:targetClass schema:Project ;
    ...   sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no name"@en ] .
    ... ''', format="turtle")
    >>> s = shape_sentences(g, URIRef("https://w3id.org/ngograph/shapes#S"))
    >>> s["targets"], s["checks"]
    (['every schema:Project'], ['schema:name: at least 1 value (warning: “no name”)'])
    """
    targets = [f"every {_short(str(c))}" for c in sorted(g.objects(shape, SH.targetClass), key=str)]
    targets += [f"every subject of {_short(str(p))}" for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str)]
    targets += [f"every object of {_short(str(p))}" for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str)]
    targets += [_short(str(n)) for n in sorted(g.objects(shape, SH.targetNode), key=str)]
    for t in g.objects(shape, SH.target):
        targets.append("the nodes a SPARQL query selects" + (f": {_text(g, t, RDFS.comment)}"
                                                              if _text(g, t, RDFS.comment) else ""))
    severity = _SEVERITY.get(str(g.value(shape, SH.severity)), "violation")
    checks = []
    own = _constraints(g, shape, "the node")
    if own:
        message = _text(g, shape, SH.message)
        checks.append("; ".join(own) + (f" ({severity}: “{message}”)" if message else ""))
    for prop in sorted(g.objects(shape, SH.property), key=lambda p: _path(g, g.value(p, SH.path), None)):
        words = _constraints(g, prop, "each value")
        sev = _SEVERITY.get(str(g.value(prop, SH.severity)), severity)
        message = _text(g, prop, SH.message)
        sentence = words[0] if words else _path(g, g.value(prop, SH.path), None)
        if message or sev != "violation":
            sentence += f" ({sev}" + (f": “{message}”" if message else "") + ")"
        checks.append(sentence)
    return {"targets": targets, "checks": checks, "severity": severity, "comment": _text(g, shape, RDFS.comment)}


def _shapes(paths: list[Path]) -> list[tuple[str, list[dict]]]:
    out = []
    for path in paths:
        g = Graph().parse(path, format="turtle")
        shapes = sorted({s for s in g.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}, key=str)
        out.append((path.name, [{"iri": str(s), "anchor": _local(str(s)), "short": _short(str(s)),
                                 **shape_sentences(g, s)} for s in shapes]))
    return out


# ---------------------------------------------------------------------------- the SKOS schemes

def _slug(iri: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", _local(iri).lower()) or "scheme"


def _schemes(vocab: Path, link: _Linker) -> tuple[list[dict], Graph]:
    files = sorted(vocab.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{vocab}: no .ttl files; give the data folder with its vocab/ (--data)")
    g = Graph()
    origin: dict[str, str] = {}
    for f in files:
        one = read_turtle(f, str(f))
        for s in one.subjects(RDF.type, SKOS.ConceptScheme):
            origin[str(s)] = f.name
        g += one
    schemes = []
    for s in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        slug = _slug(str(s))
        link.add(str(s), f"vocab/{slug}.html")
        concepts = sorted(set(g.subjects(SKOS.inScheme, s)), key=lambda c: (str(g.value(c, SKOS.notation) or ""), str(c)))
        for c in concepts:
            link.add(str(c), f"vocab/{slug}.html#{_local(str(c))}")
        schemes.append({"iri": str(s), "slug": slug, "file": origin[str(s)], "node": s, "concepts": concepts,
                        "label": _text(g, s, SKOS.prefLabel) or _text(g, s, RDFS.label) or _local(str(s)),
                        "description": _text(g, s, DCTERMS.description) or _text(g, s, SKOS.definition)})
    return schemes, g


def _concept(g: Graph, c, link: _Linker) -> Term:
    facts = []
    labels = sorted(g.objects(c, SKOS.prefLabel), key=lambda v: (v.language or "", str(v)))
    if labels:
        facts.append(("labels", [f"{v} @{v.language}" if v.language else str(v) for v in labels]))
    alt = sorted(g.objects(c, SKOS.altLabel), key=lambda v: (v.language or "", str(v)))
    if alt:
        facts.append(("other labels", [f"{v} @{v.language}" if v.language else str(v) for v in alt]))
    for name, p in (("notation", SKOS.notation), ("broader", SKOS.broader), ("exact match", SKOS.exactMatch),
                    ("close match", SKOS.closeMatch), ("broad match", SKOS.broadMatch),
                    ("narrow match", SKOS.narrowMatch), ("note", SKOS.note), ("scope note", SKOS.scopeNote),
                    ("history note", SKOS.historyNote)):
        values = sorted(g.objects(c, p), key=str)
        if values:
            facts.append((name, [link(v, 1) for v in values]))
    return Term(str(c), _local(str(c)), _text(g, c, SKOS.prefLabel) or _local(str(c)), _text(g, c, SKOS.definition),
                "concept", facts)


# ---------------------------------------------------------------------------- writing

def _env() -> Environment:
    env = Environment(loader=PackageLoader("ngograph.publish", "templates/docs"), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["version"] = __version__
    env.tests["link"] = lambda v: isinstance(v, Link)
    return env


def write_docs(output: Path, data: Path | None = None) -> list[Path]:
    """Write the vocabulary documentation into the folder ``output`` (created; files in it are
    replaced one by one, atomically); return the files written, sorted."""
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise ConfigError(f"{output} is a file: give a folder to write the documentation into (--output DIR)")
    written = [atomic_write_bytes(output / name, data) for name, data in sorted(docs_files(data).items())]
    return sorted(written)


def docs_files(data: Path | None = None) -> dict[str, bytes]:
    """The vocabulary documentation's files by name (``index.html``, ``ngograph.ttl``, ``vocab/…``):
    what :func:`write_docs` writes and ``ngograph serve`` answers under ``/def/``."""
    vocab = vocab_dir(data_dir(data))
    link = _Linker()
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    for s in onto.subjects(RDF.type, None):
        if str(s).startswith(str(NGO._NS)):
            link.add(str(s), f"index.html#{_local(str(s))}")
    shape_files = [SHAPES_FILE, DCAT_AP_SHAPES_FILE]
    shapes = _shapes(shape_files)
    for _, group in shapes:
        for shape in group:
            link.add(shape["iri"], f"shapes.html#{shape['anchor']}")
    schemes, vocab_graph = _schemes(vocab, link)
    env = _env()
    o = URIRef(ONTOLOGY_IRI)
    meta = {"iri": ONTOLOGY_IRI, "label": _text(onto, o, RDFS.label), "comment": _text(onto, o, RDFS.comment),
            "version": _text(onto, o, OWL.versionInfo), "version_iri": str(onto.value(o, OWL.versionIRI) or ""),
            "licence": str(onto.value(o, DCTERMS.license) or ""), "creator": _text(onto, o, DCTERMS.creator),
            "prefix": _text(onto, o, VANN.preferredNamespacePrefix),
            "namespace": _text(onto, o, VANN.preferredNamespaceUri)}
    pages = {
        "index.html": env.get_template("ontology.html").render(meta=meta, sections=_ontology_terms(onto, link),
                                                                schemes=schemes, root=""),
        "shapes.html": env.get_template("shapes.html").render(groups=shapes, root=""),
        "vocab/index.html": env.get_template("vocab_index.html").render(schemes=schemes, root="../"),
    }
    for scheme in schemes:
        pages[f"vocab/{scheme['slug']}.html"] = env.get_template("scheme.html").render(
            scheme=scheme, concepts=[_concept(vocab_graph, c, link) for c in scheme["concepts"]], root="../")
    files = {name: text.encode("utf-8") for name, text in pages.items()}
    files["ngograph.ttl"] = ONTOLOGY_FILE.read_bytes()
    files["ngograph.nt"] = serialize(onto, "ntriples")
    files["ngograph.jsonld"] = serialize(onto, "jsonld")
    files["ngograph.rdf"] = serialize(onto, "rdfxml")
    files["shapes.ttl"] = SHAPES_FILE.read_bytes()
    files["context.jsonld"] = CONTEXT_FILE.read_bytes()
    return files

