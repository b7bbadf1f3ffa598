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

from ngograph.reconcile.normalise import NameKey, fold, is_generic, name_key, needs_country, split_names

__all__ = ["AUTO", "REVIEW", "ACRONYM", "CONFLICT", "OrgRecord", "Merge", "Candidate", "Result",
           "registry_id", "canonical_rank", "reconcile"]

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
#: A name shorter than this (letters) never merges by a similar name without review ("arch" ~ "arc").
_SHORT = 8
#: A name shorter than this (letters) is not matched at all ("IB", "WB").
_SHORT_EXACT = 3
#: A name longer than this is a description, not a name.
_LONGEST = 200
#: Names of one cluster compared at most.
_MOST_KEYS = 12

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
    >>> registry_id("dk-cvr", " 20699310 "), registry_id("GB-COH", "02394229")
    (('DK-CVR', '20699310'), ('GB-COH', '2394229'))
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
    if value.isdigit():  # one number, with or without leading zeros (GB-COH 02394229 and 2394229)
        value = value.lstrip("0")
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


def canonical_rank(r: OrgRecord, registered: bool | None = None) -> tuple[bool, bool, str]:
    """The order in which the records of a cluster are its canonical node, the first: the curated
    node, then a node with a registry identifier (``registered``, found from the identifiers when
    None), then by IRI.

    >>> sorted([OrgRecord("b", "iati", [], [("DK-CVR", "20699310")]), OrgRecord("a", "iati"),
    ...         OrgRecord("c", "curated")], key=canonical_rank)[0].iri
    'c'
    """
    if registered is None:
        registered = any(registry_id(scheme, value) for scheme, value in r.identifiers)
    return (r.source != "curated", not registered, r.iri)


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
    """The keys of a record's names (descriptions, kinds of body and placeholders left out) and its
    registry identifiers. A record with more than two names (an IATI ref collects every name any
    publisher wrote with it, right or wrong) keeps its first name and those like another of its
    names, not an odd one out: one wrong name ("Germany" on the GIZ's ref) must not pull every
    record of that name into it."""
    keys = {}
    labels = {fold(f"{s}-{v}") for s, v in r.identifiers if s} | {fold(v) for s, v in r.identifiers}
    for name in r.names:
        if len(name) > _LONGEST or fold(name) in labels:  # a description, or an identifier shown as a label
            continue
        for variant in split_names(name):
            k = name_key(variant, r.country)
            if len(k.key.replace(" ", "")) >= _SHORT_EXACT and not is_generic(fold(variant)) \
                    and k.skeleton not in keys:
                keys[k.skeleton] = k
    found = list(keys.values())
    if len(found) > 2:  # the display label, and every name like another of the record's names
        found = [found[0]] + [k for k in found[1:]
                              if any(_score([k], [o])[0] >= CONFLICT for o in found if o is not k)]
    ids = {i for scheme, value in r.identifiers if (i := registry_id(scheme, value))}
    return _Prepared(found[:_MOST_KEYS], ids)


def _score(a: list[NameKey], b: list[NameKey]) -> tuple[float, str]:
    """The best name score of two lists of keys and what it came from. Two names that name
    different countries ("government of mali", "government of malta"), or different numbers, score nothing."""
    best, why = 0.0, ""
    for ka in a:
        for kb in b:
            if (ka.places and kb.places and not ka.places & kb.places) or \
                    (ka.numbers and kb.numbers and ka.numbers != kb.numbers):
                continue
            if ka.skeleton == kb.skeleton:
                s = 100.0
            elif ka.skeleton.replace(" ", "") == kb.skeleton.replace(" ", ""):
                s = 99.0  # words written together or apart: "wave train", "wavetrain"
            else:
                s = fuzz.token_sort_ratio(ka.skeleton, kb.skeleton, score_cutoff=max(best, 1.0))
            if s > best:
                best, why = s, f"names {ka.key!r} ~ {kb.key!r}"
                unsure = (min(len(ka.skeleton), len(kb.skeleton)) < _SHORT or ka.places != kb.places
                          or (min(ka.skeleton.count(" "), kb.skeleton.count(" ")) < 2  # two words swapped
                              and fuzz.ratio(ka.skeleton, kb.skeleton) < 75))
                public = ka.public or kb.public
            if best < ACRONYM and ((len(kb.key) <= 10 and " " not in kb.key and kb.key in ka.acronyms)
                                   or (len(ka.key) <= 10 and " " not in ka.key and ka.key in kb.acronyms)):
                best, why = ACRONYM, f"acronym {ka.key!r} ~ {kb.key!r}"
    if why.startswith("names") and unsure:  # short, swapped, or one names a country the other does not
        why = f"unsure {why}"
    elif why.startswith("names") and public:  # a ministry, a government... of no country given
        why = f"public body: {why}"
    return best, why


