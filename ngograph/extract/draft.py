"""A draft of data/projects records from one page, and its evidence, as YAML or JSON.

:func:`draft` runs the steps (language, title, period, amounts, organisations and roles,
places, target groups, activities) and returns a :class:`Draft`: the records in the
``data/projects`` format (``projects:`` and, for organisations not in the graph,
``organisations:`` to move into ``data/organisations.yaml``) and, for every value, its evidence:
the span of the page's text it was read from and a confidence. :func:`to_yaml` writes the
evidence as a comment after each value; :func:`to_json` as an ``evidence`` list beside the draft.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ngograph.extract.amounts import amounts
from ngograph.extract.concepts import concept_gazetteer, concepts, places
from ngograph.extract.dates import best_period, date_mentions, periods
from ngograph.extract.gazetteer import Gazetteer
from ngograph.extract.language import detect
from ngograph.extract.organisations import OrgFound, organisations
from ngograph.extract.read import Page
from ngograph.extract.text import Found
from ngograph.reconcile.normalise import fold
from ngograph.textclip import shown_path

__all__ = ["Draft", "Knowledge", "draft", "title", "slug", "to_yaml", "to_json"]


@dataclass
class Knowledge:
    """What the drafting knows beforehand: organisations and places (gazetteers) and the SKOS
    concepts of ``data/concepts.yaml``."""

    organisations: Gazetteer
    places: Gazetteer
    concepts: dict = field(default_factory=dict)


@dataclass
class Draft:
    """The records drafted from a page (``records``), each value's evidence by its path
    (``evidence``: ``"projects/0/start"`` -> :class:`Found`), the page's text and language."""

    records: dict
    evidence: dict[str, Found]
    text: str
    name: str
    lang: str
    lang_confidence: float


def slug(text: str, words: int = 6) -> str:
    """An id from a name: folded words joined by hyphens.

    >>> slug("Fundacja Rozwoju Lokalnego „Razem”"), slug("Союз женщин")
    ('fundacja-rozwoju-lokalnego-razem', 'soyuz-zhenshchin')
    """
    return "-".join(fold(text).split()[:words]) or "project"


_QUOTED = r"[\"“„«]([^\"“”„«»\n]{8,200})[\"”“»]"


def title(text: str, lang: str) -> Found | None:
    """The project's title: a quoted name after the word "project" in the page's language,
    else the first line that reads like a title (three words or more, no bullet, no colon, not
    a date), without a date range or a site name after "|"."""
    stems = {"en": "project", "lv": "projekt", "lt": "projekt", "et": "projekt", "pl": "projekt", "ru": "проект",
             "no": "prosjekt"}
    stem = stems.get(lang, "project")
    m = re.search(rf"(?i)\b(?:{stem}\w*|project\w*)\W{{0,4}}\s*(?:\n\s*)*{_QUOTED}", text[:600])
    if m:
        return Found(m[1].strip(), m.start(1), m.end(1), 0.8)
    pos = 0
    for line in text.splitlines(keepends=True):
        raw = line.strip()
        start = pos + line.find(raw) if raw else pos
        pos += len(line)
        if len(raw) > 200:  # a paragraph: the title, if any, came before it
            break
        if not raw or raw[0] in "•-*–·" or raw.endswith(":"):
            continue
        cut = raw.split(" | ")[0]
        dates = date_mentions(cut, lang)
        if dates:
            cut = cut[:dates[0].start].rstrip(" –-—,")
        words = cut.split()
        if len(words) < 3 or len(set(w.lower() for w in words)) < len(words) / 2 or re.search(r"[.!?]$", cut):
            continue
        return Found(cut, start, start + len(cut), 0.5)
    return None


_COFUND = re.compile(r"(?i)co-?fund|co-?financ|līdzfinans|bendrai finans|kaasrahast|współfinans|dofinans|"
                     r"софинанс|delfinans|medfinans")


def _funder_role(grant: dict, budget: int | None, sentence_cofund: bool) -> str:
    if sentence_cofund or ("share" in grant and grant["share"] < 100) or \
            (budget and grant.get("amount") and grant["amount"] < budget):
        return "co-funder"
    return "funder"


_ITEM = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[•*·–-])[ \t]+.*$", re.M)


def _items(text: str, lang: str) -> list[tuple[int, int]]:
    """The lines of a list of projects (a funder's list of supported projects): bulleted or
    numbered lines each with a quoted title and a period or an amount, when there are two or more."""
    spans = [m.span() for m in _ITEM.finditer(text)
             if re.search(_QUOTED, m.group()) and (periods(m.group(), lang) or amounts(m.group(), lang))]
    return spans if len(spans) >= 2 else []


