"""The choices a user can filter by: domains, countries, relation types and entity types, labelled."""

from .entity import relation_labels
from .subgraph import TYPE_ORDER

__all__ = ["filter_options"]

_DOMAINS = """SELECT ?d ?l WHERE { ?d a cg:Domain ; skos:prefLabel ?l FILTER(LANG(?l) = ?lang || LANG(?l) = "en") }"""
_COUNTRIES = """
SELECT DISTINCT ?c ?l WHERE { ?x cg:basedIn ?c . ?c a cg:Country ; skos:prefLabel ?l FILTER(LANG(?l) = ?lang || LANG(?l) = "en") }"""


def _labelled(rows, lang: str) -> dict:
    """Return {iri: label} preferring ``lang`` labels, sorted by label."""
    out = {}
    for iri, label in rows:
        if label.language == lang or iri.value not in out:
            out[iri.value] = label.value
    return dict(sorted(out.items(), key=lambda kv: kv[1].lower()))


def filter_options(kg, lang: str = "en") -> dict:
    """Return the labelled options for the Explore filters: domains, countries, relations, types."""
    return {
        "domains": _labelled(kg.query(_DOMAINS, lang=lang).rows, lang),
        "countries": _labelled(kg.query(_COUNTRIES, lang=lang).rows, lang),
        "relations": dict(sorted(relation_labels(kg, lang).items(), key=lambda kv: kv[1])),
        "types": list(TYPE_ORDER),
    }
