"""RDF exports of a subgraph: Turtle, TriG, N-Quads and JSON-LD, byte-identical for the same selection.

The exported dataset holds each statement in the named graph of every source that states it (with
its qualified relation: dates, amounts), the entities' identity (types, labels, descriptions,
domains) in ``cgg:entities``/``cgg:taxonomy``, the entities' source-given attributes (dual use,
dates, budgets) and the cited sources' descriptions in ``cgg:sources``, so the file stands alone.
"""

import hashlib
import json

import pyoxigraph as ox

from ..namespaces import GRAPHS, PREFIXES, shorten

__all__ = ["subgraph_quads", "turtle", "trig", "nquads", "jsonld", "jsonld_context", "header"]

_IDENTITY = (GRAPHS["entities"], GRAPHS["taxonomy"])
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_QUALIFIED = """
SELECT ?g ?q ?s ?p ?o ?qp ?qo WHERE {
  GRAPH ?g { ?q a cg:QualifiedRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ?qp ?qo }
}"""

_NODE_TRIPLES = """
SELECT ?g ?n ?p ?o ?bp ?bo WHERE {
  GRAPH ?g { ?n ?p ?o OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) } }
  FILTER(!isIRI(?o) || ?g IN (cgg:entities, cgg:taxonomy))
  FILTER(?g != cgg:sources && ?g != cgg:ontology)
}"""

_SOURCE_TRIPLES = """SELECT ?g ?p ?o WHERE { GRAPH cgg:sources { ?g ?p ?o } }"""


def _key(term) -> tuple:
    """A sort key for terms that is stable across runs and stores."""
    if isinstance(term, ox.NamedNode):
        return (0, term.value, "", "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value, "", "")
    if isinstance(term, ox.DefaultGraph):
        return (-1, "", "", "")
    return (2, term.value, term.datatype.value if term.datatype else "", term.language or "")


def quad_key(q) -> tuple:
    """Sort quads by graph, subject, predicate, object."""
    return (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object))


