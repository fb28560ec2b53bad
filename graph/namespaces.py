"""The project's namespaces and prefixes, and IRI shortening for display."""

__all__ = ["BASE", "CG", "GRAPHS", "PREFIXES", "expand", "shorten", "sparql_prologue"]

BASE = "https://w3id.org/convergence-graph/"
CG = BASE + "ontology#"

#: The project graphs that are not source documents.
GRAPHS = {
    "ontology": BASE + "graph/ontology",
    "taxonomy": BASE + "graph/taxonomy",
    "entities": BASE + "graph/entities",
    "sources": BASE + "graph/sources",
}

PREFIXES = {
    "cg": CG,
    "cgg": BASE + "graph/",
    "domain": BASE + "id/domain/",
    "tech": BASE + "id/tech/",
    "orgn": BASE + "id/org/",
    "country": BASE + "id/country/",
    "person": BASE + "id/person/",
    "post": BASE + "id/post/",
    "place": BASE + "id/place/",
    "prog": BASE + "id/programme/",
    "usecase": BASE + "id/usecase/",
    "event": BASE + "id/event/",
    "src": BASE + "id/source/",
    "rel": BASE + "id/rel/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def shorten(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known namespace, else the IRI itself.

    >>> shorten("https://w3id.org/convergence-graph/id/country/dk")
    'country:dk'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return iri


def expand(name: str) -> str:
    """Return the full IRI for ``prefix:local`` or ``<iri>``; other text is returned unchanged.

    >>> expand("orgn:nato")
    'https://w3id.org/convergence-graph/id/org/nato'
    >>> expand("<http://example.org/x>")
    'http://example.org/x'
    """
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def sparql_prologue() -> str:
    """Return PREFIX declarations for every project prefix, one a line."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
