"""The steps of ngograph extract on tiny texts, values checked by hand."""

from __future__ import annotations

import json

import pytest
import yaml

from ngograph.config import PROJECT_ROOT
from ngograph.extract import knowledge, page_from_text
from ngograph.extract.amounts import amounts, parse_number
from ngograph.extract.dates import best_period, date_mentions, month_of, periods
from ngograph.extract.draft import draft, title, to_json, to_yaml
from ngograph.extract.gazetteer import Entry, Gazetteer, store_entries
from ngograph.extract.language import detect
from ngograph.extract.organisations import country_of, nominative, organisations
from ngograph.extract.read import html_text

pytest.importorskip("py3langid")
pytest.importorskip("simplemma")


@pytest.fixture(scope="module")
def known():
    return knowledge(PROJECT_ROOT / "data")


# ------------------------------------------------------------------------------------------ dates

@pytest.mark.parametrize("text, lang, expected", [
    ("August 2018 - April 2022", "en", ("2018-08", "2022-04")),
    ("Periode: 2017 09 01 – 2017 12 31", "lt", ("2017-09-01", "2017-12-31")),
    ("Projekta īstenošanas laiks: 2012. gada septembris – 2013.gada augusts.", "lv", ("2012-09", "2013-08")),
    ("Projektas vykdomas nuo 2019 m. liepos iki 2020 m. birželio.", "lt", ("2019-07", "2020-06")),
    ("Projekt kestab 2018. aasta septembrist 2020. aasta augustini.", "et", ("2018-09", "2020-08")),
    ("Okres realizacji: od września 2019 r. do sierpnia 2021 r.", "pl", ("2019-09", "2021-08")),
    ("Проект реализуется с 1 марта 2020 года по 28 февраля 2021 года.", "ru", ("2020-03-01", "2021-02-28")),
    ("Prosjektperiode: august 2019 – juni 2021", "no", ("2019-08", "2021-06")),
    ("Projekt potrwa od stycznia do grudnia 2022 r.", "pl", ("2022-01", "2022-12")),
    ("Период реализации: 2019–2020 гг.", "ru", ("2019", "2020")),
    ("Termin realizacji: 01.04.2018 – 31.03.2019", "pl", ("2018-04-01", "2019-03-31")),
])
def test_periods_in_seven_languages(text, lang, expected):
    assert best_period(text, lang).value == expected


def test_a_news_date_or_a_meeting_is_no_period():
    text = "Published 12.03.2019\nThe partner meeting took place on 12-13 March 2020 in Riga.\n" \
           "The conference was held from 3 to 5 June 2019."
    assert periods(text, "en") == []
    assert best_period("News | 14.03.2021\nIn May 2021 the partners met.", "en") is None


def test_a_date_keeps_its_precision_and_its_span():
    text = "from 2017 m. rugsėjo 1 d. to May 2019"
    found = date_mentions(text, "lt")
    assert [(d.value, text[d.start:d.end]) for d in found] == [
        ("2017-09-01", "2017 m. rugsėjo 1 d."), ("2019-05", "May 2019")]


def test_months_in_their_cases():
    assert [month_of(w, lang) for w, lang in [("gruodžio", "lt"), ("septembrī", "lv"), ("wrześniu", "pl"),
                                             ("сентябре", "ru"), ("veebruar", "et"), ("desember", "no")]] == \
        [12, 9, 9, 9, 2, 12]
    assert month_of("mazākumtautību", "lv") is None and month_of("marsh", "en") is None


# ------------------------------------------------------------------------------------------ amounts

def test_amounts_with_currency_and_kind():
    text = "Projects' budget:\n• 1st phase: DKK 444,550 (co-funding of the Council – DKK 310,000).\n" \
           "Wartość projektu: 1,5 mln zł. 92,07% no Projekta finansē Eiropas Savienība."
    assert [(a.value, a.extra["kind"]) for a in amounts(text, "lv")] == [
        ((444550, "DKK"), "budget"), ((310000, "DKK"), "grant"), ((1500000, "PLN"), "budget"),
        ((92.07, "%"), "share")]


