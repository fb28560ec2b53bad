"""RDF files in: Turtle, TriG, N-Triples, N-Quads and JSON-LD, parsed offline (remote @context refused)."""

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConvergenceError
from .text import read_utf8_bytes
from ..namespaces import BASE, GRAPHS, PREFIXES
from .gate import Batch, Progress
from .sources import SourceInfo, SourceResolver

__all__ = ["FORMATS", "read_rdf", "text_locator", "IDENTITY_PREDICATES"]

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
           ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD,
           ".json": ox.RdfFormat.JSON_LD}

#: Predicates that say who or what an entity is; in a file without graphs they go to cgg:entities.
IDENTITY_PREDICATES = {PREFIXES["rdf"] + "type"} | {PREFIXES["skos"] + p for p in (
    "prefLabel", "altLabel", "exactMatch", "closeMatch", "relatedMatch", "broader", "inScheme")} | {
    PREFIXES["dct"] + "description", PREFIXES["cg"] + "inDomain"}

_BAR_FROM = 4 << 20  # show a bar for files from 4 MB


class _Counting(io.RawIOBase):
    """A byte stream that reports how much of it has been read."""

    def __init__(self, data: bytes, advance):
        self._buf, self._advance = io.BytesIO(data), advance

    def readable(self):
        return True

    def readinto(self, b):
        n = self._buf.readinto(b)
        self._advance(n)
        return n


def _remote_context(path: Path, text: str, doc) -> None:
    """Refuse a JSON-LD document that names a context (or @import) to load: it would need the network."""
    def bad(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context" and (isinstance(value, str) or (isinstance(value, list)
                                                                     and any(isinstance(v, str) for v in value))):
                    return value if isinstance(value, str) else next(v for v in value if isinstance(v, str))
                if key == "@import" and isinstance(value, str):
                    return value
                found = bad(value)
                if found:
                    return found
        elif isinstance(node, list):
            for item in node:
                found = bad(item)
                if found:
                    return found
        return None

    ref = bad(doc)
    if ref is None:
        return
    pos = text.find(json.dumps(ref))
    line = text.count("\n", 0, pos) + 1 if pos >= 0 else 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1 if pos >= 0 else 1
    raise ConvergenceError(f"remote JSON-LD context {ref!r} refused: nothing is fetched; put the context "
                           "inline in the file", f"{path.name}:{line}:{col}")


def _parse(path: Path, fmt, progress: Progress, graph=None) -> tuple:
    """Parse the file into an in-memory store, without network access (statements outside a graph go to
    ``graph`` when given). Returns ``(store, may_have_blank_nodes)``; a syntax error is located as
    ``FILE:LINE:COLUMN``."""
    try:
        data = read_utf8_bytes(path)
    except OSError as exc:
        raise ConvergenceError(f"cannot read file: {exc.strerror}", path.name) from None
    if not data.strip():
        raise ConvergenceError("the file is empty; nothing was imported", path.name)
    if fmt == ox.RdfFormat.JSON_LD:
        text = data.decode("utf-8")
        try:
            doc = json.loads(text)
            _remote_context(path, text, doc)
        except json.JSONDecodeError as exc:
            raise ConvergenceError(f"JSON syntax error: {exc.msg}", f"{path.name}:{exc.lineno}:{exc.colno}") from None
        except RecursionError:
            raise ConvergenceError("JSON nested too deeply to be a reasonable JSON-LD document", path.name) from None
    blank = fmt not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) or b"_:" in data
    advance = progress.bar(len(data), f"parsing {path.name}") if len(data) >= _BAR_FROM else (lambda n: None)
    stage = ox.Store()
    try:
        stage.load(io.BufferedReader(_Counting(data, advance), 1 << 20), format=fmt, base_iri=None,
                   to_graph=graph)
    except SyntaxError as exc:
        loc = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
        msg = re.sub(r"^Parser error (between|at) line \d+ (between )?columns? \d+( and (line \d+ column )?\d+)?:\s*",
                     "", str(exc.args[0]))
        where = f"{path.name}:{loc[1]}:{loc[2]}" if loc and loc[1] else path.name
        raise ConvergenceError(f"syntax error: {msg}", where) from None
    except (ValueError, OSError) as exc:
        raise ConvergenceError(f"cannot parse: {exc}", path.name) from None
    finally:
        progress.done()
    return stage, blank


