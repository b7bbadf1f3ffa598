"""Tests written against the surviving mutants of ngograph/extract (issue 14): tiny texts, values worked by hand.

Dates and amounts first: a wrong answer there becomes a record's start, end or budget; then the organisations
and their roles, and the draft.
"""

from __future__ import annotations

import json

import pytest

from ngograph.extract import page_from_text
from ngograph.extract.amounts import amounts, parse_number
from ngograph.extract.dates import best_period, date_mentions, month_of, periods
from ngograph.extract.draft import Knowledge, _funder_role, draft, title, to_json, to_yaml
from ngograph.extract.gazetteer import Entry, Gazetteer
from ngograph.extract.organisations import OrgFound, _depth_mask, _is_org_word, _merge, country_of, organisations
from ngograph.extract.text import Found


def spans(text: str, lang: str) -> list[tuple[str, str]]:
    return [(d.value, text[d.start:d.end]) for d in date_mentions(text, lang)]


def ranges(text: str, lang: str = "en") -> list[tuple[tuple[str, str], float]]:
    return [(p.value, p.confidence) for p in periods(text, lang)]


def money(text: str, lang: str = "en") -> list[tuple]:
    return [(a.value, a.extra["kind"], a.confidence, text[a.start:a.end]) for a in amounts(text, lang)]


# ------------------------------------------------------------------------------------------ month_of

def test_a_month_stem_takes_up_to_four_more_letters():
    # English "January" has the stem "januar" (the final "y" cut): 4 letters more is still January, 5 is not
    assert month_of("Januarabcd", "en") == 1
    assert month_of("Januarabcde", "en") is None


def test_a_long_stem_less_two_letters_takes_up_to_three_more_than_the_stem():
    # "september" (9 letters, no ending to cut): "septemb" + 5 letters is 12 letters, 3 more than the stem
    assert month_of("Septembabcde", "en") == 9
    assert month_of("Septembabcdef", "en") is None
    assert month_of("Septexyz", "en") is None  # "septe" is three letters short of the stem


def test_an_abbreviation_needs_its_full_stop_and_three_letters():
    assert month_of("Octo.", "en") == 10 and month_of("Septe.", "en") == 9
    assert month_of("Octo", "en") is None  # no full stop: no abbreviation
    assert month_of("Oc.", "en") is None  # two letters: too short to be one


# ------------------------------------------------------------------------------------------ date_mentions

def test_day_month_year_and_impossible_dates():
    text = "2019-02-30 and 30.02.2019 and 31.12.2019, 1/9/2017"
    # the 30th of February is no date in either order; nothing else reads those characters
    assert spans(text, "en") == [("2019-12-31", "31.12.2019"), ("2017-09-01", "1/9/2017")]


def test_year_month_day_keeps_month_and_day_apart():
    assert spans("2017-09-01 and 2017.12.31", "en") == [("2017-09-01", "2017-09-01"), ("2017-12-31", "2017.12.31")]


def test_year_then_month_word():
    # an impossible day keeps the month and the span of the whole date
    assert spans("2019 m. vasario 30 d.", "lt") == [("2019-02", "2019 m. vasario 30 d.")]
    assert spans("2019 m. vasario 3 d.", "lt") == [("2019-02-03", "2019 m. vasario 3 d.")]
    # without a day the span ends with the month's word
    assert spans("2012. gada septembris ir", "lv") == [("2012-09", "2012. gada septembris")]
    # a year before a word that is no month is a year alone, and the text after it is still read
    assert spans("2019 Projects, 2020 m. kovo", "lt") == [("2019", "2019"), ("2020-03", "2020 m. kovo")]


def test_month_word_then_year():
    assert spans("31 September 2018, 1 September 2018", "en") == [
        ("2018-09", "31 September 2018"), ("2018-09-01", "1 September 2018")]