def _places_of(keys: list[NameKey]) -> frozenset[str]:
    return frozenset().union(*(k.places for k in keys))


def _key_of(p: _Prepared, skeleton: str) -> str:
    return next(k.key for k in p.keys if k.skeleton == skeleton)


def _same_name(skeleton: str, a: _Prepared, b: _Prepared, ra: OrgRecord, rb: OrgRecord) -> str:
    """What two records sharing the name ``skeleton`` get: "join", "skip" (a public body of no
    given country on both sides: nothing to tell a curator), or why they go to review."""
    if _acronym_only(skeleton, a, b):
        return f"same short name {skeleton!r} only: review"
    if _places_of(a.keys) != _places_of(b.keys):
        return f"same name {skeleton!r}, other names name other countries: review"
    if not (ra.country and rb.country) and needs_country(_key_of(b, skeleton)):
        return "skip" if not (ra.country or rb.country) else \
            f"same name {skeleton!r}, a public body of no given country: review"
    return "join"


def _acronym_only(skeleton: str, a: _Prepared, b: _Prepared) -> bool:
    """Whether the one name two records share is a short word ("sintef", "toi") while one of them
    has longer names too: a group's acronym that its members share, or a coincidence."""
    return (" " not in skeleton and len(skeleton) <= 6
            and any(any(" " in k.skeleton for k in p.keys) for p in (a, b)))


def _compatible(a: set, b: set) -> bool:
    """Countries of two clusters: compatible unless both are known and have none in common."""
    return not (a and b and not a & b)


