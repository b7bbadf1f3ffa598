"""The SPARQL library (queries/*.rq), parameter binding and result tables."""
