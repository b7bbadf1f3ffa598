"""The embedded store (atomic swap) and the query backends (embedded, rdflib, remote)."""
