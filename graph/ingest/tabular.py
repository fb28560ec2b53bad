"""Spreadsheets in: CSV or XLSX rows turned into statements by a small TOML mapping (see templates/ingest/)."""

import csv
import io
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConvergenceError
from .text import read_utf8
from ..namespaces import BASE, GRAPHS, PREFIXES, expand
from .gate import Batch, Progress
from .names import RDF_TYPE, LabelTable, date_literal, lit, quad, resolve_term, slug
from .rdf import IDENTITY_PREDICATES
from .sources import SourceInfo, SourceResolver

__all__ = ["Mapping", "load_mapping", "read_table", "read_rows", "TEMPLATES"]

#: The ready mappings, each with an example spreadsheet beside it.
TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "ingest"

_KINDS = ("entities", "relations", "sources")
_SOURCE_FIELDS = ("url", "title", "publisher", "date", "kind", "language")
_VALUES = ("text", "iri", "date", "decimal", "integer", "boolean")
_RELATIONS = """SELECT ?p ?label WHERE { GRAPH cgg:ontology { ?p a cg:SourcedRelation OPTIONAL { ?p rdfs:label ?label } } }"""
_TYPES = """SELECT ?e ?t WHERE { ?e a ?t }"""
_CLASSES = """SELECT ?c WHERE { GRAPH cgg:ontology { ?c a owl:Class } }"""


@dataclass
class Mapping:
    """A mapping file read and checked: the table's kind, its special columns and its property columns."""

    path: Path
    kind: str
    table: dict
    columns: dict
    source: dict

    def used_columns(self) -> set:
        """Every column name the mapping reads."""
        keys = ("name", "id", "type_column", "subject", "relation", "object", "start", "end", "date",
                "amount", "currency")
        return ({self.table[k] for k in keys if self.table.get(k)} | set(self.columns)
                | {v for v in self.source.values() if v})


