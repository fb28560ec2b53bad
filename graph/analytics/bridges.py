"""Bridges between domains and the actors and programmes active in several of them, ranked with reasons.

Two measures on the entity graph (graph.analytics.projection.entity_graph: actors other than
countries, programmes, technologies, use cases):

- **cross-domain betweenness**: the share of shortest paths between technologies and use cases that
  share no domain (e.g. a quantum technology and a biotech use case) that pass through the entity.
  Brandes' algorithm counting only those pairs, from ``k`` source entities drawn with a fixed seed
  (all of them when there are at most ``k``, which makes the figure exact on small graphs), run by
  igraph (C): about 1.5 s for k = 200 on the 1M-statement graph's 53k entities and 286k links;
- **participation coefficient**: 1 - Σ_d (w_d / w)², where w_d is the weight of the entity's links to
  entities in domain d (a neighbour in several domains splits its weight among them): 0 when every
  neighbour is in one domain, towards 1 when the links spread evenly over many.
"""

import random
from math import fsum

from ..namespaces import expand
from .cache import disk_memo, memo_result
from .links import reason_text
from .projection import CORE_DOMAINS, domain_labels, entity_graph, entity_igraph, label_of, projection

__all__ = ["bridges", "convergence_actors", "cross_domain_betweenness", "participation"]

_CORE = frozenset(CORE_DOMAINS)


def _scoped(g, n, core_only):
    ds = g.nodes[n]["domains"]
    return tuple(d for d in ds if d in _CORE) if core_only and ds else ds


def cross_domain_betweenness(kg, k: int | None = 200, seed: int = 0, core_only: bool = False) -> dict:
    """Return {entity: share of cross-domain shortest paths through it} and the number of pairs counted.

    Returns ``(shares, pairs, sources_used)``. Endpoints are technologies and use cases with at
    least one domain; a pair counts when their domains are disjoint. The sources sharing one set of
    domains go to igraph's subset betweenness (Brandes' algorithm in C) in one call, with the
    endpoints whose domains are disjoint from that set as targets.
    """
    g, (net, order) = projection(kg), entity_igraph(kg)
    nodes = g.nodes
    doms = [frozenset(_scoped(g, n, core_only)) if nodes[n]["kind"] in ("technologies", "use cases")
            else frozenset() for n in order]
    degree = net.degree()
    ends = [i for i in range(len(order)) if doms[i] and degree[i]]
    if k is not None and len(ends) > k:
        ends = sorted(random.Random(seed).sample(ends, k))
    component = net.connected_components().membership
    by_set, reach = {}, {}
    for i, d in enumerate(doms):
        if d:
            by_set.setdefault(d, []).append(i)
            reach[component[i], d] = reach.get((component[i], d), 0) + 1
    groups = {}
    for s in ends:
        groups.setdefault(doms[s], []).append(s)
    bc = [0.0] * len(order)
    pairs = 0
    for ds, sources in groups.items():
        targets = [t for d, members in by_set.items() if ds.isdisjoint(d) for t in members]
        if not targets:
            continue
        # igraph counts each (source, target) path of an undirected graph as half: count it whole
        for i, v in enumerate(net.betweenness(sources=sources, targets=targets, directed=False)):
            bc[i] += 2 * v
        pairs += sum(reach.get((component[s], d), 0) for s in sources for d in by_set if ds.isdisjoint(d))
    shares = {order[i]: (bc[i] / pairs if pairs else 0.0) for i in range(len(order)) if bc[i] > 0}
    return shares, int(pairs), len(ends)


def participation(kg, core_only: bool = False) -> dict:
    """Return {entity: (participation coefficient, number of neighbour domains)} on the entity graph."""
    g, und = projection(kg), entity_graph(kg)
    scoped = {n: _scoped(g, n, core_only) for n in und}
    out = {}
    for n, links in und.adjacency():
        shares = {}
        for m, data in links.items():
            ds = scoped[m]
            if ds:
                share = data["weight"] / len(ds)
                for d in ds:
                    shares.setdefault(d, []).append(share)
        # exactly rounded sums: the figure does not depend on the order the store lists the links in
        weights = [fsum(x) for x in shares.values()]
        total = fsum(weights)
        out[n] = (1.0 - fsum((w / total) ** 2 for w in weights) if total else 0.0, len(weights))
    return out


