"""Report.render, line by line, on a hand-made report: the groups by severity then shape, the cut per shape,
the base taken off focus IRIs, prefixed names, a missing location, a value, a message of several lines, and the
last line's counts with what was not shown; the order of the places, numbers by their value."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ngograph.validate.shacl import Report, Result, natural_key

B = "https://w3id.org/ngograph/id/"
RESULTS = [
    Result("Warning", "ngosh:B", "b.yaml:2", f"{B}project/z", "sh:MinCountConstraintComponent", "no name"),
    Result("Violation", "ngosh:A", "", "https://schema.org/x", "sh:ClassConstraintComponent", "not a class",
           value="EUROS"),
    Result("Warning", "ngosh:B", "a.yaml:9", f"{B}project/y", "sh:MinCountConstraintComponent", "no name"),
    Result("Warning", "ngosh:B", "a.yaml:1", f"{B}project/x", "sh:MinCountConstraintComponent", "two\nlines"),
    Result("Info", "ngosh:C", "c.yaml:4", "urn:x:other", "sh:MinCountConstraintComponent", "no date"),
    Result("Warning", "ngosh:A2", "d.yaml:1", f"{B}org/o", "sh:PatternConstraintComponent", "bad"),
]


def test_every_line_of_a_full_report():
    assert Report(RESULTS, base=B).render(max_per_group=2).split("\n") == [
        "VIOLATIONS (1)",
        "  ngosh:A [sh:ClassConstraintComponent] (1)",
        "    (no record location): schema:x value EUROS: not a class",
        "WARNINGS (4)",
        "  ngosh:A2 [sh:PatternConstraintComponent] (1)",
        "    d.yaml:1: org/o: bad",
        "  ngosh:B [sh:MinCountConstraintComponent] (3)",
        "    a.yaml:1: project/x: two lines",
        "    a.yaml:9: project/y: no name",
        "    ... and 1 more",
        "INFOS (1)",
        "  ngosh:C [sh:MinCountConstraintComponent] (1)",
        "    c.yaml:4: urn:x:other: no date",
        "The graph does NOT conform: 1 violation(s), 4 warning(s), 1 info(s).",
    ]


def test_no_cut_no_base_and_severities_not_shown():
    text = Report(RESULTS[2:4] + RESULTS[4:5]).render(shown=("Warning",))
    assert text.split("\n") == [
        "WARNINGS (2)",
        "  ngosh:B [sh:MinCountConstraintComponent] (2)",
        f"    a.yaml:1: {B}project/x: two lines",
        f"    a.yaml:9: {B}project/y: no name",
        "The graph conforms: 0 violation(s), 2 warning(s), 1 info(s). Not shown: 1 info(s).",
    ]
    hidden = Report(RESULTS).render(max_per_group=0, shown=())
    assert hidden == ("The graph does NOT conform: 1 violation(s), 4 warning(s), 1 info(s). Not shown: 1 violation(s), "
                      "4 warning(s), 1 info(s).")
    assert Report([]).render() == "The graph conforms: 0 violation(s), 0 warning(s), 0 info(s)."


def test_records_in_the_order_of_their_files_and_lines_not_of_their_text():
    # as text, "h.csv.gz:row 10" < "h.csv.gz:row 9" and "d_10.xml:1" < "d_2.xml:5"
    places = ["h.csv.gz:row 10", "d_10.xml:1", "h.csv.gz:row 9", "d_2.xml:5", "d_2.xml:40", ""]
    report = Report([Result("Warning", "ngosh:P", p, f"{B}project/{i}", "sh:MinCountConstraintComponent", "m")
                     for i, p in enumerate(places)], base=B)
    assert [line.split(": ")[0].strip() for line in report.render().split("\n")[2:-1]] == [
        "(no record location)", "d_2.xml:5", "d_2.xml:40", "d_10.xml:1", "h.csv.gz:row 9", "h.csv.gz:row 10"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab._: 0129", max_size=12), min_size=1, max_size=6))
def test_the_places_key_is_the_text_between_numbers_and_the_numbers(texts):
    """natural_key (its file's key made once, then the last number) is the plain split: the text between the numbers,
    and each number as an int, whether the text ends in a number or not; and so orders the texts alike."""
    for text in texts:
        parts = re.split(r"([0-9]+)", text)
        assert natural_key(text) == tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
    assert sorted(texts, key=natural_key) == sorted(texts, key=lambda t: tuple(
        int(p) if i % 2 else p for i, p in enumerate(re.split(r"([0-9]+)", t))))