def _bnode(g, n, p, triples) -> ox.BlankNode:
    """A blank node named by its content, so the same budget gets the same label in every export."""
    text = "|".join([g, n, p] + sorted(f"{a} {b}" for a, b in triples))
    return ox.BlankNode("b" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


def subgraph_quads(kg, sub) -> list:
    """Return the subgraph as sorted Quads (see the module docstring for what it holds).

    A subgraph cut by ``graph.markings.restrict`` keeps out attributes and sources above its limit.
    """
    from ..entity import sources_info
    from ..markings import allowed_sources, limit_of

    sources = sources_info(kg)
    allowed = allowed_sources(kg, limit_of(kg, sub))
    if allowed is None:
        allowed = set(sources)
    quads = set()
    stated = {}
    for e in sub.edges:
        for g in e.sources:
            quads.add(ox.Quad(ox.NamedNode(e.source), ox.NamedNode(e.predicate), ox.NamedNode(e.target),
                              ox.NamedNode(g)))
            stated[(e.source, e.predicate, e.target, g)] = True
    subjects = sorted({e.source for e in sub.edges})
    if subjects:
        for g, q, s, p, o, qp, qo in kg.query(_QUALIFIED, s=[ox.NamedNode(x) for x in subjects]).rows:
            if (s.value, p.value, o.value, g.value) in stated and not isinstance(qo, ox.BlankNode):
                quads.add(ox.Quad(q, qp, qo, g))
    cited = {g for e in sub.edges for g in e.sources}
    if sub.nodes:
        blanks = {}
        rows = kg.query(_NODE_TRIPLES, n=[ox.NamedNode(x) for x in sorted(sub.nodes)]).rows
        for g, n, p, o, bp, bo in rows:
            if g.value not in _IDENTITY and g.value not in allowed:
                continue
            if isinstance(o, ox.BlankNode):
                if bp is not None and not isinstance(bo, ox.BlankNode):
                    blanks.setdefault((g, n, p, o.value), set()).add((bp, bo))
                continue
            quads.add(ox.Quad(n, p, o, g))
            if g.value not in _IDENTITY:
                cited.add(g.value)
        for (g, n, p, _), triples in blanks.items():
            b = _bnode(g.value, n.value, p.value, [(str(a), str(c)) for a, c in triples])
            quads.add(ox.Quad(n, p, b, g))
            quads.update(ox.Quad(b, a, c, g) for a, c in triples)
            cited.add(g.value)
    if cited:
        for g, p, o in kg.query(_SOURCE_TRIPLES, g=[ox.NamedNode(x) for x in sorted(cited)]).rows:
            if not isinstance(o, ox.BlankNode):
                quads.add(ox.Quad(g, p, o, ox.NamedNode(GRAPHS["sources"])))
    return sorted(quads, key=quad_key)


def header(sub, kind: str) -> str:
    """Return comment lines saying what was selected (one '#' line each; user text cannot end a comment)."""
    from ..briefing import scope_lines

    lines = [f"Convergence Graph {kind}"] + [f"{k}: {v}" for k, v in scope_lines(sub)]
    return "".join("# " + " ".join(str(line).split()) + "\n" for line in lines)


def _serialize(items, fmt) -> bytes:
    """Serialise with the project's prefixes, the @prefix lines sorted (Oxigraph writes them in any order)."""
    lines = ox.serialize(items, format=fmt, prefixes=PREFIXES).decode("utf-8").split("\n")
    n = 0
    while n < len(lines) and lines[n].startswith("@prefix "):
        n += 1
    return "\n".join(sorted(lines[:n]) + lines[n:]).encode("utf-8")


def turtle(kg, sub, options=None) -> bytes:
    """Turtle: every statement once (Turtle has no graphs: use TriG or N-Quads to keep who says what)."""
    triples = sorted({q.triple for q in subgraph_quads(kg, sub)}, key=lambda t: (_key(t.subject),
                                                                                  _key(t.predicate), _key(t.object)))
    return header(sub, "subgraph (Turtle)").encode("utf-8") + _serialize(triples, ox.RdfFormat.TURTLE)


def trig(kg, sub, options=None) -> bytes:
    """TriG: each source's statements in the named graph of the source, identity and sources in theirs."""
    return header(sub, "subgraph (TriG)").encode("utf-8") + _serialize(subgraph_quads(kg, sub), ox.RdfFormat.TRIG)


def nquads(kg, sub, options=None) -> bytes:
    """N-Quads: one statement a line, sorted, with its graph."""
    return "".join(f"{q} .\n" for q in subgraph_quads(kg, sub)).encode("utf-8")


def jsonld_context() -> dict:
    """The compact context written into every JSON-LD export: the project's prefixes."""
    return dict(sorted(PREFIXES.items()))


def _compact(iri: str) -> str:
    short = shorten(iri)
    return short if short != iri and short.split(":", 1)[0] in PREFIXES else iri


def _value(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"@id": _compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": "_:" + term.value}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value)}


def jsonld(kg, sub, options=None) -> bytes:
    """JSON-LD: one entry per named graph, subjects and values sorted, IRIs compacted by the context."""
    graphs = {}
    for q in subgraph_quads(kg, sub):
        subj = ("_:" + q.subject.value) if isinstance(q.subject, ox.BlankNode) else _compact(q.subject.value)
        node = graphs.setdefault(_compact(q.graph_name.value), {}).setdefault(subj, {"@id": subj})
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(q.object.value))
        else:
            node.setdefault(_compact(q.predicate.value), []).append(_value(q.object))
    doc = {"@context": jsonld_context(),
           "@graph": [{"@id": g, "@graph": [dict(sorted(n.items(), key=lambda kv: (kv[0] not in ("@id", "@type"),
                                                                                  kv[0])))
                                            for _, n in sorted(nodes.items())]}
                      for g, nodes in sorted(graphs.items())]}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
