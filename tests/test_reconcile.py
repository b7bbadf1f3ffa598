"""Reconciliation on hand-checked tiny cases: the examples of the issue (Danish Refugee Council,
NRC, ICRC, a pasted label as identifier, a Latvian NGO, a Russian partner) and near misses."""

from __future__ import annotations

import pytest

from ngograph.reconcile.match import ACRONYM, AUTO, OrgRecord, reconcile, registry_id
from ngograph.reconcile.normalise import fold, legal_forms, name_key, split_names


def _clusters(records, decisions=()):
    return reconcile(records, decisions).clusters()


# ---------------------------------------------------------------- identifiers

@pytest.mark.parametrize("scheme, value, expected", [
    ("DK-CVR", "20699310", ("DK-CVR", "20699310")),
    ("dk-cvr", "DK-CVR-20699310", ("DK-CVR", "20699310")),  # the scheme written again in the value
    ("XM-DAC", "21016", ("XM-DAC", "21016")),
    (None, "21016", ("XM-DAC", "21016")),  # a bare DAC channel code of one organisation
    (None, "21000", None),  # a channel category: many NGOs
    ("XM-DAC", "21000", None),
    ("DK-CVR", "DK-CVR | Danish Central Busine", None),  # a pasted codelist label
    ("GB-CHC", "N/A", None),
    ("GB-CHC", "Exempt Charity", None),
    ("IATI-ACTIVITY", "DK-CVR-20699310-1", None),  # identifies a project, not an organisation
    (None, "SE-0", None),
])
def test_registry_id(scheme, value, expected):
    assert registry_id(scheme, value) == expected


def test_same_identifier_in_one_scheme_merges():
    recs = [OrgRecord("icrc-ref", "iati", ["International Committee of the Red Cross"], [(None, "21016")]),
            OrgRecord("icrc-dac", "iati", ["ICRC"], [("XM-DAC", "21016")])]
    r = reconcile(recs)
    assert r.clusters() == {"icrc-dac": ["icrc-ref"]}  # the node with a scheme is canonical
    assert [(m.reason, m.why) for m in r.merges] == [("identifier", "same identifier XM-DAC-21016")]


def test_dac_category_and_pasted_label_never_merge():
    recs = [OrgRecord("drc", "iati", ["Danish Refugee Council/Dansk Flygtningehjälp"], [(None, "21000")]),
            OrgRecord("nrc", "iati", ["NRC/Norwegian Refugee Council"], [(None, "21000")]),
            OrgRecord("a", "iati", ["Danish Red Cross"], [("DK-CVR", "DK-CVR | Danish Central Busine")], "DK"),
            OrgRecord("b", "iati", ["Mellemfolkeligt Samvirke"], [("DK-CVR", "DK-CVR | Danish Central Busine")], "DK")]
    r = reconcile(recs)
    assert r.clusters() == {} and r.pending == []


def test_identifier_conflicts_are_reported_not_merged():
    recs = [OrgRecord("nrc", "iati", ["NORWEGIAN REFUGEE COUNCIL (NOR)"], [("NO-BRC", "977538319")], "NO"),
            OrgRecord("fh", "forskningsradet", ["Flyktninghjelpen"], [("NO-BRC", "977538319")], "NO"),
            OrgRecord("x1", "360giving", ["Alpha Trust"], [("GB-CHC", "1000001")], "GB"),
            OrgRecord("x2", "iati", ["Alpha Trust"], [("GB-CHC", "1000001")], "IE")]
    r = reconcile(recs)
    assert r.clusters() == {}
    assert [(c.a, c.b, c.why) for c in r.pending] == [
        ("x1", "x2", "identifier GB-CHC-1000001 shared, countries differ"),
        ("fh", "nrc", "identifier NO-BRC-977538319 shared, names differ")]


# ---------------------------------------------------------------- names

def test_danish_refugee_council_variants_are_one():
    recs = [OrgRecord("o/dk-cvr/20699310", "iati", ["Danish Refugee Council"], [("DK-CVR", "20699310")], "DK"),
            OrgRecord("o/local/1", "iati", ["DANSK FLYGTNINGEHJAELP"], [], "DK"),
            OrgRecord("o/local/2", "iati", ["Danish Refugee Council/Dansk Flygtningehjälp"], [(None, "21000")]),
            OrgRecord("o/local/3", "iati", ["Danish Red Cross"], [("DK-CVR", "DK-CVR | Danish Central Busine")], "DK"),
            OrgRecord("o/dk-cvr/20700211", "iati", ["DANSK RØDE KORS, (DNK)", "Danish Red Cross"],
                      [("DK-CVR", "20700211")], "DK")]
    assert _clusters(recs) == {"o/dk-cvr/20699310": ["o/local/1", "o/local/2"],
                               "o/dk-cvr/20700211": ["o/local/3"]}


