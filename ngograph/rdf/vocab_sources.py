"""The source schemes the IATI codelists do not cover, as SKOS vocabularies: generated, never typed by hand.

The CORDIS, Forskningsrådet and Interreg importers write codes of their own (``Code("cordis-programme",
"H2020-EU.3.4.")``); this module gives those concepts their labels, as :mod:`ngograph.rdf.codelists` does
for IATI. Each scheme (:data:`SOURCE_SCHEMES`) is generated from tables under
``data/reference/source-vocab/`` (``SOURCE.tsv`` there names the upstream file, commit and git blob
of each table, its licence and the function below that extracted it):

- ``cordis-programme``: the H2020 programme parts as the Research Council of Norway's table of H2020
  grants names them (its "Program kode" is the CORDIS legal basis without ``H2020-``; the table's
  three levels give ``skos:broader``), and the Horizon Europe and Euratom legal bases with their titles
  from the CORDIS Horizon Europe ``legalBasis`` table (``skos:broader`` the code one level up, where
  the table has it);
- ``cordis-status``: the project statuses the CORDIS and Forskningsrådet files write (``SIGNED``,
  ``CLOSED``, ``TERMINATED``), labelled with the word the source writes, as written: CORDIS publishes no
  other label or definition for them;
- ``interreg-organisation-type``: the partner types of the Interreg file, which writes its English
  label as the code: the label is the code;
- ``interreg-policy-objective`` and ``interreg-specific-objective``: the policy objectives of
  Regulation (EU) 2021/1060 Art. 5(1) (PO1-PO5), the Interreg-specific objectives of Regulation (EU)
  2021/1059 Art. 14(4)-(5) (ISO1, ISO2, and ``ISO`` as the Interreg file writes the two together), the
  ERDF specific objectives of Regulation (EU) 2021/1058 Art. 3(1) (RSO1.1-RSO5.2) and the ISO1/ISO2
  actions (ISO6.1-ISO7.4), in the words and with the codes of Jems, the monitoring system the Interreg
  programmes export from; each concept cites its article (``skos:note``) and its regulation
  (``rdfs:isDefinedBy``, the ELI). The Interreg file's own Swedish names come from its dashboard, not
  from the regulation, and one is wrong (RSO4.4), so no Swedish label is given.

Codes the data writes that no such table has (Interreg ``PO6``, ``RSO6.1``, ``RSO6.4``) get no label:
nothing authoritative says what they mean. Mappings onto our themes (:data:`THEME_MATCHES`) are stated
only where the objective is plainly narrower than the theme (docs/sources.md gives the reasons).

Regenerate with ``ngograph refdata``; a test fails while a committed file differs. The extraction
functions (``extract_*``) rebuild the reference tables from the upstream files:
``python -m ngograph.rdf.vocab_sources NAME PATH...`` writes one table to stdout.

>>> spec = scheme_spec("interreg-specific-objective")
>>> spec.broader_scheme, spec.files
('interreg-policy-objective', ('interreg-specific-objectives.tsv',))
>>> article("RSO2.7"), article("ISO6.6"), article("PO5")
('Regulation (EU) 2021/1058, Article 3(1)(b)(vii)', 'Regulation (EU) 2021/1059, Article 14(4)(f)', 'Regulation (EU) 2021/1060, Article 5(1)(e)')
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree
from rdflib import Graph, Literal, URIRef

from ngograph.errors import DataError
from ngograph.fsutil import atomic_write_bytes, read_tsv
from ngograph.rdf.codelists import concept_path
from ngograph.rdf.namespaces import DCTERMS, PROV, RDF, RDFS, SKOS, VOCAB
from ngograph.rdf.serialize import serialize
from ngograph.sources.cordis import read_cordis
from ngograph.sources.cordis_records import cordis_records
from ngograph.sources.forskningsradet import read_forskningsradet
from ngograph.sources.forskningsradet_records import forskningsradet_records
from ngograph.sources.interreg import read_interreg
from ngograph.sources.interreg_records import interreg_records

__all__ = ["SourceScheme", "SOURCE_SCHEMES", "THEME_MATCHES", "REFERENCE_DIR", "scheme_spec", "article",
           "read_table", "scheme_graph", "scheme_turtle", "write_source_schemes", "extract_h2020_programmes",
           "extract_legal_basis", "extract_written_codes", "extract_interreg_objectives"]

#: Where the reference tables are, under the data folder.
REFERENCE_DIR = Path("reference") / "source-vocab"

_CORDIS_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
_H2020 = "https://data.europa.eu/data/datasets/cordish2020projects"
_HORIZON = "https://data.europa.eu/data/datasets/cordis-eu-research-projects-under-horizon-europe-2021-2027"
_ELI = {"2021/1058": "http://data.europa.eu/eli/reg/2021/1058/oj",
        "2021/1059": "http://data.europa.eu/eli/reg/2021/1059/oj",
        "2021/1060": "http://data.europa.eu/eli/reg/2021/1060/oj"}


@dataclass(frozen=True)
class SourceScheme:
    """One source scheme: its slug (the importers' ``Code.scheme``), label, reference tables,
    where it comes from and under which licence.

    ``broader_scheme``: the scheme of the codes in the tables' ``broader`` column (this one when None).
    """

    scheme: str
    label: str
    files: tuple[str, ...]
    description: str
    sources: tuple[str, ...]
    licence: str | None = None
    broader_scheme: str | None = None


#: The schemes generated here (the hand-written ones, cordis-role, cordis-activity-type,
#: interreg-partner-role and forskningsradet-role, stay as they are).
SOURCE_SCHEMES = (
    SourceScheme("cordis-programme", "CORDIS programme parts (legal basis)",
                 ("cordis-h2020-programmes.tsv", "cordis-horizon-legal-basis.tsv"),
                 "The programme part of an EU framework programme that a project is funded under, as CORDIS writes "
                 "it in the legalBasis column (H2020-EU.3.4., HORIZON.2.5, EURATOM2027). H2020 titles as the "
                 "Research Council of Norway's table of H2020 grants gives them; Horizon Europe and Euratom titles "
                 "from the CORDIS Horizon Europe legalBasis table.",
                 (_H2020, _HORIZON, "https://github.com/Forskningsradet/open-data"), _CORDIS_LICENCE),
    SourceScheme("cordis-status", "CORDIS project statuses", ("cordis-status.tsv",),
                 "The status of a project as the CORDIS project tables and the Research Council of Norway's table "
                 "of H2020 grants write it; labelled with the word the source writes (CORDIS publishes no other "
                 "label or definition).",
                 (_H2020, _HORIZON, "https://github.com/Forskningsradet/open-data"), _CORDIS_LICENCE),
    SourceScheme("interreg-organisation-type", "Interreg partner types", ("interreg-organisation-types.tsv",),
                 "The type of a partner organisation as the Interreg Sweden partner file writes it "
                 "(organisationstyp); the file writes the English name as the code.",
                 ("https://github.com/bjoottG/interregbarometern",)),
    SourceScheme("interreg-policy-objective", "Cohesion policy objectives 2021-2027 (Interreg)",
                 ("interreg-policy-objectives.tsv",),
                 "The policy objectives of Regulation (EU) 2021/1060 Article 5(1) and the Interreg-specific "
                 "objectives of Regulation (EU) 2021/1059 Article 14(4)-(5), with the codes the Interreg "
                 "programmes' monitoring system (Jems) and the Interreg Sweden file write.",
                 (_ELI["2021/1060"], _ELI["2021/1059"]), "https://eur-lex.europa.eu/content/legal-notice/legal-notice.html"),
    SourceScheme("interreg-specific-objective", "Specific objectives 2021-2027 (ERDF and Interreg)",
                 ("interreg-specific-objectives.tsv",),
                 "The ERDF specific objectives of Regulation (EU) 2021/1058 Article 3(1) and the actions under "
                 "the Interreg-specific objectives of Regulation (EU) 2021/1059 Article 14(4)-(5), with the codes "
                 "of Jems (RSO1.1, ISO6.6), each under its policy objective.",
                 (_ELI["2021/1058"], _ELI["2021/1059"]), "https://eur-lex.europa.eu/content/legal-notice/legal-notice.html",
                 "interreg-policy-objective"),
)

#: Source concepts that are plainly narrower than one of our themes (data/concepts.yaml):
#: (scheme, code) -> theme. Nothing else is mapped (docs/sources.md).
THEME_MATCHES = {
    ("interreg-specific-objective", "RSO4.2"): "education",
    ("interreg-specific-objective", "RSO4.3"): "social-inclusion",
    ("interreg-specific-objective", "RSO4.4"): "social-inclusion",
    ("interreg-specific-objective", "ISO6.1"): "institutional-strengthening",
    ("interreg-specific-objective", "ISO6.4"): "institutional-strengthening",
}

_COLUMNS = ("code", "label", "alt_label", "broader", "note", "defined_by")


def scheme_spec(scheme: str) -> SourceScheme:
    """The :class:`SourceScheme` of a slug."""
    return next(s for s in SOURCE_SCHEMES if s.scheme == scheme)


def _concept(scheme: str, code: str) -> URIRef:
    return URIRef(f"{VOCAB}{concept_path(scheme, code)}")


def read_table(path: Path) -> list[dict[str, str]]:
    """A reference table: one row per code, columns ``code``, ``label`` and optionally
    ``alt_label``, ``broader``, ``note``, ``defined_by``; codes unique, every label given."""
    rows = read_tsv(path)
    seen = set()
    for n, row in enumerate(rows, 2):
        if not row.get("code") or not row.get("label") or row["code"] in seen:
            raise DataError([(None, f"{path.name} row {n}: empty or repeated code, or no label")])
        seen.add(row["code"])
    return rows


def scheme_graph(spec: SourceScheme, rows: list[dict[str, str]], broader_codes: set[str] | None = None,
                 derived_from: Iterable[str] = ()) -> Graph:
    """The concept scheme of ``rows``. ``broader_codes``: the codes of the broader scheme, to check
    that every ``broader`` names one (this scheme's own codes when None); ``derived_from``: the
    upstream files (``prov:wasDerivedFrom``)."""
    g = Graph(bind_namespaces="none")
    scheme = VOCAB[spec.scheme]
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(spec.label, lang="en")))
    g.add((scheme, DCTERMS.description, Literal(spec.description, lang="en")))
    for source in spec.sources:
        g.add((scheme, DCTERMS.source, URIRef(source)))
    if spec.licence:
        g.add((scheme, DCTERMS.license, URIRef(spec.licence)))
    for url in derived_from:
        g.add((scheme, PROV.wasDerivedFrom, URIRef(url)))
    codes = {row["code"] for row in rows}
    targets = codes if broader_codes is None else broader_codes
    parent_scheme = spec.broader_scheme or spec.scheme
    for row in rows:
        c = _concept(spec.scheme, row["code"])
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.notation, Literal(row["code"])))
        g.add((c, SKOS.prefLabel, Literal(row["label"], lang="en")))
        if row.get("alt_label"):
            g.add((c, SKOS.altLabel, Literal(row["alt_label"], lang="en")))
        if row.get("note"):
            g.add((c, SKOS.note, Literal(row["note"], lang="en")))
        if row.get("defined_by"):
            g.add((c, RDFS.isDefinedBy, URIRef(row["defined_by"])))
        if row.get("broader"):
            if row["broader"] not in targets:
                raise DataError([(None, f"{spec.scheme}: code {row['code']!r} has broader {row['broader']!r}, "
                                        f"which {parent_scheme} does not define")])
            g.add((c, SKOS.broader, _concept(parent_scheme, row["broader"])))
        if not row.get("broader") or spec.broader_scheme:
            g.add((c, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, c))
        theme = THEME_MATCHES.get((spec.scheme, row["code"]))
        if theme:
            g.add((c, SKOS.broadMatch, VOCAB[f"theme/{theme}"]))
    return g


def _rows(spec: SourceScheme, folder: Path) -> list[dict[str, str]]:
    rows = [row for name in spec.files for row in read_table(folder / name)]
    if len({row["code"] for row in rows}) != len(rows):
        raise DataError([(None, f"{spec.scheme}: a code is in more than one of {', '.join(spec.files)}")])
    return rows


def _header(spec: SourceScheme, rows: list, sources: dict[str, list[dict[str, str]]]) -> str:
    lines = [f"GENERATED by `ngograph refdata` (ngograph/rdf/vocab_sources.py) from "
             f"{', '.join(f'data/{REFERENCE_DIR.as_posix()}/{n}' for n in spec.files)}: do not edit by hand.",
             f"{spec.label}: {len(rows)} codes."]
    for name in spec.files:
        for src in sources.get(name, []):
            lines.append(f"{name}: {src['path']} of github.com/{src['repository']} at {src['commit'][:12]}; "
                         f"licence: {src['licence']}.")
    return "".join(f"# {line}\n" for line in lines)


def scheme_turtle(spec: SourceScheme, folder: Path) -> bytes:
    """The bytes of ``data/vocab/{scheme}.ttl`` from the reference tables in ``folder``."""
    folder = Path(folder)
    rows = _rows(spec, folder)
    broader = {r["code"] for r in _rows(scheme_spec(spec.broader_scheme), folder)} if spec.broader_scheme else None
    sources: dict[str, list[dict[str, str]]] = {}
    for row in read_tsv(folder / "SOURCE.tsv"):
        sources.setdefault(row["file"], []).append(row)
    prefixes = {spec.scheme: f"{VOCAB}{spec.scheme}/"}
    if spec.broader_scheme:
        prefixes[spec.broader_scheme] = f"{VOCAB}{spec.broader_scheme}/"
    if any((spec.scheme, r["code"]) in THEME_MATCHES for r in rows):
        prefixes["theme"] = f"{VOCAB}theme/"
    derived = [f"https://github.com/{src['repository']}/blob/{src['commit']}/{src['path']}"
               for name in spec.files for src in sources.get(name, [])]
    return serialize(scheme_graph(spec, rows, broader, derived), "turtle", _header(spec, rows, sources), prefixes)


def write_source_schemes(data: Path) -> list[Path]:
    """Regenerate ``data/vocab/{scheme}.ttl`` for :data:`SOURCE_SCHEMES`; return the paths."""
    folder = Path(data) / REFERENCE_DIR
    return [atomic_write_bytes(Path(data) / "vocab" / f"{spec.scheme}.ttl", scheme_turtle(spec, folder))
            for spec in SOURCE_SCHEMES]


# ---------------------------------------------------------------------------- extraction

def _table(rows: Iterable[dict[str, str]]) -> str:
    """Rows as a TSV table, sorted by code: code, label and the other columns that any row fills.

    >>> _table([{"code": "B", "label": "b"}, {"code": "A", "label": "a", "broader": "B"}])
    'code\\tlabel\\tbroader\\nA\\ta\\tB\\nB\\tb\\t\\n'
    """
    rows = sorted(rows, key=lambda r: r["code"])
    cols = ["code", "label", *(c for c in _COLUMNS[2:] if any(r.get(c) for r in rows))]
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, "") for c in cols])
    return out.getvalue()


def _add(table: dict[str, dict[str, str]], row: dict[str, str], where: str) -> None:
    old = table.setdefault(row["code"], row)
    if old != row:
        raise DataError([(None, f"{where}: code {row['code']!r} is {old} and {row}")])


_H2020_LEVELS = (("Programområde kode (H2020)", "Programområde (H2020)", None),
                 ("Program kode (H2020)", "Program (H2020)", "Programkortnavn (H2020)"),
                 ("Programnivå 1 kode (H2020)", "Programnivå 1 (H2020)", "Programnivå 1 kortnavn (H2020)"))


def extract_h2020_programmes(path: Path) -> str:
    """The H2020 programme parts of the Research Council of Norway's ``dataset.csv``: each level's
    code (``EU.3.4.`` written ``H2020-EU.3.4.``, as CORDIS and the importer write it), title, short
    name, and the level above as broader."""
    table: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for n, rec in enumerate(csv.DictReader(fh, delimiter=";"), 2):
            parent = ""
            for code_col, title_col, short_col in _H2020_LEVELS:
                code = rec[code_col].strip()
                if not code:
                    break
                row = {"code": f"H2020-{code}", "label": rec[title_col].strip(), "broader": parent,
                       "alt_label": rec[short_col].strip() if short_col else ""}
                _add(table, row, f"{Path(path).name} row {n}")
                parent = row["code"]
    return _table(table.values())


_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_rows(path: Path) -> list[list[str]]:
    """The cells of the first sheet of an .xlsx file, as text (no formulas, no styles)."""
    with zipfile.ZipFile(path) as z:
        strings = ["".join(t.text or "" for t in si.iter(f"{_SHEET}t"))
                   for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_SHEET}si")]
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{_SHEET}row"):
        cells = {}
        for c in row.iter(f"{_SHEET}c"):
            v = c.find(f"{_SHEET}v")
            text = (strings[int(v.text)] if c.get("t") == "s" else v.text) if v is not None else ""
            cells[re.sub(r"\d", "", c.get("r"))] = text or ""
        rows.append([cells.get(col, "") for col in sorted(cells, key=lambda k: (len(k), k))])
    return rows


def extract_legal_basis(path: Path) -> str:
    """The legal bases and titles of the CORDIS Horizon Europe ``legalBasis`` table (.csv or
    .xlsx: projectID, legalBasis, title, uniqueProgrammePart); broader: the code one level up
    (``HORIZON.2.5.1`` -> ``HORIZON.2.5``) where the table has it."""
    if Path(path).suffix == ".xlsx":
        header, *rows = _xlsx_rows(path)
        records = [dict(zip(header, r)) for r in rows]
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            records = list(csv.DictReader(fh))
    table: dict[str, dict[str, str]] = {}
    for n, rec in enumerate(records, 2):
        _add(table, {"code": rec["legalBasis"].strip(), "label": rec["title"].strip()}, f"{Path(path).name} row {n}")
    for row in table.values():
        up = row["code"].rpartition(".")[0]
        row["broader"] = up if up in table else ""
    return _table(table.values())


def extract_written_codes(scheme: str, records: Iterable) -> str:
    """The codes of ``scheme`` in importer records, each labelled with itself (a source that
    writes its word as the code)."""
    found: set[str] = set()

    def walk(x):
        if getattr(x, "scheme", None) == scheme and hasattr(x, "code"):
            found.add(x.code)
        elif hasattr(x, "__dataclass_fields__"):
            for name in x.__dataclass_fields__:
                walk(getattr(x, name))
        elif isinstance(x, (list, tuple, set)) and not hasattr(x, "_fields"):
            for y in x:
                walk(y)

    for rec in records:
        walk(rec)
    return _table({"code": c, "label": c} for c in found)


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")


#: How many specific objectives Regulation (EU) 2021/1058 Art. 3(1) lists under each policy objective.
_RSO_COUNT = {1: 5, 2: 8, 3: 2, 4: 6, 5: 2}


def article(code: str) -> str:
    """The article of the regulation that defines a Jems objective code (KeyError for a code no
    regulation defines, such as ``PO6`` or ``RSO6.1``)."""
    letter = "abcde"
    if (m := re.fullmatch(r"PO([1-5])", code)):
        return f"Regulation (EU) 2021/1060, Article 5(1)({letter[int(m[1]) - 1]})"
    if (m := re.fullmatch(r"RSO([1-5])\.([1-9])", code)) and int(m[2]) <= _RSO_COUNT[int(m[1])]:
        return f"Regulation (EU) 2021/1058, Article 3(1)({letter[int(m[1]) - 1]})({_ROMAN[int(m[2]) - 1]})"
    if (m := re.fullmatch(r"ISO6\.([1-6])", code)):
        return f"Regulation (EU) 2021/1059, Article 14(4)({'abcdef'[int(m[1]) - 1]})"
    if code == "ISO1":
        return "Regulation (EU) 2021/1059, Article 14(4)"
    if code == "ISO2" or re.fullmatch(r"ISO7\.[1-4]", code):
        return "Regulation (EU) 2021/1059, Article 14(5)"
    if code == "ISO":
        return "Regulation (EU) 2021/1059, Article 14(4) and (5)"
    raise KeyError(code)


def _eli(code: str) -> str:
    return _ELI[re.search(r"20\d\d/\d+", article(code))[0]]


#: Jems objective keys -> the codes the Interreg file writes (ISO: the two Interreg-specific
#: objectives together, as Jems's ISO12).
_JEMS_OBJECTIVES = {"PO1": "PO1", "PO2": "PO2", "PO3": "PO3", "PO4": "PO4", "PO5": "PO5", "ISO1": "ISO1",
                    "ISO2": "ISO2", "ISO12": "ISO"}


def extract_interreg_objectives(policy_kt: Path, properties: Path) -> tuple[str, str]:
    """The policy and specific objective tables from Jems's ``ProgrammeObjectivePolicy.kt`` (enum
    name, policy objective, code) and ``System_en.properties`` (the English wording of each). The
    PEACE PLUS objectives (``ISO4.x``) are one programme's own, not the regulation's: left out.
    ISO6.x are under ISO1, ISO7.x under ISO2 (Jems puts both under its ISO12)."""
    text = Path(properties).read_text(encoding="utf-8")
    words = dict(re.findall(r"^programme\.(?:objective|policy)\.(\w+)=(.*)$", text, re.M))
    policy = [{"code": ours, "label": words[key].strip(), "note": article(ours), "defined_by": _eli(ours)}
              for key, ours in _JEMS_OBJECTIVES.items()]
    specific = []
    for name, objective, code in re.findall(r"^\s*(\w+)\((\w+),\s*\"\s*([\w.]+)\"\)", Path(policy_kt).read_text(
            encoding="utf-8"), re.M):
        if code.startswith("ISO4."):
            continue
        parent = {"6": "ISO1", "7": "ISO2"}[code[3]] if code.startswith("ISO") else objective
        specific.append({"code": code, "label": words[name].strip(), "broader": parent, "note": article(code),
                         "defined_by": _eli(code)})
    return _table(policy), _table(specific)


def _main(argv: list[str]) -> int:  # pragma: no cover - a maintenance command, documented in SOURCE.tsv
    name, paths = argv[0], [Path(p) for p in argv[1:]]
    problems: list = []
    if name == "h2020-programmes":
        out = extract_h2020_programmes(paths[0])
    elif name == "legal-basis":
        out = extract_legal_basis(paths[0])
    elif name in ("interreg-policy-objectives", "interreg-specific-objectives"):
        out = extract_interreg_objectives(paths[0], paths[1])[name == "interreg-specific-objectives"]
    elif name == "cordis-status":  # CORDIS project tables, then Forskningsrådet's dataset.csv
        cordis = [p for p in paths if "forskningsradet" not in str(p)]
        fr = [p for p in paths if "forskningsradet" in str(p)]
        out = extract_written_codes("cordis-status", [
            *cordis_records(read_cordis(cordis, problems), problems),
            *forskningsradet_records(read_forskningsradet(fr, problems), problems)])
    elif name == "interreg-organisation-types":
        out = extract_written_codes("interreg-organisation-type",
                                    interreg_records(read_interreg(paths, problems), problems))
    else:
        raise SystemExit(f"unknown table {name!r}")
    sys.stdout.write(out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
