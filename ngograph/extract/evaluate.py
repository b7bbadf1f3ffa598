"""Scoring drafts against curated records: precision, recall and F1 per field.

Both sides are records in the data/projects format (a draft, or a curated file with the
organisations of ``data/organisations.yaml``). Each is reduced to sets of facts per field:

- ``organisations``: ``(organisation, role, country)`` of every participant;
- ``funders``: every grant's funder;
- ``amounts``: ``(amount, currency)`` of budgets and grants, ``(share, "%")`` of shares;
- ``periods``: ``(start, end)`` of every project;
- ``places``: every project's places.

An organisation is its curated id when it has one, else the skeleton of its name's key
(:func:`ngograph.reconcile.normalise.name_key`), so that a new organisation proposed under
another id, or written in another case, still counts when its name is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from ngograph.reconcile.normalise import fold, name_key

__all__ = ["FIELDS", "Score", "facts", "score"]

FIELDS = ("organisations", "funders", "amounts", "periods", "places")


def _org_key(oid: str, own: dict, curated: dict) -> str:
    if oid in curated:
        return oid
    rec = own.get(oid)
    if rec:
        name = next(iter((rec.get("name") or {}).values()), oid)
        key = name_key(str(name))
        return "~" + (key.skeleton or fold(str(name)))
    return oid


def facts(records: dict, curated: dict[str, dict]) -> dict[str, set]:
    """The facts of ``records`` per field; ``curated``: the curated organisations by id."""
    own = {o["id"]: o for o in records.get("organisations") or []}
    countries = dict(records.get("countries") or {})
    out: dict[str, set] = {f: set() for f in FIELDS}

    def country(oid):
        if oid in countries:
            return countries[oid]
        if oid in own:
            return own[oid].get("country")
        return (curated.get(oid) or {}).get("country")

    for p in records.get("projects") or []:
        for role, ids in (p.get("participants") or {}).items():
            for oid in ids:
                out["organisations"].add((_org_key(oid, own, curated), role, country(oid)))
        for g in p.get("grants") or []:
            out["funders"].add(_org_key(g["funder"], own, curated))
            if "amount" in g:
                out["amounts"].add((float(g["amount"]), g.get("currency")))
            if "share" in g:
                out["amounts"].add((float(g["share"]), "%"))
        if p.get("budget"):
            out["amounts"].add((float(p["budget"]["amount"]), p["budget"].get("currency")))
        if p.get("start") or p.get("end"):
            out["periods"].add((str(p.get("start") or ""), str(p.get("end") or "")))
        out["places"].update(p.get("places") or [])
    return out


@dataclass
class Score:
    """Counts of one field: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set, found: set) -> None:
        self.tp += len(expected & found)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs, curated: dict[str, dict]) -> dict[str, Score]:
    """Micro-averaged :class:`Score` per field over ``(expected records, draft records)`` pairs.

    >>> e = {"projects": [{"start": "2019-01", "end": "2019-12", "participants": {"partner": ["a"]}}]}
    >>> d = {"projects": [{"start": "2019-01", "end": "2019-12", "participants": {"partner": ["a", "b"]}}]}
    >>> s = score([(e, d)], {"a": {"country": "LV"}, "b": {}})
    >>> s["periods"].recall, s["organisations"].precision, s["organisations"].recall
    (1.0, 0.5, 1.0)
    """
    out = {f: Score() for f in FIELDS}
    for expected, found in pairs:
        fe, ff = facts(expected, curated), facts(found, curated)
        for f in FIELDS:
            out[f].add(fe[f], ff[f])
    return out