def test_a_year_and_month():
    assert spans("since 2018-08.", "en") == [("2018-08", "2018-08")]
    assert spans("2018-20", "en") == []  # not a month, and not a year either


def test_two_years_joined_by_a_hyphen_are_a_period():
    # a regression: the second year of "2018-2020" was not read (a hyphen before a year), so a page's
    # "Project period: 2018-2020" gave no period while "2018–2020" (an en dash) gave one
    assert spans("2018-2020", "en") == [("2018", "2018"), ("2020", "2020")]
    assert ranges("Project period: 2018-2020") == [(("2018", "2020"), 0.9)]
    assert spans("ISBN 978-2020 and no-2020", "en") == []  # a hyphen after anything but a year still bars it


def test_a_month_without_a_year():
    text = "September, september, 5 September, 31 May, 32 May"
    # English months are capitalised; a day up to 31 is kept, 32 is not a day
    assert spans(text, "en") == [("--09", "September"), ("--09-05", "5 September"), ("--05-31", "31 May"),
                                 ("--05", "32 May")]
    assert spans("septembris", "lv") == [("--09", "septembris")]  # other languages write months in lower case


def test_a_year_alone_and_mentions_in_text_order():
    assert spans("in 2019. Then May 2020 and 2021", "en") == [("2019", "2019"), ("2020-05", "May 2020"),
                                                              ("2021", "2021")]


# ------------------------------------------------------------------------------------------ periods

def test_a_start_month_after_the_end_month_is_in_the_year_before():
    assert ranges("Project period: September – August 2020") == [(("2019-09", "2020-08"), 0.9)]
    assert ranges("Project period: March – August 2020") == [(("2020-03", "2020-08"), 0.9)]


def test_a_period_is_at_most_fifteen_years_and_never_backwards():
    assert ranges("Project period: 2000 – 2015") == [(("2000", "2015"), 0.9)]
    assert ranges("Project period: 2000 – 2016") == []
    assert ranges("Project period: 2020 – 2019") == []
    assert ranges("Project period: 2019 – 2019") == [(("2019", "2019"), 0.9)]


def test_a_period_of_less_than_28_days_is_an_events():
    # no cue: the page's first lines; 28 days is a period, 27 is not
    assert ranges("01.03.2020 – 29.03.2020") == [(("2020-03-01", "2020-03-29"), 0.8)]
    assert ranges("01.03.2020 – 28.03.2020") == []
    # a month reaches its 28th day (27 days), a year its 28 December
    assert ranges("2020-02 – 2020-02") == []
    assert ranges("2020 – 2020") == [(("2020", "2020"), 0.8)]
    assert ranges("2020-02 – 2020-03") == [(("2020-02", "2020-03"), 0.8)]
    # a period cue before the range keeps a short one
    assert ranges("Project period: 01.03.2020 – 20.03.2020") == [(("2020-03-01", "2020-03-20"), 0.9)]


def test_the_connector_between_two_dates():
    assert ranges("May 2019 to April 2021") == [(("2019-05", "2021-04"), 0.8)]
    assert ranges("May 2019 and April 2021") == []
    assert ranges("May 2019 -- April 2021") == [(("2019-05", "2021-04"), 0.8)]
    # more than 12 characters between the two dates: no range
    assert ranges("May 2019" + " " * 10 + "to April 2021") == []  # 13 characters
    assert ranges("May 2019" + " " * 9 + "to April 2021") == [(("2019-05", "2021-04"), 0.8)]  # 12


def test_a_year_and_a_month_make_no_period():
    assert ranges("2019 – May 2020") == []
    assert ranges("May 2019 – 2020") == []


