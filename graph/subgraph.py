"""Pick a subgraph: a focus with hops and filters, a list of entities, a CONSTRUCT or a named query.

A Subgraph holds entities (nodes) and sourced relations (edges), each edge with the sources that
state it, so every view, picture and export can cite them.
"""

from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import ConvergenceError
from .namespaces import CG, expand
from .params import to_term

__all__ = ["Node", "Edge", "Subgraph", "focus", "from_entities", "from_construct", "from_named_query",
           "TYPE_ORDER", "overlaps", "merge", "explore", "entities_in"]

#: Classes from most to least specific: a node shows the first one it has.
TYPE_ORDER = ("Person", "Country", "Company", "ResearchOrganisation", "FundingBody", "GovernmentBody",
              "IntergovernmentalOrganisation", "AllianceBody", "Organisation", "Technology", "Domain",
              "Programme", "Strategy", "Standard", "WorkStream", "UseCase", "Event", "Place", "Post")

_EDGES = """
SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?n ?p ?o } BIND(?n AS ?s) } UNION { GRAPH ?g { ?s ?p ?n } BIND(?n AS ?o) }
  GRAPH cgg:ontology { ?p a cg:SourcedRelation }
  FILTER(isIRI(?s) && isIRI(?o))
}"""

_EDGES_AMONG = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  GRAPH cgg:ontology { ?p a cg:SourcedRelation }
  FILTER(isIRI(?o))
}"""

_NODES = """
SELECT DISTINCT ?n ?type ?label ?domain ?country WHERE {
  { ?n a ?type . FILTER(STRSTARTS(STR(?type), STR(cg:))) }
  UNION { ?n skos:prefLabel ?label }
  UNION { ?n cg:inDomain ?domain }
  UNION { ?n cg:worksOn ?t . ?t cg:inDomain ?domain }
  UNION { ?n cg:develops ?t . ?t cg:inDomain ?domain }
  UNION { ?n cg:basedIn ?country . ?country a cg:Country }
}"""
# (alternatives written as separate branches: Oxigraph then joins each with the bound ?n first, 8x faster)

_DATES = """
SELECT ?s ?p ?o ?start ?end ?date WHERE {
  ?q a cg:QualifiedRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?q schema:startDate ?start } OPTIONAL { ?q schema:endDate ?end } OPTIONAL { ?q dct:date ?date }
}"""

_ISSUED = """
SELECT ?g ?issued WHERE { GRAPH cgg:sources { ?g dct:issued ?issued } }"""


def overlaps(start: str | None, end: str | None, lo: str | None, hi: str | None) -> bool:
    """True when the period from ``start`` to ``end`` meets [lo, hi]; a missing end means ongoing.

    Dates may be YYYY, YYYY-MM or YYYY-MM-DD and are compared at the coarser precision.

    >>> overlaps("2024", "2024", "2024-11-01", "2024-11-30")
    True
    >>> overlaps("2023-01-05", "2023-12-31", "2024", None)
    False
    >>> overlaps("2020", None, "2025-06", None)
    True
    """
    if start is None and end is None:
        return False

    def cut(a, b):
        n = min(len(a), len(b))
        return a[:n], b[:n]

    if lo and end is not None:
        e, l_ = cut(end, lo)
        if e < l_:
            return False
    if hi and start is not None:
        s, h = cut(start, hi)
        if s > h:
            return False
    return True


@dataclass
class Node:
    """An entity in a subgraph."""

    iri: str
    type: str = ""
    labels: dict = field(default_factory=dict)
    domains: tuple = ()
    countries: tuple = ()
    degree: int = 0

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back to English, then to the IRI's last part."""
        return self.labels.get(lang) or self.labels.get("en") or next(
            iter(self.labels.values()), self.iri.rstrip("/").rsplit("/", 1)[-1])


@dataclass
class Edge:
    """A sourced relation between two entities, with its sources and dates."""

    source: str
    predicate: str
    target: str
    sources: tuple = ()
    start: str | None = None
    end: str | None = None

    @property
    def relation(self) -> str:
        """The property's local name, such as worksOn."""
        return self.predicate.rsplit("#", 1)[-1]


