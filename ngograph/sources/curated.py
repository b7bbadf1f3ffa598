"""The curated YAML of ``data/`` as common records: the one source that is not imported.

:func:`ngograph.records.check.load_records` reads and checks the YAML (every value normalised,
every reference resolved); :func:`curated_records` maps its records onto
:mod:`ngograph.records.types`, so that :class:`ngograph.rdf.emit.Emitter` writes the curated
graph as it writes every imported one. Keys are the curated ids under their type
(``("project", id)``); a participation is keyed by project, role and organisation
(``("participation", project, role, organisation)``), a grant by project and funder. Each
record keeps its ``file:line`` (a :class:`~ngograph.errors.Location`) and the source documents
it was curated from.

Names: ``name:`` gives the official name in each language (``skos:prefLabel`` and
``schema:name``), ``translated_name:`` our translations (``schema:name`` tagged
``en-t-{original}``, never a label), ``alt_name:`` acronyms and other names (``skos:altLabel``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ngograph.records.check import Records
from ngograph.records.types import (Code, Concept, CountryGroup, Event, FundingScheme, Grant, Identifier, Money,
                                    Organisation, Participation, Place, Programme, Project, Record, Result, Source,
                                    Text)

__all__ = ["curated_records"]


def _texts(names) -> list[Text]:
    return [Text(text, lang) for lang, text in (names or {}).items()]


def _names(rec) -> dict:
    """``names``, ``labels`` and ``alt_names`` of a record with ``name``, ``translated_name``, ``alt_name``."""
    labels = _texts(rec.get("name"))
    original = labels[0].lang if labels else "und"
    translated = [Text(text, f"{lang}-t-{original}") for lang, text in (rec.get("translated_name") or {}).items()]
    alt = [Text(text, lang) for lang, texts in (rec.get("alt_name") or {}).items() for text in texts]
    return {"names": labels + translated, "labels": labels, "alt_names": alt}


def _date(rec, key: str) -> str | None:
    return rec[key].text if rec.get(key) is not None else None


def _sources(rec) -> list:
    return [("source", s) for s in (rec["sources"] if "sources" in rec else [rec["_source"]])]


def _visited(rec) -> list:
    return [("organisation", o) for o in rec.get("visited", [])] + \
           [Code("body-type", c) for c in rec.get("visited_types", [])]


def curated_records(records: Records) -> Iterator[Record]:
    """The common records of the checked curated data, in a deterministic order."""
    for scheme, concepts in records.concepts.items():
        scheme_labels = _texts(records.scheme_labels.get(scheme))
        for cid, labels in concepts.items():
            yield Concept(Code(scheme, cid), records.concepts_loc.get((scheme, cid)), _texts(labels), scheme_labels,
                          audience=scheme == "target-group")
    for rec in records.sources.values():
        yield Source(("source", rec["id"]), rec.loc, rec["file"], rec["language"], _texts(rec.get("title")),
                     ("organisation", rec["publisher"]) if "publisher" in rec else None)
    for rec in records.organisations.values():
        yield Organisation(("organisation", rec["id"]), rec.loc, **_names(rec), country=rec.get("country"),
                           types={rec["type"]}, url=rec.get("website"),
                           part_of=("organisation", rec["part_of"]) if "part_of" in rec else None,
                           member_of=[("organisation", o) for o in rec.get("member_of", [])],
                           linked_to=[("organisation", o) for o in rec.get("linked_to", [])],
                           seat=("place", rec["location"]) if "location" in rec else None, sources=_sources(rec))
    for rec in records.funding_schemes.values():
        yield FundingScheme(("funding-scheme", rec["id"]), rec.loc, **_names(rec),
                            part_of=("funding-scheme", rec["part_of"]) if "part_of" in rec else None,
                            operator=("organisation", rec["operator"]) if "operator" in rec else None,
                            administered_by=[("organisation", o) for o in rec.get("administered_by", [])],
                            sources=_sources(rec))
    for rec in records.places.values():
        names = _names(rec)
        yield Place(("place", rec["id"]), rec.loc, rec["type"], rec["country"], names["names"], names["labels"],
                    ("place", rec["within"]) if "within" in rec else None, _sources(rec))
    for rec in records.country_groups.values():
        yield CountryGroup(Code("country-group", rec["id"]), rec.loc, _texts(rec["name"]), list(rec["countries"]))
    for rec in records.programmes.values():
        yield Programme(("programme", rec["id"]), rec.loc, **_names(rec), start=_date(rec, "start"),
                        end=_date(rec, "end"), sources=_sources(rec))
    for rec in records.projects.values():
        yield from _project(rec)
    for rec in records.events.values():
        names = _names(rec)
        yield Event(("event", rec["id"]), rec.loc, Code("event-type", rec["type"]),
                    [("project", p) for p in rec["of"]], names["names"], names["labels"],
                    ("place", rec["place"]) if "place" in rec else None, _date(rec, "start"), _date(rec, "end"),
                    bool(rec.get("online")), rec.get("status"), _date(rec, "inferred_start"),
                    Code("inference-basis", rec["inference"]) if "inference" in rec else None,
                    _visited(rec), _sources(rec))
    for rec in records.results.values():
        planned = bool(rec.get("planned"))
        yield Result(("result", rec["id"]), rec.loc, Code("result-type", rec["type"]),
                     Code("achievement-status", rec.get("status", "planned" if planned else "achieved")), planned,
                     [("project", p) for p in rec["of"]], _texts(rec.get("description")), rec.get("value"),
                     rec.get("min"), ([("place", rec["place"])] if "place" in rec else []) + list(rec.get("countries", [])),
                     [Code("target-group", c) for c in rec.get("audience", [])], _sources(rec))


def _project(rec) -> Iterator[Record]:
    pid, sources = rec["id"], _sources(rec)
    key = ("project", pid)
    budget = rec.get("budget")
    yield Project(key, rec.loc, **_names(rec),
                  identifiers=[Identifier("", rec["identifier"])] if "identifier" in rec else [],
                  start=_date(rec, "start"), end=_date(rec, "end"),
                  budgets=[Money(budget["amount"], budget["currency"], location=rec.where("budget"))] if budget else [],
                  part_of=("programme", rec["part_of"]) if "part_of" in rec else None,
                  places=[("place", p) for p in rec.get("places", [])] + list(rec.get("countries", [])),
                  audiences=[Code("target-group", c) for c in rec.get("audience", [])],
                  subjects=[Code("theme", c) for c in rec.get("subjects", [])],
                  activities=[Code("activity", c) for c in rec.get("activities", [])],
                  visited=_visited(rec), sources=sources)
    for role, orgs in rec.get("participants", {}).items():
        for i, org in enumerate(orgs):
            yield Participation(("participation", pid, role, org), orgs.where(i), key, ("organisation", org), role,
                                sources=sources)
    for grant in rec.get("grants", []):
        funder = grant["funder"]
        amount = Money(grant["amount"], grant.get("currency"), location=grant.where("amount")) \
            if "amount" in grant else None
        yield Grant(("grant", pid, funder), grant.loc, ("organisation", funder), key, amount=amount,
                    share=grant.get("share"),
                    scheme=("funding-scheme", grant["scheme"]) if "scheme" in grant else None, sources=sources)
        yield Participation(("participation", pid, grant["role"], funder), grant.loc, key, ("organisation", funder),
                            grant["role"], sources=sources)