def _bridge_records(kg, k, seed, core_only) -> list:
    """The ranked bridges as language-free records (cached in memory and on disk)."""
    g = projection(kg)
    shares, pairs, used = cross_domain_betweenness(kg, k, seed, core_only)
    part = participation(kg, core_only)
    rows = []
    for n, (p, nd) in part.items():
        own = _scoped(g, n, core_only)
        b = shares.get(n, 0.0)
        if b <= 0 and len(own) < 2:
            continue
        rows.append({"entity": n, "betweenness": round(b, 6), "participation": round(p, 6),
                     "neighbour domains": nd, "domains": list(own)})
    rows.sort(key=lambda r: (-r["betweenness"], -r["participation"], -len(r["domains"]), r["entity"]))
    return [{"pairs": pairs, "sources used": used}] + rows


def _reason(kg, g, n, own, names, lang, core_only):
    """Why this entity bridges: the facts putting it in its domains, then its best-linked entity in each other domain."""
    if len(own) >= 2:
        return reason_text(g, n, own[:3], names, lang)
    und, best = entity_graph(kg), {}
    for m, data in und[n].items():
        for d in _scoped(g, m, core_only):
            if d not in own and (d not in best or (data["weight"], m) > best[d]):
                best[d] = (data["weight"], m)
    picked, used = [], set()
    for d, (_, m) in sorted(best.items(), key=lambda kv: (-kv[1][0], names.get(kv[0], kv[0]))):
        if m not in used and len(picked) < 3:
            picked.append(f"{label_of(g, m, lang)} in {names.get(d, d)}")
            used.add(m)
    parts = [reason_text(g, n, own, names, lang)] if own else []
    if picked:
        parts.append("linked to " + ", ".join(picked))
    return "; ".join(p for p in parts if p)


@memo_result
def bridges(kg, lang: str = "en", k: int | None = 200, seed: int = 0, core_only: bool = False,
            top: int | None = None):
    """Return entities ranked by how much they connect domains, with the reason, and the sampling facts.

    Returns ``(DataFrame, info)``: columns rank, label, type, domains, betweenness (share of
    cross-domain shortest paths through it), participation, neighbour domains, reason, entity; info
    gives the number of cross-domain pairs counted and of source entities used (see the module
    docstring). Ranked by betweenness, then participation, then number of domains.
    """
    import pandas as pd

    records = disk_memo(kg, "bridges", (k, seed, core_only), lambda: _bridge_records(kg, k, seed, core_only),
                        lambda v: v, lambda v: v)
    info, records = records[0], records[1:top + 1 if top else None]
    g, names = projection(kg), domain_labels(kg, lang)
    rows = [{"rank": i, "label": label_of(g, r["entity"], lang), "type": g.nodes[r["entity"]]["type"],
             "domains": ", ".join(names.get(d, d) for d in r["domains"]), "betweenness": r["betweenness"],
             "participation": r["participation"], "neighbour domains": r["neighbour domains"],
             "reason": _reason(kg, g, r["entity"], tuple(r["domains"]), names, lang, core_only),
             "entity": r["entity"]} for i, r in enumerate(records, 1)]
    cols = ["rank", "label", "type", "domains", "betweenness", "participation", "neighbour domains", "reason",
            "entity"]
    return pd.DataFrame(rows, columns=cols), info


@memo_result
def convergence_actors(kg, lang: str = "en", min_domains: int = 2, countries=None, types=None,
                       kinds=("actors", "programmes"), core_only: bool = False):
    """Return actors and programmes active in at least ``min_domains`` domains, ranked, with the reason.

    ``countries`` (IRIs or prefixed names) keeps entities based in one of them (a programme also by
    its publisher's country); ``types`` (class names such as Company) keeps those types. Ranked by
    number of domains, then number of facts behind them, then label.
    """
    import pandas as pd

    g, names = projection(kg), domain_labels(kg, lang)
    want_c = {expand(c) for c in countries or ()}
    want_t = set(types or ())

    def facts(n, own):
        return len({key for d in own for _, _, key in g.nodes[n]["evidence"][d] if key is not None})

    rows = []
    for n, data in g.nodes(data=True):
        own = _scoped(g, n, core_only)
        if data["kind"] not in kinds or len(own) < min_domains:
            continue
        if want_c and not want_c & set(data["countries"]):
            continue
        if want_t and data["type"] not in want_t:
            continue
        rows.append({"label": label_of(g, n, lang), "kind": data["kind"], "type": data["type"],
                     "countries": ", ".join(sorted(label_of(g, c, lang) for c in data["countries"])),
                     "domains": ", ".join(names.get(d, d) for d in own), "n domains": len(own),
                     "facts": facts(n, own), "reason": reason_text(g, n, own, names, lang), "entity": n})
    cols = ["label", "kind", "type", "countries", "domains", "n domains", "facts", "reason", "entity"]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["n domains", "facts", "label"], ascending=[False, False, True]).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df

