"""Releasability markings: what a source or statement may be shown to, and subgraphs cut to a limit.

A source carries ``cg:marking`` in ``cgg:sources``; a statement carries it on its qualified relation
(``rdf:subject``/``rdf:predicate``/``rdf:object``) in the source's graph. Unmarked means PUBLIC. A
statement stated by several sources is kept with those sources it may show and withheld when none is left.
"""

from dataclasses import dataclass, replace

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import CG, expand

__all__ = ["Marking", "PUBLIC", "levels", "parse_marking", "source_markings", "statement_markings",
           "edge_markings", "highest", "restrict", "allowed_sources", "limit_of"]

_LEVELS = """
SELECT ?m ?rank ?label WHERE {
  GRAPH cgg:ontology { ?m a cg:Marking ; cg:rank ?rank ; rdfs:label ?label }
}"""

_DATES = """
SELECT ?s ?p ?o ?g ?start ?end ?date WHERE {
  GRAPH ?g { ?q a cg:QualifiedRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             OPTIONAL { ?q schema:startDate ?start } OPTIONAL { ?q schema:endDate ?end } OPTIONAL { ?q dct:date ?date } }
}"""

_SOURCE_MARKS = """SELECT ?g ?m WHERE { GRAPH cgg:sources { ?g cg:marking ?m } }"""

_STATEMENT_MARKS = """
SELECT ?s ?p ?o ?g ?m WHERE {
  GRAPH ?g { ?q a cg:QualifiedRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; cg:marking ?m }
}"""


@dataclass(frozen=True, order=True)
class Marking:
    """One releasability level: higher ``rank`` means more restricted; ``name`` is what documents print."""

    rank: int
    name: str
    iri: str
    other_names: tuple = ()


#: The level of anything unmarked (used when the ontology is not loaded).
PUBLIC = Marking(0, "PUBLIC", CG + "Public")


def levels(kg) -> list:
    """Return the markings the ontology defines, least restricted first.

    >>> from graph import open_graph
    >>> [m.name for m in levels(open_graph())]
    ['PUBLIC', 'INTERNAL']
    """
    cached = getattr(kg, "_markings", None)
    if cached is not None:
        return cached
    ranks, english, other = {}, {}, {}
    for m, rank, label in kg.query(_LEVELS).rows:
        ranks[m.value] = int(rank.value)
        (english if label.language in ("en", "") else other).setdefault(m.value, set()).add(label.value)
    out = []
    for iri, rank in ranks.items():
        names = sorted(english.get(iri, ())) or sorted(other.get(iri, ())) or [iri.rsplit("#", 1)[-1].upper()]
        out.append(Marking(rank, names[0], iri, tuple(sorted((english.get(iri, set()) | other.get(iri, set()))
                                                                - {names[0]}))))
    out = sorted(out) or [PUBLIC]
    kg._markings = out
    return out


def _by_iri(kg) -> dict:
    return {m.iri: m for m in levels(kg)}


def parse_marking(kg, text: str) -> Marking:
    """Return the marking named by ``text``: its printed name (any case, English or French) or its IRI."""
    wanted = str(text).strip()
    full = expand(wanted)
    for m in levels(kg):
        if full == m.iri or wanted.upper() in {m.name.upper()} | {n.upper() for n in m.other_names}:
            return m
    names = ", ".join(m.name for m in levels(kg))
    raise ConvergenceError(f"unknown marking {wanted!r}; use one of {names}", "--marking")


def source_markings(kg) -> dict:
    """Return {source IRI: Marking} for every marked source (unmarked ones are PUBLIC and absent)."""
    known = _by_iri(kg)
    return {g.value: known.get(m.value, _unknown(m.value)) for g, m in kg.query(_SOURCE_MARKS).rows}


def _unknown(iri: str) -> Marking:
    """A marking the ontology does not define: treated as more restricted than any known one."""
    return Marking(10**6, iri.rsplit("#", 1)[-1].upper(), iri)


def statement_markings(kg, edges) -> dict:
    """Return {(s, p, o, source): Marking} for the edges' statements marked on their qualified relation."""
    subjects = sorted({e.source for e in edges})
    if not subjects:
        return {}
    known = _by_iri(kg)
    res = kg.query(_STATEMENT_MARKS, s=[ox.NamedNode(s) for s in subjects])
    return {(s.value, p.value, o.value, g.value): known.get(m.value, _unknown(m.value)) for s, p, o, g, m in res.rows}