def test_a_programme_sum_is_not_the_projects():
    text = "The programme's call distributes EUR 2 million to 40 projects in total. Budget: EUR 53 000."
    assert [a.value for a in amounts(text, "en")] == [(53000, "EUR")]
    assert amounts("Programmas kopējais finansējums šajā konkursā ir 1,2 milj. EUR.", "lv") == []


def test_numbers_as_pages_print_them():
    assert [parse_number(t) for t in ("444,550", "53 000", "53.000", "1.234.567,50", "92,07")] == \
        [444550, 53000, 53000, 1234567.5, 92.07]


# ------------------------------------------------------------------------------------------ organisations

def test_roles_and_traps():
    g = Gazetteer([Entry("alpha", "Alpha Fund", "LV"), Entry("beta", "Beta Ministry", "LT")])
    text = ("Partners: Alpha Fund, Gamma Union (Estonia). We visited the Beta Ministry. "
            "The Delta Foundation presented funding opportunities. The project is funded by the Epsilon Trust.")
    found = [(o.id, o.name, o.role, o.country) for o in organisations(text, "en", g)]
    assert found == [("alpha", "Alpha Fund", "partner", "LV"), (None, "Gamma Union", "partner", "EE"),
                     (None, "Epsilon Trust", "funder", None)]


def test_known_organisations_in_an_inflected_form(known):
    text = "Nacionaliniam lygybės ir įvairovės forumui (NLĮF) priklausančios organizacijos įgyvendina " \
           "asociacijų institucinio stiprinimo projektą."
    assert [(o.id, o.role, o.country) for o in organisations(text, "lt", known.organisations)] == \
        [("nlif", "implementer", "LT")]


def test_cooperation_and_administration():
    # the administering body of a funding scheme, and whoever administers with it, is not the project's
    text = "Apakšaktivitāti administrē Valsts kanceleja sadarbībā ar Sabiedrības integrācijas fondu."
    assert organisations(text, "lv", Gazetteer()) == []
    text = "It was carried out by the Roma Community Centre (Lithuania) in cooperation with Romu Fondas (Poland)."
    assert [(o.name, o.role, o.country) for o in organisations(text, "en", Gazetteer())] == [
        ("Roma Community Centre", "implementer", "LT"), ("Romu Fondas", "partner", "PL")]


@pytest.mark.parametrize("name, lang, expected", [
    ("Nacionaliniam lygybės ir įvairovės forumui", "lt", "Nacionalinis lygybės ir įvairovės forumas"),
    ("Fundację Dobry Sąsiad", "pl", "Fundacja Dobry Sąsiad"),
    ("Фондом «Балтийский мост»", "ru", "Фонд «Балтийский мост»"),
    ("Общественное объединение «Зелёная сеть»", "ru", "Общественное объединение «Зелёная сеть»"),
    ("biedrībai „Zaļā māja”", "lv", "biedrība „Zaļā māja”"),
    ("VšĮ „Senjorų akademija“", "lt", "VšĮ „Senjorų akademija“"),
    ("Foreningen Ungdom i Nord", "no", "Foreningen Ungdom i Nord"),
])
def test_new_names_in_the_nominative(name, lang, expected):
    assert nominative(name, lang) == expected


def test_countries_in_many_languages():
    assert [country_of(t, lang) for t, lang in [("Latvija", "lv"), ("Латвии", "ru"), ("Łotwa", "pl"),
                                                ("Läti", "et"), ("Litauen", "no"), ("St. Petersburg, Russia", "en")]] \
        == ["LV", "LV", "LV", "LV", "LT", "RU"]


# ------------------------------------------------------------------------------------------ reading, language, title

def test_html_without_scripts_and_styles():
    html = "<html><head><title>T</title><style>p{}</style><script>var a='Partners: X Fund';</script></head>" \
           "<body><h1>Safe Homes</h1><p>Funded by the Nordic Council of Ministers &amp; friends.</p></body></html>"
    page = page_from_text(html, "x.html")
    assert page.text == "Safe Homes\n\nFunded by the Nordic Council of Ministers & friends."
    assert html_text("<p>a<script>b</script>c</p>") == "ac"