def test_the_confidence_of_a_period():
    # "from" before the range: a period, 0.7 without a cue before it (0.8 would be the first lines')
    assert ranges("We work from May 2019 to April 2021.") == [(("2019-05", "2021-04"), 0.7)]
    # a period cue after the range only
    assert ranges("May 2019 – April 2021 is the period.") == [(("2019-05", "2021-04"), 0.7)]
    head = "a\nb\nc\nd\n"
    # after the first four lines: 0.6 with the project named, else 0.3 (Latvian: "projekts" is no period cue)
    assert ranges(head + "The group met. Projekts 2019 – 2020.", "lv") == [(("2019", "2020"), 0.6)]
    assert ranges(head + "The group met. 2019 – 2020.", "lv") == [(("2019", "2020"), 0.3)]
    assert ranges("a\nb\nc\n2019 – 2020", "lv") == [(("2019", "2020"), 0.8)]  # the fourth line is a first line
    assert ranges("a\nb\nc\nd\n2019 – 2020", "lv") == [(("2019", "2020"), 0.3)]


def test_an_events_range_is_left_out_unless_a_period_cue_precedes_it():
    assert ranges("The conference took place May 2019 – April 2021.") == []
    assert ranges("The conference: project period May 2019 – April 2021.") == [(("2019-05", "2021-04"), 0.9)]


def test_periods_give_their_span():
    text = "Period: May 2019 – April 2021"
    (p,) = periods(text, "en")
    assert text[p.start:p.end] == "May 2019 – April 2021"


def test_the_best_period():
    head = "a\nb\nc\nd\n"
    assert best_period(head + "Then 2019 – 2020.", "lv") is None  # 0.3 only
    assert best_period(head + "Projekts 2019 – 2020.", "lv").value == ("2019", "2020")  # 0.6
    # the most confident; the first of two as confident
    text = "2001 – 2002\n" + head + "Project period: 2010 – 2012"
    assert best_period(text, "en").value == ("2010", "2012")
    assert best_period("Period: 2001 – 2002. Period: 2010 – 2012", "en").value == ("2001", "2002")


# ------------------------------------------------------------------------------------------ parse_number

def test_numbers_with_separators():
    assert parse_number("1.234.567") == 1234567  # every group of three digits
    assert parse_number("1.234.567", True) == pytest.approx(1234.567)  # with a multiplier: the last one is the point
    assert parse_number("1,234.50") == 1234.5
    assert parse_number("1,2345") == 1.2345
    assert parse_number("1.500") == 1500 and parse_number("1.500", True) == 1.5


# ------------------------------------------------------------------------------------------ amounts

def test_a_list_item_under_a_header_line():
    text = "Budget:\n• first phase EUR 5 000\n• second phase EUR 7 000"
    assert money(text) == [((5000, "EUR"), "budget", 0.8, "EUR 5 000"), ((7000, "EUR"), "budget", 0.8, "EUR 7 000")]
    # a line of text between the header and the item: no header
    assert money("Budget:\nSome words here\n• EUR 5 000") == []


def test_a_multiplier_after_the_number():
    assert money("Budget: EUR 1.2 million") == [((1200000, "EUR"), "budget", 0.8, "EUR 1.2 million")]
    assert money("Budget: 2 tūkst. EUR", "lv") == [((2000, "EUR"), "budget", 0.8, "2 tūkst. EUR")]


def test_the_nearest_cue_decides_what_an_amount_is():
    # "support" is more than 60 characters before the amount, "total cost" is near it: the budget
    text = "Budget planning was done with support of the partners and of everyone else; the total cost is EUR 5 000."
    assert [a[:2] for a in money(text)] == [((5000, "EUR"), "budget")]
    # no cue near it: the sentence up to the amount decides ("Budget"), not the words after it ("support")
    text = "Budget of the project, as was agreed with all of the partners in the spring of that year, EUR 5 000, " \
           "with support."
    assert [a[:2] for a in money(text)] == [((5000, "EUR"), "budget")]
    # no cue before it at all: the whole sentence
    assert [a[:2] for a in money("EUR 5 000 is the grant.")] == [((5000, "EUR"), "grant")]
    # a cue of the page's language, before the amount or anywhere in its sentence
    assert [a[:2] for a in money("Finansējums EUR 3 000.", "lv")] == [((3000, "EUR"), "grant")]
    assert [a[:2] for a in money("EUR 3 000 ir finansējums.", "lv")] == [((3000, "EUR"), "grant")]


