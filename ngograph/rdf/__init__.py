"""Records to triples: IRI minting, namespaces (generated), reference data, serialisation."""
