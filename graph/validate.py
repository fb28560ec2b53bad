"""Validation: the SHACL shapes and the ``*-violation.rq`` checks, on the union of all graphs."""

import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import shorten

__all__ = ["Violation", "Report", "validate", "shacl_violations", "query_violations"]


@dataclass(frozen=True)
class Violation:
    """One problem: the check that found it, the node at fault, a message and where it is written."""

    check: str
    focus: str
    message: str
    where: str | None = None
    other: str | None = None

    @property
    def focus_short(self) -> str:
        """The focus node as ``prefix:local``."""
        return shorten(self.focus)

    def __str__(self):
        return f"{self.where or '-'}: {self.message} [{self.focus_short}] ({self.check})"


@dataclass
class Report:
    """All violations found; ``conforms`` when there are none."""

    violations: list
    checks: list

    @property
    def conforms(self) -> bool:
        """True when nothing was found."""
        return not self.violations

    def text(self) -> str:
        """Return the report as text, one violation a line, then a summary line."""
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violation(s) from {len(self.checks)} checks")
        return "\n".join(lines)


def _ontology_dir(root: Path | None) -> Path:
    from .build import project_root

    return (Path(root) if root else project_root()) / "ontology"


def _to_rdflib(store):
    """Return the union of the store's graphs as one rdflib Graph (SHACL sees one data graph)."""
    import rdflib

    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store.quads())
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # ill-typed literals are reported by the shapes, not as tracebacks
    try:
        g.parse(data=data, format="nt")
    finally:
        quiet.setLevel(level)
    return g


def shacl_violations(store, shapes_file: Path) -> list:
    """Run pyshacl with the shapes file on the union graph; return Violations without locations."""
    import rdflib
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    data = _to_rdflib(store)
    _, results, _ = shacl(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                          advanced=True, meta_shacl=False)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        message = results.value(r, SH.resultMessage)
        text = str(message) if message else "SHACL constraint not met"
        if path is not None and isinstance(path, rdflib.URIRef) and shorten(str(path)) not in text:
            text = f"{shorten(str(path))}: {text}"
        out.append(Violation("shapes.ttl", str(focus), text))
    return out


def query_violations(store, checks_dir: Path) -> tuple:
    """Run every ``*-violation.rq`` (each returns ?focus and ?message); return (violations, check names)."""
    out, names = [], []
    for rq in sorted(Path(checks_dir).glob("*-violation.rq")):
        names.append(rq.name)
        try:
            res = store.run(rq.read_text(encoding="utf-8"))
        except ConvergenceError as exc:
            raise ConvergenceError(exc.message, f"{rq}") from None
        for rec in res.records():
            out.append(Violation(rq.name, str(rec.get("focus")), str(rec.get("message") or rq.stem),
                                 other=rec.get("object")))
    return out, names


def validate(store, locator=None, root: Path | None = None) -> Report:
    """Run the shapes and the violation queries; locate each violation in its file where possible."""
    onto = _ontology_dir(root)
    found = shacl_violations(store, onto / "shapes.ttl")
    more, names = query_violations(store, onto / "checks")
    found += more
    if locator is not None:
        found = [Violation(v.check, v.focus, v.message, locator.locate(v.focus, v.other), v.other) for v in found]
    found.sort(key=lambda v: (v.where or "~", v.focus, v.message))
    return Report(found, ["shapes.ttl"] + names)
