"""`reconcile.match.reconcile` and `_prepare` on multi-record scenarios worked by hand: what the
mutation run of issue 14 (mut-match) left loose. Scores exactly at CONFLICT, REVIEW and AUTO; two
pairs of equal score and which one decides; the order in which scored and pending pairs are
visited; a decided pair followed by more pairs; the twelve names a cluster is compared on.

token_sort_ratio (0-100) of two skeletons of lengths m and n whose longest common subsequence
(words sorted first) has l letters is 100 * 2l / (m + n): one letter changed in two skeletons of
20 letters is 100 * 38 / 40 = 95. Everything is built in the test; nothing is read at import time.
"""

from __future__ import annotations

from itertools import permutations

from ngograph.reconcile.match import (AUTO, CONFLICT, REVIEW, Candidate, Merge, OrgRecord, Result, _prepare,
                                      reconcile)
from ngograph.reconcile.normalise import name_key

B = "https://e.org/organisation/"
RI, RO = "Green Garden Union Ri", "Green Garden Union Ro"  # skeletons "gren garden union ri" / "... ro"
WHY_RI_RO = "names 'green garden union ri' ~ 'green garden union ro', score 95"
HEALTH = "same name 'ministr of health', a public body of no given country: review"
FILLERS = [f"Nordic Forest Union {w}" for w in ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf",
                                                   "Hotel", "India", "Juliett", "Kilo", "Lima")]


def org(key, names, ids=(), country="LV", source="iati"):
    return OrgRecord(B + key, source, list(names), list(ids), country)


def outcome(r: Result):
    return r.canonical, r.merges, r.pending


def test_the_skeletons_the_scores_below_are_worked_on():
    assert [name_key(n, "LV").skeleton for n in (RI, RO, "Green Garden Union Ra", "Green Garden Union Rita",
                                                 "Green Gordon Union Ro", "Baltic Amber", "Baltic Tulip")] == [
        "gren garden union ri", "gren garden union ro", "gren garden union ra", "gren garden union rita",
        "gren gordon union ro", "baltic amber", "baltic tulip"]
    assert name_key("Ministry of Health").skeleton == "ministr of health"
    assert name_key("Ministry of Education").skeleton == "ministr of education"


# ---------------------------------------------------------------------------- bounds

def test_a_name_score_of_exactly_auto_merges():
    # 20 letters each, one changed: 95.0 = AUTO
    r = reconcile([org("a", [RI]), org("b", [RO])])
    assert AUTO == 95.0
    assert outcome(r) == ({B + "b": B + "a"}, [Merge(B + "a", B + "b", "name", 95.0, WHY_RI_RO)], [])


def test_a_name_score_of_exactly_review_is_put_to_a_curator():
    # "garden gren ri union" ~ "gordon gren ro union": three letters changed of 20 + 20, 100 * 34 / 40 = 85
    r = reconcile([org("a", [RI]), org("b", ["Green Gordon Union Ro"])])
    assert REVIEW == 85.0
    assert outcome(r) == ({}, [], [Candidate(B + "a", B + "b", 85.0, "names 'green garden union ri' ~ "
                                                                    "'green gordon union ro', score 85: review")])


def test_a_shared_identifier_with_a_name_score_of_exactly_conflict_merges():
    # "amber baltic" ~ "baltic tulip": "baltic" in common, 100 * 12 / 24 = 50
    r = reconcile([org("a", ["Baltic Amber"], [("LV-RUR", "1")]), org("b", ["Baltic Tulip"], [("LV-RUR", "1")])])
    assert CONFLICT == 50.0
    assert outcome(r) == ({B + "b": B + "a"}, [Merge(B + "a", B + "b", "identifier", 100.0,
                                                      "same identifier LV-RUR-1")], [])


def test_a_name_kept_by_a_score_of_exactly_conflict_with_another_of_the_record():
    # more than two names: the first, and those scoring CONFLICT or more with another (amber ~ tulip: 50)
    p = _prepare(org("x", ["Nordic Forest Union", "Baltic Amber", "Baltic Tulip"]))
    assert [k.key for k in p.keys] == ["nordic forest union", "baltic amber", "baltic tulip"]


