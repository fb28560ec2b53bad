"""A Store over the SPARQL 1.1 Protocol and Graph Store Protocol: Oxigraph server, Virtuoso, Fuseki, ...

The engine's default graph must be the union of its named graphs (``convergence serve`` does this;
Virtuoso does it by default). Queries get the project's PREFIX lines; answers become pyoxigraph terms.
"""

import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import BASE, PREFIXES
from .results import Result
from .sparql import query_form
from .store import Store

__all__ = ["RemoteStore", "prologue_for", "get_url", "MANIFEST"]

XSD = "http://www.w3.org/2001/XMLSchema#"
#: The graph in which ``convergence push`` records the graphs it wrote.
MANIFEST = BASE + "graph/push-manifest"
_ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
           "CONSTRUCT": "application/n-triples, text/turtle;q=0.9",
           "DESCRIBE": "application/n-triples, text/turtle;q=0.9"}
_BNODE_BAD = re.compile(r"[^A-Za-z0-9_-]")


def prologue_for(text: str) -> str:
    """Return PREFIX lines for the project prefixes the query uses and does not declare itself.

    >>> prologue_for("SELECT ?x WHERE { ?x a cg:Actor }")
    'PREFIX cg: <https://w3id.org/convergence-graph/ontology#>\\n'
    """
    lines = []
    for prefix, ns in PREFIXES.items():
        if re.search(rf"(?<![\w.-]){prefix}:", text) and not re.search(rf"(?i)PREFIX\s+{prefix}:", text):
            lines.append(f"PREFIX {prefix}: <{ns}>\n")
    return "".join(lines)


def get_url(endpoint: str, sparql: str) -> str:
    """Return the SPARQL 1.1 Protocol GET URL that runs the query (with its PREFIX lines) on the endpoint.

    >>> get_url("http://127.0.0.1:7878/query", "ASK { ?s cg:worksOn ?o }")[:60]
    'http://127.0.0.1:7878/query?query=PREFIX+cg%3A+%3Chttps%3A%2'
    """
    sep = "&" if "?" in endpoint else "?"
    return endpoint + sep + urllib.parse.urlencode({"query": prologue_for(sparql) + sparql})


def _term(d: dict):
    """Return the pyoxigraph term for one SPARQL results JSON binding (Virtuoso's "typed-literal" too)."""
    kind, value = d.get("type"), d.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(_BNODE_BAD.sub("_", value) or "b")
    if kind in ("literal", "typed-literal"):
        if d.get("xml:lang"):
            return ox.Literal(value, language=d["xml:lang"])
        dt = d.get("datatype")
        if dt == XSD + "boolean" and value in ("1", "0"):
            value = "true" if value == "1" else "false"
        return ox.Literal(value, datatype=ox.NamedNode(dt)) if dt else ox.Literal(value)
    raise ConvergenceError(f"unsupported term type {kind!r} in the engine's answer", "endpoint")


def _boolean(doc: dict) -> bool:
    """Return an ASK answer: a JSON boolean, or Virtuoso's one-row "1"/"0" result set."""
    if "boolean" in doc:
        return doc["boolean"] in (True, 1, "1", "true")
    rows = doc.get("results", {}).get("bindings", [])
    return bool(rows) and next(iter(rows[0].values()), {}).get("value") in ("1", "true")


def _first_line(body: bytes) -> str:
    """Return the first non-empty line of an engine's message, shortened."""
    text = body.decode("utf-8", "replace")
    line = next((x.strip() for x in text.splitlines() if x.strip()), "no message")
    return line if len(line) <= 300 else line[:299] + "…"


_OX_SYNTAX = re.compile(r"^error at (\d+):(\d+):\s*(.*)")
_VIRTUOSO_SYNTAX = re.compile(r"SPARQL compiler, line (\d+):\s*(.*)")


def _engine_error(status: int, body: bytes, offset: int, where: str) -> ConvergenceError:
    """Return a one-line error for an engine's refusal; syntax errors are located in the query as written.

    ``offset`` is the number of PREFIX lines sent before the query, taken off the engine's line numbers.

    >>> str(_engine_error(400, b"error at 27:3: expected one of ABS", 25, "http://x"))
    'query:2:3: SPARQL syntax error: expected one of ABS'
    >>> str(_engine_error(403, b"The server is read-only", 0, "http://x/update"))
    'http://x/update: HTTP 403: The server is read-only'
    """
    msg = _first_line(body)
    m = _OX_SYNTAX.match(msg)
    if status == 400 and m:
        return ConvergenceError(f"SPARQL syntax error: {m[3]}", f"query:{max(int(m[1]) - offset, 1)}:{m[2]}")
    m = _VIRTUOSO_SYNTAX.search(msg)
    if status == 400 and m:
        return ConvergenceError(f"SPARQL syntax error: {m[2]}", f"query:{max(int(m[1]) - offset, 1)}")
    if status == 401:
        msg += " (give --user and --password)"
    return ConvergenceError(f"HTTP {status}: {msg}", where)