def load_mapping(path) -> Mapping:
    """Read a TOML mapping; a mistake in it is reported as ``MAPPING: what is wrong``."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConvergenceError(f"cannot read the mapping: {exc.strerror}", path.name) from None
    except UnicodeDecodeError:
        raise ConvergenceError("the mapping is not UTF-8", path.name) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConvergenceError(f"TOML syntax error: {exc}", path.name) from None
    table = doc.get("table") or {}
    kind = table.get("kind")
    if kind not in _KINDS:
        raise ConvergenceError(f"[table] kind must be one of {', '.join(_KINDS)}, not {kind!r}", path.name)
    need = {"entities": ("name", "prefix"), "relations": ("subject", "relation", "object"), "sources": ()}[kind]
    for key in need:
        if not table.get(key):
            raise ConvergenceError(f"[table] needs {key} = ... for a table of {kind}", path.name)
    if kind == "entities" and not (table.get("class") or table.get("type_column")):
        raise ConvergenceError("[table] needs class = \"cg:...\" or type_column = \"...\"", path.name)
    columns = doc.get("columns") or {}
    for name, spec in columns.items():
        if not isinstance(spec, dict) or not spec.get("property"):
            raise ConvergenceError(f"[columns.{name}] needs property = \"prefix:name\"", path.name)
        if spec.get("value", "text") not in _VALUES:
            raise ConvergenceError(f"[columns.{name}] value must be one of {', '.join(_VALUES)}", path.name)
        if kind != "entities":
            raise ConvergenceError(f"[columns.{name}]: property columns belong to a table of entities", path.name)
    source = doc.get("source") or {}
    unknown = set(source) - set(_SOURCE_FIELDS)
    if unknown:
        raise ConvergenceError(f"[source] knows {', '.join(_SOURCE_FIELDS)}, not {', '.join(sorted(unknown))}",
                               path.name)
    if kind == "sources" and not all(source.get(k) for k in ("url", "title", "publisher")):
        raise ConvergenceError("a table of sources needs [source] url, title and publisher columns", path.name)
    return Mapping(path, kind, table, columns, source)


def _cell(value) -> str:
    """Return a spreadsheet value as text (dates as ISO dates, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path, progress: Progress | None = None) -> tuple:
    """Return ``(header, rows)`` of a CSV (UTF-8, comma, semicolon or tab) or the first sheet of an XLSX."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        try:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ConvergenceError(f"cannot read the workbook: {exc}", path.name) from None
        rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    else:
        text = read_utf8(path, 'save it as "CSV UTF-8"')
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        raise ConvergenceError("the file is empty; nothing was imported", path.name)
    header = [h.strip() for h in rows[0]]
    return header, rows[1:]


class _Rows:
    """Builds the statements of each row, resolving names against the store and the rows before."""

    def __init__(self, path: Path, mapping: Mapping, store, default_source: SourceInfo | None):
        self.path, self.m, self.store = path, mapping, store
        self.labels = LabelTable.from_store(store)
        self.sources = SourceResolver(store)
        self.default_source = default_source
        self.typed = {e.value for e, _ in store.run(_TYPES).rows}
        self.relations = {}
        for p, label in store.run(_RELATIONS).rows:
            self.relations[p.value] = p.value
            self.relations[p.value.rsplit("#", 1)[-1].lower()] = p.value
            if label is not None:
                self.relations[" ".join(label.value.lower().split())] = p.value
        self.classes = {r[0].value for r in store.run(_CLASSES).rows}
        self.quads, self.where, self.index = [], {}, {}

    def at(self, row: int, col: str | None = None) -> str:
        return f"{self.path.name}:{row}:{self.index[col] + 1}" if col in self.index else f"{self.path.name}:{row}"

    def entity(self, text: str, row: int, col: str, prefix: str | None = None) -> ox.NamedNode:
        """Resolve a cell naming an entity: ``prefix:local``, an IRI, ``prefix`` + slug, or a unique label."""
        term = resolve_term(text)
        if term is not None:
            if term.value.startswith(BASE + "id/") and term.value not in self.typed:
                raise ConvergenceError(f"column {col!r}: {text!r} is not in the graph; add it first", self.at(row, col))
            return term
        if prefix:
            guess = expand(prefix) + slug(text)
            if guess in self.typed:
                return ox.NamedNode(guess)
        found = self.labels.lookup(text)
        if len(found) == 1:
            return ox.NamedNode(found[0])
        if found:
            raise ConvergenceError(f"column {col!r}: {text!r} names {len(found)} entities "
                                   f"({', '.join(found[:4])}); write the IRI instead", self.at(row, col))
        raise ConvergenceError(f"column {col!r}: no entity named {text!r} in the graph; add it first (the actors "
                               "template) or write its IRI", self.at(row, col))

    def value(self, spec: dict, text: str, row: int, col: str):
        """Return the RDF term for a property column's cell."""
        kind = spec.get("value", "text")
        try:
            if kind == "iri":
                return self.entity(text, row, col, spec.get("prefix"))
            if kind == "date":
                return date_literal(text)
            if kind == "decimal":
                from decimal import Decimal

                return lit(str(Decimal(text.replace(",", "").replace(" ", ""))), datatype="decimal")
            if kind == "integer":
                return lit(str(int(text)), datatype="integer")
            if kind == "boolean":
                if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                    raise ValueError(f"{text!r} is not true or false")
                return lit("true" if text.lower() in ("true", "yes", "1") else "false", datatype="boolean")
        except (ValueError, ArithmeticError) as exc:
            raise ConvergenceError(f"column {col!r}: {exc}", self.at(row, col)) from None
        return lit(text, lang=spec.get("lang"), datatype=spec.get("datatype"))

    def source_of(self, cells: dict, row: int) -> ox.NamedNode:
        """Return the graph of the row's source (described on first use)."""
        s = self.m.source
        given = {f: cells.get(s[f], "") for f in _SOURCE_FIELDS if s.get(f)}
        if not given.get("url") and self.default_source is not None:
            info = self.default_source
        elif given.get("url") or given.get("title"):
            info = SourceInfo(given.get("url", ""), given.get("title", ""), given.get("publisher", ""),
                              given.get("date") or None, given.get("kind") or "secondary",
                              given.get("language") or "en")
        else:
            raise ConvergenceError("the row names no source: fill its source columns or give --source-url, "
                                   "--title and --publisher", self.at(row))
        where = self.at(row, s.get("url")) if given.get("url") else "--source-url"
        name, desc = self.sources.resolve(info, where)
        for q in desc:
            self.where.setdefault(q.subject.value, self.at(row))
        self.quads += desc
        return ox.NamedNode(name)

    def add(self, s, p, o, g, row: int) -> None:
        self.quads.append(quad(s, p, o, g))
        self.where.setdefault(quad(s, p, o, g).subject.value, self.at(row))

    def entity_row(self, cells: dict, row: int) -> None:
        t, ent = self.m.table, ox.NamedNode(GRAPHS["entities"])
        name = cells.get(t["name"], "")
        if not name:
            raise ConvergenceError(f"column {t['name']!r}: the name is empty", self.at(row, t["name"]))
        given = cells.get(t.get("id") or "", "")
        if given:
            subject = resolve_term(given) or ox.NamedNode(expand(t["prefix"]) + slug(given))
        else:
            known = [e for e in self.labels.lookup(name) if e.startswith(expand(t["prefix"]))]
            subject = ox.NamedNode(known[0] if len(known) == 1 else expand(t["prefix"]) + slug(name))
        cls = cells.get(t.get("type_column") or "", "") or t.get("class", "")
        cls_iri = expand(cls if ":" in cls else "cg:" + cls.replace(" ", ""))
        if cls_iri not in self.classes:
            col = t.get("type_column") if cells.get(t.get("type_column") or "") else None
            raise ConvergenceError(f"{cls!r} is not a class of the ontology (e.g. Company, ResearchOrganisation, "
                                   "GovernmentBody, FundingBody)", self.at(row, col) if col else self.m.path.name)
        self.add(subject, RDF_TYPE, ox.NamedNode(cls_iri), ent, row)
        self.add(subject, "skos:prefLabel", lit(name, lang=t.get("lang", "en")), ent, row)
        self.typed.add(subject.value)
        graph = None
        for col, spec in self.m.columns.items():
            text = cells.get(col, "")
            if not text:
                continue
            prop = expand(spec["property"])
            parts = [x.strip() for x in text.split(spec["separator"])] if spec.get("separator") else [text]
            for part in filter(None, parts):
                value = self.value(spec, part, row, col)
                if prop in IDENTITY_PREDICATES:
                    self.add(subject, prop, value, ent, row)
                else:
                    graph = graph or self.source_of(cells, row)
                    self.add(subject, prop, value, graph, row)

    def relation_row(self, cells: dict, row: int) -> None:
        t = self.m.table
        s = self.entity(cells.get(t["subject"], ""), row, t["subject"]) if cells.get(t["subject"]) else None
        o = self.entity(cells.get(t["object"], ""), row, t["object"]) if cells.get(t["object"]) else None
        rel_text = cells.get(t["relation"], "")
        p = self.relations.get(expand(rel_text)) or self.relations.get(" ".join(rel_text.lower().split())) \
            or self.relations.get(rel_text.split(":")[-1].lower())
        for col, val in ((t["subject"], s), (t["relation"], p or rel_text or None), (t["object"], o)):
            if val is None:
                raise ConvergenceError(f"column {col!r} is empty", self.at(row, col))
        if p is None:
            raise ConvergenceError(f"column {t['relation']!r}: {rel_text!r} is not a sourced relation of the "
                                   "ontology (e.g. worksOn, funds, partnersWith, memberOf)", self.at(row, t["relation"]))
        g = self.source_of(cells, row)
        self.add(s, p, o, g, row)
        quals = []
        for key, prop in (("start", "schema:startDate"), ("end", "schema:endDate"), ("date", "dct:date")):
            col = t.get(key)
            if col and cells.get(col):
                try:
                    quals.append((prop, date_literal(cells[col])))
                except ValueError as exc:
                    raise ConvergenceError(f"column {col!r}: {exc}", self.at(row, col)) from None
        if t.get("amount") and cells.get(t["amount"]):
            quals.append(("cg:amount", self.value({"value": "decimal"}, cells[t["amount"]], row, t["amount"])))
            cur = cells.get(t.get("currency") or "", "").upper()
            if not cur:
                raise ConvergenceError("an amount needs its currency (ISO 4217, e.g. EUR)",
                                       self.at(row, t.get("currency") or t["amount"]))
            quals.append(("cg:currency", lit(cur)))
        if quals:
            local = p.rsplit("#", 1)[-1]
            r = ox.NamedNode(f"{PREFIXES['rel']}{s.value.rsplit('/', 1)[-1]}--{local}--{o.value.rsplit('/', 1)[-1]}")
            self.add(r, RDF_TYPE, "cg:QualifiedRelation", g, row)
            self.add(r, "rdf:subject", s, g, row)
            self.add(r, "rdf:predicate", ox.NamedNode(p), g, row)
            self.add(r, "rdf:object", o, g, row)
            for prop, value in quals:
                self.add(r, prop, value, g, row)


