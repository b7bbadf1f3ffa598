"""The JSON-LD context of ngograph, ``ontology/context.jsonld``. GENERATED from the prefixes of
:mod:`ngograph.rdf.namespaces` and the terms of ``ontology/ngograph.ttl`` by
``python -m ngograph.rdf.context``; a test fails while the file and the ontology disagree.

The context maps every prefix we bind (``schema:``, ``dct:``, ``void:``, ...) and every term
of our ontology to its IRI: ``"Participation"`` is ``ngo:Participation``, ``"inProject"`` is
``ngo:inProject``, and the values of an object property are IRIs (``"@type": "@id"``).
The package reads the file from disk (:func:`load_context`) and embeds it in every JSON-LD
document it writes, so that nothing needs a remote context to read our JSON-LD.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL

from ngograph.resources import CONTEXT_FILE, ONTOLOGY_FILE
from ngograph.rdf.namespaces import CONTEXT_PREFIXES, NGO

__all__ = ["render_context", "load_context"]


def render_context(ontology: Path = ONTOLOGY_FILE) -> dict:
    """The context document for the ontology at ``ontology``: the prefixes of
    :data:`~ngograph.rdf.namespaces.CONTEXT_PREFIXES`, then every ``ngo:`` term, sorted, the
    object properties with ``"@type": "@id"``.

    >>> ctx = render_context()["@context"]
    >>> ctx["schema"], ctx["Participation"], ctx["inProject"]
    ('https://schema.org/', 'ngo:Participation', {'@id': 'ngo:inProject', '@type': '@id'})
    """
    g = Graph()
    g.parse(ontology, format="turtle")
    ns = str(NGO._NS)
    ctx: dict = {"@version": 1.1, **CONTEXT_PREFIXES}
    terms = sorted({str(s)[len(ns):] for s in g.subjects(RDF.type, None) if str(s).startswith(ns) and str(s) != ns})
    for name in terms:
        if name in ctx:
            raise ValueError(f"ontology term {name!r} clashes with the prefix {name}: in the JSON-LD context")
        iri = URIRef(ns + name)
        ctx[name] = {"@id": f"ngo:{name}", "@type": "@id"} if (iri, RDF.type, OWL.ObjectProperty) in g else f"ngo:{name}"
    return {"@context": ctx}


@lru_cache(maxsize=1)
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_context(path: Path = CONTEXT_FILE) -> dict:
    """The context document shipped with the package (a fresh copy: callers may change it).

    >>> load_context()["@context"]["dcat"]
    'http://www.w3.org/ns/dcat#'
    """
    return json.loads(_read(str(path)))


def main() -> None:  # pragma: no cover - a developer's tool
    CONTEXT_FILE.write_text(json.dumps(render_context(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {CONTEXT_FILE}")


if __name__ == "__main__":  # pragma: no cover
    main()
