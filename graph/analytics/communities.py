"""Communities of the entity graph (Louvain, fixed seed) with their domain mix and top members.

Louvain (networkx.community.louvain_communities) runs on the undirected, weighted entity graph
(actors other than countries, programmes, technologies, use cases; weight = number of statements
behind a link); entities without any link are left out. The result depends on the seed, which is
fixed (42 by default) so the same data always gives the same communities.
"""

import networkx as nx

from .cache import disk_memo
from .projection import CORE_DOMAINS, domain_labels, entity_graph, label_of, projection

__all__ = ["communities"]


def _records(kg, resolution: float, seed: int) -> list:
    """Each community as a list of member IRIs, largest first (cached in memory and on disk)."""
    und = entity_graph(kg)
    linked = und.subgraph([n for n in und if und.degree(n) > 0])
    found = nx.community.louvain_communities(linked, weight="weight", resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def communities(kg, lang: str = "en", resolution: float = 1.0, seed: int = 42, top: int = 5, min_size: int = 2):
    """Return (summary, members) DataFrames of the communities with at least ``min_size`` members.

    summary: community, size, one column per domain (members in it, the three core domains first),
    domain mix (text), top members (the ``top`` with the most weight inside the community).
    members: community, label, type, domains, weight inside, entity.
    """
    import pandas as pd

    found = disk_memo(kg, "communities", (resolution, seed), lambda: _records(kg, resolution, seed),
                      lambda v: v, lambda v: v)
    g, und, names = projection(kg), entity_graph(kg), domain_labels(kg, lang)
    present = sorted({d for c in found for n in c for d in g.nodes[n]["domains"]},
                     key=lambda d: (d not in CORE_DOMAINS, CORE_DOMAINS.index(d) if d in CORE_DOMAINS else 0,
                                    names.get(d, d)))
    summary, members = [], []
    for i, comm in enumerate((c for c in found if len(c) >= min_size), 1):
        inside = set(comm)
        weight = {n: sum(d["weight"] for m, d in und[n].items() if m in inside) for n in comm}
        ranked = sorted(comm, key=lambda n: (-weight[n], label_of(g, n, lang).lower()))
        mix = {d: sum(1 for n in comm if d in g.nodes[n]["domains"]) for d in present}
        summary.append({"community": i, "size": len(comm), **{names.get(d, d): mix[d] for d in present},
                        "domain mix": " · ".join(f"{names.get(d, d)} {c}" for d, c in
                                                 sorted(mix.items(), key=lambda kv: -kv[1]) if c),
                        "top members": ", ".join(label_of(g, n, lang) for n in ranked[:top])})
        members += [{"community": i, "label": label_of(g, n, lang), "type": g.nodes[n]["type"],
                     "domains": ", ".join(names.get(d, d) for d in g.nodes[n]["domains"]),
                     "weight inside": weight[n], "entity": n} for n in ranked]
    cols = ["community", "size"] + [names.get(d, d) for d in present] + ["domain mix", "top members"]
    return (pd.DataFrame(summary, columns=cols),
            pd.DataFrame(members, columns=["community", "label", "type", "domains", "weight inside", "entity"]))