# ---------------------------------------------------------------------------- _prepare

def test_a_name_shown_as_an_identifier_is_left_out_and_the_next_names_kept():
    p = _prepare(org("x", ["20699310", "Danish Refugee Council"], [("DK-CVR", "20699310")]))
    assert [k.key for k in p.keys] == ["danish refugee council"] and p.ids == {("DK-CVR", "20699310")}
    p = _prepare(org("x", ["x" * 201, "Danish Refugee Council"]))  # a description, then a name
    assert [k.key for k in p.keys] == ["danish refugee council"]


def test_a_name_of_two_letters_has_no_key():
    assert [k.key for k in _prepare(org("x", ["IB", "Baltic Amber"])).keys] == ["baltic amber"]
    assert _prepare(org("x", ["IB"])).keys == []


# ---------------------------------------------------------------------------- order of the scored pairs

def test_the_best_scored_pair_is_decided_first():
    # b and c hold two values of LV-RUR (two registered bodies): a joins one of them, then the other
    # clashes. a ~ c "...ri" ~ "...rita" 100 * 40 / 42 = 95.2 beats a ~ b 95.0; b ~ c scores 90.5, review
    recs = [org("a", [RI]), org("b", [RO], [("LV-RUR", "1")]), org("c", ["Green Garden Union Rita"], [("LV-RUR", "2")])]
    r = reconcile(recs)
    assert outcome(r) == ({B + "a": B + "c"}, [Merge(B + "a", B + "c", "name", 95.2,
                                                      "names 'green garden union ri' ~ 'green garden union rita', "
                                                      "score 95")], [])


def test_of_two_pairs_of_equal_score_the_first_by_record_decides():
    # a ~ b and a ~ c both 95 (one letter changed); b, c two registered bodies. By record a ~ b comes
    # first (its "why" would sort a ~ c first: 'ra' < 'ro'); then a ~ c and b ~ c clash and are dropped
    recs = [org("a", [RI]), org("b", [RO], [("LV-RUR", "1")]), org("c", ["Green Garden Union Ra"], [("LV-RUR", "2")])]
    expected = ({B + "a": B + "b"}, [Merge(B + "a", B + "b", "name", 95.0, WHY_RI_RO)], [])
    for order in permutations(recs):
        assert outcome(reconcile(list(order))) == expected


def test_a_pair_of_equal_score_is_ordered_by_its_lower_cluster_first():
    # a (no names) and d share LV-RUR-9: cluster 0 named RO, entered after b and c (its first record has
    # no name). c (RI) scores 95 with cluster 0 and with b ("...ti"); b ~ d 90 (two letters). Pair (0, 2)
    # comes before (1, 2): c joins cluster 0, and b (LV-RUR-1) then clashes with it
    recs = [org("a", [], [("LV-RUR", "9")]), org("b", ["Green Garden Union Ti"], [("LV-RUR", "1")]), org("c", [RI]),
            org("d", [RO], [("LV-RUR", "9")])]
    r = reconcile(recs)
    assert outcome(r) == ({B + "c": B + "a", B + "d": B + "a"},
                          [Merge(B + "a", B + "d", "identifier", 100.0, "same identifier LV-RUR-9"),
                           Merge(B + "a", B + "c", "name", 95.0, WHY_RI_RO)], [])


def test_pairs_of_equal_score_are_ordered_by_their_clusters_whatever_order_the_clusters_entered():
    # clusters 0 = {a, d} (RI) and 1 = {b, e} (RO) are entered after c (2, "...ti"): their first records have
    # no names. 0 ~ 1 and 0 ~ 2 score 95, 1 ~ 2 90: pair (0, 1) comes first, and c (LV-VID-2) then clashes
    # with b (LV-VID-1)
    recs = [org("a", [], [("LV-RUR", "9")]), org("b", [], [("LV-VID", "1")]),
            org("c", ["Green Garden Union Ti"], [("LV-VID", "2")]), org("d", [RI], [("LV-RUR", "9")]),
            org("e", [RO], [("LV-VID", "1")])]
    r = reconcile(recs)
    assert outcome(r) == ({B + "b": B + "a", B + "d": B + "a", B + "e": B + "a"},
                          [Merge(B + "a", B + "d", "identifier", 100.0, "same identifier LV-RUR-9"),
                           Merge(B + "b", B + "e", "identifier", 100.0, "same identifier LV-VID-1"),
                           Merge(B + "a", B + "b", "name", 95.0, WHY_RI_RO)], [])


