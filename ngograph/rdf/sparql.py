"""SPARQL text helpers shared by the query library and the backends: comments, strings and
IRIs masked so keywords can be found, the read-only check, terms in N-Triples syntax and
parameters inlined as a ``VALUES`` block (for endpoints that have no binding API)."""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ngograph.errors import QueryError

__all__ = ["mask_query", "query_words", "check_read_only", "nt_term", "inline_bindings", "final_order"]

#: SPARQL's tokens that may hide a keyword, as the grammar reads them (SPARQL 1.1 19.8): an IRI may hold \u escapes
#: and any character above U+0020 (a no-break space too), a comment ends at a CR or an LF, a string at its quote.
_IRI = r"""<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""
_STRING = (r"""'{3}(?:[^'\\]|\\[\s\S]|'(?!''))*'{3}|"{3}(?:[^"\\]|\\[\s\S]|"(?!""))*"{3}"""
           r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\"""")
_MASKED = re.compile(rf"\\[^\n\r]|\#[^\r\n]*|{_STRING}|{_IRI}")


@lru_cache(maxsize=256)
def mask_query(text: str) -> str:
    """The query with comments, strings and IRIs blanked (same length), so keywords can be found.

    >>> mask_query('SELECT * { ?s ?p "SERVICE" } # LOAD')
    'SELECT * { ?s ?p           }       '

    A backslash outside strings, comments and IRIs escapes the next character of a prefixed name's local part
    (``ex:a\\#``, SPARQL's PN_LOCAL_ESC): it starts no comment or string, which would hide what follows it.

    >>> mask_query("?s ex:a\\# SERVICE")
    '?s ex:a   SERVICE'
    """
    return _MASKED.sub(lambda m: " " * len(m.group(0)), text)


#: The tokens of a query, in the order SPARQL's grammar tells them apart; ``other`` is a single character.
_TOKEN = re.compile(rf"""
      (?P<space>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri>{_IRI})
    | (?P<string>{_STRING})
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w.\-]+)
    | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:.\-]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<number>[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?))
    | (?P<word>[^\W\d_]\w*)
    | (?P<other>[\s\S])
""", re.X)


