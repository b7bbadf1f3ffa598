"""ngograph: a knowledge graph of cross-border NGO cooperation.

The pipeline stages are one module each: :mod:`ngograph.records.check` (read and check the
curated YAML in ``data/``), :mod:`ngograph.rdf.build` (records to RDF), :mod:`ngograph.store.embedded`
(the embedded pyoxigraph store), :mod:`ngograph.validate.shacl` (SHACL) and
:mod:`ngograph.publish.export`. The command line (:mod:`ngograph.cli`) has one verb per stage.
"""

__version__ = "0.1.0"


def query(name, **kwargs):
    """Run a library query by name; see :func:`ngograph.queries.library.query`.

    ``ngograph.query("project-partners", project="project/red-cross-family-inclusion").to_dataframe()``
    """
    from ngograph.queries.library import query as _query

    return _query(name, **kwargs)
