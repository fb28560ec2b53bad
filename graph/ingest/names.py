"""Names for imported things: slugs by the IRI rule, typed dates, prefixed names and label lookups."""

import re
import unicodedata

import pyoxigraph as ox

from ..namespaces import BASE, PREFIXES, expand
from ..search import normalise

__all__ = ["slug", "iri", "date_literal", "resolve_term", "LabelTable", "RDF_TYPE", "XSD", "lit", "quad"]

XSD = PREFIXES["xsd"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def slug(text: str) -> str:
    """Return the slug the IRI rule gives a name (ASCII, lower case, ``&`` as ``and``, runs of others as ``-``).

    >>> slug("Université Paris-Saclay & CNRS (2024)")
    'universite-paris-saclay-and-cnrs-2024'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def iri(name: str) -> ox.NamedNode:
    """Return the NamedNode for ``prefix:local`` or a full IRI.

    >>> iri("orgn:nato").value
    'https://w3id.org/convergence-graph/id/org/nato'
    """
    return ox.NamedNode(expand(name))


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    """Return a literal: language-tagged, typed with an ``xsd:`` local name or full IRI, or plain."""
    if lang:
        return ox.Literal(value, language=lang)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype if ":" in datatype and "//" in datatype
                                                       else XSD + datatype.split(":")[-1]))
    return ox.Literal(value)


def quad(s, p, o, g) -> ox.Quad:
    """Return a Quad; plain strings are read as ``prefix:local`` names or IRIs."""
    s, p, g = (iri(x) if isinstance(x, str) else x for x in (s, p, g))
    return ox.Quad(s, p, iri(o) if isinstance(o, str) else o, g)


_DATE = [(re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"), (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
         (re.compile(r"^\d{4}$"), "gYear")]


def date_literal(text: str) -> ox.Literal:
    """Return the date as precise as written: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    Raises ValueError for anything else.

    >>> date_literal("2024-11").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    text = str(text).strip()
    for pattern, dtype in _DATE:
        if pattern.match(text):
            if dtype == "date":
                from datetime import date

                date.fromisoformat(text)
            elif dtype == "gYearMonth" and not 1 <= int(text[5:]) <= 12:
                raise ValueError(f"no month {text[5:]} in {text!r}")
            return ox.Literal(text, datatype=ox.NamedNode(XSD + dtype))
    raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")


def resolve_term(text: str) -> ox.NamedNode | None:
    """Return the IRI a cell names by ``prefix:local``, ``<iri>`` or ``http(s)://...``; None for a plain name.

    >>> resolve_term("country:dk").value
    'https://w3id.org/convergence-graph/id/country/dk'
    >>> resolve_term("Denmark") is None
    True
    """
    text = text.strip()
    full = expand(text)
    if full != text or re.match(r"^https?://\S+$", text):
        return ox.NamedNode(full)
    return None


_LABELS = """
SELECT ?entity ?label ?kind WHERE {
  { ?entity skos:prefLabel ?label BIND("pref" AS ?kind) } UNION { ?entity skos:altLabel ?label BIND("alt" AS ?kind) }
  FILTER(STRSTARTS(STR(?entity), "%s"))
}""" % (BASE + "id/")


class LabelTable:
    """Every entity's English and French labels, by normalised form, read once from a store.

    >>> t = LabelTable([("x:1", "Université de Copenhague", "pref"), ("x:1", "UCPH", "alt")])
    >>> t.lookup("universite de copenhague")
    ['x:1']
    """

    def __init__(self, rows):
        self.rows = [(e, label, kind) for e, label, kind in rows]
        self.by_norm = {}
        for entity, label, kind in self.rows:
            norm = normalise(label)
            if norm:
                self.by_norm.setdefault(norm, {}).setdefault(entity, kind)

    @classmethod
    def from_store(cls, store) -> "LabelTable":
        """Read the labels of every entity under the project's id/ namespace."""
        res = store.run(_LABELS)
        return cls((e.value, label.value, kind.value) for e, label, kind in res.rows)

    def lookup(self, name: str) -> list:
        """Return the entities one of whose labels is ``name`` (case, accents, punctuation ignored)."""
        found = self.by_norm.get(normalise(name), {})
        pref = sorted(e for e, k in found.items() if k == "pref")
        return pref or sorted(found)
