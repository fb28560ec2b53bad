"""The entity graph as networkx: typed, weighted, dated edges and each entity's domains, built once.

``projection(kg)`` reads the store in a few bulk scans (sourced relations, types, labels, domains,
qualified dates and amounts, source dates, budgets) and returns a MultiDiGraph with one edge per
sourced relation. Nothing else in graph.analytics queries the store per entity, so every measure costs
one pass over this graph, and the graph is cached under the data's build hash (see
graph.analytics.cache). On the generated 1M-statement graph (55.7k entities, 327k relations) it takes
about 7 s, most of it reading the store (benchmarks/analytics_speed.py measures every step).
Nodes come in IRI order and the measures that depend on an order (communities, sampled bridges)
use it, so results do not depend on the order a store answers in.

An entity's **domains** follow one rule, used by every measure (matrix, bridges, actors, trends, ...):

- a technology is in the domains it is classified in (``cg:inDomain``);
- an actor (organisation, person or country) is in the domains of the technologies it works on or
  develops;
- a programme, strategy, standard or work stream is in the domains it names and in those of the
  technologies and use cases it addresses;
- a use case is in the domains it names and in those of the technologies that enable it.

Each domain an entity is in carries its evidence, the facts that put it there, so every number can be
traced back to statements and their sources.
"""

import networkx as nx

from ..subgraph import TYPE_ORDER
from .cache import memo

__all__ = ["projection", "entity_graph", "entity_igraph", "domain_labels", "label_of", "ACTOR_TYPES", "INITIATIVE_TYPES",
           "ANALYSED_TYPES", "CORE_DOMAINS", "kind_of", "has_entity"]

#: Entity types that are actors (cg:Actor and its subclasses).
ACTOR_TYPES = frozenset({"Person", "Country", "Company", "ResearchOrganisation", "FundingBody",
                         "GovernmentBody", "IntergovernmentalOrganisation", "AllianceBody", "Organisation"})
#: Entity types that are initiatives (programmes, strategies, standards, work streams).
INITIATIVE_TYPES = frozenset({"Programme", "Strategy", "Standard", "WorkStream"})
#: The types bridges and communities are measured on: actors except countries (which touch almost
#: everything), initiatives, technologies and use cases. Places, posts, events and domains are left out.
ANALYSED_TYPES = (ACTOR_TYPES - {"Country"}) | INITIATIVE_TYPES | {"Technology", "UseCase"}
#: The three domains the project is about, in display order.
CORE_DOMAINS = tuple(f"https://w3id.org/convergence-graph/id/domain/{d}" for d in ("quantum", "ai", "biotech"))

_RELATIONS = """
SELECT ?s ?p ?o ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  GRAPH cgg:ontology { ?p a cg:SourcedRelation }
  FILTER(isIRI(?o) && isIRI(?s))
}"""

_SOURCED = "SELECT ?p WHERE { GRAPH cgg:ontology { ?p a cg:SourcedRelation } }"

# Three plain scans instead of one UNION: each is an index range, and the filters are cheaper in Python.
_TYPES = "SELECT ?n ?type WHERE { ?n a ?type FILTER(?type NOT IN (cg:QualifiedRelation, cg:Budget)) }"
_LABELS = "SELECT ?n ?label WHERE { ?n skos:prefLabel ?label }"
_IN_DOMAIN = "SELECT ?n ?domain WHERE { ?n cg:inDomain ?domain }"

_QUALIFIED = """
SELECT ?s ?p ?o ?start ?end ?date ?amount ?currency WHERE {
  ?q a cg:QualifiedRelation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?q schema:startDate ?start } OPTIONAL { ?q schema:endDate ?end } OPTIONAL { ?q dct:date ?date }
  OPTIONAL { ?q cg:amount ?amount } OPTIONAL { ?q cg:currency ?currency }
}"""

_ISSUED = "SELECT ?g ?issued WHERE { GRAPH cgg:sources { ?g dct:issued ?issued } }"

