"""One entity in full: labels, description, and every fact about it with its sources."""

from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import expand

__all__ = ["EntityDetails", "Fact", "SourceRef", "describe_entity", "sources_info"]

_ABOUT = """
SELECT ?type ?label ?description ?alt WHERE {
  { ?e a ?type FILTER(STRSTARTS(STR(?type), STR(cg:))) }
  UNION { ?e skos:prefLabel ?label } UNION { ?e dct:description ?description } UNION { ?e skos:altLabel ?alt }
}"""

_SOURCES = """
SELECT ?source ?title ?publisher ?issued ?url ?kind ?marking WHERE {
  GRAPH cgg:sources { ?source a cg:SourceDocument ; dct:title ?title ; cg:publisherName ?publisher ;
                                schema:url ?url ; cg:sourceKind ?kind .
                      OPTIONAL { ?source dct:issued ?issued } OPTIONAL { ?source cg:marking ?marking } }
}"""

_RELATION_LABELS = """
SELECT ?p ?label WHERE { GRAPH cgg:ontology { ?p a cg:SourcedRelation ; rdfs:label ?label } }"""


@dataclass(frozen=True)
class SourceRef:
    """A source document as a citation: title, publisher, date, URL and kind."""

    iri: str
    title: str
    publisher: str
    issued: str | None
    url: str
    kind: str
    marking: str | None = None


@dataclass
class Fact:
    """A statement about the entity: direction ("out" when the entity is the subject), relation, other end."""

    direction: str
    predicate: str
    relation: str
    other: str
    other_label: str
    sources: list = field(default_factory=list)


@dataclass
class EntityDetails:
    """Everything the details panel shows about one entity."""

    iri: str
    label: str
    types: list
    description: str | None
    alt_labels: list
    facts: list


def sources_info(kg) -> dict:
    """Return every source as a SourceRef, by IRI (cached on the Graph)."""
    cached = getattr(kg, "_sources", None)
    if cached is None:
        cached = {}
        for src, title, pub, issued, url, kind, marking in kg.query(_SOURCES).rows:
            cached[src.value] = SourceRef(src.value, title.value, pub.value, issued.value if issued else None,
                                          url.value, kind.value.rsplit("#", 1)[-1],
                                          marking.value.rsplit("#", 1)[-1] if marking else None)
        kg._sources = cached
    return cached


def relation_labels(kg, lang: str = "en") -> dict:
    """Return {property IRI: label} for the sourced relations, in ``lang`` where the ontology has it."""
    out = {}
    for p, label in kg.query(_RELATION_LABELS).rows:
        if label.language == lang or (label.language == "en" and p.value not in out):
            out[p.value] = label.value
    return out


def _pick(values: dict, lang: str):
    return values.get(lang) or values.get("en") or next(iter(values.values()), None)


def describe_entity(kg, entity, lang: str = "en") -> EntityDetails:
    """Return the entity's details and facts, labels in ``lang`` (English where missing)."""
    iri = expand(str(entity))
    e = ox.NamedNode(iri)
    labels, descriptions, types, alts = {}, {}, [], []
    for typ, label, desc, alt in kg.query(_ABOUT, e=e).rows:
        if typ is not None:
            types.append(typ.value.rsplit("#", 1)[-1])
        if label is not None:
            labels.setdefault(label.language or "en", label.value)
        if desc is not None:
            descriptions.setdefault(desc.language or "en", desc.value)
        if alt is not None:
            alts.append(alt.value)
    names = relation_labels(kg, lang)
    srcs = sources_info(kg)
    facts = {}
    for rec in kg.run_named("facts-about", entity=iri).rows:
        direction, prop, other, other_label, source = (t.value if t is not None else None for t in rec[:5])
        if prop not in names:
            continue
        key = (direction, prop, other)
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(direction, prop, names[prop], other, other_label or other.rsplit("/", 1)[-1])
        if source in srcs and srcs[source] not in fact.sources:
            fact.sources.append(srcs[source])
    _localise(kg, facts.values(), lang)
    ordered = sorted(facts.values(), key=lambda f: (f.direction != "out", f.relation, f.other_label.lower()))
    return EntityDetails(iri, _pick(labels, lang) or iri.rsplit("/", 1)[-1], sorted(set(types)),
                         _pick(descriptions, lang), sorted(set(alts)), ordered)


def _localise(kg, facts, lang: str) -> None:
    """Replace the other ends' English labels by ``lang`` labels where they exist."""
    if lang == "en":
        return
    others = sorted({f.other for f in facts})
    if not others:
        return
    res = kg.query("SELECT ?o ?l WHERE { ?o skos:prefLabel ?l FILTER(LANG(?l) = ?lang) }",
                   o=[ox.NamedNode(o) for o in others], lang=lang)
    found = {o.value: lab.value for o, lab in res.rows}
    for f in facts:
        f.other_label = found.get(f.other, f.other_label)
