"""Networks from SPARQL, their measures (networkx style) and figures."""
