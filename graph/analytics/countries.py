"""Countries side by side: actors, programmes and budgets by domain, and their cross-domain links.

An actor belongs to a country it is based in (``cg:basedIn``); a programme to its country, or to the
country of whoever published it. Budgets are the ``cg:budget`` amounts of a country's programmes,
summed per currency (no exchange rates are applied); a programme in two domains counts in both.
"""

from ..errors import ConvergenceError
from ..namespaces import expand
from .links import raw_links
from .cache import memo_result
from .projection import CORE_DOMAINS, domain_labels, label_of, projection

__all__ = ["compare_countries", "group_members", "country_choices"]


@memo_result
def group_members(kg, body: str) -> list:
    """Return the countries that are members of ``body`` (e.g. orgn:transatlantic-quantum-community), sorted."""
    g, body = projection(kg), expand(body)
    if body not in g:
        raise ConvergenceError(f"no entity {body} in the graph", "group")
    return sorted({s for s, _, rel in g.in_edges(body, data="relation")
                   if rel == "memberOf" and g.nodes[s]["type"] == "Country"})


@memo_result
def country_choices(kg, lang: str = "en") -> dict:
    """Return {country IRI: label} for the countries some actor or programme belongs to, by label."""
    g = projection(kg)
    found = {c for n, d in g.nodes(data=True) if d["kind"] in ("actors", "programmes") for c in d["countries"]}
    return dict(sorted(((c, label_of(g, c, lang)) for c in found), key=lambda kv: kv[1].lower()))


def _measures(g, links, members: set, domains, names, currencies) -> dict:
    """The comparison's rows for a set of countries, as {measure: value}."""
    def mine(n):
        return bool(members & set(g.nodes[n]["countries"]))

    actors = [n for n, d in g.nodes(data=True) if d["kind"] == "actors" and d["type"] != "Country" and mine(n)]
    progs = [n for n, d in g.nodes(data=True) if d["kind"] == "programmes" and mine(n)]
    out = {"actors": len(actors)}
    for d in domains:
        out[f"actors in {names.get(d, d)}"] = sum(1 for n in actors if d in g.nodes[n]["domains"])
    out["actors in two or more domains"] = sum(1 for n in actors if len(g.nodes[n]["domains"]) >= 2)
    out["programmes"] = len(progs)
    for d in domains:
        out[f"programmes in {names.get(d, d)}"] = sum(1 for n in progs if d in g.nodes[n]["domains"])
    for cur in currencies:
        for d in domains:
            out[f"programme budgets in {names.get(d, d)} ({cur})"] = round(sum(
                a for n in progs if d in g.nodes[n]["domains"] for a, c, _ in g.nodes[n]["budgets"] if c == cur))
    mine_links = [x for x in links if mine(x["entity"]) or (x["partner"] and mine(x["partner"]))]
    out["cross-domain links"] = len(mine_links)
    for i, a in enumerate(domains):
        for b in domains[i + 1:]:
            pa, pb = sorted((a, b))
            out[f"cross-domain links {names.get(pa, pa)} – {names.get(pb, pb)}"] = sum(
                1 for x in mine_links if (x["a"], x["b"]) == (pa, pb))
    return out


@memo_result
def compare_countries(kg, countries, lang: str = "en", domains=None, group_total: bool = True):
    """Return a DataFrame with one row per measure and one column per country (and the group's total).

    ``countries``: IRIs or prefixed names (country:dk). ``domains``: the domains to break down by
    (default quantum, AI and biotech). The total column counts each entity once, even when it is
    based in several of the countries.
    """
    import pandas as pd

    g, names = projection(kg), domain_labels(kg, lang)
    wanted = [expand(c) for c in countries]
    if not wanted:
        raise ConvergenceError("give at least one country", "countries")
    for c in wanted:
        if c not in g or g.nodes[c]["type"] != "Country":
            raise ConvergenceError(f"{c} is not a country in the graph", "countries")
    domains = [expand(d) for d in domains] if domains else list(CORE_DOMAINS)
    links, members = raw_links(kg), set(wanted)
    currencies = sorted({c for n, d in g.nodes(data=True) if d["kind"] == "programmes" and members & set(d["countries"])
                         for _, c, _ in d["budgets"]})
    columns = {label_of(g, c, lang): _measures(g, links, {c}, domains, names, currencies) for c in wanted}
    if group_total and len(wanted) > 1:
        columns["all selected"] = _measures(g, links, members, domains, names, currencies)
    measures = list(dict.fromkeys(m for col in columns.values() for m in col))
    df = pd.DataFrame({"measure": measures, **{name: [col.get(m, 0) for m in measures]
                                               for name, col in columns.items()}})
    return df
