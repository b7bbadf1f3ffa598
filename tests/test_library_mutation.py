"""The query library of ngograph/queries/library.py: behaviours a mutation run showed were not
pinned (issue 14). Header and parameter parsing, the loader's errors, each parameter type's
term, what ``run`` and ``stream`` hand the backend, and each output format. Tiny hand-made
queries and rows; exact texts and messages."""

from __future__ import annotations

import locale
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ngograph.errors import QueryError
from ngograph.queries.library import (QUERIES_DIR, Param, Query, bind_params, format_rows, list_queries, load_query,
                                      qc_queries, run, stream)
from ngograph.store.backends import Rows

BASE = "https://b.org/id/"
TEXT = """PREFIX ex: <urn:ex:>
#+ summary:   Two things, said once.  
#+param : project iri = project/x -- the project
#+ param: year integer
#+ param: share decimal = 0.5
#+ param: since date = 2021-02 -- first month
#+ param: theme string = health
#+ tags: b, a ,, c
#+ note: kept
SELECT * WHERE { ?project ?p ?year }
"""


@pytest.fixture
def query_file(tmp_path) -> Path:
    path = tmp_path / "two-things.rq"
    path.write_text(TEXT, encoding="utf-8")
    return path


# ------------------------------------------------------------------ headers

def test_the_header_is_read_after_other_lines_too(query_file):
    q = load_query(query_file)
    assert (q.name, q.path, q.text, q.summary, q.tags) == ("two-things", query_file, TEXT, "Two things, said once.",
                                                          ("b", "a", "c"))
    assert q.params == (Param("project", "iri", "project/x", "the project"), Param("year", "integer", None, ""),
                        Param("share", "decimal", "0.5", ""), Param("since", "date", "2021-02", "first month"),
                        Param("theme", "string", "health", ""))
    assert q.meta == {"summary": "Two things, said once.", "tags": "b, a ,, c", "note": "kept"}
    assert load_query(str(query_file)).params == q.params


def test_a_query_without_header_has_empty_fields(tmp_path):
    path = tmp_path / "bare.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    q = load_query(path)
    assert (q.name, q.summary, q.tags, q.params, q.meta) == ("bare", "", (), (), {})


def test_a_bad_parameter_header_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: x\nSELECT\n#+ param: year number -- the year\n", encoding="utf-8")
    with pytest.raises(QueryError) as info:
        load_query(path)
    assert str(info.value) == (f"{path}:3: bad parameter header 'year number -- the year' "
                               "(write: NAME TYPE [= DEFAULT] -- description)")


# ------------------------------------------------------------------ loading

def test_a_library_query_is_named_by_its_path_in_the_library():
    q = load_query("qc/funder-without-grant-violation")
    assert q.name == "qc/funder-without-grant-violation"
    assert q.path == QUERIES_DIR / "qc" / "funder-without-grant-violation.rq"
    assert load_query(QUERIES_DIR / "project-partners.rq").name == "project-partners"


def test_the_library_and_the_quality_checks():
    names = [q.name for q in list_queries()]
    assert names[:3] == ["bridging-organisations", "cofunding-rate", "country-pairs"]
    assert names == sorted(names) and "summary" in names and not any("/" in n for n in names)
    checks = [q.name for q in qc_queries()]
    assert checks[:2] == ["qc/funder-without-grant-violation", "qc/member-shortcut-violation"]
    assert all(n.startswith("qc/") and n.endswith("-violation") for n in checks)


@pytest.mark.parametrize("name", ["nope", "two-things.txt", "missing.rq"])
def test_an_unknown_query_lists_the_library(tmp_path, monkeypatch, name):
    (tmp_path / "two-things.txt").write_text(TEXT, encoding="utf-8")  # a file, but not a .rq one
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError) as info:
        load_query(name)
    message = str(info.value)
    what = ("two-things.txt: not a query file (a query file's name ends in .rq), nor" if name == "two-things.txt"
            else f"no query {name!r}: not a file, nor")
    assert message.startswith(f"{what} one of the library (bridging-organisations, cofunding-rate, country-pairs, ")
    assert message.endswith(", summary)") and "qc/" not in message