def _mask(text: str, spans: list[tuple[int, int]], keep: bool) -> str:
    """``text`` with the characters outside ``spans`` (``keep``) or inside them blanked, lines and offsets kept."""
    inside = bytearray(len(text))
    for s, e in spans:
        inside[s:e] = b"\x01" * (e - s)
    return "".join(ch if ch == "\n" or bool(inside[i]) == keep else " " for i, ch in enumerate(text))


def draft(page: Page, knowledge: Knowledge, lang: str | None = None) -> Draft:
    """Draft the records of ``page``: ``lang`` as given, else detected. A page that lists several
    projects (:func:`_items`) gives a project per item, each read from its own line, with the
    funders the page names outside the list."""
    text = page.text
    if lang:
        lang_conf = 1.0
    else:
        lang, lang_conf = detect(text)
    ev: dict[str, Found] = {}
    new: dict[str, OrgFound] = {}
    found_orgs: list[OrgFound] = []

    def org_id(o: OrgFound) -> str:
        if o.id:
            return o.id
        oid = slug(o.name)
        new.setdefault(oid, o)
        return oid

    items = _items(text, lang)
    if items:
        page_funders = [o for o in organisations(_mask(text, items, False), lang, knowledge.organisations,
                                                 knowledge.places) if o.role == "funder"]
        projects = []
        for i, span in enumerate(items):
            project, orgs = _project(_mask(text, [span], True), lang, knowledge, f"projects/{i}", ev, org_id,
                                     page_funders, default_id=f"project-{i + 1}", item=True)
            projects.append(project)
            found_orgs += orgs
    else:
        project, found_orgs = _project(text, lang, knowledge, "projects/0", ev, org_id, [],
                                       default_id=slug(Path(page.name).stem), item=False)
        projects = [project]
    records: dict = {"source": f"draft-{slug(Path(page.name).stem)}", "projects": projects}
    if new:
        records["organisations"] = []
        for i, (oid, o) in enumerate(sorted(new.items())):
            rec = {"id": oid, "name": {lang: o.name}}
            ev[f"organisations/{i}/name"] = o.found
            if o.country:
                rec["country"] = o.country
                if o.country_found:
                    ev[f"organisations/{i}/country"] = o.country_found
            records["organisations"].append(rec)
    # participants' countries (known and new), for the reviewer and the benchmark
    countries = {org_id(o): o.country for o in found_orgs if o.country and o.role != "administering-body"}
    if countries:
        records["countries"] = dict(sorted(countries.items()))
    return Draft(records, ev, text, page.name, lang, lang_conf)


def _project(text: str, lang: str, knowledge: Knowledge, path: str, ev: dict[str, Found], org_id,
             page_funders: list[OrgFound], default_id: str, item: bool) -> tuple[dict, list[OrgFound]]:
    """One project read from ``text`` (the page, or one ``item`` of a list with the rest blanked:
    its quoted title, its most confident period)."""
    project: dict = {}
    if item:
        m = re.search(_QUOTED, text)
        t = Found(m[1].strip(), m.start(1), m.end(1), 0.8) if m else None
    else:
        t = title(text, lang)
    project["id"] = slug(t.value) if t else default_id
    if t:
        project["name"] = {lang: t.value}
        ev[f"{path}/name"] = t
    period = max(periods(text, lang), key=lambda p: p.confidence, default=None) if item else best_period(text, lang)
    if period and item:  # the one period of an item of a list of projects
        period = Found(period.value, period.start, period.end, max(period.confidence, 0.6))
    if period:
        project["start"], project["end"] = period.value
        ev[f"{path}/start"] = ev[f"{path}/end"] = period
    money = amounts(text, lang)
    budget = next((a for a in money if a.extra["kind"] == "budget"), None)
    if budget:
        project["budget"] = {"amount": budget.value[0], "currency": budget.value[1]}
        ev[f"{path}/budget"] = budget
    found_places = places(text, lang, knowledge.places)
    if found_places:
        project["places"] = [p.value for p in found_places]
        for i, p in enumerate(found_places):
            ev[f"{path}/places/{i}"] = p
    orgs = organisations(text, lang, knowledge.organisations, knowledge.places)
    participants: dict[str, list] = {}
    for o in orgs:
        if o.role in ("funder", "administering-body"):
            continue
        lst = participants.setdefault(o.role, [])
        ev[f"{path}/participants/{o.role}/{len(lst)}"] = o.found
        lst.append(org_id(o))
    if participants:
        project["participants"] = {r: participants[r] for r in
                                   ("lead-partner", "implementer", "partner", "associated") if r in participants}
    grants = _grants(text, orgs + page_funders, money, budget, org_id, path, ev)
    if grants:
        project["grants"] = grants
    for key, scheme in (("audience", "target-group"), ("activities", "activity")):
        found = concepts(text, concept_gazetteer(knowledge.concepts, scheme, lang))
        if found:
            project[key] = [f.value for f in found]
            for i, f in enumerate(found):
                ev[f"{path}/{key}/{i}"] = f
    return project, orgs

