"""The 360Giving reader and its record mapper pinned down on tiny hand-made files (issue 14):
every field of every grant compared with values read off the input by hand, the problems by their
whole text. Files are written under tmp_path."""

from __future__ import annotations

import json
from decimal import Decimal

from ngograph.records.types import Grant, Identifier, Organisation, Text
from ngograph.sources.giving360 import (GivingGrant, GivingLocation, GivingOrganisation, GivingPlannedDates,
                                        GivingProgramme, read_giving360, read_grants_json)
from ngograph.sources.giving360_records import giving360_records, organisation_key
from ngograph.sources.tabular import SourceDate


def _json(tmp_path, grants, name="g.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"grants": grants}), encoding="utf-8")
    return path


def _org(ident=None, **fields) -> GivingOrganisation:
    return GivingOrganisation(ident, **fields)


def test_standard_grant_field_by_field(tmp_path):
    path = _json(tmp_path, [
        {"id": "360G-a-1", "title": "Café", "description": 7, "currency": "GBP", "amountAwarded": 1200,
         "amountDisbursed": "99.5", "amountAppliedFor": "lots", "awardDate": "17/03/2014", "dateModified": "nope",
         "url": True, "dataSource": "ds", "fromOpenCall": "Yes",
         "plannedDates": {"startDate": "2014-01-01", "endDate": "2015-02", "duration": "12 months"},
         "recipientOrganization": [{"id": "GB-CHC-1", "name": "R", "addressCountry": "Wales", "charityNumber": 123}, 5],
         "fundingOrganization": [{"id": "360G-f", "name": "F", "addressCountry": "ISRAEL"}],
         "beneficiaryLocation": [{"name": "L", "countryCode": "UK", "geoCode": "E1", "geoCodeType": "LA"}],
         "grantProgramme": [{"code": "P1", "title": "Prog"}],
         "relatedActivity": "360G-a-0", "IMPACT": "x", "Project Start Date": "2013-01-01"}])
    problems: list = []
    [g] = read_grants_json(path, problems)
    assert g.location == "g.json#/grants/0" and g.layout == "standard"
    assert (g.id, g.title, g.description, g.currency) == ("360G-a-1", "Café", "7", "GBP")
    assert (g.amount_awarded, g.amount_disbursed, g.amount_applied_for) == (Decimal("1200"), Decimal("99.5"), None)
    assert g.award_date == SourceDate("17/03/2014", "2014-03-17", "day") and g.date_modified is None
    assert (g.url, g.data_source, g.from_open_call, g.file, g.publisher) == (None, "ds", "Yes", None, None)
    assert g.planned_dates == (GivingPlannedDates(SourceDate("2014-01-01", "2014-01-01", "day"),
                                                  SourceDate("2015-02", "2015-02", "month"), 12),)
    assert g.recipient_organization == (_org("GB-CHC-1", name="R", charity_number="123", address_country="Wales",
                                             address_country_code="GB"),)
    assert g.funding_organization == (_org("360G-f", name="F", address_country="ISRAEL"),)
    assert g.beneficiary_location == (GivingLocation("L", "GB", "E1", "LA"),)
    assert g.grant_programme == (GivingProgramme("P1", "Prog"),)
    assert g.related_activity == ("360G-a-0",)
    # plannedDates has a startDate already: the non-standard start stays in extra
    assert g.extra == {"IMPACT": "x", "Project Start Date": "2013-01-01"}
    assert g.shifted is False
    expected = ("/grants/0/url: expected text, found bool; read as missing",
                "/grants/0/amountAppliedFor: 'lots' is not an amount; read as missing",
                "/grants/0/dateModified: not a date: 'nope'; read as missing",
                "/grants/0/recipientOrganization/1: expected an object, found int; not read",
                "/grants/0/fundingOrganization/0/addressCountry: country 'ISRAEL' is not an ISO 3166-1 code: kept "
                "as written, no code given")
    assert g.problems == expected
    assert problems == [("g.json#/grants/0", p) for p in expected]


def test_non_standard_keys_fill_empty_places_and_odd_grants(tmp_path):
    path = _json(tmp_path, [
        "notagrant",
        {"title": "no id", "plannedDates": "bad", "relatedActivity": ["r1", "", "r2"],
         "Planned Dates": {"Duration months": "6"}, "Project End Date": "01/02/2015", "File": "f.json", "Publisher": 3},
        {"id": "d1", "Project Start Date": "2013-01-01", "Project End Date": "08/2014",
         "Planned Dates": {"Duration months": "18 month"}, "File": 4, "Publisher": "Pub"},
        {"id": "d2", "Planned Dates": {"Duration months": "3", "x": 1}, "title": "CafÃ©"},
    ])
    problems: list = []
    g1, g2, g3 = read_grants_json(path, problems)
    assert (g1.location, g1.id, g1.title, g1.planned_dates, g1.related_activity) == (
        "g.json#/grants/1", None, "no id", (), ("r1", "r2"))
    assert g1.extra == {"Planned Dates": "6", "Project End Date": "01/02/2015"}
    assert (g1.file, g1.publisher, g1.layout) == ("f.json", None, "standard")
    assert g1.problems == ("/grants/1/plannedDates: expected a list of objects, found str; not read", "no grant id")
    assert g2.planned_dates == (GivingPlannedDates(SourceDate("2013-01-01", "2013-01-01", "day"),
                                                   SourceDate("08/2014", "2014-08", "month"), 18),)
    assert (g2.extra, g2.file, g2.publisher, g2.problems) == ({}, None, "Pub", ())
    assert g3.planned_dates == () and g3.extra == {"Planned Dates": {"Duration months": "3", "x": 1}}
    assert g3.problems == ("/grants/3/title: holds 'Ã©', likely mis-decoded text; kept as written",)
    assert problems[0] == ("g.json#/grants/0", "a grant must be a JSON object, found str: skipped")
    assert problems[1:] == [("g.json#/grants/1", p) for p in g1.problems] + [("g.json#/grants/3", p)
                                                                              for p in g3.problems]


def test_flat_grant_and_shift_reasons(tmp_path):
    path = _json(tmp_path, [
        {"id": "360G-b", "currency": "pounds sterling", "amountAwarded": "01/02/2014", "awardDate": "1200",
         "FundingOrgIdentifier": "a web page", "FundingOrgName": "GB-CHC-99", "RecipientOrgName": "R2",
         "RecipientOrgIdentifier": "GB-COH-1", "plannedDates": [{"duration": "abc"}, 3]},
        {"id": "360G-c", "currency": "gbp", "awardDate": "soon", "FundingOrgIdentifier": "https://f.org",
         "FundingOrgName": "GB", "fundingOrganization": [{"name": "Kept"}]},
        {"id": "360G-d", "FundingOrgIdentifier": "www.f.org", "FundingOrgName": "Fund \"x\""},
        {"id": "360G-e", "FundingOrgIdentifier": "a\"b", "currency": "EUR", "amountAwarded": ""},
    ])
    problems: list = []
    b, c, d, e = read_grants_json(path, problems)
    assert (b.layout, b.currency, b.amount_awarded, b.award_date) == (
        "flat", "pounds sterling", None, SourceDate("1200", "1200", "year"))
    assert b.funding_organization == (_org("a web page", name="GB-CHC-99"),)
    assert b.recipient_organization == (_org("GB-COH-1", name="R2"),)
    assert b.planned_dates == (GivingPlannedDates(None, None, None),)
    assert b.shifted is True
    assert b.problems == (
        "/grants/0/amountAwarded: '01/02/2014' is not an amount; read as missing",
        "/grants/0/plannedDates/1: expected an object, found int; not read",
        "/grants/0/plannedDates/0/duration: 'abc' is not a number of months; read as missing",
        "/grants/0/currency: 'pounds sterling' is not an ISO 4217 currency code; kept as written",
        "columns shifted in the source (funder identifier 'a web page' is free text; funder name 'GB-CHC-99' is "
        "an identifier or a country code; currency is not a currency code; amountAwarded is not an amount): "
        "its values are not where its keys say")
    # a standard key wins over the flat one, which stays in extra
    assert c.funding_organization == (_org("https://f.org", name="Kept"),) and c.extra == {"FundingOrgName": "GB"}
    assert c.problems[-1] == ("columns shifted in the source (funder identifier 'https://f.org' is free text; "
                              "currency is not a currency code; awardDate is not a date): its values are not where "
                              "its keys say")
    assert d.shifted is True and d.problems == (
        "columns shifted in the source (funder identifier 'www.f.org' is free text): its values are not where "
        "its keys say",)
    assert e.shifted is True and e.amount_awarded is None and e.problems == (
        "columns shifted in the source (funder identifier 'a\"b' is free text): its values are not where "
        "its keys say",)


def test_csv_and_repeated_ids_over_files(tmp_path):
    (tmp_path / "a.csv").write_text(
        "Identifier,Title,Amount Awarded,Currency,Recipient Org:Country,Recipient Org:Name,Funding Org:Name,"
        "Planned Dates:Duration (months),Notes\n360G-c-1,T,12.5,GBP,Narnia,Rec,Fun,2,hello\n360G-c-2,,x,EUR,,,,,\n",
        encoding="utf-8")
    _json(tmp_path, [{"id": "360G-c-1"}, {"id": "360G-c-2"}, {"id": "new"}, {"title": "t"}], name="b.json")
    _json(tmp_path, [{"id": "new"}], name="c.json")
    problems: list = []
    grants = list(read_giving360(tmp_path, problems))
    assert [(g.location, g.id, g.layout) for g in grants] == [
        ("a.csv:row 1", "360G-c-1", "csv"), ("a.csv:row 2", "360G-c-2", "csv"),
        ("b.json#/grants/0", "360G-c-1", "standard"), ("b.json#/grants/1", "360G-c-2", "standard"),
        ("b.json#/grants/2", "new", "standard"), ("b.json#/grants/3", None, "standard"),
        ("c.json#/grants/0", "new", "standard")]
    a1, a2 = grants[:2]
    assert (a1.title, a1.amount_awarded, a1.currency, a1.extra) == ("T", Decimal("12.5"), "GBP", {"Notes": "hello"})
    assert a1.recipient_organization == (_org(name="Rec", address_country="Narnia"),)
    assert a1.funding_organization == (_org(name="Fun"),)
    assert a1.planned_dates == (GivingPlannedDates(None, None, 2),)
    assert (a2.shifted, a2.extra, a2.recipient_organization) == (True, {}, ())
    assert problems == [
        ("a.csv:row 1", "Recipient Org:Country: country 'Narnia' is not an ISO 3166-1 code: kept as written, "
                        "no code given"),
        ("a.csv:row 2", "Amount Awarded: 'x' is not an amount; read as missing"),
        ("a.csv:row 2", "columns shifted in the source (amountAwarded is not an amount): its values are not where "
                        "its keys say"),
        ("b.json#/grants/3", "no grant id")]  # repeated ids are the mapper's to report


def _grant(loc, ident, layout="standard", **fields) -> GivingGrant:
    return GivingGrant(loc, layout, ident, **fields)


def _day(text):
    return SourceDate(text, text, "day")


def test_records_field_by_field():
    grants = [
        _grant("f.json#/grants/0", "g1", title="T1", currency="GBP", amount_awarded=Decimal("5"),
               award_date=_day("2019-05-05"),
               funding_organization=(_org("360G-fund", name="Fund"),),
               recipient_organization=(_org("GB-CHC-1070468", name="Rec", alternate_name="RA",
                                            company_number=" 2050843 ", url="https://x.org"),),
               planned_dates=(GivingPlannedDates(_day("2020-01-02"), _day("2019-01-01")),)),
        _grant("s.json#/grants/0", "g2", layout="flat", funding_organization=(_org("NominetTrust"),),
               recipient_organization=(_org("DUMMY01", name="D", charity_number="SC012345"),)),
        _grant("f.json#/grants/1", "g2", amount_disbursed=Decimal("2"), currency="EUR",
               planned_dates=(GivingPlannedDates(_day("2020-01-02"), _day("2020-01-02")),),
               funding_organization=(_org("Fund X"),),
               recipient_organization=(_org("GB-COH-123", charity_number="SCO 08158", company_number="bad!",
                                            address_country_code="FR"),)),
        _grant("f.json#/grants/2", "g3", shifted=True),
        _grant("f.json#/grants/3", None),
        _grant("c.csv:row 2", "g4", recipient_organization=(_org("x"),)),
        _grant("c.csv:row 3", "g1", funding_organization=(_org("360G-fund"),),
               recipient_organization=(_org(name="N"),)),
        _grant("s.json#/grants/1", "g1", layout="flat"),
        _grant("d.json#/grants/0", "g5", funding_organization=(_org("360G-fund", name="Fund2"),),
               recipient_organization=(_org(" ", name="N", charity_number=" 42 ", company_number="SC1"),)),
        _grant("d.json#/grants/1", "g6", funding_organization=(_org("XI-IATI-1"),), recipient_organization=(_org(None),)),
    ]
    problems: list = []
    records = list(giving360_records(grants, problems))
    g1, g2, g5, g6 = [r for r in records if isinstance(r, Grant)]
    assert g1 == Grant(("grant", "360g", "g1"), "f.json#/grants/0", ("organisation", "360g", "360G-fund"),
                       ("organisation", "gb-chc", "1070468"), identifiers=[Identifier("360G-GRANT", "g1")],
                       names=[Text("T1", "en")], amount=g1.amount, award_date="2019-05-05", start="2020-01-02")
    assert (g1.amount.value, g1.amount.currency, g1.disbursed) == (Decimal("5"), "GBP", None)
    assert (g2.location, g2.funder, g2.funded, g2.names, g2.amount) == (
        "f.json#/grants/1", ("organisation", "360g-grant", "g2", "funder"), ("organisation", "gb-coh", "00000123"),
        [], None)
    assert (g2.disbursed.value, g2.disbursed.currency, g2.start, g2.end) == (Decimal("2"), "EUR", "2020-01-02",
                                                                             "2020-01-02")
    assert (g5.funded, g6.funder, g6.funded) == (
        ("organisation", "360g-grant", "g5", "recipient"), ("organisation", "xi-iati", "1"),
        ("organisation", "360g-grant", "g6", "recipient"))
    orgs = {r.key: r for r in records if isinstance(r, Organisation)}
    assert list(orgs) == [("organisation", "360g", "360G-fund"), ("organisation", "gb-chc", "1070468"),
                          ("organisation", "360g-grant", "g2", "funder"), ("organisation", "gb-coh", "00000123"),
                          ("organisation", "360g-grant", "g5", "recipient"), ("organisation", "xi-iati", "1"),
                          ("organisation", "360g-grant", "g6", "recipient")]
    fund = orgs[("organisation", "360g", "360G-fund")]
    assert (fund.names, fund.identifiers, fund.country, fund.types, fund.url) == (
        [Text("Fund"), Text("Fund2")], [Identifier("360G", "360G-fund")], None, set(), None)
    rec = orgs[("organisation", "gb-chc", "1070468")]
    assert (rec.location, rec.names, rec.identifiers, rec.country, rec.types, rec.url) == (
        "f.json#/grants/0", [Text("Rec"), Text("RA")],
        [Identifier("GB-CHC", "1070468"), Identifier("GB-COH", "02050843")], "GB", {"ngo"}, "https://x.org")
    coh = orgs[("organisation", "gb-coh", "00000123")]
    assert (coh.identifiers, coh.country, coh.types) == ([Identifier("GB-COH", "00000123")], "FR", set())
    local = orgs[("organisation", "360g-grant", "g5", "recipient")]
    assert (local.identifiers, local.country, local.types) == (
        [Identifier("GB-CHC", "42"), Identifier("GB-COH", "SC1")], "GB", {"ngo"})
    xi = orgs[("organisation", "xi-iati", "1")]
    assert (xi.identifiers, xi.country) == ([Identifier("XI-IATI", "1")], None)
    assert problems == [
        ("f.json#/grants/0", "planned end '2019-01-01' is before the start '2020-01-02': the end is left out"),
        ("f.json#/grants/1", "funder '': id 'Fund X' is neither an org-id nor a 360G id; the organisation is local "
                             "to this grant"),
        ("f.json#/grants/1", "recipient charity number 'SCO 08158' is not a charity number; not an identifier"),
        ("f.json#/grants/1", "recipient company number 'bad!' is not a company number; not an identifier"),
        ("f.json#/grants/2", "grant 'g3': columns shifted in the source; left out"),
        ("f.json#/grants/3", "grant without an id; left out"),
        ("c.csv:row 2", "grant 'g4' names no funding organisation; left out"),
        # each repeat, where it is read (the flat file's last: its grants wait for the funders' own files)
        ("c.csv:row 3", "grant 'g1' already read at f.json#/grants/0: this one is left out"),
        ("d.json#/grants/0", "recipient 'N': no organisation id; the organisation is local to this grant"),
        ("d.json#/grants/1", "recipient '': no organisation id; the organisation is local to this grant"),
        ("s.json#/grants/0", "grant 'g2' already read at f.json#/grants/1: this one is left out"),
        ("s.json#/grants/1", "grant 'g1' already read at f.json#/grants/0: this one is left out")]


def test_organisation_keys():
    key = organisation_key
    assert key(_org("gb-chc-5"), "g", "recipient")[:2] == (("organisation", "gb-chc", "5"),
                                                          [Identifier("GB-CHC", "5")])
    assert key(_org("GB-COH-77"), "g", "funder")[:2] == (("organisation", "gb-coh", "00000077"),
                                                        [Identifier("GB-COH", "00000077")])
    assert key(_org("my dummy\nid"), "g", "funder") == (("organisation", "360g-grant", "g", "funder"), [],
                                                        "id 'my dummy\\nid' is a placeholder")
    assert key(_org("360g-x y"), "g", "recipient") == (("organisation", "360g", "360g-x y"),
                                                       [Identifier("360G", "360g-x y")], None)
    assert key(_org("Own"), "g", "recipient") == (("organisation", "360g-grant", "g", "recipient"), [],
                                                  "id 'Own' is neither an org-id nor a 360G id")
    assert key(_org("ZZ-ABC-1"), "g", "recipient")[2] == "id 'ZZ-ABC-1' is neither an org-id nor a 360G id"
    assert key(_org(" GB-CHC-1 "), "g", "recipient")[0] == ("organisation", "gb-chc", "1")
    # a funder's own id names the publisher (keyed in this source); a placeholder names nobody, a funder's too
    assert key(_org("NominetTrust"), "g", "funder") == (("organisation", "360g", "NominetTrust"),
                                                        [Identifier("360G", "NominetTrust")], None)
    assert key(_org("N/A"), "g", "funder") == (("organisation", "360g-grant", "g", "funder"), [],
                                               "id 'N/A' is a placeholder")


def test_scottish_charity_number_and_a_name_given_twice():
    grants = [_grant("e.json#/grants/0", "s1", funding_organization=(_org("360G-f", name="F", alternate_name="F"),),
                     recipient_organization=(_org("Local", name="S", charity_number="SC012345"),))]
    problems: list = []
    records = list(giving360_records(grants, problems))
    orgs = {r.key: r for r in records if isinstance(r, Organisation)}
    assert orgs[("organisation", "360g", "360G-f")].names == [Text("F")]
    scot = orgs[("organisation", "360g-grant", "s1", "recipient")]
    assert (scot.identifiers, scot.types, scot.country) == ([Identifier("GB-SC", "SC012345")], {"ngo"}, "GB")
    assert problems == [("e.json#/grants/0", "recipient 'S': id 'Local' is neither an org-id nor a 360G id; the "
                                             "organisation is local to this grant")]


def test_a_grant_without_a_recipient_is_left_out():
    problems: list = []
    grants = [_grant("h.json#/grants/0", "n1", funding_organization=(_org("360G-f"),))]
    assert list(giving360_records(grants, problems)) == []
    assert problems == [("h.json#/grants/0", "grant 'n1' names no recipient organisation; left out")]


def test_a_register_prefix_before_a_placeholder_or_a_foreign_number_gives_no_identifier():
    """stack.json: ``GB-CHC-n/a`` on 42 grants of 31 charities; IndigoTrust row 151: ``GB-CHC-CA-99,314`` for a
    company in Accra; baring: ``GB-SC-SCO44652`` (a letter O). None is a number of the register, so none makes the
    organisation an NGO, gives it the register's country, or joins it to another organisation."""
    grants = [_grant(f"s.json#/grants/{i}", f"p{i}", funding_organization=(_org("360G-f"),),
                     recipient_organization=(_org(ident, name=f"R{i}"),))
              for i, ident in enumerate(["GB-CHC-n/a", "GB-CHC-n/a", "GB-CHC-CA-99,314", "GB-SC-SCO44652",
                                         "GB-CHC-awaiting number", "GB-CHC-1070468-1", "GB-NIC-NIC100002",
                                         "GB-CHC-XR 19598", "GB-NIC-1 234", "GB-COH-1 2"])]
    problems: list = []
    orgs = {r.key: r for r in giving360_records(grants, problems) if isinstance(r, Organisation)}
    recipients = {k: o for k, o in orgs.items() if k[1] != "360g" or k[2] != "360G-f"}
    assert sorted(recipients) == sorted([
        ("organisation", "360g", "GB-CHC-CA-99,314"), ("organisation", "360g", "GB-SC-SCO44652"),
        ("organisation", "360g-grant", "p0", "recipient"), ("organisation", "360g-grant", "p1", "recipient"),
        ("organisation", "360g-grant", "p4", "recipient"),
        ("organisation", "360g", "GB-CHC-XR 19598"), ("organisation", "360g", "GB-COH-1 2"),
        ("organisation", "360g", "GB-NIC-1 234"),
        ("organisation", "gb-chc", "1070468-1"), ("organisation", "gb-nic", "NIC100002")])
    for key, org in recipients.items():
        registered = key[1].startswith("gb-")
        assert (org.types == {"ngo"}, org.country == "GB", bool(org.identifiers)) == (registered,) * 3 or \
            key[2] in ("GB-SC-SCO44652", "GB-CHC-XR 19598", "GB-NIC-1 234"), key
    # a Scottish number with the letter O: a UK charity (NGO, GB) all the same, but no GB-SC identifier
    for mistyped in ("GB-SC-SCO44652", "GB-CHC-XR 19598", "GB-NIC-1 234"):  # and HMRC's reference, a number with a space
        org = recipients[("organisation", "360g", mistyped)]
        assert (org.types, org.country, org.identifiers) == ({"ngo"}, "GB", []), mistyped
    company = recipients[("organisation", "360g", "GB-COH-1 2")]  # not a charity register: nothing
    assert (company.types, company.country, company.identifiers) == (set(), None, [])
    assert [p for p in problems if "R2" in p[1]] == [
        ("s.json#/grants/2", "recipient 'R2': 'CA-99,314' is not a GB-CHC number: not an identifier; the organisation "
                             "is known by the id in this source only")]
    assert ("s.json#/grants/4", "recipient 'R4': id 'GB-CHC-awaiting number' is a placeholder; the organisation is "
                                "local to this grant") in problems
