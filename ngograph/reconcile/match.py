"""Which organisation records are one organisation: identifiers first, then names within countries.

1. **Identifiers.** Two records with the same registry identifier in the same scheme
   (:func:`registry_id`) are one organisation, unless their countries differ or their names
   have nothing in common: such a *conflict* goes to the review queue, not into a merge. DAC
   channel categories (``21000``), placeholders (``N/A``) and malformed values never merge.
2. **Names.** Each name's :func:`~ngograph.reconcile.normalise.name_key` is put in blocks (its
   whole skeleton, its two rarest words, its acronyms), so that only records sharing a block
   are compared: the cost grows with the records, not their square. A pair is scored with
   rapidfuzz's ``token_sort_ratio`` (0-100) on the skeletons, best pair of names; records in
   two different countries are never compared. At :data:`AUTO` or more the two merge; from
   :data:`REVIEW` they go to the review queue; an acronym against its expansion scores
   :data:`ACRONYM` (review). A merge by name never joins two clusters holding different
   values of one registry scheme (two registered bodies: a national society and its branch).
3. **Decisions** of a curator come first: ``accept`` merges, ``reject`` keeps apart whatever
   the scores say.

Clusters are built with a union-find; each merge that joined two clusters is kept with its
reason (``identifier``, ``name``, ``curator``), score and a sentence saying why.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ngograph.reconcile.normalise import NameKey, name_key, split_names

__all__ = ["AUTO", "REVIEW", "ACRONYM", "CONFLICT", "OrgRecord", "Merge", "Candidate", "Result",
           "registry_id", "reconcile"]

#: Name score (0-100) at which two records merge without review.
AUTO = 95.0
#: Name score from which a pair goes to the review queue.
REVIEW = 85.0
#: The score of an acronym against a name whose initials or bracketed acronym it is.
ACRONYM = 88.0
#: Records sharing an identifier whose best name score is under this are a conflict, not a merge.
CONFLICT = 50.0
#: A block with more records than this is not compared pairwise (a word too common to tell apart).
_MAX_BLOCK = 400
#: A key shorter than this (letters) never merges without review: "red cross", "unicef" are too short to be sure.
_SHORT = 8

_VALID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]{0,39}")
_PLACEHOLDER = re.compile(r"n/?a|none|null|dummy.*|unknown|tbc|tbd|0+|x+|-+", re.I)
_SCHEME = re.compile(r"[A-Z]{2}-[A-Z0-9]{2,}")
_DAC_CHANNEL = re.compile(r"[1-6]\d{4}")
#: Schemes of our own that identify records, not organisations.
_NOT_REGISTRIES = {"IATI-ACTIVITY", "CORDIS-PROJECT", "CORDIS-RCN", "360G-GRANT"}


def registry_id(scheme: str | None, value: str) -> tuple[str, str] | None:
    """``(SCHEME, value)`` when ``value`` is a registry number of ``scheme``, else None. A
    bare DAC channel code of one organisation (``21016``) is ``XM-DAC``; a channel *category*
    (``21000``), a placeholder, a value with spaces or a pasted label is nothing.

    >>> registry_id("XM-DAC", "21016"), registry_id(None, "21016"), registry_id(None, "21000")
    (('XM-DAC', '21016'), ('XM-DAC', '21016'), None)
    >>> registry_id("DK-CVR", "DK-CVR | Danish Central Busine"), registry_id("GB-CHC", "N/A")
    (None, None)
    >>> registry_id("dk-cvr", " 20699310 ")
    ('DK-CVR', '20699310')
    """
    value = value.strip()
    if scheme is None or scheme.upper() == "XM-DAC":
        if _DAC_CHANNEL.fullmatch(value):
            return None if value.endswith("000") else ("XM-DAC", value)
        if scheme is None:
            return None
    scheme = scheme.upper()
    if scheme in _NOT_REGISTRIES or not _SCHEME.fullmatch(scheme):
        return None
    if value.upper().startswith(scheme + "-"):
        value = value[len(scheme) + 1:]
    if not _VALID_VALUE.fullmatch(value) or _PLACEHOLDER.fullmatch(value) or not any(c.isdigit() for c in value):
        return None
    return (scheme, value.upper())


@dataclass
class OrgRecord:
    """An organisation node as the store has it: its IRI, the source (dataset name, or
    ``curated``), its names as written, identifiers ``(scheme or None, value)`` and country."""

    iri: str
    source: str
    names: list[str] = field(default_factory=list)
    identifiers: list[tuple[str | None, str]] = field(default_factory=list)
    country: str | None = None


@dataclass(frozen=True)
class Merge:
    """Two nodes found to be one organisation: ``reason`` is identifier, name or curator."""

    a: str
    b: str
    reason: str
    score: float
    why: str


@dataclass(frozen=True)
class Candidate:
    """A pair for a curator: ``why`` says what was found (a score band, an identifier conflict)."""

    a: str
    b: str
    score: float
    why: str


@dataclass
class Result:
    """``canonical``: every merged node -> its cluster's canonical node (canonical nodes
    themselves and unmerged nodes are not in it); ``merges`` the joins made, ``pending`` the
    review queue, best score first."""

    canonical: dict[str, str]
    merges: list[Merge]
    pending: list[Candidate]

    def clusters(self) -> dict[str, list[str]]:
        """``{canonical: [its merged nodes, sorted]}``."""
        out = defaultdict(list)
        for node, canon in self.canonical.items():
            out[canon].append(node)
        return {c: sorted(m) for c, m in sorted(out.items())}


class _Clusters:
    """Union-find over record indexes, with each cluster's registry values per scheme."""

    def __init__(self, ids: list[set[tuple[str, str]]]):
        self.parent = list(range(len(ids)))
        self.ids = [defaultdict(set) for _ in ids]
        for i, found in enumerate(ids):
            for scheme, value in found:
                self.ids[i][scheme].add(value)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def registry_clash(self, a: int, b: int) -> bool:
        ia, ib = self.ids[self.find(a)], self.ids[self.find(b)]
        return any(ia[s] and ib[s] and not ia[s] & ib[s] for s in ia.keys() & ib.keys())

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        for scheme, values in self.ids[rb].items():
            self.ids[ra][scheme] |= values


