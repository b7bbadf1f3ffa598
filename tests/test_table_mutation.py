"""The spreadsheet-template reader (:mod:`ngograph.sources.table`) and its record mapper
(:mod:`ngograph.sources.table_records`) pinned down on tiny hand-made file sets (issue 14,
mutation testing): every cell reader with its refusals, every row and record compared field by
field with values read off the input by hand, every problem by its whole text. The headers are
written out here (not taken from the module), so a renamed column fails. Files go under tmp_path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ngograph.errors import SourceError
from ngograph.records.types import Grant, Identifier, Money, Organisation, Participation, Programme, Project, Text
from ngograph.sources import table
from ngograph.sources.table import (TableGrant, TableOrganisation, TableParticipation, TableProject, TableSet,
                                    read_table_set, template_files)
from ngograph.sources.table_records import table_records
from ngograph.sources.tabular import SourceDate

PROJECTS = ("id,name,name_lang,translated_name,alt_names,start,end,budget_amount,budget_currency,countries,"
            "identifier_scheme,identifier,programme,programme_name")
ORGANISATIONS = "id,name,name_lang,translated_name,alt_names,country,type,identifier_scheme,identifier,website"
PARTICIPATIONS = "project,organisation,role,contribution_amount,contribution_currency,budget_amount,budget_currency"
GRANTS = "id,funder,funded,role,amount,currency,share,award_date,start,end,identifier"
HEADERS = {"projects.csv": PROJECTS, "organisations.csv": ORGANISATIONS, "participations.csv": PARTICIPATIONS,
           "grants.csv": GRANTS}
MISSING = "not among the files named: none of its rows is read"
FORMULA_AMOUNT = "write an amount without a sign, and put a leading dash of a name inside the text"
PLAIN = "is not a plain decimal: write digits with a point before the decimals and no thousands separator " \
        "(444550, 92.07)"


def _set(folder, **files) -> object:
    """Write each file given (``projects=[rows]``...) as its header and the rows; None writes no file."""
    folder.mkdir(exist_ok=True)
    for key, rows in files.items():
        name = f"{key}.csv"
        if rows is not None:
            (folder / name).write_text("\n".join([HEADERS[name], *rows]) + "\n", encoding="utf-8")
    return folder


def _read(*paths) -> tuple[TableSet, list]:
    """The set read from ``paths`` and the problems listed."""
    problems: list = []
    return read_table_set(list(paths), problems), problems


def _day(text):
    return SourceDate(text, text, "day")


def _refusal(read, text) -> str:
    with pytest.raises(ValueError) as exc:
        read(text)
    return str(exc.value)


# ---------------------------------------------------------------------------- cells

def test_a_cell_is_trimmed_and_empty_after_trimming_is_missing():
    read = table._cell(table._text)
    assert read(" Interfolk ") == "Interfolk"
    assert read("  \t ") is None
    assert table._cell(table._list)(" a ; ;b ;") == ("a", "b")


@pytest.mark.parametrize("text, first, fix", [
    ("=SUM(A1)", "=", "write the value itself"),
    ("@Interfolk", "@", "write the value itself"),
    ("+100", "+", FORMULA_AMOUNT),
    ("-Interfolk", "-", FORMULA_AMOUNT),
    ("  =1", "=", "write the value itself"),
])
def test_a_formula_is_refused_naming_its_first_character(text, first, fix):
    assert _refusal(table._cell(table._text), text) == (
        f"{text!r} starts with {first!r}, which a spreadsheet runs as a formula: {fix}")


def test_a_long_formula_is_quoted_to_40_characters():
    text = "=" + "A" * 39 + "BCDEF"
    assert _refusal(table._cell(table._text), text) == (
        f"'={'A' * 39}' starts with '=', which a spreadsheet runs as a formula: write the value itself")


def test_a_cell_inside_text_may_hold_formula_characters():
    assert table._cell(table._text)("A=B -C +D @E") == "A=B -C +D @E"


def test_bytes_that_were_not_utf8_are_refused():
    assert _refusal(table._cell(table._date), "R\ufffdga") == (
        "holds bytes that are not UTF-8 (each shown as \ufffd): save the file as \"CSV UTF-8\"")


def test_personal_data_is_refused_in_free_text_only():
    mail = "office" + "@" + "example.org"
    why = "the graph names no people and keeps no contact details"
    assert _refusal(table._cell(table._text), f"write to {mail}") == (
        f"holds what looks like personal data (e-mail address): {why}")
    assert _refusal(table._cell(table._list), "A; tel. +371 2912 3456") == (
        f"holds what looks like personal data (phone number): {why}")
    # a scheme is not free text: refused as a scheme, never searched for personal data
    assert _refusal(table._cell(table._scheme), mail) == (
        f"{mail!r} is not a scheme code: an org-id.guide prefix such as LV-RUR, NO-BRC, GB-CHC")


def test_language_tags():
    assert [table._language(t) for t in ("en", "lv", "sr-Latn", "EN", "es-419", "de-DE-1996")] == [
        "en", "lv", "sr-Latn", "EN", "es-419", "de-DE-1996"]
    assert _refusal(table._language, "latvian") == (
        "'latvian' is not a BCP 47 language tag (en, lv, lt, da, no, sr-Latn)")


def test_dates_are_iso_at_the_precision_known():
    assert table._date("2021") == SourceDate("2021", "2021", "year")
    assert table._date("2018-08") == SourceDate("2018-08", "2018-08", "month")
    assert table._date("2017-09-01") == _day("2017-09-01")
    for text in ("01/09/2017", "2017-09-01T10:00", "2017-09-01 10:00", "September 2017", "17"):
        assert _refusal(table._date, text) == f"{text!r} is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD"
    assert _refusal(table._date, "2019-02-30") == "impossible date '2019-02-30': day is out of range for month"


def test_amounts_and_shares():
    assert table._amount("92.07") == Decimal("92.07") and table._amount("444550") == Decimal("444550")
    assert table._amount("0.5").text == "0.5"
    for text in ("1,000.50", "1,5", ".5", "5.", "1e3", "1 000"):
        assert _refusal(table._amount, text) == f"{text!r} {PLAIN}"
    assert table._share("100") == Decimal("100") and table._share("0") == Decimal("0")
    assert _refusal(table._share, "100.5") == "100.5 is over 100 (a share in percent)"
    assert _refusal(table._share, "1,5") == f"'1,5' {PLAIN}"


def test_codes_are_upper_cased_and_checked():
    assert table._currency("dkk") == "DKK" and table._currency("EUR") == "EUR"
    assert _refusal(table._currency, "dkr") == "'dkr' is not an ISO 4217 currency code (DKK, EUR)"
    assert [table._country(c) for c in ("lv", "NO", "uk", "el", "xk")] == ["LV", "NO", "GB", "GR", "XK"]
    assert _refusal(table._country, "xx") == (
        "'xx' is not an ISO 3166-1 alpha-2 country code (LV, NO; XK for Kosovo)")
    assert _refusal(table._country, "lva") == (
        "'lva' is not an ISO 3166-1 alpha-2 country code (LV, NO; XK for Kosovo)")
    assert table._countries("lv; lt;;uk") == ("LV", "LT", "GB")
    assert table._scheme("dk-cvr") == "DK-CVR" and table._scheme("XI-IATI") == "XI-IATI"
    for text in ("dk cvr", "dk-", "-dk", "dk--cvr", "DK_CVR"):
        assert _refusal(table._scheme, text) == (
            f"{text!r} is not a scheme code: an org-id.guide prefix such as LV-RUR, NO-BRC, GB-CHC")


def test_websites_types_and_roles():
    assert table._website("https://eksempel.example/") == "https://eksempel.example/"
    assert _refusal(table._website, "www.example.org") == "'www.example.org' is not a web address (https://...)"
    kind = table.COLUMNS["organisations.csv"]["type"]
    assert [kind(t) for t in ("ngo", "government", "intergovernmental", "network", "international")] == [
        "ngo", "government", "intergovernmental", "network", "international"]
    assert _refusal(kind, "charity") == (
        "'charity' is not one of ngo, government, intergovernmental, network, international")
    assert _refusal(kind, "NGO") == "'NGO' is not one of ngo, government, intergovernmental, network, international"
    roles = ("lead-partner", "partner", "implementer", "associated", "administering-body", "accountable")
    assert [table._role(r) for r in roles] == list(roles)
    for role in ("funder", "co-funder"):
        assert _refusal(table._role, role) == f"{role!r}: funders go in grants.csv, with the project as funded"
    assert _refusal(table._role, "coordinator") == (
        "'coordinator' is not one of lead-partner, partner, implementer, associated, administering-body, accountable")
    grant_role = table.COLUMNS["grants.csv"]["role"]
    assert (grant_role("funder"), grant_role("co-funder")) == ("funder", "co-funder")
    assert _refusal(grant_role, "partner") == "'partner' is not one of funder, co-funder"


def test_one_of_called_here():
    # COLUMNS calls _one_of when the module is imported (before a mutant is applied): call it here too
    read = table._one_of(("a", "b c"))
    assert (read("a"), read("b c")) == ("a", "b c")
    assert _refusal(read, "b") == "'b' is not one of a, b c"


def test_before_compares_at_the_coarser_precision():
    d = table._date
    assert table._before(d("2019"), d("2019-10")) is False
    assert table._before(d("2019-09"), d("2019-10-01")) is True
    assert table._before(d("2019-10-01"), d("2019-10")) is False
    assert table._before(d("2019-10-01"), d("2019-10-01")) is False
    assert table._before(d("2018"), d("2019-01-01")) is True
    assert table._before(None, d("2019")) is False and table._before(d("2019"), None) is False


# ---------------------------------------------------------------------------- a good set, row by row

GOOD = {
    "projects": [
        "p1,Aprūpes tīkls,lv,Care Network,CN; Tīkls,2020-03,2021-02-28,120000.50,eur,lv;uk,,LV-2020/17,prog,"
        "Programme One",
        "p2,Second,en,,,2021,2021,,,,no-brc,X1,prog,Programme Other",
        "p3,Third,en,,,,,,,,,,,",
    ],
    "organisations": [
        "o1,Eksempel Forening,da,,EF,dk,ngo,dk-cvr,12345678,https://eksempel.example/",
        "o2,Paraugbiedrība,lv,Example Association,,LV,,,,",
        "o3,Example Fund,en,,,,international,,,",
        "o4,Same Forening,da,,,DK,ngo,DK-CVR,12345678,",
    ],
    "participations": [
        "p1,o1,lead-partner,50000,EUR,60000,eur",
        "p1,o2,partner,,,,",
        "p1,o4,partner,10,EUR,,",
        "p3,o2,administering-body,,,,",
    ],
    "grants": [
        "g1,o3,p1,co-funder,60000,EUR,49.5,2020-01-15,2020-03,2021,EF 2021/7",
        "g2,o3,o2,funder,15000,eur,,2020-12-01,2021,2021,",
    ],
}

P1 = TableProject("projects.csv:row 1", "p1", "Aprūpes tīkls", "lv", "Care Network", ("CN", "Tīkls"),
                  SourceDate("2020-03", "2020-03", "month"), _day("2021-02-28"), Decimal("120000.50"), "EUR",
                  ("LV", "GB"), None, "LV-2020/17", "prog", "Programme One")
P2 = TableProject("projects.csv:row 2", "p2", "Second", "en", None, (), SourceDate("2021", "2021", "year"),
                  SourceDate("2021", "2021", "year"), None, None, (), "NO-BRC", "X1", "prog", "Programme Other")
P3 = TableProject("projects.csv:row 3", "p3", "Third", "en")
O1 = TableOrganisation("organisations.csv:row 1", "o1", "Eksempel Forening", "da", None, ("EF",), "DK", "ngo",
                       "DK-CVR", "12345678", "https://eksempel.example/")
O2 = TableOrganisation("organisations.csv:row 2", "o2", "Paraugbiedrība", "lv", "Example Association", (), "LV")
O3 = TableOrganisation("organisations.csv:row 3", "o3", "Example Fund", "en", type="international")
O4 = TableOrganisation("organisations.csv:row 4", "o4", "Same Forening", "da", None, (), "DK", "ngo", "DK-CVR",
                       "12345678")


def test_a_good_set_row_by_row(tmp_path):
    folder = _set(tmp_path / "good", **GOOD)
    (folder / "notes.txt").write_text("not a CSV file: not looked at\n", encoding="utf-8")
    t, problems = _read(folder)
    assert problems == []
    assert t.projects == [P1, P2, P3]
    assert t.organisations == [O1, O2, O3, O4]
    assert t.participations == [
        TableParticipation("participations.csv:row 1", 1, "p1", "o1", "lead-partner", Decimal("50000"), "EUR",
                           Decimal("60000"), "EUR"),
        TableParticipation("participations.csv:row 2", 2, "p1", "o2", "partner"),
        TableParticipation("participations.csv:row 3", 3, "p1", "o4", "partner", Decimal("10"), "EUR"),
        TableParticipation("participations.csv:row 4", 4, "p3", "o2", "administering-body")]
    assert t.grants == [
        TableGrant("grants.csv:row 1", "g1", "o3", "p1", "co-funder", Decimal("60000"), "EUR", Decimal("49.5"),
                   _day("2020-01-15"), SourceDate("2020-03", "2020-03", "month"), SourceDate("2021", "2021", "year"),
                   "EF 2021/7", True),
        TableGrant("grants.csv:row 2", "g2", "o3", "o2", "funder", Decimal("15000"), "EUR", None,
                   _day("2020-12-01"), SourceDate("2021", "2021", "year"), SourceDate("2021", "2021", "year"),
                   None, False)]
    # without a problems list nothing is wrong here, so nothing is raised
    assert read_table_set(folder) == t


def test_a_good_set_as_records(tmp_path):
    problems: list = []
    records = list(table_records(read_table_set([_set(tmp_path / "good", **GOOD)], problems), problems))
    dk = ("organisation", "dk-cvr", "12345678")
    o2, o3, prog = ("organisation", "table", "o2"), ("organisation", "table", "o3"), ("programme", "table", "prog")
    p1, p3 = ("project", "table", "p1"), ("project", "table", "p3")
    assert records == [
        Organisation(dk, "organisations.csv:row 1", names=[Text("Eksempel Forening", "da")],
                     identifiers=[Identifier("DK-CVR", "12345678")], country="DK", types={"ngo"},
                     url="https://eksempel.example/", alt_names=[Text("EF", "und")]),
        Organisation(o2, "organisations.csv:row 2", names=[Text("Paraugbiedrība", "lv"),
                                                           Text("Example Association", "en-t-lv")], country="LV"),
        Organisation(o3, "organisations.csv:row 3", names=[Text("Example Fund", "en")], types={"international"}),
        Project(p1, "projects.csv:row 1", names=[Text("Aprūpes tīkls", "lv"), Text("Care Network", "en-t-lv")],
                alt_names=[Text("CN", "und"), Text("Tīkls", "und")], identifiers=[Identifier("TABLE-PROJECT",
                                                                                             "LV-2020/17")],
                start="2020-03", end="2021-02-28", budgets=[Money(Decimal("120000.50"), "EUR")],
                countries=["LV", "GB"], part_of=prog),
        Project(("project", "table", "p2"), "projects.csv:row 2", names=[Text("Second", "en")],
                identifiers=[Identifier("NO-BRC", "X1")], start="2021", end="2021", part_of=prog),
        Project(p3, "projects.csv:row 3", names=[Text("Third", "en")]),
        Programme(prog, "projects.csv:row 1", names=[Text("Programme One", "lv")]),
        Participation(("participation", "table", "p1", "o1", "1"), "participations.csv:row 1", p1, dk,
                      "lead-partner", position=1, contribution=Money(Decimal("50000"), "EUR"),
                      budget=Money(Decimal("60000"), "EUR")),
        Participation(("participation", "table", "p1", "o2", "2"), "participations.csv:row 2", p1, o2, "partner",
                      position=2),
        Participation(("participation", "table", "p1", "o4", "3"), "participations.csv:row 3", p1, dk, "partner",
                      position=3, contribution=Money(Decimal("10"), "EUR")),
        Participation(("participation", "table", "p3", "o2", "4"), "participations.csv:row 4", p3, o2,
                      "administering-body", position=4),
        Grant(("grant", "table", "g1"), "grants.csv:row 1", o3, p1, identifiers=[Identifier("TABLE-GRANT",
                                                                                            "EF 2021/7")],
              amount=Money(Decimal("60000"), "EUR"), award_date="2020-01-15", start="2020-03", end="2021",
              share=Decimal("49.5")),
        Participation(("participation", "table", "p1", "o3", "grant", "g1"), "grants.csv:row 1", p1, o3,
                      "co-funder"),
        Grant(("grant", "table", "g2"), "grants.csv:row 2", o3, o2, amount=Money(Decimal("15000"), "EUR"),
              award_date="2020-12-01", start="2021", end="2021"),
    ]
    assert problems == [
        ("organisations.csv:row 4", "identifier DK-CVR 12345678 is the identifier of organisations.csv:row 1 "
                                    "already: one organisation, described by that row"),
        ("projects.csv:row 2", "programme_name 'Programme Other' differs from 'Programme One' of the programme's "
                               "first named phase: the first is kept")]


def test_a_programme_named_on_a_later_phase_and_one_never_named(tmp_path):
    folder = _set(tmp_path / "set", projects=[
        "a1,A one,en,,,,,,,,,,named,",
        "b1,B one,en,,,,,,,,,,lonely,",
        "a2,A two,da,,,,,,,,,,named,Navngivet",
        "b2,B two,en,,,,,,,,,,lonely,",
        "a3,A three,en,,,,,,,,,,named,Navngivet",
    ], organisations=[], participations=[], grants=[])
    problems: list = []
    records = list(table_records(read_table_set([folder], problems), problems))
    named, lonely = ("programme", "table", "named"), ("programme", "table", "lonely")
    projects = [r for r in records if isinstance(r, Project)]
    assert [(p.key[2], p.part_of) for p in projects] == [("a1", named), ("b1", None), ("a2", named), ("b2", None),
                                                         ("a3", named)]
    assert [r for r in records if isinstance(r, Programme)] == [
        Programme(named, "projects.csv:row 1", names=[Text("Navngivet", "da")])]
    assert problems == [("projects.csv:row 2", "programme 'lonely' has no programme_name on any phase: its phases "
                                               "are not linked to a programme")]
    assert lonely not in [r.key for r in records]


def test_nothing_to_import_raises_with_every_problem():
    with pytest.raises(SourceError) as exc:
        list(table_records(TableSet(), [("projects.csv", "empty file: no header row")]))
    assert exc.value.problems == [("projects.csv", "empty file: no header row"),
                                  ("table", "no project or organisation could be read: nothing is imported")]
    only_org = TableSet(organisations=[O3])
    assert [r.key for r in table_records(only_org, [])] == [("organisation", "table", "o3")]
    only_project = TableSet(projects=[P3])
    assert [r.key for r in table_records(only_project, [])] == [("project", "table", "p3")]


# ---------------------------------------------------------------------------- rows checked across cells

def test_required_cells_refused_or_empty_leave_the_row_out(tmp_path):
    folder = _set(tmp_path / "set", projects=[
        ",No id,en,,,,,,,,,,,",
        "p2,,en,,,,,,,,,,,",
        "p3,Three,latvian,,,,,,,,,,,",
        "p4,=Four,,,,,,,,,,,,",
        "p5,Five,en,,,,,,,,,,,",
    ], organisations=[
        "o1,One,,,,,,,,",
        "o2,Two,en,,,,,,,",
    ], participations=[
        "p5,o2,,,,,",
        ",o2,partner,,,,",
        "p5,,partner,,,,",
        "p5,o2,funder,,,,",
    ], grants=[
        ",o2,p5,funder,,,,,,,",
        "g2,,p5,funder,,,,,,,",
        "g3,o2,,funder,,,,,,,",
        "g4,o2,p5,,,,,,,,",
        "g5,o2,p5,partner,,,,,,,",
    ])
    t, problems = _read(folder)
    out = "the row is left out"
    empty = f"empty, but required: {out}"
    assert problems == [
        ("projects.csv:row 1", f"id: {empty}"),
        ("projects.csv:row 2", f"name: {empty}"),
        ("projects.csv:row 3", "name_lang: 'latvian' is not a BCP 47 language tag (en, lv, lt, da, no, sr-Latn); "
                               f"{out}"),
        ("projects.csv:row 4", "name: '=Four' starts with '=', which a spreadsheet runs as a formula: write the "
                               f"value itself; {out}"),
        ("projects.csv:row 4", f"name_lang: {empty}"),
        ("organisations.csv:row 1", f"name_lang: {empty}"),
        ("participations.csv:row 1", f"role: {empty}"),
        ("participations.csv:row 2", f"project: {empty}"),
        ("participations.csv:row 3", f"organisation: {empty}"),
        ("participations.csv:row 4", f"role: 'funder': funders go in grants.csv, with the project as funded; {out}"),
        ("grants.csv:row 1", f"id: {empty}"),
        ("grants.csv:row 2", f"funder: {empty}"),
        ("grants.csv:row 3", f"funded: {empty}"),
        ("grants.csv:row 4", f"role: {empty}"),
        ("grants.csv:row 5", f"role: 'partner' is not one of funder, co-funder; {out}"),
    ]
    assert [p.id for p in t.projects] == ["p5"] and [o.id for o in t.organisations] == ["o2"]
    assert t.participations == [] and t.grants == []


def test_pairs_are_given_both_or_neither(tmp_path):
    folder = _set(tmp_path / "set", projects=[
        "p1,One,en,,,,,100,,,,,,",
        "p2,Two,en,,,,,,EUR,,,,,",
        "p3,Three,en,,,,,1 000,EUR,,,,,",
        "p4,Four,en,,,,,100,DKR,,,,,",
    ], organisations=[
        "o1,One,en,,,,,LV-RUR,,",
        "o2,Two,en,,,,,,123,",
        "o3,Three,en,,,,,LV RUR,123,",
    ], participations=[
        "p1,o1,partner,5,,7,EUR",
        "p1,o1,partner,,EUR,7,",
    ], grants=[
        "g1,o1,p1,funder,5,,,,,,",
        "g2,o1,p1,funder,,EUR,,,,,",
    ])
    t, problems = _read(folder)
    both = "(both or neither)"
    assert problems == [
        ("projects.csv:row 1", f"budget_currency: empty while budget_amount is given {both}: budget_amount is not "
                               "read"),
        ("projects.csv:row 2", f"budget_amount: empty while budget_currency is given {both}: budget_currency is not "
                               "read"),
        ("projects.csv:row 3", f"budget_amount: '1 000' {PLAIN}; budget_currency is not read either {both}"),
        ("projects.csv:row 4", "budget_currency: 'DKR' is not an ISO 4217 currency code (DKK, EUR); budget_amount "
                               f"is not read either {both}"),
        ("organisations.csv:row 1", f"identifier: empty while identifier_scheme is given {both}: identifier_scheme "
                                    "is not read"),
        ("organisations.csv:row 2", f"identifier_scheme: empty while identifier is given {both}: identifier is not "
                                    "read"),
        ("organisations.csv:row 3", "identifier_scheme: 'LV RUR' is not a scheme code: an org-id.guide prefix such "
                                    f"as LV-RUR, NO-BRC, GB-CHC; identifier is not read either {both}"),
        ("participations.csv:row 1", f"contribution_currency: empty while contribution_amount is given {both}: "
                                     "contribution_amount is not read"),
        ("participations.csv:row 2", f"contribution_amount: empty while contribution_currency is given {both}: "
                                     "contribution_currency is not read"),
        ("participations.csv:row 2", f"budget_currency: empty while budget_amount is given {both}: budget_amount is "
                                     "not read"),
        ("grants.csv:row 1", f"currency: empty while amount is given {both}: amount is not read"),
        ("grants.csv:row 2", f"amount: empty while currency is given {both}: currency is not read"),
    ]
    assert [(p.budget_amount, p.budget_currency) for p in t.projects] == [(None, None)] * 4
    assert [(o.identifier_scheme, o.identifier) for o in t.organisations] == [(None, None)] * 3
    assert [(r.contribution_amount, r.contribution_currency, r.budget_amount, r.budget_currency)
            for r in t.participations] == [(None, None, Decimal("7"), "EUR"), (None, None, None, None)]
    assert [(g.amount, g.currency) for g in t.grants] == [(None, None), (None, None)]


def test_an_end_before_the_start_and_half_given_identifiers_and_programmes(tmp_path):
    folder = _set(tmp_path / "set", projects=[
        "p1,One,en,,,2020-01,2019-12,,,,,,,",
        "p2,Two,en,,,2019-10,2019,,,,,,,",
        "p3,Three,en,,,,2019,,,,lv-rur,,,Orphan",
        "p4,Four,en,,,2019-10-01,2019-10-01,,,,,,,",
        "p5,Five,en,,,2020,01/01/2019,,,,,,,",
    ], organisations=["o1,One,en,,,,,,,"], participations=[], grants=[
        "g1,o1,p1,funder,,,,,2021-03-02,2021-03-01,",
        "g2,o1,p1,funder,,,,,2021-03,2021-03-31,",
    ])
    t, problems = _read(folder)
    assert problems == [
        ("projects.csv:row 1", "end: 2019-12 is before start 2020-01: not read"),
        ("projects.csv:row 3", "identifier_scheme: given without identifier: not read"),
        ("projects.csv:row 3", "programme_name: given without programme: not read"),
        ("projects.csv:row 5", "end: '01/01/2019' is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD; read as "
                               "missing"),
        ("grants.csv:row 1", "end: 2021-03-01 is before start 2021-03-02: not read"),
    ]
    assert [(p.start and p.start.iso, p.end and p.end.iso) for p in t.projects] == [
        ("2020-01", None), ("2019-10", "2019"), (None, "2019"), ("2019-10-01", "2019-10-01"), ("2020", None)]
    assert (t.projects[2].identifier_scheme, t.projects[2].programme_name) == (None, None)
    assert [(g.start.iso, g.end and g.end.iso) for g in t.grants] == [("2021-03-02", None), ("2021-03", "2021-03-31")]


def test_a_refused_list_reads_as_empty(tmp_path):
    folder = _set(tmp_path / "set", projects=["p1,One,en,,+A; B,,,,,xx;lv,,,,"],
                  organisations=["o1,One,en,,=X,,,,,"], participations=None, grants=None)
    t, problems = _read(folder)
    assert problems == [
        ("projects.csv:row 1", f"alt_names: '+A; B' starts with '+', which a spreadsheet runs as a formula: "
                               f"{FORMULA_AMOUNT}; read as missing"),
        ("projects.csv:row 1", "countries: 'xx' is not an ISO 3166-1 alpha-2 country code (LV, NO; XK for Kosovo); "
                               "read as missing"),
        ("organisations.csv:row 1", "alt_names: '=X' starts with '=', which a spreadsheet runs as a formula: write "
                                    "the value itself; read as missing"),
        ("participations.csv", MISSING), ("grants.csv", MISSING)]
    assert (t.projects[0].alt_names, t.projects[0].countries, t.organisations[0].alt_names) == ((), (), ())


def test_left_out_rewrites_only_the_columns_own_refusal():
    notes = ["budget_amount_x: y; read as missing", "budget_amount: '1,0' is bad; read as missing"]
    fields = {"budget_amount": 5}
    table._left_out(fields, notes, "budget_amount", "gone")
    assert fields == {"budget_amount": None}
    assert notes == ["budget_amount_x: y; read as missing", "budget_amount: '1,0' is bad; gone"]
    notes = ["end: kept; a note"]
    table._left_out({}, notes, "end", "gone")
    assert notes == ["end: kept; a note", "end: gone"]
    assert table._refused(["end: x"], "end") and not table._refused(["endx: y", "x end: y"], "end")


# ---------------------------------------------------------------------------- files and references

def test_header_problems_name_the_file_and_the_column(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "projects.csv").write_text(PROJECTS.replace(",programme_name", ",notes") + "\np1,One,en,,,,,,,,,,,x\n",
                                         encoding="utf-8")
    (folder / "organisations.csv").write_text(ORGANISATIONS + ",notes,remark\no1,One,en,,,,,,,,a note,\n",
                                              encoding="utf-8")
    (folder / "participations.csv").write_text(PARTICIPATIONS + "\np1,o1,partner,,,,\n", encoding="utf-8")
    t, problems = _read(folder)
    columns = "(docs/template.md): its cells are not read"
    assert problems == [
        ("projects.csv", f"column 'notes' is not a column of projects.csv {columns}"),
        ("projects.csv", "column 'programme_name' is missing: the header holds every column of projects.csv "
                         "(docs/template.md; a column may be empty, not left out); the file is not read"),
        ("organisations.csv", f"column 'notes' is not a column of organisations.csv {columns}"),
        ("organisations.csv", f"column 'remark' is not a column of organisations.csv {columns}"),
        ("grants.csv", MISSING),
        ("participations.csv", "its rows refer to projects.csv, which could not be read: none is imported"),
    ]
    assert t.projects == [] and t.organisations == [TableOrganisation("organisations.csv:row 1", "o1", "One", "en")]
    assert t.participations == [] and t.grants == []


def test_two_missing_columns_and_rows_referring_to_two_unread_files(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "projects.csv").write_text("id,name\np1,One\n", encoding="utf-8")
    (folder / "organisations.csv").write_text("", encoding="utf-8")
    _set(folder, participations=["p1,o1,partner,,,,"], grants=["g1,o1,p1,funder,,,,,,,"])
    t, problems = _read(folder)
    missing = "is missing: the header holds every column of projects.csv (docs/template.md; a column may be " \
              "empty, not left out); the file is not read"
    assert problems[:2] == [("projects.csv", f"column 'name_lang' {missing}"),
                            ("projects.csv", f"column 'translated_name' {missing}")]
    assert len(problems) == 12 + 1 + 2
    assert problems[12:] == [
        ("organisations.csv", "empty file: no header row"),
        ("participations.csv", "its rows refer to projects.csv and organisations.csv, which could not be read: none "
                               "is imported"),
        ("grants.csv", "its rows refer to organisations.csv, which could not be read: none is imported")]
    assert t == TableSet()


def test_a_header_only_file_is_read_and_holds_no_ids(tmp_path):
    folder = _set(tmp_path / "set", projects=[], organisations=[], participations=["p1,o1,partner,,,,"],
                  grants=["g1,o1,p1,funder,,,,,,,"])
    t, problems = _read(folder)
    assert problems == [
        ("participations.csv:row 1", "project 'p1' is not an id of projects.csv; organisation 'o1' is not an id of "
                                     "organisations.csv: the row is left out"),
        ("grants.csv:row 1", "funder 'o1' is not an id of organisations.csv; funded 'p1' is neither a project id of "
                             "projects.csv nor an organisation id of organisations.csv: the row is left out")]
    assert t == TableSet()


def test_header_only_files_refer_to_nothing_and_are_not_reported(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "projects.csv").write_text("id\n", encoding="utf-8")
    _set(folder, organisations=["o1,One,en,,,,,,,"], participations=[], grants=[])
    t, problems = _read(folder)
    assert [m for _, m in problems][-1].endswith("the file is not read")
    assert all(loc == "projects.csv" for loc, _ in problems)
    assert [o.id for o in t.organisations] == ["o1"]


def test_ids_are_unique_within_their_file(tmp_path):
    folder = _set(tmp_path / "set", projects=["p1,One,en,,,,,,,,,,,", "p1,Again,en,,,,,,,,,,,", "p2,Two,en,,,,,,,,,,,",
                                              "p1,Third,en,,,,,,,,,,,"],
                  organisations=["o1,One,en,,,,,,,", "o1,Again,en,,,,,,,"], participations=[],
                  grants=["g1,o1,p1,funder,,,,,,,", "g1,o1,p2,funder,,,,,,,"])
    t, problems = _read(folder)
    again = "already: the row is left out"
    assert problems == [
        ("projects.csv:row 2", f"id 'p1' is the id of projects.csv:row 1 {again}"),
        ("projects.csv:row 4", f"id 'p1' is the id of projects.csv:row 1 {again}"),
        ("organisations.csv:row 2", f"id 'o1' is the id of organisations.csv:row 1 {again}"),
        ("grants.csv:row 2", f"id 'g1' is the id of grants.csv:row 1 {again}")]
    assert [(p.id, p.name) for p in t.projects] == [("p1", "One"), ("p2", "Two")]
    assert [(o.id, o.name) for o in t.organisations] == [("o1", "One")]
    assert [(g.id, g.funded) for g in t.grants] == [("g1", "p1")]


def test_grant_references(tmp_path):
    folder = _set(tmp_path / "set", projects=["p1,One,en,,,,,,,,,,,", "both,Both,en,,,,,,,,,,,"],
                  organisations=["o1,One,en,,,,,,,", "o2,Two,en,,,,,,,", "both,Both,en,,,,,,,"],
                  participations=["p1,o1,partner,,,,", "p1,o9,partner,,,,", "p9,o1,partner,,,,"],
                  grants=[
                      "g1,p1,p1,funder,,,,,,,",
                      "g2,o1,both,funder,,,,,,,",
                      "g3,o1,o2,funder,5,EUR,50,,,,",
                      "g4,o1,o2,co-funder,,,,,,,N-4",
                      "g5,o9,nowhere,funder,,,,,,,",
                      "g6,o2,p1,co-funder,,,100,,,,",
                  ])
    t, problems = _read(folder)
    out = "the row is left out"
    assert problems == [
        ("participations.csv:row 2", f"organisation 'o9' is not an id of organisations.csv: {out}"),
        ("participations.csv:row 3", f"project 'p9' is not an id of projects.csv: {out}"),
        ("grants.csv:row 1", f"funder 'p1' is not an id of organisations.csv: {out}"),
        ("grants.csv:row 2", f"funded 'both' is the id of a project and of an organisation: {out}"),
        ("grants.csv:row 3", "share: a share of a project's budget, but 'o2' is an organisation (core funding): not "
                             "read"),
        ("grants.csv:row 5", "funder 'o9' is not an id of organisations.csv; funded 'nowhere' is neither a project id "
                             f"of projects.csv nor an organisation id of organisations.csv: {out}"),
    ]
    assert [r.location for r in t.participations] == ["participations.csv:row 1"]
    assert t.grants == [
        TableGrant("grants.csv:row 3", "g3", "o1", "o2", "funder", Decimal("5"), "EUR", funds_project=False),
        TableGrant("grants.csv:row 4", "g4", "o1", "o2", "co-funder", identifier="N-4", funds_project=False),
        TableGrant("grants.csv:row 6", "g6", "o2", "p1", "co-funder", share=Decimal("100"))]


def test_template_files_among_the_paths(tmp_path):
    first = _set(tmp_path / "first", projects=["p1,One,en,,,,,,,,,,,"], organisations=[])
    second = _set(tmp_path / "second", projects=["p2,Two,en,,,,,,,,,,,"])
    (first / "notes.csv").write_text("a,b\n", encoding="utf-8")
    problems: list = []
    found = template_files([first, second / "projects.csv"], problems)
    assert found == {"organisations.csv": first / "organisations.csv", "projects.csv": first / "projects.csv"}
    assert problems == [
        ("notes.csv", "not a file of the template (projects.csv, organisations.csv, participations.csv, grants.csv): "
                      "not read"),
        (str(second / "projects.csv"), f"a second projects.csv (the first is {first / 'projects.csv'}): not read")]
    assert template_files(str(second)) == {"projects.csv": second / "projects.csv"}
    problems = []
    t = read_table_set(second / "projects.csv", problems)
    assert [p.id for p in t.projects] == ["p2"]
    assert problems == [("organisations.csv", MISSING), ("participations.csv", MISSING), ("grants.csv", MISSING)]


def test_without_a_problems_list_the_first_problem_is_raised(tmp_path):
    folder = _set(tmp_path / "set", projects=["p1,One,en,,,,,,,,,,,"])
    with pytest.raises(SourceError) as exc:
        read_table_set([folder])
    assert exc.value.problems == [("organisations.csv", MISSING)]
    with pytest.raises(SourceError) as exc:
        template_files([folder / "projects.csv", folder / "x.csv"])
    assert exc.value.problems == [("x.csv", "not a file of the template (projects.csv, organisations.csv, "
                                            "participations.csv, grants.csv): not read")]


def test_stray_files_are_listed_and_the_set_is_read(tmp_path):
    first = _set(tmp_path / "first", projects=["p1,One,en,,,,,,,,,,,"], participations=["p1,o1,partner,,,,"],
                 grants=["g1,o1,p1,funder,,,,,,,"])
    second = _set(tmp_path / "second", projects=["p2,Two,en,,,,,,,,,,,"])
    (first / "notes.csv").write_text("a,b\n", encoding="utf-8")
    problems: list = []
    t = read_table_set([first, second], problems)
    assert problems == [
        ("notes.csv", "not a file of the template (projects.csv, organisations.csv, participations.csv, grants.csv): "
                      "not read"),
        (str(second / "projects.csv"), f"a second projects.csv (the first is {first / 'projects.csv'}): not read"),
        ("organisations.csv", MISSING),
        ("participations.csv", "its rows refer to organisations.csv, which could not be read: none is imported"),
        ("grants.csv", "its rows refer to organisations.csv, which could not be read: none is imported")]
    assert t == TableSet(projects=[TableProject("projects.csv:row 1", "p1", "One", "en")])


def test_an_organisation_after_a_repeated_identifier_is_kept():
    orgs = [TableOrganisation(f"organisations.csv:row {n}", f"o{n}", f"Org {n}", "en", identifier_scheme=scheme,
                              identifier=ident) for n, scheme, ident in ((1, "GB-CHC", "1"), (2, "GB-CHC", "1"),
                                                                         (3, None, None), (4, "GB-CHC", "2"))]
    problems: list = []
    records = list(table_records(TableSet(organisations=orgs), problems))
    assert [r.key for r in records] == [("organisation", "gb-chc", "1"), ("organisation", "table", "o3"),
                                        ("organisation", "gb-chc", "2")]
    assert problems == [("organisations.csv:row 2", "identifier GB-CHC 1 is the identifier of organisations.csv:row 1 "
                                                    "already: one organisation, described by that row")]