@dataclass
class Subgraph:
    """Nodes and edges picked from the graph, with a description of how they were picked."""

    nodes: dict
    edges: list
    focus: str | None = None
    left_out: int = 0
    scope: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.nodes)

    def sources(self) -> list:
        """Every source IRI cited by an edge, sorted."""
        return sorted({s for e in self.edges for s in e.sources})


def _iri(kg, value) -> ox.NamedNode:
    return value if isinstance(value, ox.NamedNode) else ox.NamedNode(expand(str(value)))


def _edge_rows(kg, frontier, among=False):
    """Return (s, p, o, g) rows touching the frontier nodes (or between them when ``among``)."""
    terms = [ox.NamedNode(n) for n in sorted(frontier)]
    if not terms:
        return []
    if among:
        res = kg.query(_EDGES_AMONG, s=terms, o=terms)
    else:
        res = kg.query(_EDGES, n=terms)
    return [(s.value, p.value, o.value, g.value) for s, p, o, g in res.rows]


def _describe(kg, iris) -> dict:
    """Return Node objects for the IRIs: type, labels by language, domains, countries."""
    nodes = {i: Node(i) for i in iris}
    if not nodes:
        return nodes
    res = kg.query(_NODES, n=[ox.NamedNode(i) for i in sorted(nodes)])
    types, domains, countries = {}, {}, {}
    for n, typ, label, domain, country in res.rows:
        node = nodes[n.value]
        if typ is not None:
            types.setdefault(n.value, set()).add(typ.value.rsplit("#", 1)[-1])
        if label is not None:
            node.labels.setdefault(label.language or "en", label.value)
        if domain is not None:
            domains.setdefault(n.value, set()).add(domain.value)
        if country is not None:
            countries.setdefault(n.value, set()).add(country.value)
    for iri, node in nodes.items():
        have = types.get(iri, set())
        node.type = next((t for t in TYPE_ORDER if t in have), next(iter(sorted(have)), ""))
        node.domains = tuple(sorted(domains.get(iri, ())))
        node.countries = tuple(sorted(countries.get(iri, ())))
    return nodes


def _edges_from_rows(rows) -> dict:
    """Group (s, p, o, g) rows into Edges keyed by (s, p, o)."""
    edges = {}
    for s, p, o, g in rows:
        e = edges.setdefault((s, p, o), Edge(s, p, o))
        if g not in e.sources:
            e.sources = tuple(sorted(e.sources + (g,)))
    return edges


def _date_edges(kg, edges: dict) -> None:
    """Date each edge: its qualified relation's start/end (no end: ongoing) or date, else its sources' dates."""
    if not edges:
        return
    subjects = sorted({s for s, _, _ in edges})
    for s, p, o, start, end, date in kg.query(_DATES, s=[ox.NamedNode(x) for x in subjects]).rows:
        e = edges.get((s.value, p.value, o.value))
        if e is None:
            continue
        if start is not None or end is not None:
            e.start = start.value if start is not None else None
            e.end = end.value if end is not None else None
        elif date is not None:
            e.start = e.end = date.value
    issued = {g.value: d.value for g, d in kg.query(_ISSUED).rows}
    for e in edges.values():
        if e.start is None and e.end is None:
            dates = sorted(issued[g] for g in e.sources if g in issued)
            if dates:
                e.start, e.end = dates[0], dates[-1]


def _keep_node(node: Node, types, domains, countries) -> bool:
    """Apply the entity filters; nodes without a domain or country pass those filters."""
    if types and node.type not in types:
        return False
    if domains and node.domains and not set(node.domains) & domains:
        return False
    if countries:
        if node.type == "Country":
            return node.iri in countries
        if node.countries and not set(node.countries) & countries:
            return False
    return True