@dataclass
class _Prepared:
    keys: list[NameKey]
    ids: set[tuple[str, str]]


def _prepare(r: OrgRecord) -> _Prepared:
    keys = {}
    for name in r.names:
        for variant in split_names(name):
            k = name_key(variant, r.country)
            if k.skeleton and k.skeleton not in keys:
                keys[k.skeleton] = k
    ids = {i for scheme, value in r.identifiers if (i := registry_id(scheme, value))}
    return _Prepared(list(keys.values()), ids)


def _score(a: _Prepared, b: _Prepared) -> tuple[float, str]:
    """The best name score of two records and what it came from."""
    best, why = 0.0, ""
    for ka in a.keys:
        for kb in b.keys:
            s = 100.0 if ka.skeleton == kb.skeleton else fuzz.token_sort_ratio(ka.skeleton, kb.skeleton)
            if s > best:
                best, why = s, f"names {ka.key!r} ~ {kb.key!r}"
            if best < ACRONYM and ((len(kb.key) <= 10 and " " not in kb.key and kb.key in ka.acronyms)
                                   or (len(ka.key) <= 10 and " " not in ka.key and ka.key in kb.acronyms)):
                best, why = ACRONYM, f"acronym {ka.key!r} ~ {kb.key!r}"
    return best, why


def _compatible(a: OrgRecord, b: OrgRecord) -> bool:
    return not (a.country and b.country and a.country != b.country)


def _short(p: _Prepared) -> bool:
    return max((len(k.skeleton.replace(" ", "")) for k in p.keys), default=0) < _SHORT


def _blocks(prepared: list[_Prepared]) -> Iterable[list[int]]:
    """Lists of record indexes to compare: one per whole skeleton, rare word and acronym."""
    freq = Counter(w for p in prepared for k in p.keys for w in set(k.skeleton.split()))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        mine = set()
        for k in p.keys:
            mine.add("=" + k.skeleton)
            words = sorted((w for w in set(k.skeleton.split()) if len(w) >= 3), key=lambda w: (freq[w], w))
            mine.update("w" + w for w in words[:2])
            mine.update("#" + a for a in k.acronyms)
            if " " not in k.key:
                mine.add("#" + k.key)
        for b in mine:
            blocks[b].append(i)
    return (members for members in blocks.values() if 1 < len(members) <= _MAX_BLOCK)


