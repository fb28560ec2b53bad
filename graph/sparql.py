"""SPARQL text handling: query form, safe parameter binding by VALUES, readable syntax errors."""

import re

import pyoxigraph as ox  # noqa: F401 (used by the doctests)

from .errors import ConvergenceError

__all__ = ["query_form", "bind_values", "syntax_error"]

_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def _tokens(text: str):
    """Yield (kind, value, offset) for keywords and braces, skipping comments, IRIs and strings."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
        if c in "\"'":
            m = _STRING.match(text, i)
            if m:
                i = m.end()
                continue
        if c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
            continue
        if c.isalpha() or c == "_":
            m = _WORD.match(text, i)
            end = m.end()
            if end < n and text[end] == ":":  # a prefixed name, not a keyword
                i = end + 1
                continue
            yield "word", m.group().upper(), i
            i = end
            continue
        if c in "{}":
            yield c, c, i
        i += 1


def query_form(text: str) -> str:
    """Return SELECT, CONSTRUCT, ASK, DESCRIBE, or UPDATE for the text's first form keyword.

    >>> query_form("PREFIX a: <http://x/> # SELECT in a comment\\nASK { ?s ?p ?o }")
    'ASK'
    >>> query_form("INSERT DATA { <http://a> <http://b> <http://c> }")
    'UPDATE'
    """
    for kind, value, _ in _tokens(text):
        if kind == "word":
            if value in _FORMS:
                return value
            if value in _UPDATES:
                return "UPDATE"
    raise ConvergenceError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE", "query")


def _where_brace(text: str) -> int:
    """Return the offset of the brace opening the query's WHERE group."""
    form = query_form(text)
    seen_where = False
    braces = 0
    for kind, value, offset in _tokens(text):
        if kind == "word" and value == "WHERE" and braces == 0:
            seen_where = True
        elif kind == "{":
            if braces == 0 and (seen_where or form in ("SELECT", "ASK", "DESCRIBE")):
                return offset
            braces += 1
        elif kind == "}":
            braces -= 1
    raise ConvergenceError("cannot find the query's WHERE clause to bind parameters", "query")


def bind_values(text: str, bindings: dict) -> str:
    """Return the query with ``VALUES`` for the bound variables at the top of its WHERE group.

    A list or tuple binds one variable to several values (one row each). Values are RDF terms
    serialised by pyoxigraph, so no value can change the query's shape.

    >>> q = bind_values('SELECT ?x WHERE { ?x ?p ?o }', {"o": ox.Literal('a" } DROP ALL #')})
    >>> q
    'SELECT ?x WHERE { VALUES (?o) { ("a\\\\" } DROP ALL #") }\\n ?x ?p ?o }'
    >>> bind_values('ASK { ?x ?p ?o }', {"x": [ox.NamedNode("http://a"), ox.NamedNode("http://b")]})
    'ASK { VALUES ?x { <http://a> <http://b> }\\n ?x ?p ?o }'
    """
    if not bindings:
        return text
    brace = _where_brace(text)
    single = {k: v for k, v in bindings.items() if not isinstance(v, (list, tuple))}
    blocks = []
    if single:
        names = " ".join(f"?{name}" for name in single)
        values = " ".join(str(term) for term in single.values())
        blocks.append(f"VALUES ({names}) {{ ({values}) }}")
    for name, terms in bindings.items():
        if isinstance(terms, (list, tuple)):
            blocks.append(f"VALUES ?{name} {{ {' '.join(str(t) for t in terms)} }}")
    return f"{text[:brace + 1]} {' '.join(blocks)}\n{text[brace + 1:]}"


_AT = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)


def syntax_error(exc: SyntaxError, where: str = "query") -> ConvergenceError:
    """Turn pyoxigraph's SPARQL syntax error into a located one-line error.

    >>> str(syntax_error(SyntaxError("error at 3:17: expected one of ABS")))
    'query:3:17: SPARQL syntax error: expected one of ABS'
    """
    text = str(exc.args[0]) if exc.args else str(exc)
    m = _AT.match(text)
    if m:
        return ConvergenceError(f"SPARQL syntax error: {m.group(3)}", f"{where}:{m.group(1)}:{m.group(2)}")
    return ConvergenceError(f"SPARQL syntax error: {text}", where)