def test_grant_and_budget_and_their_confidence():
    assert money("The grant is EUR 3 000. The total budget is EUR 9 000.") == [
        ((3000, "EUR"), "grant", 0.7, "EUR 3 000"), ((9000, "EUR"), "budget", 0.8, "EUR 9 000")]
    # a grant cue after the budget's in the same stretch: a grant
    assert [a[:2] for a in money("Budget with support: EUR 3 000.")] == [((3000, "EUR"), "grant")]
    assert [a[:2] for a in money("Support in the budget: EUR 3 000.")] == [((3000, "EUR"), "budget")]


def test_small_amounts_and_cents():
    assert [a[0] for a in money("Budget: EUR 100. Budget: EUR 99.")] == [(100, "EUR")]
    (a,) = money("Budget: EUR 1 234,56.")
    assert a[0] == (1234.56, "EUR") and isinstance(a[0][0], float)
    (a,) = money("Budget: EUR 1 234,00.")
    assert a[0] == (1234, "EUR") and isinstance(a[0][0], int)


def test_shares_in_a_sentence_about_funding():
    # (a sentence ends at a full stop after a word of three letters or more: "costs.", not "it.")
    text = "Funding covers 90% of the costs. Funding covers 0% of the costs. Funding covers 100% of the costs. " \
           "Covers 50% of the costs."
    assert money(text) == [((90.0, "%"), "share", 0.7, "90%"), ((100.0, "%"), "share", 0.7, "100%")]
    # a programme's share is not the project's, unless the sentence names the project
    assert money("The programme's funding covers 85% of costs.") == []
    assert [a[0] for a in money("The programme's funding covers 85% of the project.")] == [(85.0, "%")]
    assert [a[0] for a in money("Finansējums 85% apmērā.", "lv")] == [(85.0, "%")]


# ------------------------------------------------------------------------------------------ organisations

def orgs(text: str, lang: str = "en", known: Gazetteer | None = None, places: Gazetteer | None = None) -> list[tuple]:
    out = []
    for o in organisations(text, lang, known or Gazetteer(), places):
        cf = o.country_found
        out.append((o.id, o.name, o.role, o.country, text[o.found.start:o.found.end], o.found.confidence,
                    (text[cf.start:cf.end], cf.confidence) if cf else None))
    return out


def test_only_brackets_and_quotes_are_depth():
    mask = lambda t: "".join("^" if x else "." for x in _depth_mask(t))  # noqa: E731
    assert mask("(X y) z") == "^^^^^.."  # a capital X closes nothing
    assert mask("X y „z”") == "....^^."  # and opens no quote


def test_organisation_words_and_compounds():
    assert _is_org_word("Foundation") and _is_org_word("Bigcentre")  # 9 letters ending in "centre"
    assert not _is_org_word("Bigcentr") and not _is_org_word("Alpha")


def test_names_under_a_header_need_no_organisation_word():
    assert orgs("Partners: Alpha Beta, Gamma Delta.") == [
        (None, "Alpha Beta", "partner", None, "Alpha Beta", 0.5, None),
        (None, "Gamma Delta", "partner", None, "Gamma Delta", 0.5, None)]
    # a regression: with a space before the colon ("Partners :") the cue was no header and the names were lost
    assert [o[1:3] for o in orgs("Partners : Alpha Beta, Gamma Delta.")] == [
        ("Alpha Beta", "partner"), ("Gamma Delta", "partner")]
    assert orgs("The project is carried out by Alpha Beta.") == []  # no header, no organisation word
    assert orgs("The project is carried out by Alpha Beta (Latvia).") == [
        (None, "Alpha Beta", "implementer", "LV", "Alpha Beta ", 0.5, ("Latvia", 0.9))]  # the span runs to the bracket


