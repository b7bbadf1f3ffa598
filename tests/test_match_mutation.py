"""Reconciliation (ngograph/reconcile/match.py, decisions.py): what the whole-module mutation
run of issue 14 (mut-core3) found loose. Everything is built in the test; nothing is read at
import time."""

from __future__ import annotations

from ngograph.reconcile.decisions import pending_csv, read_decisions
from ngograph.reconcile.match import (_MAX_BLOCK, Candidate, OrgRecord, _acronym_only, _blocks, _Clusters, _prepare,
                                      reconcile)
from ngograph.reconcile.normalise import name_key

B = "https://e.org/"


def test_pending_csv_bytes_exactly():
    recs = {r.iri: r for r in [
        OrgRecord(B + "organisation/a", "iati", ["A"], [("DK-CVR", "1"), (None, "21016")], None),
        OrgRecord(B + "organisation/b", "cordis", ["B"], [("GB-CHC", "2"), ("GB-COH", "3")], "GB"),
    ]}
    data = pending_csv([Candidate(B + "organisation/a", B + "organisation/b", 90.0, "names 'a' ~ 'b'")], recs, B)
    assert data == (b"left,right,decision,score,why,left_name,right_name,left_source,right_source,"
                    b"left_identifiers,right_identifiers,left_country,right_country\n"
                    b"organisation/a,organisation/b,,90.0,names 'a' ~ 'b',A,B,iati,cordis,DK-CVR-1 21016,"
                    b"GB-CHC-2 GB-COH-3,,GB\n")


def test_registry_clash_only_between_different_values():
    c = _Clusters([{("A", "1")}, {("A", "1")}, {("A", "1"), ("B", "2")}, {("B", "3")}])
    assert [c.registry_clash(0, i) for i in (1, 2, 3)] == [False, False, False]
    assert c.registry_clash(2, 3) is True


def test_a_long_one_word_name_shared_is_not_an_acronym():
    long_name = name_key("Greenpeace").skeleton
    assert " " not in long_name and len(long_name) > 6
    a = _prepare(OrgRecord("a", "iati", ["Greenpeace", "Greenpeace Nordic Office"], [], "DK"))
    b = _prepare(OrgRecord("b", "iati", ["Greenpeace"], [], "DK"))
    assert _acronym_only(long_name, a, b) is False
    r = reconcile([OrgRecord(B + "a", "iati", ["Greenpeace", "Greenpeace Nordic Office"], [], "DK"),
                   OrgRecord(B + "b", "iati", ["Greenpeace"], [], "DK")])
    assert r.canonical == {B + "b": B + "a"} and r.pending == []


def test_acronym_only_bounds():
    group = _prepare(OrgRecord("a", "iati", ["SINTEF", "SINTEF Ocean Research"], [], "NO"))
    member = _prepare(OrgRecord("b", "iati", ["SINTEF"], [], "NO"))
    other = _prepare(OrgRecord("c", "iati", ["SINTEF"], [], "NO"))
    short = name_key("SINTEF").skeleton
    assert short == "sintef"
    assert _acronym_only(short, group, member) is True  # six letters, one side has longer names
    assert _acronym_only(short, member, other) is False  # neither has a longer name
    assert _acronym_only("abcdefg", group, member) is False  # seven letters: a name, not an acronym
    assert _acronym_only("ab cd", group, member) is False  # two words


def test_read_decisions_keeps_a_quoted_value_as_written(tmp_path):
    # csv reads the line ends itself (newline=""): a carriage return inside quotes is not turned into "\n"
    p = tmp_path / "decisions.csv"
    p.write_bytes(b'left,right,decision\r\n"organisation/a\rb",organisation/c,accept\r\n')
    assert read_decisions(p, B) == [(B + "organisation/a\rb", B + "organisation/c", "accept")]


def test_union_keeps_the_values_of_both_clusters():
    c = _Clusters([{("A", "1")}, {("A", "2"), ("B", "3")}, {("A", "1")}])
    c.union(1, 0)
    assert c.find(1) == 0 and {s: sorted(v) for s, v in c.ids[0].items()} == {"A": ["1", "2"], "B": ["3"]}
    assert c.registry_clash(0, 2) is False  # the merged cluster still holds A-1


def test_blocks_by_hand():
    names = {0: "Baltic Environmental Forum (BEF)", 1: "Baltic Sea Forum", 2: "Sea Fox Forum", 3: "Bef",
             4: "Oak Fox Sea Union"}
    keys = {c: [name_key(n)] for c, n in names.items()}
    assert [k.skeleton for ks in keys.values() for k in ks] == [
        "baltic environmental forum", "baltic sea forum", "sea foks forum", "bef", "oak foks sea union"]
    # words in how many clusters: forum 3, sea 3, baltic 2, foks 2, the others 1; each cluster's block words
    # are its two rarest of three letters or more (ties alphabetical): 0 environmental baltic, 1 baltic forum,
    # 2 foks forum, 3 bef, 4 oak union; plus its acronyms (0: bef) and a one-word key (3: bef)
    assert sorted(sorted(b) for b in _blocks(keys)) == [[0, 1], [0, 3], [1, 2]]


def test_blocks_up_to_the_largest():
    keys = {c: [name_key("Forum")] for c in range(_MAX_BLOCK + 1)}  # blocks "forum" the word and the key
    assert [len(b) for b in _blocks(keys)] == []  # too large to compare
    keys.pop(0)
    assert [len(b) for b in _blocks(keys)] == [_MAX_BLOCK, _MAX_BLOCK]


def test_a_similar_name_kept_apart_by_a_rejection_goes_to_review():
    # b was rejected against a2, which joins a by the same name: a ~ b scores 96 but is put to a curator
    recs = [OrgRecord(B + "a", "iati", ["Baltic Environmental Forum"], [], "LV"),
            OrgRecord(B + "a2", "cordis", ["Baltic Environmental Forum"], [], "LV"),
            OrgRecord(B + "b", "iati", ["Baltic Environment Forum"], [], "LV")]
    r = reconcile(recs, [(B + "a2", B + "b", "reject")])
    assert r.canonical == {B + "a2": B + "a"}
    assert r.pending == [Candidate(B + "a", B + "b", 96.0, "names 'baltic environmental forum' ~ 'baltic environment "
                                                           "forum', score 96: review")]


def test_a_merge_by_a_similar_name_keeps_its_score_to_one_decimal():
    r = reconcile([OrgRecord(B + "a", "iati", ["Baltic Environmental Forum Latvia"], [], "LV"),
                   OrgRecord(B + "b", "iati", ["Baltic Environment Forum Latvia"], [], "LV")])
    [merge] = r.merges
    assert (merge.a, merge.b, merge.reason, merge.score) == (B + "a", B + "b", "name", 96.7)
    assert merge.why == "names 'baltic environmental forum latvia' ~ 'baltic environment forum latvia', score 97"
