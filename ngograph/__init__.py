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


def query(name: str, *, store=None, endpoint: str | None = None, sources: list[str] | None = None,
          timeout: float | None = None, max_rows: int | None = 100_000, max_memory: int | None = None, **params):
    """The notebook API: run a library query by name with keyword parameters.

    Reads the embedded store (``store``, else ``NGOGRAPH_STORE``, else ``.ngograph/store``)
    or a remote ``endpoint``; returns rows with ``.to_dataframe()``. ``sources`` keeps only
    those sources' data: imported dataset names (``ngograph import --list``) and ``curated``
    for the curated data; None reads all. ``timeout`` and ``max_memory`` as for
    :func:`ngograph.queries.library.run`.

    ``ngograph.query("project-partners", project="project/red-cross-family-inclusion").to_dataframe()``
    ``ngograph.query("summary", sources=["curated"])``
    """
    # imported here, not at the top: `ngograph --help` imports this package and must start fast
    from ngograph.config import store_path
    from ngograph.queries.library import run
    from ngograph.store.backends import Embedded, Remote

    backend = Remote(endpoint, sources=sources) if endpoint else Embedded(store_path(store), sources=sources)
    return run(name, backend, params, timeout=timeout, max_rows=max_rows, max_memory=max_memory)
