"""Publishing the graph: exports."""