def test_a_decided_pair_does_not_end_step_3():
    # c ~ d (96) is rejected and comes first; a ~ b (95) after it still merges
    recs = [org("a", [RI]), org("b", [RO]), org("c", ["Baltic Environmental Forum"]),
            org("d", ["Baltic Environment Forum"])]
    r = reconcile(recs, [(B + "c", B + "d", "reject")])
    assert outcome(r) == ({B + "b": B + "a"}, [Merge(B + "a", B + "b", "name", 95.0, WHY_RI_RO)], [])


def test_each_pair_of_a_block_of_four_is_compared():
    # one block ("garden", in all four): the first and the third merge; "garden kalncim" (14 letters) ~
    # "garden kalnscim" (15): one letter more, 100 * 28 / 29 = 96.6
    recs = [org("a", ["Garden Kalnciems"]), org("b", ["Garden Tukums"]), org("c", ["Garden Kalnsciems"]),
            org("d", ["Garden Valmiera"])]
    assert [name_key(n).skeleton for r in recs for n in r.names] == [
        "garden kalncim", "garden tukum", "garden kalnscim", "garden valmir"]
    r = reconcile(recs)
    why = "names 'garden kalnciems' ~ 'garden kalnsciems', score 97"
    assert outcome(r) == ({B + "c": B + "a"}, [Merge(B + "a", B + "c", "name", 96.6, why)], [])


# ---------------------------------------------------------------------------- countries and public bodies

def test_similar_names_in_two_countries_are_not_compared():
    assert outcome(reconcile([org("a", [RI], country="LV"), org("b", [RO], country="EE")])) == ({}, [], [])


def test_a_public_body_merges_by_a_similar_name_only_within_a_country_both_give():
    # "environment ministr of protection" (33) ~ "environmental ministr of protection" (35): 100 * 66 / 68 = 97.1
    why = "public body: names 'ministry of environment protection' ~ 'ministry of environmental protection', score 97"
    names = ["Ministry of Environment Protection", "Ministry of Environmental Protection"]
    both = reconcile([org("a", names[:1]), org("b", names[1:])])
    assert outcome(both) == ({B + "b": B + "a"}, [Merge(B + "a", B + "b", "name", 97.1, why)], [])
    one = reconcile([org("a", names[:1]), org("b", names[1:], country=None)])
    assert outcome(one) == ({}, [], [Candidate(B + "a", B + "b", 97.1, why + ": review")])


def test_two_words_swapped_in_one_country_go_to_review():
    r = reconcile([org("a", ["Redcross Societies"]), org("b", ["Societies Redcross"])])
    assert outcome(r) == ({}, [], [Candidate(B + "a", B + "b", 100.0, "unsure names 'redcross societies' ~ "
                                                                     "'societies redcross', score 100: review")])


# ---------------------------------------------------------------------------- decided pairs in steps 1 and 2

def test_an_accepted_pair_sharing_an_identifier_does_not_end_its_members():
    # a, b, c share LV-RUR-1; a ~ b is accepted. c (no names) then joins the best-named of a and b
    # (both score 0: the later, b)
    recs = [org("a", ["Baltic Amber"], [("LV-RUR", "1")]), org("b", ["Nordic Tulip"], [("LV-RUR", "1")]),
            org("c", [], [("LV-RUR", "1")])]
    r = reconcile(recs, [(B + "a", B + "b", "accept")])
    assert outcome(r) == ({B + "b": B + "a", B + "c": B + "a"},
                          [Merge(B + "a", B + "b", "curator", 100.0, "accepted by a curator (decisions.csv)"),
                           Merge(B + "b", B + "c", "identifier", 100.0, "same identifier LV-RUR-1")], [])


