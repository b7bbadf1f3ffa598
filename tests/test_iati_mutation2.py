"""The IATI reader: survivors of the fifth sample of mutants (issue 14; every 5th mutant of each
function, numbers 4, 9, 14...). A provider-org's names without their own language take the
activity's, as a receiver-org's do; an entity refusal that carries no entity name still reads."""

from __future__ import annotations

from decimal import Decimal

from defusedxml import EntitiesForbidden

from ngograph.sources.iati import Narrative, OrgRef, Transaction, _defused_reason, read_iati


def test_provider_and_receiver_names_take_the_activitys_language(tmp_path):
    path = tmp_path / "a.xml"
    path.write_text("\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<iati-activities version="2.03">',
        '<iati-activity xml:lang="FR" default-currency="EUR">',
        '<iati-identifier>XX-1</iati-identifier>',
        '<transaction><transaction-type code="1"/><transaction-date iso-date="2020-03-01"/><value>5</value>',
        '<provider-org ref="GB-CHC-1"><narrative>Donateur</narrative><narrative xml:lang="EN">Donor</narrative>'
        '</provider-org>',  # line 6
        '<receiver-org><narrative>Receveur</narrative></receiver-org>',  # line 7
        '</transaction>',
        '</iati-activity>',
        '</iati-activities>']) + "\n", encoding="utf-8")
    problems: list = []
    (activity,) = read_iati([path], problems)
    assert problems == []
    assert activity.transactions == [Transaction(
        f"{path}:5", 1, "1", "1", "2020-03-01", Decimal("5"), "EUR", True, None,
        OrgRef(f"{path}:6", "GB-CHC-1", None, None, None, [Narrative("Donateur", "fr"), Narrative("Donor", "en")]),
        OrgRef(f"{path}:7", None, None, None, None, [Narrative("Receveur", "fr")]))]


def test_an_entity_refusal_without_the_entitys_name():
    assert _defused_reason(EntitiesForbidden("e", None, None, None, None, None)) == "the file declares an entity (e)"
    unnamed = EntitiesForbidden.__new__(EntitiesForbidden)  # no __init__: no .name
    assert _defused_reason(unnamed) == "the file declares an entity (?)"