_BUDGETS = """
SELECT ?x ?amount ?currency ?g WHERE { GRAPH ?g { ?x cg:budget ?b . ?b cg:amount ?amount ; cg:currency ?currency } }"""

_DOMAIN_LABELS = "SELECT ?d ?l WHERE { ?d a cg:Domain ; skos:prefLabel ?l }"

_SKIP_TYPES = {"SourceDocument", "QualifiedRelation", "Suggestion", "Budget", "SourceKind", "Marking"}
_CG = "https://w3id.org/convergence-graph/ontology#"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def kind_of(types) -> str | None:
    """The kind of entity for the convergence measures: actors, programmes, technologies or use cases.

    >>> kind_of({"Company"}), kind_of({"Strategy"}), kind_of({"Place"})
    ('actors', 'programmes', None)
    """
    types = set(types)
    if "Technology" in types:
        return "technologies"
    if types & ACTOR_TYPES:
        return "actors"
    if types & INITIATIVE_TYPES:
        return "programmes"
    if "UseCase" in types:
        return "use cases"
    return None


def _solutions(kg, sparql: str):
    """The query's solutions as tuples of terms: straight from an embedded Oxigraph store (no copy), else rows.

    The analytics read a few hundred thousand rows; skipping the intermediate Result halves the time.
    """
    from ..namespaces import PREFIXES
    from ..store import OxigraphStore

    if isinstance(kg.store, OxigraphStore):
        return kg.store.raw.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    return kg.query(sparql).rows


def _facts(kg) -> dict:
    """{(subject, object, property): set of sources} for every sourced relation between two IRIs.

    On an embedded Oxigraph store each sourced property is read straight from its index (a third
    faster than the equivalent SPARQL join); elsewhere one SELECT does it.
    """
    import pyoxigraph as ox

    from ..store import OxigraphStore

    if isinstance(kg.store, OxigraphStore):
        raw, iri = kg.store.raw, ox.NamedNode
        rows = ((s, p, o, g) for (p,) in _solutions(kg, _SOURCED)
                for s, _, o, g in raw.quads_for_pattern(None, p, None, None)
                if type(s) is iri and type(o) is iri and type(g) is iri)
    else:
        rows = _solutions(kg, _RELATIONS)
    facts = {}
    for s, p, o, src in rows:
        key = (s.value, o.value, p.value)
        found = facts.get(key)
        if found is None:
            facts[key] = {src.value}
        else:
            found.add(src.value)
    return facts


def _entities(kg) -> dict:
    """{IRI: {"types", "labels", "own"}} from the type, label and domain scans."""
    import pyoxigraph as ox

    info = {}
    blank = (ox.BlankNode,)

    def rec(n):
        found = info.get(n)
        if found is None:
            found = info[n] = {"types": set(), "labels": {}, "own": set()}
        return found

    for n, typ in _solutions(kg, _TYPES):
        if typ.value.startswith(_CG):
            rec(n.value)["types"].add(typ.value[len(_CG):])
    for n, label in _solutions(kg, _LABELS):
        if not isinstance(n, blank):
            rec(n.value)["labels"].setdefault(label.language or "en", label.value)
    for n, domain in _solutions(kg, _IN_DOMAIN):
        rec(n.value)["own"].add(domain.value)
    return info


def _qualified(kg) -> dict:
    """{(subject, object, property): {"start", "end", "amount", "currency"}} from qualified relations."""
    qualified = {}
    for s, p, o, start, end, date, amount, currency in _solutions(kg, _QUALIFIED):
        rec = qualified.setdefault((s.value, o.value, p.value), {})
        first = start or date
        if first is not None and (rec.get("start") is None or first.value < rec["start"]):
            rec["start"] = first.value
        if end is not None:
            rec["end"] = max(rec.get("end") or "", end.value)
        if amount is not None and currency is not None:
            rec["amount"], rec["currency"] = float(amount.value), currency.value
    return qualified