def test_what_is_no_organisation_in_a_list():
    assert orgs("Partners: Alpha Foundation at www.alpha.lv") == []  # a web address
    assert [o[1] for o in orgs("Partners: Latvia, Alpha Foundation.")] == ["Alpha Foundation"]  # a country


def test_names_split_at_commas_and_joined_at_and():
    # after a comma a name is a name of its own; "X and Y Foundation" is one name
    assert [o[1] for o in orgs("Partners: Alpha Beta, Gamma Foundation.")] == ["Alpha Beta", "Gamma Foundation"]
    assert [o[1:3] for o in orgs("The project is funded by the EEA and Norway Grants.")] == [
        ("EEA and Norway Grants", "funder")]


def test_a_name_in_quotes_needs_no_organisation_word():
    assert [o[1:3] for o in orgs('The project is carried out by "Green Home".')] == [('"Green Home"', "implementer")]
    # but a name in quotes right after the word "project" is the project's title
    assert [o[1] for o in orgs('Partners: the project "Kopienas dārzi", Alpha Foundation.')] == ["Alpha Foundation"]


def test_a_cue_right_after_a_trap_cue():
    # the trap "met " ends where "partners" starts: both cues are kept, the names are the partners
    assert [o[1:3] for o in orgs("We met partners Alpha Foundation and Beta Union.")] == [
        ("Alpha Foundation", "partner"), ("Beta Union", "partner")]


def test_a_header_carries_over_the_lines_below_it_up_to_a_blank_line():
    assert [o[1:3] for o in orgs("Partners:\nAlpha Foundation\nBeta Union\n")] == [
        ("Alpha Foundation", "partner"), ("Beta Union", "partner")]
    assert [o[1:3] for o in orgs("Partners:\nAlpha Foundation\n\nBeta Union\n")] == [("Alpha Foundation", "partner")]


def test_the_country_of_a_new_organisation():
    # an acronym in brackets is dropped from the name, the country in brackets after it kept
    assert orgs("Partners: Alpha Foundation (AFN) (Latvia).") == [
        (None, "Alpha Foundation", "partner", "LV", "Alpha Foundation (AFN) ", 0.7, ("Latvia", 0.9))]
    # "from" a country after the name
    assert orgs("The project is carried out by Vest Foundation from Norway.") == [
        (None, "Vest Foundation", "implementer", "NO", "Vest Foundation", 0.7, ("Norway", 0.8))]
    # a country's adjective in the name
    assert orgs("Partners: Latvian Youth Union.") == [
        (None, "Latvian Youth Union", "partner", "LV", "Latvian Youth Union", 0.7, ("Latvian Youth Union", 0.6))]


def test_known_organisations_and_their_evidence():
    known = Gazetteer([Entry("alpha", "Alpha Fund", "LV"), Entry("beta", "Beta Trust", "LT", curated=False)])
    assert orgs("Partners: Alpha Fund, Beta Trust.", known=known) == [
        ("alpha", "Alpha Fund", "partner", "LV", "Alpha Fund", 0.9, ("Alpha Fund", 0.9)),
        ("beta", "Beta Trust", "partner", "LT", "Beta Trust", 0.8, ("Beta Trust", 0.9))]
    assert [o.country_found.value for o in organisations("Partners: Alpha Fund.", "en", known)] == ["LV"]
    # a country in brackets after a known name is the one read
    assert orgs("Partners: Alpha Fund (Estonia), Beta Trust.", known=known)[0] == (
        "alpha", "Alpha Fund", "partner", "EE", "Alpha Fund", 0.9, ("Estonia", 0.9))


def test_an_administering_body_only_on_a_line_about_the_project():
    assert [o[1:3] for o in orgs("The project is administered by Gamma Agency.")] == [
        ("Gamma Agency", "administering-body")]
    assert orgs("Funding comes.\nIt is administered by Gamma Agency.\nThe project helps.") == []
    assert orgs("The project helps.\nIt is administered by Gamma Agency.") == []