def edge_markings(kg, sub) -> dict:
    """Return {(s, p, o): {source: Marking}}: each statement's level in each source that states it."""
    by_source = source_markings(kg)
    by_statement = statement_markings(kg, sub.edges)
    public = levels(kg)[0]
    out = {}
    for e in sub.edges:
        key = (e.source, e.predicate, e.target)
        out[key] = {g: max(by_source.get(g, public), by_statement.get(key + (g,), public)) for g in e.sources}
    return out


def highest(kg, sub) -> Marking:
    """Return the most restricted marking of anything the subgraph cites (PUBLIC when nothing is marked)."""
    marks = [m for per in edge_markings(kg, sub).values() for m in per.values()]
    return max(marks, default=levels(kg)[0])


def allowed_sources(kg, limit: Marking | None) -> set | None:
    """Return the source IRIs a document limited to ``limit`` may cite (None: no limit)."""
    if limit is None:
        return None
    from .entity import sources_info

    marks = source_markings(kg)
    public = levels(kg)[0]
    return {g for g in sources_info(kg) if marks.get(g, public).rank <= limit.rank}


def limit_of(kg, sub) -> Marking | None:
    """Return the marking limit a subgraph was cut to by ``restrict`` (None when it was not)."""
    name = (sub.scope or {}).get("marking")
    return parse_marking(kg, name) if name else None


def _redate(kg, edges) -> None:
    """Date edges from the qualified relations and issue dates of their remaining sources only."""
    if not edges:
        return
    from .entity import sources_info

    by_key = {(e.source, e.predicate, e.target): e for e in edges}
    res = kg.query(_DATES, s=[ox.NamedNode(x) for x in sorted({e.source for e in edges})])
    for s, p, o, g, start, end, date in res.rows:
        e = by_key.get((s.value, p.value, o.value))
        if e is not None and g.value in e.sources:
            first = start if start is not None else date
            e.start = first.value if first is not None else e.start
            e.end = end.value if end is not None else e.end
    info = sources_info(kg)
    for e in edges:
        if e.start is None:
            dates = sorted(info[g].issued for g in e.sources if g in info and info[g].issued)
            if dates:
                e.start, e.end = dates[0], dates[-1]


def restrict(kg, sub, limit):
    """Return a copy of the subgraph without anything marked above ``limit`` (a Marking or its name).

    Each statement keeps the sources it may show; one left with none is withheld, and so is an entity
    whose every statement was withheld (the focus and entities asked for by name stay). The scope
    records the limit and how many statements were withheld.
    """
    from .subgraph import Subgraph

    limit = limit if isinstance(limit, Marking) else parse_marking(kg, limit)
    marks = edge_markings(kg, sub)
    kept, withheld = {}, 0
    for e in sub.edges:
        key = (e.source, e.predicate, e.target)
        sources = tuple(g for g in e.sources if marks[key][g].rank <= limit.rank)
        if not sources:
            withheld += 1
            continue
        if sources == e.sources:
            kept[key] = replace(e)
        else:  # dates may have come from a withheld source: work them out again
            kept[key] = replace(e, sources=sources, start=None, end=None)
    _redate(kg, [e for e in kept.values() if e.start is None and e.end is None])
    linked = {x for e in kept.values() for x in (e.source, e.target)}
    was_linked = {x for e in sub.edges for x in (e.source, e.target)}
    named = set((sub.scope or {}).get("entities", ())) | {sub.focus}
    nodes = {}
    for iri, node in sub.nodes.items():
        if iri in linked or iri in named or iri not in was_linked:
            nodes[iri] = replace(node, labels=dict(node.labels), degree=0)
    for e in kept.values():
        nodes[e.source].degree += 1
        nodes[e.target].degree += 1
    scope = dict(sub.scope or {}, marking=limit.name, withheld=withheld,
                 withheld_entities=len(sub.nodes) - len(nodes))
    edges = sorted(kept.values(), key=lambda e: (e.source, e.predicate, e.target))
    return Subgraph(nodes, edges, sub.focus, sub.left_out, scope)
