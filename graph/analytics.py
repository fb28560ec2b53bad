"""The networkx projection of the entity graph, and what is measured on it (paths first)."""

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from .errors import ConvergenceError
from .namespaces import expand
from .subgraph import Edge, _describe, _finish

__all__ = ["projection", "paths", "Path", "path_subgraph", "domain_matrix"]

_RELATIONS = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  GRAPH cgg:ontology { ?p a cg:SourcedRelation }
  FILTER(isIRI(?o) && isIRI(?s))
}"""


def projection(kg) -> nx.MultiDiGraph:
    """Return every sourced relation between entities as a MultiDiGraph (cached on the Graph).

    Each edge has ``key`` = the property IRI and ``sources`` = the source IRIs stating it.
    """
    cached = getattr(kg, "_projection", None)
    if cached is not None:
        return cached
    g = nx.MultiDiGraph()
    for s, p, o, src in kg.query(_RELATIONS).rows:
        key = (s.value, o.value, p.value)
        if g.has_edge(*key):
            g.edges[key]["sources"].add(src.value)
        else:
            g.add_edge(s.value, o.value, key=p.value, sources={src.value})
    kg._projection = g
    return g


@dataclass
class Path:
    """One way two entities are connected: the nodes in order and, per step, the facts linking them."""

    nodes: list
    steps: list  # one list of Edge per consecutive pair

    def __len__(self):
        return len(self.steps)


def _facts_between(g, a, b) -> list:
    """Return the Edges between two nodes, either direction, with their sources."""
    out = []
    for u, v in ((a, b), (b, a)):
        for key, data in (g.get_edge_data(u, v) or {}).items():
            out.append(Edge(u, key, v, tuple(sorted(data["sources"]))))
    return sorted(out, key=lambda e: (e.predicate, e.source))


def paths(kg, a: str, b: str, k: int = 3, max_hops: int = 6, avoid_types=("Country",)) -> list:
    """Return up to ``k`` shortest paths from a to b (at most ``max_hops`` steps), each step's facts cited.

    Intermediate nodes of the ``avoid_types`` (countries by default, which connect almost everything)
    are skipped so the paths say something; set ``avoid_types=()`` to allow them.
    """
    g = projection(kg)
    a, b = expand(a), expand(b)
    for x in (a, b):
        if x not in g:
            raise ConvergenceError(f"{x} has no sourced relation in the graph", "path")
    und = nx.Graph(g)
    if avoid_types:
        inner = [n for n in und if n not in (a, b)]
        types = _describe(kg, inner) if len(inner) < 50000 else {}
        und.remove_nodes_from([n for n, node in types.items() if node.type in set(avoid_types)])
    try:
        found = list(islice(nx.shortest_simple_paths(und, a, b), k))
    except nx.NetworkXNoPath:
        return []
    return [Path(p, [_facts_between(g, x, y) for x, y in zip(p, p[1:])]) for p in found if len(p) - 1 <= max_hops]


def path_subgraph(kg, found: list, lang: str = "en"):
    """Return a Subgraph of the nodes and facts along the given paths."""
    nodes = _describe(kg, sorted({n for p in found for n in p.nodes}))
    edges = {(e.source, e.predicate, e.target): e for p in found for step in p.steps for e in step}
    focus = found[0].nodes[0] if found else None
    return _finish(kg, nodes, edges, focus, None, {"paths": [p.nodes for p in found]})


_SPANS = """
SELECT ?kind ?x ?d WHERE {
  { ?x a cg:Technology ; cg:inDomain ?d BIND("technologies" AS ?kind) }
  UNION { ?x cg:worksOn|cg:develops ?t . ?t cg:inDomain ?d . ?x a ?c . ?c rdfs:subClassOf* cg:Actor BIND("actors" AS ?kind) }
  UNION { ?x a ?c . ?c rdfs:subClassOf* cg:Initiative . ?x cg:addresses|cg:inDomain ?a .
          { ?a cg:inDomain ?d } UNION { ?a a cg:Domain BIND(?a AS ?d) } BIND("programmes" AS ?kind) }
  UNION { ?x a cg:UseCase . { ?x cg:inDomain ?d } UNION { ?t cg:enables ?x . ?t cg:inDomain ?d } BIND("use cases" AS ?kind) }
}"""

_CONVERGES = """
SELECT ?a ?b ?da ?db WHERE { ?a cg:convergesWith ?b . ?a cg:inDomain ?da . ?b cg:inDomain ?db FILTER(?da != ?db) }"""

_DOMAIN_LABELS = """SELECT ?d ?l WHERE { ?d a cg:Domain ; skos:prefLabel ?l FILTER(LANG(?l) = ?lang || LANG(?l) = "en") }"""


def domain_matrix(kg, lang: str = "en"):
    """Return a DataFrame of cross-domain links per pair of domains, by kind, with a total.

    A pair counts an entity once when it spans both domains (a technology in both, an actor working
    on technologies of both, a programme addressing both, a use case of both) and each
    ``convergesWith`` link between technologies of the two domains.
    """
    import pandas as pd

    spans = {}
    for kind, x, d in kg.query(_SPANS).rows:
        spans.setdefault((kind.value, x.value), set()).add(d.value)
    counts = {}
    for (kind, _), domains in spans.items():
        for a in domains:
            for b in domains:
                if a < b:
                    counts.setdefault((a, b), {}).setdefault(kind, 0)
                    counts[(a, b)][kind] += 1
    links = {tuple(sorted((da.value, db.value))) + tuple(sorted((a.value, b.value)))
             for a, b, da, db in kg.query(_CONVERGES).rows}
    for da, db, _, _ in links:
        counts.setdefault((da, db), {}).setdefault("convergence links", 0)
        counts[(da, db)]["convergence links"] += 1
    names = {}
    for d, label in kg.query(_DOMAIN_LABELS, lang=lang).rows:
        if label.language == lang or d.value not in names:
            names[d.value] = label.value
    kinds = ["technologies", "convergence links", "actors", "programmes", "use cases"]
    rows = [{"domain A": names.get(a, a), "domain B": names.get(b, b), **{k: c.get(k, 0) for k in kinds}}
            for (a, b), c in counts.items()]
    df = pd.DataFrame(rows, columns=["domain A", "domain B"] + kinds)
    df["total"] = df[kinds].sum(axis=1)
    return df.sort_values(["total", "domain A", "domain B"], ascending=[False, True, True]).reset_index(drop=True)
