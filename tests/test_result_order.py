"""The readable form of results: ``_short`` (the longest namespace a term starts with, checked against the
definition it replaced on every prefix), ``sorted_results`` (the order ``sorted`` gives with the dataclass's own
comparison) and ``located`` (every field kept but the location)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from ngograph.validate.shacl import _LONGEST_FIRST, _SHORT, Result, _short, located, sorted_results

NAMESPACES = sorted(set(_SHORT.values()))


def _reference(term) -> str:
    """The longest namespace by a search over all of them, its first prefix (the definition before the table)."""
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    best = max((ns for ns in _SHORT.values() if text.startswith(ns)), key=len, default=None)
    if best is None:
        return text
    return f"{next(p for p, ns in _SHORT.items() if ns == best)}:{text[len(best):]}"


def test_every_namespace_its_nested_namespaces_and_no_namespace_name_as_before():
    assert len(NAMESPACES) >= 10
    # the table is searched longest first, each namespace once with its first prefix, so that a namespace nested in
    # another (none today) could not shadow the longer one
    lengths = [len(ns) for ns, _ in _LONGEST_FIRST]
    assert lengths == sorted(lengths, reverse=True) and sorted(ns for ns, _ in _LONGEST_FIRST) == NAMESPACES
    assert all(next(p for p, n in _SHORT.items() if n == ns) == prefix for ns, prefix in _LONGEST_FIRST)
    terms = [cls(ns + tail) for ns in NAMESPACES for tail in ("", "x", "role/partner", "#a")
             for cls in (URIRef, Literal)] + [URIRef(ns[:-1]) for ns in NAMESPACES] + [BNode("b"), URIRef("urn:x")]
    assert [_short(t) for t in terms] == [_reference(t) for t in terms]
    assert _short(URIRef("https://w3id.org/ngograph/shapes#ProjectShape")) == "ngosh:ProjectShape"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMESPACES + ["", "https://example.org/"]), st.text(max_size=8))))
def test_any_text_after_any_namespace(pairs):
    terms = [URIRef(ns + tail) for ns, tail in pairs]
    assert [_short(t) for t in terms] == [_reference(t) for t in terms]


_texts = st.sampled_from(["", "a", "b", "ngosh:X", "Warning", "Info", "Violation"])
_results = st.builds(Result, _texts, _texts, _texts, _texts, _texts, _texts, _texts, _texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(_results, max_size=30))
def test_sorted_results_is_the_dataclass_order(results):
    assert sorted_results(results) == sorted(results)


@settings(max_examples=100, deadline=None)
@given(st.lists(_results, max_size=20), st.dictionaries(_texts, st.text(max_size=5)))
def test_located_changes_the_location_only(results, where):
    out = located(results, where)
    assert [r.location for r in out] == [where.get(r.focus, "") for r in results]
    assert [(r.severity, r.shape, r.focus, r.component, r.message, r.value, r.path) for r in out] == [
        (r.severity, r.shape, r.focus, r.component, r.message, r.value, r.path) for r in results]
