"""How is A connected to B: the k shortest meaningful paths, each step the facts with their sources."""

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from ..errors import ConvergenceError
from ..namespaces import expand
from ..subgraph import Edge, _describe, _finish
from .cache import memo
from .projection import label_of, projection

__all__ = ["paths", "Path", "path_subgraph", "paths_table"]


@dataclass
class Path:
    """One way two entities are connected: the nodes in order and, per step, the facts linking them."""

    nodes: list
    steps: list  # one list of Edge per consecutive pair

    def __len__(self):
        return len(self.steps)


def _facts_between(g, a, b) -> list:
    """Return the Edges between two nodes, either direction, with their sources and dates."""
    out = []
    for u, v in ((a, b), (b, a)):
        for key, data in (g.get_edge_data(u, v) or {}).items():
            out.append(Edge(u, key, v, tuple(sorted(data["sources"])), data.get("start"), data.get("end")))
    return sorted(out, key=lambda e: (e.predicate, e.source))


def _undirected(kg, avoid_types: tuple) -> nx.Graph:
    """The projection as a simple undirected graph without nodes of the avoided types (cached)."""
    def build():
        g = projection(kg)
        und = nx.Graph()
        und.add_edges_from((u, v) for u, v in g.edges() if u != v)
        und.remove_nodes_from([n for n, t in g.nodes(data="type") if t in avoid_types])
        return und

    return memo(kg, "undirected", avoid_types, build)


def paths(kg, a: str, b: str, k: int = 3, max_hops: int = 6, avoid_types=("Country",)) -> list:
    """Return up to ``k`` shortest paths from a to b (at most ``max_hops`` steps), each step's facts cited.

    Intermediate nodes of the ``avoid_types`` (countries by default, which connect almost everything)
    are skipped so the paths say something; set ``avoid_types=()`` to allow them.
    """
    g = projection(kg)
    a, b = expand(a), expand(b)
    for x in (a, b):
        if x not in g or g.degree(x) == 0:
            raise ConvergenceError(f"{x} has no sourced relation in the graph", "path")
    if int(k) < 1:
        raise ConvergenceError("k must be at least 1", "k")
    und = _undirected(kg, tuple(sorted(avoid_types or ())))
    if a not in und or b not in und:  # an avoided type at an end: put it back for this search only
        und, ends = und.copy(), {a, b} - set(und)
        und.add_nodes_from(ends)
        for x in ends:
            und.add_edges_from((x, y) for y in nx.all_neighbors(g, x) if y in und and y != x)
    if a == b:
        return []
    try:
        found = list(islice(nx.shortest_simple_paths(und, a, b), int(k)))
    except nx.NetworkXNoPath:
        return []
    return [Path(p, [_facts_between(g, x, y) for x, y in zip(p, p[1:])]) for p in found if len(p) - 1 <= max_hops]


def path_subgraph(kg, found: list, lang: str = "en"):
    """Return a Subgraph of the nodes and facts along the given paths."""
    nodes = _describe(kg, sorted({n for p in found for n in p.nodes}))
    edges = {(e.source, e.predicate, e.target): e for p in found for step in p.steps for e in step}
    focus = found[0].nodes[0] if found else None
    return _finish(kg, nodes, edges, focus, None, {"paths": [p.nodes for p in found]})


def paths_table(kg, found: list, lang: str = "en"):
    """Return the paths as a DataFrame, one row per fact: path, step, from, relation, to, date, sources."""
    import pandas as pd

    from ..entity import relation_labels, sources_info

    g, names, srcs = projection(kg), relation_labels(kg, lang), sources_info(kg)
    rows = []
    for i, p in enumerate(found, 1):
        for j, step in enumerate(p.steps, 1):
            for e in step:
                cited = [srcs[s] for s in e.sources if s in srcs]
                rows.append({"path": i, "step": j, "from": label_of(g, e.source, lang),
                             "relation": names.get(e.predicate, e.relation), "to": label_of(g, e.target, lang),
                             "date": e.start or "", "sources": "; ".join(
                                 f"{s.title} ({s.publisher}, {s.issued or 'undated'}) {s.url}" for s in cited),
                             "from IRI": e.source, "to IRI": e.target})
    return pd.DataFrame(rows, columns=["path", "step", "from", "relation", "to", "date", "sources", "from IRI",
                                       "to IRI"])