def _build(kg) -> nx.MultiDiGraph:
    """Read the store and build the projection (see the module docstring), nodes in IRI order."""
    info, facts = _entities(kg), _facts(kg)
    qualified = _qualified(kg)
    issued = {src.value: d.value for src, d in _solutions(kg, _ISSUED)}
    names = sorted(n for n, rec in info.items() if rec["types"] and not rec["types"] & _SKIP_TYPES)
    known = set(names)
    names += sorted({x for s, o, _ in facts for x in (s, o)} - known)
    empty = {"types": set(), "labels": {}, "own": set()}
    nodes = {}
    for n in names:
        rec = info.get(n, empty)
        types = rec["types"] - _SKIP_TYPES
        nodes[n] = {"types": frozenset(types), "labels": rec["labels"], "own": tuple(sorted(rec["own"])),
                    "type": next((t for t in TYPE_ORDER if t in types), next(iter(sorted(types)), "")),
                    "kind": kind_of(types), "budgets": []}
    for x, amount, currency, src in _solutions(kg, _BUDGETS):
        if x.value in nodes:
            entry = (float(amount.value), currency.value, src.value)
            if entry not in nodes[x.value]["budgets"]:
                nodes[x.value]["budgets"].append(entry)
    local, edges, nothing = {}, [], {}
    for (s, o, p), sources in facts.items():
        q = qualified.get((s, o, p), nothing)
        dates = [issued[x] for x in sources if x in issued]
        rel = local.get(p) or local.setdefault(p, _local(p))
        edges.append((s, o, p, {"sources": sources, "relation": rel, "weight": len(sources),
                                "start": q.get("start") or (min(dates) if dates else None),
                                "end": q.get("end") or (None if q.get("start") or not dates else max(dates)),
                                "amount": q.get("amount"), "currency": q.get("currency")}))
    _domains(nodes, edges)
    _countries(nodes, edges)
    return _multidigraph(nodes, edges)


def _multidigraph(nodes: dict, edges: list) -> nx.MultiDiGraph:
    """A MultiDiGraph of these nodes {n: attrs} and edges [(u, v, key, attrs)], filled in bulk.

    networkx's add_edges_from looks each edge up through its views (about 13 µs an edge, 4 s for the
    1M-statement graph); this writes the same adjacency dicts directly, as networkx's own
    ``add_edge`` does (successor and predecessor share one key dict per pair).
    """
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes.items())
    succ, pred = g._succ, g._pred
    for u, v, key, data in edges:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = g.edge_key_dict_factory()
        keys[key] = data
    return g


def _domains(nodes: dict, edges: list) -> None:
    """Give each node ``domains`` and ``evidence`` {domain: [(relation, other, (s, o, p)), ...]}."""
    for data in nodes.values():
        data["evidence"] = {d: [("inDomain", None, None)] for d in data["own"]
                            if data["kind"] in ("technologies", "programmes", "use cases")}
    for s, o, p, data in edges:
        rel, sd, od = data["relation"], nodes[s], nodes[o]
        if rel in ("worksOn", "develops") and sd["kind"] == "actors":
            holder, other = sd, o
        elif rel == "addresses" and sd["kind"] == "programmes":
            holder, other = sd, o
            if od["type"] == "Domain":
                sd["evidence"].setdefault(o, []).append((rel, o, (s, o, p)))
                continue
        elif rel == "enables" and od["kind"] == "use cases" and sd["kind"] == "technologies":
            holder, other = od, s
        else:
            continue
        for d in nodes[other]["own"]:
            holder["evidence"].setdefault(d, []).append((rel, other, (s, o, p)))
    for data in nodes.values():
        for ev in data["evidence"].values():
            ev.sort(key=lambda e: (e[0] != "inDomain", e[0], e[1] or ""))
        data["domains"] = tuple(sorted(data["evidence"]))


def _countries(nodes: dict, edges: list) -> None:
    """Give each node ``countries``: where it is based; initiatives also take their publisher's."""
    own = {n: {n} for n, data in nodes.items() if data["type"] == "Country"}
    published = {}
    for s, o, _, data in edges:
        rel = data["relation"]
        if rel == "basedIn" and nodes[o]["type"] == "Country" and nodes[s]["type"] != "Country":
            own.setdefault(s, set()).add(o)
        elif rel == "publishedBy" and nodes[s]["kind"] == "programmes":
            published.setdefault(s, []).append(o)
    for n, data in nodes.items():
        found = set(own.get(n, ()))
        for o in published.get(n, ()):
            found |= own.get(o, set())
        data["countries"] = tuple(sorted(found))


