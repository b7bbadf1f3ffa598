"""ngograph: a knowledge graph of cross-border NGO cooperation.

One subpackage per pipeline stage, arrows down the pipeline only:
:mod:`ngograph.sources` (readers: the curated YAML) -> :mod:`ngograph.records` (record
types and checks) -> :mod:`ngograph.rdf` (records to triples, namespaces, serialisation) ->
:mod:`ngograph.store` (the embedded store and the query backends); :mod:`ngograph.validate`
(SHACL and quality checks) and :mod:`ngograph.queries` (the SPARQL library) read the store;
:mod:`ngograph.net` (networks, measures, figures) reads the queries; :mod:`ngograph.publish`
(exports) reads the store. The command line (:mod:`ngograph.cli`) has one verb per stage.
"""

__version__ = "0.1.0"


def query(name, **kwargs):
    """Run a library query by name; see :func:`ngograph.queries.library.query`.

    ``ngograph.query("project-partners", project="project/red-cross-family-inclusion").to_dataframe()``
    """
    from ngograph.queries.library import query as _query

    return _query(name, **kwargs)
