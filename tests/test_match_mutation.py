"""Reconciliation (ngograph/reconcile/match.py, decisions.py): what the whole-module mutation
run of issue 14 (mut-core3) found loose. Everything is built in the test; nothing is read at
import time."""

from __future__ import annotations

from ngograph.reconcile.decisions import pending_csv
from ngograph.reconcile.match import Candidate, OrgRecord

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