@pytest.fixture
def ascii_locale():
    """The locale's encoding ASCII (as in a bare container), restored after the test."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_a_query_file_is_read_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    path = tmp_path / "accents.rq"
    path.write_bytes("#+ summary: Coopération\nSELECT * WHERE { ?s ?p ?o }\n".encode("utf-8"))
    assert load_query(path).summary == "Coopération"


def test_a_query_file_that_is_not_text(tmp_path):
    path = tmp_path / "binary.rq"
    path.write_bytes(b"SELECT \xff")
    with pytest.raises(QueryError) as info:
        load_query(path)
    assert str(info.value) == (f"{path}: not a text file (byte 0xff at offset 7 is not UTF-8); "
                               "a .rq file holds SPARQL text")


def test_a_query_file_that_cannot_be_read(query_file, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(QueryError) as info:
        load_query(query_file)
    assert str(info.value) == f"cannot read {query_file}: Permission denied"


# ------------------------------------------------------------------ parameters

def _literal(term) -> tuple:
    return type(term).__name__, str(term), term.datatype, term.language


def test_the_defaults_as_terms(query_file):
    got = bind_params(load_query(query_file), {"year": 2020}, BASE)
    assert list(got) == ["project", "year", "share", "since", "theme"]
    assert got["project"] == URIRef("https://b.org/id/project/x")
    assert _literal(got["year"]) == ("Literal", "2020", XSD.integer, None)
    assert _literal(got["share"]) == ("Literal", "0.5", XSD.decimal, None)
    assert _literal(got["since"]) == ("Literal", "2021-02", XSD.gYearMonth, None)
    assert _literal(got["theme"]) == ("Literal", "health", None, None)


def test_given_values_as_terms(query_file):
    got = bind_params(load_query(query_file), {"project": "urn:x:p", "year": "-7", "share": "-0.25",
                                               "since": "2020-02-29", "theme": 'x" } #'}, BASE)
    assert got["project"] == URIRef("urn:x:p")
    assert _literal(got["year"]) == ("Literal", "-7", XSD.integer, None)
    assert _literal(got["share"]) == ("Literal", "-0.25", XSD.decimal, None)
    assert _literal(got["since"]) == ("Literal", "2020-02-29", XSD.date, None)
    assert _literal(got["theme"]) == ("Literal", 'x" } #', None, None)
    upper = bind_params(load_query(query_file), {"project": "URN:X:p", "year": "1"}, BASE)
    assert upper["project"] == URIRef("URN:X:p")
    assert bind_params(load_query(query_file), {"year": "+1", "since": "1999"}, BASE)["since"].datatype == XSD.gYear


def test_the_base_defaults_to_the_configured_one(query_file, monkeypatch):
    monkeypatch.delenv("NGOGRAPH_BASE", raising=False)
    assert bind_params(load_query(query_file), {"year": "1"})["project"] == URIRef(
        "https://w3id.org/ngograph/id/project/x")
    monkeypatch.setenv("NGOGRAPH_BASE", "https://c.org/")
    assert bind_params(load_query(query_file), {"year": "1"})["project"] == URIRef("https://c.org/project/x")
    assert bind_params(load_query(query_file), {"year": "1"}, BASE)["project"] == URIRef(BASE + "project/x")


@pytest.mark.parametrize("given,message", [
    ({"year": "1.0"}, "parameter year: '1.0' is not an integer"),
    ({"year": "1", "share": "half"}, "parameter share: 'half' is not a decimal"),
    # NaN and Infinity are Python decimals, not xsd:decimal ones: bound, every comparison with them fails (no row)
    ({"year": "1", "share": "NaN"}, "parameter share: 'NaN' is not a decimal"),
    ({"year": "1", "share": "-Infinity"}, "parameter share: '-Infinity' is not a decimal"),
    ({"year": "1", "share": "sNaN"}, "parameter share: 'sNaN' is not a decimal"),
    ({"year": "1", "since": "2021-13"}, "parameter since: impossible date '2021-13': month must be in 1..12"),
    ({"year": "1", "since": "May"}, "parameter since: not a date: 'May' (write YYYY, YYYY-MM or YYYY-MM-DD)"),
    ({"year": "1", "project": "a b"}, "parameter project: 'https://b.org/id/a b' is not a valid IRI"),
    ({"year": "1", "project": "urn:x>"}, "parameter project: 'urn:x>' is not a valid IRI"),
    ({}, "query 'two-things' needs --param year=... (integer: )"),
    ({"year": "1", "colour": "red", "size": 2}, "query 'two-things' has no parameter colour, size; "
                                                "parameters: project, year, share, since, theme"),
])
def test_parameter_errors_say_which_and_why(query_file, given, message):
    with pytest.raises(QueryError) as info:
        bind_params(load_query(query_file), given, BASE)
    assert str(info.value) == message


def test_a_missing_value_names_its_type_and_description(query_file):
    q = Query("q", "SELECT * WHERE { ?s ?p ?o }", params=(Param("org", "iri", None, "the organisation"),))
    with pytest.raises(QueryError) as info:
        bind_params(q, {}, BASE)
    assert str(info.value) == "query 'q' needs --param org=... (iri: the organisation)"
    with pytest.raises(QueryError) as info:
        bind_params(Query("q", "SELECT * {}"), {"x": 1}, BASE)
    assert str(info.value) == "query 'q' has no parameter x; parameters: none"


# ------------------------------------------------------------------ run and stream

class Spy:
    """A backend that records what it is asked."""

    def __init__(self):
        self.calls = []

    def select(self, text, bindings, **kwargs):
        self.calls.append(("select", text, bindings, kwargs))
        return "rows"

    def stream(self, text, bindings, **kwargs):
        self.calls.append(("stream", text, bindings, kwargs))
        return "chunks"


@pytest.mark.parametrize("call,verb,result", [(run, "select", "rows"), (stream, "stream", "chunks")])
def test_the_backend_gets_the_text_the_terms_and_the_limits(query_file, call, verb, result):
    q = load_query(query_file)
    spy = Spy()
    assert call(q, spy, {"year": "3"}, base=BASE) == result
    bindings = bind_params(q, {"year": "3"}, BASE)
    assert spy.calls == [(verb, TEXT, bindings, {"timeout": None, "max_rows": 100_000, "max_memory": None})]
    spy.calls.clear()
    call(q, spy, {"year": "3"}, timeout=2.5, max_rows=7, base=BASE, max_memory=1024)
    assert spy.calls == [(verb, TEXT, bindings, {"timeout": 2.5, "max_rows": 7, "max_memory": 1024})]


@pytest.mark.parametrize("call", [run, stream])
def test_a_library_query_by_name_with_its_defaults(call, monkeypatch):
    monkeypatch.delenv("NGOGRAPH_BASE", raising=False)
    spy = Spy()
    call("project-partners", spy)
    (_, text, bindings, _), = spy.calls
    assert text == load_query("project-partners").text
    assert bindings == {"project": URIRef("https://w3id.org/ngograph/id/project/social-rights-advocacy-phase-1")}


@pytest.mark.parametrize("call", [run, stream])
def test_a_query_that_reaches_outside_is_refused_before_the_backend(call):
    spy = Spy()
    with pytest.raises(QueryError, match="^refused: LOAD "):
        call(Query("q", "LOAD <urn:x>"), spy)
    assert spy.calls == []


# ------------------------------------------------------------------ output

ROWS = Rows([{"org": "https://e.org/o/1", "n": None, "ok": True},
             {"org": "https://d.org/x", "n": Decimal("2.50"), "ok": False}], ["org", "n", "ok"])
SHORTEN = {"e": "https://e.org/", "": "https://d.org/", "f": "https://e.org/o/"}


def test_a_table_aligns_shortened_cells():
    assert format_rows(ROWS, shorten=SHORTEN) == ("org    n     ok\n"
                                                  "-----  ----  -----\n"
                                                  "e:o/1        true\n"
                                                  "x      2.50  false\n"
                                                  "(2 rows)\n")
    assert format_rows(ROWS, "table") == ("org                n     ok\n"
                                          "-----------------  ----  -----\n"
                                          "https://e.org/o/1        true\n"
                                          "https://d.org/x    2.50  false\n"
                                          "(2 rows)\n")


def test_a_table_aligns_by_the_columns_a_terminal_shows():
    """A Chinese name takes two columns a character, a combining accent none: the next column starts where a
    terminal shows it, the same for every row."""
    rows = Rows([{"name": "日本国際協力機構", "n": 1}, {"name": "Z\u030cemaitija", "n": 2}, {"name": "ab", "n": 3}],
                ["name", "n"])
    assert format_rows(rows).splitlines() == ["name              n",
                                              "----------------  -",
                                              "日本国際協力機構  1",
                                              "Z\u030cemaitija         2",
                                              "ab                3",
                                              "(3 rows)"]


def test_a_table_cuts_long_values_and_keeps_each_row_on_one_line():
    rows = Rows([{"a": "x" * 100, "b": "line\r\nbreak"}, {"a": "y", "b": "\x1b[31mred\x85"}], ["a", "b"])
    assert format_rows(rows).splitlines() == ["a" + " " * 59 + "  b",
                                              "-" * 60 + "  " + "-" * 11,
                                              "x" * 59 + "\u2026  line  break",
                                              "y" + " " * 59 + "  \ufffd[31mred\ufffd",
                                              "(2 rows)"]
    assert format_rows(Rows([{"a": "x" * 60}], ["a"])).splitlines()[2] == "x" * 60  # 60 whole, 61 cut
    assert format_rows(Rows([{"a": "x" * 61}], ["a"])).splitlines()[2] == "x" * 59 + "\u2026"
    assert format_rows(rows, "csv").splitlines()[1] == "x" * 100 + ',"line'  # csv keeps the value whole
    shortened = format_rows(Rows([{"a": "https://e.org/" + "y" * 70}], ["a"]), shorten={"e": "https://e.org/"})
    assert shortened.splitlines()[2] == "e:" + "y" * 57 + "\u2026"  # a shortened IRI is cut too


def test_a_table_of_one_row_and_of_none():
    assert format_rows([{"a": "é"}]) == "a\n-\né\n(1 row)\n"
    assert format_rows(Rows([], ["a", "bb"])) == "a  bb\n-  --\n(0 rows)\n"
    assert format_rows([]) == "\n\n(0 rows)\n"


def test_csv_and_tsv_with_and_without_the_header():
    assert format_rows(ROWS, "csv") == "org,n,ok\nhttps://e.org/o/1,,true\nhttps://d.org/x,2.50,false\n"
    assert format_rows(ROWS, "tsv", header=False) == "https://e.org/o/1\t\ttrue\nhttps://d.org/x\t2.50\tfalse\n"
    assert format_rows([{"a": 'x,"y"', "b": 0}], "csv") == 'a,b\n"x,""y""",0\n'


def test_json_keeps_the_text_and_makes_decimals_numbers():
    assert format_rows(ROWS, "json") == ('[\n  {\n    "org": "https://e.org/o/1",\n    "n": null,\n'
                                         '    "ok": true\n  },\n'
                                         '  {\n    "org": "https://d.org/x",\n    "n": 2.5,\n    "ok": false\n  }\n]\n')
    assert format_rows([{"a": "é"}], "json") == '[\n  {\n    "a": "é"\n  }\n]\n'


def test_an_unknown_format():
    with pytest.raises(QueryError) as info:
        format_rows(ROWS, "xml")
    assert str(info.value) == "unknown format 'xml' (table, csv, tsv, json)"