def query_words(text: str) -> list[str]:
    """The tokens of a query (:data:`_TOKEN`) but its spaces and comments: two texts with the same words are the same
    query (a comment ends at its line's end; a string's spaces are its own).

    >>> query_words('SELECT ?x  WHERE { ?x <p#q> "a  b" # note\\n FILTER (?x) }')
    ['SELECT', '?x', 'WHERE', '{', '?x', '<p#q>', '"a  b"', 'FILTER', '(', '?x', ')', '}']
    """
    return [m.group() for m in _TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


_REFUSED = ("SERVICE", "LOAD", "INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD", "WITH", "FROM")
#: What reaches outside the store's published data from a query. Oxigraph reads a keyword where the grammar
#: expects one whatever follows it and whatever it follows (``ASKFROM <g>``, ``7SERVICE``, ``trueSERVICE``,
#: ``FROM:g`` with ``:g`` a prefixed name), so a word or a prefix that holds one of these is refused.
_REACHING = ("SERVICE", "FROM")


def _refused_word(kind: str, token: str) -> str | None:
    """The refused keyword a token of ``kind`` is or holds, None if none."""
    if kind == "word":
        word = token.upper()
        return word if word in _REFUSED else next((w for w in _REACHING if w in word), None)
    if kind == "pname":
        prefix = token.split(":", 1)[0].upper()
        return next((w for w in _REACHING if w in prefix), None)
    return None


@lru_cache(maxsize=256)
def check_read_only(text: str) -> None:
    """Refuse what would reach outside the store or change it: SERVICE and FROM, and the updates' keywords.
    The query is read token by token as SPARQL's grammar reads it, so that a keyword is found wherever the engine
    would find one, and never inside a string, an IRI, a comment, a variable or a prefixed name's local part.

    >>> check_read_only("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    ngograph.errors.QueryError: refused: SERVICE is not allowed on the read path (queries run on the store's own data: no SERVICE, LOAD, FROM or updates)
    >>> check_read_only('SELECT ?load WHERE { ?s ?p "DROP ALL" }')
    >>> check_read_only('PREFIX tg: <https://w3id.org/ngograph/vocab/target-group/> '
    ...                 'SELECT ?p WHERE { ?p <https://schema.org/audience> tg:people-with-disabilities }')
    >>> check_read_only('SELECT * WHERE { ?s ?p ?o .SERVICE <http://x/sparql> { ?s ?p ?o } }')
    Traceback (most recent call last):
    ...
    ngograph.errors.QueryError: refused: SERVICE is not allowed on the read path (queries run on the store's own data: no SERVICE, LOAD, FROM or updates)
    >>> check_read_only('PREFIX : <urn:x:> ASK FROM:g { ?s ?p ?o }')
    Traceback (most recent call last):
    ...
    ngograph.errors.QueryError: refused: FROM is not allowed on the read path (queries run on the store's own data: no SERVICE, LOAD, FROM or updates)
    """
    for m in _TOKEN.finditer(text):
        word = _refused_word(m.lastgroup, m.group(0))
        if word is not None:
            raise QueryError(f"refused: {word} is not allowed on the read path "
                             "(queries run on the store's own data: no SERVICE, LOAD, FROM or updates)")


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def nt_term(term) -> str:
    """An RDF term in N-Triples syntax, refusing IRIs (a literal's datatype too) that could break out of ``<...>``.

    >>> nt_term(Literal('x" } ; DROP ALL ; #'))
    '"x\\\\" } ; DROP ALL ; #"'
    >>> nt_term(URIRef("https://example.org/a> } DROP ALL {"))
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI: 'https://example.org/a> } DROP ALL {'
    >>> nt_term(ox.NamedNode("https://example.org/a"))
    '<https://example.org/a>'
    """
    # a store's IRI as an rdflib one, without making one (the locations of 100,000 results); checked the same, since
    # a node read from a store loaded leniently was never checked
    if type(term) is ox.NamedNode or isinstance(term, URIRef):
        iri = term.value if type(term) is ox.NamedNode else str(term)
        if _IRI_FORBIDDEN.search(iri):
            raise ValueError(f"not a valid IRI: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal):
        if term.datatype is not None:  # the datatype is written in <...> too
            nt_term(term.datatype)
        return term.n3()
    raise TypeError(f"cannot bind {term!r}")


def _where_open(text: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE group (comments, strings and IRIs skipped)."""
    masked = mask_query(text)
    m = re.search(r"\bWHERE\s*\{", masked, re.I)
    if m:
        return m.end()
    i = masked.find("{")
    if i < 0:
        raise QueryError("cannot find the query's WHERE group to bind parameters")
    return i + 1


_BIND_HERE = re.compile(r"#\+ bind \?(\w+)[ \t]*")


def inline_bindings(text: str, bindings: dict) -> str:
    """The query with a ``VALUES`` block binding each parameter at the head of its WHERE group;
    a list of terms binds the parameter to each of them (one query for many resources).

    A tuple of names binds them together, row by row, from a list of tuples; a Python ``int`` there is
    written as a plain integer (a row's number: an integer comes back from the store without a look-up of
    its text, an IRI does not). Such a block goes at the head of the WHERE group only, never at a
    ``#+ bind`` comment.

    A comment ``#+ bind ?name`` (a line of its own, inside a sub-SELECT's WHERE group) is replaced
    by the same block: a sub-SELECT is evaluated on its own before it is joined, so a parameter
    bound only at the top leaves it to compute its rows for every value (bridging-organisations:
    every country group, 2.6x the CPU). Its author writes it only where every row of the
    sub-SELECT binds the variable, so that the result is the same; unbound, it stays a comment.

    >>> inline_bindings("SELECT * WHERE { ?r ?p ?o }", {"r": [URIRef("https://e.org/a"), URIRef("https://e.org/b")]})
    'SELECT * WHERE { VALUES ?r { <https://e.org/a> <https://e.org/b> }\\n ?r ?p ?o }'
    >>> inline_bindings("SELECT * WHERE { ?r ?p ?o }", {("n", "r"): [(0, URIRef("https://e.org/a")), (1, URIRef("https://e.org/b"))]})
    'SELECT * WHERE { VALUES (?n ?r) { (0 <https://e.org/a>) (1 <https://e.org/b>) }\\n ?r ?p ?o }'
    >>> q = 'SELECT * WHERE { { SELECT ?r WHERE {\\n#+ bind ?r\\n#+ bind ?s\\n?r ?p "#+ bind ?r" } } }'
    >>> print(inline_bindings(q, {"r": Literal("x")}))
    SELECT * WHERE { VALUES ?r { "x" }
     { SELECT ?r WHERE {
    VALUES ?r { "x" }
    #+ bind ?s
    ?r ?p "#+ bind ?r" } } }
    """
    if not bindings:
        return text
    blocks = {name: _values_block(name, term) for name, term in bindings.items()}

    def bind_here(m: re.Match) -> str:
        token = m.group(0)
        here = _BIND_HERE.fullmatch(token) if token.startswith("#") else None
        return blocks.get(here.group(1), token) if here else token

    if "#+ bind" in text:  # most queries have none: no second pass over their text (a site makes thousands)
        text = _MASKED.sub(bind_here, text)
    at = _where_open(text)
    return f"{text[:at]} {' '.join(blocks.values())}\n{text[at:]}"


def _values_block(name: str | tuple[str, ...], term) -> str:
    """The VALUES block of :func:`inline_bindings` for one binding: :class:`ValueError` for a name that is
    not a variable's, or a row with more or fewer values than the names."""
    names = name if isinstance(name, tuple) else (name,)
    for n in names:
        if not _VARIABLE.fullmatch(n):
            raise ValueError(f"not a variable name: {n!r}")
    if not isinstance(name, tuple):
        return f"VALUES ?{name} {{ {' '.join(map(nt_term, term if isinstance(term, list) else [term]))} }}"
    rows = []
    for row in term:
        if len(row) != len(names):
            raise ValueError(f"{len(row)} values for the {len(names)} variables {', '.join(names)}: {row!r}")
        rows.append(f"({' '.join(str(v) if type(v) is int else nt_term(v) for v in row)})")
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(rows)} }}"


