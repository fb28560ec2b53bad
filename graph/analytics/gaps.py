"""Gaps: technologies and use cases of one domain linked to nothing in another; thinly sourced domains."""

from .cache import memo_result
from .projection import domain_labels, label_of, projection

__all__ = ["isolated_topics", "thin_domains"]

#: Neighbours that say nothing about domains (they link almost everything).
_NEUTRAL = {"Country", "Place", "Post", "Domain"}


@memo_result
def isolated_topics(kg, lang: str = "en"):
    """Return technologies and use cases in exactly one domain with no fact linking them to another domain.

    A link to another domain is any fact (either direction) with an entity that is in a different
    domain: a technology, use case or programme of that domain, or an actor working on it. Countries,
    places and posts do not count. Columns: label, type, domain, facts, actors (working on it), entity;
    the most documented first, since a well-sourced yet isolated topic is the clearer gap.
    """
    import pandas as pd

    g, names = projection(kg), domain_labels(kg, lang)
    rows = []
    for n, data in g.nodes(data=True):
        if data["kind"] not in ("technologies", "use cases") or len(data["domains"]) != 1:
            continue
        (d,) = data["domains"]
        neighbours = {m for m in g.successors(n)} | {m for m in g.predecessors(n)}
        if any(set(g.nodes[m]["domains"]) - {d} for m in neighbours if g.nodes[m]["type"] not in _NEUTRAL):
            continue
        actors = {s for s, _, rel in g.in_edges(n, data="relation")
                  if rel in ("worksOn", "develops") and g.nodes[s]["kind"] == "actors"}
        rows.append({"label": label_of(g, n, lang), "type": data["type"], "domain": names.get(d, d),
                     "facts": g.degree(n), "actors": len(actors), "entity": n})
    df = pd.DataFrame(rows, columns=["label", "type", "domain", "facts", "actors", "entity"])
    return df.sort_values(["facts", "domain", "label"], ascending=[False, True, True]).reset_index(drop=True)


@memo_result
def thin_domains(kg, lang: str = "en", min_sources: int = 5):
    """Return each domain's entities, facts and sources, flagging those with fewer than ``min_sources`` sources.

    An entity is counted in a domain it is classified in (cg:inDomain); its facts are the sourced
    relations touching it, and the sources those facts cite. Fewest sources first.
    """
    import pandas as pd

    g, names = projection(kg), domain_labels(kg, lang)
    stats = {d: {"entities": set(), "facts": set(), "sources": set()} for d in names}
    succ, pred = g.succ, g.pred
    for n, data in g.nodes(data=True):
        if not data["own"]:
            continue
        facts, sources = set(), set()
        for near, outgoing in ((succ[n], True), (pred[n], False)):
            for m, keys in near.items():
                for p, e in keys.items():
                    facts.add((n, m, p) if outgoing else (m, n, p))
                    sources |= e["sources"]
        for d in data["own"]:
            rec = stats.setdefault(d, {"entities": set(), "facts": set(), "sources": set()})
            rec["entities"].add(n)
            rec["facts"] |= facts
            rec["sources"] |= sources
    rows = [{"domain": names.get(d, d), "entities": len(r["entities"]), "facts": len(r["facts"]),
             "sources": len(r["sources"]), "few sources": len(r["sources"]) < min_sources, "iri": d}
            for d, r in stats.items()]
    df = pd.DataFrame(rows, columns=["domain", "entities", "facts", "sources", "few sources", "iri"])
    return df.sort_values(["sources", "domain"]).reset_index(drop=True)