def test_nrc_acronym_and_expansion():
    recs = [OrgRecord("nrc-local", "iati", ["NRC/Norwegian Refugee Council"], [(None, "21000")]),
            OrgRecord("nrc", "iati", ["NORWEGIAN REFUGEE COUNCIL (NOR)"], [("NO-BRC", "977538319")], "NO"),
            OrgRecord("nrc-only", "iati", ["NRC"], [], "NO")]
    r = reconcile(recs)
    assert r.clusters() == {"nrc": ["nrc-local"]}
    # "NRC" alone is never sure, even where another record is also called "NRC": review
    assert [(c.a, c.b, c.score, c.why) for c in r.pending] == [
        ("nrc", "nrc-only", 100.0, "same short name 'nrc' only: review")]
    r = reconcile(recs[1:])  # an acronym against its expansion: review, with the acronym's score
    assert (r.clusters(), [(c.a, c.b, c.score) for c in r.pending]) == ({}, [("nrc", "nrc-only", ACRONYM)])


def test_public_bodies_and_countries_in_names():
    recs = [OrgRecord("mod", "iati", ["Ministry of Defence"], []),
            OrgRecord("mod-br", "cordis", ["MINISTRY OF DEFENCE"], [], "BR"),
            OrgRecord("wv", "iati", ["World Vision"], []),
            OrgRecord("wv-uk", "iati", ["World Vision UK"], [], "GB"),
            OrgRecord("cw", "iati", ["Concern Worldwide"], [], "IE"),
            OrgRecord("cw-uk", "iati", ["Concern Worldwide (UK)"], []),
            OrgRecord("hope", "360giving", ["Hope Projects"], [], "GB"),
            OrgRecord("hope2", "iati", ["Project HOPE"], [])]
    r = reconcile(recs)
    assert r.clusters() == {}
    assert sorted((c.a, c.b) for c in r.pending) == [("cw", "cw-uk"), ("hope", "hope2"), ("mod", "mod-br"),
                                                     ("wv", "wv-uk")]
    assert name_key("Concern Worldwide (UK)").places == {"united kingdom"}


def test_latvian_ngo_legal_form_case_and_genitive():
    recs = [OrgRecord("lv1", "curated", ["Biedrība „Zaļā brīvība”"], [], "LV"),
            OrgRecord("lv2", "cordis", ["BIEDRIBA ZALA BRIVIBA"], [], "LV"),
            OrgRecord("lv3", "news", ["biedrības „Zaļās brīvības”"], [], "LV"),
            OrgRecord("lt", "cordis", ["ZALA BRIVIBA"], [], "LT")]  # another country: never compared
    assert _clusters(recs) == {"lv1": ["lv2", "lv3"]}
    assert name_key("Biedrība „Zaļā brīvība”").legal_form == "biedrība"
    assert name_key("BIEDRIBA ZALA BRIVIBA").key == "zala briviba"


def test_russian_partner_in_cyrillic_and_two_transliterations():
    recs = [OrgRecord("ru1", "curated", ["АНО «Центр социальных инициатив»"], [], "RU"),
            OrgRecord("ru2", "iati", ["ANO Tsentr sotsialnykh initsiativ"], [], "RU"),
            OrgRecord("ru3", "cordis", ["CENTR SOCIAL'NYH INICIATIV"], [], "RU"),
            OrgRecord("ru4", "cordis", ["CENTR SOCIALNYH ISSLEDOVANIJ"], [], "RU")]  # another centre
    assert _clusters(recs) == {"ru1": ["ru2", "ru3"]}
    assert name_key("АНО «Центр социальных инициатив»").legal_form == "АНО"


def test_near_misses_stay_apart():
    recs = [OrgRecord("drc", "iati", ["Danish Refugee Council"], [], "DK"),
            OrgRecord("dnrc", "iati", ["Danish Red Cross"], [], "DK"),
            OrgRecord("lrc", "iati", ["Latvian Red Cross"], [("LV-RUR", "40008001359")], "LV"),
            OrgRecord("lrc-riga", "iati", ["Latvian Red Cross Riga branch"], [], "LV"),
            # the same name, two registered bodies: never one by name
            OrgRecord("sc1", "360giving", ["Save the Children Fund"], [("GB-CHC", "213890")], "GB"),
            OrgRecord("sc2", "360giving", ["Save the Children Fund"], [("GB-CHC", "1076822")], "GB")]
    r = reconcile(recs)
    assert r.clusters() == {} and r.pending == []


def test_curator_decisions_win():
    recs = [OrgRecord("a", "iati", ["Baltic Youth Network"], [], "LV"),
            OrgRecord("b", "cordis", ["BALTIC YOUTH NETWORK"], [], "LV"),
            OrgRecord("c", "iati", ["Baltic Youth Netw."], [], "LV")]
    assert _clusters(recs) == {"a": ["b"]}
    assert [(c.a, c.b) for c in reconcile(recs).pending] == [("a", "c")]  # 'netw' ~ 'network': review
    decided = _clusters(recs, [("a", "b", "reject"), ("a", "c", "accept")])
    assert decided == {"a": ["c"]}  # the rejected pair stays apart; the accepted one merges


def test_thresholds_are_ordered():
    assert AUTO > ACRONYM


def test_fold_and_split():
    assert fold("Crédit  «Coopératif»") == "credit cooperatif"
    assert split_names("NRC/Norwegian Refugee Council")[1:] == ["NRC", "Norwegian Refugee Council"]
    assert any(form == "e.V." for _, form in legal_forms())
