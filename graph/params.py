"""Query parameters: their declared types, and safe conversion of user values to RDF terms."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import expand

__all__ = ["TYPES", "to_term"]

XSD = "http://www.w3.org/2001/XMLSchema#"
#: The parameter types a named query may declare.
TYPES = ("iri", "string", "text", "integer", "decimal", "boolean", "date", "year")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_IRI_OK = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


def _typed(value: str, dt: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + dt))


def to_term(name: str, kind: str, value):
    """Return the RDF term for a parameter value, or raise a ConvergenceError naming the parameter.

    >>> to_term("country", "iri", "country:dk")
    <NamedNode value=https://w3id.org/convergence-graph/id/country/dk>
    >>> to_term("n", "integer", "2")
    <Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> to_term("n", "integer", "two")
    Traceback (most recent call last):
    graph.errors.ConvergenceError: --param n: expected an integer, got 'two'
    """
    where = f"--param {name}"
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if kind == "iri":
        iri = expand(text)
        if not _IRI_OK.match(iri):
            raise ConvergenceError(f"expected an IRI or prefixed name such as country:dk, got {text!r}", where)
        return ox.NamedNode(iri)
    if kind in ("string", "text"):
        return ox.Literal(str(value))
    if kind == "integer":
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
            raise ConvergenceError(f"expected an integer, got {text!r}", where)
        return _typed(str(int(text)), "integer")
    if kind == "decimal":
        try:
            d = Decimal(text)
            if not d.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ConvergenceError(f"expected a number, got {text!r}", where) from None
        return _typed(format(d, "f"), "decimal")
    if kind == "boolean":
        low = text.lower()
        if low in ("true", "yes", "1"):
            return _typed("true", "boolean")
        if low in ("false", "no", "0"):
            return _typed("false", "boolean")
        raise ConvergenceError(f"expected true or false, got {text!r}", where)
    if kind == "date":
        if not _DATE.match(text):
            raise ConvergenceError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}", where)
        try:
            parts = [int(p) for p in text.split("-")] + [1, 1]
            date(parts[0], parts[1], parts[2])
        except ValueError:
            raise ConvergenceError(f"not a real date: {text!r}", where) from None
        return ox.Literal(text)
    if kind == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise ConvergenceError(f"expected a year such as 2024, got {text!r}", where)
        return _typed(text, "integer")
    raise ConvergenceError(f"unknown parameter type {kind!r}; use one of {', '.join(TYPES)}", where)