def test_one_entry_per_organisation_and_kind_of_role():
    assert [o[1:4] for o in orgs("Partners: Alpha Foundation. The lead partner is Alpha Foundation (Latvia).")] == [
        ("Alpha Foundation", "lead-partner", "LV")]
    assert [o[1:3] for o in orgs("The project is funded by Gamma Agency. Gamma Agency is the partner.")] == [
        ("Gamma Agency", "funder"), ("Gamma Agency", "partner")]

    def found(role, country, start):
        return OrgFound(None, "Alpha Fund", role, country, Found("Alpha Fund", start, start + 10, 0.7))
    merged = _merge([found("partner", None, 0), found("partner", "LV", 20), found("lead-partner", None, 40)])
    assert [(o.role, o.country, o.found.start) for o in merged] == [("lead-partner", None, 40)]
    merged = _merge([found("partner", None, 0), found("associated", "LV", 20)])
    assert [(o.role, o.country, o.found.start) for o in merged] == [("partner", "LV", 0)]


def test_a_country_from_the_places():
    places = Gazetteer([Entry("riga", "Riga", "LV")])
    assert country_of("Riga", "en", places) == "LV" and country_of("Riga", "en") is None


# ------------------------------------------------------------------------------------------ draft

NO_KNOWLEDGE = Knowledge(Gazetteer(), Gazetteer(), {})

LIST = """Supported projects:
1. "Green Shores Initiative" 2019 – 2020, EUR 5 000
2. "Blue Rivers Initiative" 2020 – 2021, EUR 7 000
The projects are funded by the Nordic Council of Ministers.
"""


def test_a_list_of_projects_gives_a_project_per_item():
    d = draft(page_from_text(LIST, "list.txt"), NO_KNOWLEDGE, "en")
    grant = [{"funder": "nordic-council-of-ministers", "role": "funder"}]
    assert d.records["projects"] == [
        {"id": "green-shores-initiative", "name": {"en": "Green Shores Initiative"}, "start": "2019", "end": "2020",
         "grants": grant},
        {"id": "blue-rivers-initiative", "name": {"en": "Blue Rivers Initiative"}, "start": "2020", "end": "2021",
         "grants": grant}]
    assert d.records["source"] == "draft-list"
    start = d.evidence["projects/1/start"]
    assert (LIST[start.start:start.end], start.confidence) == ("2020 – 2021", 0.8)
    # one item is no list: the page is one project
    one = "\n".join(LIST.splitlines()[:2] + LIST.splitlines()[3:])
    assert len(draft(page_from_text(one, "one.txt"), NO_KNOWLEDGE, "en").records["projects"]) == 1


def test_the_items_period_below_the_first_lines():
    # no cue and below the page's first four lines: 0.3, raised to 0.6 for the one period of an item
    text = "About\nNews\nContact\n" + LIST.split("\nThe projects")[0] + "\n"
    d = draft(page_from_text(text, "list.txt"), NO_KNOWLEDGE, "en")
    assert [(p["start"], p["end"]) for p in d.records["projects"]] == [("2019", "2020"), ("2020", "2021")]
    assert d.evidence["projects/0/start"].confidence == 0.6


def test_participants_by_role_and_a_co_funder():
    text = 'Project "Clean Shores for All"\nThe lead partner is Alpha Foundation. Partners: Beta Union.\n' \
           "The project is co-funded by the Xenon Foundation.\n"
    project = draft(page_from_text(text, "c.txt"), NO_KNOWLEDGE, "en").records["projects"][0]
    assert project["participants"] == {"lead-partner": ["alpha-foundation"], "partner": ["beta-union"]}
    assert project["grants"] == [{"funder": "xenon-foundation", "role": "co-funder"}]  # "co-funded": no amount needed


