"""The entity graph as networkx: typed, weighted, dated edges and each entity's domains, built once.

``projection(kg)`` reads the store in five bulk queries (relations, entity descriptions, qualified
dates and amounts, source dates, budgets) and returns a MultiDiGraph with one edge per sourced
relation. Nothing else in graph.analytics queries the store per entity, so every measure costs one
pass over this graph, and the graph is cached under the data's build hash (see graph.analytics.cache).

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

__all__ = ["projection", "entity_graph", "domain_labels", "label_of", "ACTOR_TYPES", "INITIATIVE_TYPES",
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

_ENTITIES = """
SELECT ?n ?type ?label ?domain WHERE {
  { ?n a ?type FILTER(STRSTARTS(STR(?type), STR(cg:))) }
  UNION { ?n skos:prefLabel ?label FILTER(isIRI(?n)) }
  UNION { ?n cg:inDomain ?domain }
}"""

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


def _build(kg) -> nx.MultiDiGraph:
    """Read the store and build the projection (see the module docstring)."""
    g = nx.MultiDiGraph()
    info = {}
    for n, typ, label, domain in kg.query(_ENTITIES).rows:
        rec = info.setdefault(n.value, {"types": set(), "labels": {}, "own": set()})
        if typ is not None:
            rec["types"].add(_local(typ.value))
        if label is not None:
            rec["labels"].setdefault(label.language or "en", label.value)
        if domain is not None:
            rec["own"].add(domain.value)
    for iri, rec in info.items():
        if rec["types"] & _SKIP_TYPES or not rec["types"]:
            continue
        g.add_node(iri)
    issued = {src.value: d.value for src, d in kg.query(_ISSUED).rows}
    for s, p, o, src in kg.query(_RELATIONS).rows:
        key = (s.value, o.value, p.value)
        if g.has_edge(*key):
            g.edges[key]["sources"].add(src.value)
        else:
            g.add_edge(s.value, o.value, key=p.value, sources={src.value}, relation=_local(p.value))
    qualified = {}
    for s, p, o, start, end, date, amount, currency in kg.query(_QUALIFIED).rows:
        rec = qualified.setdefault((s.value, o.value, p.value), {})
        first = start or date
        if first is not None and (rec.get("start") is None or first.value < rec["start"]):
            rec["start"] = first.value
        if end is not None:
            rec["end"] = max(rec.get("end") or "", end.value)
        if amount is not None and currency is not None:
            rec["amount"], rec["currency"] = float(amount.value), currency.value
    for u, v, p, data in g.edges(keys=True, data=True):
        q = qualified.get((u, v, p), {})
        dates = sorted(issued[s] for s in data["sources"] if s in issued)
        data["weight"] = len(data["sources"])
        data["start"] = q.get("start") or (dates[0] if dates else None)
        data["end"] = q.get("end") or (None if q.get("start") or not dates else dates[-1])
        data["amount"], data["currency"] = q.get("amount"), q.get("currency")
    for n in g.nodes:
        rec = info.get(n, {"types": set(), "labels": {}, "own": set()})
        types = rec["types"] - _SKIP_TYPES
        g.nodes[n].update(types=frozenset(types), labels=rec["labels"], own=tuple(sorted(rec["own"])),
                          type=next((t for t in TYPE_ORDER if t in types), next(iter(sorted(types)), "")),
                          kind=kind_of(types), budgets=[])
    for x, amount, currency, src in kg.query(_BUDGETS).rows:
        if x.value in g:
            entry = (float(amount.value), currency.value, src.value)
            if entry not in g.nodes[x.value]["budgets"]:
                g.nodes[x.value]["budgets"].append(entry)
    _domains(g)
    _countries(g)
    return g


def _domains(g) -> None:
    """Give each node ``domains`` and ``evidence`` {domain: [(relation, other, (s, o, p)), ...]}."""
    for n, data in g.nodes(data=True):
        data["evidence"] = {d: [("inDomain", None, None)] for d in data["own"]
                            if data["kind"] in ("technologies", "programmes", "use cases")}
    for s, o, p, data in g.edges(keys=True, data=True):
        rel, sd, od = data["relation"], g.nodes[s], g.nodes[o]
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
        for d in g.nodes[other]["own"]:
            holder["evidence"].setdefault(d, []).append((rel, other, (s, o, p)))
    for n, data in g.nodes(data=True):
        for ev in data["evidence"].values():
            ev.sort(key=lambda e: (e[0] != "inDomain", e[0], e[1] or ""))
        data["domains"] = tuple(sorted(data["evidence"]))


def _countries(g) -> None:
    """Give each node ``countries``: where it is based; initiatives also take their publisher's."""
    def based(n):
        if g.nodes[n]["type"] == "Country":
            return {n}
        return {o for _, o, rel in g.out_edges(n, data="relation")
                if rel == "basedIn" and g.nodes[o]["type"] == "Country"}

    own = {n: based(n) for n in g.nodes}
    for n, data in g.nodes(data=True):
        found = set(own[n])
        if data["kind"] == "programmes":
            for _, o, rel in g.out_edges(n, data="relation"):
                if rel == "publishedBy":
                    found |= own[o]
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
        und = nx.Graph()
        und.add_nodes_from(sorted(keep))
        for s, o, data in g.edges(data=True):
            if s in keep and o in keep and s != o:
                if und.has_edge(s, o):
                    und[s][o]["weight"] += data["weight"]
                    und[s][o]["relations"].add(data["relation"])
                else:
                    und.add_edge(s, o, weight=data["weight"], relations={data["relation"]})
        return und

    return memo(kg, "entity_graph", (), build)


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
