"""Stage: reconcile. One organisation, one node: the records of one organisation that several
sources (or one source several times) describe are linked to one canonical node.

:mod:`~ngograph.reconcile.normalise` makes the name keys, :mod:`~ngograph.reconcile.match`
finds the merges (identifiers first, then names within countries), :mod:`~ngograph.reconcile.decisions`
reads the curator's decisions and writes the review queue, :mod:`~ngograph.reconcile.graph`
reads the organisations from the store and writes the result as the named graph
:data:`~ngograph.reconcile.graph.RECONCILE_GRAPH`; :mod:`~ngograph.reconcile.evaluate` measures
precision and recall on a labelled set of pairs. The legal forms (``legal_forms.tsv``) and the
names that name no organisation (``generic_names.txt``) are data beside the code.
"""
