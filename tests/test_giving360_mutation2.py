"""The 360Giving reader (:mod:`ngograph.sources.giving360`) and record mapper pinned down further on
tiny hand-made files (issue 14, mutation testing; tests/test_giving360_mutation.py has the first
part): where each note points (the JSON pointer of the value), long values cut in messages,
amounts without a decimal comma, compressed files in a folder, CSV file problems reported into
the list. Files are written under tmp_path."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

from ngograph.records.types import Organisation
from ngograph.sources.giving360 import (GivingGrant, GivingLocation, GivingOrganisation, GivingPlannedDates,
                                        GivingProgramme, read_giving360, read_grants_csv, read_grants_json)
from ngograph.sources.giving360_records import giving360_records

EXPECTED_TEXT = "expected text, found bool; read as missing"


def _json(tmp_path, grants, name="g.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"grants": grants}), encoding="utf-8")
    return path


def test_every_note_names_the_pointer_of_its_value(tmp_path):
    path = _json(tmp_path, [{
        "id": "360G-w-1", "title": "", "description": True, "currency": "GBP", "awardDate": True,
        "relatedActivity": ["360G-w-0", True],
        "plannedDates": [{"startDate": True, "endDate": True, "duration": True}],
        "recipientOrganization": [{"id": "GB-CHC-1", "name": True}],
        "fundingOrganization": [{"id": "360G-f", "name": "F", "addressCountry": "England"}],
        "beneficiaryLocation": [{"name": True, "countryCode": "Atlantis"}, {"name": "Wales", "countryCode": "UK"}],
        "grantProgramme": [{"code": True, "title": "P"}],
    }, {
        "id": "360G-w-2", "beneficiaryLocation": "Wales", "grantProgramme": "P2", "recipientOrganization": 5,
        "plannedDates": [{"duration": " 12 months "}, {"duration": "1 month"}, {"duration": "12months"}],
    }])
    problems: list = []
    g1, g2 = read_grants_json(path, problems)
    # an empty text is missing, not ""
    assert (g1.title, g1.description, g1.award_date, g1.related_activity) == (None, None, None, ("360G-w-0",))
    assert g1.planned_dates == (GivingPlannedDates(None, None, None),)
    assert g1.recipient_organization == (GivingOrganisation("GB-CHC-1"),)
    assert g1.funding_organization == (GivingOrganisation("360G-f", "F", address_country="England",
                                                          address_country_code="GB"),)
    assert g1.beneficiary_location == (GivingLocation(None, None), GivingLocation("Wales", "GB"))
    assert g1.grant_programme == (GivingProgramme(None, "P"),)
    assert g1.shifted is True  # an awardDate that is not a date
    p = "/grants/0"
    assert g1.problems == (
        f"{p}/description: {EXPECTED_TEXT}",
        f"{p}/awardDate: {EXPECTED_TEXT}",
        f"{p}/plannedDates/0/duration: {EXPECTED_TEXT}",
        f"{p}/plannedDates/0/startDate: {EXPECTED_TEXT}",
        f"{p}/plannedDates/0/endDate: {EXPECTED_TEXT}",
        f"{p}/recipientOrganization/0/name: {EXPECTED_TEXT}",
        f"{p}/beneficiaryLocation/0/name: {EXPECTED_TEXT}",
        f"{p}/beneficiaryLocation/0/countryCode: country 'Atlantis' is not an ISO 3166-1 code: kept as written, no "
        "code given",
        f"{p}/grantProgramme/0/code: {EXPECTED_TEXT}",
        f"{p}/relatedActivity/1: {EXPECTED_TEXT}",
        "columns shifted in the source (awardDate is not a date): its values are not where its keys "
        "say",
    )
    assert problems[:len(g1.problems)] == [("g.json#/grants/0", n) for n in g1.problems]
    assert (g2.beneficiary_location, g2.grant_programme, g2.recipient_organization) == ((), (), ())
    assert g2.planned_dates == (GivingPlannedDates(None, None, 12), GivingPlannedDates(None, None, 1),
                                GivingPlannedDates(None, None, None))
    q = "/grants/1"
    assert g2.problems == (
        f"{q}/plannedDates/2/duration: '12months' is not a number of months; read as missing",
        f"{q}/recipientOrganization: expected a list of objects, found int; not read",
        f"{q}/beneficiaryLocation: expected a list of objects, found str; not read",
        f"{q}/grantProgramme: expected a list of objects, found str; not read",
    )


def test_numbers_as_text_keep_their_writing_and_amounts_take_no_decimal_comma(tmp_path):
    path = tmp_path / "n.json"
    path.write_text('{"grants": [{"id": 2E3, "title": 7, "amountAwarded": " 12.50 ", "amountDisbursed": "12,5", '
                    '"amountAppliedFor": 3, "awardDate": "", "currency": "GBP"}]}', encoding="utf-8")
    problems: list = []
    [g] = read_grants_json(path, problems)
    assert (g.id, g.title) == ("2E3", "7")
    assert (g.amount_awarded, g.amount_awarded.text) == (Decimal("12.50"), "12.50")
    assert (g.amount_disbursed, g.amount_applied_for) == (None, Decimal("3"))
    # an empty awardDate is missing, not a sign of shifted columns
    assert (g.award_date, g.shifted) == (None, False)
    assert problems == [("n.json#/grants/0", "/grants/0/amountDisbursed: '12,5' is not an amount; read as missing")]


def test_long_values_are_cut_in_the_messages(tmp_path):
    funder = "A funder identifier written as a sentence, far longer than fifty characters"
    currency = "pounds sterling, as written by a publisher who typed it out in full"
    path = _json(tmp_path, [{"id": "360G-l", "currency": currency, "fundingOrganization": [{"id": funder}]}])
    problems: list = []
    [g] = read_grants_json(path, problems)
    assert g.problems == (
        f"/grants/0/currency: {currency[:40]!r} is not an ISO 4217 currency code; kept as written",
        f"columns shifted in the source (funder identifier {funder[:50]!r} is free text; currency is not a currency "
        "code): its values are not where its keys say")
    assert currency[:40] == "pounds sterling, as written by a publish"
    assert funder[:50] == "A funder identifier written as a sentence, far lon"


def test_compressed_files_in_a_folder(tmp_path):
    with gzip.open(tmp_path / "a.json.gz", "wt", encoding="utf-8") as fh:
        json.dump({"grants": [{"id": "360G-z-1"}]}, fh)
    with gzip.open(tmp_path / "b.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("Identifier,Title\n360G-z-1,Again\n")
    (tmp_path / "c.txt").write_text("not a grant file", encoding="utf-8")
    problems: list = []
    grants = list(read_giving360([tmp_path], problems))
    assert [(g.location, g.id, g.layout, g.title) for g in grants] == [
        ("a.json.gz#/grants/0", "360G-z-1", "standard", None), ("b.csv.gz:row 1", "360G-z-1", "csv", "Again")]
    assert problems == []  # the repeated id is the mapper's to report


def test_a_csv_files_own_problems_go_into_the_list(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("Identifier,Title,Note,Note\n360G-e-1,A,x,B\n\n360G-e-2,C,y,D\n", encoding="utf-8")
    problems: list = []
    grants = list(read_grants_csv(path, problems))
    assert [(g.id, g.title) for g in grants] == [("360G-e-1", "A"), ("360G-e-2", "C")]
    assert problems == [("e.csv", "column title(s) 'Note' stand more than once: the last of each is read"),
                        ("e.csv:row 2", "empty line skipped")]
    path.write_text("Identifier,Title,Title\n360G-e-1,A,B\n", encoding="utf-8")  # a column read, twice: not read
    problems = []
    assert list(read_grants_csv(path, problems)) == []
    assert problems == [("e.csv", "not the expected layout: column title(s) 'Title' stand more than once, and which "
                                  "to read is not known (the header has 3 columns, delimiter ',')")]


def test_an_invalid_web_address_is_not_the_organisations_url():
    grants = [GivingGrant("u.json#/grants/0", "standard", "u1",
                          funding_organization=(GivingOrganisation("360G-f", url="www.f.example"),),
                          recipient_organization=(GivingOrganisation("360G-r", url="https://r.example/"),)),
              GivingGrant("u.json#/grants/1", "standard", "u2",
                          funding_organization=(GivingOrganisation("360G-f", url="https://f.example/"),),
                          recipient_organization=(GivingOrganisation("360G-r", url="https://other.example/"),))]
    records = list(giving360_records(grants, []))
    urls = {r.key[2]: r.url for r in records if isinstance(r, Organisation)}
    # the first valid address is kept; an invalid one is never taken
    assert urls == {"360G-f": "https://f.example/", "360G-r": "https://r.example/"}