def text_locator(path: Path, label: str | None = None):
    """Return ``locate(iri)``: the ``FILE:LINE`` of the first line writing the IRI (in full or prefixed)."""
    lines = None
    prefix_re = re.compile(r"(?:@prefix|PREFIX)\s+([\w-]*):\s*<([^>]*)>|\"([\w-]+)\"\s*:\s*\"(https?://[^\"]+)\"", re.I)
    label = label or path.name

    def locate(iri: str):
        nonlocal lines
        if lines is None:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        forms = [f"<{iri}>", f'"{iri}"']
        for line in lines:
            for m in prefix_re.finditer(line):
                pfx, ns = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
                if iri.startswith(ns) and len(iri) > len(ns):
                    forms.append(f"{pfx}:{iri[len(ns):]}")
        pattern = re.compile("|".join(re.escape(f) + r"(?![\w-])" for f in forms))
        for no, line in enumerate(lines, 1):
            if pattern.search(line):
                return f"{label}:{no}"
        return None

    return locate


_PLACE_IDENTITY = """DELETE {{ GRAPH <{src}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{ent}> {{ ?s ?p ?o }} }}
WHERE {{ GRAPH <{src}> {{ ?s ?p ?o }} VALUES ?p {{ {preds} }}
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ids}") && !STRSTARTS(STR(?s), "{ids}source/")
         && !STRSTARTS(STR(?s), "{ids}rel/") && !STRSTARTS(STR(?s), "{ids}suggestion/")) }}"""


def read_rdf(path, store, source: SourceInfo | None = None, progress: Progress | None = None) -> Batch:
    """Read an RDF file into a Batch for the gate (its statements in an in-memory store, ``Batch.stage``).

    Quads keep their graphs. Statements outside any graph (all of a Turtle or N-Triples file) need the
    ``source`` they come from: identity statements go to cgg:entities, the rest to the source's graph.
    """
    path = Path(path)
    progress = progress or Progress()
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConvergenceError(f"unknown RDF file type {path.suffix!r}; use .ttl, .trig, .nt, .nq, .jsonld "
                               "(or .csv/.xlsx with --mapping)", path.name)
    progress.step(f"parsing {path.name}")
    triples_only = fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE)
    src, extra = None, []
    if source is not None and triples_only:  # every statement is outside a graph: straight into the source's
        src, extra = SourceResolver(store).resolve(source, "--source-url")
    stage, blank = _parse(path, fmt, progress, ox.NamedNode(src) if src else None)
    first = next(iter(stage.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    if first is not None:
        if source is None:
            raise ConvergenceError(f"statements outside any named graph ({first.subject} {first.predicate} ...): "
                                   "give their source with --source-url, --title and --publisher (they go in "
                                   "its graph), or write them in a TriG graph", path.name)
        src, extra = SourceResolver(store).resolve(source, "--source-url")
        tmp = BASE + "graph/loose-statements"  # not a source graph: nothing else can be in it
        stage.update(f"MOVE DEFAULT TO <{tmp}>")
        stage.update(_placing(tmp, src))
        stage.update(f"MOVE <{tmp}> TO <{src}>")
    elif src:
        stage.update(_placing(src, src))
    n = len(stage)
    stage.extend(extra)
    return Batch([], path, "rdf", locate=text_locator(path), summary={"statements": n}, stage=stage,
                 blank_nodes=blank)


def _placing(graph: str, src: str) -> str:
    """The update that moves identity statements about the project's entities from ``graph`` to cgg:entities."""
    return _PLACE_IDENTITY.format(src=graph, ent=GRAPHS["entities"], ids=BASE + "id/",
                                  preds=" ".join(f"<{p}>" for p in sorted(IDENTITY_PREDICATES)))
