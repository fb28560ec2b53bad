"""Cross-domain links, the evidence behind the domain matrix, its heatmap and the trends per year.

A **cross-domain link** joins two domains A and B and is one of:

- an entity of a kind (technology, actor, programme, use case) that is in both A and B (see
  graph.analytics.projection for how an entity gets its domains);
- a ``convergesWith`` fact between a technology of A and a technology of B ("convergence links").

Each link is dated by the facts behind it: the year it first held, i.e. the later of the earliest
dated fact putting the entity in A and the earliest putting it in B (a classification, which is not a
dated fact, holds from the start); a convergence link by the date of its fact (its qualified date,
else its source's). Links resting only on classifications are undated.
"""

from .cache import memo, memo_result
from .projection import domain_labels, label_of, projection

__all__ = ["cross_links", "domain_matrix", "heatmap_data", "trends", "KINDS", "reason_text"]

#: The kinds of cross-domain link, in the order the matrix shows them.
KINDS = ["technologies", "convergence links", "actors", "programmes", "use cases"]

_PHRASES = {"worksOn": "works on {x}", "develops": "develops {x}", "addresses": "addresses {x}",
            "enables": "enabled by {x}", "inDomain": "classified"}


def _year(date):
    return int(date[:4]) if date and date[:4].isdigit() else None


def reason_text(g, node: str, domains, names: dict, lang: str = "en", per_domain: int = 1) -> str:
    """Say why a node is in these domains, e.g. "works on Qubits in Quantum; works on Protein design in Biotech".

    ``per_domain`` facts are quoted for each domain (the classification first, then facts by relation).
    """
    parts = []
    for d in domains:
        ev = g.nodes[node]["evidence"].get(d, [])[:per_domain]
        for rel, other, _ in ev:
            phrase = _PHRASES.get(rel, rel + " {x}").format(x=label_of(g, other, lang) if other else "")
            parts.append(f"{phrase} in {names.get(d, d)}")
    return "; ".join(parts)


def _domain_year(g, node, d):
    """(dated, year): the earliest year a fact put the node in d; (True, None) when a classification does."""
    years = []
    for rel, other, key in g.nodes[node]["evidence"].get(d, []):
        if key is None:
            return True, None
        y = _year(g.edges[key]["start"])
        if y is not None:
            years.append(y)
    return (True, min(years)) if years else (False, None)


def _raw_links(kg) -> list:
    """Every cross-domain link as a dict of IRIs, years and sources (cached, language-free)."""
    g = projection(kg)
    out = []
    for n, data in g.nodes(data=True):
        if data["kind"] is None or len(data["domains"]) < 2:
            continue
        for i, a in enumerate(data["domains"]):
            for b in data["domains"][i + 1:]:
                (ok_a, ya), (ok_b, yb) = _domain_year(g, n, a), _domain_year(g, n, b)
                dated = [y for y in (ya, yb) if y is not None]
                year = max(dated) if ok_a and ok_b and dated else None
                keys = [k for d in (a, b) for _, _, k in data["evidence"][d] if k is not None]
                sources = sorted({s for k in keys for s in g.edges[k]["sources"]})
                out.append({"a": a, "b": b, "kind": data["kind"], "entity": n, "partner": None,
                            "year": year, "sources": sources})
    pairs = {}
    for s, o, p, data in g.edges(keys=True, data=True):
        if data["relation"] != "convergesWith" or s == o:
            continue
        x, y = sorted((s, o))
        rec = pairs.setdefault((x, y), {"years": [], "sources": set()})
        if _year(data["start"]) is not None:
            rec["years"].append(_year(data["start"]))
        rec["sources"] |= data["sources"]
    for (x, y), rec in sorted(pairs.items()):
        seen = set()
        for da in g.nodes[x]["own"]:
            for db in g.nodes[y]["own"]:
                if da != db:
                    seen.add(tuple(sorted((da, db))))
        for a, b in sorted(seen):
            out.append({"a": a, "b": b, "kind": "convergence links", "entity": x, "partner": y,
                        "year": min(rec["years"]) if rec["years"] else None, "sources": sorted(rec["sources"])})
    return out


def raw_links(kg) -> list:
    """The cross-domain links as dicts of IRIs (cached per data)."""
    return memo(kg, "links", (), lambda: _raw_links(kg))