class RemoteStore(Store):
    """A SPARQL 1.1 engine reached over HTTP, read through ``endpoint``, written by ``push``.

    ``update_endpoint`` and ``gsp_endpoint`` (Graph Store Protocol) are used by ``convergence push``;
    ``user``/``password`` answer Digest or Basic challenges; ``timeout`` bounds each request in seconds.
    """

    def __init__(self, endpoint: str, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                 user: str | None = None, password: str | None = None, timeout: float = 60):
        if not re.match(r"^https?://", endpoint or ""):
            raise ConvergenceError(f"expected an http(s) URL, got {endpoint!r}", "--endpoint")
        self.endpoint, self.update_endpoint, self.gsp_endpoint = endpoint, update_endpoint, gsp_endpoint
        self.timeout = timeout
        handlers = []
        if user:
            pw = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoint, update_endpoint, gsp_endpoint):
                if url:
                    pw.add_password(None, url, user, password or "")
            handlers = [urllib.request.HTTPDigestAuthHandler(pw), urllib.request.HTTPBasicAuthHandler(pw)]
        self._opener = urllib.request.build_opener(*handlers)

    # ------------------------------------------------------------------ HTTP

    def _send(self, url: str, data: bytes | None = None, method: str = "POST", headers: dict | None = None,
              offset: int = 0, ok_missing: bool = False):
        """Send one request; return (content type, body). Failures become one-line ConvergenceErrors."""
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as exc:
            if ok_missing and exc.code == 404:
                return "", b""
            raise _engine_error(exc.code, exc.read(), offset, url.split("?")[0]) from None
        except (TimeoutError, socket.timeout):
            raise ConvergenceError(f"no answer within {self.timeout:g} s; the query may be too slow for this "
                                   "engine", url.split("?")[0]) from None
        except urllib.error.URLError as exc:
            reason = exc.reason if not isinstance(exc.reason, OSError) else (exc.reason.strerror or exc.reason)
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                reason = f"no answer within {self.timeout:g} s"
            raise ConvergenceError(f"cannot reach the SPARQL engine ({reason}); is it running?",
                                   url.split("?")[0]) from None
        except (OSError, http.client.HTTPException) as exc:
            raise ConvergenceError(f"the connection failed: {exc}", url.split("?")[0]) from None

    # ------------------------------------------------------------------ Store

    def run(self, sparql: str) -> Result:
        """Send a query with the project's PREFIX lines and parse the answer into a Result."""
        form = query_form(sparql)
        if form == "UPDATE":
            raise ConvergenceError("updates are not allowed here: the graph changes only through "
                                   "`convergence build` and `convergence push`", "query")
        prologue = prologue_for(sparql)
        data = urllib.parse.urlencode({"query": prologue + sparql}).encode("utf-8")
        ctype, body = self._send(self.endpoint, data, headers={
            "Accept": _ACCEPT[form], "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            offset=prologue.count("\n"))
        if form in ("CONSTRUCT", "DESCRIBE"):
            return Result(form, triples=self._triples(ctype, body))
        try:
            doc = json.loads(body)
        except ValueError:
            tail = re.search(r"[A-Za-z][^{}\[\]\"]*$", body.decode("utf-8", "replace").strip())
            raise ConvergenceError("the engine stopped its answer part-way (past its time limit?): "
                                   f"{tail.group() if tail else _first_line(body)}", self.endpoint) from None
        if form == "ASK":
            return Result(form, boolean=_boolean(doc))
        variables = doc.get("head", {}).get("vars", [])
        rows = [tuple(_term(b[v]) if v in b else None for v in variables)
                for b in doc.get("results", {}).get("bindings", [])]
        return Result(form, variables, rows)

    def _triples(self, ctype: str, body: bytes) -> list:
        """Parse an RDF answer by its media type into triples."""
        fmt = ox.RdfFormat.from_media_type(ctype.split(";")[0].strip() or "application/n-triples")
        if fmt is None:
            raise ConvergenceError(f"the engine answered in {ctype!r}, not N-Triples or Turtle", self.endpoint)
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        except SyntaxError as exc:
            raise ConvergenceError(f"cannot parse the engine's answer: {exc}", self.endpoint) from None

    def quads(self, graph: str | None = None):
        """Yield the quads of one project graph, or of every project graph."""
        for g in [graph] if graph else self.graphs():
            name = ox.NamedNode(g)
            res = self.run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
            yield from (ox.Quad(t.subject, t.predicate, t.object, name) for t in res.triples)

    def graphs(self) -> list:
        """Return the project's named graphs (IRIs under the project namespace, the push manifest aside)."""
        res = self.run(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                       f'FILTER(STRSTARTS(STR(?g), "{BASE}") && ?g != <{MANIFEST}>) }}')
        return sorted(r[0].value for r in res.rows)

    def __len__(self):
        res = self.run(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                       f'FILTER(STRSTARTS(STR(?g), "{BASE}") && ?g != <{MANIFEST}>) }}')
        return int(res.rows[0][0].value)

    # ------------------------------------------------------------------ writing (push)

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to the update endpoint."""
        if not self.update_endpoint:
            raise ConvergenceError("no update endpoint; give --update-endpoint URL (or --gsp-endpoint)",
                                   "--update-endpoint")
        data = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._send(self.update_endpoint, data,
                   headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def _gsp(self, graph: str) -> str:
        sep = "&" if "?" in self.gsp_endpoint else "?"
        return self.gsp_endpoint + sep + urllib.parse.urlencode({"graph": graph})

    def put_graph(self, graph: str, triples) -> None:
        """Replace one named graph's content (Graph Store Protocol PUT, else DROP + INSERT DATA)."""
        text = "".join(f"{t} .\n" for t in triples)
        if self.gsp_endpoint:
            self._send(self._gsp(graph), text.encode("utf-8"), method="PUT",
                       headers={"Content-Type": "text/turtle; charset=utf-8"})
        else:
            name = ox.NamedNode(graph)
            self.update(f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{text}}} }}")

    def delete_graph(self, graph: str) -> None:
        """Remove one named graph (Graph Store Protocol DELETE, else DROP SILENT GRAPH)."""
        if self.gsp_endpoint:
            self._send(self._gsp(graph), method="DELETE", ok_missing=True)
        else:
            self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")
