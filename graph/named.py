"""Named queries: one ``queries/NAME.rq`` a query, with a comment header of title, description and parameters.

Header lines (before the query text)::

    # title: Members of a community and its chairs over time
    # description: One sentence on what the query answers.
    # param: body (iri) = orgn:transatlantic-quantum-community -- the community or body

A default of ``any`` leaves the parameter unbound (the query then covers every value).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConvergenceError
from .params import TYPES, to_term

__all__ = ["Param", "NamedQuery", "load_named_queries", "QUERIES_DIR"]

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_PARAM = re.compile(r"^(\w+)\s*\((\w+)\)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    """One declared parameter: name, type, default (or None when required) and description."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass
class NamedQuery:
    """A query file with its header parsed."""

    name: str
    title: str
    description: str
    sparql: str
    params: list = field(default_factory=list)
    path: Path | None = None

    def bindings(self, values: dict) -> dict:
        """Return the parameters as RDF terms, defaults filled in; unknown or missing ones are errors."""
        known = {p.name: p for p in self.params}
        for key in values:
            if key not in known:
                hint = ", ".join(known) or "none"
                raise ConvergenceError(f"query {self.name!r} has no parameter {key!r} (parameters: {hint})",
                                       f"--param {key}")
        out = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if isinstance(value, str) and value.strip().lower() == "any":
                continue
            if value is None or value == "":
                raise ConvergenceError(f"required by query {self.name!r}: {p.description}", f"--param {p.name}")
            out[p.name] = to_term(p.name, p.type, value)
        return out


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Parse a named query file's text.

    >>> q = parse_header("x", "# title: T\\n# description: D\\n# param: n (integer) = 2 -- at least\\nSELECT ?a WHERE {}")
    >>> (q.title, q.params[0].name, q.params[0].default)
    ('T', 'n', '2')
    """
    meta = {"title": "", "description": ""}
    params = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("#"):
            if s:
                break
            continue
        key, sep, value = s.lstrip("#").strip().partition(":")
        key = key.strip().lower()
        if not sep:
            continue
        if key == "param":
            m = _PARAM.match(value.strip())
            if not m or m.group(2) not in TYPES:
                raise ConvergenceError(f"bad param line {value.strip()!r}: write "
                                       "'# param: name (type) = default -- description'", str(path or name))
            params.append(Param(m.group(1), m.group(2), m.group(3) or None, m.group(4) or ""))
        elif key in meta:
            meta[key] = (meta[key] + " " + value.strip()).strip()
    if not meta["title"]:
        raise ConvergenceError("named query has no '# title:' line", str(path or name))
    return NamedQuery(name, meta["title"], meta["description"], text, params, path)


def load_named_queries(folder: Path = QUERIES_DIR) -> dict:
    """Return every named query in the folder, by name (the file's stem), sorted."""
    return {p.stem: parse_header(p.stem, p.read_text(encoding="utf-8"), p)
            for p in sorted(Path(folder).glob("*.rq"))}