def _finish(kg, nodes: dict, edges: dict, focus_iri, cap, scope) -> Subgraph:
    """Count degrees, cap the nodes (keeping the focus and the most connected) and build the Subgraph."""
    edges = {k: e for k, e in edges.items() if e.source in nodes and e.target in nodes}
    for e in edges.values():
        nodes[e.source].degree += 1
        nodes[e.target].degree += 1
    left_out = 0
    if cap and len(nodes) > cap:
        ranked = sorted(nodes.values(), key=lambda n: (n.iri != focus_iri, -n.degree, n.label().lower()))
        keep = {n.iri for n in ranked[:cap]}
        left_out = len(nodes) - len(keep)
        nodes = {i: n for i, n in nodes.items() if i in keep}
        edges = {k: e for k, e in edges.items() if e.source in keep and e.target in keep}
    ordered = sorted(edges.values(), key=lambda e: (e.source, e.predicate, e.target))
    return Subgraph(dict(sorted(nodes.items())), ordered, focus_iri, left_out, scope)


def focus(kg, entity, hops: int = 1, types=None, domains=None, countries=None, relations=None,
          date_from: str | None = None, date_to: str | None = None, include_undated: bool = True,
          cap: int | None = 150) -> Subgraph:
    """Return the neighbourhood of ``entity`` within ``hops`` steps, filtered and capped.

    ``types`` are class names (e.g. Company), ``domains``/``countries``/``relations`` IRIs or prefixed
    names; dates bound the facts by their qualified dates or, failing those, their sources' dates.
    With a cap, the focus and the best-connected entities are kept; around a hub, only the best
    connected of a step's entities are followed one step further (``scope["pruned"]`` says so).
    """
    if not 1 <= int(hops) <= 3:
        raise ConvergenceError("hops must be 1, 2 or 3", "hops")
    for name, value in (("from", date_from), ("to", date_to)):
        if value:
            to_term(name, "date", value)
    start = _iri(kg, entity).value
    if not kg.query("ASK { ?e a ?t }", e=ox.NamedNode(start)).boolean:
        raise ConvergenceError(f"no entity {start} in the graph", "focus")
    types = set(types or ())
    domains = {expand(d) for d in domains or ()}
    countries = {expand(c) for c in countries or ()}
    relations = {expand(r) if ":" in r else CG + r for r in relations or ()}
    filtering = bool(types or domains or countries)
    described = _describe(kg, [start])
    found_nodes, edges, frontier, pruned = {start}, {}, {start}, False
    widest = max(cap or 0, 200) if cap else None
    for _ in range(int(hops)):
        found = _edges_from_rows(_edge_rows(kg, frontier))
        if relations:
            found = {k: e for k, e in found.items() if e.predicate in relations}
        if date_from or date_to:
            _date_edges(kg, found)
            found = {k: e for k, e in found.items()
                     if (e.start is None and e.end is None and include_undated)
                     or overlaps(e.start, e.end, date_from, date_to)}
        new = {x for e in found.values() for x in (e.source, e.target)} - found_nodes
        if filtering:
            described.update(_describe(kg, new))
            new = {i for i in new if _keep_node(described[i], types, domains, countries)}
        found_nodes |= new
        edges.update({k: e for k, e in found.items() if e.source in found_nodes and e.target in found_nodes})
        frontier = new
        if widest and len(frontier) > widest:   # a hub: only the best connected go one step further
            frontier, pruned = _best_connected(frontier, edges, widest), True
        if not frontier:
            break
    keep, left_out = (found_nodes, 0) if not cap or len(found_nodes) <= cap else (
        _best_connected(found_nodes - {start}, edges, cap - 1) | {start}, len(found_nodes) - cap)
    described.update(_describe(kg, keep - set(described)))
    edges = {k: e for k, e in edges.items() if e.source in keep and e.target in keep}
    _date_edges(kg, edges)
    scope = {"focus": start, "hops": int(hops), "types": sorted(types), "domains": sorted(domains),
             "countries": sorted(countries), "relations": sorted(relations), "from": date_from,
             "to": date_to, "cap": cap, "pruned": pruned}
    sub = _finish(kg, {i: described[i] for i in keep}, edges, start, None, scope)
    sub.left_out = left_out
    return sub