def _blocks(keys: dict[int, list[NameKey]]) -> Iterable[list[int]]:
    """Lists of cluster ids to compare: one per rare word and acronym of their keys."""
    freq = Counter(w for ks in keys.values() for w in {w for k in ks for w in k.skeleton.split()})
    blocks: dict[str, list[int]] = defaultdict(list)
    for c, ks in keys.items():
        mine = set()
        for k in ks:
            words = sorted((w for w in set(k.skeleton.split()) if len(w) >= 3), key=lambda w: (freq[w], w))
            mine.update("w" + w for w in words[:2])
            mine.update("#" + a for a in k.acronyms)
            if " " not in k.key:
                mine.add("#" + k.key)
        for b in mine:
            blocks[b].append(c)
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
    records = sorted(records, key=lambda r: r.iri)  # the outcome must not depend on the order given
    prepared = [_prepare(r) for r in records]
    index = {r.iri: i for i, r in enumerate(records)}
    clusters = _Clusters([p.ids for p in prepared])
    rejected: dict[int, set[int]] = defaultdict(set)
    decided = set()
    merges: list[Merge] = []
    pending: dict[tuple[int, int], Candidate] = {}

    def kept_apart(a: int, b: int) -> bool:
        ra, rb = clusters.find(a), clusters.find(b)
        return any({clusters.find(x), clusters.find(y)} == {ra, rb} for x, ys in rejected.items() for y in ys)

    def join(a: int, b: int, reason: str, score: float, why: str) -> bool:
        if clusters.find(a) == clusters.find(b):
            return True
        if (rejected and kept_apart(a, b)) or (reason == "name" and clusters.registry_clash(a, b)):
            return False
        clusters.union(a, b)
        x, y = sorted((records[a].iri, records[b].iri))
        merges.append(Merge(x, y, reason, round(score, 1), why))
        return True

    def propose(a: int, b: int, score: float, why: str) -> None:
        pending.setdefault((a, b), Candidate(records[a].iri, records[b].iri, round(score, 1), why))

    decisions = [(index[a], index[b], d) for a, b, d in decisions if a in index and b in index]
    for a, b, d in decisions:
        decided.add(frozenset((a, b)))
        if d == "reject":
            rejected[a].add(b)
            rejected[b].add(a)
    for a, b, d in decisions:
        if d == "accept":
            join(a, b, "curator", 100.0, "accepted by a curator (decisions.csv)")

    # 1. identifiers: each record joins the best-named record before it with the same identifier
    by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for ident in p.ids:
            by_id[ident].append(i)
    for (scheme, value), members in sorted(by_id.items()):
        for n, other in enumerate(members[1:], 1):
            scored = [(_score(prepared[m].keys, prepared[other].keys)[0], m) for m in members[:n]
                      if frozenset((m, other)) not in decided]
            if not scored:
                continue
            score, first = max(scored)
            no_names = not prepared[first].keys or not prepared[other].keys
            if not _compatible({records[first].country} - {None}, {records[other].country} - {None}):
                propose(first, other, score, f"identifier {scheme}-{value} shared, countries differ")
            elif no_names or score >= CONFLICT:
                join(first, other, "identifier", 100.0, f"same identifier {scheme}-{value}")
            else:
                propose(first, other, score, f"identifier {scheme}-{value} shared, names differ")

    # 2. the same normalised name in one country (or none given) is one organisation
    exact: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for k in p.keys:
            exact[k.skeleton].append(i)
    for skel, members in sorted(exact.items()):
        if len(members) < 2:
            continue
        by_country: dict[str | None, list[int]] = defaultdict(list)
        for i in members:
            by_country[records[i].country].append(i)
        known = [c for c in by_country if c is not None]
        if None in by_country and len(known) == 1:  # no country given: the one country there is
            by_country[known[0]] += by_country.pop(None)
        for group in by_country.values():
            reps: list[int] = []  # each member joins the first it may join; the rest are put to a curator once
            for other in group:
                for rep in reps:
                    if frozenset((rep, other)) in decided:
                        continue
                    what = _same_name(skel, prepared[rep], prepared[other], records[rep], records[other])
                    if what == "join":
                        join(rep, other, "name", 100.0, f"same normalised name {_key_of(prepared[other], skel)!r}")
                        break
                else:
                    if reps and frozenset((reps[0], other)) not in decided:
                        what = _same_name(skel, prepared[reps[0]], prepared[other], records[reps[0]], records[other])
                        if what != "skip":
                            propose(reps[0], other, 100.0, what)
                    reps.append(other)

    # 3. similar names: clusters compared within blocks, best score first
    keys: dict[int, list[NameKey]] = defaultdict(list)
    countries: dict[int, set] = defaultdict(set)
    seen: dict[int, set] = defaultdict(set)
    for i, p in enumerate(prepared):
        root = clusters.find(i)
        if records[i].country:
            countries[root].add(records[i].country)
        for k in p.keys:
            if k.skeleton not in seen[root] and len(keys[root]) < _MOST_KEYS:
                seen[root].add(k.skeleton)
                keys[root].append(k)
    scored: dict[tuple[int, int], tuple[float, str]] = {}
    for members in _blocks(keys):
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                pair = (a, b) if a < b else (b, a)
                if pair not in scored and _compatible(countries[a], countries[b]):
                    scored[pair] = _score(keys[a], keys[b])
    for (a, b), (score, why) in sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if score < review or frozenset((a, b)) in decided or clusters.find(a) == clusters.find(b):
            continue
        if {k.skeleton for k in keys[a]} & {k.skeleton for k in keys[b]}:
            continue  # one name in common: decided with the same names above
        if clusters.registry_clash(a, b):
            continue  # two registered bodies: never one by name
        sure = (score >= auto and (why.startswith("names") or (why.startswith("public") and countries[a] & countries[b]))
                and _places_of(keys[a]) == _places_of(keys[b]))  # not an acronym, a short name, a country more
        if not (sure and join(a, b, "name", score, f"{why}, score {score:.0f}")):
            propose(a, b, score, f"{why}, score {score:.0f}: review")

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[clusters.find(i)].append(i)
    canonical, best = {}, {}
    for root, members in groups.items():
        best[root] = min(members, key=lambda i: canonical_rank(records[i], bool(prepared[i].ids)))
        canonical.update((records[i].iri, records[best[root]].iri) for i in members if i != best[root])
    queue: dict[frozenset, Candidate] = {}  # the best pair of each two clusters, between their canonical nodes
    for (a, b), c in sorted(pending.items(), key=lambda kv: (-kv[1].score, kv[1].a, kv[1].b)):
        ra, rb = clusters.find(a), clusters.find(b)
        if ra != rb and frozenset((ra, rb)) not in queue:
            x, y = sorted((records[best[ra]].iri, records[best[rb]].iri))
            queue[frozenset((ra, rb))] = Candidate(x, y, c.score, c.why)
    return Result(canonical, merges, sorted(queue.values(), key=lambda c: (-c.score, c.a, c.b)))
