"""What changed between two exports (or an earlier export and the graph now): entities and statements.

A statement is a fact about an entity (a relation or a source-given attribute such as dual use),
compared as subject, predicate, object whatever graph holds it; its sources are the named graphs that
state it (a Turtle file has none, so removed statements from Turtle come without sources). Identity
triples (types, labels, descriptions) make the entity lists, not the statement lists.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import CG, GRAPHS, shorten

__all__ = ["Statement", "Diff", "read_rdf", "parse_rdf", "diff_quads", "diff_files"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
_IDENTITY = {RDF + "type", SKOS + "prefLabel", SKOS + "altLabel", DCT + "description", SKOS + "exactMatch",
             SKOS + "closeMatch", SKOS + "relatedMatch", SKOS + "broader", SKOS + "inScheme", SKOS + "definition",
             CG + "iso3166Alpha2", CG + "inDomain"}
_NOT_ENTITY = {CG + "SourceDocument", CG + "QualifiedRelation", CG + "Budget", CG + "Suggestion"}
_PROJECT = set(GRAPHS.values())

_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
            ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}


def read_rdf(path, where: str | None = None) -> list:
    """Parse an export file (Turtle, TriG, N-Quads, N-Triples or JSON-LD, by extension) without network access.

    A JSON-LD file naming a remote context is refused, not fetched. Errors are one line with the location.
    """
    p = Path(path)
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ConvergenceError(f"cannot tell the format from the extension; use one of {', '.join(_FORMATS)}",
                               where or str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConvergenceError(f"cannot read the file: {exc.strerror or exc}", where or str(p)) from None
    return parse_rdf(data, p.name, where or str(p))


def parse_rdf(data: bytes, name: str, where: str | None = None) -> list:
    """Parse export bytes whose format the file ``name``'s extension tells (no network access)."""
    where = where or name
    fmt = _FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise ConvergenceError(f"cannot tell the format from the extension; use one of {', '.join(_FORMATS)}",
                               where)
    try:
        return list(ox.parse(data, format=fmt, base_iri="file:///export"))
    except (SyntaxError, ValueError) as exc:
        loc = ""
        m = re.search(r"line (\d+)(?:.*?column (\d+))?", str(exc))
        if m:
            loc = f":{m.group(1)}" + (f":{m.group(2)}" if m.group(2) else "")
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConvergenceError(f"not valid RDF: {message}", where + loc) from None


@dataclass
class Statement:
    """One statement that was added or removed, labelled, with the sources that state (or stated) it."""

    subject: str
    predicate: str
    object: str
    subject_label: str
    relation: str
    object_label: str
    sources: list = field(default_factory=list)  # (iri, title, publisher, issued)

    def text(self) -> str:
        """'Subject relation Object'."""
        return f"{self.subject_label} {self.relation} {self.object_label}"


@dataclass
class Diff:
    """Entities and statements added and removed between an old and a new export."""

    old: str
    new: str
    added_entities: list = field(default_factory=list)  # (iri, label)
    removed_entities: list = field(default_factory=list)
    added: list = field(default_factory=list)  # Statement
    removed: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.added_entities or self.removed_entities or self.added or self.removed)

    def summary(self) -> str:
        """One line: counts of what changed."""
        return (f"{len(self.added)} statements added, {len(self.removed)} removed; "
                f"{len(self.added_entities)} entities added, {len(self.removed_entities)} removed")

    def text(self) -> str:
        """The change list, readable in a terminal or an e-mail."""
        lines = [f"What changed from {self.old} to {self.new}: {self.summary()}"]
        for title, items in (("Entities added", self.added_entities), ("Entities removed", self.removed_entities)):
            if items:
                lines += ["", f"{title} ({len(items)}):"] + [f"  {'+' if 'added' in title else '-'} {label}  "
                                                            f"<{shorten(iri)}>" for iri, label in items]
        for title, sign, items in (("Statements added", "+", self.added), ("Statements removed", "-", self.removed)):
            if items:
                lines += ["", f"{title} ({len(items)}):"]
                for s in items:
                    said = "; ".join(_cite(src) for src in s.sources) or "no source recorded in the file"
                    lines.append(f"  {sign} {s.text()}  [{said}]")
        if not self:
            lines.append("nothing changed")
        return "\n".join(lines)