def _best_connected(candidates, edges: dict, n: int) -> set:
    """The ``n`` candidates with the most edges among ``edges`` (ties broken by IRI, so stable)."""
    degree = dict.fromkeys(candidates, 0)
    for s, _, o in edges:
        if s in degree:
            degree[s] += 1
        if o in degree:
            degree[o] += 1
    return set(sorted(degree, key=lambda i: (-degree[i], i))[:n])


def from_entities(kg, entities, cap: int | None = None) -> Subgraph:
    """Return the given entities and every sourced relation among them."""
    iris = sorted({_iri(kg, e).value for e in entities})
    nodes = _describe(kg, iris)
    missing = [i for i, n in nodes.items() if not n.type]
    if missing:
        raise ConvergenceError(f"not in the graph: {', '.join(missing[:5])}", "entities")
    edges = _edges_from_rows(_edge_rows(kg, iris, among=True))
    _date_edges(kg, edges)
    return _finish(kg, nodes, edges, None, cap, {"entities": iris})


def from_construct(kg, sparql: str, cap: int | None = None) -> Subgraph:
    """Return the entities named by a CONSTRUCT's triples, with every sourced relation among them."""
    res = kg.query(sparql)
    if res.form not in ("CONSTRUCT", "DESCRIBE"):
        raise ConvergenceError("a subgraph query must be a CONSTRUCT or DESCRIBE", "query")
    iris = {t.subject.value for t in res.triples if isinstance(t.subject, ox.NamedNode)}
    iris |= {t.object.value for t in res.triples if isinstance(t.object, ox.NamedNode)}
    entity_iris = [i for i in iris if i.startswith("https://w3id.org/convergence-graph/id/")]
    sub = from_entities(kg, [i for i in entity_iris if "/id/source/" not in i and "/id/rel/" not in i], cap)
    sub.scope = {"construct": sparql}
    return sub


def entities_in(result) -> list:
    """The project entities a SELECT result names in any column (sources and qualified relations left out)."""
    return sorted({t.value for row in result.rows for t in row
                   if isinstance(t, ox.NamedNode) and t.value.startswith("https://w3id.org/convergence-graph/id/")
                   and "/id/source/" not in t.value and "/id/rel/" not in t.value})


def from_named_query(kg, name: str, cap: int | None = None, **params) -> Subgraph:
    """Return the entities a named query's answer names (every IRI column), with relations among them."""
    res = kg.run_named(name, **params)
    if res.form in ("CONSTRUCT", "DESCRIBE"):
        nq = kg.named_query(name)
        from .sparql import bind_values

        sub = from_construct(kg, bind_values(nq.sparql, nq.bindings(params)), cap)
    else:
        sub = from_entities(kg, entities_in(res), cap)
    sub.scope = {"named_query": name, "params": {k: str(v) for k, v in sorted(params.items())}}
    return sub


def merge(kg, parts, focus_iri=None, cap: int | None = None) -> Subgraph:
    """Return the union of subgraphs (edge sources merged), re-counted and capped around the focus."""
    nodes, edges = {}, {}
    for part in parts:
        for iri, node in part.nodes.items():
            nodes.setdefault(iri, Node(iri, node.type, dict(node.labels), node.domains, node.countries))
        for e in part.edges:
            key = (e.source, e.predicate, e.target)
            if key in edges:
                edges[key].sources = tuple(sorted(set(edges[key].sources) | set(e.sources)))
            else:
                edges[key] = Edge(e.source, e.predicate, e.target, e.sources, e.start, e.end)
    scope = dict(parts[0].scope) if parts else {}
    if len(parts) > 1:
        scope["expanded"] = [p.focus for p in parts[1:]]
    return _finish(kg, nodes, edges, focus_iri, cap, scope)


def explore(kg, center, hops: int = 1, expanded=(), cap: int | None = 150, **filters) -> Subgraph:
    """The Explore view: the focus's neighbourhood plus one hop around each expanded entity, capped."""
    parts = [focus(kg, center, hops, cap=None, **filters)]
    parts += [focus(kg, extra, 1, cap=None, **filters) for extra in expanded if extra != center]
    return merge(kg, parts, parts[0].focus, cap)
