"""Network files for Gephi and yEd: GraphML and GEXF with labels, types, domains and sources as attributes."""

import io
import re

import networkx as nx

from ..style import node_colour

__all__ = ["to_networkx", "graphml", "gexf"]


def _names(kg, lang):
    from ..entity import relation_labels
    from ..vocab import filter_options

    opts = filter_options(kg, lang)
    return opts["domains"], relation_labels(kg, lang)


def to_networkx(kg, sub, lang: str = "en") -> nx.MultiDiGraph:
    """Return the subgraph as a MultiDiGraph: node and edge attributes are plain strings and integers.

    Nodes: label, iri, type, domains, countries (labels joined by "; "), degree, colour, focus.
    Edges (keys e0, e1, ...): relation (label), predicate (IRI), sources (IRIs joined by " "),
    source_count, start, end.
    """
    domains, relations = _names(kg, lang)
    countries = {iri: n.label(lang) for iri, n in sub.nodes.items() if n.type == "Country"}
    g = nx.MultiDiGraph()
    for iri, n in sub.nodes.items():
        g.add_node(iri, label=n.label(lang), iri=iri, type=n.type,
                   domains="; ".join(domains.get(d, d.rsplit("/", 1)[-1]) for d in n.domains),
                   countries="; ".join(countries.get(c, c.rsplit("/", 1)[-1]) for c in n.countries),
                   degree=int(n.degree), colour=node_colour(n.domains)[0], focus=iri == sub.focus)
    for i, e in enumerate(sub.edges):
        g.add_edge(e.source, e.target, key=f"e{i}", id=f"e{i}", relation=relations.get(e.predicate, e.relation),
                   predicate=e.predicate, sources=" ".join(e.sources), source_count=len(e.sources),
                   start=e.start or "", end=e.end or "")
    return g


def graphml(kg, sub, options=None) -> bytes:
    """GraphML (UTF-8): yEd and Gephi read the attributes; Gephi shows ``label`` as the node label."""
    g = to_networkx(kg, sub, getattr(options, "lang", "en"))
    for _, _, data in g.edges(data=True):
        data.pop("id", None)
    return "\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)).encode("utf-8") + b"\n"


def gexf(kg, sub, options=None) -> bytes:
    """GEXF 1.2 for Gephi: attributes plus each node's colour and size (no date, so files compare equal)."""
    g = to_networkx(kg, sub, getattr(options, "lang", "en"))
    for _, data in g.nodes(data=True):
        hexa = data["colour"].lstrip("#")
        r, gg, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
        data["viz"] = {"color": {"r": r, "g": gg, "b": b, "a": 1.0}, "size": 10.0 + min(data["degree"], 30)}
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    return re.sub(rb'\s*lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)