def reconcile(records: list[OrgRecord], decisions: Iterable[tuple[str, str, str]] = (), *,
              auto: float = AUTO, review: float = REVIEW) -> Result:
    """Reconcile ``records``; ``decisions`` are ``(iri, iri, "accept" | "reject")``.

    >>> recs = [OrgRecord("a", "iati", ["Danish Refugee Council"], [("DK-CVR", "20699310")], "DK"),
    ...         OrgRecord("b", "iati", ["DANSK FLYGTNINGEHJAELP"], [], "DK"),
    ...         OrgRecord("c", "iati", ["Danish Refugee Council/Dansk Flygtningehjälp"], [(None, "21000")]),
    ...         OrgRecord("d", "iati", ["Danish Red Cross"], [("DK-CVR", "20700211")], "DK")]
    >>> r = reconcile(recs)
    >>> r.clusters(), [(m.a, m.b, m.reason) for m in r.merges]
    ({'a': ['b', 'c']}, [('a', 'c', 'name'), ('b', 'c', 'name')])
    """
    prepared = [_prepare(r) for r in records]
    index = {r.iri: i for i, r in enumerate(records)}
    clusters = _Clusters([p.ids for p in prepared])
    rejected: dict[int, set[int]] = defaultdict(set)
    decided = set()
    merges: list[Merge] = []
    pending: dict[tuple[int, int], Candidate] = {}

    def kept_apart(a: int, b: int) -> bool:
        ra, rb = clusters.find(a), clusters.find(b)
        for x, ys in rejected.items():
            for y in ys:
                if {clusters.find(x), clusters.find(y)} == {ra, rb}:
                    return True
        return False

    def join(a: int, b: int, reason: str, score: float, why: str) -> bool:
        if clusters.find(a) == clusters.find(b):
            return True
        if rejected and kept_apart(a, b):
            return False
        clusters.union(a, b)
        x, y = sorted((records[a].iri, records[b].iri))
        merges.append(Merge(x, y, reason, round(score, 1), why))
        return True

    decisions = [(index[a], index[b], d) for a, b, d in decisions if a in index and b in index]
    for a, b, d in decisions:
        decided.add(frozenset((a, b)))
        if d == "reject":
            rejected[a].add(b)
            rejected[b].add(a)
    for a, b, d in decisions:
        if d == "accept":
            join(a, b, "curator", 100.0, "accepted by a curator (decisions.csv)")

    by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for ident in p.ids:
            by_id[ident].append(i)
    for (scheme, value), members in sorted(by_id.items()):
        first = members[0]
        for other in members[1:]:
            if frozenset((first, other)) in decided:
                continue
            score, _ = _score(prepared[first], prepared[other])
            no_names = not prepared[first].keys or not prepared[other].keys
            if not _compatible(records[first], records[other]):
                pending[(first, other)] = Candidate(records[first].iri, records[other].iri, score,
                                                    f"identifier {scheme}-{value} shared, countries differ")
            elif no_names or score >= CONFLICT:
                join(first, other, "identifier", 100.0, f"same identifier {scheme}-{value}")
            else:
                pending[(first, other)] = Candidate(records[first].iri, records[other].iri, score,
                                                    f"identifier {scheme}-{value} shared, names differ")

    scored: dict[tuple[int, int], tuple[float, str]] = {}
    for members in _blocks(prepared):
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                pair = (a, b) if a < b else (b, a)
                if pair in scored or not _compatible(records[a], records[b]):
                    continue
                scored[pair] = _score(prepared[a], prepared[b])
    for (a, b), (score, why) in sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if score < review or frozenset((a, b)) in decided:
            continue
        sure = score >= auto and not (_short(prepared[a]) or _short(prepared[b])) and why.startswith("names")
        if clusters.find(a) == clusters.find(b):
            continue
        if clusters.registry_clash(a, b):
            continue  # two registered bodies: never one by name
        if sure:
            join(a, b, "name", score, f"{why}, score {score:.0f}")
        else:
            pending.setdefault((a, b), Candidate(records[a].iri, records[b].iri, round(score, 1),
                                                 f"{why}, score {score:.0f}: review"))

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[clusters.find(i)].append(i)
    canonical = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        best = min(members, key=lambda i: (records[i].source != "curated", not prepared[i].ids, records[i].iri))
        canonical.update((records[i].iri, records[best].iri) for i in members if i != best)
    queue: dict[frozenset, Candidate] = {}  # the best pair of each two clusters
    for (a, b), c in sorted(pending.items(), key=lambda kv: (-kv[1].score, kv[1].a, kv[1].b)):
        if clusters.find(a) != clusters.find(b):
            queue.setdefault(frozenset((clusters.find(a), clusters.find(b))), c)
    queue = sorted(queue.values(), key=lambda c: (-c.score, c.a, c.b))
    return Result(canonical, merges, list(queue))
