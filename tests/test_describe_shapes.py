"""A dump with its dataset description passes our own shapes: the dumps the description lists
are distributions of the dataset, not files an import read (pySHACL found 21 violations of
the source-file shape in the CORDIS dump before they were told apart), while a source file
without its checksum still fails."""

from __future__ import annotations

from functools import partial

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from ngograph.publish.describe import describe_store
from ngograph.publish.export import export_store
from ngograph.rdf.namespaces import NGO, SPDX
from ngograph.store.imports import import_source
from ngograph.validate.shacl import validate_graph

from test_describe import BASE, IATI_FIXTURE, T2, make_store


def test_a_dump_with_its_description_passes_the_source_file_shape(tmp_path):
    store = make_store(tmp_path / "store")
    import_source(store, "iati", [IATI_FIXTURE], BASE, name="nordic", finish=partial(describe_store, base=BASE, now=T2))
    path, _ = export_store(store, tmp_path / "all.nt", "nt")
    dump = Graph().parse(path, format="nt")
    distributions = set(dump.subjects(DCAT.accessURL, None))
    files = set(dump.subjects(RDF.type, NGO.SourceFile))
    assert len(files) == 1 and len(distributions - files) == 9  # the file read; 5 formats + 4 subsets dumped
    assert not [r for r in validate_graph(dump).results if "DistributionShape" in r.shape]

    (file,) = files
    dump.remove((file, SPDX.checksum, None))
    broken = [(r.focus, r.path) for r in validate_graph(dump).results if "DistributionShape" in r.shape]
    assert broken == [(str(file), "spdx:checksum")]
