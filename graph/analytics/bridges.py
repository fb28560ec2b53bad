"""Bridges between domains and the actors and programmes active in several of them, ranked with reasons.

Two measures on the entity graph (graph.analytics.projection.entity_graph: actors other than
countries, programmes, technologies, use cases):

- **cross-domain betweenness**: the share of shortest paths between technologies and use cases that
  share no domain (e.g. a quantum technology and a biotech use case) that pass through the entity.
  Brandes' algorithm counting only those pairs, from ``k`` source entities drawn with a fixed seed
  (all of them when there are at most ``k``, which makes the figure exact on small graphs);
- **participation coefficient**: 1 - Σ_d (w_d / w)², where w_d is the weight of the entity's links to
  entities in domain d (a neighbour in several domains splits its weight among them): 0 when every
  neighbour is in one domain, towards 1 when the links spread evenly over many.
"""

import random

from ..namespaces import expand
from .cache import disk_memo
from .links import reason_text
from .projection import CORE_DOMAINS, domain_labels, entity_graph, label_of, projection

__all__ = ["bridges", "convergence_actors", "cross_domain_betweenness", "participation"]


def _scoped(g, n, core_only):
    ds = g.nodes[n]["domains"]
    return tuple(d for d in ds if d in CORE_DOMAINS) if core_only else ds


def cross_domain_betweenness(kg, k: int | None = 200, seed: int = 0, core_only: bool = False) -> dict:
    """Return {entity: share of cross-domain shortest paths through it} and the number of pairs counted.

    Returns ``(shares, pairs, sources_used)``. Endpoints are technologies and use cases with at
    least one domain; a pair counts when their domains are disjoint.
    """
    g, und = projection(kg), entity_graph(kg)
    order = list(und)
    index = {n: i for i, n in enumerate(order)}
    adj = [[index[m] for m in und[n]] for n in order]
    doms = [frozenset(_scoped(g, n, core_only)) if g.nodes[n]["kind"] in ("technologies", "use cases")
            else frozenset() for n in order]
    ends = [i for i, d in enumerate(doms) if d and adj[i]]
    if k is not None and len(ends) > k:
        ends = sorted(random.Random(seed).sample(ends, k))
    bc = [0.0] * len(order)
    pairs = 0
    for s in ends:
        ds = doms[s]
        sigma, dist, preds, stack = {s: 1}, {s: 0}, {s: []}, []
        queue, head = [s], 0
        while head < len(queue):
            v = queue[head]
            head += 1
            stack.append(v)
            dv, sv = dist[v] + 1, sigma[v]
            for w in adj[v]:
                if w not in dist:
                    dist[w] = dv
                    sigma[w] = 0
                    preds[w] = []
                    queue.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = dict.fromkeys(stack, 0.0)
        while stack:
            w = stack.pop()
            hit = 1.0 if w != s and doms[w] and ds.isdisjoint(doms[w]) else 0.0
            pairs += hit
            coeff = (hit + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    shares = {order[i]: (bc[i] / pairs if pairs else 0.0) for i in range(len(order)) if bc[i] > 0}
    return shares, int(pairs), len(ends)


def participation(kg, core_only: bool = False) -> dict:
    """Return {entity: (participation coefficient, number of neighbour domains)} on the entity graph."""
    g, und = projection(kg), entity_graph(kg)
    out = {}
    for n in und:
        weights = {}
        for m, data in und[n].items():
            ds = _scoped(g, m, core_only)
            for d in ds:
                weights[d] = weights.get(d, 0.0) + data["weight"] / len(ds)
        total = sum(weights.values())
        out[n] = (1.0 - sum((w / total) ** 2 for w in weights.values()) if total else 0.0, len(weights))
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