@memo_result
def cross_links(kg, lang: str = "en", domain_a: str | None = None, domain_b: str | None = None):
    """Return a DataFrame of cross-domain links, the evidence behind every count on the Convergence page.

    Columns: domain A, domain B, kind, label, type, countries, year, reason, sources (how many),
    entity, partner (the other technology of a convergence link), source IRIs. Restrict to one pair
    of domains with ``domain_a`` and ``domain_b`` (IRIs or prefixed names, either order).
    """
    import pandas as pd

    from ..namespaces import expand

    g, names = projection(kg), domain_labels(kg, lang)
    want = {expand(d) for d in (domain_a, domain_b) if d}
    rows = []
    for link in raw_links(kg):
        if want and not want <= {link["a"], link["b"]}:
            continue
        n = link["entity"]
        if link["partner"]:
            label = f"{label_of(g, n, lang)} ↔ {label_of(g, link['partner'], lang)}"
            reason = (f"{label_of(g, n, lang)} ({', '.join(names.get(d, d) for d in g.nodes[n]['own'])}) "
                      f"converges with {label_of(g, link['partner'], lang)} "
                      f"({', '.join(names.get(d, d) for d in g.nodes[link['partner']]['own'])})")
        else:
            label, reason = label_of(g, n, lang), reason_text(g, n, (link["a"], link["b"]), names, lang)
        countries = sorted({label_of(g, c, lang) for x in (n, link["partner"]) if x for c in g.nodes[x]["countries"]})
        rows.append({"domain A": names.get(link["a"], link["a"]), "domain B": names.get(link["b"], link["b"]),
                     "kind": link["kind"], "label": label, "type": g.nodes[n]["type"],
                     "countries": ", ".join(countries), "year": link["year"], "reason": reason,
                     "sources": len(link["sources"]), "entity": n, "partner": link["partner"] or "",
                     "source IRIs": " ".join(link["sources"])})
    cols = ["domain A", "domain B", "kind", "label", "type", "countries", "year", "reason", "sources", "entity",
            "partner", "source IRIs"]
    df = pd.DataFrame(rows, columns=cols)
    df["year"] = df["year"].astype("Int64")
    df["_k"] = df["kind"].map(KINDS.index)
    return df.sort_values(["domain A", "domain B", "_k", "label"]).drop(columns="_k").reset_index(drop=True)


def _entity_sets(g) -> dict:
    """{domain: set of entities in it} over the kinds that the matrix counts."""
    sets = {}
    for n, data in g.nodes(data=True):
        if data["kind"] is not None:
            for d in data["domains"]:
                sets.setdefault(d, set()).add(n)
    return sets


@memo_result
def domain_matrix(kg, lang: str = "en"):
    """Return a DataFrame of cross-domain links per pair of domains, by kind, with a total and a normalised share.

    A pair counts an entity once when it spans both domains (a technology in both, an actor working
    on technologies of both, a programme addressing both, a use case of both) and each
    ``convergesWith`` link between technologies of the two domains. ``normalised`` is the Jaccard
    index of the two domains' entities: entities in both ÷ entities in either (0 to 1).
    """
    import pandas as pd

    g, names = projection(kg), domain_labels(kg, lang)
    counts = {}
    for link in raw_links(kg):
        c = counts.setdefault((link["a"], link["b"]), dict.fromkeys(KINDS, 0))
        c[link["kind"]] += 1
    sets = _entity_sets(g)
    rows = []
    for (a, b), c in counts.items():
        union = len(sets.get(a, set()) | sets.get(b, set()))
        both = len(sets.get(a, set()) & sets.get(b, set()))
        rows.append({"domain A": names.get(a, a), "domain B": names.get(b, b), **c,
                     "total": sum(c.values()), "normalised": round(both / union, 3) if union else 0.0})
    df = pd.DataFrame(rows, columns=["domain A", "domain B"] + KINDS + ["total", "normalised"])
    df[KINDS + ["total"]] = df[KINDS + ["total"]].astype("int64")
    return df.sort_values(["total", "domain A", "domain B"], ascending=[False, True, True]).reset_index(drop=True)


@memo_result
def heatmap_data(kg, lang: str = "en", core_only: bool = False):
    """Return the matrix in long form, each pair in both orders (for a symmetric heatmap).

    Columns: domain A, domain B, total, normalised. With ``core_only`` only quantum, AI and biotech.
    """
    import pandas as pd

    from .projection import CORE_DOMAINS

    df = domain_matrix(kg, lang)
    names = domain_labels(kg, lang)
    if core_only:
        core = {names.get(d, d) for d in CORE_DOMAINS}
        df = df[df["domain A"].isin(core) & df["domain B"].isin(core)]
    flipped = df.rename(columns={"domain A": "domain B", "domain B": "domain A"})
    both = pd.concat([df, flipped], ignore_index=True)[["domain A", "domain B", "total", "normalised"]]
    return both.sort_values(["domain A", "domain B"]).reset_index(drop=True)


@memo_result
def trends(kg, lang: str = "en", core_only: bool = False):
    """Return new and cumulative cross-domain links per year and pair of domains, and the undated count.

    Returns (DataFrame with columns year, pair, domain A, domain B, new links, cumulative; number of
    links without a date). Years with no new link for a pair are filled with 0 between the first and
    last year, so the cumulative line is continuous.
    """
    import pandas as pd

    from .projection import CORE_DOMAINS

    names = domain_labels(kg, lang)
    links = [x for x in raw_links(kg) if not core_only or (x["a"] in CORE_DOMAINS and x["b"] in CORE_DOMAINS)]
    undated = sum(1 for x in links if x["year"] is None)
    counts = {}
    for x in links:
        if x["year"] is not None:
            key = (x["a"], x["b"])
            counts.setdefault(key, {}).setdefault(x["year"], 0)
            counts[key][x["year"]] += 1
    years = sorted({y for c in counts.values() for y in c})
    rows = []
    for (a, b), by_year in counts.items():
        total = 0
        for y in range(years[0], years[-1] + 1):
            new = by_year.get(y, 0)
            total += new
            rows.append({"year": y, "pair": f"{names.get(a, a)} – {names.get(b, b)}", "domain A": names.get(a, a),
                         "domain B": names.get(b, b), "new links": new, "cumulative": total})
    df = pd.DataFrame(rows, columns=["year", "pair", "domain A", "domain B", "new links", "cumulative"])
    return df.sort_values(["pair", "year"]).reset_index(drop=True), undated