_VARIABLE = re.compile(r"\w+")  # as a query header names its parameters


_FINAL_ORDER = re.compile(r"\bORDER\s+BY((?:\s*(?:(?:ASC|DESC)\s*\(\s*[?$]\w+\s*\)|[?$]\w+))+)\s*$", re.I)
_ORDER_KEY = re.compile(r"(ASC|DESC)?\s*\(?\s*[?$](\w+)", re.I)


def final_order(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The query without its final ``ORDER BY`` and that clause's keys as ``(variable,
    descending)``, when every key is a variable (``?v``, ``ASC(?v)``, ``DESC(?v)``) and nothing
    follows the clause (no LIMIT or OFFSET); else None. The embedded store then sorts the rows
    itself (:mod:`ngograph.store.backends`): Oxigraph reads a term's text from the store at every
    comparison of a sort, which cost cofunding-rate half its time on the imported store.

    >>> final_order("SELECT * { ?s ?p ?o } ORDER BY DESC(?o) ?s # done")
    ('SELECT * { ?s ?p ?o } ', [('o', True), ('s', False)])
    >>> final_order("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 5") is None
    True
    >>> final_order("SELECT * { ?s ?p ?o } ORDER BY DESC(?o + 1)") is None
    True
    """
    m = _FINAL_ORDER.search(mask_query(text).rstrip())
    if m is None:
        return None
    return text[:m.start()], [(v, (d or "").upper() == "DESC") for d, v in _ORDER_KEY.findall(m.group(1))]