def _grants(text: str, orgs: list[OrgFound], money: list[Found], budget: Found | None, org_id, path: str,
            ev: dict[str, Found]) -> list[dict]:
    """A grant per funder, with the first grant amount and share after it (near it when there are
    several funders), each amount given to one funder only."""
    grants: list[dict] = []
    funders = [o for o in orgs if o.role == "funder"]
    free = [a for a in money if a.extra["kind"] in ("grant", "share")]
    for o in funders:
        after = [a for a in free if a.start > o.found.start] or free
        near = [a for a in after if a.start - o.found.end < 200 or len(funders) == 1]
        amount = next((a for a in near if a.extra["kind"] == "grant"), None)
        share = next((a for a in near if a.extra["kind"] == "share"), None)
        g: dict = {"funder": org_id(o), "role": "funder"}
        if amount:
            g["amount"], g["currency"] = amount.value
        if share:
            g["share"] = share.value[0]
        cofund = bool(_COFUND.search(text, max(0, o.found.start - 80), o.found.end + 80))
        g["role"] = _funder_role(g, budget.value[0] if budget else None, cofund)
        i = len(grants)
        ev[f"{path}/grants/{i}"] = Found(g["funder"], o.found.start, o.found.end, o.found.confidence)
        for key, a in (("amount", amount), ("share", share)):
            if a:
                ev[f"{path}/grants/{i}/{key}"] = a
                free.remove(a)
        grants.append(g)
    return grants


# ---------------------------------------------------------------------------------------------- writers

def _scalar(v) -> str:
    if isinstance(v, str) and re.fullmatch(r"\d{4}(?:-\d\d){0,2}", v):
        return v
    return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, width=10**6).strip().removesuffix("\n...").strip()


def _flow(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _comment(d: Draft, path: str) -> str:
    f = d.evidence.get(path)
    if not f:
        return ""
    return f"  # {f.confidence:.2f} [{f.start}-{f.end}] {json.dumps(f.quote(d.text), ensure_ascii=False)}"


_FLOW_KEYS = {"name", "budget"}


def _emit(d: Draft, obj, indent: int, path: str, lines: list[str]) -> None:
    pad = " " * indent
    for k, v in obj.items():
        p = f"{path}/{k}" if path else k
        if isinstance(v, dict) and k not in _FLOW_KEYS:
            lines.append(f"{pad}{k}:")
            _emit(d, v, indent + 2, p, lines)
        elif isinstance(v, list):
            lines.append(f"{pad}{k}:")
            for i, item in enumerate(v):
                if isinstance(item, dict) and k in ("projects", "organisations"):
                    sub: list[str] = []
                    _emit(d, item, indent + 4, f"{p}/{i}", sub)
                    sub[0] = f"{pad}  - " + sub[0].lstrip()
                    lines += sub
                else:
                    extra = "".join(_comment(d, f"{p}/{i}/{x}").replace("  # ", "; ", 1)
                                    for x in ("amount", "share") if isinstance(item, dict))
                    lines.append(f"{pad}  - {_flow(item)}{_comment(d, f'{p}/{i}')}{extra}")
        else:
            lines.append(f"{pad}{k}: {_flow(v)}{_comment(d, p)}")


def to_yaml(d: Draft) -> str:
    """The draft as YAML in the ``data/projects`` format, each value's evidence as a comment; the
    participants' countries as read (``countries``, a review aid) are a comment too."""
    lines = [f"# Draft by ngograph extract from {shown_path(Path(d.name).name)} (language {d.lang}, {d.lang_confidence:.2f}): "
             "review every value before moving it into data/.",
             "# After each value: its confidence, [start-end] character offsets in the page's text "
             "(ngograph extract --text) and the text it was read from.",
             "# organisations: not found in the graph, proposed as new records for data/organisations.yaml."]
    records = {k: v for k, v in d.records.items() if k != "countries"}
    _emit(d, records, 0, "", lines)
    if d.records.get("countries"):
        lines.append("# countries as read: " + ", ".join(f"{k} {v}" for k, v in d.records["countries"].items()))
    return "\n".join(lines) + "\n"


def to_json(d: Draft) -> str:
    """The draft as JSON: ``{"language", "draft", "evidence": [{"path", "value", "start", "end", "text",
    "confidence"}]}``."""
    evidence = [{"path": p, "value": list(f.value) if isinstance(f.value, tuple) else f.value, "start": f.start,
                 "end": f.end, "text": f.quote(d.text, 400), "confidence": f.confidence}
                for p, f in sorted(d.evidence.items())]
    return json.dumps({"language": d.lang, "language_confidence": d.lang_confidence, "draft": d.records,
                       "evidence": evidence}, ensure_ascii=False, indent=1) + "\n"
