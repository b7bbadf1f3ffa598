"""360Giving: a country code in lower case is the code (as the table template reads it); a name
is looked up as written."""

from __future__ import annotations

import json

from ngograph.sources.giving360 import GivingLocation, GivingOrganisation, read_grants_json


def test_a_lower_case_country_code_is_read_as_the_code(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"grants": [{
        "id": "360G-x-1",
        "recipientOrganization": [{"id": "GB-CHC-1", "addressCountry": "se"}],
        "fundingOrganization": [{"id": "360G-f", "addressCountry": "england"}],
        "beneficiaryLocation": [{"name": "A", "countryCode": "gb"}, {"name": "B", "countryCode": "uk"},
                                {"name": "C", "countryCode": "zz"}],
    }]}), encoding="utf-8")
    problems: list = []
    (grant,) = read_grants_json(path, problems)
    assert grant.beneficiary_location == (GivingLocation("A", "GB"), GivingLocation("B", "GB"),
                                          GivingLocation("C", None))
    assert grant.recipient_organization == (GivingOrganisation("GB-CHC-1", address_country="se",
                                                               address_country_code="SE"),)
    # a name is not upper-cased: the table of names has England, not ENGLAND or england
    assert grant.funding_organization == (GivingOrganisation("360G-f", address_country="england"),)
    assert grant.problems == (
        "/grants/0/fundingOrganization/0/addressCountry: country 'england' is not an ISO 3166-1 code: kept as "
        "written, no code given",
        "/grants/0/beneficiaryLocation/2/countryCode: country 'zz' is not an ISO 3166-1 code: kept as written, no "
        "code given",
    )