def _cite(src) -> str:
    iri, title, publisher, issued = src
    extra = ", ".join(x for x in (publisher, issued) if x)
    return f"{title} ({extra})" if extra else title


def _humanise(iri: str) -> str:
    """'worksOn' -> 'works on' for a property without a label.

    >>> _humanise("https://w3id.org/convergence-graph/ontology#worksOn")
    'works on'
    """
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: " " + m.group(1).lower(), local)


def _term_text(term, blanks) -> str:
    if isinstance(term, ox.BlankNode):
        return blanks.get(term.value, "[…]")
    if isinstance(term, ox.Literal):
        return term.value
    return term.value


class _Side:
    """One side of a comparison: statements with their sources, entities, labels and source descriptions."""

    def __init__(self, quads, lang):
        self.labels, self.sources, self.entities = {}, {}, {}
        self.statements = {}
        blanks, types = {}, {}
        for q in quads:
            s, p, o = q.subject, q.predicate.value, q.object
            if p == SKOS + "prefLabel" and isinstance(o, ox.Literal):
                if o.language == lang or s.value not in self.labels:
                    self.labels[s.value] = o.value
            if p == RDF + "type" and isinstance(s, ox.NamedNode):
                types.setdefault(s.value, set()).add(o.value)
            if isinstance(s, ox.BlankNode):
                blanks.setdefault(s.value, []).append(f"{_humanise(p)} {o.value}")
        info = {}
        for q in quads:
            if isinstance(q.subject, ox.NamedNode) and CG + "SourceDocument" in types.get(q.subject.value, ()):
                d = info.setdefault(q.subject.value, {})
                d.setdefault(q.predicate.value, q.object.value)
        for iri, d in info.items():
            self.sources[iri] = (iri, d.get(DCT + "title", shorten(iri)), d.get(CG + "publisherName", ""),
                                 d.get(DCT + "issued", ""))
        for iri, ts in types.items():
            if ts and not ts & _NOT_ENTITY:
                self.entities[iri] = self.labels.get(iri, shorten(iri))
        summary = {b: "; ".join(sorted(v)) for b, v in blanks.items()}
        for q in quads:
            s, p = q.subject, q.predicate.value
            if not isinstance(s, ox.NamedNode) or p in _IDENTITY or s.value in self.sources:
                continue
            if types.get(s.value, set()) & _NOT_ENTITY:
                continue
            graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            key = (s.value, p, _term_text(q.object, summary), isinstance(q.object, ox.NamedNode))
            found = self.statements.setdefault(key, set())
            if graph and graph not in _PROJECT:
                found.add(graph)


def diff_quads(old_quads, new_quads, old_name: str = "old", new_name: str = "new", lang: str = "en",
               relation_labels: dict | None = None) -> Diff:
    """Compare two exports given as quads (see the module docstring for what counts)."""
    old, new = _Side(old_quads, lang), _Side(new_quads, lang)
    names = relation_labels or {}

    def label(iri):
        return new.labels.get(iri) or old.labels.get(iri) or shorten(iri)

    def statement(key, side):
        s, p, o, is_iri = key
        srcs = [side.sources.get(g, (g, shorten(g), "", "")) for g in sorted(side.statements[key])]
        return Statement(s, p, o, label(s), names.get(p) or _humanise(p), label(o) if is_iri else o, srcs)

    def order(st):
        return (st.subject_label.lower(), st.relation, st.object_label.lower())

    diff = Diff(old_name, new_name)
    diff.added_entities = sorted(((i, lab) for i, lab in new.entities.items() if i not in old.entities),
                                 key=lambda x: (x[1].lower(), x[0]))
    diff.removed_entities = sorted(((i, old.labels.get(i, lab)) for i, lab in old.entities.items()
                                    if i not in new.entities), key=lambda x: (x[1].lower(), x[0]))
    diff.added = sorted((statement(k, new) for k in new.statements if k not in old.statements), key=order)
    diff.removed = sorted((statement(k, old) for k in old.statements if k not in new.statements), key=order)
    return diff


def diff_files(old_path, new_path, lang: str = "en", relation_labels: dict | None = None) -> Diff:
    """Compare two export files."""
    return diff_quads(read_rdf(old_path), read_rdf(new_path), Path(old_path).name, Path(new_path).name, lang,
                      relation_labels)
