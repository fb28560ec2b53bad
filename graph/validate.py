"""Validation: the SHACL shapes and the ``*-violation.rq`` checks, on the union of all graphs."""

import re
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


def _oxigraph(store) -> ox.Store:
    """Return a pyoxigraph Store holding the store's quads (the store itself when it is embedded Oxigraph)."""
    raw = getattr(store, "raw", None)
    if isinstance(raw, ox.Store):
        return raw
    mem = ox.Store()
    mem.bulk_extend(store.quads())
    return mem


_SHAPES = {}  # the last shapes file parsed: its key and rdflib Graph


def _shapes_graph(shapes_file: Path):
    """Return the shapes file parsed by rdflib (cached by path and modification time)."""
    import rdflib

    path = Path(shapes_file)
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if _SHAPES.get("key") != key:
        _SHAPES.update(key=key, graph=rdflib.Graph().parse(path, format="turtle"))
    return _SHAPES["graph"]


def shacl_violations(store, shapes_file: Path, scope: str | None = None) -> list:
    """Check the shapes file on the union graph (as SPARQL, see graph.shapes_sparql); return unlocated Violations.

    ``scope`` names a graph marking the nodes to check (graph.shapes_sparql.SCOPE_PREDICATE); all when None.
    """
    from .shapes_sparql import shape_violations

    out = []
    for r in shape_violations(_oxigraph(store), _shapes_graph(shapes_file), scope):
        text = r.message
        if r.path is not None and shorten(r.path) not in text:
            text = f"{shorten(r.path)}: {text}"
        out.append(Violation("shapes.ttl", r.focus, text))
    return out


#: Checks whose every new violation has, as ?focus, a node written in the new statements (a subject, predicate,
#: object or graph): on an import they can run on those nodes only. Others always run on everything.
SCOPABLE_CHECKS = {"dangling-reference-violation.rq", "entity-without-identity-violation.rq",
                   "relation-without-source-violation.rq", "unasserted-qualified-relation-violation.rq",
                   "undescribed-graph-violation.rq", "unknown-term-violation.rq"}


def _scoped(sparql: str, scope: str) -> str:
    """Return the check with ?focus bound first to the nodes marked in the scope graph."""
    from .shapes_sparql import SCOPE_PREDICATE

    at = re.search(r"\bWHERE\s*\{", sparql, re.I)
    if at is None:
        return sparql
    mark = f" GRAPH <{scope}> {{ ?focus <{SCOPE_PREDICATE}> ?scope_mark }} "
    return sparql[:at.end()] + mark + sparql[at.end():]


def query_violations(store, checks_dir: Path, scope: str | None = None) -> tuple:
    """Run every ``*-violation.rq`` (each returns ?focus and ?message); return (violations, check names).

    With ``scope`` (a graph marking nodes, see graph.shapes_sparql.SCOPE_PREDICATE), the checks in
    SCOPABLE_CHECKS look at the marked nodes only.
    """
    out, names = [], []
    for rq in sorted(Path(checks_dir).glob("*-violation.rq")):
        names.append(rq.name)
        sparql = rq.read_text(encoding="utf-8")
        if scope and rq.name in SCOPABLE_CHECKS:
            sparql = _scoped(sparql, scope)
        try:
            res = store.run(sparql)
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
