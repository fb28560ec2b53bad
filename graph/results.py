"""Query results: rows for SELECT, triples for CONSTRUCT, a boolean for ASK, and their formats."""

import csv
import io
import json
from decimal import Decimal

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import PREFIXES, shorten

__all__ = ["Result", "to_python", "FORMATS"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                           "positiveInteger", "negativeInteger", "nonPositiveInteger",
                           "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "double", XSD + "float"}

#: Output formats by query form.
FORMATS = {"SELECT": ("table", "csv", "tsv", "json"), "ASK": ("table", "json", "csv", "tsv"),
           "CONSTRUCT": ("turtle", "ntriples", "table", "json"),
           "DESCRIBE": ("turtle", "ntriples", "table", "json")}


def to_python(term):
    """Return a plain Python value for an RDF term: IRIs as str, typed literals as int, Decimal, float, bool or str.

    >>> to_python(ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")))
    42
    >>> to_python(ox.NamedNode("http://example.org/a"))
    'http://example.org/a'
    >>> to_python(None) is None
    True
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTS:
                return int(term.value)
            if dt == XSD + "decimal":
                return Decimal(term.value)
            if dt in _FLOATS:
                return float(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _display(term) -> str:
    """Return a short human form of a term for tables."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return "_:" + term.value


def _json_term(term) -> dict:
    """Return the SPARQL 1.1 JSON results encoding of one term."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


class Result:
    """The answer to one query: ``rows`` (SELECT), ``triples`` (CONSTRUCT/DESCRIBE) or ``boolean`` (ASK).

    Iterating a SELECT result yields one dict per row, variable name to Python value.
    """

    def __init__(self, form, variables=(), rows=(), triples=(), boolean=None):
        self.form = form
        self.variables = list(variables)
        self.rows = [tuple(r) for r in rows]
        self.triples = list(triples)
        self.boolean = boolean

    def __len__(self):
        if self.form == "ASK":
            return 1
        return len(self.rows) if self.form == "SELECT" else len(self.triples)

    def __iter__(self):
        if self.form == "SELECT":
            return iter(self.records())
        return iter(self.triples)

    def __bool__(self):
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def __repr__(self):
        return f"<Result {self.form} {len(self)} {'rows' if self.form == 'SELECT' else 'items'}>"

    def records(self) -> list:
        """Return the rows as dicts of Python values."""
        return [{v: to_python(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def column(self, name: str) -> list:
        """Return one variable's Python values, row by row."""
        i = self.variables.index(name)
        return [to_python(r[i]) for r in self.rows]

    def to_dataframe(self):
        """Return a pandas DataFrame: one column a variable (SELECT) or subject/predicate/object."""
        import pandas as pd

        if self.form == "SELECT":
            return pd.DataFrame(self.records(), columns=self.variables)
        if self.form == "ASK":
            return pd.DataFrame({"boolean": [bool(self.boolean)]})
        return pd.DataFrame([(to_python(t.subject), to_python(t.predicate), to_python(t.object))
                             for t in self.triples], columns=["subject", "predicate", "object"])

    # ------------------------------------------------------------------ serialisation

    def serialize(self, fmt: str = "table") -> str:
        """Return the result as text: table, csv, tsv, json (SPARQL results JSON), turtle or ntriples."""
        if fmt not in FORMATS[self.form]:
            raise ConvergenceError(f"format {fmt!r} does not fit a {self.form} query; "
                                   f"use one of {', '.join(FORMATS[self.form])}", "--format")
        return getattr(self, "_" + fmt)()

    def _table(self) -> str:
        if self.form == "ASK":
            return "yes" if self.boolean else "no"
        if self.form == "SELECT":
            head, body = self.variables, [[_display(t) for t in r] for r in self.rows]
        else:
            head = ["subject", "predicate", "object"]
            body = [[_display(t.subject), _display(t.predicate), _display(t.object)] for t in self.triples]
        body = [[c.replace("\n", " ") for c in r] for r in body]
        widths = [max([len(h)] + [min(len(r[i]), 60) for r in body]) for i, h in enumerate(head)]
        fmt_row = lambda cells: "  ".join(  # noqa: E731
            (c if len(c) <= 60 else c[:59] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()
        lines = [fmt_row(head), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in body]
        lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
        return "\n".join(lines)

    def _csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        if self.form == "ASK":
            w.writerow(["boolean"])
            w.writerow(["true" if self.boolean else "false"])
            return out.getvalue()
        w.writerow(self.variables)
        for r in self.rows:
            w.writerow(["" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value)
                        for t in r])
        return out.getvalue()

    def _tsv(self) -> str:
        if self.form == "ASK":
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in r) for r in self.rows]
        return "\n".join(lines) + "\n"

    def _json(self) -> str:
        if self.form == "ASK":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)}, indent=1)
        if self.form != "SELECT":
            doc = [{"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                    "object": _json_term(t.object)} for t in self.triples]
            return json.dumps(doc, indent=1, ensure_ascii=False)
        bindings = [{v: _json_term(t) for v, t in zip(self.variables, r) if t is not None}
                    for r in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}},
                          indent=1, ensure_ascii=False)

    def _turtle(self) -> str:
        return ox.serialize(sorted(self.triples, key=str), format=ox.RdfFormat.TURTLE,
                            prefixes=PREFIXES).decode("utf-8")

    def _ntriples(self) -> str:
        return "".join(f"{t} .\n" for t in sorted(self.triples, key=str))