def test_the_title_after_the_word_project_in_the_pages_language():
    found = title("Projekt „Zielone brzegi dla wszystkich”\nWięcej", "pl")
    assert (found.value, found.start, found.confidence) == ("Zielone brzegi dla wszystkich", 9, 0.8)
    assert title("Safe Homes Now\n", "en").value == "Safe Homes Now"  # three words: a title
    assert title("Safe Homes\n", "en") is None
    found = title("Our partners are:\nSafe Homes Now\n", "en")  # a header line is no title
    assert (found.value, found.start, found.end) == ("Safe Homes Now", 18, 32)


def test_a_funder_or_a_co_funder():
    assert _funder_role({"amount": 10}, 20, False) == "co-funder"
    assert _funder_role({"amount": 20}, 20, False) == "funder"
    assert _funder_role({"share": 90}, None, False) == "co-funder"
    assert _funder_role({"share": 100}, None, False) == "funder"
    assert _funder_role({}, None, True) == "co-funder"


def test_a_grant_with_its_amount_and_share_and_their_evidence():
    text = 'Project "Clean Shores for All"\n' \
           "The project is funded by the Xenon Foundation with a grant of EUR 40,000 (80%).\n"
    d = draft(page_from_text(text, "c.txt"), NO_KNOWLEDGE, "en")
    assert d.records["projects"][0]["grants"] == [
        {"funder": "xenon-foundation", "role": "co-funder", "amount": 40000, "currency": "EUR", "share": 80.0}]
    assert d.records["organisations"] == [{"id": "xenon-foundation", "name": {"en": "Xenon Foundation"}}]
    quotes = {path: (text[f.start:f.end], f.confidence) for path, f in d.evidence.items()}
    assert quotes == {"projects/0/name": ("Clean Shores for All", 0.8),
                      "projects/0/grants/0": ("Xenon Foundation", 0.7),
                      "projects/0/grants/0/amount": ("EUR 40,000", 0.7), "projects/0/grants/0/share": ("80%", 0.7),
                      "organisations/0/name": ("Xenon Foundation", 0.7)}
    assert "      - {funder: xenon-foundation, role: co-funder, amount: 40000, currency: EUR, share: 80.0}" \
           '  # 0.70 [60-76] "Xenon Foundation"; 0.70 [93-103] "EUR 40,000"; 0.70 [105-108] "80%"' \
           in to_yaml(d).splitlines()


def test_with_two_funders_a_grant_goes_to_one_less_than_200_characters_before_it():
    head = 'Project "Clean Shores for All"\nThe project is funded by the Alpha Foundation.\nNotes: '
    alpha_end = head.index("Alpha Foundation") + len("Alpha Foundation")

    def grants(distance):
        text = head + "y" * (distance - 15 - (len(head) - alpha_end)) + ".\nThe grant is EUR 5 000.\n" \
            "The project is also funded by the Beta Foundation.\n"
        assert text.index("EUR 5 000") - alpha_end == distance
        return draft(page_from_text(text, "c.txt"), NO_KNOWLEDGE, "en").records["projects"][0]["grants"]
    assert grants(199) == [{"funder": "alpha-foundation", "role": "funder", "amount": 5000, "currency": "EUR"},
                           {"funder": "beta-foundation", "role": "funder"}]
    assert grants(200) == [{"funder": "alpha-foundation", "role": "funder"},
                           {"funder": "beta-foundation", "role": "funder", "amount": 5000, "currency": "EUR"}]


def test_json_evidence_fields():
    d = draft(page_from_text(LIST, "list.txt"), NO_KNOWLEDGE, "en")
    text = to_json(d)
    assert text.endswith("}\n")
    first = json.loads(text)["evidence"][0]
    assert first == {"path": "organisations/0/name", "value": "Nordic Council of Ministers", "start": 154, "end": 181,
                     "text": "Nordic Council of Ministers", "confidence": 0.7}