def read_table(path, mapping_path, store, source: SourceInfo | None = None,
               progress: Progress | None = None) -> Batch:
    """Read a CSV or XLSX file with its mapping into a Batch; a bad cell is reported as ``FILE:ROW:COLUMN``."""
    path, progress = Path(path), progress or Progress()
    mapping = load_mapping(mapping_path)
    progress.step(f"reading {path.name}")
    header, rows = read_rows(path, progress)
    used = mapping.used_columns()
    for i, h in enumerate(header, 1):
        if h and h not in used:
            raise ConvergenceError(f"unknown column {h!r}: the mapping {mapping.path.name} does not say what it "
                                   f"holds (it reads {', '.join(sorted(used))})", f"{path.name}:1:{i}")
    required = [mapping.table[k] for k in ("name", "subject", "relation", "object") if mapping.table.get(k)]
    required += [mapping.source[k] for k in ("url", "title", "publisher") if mapping.kind == "sources"]
    missing = [c for c in required if c not in header]
    if missing:
        raise ConvergenceError(f"missing column {missing[0]!r} that the mapping {mapping.path.name} needs",
                               f"{path.name}:1")
    if not rows:
        raise ConvergenceError("the file has a header but no rows; nothing was imported", path.name)
    builder = _Rows(path, mapping, store, source)
    builder.index = {h: i for i, h in enumerate(header) if h}
    advance = progress.bar(len(rows), f"rows of {path.name}") if len(rows) >= 5000 else (lambda n: None)
    for n, values in enumerate(rows, 2):
        if not any(values):
            continue
        if len(values) > len(header) and any(values[len(header):]):
            raise ConvergenceError(f"the row has {len(values)} cells but the header {len(header)} columns",
                                   f"{path.name}:{n}:{len(header) + 1}")
        cells = {h: v for h, v in zip(header, values) if h}
        if mapping.kind == "entities":
            builder.entity_row(cells, n)
        elif mapping.kind == "relations":
            builder.relation_row(cells, n)
        else:
            builder.source_of(cells, n)
        advance(1)
    progress.done()
    return Batch(builder.quads, path, path.suffix.lower().lstrip("."),
                 mapping=mapping.path, locate=builder.where.get, summary={"rows": len(rows)})