def projection(kg) -> nx.MultiDiGraph:
    """Return every sourced relation between entities as a MultiDiGraph (built once per data, cached).

    Each edge has ``key`` = the property IRI, ``sources`` = the source IRIs stating it, ``relation``
    (the property's local name), ``weight`` (the number of sources), ``start``/``end`` (the qualified
    relation's dates, else its sources' dates) and ``amount``/``currency`` when a qualified relation
    gives them. Each node has ``type``, ``types``, ``labels`` {language: label}, ``kind``, ``own``
    (its cg:inDomain), ``domains`` and ``evidence`` (see the module docstring), ``countries`` and
    ``budgets`` [(amount, currency, source)]. Entities without any relation are nodes too.
    """
    g = memo(kg, "projection", (), lambda: _build(kg))
    kg._projection = g
    return g


def entity_graph(kg) -> nx.Graph:
    """Return the undirected, weighted graph of the ANALYSED_TYPES (built once per data, cached).

    Two entities are linked when any sourced relation joins them; ``weight`` is the number of
    (relation, source) statements behind the link and ``relations`` the set of relation names.
    """
    def build():
        g = projection(kg)
        keep = {n for n, t in g.nodes(data="type") if t in ANALYSED_TYPES}
        links = {}
        for s, o, data in g.edges(data=True):
            if s in keep and o in keep and s != o:
                pair = (s, o) if s < o else (o, s)
                found = links.get(pair)
                if found is None:
                    links[pair] = {"weight": data["weight"], "relations": {data["relation"]}}
                else:
                    found["weight"] += data["weight"]
                    found["relations"].add(data["relation"])
        und = nx.Graph()
        und.add_nodes_from(sorted(keep))
        adj = und._adj  # filled in bulk, as nx.Graph.add_edge does (both ends share the data dict)
        for (s, o), data in links.items():
            adj[s][o] = adj[o][s] = data
        return und

    return memo(kg, "entity_graph", (), build)


def entity_igraph(kg):
    """Return the entity graph as an igraph Graph and its vertices' IRIs (built once per data, cached).

    Vertex i is the i-th entity in IRI order; edges are listed in the order of their ends' indices
    and carry ``weight``, so what is computed on it does not depend on the order the store answers in.
    """
    def build():
        import igraph

        und = entity_graph(kg)
        order = sorted(und)
        index = {n: i for i, n in enumerate(order)}
        links = []
        for n, near in und.adjacency():
            i = index[n]
            links += [(i, j, data["weight"]) for j, data in ((index[m], d) for m, d in near.items()) if i < j]
        links.sort()
        net = igraph.Graph(n=len(order), edges=[(i, j) for i, j, _ in links])
        net.es["weight"] = [w for _, _, w in links]
        return net, order

    return memo(kg, "entity_igraph", (), build)


def domain_labels(kg, lang: str = "en") -> dict:
    """Return {domain IRI: label} in ``lang``, English where missing (cached)."""
    def build():
        names = {}
        for d, label in kg.query(_DOMAIN_LABELS).rows:
            if label.language == lang or (label.language == "en" and d.value not in names):
                names[d.value] = label.value
        return names

    return memo(kg, "domain_labels", (lang,), build)


def label_of(g, iri: str, lang: str = "en") -> str:
    """The node's label in ``lang``, else English, else the IRI's last part."""
    labels = g.nodes[iri].get("labels", {}) if iri in g else {}
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), iri.rstrip("/").rsplit("/", 1)[-1])



def has_entity(kg, iri: str) -> bool:
    """True when the entity (IRI or prefixed name) is in the projection."""
    from ..namespaces import expand

    return expand(iri) in projection(kg)