def test_a_rejected_pair_of_one_name_does_not_end_the_others():
    # a is rejected against b and c: b is kept as a representative, and c joins it
    recs = [org(x, ["Baltic Amber"]) for x in "abc"]
    r = reconcile(recs, [(B + "a", B + "b", "reject"), (B + "a", B + "c", "reject")])
    assert outcome(r) == ({B + "c": B + "b"},
                          [Merge(B + "b", B + "c", "name", 100.0, "same normalised name 'baltic amber'")], [])


# ---------------------------------------------------------------------------- the review queue

def test_of_two_pairs_of_two_clusters_the_best_scored_is_queued():
    # a1 ~ b share LV-VID-7 but their names score 34.5 ("names differ"); a2 ~ b share a ministry's name
    # without a country (100). a1 and a2 are one (LV-RUR-1, names 50): the pair of 100 is queued
    recs = [org("a1", ["Baltic Amber"], [("LV-RUR", "1"), ("LV-VID", "7")]),
            org("a2", ["Baltic Tulip", "Ministry of Health"], [("LV-RUR", "1")]),
            org("b", ["Ministry of Health"], [("LV-VID", "7")], country=None)]
    r = reconcile(recs)
    assert r.canonical == {B + "a2": B + "a1"}
    assert r.pending == [Candidate(B + "a1", B + "b", 100.0, HEALTH)]


def test_of_two_pairs_of_equal_score_the_first_by_its_second_record_is_queued():
    # a ~ b1 (health) and a ~ b2 (education), 100 each; b1 and b2 are one (LV-RUR-1). Both pairs
    # start at a: b1 < b2 decides (step 2 proposed education first: its skeleton sorts first)
    recs = [org("a", ["Ministry of Health", "Ministry of Education"]),
            org("b1", ["Ministry of Health"], [("LV-RUR", "1")], country=None),
            org("b2", ["Ministry of Education"], [("LV-RUR", "1")], country=None)]
    r = reconcile(recs)
    assert r.canonical == {B + "b2": B + "b1"}
    assert r.pending == [Candidate(B + "a", B + "b1", 100.0, HEALTH)]


def test_of_two_pairs_of_equal_score_the_first_by_its_first_record_is_queued():
    # a1 ~ b2 (health) and a2 ~ b1 (education), 100 each, between clusters {a1, a2} and {b1, b2}:
    # a1 < a2 decides, although b1 < b2
    recs = [org("a1", ["Ministry of Health"], [("LV-RUR", "1")]),
            org("a2", ["Ministry of Education"], [("LV-RUR", "1")]),
            org("b1", ["Ministry of Education"], [("LV-RUR", "2")], country=None),
            org("b2", ["Ministry of Health"], [("LV-RUR", "2")], country=None)]
    r = reconcile(recs)
    assert r.canonical == {B + "a2": B + "a1", B + "b2": B + "b1"}
    assert r.pending == [Candidate(B + "a1", B + "b1", 100.0, HEALTH)]


# ---------------------------------------------------------------------------- the twelve names of a cluster

def test_a_cluster_is_compared_on_its_first_twelve_names():
    # a has twelve names and b (accepted with a) a thirteenth, RI: c (RO) is not compared with it
    r = reconcile([org("a", FILLERS), org("b", [RI]), org("c", [RO])], [(B + "a", B + "b", "accept")])
    assert outcome(r) == ({B + "b": B + "a"},
                          [Merge(B + "a", B + "b", "curator", 100.0, "accepted by a curator (decisions.csv)")], [])


def test_a_name_two_records_of_a_cluster_share_counts_once_of_the_twelve():
    # a and b share six names (one cluster); b's seventh, RI, is the cluster's seventh name: c (RO) merges
    recs = [org("a", FILLERS[:6]), org("b", FILLERS[:6] + [RI]), org("c", [RO])]
    r = reconcile(recs)
    assert outcome(r) == ({B + "b": B + "a", B + "c": B + "a"},
                          [Merge(B + "a", B + "b", "name", 100.0, "same normalised name 'nordic forest union alfa'"),
                           Merge(B + "a", B + "c", "name", 95.0, WHY_RI_RO)], [])