def test_language_of_each_page():
    assert [detect(t)[0] for t in ["The project is funded by the Nordic Council of Ministers.",
                                   "Projektu finansē Eiropas Savienība, projekta īstenotājs ir biedrība.",
                                   "Projektą finansuoja ministerija, partneriai yra asociacijos.",
                                   "Projekti rahastab fond ja partnerid on ühingud.",
                                   "Projekt jest realizowany przez fundację w partnerstwie ze stowarzyszeniem.",
                                   "Проект реализует ассоциация при поддержке фонда.",
                                   "Prosjektet er finansiert av Nordisk ministerråd og gjennomføres av foreningen."]] \
        == ["en", "lv", "lt", "et", "pl", "ru", "no"]


def test_title_quoted_after_project_or_first_heading():
    assert title('Projekts\n\n"Koalīcija mazākumtautību līdzdalībai"\n', "lv").value == \
        "Koalīcija mazākumtautību līdzdalībai"
    assert title("• News\n• About\nSafe Homes for Survivors 2019 09 01 – 2020 08 31 | Site\nText.", "en").value == \
        "Safe Homes for Survivors"


# ------------------------------------------------------------------------------------------ the draft and its evidence

TEXT = """Project "Clean Shores for All"
Project period: May 2019 – April 2021
The project is implemented by Coastal Care Association (Latvia) in partnership with Baltic Dunes Foundation (Lithuania).
The project is funded by the Nordic Council of Ministers with a grant of EUR 40,000. The total budget is EUR 50,000.
"""


def test_draft_records_and_evidence(known):
    d = draft(page_from_text(TEXT, "clean.txt"), known, "en")
    project = d.records["projects"][0]
    assert project == {"id": "clean-shores-for-all", "name": {"en": "Clean Shores for All"}, "start": "2019-05",
                       "end": "2021-04", "budget": {"amount": 50000, "currency": "EUR"},
                       "participants": {"implementer": ["coastal-care-association"],
                                        "partner": ["baltic-dunes-foundation"]},
                       "grants": [{"funder": "nordic-council-of-ministers", "role": "co-funder", "amount": 40000,
                                   "currency": "EUR"}]}
    assert d.records["organisations"] == [
        {"id": "baltic-dunes-foundation", "name": {"en": "Baltic Dunes Foundation"}, "country": "LT"},
        {"id": "coastal-care-association", "name": {"en": "Coastal Care Association"}, "country": "LV"}]
    for path, found in d.evidence.items():  # every span quotes the text it was read from
        assert TEXT[found.start:found.end] == d.text[found.start:found.end], path
    start = d.evidence["projects/0/start"]
    assert (start.start, start.end, start.confidence) == (47, 68, 0.9)
    assert TEXT[start.start:start.end] == "May 2019 – April 2021"


def test_yaml_with_comments_reads_back(known):
    d = draft(page_from_text(TEXT, "clean.txt"), known, "en")
    text = to_yaml(d)
    assert '    start: 2019-05  # 0.90 [47-68] "May 2019 – April 2021"' in text.splitlines()
    back = yaml.safe_load(text)
    assert back["projects"][0]["participants"] == d.records["projects"][0]["participants"]
    assert str(back["projects"][0]["start"]) == "2019-05"
    j = json.loads(to_json(d))
    assert j["language"] == "en" and j["draft"] == json.loads(json.dumps(d.records))
    assert {e["path"] for e in j["evidence"]} >= {"projects/0/start", "projects/0/grants/0", "organisations/0/name"}


def test_the_gazetteer_of_a_store(seed_store):
    entries = store_entries(seed_store, "https://w3id.org/ngograph/id/")
    by_id = {}
    for e in entries:
        by_id.setdefault(e.id, set()).add(e.name)
    assert by_id["nlif"] == {"Nacionalinis lygybės ir įvairovės forumas", "NLĮF", "NLIF"}
    assert {e.country for e in entries if e.id == "eapn-latvia"} == {"LV"}
    g = Gazetteer(entries)
    assert [m.entry.id for m in g.find("Projektą remia Socialinės apsaugos ir darbo ministerija.")] == [
        "lt-ministry-social-security-labour"]
